//! Section 3, extension points: each interface or trait with two or more
//! implementors, its implementors, the factories that return it (a function
//! taking a `string` is one that picks a variant by name), the registries
//! (`map[string]…` variables naming it), the names they accept (the string
//! `case`s or `match` arms of a factory's body, the string keys of a
//! registry's literal), the flags whose default is one of those names and
//! the YAML / JSON / TOML keys whose value is one (*inferred*: what carries
//! the name), and the files a new variant touches (*inferred*: its own
//! file, each factory's and registry's file).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::types::implementors;
use super::{is_contract, more, named, Ctx, Fit};
use crate::model::{cite, Item, Site, SiteKind};
use crate::render::markdown::{code, first_result};

pub(super) fn render(ctx: &Ctx, budget: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### 3. Extension points\n");
    let mut choices: BTreeMap<&str, Vec<&Site>> = BTreeMap::new();
    for (n, s) in ctx.sites(SiteKind::Choice) {
        choices.entry(n.file.as_str()).or_default().push(s);
    }
    // Flags by their default's text, unquoted: what may carry a chosen name.
    let mut flags: BTreeMap<String, Vec<super::flags::Flag>> = BTreeMap::new();
    let fields = super::clap::Fields::new(&ctx.inv.items);
    for (n, s) in ctx.sites(SiteKind::Flag) {
        let Some(f) = super::flags::flag(n, s, &fields) else {
            continue;
        };
        let value = f.default.trim_matches('`').trim_matches('"').to_string();
        if !value.is_empty() && value != "—" {
            flags.entry(value).or_default().push(f);
        }
    }
    let known = Known {
        choices: &choices,
        flags: &flags,
    };
    let contracts: Vec<_> = ctx
        .ranked
        .iter()
        .filter(|r| is_contract(r.item))
        .filter_map(|r| {
            let (impls, exact) = implementors(ctx, r.item);
            (impls.len() >= 2).then_some((r.item, impls, exact))
        })
        .collect();
    let registries = registration_variables(ctx);
    if contracts.is_empty() && registries.is_empty() {
        let _ = writeln!(
            out,
            "None found: no interface or trait has two implementors in the code read.\n"
        );
        return out;
    }
    let mut fit = Fit::new(budget.saturating_sub(super::count_tokens(&out)), ctx.top);
    // An entry is written only if the ones before it fit (it scans every
    // function for factories): the budget shows a few of hundreds.
    let mut shown = 0;
    for (item, impls, exact) in &contracts {
        let entry = entry(ctx, item, impls, *exact, &known);
        if !fit.take(&entry) {
            break;
        }
        out.push_str(&entry);
        shown += 1;
    }
    more(
        &mut out,
        contracts.len(),
        shown,
        "extension points",
        "`--focus PKG` shows a package's",
    );
    if !registries.is_empty() {
        let line = format!(
            "- Registration variables and function types (*inferred* from their declared types): {}\n",
            registries
                .iter()
                .map(|i| {
                    // A map literal's string keys: the names it registers.
                    let keys = names_list(&accepted(&known, i));
                    let keys = if keys.is_empty() {
                        String::new()
                    } else {
                        format!(" keys {keys}")
                    };
                    format!("{}{keys}", named(&i.name, &cite(&i.file, i.line, i.line)))
                })
                .collect::<Vec<_>>()
                .join(", ")
        );
        if fit.spend(&line) {
            out.push_str(&line);
        }
    }
    out.push('\n');
    out
}

/// Go variables holding a function or a `map[string]` of something, and
/// named function types: where a variant is plugged in without an interface.
fn registration_variables<'a>(ctx: &Ctx<'a>) -> Vec<&'a Item> {
    ctx.items()
        .filter(|i| i.parent.is_none() && super::EXPORTED.contains(&i.visibility.as_str()))
        .filter(|i| {
            (i.kind == "var"
                && (i.signature.contains("func(") || i.signature.contains("map[string]")))
                || (i.kind == "type" && i.signature.contains(" func("))
        })
        .take(ctx.top.min(12))
        .collect()
}

/// Names accepted by factories and registries, and the flags by default.
struct Known<'a, 'b> {
    /// Choice sites by file.
    choices: &'b BTreeMap<&'a str, Vec<&'a Site>>,
    /// Flag registrations by their default, unquoted.
    flags: &'b BTreeMap<String, Vec<super::flags::Flag>>,
}

/// Names a factory or registry shows at most (the rest are counted).
const NAMES_SHOWN: usize = 12;

/// The names `f`'s lines accept, once each, in line order.
fn accepted<'a>(known: &Known<'a, '_>, f: &Item) -> Vec<&'a Site> {
    let mut seen = BTreeSet::new();
    known
        .choices
        .get(f.file.as_str())
        .into_iter()
        .flatten()
        .filter(|s| f.line <= s.line && s.line <= f.end_line)
        .filter(|s| seen.insert(s.name.as_str()))
        .copied()
        .collect()
}

/// `` `"a"`:3, `"b"`:5 +2 ``: each name at line N of the file named before it.
fn names_list(names: &[&Site]) -> String {
    let shown: Vec<String> = names
        .iter()
        .take(NAMES_SHOWN)
        .map(|s| format!("{}:{}", code(&format!("\"{}\"", s.name)), s.line))
        .collect();
    let rest = names.len().saturating_sub(NAMES_SHOWN);
    let rest = if rest > 0 {
        format!(" +{rest} more in its lines")
    } else {
        String::new()
    };
    format!("{}{rest}", shown.join(", "))
}

/// Config keys a line names at most (the rest are counted).
const KEYS_SHOWN: usize = 4;

/// A key path's first occurrence (file, line), occurrences and files.
type KeyUse<'a> = ((&'a str, u32), usize, BTreeSet<&'a str>);

/// The key paths of the tree's data files whose value is one of `names`,
/// each once, cited at its first occurrence (files in path order), with
/// how many times and in how many files it holds one; most frequent first.
fn config_keys(ctx: &Ctx, names: &[&Site]) -> String {
    let wanted: BTreeSet<&str> = names.iter().map(|s| s.name.as_str()).collect();
    let mut keys: BTreeMap<&str, KeyUse> = BTreeMap::new();
    for (file, values) in &ctx.uses.data_values {
        for v in values.iter().filter(|v| wanted.contains(v.value.as_str())) {
            let k = keys.entry(v.path.as_str()).or_insert((
                (file.as_str(), v.line),
                0,
                BTreeSet::new(),
            ));
            k.1 += 1;
            k.2.insert(file.as_str());
        }
    }
    let mut v: Vec<_> = keys.into_iter().collect();
    v.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(b.0)));
    let mut parts: Vec<String> = v
        .iter()
        .take(KEYS_SHOWN)
        .map(|(path, ((file, line), n, files))| {
            let times = match (*n, files.len()) {
                (1, _) => String::new(),
                (n, 1) => format!(" ×{n}"),
                (n, f) => format!(" ×{n} in {f} files"),
            };
            format!("{}{times}", named(path, &cite(file, *line, *line)))
        })
        .collect();
    let rest = v.len().saturating_sub(KEYS_SHOWN);
    if rest > 0 {
        let files: BTreeSet<&str> = v
            .iter()
            .skip(KEYS_SHOWN)
            .flat_map(|(_, (_, _, f))| f.iter().copied())
            .collect();
        parts.push(format!(
            "+{} in {} (`git grep -n` of a name finds them)",
            super::count(rest, "more key"),
            super::count(files.len(), "file")
        ));
    }
    parts.join(", ")
}

fn entry(ctx: &Ctx, i: &Item, impls: &[(String, String)], exact: bool, known: &Known) -> String {
    let mut out = String::new();
    let how = if exact {
        ""
    } else {
        " (*inferred* by method set)"
    };
    let names: Vec<String> = impls.iter().map(|(n, c)| named(n, c)).collect();
    let _ = writeln!(
        out,
        "- {} {}: {} implementors{how}: {}",
        named(&i.name, &i.citation()),
        i.kind,
        impls.len(),
        names.join(", ")
    );
    // Factories: functions of the language returning the contract.
    let factories: Vec<&Item> = ctx
        .items()
        .filter(|f| {
            f.language == i.language
                && matches!(f.kind.as_str(), "func" | "fn")
                && (first_result(&f.signature) == i.name
                    || (f.kind == "fn"
                        && f.signature
                            .rsplit_once("->")
                            .is_some_and(|(_, r)| r.contains(&format!("dyn {}", i.name)))))
        })
        .collect();
    let registries: Vec<&Item> = ctx
        .items()
        .filter(|v| {
            matches!(v.kind.as_str(), "var" | "static" | "const")
                && v.signature.contains("map[string]")
                && crate::resolve::decls::words(&v.signature).any(|w| w == i.name)
        })
        .collect();
    let mut files: BTreeSet<&str> = BTreeSet::new();
    for f in factories.iter().chain(&registries) {
        let by_name = f.signature.contains("string") || f.signature.contains("&str");
        let label = if f.kind == "var" || f.kind == "static" || f.kind == "const" {
            "registry"
        } else if by_name {
            "factory by name"
        } else {
            "factory"
        };
        let _ = writeln!(out, "  - {label}: {}", named(&f.name, &f.citation()));
        files.insert(f.file.as_str());
        let names = if label == "factory" {
            Vec::new()
        } else {
            accepted(known, f)
        };
        if names.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "    - names it accepts (`{}`): {}",
            f.file,
            names_list(&names)
        );
        let carriers: Vec<String> = names
            .iter()
            .flat_map(|s| known.flags.get(&s.name).into_iter().flatten())
            .map(|fl| format!("{} (`{}`)", code(&fl.name), fl.citation))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if !carriers.is_empty() {
            let _ = writeln!(
                out,
                "    - carried by (*inferred*: a flag whose default is one of these names): {}",
                carriers.join(", ")
            );
        }
        let keys = config_keys(ctx, &names);
        if !keys.is_empty() {
            let _ = writeln!(
                out,
                "    - config keys carrying one (*inferred*: a YAML/JSON/TOML value equal to one of these names): {keys}"
            );
        }
    }
    let listed: Vec<String> = files.iter().map(|f| code(f)).collect();
    let touches = if listed.is_empty() {
        "its own file".to_string()
    } else {
        format!("its own file and {}", listed.join(", "))
    };
    let _ = writeln!(
        out,
        "  - adding a variant touches *inferred* {} file(s): {touches}, plus its tests",
        1 + files.len()
    );
    out
}

//! Section 2, core data structures and interfaces: ranked by uses from other
//! packages. The first entries are detailed — kind and citation, every field
//! or variant with its line, methods, constructors, implementors, and the
//! construction and call sites summarised per file (tests counted per file);
//! the long tail is one compact table row per exported type. Whatever the
//! size limit leaves out is counted, with the `--focus` that shows it.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{count, is_contract, more, named, Ctx, Fit};
use crate::analyze::rank::Ranked;
use crate::model::{cite, Item, SiteKind};
use crate::render::markdown::{arity, code, method_tail};
use crate::resolve::find::Hit;
use crate::scan::lang::PackageRule;

/// Names listed inline per entry line before "+K more".
const INLINE_MAX: usize = 24;
/// Non-test sites cited one by one per type before files are only counted.
const SITES_CITED: usize = 5;

pub(super) fn render(ctx: &Ctx, budget: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### 2. Core data structures and interfaces\n");
    let _ = writeln!(
        out,
        "Ranked by references from other packages (*inferred*: Go `pkg.Name` selectors of an import of the \
         package; Rust names resolved through `use` bindings and `crate::`/`super::`/crate-name paths). \
         `` `Name`:N `` is line N of the file named before it.\n"
    );
    if ctx.ranked.is_empty() {
        let _ = writeln!(out, "*uncertain*: no type declarations were found.\n");
        return out;
    }
    let budget = budget.saturating_sub(super::count_tokens(&out));
    // Detailed entries take at most half; the tables share what is left.
    let mut fit = Fit::new(budget / 2, ctx.top);
    let detailed = ctx.top.min(super::DETAILED_TYPES);
    let mut shown = 0;
    for r in ctx.ranked.iter().take(detailed) {
        let entry = entry(ctx, r, shown + 1);
        if !fit.take(&entry) {
            break;
        }
        out.push_str(&entry);
        shown += 1;
    }
    out.push('\n');
    let left = budget - (budget / 2 - fit.left());
    // The long tail of types, then functions: one line per file, files in
    // the order of their best-ranked declaration.
    let tail: Vec<&Item> = ctx
        .ranked
        .iter()
        .skip(shown)
        .map(|r| r.item)
        .filter(|i| i.visibility != "private")
        .collect();
    let (tail_text, tail_shown) = per_file(
        ctx,
        "Further types by file (most used first)",
        &tail,
        left * 3 / 5,
        ctx.top.saturating_sub(shown),
    );
    out.push_str(&tail_text);
    let left = left.saturating_sub(super::count_tokens(&tail_text));
    let funcs = functions(ctx, shown);
    let (func_text, _) = per_file(
        ctx,
        "Functions and methods by file (exported first)",
        &funcs,
        left,
        ctx.top,
    );
    out.push_str(&func_text);
    let counted = shown + tail_shown;
    let all_types = ctx.ranked.len();
    if all_types > counted {
        more(
            &mut out,
            all_types,
            counted,
            "types",
            "`--focus PKG` details a package's, `--format json` lists every declaration",
        );
        out.push('\n');
    }
    out
}

/// Non-test functions in focus (Go funcs, Rust free fns), exported first,
/// each group in the order of the files' best-ranked types.
fn functions<'a>(ctx: &Ctx<'a>, detailed: usize) -> Vec<&'a Item> {
    let mut file_rank: BTreeMap<&str, usize> = BTreeMap::new();
    for (n, r) in ctx.ranked.iter().enumerate() {
        file_rank.entry(r.item.file.as_str()).or_insert(n);
    }
    // Methods of the types already detailed are listed there.
    let detailed: std::collections::BTreeSet<(&str, &str)> = ctx
        .ranked
        .iter()
        .take(detailed)
        .map(|r| (r.item.package.as_str(), r.item.name.as_str()))
        .collect();
    let mut v: Vec<&Item> = ctx
        .items()
        .filter(|i| match (i.kind.as_str(), i.parent.as_deref()) {
            ("func" | "fn" | "macro", None) => !(i.name == "main" || i.name == "init"),
            ("method", Some(p)) => {
                i.trait_impl.is_none() && !detailed.contains(&(i.package.as_str(), p))
            }
            _ => false,
        })
        .collect();
    v.sort_by_key(|i| {
        (
            !super::EXPORTED.contains(&i.visibility.as_str()),
            file_rank
                .get(i.file.as_str())
                .copied()
                .unwrap_or(usize::MAX),
            i.file.clone(),
            i.line,
        )
    });
    v
}

/// Items as one line per file (`` - `f.go`: `A`:3, `B`:9 ``), files in the
/// order of their first item, within `budget`. Returns the text and the
/// number of items it shows.
fn per_file(ctx: &Ctx, title: &str, items: &[&Item], budget: usize, cap: usize) -> (String, usize) {
    if items.is_empty() {
        return (String::new(), 0);
    }
    let mut files: Vec<(&str, Vec<&Item>)> = Vec::new();
    for i in items {
        match files.iter_mut().find(|(f, _)| *f == i.file) {
            Some((_, v)) => v.push(i),
            None => files.push((i.file.as_str(), vec![i])),
        }
    }
    let mut out = format!("{title}:\n\n");
    let mut fit = Fit::new(budget.saturating_sub(super::count_tokens(&out)), usize::MAX);
    let mut shown = 0;
    for (f, v) in &files {
        if shown >= cap {
            break;
        }
        let names: Vec<String> = v
            .iter()
            .take(cap - shown)
            .map(|i| match (&i.parent, i.kind.as_str()) {
                (Some(p), "method") => {
                    let sep = if ctx.rule(&i.language) == Some(PackageRule::ModuleTree) {
                        "::"
                    } else {
                        "."
                    };
                    format!("{}:{}", code(&format!("{p}{sep}{}", i.name)), i.line)
                }
                _ => format!("{}:{}", code(&i.name), i.line),
            })
            .collect();
        let line = format!("- `{f}`: {}\n", names.join(", "));
        if !fit.take(&line) {
            break;
        }
        out.push_str(&line);
        shown += names.len();
    }
    if shown == 0 {
        return (String::new(), 0);
    }
    if items.len() > shown {
        let _ = writeln!(
            out,
            "- +{} more (`--focus PKG`, `--format json`).",
            items.len() - shown
        );
    }
    out.push('\n');
    (out, shown)
}

/// One detailed entry, its lines ending in `\n`.
fn entry(ctx: &Ctx, r: &Ranked, n: usize) -> String {
    let i = r.item;
    let mut out = String::new();
    let used = if r.packages == 0 {
        "used in its package".to_string()
    } else {
        format!(
            "used by {} ({})",
            count(r.packages, "other package"),
            count(r.files, "file")
        )
    };
    let _ = writeln!(
        out,
        "{n}. {} {} in {} — {used}",
        named(&i.name, &i.citation()),
        i.kind,
        code(&ctx.package_label(&i.package))
    );
    if !i.members.is_empty() {
        let noun = match i.members[0].kind.as_str() {
            "variant" => "variants",
            "interface_method" => "methods",
            _ => "fields",
        };
        let members: Vec<(&str, &str, u32)> = i
            .members
            .iter()
            .map(|m| (i.file.as_str(), m.name.as_str(), m.line))
            .collect();
        let _ = writeln!(out, "   - {noun} {}", by_file(&members));
    }
    let methods = ctx.own_methods(i);
    let ctors = ctx.constructors(i);
    let plain: Vec<(&str, &str, u32)> = methods
        .iter()
        .filter(|m| !ctors.iter().any(|c| std::ptr::eq(*c, **m)))
        .map(|m| (m.file.as_str(), m.name.as_str(), m.line))
        .collect();
    if !plain.is_empty() {
        let _ = writeln!(out, "   - methods {}", by_file(&plain));
    }
    if !ctors.is_empty() {
        let v: Vec<(String, String)> = ctors
            .iter()
            .map(|c| (c.name.clone(), c.citation()))
            .collect();
        let _ = writeln!(out, "   - constructors: {}", inline(&v));
    }
    if is_contract(i) {
        let (impls, exact) = implementors(ctx, i);
        if !impls.is_empty() {
            let how = if exact {
                "`impl` blocks"
            } else {
                "*inferred* from method names and arity"
            };
            let _ = writeln!(out, "   - implementors ({how}): {}", inline(&impls));
        }
    }
    sites(ctx, i, &mut out);
    out
}

/// Construction sites (data types) or method calls (contracts), per file:
/// the first few non-test sites cited, the rest counted; test files counted.
fn sites(ctx: &Ctx, i: &Item, out: &mut String) {
    let Some(u) = ctx.uses.by_item.get(&i.citation()) else {
        return;
    };
    let contract = is_contract(i);
    let hits: &[Hit] = if contract { &u.calls } else { &u.constructs };
    if hits.is_empty() {
        return;
    }
    // (symbol's declaration order, symbol, file) → hits: one site per
    // method first, in the contract's order, then the rest.
    let order: Vec<&str> = i.members.iter().map(|m| m.name.as_str()).collect();
    let mut code_sites: BTreeMap<(usize, String, &str), Vec<&Hit>> = BTreeMap::new();
    let mut tests: BTreeMap<&str, usize> = BTreeMap::new();
    for h in hits {
        if h.test {
            *tests.entry(h.file.as_str()).or_default() += 1;
        } else {
            let sym = if contract {
                method_name(h).to_string()
            } else {
                i.name.clone()
            };
            let at = order.iter().position(|m| *m == sym).unwrap_or(order.len());
            code_sites
                .entry((at, sym, h.file.as_str()))
                .or_default()
                .push(h);
        }
    }
    if !code_sites.is_empty() {
        let what = if contract { "calls" } else { "constructed" };
        let mut parts = Vec::new();
        for ((_, sym, _), hs) in code_sites.iter().take(SITES_CITED) {
            let more = if hs.len() > 1 {
                format!(" ×{}", hs.len())
            } else {
                String::new()
            };
            parts.push(format!(
                "{}{more}",
                named(sym, &cite(&hs[0].file, hs[0].line, hs[0].line))
            ));
        }
        let rest = code_sites.len().saturating_sub(SITES_CITED);
        if rest > 0 {
            let files: usize = code_sites
                .keys()
                .skip(SITES_CITED)
                .map(|(_, _, f)| *f)
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            parts.push(format!(
                "+{rest} more in {} (`planrecon refs {}`)",
                count(files, "file"),
                i.name
            ));
        }
        let _ = writeln!(out, "   - {what}: {}", parts.join(", "));
    }
    if !tests.is_empty() {
        let total: usize = tests.values().sum();
        let mut files: Vec<(&str, usize)> = tests.into_iter().collect();
        files.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let shown: Vec<String> = files
            .iter()
            .take(SITES_CITED)
            .map(|(f, n)| format!("{} ×{n}", code(f)))
            .collect();
        let rest = files.len().saturating_sub(SITES_CITED);
        let rest = if rest > 0 {
            format!(", +{rest} files")
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "   - {} in tests ({}): {}{rest}",
            code(&i.name),
            count(total, "site"),
            shown.join(", ")
        );
    }
}

/// The last segment of a method hit's symbol (`Store.Put` → `Put`).
fn method_name(h: &Hit) -> &str {
    h.symbol.rsplit(['.', ':']).next().unwrap_or(&h.symbol)
}

/// Names with the line of each, grouped by file, the file written once:
/// `` (`a.go`): `X`:12, `Y`:30; (`b.go`): `Z`:4 ``. At most [`INLINE_MAX`]
/// names, then "+K more".
pub(super) fn by_file(v: &[(&str, &str, u32)]) -> String {
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for (file, name, line) in v.iter().take(INLINE_MAX) {
        let entry = format!("{}:{line}", code(name));
        match groups.iter_mut().find(|(f, _)| f == file) {
            Some((_, names)) => names.push(entry),
            None => groups.push((file, vec![entry])),
        }
    }
    let mut parts: Vec<String> = groups
        .iter()
        .map(|(f, names)| format!("(`{f}`): {}", names.join(", ")))
        .collect();
    if v.len() > INLINE_MAX {
        parts.push(format!("+{} more", v.len() - INLINE_MAX));
    }
    parts.join("; ")
}

fn inline(v: &[(String, String)]) -> String {
    let mut parts: Vec<String> = v
        .iter()
        .take(INLINE_MAX)
        .map(|(n, c)| named(n, c))
        .collect();
    if v.len() > INLINE_MAX {
        parts.push(format!("+{} more", v.len() - INLINE_MAX));
    }
    parts.join(", ")
}

/// Implementors: Rust `impl Trait for Type` sites (exact); Go types whose
/// methods cover the interface's by name and arity (inferred).
pub(super) fn implementors(ctx: &Ctx, i: &Item) -> (Vec<(String, String)>, bool) {
    if ctx.rule(&i.language) == Some(PackageRule::ModuleTree) {
        let mut v: Vec<(String, String)> = ctx
            .inv
            .notes
            .iter()
            .filter(|n| !n.test)
            .flat_map(|n| {
                n.sites
                    .iter()
                    .filter(|s| s.kind == SiteKind::Impl)
                    .map(move |s| (n, s))
            })
            .filter(|(_, s)| s.extra.as_deref() == Some(&i.name))
            .map(|(n, s)| (s.name.clone(), cite(&n.file, s.line, s.line)))
            .collect();
        v.sort();
        v.dedup();
        return (v, true);
    }
    let wanted: Vec<(&str, (usize, usize))> = i
        .members
        .iter()
        .filter(|m| m.kind == "interface_method")
        .map(|m| (m.name.as_str(), arity(&m.signature)))
        .collect();
    if wanted.is_empty() {
        return (Vec::new(), false);
    }
    let mut v = Vec::new();
    for ((pkg, ty), ms) in &ctx.methods {
        let shapes: Vec<(&str, (usize, usize))> = ms
            .iter()
            .filter(|m| m.language == i.language)
            .map(|m| (m.name.as_str(), arity(method_tail(&m.signature, &m.name))))
            .collect();
        if shapes.is_empty() || !wanted.iter().all(|w| shapes.contains(w)) {
            continue;
        }
        if let Some(t) = ctx
            .inv
            .items
            .iter()
            .find(|t| t.package == *pkg && t.name == *ty && t.parent.is_none() && !t.test)
        {
            v.push((t.name.clone(), t.citation()));
        }
    }
    (v, false)
}

//! Section 3, extension points: each interface or trait with two or more
//! implementors, its implementors, the factories that return it (a function
//! taking a `string` is one that picks a variant by name), the registries
//! (`map[string]…` variables naming it), and the files a new variant
//! touches (*inferred*: its own file, each factory's and registry's file).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::types::implementors;
use super::{is_contract, more, named, Ctx, Fit};
use crate::model::{cite, Item};
use crate::render::markdown::{code, first_result};

pub(super) fn render(ctx: &Ctx, budget: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### 3. Extension points\n");
    let mut entries = Vec::new();
    for r in ctx.ranked.iter().filter(|r| is_contract(r.item)) {
        let (impls, exact) = implementors(ctx, r.item);
        if impls.len() >= 2 {
            entries.push(entry(ctx, r.item, &impls, exact));
        }
    }
    let registries = registration_variables(ctx);
    if entries.is_empty() && registries.is_empty() {
        let _ = writeln!(
            out,
            "None found: no interface or trait has two implementors in the code read.\n"
        );
        return out;
    }
    let mut fit = Fit::new(budget.saturating_sub(super::count_tokens(&out)), ctx.top);
    let mut shown = 0;
    for e in &entries {
        if !fit.take(e) {
            break;
        }
        out.push_str(e);
        shown += 1;
    }
    more(
        &mut out,
        entries.len(),
        shown,
        "extension points",
        "`--focus PKG` shows a package's",
    );
    if !registries.is_empty() {
        let line = format!(
            "- Registration variables and function types (*inferred* from their declared types): {}\n",
            registries
                .iter()
                .map(|i| named(&i.name, &cite(&i.file, i.line, i.line)))
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

fn entry(ctx: &Ctx, i: &Item, impls: &[(String, String)], exact: bool) -> String {
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

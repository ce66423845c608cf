//! Frozen Interfaces: the exported contracts (interfaces, traits), the core
//! structs the report ranks, their methods under their type (Rust: under an
//! `impl Type` or `impl Trait for Type` header), and constructors — each
//! declaration copied verbatim in a fenced block line headed
//! `// path:start-end`, functions without bodies, initialisers cut to
//! `= …` (a function literal is not a signature). Ranked by the type
//! ranking and fitted to the section's budget; the rest is counted.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::{more, Ctx, Fit, EXPORTED};
use crate::model::{cite, Item};
use crate::render::markdown::{code, fence_for};
use crate::scan::lang::{lang_by_name, PackageRule};

/// Frozen types per ranked position at most (contracts and structs).
const FROZEN_TYPES: usize = 60;

pub(super) fn render(ctx: &Ctx, budget: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## Frozen Interfaces\n");
    let _ = writeln!(
        out,
        "Exported interfaces and traits and the most used exported types, with their methods and constructors, \
         most used first. Each declaration is copied from the cited lines (functions without bodies, \
         initialisers as `= …`).\n"
    );
    // Contracts first (what parallel work is written against), then the
    // other types; each group in rank order (the sort is stable).
    let mut types: Vec<&Item> = ctx
        .ranked
        .iter()
        .map(|r| r.item)
        .filter(|i| EXPORTED.contains(&i.visibility.as_str()) && i.source.is_some())
        .collect();
    types.sort_by_key(|i| !super::is_contract(i));
    types.truncate(FROZEN_TYPES.min(ctx.top));
    if types.is_empty() {
        let _ = writeln!(out, "*uncertain*: no exported type was found.\n");
        return out;
    }
    let mut fit = Fit::new(budget.saturating_sub(super::count_tokens(&out)), usize::MAX);
    let mut shown = 0;
    let mut done: BTreeSet<String> = BTreeSet::new();
    for i in &types {
        let block = type_block(ctx, i, &mut done);
        if !fit.take(&block) {
            break;
        }
        out.push_str(&block);
        shown += 1;
    }
    let total = ctx
        .ranked
        .iter()
        .filter(|r| EXPORTED.contains(&r.item.visibility.as_str()))
        .count();
    more(
        &mut out,
        total,
        shown,
        "exported types",
        "`--focus PKG --section frozen` shows a package's",
    );
    out.push('\n');
    out
}

/// The type, then its constructors and methods, one fenced block each.
fn type_block(ctx: &Ctx, i: &Item, done: &mut BTreeSet<String>) -> String {
    let lang = lang_by_name(&i.language);
    let tag = lang.map_or("", |l| l.fence);
    let rust = lang.map(|l| l.packages) == Some(PackageRule::ModuleTree);
    // One fenced block per declaration, each headed by its citation: what
    // `planrecon check` re-reads block by block.
    let block = |i: &Item| -> String {
        let mut body = String::new();
        push_item(&mut body, i);
        let fence = fence_for(&body);
        format!("{fence}{tag}\n{body}{fence}\n\n")
    };
    let mut out = format!(
        "### {} in {}\n\n",
        code(&i.name),
        code(&ctx.package_label(&i.package))
    );
    out.push_str(&block(i));
    done.insert(i.citation());
    let exported = |m: &&Item| EXPORTED.contains(&m.visibility.as_str()) || m.trait_impl.is_some();
    let ctors: Vec<&Item> = ctx
        .constructors(i)
        .into_iter()
        .filter(|c| EXPORTED.contains(&c.visibility.as_str()))
        .collect();
    // A trait's or interface's own methods are in its block already.
    let methods: Vec<&Item> = if super::is_contract(i) {
        Vec::new()
    } else {
        ctx.methods
            .get(&(i.package.as_str(), i.name.as_str()))
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(exported)
                    .filter(|m| m.source.is_some())
                    .collect()
            })
            .unwrap_or_default()
    };
    if rust {
        // Under `impl Type` / `impl Trait for Type` headers, inherent first.
        let mut by_impl: BTreeMap<(bool, String), Vec<&Item>> = BTreeMap::new();
        for m in &methods {
            let key = match &m.trait_impl {
                None => (false, format!("impl {}", i.name)),
                Some(t) => (true, format!("impl {t} for {}", i.name)),
            };
            by_impl.entry(key).or_default().push(m);
        }
        for ((_, header), ms) in &by_impl {
            let fresh: Vec<&&Item> = ms.iter().filter(|m| done.insert(m.citation())).collect();
            if fresh.is_empty() {
                continue;
            }
            let _ = writeln!(out, "Under {}:\n", code(header));
            for m in fresh {
                out.push_str(&block(m));
            }
        }
    } else {
        for f in ctors.iter().chain(methods.iter()) {
            if done.insert(f.citation()) {
                out.push_str(&block(f));
            }
        }
    }
    out
}

/// `// path:start-end` and the declaration's text, initialisers cut.
fn push_item(out: &mut String, i: &Item) {
    let Some(src) = &i.source else { return };
    let text = cut_initialiser(i, &src.text);
    let end = if text.len() < src.text.len() {
        i.line + text.lines().count().saturating_sub(1) as u32
    } else {
        src.end_line
    };
    let _ = writeln!(out, "// {}", cite(&i.file, i.line, end));
    let _ = writeln!(out, "{text}");
}

/// A `var`/`const`/`static` keeps its first line up to `=`, then `= …`.
fn cut_initialiser(i: &Item, text: &str) -> String {
    if !matches!(i.kind.as_str(), "var" | "const" | "static") {
        return text.to_string();
    }
    let first = text.lines().next().unwrap_or("");
    match first.find(" = ") {
        Some(at) => format!("{} = …", &first[..at]),
        None if text.lines().count() > 1 => format!("{first} …"),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initialisers_are_cut() {
        let i = Item {
            language: "go".into(),
            package: "p".into(),
            namespace: vec![],
            kind: "var".into(),
            name: "Handler".into(),
            parent: None,
            file: "a.go".into(),
            line: 3,
            end_line: 180,
            column: 0,
            visibility: "exported".into(),
            signature: "var Handler".into(),
            doc: None,
            generated: false,
            in_macro: false,
            macro_name: None,
            trait_impl: None,
            attributes: vec![],
            test: false,
            members: vec![],
            embeds: vec![],
            source: None,
        };
        assert_eq!(
            cut_initialiser(
                &i,
                "var Handler = func(w http.ResponseWriter) {\n\tbody()\n}"
            ),
            "var Handler = …"
        );
        let f = Item {
            kind: "func".into(),
            ..i
        };
        assert_eq!(cut_initialiser(&f, "func F() int"), "func F() int");
    }
}

//! Section 2, core data structures and interfaces: ranked by uses from other
//! packages, interfaces and traits in use detailed first. The first entries
//! are detailed — kind and citation, every field
//! or variant with its line, methods, constructors, implementors, and the
//! construction and call sites summarised per file (tests counted per file);
//! the long tail is one compact table row per exported type. Whatever the
//! size limit leaves out is counted, with the `--focus` that shows it.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use super::{count, is_contract, named, Ctx, Fit};
use crate::analyze::rank::Ranked;
use crate::model::{cite, Item, SiteKind};
use crate::render::markdown::{arity, cell, code, first_result};
use crate::resolve::find::Hit;
use crate::scan::lang::PackageRule;

/// Names listed inline per entry line before "+K more".
const INLINE_MAX: usize = 24;
/// Calls of a contract's methods cited one by one before files are only counted.
const SITES_CITED: usize = 5;
/// Construction sites cited per data type before the rest are counted.
const CONSTRUCTS_CITED: usize = 3;
/// Test files named per type (with their site counts) before the rest are counted.
const TEST_FILES: usize = 2;

pub(super) fn render(ctx: &Ctx, budget: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### 2. Core data structures and interfaces\n");
    let _ = writeln!(
        out,
        "Ranked by references from other packages (*inferred*: Go `pkg.Name` selectors of an import of the \
         package; Rust names resolved through `use` bindings and `crate::`/`super::`/crate-name paths); \
         interfaces and traits with an implementor or a method called from another file come first. \
         `` `Name`:N `` is line N of the file named before it.\n"
    );
    if ctx.ranked.is_empty() {
        let _ = writeln!(out, "*uncertain*: no type declarations were found.\n");
        return out;
    }
    let budget = budget.saturating_sub(super::count_tokens(&out));
    // Every type the table may show, with its row: computed first, so that
    // on a small tree the detailed entries leave room for all of them.
    let rows: Vec<Option<(String, usize)>> = ctx
        .ranked
        .iter()
        .map(|r| {
            tabled(r.item).then(|| {
                let row = table_row(ctx, r);
                let n = super::count_tokens(&row);
                (row, n)
            })
        })
        .collect();
    let complete = ctx.inv.scope.lines <= COMPLETE_LINES;
    let mut rows_left: usize = rows.iter().flatten().map(|(_, n)| n).sum::<usize>()
        + super::count_tokens(TABLE_INTRO)
        + super::count_tokens(TABLE_HEAD);
    // Detailed entries take at most half (a third on a small tree, where
    // the table lists every other type), and never room the table needs.
    let share = if complete { budget * 2 / 5 } else { budget / 2 };
    let mut fit = Fit::new(share, ctx.top);
    let mut detail_used = 0;
    let mut shown = BTreeSet::new();
    for n in detail_order(ctx) {
        let entry = entry(ctx, ctx.ranked[n], shown.len() + 1);
        let tokens = super::count_tokens(&entry);
        let row = rows[n].as_ref().map_or(0, |(_, t)| *t);
        if complete && detail_used + tokens + rows_left - row > budget {
            break;
        }
        if !fit.take(&entry) {
            break;
        }
        out.push_str(&entry);
        detail_used += tokens;
        rows_left -= row;
        shown.insert(n);
    }
    out.push('\n');
    let left = budget.saturating_sub(detail_used);
    // On a larger tree the table takes a quarter and the denser names by
    // file what is left of three fifths, so that more types are named.
    let (table_budget, names_budget) = if complete {
        (left, 0)
    } else {
        (left / 4, left * 3 / 5)
    };
    let table = tail_table(
        ctx,
        &rows,
        &shown,
        (table_budget, names_budget),
        ctx.top.saturating_sub(shown.len()),
    );
    out.push_str(&table);
    let left = left.saturating_sub(super::count_tokens(&table));
    let funcs = functions(ctx, &shown);
    let (func_text, _) = per_file(
        "Functions and methods by file (exported first)",
        &funcs,
        left,
        ctx.top,
        true,
    );
    out.push_str(&func_text);
    out
}

/// The ranks the detailed entries are tried in: among the types the
/// reference pass covered ([`super::shown_types`]), interfaces and traits
/// in use — with an implementor, or a method called outside their own file
/// — first, then the others, each group in rank order. A contract's entry
/// holds what a plain struct's cannot (implementors, the call sites of its
/// methods), and its uses from its own package do not rank it.
fn detail_order(ctx: &Ctx) -> Vec<usize> {
    let window = ctx.top.min(super::DETAILED_TYPES).min(ctx.ranked.len());
    let in_use = |i: &Item| {
        is_contract(i)
            && (!implementors(ctx, i).0.is_empty()
                || ctx
                    .uses
                    .by_item
                    .get(&i.citation())
                    .is_some_and(|u| u.calls.iter().any(|h| !h.test && h.file != i.file)))
    };
    let (mut first, rest): (Vec<usize>, Vec<usize>) =
        (0..window).partition(|n| in_use(ctx.ranked[*n].item));
    first.extend(rest);
    first
}

/// Trees of up to this many lines show every exported type (the issue's
/// 30k-line bound); larger ones as many as the size limit allows.
const COMPLETE_LINES: u64 = 30_000;

const TABLE_INTRO: &str = "Further types, most used first (fields or variants and methods counted; used by: other packages/files):\n\n";
const TABLE_HEAD: &str = "| type | kind | declared | fields | methods | used by (packages/files) |\n|---|---|---|---:|---:|---:|\n";

/// Whether the long-tail table lists `i`: every type but unexported
/// (private) ones, which `--format json` lists.
fn tabled(i: &Item) -> bool {
    i.visibility != "private"
}

/// One table row: name, kind, citation, fields (or variants) and methods
/// counted, and the other packages and files that use it.
fn table_row(ctx: &Ctx, r: &Ranked) -> String {
    let i = r.item;
    let (fields, methods) = if is_contract(i) && !i.members.is_empty() {
        (0, i.members.len())
    } else {
        (i.members.len(), ctx.own_methods(i).len())
    };
    let used = if r.packages == 0 {
        "—".to_string()
    } else {
        format!("{}/{}", r.packages, r.files)
    };
    // The first line is enough to find it; the range is in `--format json`.
    format!(
        "| {} | {} | `{}` | {fields} | {methods} | {used} |\n",
        cell(&code(&i.name)),
        i.kind,
        cite(&i.file, i.line, i.line)
    )
}

/// The types not detailed (`shown` holds the detailed ones' ranks), one
/// row each in rank order, within `budget` and `cap`; then what is left
/// out, counted per package with the `--focus` that shows it.
fn tail_table(
    ctx: &Ctx,
    rows: &[Option<(String, usize)>],
    shown: &BTreeSet<usize>,
    (budget, names_budget): (usize, usize),
    cap: usize,
) -> String {
    let mut out = String::new();
    let tail: Vec<(usize, &str)> = rows
        .iter()
        .enumerate()
        .filter(|(n, _)| !shown.contains(n))
        .filter_map(|(n, r)| r.as_ref().map(|(row, _)| (n, row.as_str())))
        .collect();
    let mut listed = 0;
    let mut fit = Fit::new(budget, cap);
    if !tail.is_empty() && fit.spend(TABLE_INTRO) && fit.spend(TABLE_HEAD) {
        out.push_str(TABLE_INTRO);
        out.push_str(TABLE_HEAD);
        listed = fit.push_all(&mut out, tail.iter().map(|(_, row)| *row));
        if listed == 0 {
            out.clear();
        } else {
            out.push('\n');
        }
    }
    // Then names by file, while they fit (a larger tree only).
    let after: Vec<&Item> = tail
        .iter()
        .skip(listed)
        .map(|(n, _)| ctx.ranked[*n].item)
        .collect();
    let budget = names_budget.saturating_sub(super::count_tokens(&out));
    let (names, named_items) = if after.is_empty() || budget == 0 {
        (String::new(), Vec::new())
    } else {
        per_file(
            "Further types by file (in the order of their most used type)",
            &after,
            budget,
            cap.saturating_sub(listed),
            false,
        )
    };
    out.push_str(&names);
    let named_items: BTreeSet<*const Item> =
        named_items.into_iter().map(|i| i as *const Item).collect();
    // What is left out, by package: the `--focus` that shows them.
    let mut rest: BTreeMap<&str, usize> = BTreeMap::new();
    for i in after
        .iter()
        .filter(|i| !named_items.contains(&(**i as *const Item)))
    {
        *rest.entry(i.package.as_str()).or_default() += 1;
    }
    if !rest.is_empty() {
        let total: usize = rest.values().sum();
        let mut by_count: Vec<(&str, usize)> = rest.into_iter().collect();
        by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let named: Vec<String> = by_count
            .iter()
            .take(REST_PACKAGES)
            .map(|(p, n)| format!("{} {n}", code(&ctx.package_label(p))))
            .collect();
        let others = by_count.len().saturating_sub(REST_PACKAGES);
        let others = if others > 0 {
            format!(", +{}", count(others, "package"))
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "- +{total} more types (`--focus DIR` lists a package's): {}{others}.",
            named.join(", ")
        );
    }
    let private = ctx
        .ranked
        .iter()
        .enumerate()
        .filter(|(n, r)| !shown.contains(n) && !tabled(r.item))
        .count();
    if private > 0 {
        let _ = writeln!(
            out,
            "- {} not listed (`--format json` lists every declaration).",
            count(private, "unexported type")
        );
    }
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    out
}

/// Packages the "+N more types" line names, most left out first.
const REST_PACKAGES: usize = 8;

/// Non-test functions in focus (Go funcs, Rust free fns, methods of the
/// types not detailed): exported first, most used by other files first,
/// then in the order of the files' best-ranked types.
fn functions<'a>(ctx: &Ctx<'a>, detailed: &BTreeSet<usize>) -> Vec<&'a Item> {
    let mut file_rank: BTreeMap<&str, usize> = BTreeMap::new();
    for (n, r) in ctx.ranked.iter().enumerate() {
        file_rank.entry(r.item.file.as_str()).or_insert(n);
    }
    // Methods and constructors of the types already detailed are listed there.
    let detailed: BTreeSet<(&str, &str)> = detailed
        .iter()
        .map(|n| {
            let i = ctx.ranked[*n].item;
            (i.package.as_str(), i.name.as_str())
        })
        .collect();
    let mut v: Vec<&Item> = ctx
        .items()
        .filter(|i| match (i.kind.as_str(), i.parent.as_deref()) {
            ("func" | "fn" | "macro", None) => {
                let constructor = i.kind == "func"
                    && detailed.contains(&(i.package.as_str(), first_result(&i.signature)));
                !(i.name == "main" || i.name == "init" || constructor)
            }
            ("method", Some(p)) => {
                i.trait_impl.is_none() && !detailed.contains(&(i.package.as_str(), p))
            }
            _ => false,
        })
        .collect();
    // Exported first, most used (by other files) first, then by the rank of
    // the file's types; each file's line then holds all of its functions.
    let users = |i: &Item| {
        ctx.file_users
            .get(&(i.file.clone(), i.line))
            .copied()
            .unwrap_or(0)
    };
    v.sort_by_cached_key(|i| {
        (
            !super::EXPORTED.contains(&i.visibility.as_str()),
            std::cmp::Reverse(users(i)),
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

/// Functions as one line per file, files in the order of their first item,
/// within `budget` and `cap`: free functions first, then each type's
/// methods after its name (`` - `f.go`: `New`:3; `T` methods `Get`:9 ``).
/// Returns the text and the items it shows; `more` adds a "+N more" line.
fn per_file<'a>(
    title: &str,
    items: &[&'a Item],
    budget: usize,
    cap: usize,
    more: bool,
) -> (String, Vec<&'a Item>) {
    if items.is_empty() {
        return (String::new(), Vec::new());
    }
    let mut files: Vec<(&str, Vec<&'a Item>)> = Vec::new();
    for i in items {
        match files.iter_mut().find(|(f, _)| *f == i.file) {
            Some((_, v)) => v.push(i),
            None => files.push((i.file.as_str(), vec![i])),
        }
    }
    let mut out = format!("{title}:\n\n");
    let mut fit = Fit::new(budget.saturating_sub(super::count_tokens(&out)), usize::MAX);
    let mut shown: Vec<&'a Item> = Vec::new();
    for (f, v) in &files {
        if shown.len() >= cap {
            break;
        }
        let v = &v[..v.len().min(cap - shown.len())];
        // Groups by receiver in order of first appearance; free functions first.
        let mut groups: Vec<(Option<&str>, Vec<String>)> = vec![(None, Vec::new())];
        for i in v {
            let parent = i.parent.as_deref().filter(|_| i.kind == "method");
            let name = format!("{}:{}", code(&i.name), i.line);
            match groups.iter_mut().find(|(p, _)| *p == parent) {
                Some((_, names)) => names.push(name),
                None => groups.push((parent, vec![name])),
            }
        }
        let parts: Vec<String> = groups
            .iter()
            .filter(|(_, names)| !names.is_empty())
            .map(|(p, names)| match p {
                Some(p) => format!("{} methods {}", code(p), names.join(", ")),
                None => names.join(", "),
            })
            .collect();
        let line = format!("- `{f}`: {}\n", parts.join("; "));
        if !fit.take(&line) {
            break;
        }
        out.push_str(&line);
        shown.extend_from_slice(v);
    }
    if shown.is_empty() {
        return (String::new(), Vec::new());
    }
    if more && items.len() > shown.len() {
        let _ = writeln!(
            out,
            "- +{} more (`--focus DIR` lists a package's, `--format json` every declaration).",
            items.len() - shown.len()
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
        // Calls of a contract's methods are cited more than constructions.
        let cited = if contract {
            SITES_CITED
        } else {
            CONSTRUCTS_CITED
        };
        for ((_, sym, _), hs) in code_sites.iter().take(cited) {
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
        let rest = code_sites.len().saturating_sub(cited);
        if rest > 0 {
            let files: usize = code_sites
                .keys()
                .skip(cited)
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
            .take(TEST_FILES)
            .map(|(f, n)| format!("{} ×{n}", code(f)))
            .collect();
        let rest = files.len().saturating_sub(TEST_FILES);
        let rest = if rest > 0 {
            format!(", +{} (`planrecon refs {}`)", count(rest, "file"), i.name)
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
        parts.push(format!(
            "+{} more (`--format json` lists them)",
            v.len() - INLINE_MAX
        ));
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
        parts.push(format!(
            "+{} more (`--format json` lists them)",
            v.len() - INLINE_MAX
        ));
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
    for (shapes, t) in ctx.method_sets() {
        if t.language == i.language && wanted.iter().all(|w| shapes.contains(w)) {
            v.push((t.name.clone(), t.citation()));
        }
    }
    (v, false)
}

//! Section 1, top-level packages and responsibilities. Go: one row per
//! directory under the module path (written once); Rust: a crates table,
//! then each crate's modules one line each. A responsibility is the package
//! doc's first sentence, cited, else *inferred* from what the package
//! declares (its most used types, cited). Too many rows for the section's
//! budget: the deepest directories are rolled up into their parent first;
//! five or more sibling Go `main` packages are one row before that.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{count_tokens, dir_label, more, named, Ctx, Fit, EXPORTED};
use crate::model::{cite, Item, Package};
use crate::render::markdown::{cell, code, esc, first_sentence};
use crate::scan::lang::PackageRule;

/// Declarations named in an inferred responsibility.
const INFERRED_NAMES: usize = 1;

pub(super) fn render(ctx: &Ctx, budget: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### 1. Top-level packages and responsibilities\n");
    let go: Vec<&Package> = ctx
        .packages()
        .filter(|p| !p.test && ctx.rule(&p.language) == Some(PackageRule::Directory))
        .collect();
    let rust: Vec<&Package> = ctx
        .packages()
        .filter(|p| !p.test && ctx.rule(&p.language) == Some(PackageRule::ModuleTree))
        .collect();
    if go.is_empty() && rust.is_empty() {
        let _ = writeln!(out, "*uncertain*: no source packages were found.\n");
        return out;
    }
    let by_pkg = items_by_package(ctx);
    let share = |n: usize| {
        if go.is_empty() || rust.is_empty() {
            budget
        } else {
            budget * n / (go.len() + rust.len()).max(1)
        }
    };
    if !go.is_empty() {
        // `--focus` asks for the detail a roll-up of programs would hide.
        let programs_rolled = ctx.focus.is_none();
        go_rows(&go, &by_pkg, share(go.len()), programs_rolled, &mut out);
    }
    if !rust.is_empty() {
        crates(ctx, &rust, &by_pkg, share(rust.len()), &mut out);
    }
    out
}

/// Non-test items of each package, most used types first, then exported
/// functions, then the rest, each group in file order.
fn items_by_package<'a>(ctx: &Ctx<'a>) -> BTreeMap<&'a str, Vec<&'a Item>> {
    let mut by: BTreeMap<&str, Vec<&Item>> = BTreeMap::new();
    for i in ctx.items().filter(|i| i.parent.is_none()) {
        by.entry(i.package.as_str()).or_default().push(i);
    }
    for v in by.values_mut() {
        v.sort_by_key(|i| {
            let rank = ctx.type_rank.get(&i.citation()).copied();
            let exported = EXPORTED.contains(&i.visibility.as_str());
            let group = match (rank, exported, i.kind.as_str()) {
                (Some(_), true, _) => 0,
                (_, true, "func" | "fn") => 1,
                (Some(_), false, _) => 2,
                (_, true, _) => 3,
                _ => 4,
            };
            (group, rank.unwrap_or(usize::MAX), i.file.clone(), i.line)
        });
    }
    by
}

/// The package's doc sentence, cited; else what it declares, *inferred*.
fn responsibility(p: &Package, items: Option<&Vec<&Item>>) -> String {
    if let (Some(doc), Some(file), Some(line)) = (&p.doc, &p.doc_file, p.doc_line) {
        let (sentence, lines) = first_sentence(doc);
        let start = p.doc_text_line.unwrap_or(line);
        return format!(
            "{} (`{}`)",
            esc(&sentence),
            cite(file, start, start + lines - 1)
        );
    }
    match items.filter(|v| !v.is_empty()) {
        Some(v) => {
            let names: Vec<String> = v
                .iter()
                .take(INFERRED_NAMES)
                .map(|i| named(&i.name, &cite(&i.file, i.line, i.line)))
                .collect();
            let rest = v.len().saturating_sub(INFERRED_NAMES);
            let rest = if rest > 0 {
                format!(" +{rest}")
            } else {
                String::new()
            };
            format!("*inferred*: declares {}{rest}", names.join(", "))
        }
        None => "*uncertain*: declares nothing".to_string(),
    }
}

/// One table row: a directory or a rolled-up subtree.
struct Row {
    dir: String,
    packages: usize,
    files: usize,
    lines: u64,
    text: String,
}

fn go_rows(
    pkgs: &[&Package],
    by_pkg: &BTreeMap<&str, Vec<&Item>>,
    budget: usize,
    programs_rolled: bool,
    out: &mut String,
) {
    // Module paths, once: the import path less the directory.
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    for p in pkgs {
        let module = if p.dir == "." || p.dir.is_empty() {
            Some(p.path.clone())
        } else {
            p.path
                .strip_suffix(&format!("/{}", p.dir))
                .map(str::to_string)
        };
        if let Some(m) = module {
            let base = if p.dir == "." { "" } else { p.dir.as_str() };
            let root = p.path.strip_suffix(base).unwrap_or(&p.path);
            modules.entry(m).or_insert_with(|| root.to_string());
        }
    }
    match modules.len() {
        0 => {
            let _ = writeln!(out, "Go packages (no `go.mod`: named by directory).\n");
        }
        1 => {
            let m = modules.keys().next().map_or("", String::as_str);
            let _ = writeln!(
                out,
                "Go module {} (`go.mod`); directories are repository-relative.\n",
                code(m)
            );
        }
        _ => {
            let names: Vec<String> = modules.keys().map(|m| code(m)).collect();
            let _ = writeln!(
                out,
                "Go modules {} (one `go.mod` each); directories are repository-relative.\n",
                names.join(", ")
            );
        }
    }
    let mut rows: Vec<Row> = pkgs
        .iter()
        .map(|p| Row {
            dir: p.dir.clone(),
            packages: 1,
            files: p.files.len(),
            lines: p.lines,
            text: {
                let main = if p.name == "main" {
                    " — a `main` package"
                } else {
                    ""
                };
                format!("{}{main}", responsibility(p, by_pkg.get(p.path.as_str())))
            },
        })
        .collect();
    top_level_dirs(pkgs, by_pkg, out);
    if programs_rolled {
        roll_up_programs(&mut rows, pkgs);
    }
    let head = "| directory | files | lines | responsibility |\n|---|---:|---:|---|\n";
    roll_up(
        &mut rows,
        budget.saturating_sub(count_tokens(head)),
        by_pkg,
        pkgs,
    );
    out.push_str(head);
    for r in &rows {
        let _ = writeln!(out, "{}", row_line(r));
    }
    out.push('\n');
}

/// Top-level directories holding two packages or more, one line: what the
/// tree is made of before the rows go into detail.
fn top_level_dirs(pkgs: &[&Package], by_pkg: &BTreeMap<&str, Vec<&Item>>, out: &mut String) {
    let mut tops: BTreeMap<&str, Vec<&Package>> = BTreeMap::new();
    for p in pkgs {
        if let Some((top, _)) = p.dir.split_once('/') {
            tops.entry(top).or_default().push(p);
        } else if p.dir != "." {
            tops.entry(p.dir.as_str()).or_default().push(p);
        }
    }
    let parts: Vec<String> = tops
        .iter()
        .filter(|(_, v)| v.len() >= 2)
        .map(|(top, v)| {
            let first = v
                .iter()
                .filter_map(|p| by_pkg.get(p.path.as_str()).and_then(|i| i.first()))
                .next()
                .map(|i| format!(", e.g. {}", named(&i.name, &i.citation())))
                .unwrap_or_default();
            format!("{} {} packages{first}", code(&dir_label(top)), v.len())
        })
        .collect();
    if !parts.is_empty() {
        let _ = writeln!(out, "Top-level directories: {}.\n", parts.join("; "));
    }
}

fn row_line(r: &Row) -> String {
    let files = if r.packages > 1 {
        format!("{} in {} packages", r.files, r.packages)
    } else {
        r.files.to_string()
    };
    format!(
        "| {} | {files} | {} | {} |",
        code(&dir_label(&r.dir)),
        r.lines,
        cell(&r.text)
    )
}

/// Sibling `main` packages folded into one row per parent directory when
/// there are at least this many (`examples/*`, `tools/*`).
const PROGRAMS_ROLLED: usize = 5;

/// Fold sibling Go `main` packages (`examples/altscreen/`, `examples/chat/`,
/// …) into one row of their parent directory when there are
/// [`PROGRAMS_ROLLED`] or more: a `main` package cannot be imported, so none
/// of them is an interface others build on, and a row each would crowd out
/// the packages that are. A parent that is itself a package keeps its
/// children's rows.
fn roll_up_programs(rows: &mut Vec<Row>, pkgs: &[&Package]) {
    let mut by_parent: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for p in pkgs.iter().filter(|p| p.name == "main") {
        if let Some((parent, _)) = p.dir.rsplit_once('/') {
            by_parent.entry(parent).or_default().push(p.dir.as_str());
        }
    }
    for (parent, dirs) in by_parent {
        if dirs.len() < PROGRAMS_ROLLED || rows.iter().any(|r| r.dir == parent) {
            continue;
        }
        let (inside, keep): (Vec<Row>, Vec<Row>) = std::mem::take(rows)
            .into_iter()
            .partition(|r| r.packages == 1 && dirs.contains(&r.dir.as_str()));
        *rows = keep;
        let prefix = format!("{parent}/");
        let names = first_names(&inside, &prefix);
        rows.push(Row {
            dir: parent.to_string(),
            packages: inside.len(),
            files: inside.iter().map(|r| r.files).sum(),
            lines: inside.iter().map(|r| r.lines).sum(),
            text: format!(
                "{} `main` programs, *rolled up* (`--focus {parent}` lists them): {names}",
                inside.len(),
            ),
        });
    }
    rows.sort_by(|a, b| a.dir.cmp(&b.dir));
}

/// The first rows' directories below `prefix`, then how many more:
/// `` `alpha`, `beta`, `delta`, `epsilon`, +1 ``.
fn first_names(rows: &[Row], prefix: &str) -> String {
    let mut names: Vec<String> = rows
        .iter()
        .take(4)
        .map(|r| code(r.dir.strip_prefix(prefix).unwrap_or(&r.dir)))
        .collect();
    if rows.len() > names.len() {
        names.push(format!("+{}", rows.len() - names.len()));
    }
    names.join(", ")
}

/// Fold the deepest subtrees (most rows first among equals) into one row
/// each until the table fits `budget`. Total and deterministic.
fn roll_up(
    rows: &mut Vec<Row>,
    budget: usize,
    by_pkg: &BTreeMap<&str, Vec<&Item>>,
    pkgs: &[&Package],
) {
    let cost =
        |rows: &[Row]| -> usize { rows.iter().map(|r| count_tokens(&row_line(r)) + 1).sum() };
    let mut total = cost(rows);
    while total > budget {
        // Candidate parents: a directory holding two rows or more.
        let mut under: BTreeMap<String, usize> = BTreeMap::new();
        for r in rows.iter() {
            let mut d = r.dir.as_str();
            while let Some((parent, _)) = d.rsplit_once('/') {
                *under.entry(parent.to_string()).or_default() += 1;
                d = parent;
            }
        }
        let Some((parent, _)) = under
            .iter()
            .filter(|(_, n)| **n >= 2)
            .max_by_key(|(d, n)| (d.matches('/').count(), **n, std::cmp::Reverse((*d).clone())))
            .map(|(d, n)| (d.clone(), *n))
        else {
            break;
        };
        let prefix = format!("{parent}/");
        let (inside, keep): (Vec<Row>, Vec<Row>) = std::mem::take(rows)
            .into_iter()
            .partition(|r| r.dir.starts_with(&prefix) || r.dir == parent);
        *rows = keep;
        let members: Vec<&&Package> = pkgs
            .iter()
            .filter(|p| p.dir.starts_with(&prefix) || p.dir == parent)
            .collect();
        // The subtree's most used declarations stand for it.
        let mut best: Vec<&Item> = members
            .iter()
            .filter_map(|p| by_pkg.get(p.path.as_str()).and_then(|v| v.first().copied()))
            .collect();
        best.sort_by_key(|i| (i.file.clone(), i.line));
        let names = first_names(&inside, &prefix);
        let decl = best
            .first()
            .map(|i| format!("; declares {}", named(&i.name, &i.citation())))
            .unwrap_or_default();
        rows.push(Row {
            dir: parent.clone(),
            packages: inside.iter().map(|r| r.packages).sum(),
            files: inside.iter().map(|r| r.files).sum(),
            lines: inside.iter().map(|r| r.lines).sum(),
            text: format!("*rolled up* (`--focus {parent}` lists them): {names}{decl}"),
        });
        rows.sort_by(|a, b| a.dir.cmp(&b.dir));
        total = cost(rows);
    }
}

/// The directory of a crate: its root module's directory less `src`.
fn crate_dir(root: &Package) -> String {
    let d = root.dir.as_str();
    d.strip_suffix("/src")
        .or_else(|| (d == "src").then_some("."))
        .unwrap_or(d)
        .to_string()
}

fn crates(
    ctx: &Ctx,
    pkgs: &[&Package],
    by_pkg: &BTreeMap<&str, Vec<&Item>>,
    budget: usize,
    out: &mut String,
) {
    let mut by_crate: BTreeMap<&str, Vec<&Package>> = BTreeMap::new();
    for p in pkgs {
        by_crate
            .entry(p.crate_name.as_deref().unwrap_or(p.path.as_str()))
            .or_default()
            .push(p);
    }
    let _ = writeln!(out, "Rust crates:\n");
    let _ = writeln!(
        out,
        "| crate | directory | modules | lines | responsibility |"
    );
    let _ = writeln!(out, "|---|---|---:|---:|---|");
    let mut modules: Vec<(u64, String, String)> = Vec::new();
    for (name, mods) in &by_crate {
        let root = mods.iter().find(|p| p.path == *name).copied();
        let dir = root.map_or_else(|| mods[0].dir.clone(), crate_dir);
        let lines: u64 = mods.iter().map(|p| p.lines).sum();
        let resp = match root {
            Some(r) if r.doc.is_some() => responsibility(r, None),
            _ => {
                // The crate's most used declarations, wherever they are.
                let mut all: Vec<&Item> = mods
                    .iter()
                    .filter_map(|p| by_pkg.get(p.path.as_str()))
                    .flatten()
                    .copied()
                    .collect();
                all.sort_by_key(|i| {
                    (
                        ctx.type_rank
                            .get(&i.citation())
                            .copied()
                            .unwrap_or(usize::MAX),
                        i.file.clone(),
                        i.line,
                    )
                });
                let fake = Package {
                    doc: None,
                    ..(*mods[0]).clone()
                };
                responsibility(&fake, Some(&all))
            }
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {lines} | {} |",
            code(name),
            code(&dir_label(&dir)),
            mods.len(),
            cell(&resp)
        );
        for m in mods.iter().filter(|m| m.path != *name) {
            let line = format!(
                "| {} | {} |",
                code(&m.path),
                cell(&responsibility(m, by_pkg.get(m.path.as_str())))
            );
            modules.push((m.lines, m.path.clone(), line));
        }
    }
    out.push('\n');
    if modules.is_empty() {
        return;
    }
    // Largest modules first within the budget, printed in path order.
    let spent = count_tokens(out);
    let mut fit = Fit::new(budget.saturating_sub(spent), ctx.top);
    let mut order: Vec<&(u64, String, String)> = modules.iter().collect();
    order.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut shown: Vec<&(u64, String, String)> =
        order.into_iter().take_while(|m| fit.take(&m.2)).collect();
    shown.sort_by(|a, b| a.1.cmp(&b.1));
    let _ = writeln!(
        out,
        "Modules (largest first within the size limit, listed by path):\n\n| module | responsibility |\n|---|---|"
    );
    for m in &shown {
        let _ = writeln!(out, "{}", m.2);
    }
    out.push('\n');
    more(
        out,
        modules.len(),
        shown.len(),
        "modules",
        "`--focus CRATE` or `--format json` lists them",
    );
    out.push('\n');
}

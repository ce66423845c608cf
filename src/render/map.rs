//! The budgeted repository map: a ranked, cited selection of the inventory.
//!
//! Pure: the same view gives the same bytes. Every declaration line carries
//! its `path:start-end` citation and its signature exactly as the inventory
//! has it; the budget only decides which lines are printed.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::analyze::maprank::Ranked;
use crate::model::{cite, Inventory, Item, Source};
use crate::render::markdown::{cell, code, esc, fence_for, first_sentence};

/// How much of the packages table is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PackageScope {
    All,
    /// Only these package paths (the focus neighbourhood).
    Only(BTreeSet<String>),
}

/// Everything the map renderer needs.
#[derive(Debug, Clone)]
pub(crate) struct MapView<'a> {
    pub inv: &'a Inventory,
    /// All items, most central first.
    pub ranked: &'a [Ranked],
    /// How many of `ranked` are listed.
    pub keep: usize,
    /// Members shown as counts instead of names.
    pub collapse_members: bool,
    pub packages: PackageScope,
    pub budget: usize,
    pub tokenizer: &'static str,
    /// The `--focus` arguments as given.
    pub focus: &'a [String],
    /// Verbatim declarations of the focus items, in rank order.
    pub frozen: &'a [(usize, &'a Source)],
}

/// The header: repository, commit, scope, budget. Always printed.
pub(crate) fn header(v: &MapView) -> String {
    let inv = v.inv;
    let mut out = String::new();
    let _ = writeln!(out, "# Repository map: {}\n", inv.root);
    let commit = match (&inv.commit, inv.dirty) {
        (Some(c), Some(true)) => format!("as of `{c}`+dirty"),
        (Some(c), _) => format!("as of `{c}`"),
        (None, _) => "not a git checkout".to_string(),
    };
    let _ = writeln!(
        out,
        "{commit} · {} · {} files, {} lines · budget {} tokens ({})",
        inv.scope.languages.join(", "),
        inv.scope.files,
        inv.scope.lines,
        v.budget,
        v.tokenizer
    );
    if !v.focus.is_empty() {
        let f: Vec<String> = v.focus.iter().map(|f| code(f)).collect();
        let _ = writeln!(out, "\nFocus: {}.", f.join(", "));
    }
    out
}

/// One ranked declaration as printed (two lines, or more with members).
pub(crate) fn item_entry(item: &Item, rank: usize, collapse_members: bool) -> String {
    let mut out = String::new();
    let name = match &item.parent {
        Some(p) => format!("{p}.{}", item.name),
        None => item.name.clone(),
    };
    let _ = writeln!(
        out,
        "{rank}. {} {} (`{}`) in {}",
        item.kind,
        code(&name),
        item.citation(),
        code(&item.package)
    );
    let _ = writeln!(out, "   {}", code(&item.signature));
    if !item.members.is_empty() {
        if collapse_members {
            let mut kinds: Vec<(&str, usize)> = Vec::new();
            for m in &item.members {
                match kinds.iter_mut().find(|(k, _)| *k == m.kind) {
                    Some(e) => e.1 += 1,
                    None => kinds.push((&m.kind, 1)),
                }
            }
            let parts: Vec<String> = kinds
                .iter()
                .map(|(k, n)| format!("{n} {k}{}", if *n == 1 { "" } else { "s" }))
                .collect();
            let _ = writeln!(out, "   {}", parts.join(", "));
        } else {
            let names: Vec<String> = item.members.iter().map(|m| code(&m.name)).collect();
            let _ = writeln!(out, "   members: {}", names.join(", "));
        }
    }
    out
}

/// Render the whole map.
pub(crate) fn render_map(v: &MapView) -> String {
    let inv = v.inv;
    let mut out = header(v);

    let shown: Vec<&crate::model::Package> = inv
        .packages
        .iter()
        .filter(|p| match &v.packages {
            PackageScope::All => true,
            PackageScope::Only(set) => set.contains(&p.path),
        })
        .collect();
    if !shown.is_empty() {
        let _ = writeln!(out, "\n## Packages\n");
        let _ = writeln!(out, "| package | files | lines | responsibility |");
        let _ = writeln!(out, "|---|---:|---:|---|");
        for p in &shown {
            // The same cited first sentence as the report's packages table.
            let doc = match (&p.doc, &p.doc_file, p.doc_line) {
                (Some(d), Some(f), Some(l)) => {
                    let (sentence, lines) = first_sentence(d);
                    let start = p.doc_text_line.unwrap_or(l);
                    let at = cite(f, start, start + lines.max(1) - 1);
                    format!("{} (`{at}`)", cell(&esc(&sentence)))
                }
                _ => "*uncertain*: no package doc".to_string(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {doc} |",
                code(&p.path),
                p.files.len(),
                p.lines
            );
        }
    }

    if !v.frozen.is_empty() {
        let _ = writeln!(out, "\n## Frozen interfaces of the focus\n");
        for (idx, source) in v.frozen {
            let item = &inv.items[*idx];
            let text = source.text.trim_end_matches('\n');
            let fence = fence_for(text);
            let _ = writeln!(
                out,
                "{fence}{}\n// {}\n{text}\n{fence}\n",
                item.language,
                cite(&item.file, item.line, source.end_line)
            );
        }
    }

    let keep = v.keep.min(v.ranked.len());
    if keep > 0 {
        let _ = writeln!(out, "\n## Declarations, most central first\n");
        for (i, r) in v.ranked[..keep].iter().enumerate() {
            out.push_str(&item_entry(&inv.items[r.item], i + 1, v.collapse_members));
        }
    }

    out.push_str(&footer(v, shown.len()));
    out
}

fn footer(v: &MapView, packages_shown: usize) -> String {
    let total = v.ranked.len();
    let keep = v.keep.min(total);
    let mut left: Vec<String> = Vec::new();
    if keep < total {
        left.push(format!(
            "{} of {total} declarations (the lowest ranked)",
            total - keep
        ));
    }
    if v.collapse_members {
        left.push("member names (shown as counts)".to_string());
    }
    if packages_shown < v.inv.packages.len() {
        left.push(format!(
            "{} of {} packages (outside the focus neighbourhood)",
            v.inv.packages.len() - packages_shown,
            v.inv.packages.len()
        ));
    }
    let mut out = String::from("\n---\n\n");
    if left.is_empty() {
        out.push_str("Nothing was left out.\n");
    } else {
        let _ = writeln!(
            out,
            "Left out to fit the budget: {}. Everything: `planrecon {} --format json`.",
            left.join("; "),
            v.inv.root
        );
    }
    out
}

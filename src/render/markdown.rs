//! The Markdown report: header, packages and declarations, each fact cited.

use std::fmt::Write as _;

use crate::model::{Inventory, Item};

/// Render the inventory as Markdown. Pure: the same model gives the same bytes.
pub(crate) fn render_markdown(inv: &Inventory) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Repository Recon: {}\n", inv.root);
    let commit = match (&inv.commit, inv.dirty) {
        (Some(c), Some(true)) => format!("as of `{c}`+dirty"),
        (Some(c), _) => format!("as of `{c}`"),
        (None, _) => "not a git checkout".to_string(),
    };
    let _ = writeln!(
        out,
        "{commit}; languages: {}; {} files, {} lines read.\n",
        inv.scope.languages.join(", "),
        inv.scope.files,
        inv.scope.lines
    );
    let _ = writeln!(out, "## Packages\n");
    let _ = writeln!(out, "| package | files | lines | test files |");
    let _ = writeln!(out, "|---|---:|---:|---:|");
    for p in &inv.packages {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            p.path,
            p.files.len(),
            p.lines,
            p.test_files.len()
        );
    }
    for p in &inv.packages {
        let items: Vec<&Item> = inv.items.iter().filter(|i| i.package == p.path).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## `{}`\n", p.path);
        for i in items {
            let parent = i
                .parent
                .as_deref()
                .map(|p| format!("{p}."))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- {} `{}{}` (`{}`)",
                i.kind,
                parent,
                i.name,
                i.citation()
            );
        }
    }
    if !inv.diagnostics.is_empty() {
        let _ = writeln!(out, "\n## Diagnostics\n");
        for d in &inv.diagnostics {
            let at = d.line.map(|l| format!(":{l}")).unwrap_or_default();
            let _ = writeln!(out, "- `{}{}`: {}", d.file, at, d.message);
        }
    }
    out
}

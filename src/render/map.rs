//! The budgeted repository map: a ranked, cited selection of the inventory.
//!
//! Pure: the same view gives the same bytes. Every declaration carries its
//! `path:start-end` citation; an entry is never longer than its declaration's
//! signature line (initialisers and function literals are cut to `= …`).
//! The map is made of blocks (header, packages table, frozen interfaces of
//! the focus, declarations grouped by package, footer); each block renders on
//! its own, so its token cost can be counted once and reported in the JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::model::{cite, Inventory, Item, Package};
use crate::render::markdown::{cell, code, count, esc, fence_for, first_sentence};

/// Longest initialiser (after `=`) printed as written; longer ones, and any
/// holding a function literal or a composite literal, become `= …`.
const MAX_INITIALISER: usize = 40;
/// Member names listed per type before "+K more".
const MAX_MEMBER_NAMES: usize = 8;

/// How the frozen interfaces of the focus are printed, richest first: each
/// step is taken only when the richer one does not fit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum FrozenLevel {
    /// The declaration copied verbatim in a fenced block headed `// path:start-end`.
    #[default]
    Verbatim,
    /// One signature line per declaration, cited.
    Signatures,
    /// Names with their citations, one a line.
    Names,
}

impl FrozenLevel {
    /// The level's name in the JSON.
    pub(crate) fn name(self) -> &'static str {
        match self {
            FrozenLevel::Verbatim => "verbatim",
            FrozenLevel::Signatures => "signatures",
            FrozenLevel::Names => "names",
        }
    }
}

/// What the header says besides the inventory's scope.
#[derive(Debug, Clone)]
pub(crate) struct HeaderInfo<'a> {
    pub budget: usize,
    pub tokenizer: &'static str,
    /// The `--focus` arguments, sorted and deduplicated.
    pub focus: &'a [String],
    /// Printed instead of the list when the list would crowd the map out.
    pub focus_count: Option<usize>,
}

/// The header: repository, commit, scope, budget. Always printed.
pub(crate) fn header(inv: &Inventory, h: &HeaderInfo) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Repository map: {}\n", inv.root);
    let commit = match (&inv.commit, inv.dirty) {
        (Some(c), Some(true)) => format!("as of `{c}`+dirty"),
        (Some(c), _) => format!("as of `{c}`"),
        (None, _) => "not a git checkout".to_string(),
    };
    let _ = writeln!(
        out,
        "{commit} · {} · {}, {} · budget {} tokens ({})",
        inv.scope.languages.join(", "),
        count(inv.scope.files, "file"),
        count(inv.scope.lines as usize, "line"),
        h.budget,
        h.tokenizer
    );
    if let Some(n) = h.focus_count {
        let _ = writeln!(out, "\nFocus: {n} targets (listed in the JSON form).");
    } else if !h.focus.is_empty() {
        let f: Vec<String> = h.focus.iter().map(|f| code(f)).collect();
        let _ = writeln!(out, "\nFocus: {}.", f.join(", "));
    }
    out
}

/// The heading of the packages table.
pub(crate) fn packages_heading() -> &'static str {
    "\n## Packages\n\n| package | files | lines | responsibility |\n|---|---:|---:|---|\n"
}

/// One row of the packages table (with its cited first doc sentence).
pub(crate) fn package_row(p: &Package) -> String {
    let doc = match (&p.doc, &p.doc_file, p.doc_line) {
        (Some(d), Some(f), Some(l)) => {
            let (sentence, lines) = first_sentence(d);
            let start = p.doc_text_line.unwrap_or(l);
            let at = cite(f, start, start + lines.max(1) - 1);
            format!("{} (`{at}`)", cell(&esc(&sentence)))
        }
        _ => "*uncertain*: no package doc".to_string(),
    };
    format!(
        "| {} | {} | {} | {doc} |\n",
        code(&p.path),
        p.files.len(),
        p.lines
    )
}

/// The heading of the frozen interfaces of the focus.
pub(crate) fn frozen_heading() -> &'static str {
    "\n## Frozen interfaces of the focus\n\n"
}

/// One frozen interface at `level`. `verbatim` is the declaration's text and
/// last line (exported items have it); without it the signature is printed.
pub(crate) fn frozen_entry(
    item: &Item,
    verbatim: Option<(&str, u32)>,
    level: FrozenLevel,
) -> String {
    match (level, verbatim) {
        (FrozenLevel::Verbatim, Some((text, end_line))) => {
            let text = text.trim_end_matches('\n');
            let fence = fence_for(text);
            format!(
                "{fence}{}\n// {}\n{text}\n{fence}\n\n",
                item.language,
                cite(&item.file, item.line, end_line)
            )
        }
        (FrozenLevel::Verbatim | FrozenLevel::Signatures, _) => signature_line(item),
        (FrozenLevel::Names, _) => {
            format!("- {} (`{}`)\n", code(&display_name(item)), item.citation())
        }
    }
}

/// The name an entry is known by: `Parent.name` for members of a type.
pub(crate) fn display_name(item: &Item) -> String {
    match &item.parent {
        Some(p) => format!("{p}.{}", item.name),
        None => item.name.clone(),
    }
}

/// The heading of a group of declarations: the package path, once.
pub(crate) fn group_heading(package: &str) -> String {
    format!("\n### {}\n\n", code(package))
}

/// The heading of the ranked declarations.
pub(crate) fn declarations_heading() -> &'static str {
    "\n## Declarations, grouped by package, most central first\n"
}

/// One ranked declaration: its citation and its signature line, with the
/// members of a type by name (or counted, when `collapse_members`).
pub(crate) fn item_entry(item: &Item, collapse_members: bool) -> String {
    let mut out = signature_line(item);
    if item.members.is_empty() {
        return out;
    }
    out.pop();
    if collapse_members || !lists_member_names(item) {
        let mut kinds: Vec<(&str, usize)> = Vec::new();
        for m in &item.members {
            match kinds.iter_mut().find(|(k, _)| *k == m.kind) {
                Some(e) => e.1 += 1,
                None => kinds.push((&m.kind, 1)),
            }
        }
        let parts: Vec<String> = kinds.iter().map(|(k, n)| count(*n, k)).collect();
        let _ = writeln!(out, " ({})", parts.join(", "));
    } else {
        let mut names: Vec<String> = item
            .members
            .iter()
            .take(MAX_MEMBER_NAMES)
            .map(|m| code(&m.name))
            .collect();
        if item.members.len() > MAX_MEMBER_NAMES {
            names.push(format!("+{} more", item.members.len() - MAX_MEMBER_NAMES));
        }
        let _ = writeln!(out, ": {}", names.join(", "));
    }
    out
}

/// Interfaces and traits list their methods by name (they are the API);
/// structs and enums count their fields and variants.
fn lists_member_names(item: &Item) -> bool {
    matches!(item.kind.as_str(), "interface" | "trait")
}

/// `- `path:start-end` `signature``, the signature shortened.
fn signature_line(item: &Item) -> String {
    format!(
        "- `{}` {}\n",
        item.citation(),
        code(&short_signature(&item.signature))
    )
}

/// The signature with a long initialiser, a function literal or a composite
/// literal cut to `= …` (`var runCmd = &cobra.Command{…}` → `var runCmd = …`).
pub(crate) fn short_signature(sig: &str) -> String {
    let Some(eq) = initialiser_start(sig) else {
        return sig.to_string();
    };
    let value = sig[eq + 1..].trim();
    let literal = value.contains('{') || value.starts_with("func") || value.contains("|");
    if value.chars().count() <= MAX_INITIALISER && !literal {
        return sig.to_string();
    }
    format!("{} = …", sig[..eq].trim_end())
}

/// Byte offset of the `=` that starts an initialiser, outside brackets and
/// not part of `==`, `!=`, `<=`, `>=`, `=>`.
fn initialiser_start(sig: &str) -> Option<usize> {
    let b = sig.as_bytes();
    let mut depth = 0i32;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'(' | b'[' | b'{' | b'<' => depth += 1,
            b')' | b']' | b'}' | b'>' => depth -= 1,
            b'=' if depth <= 0 => {
                let prev = if i > 0 { b[i - 1] } else { b' ' };
                let next = b.get(i + 1).copied().unwrap_or(b' ');
                if !matches!(prev, b'=' | b'!' | b'<' | b'>' | b':') && !matches!(next, b'=' | b'>')
                {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// What the footer reports as left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LeftOut {
    /// Ranked declarations not listed.
    pub declarations: usize,
    pub total_declarations: usize,
    /// Frozen interfaces of the focus not printed (the lowest ranked).
    pub frozen: usize,
    /// The level the frozen interfaces were printed at.
    pub frozen_level: FrozenLevel,
    pub members_collapsed: bool,
    /// Rows left out of the packages table.
    pub packages: usize,
}

/// One frozen interface of the focus: the item and its verbatim text and
/// last line, when the inventory has them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frozen<'a> {
    pub item: usize,
    pub verbatim: Option<(&'a str, u32)>,
}

/// A fitted selection: what the map prints.
#[derive(Debug, Clone)]
pub(crate) struct MapSelection<'a> {
    pub header: HeaderInfo<'a>,
    /// Rows of the packages table (indices into `Inventory::packages`, in path order).
    pub packages: Vec<usize>,
    /// The focus's frozen interfaces, most central first.
    pub frozen: Vec<Frozen<'a>>,
    pub frozen_level: FrozenLevel,
    /// Ranked declarations listed (indices into `Inventory::items`), most central first.
    pub entries: Vec<usize>,
    pub collapse_members: bool,
    pub left: LeftOut,
}

/// Render the whole map of a selection.
pub(crate) fn render_map(inv: &Inventory, sel: &MapSelection) -> String {
    let mut out = header(inv, &sel.header);
    if !sel.packages.is_empty() {
        out.push_str(packages_heading());
        for &p in &sel.packages {
            out.push_str(&package_row(&inv.packages[p]));
        }
    }
    if !sel.frozen.is_empty() {
        out.push_str(frozen_heading());
        for f in &sel.frozen {
            out.push_str(&frozen_entry(
                &inv.items[f.item],
                f.verbatim,
                sel.frozen_level,
            ));
        }
    }
    if !sel.entries.is_empty() {
        out.push_str(declarations_heading());
        for (package, items) in grouped(inv, &sel.entries) {
            out.push_str(&group_heading(package));
            for i in items {
                out.push_str(&item_entry(&inv.items[i], sel.collapse_members));
            }
        }
    }
    out.push_str(&footer(inv, &sel.left));
    out
}

/// The footer: what was left out and how to get it.
pub(crate) fn footer(inv: &Inventory, left: &LeftOut) -> String {
    let mut parts: Vec<String> = Vec::new();
    if left.declarations > 0 {
        parts.push(format!(
            "{} of {} declarations (the lowest ranked)",
            left.declarations, left.total_declarations
        ));
    }
    if left.frozen_level > FrozenLevel::Verbatim {
        parts.push(format!(
            "the focus's declarations verbatim (shown as {})",
            left.frozen_level.name()
        ));
    }
    if left.frozen > 0 {
        parts.push(format!(
            "{} of the focus's frozen interfaces (the lowest ranked)",
            left.frozen
        ));
    }
    if left.members_collapsed {
        parts.push("member names (shown as counts)".to_string());
    }
    if left.packages > 0 {
        parts.push(format!(
            "{} of {} rows of the packages table",
            left.packages,
            inv.packages.len()
        ));
    }
    let mut out = String::from("\n---\n\n");
    if parts.is_empty() {
        out.push_str("Nothing was left out.\n");
    } else {
        let _ = writeln!(
            out,
            "Left out to fit the budget: {}. Everything: `planrecon {} --format json`.",
            parts.join("; "),
            inv.root
        );
    }
    out
}

/// Group `entries` by package: packages in the order of their first (most
/// central) entry, entries in the given order within a group.
pub(crate) fn grouped<'a>(inv: &'a Inventory, entries: &[usize]) -> Vec<(&'a str, Vec<usize>)> {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    for &e in entries {
        let pkg = inv.items[e].package.as_str();
        match index.get(pkg) {
            Some(&g) => groups[g].1.push(e),
            None => {
                index.insert(pkg, groups.len());
                groups.push((pkg, vec![e]));
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_initialisers_and_literals_are_cut() {
        assert_eq!(
            short_signature("var runCmd = &cobra.Command{"),
            "var runCmd = …"
        );
        assert_eq!(
            short_signature("var handler = func(w http.ResponseWriter) {"),
            "var handler = …"
        );
        assert_eq!(
            short_signature("const StateCompleted RequestState = \"completed\""),
            "const StateCompleted RequestState = \"completed\""
        );
        assert_eq!(
            short_signature(
                "static TABLE: [u8; 4] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]"
            ),
            "static TABLE: [u8; 4] = …"
        );
        // Comparisons and arrows are not initialisers.
        assert_eq!(
            short_signature("pub fn f<T: Fn(u8) -> bool>(x: T) where T: PartialEq"),
            "pub fn f<T: Fn(u8) -> bool>(x: T) where T: PartialEq"
        );
        assert_eq!(
            short_signature("pub type Cb = fn(u8) -> u8"),
            "pub type Cb = fn(u8) -> u8"
        );
    }
}

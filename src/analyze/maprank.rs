//! Ranks declarations for the budgeted map: PageRank over the graph of files
//! that use declarations of other files, personalised towards `--focus`.
//!
//! The edges are the symbol graph's exact uses ([`ItemUse`], resolved through
//! scope by `resolve/`; inferred uses never count): file A → the file
//! declaring X, weighted by the square root of A's uses of X, so a file that
//! calls X forty times does not outweigh forty files that call it once. Ties
//! follow a documented total order (see [`rank`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::analyze::pagerank::pagerank;
use crate::model::{Inventory, Item};

/// Share of a focus file's rank given to the declarations it holds (so a
/// focused package's own declarations rank above unrelated ones even when
/// nothing references them yet).
const OWN_FILE_SHARE: f64 = 0.25;
/// Weight of private items, `mod` declarations and items of test shims
/// (outside the focus): they rank below the public API they support.
const MINOR_WEIGHT: f64 = 0.1;
/// Directory or file names that mark test support code compiled into the
/// library (test shims, mocks, fakes).
const SHIM_NAMES: &[&str] = &[
    "fake",
    "fakes",
    "fixture",
    "fixtures",
    "loom",
    "mock",
    "mocks",
    "test",
    "test_helpers",
    "test_support",
    "test_util",
    "test_utils",
    "testhelper",
    "testhelpers",
    "testing",
    "tests",
    "testsupport",
    "testutil",
    "testutils",
];

/// The exact uses one file makes of one declaration of another file (the
/// symbol graph's, read by the command): the map's edges.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct ItemUse {
    /// The file the uses are in.
    pub file: String,
    /// Index into `Inventory::items` of the declaration used.
    pub item: usize,
    /// How many exact uses (at least 1).
    pub count: u32,
}

/// A ranked declaration: index into `Inventory::items`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ranked {
    pub item: usize,
    pub score: f64,
    /// Tie-break among equal scores (most often 0: nothing references the
    /// item): the unpersonalised rank of its file, shared among the file's
    /// declarations, so such items follow how central their file is, not
    /// their path.
    pub prior: f64,
    /// Declared in a focus file or named by a focus symbol.
    pub focus: bool,
}

/// What `--focus` selects: files, and the items named by a focus symbol.
#[derive(Debug, Clone, Default)]
pub(crate) struct Focus {
    /// Files the random surfer restarts at (focus packages, paths, and the
    /// files declaring focus symbols).
    pub files: BTreeSet<String>,
    /// Files named by a path or package target: all their items are focus items.
    pub whole_files: BTreeSet<String>,
    /// Declaration names (`Name` or `Parent.Name`) named as targets.
    pub symbols: BTreeSet<String>,
    /// Focus arguments that matched nothing (reported, not fatal).
    pub unmatched: Vec<String>,
}

/// Resolve `--focus` targets: a file or directory path, a package (import
/// path, Rust module path or package name), or a declaration name. Each
/// target is matched on its own, so the result does not depend on their
/// order. A path that exists under `root` is valid even when it holds no
/// declaration (a file with only a package comment, a `docs/` directory).
pub(crate) fn resolve_focus(inv: &Inventory, targets: &[String], root: &Path) -> Focus {
    let mut focus = Focus::default();
    for t in targets {
        let t = t.trim().trim_start_matches("./").trim_end_matches('/');
        let mut matched = false;
        let under =
            |f: &str| f == t || (f.starts_with(t) && f.as_bytes().get(t.len()) == Some(&b'/'));
        for p in &inv.packages {
            if p.path == t || p.name == t || p.dir == t || p.path.ends_with(&format!("/{t}")) {
                focus.files.extend(p.files.iter().cloned());
                focus.whole_files.extend(p.files.iter().cloned());
                matched = true;
            }
            let files = p.files.iter().filter(|f| under(f));
            for f in files {
                focus.files.insert(f.clone());
                focus.whole_files.insert(f.clone());
                matched = true;
            }
            matched |= p.test_files.iter().any(|f| under(f));
        }
        for i in &inv.items {
            if under(&i.file) {
                focus.files.insert(i.file.clone());
                focus.whole_files.insert(i.file.clone());
                matched = true;
            }
            let qualified = i.parent.as_ref().map(|p| format!("{p}.{}", i.name));
            if i.name == t || qualified.as_deref() == Some(t) {
                focus.symbols.insert(t.to_string());
                focus.files.insert(i.file.clone());
                matched = true;
            }
        }
        if !matched && !t.is_empty() && !t.split('/').any(|c| c == "..") && root.join(t).exists() {
            matched = true;
        }
        if !matched {
            focus.unmatched.push(t.to_string());
        }
    }
    focus
}

fn is_focus_item(focus: &Focus, item: &Item) -> bool {
    let qualified = item.parent.as_ref().map(|p| format!("{p}.{}", item.name));
    focus.whole_files.contains(&item.file)
        || focus.symbols.contains(&item.name)
        || qualified.is_some_and(|q| focus.symbols.contains(&q))
}

/// Private (Go unexported, Rust anything but `pub` and trait-impl items),
/// a `mod` declaration, or declared in a test shim.
pub(crate) fn is_minor(item: &Item) -> bool {
    let private = !matches!(item.visibility.as_str(), "exported" | "pub" | "impl");
    let shim = item.file.split('/').any(|c| {
        let stem = c
            .strip_suffix(".rs")
            .or_else(|| c.strip_suffix(".go"))
            .unwrap_or(c);
        SHIM_NAMES.contains(&stem)
            || stem.ends_with("_mock")
            || stem.starts_with("mock_")
            || stem.ends_with("_testing")
    });
    private || shim || item.kind == "mod"
}

/// Rank every item of `inv`, most central first. Ties: the public API first,
/// then the unpersonalised rank of the item's file, then the inventory's
/// order (file, line, column, kind, name).
pub(crate) fn rank(inv: &Inventory, uses: &[ItemUse], focus: &Focus) -> Vec<Ranked> {
    // Files are the graph's nodes.
    let mut files: BTreeSet<&str> = inv.items.iter().map(|i| i.file.as_str()).collect();
    files.extend(uses.iter().map(|u| u.file.as_str()));
    let index: BTreeMap<&str, usize> = files.iter().enumerate().map(|(i, f)| (*f, i)).collect();

    // (from file, to item, weight); a file's uses of its own declarations do
    // not count.
    let item_edges: Vec<(usize, usize, f64)> = uses
        .iter()
        .filter(|u| u.item < inv.items.len() && inv.items[u.item].file != u.file)
        .map(|u| {
            (
                index[u.file.as_str()],
                u.item,
                f64::from(u.count.max(1)).sqrt(),
            )
        })
        .collect();
    let file_edges: Vec<(usize, usize, f64)> = item_edges
        .iter()
        .map(|&(from, item, w)| (from, index[inv.items[item].file.as_str()], w))
        .collect();
    let personal: Vec<f64> = files
        .iter()
        .map(|f| if focus.files.contains(*f) { 1.0 } else { 0.0 })
        .collect();
    let file_rank = pagerank(files.len(), &file_edges, Some(&personal));

    // A file's rank flows to the items it references, in proportion.
    let mut out_weight = vec![0.0f64; files.len()];
    for &(from, _, w) in &item_edges {
        out_weight[from] += w;
    }
    let mut items_in_file = vec![0usize; files.len()];
    for item in &inv.items {
        items_in_file[index[item.file.as_str()]] += 1;
    }
    // Only focus files share their rank with their own declarations: without
    // a focus, a declaration nothing references ranks last.
    let mut score: Vec<f64> = inv
        .items
        .iter()
        .map(|item| {
            let f = index[item.file.as_str()];
            if focus.files.contains(&item.file) {
                OWN_FILE_SHARE * file_rank[f] / items_in_file[f].max(1) as f64
            } else {
                0.0
            }
        })
        .collect();
    for &(from, item, w) in &item_edges {
        score[item] += (1.0 - OWN_FILE_SHARE) * file_rank[from] * w / out_weight[from];
    }
    let global_rank = if focus.files.is_empty() {
        file_rank.clone()
    } else {
        pagerank(files.len(), &file_edges, None)
    };
    let mut ranked: Vec<Ranked> = score
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let item = &inv.items[i];
            let focus = is_focus_item(focus, item);
            let minor = !focus && is_minor(item);
            let weight = if minor { MINOR_WEIGHT } else { 1.0 };
            let f = index[item.file.as_str()];
            Ranked {
                item: i,
                score: s * weight,
                prior: weight * global_rank[f] / items_in_file[f].max(1) as f64,
                focus,
            }
        })
        .collect();
    // Total order: score, then the public API before minor items, then the
    // prior (how central the file is), then the inventory's order (file,
    // line, column, kind, name).
    ranked.sort_by(|a, b| {
        let (ia, ib) = (&inv.items[a.item], &inv.items[b.item]);
        b.score
            .total_cmp(&a.score)
            .then_with(|| is_minor(ia).cmp(&is_minor(ib)))
            .then(b.prior.total_cmp(&a.prior))
            .then(a.item.cmp(&b.item))
    });
    ranked
}

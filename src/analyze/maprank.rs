//! Ranks declarations for the budgeted map: PageRank over the graph of files
//! that reference declarations of other files, personalised towards `--focus`.
//!
//! A reference `(qualifier, name)` in file A resolves to every declaration
//! named `name` whose package matches the qualifier (when written); the edge
//! weight is split evenly among the candidates, so an ambiguous name counts
//! once, not once per candidate. Ties are broken by path and line.

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

/// The names one file references.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FileRefs {
    pub file: String,
    /// The package of the file.
    pub package: String,
    /// `(qualifier, name)`: `pkg.Name` → `(Some("pkg"), "Name")`.
    pub refs: Vec<(Option<String>, String)>,
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
pub(crate) fn rank(inv: &Inventory, refs: &[FileRefs], focus: &Focus) -> Vec<Ranked> {
    // Files are the graph's nodes.
    let mut files: BTreeSet<&str> = inv.items.iter().map(|i| i.file.as_str()).collect();
    files.extend(refs.iter().map(|r| r.file.as_str()));
    let index: BTreeMap<&str, usize> = files.iter().enumerate().map(|(i, f)| (*f, i)).collect();

    // name -> items declaring it
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, item) in inv.items.iter().enumerate() {
        by_name.entry(item.name.as_str()).or_default().push(i);
    }
    let package_name: BTreeMap<&str, &str> = inv
        .packages
        .iter()
        .map(|p| (p.path.as_str(), p.name.as_str()))
        .collect();

    // (from file, to item, weight)
    let mut item_edges: Vec<(usize, usize, f64)> = Vec::new();
    let package_names: BTreeSet<&str> = package_name.values().copied().collect();
    for fr in refs {
        let Some(&from) = index.get(fr.file.as_str()) else {
            continue;
        };
        let qualified: BTreeSet<&str> = fr
            .refs
            .iter()
            .filter(|(q, _)| q.is_some())
            .map(|(_, n)| n.as_str())
            .collect();
        for (qualifier, name) in &fr.refs {
            // A qualified use's last name is also captured bare: count it once.
            if qualifier.is_none() && qualified.contains(name.as_str()) {
                continue;
            }
            let Some(all) = by_name.get(name.as_str()) else {
                continue;
            };
            let cands = resolve(
                inv,
                all,
                qualifier.as_deref(),
                fr,
                &package_name,
                &package_names,
            );
            let cands: Vec<usize> = cands
                .into_iter()
                .filter(|&c| inv.items[c].file != fr.file)
                .collect();
            if cands.is_empty() {
                continue;
            }
            let w = 1.0 / cands.len() as f64;
            item_edges.extend(cands.into_iter().map(|c| (from, c, w)));
        }
    }
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

/// The declarations a reference can mean:
/// - `pkg.Name` / `module::Name`: the non-member items of packages so named;
/// - `Type::name` / `x.name`: members of `Type`, else a member unique by name;
/// - a bare name: items of the file's own package, else non-member items of
///   any package, else a member unique by name (a method call).
fn resolve(
    inv: &Inventory,
    all: &[usize],
    qualifier: Option<&str>,
    from: &FileRefs,
    package_name: &BTreeMap<&str, &str>,
    package_names: &BTreeSet<&str>,
) -> Vec<usize> {
    let items = &inv.items;
    let unique_member = || -> Vec<usize> {
        let members: Vec<usize> = all
            .iter()
            .copied()
            .filter(|&c| items[c].parent.is_some())
            .collect();
        if members.len() == 1 {
            members
        } else {
            Vec::new()
        }
    };
    let top_level = |c: &usize| items[*c].parent.is_none();
    match qualifier {
        Some(q) => {
            let last = q.rsplit("::").next().unwrap_or(q);
            let last = last.rsplit('.').next().unwrap_or(last);
            let in_package = |c: &usize| {
                let p = items[*c].package.as_str();
                package_name.get(p).is_some_and(|n| *n == last)
                    || p.rsplit(['/', ':']).next() == Some(last)
            };
            if package_names.contains(last) || last == "crate" || last == "self" || last == "super"
            {
                let v: Vec<usize> = all
                    .iter()
                    .copied()
                    .filter(top_level)
                    .filter(in_package)
                    .collect();
                if !v.is_empty() || package_names.contains(last) {
                    return v;
                }
            }
            let owned: Vec<usize> = all
                .iter()
                .copied()
                .filter(|&c| items[c].parent.as_deref() == Some(last))
                .collect();
            if owned.is_empty() {
                unique_member()
            } else {
                owned
            }
        }
        None => {
            let own: Vec<usize> = all
                .iter()
                .copied()
                .filter(top_level)
                .filter(|&c| items[c].package == from.package)
                .collect();
            if !own.is_empty() {
                return own;
            }
            let anywhere: Vec<usize> = all.iter().copied().filter(top_level).collect();
            if anywhere.is_empty() {
                unique_member()
            } else {
                anywhere
            }
        }
    }
}

//! Ranks the repository's types by how much of the codebase uses them:
//! references from files of *other* packages.
//!
//! Go references are `pkg.Name` selectors whose `pkg` is the local name of an
//! import of the type's package (exact up to shadowing). Rust references are
//! type names and path segments matched by name in packages of crates that
//! can see the type (its own crate, or crates that `use` it): inferred.
//!
//! Order (total): referencing packages, descending; referencing files,
//! descending; interfaces and traits before other kinds; then package path,
//! name, file and line ascending.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use crate::lang::{lang_by_name, PackageRule};
use crate::model::{Inventory, Item};
use crate::relate::Graph;

/// Item kinds that are types.
pub(crate) const TYPE_KINDS: &[&str] = &["interface", "trait", "struct", "enum", "union", "type"];
/// Kinds that define a contract (ranked first among equals).
pub(crate) const CONTRACT_KINDS: &[&str] = &["interface", "trait"];

/// A type and how much other packages use it.
#[derive(Debug, Clone)]
pub(crate) struct Ranked<'a> {
    pub item: &'a Item,
    /// Distinct other packages with a reference.
    pub packages: usize,
    /// Distinct files of other packages with a reference.
    pub files: usize,
}

/// Every non-test type of the inventory, most used first (order in the module doc).
pub(crate) fn rank<'a>(inv: &'a Inventory, graph: &Graph) -> Vec<Ranked<'a>> {
    // Go: local import name → package path, per file; package path → name.
    let pkg_name: BTreeMap<&str, &str> = inv
        .packages
        .iter()
        .map(|p| (p.path.as_str(), p.name.as_str()))
        .collect();
    // (package, name) → referencing (package, file) pairs.
    let mut hits: BTreeMap<(String, String), BTreeSet<(String, String)>> = BTreeMap::new();
    let crate_of: BTreeMap<&str, &str> = inv
        .packages
        .iter()
        .filter_map(|p| p.crate_name.as_deref().map(|c| (p.path.as_str(), c)))
        .collect();
    // Rust: which crates each crate uses (from the graph), itself included.
    let mut sees: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (from, deps) in &graph.deps {
        let Some(fc) = crate_of.get(from.as_str()) else {
            continue;
        };
        let entry = sees.entry(fc).or_default();
        entry.insert(fc);
        for d in deps.keys() {
            if let Some(dc) = crate_of.get(d.as_str()) {
                entry.insert(dc);
            }
        }
    }
    // Rust type names → declaring packages.
    let mut rust_types: BTreeMap<&str, Vec<&Item>> = BTreeMap::new();
    for i in inv
        .items
        .iter()
        .filter(|i| is_rankable(i) && rule(i) == Some(PackageRule::ModuleTree))
    {
        rust_types.entry(i.name.as_str()).or_default().push(i);
    }
    for notes in &inv.notes {
        match lang_by_name(&notes.language).map(|l| l.packages) {
            Some(PackageRule::Directory) => {
                let mut local: BTreeMap<String, &str> = BTreeMap::new();
                for imp in &notes.imports {
                    let Some(name) = imp
                        .alias
                        .clone()
                        .or_else(|| pkg_name.get(imp.path.as_str()).map(|n| n.to_string()))
                    else {
                        continue;
                    };
                    if pkg_name.contains_key(imp.path.as_str()) {
                        local.insert(
                            name,
                            pkg_name
                                .get_key_value(imp.path.as_str())
                                .map_or("", |(k, _)| k),
                        );
                    }
                }
                for r in &notes.references {
                    let Some(q) = &r.qualifier else { continue };
                    if let Some(target) = local.get(q) {
                        if *target != notes.package {
                            hits.entry((target.to_string(), r.name.clone()))
                                .or_default()
                                .insert((notes.package.clone(), notes.file.clone()));
                        }
                    }
                }
            }
            Some(PackageRule::ModuleTree) => {
                let here = crate_of.get(notes.package.as_str()).copied().unwrap_or("");
                for r in &notes.references {
                    for decl in rust_types.get(r.name.as_str()).into_iter().flatten() {
                        let their = crate_of.get(decl.package.as_str()).copied().unwrap_or("");
                        let visible =
                            here == their || sees.get(here).is_some_and(|s| s.contains(their));
                        if decl.package != notes.package && visible {
                            hits.entry((decl.package.clone(), r.name.clone()))
                                .or_default()
                                .insert((notes.package.clone(), notes.file.clone()));
                        }
                    }
                }
            }
            None => {}
        }
    }
    let mut out: Vec<Ranked> = inv
        .items
        .iter()
        .filter(|i| is_rankable(i))
        .map(|item| {
            let h = hits.get(&(item.package.clone(), item.name.clone()));
            let packages = h.map_or(0, |h| {
                h.iter().map(|(p, _)| p).collect::<BTreeSet<_>>().len()
            });
            Ranked {
                item,
                packages,
                files: h.map_or(0, BTreeSet::len),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        let key = |r: &Ranked<'a>| {
            (
                Reverse(r.packages),
                Reverse(r.files),
                !CONTRACT_KINDS.contains(&r.item.kind.as_str()),
                r.item.package.clone(),
                r.item.name.clone(),
                r.item.file.clone(),
                r.item.line,
            )
        };
        key(a).cmp(&key(b))
    });
    out
}

fn rule(i: &Item) -> Option<PackageRule> {
    lang_by_name(&i.language).map(|l| l.packages)
}

/// Package-level, non-test types (not associated types of impls or traits).
fn is_rankable(i: &Item) -> bool {
    TYPE_KINDS.contains(&i.kind.as_str()) && !i.test && i.parent.is_none()
}

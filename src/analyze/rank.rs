//! Ranks the repository's types by how much of the codebase uses them:
//! references from files of *other* packages.
//!
//! Go references are `pkg.Name` selectors whose `pkg` is the local name of an
//! import of the type's package (exact up to shadowing). Rust references are
//! type names and path segments resolved through the file's `use` bindings
//! and `crate::`/`super::`/`self::`/crate-name qualifiers to a module that is
//! the type's or an ancestor of it (re-exports): inferred, since macros,
//! shadowing and re-exports from elsewhere are not followed.
//!
//! Order (total): referencing packages, descending; referencing files,
//! descending; interfaces and traits before other kinds; then package path,
//! name, file and line ascending.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use crate::analyze::relate::{absolute, use_bindings};
use crate::model::{Inventory, Item, Reference};
use crate::scan::lang::{lang_by_name, PackageRule};

pub(crate) use crate::model::{CONTRACT_KINDS, TYPE_KINDS};

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
pub(crate) fn rank<'a>(inv: &'a Inventory) -> Vec<Ranked<'a>> {
    // Go: local import name → package path, per file; package path → name.
    let pkg_name: BTreeMap<&str, &str> = inv
        .packages
        .iter()
        .map(|p| (p.path.as_str(), p.name.as_str()))
        .collect();
    // (package, name) → referencing (package, file) pairs.
    let mut hits: BTreeMap<(String, String), BTreeSet<(String, String)>> = BTreeMap::new();
    let crates: BTreeSet<&str> = inv
        .packages
        .iter()
        .filter_map(|p| p.crate_name.as_deref())
        .collect();
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
                // Local names bound by `use` (renames included) and globbed modules.
                let mut bound: BTreeMap<String, String> = BTreeMap::new();
                let mut globs: Vec<String> = Vec::new();
                for imp in &notes.imports {
                    for b in use_bindings(&imp.path) {
                        let Some(abs) = absolute(&b.segs, &notes.package, &crates) else {
                            continue;
                        };
                        match b.local {
                            Some(local) => {
                                bound.insert(local, abs);
                            }
                            None => globs.push(abs),
                        }
                    }
                }
                for r in &notes.references {
                    let Some(decls) = rust_types.get(r.name.as_str()) else {
                        continue;
                    };
                    let modules = referenced_modules(r, &bound, &globs, &notes.package, &crates);
                    for decl in decls.iter().filter(|d| d.package != notes.package) {
                        let hit = modules.iter().any(|m| {
                            decl.package == *m || decl.package.starts_with(&format!("{m}::"))
                        });
                        if hit {
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

/// The modules a Rust reference may name: the module of its `use` binding or
/// of its resolved qualifier; unqualified names not bound by `use` may come
/// from a glob import. A declaration in that module, or below it (re-exported
/// upwards, as crates do), is the one referenced.
fn referenced_modules(
    r: &Reference,
    bound: &BTreeMap<String, String>,
    globs: &[String],
    here: &str,
    crates: &BTreeSet<&str>,
) -> Vec<String> {
    let parent = |abs: &str| {
        abs.rsplit_once("::")
            .map_or(abs.to_string(), |(m, _)| m.to_string())
    };
    match &r.qualifier {
        None => match bound.get(&r.name) {
            Some(abs) => vec![parent(abs)],
            None => globs.to_vec(),
        },
        Some(q) => {
            let segs: Vec<String> = q.split("::").map(|s| s.trim().to_string()).collect();
            let Some(first) = segs.first() else {
                return Vec::new();
            };
            if let Some(abs) = bound.get(first) {
                let mut path = abs.clone();
                for s in &segs[1..] {
                    path.push_str("::");
                    path.push_str(s);
                }
                vec![path]
            } else if matches!(first.as_str(), "crate" | "self" | "super")
                || crates.contains(first.as_str())
            {
                absolute(&segs, here, crates).into_iter().collect()
            } else {
                Vec::new()
            }
        }
    }
}

fn rule(i: &Item) -> Option<PackageRule> {
    lang_by_name(&i.language).map(|l| l.packages)
}

/// Package-level, non-test types (not associated types of impls or traits).
fn is_rankable(i: &Item) -> bool {
    TYPE_KINDS.contains(&i.kind.as_str()) && !i.test && i.parent.is_none()
}

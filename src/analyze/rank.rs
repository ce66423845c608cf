//! Ranks the repository's types by how much of the codebase uses them:
//! exact uses, from the symbol graph, in non-test files of *other* packages.
//! A use of the type itself, of one of its members (methods, fields,
//! variants, associated items) or of a Go function returning it counts;
//! inferred uses (matched by name) never do.
//!
//! Order (total): referencing packages, descending; referencing files,
//! descending; interfaces and traits before other kinds; then package path,
//! name, file and line ascending.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Inventory, Item};
use crate::resolve::decls::Decls;
use crate::resolve::graph::{SymbolGraph, TypeUsers};

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

/// Every non-test type of the inventory, most used first (order in the
/// module doc). `users` are the exact uses of each type from other packages
/// ([`crate::resolve::graph::type_users`]).
pub(crate) fn rank<'a>(inv: &'a Inventory, users: &TypeUsers) -> Vec<Ranked<'a>> {
    let hits = users;
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

/// Package-level, non-test types (not associated types of impls or traits).
fn is_rankable(i: &Item) -> bool {
    TYPE_KINDS.contains(&i.kind.as_str()) && !i.test && i.parent.is_none()
}

/// How many non-test files other than its own use each declaration
/// exactly, by the declaration's (file, line): what orders the report's
/// functions, most used first.
pub(crate) type FileUsers = BTreeMap<(String, u32), usize>;

/// The [`FileUsers`] of every declaration the graph's exact uses name.
pub(crate) fn file_users(graph: &SymbolGraph, decls: &Decls) -> FileUsers {
    let mut files: BTreeMap<(&str, u32), BTreeSet<&str>> = BTreeMap::new();
    for u in graph.exact() {
        if u.test() {
            continue;
        }
        let Some(d) = decls.get_key(u.key()) else {
            continue;
        };
        if d.file != u.file() {
            files
                .entry((d.file.as_str(), d.line))
                .or_default()
                .insert(u.file());
        }
    }
    files
        .into_iter()
        .map(|((f, l), users)| ((f.to_string(), l), users.len()))
        .collect()
}

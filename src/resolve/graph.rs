//! The symbol graph: every use of every repository declaration in the files a
//! run reads, each `exact` (resolved through scope: imports, `use` lists,
//! bindings, field types, `Self`) or `inferred` (a method call whose receiver
//! is unknown, matched by name to the one type that declares it). Built once
//! per run by the one resolver ([`super::find`]); the report's ranking and
//! sites read it, and `refs` runs the same resolver over its symbols.
//!
//! Inferred uses are kept (they are shown, labelled) but never counted: the
//! counts here read exact uses only.

use std::collections::{BTreeMap, BTreeSet};

use super::decls::{Class, Decl, Decls};
use super::find::Hit;
use crate::model::Inventory;

/// Every use, sorted by file, line, column, kind and symbol, each with the key
/// of the declaration it names.
#[derive(Debug, Default)]
pub(crate) struct SymbolGraph {
    pub uses: Vec<(String, Hit)>,
}

impl SymbolGraph {
    /// The graph of these uses (sorted and deduplicated here).
    pub(crate) fn new(mut uses: Vec<(String, Hit)>) -> SymbolGraph {
        uses.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        uses.dedup();
        SymbolGraph { uses }
    }

    /// Exact uses only.
    pub(crate) fn exact(&self) -> impl Iterator<Item = (&str, &Hit)> {
        self.uses
            .iter()
            .filter(|(_, h)| !h.inferred)
            .map(|(k, h)| (k.as_str(), h))
    }
}

/// Who uses a type: (package, file) pairs of non-test code outside the
/// type's own package, by (package, type name).
pub(crate) type TypeUsers = BTreeMap<(String, String), BTreeSet<(String, String)>>;

/// The exact, non-test uses of each type from other packages. A use of a
/// type's member (method, field, variant, associated item) or of a Go
/// function returning it (a constructor, `store.New()`) is a use of the type:
/// a package that only calls `s := store.New(); s.Put(k, v)` uses `Store`.
pub(crate) fn type_users(graph: &SymbolGraph, decls: &Decls, inv: &Inventory) -> TypeUsers {
    let package_of: BTreeMap<&str, &str> = inv
        .packages
        .iter()
        .flat_map(|p| {
            p.files
                .iter()
                .chain(&p.test_files)
                .map(move |f| (f.as_str(), p.path.as_str()))
        })
        .collect();
    let mut owner_cache: BTreeMap<&str, Vec<&Decl>> = BTreeMap::new();
    let mut out = TypeUsers::new();
    for (key, hit) in graph.exact() {
        if hit.test {
            continue;
        }
        let Some(&from) = package_of.get(hit.file.as_str()) else {
            continue;
        };
        let types = owner_cache.entry(key).or_insert_with(|| {
            decls
                .get_key(key)
                .map_or(Vec::new(), |d| owning_types(decls, d))
        });
        for ty in types.iter() {
            let Some(&item_package) = package_of.get(ty.file.as_str()) else {
                continue;
            };
            if item_package == from {
                continue;
            }
            out.entry((item_package.to_string(), ty.name.clone()))
                .or_default()
                .insert((from.to_string(), hit.file.clone()));
        }
    }
    out
}

/// The package-level types a declaration stands for: itself, the type it is
/// a member of (and, for a method of a trait impl, the trait, when one
/// trait of the crate has that name), or (Go) the type a package-level
/// function returns.
fn owning_types<'d>(decls: &'d Decls, d: &'d Decl) -> Vec<&'d Decl> {
    let mut out = owning_type(decls, d).into_iter().collect::<Vec<_>>();
    if let Some(tr) = &d.trait_impl {
        let mut traits = decls
            .types_named(tr)
            .filter(|t| t.kind == "trait" && t.path.first() == d.path.first());
        if let (Some(t), None) = (traits.next(), traits.next()) {
            out.push(t);
        }
    }
    out
}

fn owning_type<'d>(decls: &'d Decls, d: &'d Decl) -> Option<&'d Decl> {
    let is_top_type = |t: &Decl| t.class == Class::Type && t.parent.is_none();
    if is_top_type(d) {
        return Some(d);
    }
    if d.path.len() > 1 {
        if let Some(owner) = decls.get(&d.path[..d.path.len() - 1]) {
            if is_top_type(owner) {
                return Some(owner);
            }
        }
    }
    if d.class == Class::Func && d.spec.refs.closed_world {
        let result = super::find::result_type(&d.name, &d.signature)?;
        let base = result.trim_start_matches('*');
        if base.contains(['.', '[', ' ']) || base.is_empty() {
            return None;
        }
        let mut p = d.path[..d.path.len() - 1].to_vec();
        p.push(base.to_string());
        return decls.get(&p).filter(|t| is_top_type(t));
    }
    None
}

//! The symbol graph: every use of every repository declaration in the files a
//! run reads, each `exact` (resolved through scope: imports, `use` lists,
//! bindings, field types, `Self`) or `inferred` (a method call whose receiver
//! is unknown, matched by name to the one type that declares it). Built once
//! per run by the one resolver ([`super::find`]); the report's ranking and
//! sites read it, and `refs` runs the same resolver over its symbols.
//!
//! Inferred uses are kept (they are shown, labelled) but never counted: the
//! counts here read exact uses only.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use super::decls::{Class, Decl, Decls};
use super::find::{Hit, HitKind};
use crate::model::Inventory;
use crate::util::idhash::IdMap;

/// No detail kept for a use.
const NO_DETAIL: u32 = u32::MAX;

/// Every use, sorted by file, line, column, kind and symbol, each with the key
/// of the declaration it names. Compact: a use is a few numbers (ids of its
/// file and declaration key in the graph's tables); only the uses the report
/// can list keep their symbol, source line, enclosing function and
/// candidates (their [`Detail`]). A large repository's graph holds over a
/// hundred thousand uses.
#[derive(Debug, Default)]
pub(crate) struct SymbolGraph {
    /// Declaration keys, by id.
    keys: Vec<String>,
    /// Repo-relative paths, by id; ids are in path order.
    files: Vec<String>,
    uses: Vec<Use>,
    details: Vec<Detail>,
}

/// One use in the graph.
#[derive(Debug, Clone, Copy)]
struct Use {
    key: u32,
    file: u32,
    line: u32,
    column: u32,
    /// Index in `details`, or [`NO_DETAIL`].
    detail: u32,
    kind: HitKind,
    inferred: bool,
    test: bool,
    empty: Option<bool>,
}

/// What a listed use shows besides where it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Detail {
    symbol: String,
    candidates: Vec<String>,
    enclosing: Option<String>,
    source: String,
}

/// The detail of a use that keeps none.
static NO_DETAILS: Detail = Detail {
    symbol: String::new(),
    candidates: Vec::new(),
    enclosing: None,
    source: String::new(),
};

/// The uses of one file, ready to join a graph: each key once, uses naming
/// their key by its index here.
#[derive(Debug, Default)]
pub(crate) struct FileGraph {
    keys: Vec<String>,
    uses: Vec<Use>,
    details: Vec<Detail>,
}

impl FileGraph {
    /// The compact form of one file's `uses` (all in that file): the symbol,
    /// source line, enclosing function and candidates of a use are kept only
    /// when `listed(key, hit)`.
    pub(crate) fn new(
        uses: Vec<(String, Hit)>,
        mut listed: impl FnMut(&str, &Hit) -> bool,
    ) -> FileGraph {
        let mut out = FileGraph::default();
        let mut key_ids: IdMap<String, u32> = IdMap::default();
        for (key, h) in uses {
            let detail = if listed(&key, &h) {
                out.details.push(Detail {
                    symbol: h.symbol,
                    candidates: h.candidates,
                    enclosing: h.enclosing,
                    source: h.source,
                });
                id(out.details.len() - 1)
            } else {
                NO_DETAIL
            };
            let next = id(out.keys.len());
            let key = match key_ids.get(&key) {
                Some(&k) => k,
                None => {
                    out.keys.push(key.clone());
                    key_ids.insert(key, next);
                    next
                }
            };
            out.uses.push(Use {
                key,
                file: 0,
                line: h.line,
                column: h.column,
                detail,
                kind: h.kind,
                inferred: h.inferred,
                test: h.test,
                empty: h.empty,
            });
        }
        out
    }
}

/// A count or index as a `u32` id (a graph holds far fewer than 4 billion of anything).
fn id(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One use read from the graph.
#[derive(Clone, Copy)]
pub(crate) struct UseRef<'g> {
    graph: &'g SymbolGraph,
    at: &'g Use,
}

impl<'g> UseRef<'g> {
    /// The key of the declaration it names.
    pub(crate) fn key(&self) -> &'g str {
        &self.graph.keys[self.at.key as usize]
    }

    /// Repo-relative path of its file.
    pub(crate) fn file(&self) -> &'g str {
        &self.graph.files[self.at.file as usize]
    }

    pub(crate) fn kind(&self) -> HitKind {
        self.at.kind
    }

    /// Whether it is in test code.
    pub(crate) fn test(&self) -> bool {
        self.at.test
    }

    /// The use as the resolver reported it (symbol, source line, enclosing
    /// function and candidates empty unless the graph kept them).
    pub(crate) fn hit(&self) -> Hit {
        let u = self.at;
        let d = self.graph.detail(u).clone();
        Hit {
            file: self.file().to_string(),
            line: u.line,
            column: u.column,
            kind: u.kind,
            symbol: d.symbol,
            inferred: u.inferred,
            candidates: d.candidates,
            enclosing: d.enclosing,
            test: u.test,
            empty: u.empty,
            source: d.source,
        }
    }
}

impl SymbolGraph {
    /// The graph of every file's uses: `files` holds (path, uses) pairs (sorted
    /// and deduplicated here, in the order of [`Hit`] then key).
    pub(crate) fn new(files: Vec<(String, FileGraph)>) -> SymbolGraph {
        let mut files = files;
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut g = SymbolGraph::default();
        let mut key_ids: IdMap<String, u32> = IdMap::default();
        for (path, fg) in files {
            let file = id(g.files.len());
            g.files.push(path);
            let keys: Vec<u32> = fg
                .keys
                .into_iter()
                .map(|k| {
                    let next = id(g.keys.len());
                    *key_ids.entry(k).or_insert_with_key(|k| {
                        g.keys.push(k.clone());
                        next
                    })
                })
                .collect();
            let base = id(g.details.len());
            g.details.extend(fg.details);
            g.uses.extend(fg.uses.into_iter().map(|u| Use {
                key: keys[u.key as usize],
                file,
                detail: if u.detail == NO_DETAIL {
                    NO_DETAIL
                } else {
                    base + u.detail
                },
                ..u
            }));
        }
        let mut uses = std::mem::take(&mut g.uses);
        uses.sort_by(|a, b| g.order(a, b));
        uses.dedup_by(|a, b| g.order(a, b) == Ordering::Equal);
        uses.shrink_to_fit();
        g.uses = uses;
        g
    }

    fn detail(&self, u: &Use) -> &Detail {
        self.details.get(u.detail as usize).unwrap_or(&NO_DETAILS)
    }

    /// The order of uses as [`Hit`]s (file, line, column, kind, symbol, …), then by key.
    fn order(&self, a: &Use, b: &Use) -> Ordering {
        let (da, db) = (self.detail(a), self.detail(b));
        // File ids are in path order.
        (a.file, a.line, a.column, a.kind)
            .cmp(&(b.file, b.line, b.column, b.kind))
            .then_with(|| da.symbol.cmp(&db.symbol))
            .then_with(|| a.inferred.cmp(&b.inferred))
            .then_with(|| da.candidates.cmp(&db.candidates))
            .then_with(|| da.enclosing.cmp(&db.enclosing))
            .then_with(|| (a.test, a.empty).cmp(&(b.test, b.empty)))
            .then_with(|| da.source.cmp(&db.source))
            .then_with(|| self.keys[a.key as usize].cmp(&self.keys[b.key as usize]))
    }

    /// Exact uses only.
    pub(crate) fn exact(&self) -> impl Iterator<Item = UseRef<'_>> {
        self.uses
            .iter()
            .filter(|u| !u.inferred)
            .map(move |at| UseRef { graph: self, at })
    }

    /// How many uses the graph holds, and the bytes its tables take (for `--stats`).
    pub(crate) fn size(&self) -> (usize, usize) {
        let strings = |v: &[String]| v.iter().map(|s| s.capacity() + 24).sum::<usize>();
        let details = self
            .details
            .iter()
            .map(|d| {
                std::mem::size_of::<Detail>()
                    + d.symbol.capacity()
                    + d.source.capacity()
                    + d.enclosing.as_ref().map_or(0, String::capacity)
                    + strings(&d.candidates)
            })
            .sum::<usize>();
        (
            self.uses.len(),
            self.uses.capacity() * std::mem::size_of::<Use>()
                + strings(&self.keys)
                + strings(&self.files)
                + details,
        )
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
    for u in graph.exact() {
        if u.test() {
            continue;
        }
        let key = u.key();
        let Some(&from) = package_of.get(u.file()) else {
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
                .insert((from.to_string(), u.file().to_string()));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(file: &str, line: u32, kind: HitKind, symbol: &str, inferred: bool) -> Hit {
        Hit {
            file: file.to_string(),
            line,
            column: 1,
            kind,
            symbol: symbol.to_string(),
            inferred,
            candidates: Vec::new(),
            enclosing: Some("main".to_string()),
            test: false,
            empty: None,
            source: format!("{symbol}()"),
        }
    }

    #[test]
    fn uses_are_sorted_deduplicated_and_keep_details_only_when_listed() {
        let b = vec![
            (
                "p::Store::Put".to_string(),
                hit("b.go", 9, HitKind::Call, "p.Store.Put", false),
            ),
            (
                "p::Store::Put".to_string(),
                hit("b.go", 3, HitKind::Call, "p.Store.Put", false),
            ),
            (
                "p::Store::Put".to_string(),
                hit("b.go", 3, HitKind::Call, "p.Store.Put", false),
            ),
            (
                "p::helper".to_string(),
                hit("b.go", 3, HitKind::Call, "p.helper", false),
            ),
            (
                "p::Get".to_string(),
                hit("b.go", 5, HitKind::Call, "p.Get", true),
            ),
        ];
        let a = vec![(
            "p::Store".to_string(),
            hit("a.go", 7, HitKind::Type, "p.Store", false),
        )];
        let listed = |key: &str, _: &Hit| key == "p::Store::Put";
        let graph = SymbolGraph::new(vec![
            ("b.go".to_string(), FileGraph::new(b, listed)),
            ("a.go".to_string(), FileGraph::new(a, listed)),
        ]);
        let exact: Vec<(String, Hit)> = graph
            .exact()
            .map(|u| (u.key().to_string(), u.hit()))
            .collect();
        let at: Vec<(&str, &str, u32)> = exact
            .iter()
            .map(|(k, h)| (k.as_str(), h.file.as_str(), h.line))
            .collect();
        // The duplicate is gone, the inferred use is not exact, and at one
        // position the use without a symbol sorts first (as a slimmed `Hit`).
        assert_eq!(
            at,
            [
                ("p::Store", "a.go", 7),
                ("p::helper", "b.go", 3),
                ("p::Store::Put", "b.go", 3),
                ("p::Store::Put", "b.go", 9),
            ]
        );
        assert_eq!(
            exact[2].1,
            hit("b.go", 3, HitKind::Call, "p.Store.Put", false)
        );
        let unlisted = &exact[1].1;
        assert_eq!(
            (unlisted.symbol.as_str(), unlisted.source.as_str()),
            ("", "")
        );
        assert_eq!(unlisted.enclosing, None);
        assert_eq!(graph.size().0, 5);
    }
}

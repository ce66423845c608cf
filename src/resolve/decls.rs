//! The declarations of an inventory indexed by full path, and the resolution
//! of a command-line SYMBOL to the declarations it names.
//!
//! A full path is the package's segments (a Go import path is one segment, a
//! Rust module path one segment per module), inline namespaces, the parent type
//! of a method and the name. Keys join the segments with `::`, which no Go
//! import path contains.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{cite, Inventory};
use crate::scan::lang::{lang_by_name, LangSpec};
use crate::scan::syntax::base_type_name;
use crate::util::idhash::{IdMap, IdSet};

use super::uses::{parse_use_tree, with_key, Items, UseTable};

/// What a declaration can be referenced as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Class {
    /// A struct, interface, trait, enum, union or named type.
    Type,
    /// A function outside any type.
    Func,
    /// A method, interface method or associated function.
    Method,
    /// A named field of a struct (or union).
    Field,
    /// A variant of an enum.
    Variant,
    /// Anything else (constants, variables, modules, macros).
    Other,
}

/// One declaration with its full path.
#[derive(Debug, Clone)]
pub(crate) struct Decl {
    pub path: Vec<String>,
    pub key: String,
    pub spec: &'static LangSpec,
    pub kind: String,
    pub class: Class,
    pub name: String,
    /// Base name of the type a method belongs to.
    pub parent: Option<String>,
    /// Rust impl methods: the trait they implement.
    pub trait_impl: Option<String>,
    pub file: String,
    pub line: u32,
    pub end_line: u32,
    pub signature: String,
    /// Struct fields: name and written type.
    pub fields: Vec<(String, String)>,
    /// Go interfaces: the interfaces they embed, as written.
    pub embeds: Vec<String>,
}

impl Decl {
    /// The name a user writes: path joined with the language's separator.
    pub(crate) fn display(&self) -> String {
        self.path.join(self.spec.refs.path_sep)
    }

    /// `display` and the declaration's citation.
    pub(crate) fn described(&self) -> String {
        format!(
            "{} ({} at {})",
            self.display(),
            self.kind,
            cite(&self.file, self.line, self.end_line)
        )
    }
}

/// Every declaration of an inventory, indexed. The indexes by key and name
/// are hash maps (lookups only, never iterated: their values keep the
/// declarations' order).
#[derive(Debug, Default)]
pub(crate) struct Decls {
    pub all: Vec<Decl>,
    by_key: IdMap<String, usize>,
    /// Keys of every proper prefix of a declaration path and every package
    /// path (hashed for lookups; sorted where hashed into a fingerprint).
    prefixes: IdSet<String>,
    /// Method name → declarations of methods with that name.
    methods_by_name: IdMap<String, Vec<usize>>,
    /// (parent, method) → declarations (Rust impls may sit in another module).
    by_parent_method: IdMap<(String, String), Vec<usize>>,
    /// Name → every declaration with that name.
    by_name: IdMap<String, Vec<usize>>,
    /// (owner's key, field name) → the field.
    fields_by_owner: IdMap<(String, String), usize>,
    /// Type name → declarations of types with that name.
    types_by_name: IdMap<String, Vec<usize>>,
    /// Last element of a package path → package paths.
    packages_by_name: BTreeMap<String, Vec<Vec<String>>>,
    /// File → the segments of the package or module it belongs to.
    file_module: BTreeMap<String, Vec<String>>,
    /// Go file → (qualifier, package) of each import of a repository
    /// package: the alias, else the package's own name.
    go_imports: BTreeMap<String, Vec<(String, Vec<String>)>>,
    /// Every Rust module's `use` declarations.
    uses: UseTable,
    /// Last segment of a renamed use path → the names it is given.
    use_aliases: BTreeMap<String, BTreeSet<String>>,
}

/// Appended to a field's key, which would otherwise be its owner's method's.
const FIELD_KEY_SUFFIX: &str = "::#field";

/// The segments of a package path (`a::b` → `[a, b]`; a Go import path is one segment).
pub(crate) fn package_segments(path: &str) -> Vec<String> {
    path.split("::").map(str::to_string).collect()
}

/// Join segments into a key.
pub(crate) fn key_of(path: &[String]) -> String {
    path.join("::")
}

fn class_of(kind: &str) -> Class {
    match kind {
        "struct" | "interface" | "trait" | "enum" | "union" | "type" => Class::Type,
        "func" | "fn" => Class::Func,
        "method" | "interface_method" => Class::Method,
        _ => Class::Other,
    }
}

/// The written type of a field from its signature: `db *DB` → `*DB`,
/// `pub jobs: Vec<J>` → `Vec<J>`, an embedded `*Foo` → `*Foo`.
fn field_type(name: &str, signature: &str) -> String {
    let bytes = signature.as_bytes();
    let mut from = 0;
    while let Some(at) = signature[from..].find(name).map(|i| i + from) {
        let end = at + name.len();
        let before_ok = at == 0 || !is_ident_byte(bytes[at - 1]);
        let after_ok = end == bytes.len() || !is_ident_byte(bytes[end]);
        if before_ok && after_ok {
            let mut rest = signature[end..].trim_start().trim_start_matches(':').trim();
            // Grouped names (`a, b int`): skip the other names.
            while let Some(r) = rest.strip_prefix(',') {
                rest = r
                    .trim_start()
                    .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_')
                    .trim_start();
            }
            if !rest.is_empty() {
                return rest.to_string();
            }
            break;
        }
        from = end;
    }
    signature.trim().to_string()
}

/// The identifier-like words of `text`: maximal runs of letters, digits and `_`.
pub(crate) fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

pub(crate) fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Decls {
    /// Feed `h` every declaration field, in order, except the lines, and the
    /// package indexes. The indexes by name and key are functions of these,
    /// so two `Decls` that hash alike resolve every reference alike unless
    /// the resolution reads a line (it does not: hits cite the referencing
    /// file only).
    pub(crate) fn hash_without_lines(&self, h: &mut blake3::Hasher) {
        for d in &self.all {
            // Destructured so that a new field must be hashed or left out here on purpose.
            let Decl {
                path,
                key,
                spec,
                kind,
                class,
                name,
                parent,
                trait_impl,
                file,
                line: _,
                end_line: _,
                signature,
                fields,
                embeds,
            } = d;
            h.update(
                format!(
                    "{path:?}{key:?}{:?}{kind:?}{class:?}{name:?}{parent:?}{trait_impl:?}{file:?}{signature:?}{fields:?}{embeds:?}\n",
                    spec.name
                )
                .as_bytes(),
            );
        }
        // Sorted, as when the prefixes were a `BTreeSet`: the same fingerprint.
        let prefixes: BTreeSet<&String> = self.prefixes.iter().collect();
        h.update(
            format!(
                "{:?}{:?}{:?}{:?}{:?}",
                prefixes,
                self.packages_by_name,
                self.file_module,
                self.uses.modules,
                self.go_imports
            )
            .as_bytes(),
        );
    }

    /// Index every item, interface method and package of `inv`.
    pub(crate) fn new(inv: &Inventory) -> Decls {
        let mut d = Decls::default();
        for p in &inv.packages {
            let segs = package_segments(&p.path);
            for i in 1..=segs.len() {
                d.prefixes.insert(key_of(&segs[..i]));
            }
            if let Some(last) = segs.last() {
                let name = last.rsplit('/').next().unwrap_or(last).to_string();
                d.packages_by_name
                    .entry(name)
                    .or_default()
                    .push(segs.clone());
            }
            for f in p.files.iter().chain(&p.test_files) {
                d.file_module
                    .entry(f.clone())
                    .or_insert_with(|| segs.clone());
            }
        }
        d.index_go_imports(inv);
        for item in &inv.items {
            let Some(spec) = lang_by_name(&item.language) else {
                continue;
            };
            let mut path = package_segments(&item.package);
            path.extend(item.namespace.iter().cloned());
            let parent = item.parent.as_deref().map(base_type_name);
            if let Some(p) = &parent {
                path.push(p.clone());
            }
            path.push(item.name.clone());
            let class = class_of(&item.kind);
            let fields = item
                .members
                .iter()
                .filter(|m| m.kind == "field")
                .map(|m| (m.name.clone(), field_type(&m.name, &m.signature)))
                .collect();
            let decl = Decl {
                key: key_of(&path),
                path: path.clone(),
                spec,
                kind: item.kind.clone(),
                class,
                name: item.name.clone(),
                parent,
                trait_impl: item.trait_impl.as_deref().map(base_type_name),
                file: item.file.clone(),
                line: item.line,
                end_line: item.end_line,
                signature: item.signature.clone(),
                fields,
                embeds: item.embeds.iter().map(|e| e.text.clone()).collect(),
            };
            d.push(decl);
            for m in &item.members {
                let class = match m.kind.as_str() {
                    "interface_method" => Class::Method,
                    "field" => Class::Field,
                    "variant" => Class::Variant,
                    _ => continue,
                };
                let mut mpath = path.clone();
                mpath.push(m.name.clone());
                // A field shares its path with a method of the same name
                // (`len` and `fn len`): its key is its own.
                let key = match class {
                    Class::Field => format!("{}{FIELD_KEY_SUFFIX}", key_of(&mpath)),
                    _ => key_of(&mpath),
                };
                let owner_key = key_of(&path);
                let field_key = key.clone();
                d.push(Decl {
                    key,
                    path: mpath,
                    spec,
                    kind: m.kind.clone(),
                    class,
                    name: m.name.clone(),
                    parent: Some(item.name.clone()),
                    trait_impl: None,
                    file: item.file.clone(),
                    line: m.line,
                    end_line: m.end_line,
                    signature: m.signature.clone(),
                    fields: Vec::new(),
                    embeds: Vec::new(),
                });
                if class == Class::Field {
                    if let Some(&idx) = d.by_key.get(&field_key) {
                        d.fields_by_owner
                            .entry((owner_key, m.name.clone()))
                            .or_insert(idx);
                    }
                }
            }
        }
        d.index_uses(inv);
        d
    }

    /// Record each Go file's imports of repository packages under the name
    /// the file writes them with, so a type a declaration writes (`*ast.Task`
    /// in a method's results) is read with its own file's imports: two
    /// packages may share a name (`taskfile/ast`, `taskrc/ast`).
    fn index_go_imports(&mut self, inv: &Inventory) {
        let names: BTreeMap<&str, &str> = inv
            .packages
            .iter()
            .filter(|p| p.language == "go")
            .map(|p| (p.path.as_str(), p.name.as_str()))
            .collect();
        for n in inv.notes.iter().filter(|n| n.language == "go") {
            let imports: Vec<(String, Vec<String>)> = n
                .imports
                .iter()
                .filter_map(|imp| {
                    let own = names.get(imp.path.as_str())?;
                    let qualifier = match imp.alias.as_deref() {
                        Some("_" | ".") => return None,
                        Some(a) => a,
                        None => own,
                    };
                    Some((qualifier.to_string(), package_segments(&imp.path)))
                })
                .collect();
            if !imports.is_empty() {
                self.go_imports.insert(n.file.clone(), imports);
            }
        }
    }

    /// The repository package a Go file imports as `qualifier`.
    pub(crate) fn go_import(&self, file: &str, qualifier: &str) -> Option<&[String]> {
        self.go_imports
            .get(file)?
            .iter()
            .find(|(q, _)| q == qualifier)
            .map(|(_, p)| p.as_slice())
    }

    /// Record the module-level `use` declarations of every Rust file: those
    /// of the file's module, or of the inline module around them. A `use`
    /// inside a function is the function's own and is left out.
    fn index_uses(&mut self, inv: &Inventory) {
        let mut by_file: BTreeMap<&str, Vec<&Decl>> = BTreeMap::new();
        for d in &self.all {
            if matches!(d.kind.as_str(), "fn" | "method" | "mod") && d.end_line > d.line {
                by_file.entry(d.file.as_str()).or_default().push(d);
            }
        }
        let mut uses = UseTable::default();
        for n in inv.notes.iter().filter(|n| n.language == "rust") {
            let module = match self.file_module.get(&n.file) {
                Some(m) => m.clone(),
                None => package_segments(&n.package),
            };
            let around = by_file.get(n.file.as_str()).map_or(&[][..], Vec::as_slice);
            for imp in &n.imports {
                let inner = around
                    .iter()
                    .filter(|d| d.line < imp.line && imp.end_line <= d.end_line)
                    .min_by_key(|d| d.end_line - d.line);
                let key = match inner {
                    Some(d) if d.kind == "mod" => key_of(&d.path),
                    Some(_) => continue,
                    None => key_of(&module),
                };
                uses.modules
                    .entry(key)
                    .or_default()
                    .add(parse_use_tree(&imp.path));
            }
        }
        for m in uses.modules.values() {
            for (alias, path) in &m.names {
                if let Some(last) = path.last().filter(|l| *l != alias) {
                    self.use_aliases
                        .entry(last.clone())
                        .or_default()
                        .insert(alias.clone());
                }
            }
        }
        self.uses = uses;
    }

    /// What `name` denotes in `module` through the module's own items and
    /// its `use` declarations (names, globs, re-exports of other modules).
    pub(crate) fn lookup_in_module(&self, module: &[String], name: &str) -> Option<Vec<String>> {
        self.uses.lookup(self, module, name)
    }

    /// The full path a use path written in `module` stands for.
    pub(crate) fn use_target(&self, module: &[String], path: &[String]) -> Option<Vec<String>> {
        self.uses.target(self, module, path)
    }

    /// Names that `use … as alias` declarations of any module give to
    /// paths ending in `name` (`Grade` for `use kind::Level as Grade`).
    pub(crate) fn aliases_of(&self, name: &str) -> impl Iterator<Item = &str> {
        self.use_aliases
            .get(name)
            .into_iter()
            .flatten()
            .map(String::as_str)
    }

    /// Whether the `use` declarations of `module` are known (it has some).
    pub(crate) fn has_uses(&self, module: &[String]) -> bool {
        with_key(module, |key| self.uses.modules.contains_key(key))
    }

    /// The path of the declaration a full path names through re-exports
    /// (`krate::Config` for `krate::config::Config`), when it names one.
    pub(crate) fn through_uses(&self, path: &[String]) -> Option<&Decl> {
        self.get(&self.uses.canonical(self, path)?)
    }

    fn push(&mut self, decl: Decl) {
        // The first declaration of a path wins (cfg variants declare it twice).
        if self.by_key.contains_key(&decl.key) {
            return;
        }
        let idx = self.all.len();
        for i in 1..decl.path.len() {
            self.prefixes.insert(key_of(&decl.path[..i]));
        }
        self.by_key.insert(decl.key.clone(), idx);
        // Fields are reached through their owner only, never by a path.
        if decl.class != Class::Field {
            self.by_name.entry(decl.name.clone()).or_default().push(idx);
        }
        match decl.class {
            Class::Method => {
                self.methods_by_name
                    .entry(decl.name.clone())
                    .or_default()
                    .push(idx);
                if let Some(p) = &decl.parent {
                    self.by_parent_method
                        .entry((p.clone(), decl.name.clone()))
                        .or_default()
                        .push(idx);
                }
            }
            Class::Type => self
                .types_by_name
                .entry(decl.name.clone())
                .or_default()
                .push(idx),
            _ => {}
        }
        self.all.push(decl);
    }

    /// The declaration with exactly this path.
    pub(crate) fn get(&self, path: &[String]) -> Option<&Decl> {
        with_key(path, |key| self.by_key.get(key).map(|&i| &self.all[i]))
    }

    /// The place in [`Decls::all`] of a declaration borrowed from it
    /// (`None` for one from elsewhere).
    pub(crate) fn index_of(&self, d: &Decl) -> Option<usize> {
        let at = std::ptr::from_ref(d) as usize;
        let start = self.all.as_ptr() as usize;
        let size = std::mem::size_of::<Decl>();
        let i = at.checked_sub(start)? / size;
        (i < self.all.len() && std::ptr::eq(&self.all[i], d)).then_some(i)
    }

    /// The declaration with this key.
    pub(crate) fn get_key(&self, key: &str) -> Option<&Decl> {
        self.by_key.get(key).map(|&i| &self.all[i])
    }

    /// Whether `path` is a package or a proper prefix of a declaration path.
    pub(crate) fn is_prefix(&self, path: &[String]) -> bool {
        with_key(path, |key| self.prefixes.contains(key))
    }

    /// Whether exactly one type (or trait) of the repository declares a
    /// method named `name`: the only case a call with an unknown receiver is
    /// resolved by name.
    pub(crate) fn one_owner_of_method(&self, name: &str) -> Option<&Decl> {
        let mut found = self.methods_named(name);
        let first = found.next()?;
        let owner = first.path[..first.path.len() - 1].to_vec();
        found
            .all(|m| m.path[..m.path.len() - 1] == owner[..])
            .then_some(first)
    }

    /// Methods named `name`, any owner.
    pub(crate) fn methods_named(&self, name: &str) -> impl Iterator<Item = &Decl> {
        self.methods_by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.all[i])
    }

    /// Methods `name` of types whose base name is `parent`.
    pub(crate) fn methods_of(&self, parent: &str, name: &str) -> impl Iterator<Item = &Decl> {
        self.by_parent_method
            .get(&(parent.to_string(), name.to_string()))
            .into_iter()
            .flatten()
            .map(|&i| &self.all[i])
    }

    /// The one declaration of the same crate or package that a path names
    /// through a re-export (`globset::Glob` for `globset::glob::Glob`).
    /// Failing that, the one declaration anywhere that the path without its
    /// first segment names (`grep::searcher::X` re-exporting crate `grep_searcher`).
    pub(crate) fn reexported(&self, path: &[String]) -> Option<&Decl> {
        // Only a path that starts in the repository can re-export one of its
        // declarations: `std::future::Future` is not a variant `Future` of a
        // repository enum in a module `future`.
        if !self.is_prefix(path.get(..1)?) {
            return None;
        }
        let last = path.last()?;
        let named: Vec<&Decl> = self
            .by_name
            .get(last)
            .into_iter()
            .flatten()
            .map(|&i| &self.all[i])
            .collect();
        let same_crate: Vec<&Decl> = named
            .iter()
            .copied()
            .filter(|d| d.path.first() == path.first() && path_matches(&d.path, path))
            .collect();
        if let [d] = same_crate.as_slice() {
            return Some(d);
        }
        if !same_crate.is_empty() || path.len() < 3 {
            return None;
        }
        let anywhere: Vec<&Decl> = named
            .iter()
            .copied()
            .filter(|d| path_matches(&d.path, &path[1..]))
            .collect();
        if let [d] = anywhere.as_slice() {
            return Some(d);
        }
        // A crate re-exported under another name (`grep::printer` for
        // `grep_printer`): the last two segments, if only one path ends so.
        let tail = &path[path.len() - 2..];
        let by_tail: Vec<&Decl> = named
            .into_iter()
            .filter(|d| d.path.ends_with(tail))
            .collect();
        match (anywhere.is_empty(), by_tail.as_slice()) {
            (true, [d]) => Some(d),
            _ => None,
        }
    }

    /// The field `name` of the type `owner`.
    pub(crate) fn field_of(&self, owner: &Decl, name: &str) -> Option<&Decl> {
        self.fields_by_owner
            .get(&(owner.key.clone(), name.to_string()))
            .map(|&i| &self.all[i])
    }

    /// The embedded fields of a Go struct (named by their type): the written types.
    /// The embedded fields of a Go struct (named by their type) and the
    /// interfaces a Go interface embeds: the written types.
    pub(crate) fn embedded_types<'d>(&'d self, owner: &'d Decl) -> impl Iterator<Item = &'d str> {
        owner
            .fields
            .iter()
            .filter_map(|(name, ty)| {
                let bare = ty.trim_start_matches('*');
                let base = bare.rsplit('.').next().unwrap_or(bare);
                let base = base.split('[').next().unwrap_or(base);
                (base == name && !ty.contains(char::is_whitespace)).then_some(ty.as_str())
            })
            .chain(owner.embeds.iter().map(String::as_str))
    }

    /// Every declaration named `name` (fields excluded).
    pub(crate) fn named(&self, name: &str) -> impl Iterator<Item = &Decl> {
        self.by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.all[i])
    }

    /// Types named `name`.
    pub(crate) fn types_named(&self, name: &str) -> impl Iterator<Item = &Decl> {
        self.types_by_name
            .get(name)
            .into_iter()
            .flatten()
            .map(|&i| &self.all[i])
    }

    /// Packages whose last element is `name`.
    pub(crate) fn packages_named(&self, name: &str) -> &[Vec<String>] {
        self.packages_by_name.get(name).map_or(&[], Vec::as_slice)
    }

    /// The package or module of a file (empty when the file is in none).
    pub(crate) fn module_of(&self, file: &str) -> &[String] {
        self.file_module.get(file).map_or(&[], Vec::as_slice)
    }
}

impl Items for Decls {
    fn has(&self, path: &[String]) -> bool {
        self.get(path).is_some() || self.is_prefix(path)
    }
    fn is_item(&self, path: &[String]) -> bool {
        self.get(path).is_some_and(|d| d.kind != "mod")
    }
}

/// A SYMBOL the user asked for, resolved to one declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Symbol {
    /// The SYMBOL as written.
    pub query: String,
    /// Key of the declaration's full path.
    pub key: String,
    /// The declaration as a user writes it.
    pub display: String,
    pub kind: String,
    /// Its citation.
    pub citation: String,
}

/// Why a SYMBOL does not name exactly one declaration.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub(crate) enum ResolveError {
    #[error("no declaration matches {0:?} (forms: Name, pkg.Name, Type.Method, crate::path::Name, Type::method)")]
    NotFound(String),
    #[error("{query:?} is ambiguous; qualify it as one of:\n{}", candidates.join("\n"))]
    Ambiguous {
        query: String,
        candidates: Vec<String>,
    },
}

/// Split a SYMBOL into segments: `a::b::C`, `pkg.Name`, `Type.Method`,
/// `example.com/m/pkg.Name` (an import path is one segment).
pub(crate) fn symbol_segments(symbol: &str) -> Vec<String> {
    let s = symbol.trim();
    if s.contains("::") {
        return s
            .split("::")
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
    }
    let (head, tail) = match s.rfind('/') {
        Some(slash) => match s[slash..].find('.') {
            Some(dot) => (Some(&s[..slash + dot]), &s[slash + dot + 1..]),
            None => (Some(s), ""),
        },
        None => (None, s),
    };
    let mut out: Vec<String> = head.map(str::to_string).into_iter().collect();
    out.extend(
        tail.split('.')
            .filter(|p| !p.is_empty())
            .map(str::to_string),
    );
    out
}

/// Whether a query segment names a declaration path segment: equal, an
/// import-path suffix (`bbolt` names `go.etcd.io/bbolt`), or a crate-name
/// suffix (`regex` names `grep_regex`).
fn segment_matches(decl_seg: &str, query_seg: &str) -> bool {
    decl_seg == query_seg
        || decl_seg.ends_with(&format!("/{query_seg}"))
        // A crate re-exported as a module of another (`grep::regex` is `grep_regex`).
        || decl_seg.ends_with(&format!("_{query_seg}"))
        || (query_seg.contains('/') && decl_seg.ends_with(query_seg))
}

/// Whether the query segments name `path`: the last segments are equal and
/// the other query segments appear, in order, among the path's others (so a
/// re-exported `grep_searcher::Searcher` names `grep_searcher::searcher::Searcher`).
pub(crate) fn path_matches(path: &[String], query: &[String]) -> bool {
    let (Some(last), Some(qlast)) = (path.last(), query.last()) else {
        return false;
    };
    if last != qlast {
        return false;
    }
    let mut rest = path[..path.len() - 1].iter();
    query[..query.len() - 1]
        .iter()
        .filter(|q| !matches!(q.as_str(), "crate" | "self"))
        .all(|q| rest.any(|p| segment_matches(p, q)))
}

/// Resolve each SYMBOL to exactly one declaration.
/// `accept` keeps the declaration classes the requested kind of reference can
/// name, so `--kind construct Tx` does not also name a method `Bucket.Tx`.
pub(crate) fn resolve_symbols(
    decls: &Decls,
    queries: &[String],
    accept: impl Fn(Class) -> bool,
) -> Result<Vec<Symbol>, ResolveError> {
    let mut out = Vec::new();
    for q in queries {
        let segs = symbol_segments(q);
        let found: Vec<&Decl> = decls
            .all
            .iter()
            .filter(|d| d.kind != "mod" && accept(d.class))
            .filter(|d| path_matches(&d.path, &segs))
            .collect();
        // An exact full path wins over suffix matches.
        let exact: Vec<&Decl> = found.iter().copied().filter(|d| d.path == segs).collect();
        // Then a path whose last segments are the query's, in place
        // (`labels.Labels` is the type, not method `Builder.Labels`).
        let query: Vec<&String> = segs
            .iter()
            .filter(|q| !matches!(q.as_str(), "crate" | "self"))
            .collect();
        let tail: Vec<&Decl> = found
            .iter()
            .copied()
            .filter(|d| {
                d.path.len() >= query.len()
                    && d.path
                        .iter()
                        .rev()
                        .zip(query.iter().rev())
                        .all(|(p, q)| segment_matches(p, q))
            })
            .collect();
        let found = if exact.len() == 1 {
            exact
        } else if tail.len() == 1 {
            tail
        } else {
            found
        };
        match found.as_slice() {
            [] => return Err(ResolveError::NotFound(q.clone())),
            [d] => out.push(Symbol {
                query: q.clone(),
                key: d.key.clone(),
                display: d.display(),
                kind: d.kind.clone(),
                citation: cite(&d.file, d.line, d.end_line),
            }),
            many => {
                let mut candidates: Vec<String> = many
                    .iter()
                    .map(|d| format!("  {}", d.described()))
                    .collect();
                candidates.sort();
                return Err(ResolveError::Ambiguous {
                    query: q.clone(),
                    candidates,
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segs(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn symbols_split_into_segments() {
        assert_eq!(symbol_segments("Name"), segs(&["Name"]));
        assert_eq!(symbol_segments("pkg.Name"), segs(&["pkg", "Name"]));
        assert_eq!(symbol_segments("DB.Begin"), segs(&["DB", "Begin"]));
        assert_eq!(
            symbol_segments("go.etcd.io/bbolt.DB.Begin"),
            segs(&["go.etcd.io/bbolt", "DB", "Begin"])
        );
        assert_eq!(
            symbol_segments("crate::a::Config"),
            segs(&["crate", "a", "Config"])
        );
        assert_eq!(symbol_segments("Searcher::new"), segs(&["Searcher", "new"]));
    }

    #[test]
    fn query_paths_match_suffixes_in_order() {
        let p = segs(&["example.com/shop/store", "Store", "Get"]);
        assert!(path_matches(&p, &segs(&["Get"])));
        assert!(path_matches(&p, &segs(&["Store", "Get"])));
        assert!(path_matches(&p, &segs(&["store", "Store", "Get"])));
        assert!(path_matches(&p, &segs(&["shop/store", "Store", "Get"])));
        assert!(!path_matches(&p, &segs(&["Get", "Store"])));
        assert!(!path_matches(&p, &segs(&["tore", "Store", "Get"])));
        let r = segs(&["grep_searcher", "searcher", "Searcher"]);
        assert!(path_matches(&r, &segs(&["crate", "searcher", "Searcher"])));
        assert!(path_matches(&r, &segs(&["grep_searcher", "Searcher"])));
        assert!(path_matches(&r, &segs(&["searcher", "Searcher"])));
        assert!(!path_matches(&r, &segs(&["printer", "Searcher"])));
    }

    #[test]
    fn field_types_come_from_signatures() {
        assert_eq!(field_type("db", "db *DB"), "*DB");
        assert_eq!(field_type("jobs", "pub jobs: Vec<J>"), "Vec<J>");
        assert_eq!(field_type("Foo", "*Foo"), "*Foo");
        assert_eq!(field_type("a", "a, b int"), "int");
        assert_eq!(field_type("b", "a, b int"), "int");
    }
}

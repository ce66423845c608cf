//! Finds the references to resolved symbols in source files, in parallel.
//!
//! Each file whose text contains a target's name is read through its
//! language's `refs.scm`, from the copy of its syntax the scan took (or, when
//! the scan's facts came from the cache, from its one parse here); comments
//! and string literals hold no call, literal or type nodes, so they never
//! produce a hit. A reference is resolved to a full
//! path through the file's package, its imports (aliases included), local
//! bindings (parameters, `var`/`let`, `:=`, literals, results of calls whose
//! declarations are known) and field types, then compared with the targets.
//! Nothing here matches on a language: differences come from the captures and
//! the language's `RefsSpec`.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::decls::{key_of, Class, Decl, Decls, Symbol};
use super::query::{recipe_for, refs_query_for, RefsQuery, Role};
use crate::scan::lang::LangSpec;
use crate::scan::parse::{parse_text, with_parser};
use crate::scan::snapshot::{FileSyntax, SNode as Node, MACRO_LEVELS};
use crate::scan::syntax::base_type_name;
use crate::scan::walk::SourceFile;
use crate::util::idhash::{IdMap, IdSet};

/// Files larger than this are not read for references.
pub(crate) const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;
/// How deep a receiver's type is chased through bindings, calls and fields
/// (a builder chain `B::new().a().b()…` costs two levels a call).
const MAX_TYPE_DEPTH: u32 = 32;
/// Standard methods whose result has the receiver's type (or the type a
/// transparent wrapper of it holds: `Option<T>::unwrap` is a `T`).
const SAME_TYPE_METHODS: &[&str] = &[
    "as_deref",
    "as_deref_mut",
    "as_mut",
    "as_ref",
    "borrow",
    "borrow_mut",
    "clone",
    "expect",
    "lock",
    "read",
    "to_owned",
    "unwrap",
    "unwrap_or_default",
    "upgrade",
    "write",
];
/// Associated functions of standard traits that return their type.
const SAME_TYPE_CONSTRUCTORS: &[&str] = &["default", "from", "from_str", "try_from"];
/// Standard methods of collections whose result holds one element (behind an
/// `Option`, which stands for its argument): `xs.first()`, `m.get(k)`.
const ELEMENT_METHODS: &[&str] = &[
    "first",
    "first_mut",
    "get",
    "get_mut",
    "last",
    "last_mut",
    "pop",
    "pop_back",
    "pop_front",
];
/// Standard iterator methods whose result is one element of what is
/// iterated: `xs.iter().next()`.
const ITEM_METHODS: &[&str] = &["last", "max", "min", "next", "next_back", "nth"];

/// What a reference does with its symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum HitKind {
    /// A call of a function or method.
    Call,
    /// A composite literal, struct expression or `T::new`-style constructor call.
    Construct,
    /// A type named in a signature, field, conversion or declaration.
    Type,
    /// A field read or written, or named in a literal or pattern.
    Field,
    /// A function, constant, variable or variant used as a value or pattern.
    Value,
}

impl HitKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            HitKind::Call => "call",
            HitKind::Construct => "construct",
            HitKind::Type => "type",
            HitKind::Field => "field",
            HitKind::Value => "value",
        }
    }
}

/// One reference to a symbol.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Hit {
    /// Repo-relative path.
    pub file: String,
    /// 1-based line of the referencing name.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
    pub kind: HitKind,
    /// The symbol referenced, as the user writes it.
    pub symbol: String,
    /// True when resolved by name only (receiver type or path unknown).
    pub inferred: bool,
    /// For inferred method calls: every declaration of a method of that name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
    /// The enclosing function or method (`Type.Method`, `Type::method`).
    pub enclosing: Option<String>,
    /// Whether the reference is in test code.
    pub test: bool,
    /// Construction sites: whether the literal sets no field (`T{}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty: Option<bool>,
    /// The source line, trimmed.
    pub source: String,
}

/// A target of the search: a symbol, or a Rust trait-impl method standing for it.
/// Borrows its declaration's fields: a search over every declaration (the
/// symbol graph) holds one target per declaration.
#[derive(Debug, Clone)]
struct Target<'a> {
    decl: &'a Decl,
    /// The symbol as `refs` was asked for it; `None`: the declaration's path.
    shown_as: Option<String>,
    /// For methods of a trait: the trait's name, which must be in scope where
    /// the method is called by name only.
    trait_name: Option<&'a str>,
}

impl Target<'_> {
    /// The symbol as hits show it.
    fn display(&self) -> String {
        match &self.shown_as {
            Some(s) => s.clone(),
            None => self.decl.display(),
        }
    }
}

/// Read-only state shared by every file.
struct Shared<'a> {
    decls: &'a Decls,
    targets: IdMap<&'a str, Target<'a>>,
    /// Names that make a file worth parsing.
    names: IdSet<&'a str>,
    /// Finds any of `names` in a text at once (a macro body is read when
    /// one occurs in it); `None` if it could not be built. Built at the
    /// first macro body: a language without macros (Go) never needs it,
    /// and over every name of a large tree it costs a serial moment.
    names_in_text: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>>,
    /// Hits other than constructions and calls leave out their symbol,
    /// source line, enclosing function and candidates (the symbol graph of
    /// the report and the map reads only where they are and what they name).
    slim: bool,
    /// Lookups answered for files done, for the next files to reuse (one a
    /// thread at a time: a file takes one and gives it back). The answers
    /// are functions of the declarations only, so which file gets which
    /// changes no hit.
    spare_lookups: std::sync::Mutex<Vec<Lookups>>,
}

/// Answers a [`Lookups`] may hold and still be kept for the next file: it
/// bounds the memory of a pass over a large tree.
const MAX_KEPT_LOOKUPS: usize = 20_000;

/// Counts of one `refs` search, for `--stats` and the test that proves no
/// file is parsed twice.
#[derive(Debug, Default)]
pub(crate) struct SearchCounts {
    /// Files whose text was read (or came with the scan's copy).
    pub read: AtomicUsize,
    /// Files whose syntax the search read.
    pub parsed: AtomicUsize,
    /// Of those, files parsed by the scan (its copy of their syntax).
    pub by_scan: AtomicUsize,
}

/// Find every reference to `symbols` in `files`, sorted by path, line,
/// column, kind and symbol. Reads the copies of syntax the scan took
/// (`syntax[i]` of `files[i]`; missing or `None`: not parsed by the scan)
/// and parses only the files the scan did not, so no file is parsed twice.
/// Runs on the current rayon pool.
pub(crate) fn find_refs(
    decls: &Decls,
    files: &[SourceFile],
    mut syntax: Vec<Option<FileSyntax>>,
    symbols: &[Symbol],
    counts: &SearchCounts,
) -> Vec<Hit> {
    syntax.resize_with(files.len(), || None);
    let search = Search::new(decls, symbols);
    let mut hits: Vec<Hit> = files
        .par_iter()
        .zip(syntax)
        .with_max_len(1)
        .flat_map_iter(|(f, s)| search.find_in(f, s, counts))
        .collect();
    hits.sort();
    hits.dedup();
    hits
}

/// A search for the references of a set of symbols, ready to run file by file.
pub(crate) struct Search<'a> {
    shared: Shared<'a>,
}

impl<'a> Search<'a> {
    /// The targets of `symbols`: each declaration, and for a trait method the
    /// methods of the impls of that trait.
    pub(crate) fn new(decls: &'a Decls, symbols: &[Symbol]) -> Search<'a> {
        let mut targets = IdMap::default();
        for s in symbols {
            let Some(d) = decls.get_key(&s.key) else {
                continue;
            };
            targets.insert(d.key.as_str(), target_of(decls, d, Some(&s.display)));
            // A trait method is also called through the impls of that trait.
            if d.class == Class::Method {
                if let Some(owner) = &d.parent {
                    for m in decls.methods_named(&d.name) {
                        if m.trait_impl.as_deref() == Some(owner.as_str()) {
                            let trait_name = Some(owner.as_str());
                            targets.entry(m.key.as_str()).or_insert_with(|| Target {
                                trait_name,
                                ..target_of(decls, m, Some(&s.display))
                            });
                        }
                    }
                }
            }
        }
        Search {
            shared: Shared::new(decls, targets),
        }
    }

    /// A search for every declaration of `decls` at once: the symbol graph.
    pub(crate) fn all(decls: &'a Decls) -> Search<'a> {
        let targets: IdMap<&'a str, Target<'a>> = decls
            .all
            .iter()
            .filter(|d| d.kind != "mod")
            .map(|d| (d.key.as_str(), target_of(decls, d, None)))
            .collect();
        Search {
            shared: Shared::new(decls, targets),
        }
    }

    /// This search with hits other than constructions and calls slimmed:
    /// no symbol, source line, enclosing function or candidates (what the
    /// symbol graph drops of them anyway), so they are never built.
    pub(crate) fn slimmed(mut self) -> Search<'a> {
        self.shared.slim = true;
        self
    }

    /// Whether `text` can hold a reference: it names a target as a whole
    /// identifier. Every hit's name or qualifier, and every import that
    /// aliases a target, is such an identifier, so a file that fails this
    /// test has no hit and need not be parsed.
    pub(crate) fn may_reference(&self, text: &str) -> bool {
        let names = &self.shared.names;
        !names.is_empty() && super::decls::words(text).any(|w| names.contains(w))
    }

    /// What the hits of a file depend on besides the file itself: the targets
    /// and every declaration field the resolution reads. Declaration lines are
    /// left out on purpose: no hit depends on them, so an edit that only moves
    /// declarations keeps every other file's cached hits.
    pub(crate) fn fingerprint(&self) -> blake3::Hash {
        let mut h = blake3::Hasher::new();
        let mut targets: Vec<_> = self.shared.targets.iter().collect();
        targets.sort_by(|a, b| a.0.cmp(b.0));
        for (key, t) in targets {
            // Spelled as when targets held their own copies: the same key.
            let display = t.display();
            let trait_name = t.trait_name;
            let (class, name, parent) = (t.decl.class, &t.decl.name, &t.decl.parent);
            h.update(
                format!("{key:?}{display:?}{trait_name:?}{class:?}{name:?}{parent:?}\n").as_bytes(),
            );
        }
        self.shared.decls.hash_without_lines(&mut h);
        h.finalize()
    }

    /// The hits of `file`: read from the scan's copy of its syntax when
    /// there is one, else from its one parse here (none when it cannot be
    /// read or parsed).
    fn find_in(
        &self,
        file: &SourceFile,
        syntax: Option<FileSyntax>,
        counts: &SearchCounts,
    ) -> Vec<Hit> {
        if file.size > MAX_FILE_BYTES {
            return Vec::new();
        }
        counts.read.fetch_add(1, Ordering::Relaxed);
        let by_scan = syntax.is_some();
        let syntax = match syntax {
            Some(s) if self.may_reference(&s.text) => s,
            Some(_) => return Vec::new(),
            None => {
                let Ok(text) = std::fs::read_to_string(&file.abs) else {
                    return Vec::new();
                };
                if !self.may_reference(&text) {
                    return Vec::new();
                }
                let Some(s) = snapshot_of(file, &text) else {
                    return Vec::new();
                };
                s
            }
        };
        counts.parsed.fetch_add(1, Ordering::Relaxed);
        if by_scan {
            counts.by_scan.fetch_add(1, Ordering::Relaxed);
        }
        file_refs(&self.shared, file, &syntax)
            .into_iter()
            .map(|(_, h)| h)
            .collect()
    }

    /// The hits of one file, given the copy of its syntax the scan took,
    /// with the key of the declaration each names, in no particular order.
    pub(crate) fn file_uses(&self, file: &SourceFile, syntax: &FileSyntax) -> Vec<(String, Hit)> {
        file_refs(&self.shared, file, syntax)
    }
}

impl<'a> Shared<'a> {
    fn new(decls: &'a Decls, targets: IdMap<&'a str, Target<'a>>) -> Shared<'a> {
        let names = target_names(decls, &targets);
        Shared {
            decls,
            names,
            names_in_text: std::sync::OnceLock::new(),
            targets,
            slim: false,
            spare_lookups: std::sync::Mutex::default(),
        }
    }

    /// Lookups a file before this one answered, if one is spare.
    fn take_lookups(&self) -> Lookups {
        self.spare_lookups
            .lock()
            .ok()
            .and_then(|mut spare| spare.pop())
            .unwrap_or_default()
    }

    /// Keep a file's lookups for the next file, unless they grew too many.
    fn keep_lookups(&self, lookups: Lookups) {
        if lookups.len() > MAX_KEPT_LOOKUPS {
            return;
        }
        if let Ok(mut spare) = self.spare_lookups.lock() {
            spare.push(lookups);
        }
    }

    /// Whether one of the target names occurs in `text`, as a word or in one.
    fn names_occur_in(&self, text: &str) -> bool {
        let names_in_text = self
            .names_in_text
            .get_or_init(|| aho_corasick::AhoCorasick::new(self.names.iter()).ok());
        match names_in_text {
            Some(ac) => ac.is_match(text),
            None => self.names.iter().any(|n| text.contains(n)),
        }
    }
}

/// The names a reference to one of `targets` can be written with: theirs,
/// and the aliases `use … as …` declarations give them anywhere.
fn target_names<'a>(decls: &'a Decls, targets: &IdMap<&'a str, Target<'a>>) -> IdSet<&'a str> {
    let mut names: IdSet<&'a str> = targets.values().map(|t| t.decl.name.as_str()).collect();
    let aliases: Vec<&'a str> = names.iter().flat_map(|n| decls.aliases_of(n)).collect();
    names.extend(aliases);
    names
}

fn target_of<'a>(decls: &'a Decls, d: &'a Decl, shown_as: Option<&str>) -> Target<'a> {
    let trait_name = decls
        .get(&d.path[..d.path.len() - 1])
        .filter(|o| o.kind == "trait")
        .map(|o| o.name.as_str());
    Target {
        decl: d,
        shown_as: shown_as.map(str::to_string),
        trait_name,
    }
}

/// Parse `text` (the contents of `file`) and copy what resolution reads:
/// for a file the scan did not parse. `None` when the grammar or the
/// reference query cannot be loaded or the parser gives up.
pub(crate) fn snapshot_of(file: &SourceFile, text: &str) -> Option<FileSyntax> {
    let recipe = recipe_for(file.lang)?;
    with_parser(file.lang, |p| {
        let tree = parse_text(p, text)?;
        Some(FileSyntax::build(file.lang, text, &tree, recipe, p))
    })
    .flatten()
}

/// A reference node before resolution.
#[derive(Debug, Clone, Copy)]
struct RawRef<'t> {
    kind: HitKind,
    head: Node<'t>,
    name: Node<'t>,
    qualifier: Option<Node<'t>>,
    operand: Option<Node<'t>>,
    body: Option<Node<'t>>,
    /// Keys of literals and patterns: the written type that owns the field.
    key_type: Option<Node<'t>>,
    /// A lone identifier of a pattern (`Never =>`): a unit variant or a
    /// constant when one is in scope under that name, else a binding.
    pattern: bool,
}

/// Where a local binding's type comes from.
#[derive(Debug, Clone, Copy)]
enum Binding<'t> {
    /// A written type (or a literal's type).
    Type(Node<'t>),
    /// The result of calling this callee.
    Call(Node<'t>),
    /// An element of this collection.
    Elem(Node<'t>),
    /// The value of this expression.
    Expr(Node<'t>),
}

/// What a reference denotes once resolved.
#[derive(Debug, Clone)]
enum Denot {
    /// A declaration of the repository (its key).
    Decl(String),
    /// A path that names no declaration of the repository.
    Path(Vec<String>),
    /// A method call whose method is not found on a known declaration.
    Method { receiver: Receiver, name: String },
    /// Nothing of the repository (a local, an external path, a field of an
    /// unknown type).
    Nothing,
}

#[derive(Debug, Clone)]
enum Receiver {
    /// The receiver's type is not known.
    Unknown,
    /// A type of the repository that does not declare the method itself
    /// (embedding, trait default, deref).
    Declared,
    /// A type declared outside the repository.
    External,
}

/// Everything collected from one file's query matches.
struct FileCtx<'a, 't> {
    shared: &'a Shared<'a>,
    spec: &'static LangSpec,
    src: &'t [u8],
    module: Vec<String>,
    imports: BTreeMap<String, Vec<String>>,
    /// Imports inside a module or function body: byte range, alias, full path.
    scoped_imports: Vec<(usize, usize, String, Vec<String>)>,
    /// Functions, scopes and modules: what an import can be local to.
    containers: IdSet<usize>,
    /// Names of generic type parameters declared in the file.
    generics: BTreeSet<String>,
    /// Function node id → name and receiver type text.
    funcs: IdMap<usize, (Node<'t>, Option<Node<'t>>)>,
    scopes: IdSet<usize>,
    /// Scope id → name → binding.
    bindings: IdMap<usize, IdMap<&'t str, Binding<'t>>>,
    /// Field access node id → object and field name.
    fields: IdMap<usize, (Node<'t>, Node<'t>)>,
    /// Call / construct head node id → reference.
    calls: IdMap<usize, RawRef<'t>>,
    constructs: IdMap<usize, RawRef<'t>>,
    /// Byte ranges of test-only code.
    test_ranges: Vec<(usize, usize)>,
    /// Root node id of a re-parsed macro body → the macro's token tree.
    macro_parent: BTreeMap<usize, Node<'t>>,
    /// Function node id → names the function declares for itself.
    locals: IdMap<usize, IdSet<&'t str>>,
    /// Modules whose names a glob import (`use a::b::*`) brings in, with the
    /// byte range the import applies to.
    globs: Vec<(usize, usize, Vec<String>)>,
    /// Method names of the language's common types (never resolved by name).
    common: &'static BTreeSet<String>,
    /// Every identifier-like word of the file, computed on first use.
    words: std::cell::OnceCell<BTreeSet<String>>,
    /// Expression types already chased (see [`TypeMemo`]); filled only
    /// while references are judged, once every scope and import is read.
    types: TypeMemo,
    /// The declarations' answers this file and the files before it on
    /// this thread asked for (see [`Lookups`]).
    lookups: Lookups,
}

/// Answers of the declarations' lookups that depend on their arguments
/// only: a file asks for the same name in the same module and the same
/// path through re-exports again and again (on zellij ten times over), the
/// files of a module ask alike, and each answer walks `use` lists and
/// globs. A thread keeps them from file to file ([`Shared::spare_lookups`]).
#[derive(Default)]
struct Lookups {
    /// [`FileCtx::canonical`], by path.
    canonical: std::cell::RefCell<IdMap<Vec<String>, Vec<String>>>,
    /// [`Decls::lookup_in_module`], by module, then name.
    in_module: std::cell::RefCell<IdMap<Vec<String>, ByName<Option<Path>>>>,
    /// [`Decls::through_uses`], by path: the declaration's place in [`Decls::all`].
    through_uses: std::cell::RefCell<IdMap<Vec<String>, Option<usize>>>,
    /// [`Decls::reexported`], by path: the declaration's place in [`Decls::all`].
    reexported: std::cell::RefCell<IdMap<Vec<String>, Option<usize>>>,
    /// [`FileCtx::foreign_type_path`], by the owner's place in
    /// [`Decls::all`], then the written type.
    foreign_types: std::cell::RefCell<IdMap<usize, ByName<Option<Path>>>>,
}

impl Lookups {
    /// How many answers are held.
    fn len(&self) -> usize {
        fn nested<K>(m: &IdMap<K, ByName<Option<Path>>>) -> usize {
            m.values().map(IdMap::len).sum()
        }
        self.canonical.borrow().len()
            + nested(&self.in_module.borrow())
            + self.through_uses.borrow().len()
            + self.reexported.borrow().len()
            + nested(&self.foreign_types.borrow())
    }
}

/// Answers by a name (or a written type), looked up by `&str`.
type ByName<V> = IdMap<String, V>;
/// A full path, one segment an element.
type Path = Vec<String>;

/// A chased type and how many levels below its expression the chase went.
type Chased = (Option<Vec<String>>, u32);

/// What [`FileCtx::expr_type`] knows of the chases it made. Without it a
/// receiver is chased again for every reference that reads it, and a chase
/// that loops (`let x = x.clone()`, `x` read with its last binding, `denote`
/// and `call_result` both chasing the operand) doubles at every level down
/// to the depth limit: 30 million chases on one Rust workspace.
#[derive(Default)]
struct TypeMemo {
    /// Types found, by node id, each with how many levels below its own the
    /// chase went. A chase that met neither the depth limit nor a loop
    /// through an expression outside it gives the same answer at any depth
    /// that leaves it as many levels, so it is reused there.
    found: std::cell::RefCell<IdMap<usize, Chased>>,
    /// The expressions being chased, outermost first.
    chasing: std::cell::RefCell<Vec<usize>>,
    /// The deepest level the chase in progress reached.
    deepest: std::cell::Cell<u32>,
    /// The outermost place in `chasing` a loop of the chase in progress
    /// came back to (`usize::MAX`: none).
    lowest_cut: std::cell::Cell<usize>,
}

/// Query matches of one file (its tree and its macro bodies), before resolution.
#[derive(Default)]
struct Collected<'t> {
    refs: Vec<RawRef<'t>>,
    types: BTreeMap<usize, RawRef<'t>>,
    decl_nodes: IdSet<usize>,
    bindings: Vec<(Node<'t>, Binding<'t>)>,
    self_bindings: Vec<(Node<'t>, Node<'t>)>,
    imports: Vec<(Node<'t>, Option<Node<'t>>)>,
    /// Glob imports: the path before `::*`.
    globs: Vec<Node<'t>>,
    /// Declared identifiers and binding patterns inside functions.
    locals: Vec<Node<'t>>,
    local_patterns: Vec<Node<'t>>,
    /// Macro bodies that mention a target name, to re-parse.
    macros: Vec<Node<'t>>,
}

fn file_refs(shared: &Shared, file: &SourceFile, syntax: &FileSyntax) -> Vec<(String, Hit)> {
    let Ok(rq) = refs_query_for(file.lang) else {
        return Vec::new();
    };
    let src = syntax.text.as_bytes();
    let mut ctx = FileCtx {
        shared,
        spec: file.lang,
        src,
        module: shared.decls.module_of(&file.rel).to_vec(),
        imports: BTreeMap::new(),
        scoped_imports: Vec::new(),
        containers: IdSet::default(),
        generics: BTreeSet::new(),
        funcs: IdMap::default(),
        scopes: IdSet::default(),
        bindings: IdMap::default(),
        fields: IdMap::default(),
        calls: IdMap::default(),
        constructs: IdMap::default(),
        test_ranges: Vec::new(),
        macro_parent: BTreeMap::new(),
        locals: IdMap::default(),
        globs: Vec::new(),
        common: common_methods(file.lang),
        words: std::cell::OnceCell::new(),
        types: TypeMemo::default(),
        lookups: shared.take_lookups(),
    };
    let mut acc = Collected::default();
    collect(&mut ctx, rq, syntax, 0, &mut acc);
    // Macro bodies (token trees) that mention a target name, as the scan
    // parsed them on their own; `MACRO_LEVELS` deep
    // (`assert_eq!(x, S { v: vec![E::A] })` is three).
    for _level in 0..MACRO_LEVELS {
        let marked = std::mem::take(&mut acc.macros);
        for m in marked {
            let Some(t) = syntax.macro_tree(m) else {
                continue;
            };
            ctx.macro_parent.insert(syntax.root(t).id(), m);
            collect(&mut ctx, rq, syntax, t, &mut acc);
        }
    }

    let construct_names: IdSet<usize> = ctx.constructs.values().map(|r| r.name.id()).collect();
    let decl_nodes = std::mem::take(&mut acc.decl_nodes);
    acc.refs.extend(
        std::mem::take(&mut acc.types).into_values().filter(|r| {
            !decl_nodes.contains(&r.name.id()) && !construct_names.contains(&r.name.id())
        }),
    );
    for (name, binding) in std::mem::take(&mut acc.bindings) {
        if let Some(scope) = ctx.scope_of(name) {
            let text = ctx.text(name);
            ctx.bindings.entry(scope).or_default().insert(text, binding);
        }
    }
    for (scope, ty) in std::mem::take(&mut acc.self_bindings) {
        for n in ["self", "Self"] {
            let in_scope = ctx.bindings.entry(scope.id()).or_default();
            in_scope.insert(n, Binding::Type(ty));
        }
    }
    for (path, alias) in std::mem::take(&mut acc.imports) {
        ctx.add_import(path, alias);
    }
    for path in std::mem::take(&mut acc.globs) {
        ctx.add_glob(path);
    }
    for n in std::mem::take(&mut acc.locals) {
        if let Some(f) = ctx.function_of(n) {
            let text = ctx.text(n);
            ctx.locals.entry(f).or_default().insert(text);
        }
    }
    for p in std::mem::take(&mut acc.local_patterns) {
        let Some(f) = ctx.function_of(p) else {
            continue;
        };
        let mut stack = vec![p];
        while let Some(n) = stack.pop() {
            if n.kind() == "identifier" {
                let text = ctx.text(n);
                ctx.locals.entry(f).or_default().insert(text);
            }
            // Paths and types inside a pattern (`E::V(x)`, `S { .. }`) bind nothing.
            if matches!(n.kind(), "scoped_identifier" | "scoped_type_identifier") {
                continue;
            }
            for child in n.children() {
                let is_type = child.field_name() == Some("type");
                if !is_type {
                    stack.push(child);
                }
            }
        }
    }

    let mut hits = Vec::new();
    // A target may be known here under an alias (`use a::Config as Other`).
    let aliases: BTreeSet<&str> = ctx
        .imports
        .iter()
        .chain(ctx.scoped_imports.iter().map(|(_, _, a, p)| (a, p)))
        .filter(|(_, path)| {
            path.last()
                .is_some_and(|l| shared.names.contains(l.as_str()))
        })
        .map(|(alias, _)| alias.as_str())
        .collect();
    let wanted = |n: &str| shared.names.contains(n) || aliases.contains(n);
    for r in &acc.refs {
        // `T::new()` names the type `T` in its qualifier.
        let qualifier_last = r.qualifier.map(|q| {
            let t = ctx.text(q);
            t.rsplit(file.lang.refs.path_sep).next().unwrap_or(t)
        });
        if wanted(ctx.text(r.name)) || qualifier_last.is_some_and(wanted) {
            hits.extend(ctx.judge(r, file));
        }
    }
    shared.keep_lookups(std::mem::take(&mut ctx.lookups));
    hits
}

/// Run the reference query over one tree and collect its matches.
fn collect<'t>(
    ctx: &mut FileCtx<'_, 't>,
    rq: &RefsQuery,
    syntax: &'t FileSyntax,
    tree: usize,
    acc: &mut Collected<'t>,
) {
    // The captures of one match by role, the last of a role winning: a
    // match has a handful, so a list searched from its end, reused from
    // match to match, costs less than a map built for each.
    let mut by_role: Vec<(Role, Node)> = Vec::new();
    for m in syntax.matches(tree) {
        by_role.clear();
        let mut head: Option<(Role, Node)> = None;
        for c in m.captures() {
            let role = rq.roles[c.index as usize];
            match role {
                Role::Call
                | Role::Construct
                | Role::Type
                | Role::Import
                | Role::Func
                | Role::Scope
                | Role::Field
                | Role::Value
                | Role::Key => {
                    head = Some((role, c.node));
                }
                Role::Local => acc.locals.push(c.node),
                Role::LocalPattern => acc.local_patterns.push(c.node),
                Role::ImportGlob => acc.globs.push(c.node),
                Role::Decl => {
                    acc.decl_nodes.insert(c.node.id());
                }
                Role::TestCandidate => {
                    ctx.containers.insert(c.node.id());
                    if c.node.is_test_item() {
                        ctx.test_ranges
                            .push((c.node.start_byte(), c.node.end_byte()));
                    }
                }
                Role::Generic => {
                    ctx.generics.insert(c.node.text().to_string());
                }
                Role::Macro => {
                    let body = c.node.text();
                    if ctx.shared.names_occur_in(body) {
                        acc.macros.push(c.node);
                    }
                }
                Role::Ignored => {}
                _ => {
                    by_role.push((role, c.node));
                }
            }
        }
        let get = |r: Role| {
            let n = by_role.iter().rev().find(|(role, _)| *role == r)?.1;
            // `mut x` binds `x`.
            Some(match (r, n.kind()) {
                (Role::BindName, "mut_pattern") => n.named_child(0).unwrap_or(n),
                _ => n,
            })
        };
        if let (Some(name), Some(ty)) = (get(Role::BindName), get(Role::BindType)) {
            acc.bindings.push((name, Binding::Type(ty)));
        }
        if let (Some(name), Some(callee)) = (get(Role::BindName), get(Role::BindCall)) {
            acc.bindings.push((name, Binding::Call(callee)));
        }
        if let (Some(name), Some(coll)) = (get(Role::BindName), get(Role::BindElem)) {
            acc.bindings.push((name, Binding::Elem(coll)));
        }
        if let (Some(name), Some(value)) = (get(Role::BindName), get(Role::BindValue)) {
            acc.bindings.push((name, Binding::Expr(value)));
        }
        let Some((role, node)) = head else { continue };
        match role {
            Role::Import => {
                if let Some(path) = get(Role::ImportPath) {
                    acc.imports.push((path, get(Role::ImportAlias)));
                }
            }
            Role::Func => {
                ctx.scopes.insert(node.id());
                ctx.containers.insert(node.id());
                if let Some(name) = get(Role::FuncName) {
                    ctx.funcs.insert(node.id(), (name, get(Role::FuncParent)));
                }
            }
            Role::Scope => {
                ctx.scopes.insert(node.id());
                ctx.containers.insert(node.id());
                if let Some(ty) = get(Role::BindSelf) {
                    acc.self_bindings.push((node, ty));
                }
            }
            Role::Field => {
                if let (Some(obj), Some(name)) = (get(Role::FieldObject), get(Role::FieldName)) {
                    ctx.fields.insert(node.id(), (obj, name));
                    // `x.m()` is a call (its own pattern), not a field use;
                    // `(x.f)()` calls the field.
                    if !is_callee(ctx, node)
                        || ctx
                            .up(node)
                            .is_some_and(|p| p.kind() == "parenthesized_expression")
                    {
                        acc.refs.push(RawRef {
                            kind: HitKind::Field,
                            head: node,
                            name,
                            qualifier: None,
                            operand: Some(obj),
                            body: None,
                            key_type: None,
                            pattern: false,
                        });
                    }
                }
            }
            Role::Key => {
                if let (Some(ty), Some(name)) = (get(Role::KeyType), get(Role::KeyName)) {
                    acc.refs.push(RawRef {
                        kind: HitKind::Field,
                        head: node,
                        name,
                        qualifier: None,
                        operand: None,
                        body: None,
                        key_type: Some(ty),
                        pattern: false,
                    });
                }
            }
            Role::Value => {
                let Some(name) = get(Role::Name) else {
                    continue;
                };
                let pattern = is_pattern_ident(ctx, node);
                if pattern || is_value_position(ctx, node) {
                    acc.refs.push(RawRef {
                        kind: HitKind::Value,
                        head: node,
                        name,
                        qualifier: get(Role::Qualifier),
                        operand: None,
                        body: None,
                        key_type: None,
                        pattern,
                    });
                }
            }
            Role::Call | Role::Construct | Role::Type => {
                let Some(name) = get(Role::Name) else {
                    continue;
                };
                let kind = match role {
                    Role::Call => HitKind::Call,
                    Role::Construct => HitKind::Construct,
                    _ => HitKind::Type,
                };
                let r = RawRef {
                    kind,
                    head: node,
                    name,
                    qualifier: get(Role::Qualifier),
                    operand: get(Role::Operand),
                    body: get(Role::Body),
                    key_type: None,
                    pattern: false,
                };
                match kind {
                    HitKind::Call => {
                        ctx.calls.insert(node.id(), r);
                        acc.refs.push(r);
                    }
                    HitKind::Construct => {
                        ctx.constructs.insert(node.id(), r);
                        acc.refs.push(r);
                    }
                    // One type use per name node; the qualified pattern wins.
                    HitKind::Type | HitKind::Field | HitKind::Value => {
                        let e = acc.types.entry(name.id()).or_insert(r);
                        if r.qualifier.is_some() {
                            *e = r;
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether `n` is the function called by a call expression (directly or
/// through a turbofish or parentheses).
fn is_callee<'t>(ctx: &FileCtx<'_, 't>, n: Node<'t>) -> bool {
    let mut cur = n;
    while let Some(p) = ctx.up(cur) {
        match p.kind() {
            "call_expression" => {
                return p
                    .child_by_field_name("function")
                    .is_some_and(|f| f.id() == cur.id())
            }
            "generic_function" | "parenthesized_expression" | "generic_type_with_turbofish" => {
                cur = p;
            }
            _ => return false,
        }
    }
    false
}

/// Parents of an identifier or path that make it something other than a
/// value: a declaration's name, a binding, a macro's or attribute's tokens,
/// a `use` tree, a label, a field key, a pattern's binding.
const NOT_VALUE_PARENTS: &[&str] = &[
    "ERROR",
    "type_parameter_declaration",
    "attribute",
    "closure_parameters",
    "const_spec",
    "extern_crate_declaration",
    "field_pattern",
    "for_expression",
    "function_declaration",
    "function_item",
    "function_signature_item",
    "generic_function",
    "inner_attribute_item",
    "keyed_element",
    "label",
    "let_condition",
    "let_declaration",
    "lifetime",
    "macro_definition",
    "macro_invocation",
    "match_pattern",
    "meta_item",
    "mod_item",
    "mut_pattern",
    "or_pattern",
    "parameter",
    "parameter_declaration",
    "range_clause",
    "ref_pattern",
    "captured_pattern",
    "scoped_identifier",
    "scoped_type_identifier",
    "scoped_use_list",
    "short_var_declaration",
    "shorthand_field_initializer",
    "slice_pattern",
    "token_tree",
    "tuple_pattern",
    "type_switch_statement",
    "use_as_clause",
    "use_declaration",
    "use_list",
    "use_wildcard",
    "var_spec",
    "variadic_parameter_declaration",
    "receive_statement",
    "field_declaration",
    "enum_variant",
    "const_item",
    "static_item",
    "visibility_modifier",
    "struct_pattern",
    "literal_element",
];

/// Whether an identifier is a whole pattern or a whole element of one
/// (`Never =>`, `Some(Never)`, `A | B`): Rust reads it as the unit variant or
/// constant of that name in scope, if there is one.
fn is_pattern_ident<'t>(ctx: &FileCtx<'_, 't>, head: Node<'t>) -> bool {
    if head.kind() != "identifier" {
        return false;
    }
    let Some(p) = ctx.up(head) else { return false };
    match p.kind() {
        "match_pattern" | "or_pattern" | "tuple_pattern" | "slice_pattern" => true,
        "tuple_struct_pattern" => p
            .child_by_field_name("type")
            .map_or(true, |t| t.id() != head.id()),
        "let_condition" => p
            .child_by_field_name("pattern")
            .is_some_and(|t| t.id() == head.id()),
        _ => false,
    }
}

/// Whether a name or path captured as `@value` is used as a value: not a
/// callee (calls have their own pattern), not a declaration or binding, not
/// a prefix of a longer path, not inside a `use` tree or a macro's tokens.
fn is_value_position<'t>(ctx: &FileCtx<'_, 't>, head: Node<'t>) -> bool {
    if is_callee(ctx, head) {
        return false;
    }
    let Some(p) = ctx.up(head) else { return false };
    // A Go expression statement's list, `x.y` operands and the like are values;
    // so are the values of `let`, `const`, `static` and keyed literal elements.
    for field in ["value", "operand", "right", "argument"] {
        if p.child_by_field_name(field)
            .is_some_and(|v| v.id() == head.id())
        {
            return !matches!(p.kind(), "use_declaration" | "macro_invocation");
        }
    }
    if p.kind() == "literal_element" {
        // `T{Name: x}`: the key names a field; the value and list elements are values.
        return ctx
            .up(p)
            .filter(|k| k.kind() == "keyed_element")
            .and_then(|k| k.child_by_field_name("key"))
            .map_or(true, |k| k.id() != p.id());
    }
    // A tuple-struct pattern's path (`Some(x)`, `E::V(x)`) names a variant or struct.
    if p.kind() == "tuple_struct_pattern" {
        return p
            .child_by_field_name("type")
            .is_some_and(|t| t.id() == head.id());
    }
    // A lone path pattern (`E::V =>`).
    if p.kind() == "match_pattern" && head.kind() == "scoped_identifier" {
        return true;
    }
    if head.kind() == "scoped_identifier"
        && matches!(p.kind(), "or_pattern" | "tuple_pattern" | "slice_pattern")
    {
        return true;
    }
    !NOT_VALUE_PARENTS.contains(&p.kind())
}

fn is_ident(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(super::decls::is_ident_byte)
}

/// Split a written path or type into segments, dropping generic arguments,
/// pointers and references: `*pkg.T[int]` → `[pkg, T]`, `&a::B<'x>` → `[a, B]`.
fn type_segments(spec: &LangSpec, text: &str) -> Vec<String> {
    let mut s = text.trim();
    loop {
        let before = s;
        for prefix in ["*", "&", "mut ", "dyn ", "impl ", "const "] {
            if let Some(rest) = s.strip_prefix(prefix) {
                s = rest.trim_start();
            }
        }
        if let Some(rest) = s.strip_prefix('\'') {
            s = rest
                .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_')
                .trim_start();
        }
        // `Box<T>` stands for `T`.
        if let Some(open) = s.find('<') {
            let head = s[..open].rsplit(spec.refs.path_sep).next().unwrap_or("");
            if spec.refs.transparent_wrappers.contains(&head) && s.ends_with('>') {
                let inner = &s[open + 1..s.len() - 1];
                let end = top_level_comma(inner).unwrap_or(inner.len());
                s = inner[..end].trim();
            }
        }
        if s == before {
            break;
        }
    }
    let end = s
        .find(|c: char| {
            c == '<' || c == '[' || c == '(' || c == '+' || c == '{' || c.is_whitespace()
        })
        .unwrap_or(s.len());
    s[..end]
        .split(spec.refs.path_sep)
        .filter(|p| !p.is_empty())
        .map(|p| p.trim_start_matches("r#").to_string())
        .collect()
}

/// Whether a written type is `impl Trait` or `dyn Trait` (behind references).
fn is_opaque(text: &str) -> bool {
    let t = text.trim_start_matches(['&', ' ']);
    let t = t.strip_prefix("mut ").unwrap_or(t).trim_start();
    t.starts_with("impl ") || t.starts_with("dyn ")
}

/// The written type of a package-level variable, constant or static from its
/// signature: `var X T`, `var X = &T{…}`, `static X: T = …`, `const X: T`.
fn value_type(name: &str, signature: &str) -> Option<String> {
    let at = signature.find(name)? + name.len();
    let rest = signature[at..].trim_start();
    if let Some(r) = rest.strip_prefix(':') {
        let ty = r.split(" = ").next().unwrap_or(r).trim();
        return (!ty.is_empty()).then(|| ty.to_string());
    }
    if let Some(r) = rest.strip_prefix('=') {
        // A composite literal: `&T{`, `T{`, `pkg.T{`.
        let r = r.trim_start().trim_start_matches('&');
        let end = r.find('{')?;
        let ty = r[..end].trim();
        let simple = !ty.is_empty()
            && ty
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.' || c == '*');
        return simple.then(|| ty.to_string());
    }
    let ty = rest.split(" = ").next().unwrap_or(rest).trim();
    (!ty.is_empty()).then(|| ty.to_string())
}

/// The element type of a written collection type: Go `[]T`, `[N]T`,
/// `map[K]V` (indexed: `V`); Rust `Vec<T>`, `[T]`, `[T; N]`, `VecDeque<T>`,
/// `HashSet<T>`, `BTreeSet<T>`, `HashMap<K, V>` (indexed only: `V`).
fn element_of(ty: &str, indexed: bool) -> Option<String> {
    let mut t = ty.trim();
    loop {
        let before = t;
        for p in ["&", "*", "mut ", "'static "] {
            t = t.strip_prefix(p).unwrap_or(t).trim_start();
        }
        if t == before {
            break;
        }
    }
    if let Some(rest) = t.strip_prefix("map[") {
        let close = balanced_end(&format!("[{rest}"), '[', ']')?;
        return Some(rest[close..].trim().to_string());
    }
    if t.starts_with('[') {
        let close = balanced_end(t, '[', ']')?;
        let inside = &t[1..close];
        let after = t[close + 1..].trim();
        if after.is_empty() {
            // Rust `[T]`, `[T; N]`.
            let elem = inside.split(';').next().unwrap_or(inside).trim();
            return (!elem.is_empty()).then(|| elem.to_string());
        }
        // Go `[]T`, `[N]T`.
        return Some(after.to_string());
    }
    let open = t.find('<')?;
    let head = t[..open].rsplit("::").next().unwrap_or("");
    let inner = t[open + 1..].strip_suffix('>')?;
    match head {
        "Vec" | "VecDeque" | "HashSet" | "BTreeSet" | "BinaryHeap" | "Box" | "Rc" | "Arc" => {
            let elem = &inner[..top_level_comma(inner).unwrap_or(inner.len())];
            if matches!(head, "Box" | "Rc" | "Arc") {
                return element_of(elem, indexed);
            }
            Some(elem.trim().to_string())
        }
        "HashMap" | "BTreeMap" if indexed => {
            let comma = top_level_comma(inner)?;
            Some(inner[comma + 1..].trim().to_string())
        }
        _ => None,
    }
}

fn top_level_comma(s: &str) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// The written result type of a function from its signature: after a
/// top-level `->`, or else after the parameter list (the first result of a list).
pub(crate) fn result_type(name: &str, signature: &str) -> Option<String> {
    let bytes = signature.as_bytes();
    let mut depth = 0i32;
    for (i, c) in signature.char_indices() {
        match c {
            '<' if i > 0 && bytes[i - 1] != b'-' => depth += 1,
            '>' if i > 0 && bytes[i - 1] != b'-' => depth -= 1,
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            '-' if depth == 0 && bytes.get(i + 1) == Some(&b'>') => {
                let rest = &signature[i + 2..];
                let rest = rest.split(" where ").next().unwrap_or(rest);
                return Some(rest.trim().to_string());
            }
            _ => {}
        }
    }
    // After the name: type parameters, then parameters, then results.
    let mut at = signature.find(&format!("{name}("));
    if at.is_none() {
        at = signature.find(&format!("{name}["));
    }
    let mut rest = &signature[at? + name.len()..];
    for (open, close) in [('[', ']'), ('(', ')')] {
        if rest.starts_with(open) {
            let end = balanced_end(rest, open, close)?;
            rest = &rest[end + 1..];
        }
    }
    let rest = rest.trim();
    if rest.is_empty() {
        return None;
    }
    if let Some(list) = rest.strip_prefix('(') {
        let list = list.strip_suffix(')').unwrap_or(list);
        let first = &list[..top_level_comma(list).unwrap_or(list.len())];
        // A named result (`n int`): the type is the last word.
        let first = first.trim();
        return Some(first.rsplit(' ').next().unwrap_or(first).to_string());
    }
    Some(rest.to_string())
}

fn balanced_end(s: &str, open: char, close: char) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in s.char_indices() {
        if c == open {
            depth += 1;
        } else if c == close {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// The common method names of a language, parsed once from its data file.
fn common_methods(spec: &'static LangSpec) -> &'static BTreeSet<String> {
    static SETS: std::sync::OnceLock<Vec<BTreeSet<String>>> = std::sync::OnceLock::new();
    let all = SETS.get_or_init(|| {
        crate::scan::lang::LANGS
            .iter()
            .map(|l| {
                l.refs
                    .common_methods
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_string)
                    .collect()
            })
            .collect()
    });
    &all[crate::scan::lang::lang_index(spec)]
}

impl<'a, 't> FileCtx<'a, 't> {
    fn text(&self, n: Node<'t>) -> &'t str {
        n.text()
    }

    /// The innermost named function around `n`.
    fn function_of(&self, n: Node<'t>) -> Option<usize> {
        let mut cur = self.up(n);
        while let Some(p) = cur {
            if self.funcs.contains_key(&p.id()) {
                return Some(p.id());
            }
            cur = self.up(p);
        }
        None
    }

    /// Whether `name` at `n` is a name its function declares for itself.
    fn is_local(&self, n: Node<'t>, name: &str) -> bool {
        let mut cur = self.up(n);
        while let Some(p) = cur {
            let declared = self.locals.get(&p.id()).is_some_and(|l| l.contains(name));
            if self.funcs.contains_key(&p.id()) && declared {
                return true;
            }
            cur = self.up(p);
        }
        false
    }

    /// The full segments of a path inside a `use` declaration, with the
    /// prefixes of the enclosing `a::{…}` lists before its own.
    fn use_path_segments(&self, path: Node<'t>) -> Vec<String> {
        let mut segs = type_segments(self.spec, self.text(path));
        let mut child = path;
        let mut cur = path.parent();
        while let Some(p) = cur {
            if let Some(prefix) = p.child_by_field_name("path") {
                if prefix.id() != child.id() && prefix.id() != path.id() {
                    let mut pre = type_segments(self.spec, self.text(prefix));
                    pre.append(&mut segs);
                    segs = pre;
                }
            }
            child = p;
            cur = p.parent();
        }
        segs
    }

    /// Record a glob import (`use a::b::*`): the module whose names it brings in.
    fn add_glob(&mut self, path: Node<'t>) {
        let segs = self.use_path_segments(path);
        let (container, module) = self.container_of(path);
        let expanded = self.expand_in(path, segs, false, &module);
        let (start, end) = container.map_or((0, usize::MAX), |c| (c.start_byte(), c.end_byte()));
        self.globs.push((start, end, expanded));
    }

    /// The innermost module or function around a `use` declaration, and the
    /// module its paths are relative to (an inline module's, else the file's).
    fn container_of(&self, path: Node<'t>) -> (Option<Node<'t>>, Vec<String>) {
        let mut container = path.parent();
        while let Some(c) = container {
            if self.containers.contains(&c.id()) {
                break;
            }
            container = c.parent();
        }
        let mut module = self.module.clone();
        if let Some(c) = container {
            if !self.funcs.contains_key(&c.id()) {
                if let Some(name) = c.child_by_field_name("name") {
                    module.push(self.text(name).to_string());
                }
            }
        }
        (container, module)
    }

    fn decls(&self) -> &'a Decls {
        self.shared.decls
    }

    /// [`Decls::lookup_in_module`], asked once per file.
    fn lookup_in_module(&self, module: &[String], name: &str) -> Option<Vec<String>> {
        let memo = &self.lookups.in_module;
        if let Some(known) = memo.borrow().get(module).and_then(|m| m.get(name)) {
            return known.clone();
        }
        let found = self.decls().lookup_in_module(module, name);
        memo.borrow_mut()
            .entry(module.to_vec())
            .or_default()
            .insert(name.to_string(), found.clone());
        found
    }

    /// [`Decls::through_uses`], asked once per file.
    fn through_uses(&self, path: &[String]) -> Option<&'a Decl> {
        self.remembered(&self.lookups.through_uses, path, Decls::through_uses)
    }

    /// [`Decls::reexported`], asked once per file.
    fn reexported(&self, path: &[String]) -> Option<&'a Decl> {
        self.remembered(&self.lookups.reexported, path, Decls::reexported)
    }

    /// `find(decls, path)`, asked once per file: `memo` keeps each answer
    /// as the declaration's place in [`Decls::all`].
    fn remembered(
        &self,
        memo: &std::cell::RefCell<IdMap<Vec<String>, Option<usize>>>,
        path: &[String],
        find: fn(&'a Decls, &[String]) -> Option<&'a Decl>,
    ) -> Option<&'a Decl> {
        let decls = self.decls();
        if let Some(&known) = memo.borrow().get(path) {
            return known.map(|i| &decls.all[i]);
        }
        let found = find(decls, path);
        memo.borrow_mut()
            .insert(path.to_vec(), found.and_then(|d| decls.index_of(d)));
        found
    }

    /// Whether `word` occurs in the file as a whole identifier. The file's
    /// words are collected once: asking per reference would scan the file
    /// once per call site, quadratic in the file's size.
    fn mentions(&self, word: &str) -> bool {
        self.words
            .get_or_init(|| {
                let text = std::str::from_utf8(self.src).unwrap_or_default();
                super::decls::words(text).map(str::to_string).collect()
            })
            .contains(word)
    }

    /// The parent of a node; the root of a macro body's tree has the macro's.
    fn up(&self, n: Node<'t>) -> Option<Node<'t>> {
        n.parent()
            .or_else(|| self.macro_parent.get(&n.id()).copied())
    }

    /// The nearest enclosing scope of a node (itself excluded).
    fn scope_of(&self, n: Node<'t>) -> Option<usize> {
        let mut cur = self.up(n);
        while let Some(p) = cur {
            if self.scopes.contains(&p.id()) {
                return Some(p.id());
            }
            cur = self.up(p);
        }
        None
    }

    fn lookup_binding(&self, at: Node<'t>, name: &str) -> Option<Binding<'t>> {
        let mut cur = self.up(at);
        while let Some(p) = cur {
            if self.scopes.contains(&p.id()) {
                if let Some(b) = self.bindings.get(&p.id()).and_then(|s| s.get(name)) {
                    return Some(*b);
                }
            }
            cur = self.up(p);
        }
        None
    }

    fn add_import(&mut self, path: Node<'t>, alias: Option<Node<'t>>) {
        let text = self.text(path);
        let quoted = text.starts_with('"');
        let segs: Vec<String> = if quoted {
            // A quoted import path is one segment.
            vec![text.trim_matches('"').to_string()]
        } else {
            self.use_path_segments(path)
        };
        let segs: Vec<String> = if segs.last().is_some_and(|s| s == "self") {
            segs[..segs.len() - 1].to_vec()
        } else {
            segs
        };
        let Some(last) = segs.last() else { return };
        let alias = match alias {
            Some(a) => self.text(a).to_string(),
            None => {
                // `gopkg.in/yaml.v3` → `yaml`, `example.com/m/v2` → `m`.
                let mut parts = last.rsplit('/');
                let mut name = parts.next().unwrap_or(last);
                if name.starts_with('v')
                    && name[1..].bytes().all(|b| b.is_ascii_digit())
                    && name.len() > 1
                {
                    name = parts.next().unwrap_or(name);
                }
                name.split('.').next().unwrap_or(name).to_string()
            }
        };
        if !is_ident(&alias) {
            return;
        }
        // An import inside a module or function applies there only; `super`
        // in an inline module is the file's module.
        let (container, module) = self.container_of(path);
        let expanded = if quoted {
            segs
        } else {
            self.expand_in(path, segs, false, &module)
        };
        match container {
            Some(c) => self
                .scoped_imports
                .push((c.start_byte(), c.end_byte(), alias, expanded)),
            None => {
                self.imports.insert(alias, expanded);
            }
        }
    }

    /// The full path an import alias stands for at `at`: the innermost
    /// enclosing scoped import, else the file's.
    fn import_of(&self, at: Node, alias: &str) -> Option<&Vec<String>> {
        let b = at.start_byte();
        self.scoped_imports
            .iter()
            .filter(|(s, e, a, _)| *s <= b && b < *e && a == alias)
            .min_by_key(|(s, e, _, _)| e - s)
            .map(|(_, _, _, p)| p)
            .or_else(|| self.imports.get(alias))
    }

    /// Expand the first segment of a written path into a full path: an import
    /// alias, `crate`, `self`, `super`, `Self`, a name of the file's own package.
    ///
    /// `in_code`: a lone name is one of the file's own package (in a `use`
    /// path it is a crate).
    fn expand_head(&self, at: Node, segs: Vec<String>, in_code: bool) -> Vec<String> {
        let path = self.expand_in(at, segs, in_code, &self.module);
        self.canonical(path)
    }

    /// The path of the declaration `path` names through re-exports
    /// (`krate::Config` for `krate::config::Config`), else `path`.
    fn canonical(&self, path: Vec<String>) -> Vec<String> {
        if self.spec.refs.closed_world {
            return path;
        }
        if let Some(known) = self.lookups.canonical.borrow().get(&path) {
            return known.clone();
        }
        let decls = self.decls();
        let found = if decls.get(&path).is_some() {
            path.clone()
        } else {
            self.through_uses(&path)
                .map_or_else(|| path.clone(), |d| d.path.clone())
        };
        self.lookups
            .canonical
            .borrow_mut()
            .insert(path, found.clone());
        found
    }

    /// [`Self::expand_head`] relative to `module`.
    fn expand_in(
        &self,
        at: Node,
        segs: Vec<String>,
        in_code: bool,
        module: &[String],
    ) -> Vec<String> {
        let Some(first) = segs.first() else {
            return segs;
        };
        if in_code {
            if let Some(full) = self.import_of(at, first) {
                let mut out = full.clone();
                out.extend(segs[1..].iter().cloned());
                return out;
            }
        }
        match first.as_str() {
            "crate" if !module.is_empty() => {
                let krate = module[0].clone();
                return std::iter::once(krate)
                    .chain(segs[1..].iter().cloned())
                    .collect();
            }
            "self" if segs.len() > 1 => {
                return module
                    .iter()
                    .cloned()
                    .chain(segs[1..].iter().cloned())
                    .collect();
            }
            "super" => {
                let mut base = module.to_vec();
                let mut rest = &segs[..];
                while rest.first().is_some_and(|s| s == "super") {
                    base.pop();
                    rest = &rest[1..];
                }
                base.extend(rest.iter().cloned());
                return base;
            }
            "Self" => {
                if let Some(Binding::Type(ty)) = self.lookup_binding(at, "Self") {
                    let mut out =
                        self.expand_head(ty, type_segments(self.spec, self.text(ty)), true);
                    out.extend(segs[1..].iter().cloned());
                    return out;
                }
            }
            _ => {}
        }
        let mut local = module.to_vec();
        local.push(first.clone());
        let decls = self.decls();
        let here = decls.get(&local).is_some() || decls.is_prefix(&local);
        if !here {
            // A name a glob import brings in (`use a::b::*;`), through what
            // that module declares, imports and re-exports.
            // The innermost scope's globs first (a function's `use E::*`
            // shadows the file's `use super::*`); two globs of one scope
            // that bring in different items leave the name unresolved.
            let b = at.start_byte();
            let mut around: Vec<&(usize, usize, Vec<String>)> = self
                .globs
                .iter()
                .filter(|(s, e, _)| *s <= b && b < *e)
                .collect();
            around.sort_by_key(|(s, e, _)| e - s);
            let mut ambiguous = false;
            for scope in around.chunk_by(|x, y| x.1 - x.0 == y.1 - y.0) {
                let mut found: Vec<Vec<String>> = scope
                    .iter()
                    .filter_map(|(_, _, g)| self.lookup_in_module(g, first))
                    .collect();
                found.dedup();
                match found.as_slice() {
                    [] => continue,
                    [p] => {
                        let mut p = p.clone();
                        p.extend(segs[1..].iter().cloned());
                        return p;
                    }
                    _ => {
                        ambiguous = true;
                        break;
                    }
                }
            }
            // A name the module's `use` declarations bring in (from any of
            // its files, or a parent's through `use super::*`).
            if !self.spec.refs.closed_world && !ambiguous {
                if let Some(mut p) = self.lookup_in_module(module, first) {
                    p.extend(segs[1..].iter().cloned());
                    return p;
                }
            }
        }
        if (in_code && segs.len() == 1) || here {
            local.extend(segs[1..].iter().cloned());
            return local;
        }
        segs
    }

    /// The full path of a written type or path in this file.
    fn type_path(&self, at: Node<'t>, text: &str) -> Vec<String> {
        self.expand_head(at, type_segments(self.spec, text), true)
    }

    /// The full path of a written type in another declaration's package.
    /// A function of the declarations only: asked once per file.
    fn foreign_type_path(&self, owner: &Decl, text: &str) -> Option<Vec<String>> {
        // Declarations live in `Decls::all`: the address names one.
        let id = std::ptr::from_ref(owner) as usize;
        let memo = &self.lookups.foreign_types;
        if let Some(known) = memo.borrow().get(&id).and_then(|m| m.get(text)) {
            return known.clone();
        }
        let found = self.foreign_type_path_of(owner, text);
        memo.borrow_mut()
            .entry(id)
            .or_default()
            .insert(text.to_string(), found.clone());
        found
    }

    /// [`FileCtx::foreign_type_path`] without the memo.
    fn foreign_type_path_of(&self, owner: &Decl, text: &str) -> Option<Vec<String>> {
        let segs = type_segments(owner.spec, text);
        let last = segs.last()?;
        if last == "Self" && segs.len() == 1 {
            return Some(owner.path[..owner.path.len() - 1].to_vec());
        }
        let decls = self.decls();
        // Through the owner's module: its items and `use` declarations.
        if !owner.spec.refs.closed_world {
            if let Some(p) = decls.use_target(&package_of(owner), &segs) {
                if decls.get(&p).is_some() {
                    return Some(p);
                }
            }
        }
        // Through the owner's file's Go imports (`ast.Task` where two
        // packages are named `ast`).
        if segs.len() >= 2 {
            if let Some(pkg) = decls.go_import(&owner.file, &segs[0]) {
                let mut p = pkg.to_vec();
                p.extend(segs[1..].iter().cloned());
                if decls.get(&p).is_some() {
                    return Some(p);
                }
            }
        }
        if segs.len() == 1 {
            let mut p = package_of(owner);
            p.push(last.clone());
            if decls.get(&p).is_some() {
                return Some(p);
            }
        } else if let [pkg] = decls.packages_named(&segs[0]) {
            let mut p = pkg.clone();
            p.extend(segs[1..].iter().cloned());
            if decls.get(&p).is_some() {
                return Some(p);
            }
        }
        let mut named = decls.types_named(last);
        match (named.next(), named.next()) {
            (Some(d), None) => Some(d.path.clone()),
            // `impl Trait` / `dyn Trait` of a trait from elsewhere: the
            // concrete type is not known.
            _ if is_opaque(text) => None,
            _ => Some(segs),
        }
    }

    /// The type of an expression, as a full path, when it can be known.
    fn expr_type(&self, n: Node<'t>, depth: u32) -> Option<Vec<String>> {
        let memo = &self.types;
        let id = n.id();
        if let Some((ty, span)) = memo.found.borrow().get(&id) {
            if depth + span <= MAX_TYPE_DEPTH {
                memo.deepest.set(memo.deepest.get().max(depth + span));
                return ty.clone();
            }
        }
        // A chase that comes back to an expression it is still chasing
        // (`let x = x.clone()` read with the last binding of `x`) learns
        // nothing more by going round again.
        let at = memo.chasing.borrow().iter().position(|&c| c == id);
        if let Some(at) = at {
            memo.lowest_cut.set(memo.lowest_cut.get().min(at));
            return None;
        }
        let level = {
            let mut chasing = memo.chasing.borrow_mut();
            chasing.push(id);
            chasing.len() - 1
        };
        let outer_deepest = memo.deepest.replace(depth);
        let outer_cut = memo.lowest_cut.replace(usize::MAX);
        let ty = self.chase_type(n, depth);
        memo.chasing.borrow_mut().pop();
        let (reached, cut) = (memo.deepest.get(), memo.lowest_cut.get());
        // Kept only if no depth limit and no cut outside this chase shaped it.
        if reached <= MAX_TYPE_DEPTH && cut >= level {
            memo.found
                .borrow_mut()
                .insert(id, (ty.clone(), reached - depth));
        }
        memo.deepest.set(outer_deepest.max(reached));
        memo.lowest_cut.set(outer_cut.min(cut));
        ty
    }

    /// [`FileCtx::expr_type`] without the memo.
    fn chase_type(&self, n: Node<'t>, depth: u32) -> Option<Vec<String>> {
        if depth > MAX_TYPE_DEPTH {
            return None;
        }
        match n.kind() {
            // `(x)`, `x?`, `x.await`, `&x`, `*x`: the type of `x` (wrappers such
            // as `Result` and `Box` stand for their argument anyway).
            "parenthesized_expression"
            | "try_expression"
            | "await_expression"
            | "reference_expression"
            | "unary_expression" => {
                let inner = n
                    .child_by_field_name("value")
                    .or_else(|| n.child_by_field_name("operand"))
                    .or_else(|| n.named_child(0))?;
                return self.expr_type(inner, depth + 1);
            }
            // `x.(T)`, `x as T`.
            "type_assertion_expression" | "type_cast_expression" => {
                let ty = n.child_by_field_name("type")?;
                return Some(self.type_path(ty, self.text(ty)));
            }
            // `if c { a } else { b }`, `match x { … => a, … }`, `{ …; a }`: the
            // type of the first branch whose value's type is known.
            "if_expression" => {
                let branches = [
                    n.child_by_field_name("consequence"),
                    n.child_by_field_name("alternative")
                        .and_then(|e| e.named_child(0)),
                ];
                return branches
                    .into_iter()
                    .flatten()
                    .find_map(|b| self.expr_type(b, depth + 1));
            }
            "match_expression" => {
                let arms = n.child_by_field_name("body")?;
                return arms
                    .named_children()
                    .filter_map(|arm| arm.child_by_field_name("value"))
                    .find_map(|v| self.expr_type(v, depth + 1));
            }
            "block" => {
                let tail = n
                    .named_children()
                    .filter(|c| !c.kind().ends_with("comment"))
                    .last()?;
                let is_statement = tail.kind().ends_with("_statement")
                    || tail.kind().ends_with("_item")
                    || tail.kind() == "let_declaration";
                return (!is_statement)
                    .then(|| self.expr_type(tail, depth + 1))
                    .flatten();
            }
            // `xs[i]`, `m[k]`: an element.
            "index_expression" => {
                let coll = n
                    .child_by_field_name("operand")
                    .or_else(|| n.named_child(0))?;
                return self.element_type(coll, true, depth + 1);
            }
            _ => {}
        }
        if let Some(r) = self.constructs.get(&n.id()) {
            return Some(self.written_path(r));
        }
        // `ExitCode::GeneralError.exit()`: a variant's value has its enum's type.
        if n.kind() == "scoped_identifier" && !self.spec.refs.closed_world {
            let mut segs = type_segments(self.spec, self.text(n));
            segs = self.expand_head(n, segs, true);
            let d = self.decls().get(&segs)?;
            return (d.class == Class::Variant).then(|| d.path[..d.path.len() - 1].to_vec());
        }
        if let Some(r) = self.calls.get(&n.id()) {
            return self.call_result(r, depth + 1);
        }
        if let Some((obj, field)) = self.fields.get(&n.id()) {
            let owner_path = self.expr_type(*obj, depth + 1)?;
            let decls = self.decls();
            let fname = self.text(*field);
            let f = self.field_in(decls.get(&owner_path)?, fname, 0)?;
            let holder = decls.get(&f.path[..f.path.len() - 1])?;
            let (_, ty) = holder.fields.iter().find(|(n, _)| n == fname)?;
            return self.foreign_type_path(holder, ty);
        }
        let text = self.text(n);
        if !is_ident(text) {
            return None;
        }
        match self.lookup_binding(n, text) {
            Some(Binding::Type(ty)) => self
                .bound_of(ty)
                .or_else(|| Some(self.type_path(ty, self.text(ty)))),
            Some(Binding::Call(callee)) => {
                let call = self.up(callee)?;
                let r = self.calls.get(&call.id())?;
                self.call_result(r, depth + 1)
            }
            Some(Binding::Elem(coll)) => self.element_type(coll, false, depth + 1),
            Some(Binding::Expr(value)) => self.expr_type(value, depth + 1),
            // A package-level variable, constant or static of a written type.
            None => {
                if self.is_local(n, text) {
                    return None;
                }
                let (owner, ty) = self.written_type(n, depth + 1)?;
                match owner {
                    Some(o) => self.foreign_type_path(o, &ty),
                    None => Some(self.type_path(n, &ty)),
                }
            }
        }
    }

    /// For a written type that is a type parameter (`c: C`, `c: &mut C`):
    /// the one repository trait among its bounds, written in the enclosing
    /// function's or impl's parameter list (`<C: Cache>`) or `where` clause
    /// (`where C: Cache + Send`). `None` for any other type, and when the
    /// bounds name no repository trait or more than one.
    fn bound_of(&self, ty: Node<'t>) -> Option<Vec<String>> {
        if self.spec.refs.closed_world {
            return None;
        }
        let segs = type_segments(self.spec, self.text(ty));
        let [name] = segs.as_slice() else {
            return None;
        };
        if !self.generics.contains(name) || is_opaque(self.text(ty)) {
            return None;
        }
        let mut cur = self.up(ty);
        while let Some(n) = cur {
            cur = self.up(n);
            if !matches!(
                n.kind(),
                "function_item" | "function_signature_item" | "impl_item" | "trait_item"
            ) {
                continue;
            }
            let mut declared = false;
            let mut bounds = Vec::new();
            for p in n
                .child_by_field_name("type_parameters")
                .into_iter()
                .flat_map(|tp| tp.named_children())
            {
                if p.child_by_field_name("name")
                    .is_some_and(|x| self.text(x) == name)
                {
                    declared = true;
                    bounds.extend(p.child_by_field_name("bounds"));
                }
            }
            for w in n.named_children().filter(|c| c.kind() == "where_clause") {
                for pred in w.named_children() {
                    if pred
                        .child_by_field_name("left")
                        .is_some_and(|l| self.text(l) == name)
                    {
                        bounds.extend(pred.child_by_field_name("bounds"));
                    }
                }
            }
            if !declared && bounds.is_empty() {
                continue;
            }
            let mut traits: Vec<Vec<String>> = bounds
                .iter()
                .flat_map(|b| b.named_children())
                .filter_map(|t| {
                    let path = self.type_path(t, self.text(t));
                    let d = self.decls().get(&path)?;
                    (d.kind == "trait").then(|| d.path.clone())
                })
                .collect();
            traits.dedup();
            return match <[Vec<String>; 1]>::try_from(traits) {
                Ok([one]) => Some(one),
                Err(_) => None,
            };
        }
        None
    }

    /// The type written for an expression's value, as text, with the
    /// declaration it was written in (`None`: in this file): a binding's
    /// type, a field's, a package-level variable's.
    fn written_type(&self, n: Node<'t>, depth: u32) -> Option<(Option<&'a Decl>, String)> {
        // Its depth counts toward the chase that asked (see `TypeMemo`).
        let memo = &self.types;
        memo.deepest.set(memo.deepest.get().max(depth));
        if depth > MAX_TYPE_DEPTH {
            return None;
        }
        match n.kind() {
            "parenthesized_expression" | "reference_expression" | "unary_expression" => {
                let inner = n
                    .child_by_field_name("value")
                    .or_else(|| n.child_by_field_name("operand"))
                    .or_else(|| n.named_child(0))?;
                return self.written_type(inner, depth + 1);
            }
            _ => {}
        }
        // `xs.iter()`, `xs.iter_mut()`, `xs.into_iter()`: the collection itself.
        if let Some(r) = self.calls.get(&n.id()) {
            let name = self.text(r.name);
            if matches!(name, "iter" | "iter_mut" | "into_iter") {
                return self.written_type(r.operand?, depth + 1);
            }
            return None;
        }
        if let Some((obj, field)) = self.fields.get(&n.id()) {
            let owner_path = self.expr_type(*obj, depth + 1)?;
            let decls = self.decls();
            let fname = self.text(*field);
            let f = self.field_in(decls.get(&owner_path)?, fname, 0)?;
            let holder = decls.get(&f.path[..f.path.len() - 1])?;
            let (_, ty) = holder.fields.iter().find(|(n, _)| n == fname)?;
            return Some((Some(holder), ty.clone()));
        }
        let text = self.text(n);
        if !is_ident(text) {
            return None;
        }
        match self.lookup_binding(n, text) {
            // `opts ...Option` is a slice of `Option` in the function.
            Some(Binding::Type(ty))
                if self
                    .up(ty)
                    .is_some_and(|p| p.kind() == "variadic_parameter_declaration") =>
            {
                Some((None, format!("[]{}", self.text(ty))))
            }
            Some(Binding::Type(ty)) => Some((None, self.text(ty).to_string())),
            Some(Binding::Expr(value)) => self.written_type(value, depth + 1),
            Some(_) => None,
            None => {
                let path = self.expand_head(n, vec![text.to_string()], true);
                let d = self.decls().get(&path)?;
                if !matches!(d.kind.as_str(), "var" | "const" | "static") {
                    return None;
                }
                Some((Some(d), value_type(&d.name, &d.signature)?))
            }
        }
    }

    /// The type of an element of the collection `coll`: indexed (`xs[i]`,
    /// `m[k]`) or iterated (`for x in xs`, `for _, x := range xs`).
    fn element_type(&self, coll: Node<'t>, indexed: bool, depth: u32) -> Option<Vec<String>> {
        let (owner, ty) = self.written_type(coll, depth + 1)?;
        let elem = element_of(&ty, indexed)?;
        match owner {
            Some(o) => self.foreign_type_path(o, &elem),
            None => Some(self.type_path(coll, &elem)),
        }
    }

    fn call_result(&self, r: &RawRef<'t>, depth: u32) -> Option<Vec<String>> {
        let name = self.text(r.name);
        let key = match self.denote(r, depth) {
            Denot::Decl(key) => key,
            // `x.clone()`, `x.unwrap()`, `m.lock()`: a standard method that
            // returns its receiver's type (or what a wrapper of it holds).
            Denot::Method { .. } if SAME_TYPE_METHODS.contains(&name) => {
                return self.expr_type(r.operand?, depth + 1);
            }
            // `xs.iter().next()`, `xs.first()`, `m.get(k)` of a collection whose
            // written type is known: one element of it.
            Denot::Method { .. } if !self.spec.refs.closed_world => {
                let op = r.operand?;
                let iterated = self
                    .calls
                    .get(&op.id())
                    .filter(|c| matches!(self.text(c.name), "iter" | "iter_mut" | "into_iter"));
                if ITEM_METHODS.contains(&name) && iterated.is_some() {
                    return self.element_type(op, false, depth + 1);
                }
                if ELEMENT_METHODS.contains(&name) {
                    return self.element_type(op, true, depth + 1);
                }
                return None;
            }
            // `T::default()`, `T::from(x)` on a repository type, derived or
            // implemented through a trait of the standard library.
            Denot::Nothing | Denot::Path(_)
                if r.operand.is_none() && SAME_TYPE_CONSTRUCTORS.contains(&name) =>
            {
                let q = r.qualifier?;
                let qpath = self.expand_head(q, type_segments(self.spec, self.text(q)), true);
                return self
                    .decls()
                    .get(&qpath)
                    .filter(|d| d.class == Class::Type)
                    .map(|d| d.path.clone());
            }
            _ => return None,
        };
        let d = self.decls().get_key(&key)?;
        if d.class == Class::Type {
            // A conversion `T(x)` has type `T`.
            return Some(d.path.clone());
        }
        let ty = result_type(&d.name, &d.signature)?;
        self.foreign_type_path(d, &ty)
    }

    /// The path a reference writes (qualifier and name), expanded.
    fn written_path(&self, r: &RawRef<'t>) -> Vec<String> {
        let mut segs = match r.qualifier {
            Some(q) => type_segments(self.spec, self.text(q)),
            None => Vec::new(),
        };
        segs.push(self.text(r.name).to_string());
        self.expand_head(r.name, segs, true)
    }

    /// The field `name` of `owner`, or of a struct it embeds (Go promotion).
    fn field_in(&self, owner: &'a Decl, name: &str, depth: u32) -> Option<&'a Decl> {
        let decls = self.decls();
        if let Some(f) = decls.field_of(owner, name) {
            return Some(f);
        }
        if depth >= 3 {
            return None;
        }
        decls.embedded_types(owner).find_map(|ty| {
            let p = self.foreign_type_path(owner, ty)?;
            self.field_in(decls.get(&p)?, name, depth + 1)
        })
    }

    /// The method `name` of a struct that `owner` embeds (Go promotion).
    fn promoted_method(&self, owner: &'a Decl, name: &str, depth: u32) -> Option<&'a Decl> {
        if depth >= 3 {
            return None;
        }
        let decls = self.decls();
        decls.embedded_types(owner).find_map(|ty| {
            let p = self.foreign_type_path(owner, ty)?;
            let mut full = p.clone();
            full.push(name.to_string());
            if let Some(m) = decls.get(&full) {
                return Some(m);
            }
            self.promoted_method(decls.get(&p)?, name, depth + 1)
        })
    }

    /// Resolve a reference against the repository's declarations.
    fn denote(&self, r: &RawRef<'t>, depth: u32) -> Denot {
        let decls = self.decls();
        let name = self.text(r.name).to_string();
        // A field named in a literal or pattern: a field of the written type.
        if let Some(ty) = r.key_type {
            let owner = self.type_path(ty, self.text(ty));
            return match decls.get(&owner).and_then(|o| self.field_in(o, &name, 0)) {
                Some(f) => Denot::Decl(f.key.clone()),
                None => Denot::Nothing,
            };
        }
        let path = match r.operand {
            Some(op)
                if !(is_ident(self.text(op)) && self.import_of(op, self.text(op)).is_some()) =>
            {
                let Some(recv) = self.expr_type(op, depth + 1) else {
                    if r.kind == HitKind::Field {
                        return Denot::Nothing;
                    }
                    return Denot::Method {
                        receiver: Receiver::Unknown,
                        name,
                    };
                };
                // A type parameter (`item: T` under `impl<T: Tr> X for T`):
                // not the blanket impl's methods, which are declared on `T`.
                if !self.spec.refs.closed_world
                    && recv.len() <= self.module.len() + 1
                    && recv.last().is_some_and(|n| self.generics.contains(n))
                    && decls.get(&recv).map_or(true, |d| d.class != Class::Type)
                {
                    if r.kind == HitKind::Field {
                        return Denot::Nothing;
                    }
                    return Denot::Method {
                        receiver: Receiver::Unknown,
                        name,
                    };
                }
                let owner = decls.get(&recv);
                if r.kind == HitKind::Field {
                    if let Some(f) = owner.and_then(|o| self.field_in(o, &name, 0)) {
                        return Denot::Decl(f.key.clone());
                    }
                }
                let mut full = recv.clone();
                full.push(name.clone());
                if let Some(m) = decls.get(&full) {
                    return Denot::Decl(m.key.clone());
                }
                // An impl elsewhere in the same crate or package; for a type
                // from elsewhere (`impl Tr for Vec<u8>`) only a name no
                // standard type has, since an inherent method wins.
                if let Some(tname) = recv
                    .last()
                    .filter(|_| owner.is_some() || !self.common.contains(&name))
                {
                    if let Some(m) = decls
                        .methods_of(tname, &name)
                        .find(|m| m.path.first() == recv.first())
                    {
                        return Denot::Decl(m.key.clone());
                    }
                }
                if let Some(m) = owner.and_then(|o| self.promoted_method(o, &name, 0)) {
                    return Denot::Decl(m.key.clone());
                }
                // `opts.Printer(x)`: a call of a field of function type.
                if let Some(f) = owner.and_then(|o| self.field_in(o, &name, 0)) {
                    return Denot::Decl(f.key.clone());
                }
                if r.kind == HitKind::Field {
                    return Denot::Nothing;
                }
                let receiver = if owner.is_some() {
                    Receiver::Declared
                } else if !self.spec.refs.closed_world
                    && recv.len() <= self.module.len() + 1
                    && recv.last().is_some_and(|n| self.generics.contains(n))
                {
                    // A type parameter (`S: Sink`): its methods are those of its
                    // bounds, not known here.
                    Receiver::Unknown
                } else {
                    // A type from elsewhere (`v: Vec<T>`): a method of a
                    // repository trait in scope that no standard type has.
                    if !self.spec.refs.closed_world && !self.common.contains(&name) {
                        if let Some(m) = self.trait_method_in_scope(r.name, &name) {
                            return Denot::Decl(m.key.clone());
                        }
                    }
                    Receiver::External
                };
                return Denot::Method { receiver, name };
            }
            Some(op) => self.expand_head(op, vec![self.text(op).to_string(), name], true),
            None if r.pattern => {
                // Only a unit variant or constant in scope, never a guess.
                let path = self.written_path(r);
                return match decls.get(&path) {
                    Some(d)
                        if d.class == Class::Variant
                            || matches!(d.kind.as_str(), "const" | "static") =>
                    {
                        Denot::Decl(d.key.clone())
                    }
                    _ => Denot::Nothing,
                };
            }
            None => {
                // A bare name used as a value: a local shadows the package's.
                if r.kind == HitKind::Value
                    && r.qualifier.is_none()
                    && (self.is_local(r.name, &name)
                        || self.lookup_binding(r.name, &name).is_some())
                {
                    return Denot::Nothing;
                }
                self.written_path(r)
            }
        };
        if let Some(d) = decls.get(&path) {
            return match self.trait_item_of(d) {
                Some(Some(t)) => Denot::Decl(t.key.clone()),
                Some(None) => Denot::Nothing,
                None => Denot::Decl(d.key.clone()),
            };
        }
        // Re-exports (`pub use glob::Glob`) make another path to a declaration.
        if !self.spec.refs.closed_world
            && path.len() > 1
            && self.through_uses(&path).is_none()
            && !decls.has_uses(&path[..path.len() - 1])
        {
            if let Some(d) = self.reexported(&path) {
                return Denot::Decl(d.key.clone());
            }
        }
        // A path into another crate or the standard library names nothing here.
        if path
            .first()
            .map_or(true, |f| !decls.is_prefix(std::slice::from_ref(f)))
        {
            return Denot::Nothing;
        }
        Denot::Path(path)
    }

    /// The one method `name` declared by a repository trait that is in
    /// scope at `at`: imported, declared in the module, or brought in by a
    /// glob (`use rayon::prelude::*`).
    fn trait_method_in_scope(&self, at: Node<'t>, name: &str) -> Option<&'a Decl> {
        let decls = self.decls();
        let mut found = decls.methods_named(name).filter(|m| {
            m.trait_impl.is_none()
                && decls
                    .get(&m.path[..m.path.len() - 1])
                    .is_some_and(|t| t.kind == "trait" && self.trait_in_scope(at, t))
        });
        match (found.next(), found.next()) {
            (Some(m), None) => Some(m),
            _ => None,
        }
    }

    /// Whether the trait `t` is in scope at `at`.
    fn trait_in_scope(&self, at: Node<'t>, t: &Decl) -> bool {
        let is_it = |p: Option<Vec<String>>| p.is_some_and(|p| p == t.path);
        if self.module == t.path[..t.path.len() - 1] {
            return true;
        }
        if self.mentions(&t.name) {
            let written = self.expand_head(at, vec![t.name.clone()], true);
            if written == t.path {
                return true;
            }
        }
        let b = at.start_byte();
        self.globs
            .iter()
            .filter(|(s, e, _)| *s <= b && b < *e)
            .any(|(_, _, g)| is_it(self.lookup_in_module(g, &t.name)))
            || is_it(self.lookup_in_module(&self.module, &t.name))
    }

    /// An associated type of a trait impl (`type Folder = …` under `impl
    /// Consumer for C`) named by a path (`Self::Folder`) is the trait's
    /// associated type: `Some(the trait's)` when the trait is the
    /// repository's and declares it, `Some(None)` when not; `None` for any
    /// other declaration.
    fn trait_item_of(&self, d: &'a Decl) -> Option<Option<&'a Decl>> {
        if d.kind != "type" || d.parent.is_none() {
            return None;
        }
        let tr = d.trait_impl.as_deref()?;
        let mut named = self.decls().named(&d.name).filter(|t| {
            t.kind == "type" && t.trait_impl.is_none() && t.parent.as_deref() == Some(tr)
        });
        Some(match (named.next(), named.next()) {
            (Some(t), None) => Some(t),
            _ => None,
        })
    }

    /// The hits of a reference, each with the key of the target it names.
    fn judge(&self, r: &RawRef<'t>, file: &SourceFile) -> Vec<(String, Hit)> {
        let shared = self.shared;
        let decls = self.decls();
        let mut out = Vec::new();
        let mut push = |at: Node<'t>,
                        kind: HitKind,
                        (key, t): (&&str, &Target),
                        inferred: bool,
                        candidates: Vec<String>| {
            let kind = match (kind, t.decl.class) {
                (HitKind::Call, Class::Type) => HitKind::Type,
                (HitKind::Field, c) if c != Class::Field => HitKind::Value,
                (k, _) => k,
            };
            let hit = if shared.slim && !matches!(kind, HitKind::Construct | HitKind::Call) {
                self.slim_hit(r, at, file, kind, inferred)
            } else {
                self.hit(r, at, file, kind, t.display(), inferred, candidates)
            };
            out.push((key.to_string(), hit));
        };
        let at = if r.kind == HitKind::Construct {
            r.head
        } else {
            r.name
        };
        // `T::new()`, `E::V`, `Trait::f()`: the qualifier names a type.
        if let Some(q) = r.qualifier {
            let segs = type_segments(self.spec, self.text(q));
            if segs.last().is_some_and(|l| l != "Self") && r.key_type.is_none() {
                let qpath = self.expand_head(q, segs, true);
                let qdecl = decls.get(&qpath).or_else(|| {
                    (!self.spec.refs.closed_world && qpath.len() > 1)
                        .then(|| self.reexported(&qpath))
                        .flatten()
                });
                if let Some(d) = qdecl.filter(|d| d.class == Class::Type) {
                    if let Some(t) = shared.targets.get_key_value(d.key.as_str()) {
                        push(q, HitKind::Type, t, false, Vec::new());
                    }
                }
            }
        }
        match self.denote(r, 0) {
            Denot::Nothing => {}
            Denot::Decl(key) => {
                if let Some(t) = shared.targets.get_key_value(key.as_str()) {
                    push(at, r.kind, t, false, Vec::new());
                }
                // `T::new()`: an associated function of a target type that returns it.
                if let Some(d) = decls.get_key(&key) {
                    let owner = key_of(&d.path[..d.path.len() - 1]);
                    if let Some(t) = shared.targets.get_key_value(owner.as_str()) {
                        if t.1.decl.class == Class::Type
                            && r.kind == HitKind::Call
                            && r.operand.is_none()
                            && returns_owner(d)
                        {
                            push(r.head, HitKind::Construct, t, false, Vec::new());
                        }
                    }
                }
            }
            Denot::Path(path) => {
                // A path into the repository that names no declaration (a
                // re-export not followed): by name, when one declaration has
                // it. Go resolves every name through its package and imports.
                if self.spec.refs.closed_world || r.kind == HitKind::Value {
                    return out;
                }
                let Some(last) = path.last() else { return out };
                let parent = path.len().checked_sub(2).map(|i| path[i].as_str());
                let mut named = decls.named(last).filter(|d| {
                    d.class != Class::Field
                        && match (&d.parent, parent) {
                            (Some(p), Some(q)) => p == q,
                            (Some(_), None) => false,
                            (None, _) => true,
                        }
                });
                if let (Some(d), None) = (named.next(), named.next()) {
                    if let Some(t) = shared.targets.get_key_value(d.key.as_str()) {
                        push(at, r.kind, t, true, vec![d.display()]);
                    }
                }
            }
            Denot::Method { receiver, name } => {
                if matches!(receiver, Receiver::External) || self.common.contains(&name) {
                    return out;
                }
                // By name only when exactly one type of the repository has it.
                let Some(m) = decls.one_owner_of_method(&name) else {
                    return out;
                };
                if let Some(t) = shared.targets.get_key_value(m.key.as_str()) {
                    // A trait method called by name needs the trait in scope.
                    let in_scope = t.1.trait_name.map_or(true, |tr| self.mentions(tr));
                    if in_scope {
                        push(at, r.kind, t, true, vec![m.display()]);
                    }
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)] // reason: one hit's every field, each from the caller
    fn hit(
        &self,
        r: &RawRef<'t>,
        at: Node<'t>,
        file: &SourceFile,
        kind: HitKind,
        symbol: String,
        inferred: bool,
        candidates: Vec<String>,
    ) -> Hit {
        let line_start = self.src[..at.start_byte()]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let line_end = self.src[at.start_byte()..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.src.len(), |i| i + at.start_byte());
        let source = String::from_utf8_lossy(&self.src[line_start..line_end])
            .trim()
            .to_string();
        Hit {
            symbol,
            candidates,
            enclosing: self.enclosing(at),
            source,
            ..self.slim_hit(r, at, file, kind, inferred)
        }
    }

    /// A hit with its symbol, source line, enclosing function and candidates
    /// left empty: what a slimmed search keeps of a use that is neither a
    /// construction nor a call, and what [`FileCtx::hit`] completes.
    fn slim_hit(
        &self,
        r: &RawRef<'t>,
        at: Node<'t>,
        file: &SourceFile,
        kind: HitKind,
        inferred: bool,
    ) -> Hit {
        let pos = at.start_position();
        let start = at.start_byte();
        Hit {
            file: file.rel.clone(),
            line: u32::try_from(pos.row + 1).unwrap_or(u32::MAX),
            column: u32::try_from(pos.column + 1).unwrap_or(u32::MAX),
            kind,
            symbol: String::new(),
            inferred,
            candidates: Vec::new(),
            enclosing: None,
            test: self.in_test(file, start),
            empty: match (r.kind, r.body) {
                (HitKind::Construct, Some(b)) => Some(b.named_child_count() == 0),
                _ => None,
            },
            source: String::new(),
        }
    }

    /// Whether a reference starting at byte `start` of `file` is test code.
    fn in_test(&self, file: &SourceFile, start: usize) -> bool {
        file.test_by_path
            || self
                .test_ranges
                .iter()
                .any(|&(s, e)| s <= start && start < e)
    }

    /// `Type.Method` / `Type::method` / `func` of the innermost named function.
    fn enclosing(&self, n: Node<'t>) -> Option<String> {
        let mut cur = self.up(n);
        while let Some(p) = cur {
            if let Some((name, parent)) = self.funcs.get(&p.id()) {
                let name = self.text(*name);
                let parent = parent.map(|t| base_type_name(self.text(t))).or_else(|| {
                    match self.lookup_binding(p, "Self") {
                        Some(Binding::Type(t)) => Some(base_type_name(self.text(t))),
                        _ => None,
                    }
                });
                return Some(match parent {
                    Some(t) => format!("{t}{}{name}", self.spec.refs.path_sep),
                    None => name.to_string(),
                });
            }
            cur = self.up(p);
        }
        None
    }
}

/// The package segments of a declaration (its path without namespace, parent and name).
fn package_of(d: &Decl) -> Vec<String> {
    let drop = 1 + usize::from(d.parent.is_some());
    d.path[..d.path.len().saturating_sub(drop)].to_vec()
}

/// Whether an associated function returns its own type (`-> Self`, `-> Result<T>`).
fn returns_owner(d: &Decl) -> bool {
    let Some(owner) = &d.parent else { return false };
    let Some(ty) = result_type(&d.name, &d.signature) else {
        return false;
    };
    let segs = type_segments(d.spec, &ty);
    segs.last().is_some_and(|l| l == "Self" || l == owner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::lang::lang_by_name;

    #[test]
    fn result_types_from_signatures() {
        assert_eq!(
            result_type("Begin", "func (db *DB) Begin(writable bool) (*Tx, error)").as_deref(),
            Some("*Tx")
        );
        assert_eq!(
            result_type(
                "Open",
                "func Open(path string, mode os.FileMode, options *Options) (db *DB, err error)"
            )
            .as_deref(),
            Some("*DB")
        );
        assert_eq!(
            result_type("New", "func New[T any](x T) *List[T]").as_deref(),
            Some("*List[T]")
        );
        assert_eq!(
            result_type("Close", "func (db *DB) Close() error").as_deref(),
            Some("error")
        );
        assert_eq!(result_type("Run", "func Run()"), None);
        assert_eq!(
            result_type("new", "pub fn new() -> Self").as_deref(),
            Some("Self")
        );
        assert_eq!(
            result_type(
                "build",
                "pub fn build<F: Fn() -> u8>(&self, f: F) -> Result<Searcher, Error> where F: Send"
            )
            .as_deref(),
            Some("Result<Searcher, Error>")
        );
    }

    #[test]
    fn type_segments_drop_pointers_generics_and_wrappers() {
        let go = lang_by_name("go").unwrap();
        let rust = lang_by_name("rust").unwrap();
        assert_eq!(type_segments(go, "*pkg.T[int]"), ["pkg", "T"]);
        assert!(type_segments(go, "[]T").is_empty());
        assert_eq!(
            type_segments(rust, "&'a mut crate::a::B<X>"),
            ["crate", "a", "B"]
        );
        assert_eq!(
            type_segments(rust, "Result<Box<Searcher>, io::Error>"),
            ["Searcher"]
        );
        assert_eq!(type_segments(rust, "io::Result<Self>"), ["Self"]);
        assert_eq!(type_segments(rust, "Vec<u8>"), ["Vec"]);
    }
}

//! `planrecon diff OLD [NEW]`: what changed in the declared interfaces between
//! two revisions, and whether it breaks callers or implementors.
//!
//! Both sides are extracted by the same engine (`revision.rs`), items are
//! paired by identity (language, package, namespace, kind class, parent,
//! implemented trait, name) so moves between files and file renames are
//! followed, and each difference is classified breaking / compatible /
//! internal by a named rule. Exit 1 when something breaks: a CI gate.

pub(crate) mod revision;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use serde::Serialize;

use crate::cli::DiffArgs;
use crate::config::{DiffFormat, Format};
use crate::model::signature;
use crate::model::{cite, Item, Member};
use crate::render::markdown::code;
use crate::util::exit;
use revision::{CrateText, ExtractCache, Snapshot};

/// Version of the diff JSON; bumped on any incompatible change.
const DIFF_SCHEMA_VERSION: u32 = 1;

/// The validated diff configuration.
#[derive(Debug)]
pub(crate) struct DiffConfig {
    /// Directory inside the git work tree to read.
    repo: PathBuf,
    old: String,
    /// `None`: the work tree.
    new: Option<String>,
    format: Format,
    output: Option<PathBuf>,
    public_only: bool,
    focus: Vec<String>,
    /// Symbols of `--plan`.
    plan: Option<PlanScope>,
    stats: bool,
}

/// Validate `args` once: the repository exists and the plan, if any, reads.
pub(crate) fn configure(args: DiffArgs) -> anyhow::Result<DiffConfig> {
    if !args.repo.is_dir() {
        anyhow::bail!(
            "{}: no such directory (pass --repo PATH)",
            args.repo.display()
        );
    }
    let plan = match &args.plan {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read plan {}", p.display()))?;
            Some(PlanScope::parse(&text))
        }
        None => None,
    };
    Ok(DiffConfig {
        repo: args.repo,
        old: args.old,
        new: args.new,
        format: match args.format {
            DiffFormat::Markdown => Format::Markdown,
            DiffFormat::Json => Format::Json,
        },
        output: args.output,
        public_only: args.public_only,
        focus: args.focus,
        plan,
        stats: args.stats,
    })
}

impl DiffConfig {
    /// Whether a change passes `--public-only`, `--focus` and `--plan`.
    fn keeps(&self, c: &Change) -> bool {
        if self.public_only && c.class == Class::Internal {
            return false;
        }
        if !self.focus.is_empty() && !self.focus.iter().any(|f| package_matches(&c.package, f)) {
            return false;
        }
        self.plan.as_ref().map_or(true, |p| p.covers(c))
    }
}

/// `pkg` names `package` exactly, by its last segments, or as a parent.
fn package_matches(package: &str, pkg: &str) -> bool {
    let pkg = pkg.trim_end_matches(['/', ':']);
    package == pkg
        || package.ends_with(&format!("/{pkg}"))
        || package.ends_with(&format!("::{pkg}"))
        || package.starts_with(&format!("{pkg}/"))
        || package.starts_with(&format!("{pkg}::"))
}

/// Run `planrecon diff`.
pub(crate) fn run(config: DiffConfig) -> anyhow::Result<i32> {
    revision::ensure_git_repo(&config.repo)?;
    let mut cache = ExtractCache::default();
    let old = revision::read_commit(&config.repo, &config.old, &mut cache)?;
    let new = match &config.new {
        Some(rev) => revision::read_commit(&config.repo, rev, &mut cache)?,
        None => revision::read_worktree(&config.repo, &mut cache)?,
    };
    if config.stats {
        eprintln!(
            "planrecon diff: parsed {} files, reused {} unchanged",
            cache.misses, cache.hits
        );
    }
    let mut changes = diff_snapshots(&old, &new);
    changes.retain(|c| config.keeps(c));
    let report = Report::new(&old, &new, changes);
    let text = match config.format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&report)?;
            s.push('\n');
            s
        }
        Format::Markdown => render_markdown(&report),
    };
    crate::util::output::emit(config.output.as_deref(), text.as_bytes())?;
    Ok(if report.summary.breaking > 0 {
        exit::FINDINGS
    } else {
        exit::SUCCESS
    })
}

// ------------------------------------------------------------------ model

/// How a change affects users of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Class {
    /// Callers or implementors outside the package may stop compiling.
    Breaking,
    /// The public interface changed without breaking its users.
    Compatible,
    /// Only unexported / non-`pub` declarations changed.
    Internal,
}

impl Class {
    fn word(self) -> &'static str {
        match self {
            Class::Breaking => "breaking",
            Class::Compatible => "compatible",
            Class::Internal => "internal",
        }
    }
}

/// What happened to the declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum What {
    Removed,
    Changed,
    Added,
    /// Only its file changed (a move between files of one package, a rename).
    Moved,
}

/// Where a declaration is at one revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Site {
    pub file: String,
    pub line: u32,
    pub end_line: u32,
    pub signature: String,
}

impl Site {
    fn of_item(i: &Item) -> Site {
        Site {
            file: i.file.clone(),
            line: i.line,
            end_line: i.end_line,
            signature: i.signature.clone(),
        }
    }
    fn of_member(i: &Item, m: &Member) -> Site {
        Site {
            file: i.file.clone(),
            line: m.line,
            end_line: m.end_line,
            signature: m.signature.clone(),
        }
    }
}

/// A member named by a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct MemberRef {
    pub kind: String,
    pub name: String,
}

/// One classified difference.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Change {
    pub package: String,
    pub language: String,
    pub class: Class,
    /// The rule that decided the class (`go.interface-method-added`).
    pub rule: String,
    pub change: What,
    /// Kind of the item (`func`, `trait`, …).
    pub kind: String,
    /// The item's name qualified by namespace and parent (`Store.Get`).
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<MemberRef>,
    /// A one-line description.
    pub detail: String,
    /// Where a changed declaration differs, old and new (comparable forms:
    /// layout, comments and parameter names removed, paths in full).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub differs: Vec<Difference>,
    /// The item (or member) at the old revision; the item when a member was added.
    pub old: Option<Site>,
    /// The item (or member) at the new revision; the item when a member was removed.
    pub new: Option<Site>,
    /// The item's range at the old revision (for `--plan` citations).
    #[serde(skip)]
    old_item: Option<Site>,
    /// Item name and parent, for `--plan` names.
    #[serde(skip)]
    ident: (String, Option<String>),
    /// Whether `old` / `new` show the changed declaration itself (not the
    /// parent of an added or removed member): only those signatures are quoted.
    #[serde(skip)]
    quoted: (bool, bool),
}

/// One place where two declarations differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Difference {
    pub old: String,
    pub new: String,
}

/// What differs between the comparable forms `on` and `nn` of a declaration
/// of `i`, as a detail suffix (`` `u8` -> `u16` ``) and the pairs. `raw_same`:
/// the declarations read the same, so only what their names resolve to moved.
fn differs_of(i: &Item, on: &str, nn: &str, raw_same: bool) -> (String, Vec<Difference>) {
    let own_module = format!("{}::", i.package);
    let pairs: Vec<Difference> =
        signature::differences(&i.language, on, nn, Some(&own_module), MAX_DIFFERENCES)
            .into_iter()
            .map(|(old, new)| Difference { old, new })
            .collect();
    (describe(&pairs, raw_same), pairs)
}

/// `` `a` -> `b`; `c` -> `d` `` (with a note when the text is the same).
fn describe(pairs: &[Difference], raw_same: bool) -> String {
    let mut s = pairs
        .iter()
        .map(|d| format!("{} -> {}", code(&d.old), code(&d.new)))
        .collect::<Vec<_>>()
        .join("; ");
    if raw_same {
        s.push_str(SAME_TEXT_NOTE);
    }
    s
}

/// Said of a declaration whose text is the same but whose names now resolve
/// to other items.
const SAME_TEXT_NOTE: &str = " (the same text: a name resolves elsewhere)";

/// Whether `on` and `nn` differ only where one side names a type by a bare
/// name the import scan could not resolve and the other by a path ending in
/// that name (`Result` and `anyhow::Result`): no evidence of a change.
fn same_but_unresolved(lang: &str, on: &str, nn: &str) -> bool {
    let bare_leaf = |bare: &str, full: &str| {
        !bare.contains("::") && full.strip_suffix(bare).is_some_and(|h| h.ends_with("::"))
    };
    let pairs = signature::differences(lang, on, nn, None, usize::MAX);
    !pairs.is_empty()
        && pairs
            .iter()
            .all(|(a, b)| bare_leaf(a, b) || bare_leaf(b, a))
}

/// Places of difference listed per change; the rest are left to the signatures.
const MAX_DIFFERENCES: usize = 3;

/// One side of the diff as the report names it.
#[derive(Debug, Serialize)]
struct Side {
    /// The revision as written; null for the work tree.
    rev: Option<String>,
    commit: Option<String>,
    /// The suffix of citations at this side (`@label`).
    label: String,
}

#[derive(Debug, Default, Serialize)]
struct Summary {
    breaking: usize,
    compatible: usize,
    internal: usize,
}

/// A diagnostic of one side.
#[derive(Debug, Serialize)]
struct SideDiagnostic {
    side: &'static str,
    file: String,
    line: Option<u32>,
    message: String,
}

/// The whole report, rendered as JSON or Markdown.
#[derive(Debug, Serialize)]
struct Report {
    schema_version: u32,
    old: Side,
    new: Side,
    summary: Summary,
    changes: Vec<Change>,
    /// Diagnostics found at only one side (they may explain an added or removed item).
    diagnostics: Vec<SideDiagnostic>,
}

impl Report {
    fn new(old: &Snapshot, new: &Snapshot, mut changes: Vec<Change>) -> Report {
        changes.sort_by(|a, b| {
            (
                &a.package,
                a.class,
                &a.name,
                a.member.as_ref().map(|m| &m.name),
                a.change,
                &a.rule,
            )
                .cmp(&(
                    &b.package,
                    b.class,
                    &b.name,
                    b.member.as_ref().map(|m| &m.name),
                    b.change,
                    &b.rule,
                ))
        });
        let mut summary = Summary::default();
        for c in &changes {
            match c.class {
                Class::Breaking => summary.breaking += 1,
                Class::Compatible => summary.compatible += 1,
                Class::Internal => summary.internal += 1,
            }
        }
        let old_d: BTreeSet<_> = old.diagnostics.iter().collect();
        let new_d: BTreeSet<_> = new.diagnostics.iter().collect();
        let mut diagnostics: Vec<SideDiagnostic> = Vec::new();
        for (side, mine, other) in [("old", &old_d, &new_d), ("new", &new_d, &old_d)] {
            for d in mine.difference(other) {
                diagnostics.push(SideDiagnostic {
                    side,
                    file: d.file.clone(),
                    line: d.line,
                    message: d.message.clone(),
                });
            }
        }
        let side = |s: &Snapshot| Side {
            rev: s.rev.clone(),
            commit: s.commit.clone(),
            label: s.label.clone(),
        };
        Report {
            schema_version: DIFF_SCHEMA_VERSION,
            old: side(old),
            new: side(new),
            summary,
            changes,
            diagnostics,
        }
    }
}

// ----------------------------------------------------------- publicity

/// What one side knows about reachability: non-API packages, binary crates,
/// the visibility of Rust types and the traits that exist.
struct Ctx {
    /// Go packages no other module can import: `main`, under `internal/`.
    go_closed: BTreeSet<String>,
    /// Rust crates that are binaries (no library surface).
    bin_crates: BTreeSet<String>,
    /// (crate, type name) → whether some type of that name is `pub`.
    rust_types: BTreeMap<(String, String), bool>,
    /// (package, namespace, trait name).
    traits: BTreeSet<(String, String, String)>,
    /// Rust modules declared by `mod` items (`krate::a::b`) → whether `pub`.
    modules: BTreeMap<String, bool>,
    /// Rust: per crate, its re-exports and trait impls.
    crates: BTreeMap<String, CrateText>,
    /// Rust modules (`krate::a::b`) → their files.
    module_files: BTreeMap<String, Vec<String>>,
    /// Rust (module, name) of every module-level type, trait and `mod`.
    declared: BTreeSet<(String, String)>,
    /// Rust types that moved to another module between the revisions: old
    /// full path → new (set on the old side only).
    renames: BTreeMap<String, String>,
}

/// Kinds of Rust items a path in a signature can name (besides functions).
const RUST_TYPE_KINDS: &[&str] = &["struct", "enum", "union", "trait", "type", "mod"];

/// Rust's primitive types: in a type they name the primitive, whatever is imported.
const RUST_PRIMITIVES: &[&str] = &[
    "bool", "char", "f32", "f64", "i128", "i16", "i32", "i64", "i8", "isize", "str", "u128", "u16",
    "u32", "u64", "u8", "usize", "Self", "self",
];

/// How many `use` hops a path is followed through (re-exports of re-exports).
const MAX_REEXPORT_HOPS: usize = 8;

impl Ctx {
    fn new(s: &Snapshot) -> Ctx {
        let mut go_closed = BTreeSet::new();
        let mut roots: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for p in &s.packages {
            if p.language == "go"
                && (p.name == "main" || p.path.split('/').any(|seg| seg == "internal"))
            {
                go_closed.insert(p.path.clone());
            }
            if let Some(c) = &p.crate_name {
                if &p.path == c {
                    roots
                        .entry(c.clone())
                        .or_default()
                        .extend(p.files.iter().map(String::as_str));
                }
            }
        }
        let bin_crates = roots
            .into_iter()
            .filter(|(_, files)| {
                !files.is_empty()
                    && files.iter().all(|f| {
                        f.ends_with("main.rs") || f.contains("/bin/") || f.ends_with("build.rs")
                    })
            })
            .map(|(c, _)| c)
            .collect();
        let mut modules: BTreeMap<String, bool> = BTreeMap::new();
        for i in s
            .items
            .iter()
            .filter(|i| i.language == "rust" && i.kind == "mod")
        {
            *modules
                .entry(format!("{}::{}", module_path(i), i.name))
                .or_default() |= i.visibility == "pub";
        }
        let module_files = s
            .packages
            .iter()
            .filter(|p| p.language == "rust")
            .map(|p| (p.path.clone(), p.files.clone()))
            .collect();
        let declared = s
            .items
            .iter()
            .filter(|i| {
                i.language == "rust"
                    && i.parent.is_none()
                    && i.namespace.is_empty()
                    && RUST_TYPE_KINDS.contains(&i.kind.as_str())
            })
            .map(|i| (i.package.clone(), i.name.clone()))
            .collect();
        let mut ctx = Ctx {
            go_closed,
            bin_crates,
            rust_types: BTreeMap::new(),
            traits: BTreeSet::new(),
            modules,
            crates: s.crates.clone(),
            module_files,
            declared,
            renames: BTreeMap::new(),
        };
        let mut rust_types: BTreeMap<(String, String), bool> = BTreeMap::new();
        let mut traits = BTreeSet::new();
        for i in s
            .items
            .iter()
            .filter(|i| i.language == "rust" && i.parent.is_none())
        {
            if matches!(
                i.kind.as_str(),
                "struct" | "enum" | "union" | "type" | "trait"
            ) {
                *rust_types
                    .entry((crate_of(&i.package), i.name.clone()))
                    .or_default() |= i.visibility == "pub" && ctx.rust_reachable(i);
            }
            if i.kind == "trait" {
                traits.insert((i.package.clone(), i.namespace.join("::"), i.name.clone()));
            }
        }
        ctx.rust_types = rust_types;
        ctx.traits = traits;
        ctx
    }

    /// Whether a Rust item can be named from outside its crate: every module
    /// on its path is `pub`, or a `pub use` names it, its module or a module
    /// above it. `#[macro_export]` macros live at the crate root.
    fn rust_reachable(&self, i: &Item) -> bool {
        if i.kind == "macro" {
            return true;
        }
        let path = module_path(i);
        let segs: Vec<&str> = path.split("::").collect();
        let text = self.crates.get(&crate_of(&i.package));
        let reexported = |module: &str, name: &str| {
            text.is_some_and(|t| {
                t.reexports
                    .contains(&(module.to_string(), name.to_string()))
                    || t.reexports.contains(&(String::new(), name.to_string()))
            })
        };
        let glob = |module: &str| text.is_some_and(|t| t.globs.contains(module));
        let last = segs.last().copied().unwrap_or_default();
        if reexported(last, &i.name) || glob(last) {
            return true;
        }
        let mut current = segs.first().copied().unwrap_or_default().to_string();
        let mut open = true;
        for w in segs.windows(2) {
            current = format!("{current}::{}", w[1]);
            if reexported(w[0], w[1]) || glob(w[0]) {
                open = true; // the module is named at a public place
            } else if self.modules.get(&current) == Some(&false) {
                open = false;
            }
        }
        open
    }

    /// `text` (a signature of `i` or of its member) with every path written
    /// as the full path of what it names (through the file's imports, the
    /// module's own declarations and the crate's `use` re-exports; a type
    /// that moved, as its new path), so a re-spelled path compares equal.
    fn canon(&self, i: &Item, own: &str, text: &str) -> String {
        if i.language != "rust" {
            return text.to_string();
        }
        let resolve = |path: &str| self.resolve_path(&i.package, &i.file, path);
        signature::canonical_paths(text, own, &resolve)
    }

    /// The imports of `file` (local name → path as written in the `use`).
    fn imports_of(&self, module: &str, file: &str) -> Option<&BTreeMap<String, String>> {
        self.crates
            .get(&crate_of(module))
            .and_then(|c| c.imports.get(file))
    }

    /// The full path (`krate::a::T`, or an external crate's path) of `path`
    /// written in `file` of `module`; `None` when it names nothing the
    /// crate's text declares or imports (a generic, a prelude type).
    fn resolve_path(&self, module: &str, file: &str, path: &str) -> Option<String> {
        if RUST_PRIMITIVES.contains(&path) {
            // A primitive type wins over a module of its name (`use std::usize`).
            return None;
        }
        let (first, rest) = path.split_once("::").unwrap_or((path, ""));
        let with_rest = |p: String| {
            if rest.is_empty() {
                p
            } else {
                format!("{p}::{rest}")
            }
        };
        let full = if matches!(first, "crate" | "self" | "super") && !rest.is_empty() {
            self.absolutize(module, path)?
        } else if let Some(import) = self.imports_of(module, file).and_then(|m| m.get(first)) {
            // `use lsp_types as lsp; use lsp::OneOf;`: the import's own first
            // segment may be another import of the file.
            let mut import = import.clone();
            for _ in 0..MAX_REEXPORT_HOPS {
                let (head, tail) = import.split_once("::").unwrap_or((&import, ""));
                match self.imports_of(module, file).and_then(|m| m.get(head)) {
                    Some(via) if head != first && !tail.is_empty() && via != head => {
                        import = format!("{via}::{tail}");
                    }
                    _ => break,
                }
            }
            with_rest(self.absolutize(module, &import).unwrap_or(import))
        } else if self
            .declared
            .contains(&(module.to_string(), first.to_string()))
        {
            format!("{module}::{path}")
        } else {
            return None;
        };
        let full = self.follow_reexports(full);
        Some(self.renamed(full))
    }

    /// `path` written in `module` (or in one of its `use`s) as a path from
    /// the crate root: `crate::`, `self::`, `super::` and child modules or
    /// items of `module` resolved; other paths (external crates) unchanged.
    fn absolutize(&self, module: &str, path: &str) -> Option<String> {
        let mut segs: Vec<&str> = path.split("::").collect();
        let mut base: Vec<&str> = module.split("::").collect();
        match segs.first().copied() {
            Some("crate") => {
                base.truncate(1);
                segs.remove(0);
            }
            Some("self") => {
                segs.remove(0);
            }
            Some("super") => {
                while segs.first() == Some(&"super") {
                    segs.remove(0);
                    if base.len() < 2 {
                        return None;
                    }
                    base.pop();
                }
            }
            Some(first)
                if self
                    .declared
                    .contains(&(module.to_string(), first.to_string())) => {}
            _ => return Some(path.to_string()),
        }
        base.extend(segs);
        Some(base.join("::"))
    }

    /// Follow `use` declarations: `krate::lsp::Url` where the crate root has
    /// `pub use lsp_types as lsp` is `lsp_types::Url`.
    fn follow_reexports(&self, mut path: String) -> String {
        for _ in 0..MAX_REEXPORT_HOPS {
            let segs: Vec<&str> = path.split("::").collect();
            let mut next = None;
            for k in (1..segs.len()).rev() {
                let module = segs[..k].join("::");
                let name = segs[k];
                let Some(files) = self.module_files.get(&module) else {
                    continue;
                };
                let import = files
                    .iter()
                    .find_map(|f| self.imports_of(&module, f).and_then(|m| m.get(name)));
                if let Some(import) = import {
                    let target = self
                        .absolutize(&module, import)
                        .unwrap_or_else(|| import.clone());
                    let mut full = target;
                    for s in &segs[k + 1..] {
                        full.push_str("::");
                        full.push_str(s);
                    }
                    next = Some(full);
                    break;
                }
            }
            match next {
                Some(n) if n != path => path = n,
                _ => break,
            }
        }
        path
    }

    /// `path` with a moved type's old path replaced by its new one.
    fn renamed(&self, path: String) -> String {
        if self.renames.is_empty() {
            return path;
        }
        let segs: Vec<&str> = path.split("::").collect();
        for k in (2..=segs.len()).rev() {
            if let Some(to) = self.renames.get(&segs[..k].join("::")) {
                let mut full = to.clone();
                for s in &segs[k..] {
                    full.push_str("::");
                    full.push_str(s);
                }
                return full;
            }
        }
        path
    }

    /// Whether some `pub use` of the crate names `name` (from any module).
    fn reexported_anywhere(&self, package: &str, name: &str) -> bool {
        self.crates
            .get(&crate_of(package))
            .is_some_and(|c| c.reexports.iter().any(|(_, leaf)| leaf == name))
    }

    /// Whether the crate has `impl Trait for Type` (by base names).
    fn has_impl(&self, package: &str, t: &str, ty: &str) -> bool {
        self.crates
            .get(&crate_of(package))
            .is_some_and(|c| c.trait_impls.contains(&(t.to_string(), ty.to_string())))
    }

    /// The name `name` was imported as, resolved (`StdError` → `Error`).
    fn unalias(&self, package: &str, name: &str) -> String {
        self.crates
            .get(&crate_of(package))
            .and_then(|c| c.aliases.get(name))
            .cloned()
            .unwrap_or_else(|| name.to_string())
    }

    /// Whether `i` is part of the package's public interface.
    fn public(&self, i: &Item) -> bool {
        match i.language.as_str() {
            "go" => {
                i.visibility == "exported"
                    && i.parent.as_deref().map_or(true, go_exported)
                    && !self.go_closed.contains(&i.package)
            }
            "rust" => {
                let krate = crate_of(&i.package);
                if self.bin_crates.contains(&krate) {
                    return false;
                }
                let parent_pub = |default: bool| {
                    i.parent.as_deref().map_or(default, |p| {
                        self.rust_types
                            .get(&(krate.clone(), p.to_string()))
                            .copied()
                            .unwrap_or(default)
                    })
                };
                match i.visibility.as_str() {
                    "pub" if i.parent.is_none() => self.rust_reachable(i),
                    "pub" => parent_pub(self.rust_reachable(i)),
                    "impl" => parent_pub(false),
                    _ => false,
                }
            }
            _ => false,
        }
    }

    /// Whether member `m` of public item `i` is public.
    fn member_public(&self, i: &Item, m: &Member) -> bool {
        self.public(i) && matches!(m.visibility.as_str(), "exported" | "pub")
    }

    /// Whether `i` is an item of a trait (its parent is a trait of its module).
    fn in_trait(&self, i: &Item) -> bool {
        i.trait_impl.is_none()
            && i.parent.as_ref().is_some_and(|p| {
                self.traits
                    .contains(&(i.package.clone(), i.namespace.join("::"), p.clone()))
            })
    }
}

/// The module an item is declared in, inline modules included (`krate::a::b`).
fn module_path(i: &Item) -> String {
    let mut p = i.package.clone();
    for ns in &i.namespace {
        p.push_str("::");
        p.push_str(ns);
    }
    p
}

fn go_exported(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_uppercase)
}

fn crate_of(package: &str) -> String {
    package.split("::").next().unwrap_or(package).to_string()
}

/// An enum with a `__`-named variant: the pre-`#[non_exhaustive]` idiom.
fn has_hidden_variant(i: &Item) -> bool {
    i.members
        .iter()
        .any(|m| m.kind == "variant" && m.name.starts_with("__"))
}

fn non_exhaustive(i: &Item) -> bool {
    i.attributes
        .iter()
        .any(|a| crate::scan::syntax::attribute_is(a, "non_exhaustive"))
}

/// Traits named in `#[derive(…)]` attributes (last path segment).
fn derives(i: &Item) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for a in i
        .attributes
        .iter()
        .filter(|a| crate::scan::syntax::attribute_is(a, "derive"))
    {
        let Some(open) = a.find('(') else { continue };
        let inner = a[open + 1..]
            .trim_end_matches([']', ' '])
            .trim_end_matches(')');
        for t in inner.split(',') {
            let t = t.trim().rsplit("::").next().unwrap_or("").trim();
            if !t.is_empty() {
                out.insert(t.to_string());
            }
        }
    }
    out
}

fn class_for(public: bool, breaking: bool) -> Class {
    match (public, breaking) {
        (false, _) => Class::Internal,
        (true, true) => Class::Breaking,
        (true, false) => Class::Compatible,
    }
}

// ------------------------------------------------------------- pairing

/// Identity of an item across revisions. The kind is reduced to a class so
/// that a re-typed declaration (`type T struct` → `type T int`) pairs.
type Key = (
    String,
    String,
    String,
    &'static str,
    Option<String>,
    Option<String>,
    String,
);

fn key(i: &Item) -> Key {
    let class = match i.kind.as_str() {
        "interface" | "struct" | "type" | "enum" | "union" | "trait" => "type",
        "const" | "var" | "static" => "value",
        "func" | "fn" => "func",
        "method" => "method",
        "mod" => "mod",
        "macro" => "macro",
        _ => "other",
    };
    (
        i.language.clone(),
        i.package.clone(),
        i.namespace.join("::"),
        class,
        i.parent.clone(),
        i.trait_impl.clone(),
        i.name.clone(),
    )
}

/// Pair items of one identity: same file and signature first, then same
/// signature, then same file, then in order (cfg-gated twins, several impls).
fn pair<'a>(olds: &[&'a Item], news: &[&'a Item]) -> Vec<(Option<&'a Item>, Option<&'a Item>)> {
    let mut taken_old = vec![false; olds.len()];
    let mut taken_new = vec![false; news.len()];
    let mut out = Vec::new();
    let tests: [fn(&Item, &Item) -> bool; 4] = [
        |a, b| a.file == b.file && a.signature == b.signature,
        |a, b| a.signature == b.signature,
        |a, b| a.file == b.file,
        |_, _| true,
    ];
    for test in tests {
        for (oi, o) in olds.iter().enumerate() {
            if taken_old[oi] {
                continue;
            }
            if let Some(ni) = (0..news.len()).find(|&ni| !taken_new[ni] && test(o, news[ni])) {
                taken_old[oi] = true;
                taken_new[ni] = true;
                out.push((Some(*o), Some(news[ni])));
            }
        }
    }
    out.extend(
        olds.iter()
            .zip(&taken_old)
            .filter(|(_, t)| !**t)
            .map(|(o, _)| (Some(*o), None)),
    );
    out.extend(
        news.iter()
            .zip(&taken_new)
            .filter(|(_, t)| !**t)
            .map(|(n, _)| (None, Some(*n))),
    );
    out
}

/// Every classified difference between two extracted revisions.
pub(crate) fn diff_snapshots(old: &Snapshot, new: &Snapshot) -> Vec<Change> {
    let (mut octx, nctx) = (Ctx::new(old), Ctx::new(new));
    octx.renames = moved_types(old, new);
    let mut groups: BTreeMap<Key, (Vec<&Item>, Vec<&Item>)> = BTreeMap::new();
    for i in &old.items {
        groups.entry(key(i)).or_default().0.push(i);
    }
    for i in &new.items {
        groups.entry(key(i)).or_default().1.push(i);
    }
    let mut out = Vec::new();
    let mut gone: Vec<&Item> = Vec::new();
    let mut fresh: Vec<&Item> = Vec::new();
    for (olds, news) in groups.values() {
        for p in pair(olds, news) {
            match p {
                (Some(o), None) => gone.push(o),
                (None, Some(n)) => fresh.push(n),
                (Some(o), Some(n)) => compare(o, n, &octx, &nctx, &mut out),
                (None, None) => {}
            }
        }
    }
    // A Rust item moved to another module of its crate and re-exported by
    // name stays reachable: a move, not a removal plus an addition.
    let mut fresh_by_name: BTreeMap<(String, &str, Option<&str>, &str), Vec<usize>> =
        BTreeMap::new();
    for (k, n) in fresh
        .iter()
        .enumerate()
        .filter(|(_, n)| n.language == "rust")
    {
        let key = (
            crate_of(&n.package),
            n.kind.as_str(),
            n.parent.as_deref(),
            n.name.as_str(),
        );
        fresh_by_name.entry(key).or_default().push(k);
    }
    let mut taken = vec![false; fresh.len()];
    for o in gone {
        let key = (
            crate_of(&o.package),
            o.kind.as_str(),
            o.parent.as_deref(),
            o.name.as_str(),
        );
        let named = o.parent.as_deref().unwrap_or(&o.name);
        let moved =
            (o.language == "rust" && octx.public(o) && nctx.reexported_anywhere(&o.package, named))
                .then(|| fresh_by_name.get(&key))
                .flatten()
                .and_then(|ks| {
                    ks.iter()
                        .copied()
                        .find(|&k| !taken[k] && nctx.public(fresh[k]))
                });
        match moved {
            Some(k) => {
                taken[k] = true;
                let n = fresh[k];
                let detail = format!("moved to `{}`, re-exported", n.package);
                let mut c = change(
                    n,
                    Class::Compatible,
                    "rust.moved-reexported".into(),
                    What::Moved,
                    detail,
                );
                c.old = Some(Site::of_item(o));
                c.new = Some(Site::of_item(n));
                c.old_item = c.old.clone();
                c.package = o.package.clone();
                out.push(c);
                if o.signature != n.signature {
                    compare_in_place(o, n, &octx, &nctx, &mut out);
                }
            }
            None => out.push(removed(o, &octx, &nctx)),
        }
    }
    for (k, n) in fresh.into_iter().enumerate() {
        if !taken[k] {
            out.push(added(n, &octx, &nctx));
        }
    }
    out
}

/// Rust types, traits and modules that left one module and arrived in
/// another of the same crate, one of a name and kind on each side: old full
/// path → new. A signature naming the type names the same type at both.
fn moved_types(old: &Snapshot, new: &Snapshot) -> BTreeMap<String, String> {
    fn places(s: &Snapshot) -> BTreeSet<(String, String)> {
        s.items
            .iter()
            .filter(|i| i.language == "rust" && i.parent.is_none())
            .map(|i| (i.package.clone(), i.name.clone()))
            .collect()
    }
    /// Types of `s` whose (module, name) is not in `other`, by (crate, kind, name).
    fn left<'a>(
        s: &'a Snapshot,
        other: &BTreeSet<(String, String)>,
    ) -> BTreeMap<(String, &'a str, &'a str), Vec<&'a str>> {
        let mut out: BTreeMap<(String, &str, &str), Vec<&str>> = BTreeMap::new();
        for i in s.items.iter().filter(|i| {
            i.language == "rust"
                && i.parent.is_none()
                && i.namespace.is_empty()
                && RUST_TYPE_KINDS.contains(&i.kind.as_str())
                && !other.contains(&(i.package.clone(), i.name.clone()))
        }) {
            out.entry((crate_of(&i.package), i.kind.as_str(), i.name.as_str()))
                .or_default()
                .push(i.package.as_str());
        }
        out
    }
    let (gone, arrived) = (left(old, &places(new)), left(new, &places(old)));
    let mut out = BTreeMap::new();
    for (key, from) in &gone {
        if let (Some([to]), [from]) = (arrived.get(key).map(Vec::as_slice), from.as_slice()) {
            out.insert(format!("{from}::{}", key.2), format!("{to}::{}", key.2));
        }
    }
    out
}

/// Compare a moved pair for everything but the move itself.
fn compare_in_place(o: &Item, n: &Item, octx: &Ctx, nctx: &Ctx, out: &mut Vec<Change>) {
    let mut here = n.clone();
    here.package = o.package.clone();
    here.namespace = o.namespace.clone();
    let start = out.len();
    compare(o, &here, octx, nctx, out);
    // The move itself is already reported.
    let mut k = start;
    while k < out.len() {
        if out[k].change == What::Moved {
            out.remove(k);
        } else {
            k += 1;
        }
    }
}

/// Display name: namespace, parent, name, and the implemented trait.
fn display_name(i: &Item) -> String {
    let mut s = String::new();
    for ns in &i.namespace {
        s.push_str(ns);
        s.push_str("::");
    }
    if let Some(p) = &i.parent {
        s.push_str(p);
        s.push('.');
    }
    s.push_str(&i.name);
    if let Some(t) = &i.trait_impl {
        let _ = write!(s, " (impl {t})");
    }
    s
}

/// A change of item `i` (either side) with no member.
fn change(i: &Item, class: Class, rule: String, what: What, detail: String) -> Change {
    Change {
        package: i.package.clone(),
        language: i.language.clone(),
        class,
        rule,
        change: what,
        kind: i.kind.clone(),
        name: display_name(i),
        member: None,
        detail,
        differs: Vec::new(),
        old: None,
        new: None,
        old_item: None,
        ident: (i.name.clone(), i.parent.clone()),
        quoted: (true, true),
    }
}

/// An item of the old side with no partner: breaking when it was public,
/// unless only an override inside a trait impl that still exists went.
fn removed(o: &Item, octx: &Ctx, nctx: &Ctx) -> Change {
    let public = octx.public(o);
    let impl_kept = match (&o.trait_impl, &o.parent) {
        (Some(t), Some(p)) => {
            nctx.has_impl(&o.package, t, p)
                || nctx.has_impl(&o.package, &octx.unalias(&o.package, t), p)
        }
        _ => false,
    };
    if public && o.visibility == "impl" && impl_kept {
        // The impl is still there: only an override of a provided method went.
        let mut c = change(
            o,
            Class::Compatible,
            "rust.trait-impl-method-removed".into(),
            What::Removed,
            "removed".into(),
        );
        c.old = Some(Site::of_item(o));
        c.old_item = c.old.clone();
        return c;
    }
    let rule = match (o.language.as_str(), public) {
        ("go", true) => "go.removed-exported",
        ("rust", true) if o.visibility == "impl" => "rust.trait-impl-removed",
        ("rust", true) => "rust.removed-pub",
        _ => "removed",
    };
    let mut c = change(
        o,
        class_for(public, true),
        rule.to_string(),
        What::Removed,
        "removed".to_string(),
    );
    c.old = Some(Site::of_item(o));
    c.old_item = c.old.clone();
    c
}

/// An item of the new side with no partner: compatible, except an item
/// without a default added to a trait that already existed.
fn added(n: &Item, octx: &Ctx, nctx: &Ctx) -> Change {
    let public = nctx.public(n);
    let (breaking, rule) = if n.language == "rust" && nctx.in_trait(n) && octx.in_trait(n) {
        // The trait existed before: implementors must now provide the item.
        if signature::rust_trait_item_has_default(&n.kind, &n.signature) {
            (false, "rust.trait-item-added-with-default")
        } else {
            (true, "rust.trait-item-added-without-default")
        }
    } else {
        (false, "added")
    };
    let rule = if public && rule == "added" {
        format!("{}.added", n.language)
    } else {
        rule.to_string()
    };
    let mut c = change(
        n,
        class_for(public, breaking),
        rule,
        What::Added,
        "added".to_string(),
    );
    c.new = Some(Site::of_item(n));
    c
}

/// Rust visibility as a rank: wider is larger.
fn vis_rank(v: &str) -> u8 {
    match v {
        "pub" | "exported" | "impl" => 4,
        "pub(crate)" => 3,
        "private" => 0,
        _ => 2, // pub(super), pub(in path)
    }
}

/// Every difference between two partners: kind, visibility, declaration,
/// Rust attributes, members and Go embeddings; a file change alone is a move.
fn compare(o: &Item, n: &Item, octx: &Ctx, nctx: &Ctx, out: &mut Vec<Change>) {
    let lang = o.language.as_str();
    let (op, np) = (octx.public(o), nctx.public(n));
    let both = op && np;
    let start = out.len();
    // (rule, member name, what differs) for the changes pushed below.
    let mut differs: Vec<(String, Option<String>, Vec<Difference>)> = Vec::new();
    let mut push =
        |class: Class,
         rule: String,
         detail: String,
         member: Option<(Option<&Member>, Option<&Member>, &Member)>| {
            let mut c = change(n, class, rule, What::Changed, detail);
            c.old_item = Some(Site::of_item(o));
            match member {
                None => {
                    c.old = Some(Site::of_item(o));
                    c.new = Some(Site::of_item(n));
                }
                Some((om, nm, any)) => {
                    c.member = Some(MemberRef {
                        kind: any.kind.clone(),
                        name: any.name.clone(),
                    });
                    c.quoted = (om.is_some(), nm.is_some());
                    c.old = Some(om.map_or_else(|| Site::of_item(o), |m| Site::of_member(o, m)));
                    c.new = Some(nm.map_or_else(|| Site::of_item(n), |m| Site::of_member(n, m)));
                }
            }
            out.push(c);
        };

    if lang == "go" && o.kind != "type" && n.kind == "type" && go_alias_of_same_name(n) {
        // `type T struct{…}` → `type T = other.T`: the type moved and the
        // alias keeps every use compiling (its members live at the target).
        push(
            class_for(both, false),
            "go.replaced-by-alias".into(),
            "now an alias of the moved type".into(),
            None,
        );
        return;
    }
    if o.kind != n.kind {
        push(
            class_for(op, true),
            format!("{lang}.kind-changed"),
            format!("kind {} -> {}", o.kind, n.kind),
            None,
        );
    }
    if o.visibility != n.visibility || op != np {
        let detail = match (o.visibility == n.visibility, op) {
            (true, true) => {
                "no longer reachable from outside (its type or module narrowed)".to_string()
            }
            (true, false) => "now reachable from outside".to_string(),
            _ => format!("visibility {} -> {}", o.visibility, n.visibility),
        };
        let (class, rule) = if op && !np {
            (Class::Breaking, format!("{lang}.visibility-narrowed"))
        } else if !op && np {
            (Class::Compatible, format!("{lang}.visibility-widened"))
        } else if vis_rank(&n.visibility) < vis_rank(&o.visibility) {
            (class_for(both, true), format!("{lang}.visibility-narrowed"))
        } else {
            (class_for(both, false), format!("{lang}.visibility-changed"))
        };
        push(class, rule, detail, None);
    }

    // The declaration itself.
    if matches!(o.kind.as_str(), "const" | "var" | "static") && o.kind == n.kind {
        let (oh, ov) = signature::split_value(lang, &octx.canon(o, &o.name, &o.signature));
        let (nh, nv) = signature::split_value(lang, &nctx.canon(n, &n.name, &n.signature));
        if oh != nh {
            push(
                class_for(both, true),
                format!("{lang}.retyped"),
                "type changed".into(),
                None,
            );
        } else if ov != nv && o.kind == "const" {
            push(
                class_for(both, false),
                format!("{lang}.const-value-changed"),
                "value changed".into(),
                None,
            );
        }
    } else if o.kind == n.kind {
        let on = signature::normalize(lang, &o.kind, &octx.canon(o, &o.name, &o.signature));
        let nn = signature::normalize(lang, &n.kind, &nctx.canon(n, &n.name, &n.signature));
        let in_trait = lang == "rust" && octx.in_trait(o) && nctx.in_trait(n);
        let od = signature::rust_trait_item_has_default(&o.kind, &o.signature);
        let nd = signature::rust_trait_item_has_default(&n.kind, &n.signature);
        if in_trait && od && !nd {
            push(
                class_for(both, true),
                "rust.trait-default-removed".into(),
                "default removed".into(),
                None,
            );
        } else if in_trait && !od && nd {
            push(
                class_for(both, false),
                "rust.trait-default-added".into(),
                "default added".into(),
                None,
            );
        }
        let safe_now = lang == "rust" && on.replace("unsafe ", "") == nn && on != nn;
        if safe_now {
            push(
                class_for(both, false),
                "rust.unsafe-removed".into(),
                "no longer unsafe".into(),
                None,
            );
        } else if lang == "rust" && on != nn && on == nn.replacen("const fn", "fn", 1) {
            push(
                class_for(both, false),
                "rust.const-fn-added".into(),
                "now a const fn".into(),
                None,
            );
        } else if on != nn && !same_but_unresolved(lang, &on, &nn) {
            let is_fn = matches!(o.kind.as_str(), "func" | "fn" | "method");
            // Callers choose the types of arguments: a looser bound accepts
            // every call it did. An implementor of a trait method must match.
            let loosened = (lang == "rust" && is_fn && !in_trait)
                .then(|| signature::rust_loosened(&on, &nn))
                .flatten();
            if let Some(pieces) = loosened {
                let pairs: Vec<Difference> = pieces
                    .into_iter()
                    .map(|(old, new)| Difference { old, new })
                    .collect();
                let rule = "rust.bound-loosened".to_string();
                differs.push((rule.clone(), None, pairs.clone()));
                push(
                    class_for(both, false),
                    rule,
                    format!("bound loosened: {}", describe(&pairs, false)),
                    None,
                );
            } else {
                let rule = match (lang, o.kind.as_str()) {
                    (_, "func" | "fn" | "method") => format!("{lang}.signature-changed"),
                    ("go", _) => "go.retyped".to_string(),
                    _ => "rust.definition-changed".to_string(),
                };
                let word = if is_fn { "signature" } else { "definition" };
                let raw_same = signature::normalize(lang, &o.kind, &o.signature)
                    == signature::normalize(lang, &n.kind, &n.signature);
                let (text, pairs) = differs_of(o, &on, &nn, raw_same);
                differs.push((rule.clone(), None, pairs));
                push(
                    class_for(both, true),
                    rule,
                    format!("{word} changed: {text}"),
                    None,
                );
            }
        }
    }

    // Rust attributes that are part of the interface.
    if lang == "rust" {
        match (
            non_exhaustive(o) || has_hidden_variant(o),
            non_exhaustive(n),
        ) {
            (true, true) if !non_exhaustive(o) => push(
                class_for(both, false),
                "rust.hidden-variant-to-non-exhaustive".into(),
                "#[non_exhaustive] replaces a hidden `__` variant".into(),
                None,
            ),
            (false, true) => push(
                class_for(both, true),
                "rust.non-exhaustive-added".into(),
                "#[non_exhaustive] added".into(),
                None,
            ),
            (true, false) => push(
                class_for(both, false),
                "rust.non-exhaustive-removed".into(),
                "#[non_exhaustive] removed".into(),
                None,
            ),
            _ => {}
        }
        let (od, nd) = (derives(o), derives(n));
        let gone: Vec<&String> = od.difference(&nd).collect();
        let new: Vec<&String> = nd.difference(&od).collect();
        // A derive replaced by a written impl keeps the trait.
        let (gone, by_hand): (Vec<&String>, Vec<&String>) = gone
            .into_iter()
            .partition(|t| !nctx.has_impl(&n.package, t, &n.name));
        if !by_hand.is_empty() {
            let list: Vec<&str> = by_hand.iter().map(|s| s.as_str()).collect();
            push(
                class_for(both, false),
                "rust.derive-replaced-by-impl".into(),
                format!("derive replaced by a written impl: {}", list.join(", ")),
                None,
            );
        }
        if !gone.is_empty() {
            let list: Vec<&str> = gone.iter().map(|s| s.as_str()).collect();
            push(
                class_for(both, true),
                "rust.derive-removed".into(),
                format!("derive removed: {}", list.join(", ")),
                None,
            );
        }
        if !new.is_empty() {
            let list: Vec<&str> = new.iter().map(|s| s.as_str()).collect();
            push(
                class_for(both, false),
                "rust.derive-added".into(),
                format!("derive added: {}", list.join(", ")),
                None,
            );
        }
    }

    // Members: fields, interface methods, variants.
    let om: BTreeMap<(&str, &str), &Member> = o
        .members
        .iter()
        .map(|m| ((m.kind.as_str(), m.name.as_str()), m))
        .collect();
    let nm: BTreeMap<(&str, &str), &Member> = n
        .members
        .iter()
        .map(|m| ((m.kind.as_str(), m.name.as_str()), m))
        .collect();
    for (k, m) in &om {
        if nm.contains_key(k) {
            continue;
        }
        let public = octx.member_public(o, m) || (m.kind == "variant" && op);
        if m.kind == "variant" && m.name.starts_with("__") {
            // A hidden variant (`__Nonexhaustive`): no one outside may name it.
            let rule = "rust.hidden-variant-removed".to_string();
            push(
                class_for(public && np, false),
                rule,
                "removed".into(),
                Some((Some(m), None, m)),
            );
            continue;
        }
        let rule = format!("{lang}.{}-removed", member_word(&m.kind));
        push(
            class_for(public && np, true),
            rule,
            "removed".into(),
            Some((Some(m), None, m)),
        );
    }
    for (k, m) in &nm {
        if om.contains_key(k) {
            continue;
        }
        let word = member_word(&m.kind);
        let (class, rule) = match (lang, m.kind.as_str()) {
            // Implementors of the interface no longer satisfy it.
            (_, "interface_method") => (
                class_for(both, true),
                "go.interface-method-added".to_string(),
            ),
            ("rust", "variant") if !non_exhaustive(n) => {
                (class_for(both, true), "rust.variant-added".to_string())
            }
            ("rust", "variant") => (
                class_for(both, false),
                "rust.variant-added-non-exhaustive".to_string(),
            ),
            // Struct literals and exhaustive patterns outside the crate break.
            ("rust", "field")
                if n.kind == "struct"
                    && !non_exhaustive(n)
                    && !o.members.is_empty()
                    && o.members.iter().all(|f| f.visibility == "pub") =>
            {
                (
                    class_for(both, true),
                    "rust.field-added-exhaustive-struct".to_string(),
                )
            }
            _ => (
                class_for(nctx.member_public(n, m), false),
                format!("{lang}.{word}-added"),
            ),
        };
        push(class, rule, "added".into(), Some((None, Some(m), m)));
    }
    for (k, a) in &om {
        let Some(b) = nm.get(k) else { continue };
        let public =
            (octx.member_public(o, a) && nctx.member_public(n, b)) || (a.kind == "variant" && both);
        let word = member_word(&a.kind);
        let pair = Some((Some(*a), Some(*b), *a));
        match (lang, a.kind.as_str()) {
            ("go", "field") => {
                let (ot, otag) = signature::go_field(&a.signature, &a.name);
                let (nt, ntag) = signature::go_field(&b.signature, &b.name);
                if ot != nt {
                    let (text, pairs) = differs_of(o, &ot, &nt, false);
                    differs.push(("go.field-retyped".into(), Some(a.name.clone()), pairs));
                    push(
                        class_for(public, true),
                        "go.field-retyped".into(),
                        format!("type changed: {text}"),
                        pair,
                    );
                } else if otag != ntag {
                    let pairs = vec![Difference {
                        old: format!("`{otag}`"),
                        new: format!("`{ntag}`"),
                    }];
                    let text = describe(&pairs, false);
                    differs.push(("go.field-tag-changed".into(), Some(a.name.clone()), pairs));
                    push(
                        class_for(public, false),
                        "go.field-tag-changed".into(),
                        format!("tag changed: {text}"),
                        pair,
                    );
                }
            }
            ("rust", "field") => {
                let (ov, nv) = (&a.visibility, &b.visibility);
                if ov != nv {
                    let narrowed = vis_rank(nv) < vis_rank(ov);
                    let op_m = octx.member_public(o, a);
                    let rule = if narrowed {
                        "rust.field-visibility-narrowed"
                    } else {
                        "rust.field-visibility-widened"
                    };
                    push(
                        class_for(op_m || nctx.member_public(n, b), narrowed && op_m),
                        rule.into(),
                        format!("visibility {ov} -> {nv}"),
                        pair,
                    );
                }
                let ot = signature::rust_field(&octx.canon(o, &a.name, &a.signature));
                let nt = signature::rust_field(&nctx.canon(n, &b.name, &b.signature));
                if ot != nt {
                    let raw_same =
                        signature::rust_field(&a.signature) == signature::rust_field(&b.signature);
                    let (text, pairs) = differs_of(o, &ot, &nt, raw_same);
                    differs.push(("rust.field-retyped".into(), Some(a.name.clone()), pairs));
                    push(
                        class_for(public, true),
                        "rust.field-retyped".into(),
                        format!("type changed: {text}"),
                        pair,
                    );
                }
            }
            _ => {
                let on = signature::normalize(lang, &a.kind, &octx.canon(o, &a.name, &a.signature));
                let nn = signature::normalize(lang, &b.kind, &nctx.canon(n, &b.name, &b.signature));
                if on != nn {
                    let public = public || (a.kind == "interface_method" && both);
                    let raw_same = signature::normalize(lang, &a.kind, &a.signature)
                        == signature::normalize(lang, &b.kind, &b.signature);
                    let (text, pairs) = differs_of(o, &on, &nn, raw_same);
                    let rule = format!("{lang}.{word}-changed");
                    differs.push((rule.clone(), Some(a.name.clone()), pairs));
                    push(
                        class_for(public, true),
                        rule,
                        format!("changed: {text}"),
                        pair,
                    );
                }
            }
        }
    }

    // Go interface embeddings and type-set terms.
    let oe: BTreeSet<&str> = o.embeds.iter().map(|e| e.text.as_str()).collect();
    let ne: BTreeSet<&str> = n.embeds.iter().map(|e| e.text.as_str()).collect();
    for e in oe.difference(&ne) {
        push(
            class_for(both, true),
            format!("{lang}.interface-embed-removed"),
            format!("embedded `{e}` removed"),
            None,
        );
    }
    for e in ne.difference(&oe) {
        push(
            class_for(both, true),
            format!("{lang}.interface-embed-added"),
            format!("embedded `{e}` added"),
            None,
        );
    }

    for c in &mut out[start..] {
        let member = c.member.as_ref().map(|m| &m.name);
        if let Some((_, _, pairs)) = differs
            .iter()
            .find(|(rule, m, _)| *rule == c.rule && m.as_ref() == member)
        {
            c.differs = pairs.clone();
        }
    }
    if out.len() == start && o.file != n.file {
        let mut c = change(
            n,
            class_for(both, false),
            format!("{lang}.moved"),
            What::Moved,
            format!("moved from {}", o.file),
        );
        c.old = Some(Site::of_item(o));
        c.new = Some(Site::of_item(n));
        c.old_item = c.old.clone();
        out.push(c);
    }
}

/// `type T = pkg.T` (or `= pkg.T[X]`): an alias to a type of the same name.
fn go_alias_of_same_name(i: &Item) -> bool {
    let Some((_, target)) = i.signature.split_once(" = ") else {
        return false;
    };
    let base = target
        .trim()
        .split('[')
        .next()
        .unwrap_or("")
        .trim_start_matches('*');
    base.rsplit('.').next() == Some(i.name.as_str()) && base.contains('.')
}

/// The rule word of a member kind.
fn member_word(kind: &str) -> &str {
    match kind {
        "interface_method" => "interface-method",
        other => other,
    }
}

// ---------------------------------------------------------------- --plan

/// The symbols a plan cites or freezes, by a small scan (not a full parser):
/// identifiers in backticks, declarations in fenced code blocks, and
/// `path:A-B` citations anywhere.
#[derive(Debug, Default)]
struct PlanScope {
    names: BTreeSet<String>,
    /// (file, start, end).
    cites: Vec<(String, u32, u32)>,
}

/// Words after which a code block declares a name.
const DECL_WORDS: &[&str] = &[
    "func",
    "type",
    "fn",
    "struct",
    "enum",
    "trait",
    "union",
    "const",
    "var",
    "static",
    "mod",
    "macro_rules!",
];

impl PlanScope {
    fn parse(text: &str) -> PlanScope {
        let mut scope = PlanScope::default();
        let mut fence: Option<&str> = None;
        for line in text.lines() {
            let t = line.trim_start();
            if let Some(f) = fence {
                if t.starts_with(f) {
                    fence = None;
                    continue;
                }
                scope.scan_code_line(t);
                continue;
            }
            if t.starts_with("```") || t.starts_with("~~~") {
                fence = Some(&t[..3]);
                continue;
            }
            let mut parts = line.split('`');
            parts.next();
            while let Some(span) = parts.next() {
                scope.add_citations(span);
                scope.names.extend(idents(span));
                parts.next(); // text after the closing backtick
            }
        }
        scope
    }

    fn scan_code_line(&mut self, t: &str) {
        self.add_citations(t);
        let words: Vec<&str> = t
            .split(|c: char| c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        for (i, w) in words.iter().enumerate() {
            if !DECL_WORDS.contains(w) {
                continue;
            }
            let mut rest = words[i + 1..].join(" ");
            // Go receivers: `func (r *T) Name(`.
            if *w == "func" && rest.starts_with('(') {
                if let Some(close) = rest.find(')') {
                    let recv = rest[1..close].to_string();
                    self.names.extend(idents(&recv));
                    rest = rest[close + 1..].trim_start().to_string();
                }
            }
            if let Some(name) = idents(&rest).into_iter().next() {
                self.names.insert(name);
            }
        }
        // Interface methods and fields: a line that starts with a name.
        if let Some(first) = idents(t).into_iter().next() {
            if t.starts_with(first.as_str()) && !DECL_WORDS.contains(&first.as_str()) {
                self.names.insert(first);
            }
        }
    }

    fn add_citations(&mut self, text: &str) {
        for tok in
            text.split(|c: char| c.is_whitespace() || c == '`' || c == '(' || c == ')' || c == ',')
        {
            let Some((path, range)) = tok.rsplit_once(':') else {
                continue;
            };
            if !(path.ends_with(".go") || path.ends_with(".rs")) {
                continue;
            }
            let range = range.trim_end_matches(['.', ';']);
            let (a, b) = range.split_once('-').unwrap_or((range, range));
            if let (Ok(a), Ok(b)) = (a.parse::<u32>(), b.parse::<u32>()) {
                self.cites.push((path.to_string(), a, b));
            }
        }
    }

    /// Whether the change touches a symbol of the plan.
    fn covers(&self, c: &Change) -> bool {
        let (name, parent) = &c.ident;
        let by_name =
            self.names.contains(name) && parent.as_ref().map_or(true, |p| self.names.contains(p));
        let by_cite = c.old_item.as_ref().is_some_and(|s| {
            self.cites
                .iter()
                .any(|(f, a, b)| *f == s.file && *a <= s.end_line && s.line <= *b)
        });
        by_name || by_cite
    }
}

/// Identifiers in `s` (runs of letters, digits and `_` not starting with a digit).
fn idents(s: &str) -> Vec<String> {
    crate::resolve::decls::words(s)
        .filter(|w| !w.starts_with(|c: char| c.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}

// ------------------------------------------------------------- rendering

fn site_cite(s: Option<&Site>, label: &str) -> String {
    match s {
        Some(s) => format!("{}@{label}", cite(&s.file, s.line, s.end_line)),
        None => format!("(absent)@{label}"),
    }
}

/// The Markdown report: packages in order, breaking changes first, every
/// line cited at both revisions.
fn render_markdown(r: &Report) -> String {
    let mut out = String::new();
    let name = |s: &Side| match (&s.rev, &s.commit) {
        (Some(rev), Some(c)) => format!("`{rev}` (`{c}`)"),
        _ => "the work tree".to_string(),
    };
    let _ = writeln!(out, "# Interface diff\n");
    let _ = writeln!(out, "- old: {}, cited `@{}`", name(&r.old), r.old.label);
    let _ = writeln!(out, "- new: {}, cited `@{}`\n", name(&r.new), r.new.label);
    let s = &r.summary;
    if r.changes.is_empty() {
        let _ = writeln!(out, "No interface changes.");
    } else {
        let packages: BTreeSet<&str> = r.changes.iter().map(|c| c.package.as_str()).collect();
        let _ = writeln!(
            out,
            "{} breaking, {} compatible, {} internal change(s) in {} package(s).",
            s.breaking,
            s.compatible,
            s.internal,
            packages.len()
        );
    }
    let mut current: Option<&str> = None;
    for c in &r.changes {
        if current != Some(c.package.as_str()) {
            let _ = writeln!(out, "\n## `{}` ({})\n", c.package, c.language);
            current = Some(c.package.as_str());
        }
        let member = c
            .member
            .as_ref()
            .map(|m| format!(" {} `{}`", m.kind, m.name))
            .unwrap_or_default();
        // What differs gets its own line below.
        let headline = match c.detail.split_once(": ") {
            Some((head, _)) if !c.differs.is_empty() => head,
            _ => c.detail.as_str(),
        };
        let _ = writeln!(
            out,
            "- **{}** {} `{}`{member}: {} [`{}`] `{} -> {}`",
            c.class.word(),
            c.kind,
            c.name,
            headline,
            c.rule,
            site_cite(c.old.as_ref(), &r.old.label),
            site_cite(c.new.as_ref(), &r.new.label),
        );
        let old = c.old.as_ref().filter(|_| c.quoted.0);
        let new = c.new.as_ref().filter(|_| c.quoted.1);
        // Quoted as the layout-free form (`fn f(a: A) -> B`, not `fn f( a: A, ) -> B`):
        // rustfmt's multi-line parameters collapse to padded parentheses otherwise.
        let shown = |s: &Site| code(&signature::tidy(&c.language, &s.signature));
        match (old, new) {
            (Some(o), Some(n)) if o.signature != n.signature || !c.differs.is_empty() => {
                let _ = writeln!(out, "  - old: {}", shown(o));
                let _ = writeln!(out, "  - new: {}", shown(n));
            }
            (Some(o), None) => {
                let _ = writeln!(out, "  - old: {}", shown(o));
            }
            (None, Some(n)) => {
                let _ = writeln!(out, "  - new: {}", shown(n));
            }
            _ => {}
        }
        if !c.differs.is_empty() {
            let note = c.detail.ends_with(SAME_TEXT_NOTE);
            let _ = writeln!(out, "  - differs: {}", describe(&c.differs, note));
        }
    }
    if !r.diagnostics.is_empty() {
        let _ = writeln!(out, "\n## Diagnostics at one side only\n");
        for d in &r.diagnostics {
            let at = d.line.map(|l| format!(":{l}")).unwrap_or_default();
            let label = if d.side == "old" {
                &r.old.label
            } else {
                &r.new.label
            };
            let _ = writeln!(out, "- `{}{at}@{label}`: {}", d.file, d.message);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_matches_paths_and_last_segments() {
        assert!(package_matches("example.com/shop/store", "store"));
        assert!(package_matches(
            "example.com/shop/store",
            "example.com/shop"
        ));
        assert!(package_matches("core::engine", "engine"));
        assert!(package_matches("core::engine", "core"));
        assert!(!package_matches("example.com/shop/store", "tore"));
        assert!(!package_matches("core::engine", "eng"));
    }

    #[test]
    fn plan_scope_reads_backticks_blocks_and_citations() {
        let plan = "Uses `Store.Get` and `pkg/a.go:3-9`.\n\n```go\n// store/store.go:12-17\ntype Store interface {\n\tGet(id string) error\n}\nfunc (s *DB) Open(path string) error\n```\n";
        let p = PlanScope::parse(plan);
        for n in ["Store", "Get", "DB", "Open"] {
            assert!(p.names.contains(n), "{n} missing from {:?}", p.names);
        }
        assert!(!p.names.contains("path"));
        assert_eq!(
            p.cites,
            vec![
                ("pkg/a.go".to_string(), 3, 9),
                ("store/store.go".to_string(), 12, 17)
            ]
        );
    }

    #[test]
    fn derives_are_last_path_segments() {
        let mut i = Item {
            language: "rust".into(),
            package: "c".into(),
            namespace: vec![],
            kind: "struct".into(),
            name: "S".into(),
            parent: None,
            file: "src/lib.rs".into(),
            line: 1,
            end_line: 1,
            column: 0,
            visibility: "pub".into(),
            signature: "pub struct S;".into(),
            doc: None,
            generated: false,
            in_macro: false,
            macro_name: None,
            trait_impl: None,
            attributes: vec!["#[derive(Debug, serde::Serialize)]".into()],
            test: false,
            members: vec![],
            embeds: vec![],
            source: None,
        };
        assert_eq!(
            derives(&i).into_iter().collect::<Vec<_>>(),
            vec!["Debug", "Serialize"]
        );
        i.attributes = vec!["#[non_exhaustive]".into()];
        assert!(non_exhaustive(&i));
    }
}

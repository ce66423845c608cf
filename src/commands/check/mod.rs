//! `planrecon check`: finds every stale citation and frozen signature in a
//! Markdown plan, and with `--fix` rewrites the citations that only moved.
//!
//! The plan's citations come from `plan.rs`; today's code from the same
//! pipeline as the report (`build_inventory`). When the plan names the commit
//! it was written at (`as of <sha>`) or `--since REV` is given, a line
//! citation is first resolved at that commit (files read with `git show`,
//! never through the work tree) and the symbol it meant is followed to today.

pub(crate) mod plan;

use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::ops::Range;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use serde::Serialize;

use crate::cli::CheckArgs;
use crate::config::{CheckFormat, Config};
use crate::model::{cite, Embed, Member};
use crate::resolve::decls::Decls;
use crate::resolve::find::{snapshot_of, Hit, Search};
use crate::scan::extract::extract_file;
use crate::scan::lang::{lang_for_extension, LangSpec, LANGS};
use crate::scan::parse::with_parser;
use crate::scan::syntax::collapse_ws;
use crate::scan::walk::SourceFile;
use crate::util::{exit, git, output};
use plan::{Citation, Lines, SymbolRef, SOURCE_EXTENSIONS};

/// Version of the `check --format json` schema.
const CHECK_SCHEMA_VERSION: u32 = 1;

/// The status of one citation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    Ok,
    Moved,
    Changed,
    Missing,
    Ambiguous,
    Unverifiable,
    /// A file that is not part of the repository (another project's source).
    External,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Moved => "moved",
            Status::Changed => "changed",
            Status::Missing => "missing",
            Status::Ambiguous => "ambiguous",
            Status::Unverifiable => "unverifiable",
            Status::External => "external",
        }
    }

    /// ANSI colour of the status word.
    fn colour(self) -> &'static str {
        match self {
            Status::Ok => "32",
            Status::Moved => "33",
            Status::Changed | Status::Missing => "31",
            Status::Ambiguous => "35",
            Status::Unverifiable | Status::External => "36",
        }
    }
}

/// What `check` says about one citation.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Finding {
    /// 1-based line of the plan.
    pub line: usize,
    /// The citation as written.
    pub citation: String,
    /// The symbol it names (`Store.Get`), if any.
    pub symbol: Option<String>,
    pub status: Status,
    /// One sentence saying why.
    pub detail: String,
    /// Where the cited symbol is today.
    pub now: Option<String>,
    /// Files or declarations an ambiguous citation could mean.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<String>,
    /// Unified diff of the declaration as cited versus today's (`changed`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// Whether `--fix` rewrote it.
    pub fixed: bool,
    /// Byte ranges of the plan and their replacements (`moved` only).
    #[serde(skip)]
    edits: Vec<(Range<usize>, String)>,
    /// The citation as the edits write it.
    #[serde(skip)]
    rewrite: Option<String>,
}

/// One declaration, reduced to what a citation check compares.
#[derive(Debug, Clone)]
struct Decl {
    file: String,
    kind: String,
    name: String,
    parent: Option<String>,
    line: u32,
    end_line: u32,
    /// A field, variant or interface method (rather than an item).
    member: bool,
    /// The declaration normalised: signature, then member signatures, one a
    /// line; comments dropped and whitespace collapsed by the extractor.
    text: String,
}

impl Decl {
    fn citation(&self) -> String {
        cite(&self.file, self.line, self.end_line)
    }

    fn label(&self) -> String {
        match &self.parent {
            Some(p) => format!("{} `{p}.{}`", self.kind, self.name),
            None => format!("{} `{}`", self.kind, self.name),
        }
    }
}

/// A declaration as the extractor or the model gives it.
struct Raw<'a> {
    kind: &'a str,
    name: &'a str,
    parent: Option<&'a str>,
    line: u32,
    end_line: u32,
    signature: &'a str,
    members: &'a [Member],
    embeds: &'a [Embed],
}

/// Normalise a signature: collapsed whitespace, no trailing `{` or `;`.
fn norm_sig(s: &str) -> String {
    collapse_ws(s).trim_end_matches(['{', ';', ' ']).to_string()
}

/// Characters of a diff line shown in text output.
const MAX_DIFF_LINE: usize = 200;

/// Signatures of values longer than this keep only their name and type:
/// a variable's initialiser (a whole `cobra.Command`) is not its interface.
const MAX_VALUE_SIGNATURE: usize = 120;

/// The signature of an item as compared: a `var`/`static` without its
/// initialiser, a long `const` likewise.
fn item_sig(kind: &str, signature: &str) -> String {
    let sig = norm_sig(signature);
    let cut =
        matches!(kind, "var" | "static") || (kind == "const" && sig.len() > MAX_VALUE_SIGNATURE);
    match sig.split_once(" = ") {
        Some((head, _)) if cut => head.to_string(),
        _ => sig,
    }
}

/// The comparison key of a declaration text: whitespace kept only between
/// two word characters, so layout never counts as a change.
fn compare_key(text: &str) -> String {
    let mut out = String::new();
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        let word = |c: char| c.is_alphanumeric() || c == '_';
        if pending_space && out.chars().next_back().is_some_and(word) && word(c) {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// Decls of one file: every item (with its members and the items nested in
/// its span, such as trait methods) and every member on its own.
fn decls_of(file: &str, raws: &[Raw]) -> Vec<Decl> {
    let mut out = Vec::new();
    for r in raws {
        let mut parts: Vec<(u32, String)> = vec![(r.line, item_sig(r.kind, r.signature))];
        parts.extend(r.members.iter().map(|m| (m.line, norm_sig(&m.signature))));
        parts.extend(
            r.embeds
                .iter()
                .map(|e| (e.line, format!("embed {}", collapse_ws(&e.text)))),
        );
        for c in raws {
            if c.parent == Some(r.name) && c.line > r.line && c.end_line <= r.end_line {
                parts.push((c.line, item_sig(c.kind, c.signature)));
            }
        }
        parts.sort_by_key(|p| p.0);
        out.push(Decl {
            file: file.to_string(),
            kind: r.kind.to_string(),
            name: r.name.to_string(),
            parent: r.parent.map(str::to_string),
            line: r.line,
            end_line: r.end_line,
            member: false,
            text: parts
                .into_iter()
                .map(|p| p.1)
                .collect::<Vec<_>>()
                .join("\n"),
        });
        for m in r.members {
            out.push(Decl {
                file: file.to_string(),
                kind: m.kind.clone(),
                name: m.name.clone(),
                parent: Some(r.name.to_string()),
                line: m.line,
                end_line: m.end_line,
                member: true,
                text: norm_sig(&m.signature),
            });
        }
    }
    out
}

/// Extract the decls of `text` as a file of language `spec`.
fn extract_decls(spec: &'static LangSpec, file: &str, text: &str) -> Vec<Decl> {
    let Some(Ok(facts)) = with_parser(spec, |p| extract_file(spec, p, text)) else {
        return Vec::new();
    };
    let raws: Vec<Raw> = facts
        .items
        .iter()
        .map(|e| Raw {
            kind: e.kind,
            name: &e.name,
            parent: e.parent.as_deref(),
            line: e.span.line,
            end_line: e.span.end_line,
            signature: &e.signature,
            members: &e.members,
            embeds: &e.embeds,
        })
        .collect();
    decls_of(file, &raws)
}

/// A Go frozen block that copies one spec of a grouped `type ( … )`
/// declaration verbatim (`\tCloser interface {`): read inside its group, its
/// lines those of the block.
fn grouped_spec_decls(spec: &'static LangSpec, body: &str) -> Vec<Decl> {
    let mut decls = extract_decls(spec, "", &format!("type (\n{body}\n)\n"));
    decls.retain_mut(|d| {
        d.line = d.line.saturating_sub(1);
        d.end_line = d.end_line.saturating_sub(1);
        d.line >= 1
    });
    decls
}

fn spec_for_path(path: &str) -> Option<&'static LangSpec> {
    let ext = Path::new(path).extension()?.to_str()?;
    lang_for_extension(ext)
}

/// How a cited path resolves against a tree's files.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Resolved {
    One(String),
    Many(Vec<String>),
    None,
}

/// The code as of one moment: the work tree today, or a commit.
struct Snapshot {
    root: PathBuf,
    /// `None` for the work tree.
    rev: Option<String>,
    files: BTreeSet<String>,
    /// Decls per file, filled lazily (today's come from the inventory first).
    decls: BTreeMap<String, Vec<Decl>>,
    /// Files renamed between this commit and `HEAD`: old path → its last name.
    renames: BTreeMap<String, String>,
    /// File texts read so far (`git show` costs a process per file).
    texts: std::cell::RefCell<BTreeMap<String, Option<String>>>,
    /// Today only: the names a file's package goes by (Go package name and
    /// import path's last segment, Rust module and crate name).
    packages: BTreeMap<String, BTreeSet<String>>,
    /// Today only: what the symbol graph of one file is built from.
    graph: Option<GraphSource>,
}

/// The declarations of today's tree and its source files: the symbol graph
/// of a file is resolved from them on demand (`refs`' resolver), to follow a
/// cited use site as a use.
struct GraphSource {
    decls: Decls,
    files: BTreeMap<String, SourceFile>,
}

impl GraphSource {
    /// The lines of `file` that use a declaration `sym` names (exact uses
    /// first; inferred ones only when there is no exact one), each with the
    /// function or method they are in. Empty when the file cannot be read or
    /// parsed.
    fn uses_in(&self, file: &str, sym: &SymbolRef) -> Vec<(u32, Option<String>)> {
        let Some(source) = self.files.get(file) else {
            return Vec::new();
        };
        let keys: BTreeSet<&str> = self
            .decls
            .named(&sym.name)
            .filter(|d| match sym.parent.as_deref() {
                None | Some("crate" | "self" | "super") => true,
                Some(q) => {
                    d.parent.as_deref() == Some(q)
                        || d.path[..d.path.len() - 1]
                            .iter()
                            .any(|seg| seg == q || seg.rsplit('/').next() == Some(q))
                }
            })
            .map(|d| d.key.as_str())
            .collect();
        if keys.is_empty() {
            return Vec::new();
        }
        let Ok(text) = std::fs::read_to_string(&source.abs) else {
            return Vec::new();
        };
        let Some(syntax) = snapshot_of(source, &text) else {
            return Vec::new();
        };
        let search = Search::all(&self.decls);
        let hits: Vec<Hit> = search
            .file_uses(source, &syntax)
            .into_iter()
            .filter(|(k, _)| keys.contains(k.as_str()))
            .map(|(_, h)| h)
            .collect();
        let exact = hits.iter().any(|h| !h.inferred);
        let mut out: Vec<(u32, Option<String>)> = hits
            .into_iter()
            .filter(|h| !exact || !h.inferred)
            .map(|h| (h.line, h.enclosing))
            .collect();
        out.sort();
        out.dedup_by_key(|u| u.0);
        out
    }
}

impl Snapshot {
    /// The work tree, with every decl of the inventory.
    fn today(root: &Path) -> anyhow::Result<Snapshot> {
        let config = Config::for_repo(root.to_path_buf(), true)?;
        let walked = crate::scan::walk::walk(&config)?;
        let source_files: BTreeMap<String, SourceFile> = walked
            .files
            .iter()
            .map(|f| (f.rel.clone(), f.clone()))
            .collect();
        let inventory = crate::scan::build_inventory_from(&config, walked)?;
        let mut by_file: BTreeMap<String, Vec<Raw>> = BTreeMap::new();
        for it in &inventory.items {
            by_file.entry(it.file.clone()).or_default().push(Raw {
                kind: &it.kind,
                name: &it.name,
                parent: it.parent.as_deref(),
                line: it.line,
                end_line: it.end_line,
                signature: &it.signature,
                members: &it.members,
                embeds: &it.embeds,
            });
        }
        let decls = by_file
            .iter()
            .map(|(f, raws)| (f.clone(), decls_of(f, raws)))
            .collect();
        let mut packages: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for p in &inventory.packages {
            let mut names: BTreeSet<String> = BTreeSet::new();
            names.insert(p.name.clone());
            names.extend(p.crate_name.clone());
            for sep in ["/", "::"] {
                if let Some(last) = p.path.rsplit(sep).next() {
                    names.insert(last.to_string());
                }
            }
            if let Some(last) = p.dir.rsplit('/').next() {
                names.insert(last.to_string());
            }
            for f in p.files.iter().chain(&p.test_files) {
                packages
                    .entry(f.clone())
                    .or_default()
                    .extend(names.iter().cloned());
            }
        }
        Ok(Snapshot {
            root: root.to_path_buf(),
            rev: None,
            files: list_files(root),
            decls,
            renames: BTreeMap::new(),
            texts: Default::default(),
            packages,
            graph: Some(GraphSource {
                decls: Decls::new(&inventory),
                files: source_files,
            }),
        })
    }

    /// The tree at commit `rev` (already verified), read from git objects.
    fn at(root: &Path, rev: &str) -> anyhow::Result<Snapshot> {
        let listing = git::git(root, &["ls-tree", "-r", "--name-only", rev])
            .with_context(|| format!("cannot list the files of {rev}"))?;
        // Every rename on the way from `rev` to HEAD, oldest first, chained:
        // one end-to-end diff misses files that changed a lot after moving.
        // Only commits are read, never the work tree or the index.
        let log = git::git(
            root,
            &[
                "log",
                "--reverse",
                "-M",
                "--diff-filter=R",
                "--name-status",
                "--format=",
                "--relative",
                &format!("{rev}..HEAD"),
            ],
        )
        .unwrap_or_default();
        let mut renames: BTreeMap<String, String> = BTreeMap::new();
        for l in log.lines() {
            let mut parts = l.split('\t');
            let (Some(status), Some(from), Some(to)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if !status.starts_with('R') {
                continue;
            }
            for target in renames.values_mut() {
                if target == from {
                    *target = to.to_string();
                }
            }
            renames.insert(from.to_string(), to.to_string());
        }
        Ok(Snapshot {
            root: root.to_path_buf(),
            rev: Some(rev.to_string()),
            files: listing.lines().map(str::to_string).collect(),
            decls: BTreeMap::new(),
            renames,
            texts: Default::default(),
            packages: BTreeMap::new(),
            graph: None,
        })
    }

    fn text(&self, path: &str) -> Option<String> {
        if let Some(t) = self.texts.borrow().get(path) {
            return t.clone();
        }
        let text = match &self.rev {
            Some(rev) => git::show_file(&self.root, rev, path),
            None => std::fs::read_to_string(self.root.join(path)).ok(),
        };
        self.texts
            .borrow_mut()
            .insert(path.to_string(), text.clone());
        text
    }

    fn line_count(&self, path: &str) -> Option<usize> {
        self.text(path).map(|t| t.lines().count())
    }

    fn decls(&mut self, path: &str) -> &[Decl] {
        if !self.decls.contains_key(path) {
            let found = match (spec_for_path(path), self.text(path)) {
                (Some(spec), Some(text)) => extract_decls(spec, path, &text),
                _ => Vec::new(),
            };
            self.decls.insert(path.to_string(), found);
        }
        self.decls.get(path).map_or(&[], Vec::as_slice)
    }

    fn resolve(&self, cited: &str) -> Resolved {
        let p = cited.trim_start_matches("./");
        if self.files.contains(p) {
            return Resolved::One(p.to_string());
        }
        let suffix = format!("/{p}");
        let matches: Vec<String> = self
            .files
            .iter()
            .filter(|f| f.ends_with(&suffix))
            .cloned()
            .collect();
        match matches.len() {
            0 => Resolved::None,
            1 => Resolved::One(matches.into_iter().next().unwrap_or_default()),
            _ => Resolved::Many(matches),
        }
    }
}

/// Every file of the work tree but `.git` and ignored files. Hidden files
/// count: plans cite `.github/workflows/ci.yml` and the like.
fn list_files(root: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .filter_entry(|e| e.file_name() != ".git")
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .follow_links(false)
        .build();
    for entry in walker.flatten() {
        if entry.file_type().is_some_and(|t| t.is_file()) {
            if let Some(rel) = crate::scan::walk::relative(root, entry.path()) {
                out.insert(rel);
            }
        }
    }
    out
}

/// What a citation names: a symbol, and its declaration as the plan knew it.
#[derive(Debug, Clone)]
struct Target {
    symbol: SymbolRef,
    /// The declaration at the plan's commit or in the frozen block.
    old: Option<Decl>,
    /// `old` was read at the plan's commit (so its lines are comparable).
    old_from_rev: bool,
}

fn symbol_label(s: &SymbolRef) -> String {
    match &s.parent {
        Some(p) => format!("{p}.{}", s.name),
        None => s.name.clone(),
    }
}

/// The checker of one repository.
struct Checker {
    today: Snapshot,
    /// Snapshots of commits, by commit id.
    revs: BTreeMap<String, Snapshot>,
    /// The paths the plan being checked spells out (`Plan::mentioned`).
    mentioned: Vec<String>,
}

/// The outcome of following a symbol to today.
enum Followed {
    Found(Decl),
    Missing,
    Ambiguous(Vec<String>),
}

impl Checker {
    /// Today's decl named like `t`, preferring `file`, then the old text, then
    /// the nearest line.
    fn follow(&self, t: &Target, file: Option<&str>, near: u32) -> Followed {
        let all = self.today.decls.values().flatten();
        let named: Vec<&Decl> = all.filter(|d| d.name == t.symbol.name).collect();
        let mut cands = named.clone();
        if let Some(p) = &t.symbol.parent {
            // A parent read from code is a type and always filters. One read
            // from prose is a type when a declaration has that name (or it
            // is capitalised, like a type that is gone), a package or module
            // when a package goes by it (`store.Open`, `crate::store::Store`),
            // and otherwise a variable (`cs.rejected`), which says nothing.
            let from_code = t.old.as_ref().is_some_and(|o| o.parent.is_some());
            let parent_is_decl = from_code
                || self
                    .today
                    .decls
                    .values()
                    .flatten()
                    .any(|d| &d.name == p && !d.member && d.kind != "mod");
            let is_package = self.today.packages.values().any(|n| n.contains(p));
            let path_word = matches!(p.as_str(), "crate" | "self" | "super");
            if !path_word && parent_is_decl {
                cands.retain(|d| d.parent.as_ref() == Some(p));
            } else if !path_word && is_package {
                let packages = &self.today.packages;
                cands.retain(|d| packages.get(&d.file).is_some_and(|n| n.contains(p)));
            } else if !path_word && p.starts_with(|c: char| c.is_ascii_uppercase()) {
                cands.retain(|d| d.parent.as_ref() == Some(p));
            }
        }
        // `crate::cache::Store::get`: the module named must be the member's.
        if let Some(m) = &t.symbol.module {
            let packages = &self.today.packages;
            cands.retain(|d| packages.get(&d.file).is_some_and(|n| n.contains(m)));
        }
        if let Some(old) = &t.old {
            let same_role: Vec<&Decl> = cands
                .iter()
                .copied()
                .filter(|d| d.member == old.member)
                .collect();
            if !same_role.is_empty() {
                cands = same_role;
            }
        }
        if cands.is_empty() {
            return Followed::Missing;
        }
        let same_text = |ds: &[&Decl]| -> Vec<Decl> {
            match &t.old {
                Some(old) => {
                    let key = compare_key(&old.text);
                    ds.iter()
                        .filter(|d| compare_key(&d.text) == key)
                        .map(|d| (*d).clone())
                        .collect()
                }
                None => Vec::new(),
            }
        };
        let in_file: Vec<&Decl> = cands
            .iter()
            .copied()
            .filter(|d| Some(d.file.as_str()) == file)
            .collect();
        if let Some(d) = pick_nearest(&in_file, &same_text(&in_file), near) {
            return Followed::Found(d);
        }
        if cands.len() == 1 {
            return Followed::Found(cands[0].clone());
        }
        let equal = same_text(&cands);
        if equal.len() == 1 {
            return Followed::Found(equal[0].clone());
        }
        let dir = file.map(|f| f.rsplit_once('/').map_or("", |(d, _)| d));
        let in_dir: Vec<&Decl> = cands
            .iter()
            .copied()
            .filter(|d| Some(d.file.rsplit_once('/').map_or("", |(d, _)| d)) == dir)
            .collect();
        if in_dir.len() == 1 {
            return Followed::Found(in_dir[0].clone());
        }
        Followed::Ambiguous(cands.iter().map(|d| d.citation()).collect())
    }

    fn check(&mut self, c: &Citation, rev: Option<&str>) -> Option<Finding> {
        // A prose line number takes the most recent file the plan named that
        // is a file of the repository (now or at the plan's commit).
        let contextual;
        let c = if c.path_from_context && !self.knows(&c.path, rev) {
            match c.context.iter().find(|p| self.knows(p, rev)) {
                Some(p) => {
                    contextual = Citation {
                        path: p.clone(),
                        ..c.clone()
                    };
                    &contextual
                }
                None => c,
            }
        } else {
            c
        };
        if let Some(found) = self.check_at_place(c, rev) {
            return found;
        }
        let mut f = blank_finding(c);
        let today = self.today.resolve(&c.path);
        let old_snap = rev.and_then(|r| self.revs.get_mut(r));
        let old_path = old_snap.as_ref().and_then(|s| match s.resolve(&c.path) {
            Resolved::One(p) => Some(p),
            _ => None,
        });
        if today == Resolved::None
            && old_path.is_none()
            && !looks_like_repo_path(&self.today, &c.path)
        {
            return None;
        }
        let (first, last) = match c.lines {
            Lines::None => (None, None),
            Lines::One(l) => (Some(l), Some(l)),
            Lines::Range(a, b) => (Some(a), Some(b)),
        };
        if first == Some(0) || last < first {
            f.status = Status::Missing;
            f.detail = format!("{} is not a line range (lines count from 1)", c.text);
            return Some(f);
        }

        // A backticked name that was not declared in the cited file at the
        // plan's commit is prose near the citation, not what it names.
        let mut symbol = c.symbol.clone();
        if let (Some(sym), Some(r), Some(op)) = (&symbol, rev, &old_path) {
            if let (Some(_), Some(snap)) = (spec_for_path(op), self.revs.get_mut(r)) {
                if !snap.decls(op).iter().any(|d| d.name == sym.name) {
                    symbol = None;
                    f.symbol = None;
                }
            }
        }

        // 1. What the citation names.
        let mut targets: Vec<Target> = Vec::new();
        let mut rev_note = None;
        let mut inside_fallback = None;
        // Body lines followed through their declaration: their text at the
        // plan's commit, which must still be there for the citation to hold.
        let mut body_lines: Option<String> = None;
        if let Some(frozen) = &c.frozen {
            let spec = spec_for_path(&c.path).or_else(|| fence_lang(&frozen.info));
            let Some(spec) = spec else {
                f.status = Status::Unverifiable;
                f.detail = "the frozen block's language is not one planrecon reads".to_string();
                return Some(f);
            };
            let mut decls = extract_decls(spec, "", &frozen.body);
            if decls.is_empty() && spec.name == "go" {
                decls = grouped_spec_decls(spec, &frozen.body);
            }
            if decls.is_empty() && spec.name == "rust" {
                // A method copied without its body (`pub fn f(&self) -> &[u8]`):
                // tree-sitter recovers some such lines as a function and not
                // others; with the `;` of a signature every one parses.
                decls = extract_decls(spec, "", &format!("{};\n", frozen.body.trim_end()));
            }
            let tops: Vec<&Decl> = decls
                .iter()
                .filter(|d| !d.member)
                .filter(|d| {
                    !decls.iter().any(|o| {
                        !o.member
                            && o.name != d.name
                            && o.line <= d.line
                            && d.end_line <= o.end_line
                            && (o.line, o.end_line) != (d.line, d.end_line)
                    })
                })
                .collect();
            if tops.is_empty() {
                f.status = Status::Unverifiable;
                f.detail = "the frozen block holds no declaration planrecon can read".to_string();
                return Some(f);
            }
            targets = tops
                .into_iter()
                .map(|d| Target {
                    symbol: SymbolRef {
                        name: d.name.clone(),
                        parent: d.parent.clone(),
                        module: None,
                    },
                    old: Some(d.clone()),
                    old_from_rev: false,
                })
                .collect();
            f.symbol = Some(
                targets
                    .iter()
                    .map(|t| symbol_label(&t.symbol))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        } else if let Some(sym) = &symbol {
            let mut old = None;
            if let (Some(snap), Some(op)) = (self.revs.get_mut(rev.unwrap_or_default()), &old_path)
            {
                let named: Vec<&Decl> = snap
                    .decls(op)
                    .iter()
                    .filter(|d| d.name == sym.name)
                    .collect();
                let covering: Vec<&&Decl> = named
                    .iter()
                    .filter(|d| first.is_some_and(|l| d.line <= l && l <= d.end_line))
                    .collect();
                old = match (covering.as_slice(), named.as_slice()) {
                    ([d, ..], _) => Some((**d).clone()),
                    (_, [d]) => Some((*d).clone()),
                    _ => None,
                };
            }
            // The plan names another module's member than the one the
            // cited file held at its commit (see `check_at_place`).
            if let (Some(m), Some(op)) = (&sym.module, &old_path) {
                let current = rev
                    .and_then(|r| self.revs.get(r))
                    .and_then(|s| s.renames.get(op))
                    .unwrap_or(op);
                if self
                    .today
                    .packages
                    .get(current)
                    .is_some_and(|names| !names.contains(m))
                {
                    old = None;
                }
            }
            let old_from_rev = old.is_some();
            targets.push(Target {
                symbol: sym.clone(),
                old,
                old_from_rev,
            });
        } else if let (Some(r), Some(op), Some(l)) = (rev, &old_path, first) {
            let snap = self.revs.get_mut(r)?;
            let decls = snap.decls(op);
            let exact = decls
                .iter()
                .find(|d| Some(d.end_line) == last && d.line == l && last != first);
            let at_line = || {
                decls
                    .iter()
                    .filter(|d| d.line == l)
                    .min_by_key(|d| (d.member, d.end_line))
            };
            // A line inside a declaration (a body line) follows that
            // declaration, unless its own text can be followed (below).
            inside_fallback = decls
                .iter()
                .filter(|d| d.line < l && l <= d.end_line)
                .min_by_key(|d| d.end_line - d.line)
                .cloned();
            match exact.or_else(at_line) {
                Some(d) => targets.push(Target {
                    symbol: SymbolRef {
                        name: d.name.clone(),
                        parent: d.parent.clone(),
                        module: None,
                    },
                    old: Some(d.clone()),
                    old_from_rev: true,
                }),
                // Nothing there at the plan's commit: the citation may have
                // been written (or fixed) against a later tree.
                None => rev_note = Some(format!("at {} line {l} held no declaration; ", short(r))),
            }
        }

        // 2. Where the cited file is today.
        let mut file = match &today {
            Resolved::One(p) => Some(p.clone()),
            Resolved::Many(list) => {
                let holding: Vec<&String> = list
                    .iter()
                    .filter(|p| {
                        targets.iter().any(|t| {
                            self.today
                                .decls
                                .get(*p)
                                .is_some_and(|ds| ds.iter().any(|d| d.name == t.symbol.name))
                        })
                    })
                    .collect();
                let from_rev = old_path.as_ref().filter(|p| list.contains(p));
                match (holding.as_slice(), from_rev) {
                    ([one], _) => Some((*one).clone()),
                    (_, Some(p)) => Some(p.clone()),
                    _ => {
                        f.status = Status::Ambiguous;
                        f.detail = format!("{} matches {} files", c.path, list.len());
                        f.candidates = list.clone();
                        return Some(f);
                    }
                }
            }
            Resolved::None => old_path
                .as_ref()
                .and_then(|op| {
                    rev.and_then(|r| self.revs.get(r))
                        .and_then(|s| s.renames.get(op))
                })
                .filter(|n| self.today.files.contains(*n))
                .cloned(),
        };
        let renamed = today == Resolved::None && file.is_some();

        // 2b. Lines that held no declaration at the plan's commit: follow
        // their text, else the declaration around them.
        if let (Some(r), Some(op), Some(p), Some(a), Some(b), Some(_)) =
            (rev, &old_path, &file, first, last, &rev_note)
        {
            let old_text = self
                .revs
                .get(r)
                .and_then(|s| s.text(op))
                .unwrap_or_default();
            let new_text = self.today.text(p).unwrap_or_default();
            match follow_block(&old_text, &new_text, a, b) {
                Some((na, nb)) if (na, nb) == (a, b) && !renamed => {
                    f.detail = format!("the cited lines are unchanged since {}", short(r));
                    f.now = Some(cite(p, na, nb));
                    return Some(f);
                }
                Some((na, nb)) => {
                    f.now = Some(cite(p, na, nb));
                    let new_lines = match c.lines {
                        Lines::Range(..) => Lines::Range(na, nb),
                        _ => Lines::One(na),
                    };
                    self.mark_moved(&mut f, c, p, !renamed, new_lines);
                    return Some(f);
                }
                None => {
                    if let Some(d) = inside_fallback.take() {
                        body_lines = Some(
                            old_text
                                .lines()
                                .skip((a as usize).saturating_sub(1))
                                .take(b.saturating_sub(a) as usize + 1)
                                .map(str::trim)
                                .collect::<Vec<_>>()
                                .join("\n"),
                        );
                        targets.push(Target {
                            symbol: SymbolRef {
                                name: d.name.clone(),
                                parent: d.parent.clone(),
                                module: None,
                            },
                            old: Some(d),
                            old_from_rev: true,
                        });
                        rev_note = None;
                    }
                }
            }
        }

        // 3. No symbol: only the file and the lines can be checked.
        if targets.is_empty() {
            let Some(p) = file else {
                f.status = Status::Missing;
                f.detail = format!("{} does not exist", c.path);
                return Some(f);
            };
            let Some(l) = first else {
                if renamed {
                    f.now = Some(p.clone());
                    self.mark_moved(&mut f, c, &p, false, Lines::None);
                }
                return Some(f);
            };
            let count = self.today.line_count(&p).unwrap_or(0);
            if l as usize > count || last.is_some_and(|e| e as usize > count) {
                f.status = Status::Missing;
                f.detail = format!("{}{p} has {count} lines", rev_note.unwrap_or_default());
                return Some(f);
            }
            let decls = self.today.decls(&p).to_vec();
            let holds = match c.lines {
                Lines::Range(a, b) => decls.iter().find(|d| (d.line, d.end_line) == (a, b)),
                // A line holding a declaration counts only when the plan's
                // commit had nothing there (the citation is newer than it).
                Lines::One(l) if rev_note.is_some() => decls
                    .iter()
                    .filter(|d| d.line == l)
                    .min_by_key(|d| (d.member, d.end_line)),
                _ => None,
            };
            if let Some(d) = holds {
                f.detail = format!("holds {} ({})", d.label(), d.citation());
                f.symbol.get_or_insert_with(|| {
                    symbol_label(&SymbolRef {
                        name: d.name.clone(),
                        parent: d.parent.clone(),
                        module: None,
                    })
                });
                return Some(f);
            }
            f.status = Status::Unverifiable;
            f.detail = format!(
                "{}{}",
                rev_note.unwrap_or_default(),
                describe_line(&decls, l)
            );
            return Some(f);
        }

        // 4. Follow every symbol to today.
        if file.is_none() {
            file = old_path.clone();
        }
        let near = targets
            .first()
            .and_then(|t| t.old.as_ref().filter(|_| t.old_from_rev).map(|o| o.line))
            .or(first)
            .unwrap_or(0);
        let mut picks: Vec<(Target, Decl)> = Vec::new();
        for t in &targets {
            match self.follow(t, file.as_deref(), near) {
                Followed::Found(d) => picks.push((t.clone(), d)),
                Followed::Missing => {
                    f.status = Status::Missing;
                    f.detail = match (&t.old, t.old_from_rev) {
                        (Some(o), true) => format!(
                            "no declaration named `{}` in the repository (at {} it was {})",
                            t.symbol.name,
                            short(rev.unwrap_or_default()),
                            o.citation()
                        ),
                        _ => match &t.symbol.module {
                            Some(m) => format!(
                                "no declaration `{}` in a module `{m}` of the repository",
                                symbol_label(&t.symbol)
                            ),
                            None => format!(
                                "no declaration named `{}` in the repository",
                                t.symbol.name
                            ),
                        },
                    };
                    return Some(f);
                }
                Followed::Ambiguous(list) => {
                    f.status = Status::Ambiguous;
                    f.detail = format!(
                        "`{}` is declared in {} places",
                        symbol_label(&t.symbol),
                        list.len()
                    );
                    f.candidates = list;
                    return Some(f);
                }
            }
        }

        // 5. Compare the declarations, then the place.
        let mut diffs = String::new();
        for (t, now) in &picks {
            if let Some(old) = &t.old {
                if compare_key(&old.text) != compare_key(&now.text) {
                    let from = match (t.old_from_rev, rev) {
                        (true, Some(r)) => format!("{} (at {})", old.citation(), short(r)),
                        _ => format!("{} (plan)", c.text),
                    };
                    let diff = similar::TextDiff::from_lines(
                        &format!("{}\n", old.text),
                        &format!("{}\n", now.text),
                    )
                    .unified_diff()
                    .context_radius(3)
                    .header(&from, &format!("{} (today)", now.citation()))
                    .to_string();
                    diffs.push_str(&diff);
                }
            }
        }
        let same_file = picks
            .iter()
            .all(|(_, d)| Some(&d.file) == picks.first().map(|p| &p.1.file));
        let new_file = picks.first().map(|p| p.1.file.clone()).unwrap_or_default();
        let lo = picks.iter().map(|p| p.1.line).min().unwrap_or(0);
        let hi = picks.iter().map(|p| p.1.end_line).max().unwrap_or(0);
        f.now = Some(if same_file {
            cite(&new_file, lo, hi)
        } else {
            picks
                .iter()
                .map(|p| p.1.citation())
                .collect::<Vec<_>>()
                .join(", ")
        });
        if !diffs.is_empty() {
            f.status = Status::Changed;
            f.detail = format!(
                "the declaration changed; it is at {}",
                f.now.clone().unwrap_or_default()
            );
            f.diff = Some(diffs);
            return Some(f);
        }
        // Where the citation should point now, in its own form.
        let (t0, d0) = &picks[0];
        let shift = |l: u32| -> u32 {
            match (&t0.old, t0.old_from_rev) {
                (Some(o), true) if o.line <= l && l <= o.end_line => {
                    (d0.line + (l - o.line)).min(d0.end_line)
                }
                _ => d0.line,
            }
        };
        let new_lines = match c.lines {
            Lines::None => Lines::None,
            Lines::One(l) => match (&t0.old, t0.old_from_rev) {
                (Some(_), true) => Lines::One(shift(l)),
                _ if picks.len() == 1 && d0.line <= l && l <= d0.end_line => Lines::One(l),
                _ => Lines::One(lo),
            },
            Lines::Range(a, b) => match (&t0.old, t0.old_from_rev) {
                (Some(o), true)
                    if (o.line, o.end_line) != (a, b) && o.line <= a && b <= o.end_line =>
                {
                    Lines::Range(shift(a), shift(b))
                }
                // A frozen block of a function without its body cites the
                // signature's lines only: they start at the declaration.
                _ if c.frozen.is_some() && picks.len() == 1 && b - a < d0.end_line - d0.line => {
                    Lines::Range(d0.line, d0.line + (b - a))
                }
                _ => Lines::Range(lo, hi),
            },
        };
        let file_same =
            same_file && file.as_deref() == Some(new_file.as_str()) && today != Resolved::None;
        if let (Some(old_body), Lines::One(na) | Lines::Range(na, _)) = (&body_lines, new_lines) {
            let nb = match new_lines {
                Lines::Range(_, nb) => nb,
                _ => na,
            };
            let now_text = self.today.text(&new_file).unwrap_or_default();
            let now_body: Vec<&str> = now_text
                .lines()
                .skip((na as usize).saturating_sub(1))
                .take(nb.saturating_sub(na) as usize + 1)
                .map(str::trim)
                .collect();
            if now_body.join("\n") != *old_body {
                f.status = Status::Unverifiable;
                f.detail = format!(
                    "at {} the lines were inside {}, which is now at {}, but their text is no longer there",
                    short(rev.unwrap_or_default()),
                    d0.label(),
                    d0.citation()
                );
                return Some(f);
            }
        }
        if file_same && new_lines == c.lines {
            f.detail = match picks.as_slice() {
                [(_, d)] => format!("{} at {}", d.label(), d.citation()),
                _ => format!(
                    "{} declarations at {}",
                    picks.len(),
                    f.now.clone().unwrap_or_default()
                ),
            };
            return Some(f);
        }
        if !same_file {
            f.status = Status::Moved;
            f.detail = format!(
                "the declarations are now in several files: {}",
                f.now.clone().unwrap_or_default()
            );
            return Some(f);
        }
        self.mark_moved(&mut f, c, &new_file, file_same, new_lines);
        Some(f)
    }

    /// Make `f` a `moved` finding pointing at `new_file` and `new_lines`, with
    /// the edits `--fix` would make (the path only when it changed).
    fn mark_moved(
        &self,
        f: &mut Finding,
        c: &Citation,
        new_file: &str,
        file_same: bool,
        new_lines: Lines,
    ) {
        f.status = Status::Moved;
        let lines_text = |l: Lines, sep: &str| match l {
            Lines::None => String::new(),
            Lines::One(l) => l.to_string(),
            Lines::Range(a, b) if a == b => a.to_string(),
            Lines::Range(a, b) => format!("{a}{sep}{b}"),
        };
        let now_cite = match new_lines {
            Lines::None => new_file.to_string(),
            l => format!("{new_file}:{}", lines_text(l, "-")),
        };
        f.detail = format!("now at {now_cite}");
        if !file_same {
            if c.path_from_context {
                f.detail
                    .push_str(" (the plan names the file elsewhere: fix it by hand)");
                return;
            }
            let git_rename = self
                .revs
                .values()
                .any(|s| s.renames.values().any(|v| v == new_file));
            if !same_base(&c.path, new_file) && !git_rename {
                f.detail.push_str(
                    " (a file of another name, not a rename git records: fix it by hand)",
                );
                return;
            }
            if c.in_list {
                f.detail
                    .push_str(" (the path is shared with other numbers: fix it by hand)");
                return;
            }
            let base = new_file.rsplit('/').next().unwrap_or(new_file);
            let text = if !c.path.contains('/')
                && self.today.resolve(base) == Resolved::One(new_file.to_string())
            {
                base.to_string()
            } else {
                new_file.to_string()
            };
            f.edits.push((c.path_span.clone(), text));
        }
        let path_text = f.edits.first().map_or(c.path.clone(), |e| e.1.clone());
        match &c.lines_span {
            Some(span) => {
                let text = lines_text(new_lines, &c.range_sep);
                if new_lines != c.lines {
                    f.edits.push((span.clone(), text.clone()));
                }
                f.rewrite = Some(format!("{path_text}:{text}"));
            }
            None => f.rewrite = Some(path_text),
        }
    }
}

/// A finding for `c` that says `ok` and nothing else yet.
fn blank_finding(c: &Citation) -> Finding {
    Finding {
        line: c.line,
        citation: c.text.clone(),
        symbol: c.symbol.as_ref().map(symbol_label),
        status: Status::Ok,
        detail: String::new(),
        now: None,
        candidates: Vec::new(),
        diff: None,
        fixed: false,
        edits: Vec::new(),
        rewrite: None,
    }
}

/// For every line of `old` (index = 1-based line; index 0 unused), the line
/// of `new` the diff keeps it at, or `None` when it was edited or deleted.
fn line_map(old: &str, new: &str) -> Vec<Option<u32>> {
    let old_lines: Vec<&str> = old.lines().map(|l| l.trim_end()).collect();
    let new_lines: Vec<&str> = new.lines().map(|l| l.trim_end()).collect();
    let mut map = vec![None; old_lines.len() + 1];
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_slices(&old_lines, &new_lines);
    for op in diff.ops() {
        if let similar::DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = *op
        {
            for k in 0..len {
                if let (Some(slot), Ok(n)) = (
                    map.get_mut(old_index + k + 1),
                    u32::try_from(new_index + k + 1),
                ) {
                    *slot = Some(n);
                }
            }
        }
    }
    map
}

/// Whether `name` occurs in `text` as a whole word.
fn word_in(text: &str, name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    let word = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(name).any(|(i, _)| {
        !text[..i].chars().next_back().is_some_and(word)
            && !text[i + name.len()..].chars().next().is_some_and(word)
    })
}

/// Lines `a..=b` (1-based) of `text`, joined.
fn lines_of(text: &str, a: u32, b: u32) -> String {
    text.lines()
        .skip((a as usize).saturating_sub(1))
        .take(b.saturating_sub(a) as usize + 1)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first line of the doc comments and attributes directly above line
/// `decl` (1-based), or `decl` itself when there are none.
fn lead_start(text: &str, decl: u32) -> u32 {
    let lines: Vec<&str> = text.lines().collect();
    let mut at = decl;
    while at > 1 {
        let Some(prev) = lines.get(at as usize - 2) else {
            break;
        };
        let t = prev.trim();
        if t.starts_with("//") || t.starts_with("#[") || t.starts_with("/*") || t.starts_with('*') {
            at -= 1;
            continue;
        }
        // The last line of an attribute written over several lines.
        if t.ends_with(']') {
            let open = (1..at - 1).rev().take(30).find(|&k| {
                lines
                    .get(k as usize - 1)
                    .is_some_and(|l| l.trim_start().starts_with("#["))
            });
            if let Some(k) = open {
                at = k;
                continue;
            }
        }
        break;
    }
    at
}

/// Identifiers of lines of code worth looking for elsewhere (three letters
/// or more, not a keyword).
fn identifiers(text: &str) -> BTreeSet<String> {
    const KEYWORDS: &[&str] = &[
        "func",
        "return",
        "for",
        "range",
        "var",
        "const",
        "type",
        "struct",
        "interface",
        "nil",
        "true",
        "false",
        "let",
        "mut",
        "pub",
        "impl",
        "self",
        "Self",
        "else",
        "match",
        "break",
        "continue",
        "package",
        "import",
        "the",
        "and",
        "not",
        "this",
        "that",
        "with",
        "from",
    ];
    let mut out = BTreeSet::new();
    for w in text.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
        if w.len() >= 3
            && w.starts_with(|c: char| c.is_alphabetic() || c == '_')
            && !KEYWORDS.contains(&w)
        {
            out.insert(w.to_string());
        }
    }
    out
}

/// The citation's lines in the plan's form: one line, or a range.
fn cited_lines(c: &Citation, a: u32, b: u32) -> Lines {
    match c.lines {
        Lines::Range(..) => Lines::Range(a, b),
        _ => Lines::One(a),
    }
}

impl Checker {
    /// Whether `path` names a file of the repository today or at `rev`.
    fn knows(&self, path: &str, rev: Option<&str>) -> bool {
        self.today.resolve(path) != Resolved::None
            || rev
                .and_then(|r| self.revs.get(r))
                .is_some_and(|s| s.resolve(path) != Resolved::None)
    }

    /// The one file `c.path` means at `rev` (today for `None`): the only
    /// match, else the one the plan spells out in full, else the only one
    /// long enough and holding the named symbol. `Err` lists the candidates.
    fn pick_file(
        &mut self,
        rev: Option<&str>,
        c: &Citation,
    ) -> Result<Option<String>, Vec<String>> {
        let snap = match rev {
            Some(r) => match self.revs.get_mut(r) {
                Some(s) => s,
                None => return Ok(None),
            },
            None => &mut self.today,
        };
        let list = match snap.resolve(&c.path) {
            Resolved::One(p) => return Ok(Some(p)),
            Resolved::None => return Ok(None),
            Resolved::Many(list) => list,
        };
        let spelled: Vec<&String> = list
            .iter()
            .filter(|p| self.mentioned.iter().any(|m| m == *p))
            .collect();
        if let [one] = spelled.as_slice() {
            return Ok(Some((*one).clone()));
        }
        let last = match c.lines {
            Lines::One(l) | Lines::Range(_, l) => l,
            Lines::None => 0,
        };
        let first = match c.lines {
            Lines::One(l) | Lines::Range(l, _) => l,
            Lines::None => 0,
        };
        let mut fit: Vec<String> = Vec::new();
        for p in &list {
            if snap.line_count(p).unwrap_or(0) < last as usize {
                continue;
            }
            if let Some(sym) = &c.symbol {
                let declared = snap.decls(p).iter().any(|d| d.name == sym.name);
                let on_line = first > 0
                    && snap
                        .text(p)
                        .is_some_and(|t| word_in(&lines_of(&t, first, last), &sym.name));
                if !declared && !on_line {
                    continue;
                }
            }
            fit.push(p.clone());
        }
        match fit.as_slice() {
            [one] => Ok(Some(one.clone())),
            _ => Err(list),
        }
    }

    /// The check that starts at the cited place: with the plan's commit, the
    /// declaration or the lines the citation meant then, followed to today
    /// (a declaration by its identity, lines through the diff); without one,
    /// whether the cited lines hold the named symbol. `None` leaves the
    /// citation to the name-based check.
    fn check_at_place(&mut self, c: &Citation, rev: Option<&str>) -> Option<Option<Finding>> {
        if c.frozen.is_some() {
            return None;
        }
        let mut f = blank_finding(c);
        let today_path = match self.pick_file(None, c) {
            Ok(p) => p,
            Err(list) => {
                // A bare name the plan's commit settles is followed from there.
                match rev.map(|r| self.pick_file(Some(r), c)) {
                    Some(Ok(Some(op))) if list.contains(&op) => Some(op),
                    Some(Ok(Some(_))) => None,
                    _ => {
                        f.status = Status::Ambiguous;
                        f.detail = format!("{} matches {} files", c.path, list.len());
                        f.candidates = list;
                        return Some(Some(f));
                    }
                }
            }
        };
        let old_path = match rev {
            Some(r) => self.pick_file(Some(r), c).unwrap_or_default(),
            None => None,
        };
        if today_path.is_none() && old_path.is_none() {
            return self.not_in_repo(c, f);
        }
        let (a, b) = match c.lines {
            Lines::One(l) => (l, l),
            Lines::Range(a, b) => (a, b),
            // A path alone is about the file; a name next to it is prose.
            Lines::None => {
                return match &today_path {
                    Some(p) if self.today.files.contains(p) => {
                        f.symbol = None;
                        f.detail = format!("{p} exists");
                        Some(Some(f))
                    }
                    _ => None,
                };
            }
        };
        if a == 0 || b < a {
            return None;
        }
        match (rev, &old_path) {
            (Some(r), Some(op)) => {
                let old_text = self.revs.get(r).and_then(|s| s.text(op))?;
                if (b as usize) > old_text.lines().count() {
                    return None;
                }
                let renamed = self
                    .revs
                    .get(r)
                    .and_then(|s| s.renames.get(op))
                    .filter(|n| self.today.files.contains(*n))
                    .cloned();
                let new_path = today_path
                    .clone()
                    .filter(|p| p == op || renamed.is_none())
                    .or(renamed.clone());
                let old_decls: Vec<Decl> = match spec_for_path(op) {
                    Some(_) => self
                        .revs
                        .get_mut(r)
                        .map(|s| s.decls(op).to_vec())
                        .unwrap_or_default(),
                    None => Vec::new(),
                };
                let target = decl_cited(&old_decls, &old_text, a, b, c.symbol.as_ref());
                // `crate::cache::Store::get` at lines that held `store`'s
                // `Store::get`: the plan names another module's member, so
                // the declaration there is not the one named; the name
                // lookup decides. A file's module follows its path, so
                // today's names of the file stand for the commit's.
                let module_named_elsewhere = c
                    .symbol
                    .as_ref()
                    .and_then(|s| s.module.as_ref())
                    .is_some_and(|m| {
                        let current = new_path.as_deref().unwrap_or(op.as_str());
                        self.today
                            .packages
                            .get(current)
                            .is_some_and(|names| !names.contains(m))
                    });
                if module_named_elsewhere && target.is_some() {
                    return None;
                }
                // A name the cited file does not declare is a use (or prose).
                let use_name = c.symbol.as_ref().map(|s| s.name.clone());
                let git_renamed = renamed.is_some() && new_path == renamed;
                Some(Some(match target {
                    Some(d) => {
                        self.follow_decl(c, f, r, &d, &old_text, new_path, git_renamed, a, b)
                    }
                    None => self.follow_text(
                        c,
                        f,
                        r,
                        op,
                        &old_text,
                        new_path,
                        git_renamed,
                        use_name,
                        a,
                        b,
                    ),
                }))
            }
            _ => {
                let p = today_path?;
                let text = self.today.text(&p)?;
                if (b as usize) > text.lines().count() {
                    return None;
                }
                let sym = c.symbol.as_ref()?;
                let cited = lines_of(&text, a, b);
                let stem = Path::new(&p)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("");
                let dir = p
                    .rsplit_once('/')
                    .map_or("", |(d, _)| d.rsplit('/').next().unwrap_or(d));
                let package = self
                    .today
                    .packages
                    .get(&p)
                    .is_some_and(|n| n.contains(&sym.name))
                    || sym.name == stem
                    || sym.name == dir
                    || text
                        .lines()
                        .take(40)
                        .any(|l| l.trim() == format!("package {}", sym.name));
                // `Cache.Get` on a line that now declares `Store.Get` is not it.
                let other_owner = sym.parent.as_ref().is_some_and(|q| {
                    let declared: Vec<&Decl> = self
                        .today
                        .decls(&p)
                        .iter()
                        .filter(|d| d.name == sym.name && a <= d.line && d.line <= b)
                        .collect();
                    !declared.is_empty()
                        && q.starts_with(|c: char| c.is_ascii_uppercase())
                        && !declared.iter().any(|d| d.parent.as_ref() == Some(q))
                });
                // A range that cuts off the declaration it names has moved
                // (`store.rs:1-3` for a struct now at 4-6); one that holds it
                // whole (its doc comment too) is fine.
                let cut = a != b
                    && self.today.decls(&p).iter().any(|d| {
                        d.name == sym.name
                            && !d.member
                            && a <= d.line
                            && d.line <= b
                            && d.end_line > b
                    });
                let other_module = sym
                    .module
                    .as_ref()
                    .is_some_and(|m| !self.today.packages.get(&p).is_some_and(|n| n.contains(m)));
                if word_in(&cited, &sym.name) && !other_owner && !other_module && !cut {
                    f.detail = format!("{} holds `{}`", c.text, sym.name);
                    return Some(Some(f));
                }
                if package {
                    f.detail = format!("`{}` is the package of {p}", sym.name);
                    return Some(Some(f));
                }
                if spec_for_path(&p).is_some() {
                    return self.follow_use(c, f, &p, sym, a, b).map(Some);
                }
                // Not code: only its text can be checked.
                let hits: Vec<u32> = text
                    .lines()
                    .enumerate()
                    .filter(|(_, l)| word_in(l, &sym.name))
                    .filter_map(|(i, _)| u32::try_from(i + 1).ok())
                    .collect();
                match hits.as_slice() {
                    [] => {
                        f.status = Status::Missing;
                        f.detail = format!("`{}` is not in {p}", sym.name);
                    }
                    [l, ..] => {
                        f.status = Status::Changed;
                        f.now = Some(cite(&p, *l, *l + (b - a)));
                        f.detail = format!(
                            "{} no longer holds `{}`; it is on line {l}",
                            c.text, sym.name
                        );
                    }
                }
                Some(Some(f))
            }
        }
    }

    /// A cited line of code that no longer holds `sym`, with no commit to
    /// read it at. When the file does not declare `sym`, the line was a use
    /// of it, and it is followed as a use, never to the declaration: the
    /// file's uses of `sym` in the symbol graph (else the lines that name it
    /// outside comments). One use: `moved` there (not fixed: without the
    /// plan's commit it cannot be told from a new use); several:
    /// `ambiguous`; none: `missing`. `None` when the file declares `sym`
    /// (then it is followed as a declaration) or nothing declares it.
    fn follow_use(
        &mut self,
        c: &Citation,
        mut f: Finding,
        p: &str,
        sym: &SymbolRef,
        a: u32,
        b: u32,
    ) -> Option<Finding> {
        let declares = self.today.decls(p).iter().any(|d| {
            d.name == sym.name
                && (d.parent.is_none()
                    || sym.parent.is_none()
                    || d.parent.as_ref() == sym.parent.as_ref())
        });
        let declared: Vec<String> = self
            .today
            .decls
            .values()
            .flatten()
            .filter(|d| d.name == sym.name)
            .map(Decl::citation)
            .collect();
        if declared.is_empty() {
            return None;
        }
        let graph = self.today.graph.as_ref()?;
        let mut uses = graph.uses_in(p, sym);
        if declares {
            // The file declares it and uses it: a line nearer to a use than
            // to the declaration was a use (the declaration is followed
            // otherwise, by `check`).
            let Lines::One(l) = c.lines else {
                return None;
            };
            let distance = |x: u32| x.abs_diff(l);
            let to_decl = self
                .today
                .decls(p)
                .iter()
                .filter(|d| d.name == sym.name)
                .map(|d| distance(d.line))
                .min()?;
            let nearest = uses.iter().min_by_key(|u| (distance(u.0), u.0))?.clone();
            if distance(nearest.0) >= to_decl {
                return None;
            }
            uses = vec![nearest];
        }
        let by_name = uses.is_empty();
        if by_name {
            let text = self.today.text(p).unwrap_or_default();
            uses = text
                .lines()
                .enumerate()
                .filter(|(_, l)| !is_comment_line(l) && word_in(&strip_strings(l), &sym.name))
                .filter_map(|(i, _)| u32::try_from(i + 1).ok().map(|l| (l, None)))
                .collect();
        }
        let label = symbol_label(sym);
        let cite_use = |l: u32| cite(p, l, l + (b - a));
        match uses.as_slice() {
            [] => {
                f.status = Status::Missing;
                f.detail = format!(
                    "{} no longer holds `{label}`, and {p} no longer uses it (it is declared at {})",
                    c.text,
                    declared.join(", ")
                );
            }
            [(l, enclosing)] => {
                f.status = Status::Moved;
                f.now = Some(cite_use(*l));
                let within = enclosing
                    .as_deref()
                    .map(|e| format!(" (in {e})"))
                    .unwrap_or_default();
                let how = if by_name { "line naming" } else { "use of" };
                f.detail = format!(
                    "{} no longer holds `{label}`; the one {how} it in {p} is line {l}{within} (the plan states no commit, so this is not certain: fix it by hand)",
                    c.text
                );
            }
            many => {
                f.status = Status::Ambiguous;
                f.detail = format!(
                    "{} no longer holds `{label}`; {p} uses it on {} lines, and the plan states no commit to tell which one it cited",
                    c.text,
                    many.len()
                );
                f.candidates = many.iter().map(|(l, _)| cite_use(*l)).collect();
            }
        }
        Some(f)
    }

    /// A cited file found neither today nor at the plan's commit.
    fn not_in_repo(&self, c: &Citation, mut f: Finding) -> Option<Option<Finding>> {
        let parts: Vec<&str> = c.path.trim_start_matches("./").split('/').collect();
        // `run.sh/analyze.py`: a file name is not a directory.
        if parts[..parts.len().saturating_sub(1)].iter().any(|d| {
            Path::new(d)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| SOURCE_EXTENSIONS.contains(&e))
        }) {
            return Some(None);
        }
        let top_dir_exists = parts.len() > 1
            && self
                .today
                .files
                .iter()
                .any(|f| f.starts_with(&format!("{}/", parts[0])));
        if top_dir_exists {
            f.status = Status::Missing;
            f.detail = format!("{} does not exist", c.path);
            return Some(Some(f));
        }
        let ext = Path::new(&c.path)
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("");
        if SOURCE_EXTENSIONS.contains(&ext) {
            f.status = Status::External;
            f.detail = format!(
                "{} is not a file of this repository (never was, as far as git knows)",
                c.path
            );
            return Some(Some(f));
        }
        Some(None)
    }

    /// Follow declaration `d` (as it was at `rev`) to today.
    #[allow(clippy::too_many_arguments)] // one call site; the pieces are the citation's context
    fn follow_decl(
        &mut self,
        c: &Citation,
        mut f: Finding,
        rev: &str,
        d: &Decl,
        old_text: &str,
        new_path: Option<String>,
        git_renamed: bool,
        a: u32,
        b: u32,
    ) -> Finding {
        f.symbol.get_or_insert_with(|| {
            symbol_label(&SymbolRef {
                name: d.name.clone(),
                parent: d.parent.clone(),
                module: None,
            })
        });
        let same = |x: &Decl| {
            x.name == d.name && x.parent == d.parent && x.member == d.member && x.kind == d.kind
        };
        let mut in_file: Vec<Decl> = match &new_path {
            Some(p) => self
                .today
                .decls(p)
                .iter()
                .filter(|x| same(x))
                .cloned()
                .collect(),
            None => Vec::new(),
        };
        let mut other_file = false;
        if in_file.is_empty() {
            let all: Vec<Decl> = self
                .today
                .decls
                .values()
                .flatten()
                .filter(|x| same(x))
                .cloned()
                .collect();
            let dir = d.file.rsplit_once('/').map_or("", |(dd, _)| dd).to_string();
            let near: Vec<Decl> = all
                .iter()
                .filter(|x| x.file.rsplit_once('/').map_or("", |(dd, _)| dd) == dir)
                .cloned()
                .collect();
            let pool = if near.is_empty() { all } else { near };
            match pool.len() {
                0 => {
                    f.status = Status::Missing;
                    f.detail = format!(
                        "{} is gone (at {} it was {})",
                        d.label(),
                        short(rev),
                        cite(&d.file, d.line, d.end_line)
                    );
                    return f;
                }
                1 => {
                    in_file = pool;
                    other_file = true;
                }
                _ => {
                    f.status = Status::Ambiguous;
                    f.detail = format!("{} is declared in {} places", d.label(), pool.len());
                    f.candidates = pool.iter().map(Decl::citation).collect();
                    return f;
                }
            }
        }
        let new_file = in_file[0].file.clone();
        let new_text = self.today.text(&new_file).unwrap_or_default();
        let map = (!other_file).then(|| line_map(old_text, &new_text));
        let mapped = |l: u32| {
            map.as_ref()
                .and_then(|m| m.get(l as usize).copied().flatten())
        };
        let d2 = match in_file.as_slice() {
            [one] => one.clone(),
            many => {
                let aim = mapped(d.line).unwrap_or(d.line);
                many.iter()
                    .min_by_key(|x| (x.line.abs_diff(aim), x.line))
                    .cloned()
                    .unwrap_or_else(|| many[0].clone())
            }
        };
        let lead_old = lead_start(old_text, d.line);
        let lead_new = lead_start(&new_text, d2.line);
        // A range that starts before the declaration's doc comments meant
        // the declaration: today it is the declaration's own range.
        let loose = a < lead_old;
        let a2 = if loose || a == d.line {
            d2.line
        } else if a == lead_old {
            lead_new
        } else if a < d.line {
            d2.line.saturating_sub(d.line - a).max(1)
        } else {
            mapped(a).unwrap_or(d2.line + (a - d.line)).min(d2.end_line)
        };
        let b2 = if a == b {
            a2
        } else if loose || b == d.end_line {
            d2.end_line
        } else {
            mapped(b)
                .unwrap_or((b + d2.line).saturating_sub(d.line))
                .clamp(a2, d2.end_line.max(a2))
        };
        let now_lines = cited_lines(c, a2, b2);
        let now = match now_lines {
            Lines::Range(x, y) if x != y => cite(&new_file, x, y),
            Lines::Range(x, _) | Lines::One(x) => format!("{new_file}:{x}"),
            Lines::None => new_file.clone(),
        };
        f.now = Some(now.clone());
        if compare_key(&d.text) != compare_key(&d2.text) {
            f.status = Status::Changed;
            f.detail = format!("{} changed; it is at {now}", d.label());
            f.diff = Some(
                similar::TextDiff::from_lines(&format!("{}\n", d.text), &format!("{}\n", d2.text))
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &format!("{} (at {})", cite(&d.file, d.line, d.end_line), short(rev)),
                        &format!("{} (today)", d2.citation()),
                    )
                    .to_string(),
            );
            return f;
        }
        let cited_path_is_new = new_path.as_deref() == Some(new_file.as_str())
            && !git_renamed
            && self.today.resolve(&c.path) != Resolved::None;
        if cited_path_is_new && now_lines == cited_lines(c, a, b) {
            f.detail = format!("{} at {}", d.label(), d2.citation());
            return f;
        }
        let file_same = cited_path_is_new;
        self.mark_moved(&mut f, c, &new_file, file_same, now_lines);
        if other_file && !same_base(&c.path, &new_file) {
            block_fix(
                &mut f,
                "it moved to a file of another name that git does not record as a rename",
            );
        }
        f.now = Some(now);
        f
    }

    /// Follow lines `a..=b` of `op` (as they were at `rev`) to today through
    /// the diff of the file.
    #[allow(clippy::too_many_arguments)] // one call site; the pieces are the citation's context
    fn follow_text(
        &mut self,
        c: &Citation,
        mut f: Finding,
        rev: &str,
        op: &str,
        old_text: &str,
        new_path: Option<String>,
        git_renamed: bool,
        use_name: Option<String>,
        a: u32,
        b: u32,
    ) -> Finding {
        let Some(np) = new_path else {
            f.status = Status::Missing;
            f.detail = format!("{op} was deleted after {}", short(rev));
            return f;
        };
        let new_text = self.today.text(&np).unwrap_or_default();
        let new_count = u32::try_from(new_text.lines().count()).unwrap_or(u32::MAX);
        let map = line_map(old_text, &new_text);
        let at = |l: u32| map.get(l as usize).copied().flatten();
        let kept: Vec<Option<u32>> = (a..=b).map(at).collect();
        let cited_path_is_new =
            np == op && !git_renamed && self.today.resolve(&c.path) != Resolved::None;
        if let (Some(Some(na)), Some(Some(nb))) = (kept.first(), kept.last()) {
            if kept.iter().all(Option::is_some) && nb - na == b - a {
                if (*na, *nb) == (a, b) && cited_path_is_new {
                    f.detail = format!("the cited lines are unchanged since {}", short(rev));
                    return f;
                }
                let now_lines = cited_lines(c, *na, *nb);
                self.mark_moved(&mut f, c, &np, cited_path_is_new, now_lines);
                f.now = Some(match now_lines {
                    Lines::Range(x, y) if x != y => cite(&np, x, y),
                    _ => format!("{np}:{na}"),
                });
                return f;
            }
        }
        let old_cited = lines_of(old_text, a, b);
        // A use site whose line still holds the use (the named one, else
        // every name the line used) is where it was, even if its arguments
        // changed. Comments are text, not uses.
        let is_code = spec_for_path(op).is_some() && !old_cited.lines().all(is_comment_line);
        if is_code && cited_path_is_new && b <= new_count {
            let new_cited = lines_of(&new_text, a, b);
            let holds = match use_name.as_deref().filter(|u| word_in(&old_cited, u)) {
                Some(u) => word_in(&new_cited, u),
                None => {
                    let uses = identifiers(&strip_strings(&old_cited));
                    let now = identifiers(&strip_strings(&new_cited));
                    !uses.is_empty() && uses.is_subset(&now)
                }
            };
            if holds && !new_cited.lines().all(is_comment_line) {
                f.detail = match use_name.as_deref().filter(|u| word_in(&old_cited, u)) {
                    Some(u) => format!("{} still holds `{u}`", c.text),
                    None => format!("{} still holds the same names", c.text),
                };
                return f;
            }
        }
        // Where the lines went: the first kept line of the range, else the
        // nearest kept line around it, shifted.
        let succ = kept
            .iter()
            .zip(a..=b)
            .find_map(|(k, l)| k.map(|n| n.saturating_sub(l - a)))
            .or_else(|| (1..a).rev().find_map(|l| at(l).map(|n| n + (a - l))))
            .or_else(|| ((b + 1)..=(b + 200)).find_map(|l| at(l).map(|n| n.saturating_sub(l - a))))
            .unwrap_or(a)
            .clamp(1, new_count.max(1));
        let width = b - a;
        let named = use_name.filter(|u| word_in(&old_cited, u));
        let kept_count = kept.iter().filter(|k| k.is_some()).count();
        if let Some(u) = named {
            if !word_in(&new_text, &u) && kept_count == 0 {
                f.status = Status::Missing;
                f.detail = format!("`{u}` is no longer in {np}");
                return f;
            }
            let lines: Vec<&str> = new_text.lines().collect();
            let hit = (0..=40u32)
                .flat_map(|k| [succ.saturating_add(k), succ.saturating_sub(k)])
                .filter(|l| *l >= 1)
                .find(|l| lines.get(*l as usize - 1).is_some_and(|t| word_in(t, &u)));
            f.status = Status::Changed;
            let spot = hit.unwrap_or(succ);
            f.now = Some(match c.lines {
                Lines::Range(..) if width > 0 => cite(&np, spot, (spot + width).min(new_count)),
                _ => format!("{np}:{spot}"),
            });
            f.detail = format!(
                "the cited lines were edited since {}; `{u}` is at {}",
                short(rev),
                f.now.clone().unwrap_or_default()
            );
            return f;
        }
        if kept_count == 0 && spec_for_path(op).is_some() {
            // The names the code lines used (not comments, not strings,
            // not short receiver names): all gone means the lines are gone.
            let code: Vec<&str> = old_cited.lines().filter(|l| !is_comment_line(l)).collect();
            let ids: BTreeSet<String> = identifiers(&strip_strings(&code.join("\n")))
                .into_iter()
                .filter(|w| w.len() >= 4)
                .collect();
            if !ids.is_empty() && ids.iter().all(|w| !word_in(&new_text, w)) {
                f.status = Status::Missing;
                f.detail = format!("the cited lines and every name in them are gone from {np}");
                return f;
            }
        }
        f.status = Status::Changed;
        f.now = Some(match c.lines {
            Lines::Range(..) if width > 0 => cite(&np, succ, (succ + width).min(new_count)),
            _ => format!("{np}:{succ}"),
        });
        f.detail = format!(
            "{} of the {} cited lines are unchanged since {}; they were around {}",
            kept_count,
            width + 1,
            short(rev),
            f.now.clone().unwrap_or_default()
        );
        f
    }
}

/// The declaration a citation of lines `a..=b` meant at the plan's commit:
/// the named symbol when the range declares it, else the declaration that
/// starts at `a` (on its own line, or on its doc comments and attributes
/// when the range reaches the declaration or `a` is right above it).
fn decl_cited(decls: &[Decl], text: &str, a: u32, b: u32, sym: Option<&SymbolRef>) -> Option<Decl> {
    let starts_here = |d: &Decl| {
        if d.line == a {
            return true;
        }
        let lead = lead_start(text, d.line);
        let attr = text
            .lines()
            .nth(a as usize - 1)
            .is_some_and(|l| l.trim_start().starts_with("#["));
        lead <= a && a < d.line && (b >= d.line || a + 1 == d.line || attr)
    };
    if let Some(s) = sym {
        let named = decls.iter().filter(|d| {
            d.name == s.name
                && (starts_here(d) || (a <= d.line && d.line <= b && b > a))
                && (s.parent.is_none() || d.parent.is_none() || d.parent == s.parent || !d.member)
        });
        if let Some(d) = named.min_by_key(|d| (d.member, d.line)) {
            return Some(d.clone());
        }
    }
    decls
        .iter()
        .filter(|d| starts_here(d))
        .min_by_key(|d| (d.member, std::cmp::Reverse(d.end_line - d.line), d.line))
        .cloned()
}

/// A line that is only a comment (or blank).
fn is_comment_line(l: &str) -> bool {
    let t = l.trim_start();
    t.is_empty()
        || t.starts_with("//")
        || t.starts_with("/*")
        || t.starts_with('*')
        || t.starts_with('#') && !t.starts_with("#[")
}

/// `text` with the contents of its string literals removed.
fn strip_strings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for ch in text.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if ch == '\\' {
                    escaped = true;
                } else if ch == q {
                    quote = None;
                    out.push(ch);
                }
            }
            None => {
                if ch == '"' || ch == '`' {
                    quote = Some(ch);
                }
                out.push(ch);
            }
        }
    }
    out
}

/// Whether two paths end in the same file name.
fn same_base(a: &str, b: &str) -> bool {
    a.rsplit('/').next() == b.rsplit('/').next()
}

/// Keep `f` a finding, but not one `--fix` may write.
fn block_fix(f: &mut Finding, why: &str) {
    if !f.edits.is_empty() {
        f.edits.clear();
        f.rewrite = None;
        f.detail.push_str(&format!(" ({why}: fix it by hand)"));
    }
}

/// Where lines `a..=b` of `old` are in `new`: the same place when they are
/// still there, else their only other place. `None` when they are gone,
/// repeated, or too short to tell (blank lines and lone braces).
fn follow_block(old: &str, new: &str, a: u32, b: u32) -> Option<(u32, u32)> {
    let old_lines: Vec<&str> = old.lines().map(str::trim).collect();
    let new_lines: Vec<&str> = new.lines().map(str::trim).collect();
    let (a0, b0) = (a.checked_sub(1)? as usize, b as usize);
    let block = old_lines.get(a0..b0)?;
    if block.iter().map(|l| l.len()).sum::<usize>() < 12 || block.len() > new_lines.len() {
        return None;
    }
    let at: Vec<usize> = (0..=new_lines.len() - block.len())
        .filter(|&i| new_lines[i..i + block.len()] == *block)
        .collect();
    let n = u32::try_from(block.len()).ok()?;
    match at.as_slice() {
        _ if at.contains(&a0) => Some((a, b)),
        [i] => {
            let i = u32::try_from(*i).ok()? + 1;
            Some((i, i + n - 1))
        }
        _ => None,
    }
}

/// One of `ds`: the only one, else the only one with the old text, else the
/// one nearest `near`.
fn pick_nearest(ds: &[&Decl], same_text: &[Decl], near: u32) -> Option<Decl> {
    match (ds, same_text) {
        ([], _) => None,
        ([one], _) => Some((*one).clone()),
        (_, [one]) => Some(one.clone()),
        _ => ds
            .iter()
            .min_by_key(|d| (d.line.abs_diff(near), d.member, d.line))
            .map(|d| (*d).clone()),
    }
}

/// The language of a fence info string (`go`, `rust`, `rs`).
fn fence_lang(info: &str) -> Option<&'static LangSpec> {
    let word = info.split([' ', ',', '{']).next().unwrap_or("");
    LANGS
        .iter()
        .find(|l| l.fence == word || l.name == word || l.extensions.contains(&word))
}

/// Whether an unresolved `path` is still plainly meant as a file of the repository.
fn looks_like_repo_path(today: &Snapshot, path: &str) -> bool {
    let ext = Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("");
    if SOURCE_EXTENSIONS.contains(&ext) {
        return true;
    }
    let first = path
        .trim_start_matches("./")
        .split('/')
        .next()
        .unwrap_or("");
    path.contains('/')
        && today
            .files
            .iter()
            .any(|f| f.starts_with(&format!("{first}/")))
}

/// What line `l` of a file holds today, from its decls.
fn describe_line(decls: &[Decl], l: u32) -> String {
    if let Some(d) = decls
        .iter()
        .filter(|d| d.line == l)
        .min_by_key(|d| (d.member, d.end_line))
    {
        return format!("line {l} holds {} ({})", d.label(), d.citation());
    }
    match decls
        .iter()
        .filter(|d| d.line < l && l <= d.end_line)
        .min_by_key(|d| d.end_line - d.line)
    {
        Some(d) => format!("line {l} is inside {} ({})", d.label(), d.citation()),
        None => format!("line {l} holds no declaration"),
    }
}

fn short(rev: &str) -> &str {
    rev.get(..12).unwrap_or(rev)
}

/// The findings of one plan.
#[derive(Debug, Serialize)]
struct PlanReport {
    plan: String,
    /// The commit the plan's line citations were resolved at.
    rev: Option<String>,
    findings: Vec<Finding>,
}

/// The validated `check` configuration.
#[derive(Debug)]
pub(crate) struct CheckConfig {
    /// The repository the plans cite (a directory).
    repo: PathBuf,
    /// Each plan's path and text, in the order given.
    plans: Vec<(PathBuf, String)>,
    /// `--since`, verified to name a commit of `repo`.
    since: Option<String>,
    /// Output format.
    format: CheckFormat,
    /// Rewrite the citations that only moved.
    fix: bool,
}

/// Validate `args` once: the repository exists, every plan is readable,
/// `--since` names a commit.
pub(crate) fn configure(args: CheckArgs) -> anyhow::Result<CheckConfig> {
    let repo = args.repo.clone();
    if !repo.is_dir() {
        bail!(
            "{}: no such directory (give the repository with --repo PATH)",
            repo.display()
        );
    }
    let mut plans = Vec::new();
    for p in &args.plans {
        let text = std::fs::read_to_string(p)
            .with_context(|| format!("cannot read plan {}", p.display()))?;
        plans.push((p.clone(), text));
    }
    let since = match &args.since {
        Some(r) => Some(
            verify_rev(&repo, r)
                .with_context(|| format!("--since {r}: not a commit of {}", repo.display()))?,
        ),
        None => None,
    };
    Ok(CheckConfig {
        repo,
        plans,
        since,
        format: args.format,
        fix: args.fix,
    })
}

/// `planrecon check`: returns the exit code.
pub(crate) fn run(config: CheckConfig) -> anyhow::Result<i32> {
    let CheckConfig {
        repo,
        plans,
        since,
        format,
        fix,
    } = config;
    let mut checker = Checker {
        today: Snapshot::today(&repo)?,
        revs: BTreeMap::new(),
        mentioned: Vec::new(),
    };
    let mut reports = Vec::new();
    for (path, text) in &plans {
        let collected = plan::collect(text);
        let rev = match (&since, &collected.as_of) {
            (Some(r), _) => Some(r.clone()),
            (None, Some(sha)) => match verify_rev(&repo, sha) {
                Ok(r) => Some(r),
                Err(_) => {
                    eprintln!(
                        "planrecon: {}: `as of {sha}` is not a commit of {}; line citations are checked against today only",
                        path.display(),
                        repo.display()
                    );
                    None
                }
            },
            (None, None) => None,
        };
        if let Some(r) = &rev {
            if !checker.revs.contains_key(r) {
                checker.revs.insert(r.clone(), Snapshot::at(&repo, r)?);
            }
        }
        checker.mentioned = collected.mentioned.clone();
        let findings: Vec<Finding> = collected
            .citations
            .iter()
            .filter_map(|c| checker.check(c, rev.as_deref()))
            .collect();
        reports.push(PlanReport {
            plan: path.display().to_string(),
            rev,
            findings,
        });
    }
    if fix {
        for ((path, text), report) in plans.iter().zip(reports.iter_mut()) {
            apply_fixes(path, text, &mut report.findings)?;
            if report.rev.is_some() && report.findings.iter().any(|f| f.fixed) {
                eprintln!(
                    "planrecon: {}: the fixed citations are true of the work tree now; update the plan's stated commit once the other findings are resolved",
                    path.display()
                );
            }
        }
    }
    let colour = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").map_or(true, |v| v.is_empty());
    let out = match format {
        CheckFormat::Text => render_text(&reports, colour),
        CheckFormat::Json => render_json(&reports),
    };
    output::emit(None, out.as_bytes())?;
    let stale = reports
        .iter()
        .flat_map(|r| &r.findings)
        .any(|f| f.status != Status::Ok && !f.fixed);
    Ok(if stale { exit::FINDINGS } else { exit::SUCCESS })
}

/// The full commit id of `rev`, or an error when it is not a commit.
fn verify_rev(repo: &Path, rev: &str) -> anyhow::Result<String> {
    git::git(
        repo,
        &["rev-parse", "--verify", "-q", &format!("{rev}^{{commit}}")],
    )
    .filter(|s| !s.is_empty())
    .with_context(|| format!("{rev} is not a commit here"))
}

/// Rewrite the `moved` citations of one plan in place (atomically) and mark them fixed.
fn apply_fixes(path: &Path, text: &str, findings: &mut [Finding]) -> anyhow::Result<()> {
    let mut edits: Vec<(Range<usize>, String, usize)> = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        if f.status == Status::Moved {
            edits.extend(f.edits.iter().map(|(r, s)| (r.clone(), s.clone(), i)));
        }
    }
    if edits.is_empty() {
        return Ok(());
    }
    edits.sort_by_key(|e| (e.0.start, e.0.end));
    edits.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
    if edits.windows(2).any(|w| w[0].0.end > w[1].0.start) {
        bail!("{}: overlapping fixes; nothing was changed", path.display());
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, new, _) in &edits {
        out.push_str(&text[at..range.start]);
        out.push_str(new);
        at = range.end;
    }
    out.push_str(&text[at..]);
    output::write_atomic(path, out.as_bytes())?;
    for (_, _, i) in &edits {
        findings[*i].fixed = true;
    }
    Ok(())
}

fn render_text(reports: &[PlanReport], colour: bool) -> String {
    let mut out = String::new();
    let mut counts: BTreeMap<Status, usize> = BTreeMap::new();
    let mut fixed = 0;
    for r in reports {
        for f in &r.findings {
            *counts.entry(f.status).or_default() += 1;
            if f.status == Status::Ok {
                continue;
            }
            let word = if colour {
                format!("\x1b[{}m{}\x1b[0m", f.status.colour(), f.status.word())
            } else {
                f.status.word().to_string()
            };
            let sym = f
                .symbol
                .as_ref()
                .map_or(String::new(), |s| format!(" (`{s}`)"));
            out.push_str(&format!(
                "{}:{}: {word}: {}{sym}: {}",
                r.plan, f.line, f.citation, f.detail
            ));
            if !f.candidates.is_empty() {
                out.push_str(&format!(": {}", f.candidates.join(", ")));
            }
            out.push('\n');
            if f.fixed {
                fixed += 1;
                out.push_str(&format!(
                    "{}:{}: fixed: {} -> {}\n",
                    r.plan,
                    f.line,
                    f.citation,
                    fixed_text(f)
                ));
            }
            if let Some(diff) = &f.diff {
                for l in diff.lines() {
                    out.push_str("    ");
                    // One line of a diff fits a terminal; JSON keeps it whole.
                    match l.char_indices().nth(MAX_DIFF_LINE) {
                        Some((at, _)) => {
                            out.push_str(&l[..at]);
                            out.push('…');
                        }
                        None => out.push_str(l),
                    }
                    out.push('\n');
                }
            }
        }
    }
    let total: usize = counts.values().sum();
    let parts: Vec<String> = counts
        .iter()
        .map(|(s, n)| format!("{n} {}", s.word()))
        .collect();
    let noun = if total == 1 { "citation" } else { "citations" };
    out.push_str(&format!(
        "{total} {noun} checked: {}",
        if parts.is_empty() {
            "none found".to_string()
        } else {
            parts.join(", ")
        }
    ));
    if fixed > 0 {
        out.push_str(&format!("; {fixed} fixed"));
    }
    out.push('\n');
    out
}

/// The citation as `--fix` rewrote it.
fn fixed_text(f: &Finding) -> &str {
    f.rewrite.as_deref().unwrap_or_default()
}

fn render_json(reports: &[PlanReport]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in reports.iter().flat_map(|r| &r.findings) {
        *counts.entry(f.status.word()).or_default() += 1;
    }
    let doc = serde_json::json!({
        "schema_version": CHECK_SCHEMA_VERSION,
        "plans": reports,
        "summary": counts,
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_is_not_a_change() {
        assert_eq!(
            compare_key("func  Get( k string ) error"),
            compare_key("func Get(k string) error")
        );
        assert_ne!(
            compare_key("func Get(k string) error"),
            compare_key("func Get(k int) error")
        );
        assert_ne!(compare_key("a b"), compare_key("ab"));
    }

    #[test]
    fn lines_are_followed_by_their_text() {
        let old = "a\nlet total = compute(x);\nreturn total;\n}\n";
        let new = "a\n// new\n// lines\nlet total = compute(x);\nreturn total;\n}\n";
        assert_eq!(follow_block(old, new, 2, 3), Some((4, 5)));
        assert_eq!(follow_block(old, old, 2, 3), Some((2, 3)));
        // A lone brace is too short to follow; a repeated block is ambiguous.
        assert_eq!(follow_block(old, new, 4, 4), None);
        let twice = format!("{new}{new}");
        assert_eq!(follow_block(old, &twice, 2, 3), None);
        assert_eq!(follow_block(old, new, 3, 2), None);
        assert_eq!(follow_block(old, new, 0, 2), None);
    }

    #[test]
    fn values_compare_by_name_and_type() {
        assert_eq!(
            item_sig("var", "var runCmd = &cobra.Command{ Use: \"run\" }"),
            "var runCmd"
        );
        assert_eq!(
            item_sig("static", "pub static X: u8 = 3;"),
            "pub static X: u8"
        );
        assert_eq!(
            item_sig("const", "const Red Color = iota"),
            "const Red Color = iota"
        );
        let long = format!("const Big = \"{}\"", "x".repeat(200));
        assert_eq!(item_sig("const", &long), "const Big");
        assert_eq!(item_sig("func", "func F(a = b) {"), "func F(a = b)");
    }

    #[test]
    fn describes_what_a_line_holds() {
        let d = |name: &str, line, end_line, member| Decl {
            file: "a.go".into(),
            kind: if member { "field" } else { "struct" }.into(),
            name: name.into(),
            parent: member.then(|| "S".to_string()),
            line,
            end_line,
            member,
            text: String::new(),
        };
        let decls = [d("S", 3, 8, false), d("X", 4, 4, true)];
        assert_eq!(
            describe_line(&decls, 3),
            "line 3 holds struct `S` (a.go:3-8)"
        );
        assert_eq!(
            describe_line(&decls, 4),
            "line 4 holds field `S.X` (a.go:4)"
        );
        assert_eq!(
            describe_line(&decls, 6),
            "line 6 is inside struct `S` (a.go:3-8)"
        );
        assert_eq!(describe_line(&decls, 9), "line 9 holds no declaration");
    }
}

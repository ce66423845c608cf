//! Facts beyond declarations, for relations and the recon report: imports,
//! references, invariant comments, guards, init-time registrations, flags and
//! trait impls. Read with each language's second query (`queries/<lang>/facts.scm`).
//!
//! Capture vocabulary of that query:
//! - `@import` (+ `@import.alias`): an import path or `use` tree;
//! - `@reference` (+ `@reference.qualifier`): a referenced name;
//! - `@comment`: a comment, kept when it states an invariant (see [`INVARIANT_WORDS`]);
//! - `@guard` (+ `@guard.name`): a `panic(…)` / `assert!` site;
//! - `@registration`: a statement of an init-time function;
//! - `@flag` (+ `@flag.name`): a command-line flag registration;
//! - `@impl` (+ `@impl.trait`, `@impl.type`): a trait implementation;
//! - `@choice`: a string literal a factory or registry accepts (a `case`, a
//!   `match` arm, a map literal's key);
//! - `_*`: free for predicates.
//!
//! Like `extract.rs`, nothing here matches on a language.

use std::collections::{BTreeMap, BTreeSet};

use tree_sitter::{Node, Query, QueryCursor, StreamingIterator, Tree};

use crate::model::{Import, Reference, Site, SiteKind, Span};
use crate::scan::lang::{LangSpec, PerLang};
use crate::scan::pattern::{Patterns, Scratch};
use crate::scan::syntax::{base_type_name, collapse_ws, node_text};

/// Words that make a comment an invariant statement (matched as whole words,
/// case-insensitively, except the two marker prefixes, matched as written).
pub(crate) const INVARIANT_WORDS: &[&str] = &["invariant", "must", "never", "always"];
/// Marker prefixes matched case-sensitively anywhere in a comment.
pub(crate) const INVARIANT_MARKERS: &[&str] = &["INV-", "SAFETY:"];
/// Comment prefixes of build constraints (the first names the site).
const BUILD_CONSTRAINT_PREFIXES: &[&str] = &["//go:build ", "// +build "];
/// Site texts longer than this are cut (with `…`).
const MAX_SITE_TEXT: usize = 160;

/// Longest builder chain kept with a flag registration (help texts included).
const MAX_CHAIN_TEXT: usize = 4000;

/// What a facts capture means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FactRole {
    Import,
    ImportAlias,
    Reference,
    ReferenceQualifier,
    Comment,
    Guard,
    GuardName,
    Registration,
    Flag,
    FlagName,
    Impl,
    ImplTrait,
    ImplType,
    Choice,
    Ignored,
}

const ROLES: &[(&str, FactRole)] = &[
    ("choice", FactRole::Choice),
    ("comment", FactRole::Comment),
    ("flag", FactRole::Flag),
    ("flag.name", FactRole::FlagName),
    ("guard", FactRole::Guard),
    ("guard.name", FactRole::GuardName),
    ("impl", FactRole::Impl),
    ("impl.trait", FactRole::ImplTrait),
    ("impl.type", FactRole::ImplType),
    ("import", FactRole::Import),
    ("import.alias", FactRole::ImportAlias),
    ("reference", FactRole::Reference),
    ("reference.qualifier", FactRole::ReferenceQualifier),
    ("registration", FactRole::Registration),
];

/// A compiled facts query.
pub(crate) struct FactsQuery {
    query: Query,
    roles: Vec<FactRole>,
    /// Per node kind id, what a node of that kind starts; `None` when some
    /// pattern's first node is not a named kind (the query then runs once
    /// over the whole tree).
    roots: Option<Vec<Start>>,
}

/// What a node of one kind starts in the facts query.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Start {
    /// No pattern.
    None,
    /// Only patterns that are this node alone, without predicates: the
    /// capture indexes of each, in pattern order.
    Lone(Vec<Vec<u32>>),
    /// A pattern with more steps (or predicates): the query runs on the node.
    Query,
}

/// Compile `spec`'s facts query, checking every capture name.
fn compile(spec: &'static LangSpec) -> Result<FactsQuery, String> {
    let (query, roles) = crate::scan::query::compile_with_roles(
        spec,
        "facts.scm",
        spec.facts_query,
        ROLES,
        FactRole::Ignored,
    )?;
    let roots = pattern_roots(
        &tree_sitter::Language::new(spec.grammar),
        &query,
        spec.facts_query,
    );
    Ok(FactsQuery {
        query,
        roles,
        roots,
    })
}

/// For each node kind id, what it starts among `query`'s patterns (compiled
/// from `source`), read from each pattern's text: `(kind) @a @b` is a lone
/// node, `(kind …)` anything else. `None` when a pattern starts otherwise
/// (a wildcard, an alternation, an anonymous node, a quantifier) or is not
/// rooted: then only a cursor over the whole tree finds its matches.
fn pattern_roots(
    language: &tree_sitter::Language,
    query: &Query,
    source: &str,
) -> Option<Vec<Start>> {
    let mut roots = vec![Start::None; language.node_kind_count()];
    for p in 0..query.pattern_count() {
        if !query.is_pattern_rooted(p) {
            return None;
        }
        let text = source.get(query.start_byte_for_pattern(p)..query.end_byte_for_pattern(p))?;
        // Comment lines after the pattern belong to the next one.
        let text: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with(';'))
            .collect::<Vec<_>>()
            .join("\n");
        let rest = text.trim().strip_prefix('(')?.trim_start();
        let kind_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let kind = &rest[..kind_len];
        if kind.is_empty() || kind == "_" || kind.chars().all(|c| c.is_ascii_uppercase()) {
            return None; // a wildcard, ERROR, MISSING
        }
        let after = rest[kind_len..].trim_start();
        // A lone node: `)` then only captures.
        let lone = after.strip_prefix(')').is_some_and(|caps| {
            caps.split_whitespace()
                .all(|c| c.len() > 1 && c.starts_with('@'))
        });
        let captures: Vec<u32> = if lone {
            after[1..]
                .split_whitespace()
                .map(|c| query.capture_index_for_name(&c[1..]))
                .collect::<Option<Vec<u32>>>()?
        } else {
            Vec::new()
        };
        let mut found = false;
        for (id, slot) in roots.iter_mut().enumerate() {
            let id16 = u16::try_from(id).ok()?;
            if language.node_kind_for_id(id16) != Some(kind) || !language.node_kind_is_named(id16) {
                continue;
            }
            if language.node_kind_is_supertype(id16) {
                return None; // matches nodes of other kinds
            }
            found = true;
            *slot = match (std::mem::replace(slot, Start::None), lone) {
                (Start::None, true) => Start::Lone(vec![captures.clone()]),
                (Start::Lone(mut v), true) => {
                    v.push(captures.clone());
                    Start::Lone(v)
                }
                _ => Start::Query,
            };
        }
        if !found {
            return None;
        }
    }
    Some(roots)
}

/// The facts patterns read by the structural matcher (`pattern.rs`), with
/// the role of each capture.
struct Matcher {
    patterns: Patterns,
    roles: Vec<FactRole>,
}

/// `spec`'s facts matcher; `None` when `pattern.rs` does not read the query
/// or a capture has no role (the query cursor then runs, and reports a
/// bad capture name as [`compile`] does).
fn facts_matcher(spec: &'static LangSpec) -> Option<&'static Matcher> {
    static READ: PerLang<Option<Matcher>> = PerLang::new();
    READ.get(spec, |spec| {
        let language = tree_sitter::Language::new(spec.grammar);
        let patterns = Patterns::parse(&language, spec.facts_query).ok()?;
        let roles = patterns
            .capture_names()
            .iter()
            .map(|name| match ROLES.iter().find(|(n, _)| n == name) {
                Some((_, role)) => Some(*role),
                None if name.starts_with('_') => Some(FactRole::Ignored),
                None => None,
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Matcher { patterns, roles })
    })
    .as_ref()
}

fn facts_query(spec: &'static LangSpec) -> Result<&'static FactsQuery, &'static String> {
    static COMPILED: PerLang<Result<FactsQuery, String>> = PerLang::new();
    COMPILED.get(spec, compile).as_ref()
}

/// Facts of one file (before it is placed in a package).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Notes {
    pub imports: Vec<Import>,
    pub references: Vec<Reference>,
    pub sites: Vec<Site>,
}

/// Run the facts query over a parsed file.
/// Captures inside `skip` (line ranges of test modules) are left out.
///
/// One `TreeCursor` walk visits every node (see [`FactsWalk`]). The same
/// matches as one query cursor over the whole tree, which walks every node
/// with its state machine (`cargo bench --bench extract -- pass`).
pub(crate) fn collect(
    spec: &'static LangSpec,
    tree: &Tree,
    text: &str,
    skip: &[(u32, u32)],
) -> Result<Notes, String> {
    let how = if tree.root_node().has_error() {
        How::Cursor
    } else {
        How::Matcher
    };
    collect_with(spec, tree, text, skip, how)
}

/// How [`collect_with`] finds the facts patterns' matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    /// The structural matcher at each node (`pattern.rs`), when it reads
    /// the query; else as `Cursor`.
    Matcher,
    /// The query run at each node that starts a pattern.
    Cursor,
    /// One query cursor over the whole tree (what the others are tested
    /// against).
    Whole,
}

fn collect_with(
    spec: &'static LangSpec,
    tree: &Tree,
    text: &str,
    skip: &[(u32, u32)],
    how: How,
) -> Result<Notes, String> {
    if how == How::Whole {
        let fq = facts_query(spec).map_err(Clone::clone)?;
        let mut c = Collector::new(&fq.roles, text.as_bytes(), skip);
        let mut cursor = QueryCursor::new();
        let mut caps: Vec<(u32, Node)> = Vec::new();
        let mut matches = cursor.matches(&fq.query, tree.root_node(), text.as_bytes());
        while let Some(m) = matches.next() {
            caps.clear();
            caps.extend(m.captures().iter().map(|c| (c.index, c.node)));
            c.take(&caps);
        }
        return Ok(c.finish());
    }
    let mut facts = FactsWalk::with(spec, text, skip, how == How::Cursor)?;
    let mut walk = tree.walk();
    loop {
        facts.visit(walk.node());
        if walk.goto_first_child() {
            continue;
        }
        while !walk.goto_next_sibling() {
            if !walk.goto_parent() {
                return Ok(facts.finish());
            }
        }
    }
}

/// The facts of one file gathered node by node, by a walk over its tree
/// that may do other work too (the copy of the tree for the resolver,
/// `snapshot.rs`): [`FactsWalk::visit`] every node in pre-order, then
/// [`FactsWalk::finish`]. The result is [`collect`]'s.
///
/// On a tree without syntax errors the structural matcher (`pattern.rs`)
/// matches the patterns that start at each node, in Rust. Otherwise the
/// query runs on each node whose kind starts a pattern, alone (start depth
/// 0, so the cursor goes only as deep as the pattern's steps), and a pattern
/// that is a lone node (`(type_identifier) @reference`) is matched without
/// the cursor; tree-sitter's handling of ERROR and MISSING nodes stays its
/// own.
pub(crate) struct FactsWalk<'q, 't> {
    by: By<'t>,
    collector: Collector<'q, 't>,
    caps: Vec<(u32, Node<'t>)>,
}

/// What finds the matches at each node of a [`FactsWalk`].
enum By<'t> {
    Matcher {
        matcher: &'static Matcher,
        scratch: Scratch<'t>,
    },
    Cursor {
        query: &'static FactsQuery,
        /// What each node kind starts; empty when the query must run over
        /// the whole tree at once (see [`FactsQuery::roots`]).
        roots: &'static [Start],
        whole: bool,
        root_done: bool,
        cursor: QueryCursor,
    },
}

impl<'q, 't> FactsWalk<'q, 't> {
    /// A walk over a parse of `text` as `spec`, `has_error` when the parse
    /// has syntax errors; matches inside `skip` (line ranges of test
    /// modules) are left out.
    pub(crate) fn new(
        spec: &'static LangSpec,
        text: &'t str,
        skip: &'q [(u32, u32)],
        has_error: bool,
    ) -> Result<Self, String> {
        Self::with(spec, text, skip, has_error)
    }

    /// [`FactsWalk::new`]; `cursor` runs the query even when the matcher
    /// reads it.
    fn with(
        spec: &'static LangSpec,
        text: &'t str,
        skip: &'q [(u32, u32)],
        cursor: bool,
    ) -> Result<Self, String> {
        if !cursor {
            if let Some(matcher) = facts_matcher(spec) {
                return Ok(FactsWalk {
                    by: By::Matcher {
                        matcher,
                        scratch: Scratch::default(),
                    },
                    collector: Collector::new(&matcher.roles, text.as_bytes(), skip),
                    caps: Vec::new(),
                });
            }
        }
        let fq = facts_query(spec).map_err(Clone::clone)?;
        let mut cursor = QueryCursor::new();
        cursor.set_max_start_depth(Some(0));
        Ok(FactsWalk {
            by: By::Cursor {
                query: fq,
                roots: fq.roots.as_deref().unwrap_or(&[]),
                whole: fq.roots.is_none(),
                root_done: false,
                cursor,
            },
            collector: Collector::new(&fq.roles, text.as_bytes(), skip),
            caps: Vec::new(),
        })
    }

    /// Read the matches of the patterns that start at `n`; with no pattern
    /// roots (see [`FactsQuery::roots`]) the walk's root runs the whole query.
    pub(crate) fn visit(&mut self, n: Node<'t>) {
        let src = self.collector.src;
        let (query, cursor, start) = match &mut self.by {
            By::Matcher { matcher, scratch } => {
                let collector = &mut self.collector;
                matcher
                    .patterns
                    .matches_at(n, src, scratch, |_, caps| collector.take(caps));
                return;
            }
            By::Cursor {
                query,
                roots,
                whole,
                root_done,
                cursor,
            } => {
                let start = if *whole {
                    // The first node visited is the root: one cursor over all of it.
                    if *root_done {
                        return;
                    }
                    *root_done = true;
                    cursor.set_max_start_depth(None);
                    &Start::Query
                } else {
                    match roots.get(usize::from(n.kind_id())) {
                        Some(s) => s,
                        None => return,
                    }
                };
                (*query, cursor, start)
            }
        };
        match start {
            Start::Lone(patterns) if !n.is_missing() => {
                for captures in patterns {
                    self.caps.clear();
                    self.caps.extend(captures.iter().map(|&i| (i, n)));
                    self.collector.take(&self.caps);
                }
            }
            Start::Lone(_) | Start::Query => {
                let mut matches = cursor.matches(&query.query, n, src);
                while let Some(m) = matches.next() {
                    self.caps.clear();
                    self.caps
                        .extend(m.captures().iter().map(|c| (c.index, c.node)));
                    self.collector.take(&self.caps);
                }
            }
            Start::None => {}
        }
    }

    /// The facts of every node visited.
    pub(crate) fn finish(self) -> Notes {
        self.collector.finish()
    }
}

/// What the facts of one file are gathered into, match by match.
struct Collector<'q, 's> {
    roles: &'q [FactRole],
    src: &'s [u8],
    skip: &'q [(u32, u32)],
    imports: Vec<Import>,
    refs: BTreeSet<Reference>,
    sites: BTreeSet<Site>,
    /// Every comment line (markers stripped), to read invariants as sentences.
    comment_lines: BTreeMap<u32, String>,
    /// Lines whose comment follows code (`x int // INV-1: …`): each is its own
    /// statement, never joined with the comments of the lines around it.
    trailing: BTreeSet<u32>,
}

impl<'q, 's> Collector<'q, 's> {
    fn new(roles: &'q [FactRole], src: &'s [u8], skip: &'q [(u32, u32)]) -> Self {
        Collector {
            roles,
            src,
            skip,
            imports: Vec::new(),
            refs: BTreeSet::new(),
            sites: BTreeSet::new(),
            comment_lines: BTreeMap::new(),
            trailing: BTreeSet::new(),
        }
    }

    /// Read one match: its captures as (capture index, node).
    fn take<'t>(&mut self, caps: &[(u32, Node<'t>)]) {
        let src = self.src;
        let get = |role: FactRole| -> Option<Node<'t>> {
            caps.iter()
                .find(|(i, _)| self.roles[*i as usize] == role)
                .map(|(_, n)| *n)
        };
        let first = caps.iter().map(|(_, n)| line_of(*n)).min().unwrap_or(0);
        if self.skip.iter().any(|(a, b)| (*a..=*b).contains(&first)) {
            return;
        }
        if let Some(n) = get(FactRole::Import) {
            let path = node_text(n, src).trim_matches(['"', '`']).to_string();
            let alias = get(FactRole::ImportAlias).map(|a| node_text(a, src).to_string());
            let end_line = line_of_row(n.end_position().row);
            self.imports.push(Import {
                path: collapse_ws(&path),
                alias,
                line: line_of(n),
                end_line,
            });
        }
        if let Some(n) = get(FactRole::Reference) {
            let qualifier =
                get(FactRole::ReferenceQualifier).map(|q| collapse_ws(node_text(q, src)));
            self.refs.insert(Reference {
                qualifier,
                name: node_text(n, src).to_string(),
            });
        }
        if let Some(n) = get(FactRole::Comment) {
            let t = node_text(n, src);
            if let Some(rest) = BUILD_CONSTRAINT_PREFIXES
                .iter()
                .find_map(|p| t.strip_prefix(p))
            {
                let line = line_of(n);
                let name = BUILD_CONSTRAINT_PREFIXES[0]
                    .trim_start_matches('/')
                    .trim()
                    .to_string();
                let text = collapse_ws(rest);
                self.sites.insert(Site {
                    kind: SiteKind::BuildConstraint,
                    line,
                    end_line: line,
                    name,
                    text,
                    extra: None,
                });
                return;
            }
            let first = line_of(n);
            let row_start = src[..n.start_byte()]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            if src[row_start..n.start_byte()]
                .iter()
                .any(|b| !b.is_ascii_whitespace())
            {
                self.trailing.insert(first);
            }
            for (i, raw) in t.split('\n').enumerate() {
                self.comment_lines
                    .insert(first + i as u32, comment_body(raw).to_string());
            }
        }
        if let (Some(n), Some(name)) = (get(FactRole::Guard), get(FactRole::GuardName)) {
            self.sites.insert(site(
                SiteKind::Guard,
                n,
                node_text(name, src).to_string(),
                src,
                None,
            ));
        }
        if let Some(n) = get(FactRole::Registration) {
            self.sites.insert(site(
                SiteKind::Registration,
                n,
                first_word(node_text(n, src)),
                src,
                None,
            ));
        }
        if let (Some(n), Some(name)) = (get(FactRole::Flag), get(FactRole::FlagName)) {
            let name = node_text(name, src).trim_matches(['"', '`']).to_string();
            // The attribute and the field it marks: cite both lines.
            let end = name_end(get(FactRole::FlagName), n);
            let mut s = site(SiteKind::Flag, n, name, src, chain_text(n, src));
            s.end_line = s.end_line.max(end);
            self.sites.insert(s);
        }
        if let Some(n) = get(FactRole::Choice) {
            let name = node_text(n, src).trim_matches(['"', '`']).to_string();
            if !name.is_empty() && !name.contains('\n') {
                self.sites
                    .insert(site(SiteKind::Choice, n, name, src, None));
            }
        }
        if let (Some(n), Some(t), Some(ty)) = (
            get(FactRole::Impl),
            get(FactRole::ImplTrait),
            get(FactRole::ImplType),
        ) {
            let trait_name = base_type_name(node_text(t, src));
            let mut s = site(
                SiteKind::Impl,
                n,
                base_type_name(node_text(ty, src)),
                src,
                Some(trait_name),
            );
            // The header line only: `impl<T> Trait for Type<T> {`.
            s.text = first_line(&s.text);
            self.sites.insert(s);
        }
    }

    fn finish(mut self) -> Notes {
        self.sites
            .extend(invariant_sites(&self.comment_lines, &self.trailing));
        let mut notes = Notes {
            imports: self.imports,
            references: self.refs.into_iter().collect(),
            sites: self.sites.into_iter().collect(),
        };
        notes
            .sites
            .sort_by(|a, b| (a.line, a.kind, &a.name).cmp(&(b.line, b.kind, &b.name)));
        notes
    }
}

fn name_end(name: Option<Node>, fallback: Node) -> u32 {
    let n = name.and_then(|n| n.parent()).unwrap_or(fallback);
    line_of_row(n.end_position().row)
}

fn line_of(n: Node) -> u32 {
    line_of_row(n.start_position().row)
}

fn line_of_row(row: usize) -> u32 {
    Span::from_rows(row, row, false).line
}

fn site(kind: SiteKind, n: Node, name: String, src: &[u8], extra: Option<String>) -> Site {
    let span = Span::from_rows(
        n.start_position().row,
        n.end_position().row,
        n.end_position().column == 0,
    );
    Site {
        kind,
        line: span.line,
        end_line: span.end_line,
        name,
        text: cut(&collapse_ws(node_text(n, src))),
        extra,
    }
}

/// Longest text of a builder chain a registration starts (`Arg::new("x")
/// .long("x").default_value("auto")`): the outermost node that starts where
/// the registration does, when it holds more; what the chain sets is read
/// from it. Whitespace collapsed, cut at [`MAX_CHAIN_TEXT`] characters.
fn chain_text(n: Node, src: &[u8]) -> Option<String> {
    let mut outer = n;
    while let Some(p) = outer.parent() {
        // Only along the chain: what the parent holds past `outer` is a
        // method or call on it (`.long(…)`, `(…)`), not the next statement
        // of a block that happens to start here.
        let next = src
            .get(outer.end_byte()..p.end_byte())
            .unwrap_or_default()
            .iter()
            .find(|b| !b.is_ascii_whitespace());
        if p.start_byte() != n.start_byte() || !matches!(next, None | Some(b'.' | b'(')) {
            break;
        }
        outer = p;
    }
    if outer.end_byte() == n.end_byte() {
        return None;
    }
    let text = collapse_ws(node_text(outer, src));
    Some(text.chars().take(MAX_CHAIN_TEXT).collect())
}

fn first_line(s: &str) -> String {
    let head = s.split('{').next().unwrap_or(s);
    head.trim().to_string()
}

fn first_word(s: &str) -> String {
    let end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(s.len());
    let w = &s[..end];
    w.rsplit('.').next().unwrap_or(w).to_string()
}

fn cut(s: &str) -> String {
    if s.chars().count() <= MAX_SITE_TEXT {
        return s.to_string();
    }
    let mut out: String = s.chars().take(MAX_SITE_TEXT - 1).collect();
    out.push('…');
    out
}

/// A comment line without its markers (`//`, `/*`, `*`, `*/`, `!`).
fn comment_body(raw: &str) -> &str {
    raw.trim()
        .trim_start_matches(['/', '*', '!'])
        .trim_end_matches(['*', '/'])
        .trim()
}

/// Comment lines joined around a line that names an invariant: back to the
/// start of its sentence and on to its end, within one run of comment lines.
const MAX_SENTENCE_LINES: u32 = 4;

/// One site per invariant sentence: the sentence around each comment line
/// that states an invariant, cited over the lines it spans. A comment after
/// code on its line (in `trailing`) is a sentence of its own line.
fn invariant_sites(lines: &BTreeMap<u32, String>, trailing: &BTreeSet<u32>) -> Vec<Site> {
    let mut out: Vec<Site> = Vec::new();
    for (&line, body) in lines {
        let Some(word) = invariant_word(body) else {
            continue;
        };
        if out.last().is_some_and(|s| s.end_line >= line) {
            continue; // already inside the previous sentence
        }
        let ends = |t: &str| t.is_empty() || t.ends_with(['.', '!', '?', ':']);
        let alone = trailing.contains(&line);
        let mut start = line;
        while !alone && line - start < MAX_SENTENCE_LINES {
            match lines.get(&(start.wrapping_sub(1))) {
                Some(prev)
                    if start > 1
                        && !trailing.contains(&(start - 1))
                        && !ends(prev)
                        && !lines[&start].starts_with(char::is_uppercase) =>
                {
                    start -= 1
                }
                _ => break,
            }
        }
        let mut end = line;
        while !alone && end - line < MAX_SENTENCE_LINES && !ends(&lines[&end]) {
            match lines.get(&(end + 1)) {
                Some(next) if !next.is_empty() && !trailing.contains(&(end + 1)) => end += 1,
                _ => break,
            }
        }
        let joined: Vec<&str> = (start..=end)
            .filter_map(|l| lines.get(&l))
            .map(String::as_str)
            .collect();
        let joined = collapse_ws(&joined.join(" "));
        // The keyword's own sentence (the joined lines may hold others).
        let before: usize = (start..line)
            .filter_map(|l| lines.get(&l))
            .map(|t| t.len() + 1)
            .sum();
        let at = before + body.find(&word).unwrap_or(0);
        let mut at = at.min(joined.len());
        while !joined.is_char_boundary(at) {
            at -= 1;
        }
        let from = joined[..at].rfind(". ").map_or(0, |i| i + 2);
        let to = joined[at..].find(". ").map_or(joined.len(), |i| at + i + 1);
        out.push(Site {
            kind: SiteKind::Invariant,
            line: start,
            end_line: end,
            name: word,
            text: cut(joined.get(from..to).unwrap_or(&joined)),
            extra: None,
        });
    }
    out
}

/// The first invariant marker or word on a comment line, as written there.
pub(crate) fn invariant_word(line: &str) -> Option<String> {
    for m in INVARIANT_MARKERS {
        if line.contains(m) {
            return Some(m.trim_end_matches(['-', ':']).to_string());
        }
    }
    let mut best: Option<(usize, &str)> = None;
    let lower = line.to_ascii_lowercase();
    for w in INVARIANT_WORDS {
        let mut from = 0;
        while let Some(at) = lower[from..].find(w) {
            let at = from + at;
            let before = lower[..at].chars().next_back();
            let after = lower[at + w.len()..].chars().next();
            let boundary = |c: Option<char>| c.map_or(true, |c| !(c.is_alphanumeric() || c == '_'));
            if boundary(before) && boundary(after) {
                if best.map_or(true, |(b, _)| at < b) {
                    best = Some((at, &line[at..at + w.len()]));
                }
                break;
            }
            from = at + w.len();
        }
    }
    best.map(|(_, w)| w.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::lang::LANGS;

    #[test]
    fn every_facts_query_compiles_with_known_captures() {
        for spec in LANGS {
            if let Err(e) = compile(spec) {
                panic!("{e}");
            }
        }
    }

    #[test]
    fn invariant_words_are_whole_words() {
        assert_eq!(
            invariant_word("// callers MUST hold the lock").as_deref(),
            Some("MUST")
        );
        assert_eq!(
            invariant_word("// mustard is never yellow").as_deref(),
            Some("never")
        );
        assert_eq!(
            invariant_word("// SAFETY: the pointer is valid").as_deref(),
            Some("SAFETY")
        );
        assert_eq!(invariant_word("// INV-3 holds").as_deref(), Some("INV"));
        assert_eq!(invariant_word("// Invariants hold"), None);
        assert_eq!(invariant_word("// nothing here"), None);
    }
}

#[cfg(test)]
mod query_tests {
    use super::*;
    use crate::scan::lang::lang_by_name;
    use crate::scan::parse::{parse_text, with_parser};

    /// `kind line-end name | text` per site, then imports and references.
    fn project(lang: &str, src: &str) -> String {
        let spec = lang_by_name(lang).expect("language");
        let notes = with_parser(spec, |p| {
            let tree = parse_text(p, src).expect("parse");
            collect(spec, &tree, src, &[]).expect("facts")
        })
        .expect("parser");
        let mut out = String::new();
        for s in &notes.sites {
            let extra = s
                .extra
                .as_deref()
                .map(|e| format!(" for {e}"))
                .unwrap_or_default();
            out.push_str(&format!(
                "{:?} {}-{} {}{extra} | {}\n",
                s.kind, s.line, s.end_line, s.name, s.text
            ));
        }
        for i in &notes.imports {
            out.push_str(&format!(
                "import {}-{} {} {:?}\n",
                i.line, i.end_line, i.path, i.alias
            ));
        }
        let refs: Vec<String> = notes
            .references
            .iter()
            .map(|r| {
                format!(
                    "{}{}",
                    r.qualifier
                        .as_deref()
                        .map(|q| format!("{q}."))
                        .unwrap_or_default(),
                    r.name
                )
            })
            .collect();
        out.push_str(&format!("refs {}\n", refs.join(" ")));
        out
    }

    /// Go source touching every pattern of `queries/go/facts.scm`, with a
    /// syntax error (an ERROR and a MISSING node) at the end.
    const GO_ALL: &str = "// Package a does things.\n//go:build linux\npackage a\n\nimport (\n\tx \"example.com/m/b\"\n\t\"flag\"\n)\n\n\
        // Callers must hold mu.\nfunc init() {\n\tx.Register(\"a\", nil)\n\tv = 3\n}\n\n\
        var reg = map[string]func() P{\n\t\"fifo\": newFIFO, // INV-2: kept\n}\n\n\
        func F(t x.T, cmd *cobra.Command, o *O) (*T, error) {\n\tflag.Int(\"n\", 1, \"count\")\n\tflag.StringVar(&o.s, \"s\", \"\", \"s\")\n\
        \tcmd.Flags().IntVarP(&o.L, \"limit\", \"L\", 30, \"max\")\n\tcmd.PersistentFlags().String(\"repo\", \"\", \"r\")\n\
        \tfs.Bool(\"b\", false, \"\")\n\tfs.StringVar(&o.x, \"x\", \"\", \"\")\n\tcmdutil.StringEnumFlag(cmd, &o.S, \"state\", \"s\", \"open\", nil, \"s\")\n\
        \tflaggy.Bool(&o.Logs, \"l\", \"logs\", \"tail\")\n\t_ = &cli.StringFlag{Name: \"config\"}\n\tapp.Flag(\"k\", \"h\")\n\
        \tswitch t.N {\n\tcase \"rr\", \"w\":\n\t}\n\tif t.N <= 0 {\n\t\treturn nil, fmt.Errorf(\"a: n must be positive\")\n\t}\n\
        \tif err != nil {\n\t\treturn nil, errors.New(\"x\")\n\t}\n\tpanic(\"no\")\n\treturn &T{}, nil\n}\n\nfunc G() { x := [ }\n";

    /// Rust source touching every pattern of `queries/rust/facts.scm`.
    const RUST_ALL: &str = "//! Crate doc.\nuse crate::a::{B,\n    C, d::E};\nextern crate core;\n\n\
        struct Args {\n    #[arg(long)]\n    name: String,\n    #[clap(short)]\n    v: bool,\n}\n\n\
        impl Tr for B {\n    fn f(&self) -> Vec<u8> {\n        // SAFETY: fine.\n        assert!(true, \"msg\");\n        a::b::c();\n        self.g::<u8>();\n        x.y();\n        E::F(1)\n    }\n}\n\n\
        fn name_long(&self) -> &'static str {\n    \"flag\"\n}\n\nfn cli() -> Command {\n    Command::new(\"x\").arg(Arg::new(\"verbose\"))\n}\n\n\
        fn pick(s: &str) -> u8 {\n    match s {\n        \"a\" => 1,\n        \"b\" | \"c\" | \"d\" => 2,\n        _ => 0,\n    }\n}\n\n/* must never */\nfn broken( {\n";

    /// The walk that runs the query node by node finds what one cursor over
    /// the whole tree finds, on sources touching every pattern (with syntax
    /// errors) and on this crate's own source files.
    #[test]
    fn the_walk_matches_a_cursor_over_the_whole_tree() {
        let mut inputs: Vec<(&str, String)> =
            vec![("go", GO_ALL.to_string()), ("rust", RUST_ALL.to_string())];
        let mut stack = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("src/ is readable").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    inputs.push(("rust", std::fs::read_to_string(&path).expect("utf-8")));
                }
            }
        }
        assert!(inputs.len() > 50, "read the crate's files");
        for (lang, text) in &inputs {
            let spec = lang_by_name(lang).expect("language");
            assert!(
                facts_query(spec).expect("query").roots.is_some(),
                "{lang}: every pattern starts at a named kind"
            );
            let (walked, whole) = with_parser(spec, |p| {
                let tree = parse_text(p, text).expect("parse");
                let skip = [(3, 4)];
                (
                    collect_with(spec, &tree, text, &skip, How::Cursor).expect("facts"),
                    collect_with(spec, &tree, text, &skip, How::Whole).expect("facts"),
                )
            })
            .expect("parser");
            assert_eq!(walked, whole, "{lang}: {}", &text[..text.len().min(80)]);
        }
        // The sources above reach every kind of fact.
        let go = project("go", GO_ALL);
        for kind in [
            "Flag",
            "Guard",
            "Registration",
            "Choice",
            "Invariant",
            "BuildConstraint",
        ] {
            assert!(go.contains(&format!("{kind} ")), "{kind} in {go}");
        }
        let rust = project("rust", RUST_ALL);
        for kind in ["Flag", "Guard", "Impl", "Choice", "Invariant"] {
            assert!(rust.contains(&format!("{kind} ")), "{kind} in {rust}");
        }
    }

    /// Every source the matcher is compared on: the sources above without
    /// their syntax errors (trees with errors go to the query), this crate's
    /// own files, the Go and Rust fixtures under `testdata/`, and the trees
    /// `PLANRECON_FACTS_TREES` lists (`:`-separated directories; vendor,
    /// target and hidden directories skipped).
    fn error_free_sources() -> Vec<(&'static str, String)> {
        let mut inputs = vec![
            ("go", GO_ALL.replace("func G() { x := [ }\n", "")),
            ("rust", RUST_ALL.replace("fn broken( {\n", "")),
        ];
        inputs.extend(crate::scan::test_sources::go_and_rust_sources(
            "PLANRECON_FACTS_TREES",
        ));
        inputs
    }

    /// One match as (pattern, sorted (capture name, node id)).
    type Seen = (usize, Vec<(String, usize)>);

    /// The structural matcher finds exactly the query's matches, pattern by
    /// pattern and node by node, and the same facts; every pattern of both
    /// facts queries matches somewhere in the sources compared.
    #[test]
    fn the_matcher_matches_the_query() {
        let inputs = error_free_sources();
        let mut compared = 0;
        for lang in ["go", "rust"] {
            let spec = lang_by_name(lang).expect("language");
            let matcher = facts_matcher(spec).expect("the matcher reads the query");
            let fq = facts_query(spec).expect("query");
            let names = fq.query.capture_names();
            assert_eq!(
                matcher.patterns.capture_names(),
                names,
                "{lang}: capture order"
            );
            let mut hit = vec![0usize; fq.query.pattern_count()];
            for (_, text) in inputs.iter().filter(|(l, _)| *l == lang) {
                let ok = with_parser(spec, |p| {
                    let tree = parse_text(p, text).expect("parse");
                    if tree.root_node().has_error() {
                        return false;
                    }
                    let src = text.as_bytes();
                    let seen = |pattern: usize, caps: &mut dyn Iterator<Item = (u32, Node)>| {
                        let mut v: Vec<(String, usize)> = caps
                            .map(|(i, n)| (names[i as usize].to_string(), n.id()))
                            .collect();
                        v.sort();
                        (pattern, v)
                    };
                    let mut want: BTreeSet<Seen> = BTreeSet::new();
                    let mut cursor = QueryCursor::new();
                    let mut matches = cursor.matches(&fq.query, tree.root_node(), src);
                    while let Some(m) = matches.next() {
                        hit[m.pattern_index] += 1;
                        want.insert(seen(
                            m.pattern_index,
                            &mut m.captures().iter().map(|c| (c.index, c.node)),
                        ));
                    }
                    let mut got: BTreeSet<Seen> = BTreeSet::new();
                    let mut scratch = Scratch::default();
                    let mut walk = tree.walk();
                    'walk: loop {
                        matcher
                            .patterns
                            .matches_at(walk.node(), src, &mut scratch, |i, caps| {
                                got.insert(seen(i, &mut caps.iter().copied()));
                            });
                        if walk.goto_first_child() {
                            continue;
                        }
                        while !walk.goto_next_sibling() {
                            if !walk.goto_parent() {
                                break 'walk;
                            }
                        }
                    }
                    let only = |a: &BTreeSet<Seen>, b: &BTreeSet<Seen>| {
                        a.difference(b).take(3).cloned().collect::<Vec<_>>()
                    };
                    assert!(
                        want == got,
                        "{lang}: query only {:?}, matcher only {:?} in {}",
                        only(&want, &got),
                        only(&got, &want),
                        &text[..text.len().min(80)]
                    );
                    let skip = [(3, 4)];
                    assert_eq!(
                        collect_with(spec, &tree, text, &skip, How::Matcher).expect("facts"),
                        collect_with(spec, &tree, text, &skip, How::Whole).expect("facts"),
                        "{lang}: facts of {}",
                        &text[..text.len().min(80)]
                    );
                    true
                })
                .expect("parser");
                compared += usize::from(ok);
            }
            for (p, n) in hit.iter().enumerate() {
                assert!(*n > 0, "{lang}: pattern {p} of facts.scm matched nowhere");
            }
        }
        assert!(compared > 50, "compared {compared} sources");
    }

    #[test]
    fn lone_patterns_skip_the_cursor() {
        let spec = lang_by_name("rust").expect("rust");
        let fq = facts_query(spec).expect("query");
        let roots = fq.roots.as_ref().expect("roots");
        let language = tree_sitter::Language::new(spec.grammar);
        let kind = |name: &str| usize::from(language.id_for_node_kind(name, true));
        let reference = fq
            .query
            .capture_index_for_name("reference")
            .expect("capture");
        assert_eq!(
            roots[kind("type_identifier")],
            Start::Lone(vec![vec![reference]])
        );
        assert_eq!(roots[kind("scoped_identifier")], Start::Query);
        assert_eq!(roots[kind("block")], Start::None);
    }

    #[test]
    fn go_facts() {
        let src = "package a\n\nimport (\n\tx \"example.com/m/b\"\n\t\"flag\"\n)\n\n// Callers must hold mu.\nfunc init() {\n\tx.Register(\"a\", nil)\n}\n\nfunc F(t x.T) {\n\tflag.Int(\"n\", 1, \"count\")\n\tpanic(\"no\")\n}\n";
        let got = project("go", src);
        assert_eq!(
            got,
            "Invariant 8-8 must | Callers must hold mu.\n\
             Registration 10-10 Register | x.Register(\"a\", nil)\n\
             Flag 14-14 n | flag.Int(\"n\", 1, \"count\")\n\
             Guard 15-15 panic | panic(\"no\")\n\
             import 4-4 example.com/m/b Some(\"x\")\n\
             import 5-5 flag None\n\
             refs T panic flag.Int x.Register x.T\n"
        );
    }

    #[test]
    fn trailing_comments_are_sentences_of_their_own_line() {
        let src = "package a\n\ntype S struct {\n\ta int // pre-generated requests\n\tb int // count of shed requests\n\tc int // evicted in-flight (INV-1: gw_evicted)\n\td int // TTL in microseconds\n}\n\n// Callers\n// must hold mu\n// while calling.\nfunc F() {}\n";
        let got = project("go", src);
        let inv: Vec<&str> = got
            .lines()
            .filter(|l| l.starts_with("Invariant "))
            .collect();
        assert_eq!(
            inv,
            [
                "Invariant 6-6 INV | evicted in-flight (INV-1: gw_evicted)",
                "Invariant 10-12 must | Callers must hold mu while calling.",
            ]
        );
    }

    #[test]
    fn go_validation_guards_not_error_propagation() {
        let src = "package a\n\nfunc New(n int) (*T, error) {\n\tif n <= 0 {\n\t\treturn nil, fmt.Errorf(\"a: n must be positive, got %d\", n)\n\t}\n\tif err := check(n); err != nil {\n\t\treturn nil, fmt.Errorf(\"a: check: %v\", err)\n\t}\n\tif x, err := g(); err == nil && x > n {\n\t\treturn nil, fmt.Errorf(\"a: %w\", errTooBig)\n\t}\n\tif n > 9 {\n\t\treturn nil, errors.New(\"a: too many\")\n\t}\n\treturn &T{}, nil\n}\n";
        let got = project("go", src);
        let guards: Vec<&str> = got.lines().filter(|l| l.starts_with("Guard ")).collect();
        assert_eq!(
            guards,
            [
                "Guard 4-6 fmt.Errorf | if n <= 0 { return nil, fmt.Errorf(\"a: n must be positive, got %d\", n) }",
                "Guard 13-15 errors.New | if n > 9 { return nil, errors.New(\"a: too many\") }",
            ]
        );
    }

    #[test]
    fn choices_are_string_cases_arms_and_map_keys() {
        let go = "package a\n\nvar reg = map[string]func() P{\n\t\"fifo\": newFIFO,\n}\n\nfunc New(name string) P {\n\tswitch name {\n\tcase \"rr\", \"weighted\":\n\t\treturn nil\n\tcase other:\n\t}\n\treturn nil\n}\n";
        let got = project("go", go);
        let choices: Vec<&str> = got.lines().filter(|l| l.starts_with("Choice ")).collect();
        assert_eq!(
            choices,
            [
                "Choice 4-4 fifo | \"fifo\"",
                "Choice 9-9 rr | \"rr\"",
                "Choice 9-9 weighted | \"weighted\"",
            ]
        );
        let rust = "fn pick(s: &str) -> u8 {\n    match s {\n        \"a\" => 1,\n        \"b\" | \"c\" | \"d\" => 2,\n        _ => 0,\n    }\n}\n";
        let got = project("rust", rust);
        let choices: Vec<&str> = got
            .lines()
            .filter(|l| l.starts_with("Choice "))
            .map(|l| l.split(" | ").next().unwrap_or(l))
            .collect();
        assert_eq!(
            choices,
            [
                "Choice 3-3 a",
                "Choice 4-4 b",
                "Choice 4-4 c",
                "Choice 4-4 d"
            ]
        );
    }

    #[test]
    fn go_flags_are_registrations_not_reads() {
        let src = "package a\n\nfunc f(cmd *cobra.Command, opts *O) {\n\
                   \tcmd.Flags().IntVarP(&opts.Limit, \"limit\", \"L\", 30, \"max\")\n\
                   \tcmd.Flags().StringP(\"repo\", \"R\", \"\", \"repo\")\n\
                   \tif cmd.Flags().Changed(\"limit\") {}\n\
                   \t_ = cmd.Flags().GetString(\"repo\")\n\
                   \tcmd.Flags().MarkHidden(\"repo\")\n\
                   \tcmdutil.StringEnumFlag(cmd, &opts.State, \"state\", \"s\", \"open\", nil, \"state\")\n\
                   \tflaggy.Bool(&opts.Logs, \"l\", \"logs\", \"tail logs\")\n\
                   \t_ = &cli.StringFlag{Name: \"config\", Usage: \"file\"}\n\
                   }\n";
        let got = project("go", src);
        let flags: Vec<&str> = got.lines().filter(|l| l.starts_with("Flag ")).collect();
        assert_eq!(
            flags,
            [
                "Flag 4-4 limit | cmd.Flags().IntVarP(&opts.Limit, \"limit\", \"L\", 30, \"max\")",
                "Flag 5-5 repo | cmd.Flags().StringP(\"repo\", \"R\", \"\", \"repo\")",
                "Flag 9-9 state | cmdutil.StringEnumFlag(cmd, &opts.State, \"state\", \"s\", \"open\", nil, \"state\")",
                "Flag 10-10 logs | flaggy.Bool(&opts.Logs, \"l\", \"logs\", \"tail logs\")",
                "Flag 11-11 config | cli.StringFlag{Name: \"config\", Usage: \"file\"}",
            ]
        );
    }

    #[test]
    fn rust_clap_builder_flags() {
        let src = "fn cli() -> Command {\n    Command::new(\"x\").arg(Arg::new(\"verbose\").long(\"verbose\"))\n}\n";
        let got = project("rust", src);
        assert!(
            // The chain the registration starts comes with it (what it sets).
            got.contains(
                "Flag 2-2 verbose for Arg::new(\"verbose\").long(\"verbose\") | Arg::new(\"verbose\")"
            ),
            "{got}"
        );
    }

    #[test]
    fn rust_facts() {
        let src = "use crate::a::{B,\n    C};\n\nstruct Args {\n    #[arg(long)]\n    name: String,\n}\n\nimpl Tr for B {\n    fn f(&self) {\n        // SAFETY: fine.\n        assert!(true, \"msg\");\n    }\n}\n";
        let got = project("rust", src);
        assert_eq!(
            got,
            "Flag 5-6 name | #[arg(long)]\n\
             Impl 9-14 B for Tr | impl Tr for B\n\
             Invariant 11-11 SAFETY | SAFETY: fine.\n\
             Guard 12-12 assert | assert!(true, \"msg\")\n\
             import 1-2 crate::a::{B, C} None\n\
             refs Args B C String Tr crate.a\n"
        );
    }
}

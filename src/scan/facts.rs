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
use std::sync::OnceLock;

use tree_sitter::{Node, Query, QueryCursor, StreamingIterator, Tree};

use crate::model::{Import, Reference, Site, SiteKind, Span};
use crate::scan::lang::{lang_index, LangSpec, LANGS};
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
    Ok(FactsQuery { query, roles })
}

fn facts_query(spec: &'static LangSpec) -> Result<&'static FactsQuery, &'static String> {
    static COMPILED: OnceLock<Vec<Result<FactsQuery, String>>> = OnceLock::new();
    let all = COMPILED.get_or_init(|| LANGS.iter().map(compile).collect());
    all[lang_index(spec)].as_ref()
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
pub(crate) fn collect(
    spec: &'static LangSpec,
    tree: &Tree,
    text: &str,
    skip: &[(u32, u32)],
) -> Result<Notes, String> {
    let fq = facts_query(spec).map_err(Clone::clone)?;
    let src = text.as_bytes();
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(&fq.query, tree.root_node(), src);
    let mut notes = Notes::default();
    let mut refs: BTreeSet<Reference> = BTreeSet::new();
    let mut sites: BTreeSet<Site> = BTreeSet::new();
    // Every comment line (markers stripped), to read invariants as sentences.
    let mut comment_lines: BTreeMap<u32, String> = BTreeMap::new();
    // Lines whose comment follows code (`x int // INV-1: …`): each is its own
    // statement, never joined with the comments of the lines around it.
    let mut trailing: BTreeSet<u32> = BTreeSet::new();
    while let Some(m) = matches.next() {
        let get = |role: FactRole| -> Option<Node> {
            m.captures()
                .iter()
                .find(|c| fq.roles[c.index as usize] == role)
                .map(|c| c.node)
        };
        let first = m
            .captures()
            .iter()
            .map(|c| line_of(c.node))
            .min()
            .unwrap_or(0);
        if skip.iter().any(|(a, b)| (*a..=*b).contains(&first)) {
            continue;
        }
        if let Some(n) = get(FactRole::Import) {
            let path = node_text(n, src).trim_matches(['"', '`']).to_string();
            let alias = get(FactRole::ImportAlias).map(|a| node_text(a, src).to_string());
            let end_line = line_of_row(n.end_position().row);
            notes.imports.push(Import {
                path: collapse_ws(&path),
                alias,
                line: line_of(n),
                end_line,
            });
        }
        if let Some(n) = get(FactRole::Reference) {
            let qualifier =
                get(FactRole::ReferenceQualifier).map(|q| collapse_ws(node_text(q, src)));
            refs.insert(Reference {
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
                sites.insert(Site {
                    kind: SiteKind::BuildConstraint,
                    line,
                    end_line: line,
                    name,
                    text,
                    extra: None,
                });
                continue;
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
                trailing.insert(first);
            }
            for (i, raw) in t.split('\n').enumerate() {
                comment_lines.insert(first + i as u32, comment_body(raw).to_string());
            }
        }
        if let (Some(n), Some(name)) = (get(FactRole::Guard), get(FactRole::GuardName)) {
            sites.insert(site(
                SiteKind::Guard,
                n,
                node_text(name, src).to_string(),
                src,
                None,
            ));
        }
        if let Some(n) = get(FactRole::Registration) {
            sites.insert(site(
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
            let mut s = site(SiteKind::Flag, n, name, src, None);
            s.end_line = s.end_line.max(end);
            sites.insert(s);
        }
        if let Some(n) = get(FactRole::Choice) {
            let name = node_text(n, src).trim_matches(['"', '`']).to_string();
            if !name.is_empty() && !name.contains('\n') {
                sites.insert(site(SiteKind::Choice, n, name, src, None));
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
            sites.insert(s);
        }
    }
    sites.extend(invariant_sites(&comment_lines, &trailing));
    notes.references = refs.into_iter().collect();
    notes.sites = sites.into_iter().collect();
    notes
        .sites
        .sort_by(|a, b| (a.line, a.kind, &a.name).cmp(&(b.line, b.kind, &b.name)));
    Ok(notes)
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
            got.contains("Flag 2-2 verbose | Arg::new(\"verbose\")"),
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

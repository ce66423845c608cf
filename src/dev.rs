//! Narrow public entry points for the benchmarks (`benches/`), the property
//! tests (`tests/robustness_props.rs`) and the cargo-fuzz targets (`fuzz/`):
//! parsing and extraction of one in-memory file, and `check`'s plan parser. Extraction
//! runs exactly what a scan runs on a file's bytes: the binary and UTF-8
//! checks, the BOM rule, the parse, the queries and the macro re-parses.
//! Not a stable API: the rest of the crate stays `pub(crate)`.

use crate::scan::decode_source;
use crate::scan::extract::extract_file;
use crate::scan::lang::lang_by_name;
use crate::scan::parse::with_parser;

/// One declaration or member: what a citation is made of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuzzSpan {
    /// The item or member kind (`func`, `struct`, `field`, …).
    pub kind: String,
    /// The name as the inventory shows it.
    pub name: String,
    /// 1-based line of the name.
    pub line: u32,
    /// 1-based last line of the declaration (`>= line`).
    pub end_line: u32,
    /// Whether this is a member (field, variant, interface method) of the
    /// item before it.
    pub member: bool,
}

/// Extract the declarations of one file of language `lang` (`go`, `rust`)
/// from its raw bytes. Items in source order, each followed by its members.
/// `Err` carries the diagnostic that would skip the file (binary, not UTF-8,
/// unknown language).
pub fn extract_for_fuzz(lang: &str, bytes: &[u8]) -> Result<Vec<FuzzSpan>, String> {
    let spec = lang_by_name(lang).ok_or_else(|| format!("unknown language {lang:?}"))?;
    let text = decode_source(bytes.to_vec())?;
    let facts = with_parser(spec, |p| extract_file(spec, p, &text))
        .ok_or_else(|| format!("the {lang} grammar could not be loaded"))??;
    let mut out = Vec::new();
    for item in facts.items {
        out.push(FuzzSpan {
            kind: item.kind.to_string(),
            name: item.name,
            line: item.span.line,
            end_line: item.span.end_line,
            member: false,
        });
        for m in item.members {
            out.push(FuzzSpan {
                kind: m.kind,
                name: m.name,
                line: m.line,
                end_line: m.end_line,
                member: true,
            });
        }
    }
    Ok(out)
}

/// One citation `check` found in a Markdown plan, by its bytes in the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuzzCitation {
    /// 1-based line of the plan the citation starts on.
    pub line: usize,
    /// The path as written.
    pub path: String,
    /// Bytes of the path in the plan (`check --fix` rewrites only these
    /// and `lines_span`).
    pub path_span: std::ops::Range<usize>,
    /// Bytes of the line number or range, when there is one.
    pub lines_span: Option<std::ops::Range<usize>>,
}

/// The citations of a Markdown plan, as `check` reads them.
pub fn parse_plan_for_fuzz(text: &str) -> Vec<FuzzCitation> {
    crate::commands::check::plan::collect(text)
        .citations
        .into_iter()
        .map(|c| FuzzCitation {
            line: c.line,
            path: c.path,
            path_span: c.path_span,
            lines_span: c.lines_span,
        })
        .collect()
}

/// Benchmark support (`benches/extract.rs`), not a stable API: extract the
/// items of `text` read as language `lang` (`go`, `rust`) and return how many
/// were found; `None` for an unknown language or a failed parse.
#[doc(hidden)]
pub fn extract_source(lang: &str, text: &str) -> Option<usize> {
    let spec = crate::scan::lang::lang_by_name(lang)?;
    let facts = crate::scan::parse::with_parser(spec, |p| {
        crate::scan::extract::extract_file(spec, p, text)
    })?
    .ok()?;
    Some(facts.items.len())
}

/// Benchmark support: parse `text` as `lang` and drop the tree; returns
/// whether it parsed.
#[doc(hidden)]
pub fn parse_source(lang: &str, text: &str) -> bool {
    crate::scan::lang::lang_by_name(lang)
        .and_then(|spec| {
            crate::scan::parse::with_parser(spec, |p| {
                crate::scan::parse::parse_text(p, text).is_some()
            })
        })
        .unwrap_or(false)
}

/// Benchmark support: parse `text` as `lang` and run one query over the
/// whole tree that matches only comments; returns how many matched. The
/// floor of a query pass that reads function bodies.
#[doc(hidden)]
pub fn traverse_source(lang: &str, text: &str) -> Option<usize> {
    use std::sync::OnceLock;
    use tree_sitter::StreamingIterator;
    static QUERIES: OnceLock<Vec<Option<tree_sitter::Query>>> = OnceLock::new();
    let spec = crate::scan::lang::lang_by_name(lang)?;
    let queries = QUERIES.get_or_init(|| {
        crate::scan::lang::LANGS
            .iter()
            .map(|l| {
                let kinds: Vec<String> = l.comment_kinds.iter().map(|k| format!("({k})")).collect();
                let source = format!("[{}] @comment", kinds.join(" "));
                tree_sitter::Query::new(&tree_sitter::Language::new(l.grammar), &source).ok()
            })
            .collect()
    });
    let query = queries[crate::scan::lang::lang_index(spec)].as_ref()?;
    let tree = crate::scan::parse::with_parser(spec, |p| crate::scan::parse::parse_text(p, text))??;
    let mut cursor = tree_sitter::QueryCursor::new();
    let mut matches = cursor.matches(query, tree.root_node(), text.as_bytes());
    let mut n = 0;
    while matches.next().is_some() {
        n += 1;
    }
    Some(n)
}

/// Benchmark support: one file parsed once, so each pass over its tree can
/// be timed on its own (`benches/extract.rs`). Not a stable API.
#[doc(hidden)]
pub struct BenchTree {
    spec: &'static crate::scan::lang::LangSpec,
    text: String,
    tree: tree_sitter::Tree,
}

#[doc(hidden)]
impl BenchTree {
    /// Parse `text` as `lang`; `None` for an unknown language or a failed parse.
    pub fn parse(lang: &str, text: &str) -> Option<BenchTree> {
        let spec = crate::scan::lang::lang_by_name(lang)?;
        let tree =
            crate::scan::parse::with_parser(spec, |p| crate::scan::parse::parse_text(p, text))??;
        Some(BenchTree {
            spec,
            text: text.to_string(),
            tree,
        })
    }

    /// The floor of any pass: a `TreeCursor` walk over every node, reading
    /// its kind; returns the number of nodes.
    pub fn walk(&self) -> usize {
        let mut cursor = self.tree.walk();
        let mut n = 0usize;
        let mut kinds = 0usize;
        loop {
            n += 1;
            kinds = kinds.wrapping_add(usize::from(cursor.node().kind_id()));
            if cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    return n + (kinds & 1);
                }
            }
        }
    }

    /// The item query's pass (`items.scm`, bounded start depth); returns the items.
    pub fn items(&self) -> usize {
        crate::scan::extract::items_of_tree(self.spec, &self.tree, &self.text)
    }

    /// The facts query's pass (`facts.scm`); returns imports, references and sites.
    pub fn facts(&self) -> usize {
        crate::scan::facts::collect(self.spec, &self.tree, &self.text, &[])
            .map_or(0, |n| n.imports.len() + n.references.len() + n.sites.len())
    }

    /// The reference query's pass (`refs.scm`, run by the scan for the
    /// resolver); returns the captures.
    pub fn refs_query(&self) -> usize {
        crate::resolve::query::recipe_for(self.spec).map_or(0, |r| {
            crate::scan::snapshot::bench::query_only(self.spec, r, &self.text, &self.tree)
        })
    }

    /// The copy of the tree the resolver reads, without the query's matches;
    /// returns the nodes kept.
    pub fn copy(&self) -> usize {
        crate::scan::snapshot::bench::copy_only(self.spec, &self.text, &self.tree)
    }

    /// Everything the scan does for the resolver: query, copy and the macro
    /// bodies' re-parse; returns the bytes held.
    pub fn snapshot(&self) -> usize {
        crate::resolve::query::recipe_for(self.spec).map_or(0, |r| {
            crate::scan::parse::with_parser(self.spec, |p| {
                crate::scan::snapshot::FileSyntax::build(self.spec, &self.text, &self.tree, r, p)
                    .heap_bytes()
            })
            .unwrap_or(0)
        })
    }
}

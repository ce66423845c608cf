//! Narrow public entry points for the property tests
//! (`tests/robustness_props.rs`) and the cargo-fuzz targets (`fuzz/`):
//! extraction of one in-memory file, and `check`'s plan parser. Extraction
//! runs exactly what a scan runs on a file's bytes: the binary and UTF-8
//! checks, the BOM rule, the parse, the queries and the macro re-parses.
//! Not a stable API: the rest of the crate stays `pub(crate)`.

use crate::extract::extract_file;
use crate::lang::lang_by_name;
use crate::parse::with_parser;
use crate::scan::decode_source;

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
    crate::plan::collect(text)
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

//! `planrecon refs SYMBOL...`: call sites, construction sites and type uses
//! of declarations, found with tree-sitter (never in comments or strings).
//!
//! The inventory gives the declarations ([`decls`]); each SYMBOL resolves to
//! exactly one of them (an ambiguous one lists the candidates and exits 2);
//! [`find::find_refs`] finds the references, reading the copies of syntax
//! the scan took (no file is parsed twice); this module prints them.

use std::fmt::Write as _;
use std::sync::atomic::Ordering;

use anyhow::Context as _;
use serde::Serialize;

use crate::cli::RefsArgs;
use crate::config::Config;
use crate::config::{RefKind, RefsFormat};
use crate::model::SCHEMA_VERSION;
use crate::resolve::decls::{resolve_symbols, Class, Decls, Symbol};
use crate::resolve::find::{find_refs, Hit, HitKind, SearchCounts};
use crate::resolve::query;
use crate::util::exit;

/// What `--kind` admits.
trait KindFilter {
    /// Whether a reference of this kind can name a declaration of class `c`.
    fn names(self, c: Class) -> bool;
    /// Whether hit kind `k` is of this kind.
    fn admits(self, k: HitKind) -> bool;
}

impl KindFilter for RefKind {
    /// Whether a reference of this kind can name a declaration of class `c`.
    fn names(self, c: Class) -> bool {
        match self {
            RefKind::All => true,
            RefKind::Call => matches!(c, Class::Func | Class::Method | Class::Type),
            RefKind::Construct => matches!(c, Class::Type | Class::Variant),
            RefKind::Type => c == Class::Type,
            RefKind::Field => c == Class::Field,
            RefKind::Value => !matches!(c, Class::Type | Class::Field),
        }
    }

    fn admits(self, k: HitKind) -> bool {
        match self {
            RefKind::All => true,
            RefKind::Call => k == HitKind::Call,
            RefKind::Construct => k == HitKind::Construct,
            RefKind::Type => k == HitKind::Type,
            RefKind::Field => k == HitKind::Field,
            RefKind::Value => k == HitKind::Value,
        }
    }
}

#[derive(Serialize)]
struct JsonOut<'a> {
    schema_version: u32,
    symbols: &'a [Symbol],
    hits: &'a [Hit],
}

impl Serialize for Symbol {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Symbol", 4)?;
        st.serialize_field("query", &self.query)?;
        st.serialize_field("symbol", &self.display)?;
        st.serialize_field("kind", &self.kind)?;
        st.serialize_field("declared_at", &self.citation)?;
        st.end()
    }
}

/// The validated `refs` configuration.
#[derive(Debug)]
pub(crate) struct RefsConfig {
    /// How the repository is read.
    scan: Config,
    /// The SYMBOL queries, as given.
    symbols: Vec<String>,
    /// Which references to list.
    kind: RefKind,
    /// Whether hits in test code are listed.
    include_tests: bool,
    /// Output format.
    format: RefsFormat,
}

/// Validate `args` once: the repository is a readable directory, the
/// thread count positive.
pub(crate) fn configure(args: RefsArgs) -> anyhow::Result<RefsConfig> {
    let mut scan = Config::for_repo(args.repo, args.include_tests)?;
    scan.stats = args.stats;
    if args.threads.is_some() {
        scan.threads = crate::config::thread_count(args.threads)?;
    }
    Ok(RefsConfig {
        scan,
        symbols: args.symbols,
        kind: args.kind,
        include_tests: args.include_tests,
        format: args.format,
    })
}

/// Run `planrecon refs`. Exit 0 with the hits (possibly none), 2 on an
/// unknown or ambiguous SYMBOL.
pub(crate) fn run(args: RefsConfig) -> anyhow::Result<i32> {
    let config = &args.scan;
    for spec in &config.langs {
        query::refs_query_for(spec).map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let walked = crate::scan::walk::walk(config)?;
    let files = walked.files.clone();
    // The scan copies what the search reads of each file it parses: no file
    // is parsed twice.
    let recipes = query::recipes(&files);
    let (inv, syntax) = crate::scan::build_inventory_keeping(config, walked, &recipes)?;
    let decls = Decls::new(&inv);
    let symbols = match resolve_symbols(&decls, &args.symbols, |c| args.kind.names(c)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("planrecon: {e}");
            return Ok(exit::ERROR);
        }
    };
    let (files, syntax): (Vec<_>, Vec<_>) = files
        .into_iter()
        .zip(syntax)
        .filter(|(f, _)| args.include_tests || !f.test_by_path)
        .unzip();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()?;
    let start = std::time::Instant::now();
    let counts = SearchCounts::default();
    let hits: Vec<Hit> = pool
        .install(|| find_refs(&decls, &files, syntax, &symbols, &counts))
        .into_iter()
        .filter(|h| args.kind.admits(h.kind) && (args.include_tests || !h.test))
        .collect();
    if config.stats {
        eprintln!(
            "planrecon: stats: references: files read {}, parsed {} ({} of them by the scan), {} ms",
            counts.read.load(Ordering::Relaxed),
            counts.parsed.load(Ordering::Relaxed),
            counts.by_scan.load(Ordering::Relaxed),
            start.elapsed().as_millis()
        );
    }
    let text = match args.format {
        RefsFormat::Json => {
            let mut s = serde_json::to_string_pretty(&JsonOut {
                schema_version: SCHEMA_VERSION,
                symbols: &symbols,
                hits: &hits,
            })
            .context("cannot serialize the hits")?;
            s.push('\n');
            s
        }
        RefsFormat::Text => render_text(&hits),
    };
    crate::util::output::emit(None, text.as_bytes())?;
    Ok(exit::SUCCESS)
}

/// `path:line: kind symbol [labels] in enclosing: source`, one line per source
/// line and kind of use, as `grep -n` prints a line once however often it matches:
/// uses that would print the same line (a name used twice on one line) are one
/// line labelled with their count. `--format json` keeps every use with its column.
pub(crate) fn render_text(hits: &[Hit]) -> String {
    // Hits come sorted by file, line and column; alike hits of one line may be
    // apart (`f(x.f)`: a call, a field use, a call), so merge within the line.
    let mut lines: Vec<(&Hit, usize)> = Vec::with_capacity(hits.len());
    let mut line_start = 0;
    for h in hits {
        let same_line = lines
            .get(line_start)
            .is_some_and(|(f, _)| f.file == h.file && f.line == h.line);
        if !same_line {
            line_start = lines.len();
        }
        match lines[line_start..]
            .iter_mut()
            .find(|(o, _)| prints_alike(o, h))
        {
            Some((_, n)) => *n += 1,
            None => lines.push((h, 1)),
        }
    }
    let mut out = String::new();
    for (h, same) in lines {
        let mut labels = Vec::new();
        if h.empty == Some(true) {
            labels.push("empty".to_string());
        }
        if h.inferred {
            if h.candidates.is_empty() {
                labels.push("inferred".to_string());
            } else {
                labels.push(format!("inferred among {}", h.candidates.join(", ")));
            }
        }
        if h.test {
            labels.push("test".to_string());
        }
        if same > 1 {
            labels.push(format!("{same} uses"));
        }
        let labels = if labels.is_empty() {
            String::new()
        } else {
            format!(" [{}]", labels.join("; "))
        };
        let enclosing = h
            .enclosing
            .as_deref()
            .map(|e| format!(" in {e}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{}:{}: {} {}{labels}{enclosing}: {}",
            h.file,
            h.line,
            h.kind.as_str(),
            h.symbol,
            h.source
        );
    }
    out
}

/// Whether two hits differ only in their column, so their text lines are the same.
fn prints_alike(a: &Hit, b: &Hit) -> bool {
    a.file == b.file
        && a.line == b.line
        && a.kind == b.kind
        && a.symbol == b.symbol
        && a.inferred == b.inferred
        && a.candidates == b.candidates
        && a.enclosing == b.enclosing
        && a.test == b.test
        && a.empty == b.empty
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::find::HitKind;

    fn hit(line: u32, column: u32, kind: HitKind, test: bool) -> Hit {
        Hit {
            file: "src/sink.rs".into(),
            line,
            column,
            kind,
            symbol: "sink::Sink".into(),
            inferred: false,
            candidates: Vec::new(),
            enclosing: Some("run".into()),
            test,
            empty: None,
            source: "let s: Sink = Sink::new();".into(),
        }
    }

    #[test]
    fn a_line_prints_once_per_kind_of_use_with_its_count() {
        let hits = [
            hit(3, 8, HitKind::Type, false),
            hit(3, 15, HitKind::Call, false),
            hit(3, 20, HitKind::Type, false),
            hit(4, 1, HitKind::Type, false),
            hit(4, 9, HitKind::Type, true),
        ];
        assert_eq!(
            render_text(&hits),
            "src/sink.rs:3: type sink::Sink [2 uses] in run: let s: Sink = Sink::new();\n\
             src/sink.rs:3: call sink::Sink in run: let s: Sink = Sink::new();\n\
             src/sink.rs:4: type sink::Sink in run: let s: Sink = Sink::new();\n\
             src/sink.rs:4: type sink::Sink [test] in run: let s: Sink = Sink::new();\n"
        );
    }
}

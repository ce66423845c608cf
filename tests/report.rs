//! The Markdown report: snapshots of a Go and a Rust fixture that exercise
//! every section, and the bar of the report: every citation points at the
//! name written before it, frozen blocks are verbatim, the Markdown parses as
//! CommonMark (with GFM tables), and the output is deterministic.

mod common;

use std::path::Path;

use common::{copy_fixture, run};
use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// The report of a fixture copied to a temp dir (no git: no commit in the output).
fn report(fixture: &str, extra: &[&str]) -> (tempfile::TempDir, String) {
    let tmp = copy_fixture(fixture);
    let mut args = vec![tmp.path().to_str().expect("utf-8 path")];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(
        out.status.success(),
        "planrecon failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8 report");
    (tmp, text)
}

/// The root directory's name changes per temp dir: normalize it.
fn normalized(tmp: &tempfile::TempDir, text: &str) -> String {
    let name = tmp
        .path()
        .file_name()
        .and_then(|n| n.to_str())
        .expect("temp name");
    text.replace(name, "<root>")
}

/// A citation `path:start[-end]` and the token written right before it.
#[derive(Debug)]
struct Citation {
    token: String,
    file: String,
    start: usize,
    end: usize,
}

/// Every `` `TOKEN` (`path:a-b`) `` and `TEXT (`path:a-b`)` in the report, plus
/// the fenced blocks' `// path:a-b` headers (token = the block's body).
fn citations(md: &str) -> (Vec<Citation>, Vec<(Citation, String)>) {
    let mut inline = Vec::new();
    let mut at = 0;
    while let Some(i) = md[at..].find("(`") {
        let open = at + i;
        at = open + 2;
        let Some(close) = md[at..].find("`)") else {
            break;
        };
        let inner = &md[at..at + close];
        let Some((file, range)) = parse_citation(inner) else {
            continue;
        };
        let before = md[..open].trim_end();
        let token = if let Some(stripped) = before.strip_suffix('`') {
            let start = stripped.rfind('`').expect("opening backtick");
            stripped[start + 1..].to_string()
        } else {
            // Prose (a doc sentence): its first word must be in the range.
            let line_start = before.rfind(['|', '\n']).map_or(0, |p| p + 1);
            // Markdown escapes (`\``) are not in the source.
            before[line_start..]
                .split_whitespace()
                .next()
                .unwrap_or("")
                .replace('\\', "")
                .trim_matches(['`', '*', '_', '[', ']', '(', ')', ',', '.'])
                .to_string()
        };
        inline.push(Citation {
            token,
            file,
            start: range.0,
            end: range.1,
        });
    }
    let mut blocks = Vec::new();
    let lines: Vec<&str> = md.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with("```") && lines[i].len() > 3 && !lines[i].contains("mermaid") {
            let fence: String = lines[i].chars().take_while(|c| *c == '`').collect();
            let header = lines[i + 1]
                .strip_prefix("// ")
                .expect("block starts with // path:range");
            let (file, range) = parse_citation(header).expect("block header is a citation");
            let mut j = i + 2;
            let mut body = Vec::new();
            while lines[j] != fence {
                body.push(lines[j]);
                j += 1;
            }
            blocks.push((
                Citation {
                    token: String::new(),
                    file,
                    start: range.0,
                    end: range.1,
                },
                body.join("\n"),
            ));
            i = j;
        }
        i += 1;
    }
    (inline, blocks)
}

fn parse_citation(s: &str) -> Option<(String, (usize, usize))> {
    let (file, range) = s.rsplit_once(':')?;
    if file.contains(' ') || !file.contains('.') {
        return None;
    }
    let (a, b) = match range.split_once('-') {
        Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
        None => {
            let a = range.parse().ok()?;
            (a, a)
        }
    };
    Some((file.to_string(), (a, b)))
}

/// The bar: each cited range exists and contains the name before it (its
/// last path segment, without sigils); each block is the file's lines verbatim.
fn assert_citations_point_at_names(root: &Path, md: &str) -> usize {
    let (inline, blocks) = citations(md);
    assert!(!inline.is_empty(), "no citations found");
    for c in &inline {
        let text = std::fs::read_to_string(root.join(&c.file))
            .unwrap_or_else(|e| panic!("{}: {e}", c.file));
        let lines: Vec<&str> = text.split('\n').collect();
        assert!(
            c.start >= 1 && c.start <= c.end && c.end <= lines.len(),
            "{c:?} is not a range of the file"
        );
        let range = lines[c.start - 1..c.end].join("\n");
        let name = c
            .token
            .rsplit(['.', '/', ':'])
            .find(|s| !s.is_empty())
            .unwrap_or(&c.token)
            .trim_matches(['-', '!', '"', '`']);
        let name = name.strip_prefix("r#").unwrap_or(name);
        assert!(!name.is_empty(), "{c:?} has no name before it");
        let found = range.contains(name) || range.contains(&name.replace('-', "_"));
        assert!(
            found,
            "{}:{}-{} does not contain {name:?} (token {:?}):\n{range}",
            c.file, c.start, c.end, c.token
        );
    }
    for (c, body) in &blocks {
        let text = std::fs::read_to_string(root.join(&c.file)).expect("cited file");
        let lines: Vec<&str> = text.split('\n').collect();
        let want = lines[c.start - 1..c.end].join("\n");
        // Whole lines, except a function's last line, cut before its body.
        assert!(
            want.starts_with(body.as_str()),
            "block {}:{}-{} is not verbatim:\n{body}\n---\n{want}",
            c.file,
            c.start,
            c.end
        );
        assert_eq!(
            body.lines().count(),
            c.end - c.start + 1,
            "block {}:{} line count",
            c.file,
            c.start
        );
    }
    inline.len() + blocks.len()
}

/// Parse as CommonMark with GFM tables: no raw HTML, every table row has the
/// header's cell count, fenced blocks closed and tagged.
fn assert_valid_markdown(md: &str) {
    let mut cells = 0usize;
    let mut header_cells = 0usize;
    let mut in_head = false;
    let mut fenced = 0usize;
    let mut headings = 0usize;
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match ev {
            Event::Html(h) | Event::InlineHtml(h) => panic!("raw HTML in the report: {h:?}"),
            Event::Start(Tag::TableHead) => {
                in_head = true;
                header_cells = 0;
            }
            Event::End(TagEnd::TableHead) => in_head = false,
            Event::Start(Tag::TableRow) => cells = 0,
            Event::Start(Tag::TableCell) if in_head => header_cells += 1,
            Event::Start(Tag::TableCell) => cells += 1,
            Event::End(TagEnd::TableRow) => {
                assert_eq!(cells, header_cells, "a table row has the wrong cell count")
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(tag))) => {
                assert!(!tag.is_empty(), "untagged fence");
                fenced += 1;
            }
            Event::Start(Tag::Heading { .. }) => headings += 1,
            _ => {}
        }
    }
    let fences = md.lines().filter(|l| l.starts_with("```")).count();
    assert_eq!(fences, fenced * 2, "every fence opens and closes one block");
    assert!(headings >= 2);
}

const SECTIONS: &[&str] = &[
    "## Appendix: Repository Recon",
    "### 1. Top-level packages and responsibilities",
    "### 2. Core data structures and interfaces",
    "### 3. Key invariants and assumptions",
    "### 4. Current module boundaries",
    "### 5. Architectural constraints",
    "### Open uncertainties",
    "## Frozen Interfaces",
];

fn assert_sections_in_order(md: &str) {
    let mut at = 0;
    for s in SECTIONS {
        let i = md[at..]
            .find(s)
            .unwrap_or_else(|| panic!("missing or out of order: {s}"));
        at += i + s.len();
    }
}

#[test]
fn go_report_snapshot_and_bar() {
    let (tmp, md) = report("go/recon", &[]);
    assert_sections_in_order(&md);
    assert_valid_markdown(&md);
    let n = assert_citations_point_at_names(tmp.path(), &md);
    assert!(n > 30, "only {n} citations");
    // Facts the Go fixture is built to show.
    for want in [
        "implementors (*inferred* from method names and arity): `DB`",
        "`internal/` boundary: `example.com/recon/internal/codec`",
        "`Register` (`store/mem/mem.go:7`)",
        "`db` (`cmd/tool/main.go:15`)",
        "`out` (`cmd/tool/main.go:19`)",
        "generated files (edit their generator, not them): `internal/gen/gen.go`",
        "`INV` (`store/store.go:13`)",
        "`go:build` (`internal/codec/codec_linux.go:1`)",
        "```mermaid",
    ] {
        assert!(md.contains(want), "missing {want:?}");
    }
    insta::assert_snapshot!("go_recon_report", normalized(&tmp, &md));
}

#[test]
fn rust_report_snapshot_and_bar() {
    let (tmp, md) = report("rust/recon", &[]);
    assert_sections_in_order(&md);
    assert_valid_markdown(&md);
    assert_citations_point_at_names(tmp.path(), &md);
    for want in [
        "implementors (`impl` blocks): `MemStore` (`core/src/store.rs:20-30`)",
        "- 2 packages: `recon_core::codec`, `recon_core::store`",
        "`SAFETY` (`core/src/store.rs:26`)",
        "`verbose` (`cli/src/main.rs:14-15`)",
        "`Id` (`core/src/lib.rs:45`) in `items!`",
        "`PAGE` (`core/src/lib.rs:37`)",
    ] {
        assert!(md.contains(want), "missing {want:?}");
    }
    insta::assert_snapshot!("rust_recon_report", normalized(&tmp, &md));
}

#[test]
fn output_is_deterministic_across_runs_and_threads() {
    for fixture in ["go/recon", "rust/recon"] {
        let tmp = copy_fixture(fixture);
        let dir = tmp.path().to_str().expect("utf-8");
        let a = run(&[dir, "-j", "1"]).stdout;
        let b = run(&[dir, "-j", "4"]).stdout;
        let c = run(&[dir, "-j", "4"]).stdout;
        assert_eq!(a, b, "{fixture}: thread count changed the report");
        assert_eq!(b, c, "{fixture}: two runs differ");
    }
}

#[test]
fn sections_pick_what_is_printed() {
    let (_t, recon) = report("go/recon", &["--section", "recon"]);
    assert!(
        recon.contains("## Appendix: Repository Recon") && !recon.contains("## Frozen Interfaces")
    );
    let (_t, frozen) = report("go/recon", &["--section", "frozen"]);
    assert!(!frozen.contains("## Appendix") && frozen.contains("## Frozen Interfaces"));
    assert!(
        frozen.contains("# Repository Recon:"),
        "the header is always printed"
    );
}

#[test]
fn top_limits_lists_and_points_at_the_rest() {
    let (tmp, md) = report("rust/recon", &["--top", "1"]);
    assert!(
        md.contains("+4 more types (raise `--top`, or see every item in `--format json`)."),
        "{md}"
    );
    assert!(md.contains("- +2 more invariant comments (raise `--top`)."));
    assert_valid_markdown(&md);
    assert_citations_point_at_names(tmp.path(), &md);
}

#[test]
fn focus_keeps_named_packages_and_direct_neighbours() {
    let (tmp, md) = report("go/recon", &["--focus", "mem"]);
    assert!(md.contains("Focus: `example.com/recon/cmd/tool`, `example.com/recon/store`, `example.com/recon/store/mem`"), "{md}");
    assert!(
        !md.contains("| `example.com/recon/broken`"),
        "broken is not a neighbour of mem"
    );
    assert!(
        !md.contains("| `example.com/recon/internal/codec` |"),
        "codec is two steps away"
    );
    assert_citations_point_at_names(tmp.path(), &md);
    let out = run(&[tmp.path().to_str().expect("utf-8"), "--focus", "nosuch"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--focus \"nosuch\" matches no package"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one-line error: {err}");
}

#[test]
fn existing_fixtures_pass_the_bar() {
    for fixture in ["go/module", "rust/workspace"] {
        let (tmp, md) = report(fixture, &["--include-tests"]);
        assert_valid_markdown(&md);
        assert_citations_point_at_names(tmp.path(), &md);
    }
}

/// `PLANRECON_CORPUS=/work/corpus/bbolt cargo test --test report -- --ignored`
/// checks the bar on a real repository.
#[test]
#[ignore = "needs PLANRECON_CORPUS pointing at a repository"]
fn corpus_passes_the_bar() {
    let Ok(dirs) = std::env::var("PLANRECON_CORPUS") else {
        return;
    };
    for dir in dirs.split(':') {
        let out = run(&[dir]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let md = String::from_utf8(out.stdout).expect("utf-8");
        assert_valid_markdown(&md);
        let n = assert_citations_point_at_names(Path::new(dir), &md);
        eprintln!("{dir}: {n} citations hold");
    }
}

//! Checks of rendered Markdown shared by the report and map tests: every
//! citation points at the name written before it, fenced declarations are
//! verbatim, and the text is valid CommonMark (with GFM tables).

use std::path::Path;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

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
            assert!(
                lines[i + 1].starts_with("// "),
                "block starts with // path:range"
            );
            // One block may hold several declarations, each headed by its own
            // `// path:a-b` and followed by exactly its lines; other lines
            // between them (`impl Type {`, `}`) are the report's own.
            let mut j = i + 1;
            while lines[j] != fence {
                let header = lines[j].strip_prefix("// ").and_then(parse_citation);
                let Some((file, range)) = header else {
                    j += 1;
                    continue;
                };
                let n = range.1 - range.0 + 1;
                let body: Vec<&str> = lines[j + 1..]
                    .iter()
                    .take(n)
                    .take_while(|l| **l != fence)
                    .copied()
                    .collect();
                j += 1 + body.len();
                blocks.push((
                    Citation {
                        token: String::new(),
                        file,
                        start: range.0,
                        end: range.1,
                    },
                    body.join("\n"),
                ));
            }
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
pub fn assert_citations_point_at_names(root: &Path, md: &str) -> usize {
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
pub fn assert_valid_markdown(md: &str) {
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

//! Reads a Markdown plan and collects every code citation in it, with the
//! exact byte ranges of its path and line numbers (so `check --fix` can
//! rewrite those bytes and nothing else) and the symbol it names.
//!
//! The Markdown structure comes from pulldown-cmark (CommonMark + tables):
//! citations are looked for in prose text and inline code only, plus the
//! `// path:start-end` header line of fenced code blocks ("frozen" blocks).
//! Other fenced or indented code is never scanned: it is code, not prose.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use regex::Regex;

/// Extensions that make an unresolved `name.ext:line` a citation of a missing
/// file rather than some other dotted word (`example.com:443`).
pub(crate) const SOURCE_EXTENSIONS: &[&str] = &[
    "c", "cc", "cpp", "go", "h", "hpp", "java", "js", "json", "md", "mod", "proto", "py", "rs",
    "s", "sh", "sum", "toml", "ts", "txt", "yaml", "yml",
];

/// `path` or `path:12`, `path:12-20`, `path:12,40,57` (ranges may use an en dash).
static CITATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)
        (?P<path>(?:[A-Za-z0-9_.\-]+/)*[A-Za-z0-9_\-][A-Za-z0-9_.\-]*\.[A-Za-z][A-Za-z0-9]*)
        (?: :(?P<lines>[0-9]+(?:[-–][0-9]+)?(?:,[\x20]?[0-9]+(?:[-–][0-9]+)?)*) )?",
    )
    .expect("the citation pattern compiles")
});

/// One number or range inside the lines part of a citation.
static LINE_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<a>[0-9]+)(?:(?P<sep>[-–])(?P<b>[0-9]+))?").expect("the line pattern compiles")
});

/// The header of a frozen block: `// path:start-end` (or `#`, `--` comments).
static FROZEN_HEADER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?://|#|--)\s*(?P<cite>\S+:[0-9]+(?:[-–][0-9]+)?)\s*$")
        .expect("the header pattern compiles")
});

/// A line number in prose: `line 220`, `lines 224-227`, `(lines 503–570)`,
/// `around line 1544`, `after line 1633`, `line ~60`, `Line ~91`.
static PROSE_LINES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b[Ll]ines?(?:\s+~?|\s*~)(?P<a>[0-9]+)(?:\s?(?P<sep>[-–])\s?(?P<b>[0-9]+))?\b")
        .expect("the prose line pattern compiles")
});

/// `in FILE` / `of FILE` right after a prose line number names its file.
static IN_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s+(?:in|of)\s+`?(?P<path>(?:[A-Za-z0-9_.\-]+/)*[A-Za-z0-9_\-][A-Za-z0-9_.\-]*\.[A-Za-z][A-Za-z0-9]*)")
        .expect("the in-file pattern compiles")
});

/// `as of <sha>` anywhere in the plan's prose or inline code.
static AS_OF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\bas of\s+(?:commit\s+)?`?(?P<rev>[0-9a-f]{7,40})\b")
        .expect("the as-of pattern compiles")
});

/// The lines a citation names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lines {
    /// A path alone.
    None,
    /// One line: `path:12`, or one number of `path:12,40,57`.
    One(u32),
    /// An inclusive range: `path:12-20`.
    Range(u32, u32),
}

/// A symbol named next to a citation (`` `Store.Get` ``) or declared in a frozen block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SymbolRef {
    pub name: String,
    /// The qualifier (`Store` in `Store.Get`), a preference, not a filter:
    /// it may be a package name.
    pub parent: Option<String>,
    /// A Rust module named before a type's member (`cache` in
    /// `crate::cache::Store::get`): the member's module must go by it.
    pub module: Option<String>,
}

/// A fenced code block headed by a citation: the declarations it freezes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Frozen {
    /// The fence's info string (`go`, `rust`), possibly empty.
    pub info: String,
    /// The block's text after the header line.
    pub body: String,
}

/// One citation of a file, as written in the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Citation {
    /// 1-based line of the plan the citation starts on.
    pub line: usize,
    /// The citation as written (for a list element: its path and its number).
    pub text: String,
    /// The path as written.
    pub path: String,
    /// Bytes of the path in the plan.
    pub path_span: Range<usize>,
    pub lines: Lines,
    /// Bytes of the number or range in the plan.
    pub lines_span: Option<Range<usize>>,
    /// The range separator as written (`-` or `–`).
    pub range_sep: String,
    /// One number of `path:12,40,57`: its path is shared, so never rewritten alone.
    pub in_list: bool,
    /// Inside inline code or a frozen block header.
    pub in_code: bool,
    /// A prose line number (`line 220`) whose file comes from the text
    /// around it: its path is not in the plan, so it is never rewritten.
    pub path_from_context: bool,
    /// For `path_from_context`: the files named before `path`, most recent
    /// first (the checker takes the first one the repository has).
    pub context: Vec<String>,
    pub symbol: Option<SymbolRef>,
    pub frozen: Option<Frozen>,
}

/// Everything `check` needs from one plan.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    /// Citations in the order they are written.
    pub citations: Vec<Citation>,
    /// The commit the plan says it was written at (`as of <sha>`).
    pub as_of: Option<String>,
    /// Every path with a directory the plan mentions, in order: a bare file
    /// name that matches several files means the one the plan spells out.
    pub mentioned: Vec<String>,
}

/// A run of prose or one inline code span, by its bytes in the plan.
struct Segment {
    range: Range<usize>,
    code: bool,
    /// Inside a heading: a heading starts a new context for prose line numbers.
    heading: bool,
}

/// Parse `src` as Markdown and collect its citations.
pub(crate) fn collect(src: &str) -> Plan {
    let line_starts = line_starts(src);
    let line_of = |at: usize| line_starts.partition_point(|&s| s <= at);
    let mut segments: Vec<Segment> = Vec::new();
    let mut frozen: Vec<Citation> = Vec::new();
    // The fenced block being read: its info string, first byte and text.
    let mut block: Option<(String, Option<usize>, String)> = None;
    let mut in_heading = false;
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    for (event, range) in Parser::new_ext(src, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                block = Some((info, None, String::new()));
            }
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::End(TagEnd::CodeBlock) => {
                if let Some((info, Some(start), text)) = block.take() {
                    frozen.extend(frozen_block(src, start, &info, &text, &line_of));
                }
                block = None;
            }
            Event::Text(t) => match &mut block {
                Some((_, start, text)) => {
                    start.get_or_insert(range.start);
                    text.push_str(&t);
                }
                None => match segments.last_mut() {
                    Some(last)
                        if !last.code
                            && last.heading == in_heading
                            && last.range.end == range.start =>
                    {
                        last.range.end = range.end
                    }
                    _ => segments.push(Segment {
                        range,
                        code: false,
                        heading: in_heading,
                    }),
                },
            },
            Event::Code(_) => segments.push(Segment {
                range,
                code: true,
                heading: in_heading,
            }),
            _ => {}
        }
    }
    // `as of` and its commit may be split between prose and a code span
    // (planrecon's own header: As of `<sha>`): read the whole line.
    let as_of = segments.iter().find_map(|s| {
        let from = src[..s.range.start].rfind('\n').map_or(0, |i| i + 1);
        let to = src[s.range.end..]
            .find('\n')
            .map_or(src.len(), |i| s.range.end + i);
        AS_OF.captures(&src[from..to]).map(|c| c["rev"].to_string())
    });
    let mut groups: Vec<Vec<Citation>> = Vec::new();
    for seg in &segments {
        groups.extend(scan_segment(src, seg, &line_of));
    }
    groups.extend(prose_lines(src, &segments, &line_of));
    groups.sort_by_key(|g| {
        g.first().map_or(0, |c| {
            c.lines_span
                .as_ref()
                .map_or(c.path_span.start, |l| l.start.min(c.path_span.start))
        })
    });
    name_symbols(src, &segments, &mut groups, &line_of);
    let mut mentioned: Vec<String> = Vec::new();
    for seg in &segments {
        for m in CITATION.captures_iter(&src[seg.range.clone()]) {
            let p = m["path"].trim_start_matches("./").to_string();
            if p.contains('/') && !mentioned.contains(&p) {
                mentioned.push(p);
            }
        }
    }
    let mut citations: Vec<Citation> = groups.into_iter().flatten().chain(frozen).collect();
    citations.sort_by_key(|c| {
        c.lines_span
            .as_ref()
            .map_or(c.path_span.start, |l| l.start.min(c.path_span.start))
    });
    Plan {
        citations,
        as_of,
        mentioned,
    }
}

/// Line numbers written in prose (`line 220`, `(lines 224-227)`), tied to
/// their file: `in FILE` right after them, else the nearest file named
/// before them on the same line, else the last file named before them since
/// the last heading (the heading itself included: "In `sim/kv/cache.go`:",
/// a task's "Files:" line, a section titled by the file).
fn prose_lines(
    src: &str,
    segments: &[Segment],
    line_of: &impl Fn(usize) -> usize,
) -> Vec<Vec<Citation>> {
    let mut out = Vec::new();
    // The files named so far, most recent last; reset when a heading starts.
    let mut context: Vec<String> = Vec::new();
    for (si, seg) in segments.iter().enumerate() {
        let continues_heading = si > 0 && segments[si - 1].heading;
        if seg.heading && !continues_heading {
            context.clear();
        }
        let text = &src[seg.range.clone()];
        // Mentions and prose numbers of this segment, in order.
        let mut events: Vec<(usize, Option<String>, Option<regex::Captures>)> = Vec::new();
        for m in CITATION.captures_iter(text) {
            let Some(w) = m.get(0) else { continue };
            let path = m["path"].trim_start_matches("./");
            let ext = path.rsplit('.').next().unwrap_or("");
            // `ctx.open_url` is a call, not a file.
            let next = text[w.end()..].chars().next();
            if SOURCE_EXTENSIONS.contains(&ext) && !next.is_some_and(|c| c == '_' || c == '(') {
                events.push((w.start(), Some(path.to_string()), None));
            }
        }
        if !seg.code {
            for m in PROSE_LINES.captures_iter(text) {
                if let Some(w) = m.get(0) {
                    events.push((w.start(), None, Some(m)));
                }
            }
        }
        events.sort_by_key(|e| e.0);
        for (at, path, caps) in events {
            let start = seg.range.start + at;
            if let Some(p) = path {
                context.retain(|q| *q != p);
                context.push(p);
                continue;
            }
            let Some(m) = caps else { continue };
            let Some(whole) = m.get(0) else { continue };
            // `src/x.go:12` already cited these numbers.
            if src[..start].ends_with(':') {
                continue;
            }
            let after = &text[whole.end()..];
            let in_file = IN_FILE.captures(after).map(|c| c["path"].to_string());
            let Some(path) = in_file.clone().or_else(|| context.last().cloned()) else {
                continue;
            };
            let alternatives: Vec<String> = if in_file.is_some() {
                Vec::new()
            } else {
                context.iter().rev().skip(1).take(4).cloned().collect()
            };
            let a: u32 = m["a"].parse().unwrap_or(u32::MAX);
            let b: Option<u32> = m.name("b").map(|b| b.as_str().parse().unwrap_or(u32::MAX));
            let Some(num) = m.get(0).map(|w| {
                let s = w.as_str();
                let digits = s.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
                start + digits..start + s.len()
            }) else {
                continue;
            };
            out.push(vec![Citation {
                line: line_of(start),
                text: whole.as_str().to_string(),
                path,
                path_span: num.start..num.start,
                lines: match b {
                    Some(b) => Lines::Range(a, b),
                    None => Lines::One(a),
                },
                lines_span: Some(num),
                range_sep: m.name("sep").map_or("-", |s| s.as_str()).to_string(),
                in_list: false,
                in_code: seg.code,
                path_from_context: true,
                context: alternatives,
                symbol: None,
                frozen: None,
            }]);
        }
    }
    out
}

/// Byte offset of the start of every line.
fn line_starts(src: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(
            src.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect()
}

/// The citations of one segment; a comma list is one group.
fn scan_segment(src: &str, seg: &Segment, line_of: &impl Fn(usize) -> usize) -> Vec<Vec<Citation>> {
    let text = &src[seg.range.clone()];
    let mut out = Vec::new();
    for m in CITATION.captures_iter(text) {
        let Some(whole) = m.get(0) else { continue };
        let start = seg.range.start + whole.start();
        // Part of a URL, an e-mail address or a longer word: not a citation.
        if let Some(prev) = src[..start].chars().next_back() {
            if prev.is_alphanumeric() || matches!(prev, '/' | ':' | '@' | '.' | '_' | '-' | '\\') {
                continue;
            }
        }
        let path = &m["path"];
        let path_span = start..start + path.len();
        let Some(lines) = m.name("lines") else {
            // A path alone counts only when it is a path (has a directory).
            if path.contains('/') && !path.starts_with("//") {
                out.push(vec![Citation {
                    line: line_of(start),
                    text: path.to_string(),
                    path: path.to_string(),
                    path_span,
                    lines: Lines::None,
                    lines_span: None,
                    range_sep: "-".to_string(),
                    in_list: false,
                    in_code: seg.code,
                    path_from_context: false,
                    context: Vec::new(),
                    symbol: None,
                    frozen: None,
                }]);
            }
            continue;
        };
        let items: Vec<_> = LINE_ITEM.captures_iter(lines.as_str()).collect();
        let in_list = items.len() > 1;
        let mut group = Vec::new();
        for item in items {
            let Some(all) = item.get(0) else { continue };
            // A number too large for a line is past any file's end.
            let a: u32 = item["a"].parse().unwrap_or(u32::MAX);
            let b: Option<u32> = item
                .name("b")
                .map(|b| b.as_str().parse().unwrap_or(u32::MAX));
            let lines_start = seg.range.start + lines.start() + all.start();
            group.push(Citation {
                line: line_of(start),
                text: format!("{path}:{}", all.as_str()),
                path: path.to_string(),
                path_span: path_span.clone(),
                lines: match b {
                    Some(b) => Lines::Range(a, b),
                    None => Lines::One(a),
                },
                lines_span: Some(lines_start..lines_start + all.len()),
                range_sep: item.name("sep").map_or("-", |s| s.as_str()).to_string(),
                in_list,
                in_code: seg.code,
                path_from_context: false,
                context: Vec::new(),
                symbol: None,
                frozen: None,
            });
        }
        out.push(group);
    }
    out
}

/// A fenced block whose first line is `// path:start-end` becomes a frozen citation.
fn frozen_block(
    src: &str,
    start: usize,
    info: &str,
    text: &str,
    line_of: &impl Fn(usize) -> usize,
) -> Option<Citation> {
    let (first, body) = text.split_once('\n').unwrap_or((text, ""));
    let cite = FROZEN_HEADER.captures(first)?.name("cite")?;
    // The block's text may have lost indentation (a block in a list item):
    // find the header's bytes in the source from the block's first byte.
    let at = start + src.get(start..)?.find(cite.as_str())?;
    let group = scan_segment(
        src,
        &Segment {
            range: at..at + cite.len(),
            code: true,
            heading: false,
        },
        line_of,
    );
    let mut c = group.into_iter().next()?.into_iter().next()?;
    if c.in_list {
        return None;
    }
    c.frozen = Some(Frozen {
        info: info.trim().to_string(),
        body: body.to_string(),
    });
    Some(c)
}

/// Give each citation the nearest backticked identifier on its plan line,
/// looking between the previous and the next citation of that line:
/// the nearest one before the citation, else (for the last citation of the
/// line) the nearest one after it.
fn name_symbols(
    src: &str,
    segments: &[Segment],
    groups: &mut [Vec<Citation>],
    line_of: &impl Fn(usize) -> usize,
) {
    let extent = |g: &[Citation]| {
        let start = g.first().map_or(0, |c| c.path_span.start);
        let end = g
            .iter()
            .filter_map(|c| c.lines_span.as_ref().map(|l| l.end))
            .max()
            .unwrap_or(start);
        let end = g.first().map_or(end, |c| end.max(c.path_span.end));
        start..end
    };
    let extents: Vec<Range<usize>> = groups.iter().map(|g| extent(g)).collect();
    for (i, group) in groups.iter_mut().enumerate() {
        let Some(first) = group.first() else { continue };
        let line = first.line;
        let here = &extents[i];
        let lo = extents[..i]
            .iter()
            .rev()
            .find(|e| line_of(e.start) == line)
            .map_or(0, |e| e.end);
        let hi = extents[i + 1..]
            .iter()
            .find(|e| line_of(e.start) == line)
            .map_or(usize::MAX, |e| e.start);
        let on_line = |s: &&Segment| {
            s.code && line_of(s.range.start) == line && s.range.start >= lo && s.range.end <= hi
        };
        let symbol_of = |s: &Segment| -> Option<(usize, SymbolRef)> {
            // A code span holding the citation itself names no symbol.
            if s.range.start <= here.start && here.end <= s.range.end {
                return None;
            }
            let inner = src[s.range.clone()].trim_matches('`');
            parse_symbol(inner).map(|sym| (s.range.start, sym))
        };
        let before = segments
            .iter()
            .filter(on_line)
            .filter(|s| s.range.end <= here.start)
            .filter_map(symbol_of)
            .last();
        // A span after the citation belongs to the next citation of the
        // line, if there is one.
        let after = || {
            (hi == usize::MAX)
                .then(|| {
                    segments
                        .iter()
                        .filter(on_line)
                        .filter(|s| s.range.start >= here.end)
                        .find_map(symbol_of)
                })
                .flatten()
        };
        // A bare identifier in parentheses right after the citation names it:
        // `cache.go:104-122` (removeFromFreeList).
        let paren = || {
            let rest = src.get(here.end..)?.trim_start_matches('`').trim_start();
            let inner = rest.strip_prefix('(')?;
            let close = inner.find(')')?;
            let word = &inner[..close];
            (is_identifier(word) && !NOT_SYMBOLS.contains(&word) && !DECL_KEYWORDS.contains(&word))
                .then(|| SymbolRef {
                    name: word.to_string(),
                    parent: None,
                    module: None,
                })
        };
        // `planrecon refs` text: `path:line: kind crate::path::Name…`.
        let refs_line = || {
            let rest = src.get(here.end..)?.strip_prefix(": ")?;
            let (kind, rest) = rest.split_once(' ')?;
            if !kind.chars().all(|c| c.is_ascii_lowercase()) {
                return None;
            }
            let name = rest.split([' ', ':']).find(|w| !w.is_empty())?;
            let name = rest
                .split_once(": ")
                .map_or(name, |(head, _)| head.split(' ').next().unwrap_or(name));
            // A Go symbol is `import/path.Name`: the package is the last segment.
            parse_symbol(name.rsplit('/').next().unwrap_or(name))
        };
        let symbol = paren()
            .or_else(|| before.or_else(after).map(|(_, s)| s))
            .or_else(refs_line);
        for c in group.iter_mut() {
            c.symbol = symbol.clone();
        }
    }
}

/// Words that are never the symbol a citation names.
const NOT_SYMBOLS: &[&str] = &[
    "nil", "true", "false", "None", "Some", "Ok", "Err", "self", "Self", "error", "string", "int",
    "bool", "byte", "str", "u8", "u32", "u64", "usize", "i32", "i64", "any", "ctx", "err",
];

/// Declaration keywords that may precede a symbol's name in inline code.
const DECL_KEYWORDS: &[&str] = &[
    "pub",
    "pub(crate)",
    "pub(super)",
    "func",
    "fn",
    "type",
    "struct",
    "enum",
    "trait",
    "interface",
    "const",
    "var",
    "static",
    "mod",
    "impl",
    "async",
    "unsafe",
    "union",
];

/// The symbol an inline code span names: `Name`, `Store.Get`, `(*Store).Get`,
/// `Store::get`, `func (s *Store) Get(…)`, `pub fn get(…)`, `Get()`.
pub(crate) fn parse_symbol(code: &str) -> Option<SymbolRef> {
    let mut s = code.trim();
    // A Go import path names its package: `github.com/spf13/cobra` → `cobra`.
    if let Some((host, rest)) = s.split_once('/') {
        let last = rest.rsplit('/').next().unwrap_or(rest);
        if host.contains('.')
            && !s.contains(char::is_whitespace)
            && is_identifier(&last.replace('-', "_"))
        {
            return Some(SymbolRef {
                name: last.to_string(),
                parent: None,
                module: None,
            });
        }
        return None;
    }
    let mut had_keyword = false;
    while let Some((word, rest)) = s.split_once(char::is_whitespace) {
        if !DECL_KEYWORDS.contains(&word) {
            break;
        }
        s = rest.trim_start();
        had_keyword = true;
    }
    let (parent, rest) = if let Some(inner) = s.strip_prefix('(') {
        // A Go receiver: `(s *Store) Get` or `(*Store).Get`.
        let close = inner.find(')')?;
        let recv = inner[..close].split_whitespace().last()?;
        let base = recv.trim_start_matches(['*', '&']);
        let base = base.split(['[', '<']).next().unwrap_or(base);
        (
            Some(base.to_string()),
            inner[close + 1..].trim_start().trim_start_matches('.'),
        )
    } else {
        (None, s)
    };
    let path_len = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == ':'))
        .unwrap_or(rest.len());
    let (path, tail) = rest.split_at(path_len);
    let path = path.trim_end_matches([':', '.']);
    // A statement names its first path (`kvc.UsedBlockCnt++`, `x := f()`);
    // a Go field line (`x map[string]int`) names the field.
    let statement = ["++", "--", " =", " :=", " +=", " -=", "=", ":=", ";"]
        .iter()
        .any(|op| tail.starts_with(op));
    let field_line = !had_keyword
        && !path.contains(['.', ':'])
        && tail.starts_with(' ')
        && tail.split_whitespace().count() == 1
        && tail
            .trim_start()
            .starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '*' | '['));
    let tail_ok = tail.is_empty()
        || tail.starts_with(['(', '<', '[', '{', '!'])
        || statement
        || field_line
        || (had_keyword && tail.starts_with(char::is_whitespace));
    if !tail_ok || path.is_empty() {
        return None;
    }
    let segments: Vec<&str> = path.split("::").flat_map(|p| p.split('.')).collect();
    if !segments.iter().all(|s| is_identifier(s)) {
        return None;
    }
    // `svc.op.count`, `server.http.port`: a dotted key (a span, metric or
    // config name), not `object.member`.
    if !path.contains("::")
        && segments.len() >= 3
        && segments
            .iter()
            .all(|s| !s.chars().any(|c| c.is_ascii_uppercase()))
    {
        return None;
    }
    let name = (*segments.last()?).to_string();
    let parent = parent.or_else(|| {
        segments
            .len()
            .checked_sub(2)
            .map(|i| segments[i].to_string())
    });
    if NOT_SYMBOLS.contains(&name.as_str()) || DECL_KEYWORDS.contains(&name.as_str()) {
        return None;
    }
    // `crate::cache::Store::get`: the module before a capitalised owner.
    let module = (path.contains("::") && segments.len() >= 3)
        .then(|| segments[segments.len() - 3])
        .filter(|m| {
            !matches!(*m, "crate" | "self" | "super")
                && parent
                    .as_deref()
                    .is_some_and(|p| p.starts_with(|c: char| c.is_ascii_uppercase()))
        })
        .map(str::to_string);
    Some(SymbolRef {
        name,
        parent,
        module,
    })
}

/// An identifier of Go or Rust (ASCII; `r#` raw identifiers not needed in prose).
fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `line text lines symbol` per citation, compactly.
    fn project(src: &str) -> Vec<String> {
        collect(src)
            .citations
            .iter()
            .map(|c| {
                let sym = c
                    .symbol
                    .as_ref()
                    .map_or(String::new(), |s| match &s.parent {
                        Some(p) => format!(" `{p}.{}`", s.name),
                        None => format!(" `{}`", s.name),
                    });
                let frozen = if c.frozen.is_some() { " frozen" } else { "" };
                let code = if c.in_code { " code" } else { "" };
                let list = if c.in_list { " list" } else { "" };
                format!(
                    "{} {} {:?}{sym}{frozen}{code}{list}",
                    c.line, c.text, c.lines
                )
            })
            .collect()
    }

    #[test]
    fn collects_every_form() {
        let src = "# Plan\n\nWritten as of 1234abcd.\n\n\
            - `Open` (`db/db.go:10-20`) opens it.\n\
            - see kv_store.go:13 and store.go:12,40,57\n\n\
            | Symbol | Where |\n|---|---|\n| `Store.Get` | store/store.go:30-41 |\n\n\
            ```go\n// store/store.go:5-9\ntype Store interface {}\n```\n\n\
            ```sh\n# not/frozen.go:3 is code, not prose\necho main.go:4\n```\n";
        let plan = collect(src);
        assert_eq!(plan.as_of.as_deref(), Some("1234abcd"));
        assert_eq!(
            project(src),
            [
                "5 db/db.go:10-20 Range(10, 20) `Open` code",
                "6 kv_store.go:13 One(13)",
                "6 store.go:12 One(12) list",
                "6 store.go:40 One(40) list",
                "6 store.go:57 One(57) list",
                "10 store/store.go:30-41 Range(30, 41) `Store.Get`",
                "13 store/store.go:5-9 Range(5, 9) frozen code",
            ]
        );
        let frozen = plan
            .citations
            .last()
            .and_then(|c| c.frozen.clone())
            .expect("frozen");
        assert_eq!(frozen.info, "go");
        assert_eq!(frozen.body, "type Store interface {}\n");
    }

    #[test]
    fn spans_are_the_exact_bytes() {
        let src = "See `a/b.go:3–9` and x.rs:7,8.\n";
        let plan = collect(src);
        let c = &plan.citations[0];
        assert_eq!(&src[c.path_span.clone()], "a/b.go");
        assert_eq!(&src[c.lines_span.clone().expect("lines")], "3–9");
        assert_eq!(c.range_sep, "–");
        let c = &plan.citations[2];
        assert_eq!(&src[c.lines_span.clone().expect("lines")], "8");
    }

    #[test]
    fn urls_and_words_are_not_citations() {
        let src = "Visit https://github.com/a/b/blob/main/x.go or mail me@host.go:1, run `go test ./...`.\n";
        assert!(project(src).is_empty(), "{:?}", project(src));
    }

    #[test]
    fn the_nearest_symbol_before_wins_within_its_window() {
        let src = "| `Get` | a.go:1 | `Put` | a.go:2 |\n|---|---|---|---|\n\nthen b.go:3 `After` and `fn helper()`\n";
        assert_eq!(
            project(src),
            [
                "1 a.go:1 One(1) `Get`",
                "1 a.go:2 One(2) `Put`",
                "4 b.go:3 One(3) `After`"
            ]
        );
    }

    #[test]
    fn prose_line_numbers_take_their_file_from_the_text() {
        let src = "# Plan\n\n### Task 1\n\n\
            In `sim/kv/cache.go`:\n\n\
            1. Update `commitCachedBlocks` comment (line 424-436).\n\
            2. Replace the pre-check at lines 219-223 and around line 1544, line ~60.\n\
            3. See lines 74-83 in store/mem.go; `ctx.open_url` (line 63) is a call.\n\n\
            ### Task 2\n\n\
            Nothing named here: line 12 has no file, and lines1 is a word.\n";
        assert_eq!(
            project(src),
            [
                "5 sim/kv/cache.go Lines::None code".replace("Lines::None", "None"),
                "7 line 424-436 Range(424, 436) `commitCachedBlocks`".to_string(),
                "8 lines 219-223 Range(219, 223)".to_string(),
                "8 line 1544 One(1544)".to_string(),
                "8 line ~60 One(60)".to_string(),
                "9 lines 74-83 Range(74, 83)".to_string(),
                "9 store/mem.go None".to_string(),
                "9 line 63 One(63) `ctx.open_url`".to_string(),
            ]
        );
        let plan = collect(src);
        let paths: Vec<&str> = plan.citations.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sim/kv/cache.go",
                "sim/kv/cache.go",
                "sim/kv/cache.go",
                "sim/kv/cache.go",
                "sim/kv/cache.go",
                "store/mem.go",
                "store/mem.go",
                "store/mem.go"
            ]
        );
        assert!(plan.citations[1..6].iter().all(|c| c.path_from_context));
        assert!(!plan.citations[6].path_from_context);
        // The bytes --fix may rewrite are the numbers, never a path.
        let c = &plan.citations[1];
        assert_eq!(&src[c.lines_span.clone().expect("lines")], "424-436");
        assert!(c.path_span.is_empty());
    }

    #[test]
    fn names_in_parentheses_statements_and_refs_lines() {
        let src = "- `sim/kv/cache.go:104-122` (removeFromFreeList), `cache.go:251` (cached block commit) — remove `kvc.UsedBlockCnt++`\n\
            - field `x map[string]int` at a.go:3 and the key `svc.op.count` at b.go:4\n\n\
            src/config.rs:138: type fd::config::Config: impl Config {\n\n\
            cmd/main.go:31: type example.com/recon/store.Store in save: func save(s store.Store) error {\n";
        assert_eq!(
            project(src),
            [
                "1 sim/kv/cache.go:104-122 Range(104, 122) `removeFromFreeList` code",
                "1 cache.go:251 One(251) `kvc.UsedBlockCnt` code",
                "2 a.go:3 One(3) `x`",
                "2 b.go:4 One(4)",
                "4 src/config.rs:138 One(138) `config.Config`",
                "6 cmd/main.go:31 One(31) `store.Store`",
                // Not a file: `check` finds it in no tree and says nothing.
                "6 example.com/recon/store.Store None",
            ]
        );
    }

    #[test]
    fn as_of_may_put_its_commit_in_code() {
        assert_eq!(
            collect("# Recon\n\nAs of `0123456789abcdef0123`.\n")
                .as_of
                .as_deref(),
            Some("0123456789abcdef0123")
        );
    }

    #[test]
    fn symbols_from_inline_code() {
        let p = |s: &str| parse_symbol(s).map(|s| format!("{:?}.{}", s.parent, s.name));
        assert_eq!(p("Store"), Some("None.Store".into()));
        assert_eq!(p("Store.Get"), Some("Some(\"Store\").Get".into()));
        assert_eq!(p("(*Store).Get"), Some("Some(\"Store\").Get".into()));
        assert_eq!(
            p("func (s *Store[K]) Get(k K) error"),
            Some("Some(\"Store\").Get".into())
        );
        assert_eq!(
            p("crate::engine::Engine::tick"),
            Some("Some(\"Engine\").tick".into())
        );
        let module = |s: &str| parse_symbol(s).and_then(|s| s.module);
        assert_eq!(module("crate::cache::Store::get"), Some("cache".into()));
        assert_eq!(module("kvcore::cache::Store"), None);
        assert_eq!(module("crate::Store::get"), None);
        assert_eq!(module("super::store::Store::get"), Some("store".into()));
        assert_eq!(p("pub fn run(&mut self)"), Some("None.run".into()));
        assert_eq!(p("type Store interface"), Some("None.Store".into()));
        assert_eq!(p("Engine<J>"), Some("None.Engine".into()));
        assert_eq!(p("go test ./..."), None);
        assert_eq!(p("nil"), None);
        assert_eq!(p("--fix"), None);
        assert_eq!(p("a/b.go"), None);
    }
}

//! Markdown text helpers shared by the report and the map (code spans,
//! fences, escaping, table cells, first sentences of docs) and the Go
//! signature readers the report uses (results, arity). Pure string work.

use crate::model::{Inventory, Item};
use crate::scan::lang::{lang_by_name, PackageRule};

/// Whether `i` is a program's entry point: Go `func main` of package `main`;
/// Rust `fn main` at the root of a crate (binary targets).
pub(crate) fn is_entry_point(inv: &Inventory, i: &Item) -> bool {
    if i.name != "main"
        || i.parent.is_some()
        || !i.namespace.is_empty()
        || !matches!(i.kind.as_str(), "func" | "fn")
        // A Cargo build script runs at build time; it is no entry point of the product.
        || i.file == "build.rs"
        || i.file.ends_with("/build.rs")
    {
        return false;
    }
    inv.packages.iter().any(|p| {
        p.path == i.package
            && match lang_by_name(&p.language).map(|l| l.packages) {
                Some(PackageRule::Directory) => p.name == "main",
                Some(PackageRule::ModuleTree) => p.crate_name.as_deref() == Some(p.path.as_str()),
                None => false,
            }
    })
}

/// The last segment of a package path, for compact names.
pub(crate) fn short(pkg: &str) -> &str {
    pkg.rsplit(['/', ':']).next().unwrap_or(pkg)
}

/// First sentence of a doc comment and how many doc lines it spans.
pub(crate) fn first_sentence(doc: &str) -> (String, u32) {
    let mut sentence = String::new();
    let mut lines = 0u32;
    for line in doc.lines() {
        lines += 1;
        let line = line.trim();
        if line.is_empty() {
            break;
        }
        if !sentence.is_empty() {
            sentence.push(' ');
        }
        if let Some(end) = sentence_end(line) {
            sentence.push_str(&line[..end]);
            break;
        }
        sentence.push_str(line);
    }
    (sentence.trim().to_string(), lines.max(1))
}

pub(crate) fn sentence_end(line: &str) -> Option<usize> {
    let b = line.as_bytes();
    let abbreviation = |i: usize| ["e.g", "i.e"].iter().any(|a| line[..i].ends_with(a));
    (0..b.len())
        .find(|&i| b[i] == b'.' && (i + 1 == b.len() || b[i + 1] == b' ') && !abbreviation(i))
        .map(|i| i + 1)
}

/// Parameter and result counts of a Go signature tail `(a, b int) (x, error)`.
pub(crate) fn arity(sig: &str) -> (usize, usize) {
    let groups = paren_groups(sig);
    let params = groups.first().map_or(0, |g| count_list(g));
    let results = match groups.get(1) {
        Some(g) => count_list(g),
        None => {
            // A single unparenthesized result: anything after the params.
            let after = sig.rfind(')').map_or("", |i| sig[i + 1..].trim());
            usize::from(!after.is_empty())
        }
    };
    (params, results)
}

/// The part of a method signature after its name: `func (r *T) Get(k string) error` → `(k string) error`.
pub(crate) fn method_tail<'s>(sig: &'s str, name: &str) -> &'s str {
    let needle = format!("{name}(");
    sig.find(&needle).map_or(sig, |i| &sig[i + name.len()..])
}

/// Results of a Go function signature: the text after the parameter list.
pub(crate) fn results(sig: &str) -> &str {
    let mut depth = 0i32;
    let open = sig.find('(').unwrap_or(sig.len());
    // Skip a receiver: `func (r *T) Name(...)`.
    let start = if sig[..open].trim() == "func" {
        sig[open..].find(')').map_or(open, |i| open + i + 1)
    } else {
        0
    };
    for (i, c) in sig[start..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &sig[start + i + 1..];
                }
            }
            _ => {}
        }
    }
    ""
}

/// Top-level parenthesized groups' contents.
pub(crate) fn paren_groups(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '(' => {
                if depth == 0 {
                    start = i + 1;
                }
                depth += 1;
            }
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    out.push(&s[start..i]);
                }
            }
            _ => {}
        }
    }
    out
}

pub(crate) fn count_list(s: &str) -> usize {
    if s.trim().is_empty() {
        return 0;
    }
    let mut depth = 0i32;
    let mut n = 1;
    for c in s.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' if depth == 0 => n += 1,
            _ => {}
        }
    }
    n
}

/// The base name of a Go function's first result: `(*DB, error)` → `DB`.
pub(crate) fn first_result(sig: &str) -> &str {
    let r = results(sig).trim();
    let r = r.strip_prefix('(').unwrap_or(r);
    let end = r.find([',', ')']).unwrap_or(r.len());
    let t = r[..end].trim();
    // A named result: `(db *DB, err error)`.
    let t = t.rsplit(' ').next().unwrap_or(t);
    let t = t.trim_start_matches('*');
    t.split('[').next().unwrap_or(t)
}

/// `1 field`, `2 fields`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Inline code that survives any backticks in `s`.
pub(crate) fn code(s: &str) -> String {
    let s = s.replace('\n', " ");
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    if longest == 0 {
        return format!("`{s}`");
    }
    let ticks = "`".repeat(longest + 1);
    format!("{ticks} {s} {ticks}")
}

/// A fence longer than any backtick run in the text.
pub(crate) fn fence_for(text: &str) -> String {
    let mut longest = 0;
    for line in text.lines() {
        let t = line.trim_start();
        let run = t.chars().take_while(|c| *c == '`').count();
        longest = longest.max(run);
    }
    "`".repeat(longest.max(2) + 1)
}

/// Escape Markdown punctuation in prose.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A table cell: pipes escaped (GFM splits cells on `|`, even in code spans).
pub(crate) fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev = ' ';
    for c in s.chars() {
        if c == '|' && prev != '\\' {
            out.push('\\');
        }
        out.push(c);
        prev = c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arity_counts_params_and_results() {
        assert_eq!(arity("(key string) ([]byte, error)"), (1, 2));
        assert_eq!(arity("(a, b int) error"), (2, 1));
        assert_eq!(arity("()"), (0, 0));
        assert_eq!(arity("(f func(int, int) bool) (n int)"), (1, 1));
    }

    #[test]
    fn results_skip_receiver_and_params() {
        assert_eq!(
            results("func (db *DB) Get(k string) (*Tx, error)").trim(),
            "(*Tx, error)"
        );
        assert_eq!(
            results("func Open(p string) (*DB, error)").trim(),
            "(*DB, error)"
        );
    }

    #[test]
    fn first_results() {
        assert_eq!(first_result("func Open(p string) (*DB, error)"), "DB");
        assert_eq!(first_result("func New() *List[T]"), "List");
        assert_eq!(first_result("func (t *T) F() (db *DB, err error)"), "DB");
        assert_eq!(first_result("func F()"), "");
    }

    #[test]
    fn code_spans_survive_backticks() {
        assert_eq!(code("a"), "`a`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(fence_for("x\n```y"), "````");
    }

    #[test]
    fn first_sentences() {
        assert_eq!(
            first_sentence("Package a does b. More."),
            ("Package a does b.".into(), 1)
        );
        assert_eq!(
            first_sentence("Package a\ndoes e.g. b.\n\nMore"),
            ("Package a does e.g. b.".into(), 2)
        );
    }
}

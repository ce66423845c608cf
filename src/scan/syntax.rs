//! Text and syntax-tree helpers shared by `extract`, `facts` and the later
//! stages that read declaration text: a node's source, whitespace collapsing,
//! a type's base name, attribute tests. Imports nothing of the crate.

use tree_sitter::Node;

/// `cfg` predicates nested deeper than this are not read (taken as not
/// test-only): the recursion in `cfg_implies_test` must not overflow on hostile input.
const MAX_CFG_DEPTH: u32 = 32;

pub(crate) fn node_text<'s>(node: Node, src: &'s [u8]) -> &'s str {
    std::str::from_utf8(&src[node.start_byte()..node.end_byte()]).unwrap_or("")
}

/// Whether an attribute's text (`#[name …]`) names `name`.
pub(crate) fn attribute_is(attr: &str, name: &str) -> bool {
    let inner = attr
        .trim_start_matches("#[")
        .trim_start_matches("#![")
        .trim_start();
    inner.strip_prefix(name).is_some_and(|rest| {
        rest.is_empty() || rest.starts_with(|c: char| !(c.is_alphanumeric() || c == '_'))
    })
}

/// An attribute that compiles its item only for tests: `#[cfg(test)]` (see
/// [`is_cfg_test`]), `#[test]`, `#[tokio::test]` and other `…::test` forms.
pub(crate) fn is_test_attribute(attr: &str) -> bool {
    is_cfg_test(attr) || attribute_is(attr, "test") || attr.ends_with("::test]")
}

/// `#[cfg(test)]`, `#[cfg(all(test, …))]`, `#[cfg(any(test, …))]` when every
/// branch implies test (the same rule as rustc's own reading of `cfg`).
pub(crate) fn is_cfg_test(attr: &str) -> bool {
    let compact: String = attr.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(inner) = compact
        .strip_prefix("#[cfg(")
        .and_then(|r| r.strip_suffix(")]"))
    else {
        return false;
    };
    cfg_implies_test(inner, 0)
}

pub(crate) fn cfg_implies_test(expr: &str, depth: u32) -> bool {
    if expr == "test" {
        return true;
    }
    if depth >= MAX_CFG_DEPTH {
        return false;
    }
    let (op, args) = match expr.find('(') {
        Some(i) if expr.ends_with(')') => (&expr[..i], &expr[i + 1..expr.len() - 1]),
        _ => return false,
    };
    let parts = split_top_level(args);
    match op {
        "all" => parts.iter().any(|p| cfg_implies_test(p, depth + 1)),
        "any" => !parts.is_empty() && parts.iter().all(|p| cfg_implies_test(p, depth + 1)),
        _ => false,
    }
}

pub(crate) fn split_top_level(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0usize);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < s.len() {
        out.push(&s[start..]);
    }
    out.retain(|p| !p.is_empty());
    out
}

/// The last identifier of a type: `*pkg.List[T]` → `List`, `&'a mut Box<Foo>` → `Box`,
/// `dyn Trait + Send` → `Trait`, `r#type` → `type`. Slices and tuples stay as written.
pub(crate) fn base_type_name(text: &str) -> String {
    let mut s = text.trim();
    loop {
        let before = s;
        for prefix in ["*", "&", "!", "mut ", "dyn ", "impl ", "const "] {
            // `!` alone is the never type, not a negative bound.
            if let Some(rest) = s.strip_prefix(prefix).filter(|r| !r.trim().is_empty()) {
                s = rest.trim_start();
            }
        }
        if let Some(rest) = s.strip_prefix('\'') {
            // a lifetime: `'a T`
            s = rest
                .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_')
                .trim_start();
        }
        if s.len() > 2 && s.starts_with('(') && s.ends_with(')') && !s.contains(',') {
            s = s[1..s.len() - 1].trim();
        }
        if s == before {
            break;
        }
    }
    if s.starts_with('[') || s.starts_with('(') || s.starts_with("fn(") || s.starts_with("fn (") {
        return token_spaced(s);
    }
    let end = s
        .find(|c: char| c == '<' || c == '[' || c == '+' || c.is_whitespace())
        .unwrap_or(s.len());
    let path = &s[..end];
    let last = path.rsplit("::").next().unwrap_or(path);
    let last = last.rsplit('.').next().unwrap_or(last);
    clean_name(last)
}

/// A non-path type as syn prints it: tokens separated by one space, none
/// just inside brackets (`(& str , u16)`, `[u8 ; 4]`), so names agree with
/// compiler-grade listers.
pub(crate) fn token_spaced(s: &str) -> String {
    let mut tokens: Vec<String> = Vec::new();
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric()
            || c == '_'
            || (c == '\'' && i + 1 < chars.len() && chars[i + 1].is_alphabetic())
        {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if let Some(op) = ["::", "->", "=>"]
            .iter()
            .find(|op| chars[i..].starts_with(&op.chars().collect::<Vec<_>>()))
        {
            tokens.push((*op).to_string());
            i += 2;
        } else {
            tokens.push(c.to_string());
            i += 1;
        }
    }
    let mut out = String::new();
    for t in tokens {
        if (t == ")" || t == "]") && out.ends_with(',') {
            out.pop(); // syn drops a trailing comma: `(T,)` prints as `(T )`
        }
        let glue = out.is_empty() || out.ends_with(['(', '[']) || t == ")" || t == "]";
        if !glue {
            out.push(' ');
        }
        out.push_str(&t);
    }
    out
}

pub(crate) fn clean_name(name: &str) -> String {
    name.strip_prefix("r#").unwrap_or(name).to_string()
}

/// Collapse every whitespace run to one space and trim.
pub(crate) fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

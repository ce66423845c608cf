//! Signature text normalized for API comparison: what a caller or implementor
//! depends on, without what it does not (parameter and receiver names, Rust
//! visibility prefixes, `interface{}` versus `any`, Go struct tags).
//!
//! Works on the collapsed signature text of `model::Item` and `model::Member`
//! with a small bracket-aware scanner; it never needs the code to compile.

use std::collections::BTreeMap;

/// Go words that start a type, never a parameter name.
const GO_TYPE_WORDS: &[&str] = &["chan", "func", "map", "struct", "interface"];

/// The comparable form of a declaration's signature (`kind` is the item or
/// member kind). Two signatures that differ only in parameter names, in Rust
/// visibility or a trailing `;` normalize the same.
pub(crate) fn normalize(lang: &str, kind: &str, sig: &str) -> String {
    let tidied = tidy(lang, sig);
    let sig = tidied.as_str();
    match (lang, kind) {
        ("go", "func" | "method" | "interface_method") => go_any(&go_func(sig)),
        ("go", _) => go_any(sig.trim()),
        ("rust", "fn" | "method") => rust_fn(&rust_paths(sig)),
        ("rust", "struct") => opaque_tuple(&rust_paths(
            strip_rust_vis(sig.trim()).trim_end_matches(';').trim_end(),
        )),
        (_, _) => rust_paths(strip_rust_vis(sig.trim()).trim_end_matches(';').trim_end()),
    }
}

/// Modules of the standard library a path may start from without a `use`
/// the import scan saw (`fmt::Result` → `std::fmt::Result`).
const STD_MODULES: &[&str] = &[
    "alloc",
    "any",
    "borrow",
    "boxed",
    "cell",
    "cmp",
    "collections",
    "convert",
    "env",
    "error",
    "ffi",
    "fmt",
    "fs",
    "future",
    "hash",
    "io",
    "iter",
    "marker",
    "mem",
    "net",
    "num",
    "ops",
    "os",
    "path",
    "pin",
    "process",
    "ptr",
    "rc",
    "slice",
    "str",
    "string",
    "sync",
    "task",
    "thread",
    "time",
    "vec",
];

/// Rust paths spelled differently for the same item: `std::fmt::Result`,
/// `core::fmt::Result` and `fmt::Result` (all `std::fmt::Result`), `crate::X`
/// and `X`, `Formatter<'_>` and `Formatter`.
fn rust_paths(s: &str) -> String {
    const ROOTS: &[(&str, &str)] = &[
        ("::std::", "std::"),
        ("::core::", "std::"),
        ("::alloc::", "std::"),
        ("std::", "std::"),
        ("core::", "std::"),
        ("alloc::", "std::"),
        ("crate::", ""),
        ("self::", ""),
    ];
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let b = s.as_bytes();
    while i < s.len() {
        let at_start =
            i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b':');
        if at_start {
            if let Some((r, to)) = ROOTS.iter().find(|(r, _)| s[i..].starts_with(*r)) {
                out.push_str(to);
                i += r.len();
                continue;
            }
            let word_end = s[i..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .map_or(s.len(), |e| i + e);
            if s[word_end..].starts_with("::") && STD_MODULES.contains(&&s[i..word_end]) {
                out.push_str("std::");
            }
        }
        let c = s[i..].chars().next().unwrap_or(' ');
        out.push(c);
        i += c.len_utf8();
    }
    out.replace("<'_>", "")
        .replace("'_, ", "")
        .replace("&'_ ", "&")
}

/// A tuple struct with a private field is opaque outside its module: its
/// field list is not interface (`struct S(u8, Inner)` → `struct S`).
fn opaque_tuple(s: &str) -> String {
    let Some(open) = s.find('(') else {
        return s.to_string();
    };
    let Some(close) = matching(s, open, true) else {
        return s.to_string();
    };
    let fields = split_top(&s[open + 1..close], ',', true);
    if fields
        .iter()
        .map(|f| f.trim())
        .filter(|f| !f.is_empty())
        .all(|f| f.starts_with("pub"))
    {
        return s.to_string();
    }
    format!("{}{}", s[..open].trim_end(), &s[close + 1..])
}

/// Rust: every path written in `sig` rewritten by `resolve` (given the whole
/// path as written, `cmp::Ordering`, it returns the full path of what it
/// names, or `None` to keep it), so `Ordering` with `use std::cmp::Ordering`
/// and `cmp::Ordering` with `use std::cmp` compare equal. The first
/// occurrence of the declaration's own name (`own`) is its name, never
/// rewritten; lifetimes, fields and later path segments are never looked up.
pub(crate) fn canonical_paths(
    sig: &str,
    own: &str,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(sig.len());
    let mut i = 0;
    let mut named = false;
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    while i < sig.len() {
        let c = sig[i..].chars().next().unwrap_or(' ');
        if c.is_alphabetic() || c == '_' {
            // The whole path: `a::b::C` (segments of identifiers).
            let mut end = sig[i..]
                .find(|c: char| !ident(c))
                .map_or(sig.len(), |e| i + e);
            while sig[end..].starts_with("::")
                && sig[end + 2..].starts_with(|c: char| c.is_alphabetic() || c == '_')
            {
                end = sig[end + 2..]
                    .find(|c: char| !ident(c))
                    .map_or(sig.len(), |e| end + 2 + e);
            }
            let path = &sig[i..end];
            let before = &sig[..i];
            let continues_path =
                before.ends_with("::") || before.ends_with('\'') || before.ends_with('.');
            if path == own && !named {
                named = true;
                out.push_str(path);
            } else if continues_path {
                out.push_str(path);
            } else {
                match resolve(path) {
                    Some(full) => out.push_str(&full),
                    None => out.push_str(path),
                }
            }
            i = end;
            continue;
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// A resolver for [`canonical_paths`] from one file's imports (local name →
/// full path): the first segment of a path is replaced by what it imports.
#[cfg(test)]
fn imports_resolver(imports: &BTreeMap<String, String>) -> impl Fn(&str) -> Option<String> + '_ {
    move |path: &str| {
        let (first, rest) = path.split_once("::").map_or((path, ""), |(f, r)| (f, r));
        let full = imports.get(first)?;
        Some(if rest.is_empty() {
            full.clone()
        } else {
            format!("{full}::{rest}")
        })
    }
}

/// A Go or Rust value declaration (`const`, `var`, `static`) split into its
/// typed head and its value: `const X: u8 = 1;` → (`const X: u8`, `1`).
pub(crate) fn split_value(lang: &str, sig: &str) -> (String, String) {
    let owned;
    let s = if lang == "rust" {
        owned = rust_paths(strip_rust_vis(&tidy(lang, sig)).trim_end_matches(';'));
        owned.as_str()
    } else {
        sig.trim()
    };
    match find_top(s, '=', lang == "rust") {
        Some(eq) => (go_any(s[..eq].trim()), s[eq + 1..].trim().to_string()),
        None => (go_any(s.trim()), String::new()),
    }
}

/// A Go field's type and tag: `ID, Customer string \`json:"id"\`` with member
/// `ID` → (`string`, `json:"id"`); an embedded field is its own type.
pub(crate) fn go_field(sig: &str, name: &str) -> (String, String) {
    let mut s = sig.trim();
    let mut tag = "";
    if s.ends_with('`') {
        if let Some(open) = s[..s.len() - 1].rfind('`') {
            tag = &s[open..];
            s = s[..open].trim_end();
        }
    }
    let tag = tag.trim_matches('`').to_string();
    // A leading list of names (`a, b T`) that contains the member's name.
    let mut rest = s;
    let mut names = Vec::new();
    loop {
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if end == 0 {
            break;
        }
        names.push(&rest[..end]);
        let after = rest[end..].trim_start();
        match after.strip_prefix(',') {
            Some(more) => rest = more.trim_start(),
            None => {
                rest = &rest[end..];
                break;
            }
        }
    }
    if names.contains(&name) && rest.starts_with(char::is_whitespace) && !rest.trim().is_empty() {
        (go_any(rest.trim()), tag)
    } else {
        (go_any(s), tag)
    }
}

/// A Rust field's type: `pub(crate) ticks: u64` → `u64`.
pub(crate) fn rust_field(sig: &str) -> String {
    let s = rust_paths(strip_rust_vis(&tidy("rust", sig)));
    match find_top_colon(&s) {
        Some(c) => s[c + 1..].trim().to_string(),
        None => s,
    }
}

/// Whether a Rust trait item has a default: a method with a body, an
/// associated type or const with `= …`.
pub(crate) fn rust_trait_item_has_default(kind: &str, sig: &str) -> bool {
    let s = sig.trim();
    match kind {
        "method" | "fn" => !s.ends_with(';'),
        _ => find_top(s, '=', true).is_some(),
    }
}

/// `interface{}` is `any` since Go 1.18; rewriting one to the other changes nothing.
fn go_any(s: &str) -> String {
    s.replace("interface{}", "any")
}

/// `func (r *T) Name[P any](a, b int) (n int, err error)` → `func (*T) Name[P any](int, int) (int, error)`.
fn go_func(sig: &str) -> String {
    let s = sig.trim();
    let (mut out, mut rest) = match s.strip_prefix("func") {
        Some(r) if r.starts_with([' ', '(']) => ("func".to_string(), r.trim_start()),
        _ => (String::new(), s),
    };
    if !out.is_empty() && rest.starts_with('(') {
        let Some(end) = matching(rest, 0, false) else {
            return s.to_string();
        };
        out.push_str(&format!(" ({})", go_params(&rest[1..end])));
        rest = rest[end + 1..].trim_start();
    }
    let name_end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(&rest[..name_end]);
    rest = &rest[name_end..];
    if rest.starts_with('[') {
        let Some(end) = matching(rest, 0, false) else {
            return s.to_string();
        };
        out.push_str(&rest[..=end]);
        rest = &rest[end + 1..];
    }
    let rest = rest.trim_start();
    if !rest.starts_with('(') {
        return s.to_string();
    }
    let Some(end) = matching(rest, 0, false) else {
        return s.to_string();
    };
    out.push_str(&format!("({})", go_params(&rest[1..end])));
    let results = rest[end + 1..].trim();
    if results.starts_with('(') {
        if let Some(rend) = matching(results, 0, false) {
            let types = go_param_types(&results[1..rend]);
            match types.len() {
                0 => {}
                1 => out.push_str(&format!(" {}", types[0])),
                _ => out.push_str(&format!(" ({})", types.join(", "))),
            }
            out.push_str(&results[rend + 1..]);
            return out;
        }
    }
    if !results.is_empty() {
        out.push(' ');
        out.push_str(results);
    }
    out
}

fn go_params(list: &str) -> String {
    go_param_types(list).join(", ")
}

/// The types of a Go parameter list, one per parameter (`a, b int` → `int, int`).
fn go_param_types(list: &str) -> Vec<String> {
    let entries: Vec<&str> = split_top(list, ',', false)
        .into_iter()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .collect();
    let named_split = |e: &str| -> Option<(String, String)> {
        let ws = e.find(char::is_whitespace)?;
        let (first, rest) = (&e[..ws], e[ws..].trim());
        let is_name = first.chars().all(|c| c.is_alphanumeric() || c == '_')
            && !first.is_empty()
            && !GO_TYPE_WORDS.contains(&first);
        is_name.then(|| (first.to_string(), rest.to_string()))
    };
    let named = entries.iter().any(|e| named_split(e).is_some());
    if !named {
        return entries.iter().map(|e| e.to_string()).collect();
    }
    let mut out = Vec::new();
    let mut pending = 0usize;
    for e in entries {
        match named_split(e) {
            Some((_, ty)) => {
                for _ in 0..=pending {
                    out.push(ty.clone());
                }
                pending = 0;
            }
            None => pending += 1,
        }
    }
    out
}

/// `pub(crate) async fn f<T>(&mut self, mut x: T, (a, b): (u8, u8)) -> R;` →
/// `async fn f<T>(&mut self, T, (u8, u8)) -> R`.
fn rust_fn(sig: &str) -> String {
    let s = strip_rust_vis(sig.trim()).trim_end_matches(';').trim_end();
    let Some(fn_at) = find_word(s, "fn") else {
        return s.to_string();
    };
    let head = &s[..fn_at];
    let rest = s[fn_at + 2..].trim_start();
    let name_end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let name = &rest[..name_end];
    let mut rest = &rest[name_end..];
    let mut generics = "";
    if rest.starts_with('<') {
        let Some(end) = matching(rest, 0, true) else {
            return s.to_string();
        };
        generics = &rest[..=end];
        rest = &rest[end + 1..];
    }
    let rest = rest.trim_start();
    if !rest.starts_with('(') {
        return s.to_string();
    }
    let Some(end) = matching(rest, 0, true) else {
        return s.to_string();
    };
    let params: Vec<String> = split_top(&rest[1..end], ',', true)
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| match find_top_colon(p) {
            Some(c) => {
                let pat = p[..c].trim();
                let ty = p[c + 1..].trim();
                if pat == "self" || pat == "mut self" {
                    format!("self: {ty}")
                } else {
                    ty.to_string()
                }
            }
            None => p.strip_prefix("mut ").unwrap_or(p).to_string(),
        })
        .collect();
    let (generics, tail) = rust_bounds(generics, &rest[end + 1..]);
    format!("{head}fn {name}{generics}({}){tail}", params.join(", "))
}

/// Bounds written inline (`<Q: ?Sized>`) or in a `where` clause are the
/// same bounds: gather them per parameter, sorted, into one `where`.
fn rust_bounds(generics: &str, tail: &str) -> (String, String) {
    let (ret, clause) = match find_word(tail, "where") {
        Some(w) => (tail[..w].trim_end(), tail[w + 5..].trim()),
        None => (tail.trim_end(), ""),
    };
    if generics.is_empty() && clause.is_empty() {
        return (String::new(), tail.to_string());
    }
    let mut names: Vec<String> = Vec::new();
    let mut bounds: Vec<(String, Vec<String>)> = Vec::new();
    let add = |lhs: &str, rhs: &str, bounds: &mut Vec<(String, Vec<String>)>| {
        let lhs = lhs.trim().to_string();
        let slot = match bounds.iter().position(|(l, _)| *l == lhs) {
            Some(k) => k,
            None => {
                bounds.push((lhs, Vec::new()));
                bounds.len() - 1
            }
        };
        for b in split_top(rhs, '+', true)
            .into_iter()
            .map(str::trim)
            .filter(|b| !b.is_empty())
        {
            bounds[slot].1.push(b.to_string());
        }
    };
    let inner = generics
        .strip_prefix('<')
        .and_then(|g| g.strip_suffix('>'))
        .unwrap_or("");
    for p in split_top(inner, ',', true)
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        match find_top_colon(p) {
            Some(c) if !p.starts_with("const ") => {
                names.push(p[..c].trim().to_string());
                add(&p[..c], &p[c + 1..], &mut bounds);
            }
            _ => names.push(p.to_string()),
        }
    }
    for w in split_top(clause, ',', true)
        .into_iter()
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        match find_top_colon(w) {
            Some(c) => add(&w[..c], &w[c + 1..], &mut bounds),
            None => add(w, "", &mut bounds),
        }
    }
    let generics = if names.is_empty() {
        String::new()
    } else {
        format!("<{}>", names.join(", "))
    };
    let mut clauses: Vec<String> = bounds
        .into_iter()
        .filter(|(_, b)| !b.is_empty())
        .map(|(l, mut b)| {
            b.sort();
            b.dedup();
            format!("{l}: {}", b.join(" + "))
        })
        .collect();
    clauses.sort();
    let tail = if clauses.is_empty() {
        ret.to_string()
    } else {
        format!("{ret} where {}", clauses.join(", "))
    };
    (generics, tail)
}

/// Drop a leading Rust visibility (`pub`, `pub(…)`, `crate`).
fn strip_rust_vis(s: &str) -> &str {
    if let Some(r) = s.strip_prefix("pub") {
        let r2 = r.trim_start();
        if r2.starts_with('(') {
            if let Some(end) = matching(r2, 0, false) {
                return r2[end + 1..].trim_start();
            }
        }
        if r.starts_with(char::is_whitespace) {
            return r.trim_start();
        }
    }
    if let Some(r) = s.strip_prefix("crate ") {
        return r.trim_start();
    }
    s
}

/// Byte offset of `word` as a whole word at bracket depth 0.
fn find_word(s: &str, word: &str) -> Option<usize> {
    let b = s.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut from = 0;
    while let Some(i) = s[from..].find(word).map(|i| i + from) {
        let before = i == 0 || !ident(b[i - 1]);
        let after = i + word.len() >= b.len() || !ident(b[i + word.len()]);
        if before && after {
            return Some(i);
        }
        from = i + word.len();
    }
    None
}

/// Walk `s` calling `f(byte index, char, depth)` outside string literals;
/// brackets `()[]{}` (and `<>` when `angle`) nest. `->`/`=>` do not close.
fn scan(s: &str, angle: bool, mut f: impl FnMut(usize, char, i32) -> bool) {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut prev = '\0';
    for (i, c) in s.char_indices() {
        if let Some(q) = quote {
            if c == q && prev != '\\' {
                quote = None;
            }
            prev = if prev == '\\' { '\0' } else { c };
            continue;
        }
        match c {
            '"' | '`' => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            '<' if angle => depth += 1,
            '>' if angle && prev != '-' && prev != '=' => depth -= 1,
            _ => {}
        }
        if !f(i, c, depth) {
            return;
        }
        prev = c;
    }
}

/// Index of the bracket closing the one at `open`.
fn matching(s: &str, open: usize, angle: bool) -> Option<usize> {
    let mut found = None;
    scan(&s[open..], angle, |i, _, depth| {
        if depth == 0 {
            found = Some(open + i);
            return false;
        }
        true
    });
    found
}

/// Pieces of `s` between top-level `sep`s.
fn split_top(s: &str, sep: char, angle: bool) -> Vec<&str> {
    let mut cuts = Vec::new();
    scan(s, angle, |i, c, depth| {
        if c == sep && depth == 0 {
            cuts.push(i);
        }
        true
    });
    let mut out = Vec::new();
    let mut start = 0;
    for c in cuts {
        out.push(&s[start..c]);
        start = c + sep.len_utf8();
    }
    out.push(&s[start..]);
    out
}

/// First top-level `c` (a lone `=`, not `==`, `=>`, `<=`, `>=`, `!=`).
fn find_top(s: &str, c: char, angle: bool) -> Option<usize> {
    let b = s.as_bytes();
    let mut found = None;
    scan(s, angle, |i, ch, depth| {
        if ch == c && depth == 0 {
            let prev = if i > 0 { b[i - 1] } else { 0 };
            let next = b.get(i + 1).copied().unwrap_or(0);
            if c != '='
                || !(matches!(prev, b'=' | b'<' | b'>' | b'!') || matches!(next, b'=' | b'>'))
            {
                found = Some(i);
                return false;
            }
        }
        true
    });
    found
}

/// First top-level `:` that is not part of `::`.
fn find_top_colon(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let mut found = None;
    scan(s, true, |i, ch, depth| {
        if ch == ':' && depth == 0 && b.get(i + 1) != Some(&b':') && (i == 0 || b[i - 1] != b':') {
            found = Some(i);
            return false;
        }
        true
    });
    found
}

// ------------------------------------------------------------ tokens

/// The lexical tokens of a signature: paths (`a::b::C`, Go `pkg.T`),
/// lifetimes, numbers, string and char literals, and punctuation (`->`, `=>`,
/// `::`, `..`, `...`, Go `<-`, else one character). Comments and whitespace
/// are dropped.
/// Each with whether whitespace or a comment came before it.
fn lex<'s>(lang: &str, s: &'s str) -> Vec<(&'s str, bool)> {
    let b = s.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80;
    let mut out = Vec::new();
    let mut i = 0;
    let mut gap = false;
    while i < b.len() {
        let c = b[i];
        let start = i;
        if c.is_ascii_whitespace() {
            i += 1;
            gap = true;
            continue;
        }
        if s[i..].starts_with("//") {
            i = s[i..].find('\n').map_or(b.len(), |e| i + e);
            gap = true;
            continue;
        }
        if s[i..].starts_with("/*") {
            i = s[i + 2..].find("*/").map_or(b.len(), |e| i + 2 + e + 2);
            gap = true;
            continue;
        }
        if c == b'"' || c == b'`' {
            i += 1;
            while i < b.len() && b[i] != c {
                i += if b[i] == b'\\' && c == b'"' { 2 } else { 1 };
            }
            i = (i + 1).min(b.len());
        } else if lang == "rust" && (s[i..].starts_with("r\"") || s[i..].starts_with("r#")) {
            let hashes = s[i + 1..].bytes().take_while(|&h| h == b'#').count();
            let close = format!("\"{}", "#".repeat(hashes));
            let body = i + 1 + hashes + 1;
            i = s
                .get(body..)
                .and_then(|r| r.find(&close))
                .map_or(b.len(), |e| body + e + close.len());
        } else if c == b'\'' {
            // A char literal (`'a'`, `'\n'`) or a lifetime (`'a`).
            let rest = &s[i + 1..];
            let ch_len = rest.chars().next().map_or(0, char::len_utf8);
            if let Some(escaped) = rest.strip_prefix('\\') {
                i += 1 + escaped.find('\'').map_or(rest.len(), |e| e + 2);
            } else if rest[ch_len..].starts_with('\'') {
                i += 1 + ch_len + 1;
            } else {
                i += 1;
                while i < b.len() && ident(b[i]) {
                    i += 1;
                }
            }
        } else if ident(c) || (s[i..].starts_with("::") && b.get(i + 2).is_some_and(|&d| ident(d)))
        {
            if c == b':' {
                i += 2;
            }
            loop {
                while i < b.len() && ident(b[i]) {
                    i += 1;
                }
                let sep = if lang == "go" { "." } else { "::" };
                if s[i..].starts_with(sep) && b.get(i + sep.len()).is_some_and(|&d| ident(d)) {
                    i += sep.len();
                } else {
                    break;
                }
            }
        } else {
            let multi: &[&str] = if lang == "go" {
                &["...", "<-", "::"]
            } else {
                &["...", "..=", "..", "->", "=>", "::"]
            };
            i += multi.iter().find(|m| s[i..].starts_with(**m)).map_or_else(
                || s[i..].chars().next().map_or(1, char::len_utf8),
                |m| m.len(),
            );
        }
        out.push((&s[start..i.min(b.len())], gap));
        gap = false;
    }
    out
}

fn wordish(t: &str) -> bool {
    t.starts_with(|c: char| c.is_alphanumeric() || matches!(c, '_' | '\'' | '"' | '`'))
}

/// Whether canonical layout puts a space between `p` and `t`; `had` says
/// whether the source did, which decides where layout tools agree on none
/// (`&'a [T]`, `func (s *T)`, `ids []string`).
fn spaced(lang: &str, p: &str, t: &str, had: bool) -> bool {
    if matches!(p, "," | ";" | "->" | "=>" | "=" | "+") || (lang == "rust" && p == ":") {
        return true;
    }
    if matches!(t, "->" | "=>" | "=" | "+") {
        return true;
    }
    if matches!(p, "(" | "[" | "<" | "::") || matches!(t, ")" | "]" | ">" | "," | ";" | "::") {
        return false;
    }
    if lang == "rust" && t == ":" {
        return false;
    }
    if t.starts_with("::") {
        return false;
    }
    (wordish(p) && wordish(t)) || had
}

/// Tokens written back with the spacing each carries.
fn join_lexed(toks: &[(&str, bool)]) -> String {
    let mut out = String::new();
    for (k, (t, space)) in toks.iter().enumerate() {
        if k > 0 && *space {
            out.push(' ');
        }
        out.push_str(t);
    }
    out
}

/// Index of the token closing the bracket at `open`.
fn closing(toks: &[&str], open: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (k, t) in toks.iter().enumerate().skip(open) {
        match *t {
            "(" | "[" | "{" | "<" => depth += 1,
            ")" | "]" | "}" | ">" => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return Some(k);
        }
    }
    None
}

/// The signature with its formatting undone: whitespace and comments gone,
/// no trailing commas, no parentheses around a `dyn` type that needs none
/// (`Box<(dyn A + 'a)>`), consecutive attributes sorted, canonical spacing.
/// Two signatures that differ only in layout tidy the same.
pub(crate) fn tidy(lang: &str, sig: &str) -> String {
    let mut toks = lex(lang, sig);
    fn texts<'s>(t: &[(&'s str, bool)]) -> Vec<&'s str> {
        t.iter().map(|(t, _)| *t).collect()
    }
    // Redundant parentheses around `dyn …` in a generic argument or after `&`.
    let mut k = 0;
    while k < toks.len() {
        let prev = if k > 0 { toks[k - 1].0 } else { "" };
        if toks[k].0 == "("
            && matches!(prev, "<" | "," | "&")
            && toks.get(k + 1).map(|t| t.0) == Some("dyn")
        {
            let plain = texts(&toks);
            if let Some(close) = closing(&plain, k) {
                let next_ok = matches!(plain.get(close + 1), Some(&">") | Some(&",") | None);
                let has_plus = plain[k + 1..close].contains(&"+");
                if (prev != "&" && next_ok) || (prev == "&" && !has_plus) {
                    toks.remove(close);
                    toks.remove(k);
                    continue;
                }
            }
        }
        k += 1;
    }
    // Trailing commas.
    let mut kept: Vec<(&str, bool)> = Vec::with_capacity(toks.len());
    for (k, t) in toks.iter().enumerate() {
        let next = toks.get(k + 1).map(|t| t.0);
        if t.0 == "," && matches!(next, None | Some(")" | "]" | "}" | ">")) {
            continue;
        }
        kept.push(*t);
    }
    // Canonical spacing.
    for k in 0..kept.len() {
        kept[k].1 = k > 0 && spaced(lang, kept[k - 1].0, kept[k].0, kept[k].1);
    }
    // Runs of attributes (`#[a] #[b]`) in a fixed order.
    let plain = texts(&kept);
    let mut out = String::new();
    let mut k = 0;
    while k < kept.len() {
        let mut attrs: Vec<String> = Vec::new();
        let first = k;
        while plain[k..].starts_with(&["#", "["]) {
            let Some(close) = closing(&plain, k + 1) else {
                break;
            };
            attrs.push(join_lexed(&kept[k..=close]));
            k = close + 1;
        }
        if attrs.is_empty() {
            if kept[k].1 {
                out.push(' ');
            }
            out.push_str(kept[k].0);
            k += 1;
        } else {
            attrs.sort();
            if first > 0 {
                out.push(' ');
            }
            out.push_str(&attrs.join(" "));
            // The token after the run is spaced from it.
            if k < kept.len() {
                kept[k].1 = true;
            }
        }
    }
    out
}

// ------------------------------------------------------ what differs

/// Net bracket depth of `toks`: (closers without an opener before them,
/// openers left open).
fn unbalanced(toks: &[&str]) -> (usize, usize) {
    let (mut depth, mut min) = (0i32, 0i32);
    for t in toks {
        match *t {
            "(" | "[" | "{" | "<" => depth += 1,
            ")" | "]" | "}" | ">" => depth -= 1,
            _ => {}
        }
        min = min.min(depth);
    }
    ((-min) as usize, (depth - min) as usize)
}

/// Where two comparable forms (outputs of [`normalize`]) differ, as pairs of
/// (old text, new text), at most `limit`: each pair is a run of tokens with
/// its brackets balanced, and a pure insertion or removal shows the token
/// beside it (`usize` -> `usize, SystemTime`). Path tokens starting with
/// `strip` (the item's own module, `crate::a::`) are shown without it.
pub(crate) fn differences(
    lang: &str,
    old: &str,
    new: &str,
    strip: Option<&str>,
    limit: usize,
) -> Vec<(String, String)> {
    let shorten = |t: &str| -> String {
        match strip {
            Some(p) if t.len() > p.len() && t.starts_with(p) && wordish(t) => t[p.len()..].into(),
            _ => t.to_string(),
        }
    };
    let ol: Vec<(String, bool)> = lex(lang, old)
        .into_iter()
        .map(|(t, g)| (shorten(t), g))
        .collect();
    let nl: Vec<(String, bool)> = lex(lang, new)
        .into_iter()
        .map(|(t, g)| (shorten(t), g))
        .collect();
    let o: Vec<&str> = ol.iter().map(|(t, _)| t.as_str()).collect();
    let n: Vec<&str> = nl.iter().map(|(t, _)| t.as_str()).collect();
    // Hunks as [old start, old end, new start, new end).
    let mut hunks: Vec<[usize; 4]> = Vec::new();
    for op in similar::capture_diff_slices(similar::Algorithm::Myers, &o, &n) {
        let (tag, or, nr) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            continue;
        }
        match hunks.last_mut() {
            Some(h) if h[1] == or.start && h[3] == nr.start => {
                h[1] = or.end;
                h[3] = nr.end;
            }
            _ => hunks.push([or.start, or.end, nr.start, nr.end]),
        }
    }
    for _ in 0..16 {
        let mut changed = false;
        for h in &mut hunks {
            if h[0] == h[1] || h[2] == h[3] {
                // A pure insertion or removal: show what it sits beside.
                let side = if h[0] == h[1] {
                    &n[h[2]..h[3]]
                } else {
                    &o[h[0]..h[1]]
                };
                let sep = |t: &&str| matches!(*t, "," | "+" | ";");
                let lead_sep = side.first().is_some_and(sep);
                let trail_sep = side.last().is_some_and(sep);
                let can_left = h[0] > 0 && h[2] > 0;
                let can_right = h[1] < o.len() && h[3] < n.len();
                let prefix_left =
                    can_left && matches!(o[h[0] - 1], "&" | "*" | "mut" | "dyn" | "impl" | "const");
                let word_right = can_right && wordish(o[h[1]]);
                if lead_sep && can_left {
                    // An element added to or removed from a list: show the
                    // element before it whole (`usize` -> `usize, SystemTime`).
                    let k = element_start(&o, h[0]);
                    h[2] -= h[0] - k;
                    h[0] = k;
                } else if trail_sep && can_right {
                    let k = element_end(&o, h[1]);
                    h[3] += k - h[1];
                    h[1] = k;
                } else if prefix_left || word_right {
                    if prefix_left {
                        h[0] -= 1;
                        h[2] -= 1;
                    }
                    if word_right {
                        h[1] += 1;
                        h[3] += 1;
                    }
                } else if can_right {
                    h[1] += 1;
                    h[3] += 1;
                } else if can_left {
                    h[0] -= 1;
                    h[2] -= 1;
                }
                changed = true;
            }
            let (ol, or_) = unbalanced(&o[h[0]..h[1]]);
            let (nl, nr_) = unbalanced(&n[h[2]..h[3]]);
            if (ol > 0 || nl > 0) && h[0] > 0 && h[2] > 0 {
                h[0] -= 1;
                h[2] -= 1;
                changed = true;
            } else if (or_ > 0 || nr_ > 0) && h[1] < o.len() && h[3] < n.len() {
                h[1] += 1;
                h[3] += 1;
                changed = true;
            }
        }
        let mut merged: Vec<[usize; 4]> = Vec::new();
        for h in hunks {
            match merged.last_mut() {
                Some(m) if h[0] <= m[1] || h[2] <= m[3] => {
                    m[1] = m[1].max(h[1]);
                    m[3] = m[3].max(h[3]);
                    changed = true;
                }
                _ => merged.push(h),
            }
        }
        hunks = merged;
        if !changed {
            break;
        }
    }
    hunks
        .iter()
        .take(limit)
        .map(|h| {
            (
                join_lexed(&lex_slice(&ol[h[0]..h[1]])),
                join_lexed(&lex_slice(&nl[h[2]..h[3]])),
            )
        })
        .collect()
}

/// Start of the list element that ends just before token `at` (stops at a
/// separator or an opening bracket of the list, brackets inside counted).
fn element_start(toks: &[&str], at: usize) -> usize {
    let mut depth = 0i32;
    let mut k = at;
    while k > 0 {
        match toks[k - 1] {
            ")" | "]" | "}" | ">" => depth += 1,
            "(" | "[" | "{" | "<" if depth == 0 => break,
            "(" | "[" | "{" | "<" => depth -= 1,
            "," | ";" | "+" if depth == 0 => break,
            _ => {}
        }
        k -= 1;
    }
    k
}

/// End (exclusive) of the list element that starts at token `at`.
fn element_end(toks: &[&str], at: usize) -> usize {
    let mut depth = 0i32;
    let mut k = at;
    while k < toks.len() {
        match toks[k] {
            "(" | "[" | "{" | "<" => depth += 1,
            ")" | "]" | "}" | ">" if depth == 0 => break,
            ")" | "]" | "}" | ">" => depth -= 1,
            "," | ";" | "+" if depth == 0 => break,
            _ => {}
        }
        k += 1;
    }
    k
}

fn lex_slice(toks: &[(String, bool)]) -> Vec<(&str, bool)> {
    toks.iter().map(|(t, g)| (t.as_str(), *g)).collect()
}

// --------------------------------------------------- loosened bounds

/// A normalized Rust fn (the output of [`normalize`]) taken apart.
struct FnParts<'s> {
    head: &'s str,
    name: &'s str,
    generics: &'s str,
    params: Vec<&'s str>,
    ret: &'s str,
    /// Bounds per left-hand side, as the `where` clause lists them.
    bounds: BTreeMap<&'s str, Vec<&'s str>>,
}

fn fn_parts(s: &str) -> Option<FnParts<'_>> {
    let fn_at = find_word(s, "fn")?;
    let rest = s[fn_at + 2..].trim_start();
    let name_end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    let name = &rest[..name_end];
    let mut rest = &rest[name_end..];
    let mut generics = "";
    if rest.starts_with('<') {
        let end = matching(rest, 0, true)?;
        generics = &rest[..=end];
        rest = &rest[end + 1..];
    }
    if !rest.starts_with('(') {
        return None;
    }
    let end = matching(rest, 0, true)?;
    let params = split_top(&rest[1..end], ',', true)
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let tail = &rest[end + 1..];
    let (ret, clause) = match find_word(tail, "where") {
        Some(w) => (tail[..w].trim(), tail[w + 5..].trim()),
        None => (tail.trim(), ""),
    };
    let mut bounds: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for w in split_top(clause, ',', true)
        .into_iter()
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        let c = find_top_colon(w)?;
        bounds.entry(w[..c].trim()).or_default().extend(
            split_top(&w[c + 1..], '+', true)
                .into_iter()
                .map(str::trim)
                .filter(|b| !b.is_empty()),
        );
    }
    Some(FnParts {
        head: &s[..fn_at],
        name,
        generics,
        params,
        ret,
        bounds,
    })
}

/// Whether bound `b` holds of every type that meets all of `olds`: it is one
/// of them, or a closure trait implied by one (`Fn` ⊂ `FnMut` ⊂ `FnOnce`).
fn implied(b: &str, olds: &[&str]) -> bool {
    let weaker = |prefix: &str, stronger: &[&str]| {
        b.strip_prefix(prefix)
            .filter(|rest| rest.starts_with('('))
            .is_some_and(|rest| {
                stronger
                    .iter()
                    .any(|s| olds.contains(&&*format!("{s}{rest}")))
            })
    };
    olds.contains(&b) || weaker("FnOnce", &["Fn", "FnMut"]) || weaker("FnMut", &["Fn"])
}

/// Whether the bounds `news` accept every type `olds` accept.
fn bounds_loosened(olds: &[&str], news: &[&str]) -> bool {
    news.iter().all(|b| *b == "?Sized" || implied(b, olds))
        && (!olds.contains(&"?Sized") || news.contains(&"?Sized"))
}

/// Rust fns (outputs of [`normalize`]) that differ only in bounds callers
/// choose, each as loose or looser: `impl` traits of arguments and the
/// bounds of generic parameters (`impl Fn()` → `impl FnOnce()`, `T: Clone +
/// Send` → `T: Send`, `T` → `T: ?Sized`). Returns what was loosened, old
/// and new; `None` when anything else differs or nothing does. Only for
/// callers: an implementor of a trait method must match the bounds exactly.
pub(crate) fn rust_loosened(old: &str, new: &str) -> Option<Vec<(String, String)>> {
    let (o, n) = (fn_parts(old)?, fn_parts(new)?);
    if (o.head, o.name, o.generics, o.ret) != (n.head, n.name, n.generics, n.ret)
        || o.params.len() != n.params.len()
    {
        return None;
    }
    let mut pieces = Vec::new();
    for (a, b) in o.params.iter().zip(&n.params) {
        if a == b {
            continue;
        }
        let (ai, bi) = (a.strip_prefix("impl ")?, b.strip_prefix("impl ")?);
        let split = |s: &'_ str| -> Vec<String> {
            split_top(s, '+', true)
                .into_iter()
                .map(|t| t.trim().to_string())
                .collect()
        };
        let (ab, bb) = (split(ai), split(bi));
        let ab: Vec<&str> = ab.iter().map(String::as_str).collect();
        let bb: Vec<&str> = bb.iter().map(String::as_str).collect();
        if !bounds_loosened(&ab, &bb) {
            return None;
        }
        pieces.push((a.to_string(), b.to_string()));
    }
    let lhs: std::collections::BTreeSet<&str> =
        o.bounds.keys().chain(n.bounds.keys()).copied().collect();
    for l in lhs {
        let ob = o.bounds.get(l).map_or(&[][..], Vec::as_slice);
        let nb = n.bounds.get(l).map_or(&[][..], Vec::as_slice);
        if ob == nb {
            continue;
        }
        if !bounds_loosened(ob, nb) {
            return None;
        }
        let show = |b: &[&str]| {
            if b.is_empty() {
                l.to_string()
            } else {
                format!("{l}: {}", b.join(" + "))
            }
        };
        pieces.push((show(ob), show(nb)));
    }
    (!pieces.is_empty()).then_some(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_parameter_and_receiver_names_do_not_matter() {
        let a = normalize(
            "go",
            "method",
            "func (s *Store) Get(ctx context.Context, id string) (o *Order, err error)",
        );
        let b = normalize(
            "go",
            "method",
            "func (x *Store) Get(c context.Context, key string) (*Order, error)",
        );
        assert_eq!(a, b);
        assert_eq!(
            a,
            "func (*Store) Get(context.Context, string) (*Order, error)"
        );
        assert_eq!(
            normalize("go", "func", "func Sum(a, b int) int"),
            "func Sum(int, int) int"
        );
        assert_eq!(
            normalize("go", "func", "func Sum(a int, b int) (int)"),
            "func Sum(int, int) int"
        );
        assert_ne!(
            normalize("go", "func", "func Sum(a int) int"),
            normalize("go", "func", "func Sum(a int64) int")
        );
        assert_eq!(
            normalize("go", "func", "func F(int, string)"),
            "func F(int, string)"
        );
        assert_eq!(
            normalize("go", "func", "func F(fn func(a int) error, ch chan int)"),
            "func F(func(a int) error, chan int)"
        );
        assert_eq!(
            normalize("go", "func", "func F(args ...string)"),
            "func F(...string)"
        );
        assert_eq!(
            normalize("go", "func", "func F(v interface{})"),
            normalize("go", "func", "func F(v any)")
        );
        assert_eq!(
            normalize("go", "func", "func Map[K comparable, V any](m map[K]V) []V"),
            "func Map[K comparable, V any](map[K]V) []V"
        );
        assert_eq!(
            normalize(
                "go",
                "interface_method",
                "Put(ctx context.Context, o *Order) error"
            ),
            "Put(context.Context, *Order) error"
        );
    }

    #[test]
    fn rust_pattern_names_and_visibility_do_not_matter() {
        let a = normalize("rust", "fn", "pub fn f(mut a: u8, (x, y): (u8, u8)) -> u8");
        let b = normalize("rust", "fn", "pub(crate) fn f(b: u8, t: (u8, u8)) -> u8");
        assert_eq!(a, b);
        assert_eq!(a, "fn f(u8, (u8, u8)) -> u8");
        assert_eq!(
            normalize("rust", "method", "fn run(&mut self) -> Self::Output;"),
            "fn run(&mut self) -> Self::Output"
        );
        assert_eq!(
            normalize(
                "rust",
                "method",
                "pub fn by(mut self, f: impl Fn(u8) -> u8) -> Self"
            ),
            "fn by(self, impl Fn(u8) -> u8) -> Self"
        );
        assert_eq!(
            normalize("rust", "fn", "pub async unsafe fn g<T: Into<String>>(x: T)"),
            "async unsafe fn g<T>(T) where T: Into<String>"
        );
        assert_ne!(
            normalize("rust", "fn", "pub fn f(a: u8)"),
            normalize("rust", "fn", "pub fn f(a: u16)")
        );
        assert_eq!(
            normalize("rust", "struct", "pub(crate) struct A<T>"),
            "struct A<T>"
        );
    }

    #[test]
    fn rust_paths_spelled_differently_are_the_same() {
        let a = normalize(
            "rust",
            "method",
            "fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result",
        );
        let b = normalize(
            "rust",
            "method",
            "fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result",
        );
        assert_eq!(a, b);
        assert_eq!(rust_field("pub e: ::std::io::Error"), "std::io::Error");
        assert_eq!(rust_field("pub e: core::fmt::Error"), "std::fmt::Error");
        assert_ne!(
            normalize("rust", "fn", "fn f(e: io::Error)"),
            normalize("rust", "fn", "fn f(e: my::Error)")
        );
        assert_eq!(
            normalize("rust", "fn", "fn f(x: mystd::X)"),
            "fn f(mystd::X)"
        );
    }

    #[test]
    fn imported_names_compare_by_their_full_path() {
        let old: BTreeMap<String, String> = [("cmp".to_string(), "std::cmp".to_string())].into();
        let new: BTreeMap<String, String> =
            [("Ordering".to_string(), "std::cmp::Ordering".to_string())].into();
        let a = normalize(
            "rust",
            "fn",
            &canonical_paths(
                "pub fn f<F: Fn() -> cmp::Ordering>(f: F)",
                "f",
                &imports_resolver(&old),
            ),
        );
        let b = normalize(
            "rust",
            "fn",
            &canonical_paths(
                "pub fn f<F: Fn() -> Ordering>(f: F)",
                "f",
                &imports_resolver(&new),
            ),
        );
        assert_eq!(a, b);
        assert_eq!(a, "fn f<F>(F) where F: Fn() -> std::cmp::Ordering");
        // Only the first segment of a path is looked up; lifetimes never.
        let m: BTreeMap<String, String> = [("a".to_string(), "x::a".to_string())].into();
        assert_eq!(
            canonical_paths("fn g<'a>(v: &'a b::a) -> a::T", "g", &imports_resolver(&m)),
            "fn g<'a>(v: &'a b::a) -> x::a::T"
        );
        // A variant named like an import keeps its name.
        assert_eq!(
            canonical_paths("a(a::T)", "a", &imports_resolver(&m)),
            "a(x::a::T)"
        );
    }

    #[test]
    fn inline_and_where_bounds_are_the_same_bounds() {
        let a = normalize(
            "rust",
            "method",
            "pub fn abort<Q: ?Sized>(&mut self, key: &Q) -> bool where Q: Hash + Eq, K: Borrow<Q>,",
        );
        let b = normalize("rust", "method", "pub fn abort<Q>(&mut self, key: &Q) -> bool where Q: ?Sized + Hash + Eq, K: Borrow<Q>,");
        assert_eq!(a, b);
        assert_eq!(
            a,
            "fn abort<Q>(&mut self, &Q) -> bool where K: Borrow<Q>, Q: ?Sized + Eq + Hash"
        );
        assert_ne!(
            normalize("rust", "fn", "fn f<T: Send>(t: T)"),
            normalize("rust", "fn", "fn f<T: Sync>(t: T)")
        );
        assert_eq!(
            normalize("rust", "fn", "fn f<'a, T, const N: usize>(t: &'a [T; N])"),
            "fn f<'a, T, const N: usize>(&'a [T; N])"
        );
    }

    #[test]
    fn opaque_tuple_structs_hide_their_fields() {
        assert_eq!(
            normalize("rust", "struct", "pub struct R(RImp);"),
            "struct R"
        );
        assert_eq!(
            normalize("rust", "struct", "pub struct R<T>(pub T, Inner);"),
            "struct R<T>"
        );
        assert_eq!(
            normalize("rust", "struct", "pub struct W(pub u32);"),
            "struct W(pub u32)"
        );
    }

    #[test]
    fn values_split_into_typed_head_and_value() {
        assert_eq!(
            split_value("rust", "pub const V: &str = \"1\";"),
            ("const V: &str".into(), "\"1\"".into())
        );
        assert_eq!(
            split_value("go", "const MaxLines, minLines = 100, 1"),
            ("const MaxLines, minLines".into(), "100, 1".into())
        );
        assert_eq!(
            split_value("go", "var x, y int"),
            ("var x, y int".into(), String::new())
        );
        assert_eq!(
            split_value("go", "var ok = a == b"),
            ("var ok".into(), "a == b".into())
        );
    }

    #[test]
    fn fields_reduce_to_their_types() {
        assert_eq!(
            go_field("ID, Customer string `json:\"id\"`", "Customer"),
            ("string".into(), "json:\"id\"".into())
        );
        assert_eq!(
            go_field("*codec.Header", "Header"),
            ("*codec.Header".into(), String::new())
        );
        assert_eq!(
            go_field("codec.Header", "Header"),
            ("codec.Header".into(), String::new())
        );
        assert_eq!(
            go_field("Lines []Line", "Lines"),
            ("[]Line".into(), String::new())
        );
        assert_eq!(rust_field("pub(in crate::a) inner: Vec<u8>"), "Vec<u8>");
        assert_eq!(
            rust_field("pub m: std::collections::HashMap<u8, u8>"),
            "std::collections::HashMap<u8, u8>"
        );
    }

    #[test]
    fn trait_defaults_are_bodies_and_initializers() {
        assert!(!rust_trait_item_has_default("method", "fn run(&mut self);"));
        assert!(rust_trait_item_has_default(
            "method",
            "fn name(&self) -> &str"
        ));
        assert!(!rust_trait_item_has_default("type", "type Output;"));
        assert!(rust_trait_item_has_default("const", "const P: u8 = 0;"));
    }

    #[test]
    fn layout_comments_and_attribute_order_tidy_away() {
        let t = |s: &str| tidy("rust", s);
        assert_eq!(
            t("pub fn render(\n    surface: &mut Surface,\n    theme: &Theme, // the theme\n) -> Option< Vec<u8> >"),
            t("pub fn render(surface: &mut Surface, /* x */ theme: &Theme) -> Option<Vec<u8>>")
        );
        assert_eq!(
            t("pub fn render(surface: &mut Surface, theme: &Theme) -> Option<Vec<u8>>"),
            "pub fn render(surface: &mut Surface, theme: &Theme) -> Option<Vec<u8>>"
        );
        assert_eq!(
            t("f: &mut Vec<Box<(dyn LineDecoration + 'd)>>"),
            "f: &mut Vec<Box<dyn LineDecoration + 'd>>"
        );
        assert_eq!(t("x: &(dyn A)"), "x: &dyn A");
        assert_eq!(t("x: &(dyn A + Send)"), "x: &(dyn A + Send)");
        assert_eq!(
            t("#[serde(default)] #[doc(hidden)] pub a: u8"),
            t("#[doc(hidden)]\n#[serde(default)]\npub a: u8")
        );
        assert_eq!(
            t("pub(crate) unsafe extern \"C\" fn f<'a, T: ?Sized>(x: &'a T, c: char) -> *const u8 where T: Send,"),
            "pub(crate) unsafe extern \"C\" fn f<'a, T: ?Sized>(x: &'a T, c: char) -> *const u8 where T: Send"
        );
        assert_eq!(t("fn f() -> <T as Tr>::Out"), "fn f() -> <T as Tr>::Out");
        assert_eq!(
            t("fn f(c: char) -> char where X: Fn('a')"),
            "fn f(c: char) -> char where X: Fn('a')"
        );
        assert_eq!(
            tidy("go", "func (s *Store) Get(ctx context.Context, ids []string, m map[string]int, ch <-chan int) (*Order, error)"),
            "func (s *Store) Get(ctx context.Context, ids []string, m map[string]int, ch <-chan int) (*Order, error)"
        );
        assert_eq!(
            tidy(
                "go",
                "func ( s *Store ) Get( ctx context.Context , ids []string )"
            ),
            "func (s *Store) Get(ctx context.Context, ids []string)"
        );
        assert_eq!(
            tidy("go", "Key string `json:\"key\"  yaml:\"k\"`"),
            "Key string `json:\"key\"  yaml:\"k\"`"
        );
    }

    #[test]
    fn differences_are_balanced_runs_of_tokens() {
        let d = |a: &str, b: &str| differences("rust", a, b, None, 3);
        assert_eq!(
            d(
                "fn new_at(&str, usize) -> (Self, usize)",
                "fn new_at(&str, usize) -> Self"
            ),
            [("(Self, usize)".to_string(), "Self".to_string())]
        );
        assert_eq!(
            d("fn set(usize)", "fn set(usize, std::time::SystemTime)"),
            [(
                "usize".to_string(),
                "usize, std::time::SystemTime".to_string()
            )]
        );
        assert_eq!(
            d(
                "fn f(&Document, u8) -> u8",
                "fn f(&mut Document, u8) -> u16"
            ),
            [
                ("&Document".to_string(), "&mut Document".to_string()),
                ("u8".to_string(), "u16".to_string())
            ]
        );
        assert_eq!(
            d("fn f() -> Option<Vec<T>>", "fn f() -> Vec<T>"),
            [("Option<Vec<T>>".to_string(), "Vec<T>".to_string())]
        );
        assert_eq!(
            differences(
                "rust",
                "fn f(c::a::Doc)",
                "fn f(c::a::Doc, c::b::X)",
                Some("c::a::"),
                3
            ),
            [("Doc".to_string(), "Doc, c::b::X".to_string())]
        );
        assert!(d("fn f(u8)", "fn f(u8)").is_empty());
        assert_eq!(
            differences(
                "go",
                "func F(*api.T) error",
                "func F(string, *api.T) error",
                None,
                3
            ),
            [("*api.T".to_string(), "string, *api.T".to_string())]
        );
        assert_eq!(
            d("fn f(&str, Vec<u8>)", "fn f(&str)"),
            [("&str, Vec<u8>".to_string(), "&str".to_string())]
        );
    }

    #[test]
    fn loosened_bounds_are_found_and_nothing_else() {
        let l = |a: &str, b: &str| {
            rust_loosened(&normalize("rust", "fn", a), &normalize("rust", "fn", b))
        };
        assert_eq!(
            l(
                "pub fn run(f: impl Fn(u8) -> u8)",
                "pub fn run(f: impl FnOnce(u8) -> u8)"
            ),
            Some(vec![(
                "impl Fn(u8) -> u8".to_string(),
                "impl FnOnce(u8) -> u8".to_string()
            )])
        );
        assert!(l(
            "pub fn run(f: impl Fn(u8))",
            "pub fn run(f: impl FnMut(u8))"
        )
        .is_some());
        assert!(l(
            "pub fn run(f: impl FnOnce(u8))",
            "pub fn run(f: impl Fn(u8))"
        )
        .is_none());
        assert!(l(
            "pub fn run(f: impl Fn(u8))",
            "pub fn run(f: impl FnOnce(u16))"
        )
        .is_none());
        assert_eq!(
            l("fn send<T: Clone + Send>(t: T)", "fn send<T: Send>(t: T)"),
            Some(vec![("T: Clone + Send".to_string(), "T: Send".to_string())])
        );
        assert_eq!(
            l("fn sized<T>(t: &T)", "fn sized<T: ?Sized>(t: &T)"),
            Some(vec![("T".to_string(), "T: ?Sized".to_string())])
        );
        assert!(l("fn sized<T: ?Sized>(t: &T)", "fn sized<T>(t: &T)").is_none());
        assert!(l("fn send<T: Send>(t: T)", "fn send<T: Send + Sync>(t: T)").is_none());
        assert!(l("fn f() -> impl Fn()", "fn f() -> impl FnOnce()").is_none());
        assert!(l("fn f(a: u8)", "fn f(a: u8)").is_none());
        assert!(l(
            "fn f(a: u8, g: impl Fn())",
            "fn f(a: u16, g: impl FnOnce())"
        )
        .is_none());
    }
}

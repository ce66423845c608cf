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

/// Rust paths spelled differently for the same item: `std::fmt::Result` and
/// `fmt::Result`, `crate::X` and `X`, `Formatter<'_>` and `Formatter`.
fn rust_paths(s: &str) -> String {
    const ROOTS: &[&str] = &[
        "::std::", "::core::", "std::", "core::", "alloc::", "crate::", "self::",
    ];
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    let b = s.as_bytes();
    while i < s.len() {
        let at_start =
            i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b':');
        if at_start {
            if let Some(r) = ROOTS.iter().find(|r| s[i..].starts_with(**r)) {
                i += r.len();
                continue;
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

/// Rust: every path whose first segment the file imports, written from the
/// import (`Ordering` with `use std::cmp::Ordering` → `std::cmp::Ordering`,
/// `cmp::Ordering` with `use std::cmp` → the same).
/// The first occurrence of the declaration's own name (`own`) is its name,
/// never rewritten.
pub(crate) fn canonical_paths(
    sig: &str,
    own: &str,
    imports: Option<&BTreeMap<String, String>>,
) -> String {
    let Some(imports) = imports.filter(|m| !m.is_empty()) else {
        return sig.to_string();
    };
    let mut out = String::with_capacity(sig.len());
    let mut i = 0;
    let mut named = false;
    while i < sig.len() {
        let c = sig[i..].chars().next().unwrap_or(' ');
        if c.is_alphabetic() || c == '_' {
            let end = sig[i..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .map_or(sig.len(), |e| i + e);
            let word = &sig[i..end];
            let before = &sig[..i];
            let continues_path =
                before.ends_with("::") || before.ends_with('\'') || before.ends_with('.');
            match imports.get(word) {
                _ if word == own && !named => {
                    named = true;
                    out.push_str(word);
                }
                Some(full) if !continues_path => out.push_str(full),
                _ => out.push_str(word),
            }
            i = end;
            continue;
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// A Go or Rust value declaration (`const`, `var`, `static`) split into its
/// typed head and its value: `const X: u8 = 1;` → (`const X: u8`, `1`).
pub(crate) fn split_value(lang: &str, sig: &str) -> (String, String) {
    let owned;
    let s = if lang == "rust" {
        owned = rust_paths(strip_rust_vis(sig.trim()).trim_end_matches(';'));
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
    let s = rust_paths(strip_rust_vis(sig.trim()));
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
        assert_eq!(rust_field("pub e: ::std::io::Error"), "io::Error");
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
            &canonical_paths("pub fn f<F: Fn() -> cmp::Ordering>(f: F)", "f", Some(&old)),
        );
        let b = normalize(
            "rust",
            "fn",
            &canonical_paths("pub fn f<F: Fn() -> Ordering>(f: F)", "f", Some(&new)),
        );
        assert_eq!(a, b);
        assert_eq!(a, "fn f<F>(F) where F: Fn() -> cmp::Ordering");
        // Only the first segment of a path is looked up; lifetimes never.
        let m: BTreeMap<String, String> = [("a".to_string(), "x::a".to_string())].into();
        assert_eq!(
            canonical_paths("fn g<'a>(v: &'a b::a) -> a::T", "g", Some(&m)),
            "fn g<'a>(v: &'a b::a) -> x::a::T"
        );
        // A variant named like an import keeps its name.
        assert_eq!(canonical_paths("a(a::T)", "a", Some(&m)), "a(x::a::T)");
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
            "collections::HashMap<u8, u8>"
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
}

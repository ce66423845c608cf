//! The module-level `use` declarations of every Rust file, so that a path
//! resolves through what other modules import and re-export: `use
//! super::*` in a child module, `pub use self::a::B` (a re-export),
//! `pub use a::b::*` (a glob re-export), `pub use x as y` (an alias), and a
//! use path whose first segment is itself an imported name.
//!
//! Resolution follows Rust's rules for names in a module: the module's own
//! items first, then names it imports by name, then names its glob imports
//! bring in. Nothing is guessed: a name no rule reaches is not resolved.
//!
//! Modules (and declarations, see `decls`) are keyed by their segments
//! joined with `::`; [`with_key`] joins one into a reused buffer.

use std::collections::{BTreeMap, BTreeSet};

thread_local! {
    /// [`with_key`]'s buffer, one per thread.
    static KEY: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// `f` of the key of `path` (its segments joined with `::`), joined into a buffer the thread reuses: the
/// resolver asks for paths by the million, and each join would allocate.
/// `f` must not call `with_key` itself (it then gets a key of its own).
pub(crate) fn with_key<R>(path: &[String], f: impl FnOnce(&str) -> R) -> R {
    KEY.with(|buffer| match buffer.try_borrow_mut() {
        Ok(mut key) => {
            key.clear();
            for (i, s) in path.iter().enumerate() {
                if i > 0 {
                    key.push_str("::");
                }
                key.push_str(s);
            }
            f(&key)
        }
        Err(_) => f(&path.join("::")),
    })
}

/// One entry of a use tree: the path as written and what it brings in.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct UseEntry {
    /// The segments as written (`crate`, `self`, `super` included).
    pub path: Vec<String>,
    /// The name it binds (`None`: a glob import, `a::*`).
    pub name: Option<String>,
}

/// The `use` declarations of one module, from the files it is made of.
#[derive(Debug, Default, Clone, Hash)]
pub(crate) struct ModuleUses {
    /// Name → the path as written (the first import of a name wins).
    pub names: BTreeMap<String, Vec<String>>,
    /// Glob imports, in source order.
    pub globs: Vec<Vec<String>>,
}

impl ModuleUses {
    /// Add the entries of one use tree.
    pub(crate) fn add(&mut self, entries: Vec<UseEntry>) {
        for e in entries {
            match e.name {
                Some(n) if n != "_" => {
                    self.names.entry(n).or_insert(e.path);
                }
                Some(_) => {}
                None => {
                    if !self.globs.contains(&e.path) {
                        self.globs.push(e.path);
                    }
                }
            }
        }
    }
}

/// The entries of a use tree as written after `use` (`a::{b, c as d, e::*}`,
/// `{super::*, E::*}`, `::std::fmt`). Comments are skipped; text that is not
/// a use tree gives no entries.
pub(crate) fn parse_use_tree(text: &str) -> Vec<UseEntry> {
    let tokens = tokenize(text);
    let mut out = Vec::new();
    let mut at = 0;
    parse_tree(&tokens, &mut at, &[], &mut out);
    out
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Sep,
    Open,
    Close,
    Comma,
    Star,
    As,
}

fn tokenize(text: &str) -> Vec<Tok> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
                continue;
            }
            b':' if b.get(i + 1) == Some(&b':') => {
                out.push(Tok::Sep);
                i += 2;
                continue;
            }
            b'{' => out.push(Tok::Open),
            b'}' => out.push(Tok::Close),
            b',' => out.push(Tok::Comma),
            b'*' => out.push(Tok::Star),
            c if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 => {
                let start = i;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric()
                        || b[i] == b'_'
                        || b[i] == b'#'
                        || b[i] >= 0x80)
                {
                    i += 1;
                }
                let word = &text[start..i];
                if word == "as" {
                    out.push(Tok::As);
                } else {
                    out.push(Tok::Ident(word.trim_start_matches("r#").to_string()));
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// One use tree at `*at` under `prefix`: a path, then `::*`, `::{…}`, `as x` or nothing.
fn parse_tree(toks: &[Tok], at: &mut usize, prefix: &[String], out: &mut Vec<UseEntry>) {
    let mut path = prefix.to_vec();
    let own_start = path.len();
    if toks.get(*at) == Some(&Tok::Sep) {
        // `::std::fmt`: an extern crate.
        *at += 1;
    }
    loop {
        match toks.get(*at) {
            Some(Tok::Ident(s)) => {
                path.push(s.clone());
                *at += 1;
                if toks.get(*at) == Some(&Tok::Sep) {
                    *at += 1;
                    continue;
                }
                break;
            }
            Some(Tok::Star) => {
                *at += 1;
                out.push(UseEntry { path, name: None });
                return;
            }
            Some(Tok::Open) => {
                *at += 1;
                loop {
                    match toks.get(*at) {
                        None => return,
                        Some(Tok::Close) => {
                            *at += 1;
                            return;
                        }
                        Some(Tok::Comma) => *at += 1,
                        Some(_) => {
                            let before = *at;
                            parse_tree(toks, at, &path, out);
                            if *at == before {
                                // Not a use tree: stop rather than loop.
                                *at = toks.len();
                                return;
                            }
                        }
                    }
                }
            }
            _ => return,
        }
    }
    if path.len() == own_start {
        return;
    }
    let alias = if toks.get(*at) == Some(&Tok::As) {
        *at += 1;
        match toks.get(*at) {
            Some(Tok::Ident(a)) => {
                *at += 1;
                Some(a.clone())
            }
            _ => None,
        }
    } else {
        None
    };
    // `a::{self}` binds `a`.
    if path.last().is_some_and(|l| l == "self") && path.len() > 1 {
        path.pop();
    }
    let name = alias.or_else(|| path.last().cloned());
    out.push(UseEntry { path, name });
}

/// Every module's `use` declarations, keyed by the module's segments joined
/// with `::`, and the crate roots a path may start with.
#[derive(Debug, Default)]
pub(crate) struct UseTable {
    pub modules: BTreeMap<String, ModuleUses>,
}

/// What a name lookup may consult besides the table: the declarations.
pub(crate) trait Items {
    /// Whether `path` names a declaration or a module (a package or a proper
    /// prefix of a declaration's path).
    fn has(&self, path: &[String]) -> bool;
    /// Whether `path` names a declaration (not only a module).
    fn is_item(&self, path: &[String]) -> bool;
}

/// Lookups deeper than this give up (chains of re-exports are short).
const MAX_DEPTH: usize = 16;

impl UseTable {
    /// What `name` denotes in `module`, as a full path: the module's own
    /// item, else what it imports by that name, else what one of its glob
    /// imports brings in under it.
    pub(crate) fn lookup(
        &self,
        items: &impl Items,
        module: &[String],
        name: &str,
    ) -> Option<Vec<String>> {
        let mut seen = BTreeSet::new();
        self.lookup_in(items, module, name, &mut seen, 0)
    }

    /// The full path of a use path written in `module` (`super::a::B`,
    /// `crate::x`, `imported::Y`, `other_crate::Z`), following re-exports.
    pub(crate) fn target(
        &self,
        items: &impl Items,
        module: &[String],
        path: &[String],
    ) -> Option<Vec<String>> {
        let mut seen = BTreeSet::new();
        self.target_in(items, module, path, &mut seen, 0)
    }

    /// The canonical path of a full path whose segments may pass through
    /// re-exports (`krate::Config` for `krate::config::Config`).
    pub(crate) fn canonical(&self, items: &impl Items, path: &[String]) -> Option<Vec<String>> {
        let (first, rest) = path.split_first()?;
        let cur = vec![first.clone()];
        if !items.has(&cur) {
            return None;
        }
        self.walk(items, cur, rest, &mut BTreeSet::new(), 0)
    }

    fn lookup_in(
        &self,
        items: &impl Items,
        module: &[String],
        name: &str,
        seen: &mut BTreeSet<(Vec<String>, String)>,
        depth: usize,
    ) -> Option<Vec<String>> {
        let mut own = module.to_vec();
        own.push(name.to_string());
        if items.is_item(&own) {
            return Some(own);
        }
        let own_module = items.has(&own).then_some(own);
        if depth > MAX_DEPTH || !seen.insert((module.to_vec(), name.to_string())) {
            return own_module;
        }
        let Some(uses) = with_key(module, |key| self.modules.get(key)) else {
            return own_module;
        };
        if let Some(p) = uses.names.get(name) {
            if let Some(t) = self.target_in(items, module, p, seen, depth + 1) {
                // `mod f;` and `use f::f;`: the module and the function share
                // the name in two namespaces; the item is what a call or a
                // type names, and a path through it falls back to the module.
                if own_module.is_none() || items.is_item(&t) {
                    return Some(t);
                }
            }
        }
        if own_module.is_some() {
            return own_module;
        }
        // Two globs that bring in different items under one name: Rust
        // tells them apart by namespace, which is not known here.
        let mut found: Option<Vec<String>> = None;
        for g in &uses.globs {
            let Some(gm) = self.target_in(items, module, g, seen, depth + 1) else {
                continue;
            };
            if let Some(t) = self.lookup_in(items, &gm, name, seen, depth + 1) {
                match &found {
                    Some(f) if *f != t => return None,
                    _ => found = Some(t),
                }
            }
        }
        found
    }

    fn target_in(
        &self,
        items: &impl Items,
        module: &[String],
        path: &[String],
        seen: &mut BTreeSet<(Vec<String>, String)>,
        depth: usize,
    ) -> Option<Vec<String>> {
        let (first, mut rest) = path.split_first()?;
        let cur: Vec<String> = match first.as_str() {
            "crate" => vec![module.first()?.clone()],
            "self" => module.to_vec(),
            "super" => {
                let mut m = module.to_vec();
                m.pop()?;
                while rest.first().is_some_and(|s| s == "super") {
                    m.pop()?;
                    rest = &rest[1..];
                }
                m
            }
            _ if !rest.is_empty() && is_module(items, module, first) => {
                let mut m = module.to_vec();
                m.push(first.clone());
                m
            }
            _ => match self.lookup_in(items, module, first, seen, depth + 1) {
                Some(p) => p,
                // An extern crate of the repository (a workspace member).
                None if items.has(std::slice::from_ref(first)) => vec![first.clone()],
                None => return None,
            },
        };
        self.walk(items, cur, rest, seen, depth + 1)
    }

    /// The segments `rest` looked up one after the other from `cur`.
    fn walk(
        &self,
        items: &impl Items,
        mut cur: Vec<String>,
        rest: &[String],
        seen: &mut BTreeSet<(Vec<String>, String)>,
        depth: usize,
    ) -> Option<Vec<String>> {
        for (i, s) in rest.iter().enumerate() {
            cur = if i + 1 < rest.len() && is_module(items, &cur, s) {
                // A module in the middle of a path, not an item of its name.
                let mut m = cur;
                m.push(s.clone());
                m
            } else {
                self.lookup_in(items, &cur, s, seen, depth)?
            };
        }
        Some(cur)
    }
}

/// Whether `module::name` is a module (a path prefix that is no item).
fn is_module(items: &impl Items, module: &[String], name: &str) -> bool {
    let mut p = module.to_vec();
    p.push(name.to_string());
    items.has(&p) && !items.is_item(&p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(path: &[&str], name: Option<&str>) -> UseEntry {
        UseEntry {
            path: path.iter().map(|s| s.to_string()).collect(),
            name: name.map(str::to_string),
        }
    }

    #[test]
    fn use_trees_parse_into_entries() {
        assert_eq!(
            parse_use_tree("{super::*, CompileErrorKind::*}"),
            [e(&["super"], None), e(&["CompileErrorKind"], None)]
        );
        assert_eq!(
            parse_use_tree("self::scope::{Scope, in_place_scope as ips}"),
            [
                e(&["self", "scope", "Scope"], Some("Scope")),
                e(&["self", "scope", "in_place_scope"], Some("ips")),
            ]
        );
        assert_eq!(
            parse_use_tree("crate::{a::{self, B}, c::*, // note\n d as _}"),
            [
                e(&["crate", "a"], Some("a")),
                e(&["crate", "a", "B"], Some("B")),
                e(&["crate", "c"], None),
                e(&["crate", "d"], Some("_")),
            ]
        );
        assert_eq!(
            parse_use_tree("::std::fmt"),
            [e(&["std", "fmt"], Some("fmt"))]
        );
        assert_eq!(parse_use_tree("r#type::X"), [e(&["type", "X"], Some("X"))]);
        assert!(parse_use_tree("{{,}").is_empty());
    }

    struct Known(BTreeSet<Vec<String>>);
    impl Items for Known {
        fn has(&self, path: &[String]) -> bool {
            self.0.contains(path)
        }
        fn is_item(&self, path: &[String]) -> bool {
            self.0.contains(path)
        }
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn lookups_follow_reexports_globs_and_imported_heads() {
        // k::config::Config, k::kind::Kind::A; `k` re-exports both names,
        // `k::child` globs its parent and the enum through the imported name.
        let items = Known(
            [
                s(&["k"]),
                s(&["k", "config"]),
                s(&["k", "config", "Config"]),
                s(&["k", "kind"]),
                s(&["k", "kind", "Kind"]),
                s(&["k", "kind", "Kind", "A"]),
                s(&["k", "child"]),
            ]
            .into_iter()
            .collect(),
        );
        let mut t = UseTable::default();
        let mut root = ModuleUses::default();
        root.add(parse_use_tree("{config::Config, kind::Kind as K}"));
        t.modules.insert("k".into(), root);
        let mut child = ModuleUses::default();
        child.add(parse_use_tree("{super::*, K::*}"));
        t.modules.insert("k::child".into(), child);
        let child = s(&["k", "child"]);
        assert_eq!(
            t.lookup(&items, &child, "Config"),
            Some(s(&["k", "config", "Config"]))
        );
        assert_eq!(
            t.lookup(&items, &child, "A"),
            Some(s(&["k", "kind", "Kind", "A"]))
        );
        assert_eq!(t.lookup(&items, &child, "Kind"), None);
        assert_eq!(
            t.canonical(&items, &s(&["k", "K", "A"])),
            Some(s(&["k", "kind", "Kind", "A"]))
        );
        assert_eq!(t.canonical(&items, &s(&["k", "Ok"])), None);
    }

    struct Typed(BTreeSet<Vec<String>>, BTreeSet<Vec<String>>);
    impl Items for Typed {
        fn has(&self, path: &[String]) -> bool {
            self.0.contains(path) || self.1.contains(path)
        }
        fn is_item(&self, path: &[String]) -> bool {
            self.0.contains(path)
        }
    }

    #[test]
    fn a_function_named_like_its_module_is_the_item_except_mid_path() {
        // `mod fmt_date; use fmt_date::fmt_date;` in the root `k`.
        let items = Typed(
            [
                s(&["k", "fmt_date", "fmt_date"]),
                s(&["k", "fmt_date", "Opts"]),
            ]
            .into_iter()
            .collect(),
            [s(&["k"]), s(&["k", "fmt_date"]), s(&["k", "child"])]
                .into_iter()
                .collect(),
        );
        let mut t = UseTable::default();
        let mut root = ModuleUses::default();
        root.add(parse_use_tree("fmt_date::fmt_date"));
        t.modules.insert("k".into(), root);
        let mut child = ModuleUses::default();
        child.add(parse_use_tree("super::*"));
        t.modules.insert("k::child".into(), child);
        let child = s(&["k", "child"]);
        assert_eq!(
            t.lookup(&items, &child, "fmt_date"),
            Some(s(&["k", "fmt_date", "fmt_date"]))
        );
        assert_eq!(
            t.target(&items, &child, &s(&["super", "fmt_date", "Opts"])),
            Some(s(&["k", "fmt_date", "Opts"]))
        );
        assert_eq!(
            t.canonical(&items, &s(&["k", "fmt_date", "Opts"])),
            Some(s(&["k", "fmt_date", "Opts"]))
        );
    }

    #[test]
    fn cyclic_globs_end() {
        let items = Known([s(&["k"]), s(&["k", "a"])].into_iter().collect());
        let mut t = UseTable::default();
        let mut a = ModuleUses::default();
        a.add(parse_use_tree("super::*"));
        t.modules.insert("k::a".into(), a);
        let mut k = ModuleUses::default();
        k.add(parse_use_tree("self::a::*"));
        t.modules.insert("k".into(), k);
        assert_eq!(t.lookup(&items, &s(&["k", "a"]), "Missing"), None);
    }
}

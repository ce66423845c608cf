//! How deep in a tree the item query needs to look, so the query cursor can
//! skip function bodies (most of a file's nodes) instead of walking them and
//! dropping their matches as local.
//!
//! A file's items sit at depth 1 (children of the root); the items of impl,
//! trait and extern blocks at 3 (block → body list → item); every pattern of
//! both languages starts no deeper than its item's block (Go `type_spec` at 2).
//! Only namespaces (Rust inline `mod a { … }`) put items deeper: the children
//! of a namespace's body list at depth `d + 2` are at a new "depth 1", so a
//! namespace at depth `d` needs the bound `d + 1 + BASE_DEPTH`. Namespaces are
//! found by walking only the root's children and namespace bodies (a few
//! nodes), by the node kinds of the query patterns that capture a
//! `@definition.<namespace kind>`. Nothing the unbounded query would keep lies
//! deeper than the bound, so the output is unchanged.

use tree_sitter::{Language, Node, Tree};

use crate::scan::lang::{LangSpec, PerLang};
use crate::scan::query::{items_matcher, query_for, CompiledQuery};

/// The deepest start of a pattern for an item outside any namespace.
const BASE_DEPTH: u32 = 3;

/// The `max_start_depth` for running the item query over `tree`, at most
/// `cap` (the extractor's own limit for pathological nesting).
pub(crate) fn start_depth_bound(spec: &'static LangSpec, tree: &Tree, cap: u32) -> u32 {
    let kinds = namespace_node_kinds(spec);
    if kinds.is_empty() {
        return BASE_DEPTH.min(cap);
    }
    // Nodes whose children may be namespaces, with their depth. A stack, not
    // recursion: thousands of nested modules must not overflow a thread's stack.
    let mut deepest: Option<u32> = None;
    let mut stack: Vec<(Node, u32)> = vec![(tree.root_node(), 0)];
    while let Some((node, depth)) = stack.pop() {
        if depth + 1 + BASE_DEPTH >= cap {
            return cap;
        }
        let mut cursor = node.walk();
        for child in node.children(&mut cursor) {
            if kinds.contains(&child.kind_id()) {
                deepest = Some(deepest.map_or(depth + 1, |d| d.max(depth + 1)));
                let mut inner = child.walk();
                stack.extend(child.children(&mut inner).map(|part| (part, depth + 2)));
            }
        }
    }
    deepest.map_or(BASE_DEPTH, |d| d + 1 + BASE_DEPTH).min(cap)
}

/// Node kind ids of the patterns that capture a namespace definition
/// (`(mod_item …) @definition.mod` → `mod_item`), computed once per language.
fn namespace_node_kinds(spec: &'static LangSpec) -> &'static [u16] {
    static KINDS: PerLang<Vec<u16>> = PerLang::new();
    KINDS.get(spec, |l| match items_matcher(l) {
        // The matcher's patterns, so a run that needs no compiled query compiles none.
        Some(m) => {
            let mut kinds = Vec::new();
            for k in l.namespace_kinds {
                for id in m.patterns.roots_capturing(&format!("definition.{k}")) {
                    if !kinds.contains(&id) {
                        kinds.push(id);
                    }
                }
            }
            kinds
        }
        None => query_for(l).map_or_else(|_| Vec::new(), |cq| kinds_of(l, cq)),
    })
}

fn kinds_of(spec: &LangSpec, cq: &CompiledQuery) -> Vec<u16> {
    let language = Language::new(spec.grammar);
    let mut kinds = Vec::new();
    for i in 0..cq.query.pattern_count() {
        let text =
            &spec.items_query[cq.query.start_byte_for_pattern(i)..cq.query.end_byte_for_pattern(i)];
        let defines_namespace = spec.namespace_kinds.iter().any(|k| {
            let capture = format!("@definition.{k}");
            text.match_indices(&capture).any(|(at, _)| {
                !text[at + capture.len()..]
                    .starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
            })
        });
        if !defines_namespace {
            continue;
        }
        // The pattern's root node kind: `(kind ...`.
        let root = text.trim_start().strip_prefix('(').map(|r| {
            r.split(|c: char| c.is_whitespace() || c == ')')
                .next()
                .unwrap_or("")
        });
        if let Some(kind) = root.filter(|k| !k.is_empty()) {
            let id = language.id_for_node_kind(kind, true);
            if id != 0 && !kinds.contains(&id) {
                kinds.push(id);
            }
        }
    }
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::lang::lang_for_extension;
    use crate::scan::parse::{parse_text, with_parser};

    fn bound(ext: &str, text: &str) -> u32 {
        let spec = lang_for_extension(ext).unwrap();
        let tree = with_parser(spec, |p| parse_text(p, text))
            .flatten()
            .unwrap();
        start_depth_bound(spec, &tree, 1000)
    }

    #[test]
    fn rust_mod_items_are_namespaces_and_go_has_none() {
        let rust = lang_for_extension("rs").unwrap();
        let kinds = namespace_node_kinds(rust);
        let language = Language::new(rust.grammar);
        let names: Vec<_> = kinds
            .iter()
            .filter_map(|k| language.node_kind_for_id(*k))
            .collect();
        assert_eq!(names, vec!["mod_item"]);
        // The matcher's reading is the query text's.
        let cq = query_for(rust).expect("query");
        assert_eq!(kinds, kinds_of(rust, cq));
        let go = lang_for_extension("go").unwrap();
        assert!(namespace_node_kinds(go).is_empty());
    }

    #[test]
    fn nested_namespaces_deepen_the_bound() {
        assert_eq!(
            bound("go", "package a\nfunc F() { var x int; _ = x }\n"),
            BASE_DEPTH
        );
        assert_eq!(
            bound("rs", "pub fn f() { mod hidden { fn g() {} } }\n"),
            BASE_DEPTH
        );
        assert_eq!(bound("rs", "mod a { fn f() {} }\n"), 1 + 1 + BASE_DEPTH);
        let deep = "mod a { ".repeat(5000) + &"}".repeat(5000);
        assert_eq!(bound("rs", &deep), 1000, "capped");
        assert_eq!(
            bound("rs", "mod a { mod b { mod c { fn f() {} } } }\n"),
            5 + 1 + BASE_DEPTH
        );
    }
}

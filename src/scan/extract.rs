//! Runs a language's query over one file and emits language-neutral facts.
//!
//! Nothing here matches on a language: every difference comes from the query
//! captures (see `query.rs`) and the fields of the language's registry row.
//! Items written inside item-level macro bodies are found by re-parsing the
//! body with `Parser::set_included_ranges`, which keeps file line numbers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use tree_sitter::{Node, Parser, QueryCursor, Range, StreamingIterator, Tree};

use crate::model::{Embed, Member, Span};
use crate::scan::lang::{LangSpec, VisibilityRule};
use crate::scan::parse::parse_text;
use crate::scan::pattern::{Capture, Patterns, Scratch};
use crate::scan::query::{items_matcher, query_for, CompiledQuery, ItemsMatcher, Role};
use crate::scan::snapshot::{FileSyntax, Recipe};
use crate::scan::syntax::{
    attribute_is, base_type_name, collapse_ws, is_cfg_test, is_test_attribute, node_text,
};

/// Macro bodies nested deeper than this are not re-parsed.
const MAX_MACRO_DEPTH: u32 = 8;
/// Syntax errors reported per file; the rest are counted.
const MAX_SYNTAX_DIAGNOSTICS: usize = 5;
/// Inline modules nested deeper than this are not listed (one diagnostic
/// says so): every item carries its whole namespace, so
/// unbounded depth makes the work and the output quadratic (10,000 nested
/// `mod a {` took minutes and hundreds of MB).
const MAX_NAMESPACE_DEPTH: usize = 64;
/// Query patterns start no deeper than this in the tree. Every listed item
/// sits far above it (a namespace level is two tree levels); without it the
/// query cursor keeps a state per open level and 10,000 nested modules cost
/// quadratic time inside tree-sitter.
const MAX_QUERY_START_DEPTH: u32 = 4 * MAX_NAMESPACE_DEPTH as u32 + 64;

/// Everything extracted from one file.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileFacts {
    /// Declarations, in source order.
    pub items: Vec<Extracted>,
    /// The package clause's name (Go).
    pub package_name: Option<String>,
    /// The package or module doc comment and its line.
    pub package_doc: Option<(String, u32)>,
    /// Whether the file carries a generated-code header.
    pub generated: bool,
    /// Physical line count (`wc -l`: the number of `\n` bytes).
    pub lines: u64,
    /// Syntax errors and other per-file problems: line, column (1-based,
    /// in characters; 0 when the problem has none) and message.
    pub syntax_errors: Vec<(u32, u32, String)>,
    /// Imports, references and cited sites (`facts.rs`).
    pub notes: crate::scan::facts::Notes,
    /// Lines between the package doc's first line and its first text line
    /// (a bare `/*` opener): the doc's text starts at `line + offset`.
    pub package_doc_offset: u32,
}

/// One declaration of one file, before it is placed in a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Extracted {
    #[serde(deserialize_with = "crate::scan::cache::static_kind")]
    pub kind: crate::scan::cache::StaticKind,
    pub name: String,
    pub parent: Option<String>,
    pub trait_impl: Option<String>,
    pub span: Span,
    pub column: u32,
    pub visibility: String,
    pub signature: String,
    pub doc: Option<String>,
    pub attributes: Vec<String>,
    pub macro_name: Option<String>,
    pub members: Vec<Member>,
    pub embeds: Vec<Embed>,
    /// Names of the enclosing inline namespaces (Rust `mod a { mod b { … } }`).
    pub namespace: Vec<String>,
    /// Inside a test-only module (`#[cfg(test)] mod tests { … }`), or is one.
    pub test_scope: bool,
    /// Whether the declaration has a body (`mod x { … }` versus `mod x;`).
    pub has_body: bool,
    /// Exported items: the declaration text, verbatim (see `model::Item::source`).
    pub source: Option<crate::model::Source>,
}

/// Context a tree inherits from the macro invocation whose body it is.
#[derive(Debug, Clone, Default)]
struct TreeCtx {
    namespace: Vec<String>,
    test: bool,
    macro_name: Option<String>,
    depth: u32,
    /// Set when the macro sits in an impl or trait body: its top-level
    /// declarations belong to that container.
    container: Option<Container>,
}

/// The impl or trait block a macro body sits in.
#[derive(Debug, Clone)]
struct Container {
    parent: String,
    trait_impl: Option<String>,
    /// The trait's own visibility, which its items inherit.
    visibility: Option<String>,
}

/// A macro body waiting to be re-parsed.
struct MacroSite {
    range: Range,
    ctx: TreeCtx,
}

/// Extract the facts of one file. The caller checked the text is UTF-8.
pub(crate) fn extract_file(
    spec: &'static LangSpec,
    parser: &mut Parser,
    text: &str,
) -> Result<FileFacts, String> {
    extract_file_keeping(spec, parser, text, None).map(|(facts, _)| facts)
}

/// [`extract_file`], and from the same parse the copy of the file's syntax
/// `keep` asks for (the reference resolver's input).
pub(crate) fn extract_file_keeping(
    spec: &'static LangSpec,
    parser: &mut Parser,
    text: &str,
    keep: Option<&Recipe>,
) -> Result<(FileFacts, Option<FileSyntax>), String> {
    extract_file_with(spec, parser, text, keep, true)
}

/// [`extract_file_keeping`]; `matcher` false runs the compiled items query
/// on every tree (what the matcher is tested against).
fn extract_file_with(
    spec: &'static LangSpec,
    parser: &mut Parser,
    text: &str,
    keep: Option<&Recipe>,
    matcher: bool,
) -> Result<(FileFacts, Option<FileSyntax>), String> {
    let tree = parse_text(parser, text).ok_or("the parser gave up on this file")?;
    let mut facts = FileFacts {
        lines: bytecount_newlines(text.as_bytes()),
        generated: spec.go_generated_header && has_generated_header(text),
        ..FileFacts::default()
    };
    let root = tree.root_node();
    if root.has_error() {
        facts.syntax_errors = syntax_errors(root, text);
    }
    facts.package_doc = inner_doc(spec, root, text);
    let mut pending = Vec::new();
    extract_tree(
        spec,
        Items::for_tree(spec, &tree, matcher)?,
        &tree,
        text,
        &TreeCtx::default(),
        &mut facts,
        &mut pending,
    );
    // Facts of test modules and of test functions (`#[test] fn`, a
    // `#[cfg(test)]` item) stay out of the report, as test files do.
    let test_lines: Vec<(u32, u32)> = facts
        .items
        .iter()
        .filter(|i| {
            (i.test_scope && spec.namespace_kinds.contains(&i.kind))
                || i.attributes.iter().any(|a| is_test_attribute(a))
        })
        .map(|i| (i.span.line, i.span.end_line))
        .collect();
    // With a copy to take, its walk over the tree also gathers the facts.
    let syntax = match keep {
        Some(recipe) => {
            let mut walk = crate::scan::facts::FactsWalk::new(
                spec,
                text,
                &test_lines,
                tree.root_node().has_error(),
            )?;
            let syntax = FileSyntax::build_visiting(spec, text, &tree, recipe, parser, &mut |n| {
                walk.visit(n)
            });
            facts.notes = walk.finish();
            Some(syntax)
        }
        None => {
            facts.notes = crate::scan::facts::collect(spec, &tree, text, &test_lines)?;
            None
        }
    };
    if let Some((_, line)) = &facts.package_doc {
        // Lines with no letter or digit (`/*`, `//`) before the text.
        let skip = text
            .lines()
            .skip(*line as usize - 1)
            .take_while(|l| !l.chars().any(char::is_alphanumeric))
            .count();
        facts.package_doc_offset = u32::try_from(skip).unwrap_or(0);
    }
    drop(tree);
    while let Some(site) = pending.pop() {
        if parser.set_included_ranges(&[site.range]).is_err() {
            continue;
        }
        let Some(sub) = parser.parse(text, None) else {
            continue;
        };
        // Like syn, take a macro body only when all of it parses as items.
        if sub.root_node().has_error() {
            continue;
        }
        let mut sub_facts = FileFacts::default();
        extract_tree(
            spec,
            Items::for_tree(spec, &sub, matcher)?,
            &sub,
            text,
            &site.ctx,
            &mut sub_facts,
            &mut pending,
        );
        facts.items.append(&mut sub_facts.items);
    }
    facts.items.sort_by(|a, b| {
        (a.span.line, a.column, a.kind, &a.name).cmp(&(b.span.line, b.column, b.kind, &b.name))
    });
    Ok((facts, syntax))
}

/// Benchmark support: the item query's pass alone over a parsed `tree` (no
/// trivia of the file, no facts, no macro re-parse); returns the items found.
pub(crate) fn items_of_tree(spec: &'static LangSpec, tree: &Tree, text: &str) -> usize {
    let Ok(items) = Items::for_tree(spec, tree, true) else {
        return 0;
    };
    let mut facts = FileFacts::default();
    let mut pending = Vec::new();
    extract_tree(
        spec,
        items,
        tree,
        text,
        &TreeCtx::default(),
        &mut facts,
        &mut pending,
    );
    facts.items.len()
}

/// What matches the items patterns over one tree.
#[derive(Clone, Copy)]
enum Items {
    /// The structural matcher (`pattern.rs`), at the nodes where the query
    /// cursor would start patterns: a tree without syntax errors.
    Matcher(&'static ItemsMatcher),
    /// The compiled query: a tree with syntax errors (tree-sitter's handling
    /// of ERROR and MISSING nodes stays its own), or a query the matcher
    /// does not read.
    Query(&'static CompiledQuery),
}

impl Items {
    /// The matcher for `tree` when it has no syntax errors and `matcher`
    /// allows it, else the compiled query.
    fn for_tree(spec: &'static LangSpec, tree: &Tree, matcher: bool) -> Result<Items, String> {
        if matcher && !tree.root_node().has_error() {
            if let Some(m) = items_matcher(spec) {
                return Ok(Items::Matcher(m));
            }
        }
        query_for(spec).map(Items::Query).map_err(|e| e.to_string())
    }

    fn roles(self) -> &'static [Role] {
        match self {
            Items::Matcher(m) => &m.roles,
            Items::Query(cq) => &cq.roles,
        }
    }
}

/// Every match of `patterns` rooted at a node of `tree` no deeper than
/// `max_start_depth` (counting visible nodes, as the query cursor's start
/// depth does), root by root in pre-order, each root's patterns in query
/// order, their captures in step order. A tree cursor visits those nodes
/// only; the matcher reads deeper nodes as the patterns' steps need them.
/// It does not go below a node of a `skip` kind (the `@scope.local`
/// blocks): whatever a pattern rooted inside one captures lies inside it,
/// so [`extract_tree`] drops it as local (a definition, a macro body, the
/// members and embeds of a local owner; a nested scope adds nothing).
fn matcher_matches<'t>(
    patterns: &Patterns,
    tree: &'t Tree,
    src: &[u8],
    max_start_depth: u32,
    skip: &[u16],
    take: &mut dyn FnMut(usize, &[Capture<'t>]),
) {
    let mut scratch = Scratch::default();
    let mut walk = tree.walk();
    let mut depth = 0;
    loop {
        patterns.matches_in_steps_at(walk.node(), src, &mut scratch, &mut |p, caps, _| {
            take(p, caps)
        });
        if depth < max_start_depth
            && !skip.contains(&walk.node().kind_id())
            && walk.goto_first_child()
        {
            depth += 1;
            continue;
        }
        while !walk.goto_next_sibling() {
            if !walk.goto_parent() {
                return;
            }
            depth -= 1;
        }
    }
}

/// A definition found by the query, before filtering.
struct Found<'t> {
    pattern: usize,
    node: Node<'t>,
    kind: &'static str,
    name: Node<'t>,
    body: Option<Node<'t>>,
    parent: Option<Node<'t>>,
    trait_: Option<Node<'t>>,
    visibility: Option<Node<'t>>,
    keyword: Option<Node<'t>>,
}

struct FoundMember<'t> {
    pattern: usize,
    node: Node<'t>,
    kind: &'static str,
    name: Node<'t>,
    visibility: Option<Node<'t>>,
    owner: usize,
}

fn extract_tree<'t>(
    spec: &'static LangSpec,
    items: Items,
    tree: &'t Tree,
    text: &str,
    ctx: &TreeCtx,
    facts: &mut FileFacts,
    pending: &mut Vec<MacroSite>,
) {
    let src = text.as_bytes();
    let mut sib = Siblings::default();
    // Skip function bodies: nothing in them is an item (see depth.rs).
    let max_start_depth = crate::scan::depth::start_depth_bound(spec, tree, MAX_QUERY_START_DEPTH);

    // Keyed by (node id, name start): Go `var a, b int` is one node, two items.
    let mut defs: BTreeMap<(usize, usize), Found> = BTreeMap::new();
    let mut members: BTreeMap<(usize, usize), FoundMember> = BTreeMap::new();
    let mut embeds: Vec<(usize, Node)> = Vec::new();
    let mut scopes: Vec<(usize, usize)> = Vec::new();
    let mut macros: Vec<(Node, Option<Node>, Option<Container>)> = Vec::new();

    let roles = items.roles();
    let mut take = |pattern: usize, captures: &[(u32, Node<'t>)]| {
        let mut def: Option<(Node, Role)> = None;
        let (mut name, mut body, mut parent, mut trait_, mut vis, mut keyword, mut owner) =
            (None, None, None, None, None, None, None);
        let (mut embed, mut macro_body, mut macro_name) = (None, None, None);
        for &(index, node) in captures {
            match roles[index as usize] {
                r @ (Role::Definition(_) | Role::Member(_)) => def = Some((node, r)),
                Role::Name => name = Some(node),
                Role::Body => body = Some(node),
                Role::Parent => parent = Some(node),
                Role::Trait => trait_ = Some(node),
                Role::Visibility => vis = Some(node),
                Role::Keyword => keyword = Some(node),
                Role::Owner => owner = Some(node),
                Role::Embed => embed = Some(node),
                Role::Macro => macro_body = Some(node),
                Role::MacroName => macro_name = Some(node),
                Role::LocalScope => scopes.push((node.start_byte(), node.end_byte())),
                Role::Package => facts.package_name = Some(node_text(node, src).to_string()),
                Role::PackageClause => {
                    if facts.package_doc.is_none() {
                        let (doc, _, doc_line) = leading_trivia(spec, node, src, &mut sib);
                        if let (Some(doc), Some(line)) = (doc, doc_line) {
                            facts.package_doc = Some((doc, line));
                        }
                    }
                }
                Role::Ignored => {}
            }
        }
        if let (Some(e), Some(o)) = (embed, owner) {
            embeds.push((o.id(), e));
        }
        if let Some(b) = macro_body {
            let container = parent.map(|p| Container {
                parent: base_type_name(node_text(p, src)),
                trait_impl: trait_.map(|t| base_type_name(node_text(t, src))),
                visibility: vis.map(|v| normalize_modifier(node_text(v, src))),
            });
            macros.push((b, macro_name, container));
        }
        let (Some((node, role)), Some(name)) = (def, name) else {
            return;
        };
        let key = (node.id(), name.start_byte());
        match role {
            Role::Definition(kind) => {
                if defs.get(&key).is_some_and(|d| d.pattern <= pattern) {
                    return;
                }
                defs.insert(
                    key,
                    Found {
                        pattern,
                        node,
                        kind,
                        name,
                        body,
                        parent,
                        trait_,
                        visibility: vis,
                        keyword,
                    },
                );
            }
            Role::Member(kind) => {
                let Some(owner) = owner else { return };
                if members.get(&key).is_some_and(|d| d.pattern <= pattern) {
                    return;
                }
                members.insert(
                    key,
                    FoundMember {
                        pattern,
                        node,
                        kind,
                        name,
                        visibility: vis,
                        owner: owner.id(),
                    },
                );
            }
            _ => {}
        }
    };
    match items {
        Items::Matcher(m) => {
            matcher_matches(
                &m.patterns,
                tree,
                src,
                max_start_depth,
                &m.scopes,
                &mut take,
            );
        }
        Items::Query(cq) => {
            let mut cursor = QueryCursor::new();
            cursor.set_max_start_depth(Some(max_start_depth));
            let mut matches = cursor.matches(&cq.query, tree.root_node(), src);
            let mut caps: Vec<(u32, Node<'t>)> = Vec::new();
            while let Some(m) = matches.next() {
                caps.clear();
                caps.extend(m.captures().iter().map(|c| (c.index, c.node)));
                take(m.pattern_index, &caps);
            }
        }
    }

    let local = merge_intervals(scopes);
    let is_local = |n: Node| in_intervals(&local, n.start_byte());

    // Place every kept definition (and macro site) in its namespace.
    let mut kept: Vec<Found> = defs.into_values().filter(|d| !is_local(d.node)).collect();
    kept.sort_by_key(|d| {
        (
            d.node.start_byte(),
            std::cmp::Reverse(d.node.end_byte()),
            d.name.start_byte(),
        )
    });

    let mut by_owner: BTreeMap<usize, usize> = BTreeMap::new();
    let mut out: Vec<Extracted> = Vec::with_capacity(kept.len());
    // Stack of open namespaces: (end byte, name, test).
    let mut open: Vec<(usize, String, bool)> = Vec::new();
    // `kept[i]` became `out[out_index[i]]` (not every definition is listed).
    let mut out_index: Vec<Option<usize>> = Vec::with_capacity(kept.len());
    let mut too_deep: Option<u32> = None;
    for d in &kept {
        out_index.push(None);
        let start = d.node.start_byte();
        while open.last().is_some_and(|(end, _, _)| *end <= start) {
            open.pop();
        }
        if ctx.namespace.len() + open.len() >= MAX_NAMESPACE_DEPTH {
            too_deep.get_or_insert(span_of(d.name, d.node).line);
            continue;
        }
        let (doc, attributes, _) = leading_trivia(spec, d.node, src, &mut sib);
        let name = base_type_name(node_text(d.name, src));
        // `#[cfg(test)]` makes a module test-only (rustc keeps other items).
        let test_attr = spec.cfg_test_modules
            && spec.namespace_kinds.contains(&d.kind)
            && attributes.iter().any(|a| is_cfg_test(a));
        let namespace: Vec<String> = ctx
            .namespace
            .iter()
            .cloned()
            .chain(open.iter().map(|o| o.1.clone()))
            .collect();
        let test_scope = ctx.test || open.iter().any(|o| o.2) || test_attr;
        if spec.namespace_kinds.contains(&d.kind) && d.body.is_some() {
            open.push((d.node.end_byte(), name.clone(), test_scope));
        }
        if name == "_" || name.is_empty() {
            continue;
        }
        let mut visibility = visibility_of(
            spec,
            &name,
            d.visibility,
            d.trait_.is_some(),
            &attributes,
            src,
        );
        let mut kind = d.kind;
        let mut parent = d.parent.map(|p| base_type_name(node_text(p, src)));
        let mut trait_impl = d.trait_.map(|t| base_type_name(node_text(t, src)));
        if let Some(c) = ctx
            .container
            .as_ref()
            .filter(|_| d.node.parent().is_some_and(|p| p.parent().is_none()))
        {
            // Only what an impl or trait block can hold belongs to it.
            let Some(&(_, contained)) = spec.contained_kinds.iter().find(|(from, _)| *from == kind)
            else {
                continue;
            };
            kind = contained;
            parent = Some(c.parent.clone());
            trait_impl = c.trait_impl.clone();
            if trait_impl.is_some() {
                visibility = "impl".into();
            } else if let Some(v) = &c.visibility {
                visibility = v.clone();
            }
        }
        let source = verbatim_source(&visibility, d.name, d.node, d.body, src);
        let ex = Extracted {
            kind,
            parent,
            trait_impl,
            span: span_of(d.name, d.node),
            column: d.name.start_position().column as u32,
            visibility,
            signature: signature(spec, d.node, d.body, d.keyword, src),
            doc,
            attributes,
            macro_name: ctx.macro_name.clone(),
            members: Vec::new(),
            embeds: Vec::new(),
            namespace,
            test_scope,
            has_body: d.body.is_some(),
            source,
            name,
        };
        by_owner.entry(d.node.id()).or_insert(out.len());
        if let Some(slot) = out_index.last_mut() {
            *slot = Some(out.len());
        }
        out.push(ex);
    }
    if let Some(line) = too_deep {
        facts.syntax_errors.push((
            line,
            0,
            format!("declarations nested deeper than {MAX_NAMESPACE_DEPTH} inline modules are not listed"),
        ));
    }

    let mut members: Vec<FoundMember> = members.into_values().collect();
    members.sort_by_key(|m| m.name.start_byte());
    for m in members {
        let Some(&idx) = by_owner.get(&m.owner) else {
            continue;
        };
        let name = base_type_name(node_text(m.name, src));
        if name == "_" || name.is_empty() {
            continue;
        }
        let visibility = visibility_of(spec, &name, m.visibility, false, &[], src);
        let span = span_of(m.name, m.node);
        out[idx].members.push(Member {
            kind: m.kind.to_string(),
            signature: collapse_ws(&strip_comments(m.node, m.node.end_byte(), src)),
            doc: leading_trivia(spec, m.node, src, &mut sib).0,
            name,
            line: span.line,
            end_line: span.end_line,
            visibility,
        });
    }
    for (owner, e) in embeds {
        if let Some(&idx) = by_owner.get(&owner) {
            out[idx].embeds.push(Embed {
                text: collapse_ws(&strip_comments(e, e.end_byte(), src)),
                line: Span::from_rows(e.start_position().row, e.start_position().row, false).line,
            });
        }
    }
    for item in &mut out {
        item.embeds.sort_by_key(|e| e.line);
    }

    if ctx.depth < MAX_MACRO_DEPTH {
        // Only namespaces can enclose a macro site; looking at every kept
        // definition per site made 20,000 invocations quadratic (15 s).
        let namespaces: Vec<(&Found, &Option<usize>)> = kept
            .iter()
            .zip(&out_index)
            .filter(|(d, _)| spec.namespace_kinds.contains(&d.kind) && d.body.is_some())
            .collect();
        for (body, name, container) in macros {
            if is_local(body) {
                continue;
            }
            let Some(range) = interior_range(body) else {
                continue;
            };
            if opens_no_statement(spec, body) {
                continue;
            }
            let at = body.start_byte();
            // The namespace of the invocation: items of `out` that enclose it.
            let mut namespace = ctx.namespace.clone();
            let mut test = ctx.test;
            let mut depth = ctx.namespace.len();
            for &(d, i) in &namespaces {
                if d.node.start_byte() <= at && at < d.node.end_byte() {
                    depth += 1;
                    if let Some(ex) = i.map(|i| &out[i]) {
                        namespace = ex.namespace.clone();
                        namespace.push(ex.name.clone());
                        test |= ex.test_scope;
                    }
                }
            }
            if depth >= MAX_NAMESPACE_DEPTH {
                continue;
            }
            let macro_name = ctx
                .macro_name
                .clone()
                .or_else(|| name.map(|n| base_type_name(node_text(n, src))));
            pending.push(MacroSite {
                range,
                ctx: TreeCtx {
                    namespace,
                    test,
                    macro_name,
                    depth: ctx.depth + 1,
                    container: container.or_else(|| ctx.container.clone()),
                },
            });
        }
    }
    facts.items.append(&mut out);
}

/// Visibilities whose items are part of a package's frozen surface.
const EXPORTED_VISIBILITIES: &[&str] = &["exported", "pub"];

/// Longest text before a name on its line that a verbatim declaration copies.
const MAX_VERBATIM_PREFIX: usize = 1024;

/// The declaration of an exported item copied verbatim: whole lines from the
/// name's line to the end of the node, or, when it has a block body, to the
/// text before that body (a function without its body). Types keep their body.
fn verbatim_source(
    visibility: &str,
    name: Node,
    node: Node,
    body: Option<Node>,
    src: &[u8],
) -> Option<crate::model::Source> {
    if !EXPORTED_VISIBILITIES.contains(&visibility) {
        return None;
    }
    // Columns are bytes: no scan back over a (possibly 10 MB) line. A line
    // prefix longer than any hand-written one is minified code: copy from the
    // declaration, not the whole line, or each item copies megabytes.
    let line_start = name.start_byte() - name.start_position().column;
    let line_start = if name.start_byte() - line_start <= MAX_VERBATIM_PREFIX {
        line_start
    } else if node.start_byte() >= line_start {
        node.start_byte()
    } else {
        name.start_byte()
    };
    // A body that is a block (`{ … }` of a function) is cut; type bodies stay.
    let cut = body.filter(|b| b.kind() == "block");
    let end = cut
        .map_or(node.end_byte(), |b| b.start_byte())
        .max(line_start);
    let text = std::str::from_utf8(&src[line_start..end]).ok()?.trim_end();
    let end_line =
        u32::try_from(name.start_position().row + text.matches('\n').count() + 1).ok()?;
    Some(crate::model::Source {
        end_line,
        text: text.to_string(),
    })
}

/// Whether a macro body's first tokens are a name and then `:`, `,` or
/// `=>` (a table: `test! { name: parse_empty, text: "" }`, `impls!(A, B)`):
/// no Rust statement or item starts so (a label is a lifetime token, a
/// metavariable starts with `$`), so the body is no item list and its
/// re-parse could only fail. The re-parse is skipped because failing is
/// dear: tree-sitter's error recovery tries every token of the grammar at
/// each error, and on a crate of such test tables it cost as much as
/// parsing every file. Any other body is re-parsed, so what is taken does
/// not change.
fn opens_no_statement(spec: &LangSpec, token_tree: Node) -> bool {
    let mut cursor = token_tree.walk();
    let mut tokens = token_tree
        .children(&mut cursor)
        .skip(1)
        .filter(|t| !spec.comment_kinds.contains(&t.kind()));
    let (Some(first), Some(second)) = (tokens.next(), tokens.next()) else {
        return false;
    };
    first.kind() == "identifier" && matches!(second.kind(), ":" | "," | "=>")
}

/// The range inside a token tree's delimiters.
fn interior_range(token_tree: Node) -> Option<Range> {
    let count = token_tree.child_count();
    if count < 2 {
        return None;
    }
    let open = token_tree.child(0)?;
    let close = token_tree.child(count - 1)?;
    if open.end_byte() >= close.start_byte() {
        return None;
    }
    Some(Range {
        start_byte: open.end_byte(),
        end_byte: close.start_byte(),
        start_point: open.end_position(),
        end_point: close.start_position(),
    })
}

fn span_of(name: Node, decl: Node) -> Span {
    let end = decl.end_position();
    Span::from_rows(name.start_position().row, end.row, end.column == 0)
}

fn visibility_of(
    spec: &LangSpec,
    name: &str,
    modifier: Option<Node>,
    in_trait_impl: bool,
    attributes: &[String],
    src: &[u8],
) -> String {
    match spec.visibility {
        VisibilityRule::Capitalized => {
            if name.chars().next().is_some_and(char::is_uppercase) {
                "exported".into()
            } else {
                "private".into()
            }
        }
        VisibilityRule::Modifier => {
            if in_trait_impl {
                "impl".into()
            } else if let Some(m) = modifier {
                normalize_modifier(node_text(m, src))
            } else if attributes
                .iter()
                .any(|a| spec.export_attributes.iter().any(|e| attribute_is(a, e)))
            {
                "pub".into()
            } else {
                "private".into()
            }
        }
    }
}

/// `pub ( crate )` → `pub(crate)`, `pub(self)` → `private`, `crate` → `pub(crate)`.
fn normalize_modifier(text: &str) -> String {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    match compact.as_str() {
        "pub" => "pub".into(),
        "crate" | "pub(crate)" => "pub(crate)".into(),
        "pub(self)" => "private".into(),
        "pub(super)" => "pub(super)".into(),
        _ => match compact
            .strip_prefix("pub(in")
            .and_then(|r| r.strip_suffix(')'))
        {
            Some(path) => format!("pub(in {path})"),
            None => collapse_ws(text),
        },
    }
}

/// Declaration text before its body, without comments, whitespace collapsed.
fn signature(
    spec: &LangSpec,
    node: Node,
    body: Option<Node>,
    keyword: Option<Node>,
    src: &[u8],
) -> String {
    let end = body
        .map_or(node.end_byte(), |b| b.start_byte())
        .max(node.start_byte());
    let mut sig = collapse_ws(&strip_comments(node, end, src));
    // A body cut after its opening delimiter (macro rules) leaves it behind.
    while sig.ends_with(['{', '(', '[']) && body.is_some_and(|b| b.start_byte() > node.start_byte())
    {
        sig.pop();
        sig.truncate(sig.trim_end().len());
    }
    if let Some(k) = keyword {
        if k.end_byte() <= node.start_byte() {
            sig = format!("{} {sig}", node_text(k, src));
        }
    }
    let _ = spec;
    sig
}

/// The text of `node` up to byte `end`, with comment nodes removed. Iterative:
/// deeply nested declarations must not overflow the stack.
fn strip_comments(node: Node, end: usize, src: &[u8]) -> String {
    let start = node.start_byte();
    let end = end.min(node.end_byte()).max(start);
    // Go's and Rust's comments (the languages with items) open with `//` or
    // `/*`: a text with no `/` before one of them holds none, and most
    // signatures and members need no walk (whose cost grew with a const's
    // or a field's initializer).
    let window = &src[start..(end + 1).min(src.len())];
    if !memchr::memchr_iter(b'/', window)
        .any(|i| matches!(window.get(i + 1), Some(b'/' | b'*')) && start + i < end)
    {
        return std::str::from_utf8(&src[start..end])
            .unwrap_or("")
            .to_string();
    }
    strip_comments_walk(node, end, src)
}

/// [`strip_comments`] by a walk over the nodes before `end` (which `end`
/// clamps as there).
fn strip_comments_walk(node: Node, end: usize, src: &[u8]) -> String {
    let start = node.start_byte();
    let end = end.min(node.end_byte()).max(start);
    let mut comments: Vec<(usize, usize)> = Vec::new();
    let mut cursor = node.walk();
    'walk: loop {
        let n = cursor.node();
        if n.start_byte() < end && n.is_extra() && n.kind().contains("comment") {
            comments.push((n.start_byte(), n.end_byte().min(end)));
        } else if n.start_byte() < end && n.child_count() > 0 && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node().id() == node.id() {
                break 'walk;
            }
            if cursor.goto_next_sibling() {
                if cursor.node().start_byte() >= end {
                    continue;
                }
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    let mut out = String::with_capacity(end - start);
    let mut at = start;
    for (s, e) in comments {
        if s > at {
            out.push_str(std::str::from_utf8(&src[at..s]).unwrap_or(""));
        }
        out.push(' ');
        at = at.max(e);
    }
    if end > at {
        out.push_str(std::str::from_utf8(&src[at..end]).unwrap_or(""));
    }
    out
}

/// Doc comment, attributes and the doc's first line for a declaration node:
/// the comments and attributes directly above it, with no blank line between.
fn leading_trivia<'t>(
    spec: &LangSpec,
    node: Node<'t>,
    src: &[u8],
    sib: &mut Siblings<'t>,
) -> (Option<String>, Vec<String>, Option<u32>) {
    let mut anchor = node;
    // A lone spec inside its declaration (Go `type A int`) takes the
    // declaration's doc comment.
    for _ in 0..3 {
        let alone = prev_non_trivia(spec, sib, anchor).is_none()
            && next_non_trivia(spec, sib, anchor).is_none();
        match sib.parent(anchor) {
            Some(p)
                if alone
                    && sib.parent(p).is_some()
                    && !has_comment_child_before(spec, sib, anchor) =>
            {
                anchor = p
            }
            _ => break,
        }
    }
    let mut docs: Vec<&str> = Vec::new();
    let mut attrs: Vec<String> = Vec::new();
    let mut top_row = anchor.start_position().row;
    let mut first_doc_row = None;
    let mut cur = sib.step(anchor, false);
    while let Some(n) = cur {
        let kind = n.kind();
        let end = n.end_position();
        let end_row = if end.column == 0 && end.row > n.start_position().row {
            end.row - 1
        } else {
            end.row
        };
        if end_row + 1 < top_row {
            break;
        }
        if spec.attribute_kinds.contains(&kind) {
            attrs.push(collapse_ws(node_text(n, src)));
        } else if spec.comment_kinds.contains(&kind) {
            let text = node_text(n, src);
            let is_doc = spec.doc_prefixes.iter().any(|p| text.starts_with(p))
                && !spec.non_doc_prefixes.iter().any(|p| text.starts_with(p));
            if !is_doc {
                break;
            }
            docs.push(text);
            first_doc_row = Some(n.start_position().row);
        } else {
            break;
        }
        top_row = n.start_position().row;
        cur = sib.step(n, false);
    }
    attrs.reverse();
    docs.reverse();
    let doc = if docs.is_empty() {
        None
    } else {
        Some(doc_text(&docs))
    };
    let line = first_doc_row.map(|r| Span::from_rows(r, r, false).line);
    (doc.filter(|d| !d.is_empty()), attrs, line)
}

fn is_trivia(spec: &LangSpec, n: Node) -> bool {
    spec.comment_kinds.contains(&n.kind()) || spec.attribute_kinds.contains(&n.kind())
}

/// Parents and named siblings, each parent's children listed once.
/// tree-sitter's `parent` and `prev_named_sibling` walk a parent's children
/// from the first, so stepping through a run of 20,000 top-level comment
/// lines was quadratic (minutes); here a step is a map lookup.
#[derive(Default)]
struct Siblings<'t> {
    /// Parent id → its named children in order.
    lists: BTreeMap<usize, Vec<Node<'t>>>,
    /// Child id → (parent, index in the parent's list).
    slot: BTreeMap<usize, (Node<'t>, usize)>,
}

impl<'t> Siblings<'t> {
    fn parent(&mut self, n: Node<'t>) -> Option<Node<'t>> {
        if let Some(&(p, _)) = self.slot.get(&n.id()) {
            return Some(p);
        }
        let p = n.parent()?;
        if !self.lists.contains_key(&p.id()) {
            let mut cursor = p.walk();
            let list: Vec<Node<'t>> = p.named_children(&mut cursor).collect();
            for (i, c) in list.iter().enumerate() {
                self.slot.insert(c.id(), (p, i));
            }
            self.lists.insert(p.id(), list);
        }
        Some(p)
    }

    /// The previous (`forward == false`) or next named sibling of `n`.
    fn step(&mut self, n: Node<'t>, forward: bool) -> Option<Node<'t>> {
        let p = self.parent(n)?;
        let Some(&(_, i)) = self.slot.get(&n.id()) else {
            // Not a named child of its parent (an anonymous node).
            return if forward {
                n.next_named_sibling()
            } else {
                n.prev_named_sibling()
            };
        };
        let j = if forward {
            i.checked_add(1)?
        } else {
            i.checked_sub(1)?
        };
        self.lists.get(&p.id())?.get(j).copied()
    }
}

fn prev_non_trivia<'t>(spec: &LangSpec, sib: &mut Siblings<'t>, n: Node<'t>) -> Option<Node<'t>> {
    let mut cur = sib.step(n, false);
    while let Some(c) = cur {
        if !is_trivia(spec, c) {
            return Some(c);
        }
        cur = sib.step(c, false);
    }
    None
}

fn next_non_trivia<'t>(spec: &LangSpec, sib: &mut Siblings<'t>, n: Node<'t>) -> Option<Node<'t>> {
    let mut cur = sib.step(n, true);
    while let Some(c) = cur {
        if !is_trivia(spec, c) {
            return Some(c);
        }
        cur = sib.step(c, true);
    }
    None
}

fn has_comment_child_before<'t>(spec: &LangSpec, sib: &mut Siblings<'t>, n: Node<'t>) -> bool {
    sib.step(n, false).is_some_and(|p| is_trivia(spec, p))
}

/// Comment markers stripped, one leading space per line removed.
fn doc_text(comments: &[&str]) -> String {
    let mut lines: Vec<String> = Vec::new();
    for c in comments {
        let c = c.trim_end();
        if let Some(body) = c.strip_prefix("/*") {
            let body = body.strip_suffix("*/").unwrap_or(body);
            let body = body.trim_start_matches(['*', '!']);
            for l in body.lines() {
                let l = l.trim();
                let l = l.strip_prefix('*').unwrap_or(l);
                lines.push(l.strip_prefix(' ').unwrap_or(l).trim_end().to_string());
            }
        } else {
            let body = c.trim_start_matches('/');
            let body = body.strip_prefix('!').unwrap_or(body);
            lines.push(
                body.strip_prefix(' ')
                    .unwrap_or(body)
                    .trim_end()
                    .to_string(),
            );
        }
    }
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

/// The module doc: inner doc comments (`//!`) at the top of the file.
fn inner_doc(spec: &LangSpec, root: Node, src: &str) -> Option<(String, u32)> {
    if spec.inner_doc_prefixes.is_empty() {
        return None;
    }
    let mut docs = Vec::new();
    let mut first = None;
    let mut cursor = root.walk();
    for child in root.named_children(&mut cursor) {
        let text = node_text(child, src.as_bytes());
        if spec.comment_kinds.contains(&child.kind()) {
            if spec.inner_doc_prefixes.iter().any(|p| text.starts_with(p)) {
                first.get_or_insert(child.start_position().row);
                docs.push(text);
            }
            continue;
        }
        if child.kind().starts_with("inner_attribute") {
            continue;
        }
        break;
    }
    let row = first?;
    let doc = doc_text(&docs);
    (!doc.is_empty()).then(|| (doc, Span::from_rows(row, row, false).line))
}

/// Go's rule: a line `// Code generated … DO NOT EDIT.` before the first
/// non-comment text.
fn has_generated_header(text: &str) -> bool {
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        if !line.starts_with("//") {
            return false;
        }
        if line.starts_with("// Code generated ") && line.ends_with(" DO NOT EDIT.") {
            return true;
        }
    }
    false
}

/// First syntax errors of a tree (iterative walk into erroneous subtrees
/// only), each at the point where the parser stopped: the innermost error
/// inside an error node (tree-sitter's outer node often starts at the
/// enclosing construct, a line or more before), as line, column (1-based,
/// in characters) and message.
fn syntax_errors(root: Node, text: &str) -> Vec<(u32, u32, String)> {
    let mut out = Vec::new();
    let mut total = 0usize;
    let mut cursor = root.walk();
    'walk: loop {
        let n = cursor.node();
        let descend = if n.is_error() || n.is_missing() {
            total += 1;
            if out.len() < MAX_SYNTAX_DIAGNOSTICS {
                let at = innermost_error(n);
                let p = at.start_position();
                let line = Span::from_rows(p.row, p.row, false).line;
                let msg = if at.is_missing() {
                    format!("syntax error: missing `{}`", at.kind())
                } else {
                    match first_token(at, text) {
                        Some(tok) => format!("syntax error near `{tok}`"),
                        None => "syntax error".to_string(),
                    }
                };
                out.push((line, char_column(text, at.start_byte()), msg));
            }
            false
        } else {
            n.has_error()
        };
        if descend && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                continue 'walk;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    if total > out.len() {
        let (line, column) = out.last().map_or((1, 0), |l| (l.0, l.1));
        out.push((
            line,
            column,
            format!("{} more syntax errors in this file", total - out.len()),
        ));
    }
    out
}

/// The deepest error (or missing node) on the path of first erroneous
/// children below the error node `n`.
fn innermost_error(n: Node) -> Node {
    let mut best = n;
    let mut at = n;
    loop {
        let mut c = at.walk();
        let next = at
            .children(&mut c)
            .find(|k| k.is_error() || k.is_missing() || k.has_error());
        let Some(k) = next else {
            return best;
        };
        if k.is_error() || k.is_missing() {
            best = k;
        }
        at = k;
    }
}

/// The text of the first leaf under `n`, shortened; `None` if empty.
fn first_token(n: Node, text: &str) -> Option<String> {
    let mut leaf = n;
    while let Some(c) = leaf.child(0) {
        leaf = c;
    }
    let tok = text.get(leaf.start_byte()..leaf.end_byte())?.trim();
    let tok: String = tok.lines().next()?.chars().take(40).collect();
    (!tok.is_empty()).then_some(tok)
}

/// 1-based column of byte `at` in characters (tabs count one, as editors'
/// status lines show).
fn char_column(text: &str, at: usize) -> u32 {
    let at = at.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let chars = text.get(line_start..at).map_or(0, |s| s.chars().count());
    u32::try_from(chars + 1).unwrap_or(u32::MAX)
}

/// Merge nested and overlapping intervals into sorted disjoint ones.
fn merge_intervals(mut v: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    v.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

fn in_intervals(v: &[(usize, usize)], at: usize) -> bool {
    let i = v.partition_point(|(s, _)| *s <= at);
    i > 0 && at < v[i - 1].1
}

fn bytecount_newlines(b: &[u8]) -> u64 {
    b.iter().filter(|&&c| c == b'\n').count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::lang::lang_by_name;
    use crate::scan::parse::with_parser;

    /// The items matcher finds exactly the items query's matches (pattern,
    /// captures and their order in each match; the cursor started no deeper
    /// than the extractor's bound) on every error-free tree of this crate's
    /// sources, `testdata/` and the trees `PLANRECON_ITEMS_TREES` lists, and
    /// the extracted facts (macro bodies' items included) are the same;
    /// every pattern of both items queries matches somewhere.
    #[test]
    fn the_items_matcher_matches_the_query() {
        // What the crate's sources lack: an item macro as a statement, the
        // items of extern blocks and of traits' and impls' macros, unions.
        let rust = "m! { fn a() {} }\nn!(struct B;);\n\
            extern \"C\" { pub fn c(); pub static D: u8; type E; }\n\
            pub union F { pub g: u8 }\n\
            pub trait H { i!(); type J; const K: u8; fn l() {} fn m(); }\n\
            impl H for N { o!(); type J = u8; const K: u8 = 1; fn l() {} }\n\
            impl N { p!(); pub type Q = u8; pub const R: u8 = 1; }\n\
            mod s { t!(); }\n\
            macro_rules! u { () => {}; }\nmacro_rules! v { // c\n () => {}; }\n";
        let mut inputs = vec![("rust", rust.to_string())];
        inputs.extend(crate::scan::test_sources::go_and_rust_sources(
            "PLANRECON_ITEMS_TREES",
        ));
        let mut compared = 0;
        for lang in ["go", "rust"] {
            let spec = lang_by_name(lang).expect("language");
            let matcher = items_matcher(spec).expect("the matcher reads items.scm");
            let cq = query_for(spec).expect("query");
            assert_eq!(
                matcher.patterns.capture_names(),
                cq.query.capture_names(),
                "{lang}: capture order"
            );
            let mut hit = vec![0usize; cq.query.pattern_count()];
            for (_, text) in inputs.iter().filter(|(l, _)| *l == lang) {
                let ok = with_parser(spec, |p| {
                    let tree = parse_text(p, text).expect("parse");
                    if tree.root_node().has_error() {
                        return false;
                    }
                    let src = text.as_bytes();
                    let depth =
                        crate::scan::depth::start_depth_bound(spec, &tree, MAX_QUERY_START_DEPTH);
                    type Seen = (usize, Vec<(u32, usize)>);
                    let mut want: Vec<Seen> = Vec::new();
                    let mut cursor = QueryCursor::new();
                    cursor.set_max_start_depth(Some(depth));
                    let mut matches = cursor.matches(&cq.query, tree.root_node(), src);
                    while let Some(m) = matches.next() {
                        hit[m.pattern_index] += 1;
                        let caps = m.captures().iter().map(|c| (c.index, c.node.id()));
                        want.push((m.pattern_index, caps.collect()));
                    }
                    let mut got: Vec<Seen> = Vec::new();
                    matcher_matches(&matcher.patterns, &tree, src, depth, &[], &mut |i, caps| {
                        got.push((i, caps.iter().map(|(c, n)| (*c, n.id())).collect()));
                    });
                    want.sort();
                    got.sort();
                    let only = |a: &[Seen], b: &[Seen]| -> Vec<Seen> {
                        a.iter()
                            .filter(|x| !b.contains(x))
                            .take(3)
                            .cloned()
                            .collect()
                    };
                    assert!(
                        want == got,
                        "{lang}: query only {:?}, matcher only {:?} in {}",
                        only(&want, &got),
                        only(&got, &want),
                        &text[..text.len().min(80)]
                    );
                    let mut by = |matcher: bool| {
                        extract_file_with(spec, p, text, None, matcher).map(|(f, _)| f)
                    };
                    let (with_matcher, with_query) = (by(true), by(false));
                    assert_eq!(
                        with_matcher,
                        with_query,
                        "{lang}: facts of {}",
                        &text[..text.len().min(80)]
                    );
                    true
                })
                .expect("parser");
                compared += usize::from(ok);
            }
            let missed: Vec<usize> = (0..hit.len()).filter(|&p| hit[p] == 0).collect();
            assert!(
                missed.is_empty(),
                "{lang}: items.scm patterns {missed:?} matched nowhere"
            );
        }
        assert!(compared > 80, "compared {compared} sources");
    }

    /// The shortcut of [`strip_comments`] gives the walk's text: on every
    /// node one to four levels deep in this crate's sources and
    /// `testdata/`, cut at each child's start and at its end; and every
    /// comment there opens with `//` or `/*`, as the shortcut assumes.
    #[test]
    fn comments_are_stripped_as_by_the_walk() {
        let inputs = crate::scan::test_sources::go_and_rust_sources("PLANRECON_ITEMS_TREES");
        let mut comments = 0;
        for spec in crate::scan::lang::LANGS {
            for (_, text) in inputs.iter().filter(|(l, _)| *l == spec.name) {
                let tree = with_parser(spec, |p| parse_text(p, text))
                    .flatten()
                    .expect("parse");
                let src = text.as_bytes();
                let mut walk = tree.walk();
                let mut depth = 0;
                'all: loop {
                    let n = walk.node();
                    if n.is_extra() && n.kind().contains("comment") {
                        comments += 1;
                        let t = node_text(n, src);
                        assert!(t.starts_with("//") || t.starts_with("/*"), "{t}");
                    }
                    let mut ends = vec![n.end_byte()];
                    let mut c = n.walk();
                    ends.extend(n.children(&mut c).map(|k| k.start_byte()));
                    // Not the root: cut at each item, it reads the file again and again.
                    for end in ends.into_iter().filter(|_| depth > 0) {
                        assert_eq!(
                            strip_comments(n, end, src),
                            strip_comments_walk(n, end, src)
                        );
                    }
                    if depth < 4 && walk.goto_first_child() {
                        depth += 1;
                        continue;
                    }
                    while !walk.goto_next_sibling() {
                        if !walk.goto_parent() {
                            break 'all;
                        }
                        depth -= 1;
                    }
                }
            }
        }
        assert!(comments > 1000, "{comments} comments");
    }

    #[test]
    fn base_type_names() {
        for (input, want) in [
            ("*pkg.List[T]", "List"),
            ("List[K, V]", "List"),
            ("&'a mut Box<Foo>", "Box"),
            ("dyn Trait + Send", "Trait"),
            ("std::fmt::Display", "Display"),
            ("r#type", "type"),
            ("[T]", "[T]"),
            ("(T)", "T"),
            ("!Send", "Send"),
            ("*T", "T"),
            ("()", "()"),
            ("!", "!"),
            ("(IpAddr, u16)", "(IpAddr , u16)"),
            ("(&str, u16)", "(& str , u16)"),
            ("[u8; 4]", "[u8 ; 4]"),
            ("(T,)", "(T )"),
            ("fn() -> R", "fn () -> R"),
        ] {
            assert_eq!(base_type_name(input), want, "{input}");
        }
    }

    #[test]
    fn guards_of_test_functions_stay_out_of_the_notes() {
        let spec = crate::scan::lang::lang_by_name("rust").expect("rust");
        let src = "fn check(n: u32) {\n    assert!(n > 0, \"n must be positive\");\n}\n\n\
                   #[cfg(test)]\n#[test]\nfn t() {\n    assert_eq!(1, 1);\n}\n\n\
                   #[tokio::test]\nasync fn u() {\n    assert!(true);\n}\n";
        let facts = crate::scan::parse::with_parser(spec, |p| extract_file(spec, p, src))
            .expect("parser")
            .expect("facts");
        let guards: Vec<u32> = facts
            .notes
            .sites
            .iter()
            .filter(|s| s.kind == crate::model::SiteKind::Guard)
            .map(|s| s.line)
            .collect();
        assert_eq!(guards, [2], "only the guard of non-test code");
    }

    #[test]
    fn cfg_test_forms() {
        assert!(is_cfg_test("#[cfg(test)]"));
        assert!(is_cfg_test("#[cfg( all( test, feature = \"x\") )]"));
        assert!(is_cfg_test("#[cfg(any(test, test))]"));
        assert!(!is_cfg_test("#[cfg(any(test, unix))]"));
        assert!(!is_cfg_test("#[cfg(not(test))]"));
        assert!(!is_cfg_test("#[cfg_attr(test, derive(Debug))]"));
        // Hostile nesting neither overflows the stack nor counts as test-only.
        let deep = format!(
            "#[cfg({}test{})]",
            "all(".repeat(10_000),
            ")".repeat(10_000)
        );
        assert!(!is_cfg_test(&deep));
        assert!(is_cfg_test(&format!(
            "#[cfg({}test{})]",
            "all(".repeat(20),
            ")".repeat(20)
        )));
    }

    /// The skip rule against the grammar: a body it skips fails to re-parse
    /// as items, and bodies it keeps include ones that re-parse cleanly.
    #[test]
    fn macro_bodies_skipped_by_their_first_tokens_are_no_item_lists() {
        let spec = crate::scan::lang::lang_by_name("rust").expect("rust grammar");
        let src = r#"
test! { name: empty, text: "", tree: "(justfile)" }
impls!(Alpha, Beta, Gamma);
arms! { Left => 1, Right => 2 }
commented! { /* lead */ name: x }
items! { pub struct Kept; fn kept() {} }
assign! { x = 1; }
statics! { static ref TABLE: u8 = 1; }
generic! { Iter<'a, T> => Item }
labelled! { 'outer: loop {} }
"#;
        let mut parser = Parser::new();
        parser
            .set_language(&tree_sitter::Language::new(spec.grammar))
            .expect("language");
        let tree = parse_text(&mut parser, src).expect("parsed");
        let mut skipped = Vec::new();
        let mut clean = Vec::new();
        let mut cursor = tree.root_node().walk();
        for stmt in tree.root_node().named_children(&mut cursor) {
            let invocation = if stmt.kind() == "expression_statement" {
                stmt.named_child(0).expect("invocation")
            } else {
                stmt
            };
            assert_eq!(invocation.kind(), "macro_invocation", "{}", stmt.to_sexp());
            let name = node_text(
                invocation.child_by_field_name("macro").expect("name"),
                src.as_bytes(),
            );
            let last = invocation.child_count() - 1;
            let body = invocation.child(last).expect("body");
            let range = interior_range(body).expect("a body");
            parser.set_included_ranges(&[range]).expect("range");
            let reparsed = parser.parse(src, None).expect("re-parsed");
            if opens_no_statement(spec, body) {
                assert!(
                    reparsed.root_node().has_error(),
                    "{name} skipped, yet parses as items"
                );
                skipped.push(name);
            } else if !reparsed.root_node().has_error() {
                clean.push(name);
            }
        }
        assert_eq!(skipped, ["test", "impls", "arms", "commented"]);
        // A label is a lifetime token, not a name: `'outer: loop {}` is a statement.
        assert_eq!(clean, ["items", "assign", "statics", "labelled"]);
    }

    #[test]
    fn modifiers_normalize() {
        assert_eq!(normalize_modifier("pub"), "pub");
        assert_eq!(normalize_modifier("pub( crate )"), "pub(crate)");
        assert_eq!(normalize_modifier("crate"), "pub(crate)");
        assert_eq!(normalize_modifier("pub(self)"), "private");
        assert_eq!(normalize_modifier("pub(in crate::a)"), "pub(in crate::a)");
    }

    #[test]
    fn intervals_merge_and_contain() {
        let v = merge_intervals(vec![(10, 20), (12, 15), (30, 40), (0, 5)]);
        assert_eq!(v, vec![(0, 5), (10, 20), (30, 40)]);
        assert!(in_intervals(&v, 10) && in_intervals(&v, 19) && !in_intervals(&v, 20));
        assert!(!in_intervals(&v, 25) && in_intervals(&v, 0) && !in_intervals(&v, 45));
    }

    #[test]
    fn generated_header_rule() {
        assert!(has_generated_header(
            "// Code generated by x. DO NOT EDIT.\n\npackage a\n"
        ));
        assert!(has_generated_header(
            "// Copyright\n// Code generated by x. DO NOT EDIT.\r\npackage a\n"
        ));
        assert!(!has_generated_header(
            "package a\n// Code generated by x. DO NOT EDIT.\n"
        ));
    }
}

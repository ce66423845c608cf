//! An owned, compact copy of one file's syntax and of one query's matches
//! over it, taken during the scan's parse so that a later stage (the
//! reference resolver) never parses the file again.
//!
//! The copy keeps every named node (and every anonymous node that has
//! children or is captured) in pre-order, with its kind, the field it fills
//! in its parent, its byte range and its parent; punctuation and keyword
//! leaves are left out. It keeps the query's matches in the order the
//! query cursor produces them. The query's patterns run through the
//! structural matcher (`pattern.rs`) at each node of the walk that copies
//! the tree, and [`Live`] hands on each match when the walk reaches the
//! node where the cursor would finish it, so the matches and their order
//! are the cursor's (a unit test compares the sequences, on trees with
//! syntax errors too); only a query the matcher cannot read runs the
//! cursor. Macro bodies the query marks (a capture
//! named in the [`Recipe`]) are parsed on their own (`set_included_ranges`,
//! so byte offsets stay the file's) and copied as further trees,
//! [`MACRO_LEVELS`] deep; each remembers the node it was parsed from. Test-candidate
//! captures carry whether their attributes make them test code, which
//! needs the previous siblings the copy does not keep.
//!
//! [`SNode`] answers the questions the resolver asks of a tree-sitter
//! `Node` (kind, parent, field children, named children, positions) with
//! the same answers for every node it keeps; a field child that is an
//! omitted leaf reads as absent.

use std::sync::OnceLock;

use streaming_iterator::StreamingIterator;
use tree_sitter::{Language, Parser, QueryCursor, Tree};

use crate::scan::lang::{lang_index, LangSpec, LANGS};
use crate::scan::pattern::{Capture, Patterns, Scratch};
use crate::scan::query::LazyQuery;
use crate::scan::syntax::is_test_attribute;
use crate::util::idhash::{IdMap, IdSet};

/// No parent (a tree's root).
const NONE: u32 = u32::MAX;
/// Flag: a named node (a bit of [`NodeData::field`]).
const NAMED: u16 = 1 << 15;
/// Flag: a test candidate whose attributes make it test code.
const TEST_ITEM: u16 = 1 << 14;
/// The bits of [`NodeData::field`] below the flags: the field id.
const FIELD_BITS: u16 = TEST_ITEM - 1;
/// How deep macro bodies inside macro bodies are parsed and read.
pub(crate) const MACRO_LEVELS: usize = 4;

/// What to copy besides the tree: the query to run, and which of its
/// capture indexes mark macro bodies to re-parse and test candidates.
pub(crate) struct Recipe {
    /// Compiled on first use: only a query the matcher cannot read runs it.
    pub query: &'static LazyQuery,
    /// The query's patterns for the structural matcher, when it reads them.
    pub matcher: Option<&'static Patterns>,
    pub macro_captures: Vec<u32>,
    pub test_captures: Vec<u32>,
}

/// One file's text, trees and query matches.
pub(crate) struct FileSyntax {
    /// The file's text, as the scan read it.
    pub text: String,
    spec: &'static LangSpec,
    /// Byte offset of each line's start.
    line_starts: Vec<u32>,
    trees: Vec<TreeCopy>,
}

struct TreeCopy {
    /// Added to a node's index for its id, so ids are unique in the file.
    base: u32,
    nodes: Vec<NodeData>,
    /// End offset in `capture_ids` and `capture_nodes` of each match.
    match_ends: Vec<u32>,
    /// Each capture's index in the query (queries have a few dozen).
    capture_ids: Vec<u16>,
    /// Each capture's node index.
    capture_nodes: Vec<u32>,
    /// The node (tree, index) a macro body was parsed from.
    from: Option<(u32, u32)>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct NodeData {
    start: u32,
    end: u32,
    parent: u32,
    /// One past the last node of the subtree (pre-order).
    subtree_end: u32,
    kind: u16,
    /// Field id in the parent (0: none) in the low bits, [`NAMED`] and
    /// [`TEST_ITEM`] above: 20 bytes a node, not 24 (a large repository's
    /// copies hold over a million nodes).
    field: u16,
}

/// A node of a [`FileSyntax`].
#[derive(Clone, Copy)]
pub(crate) struct SNode<'s> {
    file: &'s FileSyntax,
    tree: u32,
    index: u32,
}

/// One capture of a match.
#[derive(Clone, Copy)]
pub(crate) struct SCapture<'s> {
    pub index: u32,
    pub node: SNode<'s>,
}

/// One match of the query.
#[derive(Clone, Copy)]
pub(crate) struct SMatch<'s> {
    file: &'s FileSyntax,
    tree: u32,
    start: u32,
    end: u32,
}

impl<'s> SMatch<'s> {
    /// The match's captures, in the order tree-sitter gave them.
    pub(crate) fn captures(self) -> impl Iterator<Item = SCapture<'s>> {
        let t = &self.file.trees[self.tree as usize];
        let range = self.start as usize..self.end as usize;
        t.capture_ids[range.clone()]
            .iter()
            .zip(&t.capture_nodes[range])
            .map(move |(&index, &node)| SCapture {
                index: u32::from(index),
                node: SNode {
                    file: self.file,
                    tree: self.tree,
                    index: node,
                },
            })
    }
}

/// Kind names and field ids of a language, read once from its grammar.
struct Grammar {
    kinds: Vec<&'static str>,
    fields: Vec<Option<&'static str>>,
    field_ids: IdMap<&'static str, u16>,
}

fn grammar(spec: &LangSpec) -> &'static Grammar {
    static ALL: OnceLock<Vec<Grammar>> = OnceLock::new();
    &ALL.get_or_init(|| {
        LANGS
            .iter()
            .map(|l| {
                // Kept for the process: the names borrow from it.
                let lang: &'static Language = Box::leak(Box::new(Language::new(l.grammar)));
                let kinds = (0..lang.node_kind_count())
                    .map(|k| {
                        u16::try_from(k)
                            .ok()
                            .and_then(|k| lang.node_kind_for_id(k))
                            .unwrap_or("")
                    })
                    .collect();
                let fields: Vec<Option<&'static str>> = (0..=lang.field_count())
                    .map(|f| {
                        u16::try_from(f)
                            .ok()
                            .and_then(|f| lang.field_name_for_id(f))
                    })
                    .collect();
                let field_ids = fields
                    .iter()
                    .enumerate()
                    .filter_map(|(i, n)| Some(((*n)?, u16::try_from(i).ok()?)))
                    .collect();
                Grammar {
                    kinds,
                    fields,
                    field_ids,
                }
            })
            .collect::<Vec<_>>()
    })[lang_index(spec)]
}

impl FileSyntax {
    /// Copy `tree` (the parse of `text` as `spec`) and `recipe`'s matches,
    /// re-parsing marked macro bodies with `parser` (left with its included
    /// ranges narrowed: `parse_text` resets them).
    pub(crate) fn build(
        spec: &'static LangSpec,
        text: &str,
        tree: &Tree,
        recipe: &Recipe,
        parser: &mut Parser,
    ) -> FileSyntax {
        Self::build_visiting(spec, text, tree, recipe, parser, &mut |_| {})
    }

    /// [`FileSyntax::build`], handing `visit` every node of `tree` in
    /// pre-order from the walk that copies it (so another pass over the
    /// same tree, the scan's facts, needs no walk of its own).
    pub(crate) fn build_visiting<'t>(
        spec: &'static LangSpec,
        text: &str,
        tree: &'t Tree,
        recipe: &Recipe,
        parser: &mut Parser,
        visit: &mut dyn FnMut(tree_sitter::Node<'t>),
    ) -> FileSyntax {
        let mut file = FileSyntax {
            text: text.to_string(),
            spec,
            line_starts: std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| offset(i + 1)))
                .collect(),
            trees: Vec::new(),
        };
        file.line_starts.shrink_to_fit();
        let mut cursor = QueryCursor::new();
        let mut marked: Vec<(u32, u32, tree_sitter::Range)> = file
            .copy_tree(tree.root_node(), None, recipe, &mut cursor, visit)
            .into_iter()
            .map(|(at, range)| (0, at, range))
            .collect();
        for level in 1..=MACRO_LEVELS {
            let mut next = Vec::new();
            for (in_tree, at, range) in std::mem::take(&mut marked) {
                let Some(sub) = reparse(parser, text, range) else {
                    continue;
                };
                let found = file.copy_tree(
                    sub.root_node(),
                    Some((in_tree, at)),
                    recipe,
                    &mut cursor,
                    &mut |_| {},
                );
                // The last level's own macro bodies are not read.
                if level < MACRO_LEVELS {
                    let this = offset(file.trees.len() - 1);
                    next.extend(found.into_iter().map(|(at, range)| (this, at, range)));
                }
            }
            marked = next;
        }
        file
    }

    /// Copy one tree and its matches; returns the macro bodies it marks
    /// (node index and range), each once, in the order first matched.
    fn copy_tree<'t>(
        &mut self,
        root: tree_sitter::Node<'t>,
        from: Option<(u32, u32)>,
        recipe: &Recipe,
        cursor: &mut QueryCursor,
        visit: &mut dyn FnMut(tree_sitter::Node<'t>),
    ) -> Vec<(u32, tree_sitter::Range)> {
        if let Some(patterns) = recipe.matcher {
            let text = std::mem::take(&mut self.text);
            let live = Live::new(recipe, patterns, self.spec, text.as_bytes());
            let marked = self.copy_nodes(root, from, Matches::Live(Box::new(live)), visit);
            self.text = text;
            return marked;
        }
        let found = run_query(recipe, self.spec, root, self.text.as_bytes(), cursor);
        self.copy_nodes(root, from, Matches::Found(found), visit)
    }

    /// Copy the nodes of one tree, with the recipe's `matches` over it.
    fn copy_nodes<'t>(
        &mut self,
        root: tree_sitter::Node<'t>,
        from: Option<(u32, u32)>,
        matches: Matches<'_, 't>,
        visit: &mut dyn FnMut(tree_sitter::Node<'t>),
    ) -> Vec<(u32, tree_sitter::Range)> {
        let (mut found, mut live, mut captured) = match matches {
            Matches::Found(found) => {
                let captured: IdSet<usize> = found.captures.iter().map(|&(_, n)| n).collect();
                (found, None, captured)
            }
            Matches::Live(live) => (Found::default(), Some(live), IdSet::default()),
        };
        let mut index_of: IdMap<usize, u32> = IdMap::default();
        index_of.reserve(captured.len());
        let mut nodes: Vec<NodeData> = Vec::new();
        // Pre-order walk; `open` holds the kept ancestors of the cursor.
        let mut walk = root.walk();
        let mut open: Vec<u32> = Vec::new();
        let mut depth_kept: Vec<bool> = Vec::new();
        loop {
            let n = walk.node();
            visit(n);
            if let Some(live) = &mut live {
                live.visit(n, &mut found, &mut captured);
            }
            let keep = n.is_named() || n.child_count() > 0 || captured.contains(&n.id());
            if keep {
                let idx = offset(nodes.len());
                let flags = if n.is_named() { NAMED } else { 0 };
                nodes.push(NodeData {
                    start: offset(n.start_byte()),
                    end: offset(n.end_byte()),
                    parent: open.last().copied().unwrap_or(NONE),
                    subtree_end: idx + 1,
                    kind: n.kind_id(),
                    // Grammars have a few dozen fields; an id past the bits reads as none.
                    field: walk
                        .field_id()
                        .map(|f| f.get())
                        .filter(|&f| f <= FIELD_BITS)
                        .unwrap_or(0)
                        | flags,
                });
                if captured.contains(&n.id()) {
                    index_of.insert(n.id(), idx);
                }
            }
            if walk.goto_first_child() {
                if keep {
                    open.push(offset(nodes.len() - 1));
                }
                depth_kept.push(keep);
                continue;
            }
            loop {
                if walk.goto_next_sibling() {
                    break;
                }
                if !walk.goto_parent() {
                    if let Some(live) = live.take() {
                        live.finish(&mut found);
                    }
                    let Found {
                        captures: raw,
                        mut match_ends,
                        macros,
                        tests,
                        ..
                    } = found;
                    // A test candidate's match may finish below it, after
                    // the walk has copied it.
                    for t in &tests {
                        if let Some(&i) = index_of.get(t) {
                            nodes[i as usize].field |= TEST_ITEM;
                        }
                    }
                    let base = self
                        .trees
                        .last()
                        .map_or(0, |t| t.base + offset(t.nodes.len()));
                    let capture_ids: Vec<u16> = raw.iter().map(|&(i, _)| i).collect();
                    let capture_nodes: Vec<u32> = raw
                        .iter()
                        .map(|(_, n)| index_of.get(n).copied().unwrap_or(NONE))
                        .collect();
                    let marked = macros
                        .into_iter()
                        .filter_map(|(n, range)| Some((*index_of.get(&n)?, range)))
                        .collect();
                    // The copies of every file the scan parses wait for the
                    // resolver together: no spare capacity.
                    nodes.shrink_to_fit();
                    match_ends.shrink_to_fit();
                    self.trees.push(TreeCopy {
                        base,
                        nodes,
                        match_ends,
                        capture_ids,
                        capture_nodes,
                        from,
                    });
                    return marked;
                }
                if depth_kept.pop() == Some(true) {
                    if let Some(closed) = open.pop() {
                        nodes[closed as usize].subtree_end = offset(nodes.len());
                    }
                }
            }
        }
    }

    /// Bytes this copy holds on the heap (for `--stats`).
    pub(crate) fn heap_bytes(&self) -> usize {
        self.text.capacity()
            + self.line_starts.capacity() * 4
            + self
                .trees
                .iter()
                .map(|t| {
                    t.nodes.capacity() * std::mem::size_of::<NodeData>()
                        + t.match_ends.capacity() * 4
                        + t.capture_ids.capacity() * 2
                        + t.capture_nodes.capacity() * 4
                })
                .sum::<usize>()
    }

    /// The root of tree `tree`.
    pub(crate) fn root(&self, tree: usize) -> SNode<'_> {
        SNode {
            file: self,
            tree: offset(tree),
            index: 0,
        }
    }

    /// The query's matches over tree `tree`, in the cursor's order.
    pub(crate) fn matches(&self, tree: usize) -> impl Iterator<Item = SMatch<'_>> {
        let t = &self.trees[tree];
        t.match_ends
            .iter()
            .enumerate()
            .map(move |(i, &end)| SMatch {
                file: self,
                tree: offset(tree),
                start: if i == 0 { 0 } else { t.match_ends[i - 1] },
                end,
            })
    }

    /// The tree parsed from the macro body at `node`, if it parsed.
    pub(crate) fn macro_tree(&self, node: SNode<'_>) -> Option<usize> {
        self.trees
            .iter()
            .position(|t| t.from == Some((node.tree, node.index)))
    }
}

/// What a recipe's query found over one tree, by node id: small, so a large
/// file's matches are not held as tree-sitter nodes (40 bytes a capture).
#[derive(Default)]
struct Found {
    /// Each match's pattern index (compared in tests; the copy drops it).
    patterns: Vec<u32>,
    /// Each capture (capture index, node id), in the cursor's order.
    captures: Vec<(u16, usize)>,
    /// The end offset of each match in `captures`.
    match_ends: Vec<u32>,
    /// Test candidates whose attributes make them test code.
    tests: IdSet<usize>,
    /// Macro bodies to re-parse (node id, range), each once, in the order
    /// first matched.
    macros: Vec<(usize, tree_sitter::Range)>,
}

/// Run `recipe`'s query over `root` (a tree of `spec`'s language over `src`).
fn run_query(
    recipe: &Recipe,
    spec: &LangSpec,
    root: tree_sitter::Node<'_>,
    src: &[u8],
    cursor: &mut QueryCursor,
) -> Found {
    let mut found = Found::default();
    let mut seen = Seen::default();
    let Some(query) = recipe.query.get() else {
        return found;
    };
    let mut matches = cursor.matches(query, root, src);
    let mut caps = Vec::new();
    while let Some(m) = matches.next() {
        caps.clear();
        caps.extend(m.captures().iter().map(|c| (c.index, c.node)));
        found.record(recipe, spec, src, &mut seen, m.pattern_index, &caps);
    }
    found
}

/// The test candidates and macro bodies a [`Found`] has looked at.
#[derive(Default)]
struct Seen {
    tests: IdSet<usize>,
    macros: IdSet<usize>,
}

impl Found {
    /// Add one match (in the cursor's order).
    fn record(
        &mut self,
        recipe: &Recipe,
        spec: &LangSpec,
        src: &[u8],
        seen: &mut Seen,
        pattern: usize,
        captures: &[Capture<'_>],
    ) {
        for &(i, n) in captures {
            // Queries have a few dozen captures.
            self.captures
                .push((u16::try_from(i).unwrap_or(u16::MAX), n.id()));
            if recipe.test_captures.contains(&i)
                && seen.tests.insert(n.id())
                && is_test_item(spec, n, src)
            {
                self.tests.insert(n.id());
            }
            if recipe.macro_captures.contains(&i) && seen.macros.insert(n.id()) {
                self.macros.push((n.id(), n.range()));
            }
        }
        self.match_ends.push(offset(self.captures.len()));
        self.patterns
            .push(u32::try_from(pattern).unwrap_or(u32::MAX));
    }

    /// Add held matches that finish at one node (or, at the end, all that
    /// are left) in the cursor's order there: by root (outermost first),
    /// pattern, then first capture; stable, so a pattern's matches at one
    /// root stay in step order. `caps` holds their captures.
    fn record_pending(
        &mut self,
        recipe: &Recipe,
        spec: &LangSpec,
        src: &[u8],
        seen: &mut Seen,
        held: &mut [Pending],
        caps: &[Capture<'_>],
    ) {
        held.sort_by_key(|p| (p.root, p.pattern, p.first_start));
        for p in held.iter() {
            self.record(
                recipe,
                spec,
                src,
                seen,
                p.pattern,
                &caps[p.caps.0..p.caps.1],
            );
        }
    }
}

/// Where the copy walk gets the matches of the recipe's query.
enum Matches<'r, 't> {
    /// The query cursor's, found before the walk (no matcher).
    Found(Found),
    /// The structural matcher's, found during the walk.
    Live(Box<Live<'r, 't>>),
}

/// The structural matcher run at each node of the copy walk, its matches
/// given in the order `QueryCursor::matches` gives them: by the node at
/// which the cursor finishes each (see [`Patterns::matches_in_steps_at`]),
/// in pre-order; of those finishing at one node, by root (outermost first,
/// the cursor's states being kept by start depth), then pattern index, then
/// the start of the first capture (the cursor sorts a pattern's states so).
/// The unit test `the_matcher_gives_the_cursors_matches_in_its_order`
/// compares the sequence with the cursor's.
struct Live<'r, 't> {
    recipe: &'r Recipe,
    patterns: &'static Patterns,
    spec: &'static LangSpec,
    src: &'r [u8],
    scratch: Scratch<'t>,
    seen: Seen,
    /// Pre-order number of the next node visited.
    seq: u32,
    /// Matches that finish at a node not yet visited.
    pending: Vec<Pending>,
    /// The captures of `pending`, emptied when it empties.
    pending_caps: Vec<Capture<'t>>,
    /// The matches finishing at the node being visited (reused).
    due: Vec<Pending>,
}

/// A match held until the walk reaches the node where it finishes.
#[derive(Clone, Copy)]
struct Pending {
    /// The node id at which it finishes.
    at: usize,
    /// The pre-order number of its root.
    root: u32,
    pattern: usize,
    first_start: usize,
    caps: (usize, usize),
}

impl<'r, 't> Live<'r, 't> {
    fn new(
        recipe: &'r Recipe,
        patterns: &'static Patterns,
        spec: &'static LangSpec,
        src: &'r [u8],
    ) -> Self {
        Live {
            recipe,
            patterns,
            spec,
            src,
            scratch: Scratch::default(),
            seen: Seen::default(),
            seq: 0,
            pending: Vec::new(),
            pending_caps: Vec::new(),
            due: Vec::new(),
        }
    }

    /// Match at `n` (the walk's next node in pre-order); record in `found`
    /// the matches finishing at `n`, and every captured node in `captured`.
    fn visit(&mut self, n: tree_sitter::Node<'t>, found: &mut Found, captured: &mut IdSet<usize>) {
        let root = self.seq;
        self.seq += 1;
        let Live {
            recipe,
            patterns,
            spec,
            src,
            scratch,
            seen,
            pending,
            pending_caps,
            due,
            ..
        } = self;
        if !pending.is_empty() {
            due.clear();
            pending.retain(|p| {
                let now = p.at == n.id();
                if now {
                    due.push(*p);
                }
                !now
            });
            found.record_pending(recipe, spec, src, seen, due, pending_caps);
            if pending.is_empty() {
                pending_caps.clear();
            }
        }
        patterns.matches_in_steps_at(n, src, scratch, &mut |pattern, caps, finish| {
            captured.extend(caps.iter().map(|(_, c)| c.id()));
            if finish.id() == n.id() {
                found.record(recipe, spec, src, seen, pattern, caps);
            } else {
                let from = pending_caps.len();
                pending_caps.extend_from_slice(caps);
                pending.push(Pending {
                    at: finish.id(),
                    root,
                    pattern,
                    first_start: caps.first().map_or(0, |(_, c)| c.start_byte()),
                    caps: (from, pending_caps.len()),
                });
            }
        });
    }

    /// Record what is still pending (nothing, when every match finishes at
    /// a node of the tree).
    fn finish(mut self, found: &mut Found) {
        found.record_pending(
            self.recipe,
            self.spec,
            self.src,
            &mut self.seen,
            &mut self.pending,
            &self.pending_caps,
        );
    }
}

/// Parse the text of `range` on its own, delimiters included so `(a, b)`
/// reads as a tuple and `[a, b]` as an array, and followed by a `;` the
/// parser reads in place of the byte after it: the body is then a whole
/// statement (`(a, b);`). Without it nearly every body (`assert_eq!(a, b)`,
/// `format!(…)`) ended in a syntax error, which tree-sitter recovers from by
/// trying every token of the grammar as a missing one, and `vec![a, b]`
/// came back as an ERROR around the array.
///
/// A brace body of `name: value` fields is first read as a struct literal
/// (see [`reads_as_fields`]); that reading is kept only when it has no
/// syntax error, so a body it does not fit reads exactly as before.
fn reparse(parser: &mut Parser, text: &str, range: tree_sitter::Range) -> Option<Tree> {
    if range.end_byte >= text.len() {
        // No byte to stand in for: parse the body as it is.
        parser.set_included_ranges(&[range]).ok()?;
        return parser.parse(text, None);
    }
    if reads_as_fields(text, range) {
        if let Some(tree) = parse_statement(parser, text, range, true) {
            if !tree.root_node().has_error() {
                return Some(tree);
            }
        }
    }
    parse_statement(parser, text, range, false)
}

/// Parse `range` followed by a stand-in `;`, and with `as_struct`, preceded
/// by a stand-in struct name `S` in place of the byte before it (whose own
/// text is what the copy later reads for that node: never a name).
fn parse_statement(
    parser: &mut Parser,
    text: &str,
    range: tree_sitter::Range,
    as_struct: bool,
) -> Option<Tree> {
    let (start, end) = (range.start_byte, range.end_byte);
    let mut statement = range;
    statement.end_byte = end + 1;
    statement.end_point.column += 1;
    if as_struct {
        statement.start_byte -= 1;
        statement.start_point.column -= 1;
    }
    parser.set_included_ranges(&[statement]).ok()?;
    let bytes = text.as_bytes();
    parser.parse_with_options(
        &mut |at, _| {
            if as_struct && at + 1 == start {
                return &b"S"[..];
            }
            match at.cmp(&end) {
                std::cmp::Ordering::Less => &bytes[at..end],
                std::cmp::Ordering::Equal => b";",
                std::cmp::Ordering::Greater => &[],
            }
        },
        None,
        None,
    )
}

/// Whether the body at `range` is a brace list of `name: value` fields
/// (`test! { name: x, text: "…" }`), preceded on its line by an ASCII byte
/// that can stand in for a struct name. Read as a block, every field is a
/// syntax error, and tree-sitter's recovery from them cost just's test
/// tables 86 ms of the report's 0.9 s CPU, for a tree that lost the values.
fn reads_as_fields(text: &str, range: tree_sitter::Range) -> bool {
    let bytes = text.as_bytes();
    let start = range.start_byte;
    // Column 0 (the byte before is a newline) leaves no column to step back to.
    if start == 0 || range.start_point.column == 0 || bytes.get(start) != Some(&b'{') {
        return false;
    }
    if !bytes[start - 1].is_ascii() {
        return false;
    }
    let body = &text[start + 1..range.end_byte];
    let body = body.trim_start();
    let ident = body
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    if ident == 0 || body.starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let rest = body[ident..].trim_start();
    rest.starts_with(':') && !rest.starts_with("::")
}

/// Whether a module or function is test-only by its attributes (`#[cfg(test)]`, `#[test]`).
fn is_test_item(spec: &LangSpec, node: tree_sitter::Node, src: &[u8]) -> bool {
    let mut prev = node.prev_sibling();
    while let Some(p) = prev {
        if spec.attribute_kinds.contains(&p.kind()) {
            let t = crate::scan::syntax::node_text(p, src);
            if is_test_attribute(t) {
                return true;
            }
        } else if !spec.comment_kinds.contains(&p.kind()) {
            break;
        }
        prev = p.prev_sibling();
    }
    false
}

/// A length or offset as `u32` (files are far below 4 GiB: the scan's size limit).
fn offset(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NONE)
}

/// Benchmark support (`benches/extract.rs` through `dev`): the two parts of
/// [`FileSyntax::build`] on one tree, timed apart.
pub(crate) mod bench {
    use super::*;

    /// Run the recipe's query over `tree`; returns the number of captures.
    pub(crate) fn query_only(
        spec: &'static LangSpec,
        recipe: &Recipe,
        text: &str,
        tree: &Tree,
    ) -> usize {
        let mut cursor = QueryCursor::new();
        run_query(recipe, spec, tree.root_node(), text.as_bytes(), &mut cursor)
            .captures
            .len()
    }

    /// Copy `tree`'s nodes with no matches; returns the number of nodes kept.
    pub(crate) fn copy_only(spec: &'static LangSpec, text: &str, tree: &Tree) -> usize {
        let mut file = FileSyntax {
            text: text.to_string(),
            spec,
            line_starts: Vec::new(),
            trees: Vec::new(),
        };
        file.copy_nodes(
            tree.root_node(),
            None,
            Matches::Found(Found::default()),
            &mut |_| {},
        );
        file.trees.iter().map(|t| t.nodes.len()).sum()
    }
}

impl<'s> SNode<'s> {
    fn data(&self) -> &'s NodeData {
        &self.file.trees[self.tree as usize].nodes[self.index as usize]
    }

    fn at(&self, index: u32) -> SNode<'s> {
        SNode { index, ..*self }
    }

    /// A number unique to the node in its file.
    pub(crate) fn id(&self) -> usize {
        (self.file.trees[self.tree as usize].base + self.index) as usize
    }

    pub(crate) fn kind(&self) -> &'static str {
        let kind = self.data().kind;
        match grammar(self.file.spec).kinds.get(kind as usize) {
            Some(name) => name,
            // tree-sitter's error symbol (`u16::MAX`) is past the table.
            None => "ERROR",
        }
    }

    pub(crate) fn is_named(&self) -> bool {
        self.data().field & NAMED != 0
    }

    /// Whether the scan found this test candidate to be test code.
    pub(crate) fn is_test_item(&self) -> bool {
        self.data().field & TEST_ITEM != 0
    }

    pub(crate) fn start_byte(&self) -> usize {
        self.data().start as usize
    }

    pub(crate) fn end_byte(&self) -> usize {
        self.data().end as usize
    }

    pub(crate) fn byte_range(&self) -> std::ops::Range<usize> {
        self.start_byte()..self.end_byte()
    }

    /// Row and byte column of the start, 0-based, as tree-sitter counts them.
    pub(crate) fn start_position(&self) -> tree_sitter::Point {
        let start = self.data().start;
        let starts = &self.file.line_starts;
        let row = starts.partition_point(|&s| s <= start).saturating_sub(1);
        tree_sitter::Point {
            row,
            column: (start - starts[row]) as usize,
        }
    }

    /// The parent in the node's own tree (a macro body's root has none).
    pub(crate) fn parent(&self) -> Option<SNode<'s>> {
        let p = self.data().parent;
        (p != NONE).then(|| self.at(p))
    }

    /// The kept children, in order.
    pub(crate) fn children(&self) -> impl Iterator<Item = SNode<'s>> + 's {
        let this = *self;
        let end = self.data().subtree_end;
        let mut next = self.index + 1;
        std::iter::from_fn(move || {
            if next >= end {
                return None;
            }
            let child = this.at(next);
            next = child.data().subtree_end;
            Some(child)
        })
    }

    /// The named children, in order.
    pub(crate) fn named_children(&self) -> impl Iterator<Item = SNode<'s>> + 's {
        self.children().filter(SNode::is_named)
    }

    pub(crate) fn named_child(&self, i: usize) -> Option<SNode<'s>> {
        self.named_children().nth(i)
    }

    pub(crate) fn named_child_count(&self) -> usize {
        self.named_children().count()
    }

    /// The first kept child in field `name`.
    pub(crate) fn child_by_field_name(&self, name: &str) -> Option<SNode<'s>> {
        let id = *grammar(self.file.spec).field_ids.get(name)?;
        self.children().find(|c| c.data().field & FIELD_BITS == id)
    }

    /// The field this node fills in its parent.
    pub(crate) fn field_name(&self) -> Option<&'static str> {
        let f = self.data().field & FIELD_BITS;
        if f == 0 {
            return None;
        }
        grammar(self.file.spec)
            .fields
            .get(f as usize)
            .copied()
            .flatten()
    }

    /// The node's source text ("" if it does not fall on UTF-8 boundaries).
    pub(crate) fn text(&self) -> &'s str {
        self.file.text.get(self.byte_range()).unwrap_or("")
    }
}

impl std::fmt::Debug for SNode<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {:?}", self.kind(), self.byte_range())
    }
}

impl std::fmt::Debug for FileSyntax {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileSyntax")
            .field("bytes", &self.text.len())
            .field("trees", &self.trees.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::query::recipe_for;
    use crate::scan::lang::lang_by_name;
    use crate::scan::parse::{parse_text, with_parser};

    /// A macro body re-parsed with the `;` read after it is a whole
    /// statement, with no syntax error to recover from, for a tuple or an
    /// array; a body at the very end of the file is parsed as it is.
    #[test]
    fn macro_bodies_reparse_as_statements() {
        let spec = lang_by_name("rust").expect("language");
        for (text, body, want) in [
            (
                "fn f() { assert_eq!(a, b.c()); }\n",
                "(a, b.c())",
                "(source_file (expression_statement (tuple_expression (identifier) (call_expression function: (field_expression value: (identifier) field: (field_identifier)) arguments: (arguments)))))",
            ),
            (
                "fn f() { let v = vec![x, y]; }\n",
                "[x, y]",
                "(source_file (expression_statement (array_expression (identifier) (identifier))))",
            ),
            // Fields read as a struct literal whose name is the byte before.
            (
                "t! { name: x, kind: K::A }\n",
                "{ name: x, kind: K::A }",
                "(source_file (expression_statement (struct_expression name: (type_identifier) body: (field_initializer_list (field_initializer field: (field_identifier) value: (identifier)) (field_initializer field: (field_identifier) value: (scoped_identifier path: (identifier) name: (identifier)))))))",
            ),
            // Fields that are no struct literal read as before: a block.
            (
                "t! { name: x, tokens: (A:\"a\", B) }\n",
                "{ name: x, tokens: (A:\"a\", B) }",
                "(source_file (expression_statement (block (ERROR (identifier) (identifier)) (call_expression function: (identifier) (ERROR) arguments: (arguments (ERROR (identifier)) (string_literal (string_content)) (identifier))))) (empty_statement))",
            ),
            // Not fields: a path, a block of statements.
            (
                "t! { a::b(c); }\n",
                "{ a::b(c); }",
                "(source_file (expression_statement (block (expression_statement (call_expression function: (scoped_identifier path: (identifier) name: (identifier)) arguments: (arguments (identifier)))))) (empty_statement))",
            ),
            (
                "m!(a, b)",
                "(a, b)",
                "(source_file (ERROR (tuple_expression (identifier) (identifier))))",
            ),
        ] {
            let range = body_range(text, body);
            let sexp = with_parser(spec, |p| reparse(p, text, range).map(|t| t.root_node().to_sexp()))
                .flatten()
                .expect("parsed");
            assert_eq!(sexp, want, "{text}");
        }
    }

    /// The range of `body` in the one-line `text`.
    fn body_range(text: &str, body: &str) -> tree_sitter::Range {
        let start = text.find(body).expect("body");
        let end = start + body.len();
        tree_sitter::Range {
            start_byte: start,
            end_byte: end,
            start_point: tree_sitter::Point::new(0, start),
            end_point: tree_sitter::Point::new(0, end),
        }
    }

    /// Only a `{` body that starts with `name:` (not `path::`), on the line
    /// of the byte before it, is tried as fields.
    #[test]
    fn only_brace_bodies_of_named_fields_read_as_fields() {
        for (text, body, fields) in [
            ("t! { a: 1 }", "{ a: 1 }", true),
            ("t!{ \n  a_b1 : 1 }", "{ \n  a_b1 : 1 }", true),
            ("t! { a::b }", "{ a::b }", false),
            ("t! { a }", "{ a }", false),
            ("t! { 1: a }", "{ 1: a }", false),
            ("t! ( a: 1 )", "( a: 1 )", false),
            ("{ a: 1 }", "{ a: 1 }", false),
        ] {
            let range = body_range(text, body);
            assert_eq!(reads_as_fields(text, range), fields, "{text}");
        }
    }

    /// This crate's sources, the Go and Rust fixtures under `testdata/`, and
    /// the trees `PLANRECON_REFS_TREES` lists (`:`-separated directories;
    /// vendor, target and hidden directories skipped).
    fn sources() -> Vec<(&'static str, String)> {
        // What the fixtures lack. Go: a type switch's alias, a receive in a
        // select, generic composite literals.
        let go = "package p\n\nfunc f(x any, ch chan int) {\n\tswitch v := x.(type) {\n\tcase int:\n\t\t_ = v\n\t}\n\tselect {\n\tcase n, ok := <-ch:\n\t\t_, _ = n, ok\n\t}\n\ta := List[int]{1}\n\tb := &q.List[int]{}\n\t_, _ = a, b\n}\n";
        // Rust: generic calls and a turbofish struct literal; `?` on a field
        // and on a name (the alternatives the cursor holds back).
        let rust = "fn g() -> Option<u8> {\n    f::<u8>();\n    let s = S::<u8> { a: 1 };\n    let x = s.a?;\n    let y = x?;\n    y\n}\n";
        let mut out = vec![("go", go.to_string()), ("rust", rust.to_string())];
        out.extend(crate::scan::test_sources::go_and_rust_sources(
            "PLANRECON_REFS_TREES",
        ));
        out
    }

    /// The structural matcher, run during the copy walk, gives exactly the
    /// query cursor's matches in the cursor's order: pattern index and
    /// captures (index and node, in order) match by match, the macro bodies
    /// in the same order and the same test items; the copies built both
    /// ways (macro bodies' trees included) are equal.
    #[test]
    fn the_matcher_gives_the_cursors_matches_in_its_order() {
        let inputs = sources();
        let mut compared = 0;
        // Trees with an ERROR node compared: file trees and macro bodies' trees.
        let mut with_errors = 0;
        for lang in ["go", "rust"] {
            let spec = lang_by_name(lang).expect("language");
            let recipe = recipe_for(spec).expect("recipe");
            assert!(
                recipe.matcher.is_some(),
                "{lang}: the matcher reads refs.scm"
            );
            let cursor_only = Recipe {
                query: recipe.query,
                matcher: None,
                macro_captures: recipe.macro_captures.clone(),
                test_captures: recipe.test_captures.clone(),
            };
            let query = recipe.query.get().expect("refs.scm compiles");
            let mut hit = vec![0usize; query.pattern_count()];
            for (_, text) in inputs.iter().filter(|(l, _)| *l == lang) {
                with_parser(spec, |p| {
                    let tree = parse_text(p, text).expect("parse");
                    let src = text.as_bytes();
                    let mut cursor = QueryCursor::new();
                    let want = run_query(recipe, spec, tree.root_node(), src, &mut cursor);
                    let mut got = Found::default();
                    let mut captured = IdSet::default();
                    let patterns = recipe.matcher.expect("matcher");
                    let mut live = Live::new(recipe, patterns, spec, src);
                    let mut walk = tree.walk();
                    'walk: loop {
                        live.visit(walk.node(), &mut got, &mut captured);
                        if walk.goto_first_child() {
                            continue;
                        }
                        while !walk.goto_next_sibling() {
                            if !walk.goto_parent() {
                                break 'walk;
                            }
                        }
                    }
                    live.finish(&mut got);
                    let seq = |f: &Found| -> Vec<(u32, Vec<(u16, usize)>)> {
                        let mut start = 0;
                        f.match_ends
                            .iter()
                            .zip(&f.patterns)
                            .map(|(&end, &p)| {
                                let m = f.captures[start..end as usize].to_vec();
                                start = end as usize;
                                (p, m)
                            })
                            .collect()
                    };
                    let (w, g) = (seq(&want), seq(&got));
                    if let Some(at) = (0..w.len().max(g.len())).find(|&i| w.get(i) != g.get(i)) {
                        let mut named: IdMap<usize, tree_sitter::Node> = IdMap::default();
                        let mut c = tree.walk();
                        'all: loop {
                            named.insert(c.node().id(), c.node());
                            if c.goto_first_child() {
                                continue;
                            }
                            while !c.goto_next_sibling() {
                                if !c.goto_parent() {
                                    break 'all;
                                }
                            }
                        }
                        let show = |v: &[(u32, Vec<(u16, usize)>)]| -> Vec<String> {
                            v.iter()
                                .skip(at.saturating_sub(2))
                                .take(5)
                                .map(|(p, caps)| {
                                    let caps: Vec<String> = caps
                                        .iter()
                                        .map(|(c, id)| {
                                            let name = query.capture_names()[*c as usize];
                                            let n = named.get(id).copied();
                                            let at = n.map(|n| (n.kind(), &text[n.byte_range()]));
                                            format!("{name}={at:?}")
                                        })
                                        .collect();
                                    format!("p{p} {caps:?}")
                                })
                                .collect()
                        };
                        panic!(
                            "{lang}: match {at} of {} differs\ncursor:  {:#?}\nmatcher: {:#?}\nin {}",
                            w.len(),
                            show(&w),
                            show(&g),
                            &text[..text.len().min(120)]
                        );
                    }
                    assert_eq!(want.macros, got.macros, "{lang}: macro bodies");
                    assert_eq!(want.tests, got.tests, "{lang}: test items");
                    for (p, _) in &w {
                        hit[*p as usize] += 1;
                    }
                    let a = FileSyntax::build(spec, text, &tree, recipe, p);
                    let b = FileSyntax::build(spec, text, &tree, &cursor_only, p);
                    assert_eq!(a.trees.len(), b.trees.len(), "{lang}: macro trees");
                    for (x, y) in a.trees.iter().zip(&b.trees) {
                        assert!(
                            x.nodes == y.nodes
                                && x.match_ends == y.match_ends
                                && x.capture_ids == y.capture_ids
                                && x.capture_nodes == y.capture_nodes
                                && x.from == y.from,
                            "{lang}: copies differ in {}",
                            &text[..text.len().min(120)]
                        );
                    }
                    with_errors += a
                        .trees
                        .iter()
                        // tree-sitter's error symbol, as `SNode::kind` reads it.
                        .filter(|t| t.nodes.iter().any(|n| n.kind == u16::MAX))
                        .count();
                    compared += 1;
                })
                .expect("parser");
            }
            let missed: Vec<usize> = (0..hit.len()).filter(|&p| hit[p] == 0).collect();
            assert!(
                missed.is_empty(),
                "{lang}: refs.scm patterns {missed:?} matched nowhere"
            );
        }
        assert!(compared > 80, "compared {compared} sources");
        assert!(with_errors > 0, "no tree with syntax errors compared");
        eprintln!("compared {compared} sources, {with_errors} trees with syntax errors");
    }
}

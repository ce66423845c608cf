//! Top-level keys of YAML, JSON and TOML files with their lines, read with
//! the data languages' grammars ([`DATA_LANGS`], `queries/<lang>/keys.scm`):
//! what the report's data section lists beside each file; and the short
//! scalar values of every key at any depth (`queries/<lang>/values.scm`):
//! what the extension points match against a factory's names. No
//! hand-written parser: a key is where the grammar says it is.
//!
//! Capture vocabulary of the keys query:
//! - `@key`: a top-level key (a JSON object's or a YAML document's mapping key,
//!   a TOML key before any table);
//! - `@key.dotted`: a key that may be a dotted path (TOML `a.b = 1`): its
//!   first segment is the top-level key;
//! - `@key.table`, `@key.array`: the dotted key of a TOML `[table]` /
//!   `[[array]]` header (`[a.b]` is under the top-level `[a]`);
//! - `@entry`: the whole entry, whose lines the key spans;
//! - `_*`: free for predicates.
//!
//! Capture vocabulary of the values query: `@key` and `@entry` for every
//! pair (and TOML table header), `@value` for a pair's scalar value; a
//! value's key path is the keys of the entries enclosing it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use rayon::prelude::*;
use tree_sitter::{Language, Parser, Query, QueryCursor, StreamingIterator};

use crate::scan::lang::{data_lang_for_extension, DataLangSpec, DATA_LANGS};
use crate::scan::syntax::collapse_ws;

/// Data files larger than this many bytes are listed without keys.
pub(crate) const MAX_DATA_FILE: u64 = 512 * 1024;
/// Key names longer than this many characters are cut (with `…`).
const MAX_KEY_CHARS: usize = 60;

/// One top-level key of a data file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DataKey {
    /// 1-based line of the key.
    pub line: u32,
    /// Last line of its entry.
    pub end_line: u32,
    /// The key as written, unquoted; TOML headers as `[name]` / `[[name]]`.
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Key,
    Dotted,
    Table,
    Array,
    Entry,
    Value,
    Ignored,
}

const ROLES: &[(&str, Role)] = &[
    ("entry", Role::Entry),
    ("key", Role::Key),
    ("key.array", Role::Array),
    ("key.dotted", Role::Dotted),
    ("key.table", Role::Table),
];

struct KeysQuery {
    query: Query,
    roles: Vec<Role>,
}

/// Roles of the values query's captures.
const VALUE_ROLES: &[(&str, Role)] = &[
    ("entry", Role::Entry),
    ("key", Role::Key),
    ("value", Role::Value),
];

fn compile(
    spec: &DataLangSpec,
    file: &str,
    source: &str,
    known: &[(&str, Role)],
) -> Result<KeysQuery, String> {
    let query = Query::new(&Language::new(spec.grammar), source).map_err(|e| {
        format!(
            "queries/{}/{file} does not compile: line {}: {}",
            spec.name,
            e.row + 1,
            e.message
        )
    })?;
    let mut roles = Vec::new();
    for name in query.capture_names() {
        let role = match known.iter().find(|(n, _)| n == name) {
            Some((_, r)) => *r,
            None if name.starts_with('_') => Role::Ignored,
            None => {
                let allowed: Vec<String> = known.iter().map(|(n, _)| format!("@{n}")).collect();
                return Err(format!(
                    "queries/{}/{file} uses unknown capture @{name}; allowed: {}, @_* (fix the query)",
                    spec.name,
                    allowed.join(", ")
                ));
            }
        };
        roles.push(role);
    }
    Ok(KeysQuery { query, roles })
}

/// A data language's keys and values queries, or why one does not compile.
type Compiled = (Result<KeysQuery, String>, Result<KeysQuery, String>);

/// The compiled keys and values queries of `spec`.
fn queries(spec: &'static DataLangSpec) -> &'static Compiled {
    static COMPILED: OnceLock<Vec<Compiled>> = OnceLock::new();
    let all = COMPILED.get_or_init(|| {
        DATA_LANGS
            .iter()
            .map(|l| {
                (
                    compile(l, "keys.scm", l.keys_query, ROLES),
                    compile(l, "values.scm", l.values_query, VALUE_ROLES),
                )
            })
            .collect()
    });
    let at = DATA_LANGS
        .iter()
        .position(|l| std::ptr::eq(l, spec))
        .unwrap_or_default();
    &all[at]
}

fn keys_query(spec: &'static DataLangSpec) -> Result<&'static KeysQuery, &'static String> {
    queries(spec).0.as_ref()
}

fn values_query(spec: &'static DataLangSpec) -> Result<&'static KeysQuery, &'static String> {
    queries(spec).1.as_ref()
}

/// A scalar value of a data file, at any depth, with its key path.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DataValue {
    /// 1-based line of the key.
    pub line: u32,
    /// The keys from the top down to this one, joined by `.` (`routing.policy`).
    pub path: String,
    /// The value, unquoted.
    pub value: String,
}

/// An entry of the values query: its key, its scalar value if any, the key's line.
type Pair = (String, Option<String>, u32);

/// Values longer than this many characters are not kept: a name a factory
/// accepts is short, and prose or a blob is not one.
const MAX_VALUE_CHARS: usize = 60;

/// The short scalar values of `text` without whitespace (what could be a
/// name), with their key paths, in line order.
#[cfg(test)]
pub(crate) fn values_of(spec: &'static DataLangSpec, text: &str) -> Result<Vec<DataValue>, String> {
    values_in(spec, &parse(spec, text)?, text)
}

/// [`values_of`] on a tree already parsed.
fn values_in(
    spec: &'static DataLangSpec,
    tree: &tree_sitter::Tree,
    text: &str,
) -> Result<Vec<DataValue>, String> {
    let vq = values_query(spec).map_err(Clone::clone)?;
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(&vq.query, tree.root_node(), text.as_bytes());
    // Every entry as (start, end, key, value), one per entry node.
    let mut entries: BTreeMap<(usize, std::cmp::Reverse<usize>), Pair> = BTreeMap::new();
    while let Some(m) = matches.next() {
        let (mut key, mut value, mut entry) = (None, None, None);
        for c in m.captures() {
            match vq.roles[c.index as usize] {
                Role::Entry => entry = Some(c.node),
                Role::Key => key = Some(c.node),
                Role::Value => value = Some(c.node),
                _ => {}
            }
        }
        let (Some(k), Some(e)) = (key, entry) else {
            continue;
        };
        let unquote = |n: tree_sitter::Node| {
            collapse_ws(text.get(n.byte_range()).unwrap_or_default())
                .trim_matches(['"', '\''])
                .to_string()
        };
        let slot = entries
            .entry((e.start_byte(), std::cmp::Reverse(e.end_byte())))
            .or_insert_with(|| (unquote(k), None, k.start_position().row as u32 + 1));
        if let Some(v) = value {
            slot.1 = Some(unquote(v));
        }
    }
    // A sweep in (start, longest first) order: the open entries are the
    // enclosing ones.
    let mut open: Vec<(usize, String)> = Vec::new();
    let mut out = Vec::new();
    for ((start, std::cmp::Reverse(end)), (key, value, line)) in entries {
        while open.last().is_some_and(|(e, _)| *e <= start) {
            open.pop();
        }
        if let Some(v) = value.filter(|v| {
            !v.is_empty()
                && v.chars().count() <= MAX_VALUE_CHARS
                && !v.contains(char::is_whitespace)
        }) {
            let mut path: Vec<&str> = open.iter().map(|(_, k)| k.as_str()).collect();
            path.push(&key);
            out.push(DataValue {
                line,
                path: cut(&path.join(".")),
                value: v,
            });
        }
        open.push((end, key));
    }
    out.sort();
    Ok(out)
}

fn parse(spec: &'static DataLangSpec, text: &str) -> Result<tree_sitter::Tree, String> {
    let mut parser = Parser::new();
    parser
        .set_language(&Language::new(spec.grammar))
        .map_err(|e| format!("{} grammar: {e}", spec.name))?;
    parser
        .parse(text, None)
        .ok_or_else(|| format!("{}: the parser gave no tree", spec.name))
}

/// The top-level keys of `text`, in line order, each name once (YAML streams
/// repeat `apiVersion` per document; the first is kept).
#[cfg(test)]
pub(crate) fn keys_of(spec: &'static DataLangSpec, text: &str) -> Result<Vec<DataKey>, String> {
    keys_in(spec, &parse(spec, text)?, text)
}

/// [`keys_of`] on a tree already parsed.
fn keys_in(
    spec: &'static DataLangSpec,
    tree: &tree_sitter::Tree,
    text: &str,
) -> Result<Vec<DataKey>, String> {
    let kq = keys_query(spec).map_err(Clone::clone)?;
    let mut cursor = QueryCursor::new();
    let mut matches = cursor.matches(&kq.query, tree.root_node(), text.as_bytes());
    let mut keys = Vec::new();
    while let Some(m) = matches.next() {
        let mut key = None;
        let mut entry = None;
        for c in m.captures() {
            match kq.roles[c.index as usize] {
                Role::Entry => entry = Some(c.node),
                Role::Ignored => {}
                role => key = Some((role, c.node)),
            }
        }
        let Some((role, k)) = key else { continue };
        let raw = collapse_ws(text.get(k.byte_range()).unwrap_or_default());
        let raw = match role {
            Role::Key => raw.as_str(),
            _ => first_segment(&raw),
        };
        let name = cut(raw.trim_matches(['"', '\'']));
        let name = match role {
            Role::Table => format!("[{name}]"),
            Role::Array => format!("[[{name}]]"),
            _ => name,
        };
        let end = entry.unwrap_or(k);
        let end_row = end.end_position().row
            - usize::from(
                end.end_position().column == 0 && end.end_position().row > k.start_position().row,
            );
        keys.push(DataKey {
            line: k.start_position().row as u32 + 1,
            end_line: end_row as u32 + 1,
            name,
        });
    }
    keys.sort();
    let mut seen = BTreeSet::new();
    keys.retain(|k| seen.insert(k.name.clone()));
    Ok(keys)
}

/// The first segment of a dotted key path (`a.b`, `"x.y".z`, `'c'.d`).
fn first_segment(path: &str) -> &str {
    let path = path.trim();
    match path.chars().next() {
        Some(q @ ('"' | '\'')) => path[1..].find(q).map_or(path, |i| &path[..i + 2]),
        _ => path.split('.').next().unwrap_or(path).trim(),
    }
}

fn cut(s: &str) -> String {
    if s.chars().count() <= MAX_KEY_CHARS {
        return s.to_string();
    }
    let mut out: String = s.chars().take(MAX_KEY_CHARS - 1).collect();
    out.push('…');
    out
}

/// What the report reads of the tree's data files, by path.
#[derive(Debug, Default)]
pub(crate) struct DataRead {
    /// Top-level keys.
    pub keys: BTreeMap<String, Vec<DataKey>>,
    /// Short scalar values at any depth ([`values_of`]).
    pub values: BTreeMap<String, Vec<DataValue>>,
}

/// The keys and values of each of `files` (repository-relative) under
/// `root` that is a data file of a known language, readable, valid UTF-8
/// and at most [`MAX_DATA_FILE`] bytes; the others are left out. Files are
/// read in parallel, each once; the maps are sorted by path.
pub(crate) fn read_data_files(root: &Path, files: &[&str]) -> DataRead {
    let read: Vec<(String, Vec<DataKey>, Vec<DataValue>)> = files
        .par_iter()
        .filter_map(|rel| {
            let (spec, text) = readable_data_file(root, rel)?;
            // One parse serves both queries.
            let tree = parse(spec, &text).ok()?;
            let keys = keys_in(spec, &tree, &text).ok()?;
            let values = values_in(spec, &tree, &text).unwrap_or_default();
            Some((rel.to_string(), keys, values))
        })
        .collect();
    let mut out = DataRead::default();
    for (path, keys, values) in read {
        if !values.is_empty() {
            out.values.insert(path.clone(), values);
        }
        out.keys.insert(path, keys);
    }
    out
}

/// The language and text of `rel` under `root` when [`read_data_files`]
/// reads it: a data file of a known language, a regular file of at most
/// [`MAX_DATA_FILE`] bytes, valid UTF-8.
fn readable_data_file(root: &Path, rel: &str) -> Option<(&'static DataLangSpec, String)> {
    let ext = rel.rsplit_once('.')?.1;
    let spec = data_lang_for_extension(ext)?;
    let path = root.join(rel);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > MAX_DATA_FILE {
        return None;
    }
    let text = std::fs::read_to_string(&path).ok()?;
    Some((spec, text))
}

/// Benchmark (`--parse-only --parse-data`): read and parse the files
/// [`read_data_files`] would, and nothing else. Returns how many parsed.
pub(crate) fn parse_data_files(root: &Path, files: &[&str]) -> usize {
    files
        .par_iter()
        .filter(|rel| {
            readable_data_file(root, rel).is_some_and(|(spec, text)| parse(spec, &text).is_ok())
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(ext: &str, text: &str) -> String {
        let spec = data_lang_for_extension(ext).expect("data language");
        keys_of(spec, text)
            .expect("keys")
            .iter()
            .map(|k| format!("{}@{}-{}", k.name, k.line, k.end_line))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn every_keys_and_values_query_compiles_with_known_captures() {
        for l in DATA_LANGS {
            if let Err(e) = keys_query(l).and(values_query(l)) {
                panic!("{e}");
            }
        }
    }

    fn values(ext: &str, text: &str) -> String {
        let spec = data_lang_for_extension(ext).expect("data language");
        values_of(spec, text)
            .expect("values")
            .iter()
            .map(|v| format!("{}={}@{}", v.path, v.value, v.line))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn values_at_any_depth_with_their_key_paths() {
        let yaml = "admission:\n  policy: token-bucket\nrouting:\n  policy: \"weighted\"\n  scorers:\n    - name: queue-depth\n      weight: 2\nnote: two words\n";
        assert_eq!(
            values("yaml", yaml),
            "admission.policy=token-bucket@2 routing.policy=weighted@4 routing.scorers.name=queue-depth@6 routing.scorers.weight=2@7"
        );
        let json = "{\"sim\": {\"routing\": \"least-loaded\", \"n\": 3}, \"gpu\": \"H100\"}";
        assert_eq!(
            values("json", json),
            "gpu=H100@1 sim.routing=least-loaded@1"
        );
        let toml =
            "mode = \"fast\"\n[server]\nbackend = 'mem'\nport = 1\n[[rule]]\nkind = \"deny\"\n";
        assert_eq!(
            values("toml", toml),
            "mode=fast@1 server.backend=mem@3 rule.kind=deny@6"
        );
    }

    #[test]
    fn yaml_keys_of_every_document_once() {
        let text = "# models\nmodels:\n  llama:\n    tp: 2\nhardware: {gpu: H100}\n\"quoted\": 1\n---\nmodels: again\nworkload: x\n";
        assert_eq!(
            project("yaml", text),
            "models@2-4 hardware@5-5 quoted@6-6 workload@9-9"
        );
        assert_eq!(project("yml", "{a: 1, b: 2}\n"), "a@1-1 b@1-1");
        assert_eq!(project("yaml", "- a\n- b\n"), "");
    }

    #[test]
    fn json_keys_of_the_top_object_only() {
        let text = "{\n  \"H100\": {\n    \"tflops\": 989\n  },\n  \"A100\": {}\n}\n";
        assert_eq!(project("json", text), "H100@2-4 A100@5-5");
        assert_eq!(project("json", "[{\"a\": 1}]"), "");
    }

    #[test]
    fn toml_keys_then_tables() {
        let text = "title = \"x\"\nui.menu = 1\nui.text = 2\n\n[server]\nport = 1\n\n[[rule]]\nname = \"a\"\n[[rule]]\nname = \"b\"\n[a.b]\n[\"q.r\".s]\n[server.tls]\n";
        assert_eq!(
            project("toml", text),
            "title@1-1 ui@2-2 [server]@5-7 [[rule]]@8-9 [a]@12-12 [q.r]@13-13"
        );
    }

    #[test]
    fn broken_files_still_give_the_keys_around_the_error() {
        let keys = project("yaml", "a: 1\nb: [\nc: 3\n");
        assert!(keys.starts_with("a@1-1"), "{keys}");
    }
}

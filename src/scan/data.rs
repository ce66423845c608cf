//! Top-level keys of YAML, JSON and TOML files with their lines, read with
//! the data languages' grammars ([`DATA_LANGS`], `queries/<lang>/keys.scm`):
//! what the report's data section lists beside each file. No hand-written
//! parser: a key is where the grammar says it is.
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

fn compile(spec: &DataLangSpec) -> Result<KeysQuery, String> {
    let query = Query::new(&Language::new(spec.grammar), spec.keys_query).map_err(|e| {
        format!(
            "queries/{}/keys.scm does not compile: line {}: {}",
            spec.name,
            e.row + 1,
            e.message
        )
    })?;
    let mut roles = Vec::new();
    for name in query.capture_names() {
        let role = match ROLES.iter().find(|(n, _)| n == name) {
            Some((_, r)) => *r,
            None if name.starts_with('_') => Role::Ignored,
            None => {
                let allowed: Vec<String> = ROLES.iter().map(|(n, _)| format!("@{n}")).collect();
                return Err(format!(
                    "queries/{}/keys.scm uses unknown capture @{name}; allowed: {}, @_* (fix the query)",
                    spec.name,
                    allowed.join(", ")
                ));
            }
        };
        roles.push(role);
    }
    Ok(KeysQuery { query, roles })
}

fn keys_query(spec: &'static DataLangSpec) -> Result<&'static KeysQuery, &'static String> {
    static COMPILED: OnceLock<Vec<Result<KeysQuery, String>>> = OnceLock::new();
    let all = COMPILED.get_or_init(|| DATA_LANGS.iter().map(compile).collect());
    let at = DATA_LANGS
        .iter()
        .position(|l| std::ptr::eq(l, spec))
        .unwrap_or_default();
    all[at].as_ref()
}

/// The top-level keys of `text`, in line order, each name once (YAML streams
/// repeat `apiVersion` per document; the first is kept).
pub(crate) fn keys_of(spec: &'static DataLangSpec, text: &str) -> Result<Vec<DataKey>, String> {
    let kq = keys_query(spec).map_err(Clone::clone)?;
    let mut parser = Parser::new();
    parser
        .set_language(&Language::new(spec.grammar))
        .map_err(|e| format!("{} grammar: {e}", spec.name))?;
    let tree = parser
        .parse(text, None)
        .ok_or_else(|| format!("{}: the parser gave no tree", spec.name))?;
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

/// The keys of each of `files` (repository-relative) under `root` that is a
/// data file of a known language, readable, valid UTF-8 and at most
/// [`MAX_DATA_FILE`] bytes; the others are left out. Files are read in
/// parallel; the map is sorted by path.
pub(crate) fn keys_of_files(root: &Path, files: &[&str]) -> BTreeMap<String, Vec<DataKey>> {
    files
        .par_iter()
        .filter_map(|rel| {
            let ext = rel.rsplit_once('.')?.1;
            let spec = data_lang_for_extension(ext)?;
            let path = root.join(rel);
            let meta = std::fs::symlink_metadata(&path).ok()?;
            if !meta.is_file() || meta.len() > MAX_DATA_FILE {
                return None;
            }
            let text = std::fs::read_to_string(&path).ok()?;
            let keys = keys_of(spec, &text).ok()?;
            Some((rel.to_string(), keys))
        })
        .collect()
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
    fn every_keys_query_compiles_with_known_captures() {
        for l in DATA_LANGS {
            if let Err(e) = keys_query(l) {
                panic!("{e}");
            }
        }
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

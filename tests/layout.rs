//! The source tree keeps the pipeline's direction: no import cycle between
//! files, and every file imports only its own folder and the stages before
//! it (README "Architecture"). Reads the `crate::` and `super::` paths of
//! every file under `src/` (test modules left out: a test may reach across
//! its own folder) and fails naming the offending import or the cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Folders in pipeline order: a file may import its own folder and the
/// folders before it. Top-level files have their own place in the order.
/// `config` comes before `scan` because every stage reads it.
const ORDER: &[&str] = &[
    "util", "model", "config", "scan", "resolve", "analyze", "render", "cli", "commands", "dev",
    "lib", "main",
];

/// Each file as its module path (`scan::walk`, `commands::check`), keyed by
/// the path segments.
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let rel = path.strip_prefix(src).expect("under src");
            let mut segs: Vec<String> = rel
                .iter()
                .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string())
                .collect();
            if segs.last().is_some_and(|s| s == "mod") {
                segs.pop();
            }
            out.insert(segs, path);
        }
    }
    out
}

/// The non-test text of a Rust file: everything before its `#[cfg(test)]`
/// module, with comments and string literals blanked (a doc comment or a
/// test string that mentions `crate::x` is not an import).
fn code_of(text: &str) -> String {
    let cut = text
        .find("#[cfg(test)]\nmod ")
        .or_else(|| text.find("#[cfg(test)]\npub(crate) mod "))
        .unwrap_or(text.len());
    let mut out = String::new();
    for line in text[..cut].lines() {
        let code = match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        };
        let mut in_str = false;
        let mut prev = ' ';
        for c in code.chars() {
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            } else if !in_str {
                out.push(c);
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// Every path that starts with `crate::` or `super::`, expanded through
/// `{…}` groups, as segments relative to the crate root.
fn imports(code: &str, this: &[String], is_mod_rs: bool) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !code.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let rest = &code[i..];
        let starts_word = i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
        if starts_word && (rest.starts_with("crate::") || rest.starts_with("super::")) {
            let end = path_end(rest);
            for path in expand(&rest[..end]) {
                let mut segs: Vec<String> = path.split("::").map(str::to_string).collect();
                let mut base: Vec<String> = Vec::new();
                if segs.first().is_some_and(|s| s == "crate") {
                    segs.remove(0);
                } else {
                    // `super` of a `mod.rs` file is its folder's parent.
                    base = this.to_vec();
                    if !is_mod_rs || !base.is_empty() {
                        base.pop();
                    }
                    while segs.first().is_some_and(|s| s == "super") {
                        segs.remove(0);
                        if segs.first().is_some_and(|s| s == "super") {
                            base.pop();
                        }
                    }
                }
                base.extend(segs);
                found.push(base);
            }
            i += end.max(1);
        } else {
            i += 1;
        }
    }
    found
}

/// Where a path (with any `{…}` groups) ends.
fn path_end(s: &str) -> usize {
    let mut depth = 0usize;
    for (at, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return at,
            '}' => depth -= 1,
            c if depth == 0 && !(c.is_alphanumeric() || c == '_' || c == ':' || c == '*') => {
                return at
            }
            _ => {}
        }
    }
    s.len()
}

/// `a::{b, c::{d}}` → `a::b`, `a::c::d`.
fn expand(path: &str) -> Vec<String> {
    let Some(open) = path.find('{') else {
        return vec![path.trim_end_matches("::").to_string()];
    };
    let prefix = &path[..open];
    let inner = &path[open + 1..path.rfind('}').unwrap_or(path.len())];
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (at, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&inner[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .flat_map(|p| {
            if p == "self" {
                vec![prefix.trim_end_matches("::").to_string()]
            } else {
                expand(&format!("{prefix}{p}"))
            }
        })
        .collect()
}

/// The file a path lands in: its longest prefix that is a module file.
fn owner<'m>(path: &[String], mods: &'m BTreeMap<Vec<String>, PathBuf>) -> Option<&'m Vec<String>> {
    (1..=path.len())
        .rev()
        .find_map(|n| mods.get_key_value(&path[..n]).map(|(k, _)| k))
}

fn place(module: &[String]) -> usize {
    let first = module.first().map_or("lib", String::as_str);
    ORDER
        .iter()
        .position(|o| *o == first)
        .unwrap_or_else(|| panic!("src/{first} has no place in the layout order; add it to ORDER"))
}

fn name(m: &[String]) -> String {
    if m.is_empty() {
        "lib".to_string()
    } else {
        m.join("::")
    }
}

/// The import graph between files (module paths), test modules left out.
fn graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mods = modules(&src);
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, path) in &mods {
        let text = std::fs::read_to_string(path).expect("source is readable");
        let is_mod_rs = path
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs");
        let e = edges.entry(module.clone()).or_default();
        for import in imports(&code_of(&text), module, is_mod_rs) {
            if let Some(target) = owner(&import, &mods) {
                // A file using its own submodule (or itself) is not an edge.
                if !target.starts_with(module) {
                    e.insert(target.clone());
                }
            }
        }
    }
    edges
}

#[test]
fn no_import_cycle_between_files() {
    let edges = graph();
    // Tarjan-free: a depth-first search that reports the first cycle found.
    fn visit(
        node: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        match state.get(node) {
            Some(2) => return None,
            Some(1) => {
                let at = stack.iter().position(|n| n == node).unwrap_or(0);
                let mut cycle = stack[at..].to_vec();
                cycle.push(node.clone());
                return Some(cycle);
            }
            _ => {}
        }
        state.insert(node.clone(), 1);
        stack.push(node.clone());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, edges, state, stack) {
                return Some(c);
            }
        }
        stack.pop();
        state.insert(node.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in edges.keys() {
        let mut stack = Vec::new();
        if let Some(cycle) = visit(node, &edges, &mut state, &mut stack) {
            let names: Vec<String> = cycle.iter().map(|m| name(m)).collect();
            panic!("import cycle between files: {}", names.join(" -> "));
        }
    }
}

#[test]
fn imports_point_backwards_along_the_pipeline() {
    let mut wrong = Vec::new();
    for (from, targets) in graph() {
        for to in targets {
            // The language registry is the one global every stage may read.
            let registry = to == ["scan", "lang"];
            let later = place(&to) > place(&from) && !registry;
            // `cli` holds the clap definitions: only the commands (and the
            // entry points above them) may read them.
            let reads_cli = to.first().is_some_and(|s| s == "cli")
                && !from.first().is_some_and(|s| s == "commands" || s == "lib");
            if later || reads_cli {
                wrong.push(format!("{} imports {}", name(&from), name(&to)));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the pipeline (ORDER in tests/layout.rs):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_path_reader_expands_groups_and_super() {
    let this = vec!["resolve".to_string(), "find".to_string()];
    let got = imports(
        "use crate::scan::{lang::{self, LangSpec}, walk};\nuse super::decls::Decl;\n",
        &this,
        false,
    );
    let got: Vec<String> = got.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        got,
        [
            "scan::lang",
            "scan::lang::LangSpec",
            "scan::walk",
            "resolve::decls::Decl"
        ]
    );
    let code = code_of("// crate::x::y\nlet s = \"crate::z\";\nuse crate::a;\n#[cfg(test)]\nmod tests {\n    use crate::b;\n}\n");
    let got: Vec<String> = imports(&code, &this, false)
        .iter()
        .map(|p| p.join("::"))
        .collect();
    assert_eq!(got, ["a"]);
}

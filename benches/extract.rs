//! Per-file extraction speed of each language (`cargo bench`), beside a
//! parse-only run of the same text: the difference is the query, extraction
//! and model cost on top of tree-sitter's parse. `traverse_*` is the floor
//! between the two: a parse plus one query over the whole tree that matches
//! only comments. Extraction needs at least one such pass (the facts read
//! function bodies), so `traverse / parse` bounds how close to parse-only
//! any query-driven extractor can come.
//!
//! `pass` splits one file's cost by pass, each timed over trees parsed
//! beforehand: `parse` (tree-sitter's parse), `walk` (a `TreeCursor` over
//! every node, the floor of any pass), `items` (`items.scm`), `facts`
//! (`facts.scm`), `refs` (`refs.scm`, the reference query the report's scan
//! runs), `copy` (the copy of the tree the resolver reads, without the
//! query) and `snapshot` (query, copy and macro re-parses together).
//!
//! Inputs are generated (no files read): a Go and a Rust source of about
//! 10 KB and 100 KB, dense with documented declarations, generics, methods and
//! bodies, like `scripts/bench.sh`'s synthetic corpus. `pass` also reads real
//! trees when `PLANRECON_BENCH_TREES` lists them (`:`-separated directories):
//! every `.go` and `.rs` file outside `vendor/`, `target/`, `testdata/` and
//! hidden directories, in path order, parsed once.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use divan::counter::BytesCount;
use divan::Bencher;
use planrecon::dev::BenchTree;

fn main() {
    divan::main();
}

/// Sizes in KB.
const SIZES: &[usize] = &[10, 100];

fn go_source(kb: usize) -> String {
    let mut s = String::from("// Package bench is generated.\npackage bench\n\nimport \"fmt\"\n\n");
    let mut i = 0;
    while s.len() < kb * 1024 {
        s.push_str(&format!(
            "// Record{i} holds one record.\ntype Record{i}[T any] struct {{\n\tID    int\n\tName  string\n\tItems []T\n}}\n\n\
             // Shape{i} has an area.\ntype Shape{i} interface {{\n\tArea() float64\n\tfmt.Stringer\n}}\n\n\
             // NewRecord{i} builds a record.\nfunc NewRecord{i}[T any](id int) *Record{i}[T] {{\n\tr := &Record{i}[T]{{ID: id}}\n\
             \tfor j := 0; j < id; j++ {{\n\t\tif j%2 == 0 {{\n\t\t\tr.Name = fmt.Sprintf(\"%s-%d\", r.Name, j)\n\t\t}}\n\t}}\n\treturn r\n}}\n\n\
             // Len reports the number of items.\nfunc (r *Record{i}[T]) Len() int {{\n\treturn len(r.Items)\n}}\n\n"
        ));
        i += 1;
    }
    s
}

fn rust_source(kb: usize) -> String {
    let mut s = String::from("//! Generated.\n\nuse std::fmt;\n\n");
    let mut i = 0;
    while s.len() < kb * 1024 {
        s.push_str(&format!(
            "/// Record {i}.\n#[derive(Debug, Clone)]\npub struct Record{i}<T> {{\n    pub id: usize,\n    items: Vec<T>,\n}}\n\n\
             /// States.\npub enum State{i} {{\n    Idle,\n    Busy(u32),\n}}\n\n\
             impl<T: Clone> Record{i}<T> {{\n    /// Builds a record.\n    pub fn new(id: usize) -> Self {{\n        let mut r = Self {{ id, items: Vec::new() }};\n\
             \x20       for j in 0..id {{\n            if j % 2 == 0 {{\n                r.id += j;\n            }}\n        }}\n        r\n    }}\n}}\n\n\
             impl<T> fmt::Display for Record{i}<T> {{\n    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {{\n        write!(f, \"{{}}\", self.id)\n    }}\n}}\n\n"
        ));
        i += 1;
    }
    s
}

fn source(lang: &str, kb: usize) -> String {
    match lang {
        "go" => go_source(kb),
        _ => rust_source(kb),
    }
}

#[divan::bench(args = SIZES)]
fn extract_go(bencher: Bencher, kb: usize) {
    run(bencher, "go", kb, true);
}

#[divan::bench(args = SIZES)]
fn extract_rust(bencher: Bencher, kb: usize) {
    run(bencher, "rust", kb, true);
}

#[divan::bench(args = SIZES)]
fn parse_only_go(bencher: Bencher, kb: usize) {
    run(bencher, "go", kb, false);
}

#[divan::bench(args = SIZES)]
fn parse_only_rust(bencher: Bencher, kb: usize) {
    run(bencher, "rust", kb, false);
}

#[divan::bench(args = SIZES)]
fn traverse_go(bencher: Bencher, kb: usize) {
    traverse(bencher, "go", kb);
}

#[divan::bench(args = SIZES)]
fn traverse_rust(bencher: Bencher, kb: usize) {
    traverse(bencher, "rust", kb);
}

fn traverse(bencher: Bencher, lang: &str, kb: usize) {
    let text = source(lang, kb);
    assert!(
        planrecon::dev::traverse_source(lang, &text).is_some_and(|n| n > 0),
        "{lang} has comments"
    );
    bencher.counter(BytesCount::of_str(&text)).bench(|| {
        divan::black_box(planrecon::dev::traverse_source(
            lang,
            divan::black_box(&text),
        ));
    });
}

fn run(bencher: Bencher, lang: &str, kb: usize, extract: bool) {
    let text = source(lang, kb);
    assert!(
        planrecon::dev::extract_source(lang, &text).is_some_and(|n| n > 0),
        "{lang} extracts items"
    );
    bencher.counter(BytesCount::of_str(&text)).bench(|| {
        if extract {
            divan::black_box(planrecon::dev::extract_source(
                lang,
                divan::black_box(&text),
            ));
        } else {
            divan::black_box(planrecon::dev::parse_source(lang, divan::black_box(&text)));
        }
    });
}

/// One input of `pass`: (language, text) per file.
struct Corpus {
    name: String,
    files: Vec<(&'static str, String)>,
}

fn corpora() -> &'static [Corpus] {
    static ALL: OnceLock<Vec<Corpus>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all = vec![
            Corpus {
                name: "go-100kb".into(),
                files: vec![("go", go_source(100))],
            },
            Corpus {
                name: "rust-100kb".into(),
                files: vec![("rust", rust_source(100))],
            },
        ];
        if let Ok(list) = std::env::var("PLANRECON_BENCH_TREES") {
            for dir in list.split(':').filter(|d| !d.is_empty()) {
                let mut paths = Vec::new();
                source_files(Path::new(dir), &mut paths);
                paths.sort();
                let files = paths
                    .iter()
                    .filter_map(|p| {
                        let lang = match p.extension()?.to_str()? {
                            "go" => "go",
                            "rs" => "rust",
                            _ => return None,
                        };
                        Some((lang, std::fs::read_to_string(p).ok()?))
                    })
                    .collect();
                let name = Path::new(dir)
                    .file_name()
                    .map_or_else(|| dir.to_string(), |n| n.to_string_lossy().into_owned());
                all.push(Corpus { name, files });
            }
        }
        all
    })
}

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !(name.starts_with('.') || ["vendor", "target", "testdata"].contains(&&*name)) {
                source_files(&path, out);
            }
        } else if name.ends_with(".go") || name.ends_with(".rs") {
            out.push(path);
        }
    }
}

fn corpus_names() -> Vec<&'static str> {
    corpora().iter().map(|c| c.name.as_str()).collect()
}

/// The passes `pass` times apart.
const PASSES: &[&str] = &[
    "parse", "walk", "items", "facts", "refs", "copy", "snapshot",
];

#[divan::bench(args = corpus_names(), consts = [0, 1, 2, 3, 4, 5, 6], sample_count = 10, sample_size = 1)]
fn pass<const P: usize>(bencher: Bencher, corpus: &str) {
    let Some(c) = corpora().iter().find(|c| c.name == corpus) else {
        return;
    };
    let bytes: usize = c.files.iter().map(|(_, t)| t.len()).sum();
    let pass = PASSES[P];
    if pass == "parse" {
        bencher.counter(BytesCount::new(bytes)).bench(|| {
            for (lang, text) in &c.files {
                divan::black_box(planrecon::dev::parse_source(lang, divan::black_box(text)));
            }
        });
        return;
    }
    let trees: Vec<BenchTree> = c
        .files
        .iter()
        .filter_map(|(lang, text)| BenchTree::parse(lang, text))
        .collect();
    bencher.counter(BytesCount::new(bytes)).bench(|| {
        let mut n = 0usize;
        for t in &trees {
            n += match pass {
                "walk" => t.walk(),
                "items" => t.items(),
                "facts" => t.facts(),
                "refs" => t.refs_query(),
                "copy" => t.copy(),
                _ => t.snapshot(),
            };
        }
        divan::black_box(n)
    });
}

//! Per-file extraction speed of each language (`cargo bench`), beside a
//! parse-only run of the same text: the difference is the query, extraction
//! and model cost on top of tree-sitter's parse. `traverse_*` is the floor
//! between the two: a parse plus one query over the whole tree that matches
//! only comments. Extraction needs at least one such pass (the facts read
//! function bodies), so `traverse / parse` bounds how close to parse-only
//! any query-driven extractor can come.
//!
//! Inputs are generated (no files read): a Go and a Rust source of about
//! 10 KB and 100 KB, dense with documented declarations, generics, methods and
//! bodies, like `scripts/bench.sh`'s synthetic corpus.

use divan::counter::BytesCount;
use divan::Bencher;

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

//! Property tests: for arbitrary bytes and for mutated real-looking Go and
//! Rust sources, extraction never panics, terminates, cites only lines inside
//! the file, names each item and member on its cited line, and the whole run
//! gives byte-identical output for any thread count.
//!
//! Case counts stay modest (the suite runs on 2 cores); cargo-fuzz (`fuzz/`)
//! searches the same properties for as long as one likes.

mod common;

use proptest::prelude::*;
use proptest::test_runner::Config as PropConfig;

/// Real-looking seeds: the fixtures plus small inline files covering macros,
/// nested modules, generics, raw identifiers and grouped declarations.
const GO_SEEDS: &[&str] = &[
    include_str!("../testdata/go/module/store/store.go"),
    include_str!("../testdata/go/module/broken/broken.go"),
    include_str!("../testdata/go/module/store/internal/codec/codec.go"),
    "package p\n\ntype (\n\tA struct {\n\t\tX, Y int `json:\"x\"`\n\t\t*pkg.T[K]\n\t}\n\tI interface {\n\t\tio.Reader\n\t\tM(a int) (b error)\n\t\t~int | ~string\n\t}\n)\n\nconst (\n\tC1 = iota\n\tC2\n)\n\nvar a, _, b = 1, 2, 3\n\nfunc (l *List[T]) Push(v T) { func() { type Local int }() }\n",
];

const RUST_SEEDS: &[&str] = &[
    include_str!("../testdata/rust/workspace/core/src/lib.rs"),
    include_str!("../testdata/rust/workspace/core/src/engine/mod.rs"),
    "//! Doc.\nmod a {\n    pub(in crate::a) mod b {\n        pub struct S<T: Clone>(T);\n        impl<T: Clone> Iterator for S<T> {\n            type Item = T;\n            fn next(&mut self) -> Option<T> { None }\n        }\n    }\n}\npub enum E { A { x: u8 }, B(u16), C }\npub trait Tr: Send { const N: usize; fn f(&self); }\nfn r#type() {}\nmacro_rules! m { () => {} }\ncfg_rt! {\n    pub fn in_macro() {}\n    outer! { pub struct Deeper; }\n}\nimpl (u8, u16) { fn tuple(&self) {} }\n",
];

/// Fragments that stress the parser and the line arithmetic.
const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "<",
    ">",
    "\"",
    "'",
    "`",
    "/*",
    "*/",
    "//",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "\u{feff}",
    "\u{2028}",
    "é",
    "🦀",
    "r#",
    "mod m {",
    "macro_rules! m {",
    "impl X {",
    "fn f() {",
    "pub struct S { a: u8 }",
    "type T = ",
    "func F() {",
    "type T struct {",
    "interface {",
    "package p\n",
    "cfg_x! {",
    "#[cfg(test)]",
    "/// doc\n",
    ";",
    ",",
    "::",
    ".",
    "*",
    "&",
    "_",
];

/// One mutation of a source text.
#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, frag: usize },
    Duplicate { at: usize, len: usize },
    Byte { at: usize, byte: u8 },
    Crlf,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 0usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), 0..FRAGMENTS.len()).prop_map(|(at, frag)| Mutation::Insert { at, frag }),
        (any::<usize>(), 0usize..80).prop_map(|(at, len)| Mutation::Duplicate { at, len }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Byte { at, byte }),
        Just(Mutation::Crlf),
    ]
}

fn apply(seed: &str, muts: &[Mutation]) -> Vec<u8> {
    let mut b = seed.as_bytes().to_vec();
    for m in muts {
        let n = b.len().max(1);
        match *m {
            Mutation::Delete { at, len } => {
                let at = at % n;
                let end = (at + len).min(b.len());
                b.drain(at.min(end)..end);
            }
            Mutation::Insert { at, frag } => {
                let at = at % (b.len() + 1);
                b.splice(at..at, FRAGMENTS[frag].bytes());
            }
            Mutation::Duplicate { at, len } => {
                let at = at % n;
                let end = (at + len).min(b.len());
                let piece = b[at.min(end)..end].to_vec();
                b.splice(end..end, piece);
            }
            Mutation::Byte { at, byte } => {
                if !b.is_empty() {
                    let at = at % b.len();
                    b[at] = byte;
                }
            }
            Mutation::Crlf => {
                b = String::from_utf8_lossy(&b)
                    .replace("\r\n", "\n")
                    .replace('\n', "\r\n")
                    .into_bytes();
            }
        }
    }
    b
}

/// The invariants of one extraction, checked against the raw bytes.
fn check_extraction(lang: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let Ok(spans) = planrecon::dev::extract_for_fuzz(lang, bytes) else {
        // Skipped files (binary, not UTF-8) must be exactly those.
        let binary = bytes[..bytes.len().min(8192)].contains(&0);
        let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        prop_assert!(
            binary || std::str::from_utf8(body).is_err(),
            "a clean file was skipped"
        );
        return Ok(());
    };
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    for s in &spans {
        prop_assert!(s.line >= 1 && s.line <= s.end_line, "{s:?} is not a range");
        prop_assert!(
            s.end_line as usize <= lines.len(),
            "{s:?} ends past line {}",
            lines.len()
        );
        let name = s.name.strip_prefix("r#").unwrap_or(&s.name);
        prop_assert!(!name.is_empty(), "{s:?} has no name");
        let line = lines[s.line as usize - 1];
        prop_assert!(
            line.windows(name.len()).any(|w| w == name.as_bytes()),
            "{s:?} not on line {}: {:?}",
            s.line,
            String::from_utf8_lossy(line)
        );
    }
    // Deterministic: a second run gives the same spans.
    prop_assert_eq!(
        planrecon::dev::extract_for_fuzz(lang, bytes).ok(),
        Some(spans)
    );
    Ok(())
}

proptest! {
    #![proptest_config(PropConfig { cases: 256, ..PropConfig::default() })]

    #[test]
    fn arbitrary_bytes_as_go(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check_extraction("go", &bytes)?;
    }

    #[test]
    fn arbitrary_bytes_as_rust(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check_extraction("rust", &bytes)?;
    }

    #[test]
    fn arbitrary_text_as_go_and_rust(text in "[ -~\t\n\r{}()\\[\\]é]{0,400}") {
        check_extraction("go", text.as_bytes())?;
        check_extraction("rust", text.as_bytes())?;
    }

    #[test]
    fn mutated_go_sources(seed in 0..GO_SEEDS.len(), muts in proptest::collection::vec(mutation(), 1..8)) {
        check_extraction("go", &apply(GO_SEEDS[seed], &muts))?;
    }

    #[test]
    fn mutated_rust_sources(seed in 0..RUST_SEEDS.len(), muts in proptest::collection::vec(mutation(), 1..8)) {
        check_extraction("rust", &apply(RUST_SEEDS[seed], &muts))?;
    }
}

proptest! {
    // Each case runs the binary twice; a few dozen trees are enough to catch
    // order that depends on scheduling.
    #![proptest_config(PropConfig { cases: 24, ..PropConfig::default() })]

    #[test]
    fn output_is_identical_across_thread_counts(
        files in proptest::collection::vec(
            (any::<bool>(), 0usize..4, proptest::collection::vec(mutation(), 0..4)),
            1..7,
        )
    ) {
        let tmp = tempfile::tempdir().expect("tempdir");
        for (i, (go, seed, muts)) in files.iter().enumerate() {
            let (dir, name, src) = if *go {
                (format!("g{}", i % 3), format!("f{i}.go"), GO_SEEDS[seed % GO_SEEDS.len()])
            } else {
                (format!("src/m{}", i % 2), format!("f{i}.rs"), RUST_SEEDS[seed % RUST_SEEDS.len()])
            };
            let dir = tmp.path().join(dir);
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(dir.join(name), apply(src, muts)).expect("write");
        }
        std::fs::write(tmp.path().join("go.mod"), "module example.com/m\n").expect("go.mod");
        std::fs::write(tmp.path().join("Cargo.toml"), "[package]\nname = \"m\"\n").expect("Cargo.toml");
        let root = tmp.path().to_str().expect("utf-8 temp path");
        let mut outputs = Vec::new();
        for threads in ["1", "3"] {
            let json = common::run(&[root, "--format", "json", "--include-tests", "-j", threads]);
            let md = common::run(&[root, "-j", threads]);
            prop_assert!(json.status.success() && md.status.success(), "{}", String::from_utf8_lossy(&json.stderr));
            outputs.push((json.stdout, md.stdout));
        }
        prop_assert!(outputs[0] == outputs[1], "-j1 and -j3 differ");
        let inv: serde_json::Value = serde_json::from_slice(&outputs[0].0).expect("json");
        common::assert_citations_hold(tmp.path(), &inv);
    }
}

/// Markdown and citation fragments for the plan parser.
const PLAN_FRAGMENTS: &[&str] = &[
    "src/a.rs",
    ":",
    "12",
    "-",
    "–",
    ",",
    "40",
    "`",
    "```go\n",
    "```\n",
    "// ",
    "\n",
    "\r\n",
    "| ",
    " |",
    "# ",
    "- ",
    "as of ",
    "abc1234",
    "Store.Get",
    "é",
    "🦀",
    "[x](y.go:3)",
    "    ",
    "> ",
    "*",
    "_",
    "\\",
];

proptest! {
    #![proptest_config(PropConfig { cases: 256, ..PropConfig::default() })]

    /// `check`'s plan parser: spans inside the plan, on character
    /// boundaries, holding the path and a number (what `--fix` rewrites).
    #[test]
    fn plan_citations_hold_their_bytes(parts in proptest::collection::vec(0..PLAN_FRAGMENTS.len(), 0..60)) {
        let text: String = parts.iter().map(|&i| PLAN_FRAGMENTS[i]).collect();
        let lines = text.matches('\n').count() + 1;
        for c in planrecon::dev::parse_plan_for_fuzz(&text) {
            prop_assert!(c.line >= 1 && c.line <= lines, "{c:?}");
            prop_assert_eq!(text.get(c.path_span.clone()), Some(c.path.as_str()));
            if let Some(span) = &c.lines_span {
                let digits = text.get(span.clone());
                prop_assert!(digits.is_some_and(|d| d.starts_with(|ch: char| ch.is_ascii_digit())), "{c:?}");
            }
        }
    }
}

/// The fragments above do form citations: the property is not vacuous.
#[test]
fn plan_fragments_form_citations() {
    let text = "# Plan\n\nSee `src/a.rs:12-40` and src/a.rs:12,40.\n";
    let found = planrecon::dev::parse_plan_for_fuzz(text);
    assert!(found.len() >= 2, "{found:?}");
    assert_eq!(&text[found[0].path_span.clone()], "src/a.rs");
    assert_eq!(found[0].lines_span.clone().map(|s| &text[s]), Some("12-40"));
    assert_eq!(found[0].line, 3);
}

//! `planrecon diff` compares what callers and implementors depend on
//! (issue 19, item 7): whitespace, comments, attribute order, formatting and
//! re-spelled paths to the same item are no change; a loosened bound of an
//! argument is compatible; every signature change shows both signatures and
//! what differs.

mod common;

use serde_json::Value;

use common::{git, run, write_file};

/// A crate `c` at two revisions; returns (exit code, JSON, Markdown).
fn diff(v1: &[(&str, &str)], v2: &[(&str, &str)]) -> (i32, Value, String) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).expect("mkdir");
    git(&repo, &["init", "-q", "-b", "main"]);
    let manifests = [
        (
            "Cargo.toml",
            "[package]\nname = \"c\"\nversion = \"0.1.0\"\n",
        ),
        ("go.mod", "module example.com/c\n"),
    ];
    for (rel, text) in manifests.iter().chain(v1) {
        write_file(&repo, rel, text);
    }
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "v1"]);
    for (rel, _) in v1 {
        std::fs::remove_file(repo.join(rel)).expect("rm");
    }
    for (rel, text) in v2 {
        write_file(&repo, rel, text);
    }
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "v2"]);
    let r = repo.to_str().unwrap();
    let json = run(&["diff", "--repo", r, "HEAD~1", "HEAD", "--format", "json"]);
    let md = run(&["diff", "--repo", r, "HEAD~1", "HEAD"]);
    let code = json.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "diff failed: {}",
        String::from_utf8_lossy(&json.stderr)
    );
    assert_eq!(md.status.code(), Some(code));
    (
        code,
        serde_json::from_slice(&json.stdout).expect("JSON"),
        String::from_utf8(md.stdout).expect("utf-8"),
    )
}

/// `class rule name: detail`, one per change.
fn changes(v: &Value) -> Vec<String> {
    v["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .map(|c| {
            format!(
                "{} {} {}: {}",
                c["class"].as_str().unwrap(),
                c["rule"].as_str().unwrap(),
                c["name"].as_str().unwrap(),
                c["detail"].as_str().unwrap()
            )
        })
        .collect()
}

/// Asserts that the two revisions differ in nothing an interface shows.
fn assert_no_change(v1: &[(&str, &str)], v2: &[(&str, &str)]) {
    let (code, v, md) = diff(v1, v2);
    assert_eq!(changes(&v), Vec::<String>::new(), "{md}");
    assert_eq!(code, 0);
    assert!(md.contains("No interface changes."), "{md}");
}

#[test]
fn whitespace_and_line_wrapping_are_no_change() {
    assert_no_change(
        &[(
            "src/lib.rs",
            "pub struct Surface;\n\
             pub fn render(surface: &mut Surface, viewport: (u16, u16), theme: &str) -> Option<Vec<u8>> { None }\n\
             pub fn boxed<'a>(f: Box<dyn Fn(u8)->u8+Send+'a>) -> Vec<Box<dyn Fn(u8) -> u8 + 'a>> { vec![f] }\n\
             pub fn generic<T,U>(t:T,u:U)->(T,U) where T:Clone,U:Copy{ (t, u) }\n",
        )],
        &[(
            "src/lib.rs",
            "pub struct Surface;\n\
             pub fn render(\n    surface: &mut Surface,\n    viewport: ( u16, u16 ),\n    theme: &str,\n) -> Option< Vec<u8> > {\n    None\n}\n\
             pub fn boxed<'a>(\n    f: Box<dyn Fn(u8) -> u8 + Send + 'a>,\n) -> Vec<Box<(dyn Fn(u8) -> u8 + 'a)>> {\n    vec![f]\n}\n\
             pub fn generic<T, U>(t: T, u: U) -> (T, U)\nwhere\n    T: Clone,\n    U: Copy,\n{\n    (t, u)\n}\n",
        )],
    );
}

#[test]
fn comments_are_no_change() {
    assert_no_change(
        &[
            (
                "src/lib.rs",
                "pub fn f(a: u8, /* legacy */ b: u8) -> u8 { a + b }\n\
                 pub struct S {\n    pub a: u8, // the a\n}\n",
            ),
            ("a.go", "package c\n\nfunc F(a int /* x */, b int) int { return a + b }\n"),
        ],
        &[
            (
                "src/lib.rs",
                "pub fn f(\n    // first\n    a: u8,\n    b: u8, // second\n) -> u8 {\n    a + b\n}\n\
                 pub struct S {\n    /* the a */ pub a: u8,\n}\n",
            ),
            (
                "a.go",
                "package c\n\nfunc F(\n\ta int, // x\n\tb int,\n) int {\n\treturn a + b\n}\n",
            ),
        ],
    );
}

#[test]
fn attribute_order_is_no_change() {
    assert_no_change(
        &[(
            "src/lib.rs",
            "#[inline]\n#[must_use]\npub fn f() -> u8 { 1 }\n\
             #[derive(Debug, Clone, PartialEq)]\n#[repr(C)]\npub struct P {\n    #[doc(hidden)]\n    #[allow(dead_code)]\n    pub x: u8,\n}\n\
             pub enum E {\n    #[allow(unused)]\n    #[doc(hidden)]\n    A(u8),\n}\n",
        )],
        &[(
            "src/lib.rs",
            "#[must_use]\n#[inline]\npub fn f() -> u8 { 1 }\n\
             #[repr(C)]\n#[derive(PartialEq, Clone, Debug)]\npub struct P {\n    #[allow(dead_code)]\n    #[doc(hidden)]\n    pub x: u8,\n}\n\
             pub enum E {\n    #[doc(hidden)]\n    #[allow(unused)]\n    A(u8),\n}\n",
        )],
    );
}

#[test]
fn an_import_through_a_reexport_is_no_change() {
    // helix 24.07 -> 25.01: `use lsp_types as lsp;` became
    // `use crate::lsp::{self, …}` where the crate root has `pub use lsp_types as lsp;`.
    let lib = "pub use lsp_types as lsp;\npub mod client;\n";
    assert_no_change(
        &[
            ("src/lib.rs", lib),
            (
                "src/client.rs",
                "use lsp_types as lsp;\n\npub fn capabilities() -> &'static lsp::ServerCapabilities { todo!() }\n",
            ),
        ],
        &[
            ("src/lib.rs", lib),
            (
                "src/client.rs",
                "use crate::lsp::{self, Url};\n\npub fn capabilities() -> &'static lsp::ServerCapabilities { todo!() }\n",
            ),
        ],
    );
}

#[test]
fn a_type_that_moved_with_its_imports_is_no_signature_change() {
    // helix 25.01 -> 25.07: `Configuration` moved from `syntax` to
    // `syntax::config`; the functions naming it did not change.
    let (_, v, md) = diff(
        &[
            ("src/lib.rs", "pub mod config;\npub mod syntax;\n"),
            (
                "src/syntax.rs",
                "pub struct Configuration {\n    pub language: Vec<String>,\n}\n\npub fn load(config: Configuration) -> usize { config.language.len() }\n",
            ),
            (
                "src/config.rs",
                "use crate::syntax::Configuration;\n\npub fn default_lang_config() -> Configuration { todo!() }\n",
            ),
        ],
        &[
            ("src/lib.rs", "pub mod config;\npub mod syntax;\n"),
            (
                "src/syntax.rs",
                "pub mod config;\n\nuse config::Configuration;\n\npub fn load(config: Configuration) -> usize { config.language.len() }\n",
            ),
            (
                "src/syntax/config.rs",
                "pub struct Configuration {\n    pub language: Vec<String>,\n}\n",
            ),
            (
                "src/config.rs",
                "use crate::syntax::config::Configuration;\n\npub fn default_lang_config() -> Configuration { todo!() }\n",
            ),
        ],
    );
    let all = changes(&v);
    assert!(
        !all.iter().any(|c| c.contains("signature-changed")),
        "{all:#?}\n{md}"
    );
    // The move itself is reported: the old path is gone.
    assert!(
        all.iter()
            .any(|c| c.starts_with("breaking rust.removed-pub Configuration")),
        "{all:#?}"
    );
}

#[test]
fn the_same_text_naming_another_type_says_which_names_differ() {
    let types = "pub mod old {\n    pub struct Tree;\n}\npub mod new {\n    pub struct Tree;\n}\npub mod syntax;\n";
    let (code, v, md) = diff(
        &[
            ("src/lib.rs", types),
            (
                "src/syntax.rs",
                "use crate::old::Tree;\n\npub fn tree() -> &'static Tree { todo!() }\n",
            ),
        ],
        &[
            ("src/lib.rs", types),
            (
                "src/syntax.rs",
                "use crate::new::Tree;\n\npub fn tree() -> &'static Tree { todo!() }\n",
            ),
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(
        changes(&v),
        ["breaking rust.signature-changed tree: signature changed: `c::old::Tree` -> `c::new::Tree` (the same text: a name resolves elsewhere)"]
    );
    // Both signatures are printed, though their text is the same, and what differs.
    assert!(
        md.contains("  - old: `pub fn tree() -> &'static Tree`\n  - new: `pub fn tree() -> &'static Tree`\n"),
        "{md}"
    );
    assert!(
        md.contains(
            "  - differs: `c::old::Tree` -> `c::new::Tree` (the same text: a name resolves elsewhere)\n"
        ),
        "{md}"
    );
}

#[test]
fn each_signature_change_shows_both_signatures_and_what_differs() {
    let (code, v, md) = diff(
        &[(
            "src/lib.rs",
            "pub struct F;\nimpl F {\n    pub fn new_at(text: &str, char_idx: usize) -> (Self, usize) { todo!() }\n}\n\
             pub fn set(rev: usize) {}\n",
        )],
        &[(
            "src/lib.rs",
            "pub struct F;\nimpl F {\n    pub fn new_at(\n        text: &str,\n        char_idx: usize,\n    ) -> Self { todo!() }\n}\n\
             pub fn set(rev: usize, save_time: std::time::SystemTime) {}\n",
        )],
    );
    assert_eq!(code, 1);
    assert_eq!(
        changes(&v),
        [
            "breaking rust.signature-changed F.new_at: signature changed: `(Self, usize)` -> `Self`",
            "breaking rust.signature-changed set: signature changed: `usize` -> `usize, std::time::SystemTime`",
        ]
    );
    for line in [
        "  - old: `pub fn new_at(text: &str, char_idx: usize) -> (Self, usize)`",
        "  - new: `pub fn new_at(text: &str, char_idx: usize) -> Self`",
        "  - differs: `(Self, usize)` -> `Self`",
        "  - differs: `usize` -> `usize, std::time::SystemTime`",
    ] {
        assert!(md.contains(line), "no {line:?} in:\n{md}");
    }
}

#[test]
fn loosened_argument_bounds_are_compatible() {
    let (code, v, md) = diff(
        &[(
            "src/lib.rs",
            "pub fn run(f: impl Fn(u8) -> u8) {}\n\
             pub fn each<F: FnMut()>(f: F) {}\n\
             pub fn send<T: Clone + Send>(t: T) {}\n\
             pub fn sized<T>(t: &T) {}\n\
             pub fn later<F>(f: F) where F: Fn() + Send + 'static {}\n",
        )],
        &[(
            "src/lib.rs",
            "pub fn run(f: impl FnOnce(u8) -> u8) {}\n\
             pub fn each<F: FnOnce()>(f: F) {}\n\
             pub fn send<T: Send>(t: T) {}\n\
             pub fn sized<T: ?Sized>(t: &T) {}\n\
             pub fn later<F>(f: F) where F: FnOnce() + 'static {}\n",
        )],
    );
    assert_eq!(code, 0, "{md}");
    assert_eq!(
        changes(&v),
        [
            "compatible rust.bound-loosened each: bound loosened: `F: FnMut()` -> `F: FnOnce()`",
            "compatible rust.bound-loosened later: bound loosened: `F: 'static + Fn() + Send` -> `F: 'static + FnOnce()`",
            "compatible rust.bound-loosened run: bound loosened: `impl Fn(u8) -> u8` -> `impl FnOnce(u8) -> u8`",
            "compatible rust.bound-loosened send: bound loosened: `T: Clone + Send` -> `T: Send`",
            "compatible rust.bound-loosened sized: bound loosened: `T` -> `T: ?Sized`",
        ],
        "{md}"
    );
}

#[test]
fn tightened_bounds_returned_bounds_and_trait_methods_still_break() {
    let (code, v, md) = diff(
        &[(
            "src/lib.rs",
            "pub fn run(f: impl FnOnce(u8)) {}\n\
             pub fn make() -> impl Fn() { || () }\n\
             pub trait Visit {\n    fn visit(&self, f: impl Fn());\n}\n",
        )],
        &[(
            "src/lib.rs",
            "pub fn run(f: impl Fn(u8)) {}\n\
             pub fn make() -> impl FnOnce() { || () }\n\
             pub trait Visit {\n    fn visit(&self, f: impl FnOnce());\n}\n",
        )],
    );
    assert_eq!(code, 1, "{md}");
    let all = changes(&v);
    for name in ["run", "make", "Visit.visit"] {
        assert!(
            all.iter()
                .any(|c| c.starts_with(&format!("breaking rust.signature-changed {name}:"))),
            "{name}: {all:#?}"
        );
    }
    assert_eq!(all.len(), 3, "{all:#?}");
}

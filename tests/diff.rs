//! `planrecon diff`: fixture repositories built with git at two revisions,
//! one per rule family, plus moves, renames, comment-only edits, the work tree
//! as NEW, the filters, and errors.

mod common;

use std::path::PathBuf;
use std::process::Output;

use serde_json::Value;

/// A throwaway git repository.
struct Repo {
    _tmp: tempfile::TempDir,
    path: PathBuf,
}

impl Repo {
    fn new() -> Repo {
        let tmp = tempfile::tempdir().expect("tempdir");
        let path = tmp.path().join("repo");
        std::fs::create_dir(&path).expect("mkdir");
        let r = Repo { _tmp: tmp, path };
        r.git(&["init", "-q", "-b", "main"]);
        r
    }

    fn git(&self, args: &[&str]) -> String {
        common::git(&self.path, args)
    }

    fn write(&self, rel: &str, text: &str) {
        common::write_file(&self.path, rel, text);
    }

    fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path.join(rel)).unwrap();
    }

    /// Stage everything and commit; returns the commit id.
    fn commit(&self, msg: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", msg]);
        self.git(&["rev-parse", "HEAD"])
    }

    fn diff(&self, args: &[&str]) -> Output {
        let mut all = vec!["diff", "--repo", self.path.to_str().unwrap()];
        all.extend_from_slice(args);
        common::run(&all)
    }

    fn diff_json(&self, args: &[&str]) -> (i32, Value) {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--format", "json"]);
        let out = self.diff(&all);
        let code = out.status.code().unwrap_or(-1);
        assert!(
            code == 0 || code == 1,
            "diff failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            code,
            serde_json::from_slice(&out.stdout).expect("valid JSON"),
        )
    }
}

/// One line per change: `class rule change kind name [member] old -> new`.
fn projection(v: &Value) -> String {
    let site = |s: &Value| {
        if s.is_null() {
            "-".to_string()
        } else {
            format!(
                "{}:{}-{}",
                s["file"].as_str().unwrap(),
                s["line"],
                s["end_line"]
            )
        }
    };
    let mut out = String::new();
    for c in v["changes"].as_array().unwrap() {
        let member = c["member"].as_object().map(|m| {
            format!(
                " {}:{}",
                m["kind"].as_str().unwrap(),
                m["name"].as_str().unwrap()
            )
        });
        out.push_str(&format!(
            "{} {} {} {} {}{} {} -> {}\n",
            c["class"].as_str().unwrap(),
            c["rule"].as_str().unwrap(),
            c["change"].as_str().unwrap(),
            c["kind"].as_str().unwrap(),
            c["name"].as_str().unwrap(),
            member.unwrap_or_default(),
            site(&c["old"]),
            site(&c["new"]),
        ));
    }
    out
}

fn rules_of(v: &Value, class: &str) -> Vec<String> {
    v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["class"] == class)
        .map(|c| {
            format!(
                "{} {}",
                c["rule"].as_str().unwrap(),
                c["name"].as_str().unwrap()
            )
        })
        .collect()
}

const GO_V1: &str = r#"package store

import "context"

// Store keeps orders.
type Store interface {
	Get(ctx context.Context, id string) (string, error)
}

// Order is one order.
type Order struct {
	ID   string `json:"id"`
	Qty  int
	note string
}

// Sum adds.
func Sum(a, b int) int { return a + b }

func Gone() {}

func helper(x int) int { return x }

func Rename(old string) {}

const Max = 10

type Kind int

type Reader interface {
	Read() error
}

type Opts struct {
	Depth int
}
"#;

const GO_V2: &str = r#"package store

import (
	"context"
	"io"
)

// Store keeps orders and more.
type Store interface {
	Get(c context.Context, key string) (string, error)
	Put(ctx context.Context, id, v string) error
}

// Order is one order.
type Order struct {
	ID    string `json:"order_id"`
	Qty   int64
	Extra string
}

// Sum adds three.
func Sum(a, b int, c int) int { return a + b + c }

func helper(x int64) int { return int(x) }

func Rename(newName string) {}

const Max = 20

type Kind string

type Reader interface {
	Read() error
	io.Closer
}

func New() Store { return nil }

type Opts = options.Opts
"#;

fn go_repo() -> (Repo, String, String) {
    let r = Repo::new();
    r.write("go.mod", "module example.com/shop\n\ngo 1.21\n");
    r.write("store/store.go", GO_V1);
    r.write(
        "store/moved.go",
        "package store\n\n// Moved moves.\nfunc Moved() int { return 1 }\n",
    );
    r.write("store/legacy.go", "package store\n\nfunc Legacy() {}\n");
    r.write("store/internal/x/x.go", "package x\n\nfunc Hidden() {}\n");
    r.write(
        "cmd/app/main.go",
        "package main\n\nfunc Run() {}\n\nfunc main() {}\n",
    );
    let v1 = r.commit("v1");
    r.write("store/store.go", GO_V2);
    r.remove("store/moved.go");
    r.write(
        "store/other.go",
        "package store\n\n// Other things.\n\n// Moved moves.\nfunc Moved() int { return 1 }\n",
    );
    r.git(&["mv", "store/legacy.go", "store/renamed.go"]);
    r.write(
        "store/internal/x/x.go",
        "package x\n\nfunc Hidden(n int) {}\n",
    );
    r.write(
        "cmd/app/main.go",
        "package main\n\nfunc Run(n int) {}\n\nfunc main() {}\n",
    );
    let v2 = r.commit("v2");
    (r, v1, v2)
}

#[test]
fn go_rules_between_two_commits() {
    let (r, v1, v2) = go_repo();
    let (code, v) = r.diff_json(&[&v1, &v2]);
    assert_eq!(code, 1, "breaking changes exit 1");
    insta::assert_snapshot!("go_rules", projection(&v));
    assert_eq!(
        rules_of(&v, "breaking"),
        vec![
            "go.removed-exported Gone",
            "go.retyped Kind",
            "go.field-retyped Order",
            "go.interface-embed-added Reader",
            "go.interface-method-added Store",
            "go.signature-changed Sum",
        ]
    );
    // Parameter renames and doc comments are not interface changes.
    let names: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"Rename"), "{names:?}");
    assert_eq!(v["summary"]["breaking"], 6);
}

#[test]
fn go_markdown_groups_by_package_breaking_first_cited_at_both_revisions() {
    let (r, v1, v2) = go_repo();
    let out = r.diff(&[&v1, &v2]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let text = text.replace(&v1, "OLDFULL").replace(&v2, "NEWFULL");
    let text = text.replace(&v1[..10], "OLD").replace(&v2[..10], "NEW");
    insta::assert_snapshot!("go_markdown", text);
}

#[test]
fn public_only_and_focus_filter_the_report() {
    let (r, v1, v2) = go_repo();
    let (_, v) = r.diff_json(&[&v1, &v2, "--public-only"]);
    assert!(v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["class"] != "internal"));
    assert_eq!(v["summary"]["internal"], 0);
    let (code, v) = r.diff_json(&[&v1, &v2, "--focus", "x", "app"]);
    assert_eq!(code, 0, "internal and main packages never break");
    let pkgs: Vec<&str> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["package"].as_str().unwrap())
        .collect();
    assert_eq!(
        pkgs,
        vec![
            "example.com/shop/cmd/app",
            "example.com/shop/store/internal/x"
        ]
    );
}

#[test]
fn plan_limits_the_diff_to_cited_and_frozen_symbols() {
    let (r, v1, v2) = go_repo();
    let plan = r._tmp.path().join("PLAN.md");
    std::fs::write(
        &plan,
        "# Plan\n\nPR2 builds on `Sum`.\n\n## F) Frozen Interfaces\n\n```go\n// store/store.go:6-8\ntype Store interface { … }\n```\n",
    )
    .unwrap();
    let (code, v) = r.diff_json(&[&v1, &v2, "--plan", plan.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_eq!(
        rules_of(&v, "breaking"),
        vec![
            "go.interface-method-added Store",
            "go.signature-changed Sum"
        ]
    );
    // `Store.Get` only renamed its parameters: nothing to report.
    assert_eq!(
        v["changes"].as_array().unwrap().len(),
        2,
        "{}",
        projection(&v)
    );
}

const RS_V1: &str = r#"//! A crate.

pub mod util;

pub trait Job {
    fn run(&mut self);
}

pub enum State {
    Idle,
    Busy,
}

#[non_exhaustive]
pub enum Open {
    A,
}

#[derive(Debug, Clone)]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

pub struct Sealed {
    pub a: u8,
    b: u8,
}

pub fn area(w: u32, h: u32) -> u32 {
    w * h
}

pub fn gone() {}

pub fn narrowed() {}

fn private_fn(a: u8) -> u8 {
    a
}

pub fn ren(a: u8) {}

pub fn konst() -> u8 {
    1
}

pub unsafe fn risky() {}

pub const LIMIT: u32 = 1;

mod hidden;
mod shown;
pub use shown::Shown;

pub fn relocated(a: u8) {}

#[derive(Debug)]
pub struct Manual;

pub struct Counter;

impl Iterator for Counter {
    type Item = u8;
    fn next(&mut self) -> Option<u8> {
        None
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, Some(0))
    }
}
"#;

const RS_V2: &str = r#"//! A crate, changed.

pub mod util;

pub trait Job {
    fn run(&mut self);
    fn stop(&mut self);
    fn name(&self) -> &str {
        "job"
    }
}

pub enum State {
    Idle,
    Busy,
    Done,
}

#[non_exhaustive]
pub enum Open {
    A,
    B,
}

#[derive(Debug)]
pub struct Point {
    pub x: i32,
    pub y: i32,
    pub z: i32,
}

pub struct Sealed {
    pub a: u8,
    b: u8,
    pub c: u8,
}

pub fn area(w: u64, h: u64) -> u64 {
    w * h
}

pub(crate) fn narrowed() {}

fn private_fn(a: u16) -> u8 {
    a as u8
}

pub fn ren(b: u8) {}

pub const fn konst() -> u8 {
    1
}

pub fn risky() {}

pub const LIMIT: u32 = 2;

pub fn fresh() {}

mod hidden;
mod shown;
pub use shown::{relocated, Shown};

pub struct Manual;

impl std::fmt::Debug for Manual {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("Manual")
    }
}

pub struct Counter;

impl Iterator for Counter {
    type Item = u8;
    fn next(&mut self) -> Option<u8> {
        None
    }
}
"#;

fn rust_repo() -> (Repo, String, String) {
    let r = Repo::new();
    r.write(
        "Cargo.toml",
        "[package]\nname = \"kit\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    r.write("src/lib.rs", RS_V1);
    r.write(
        "src/util.rs",
        "/// Helps.\npub fn help() -> u8 {\n    1\n}\n",
    );
    r.write("src/hidden.rs", "pub fn hid(a: u8) {}\n");
    r.write(
        "src/shown.rs",
        "pub struct Shown {\n    pub a: u8,\n}\n\npub fn unshown(a: u8) {}\n",
    );
    let v1 = r.commit("v1");
    r.write("src/lib.rs", RS_V2);
    r.remove("src/util.rs");
    r.write(
        "src/util/mod.rs",
        "/// Helps.\npub fn help() -> u8 {\n    1\n}\n",
    );
    r.write("src/hidden.rs", "pub fn hid(a: u16) {}\n");
    r.write(
        "src/shown.rs",
        "pub struct Shown {\n    pub a: u8,\n    pub b: u8,\n}\n\npub fn unshown(a: u16) {}\n\npub fn relocated(b: u8) {}\n",
    );
    let v2 = r.commit("v2");
    (r, v1, v2)
}

#[test]
fn rust_rules_between_two_commits() {
    let (r, v1, v2) = rust_repo();
    let (code, v) = r.diff_json(&[&v1, &v2]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("rust_rules", projection(&v));
    assert_eq!(
        rules_of(&v, "breaking"),
        vec![
            "rust.trait-item-added-without-default Job.stop",
            "rust.derive-removed Point",
            "rust.field-added-exhaustive-struct Point",
            "rust.variant-added State",
            "rust.signature-changed area",
            "rust.removed-pub gone",
            "rust.visibility-narrowed narrowed",
            "rust.field-added-exhaustive-struct Shown",
        ]
    );
    let compatible = rules_of(&v, "compatible");
    for want in [
        "rust.trait-item-added-with-default Job.name",
        "rust.variant-added-non-exhaustive Open",
        "rust.field-added Sealed",
        "rust.const-value-changed LIMIT",
        "rust.added fresh",
        "rust.moved util::help",
        "rust.trait-impl-method-removed Counter.size_hint (impl Iterator)",
        "rust.derive-replaced-by-impl Manual",
        "rust.moved-reexported relocated",
        "rust.const-fn-added konst",
        "rust.unsafe-removed risky",
    ] {
        let want = want.replace("util::help", "help");
        assert!(compatible.contains(&want), "{want} not in {compatible:?}");
    }
    // `pub` items of private modules that no `pub use` names are internal.
    let internal = rules_of(&v, "internal");
    assert!(
        internal.contains(&"rust.signature-changed hid".to_string()),
        "{internal:?}"
    );
    assert!(
        internal.contains(&"rust.signature-changed unshown".to_string()),
        "{internal:?}"
    );
}

#[test]
fn comment_only_change_reports_nothing_and_exits_zero() {
    let r = Repo::new();
    r.write("go.mod", "module example.com/c\n");
    r.write(
        "a.go",
        "package c\n\n// F does.\nfunc F(a int) int { return a }\n",
    );
    r.write(
        "Cargo.toml",
        "[package]\nname = \"c\"\nversion = \"0.1.0\"\n",
    );
    r.write("src/lib.rs", "/// S.\npub struct S {\n    pub a: u8,\n}\n");
    let v1 = r.commit("v1");
    r.write("a.go", "package c\n\n// Package c.\n\n// F does a thing,\n// on two lines.\nfunc F(a int) int { /* body */ return a }\n");
    r.write("src/lib.rs", "//! Crate doc.\n\n/// S is a struct.\n/// More.\npub struct S {\n    /// The a.\n    pub a: u8, // trailing\n}\n");
    let v2 = r.commit("v2");
    let out = r.diff(&[&v1, &v2]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("No interface changes."), "{text}");
    assert!(!text.contains("\n## "), "{text}");
}

#[test]
fn work_tree_is_the_default_new_side_and_stays_untouched() {
    let (r, v1, _) = rust_repo();
    // An uncommitted edit on top of v2: `help` loses its `pub`.
    r.write(
        "src/util/mod.rs",
        "/// Helps.\nfn help() -> u8 {\n    1\n}\n",
    );
    let status_before = r.git(&["status", "--porcelain"]);
    let index_before = std::fs::read(r.path.join(".git/index")).unwrap();
    let (code, v) = r.diff_json(&[&v1]);
    assert_eq!(code, 1);
    assert_eq!(v["new"]["label"], "worktree");
    assert!(v["new"]["commit"].is_null());
    assert!(
        rules_of(&v, "breaking").contains(&"rust.visibility-narrowed help".to_string()),
        "{}",
        projection(&v)
    );
    assert_eq!(r.git(&["status", "--porcelain"]), status_before);
    assert_eq!(
        std::fs::read(r.path.join(".git/index")).unwrap(),
        index_before
    );
    // HEAD against the work tree: only the uncommitted edit.
    let (_, v) = r.diff_json(&["HEAD"]);
    assert_eq!(projection(&v), "breaking rust.visibility-narrowed changed fn help src/util/mod.rs:2-4 -> src/util/mod.rs:2-4\n");
}

#[test]
fn same_revision_twice_is_empty() {
    let (r, v1, _) = go_repo();
    let (code, v) = r.diff_json(&[&v1, &v1]);
    assert_eq!(code, 0);
    assert_eq!(v["changes"].as_array().unwrap().len(), 0);
    assert_eq!(v["schema_version"], 1);
}

#[test]
fn errors_exit_two_with_one_line() {
    let (r, v1, _) = go_repo();
    let out = r.diff(&["no-such-tag", &v1]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("unknown revision \"no-such-tag\""), "{err}");

    let not_git = tempfile::tempdir().unwrap();
    let out = common::run(&["diff", "--repo", not_git.path().to_str().unwrap(), "HEAD"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not inside a git work tree"));

    let out = r.diff(&[&v1, "--plan", "/no/such/plan.md"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read plan"));
}

#[test]
fn repo_subdirectory_reads_only_that_part() {
    let (r, v1, v2) = go_repo();
    let sub = r.path.join("store");
    let out = common::run(&[
        "diff",
        "--repo",
        sub.to_str().unwrap(),
        &v1,
        &v2,
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for c in v["changes"].as_array().unwrap() {
        let file = c["old"]["file"]
            .as_str()
            .or(c["new"]["file"].as_str())
            .unwrap();
        assert!(
            !file.starts_with("store/") && !file.starts_with("cmd/"),
            "paths are relative to --repo: {file}"
        );
    }
}

#[test]
fn markdown_quotes_multi_line_signatures_without_their_layout() {
    let r = Repo::new();
    r.write(
        "Cargo.toml",
        "[package]\nname = \"kit\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    let v1_src = "pub struct Cache;\n\nimpl Cache {\n    pub fn resolve(\n        &mut self,\n        name: &str,\n        depth: usize,\n    ) -> Option<u8> {\n        None\n    }\n}\n";
    r.write("src/lib.rs", v1_src);
    let v1 = r.commit("v1");
    r.write("src/lib.rs", &v1_src.replace("depth: usize", "depth: u32"));
    let v2 = r.commit("v2");
    let out = r.diff(&[&v1, &v2]);
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains(
            "  - old: `pub fn resolve(&mut self, name: &str, depth: usize) -> Option<u8>`\n"
        ),
        "{md}"
    );
    assert!(
        md.contains("  - new: `pub fn resolve(&mut self, name: &str, depth: u32) -> Option<u8>`\n"),
        "{md}"
    );
    // JSON keeps the signature as extracted.
    let (_, v) = r.diff_json(&[&v1, &v2]);
    let old = v["changes"][0]["old"]["signature"].as_str().unwrap_or("");
    assert!(old.contains("resolve( &mut self,"), "{old}");
}

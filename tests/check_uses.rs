//! `planrecon check` on use sites and qualified names: a cited line that
//! was a use of a name is followed as a use (never sent to the declaration),
//! Rust module paths (`crate::`, the crate's name, `self::`, `super::`)
//! qualify what they name, and strings that are not paths or not names
//! (`run.sh/analyze.py`, `server.http.port`) are not read as such.

mod common;

use std::path::Path;

use common::{git, write_file as write};
use serde_json::Value;

/// `status citation symbol -> now [candidates]` per finding, from the JSON.
fn findings(plan: &Path, repo: &Path) -> Vec<String> {
    let out = common::run(&[
        "check",
        plan.to_str().expect("utf-8"),
        "--repo",
        repo.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    json["plans"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let mut s = format!(
                "{} {}",
                f["status"].as_str().unwrap_or(""),
                f["citation"].as_str().unwrap_or("")
            );
            if let Some(sym) = f["symbol"].as_str() {
                s.push_str(&format!(" `{sym}`"));
            }
            if let Some(now) = f["now"].as_str() {
                s.push_str(&format!(" -> {now}"));
            }
            if let Some(c) = f["candidates"].as_array() {
                let c: Vec<&str> = c.iter().filter_map(Value::as_str).collect();
                s.push_str(&format!(" [{}]", c.join(", ")));
            }
            s
        })
        .collect()
}

const STORE: &str = "package store

// Store keeps values.
type Store struct{ n int }

// Open opens a store.
func Open() *Store { return &Store{} }

// Close closes it.
func (s *Store) Close() {}

// Reset empties it.
func Reset(s *Store) { s.n = 0 }
";

/// Two comment lines were added to `Run` since the plan: `store.Open()` went
/// from line 7 to 9; `Reset` is no longer called; `Close` is called twice.
const APP: &str = "package app

import \"example.com/m/store\"

// Run runs.
func Run() {
\t// two lines were
\t// added here
\ts := store.Open()
\ts.Close()
\t_ = s
}

// Twice closes twice.
func Twice(t *store.Store) {
\tt.Close()
}
";

#[test]
fn without_a_commit_a_use_site_is_followed_as_a_use_never_to_the_declaration() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("repo");
    write(&repo, "go.mod", "module example.com/m\n\ngo 1.22\n");
    write(&repo, "store/store.go", STORE);
    write(&repo, "app/app.go", APP);
    let plan = tmp.path().join("PLAN.md");
    let text = "# Plan\n\n\
        - `app/app.go:7` calls `store.Open`.\n\
        - `app/app.go:8` calls `Store.Close`.\n\
        - `app/app.go:11` calls `store.Reset`.\n\
        - `app/app.go:9` calls `store.Open` still.\n\
        - `Open` is declared at `store/store.go:5`.\n";
    std::fs::write(&plan, text).expect("write plan");
    assert_eq!(
        findings(&plan, &repo),
        [
            // The one use of `store.Open` in app.go, not `store/store.go:7`.
            "moved app/app.go:7 `store.Open` -> app/app.go:9",
            "ambiguous app/app.go:8 `Store.Close` [app/app.go:10, app/app.go:16]",
            "missing app/app.go:11 `store.Reset`",
            "ok app/app.go:9 `store.Open`",
            // A declaration is still followed as a declaration.
            "moved store/store.go:5 `Open` -> store/store.go:7",
        ]
    );
    // Without the plan's commit a use is not certain: only the declaration is fixed.
    let out = common::run(&[
        "check",
        plan.to_str().expect("utf-8"),
        "--repo",
        repo.to_str().expect("utf-8"),
        "--fix",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let fixed = std::fs::read_to_string(&plan).expect("read plan");
    assert_eq!(
        fixed,
        text.replace("store/store.go:5", "store/store.go:7"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

const LIB: &str = "pub mod cache;\npub mod store;\n\npub fn helper() -> u32 {\n    1\n}\n";
const STORE_RS: &str = "pub struct Store {\n    pub n: u32,\n}\n\nimpl Store {\n    pub fn get(&self) -> u32 {\n        self.n\n    }\n}\n";
/// Another `Store`, in another module, with no `get`.
const CACHE_RS: &str = "use crate::store;\n\npub struct Store {\n    pub inner: store::Store,\n}\n\npub fn warm() -> u32 {\n    super::helper()\n}\n\npub fn local() -> u32 {\n    self::warm()\n}\n";

/// A crate `kvcore` at one commit, then every file shifted down by a few
/// comment lines; returns the repository and the first commit.
fn rust_repo(tmp: &Path) -> (std::path::PathBuf, String) {
    let repo = tmp.join("repo");
    write(
        &repo,
        "Cargo.toml",
        "[package]\nname = \"kvcore\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    );
    write(&repo, "src/lib.rs", LIB);
    write(&repo, "src/store.rs", STORE_RS);
    write(&repo, "src/cache.rs", CACHE_RS);
    git(&repo, &["init", "-q"]);
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "old"]);
    let old = git(&repo, &["rev-parse", "HEAD"]);
    write(&repo, "src/lib.rs", &format!("//! The crate.\n\n{LIB}"));
    write(
        &repo,
        "src/store.rs",
        &format!("// The store.\n//\n\n{STORE_RS}"),
    );
    write(
        &repo,
        "src/cache.rs",
        &format!("//! Caching.\n\n{CACHE_RS}"),
    );
    git(&repo, &["commit", "-q", "-am", "new"]);
    (repo, old)
}

#[test]
fn rust_module_paths_qualify_what_they_name_with_and_without_the_commit() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (repo, old) = rust_repo(tmp.path());
    let body = "- `crate::store::Store` is at src/store.rs:1-3; `kvcore::cache::Store` at src/cache.rs:3-5.\n\
        - `crate::store::Store::get` is src/store.rs:6-8.\n\
        - `super::helper` is called at src/cache.rs:8; `self::warm` at src/cache.rs:12.\n\
        - `super::helper` is declared at src/lib.rs:4-6.\n\
        - `crate::cache::Store::get` is src/store.rs:6-8.\n";
    let with_commit = tmp.path().join("WITH.md");
    std::fs::write(
        &with_commit,
        format!("# Plan\n\nRecon as of {}.\n\n{body}", &old[..10]),
    )
    .expect("write plan");
    let without = tmp.path().join("WITHOUT.md");
    std::fs::write(&without, format!("# Plan\n\n{body}")).expect("write plan");
    let common = [
        // Each `Store` in its own module, not the other one.
        "moved src/store.rs:1-3 `store.Store` -> src/store.rs:4-6",
        "moved src/cache.rs:3-5 `cache.Store` -> src/cache.rs:5-7",
        "moved src/store.rs:6-8 `Store.get` -> src/store.rs:9-11",
        // Uses through `super::` and `self::` stay uses.
        "moved src/cache.rs:8 `super.helper` -> src/cache.rs:10",
        "moved src/cache.rs:12 `self.warm` -> src/cache.rs:14",
        "moved src/lib.rs:4-6 `super.helper` -> src/lib.rs:6-8",
    ];
    let mut expect: Vec<String> = common.iter().map(|s| s.to_string()).collect();
    // With or without the commit, the module named decides: the cited lines
    // held `store::Store::get`, and module `cache` has no `Store::get`.
    expect.push("missing src/store.rs:6-8 `Store.get`".into());
    assert_eq!(findings(&with_commit, &repo), expect);
    assert_eq!(findings(&without, &repo), expect);
}

#[test]
fn strings_that_are_not_paths_or_not_names_are_not_read_as_such() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("repo");
    write(&repo, "go.mod", "module example.com/m\n\ngo 1.22\n");
    write(&repo, "store/store.go", STORE);
    write(
        &repo,
        "config/app.yaml",
        "server:\n  http:\n    port: 8080\n",
    );
    let plan = tmp.path().join("PLAN.md");
    std::fs::write(
        &plan,
        "# Plan\n\n\
         Run `run.sh/analyze.py` after each step, then `scripts/run.sh/check.go`.\n\
         The key `server.http.port` (config/app.yaml:3) and the metric `svc.op.count`.\n\
         `Open` is at store/store.go:7.\n",
    )
    .expect("write plan");
    assert_eq!(
        findings(&plan, &repo),
        [
            // A dotted key names no declaration (before, `http.port` was
            // `missing`); with no commit to compare, the line is unverifiable.
            "unverifiable config/app.yaml:3",
            "ok store/store.go:7 `Open`",
        ]
    );
}

//! `planrecon check`: plans against a repository built here with git at two
//! revisions (the plan's commit and today), covering every status and every
//! citation form, and `--fix` rewriting nothing but what moved.

mod common;

use common::{git, write_file as write};

use std::process::Output;

use serde_json::Value;

/// The store package when the plan was written.
const STORE_OLD: &str = "package store

import \"context\"

// Store keeps values.
type Store interface {
\tGet(ctx context.Context, key string) ([]byte, error)
\tPut(ctx context.Context, key string, v []byte) error
}

// Mem is an in-memory Store.
type Mem struct {
\tdata map[string][]byte
}

func NewMem() *Mem {
\treturn &Mem{data: map[string][]byte{}}
}

func (m *Mem) Get(ctx context.Context, key string) ([]byte, error) {
\treturn m.data[key], nil
}

func (m *Mem) Put(ctx context.Context, key string, v []byte) error {
\tm.data[key] = v
\treturn nil
}

func (m *Mem) Delete(key string) {
\tdelete(m.data, key)
}
";

/// Today: four lines more at the top, `Put` takes a TTL, `Delete` is gone,
/// `Mem`'s fields are realigned with a comment (no change).
const STORE_NEW: &str = "package store

import (
\t\"context\"
\t\"time\"
)

// Store keeps values.
type Store interface {
\tGet(ctx context.Context, key string) ([]byte, error)
\tPut(ctx context.Context, key string, v []byte, ttl time.Duration) error
}

// Mem is an in-memory Store.
type Mem struct {
\tdata   map[string][]byte // the values
}

func NewMem() *Mem {
\treturn &Mem{data: map[string][]byte{}}
}

func (m *Mem) Get(ctx context.Context, key string) ([]byte, error) {
\treturn m.data[key], nil
}

func (m *Mem) Put(ctx context.Context, key string, v []byte, ttl time.Duration) error {
\tm.data[key] = v
\treturn nil
}
";

const KV: &str = "package kv\n\n// Open opens a store.\nfunc Open() {}\n\nfunc Close() {}\n";
const MAIN_A: &str = "package main\n\nfunc main() {}\n\nfunc Run() {}\n";
const MAIN_B: &str = "package main\n\nfunc main() {\n}\n";
/// The rest of the helper file, the same in both commits (so git sees a rename).
macro_rules! helper_rest {
    () => {
        "\nfunc helperTwo() int {\n\treturn 2 + helperThree()\n}\n\nfunc helperThree() int {\n\treturn 3 * helperFour()\n}\n\nfunc helperFour() int {\n\treturn 4\n}\n"
    };
}
const HELPER: &str = concat!(
    "package util\n\nfunc Helper() int {\n\treturn 1\n}\n",
    helper_rest!()
);
/// `Helper` moved to the store package, two lines lower.
const HELPER_NEW: &str = concat!(
    "package store\n\n// Helper helps.\n//\nfunc Helper() int {\n\treturn 1\n}\n",
    helper_rest!()
);
/// A Rust trait that loses a method, and a struct that gains a field.
const JOB_OLD: &str = "pub trait Job {\n    fn run(&mut self) -> u32;\n    fn name(&self) -> &str;\n}\n\npub struct Engine {\n    pub ticks: u64,\n}\n";
const JOB_NEW: &str = "pub trait Job {\n    fn run(&mut self) -> u32;\n}\n\npub struct Engine {\n    pub ticks: u64,\n    pub paused: bool,\n}\n";

/// A repository with two commits; returns it and the first commit's id.
fn two_revisions() -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).expect("mkdir");
    git(&repo, &["init", "-q"]);
    write(&repo, "go.mod", "module example.com/m\n\ngo 1.22\n");
    write(&repo, "store/store.go", STORE_OLD);
    write(
        &repo,
        "kv/kv_store.go",
        &format!("{KV}\ntype Legacy struct{{}}\n\nfunc (l *Legacy) Open() {{}}\n"),
    );
    write(&repo, "cmd/a/main.go", MAIN_A);
    write(&repo, "cmd/b/main.go", MAIN_B);
    write(&repo, "util/helper.go", HELPER);
    write(&repo, "core/src/lib.rs", JOB_OLD);
    write(
        &repo,
        "docs/notes.md",
        "# Notes\n\nThe store keeps values in memory.\n",
    );
    write(
        &repo,
        "core/Cargo.toml",
        "[package]\nname = \"core\"\nversion = \"0.1.0\"\n",
    );
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "old"]);
    let old = git(&repo, &["rev-parse", "HEAD"]);
    write(&repo, "store/store.go", STORE_NEW);
    std::fs::remove_file(repo.join("util/helper.go")).expect("rm");
    write(&repo, "store/helper.go", HELPER_NEW);
    write(&repo, "core/src/lib.rs", JOB_NEW);
    write(&repo, "kv/kv_store.go", KV);
    write(
        &repo,
        "docs/notes.md",
        "# Notes\n\nIntro.\n\nThe store keeps values in memory.\n",
    );
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "new"]);
    (tmp, old)
}

/// The plan written at the first commit.
fn plan(old: &str) -> String {
    let short = &old[..10];
    format!(
        "# Plan\n\
\n\
Recon as of {short}.\n\
\n\
## Repository Recon\n\
\n\
- `NewMem` (`store/store.go:16-18`) builds a store.\n\
- `Mem.Get` is store/store.go:20-22; `Mem.Delete` is store/store.go:29-31.\n\
- The interface `Store` is at store/store.go:6-9.\n\
- Declarations at store/store.go:12,16,20 and a body line at store/store.go:21.\n\
- kv_store.go:4 opens; main.go:3 is an entry point; `Run` lives in main.go:5.\n\
- `Helper` (`util/helper.go:3-5`) and gone/file.go:3 and `Close` in kv/kv_store.go:6.\n\
\n\
| Symbol | Where |\n\
|---|---|\n\
| `Mem` | store/store.go:12-14 |\n\
| `kv.Open` | `kv/kv_store.go:4` |\n\
\n\
## Frozen Interfaces\n\
\n\
```go\n\
// store/store.go:6-9\n\
type Store interface {{\n\
\tGet(ctx context.Context, key string) ([]byte, error)\n\
\tPut(ctx context.Context, key string, v []byte) error\n\
}}\n\
```\n\
\n\
1. The in-memory store:\n\
\n\
\x20  ```go\n\
\x20  // store/store.go:12-14\n\
\x20  type Mem struct {{\n\
\x20  \tdata map[string][]byte\n\
\x20  }}\n\
\x20  ```\n\
\n\
A shell block is code, not a citation:\n\
\n\
```sh\n\
cat store/store.go:1\n\
```\n"
    )
}

fn check(args: &[&str]) -> Output {
    common::run(&[&["check"], args].concat())
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `line status citation -> now` per citation, from the JSON output.
fn statuses(json: &Value) -> Vec<String> {
    json["plans"][0]["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let now = f["now"]
                .as_str()
                .map_or(String::new(), |n| format!(" -> {n}"));
            let sym = f["symbol"]
                .as_str()
                .map_or(String::new(), |s| format!(" `{s}`"));
            format!(
                "{} {} {}{sym}{now}",
                f["line"],
                f["status"].as_str().unwrap_or(""),
                f["citation"].as_str().unwrap_or("")
            )
        })
        .collect()
}

#[test]
fn every_status_and_form_against_two_revisions() {
    let (tmp, old) = two_revisions();
    let repo = tmp.path().join("repo");
    let plan_path = tmp.path().join("PLAN.md");
    std::fs::write(&plan_path, plan(&old)).expect("write plan");
    let fingerprint = common::tree_fingerprint(&repo);
    let out = check(&[
        plan_path.to_str().expect("utf-8"),
        "--repo",
        repo.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["plans"][0]["rev"].as_str(), Some(old.as_str()));
    insta::assert_snapshot!(statuses(&json).join("\n"), @r"
    7 moved store/store.go:16-18 `NewMem` -> store/store.go:19-21
    8 moved store/store.go:20-22 `Mem.Get` -> store/store.go:23-25
    8 missing store/store.go:29-31 `Mem.Delete`
    9 changed store/store.go:6-9 `Store` -> store/store.go:9-12
    10 moved store/store.go:12 `Mem` -> store/store.go:15
    10 moved store/store.go:16 `NewMem` -> store/store.go:19
    10 moved store/store.go:20 `Mem.Get` -> store/store.go:23
    10 moved store/store.go:21 -> store/store.go:24
    11 ok kv_store.go:4 `Open` -> kv/kv_store.go:4
    11 ambiguous main.go:3
    11 ok main.go:5 `Run` -> cmd/a/main.go:5
    12 moved util/helper.go:3-5 `Helper` -> store/helper.go:5-7
    12 external gone/file.go:3
    12 ok kv/kv_store.go:6 `Close` -> kv/kv_store.go:6
    16 moved store/store.go:12-14 `Mem` -> store/store.go:15-17
    17 ok kv/kv_store.go:4 `kv.Open` -> kv/kv_store.go:4
    22 changed store/store.go:6-9 `Store` -> store/store.go:9-12
    32 moved store/store.go:12-14 `Mem` -> store/store.go:15-17
    ");
    assert_eq!(
        common::tree_fingerprint(&repo),
        fingerprint,
        "check wrote inside the repository"
    );
}

#[test]
fn fix_rewrites_only_the_moved_numbers_and_keeps_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let (tmp, old) = two_revisions();
    let repo = tmp.path().join("repo");
    let plan_path = tmp.path().join("PLAN.md");
    let original = plan(&old);
    std::fs::write(&plan_path, &original).expect("write plan");
    std::fs::set_permissions(&plan_path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let fingerprint = common::tree_fingerprint(&repo);
    let args = [
        plan_path.to_str().expect("utf-8"),
        "--repo",
        repo.to_str().expect("utf-8"),
    ];
    let out = check(&[&args[..], &["--fix"]].concat());
    // `changed`, `missing` and `ambiguous` are still there: they need a human.
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    assert!(
        text.contains("PLAN.md:7: fixed: store/store.go:16-18 -> store/store.go:19-21\n"),
        "{text}"
    );
    assert!(
        text.ends_with(
            "18 citations checked: 4 ok, 9 moved, 2 changed, 1 missing, 1 ambiguous, 1 external; 9 fixed\n"
        ),
        "{text}"
    );
    // Every other byte is unchanged: the fixed plan is the original with
    // exactly these numbers (and one path) replaced, in place.
    let expected = original
        .replacen("`store/store.go:16-18`", "`store/store.go:19-21`", 1)
        .replacen("is store/store.go:20-22;", "is store/store.go:23-25;", 1)
        .replacen(
            "store/store.go:12,16,20 and a body line at store/store.go:21.",
            "store/store.go:15,19,23 and a body line at store/store.go:24.",
            1,
        )
        .replacen("`util/helper.go:3-5`", "`store/helper.go:5-7`", 1)
        .replacen("| store/store.go:12-14 |", "| store/store.go:15-17 |", 1)
        .replacen(
            "   // store/store.go:12-14\n",
            "   // store/store.go:15-17\n",
            1,
        );
    assert_ne!(expected, original);
    let fixed = std::fs::read_to_string(&plan_path).expect("read plan");
    assert_eq!(fixed, expected);
    let mode = std::fs::metadata(&plan_path)
        .expect("meta")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o640, "permissions kept");
    assert_eq!(
        common::tree_fingerprint(&repo),
        fingerprint,
        "--fix wrote inside the repository"
    );
    // The fixed citations are true of today: checked against HEAD (as if the
    // plan's `as of` line were updated) every one of them is ok.
    let head = git(&repo, &["rev-parse", "HEAD"]);
    let again = check(&[&args[..], &["--format", "json", "--since", &head]].concat());
    let json: Value = serde_json::from_slice(&again.stdout).expect("json");
    let now = statuses(&json);
    for line in [
        "7 ok store/store.go:19-21",
        "8 ok store/store.go:23-25",
        "10 ok store/store.go:15 ",
        "10 ok store/store.go:19 ",
        "10 ok store/store.go:23 ",
        "10 ok store/store.go:24 ",
        "12 ok store/helper.go:5-7",
        "16 ok store/store.go:15-17",
        "32 ok store/store.go:15-17",
    ] {
        assert!(
            now.iter()
                .any(|s| s.starts_with(line) || s == line.trim_end()),
            "{line:?} not in {now:#?}"
        );
    }
    // `Store`, left alone by --fix because it changed since the plan's
    // commit, has stale numbers relative to HEAD.
    assert!(
        now.iter()
            .any(|s| s == "9 moved store/store.go:6-9 `Store` -> store/store.go:9-12"),
        "{now:#?}"
    );
    assert_eq!(
        std::fs::read_to_string(&plan_path).expect("read plan"),
        expected
    );
}

/// A plan that states no commit: line citations are checked against today.
const PLAN_TODAY: &str = "# Plan

| What | Where |
|------|-------|
| `NewMem` | store/store.go:19-21 |
| struct | store/store.go:15-17 |
| a body line | store/store.go:24 |
| past the end | store/store.go:99 |

- `Job` in core/src/lib.rs:1-3 and core/src/lib.rs:2.
- `Engine` (`core/src/lib.rs:5-8`).

```rust
// core/src/lib.rs:1-4
pub trait Job {
    fn run(&mut self) -> u32;
    fn name(&self) -> &str;
}
```

```rust
// core/src/lib.rs:5-7
/// The engine.
pub struct Engine {
    pub ticks: u64,
}
```
";

#[test]
fn without_a_commit_line_citations_are_unverifiable_and_frozen_blocks_compared() {
    let (tmp, _old) = two_revisions();
    let repo = tmp.path().join("repo");
    let plan_path = tmp.path().join("PLAN.md");
    std::fs::write(&plan_path, PLAN_TODAY).expect("write plan");
    let out = check(&[
        plan_path.to_str().expect("utf-8"),
        "--repo",
        repo.to_str().expect("utf-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out).replace(tmp.path().to_str().expect("utf-8"), "TMP");
    assert!(!text.contains('\x1b'), "no colour off a TTY");
    insta::assert_snapshot!(text, @r"
    TMP/PLAN.md:7: unverifiable: store/store.go:24: line 24 is inside method `Mem.Get` (store/store.go:23-25)
    TMP/PLAN.md:8: missing: store/store.go:99: store/store.go has 30 lines
    TMP/PLAN.md:10: unverifiable: core/src/lib.rs:2: line 2 holds method `Job.run` (core/src/lib.rs:2)
    TMP/PLAN.md:14: changed: core/src/lib.rs:1-4 (`Job`): the declaration changed; it is at core/src/lib.rs:1-3
        --- core/src/lib.rs:1-4 (plan)
        +++ core/src/lib.rs:1-3 (today)
        @@ -1,3 +1,2 @@
         pub trait Job
         fn run(&mut self) -> u32
        -fn name(&self) -> &str
    TMP/PLAN.md:22: changed: core/src/lib.rs:5-7 (`Engine`): the declaration changed; it is at core/src/lib.rs:5-8
        --- core/src/lib.rs:5-7 (plan)
        +++ core/src/lib.rs:5-8 (today)
        @@ -1,2 +1,3 @@
         pub struct Engine
         pub ticks: u64
        +pub paused: bool
    9 citations checked: 4 ok, 2 changed, 1 missing, 2 unverifiable
    ");
}

#[test]
fn since_overrides_and_supplies_the_commit() {
    let (tmp, old) = two_revisions();
    let repo = tmp.path().join("repo");
    let plan_path = tmp.path().join("PLAN.md");
    std::fs::write(
        &plan_path,
        "Body line store/store.go:21 and `Mem` at store/store.go:12.\n",
    )
    .expect("write plan");
    let args = [
        plan_path.to_str().expect("utf-8"),
        "--repo",
        repo.to_str().expect("utf-8"),
        "--format",
        "json",
    ];
    let json: Value = serde_json::from_slice(&check(&args).stdout).expect("json");
    assert_eq!(
        statuses(&json),
        [
            "1 unverifiable store/store.go:21",
            "1 moved store/store.go:12 `Mem` -> store/store.go:15-17"
        ]
    );
    let json: Value =
        serde_json::from_slice(&check(&[&args[..], &["--since", &old]].concat()).stdout)
            .expect("json");
    assert_eq!(
        statuses(&json),
        [
            "1 moved store/store.go:21 -> store/store.go:24",
            "1 moved store/store.go:12 `Mem` -> store/store.go:15"
        ]
    );
    assert_eq!(
        json["plans"][0]["findings"][0]["detail"],
        "now at store/store.go:24"
    );
}

#[test]
fn all_ok_exits_zero_and_errors_exit_two() {
    let (tmp, _old) = two_revisions();
    let repo = tmp.path().join("repo");
    let plan_path = tmp.path().join("PLAN.md");
    std::fs::write(
        &plan_path,
        "- `NewMem` store/store.go:19-21\n- `Get` in `store/store.go:23`\n- kv/kv_store.go\n",
    )
    .expect("write plan");
    let repo_s = repo.to_str().expect("utf-8");
    let out = check(&[plan_path.to_str().expect("utf-8"), "--repo", repo_s]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(stdout(&out), "3 citations checked: 3 ok\n");
    let out = check(&[
        plan_path.to_str().expect("utf-8"),
        "--repo",
        repo_s,
        "--since",
        "no-such-rev",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr)
        .starts_with("planrecon: --since no-such-rev: not a commit"));
    let out = check(&["/nonexistent/PLAN.md", "--repo", repo_s]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read plan"));
}

#[test]
fn renamed_files_plain_lines_and_prose_names_follow_the_commit() {
    let (tmp, old) = two_revisions();
    let repo = tmp.path().join("repo");
    let plan_path = tmp.path().join("PLAN.md");
    let text = format!(
        "As of {old}.\n\n\
         - Helpers live in util/helper.go.\n\
         - The notes say so at docs/notes.md:3.\n\
         - `Mem` is used by cmd/a/main.go; `Nowhere` is in store/store.go.\n\
         - The legacy opener kv/kv_store.go:10.\n"
    );
    std::fs::write(&plan_path, &text).expect("write plan");
    let args = [
        plan_path.to_str().expect("utf-8"),
        "--repo",
        repo.to_str().expect("utf-8"),
    ];
    let json: Value =
        serde_json::from_slice(&check(&[&args[..], &["--format", "json"]].concat()).stdout)
            .expect("json");
    assert_eq!(
        statuses(&json),
        [
            // git sees the rename from util/ to store/.
            "3 moved util/helper.go -> store/helper.go",
            // A Markdown line is followed by its text.
            "4 moved docs/notes.md:3 -> docs/notes.md:5",
            // Names that were never declared in the cited file are prose.
            "5 ok cmd/a/main.go",
            "5 ok store/store.go",
            // A method whose type is gone is missing, even though a
            // function of the same name remains.
            "6 missing kv/kv_store.go:10 `Legacy.Open`",
        ]
    );
    let out = check(&[&args[..], &["--fix"]].concat());
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let fixed = std::fs::read_to_string(&plan_path).expect("read plan");
    assert_eq!(
        fixed,
        text.replace("util/helper.go", "store/helper.go")
            .replace("notes.md:3", "notes.md:5")
    );
}

#[test]
fn odd_numbers_are_findings_not_crashes() {
    let (tmp, old) = two_revisions();
    let repo = tmp.path().join("repo");
    let plan_path = tmp.path().join("PLAN.md");
    let text = format!("As of {old}: store/store.go:0, store/store.go:9-3, store/store.go:99999999999 and `Mem` store/store.go:0.\n");
    std::fs::write(&plan_path, text).expect("write plan");
    for since in [None, Some("HEAD")] {
        let mut args = vec![
            plan_path.to_str().expect("utf-8"),
            "--repo",
            repo.to_str().expect("utf-8"),
        ];
        args.extend(since.map(|s| ["--since", s]).into_iter().flatten());
        let out = check(&args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            stdout(&out).ends_with("4 citations checked: 4 missing\n"),
            "{}",
            stdout(&out)
        );
    }
}

/// Findings of `check FILE --repo REPO --format json` that are not `ok`.
fn not_ok(file: &std::path::Path, repo: &std::path::Path) -> Vec<String> {
    let out = check(&[
        file.to_str().expect("utf-8"),
        "--repo",
        repo.to_str().expect("utf-8"),
        "--format",
        "json",
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    statuses(&json)
        .into_iter()
        .filter(|s| s.split(' ').nth(1) != Some("ok"))
        .collect()
}

#[test]
fn planrecon_output_checked_at_its_own_commit_is_all_ok_and_fix_changes_nothing() {
    for (fixture, symbol) in [("go/recon", "Store"), ("rust/recon", "Engine")] {
        // A git copy of the fixture, so the report and the map name a commit.
        let tmp = tempfile::tempdir().expect("tempdir");
        let repo = tmp.path().join("repo");
        copy_tree(&common::fixture(fixture), &repo);
        git(&repo, &["init", "-q"]);
        git(&repo, &["add", "-A"]);
        git(&repo, &["commit", "-q", "-m", "fixture"]);
        let out_dir = tempfile::tempdir().expect("tempdir");
        let repo_s = repo.to_str().expect("utf-8");
        let outputs = [
            ("report", common::run_ok(&repo, &["--no-cache"])),
            (
                "map",
                common::run_ok(&repo, &["--budget", "4000", "--no-cache"]),
            ),
            (
                "refs",
                String::from_utf8(
                    common::run(&["refs", symbol, "--repo", repo_s, "--kind", "all"]).stdout,
                )
                .expect("utf-8"),
            ),
        ];
        for (kind, text) in outputs {
            assert!(text.contains(':'), "{fixture} {kind}: no output");
            let path = out_dir.path().join(format!("{kind}.md"));
            std::fs::write(&path, &text).expect("write");
            let bad = not_ok(&path, &repo);
            assert!(bad.is_empty(), "{fixture} {kind}: {bad:#?}");
            let out = check(&[path.to_str().expect("utf-8"), "--repo", repo_s, "--fix"]);
            assert_eq!(out.status.code(), Some(0), "{fixture} {kind}");
            assert_eq!(
                std::fs::read_to_string(&path).expect("read"),
                text,
                "{fixture} {kind}: --fix changed the output"
            );
        }
    }
}

/// Copy the files under `from` to `to`.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// A Go file of `n` functions, each calling the next, with `pad[i]` comment
/// lines above function `i`.
fn padded_source(pad: &[usize]) -> String {
    let mut s = String::from("package p\n\n");
    for (i, p) in pad.iter().enumerate() {
        for k in 0..*p {
            s.push_str(&format!("// note {k}\n"));
        }
        s.push_str(&format!(
            "func F{i}(x int) int {{\n\ty := x + {i}\n\treturn G{i}(y)\n}}\n\n"
        ));
        s.push_str(&format!("func G{i}(y int) int {{\n\treturn y * 2\n}}\n\n"));
    }
    s
}

/// Line of `needle` (1-based) in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle")
        + 1
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(8))]

    /// Whatever moved between the plan's commit and today, a check right
    /// after `--fix` finds every fixed citation `ok`, and nothing `--fix`
    /// left alone changed.
    #[test]
    fn check_after_fix_finds_every_fixed_citation_ok(
        before in proptest::collection::vec(0usize..3, 4),
        after in proptest::collection::vec(0usize..6, 4),
    ) {
        let tmp = tempfile::tempdir().expect("tempdir");
        let repo = tmp.path().join("repo");
        std::fs::create_dir(&repo).expect("mkdir");
        git(&repo, &["init", "-q"]);
        write(&repo, "go.mod", "module example.com/p\n\ngo 1.22\n");
        let old_src = padded_source(&before);
        write(&repo, "p/p.go", &old_src);
        git(&repo, &["add", "-A"]);
        git(&repo, &["commit", "-q", "-m", "old"]);
        let old = git(&repo, &["rev-parse", "HEAD"]);
        let new_src = padded_source(&after);
        write(&repo, "p/p.go", &new_src);
        git(&repo, &["add", "-A"]);
        // Empty when nothing moved (and while proptest shrinks towards that).
        git(&repo, &["commit", "-q", "--allow-empty", "-m", "new"]);
        let mut plan = String::from("# Plan\n\n");
        for i in 0..before.len() {
            let f = line_of(&old_src, &format!("func F{i}("));
            let call = line_of(&old_src, &format!("return G{i}(y)"));
            plan.push_str(&format!(
                "- `F{i}` (`p/p.go:{f}-{}`) and its call of `G{i}` at p/p.go:{call}.\n",
                f + 3
            ));
        }
        let plan_path = tmp.path().join("PLAN.md");
        std::fs::write(&plan_path, &plan).expect("write plan");
        let out = check(&[
            plan_path.to_str().expect("utf-8"),
            "--repo",
            repo.to_str().expect("utf-8"),
            "--since",
            &old,
            "--fix",
            "--format",
            "json",
        ]);
        proptest::prop_assert!(matches!(out.status.code(), Some(0 | 1)));
        let json: Value = serde_json::from_slice(&out.stdout).expect("json");
        let fixed: Vec<usize> = json["plans"][0]["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .filter(|f| f["fixed"].as_bool() == Some(true))
            .filter_map(|f| f["line"].as_u64())
            .map(|l| l as usize)
            .collect();
        let moved = before.iter().zip(&after).any(|(b, a)| b != a);
        proptest::prop_assert_eq!(!fixed.is_empty(), moved);
        // Today, without the old commit: every citation holds its name.
        let bad = not_ok(&plan_path, &repo);
        proptest::prop_assert!(bad.is_empty(), "{:#?}\n{}", bad, std::fs::read_to_string(&plan_path).unwrap_or_default());
    }
}

#[test]
fn a_rust_method_copied_without_its_body_is_read() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join("src")).expect("mkdir");
    std::fs::write(
        repo.join("src/lib.rs"),
        "pub struct Term(u8);\n\nimpl Term {\n    pub fn as_bytes(&self) -> &[u8] {\n        \
         std::slice::from_ref(&self.0)\n    }\n}\n",
    )
    .expect("write source");
    let plan_path = tmp.path().join("PLAN.md");
    // tree-sitter reads `-> bool` without a body as a function, `-> &[u8]` not.
    std::fs::write(
        &plan_path,
        "```rust\n// src/lib.rs:4\n    pub fn as_bytes(&self) -> &[u8]\n```\n",
    )
    .expect("write plan");
    let out = check(&[
        plan_path.to_str().expect("utf-8"),
        "--repo",
        repo.to_str().expect("utf-8"),
    ]);
    assert_eq!(stdout(&out), "1 citation checked: 1 ok\n");
    assert_eq!(out.status.code(), Some(0));
}

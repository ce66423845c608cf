//! Root and scope of a report: run on a subdirectory, planrecon reads the
//! project above it (the `go.mod` or the Cargo workspace that takes the crate
//! in, never above the repository's `.git`), cites repository-relative paths
//! and focuses on the directory; one language's files inside another's test
//! fixtures are not source.

mod common;

use common::{copy_fixture, git, planrecon, run_ok, write_file};

/// The report of `dir`, whose project root is `root`, checked against it.
fn assert_checks_ok(root: &std::path::Path, md: &str) {
    let out = tempfile::tempdir().expect("tempdir");
    let plan = out.path().join("report.md");
    std::fs::write(&plan, md).expect("write");
    let check = planrecon()
        .arg("check")
        .arg(&plan)
        .arg("--repo")
        .arg(root)
        .output()
        .expect("run check");
    let text = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "{text}");
    let last = text.lines().last().unwrap_or_default();
    assert!(last.ends_with(" ok"), "{text}");
}

#[test]
fn a_go_subdirectory_reads_its_module_and_cites_repository_paths() {
    let tmp = copy_fixture("go/grouped");
    let root = tmp.path();
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "fixture"]);
    let md = run_ok(&root.join("queue"), &["--no-cache"]);
    assert!(md.contains("Given the directory `queue/`"), "{md}");
    // Paths are the module's, and the package `queue` imports from is known.
    assert!(md.contains("(`queue/queue.go:8-11`)"), "{md}");
    assert!(md.contains("used by 1 other package"), "{md}");
    assert!(!md.contains("(`queue.go:"), "{md}");
    assert_checks_ok(root, &md);
    // The JSON inventory is the whole module's, with the same paths.
    let json = run_ok(&root.join("queue"), &["--format", "json", "--no-cache"]);
    assert!(json.contains("\"cmd/qd/main.go\""), "{json}");
    // The root itself: no note, no focus.
    let whole = run_ok(root, &["--no-cache"]);
    assert!(!whole.contains("Given the directory"));
    assert!(!whole.contains("Focus:"));
}

#[test]
fn a_workspace_member_reads_its_workspace_and_excluded_crates_stand_alone() {
    let tmp = copy_fixture("rust/workspace");
    let root = tmp.path();
    let md = run_ok(&root.join("core/src"), &["--no-cache"]);
    assert!(md.contains("Given the directory `core/src/`"), "{md}");
    assert!(md.contains("`core/src/lib.rs:"), "{md}");
    // A crate the workspace does not take in is its own root.
    write_file(
        root,
        "tools/gen/Cargo.toml",
        "[package]\nname = \"gen\"\nversion = \"0.1.0\"\n",
    );
    write_file(root, "tools/gen/src/lib.rs", "pub struct Gen;\n");
    let alone = run_ok(&root.join("tools/gen"), &["--no-cache"]);
    assert!(!alone.contains("Given the directory"), "{alone}");
    assert!(alone.contains("`src/lib.rs:1`"), "{alone}");
}

#[test]
fn the_search_stops_at_the_repository_top() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // A module above the repository is not this repository's root.
    write_file(
        tmp.path(),
        "go.mod",
        "module example.com/outer\n\ngo 1.21\n",
    );
    let repo = tmp.path().join("repo");
    write_file(
        &repo,
        "lib/a.go",
        "package lib\n\n// A is a.\ntype A struct{}\n",
    );
    git(&repo, &["init", "-q"]);
    let md = run_ok(&repo.join("lib"), &["--no-cache"]);
    assert!(!md.contains("Given the directory"), "{md}");
    assert!(md.contains("`a.go:4`"), "{md}");
}

#[test]
fn go_files_in_a_rust_crates_tests_are_fixtures_not_source() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    write_file(
        root,
        "Cargo.toml",
        "[package]\nname = \"hl\"\nversion = \"0.1.0\"\n",
    );
    write_file(
        root,
        "src/lib.rs",
        "/// Highlights.\npub fn highlight() {}\n",
    );
    // Highlighting samples: not a Go program of this repository.
    write_file(
        root,
        "tests/query/go/sample.go",
        "package main\n\nfunc main() {}\n",
    );
    // A Go module elsewhere in the repository is read.
    write_file(
        root,
        "bindings/go/go.mod",
        "module example.com/hl\n\ngo 1.21\n",
    );
    write_file(
        root,
        "bindings/go/hl.go",
        "package hl\n\n// Highlight highlights.\nfunc Highlight() {}\n",
    );
    let md = run_ok(root, &["--no-cache"]);
    assert!(
        md.contains("files of one language in another's test fixtures"),
        "{md}"
    );
    assert!(!md.contains("sample.go"), "{md}");
    assert!(md.contains("bindings/go/hl.go"), "{md}");
    let json = run_ok(root, &["--format", "json", "--no-cache", "--include-tests"]);
    assert!(!json.contains("sample.go"), "{json}");
}

#[test]
fn data_files_show_their_top_level_keys_and_tracked_ignored_files_are_found() {
    let tmp = copy_fixture("go/grouped");
    let root = tmp.path();
    write_file(
        root,
        "cmd/qd/load.go",
        "package main\n\nimport \"os\"\n\nfunc load() ([]byte, error) { return os.ReadFile(\"hardware.json\") }\n",
    );
    write_file(
        root,
        "hardware.json",
        "{\n  \"H100\": {\"tflops\": 989},\n  \"A100\": {}\n}\n",
    );
    write_file(
        root,
        "conf/defaults.yaml",
        "# defaults\nmodels:\n  llama: {tp: 2}\nworkloads: []\n",
    );
    write_file(
        root,
        "conf/site.toml",
        "title = \"x\"\n[server.tls]\nport = 1\n",
    );
    write_file(root, "secret.json", "{\"token\": 1}\n");
    write_file(root, ".gitignore", "*.json\n");
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    // Tracked although ignored: git reads it, so does the report.
    git(root, &["add", "-f", "hardware.json"]);
    git(root, &["commit", "-q", "-m", "fixture"]);
    let md = run_ok(root, &["--no-cache", "--section", "recon"]);
    let data = md
        .split("### 6.")
        .nth(1)
        .and_then(|s| s.split("### 7.").next())
        .expect("data section");
    assert!(
        data.contains("- `hardware.json` keys `H100`:2, `A100`:3: named by `os.ReadFile` at `cmd/qd/load.go:5`"),
        "{data}"
    );
    assert!(
        data.contains("- `conf/defaults.yaml` keys `models`:2, `workloads`:4\n"),
        "{data}"
    );
    assert!(
        data.contains("- `conf/site.toml` keys `title`:1, `[server]`:2\n"),
        "{data}"
    );
    // Ignored and untracked: never read.
    assert!(!data.contains("secret.json"), "{data}");
    assert_checks_ok(root, &md);
}

#[test]
fn a_workspace_member_under_examples_is_example_code_not_an_empty_crate() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path();
    write_file(
        root,
        "Cargo.toml",
        "[workspace]\nmembers = [\"core\", \"examples/demo\"]\n",
    );
    write_file(root, "core/Cargo.toml", "[package]\nname = \"core\"\n");
    write_file(
        root,
        "core/src/lib.rs",
        "//! The core.\n\npub struct Engine;\n",
    );
    write_file(
        root,
        "examples/demo/Cargo.toml",
        "[package]\nname = \"example-demo\"\n",
    );
    write_file(
        root,
        "examples/demo/src/main.rs",
        "fn main() {\n    let _ = core::Engine;\n}\n",
    );
    let md = run_ok(root, &["--no-cache"]);
    // Not read (example code), so never "declares nothing" in the crates table.
    assert!(!md.contains("declares nothing"), "{md}");
    assert!(!md.contains("`example_demo`"), "{md}");
    assert!(md.contains("| `core` |"), "{md}");
    assert!(md.contains("1 test file not read"), "{md}");
    // Read with --include-tests: the example crate is listed with what it declares.
    let all = run_ok(root, &["--no-cache", "--include-tests"]);
    assert!(all.contains("`example_demo`"), "{all}");
    assert_checks_ok(root, &md);
}

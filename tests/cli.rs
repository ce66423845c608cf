//! The command line: arguments, exit codes, error messages, what is read and
//! what is skipped, and that nothing is written inside the repository.

mod common;

use common::{copy_fixture, fixture, inventory, run, tree_fingerprint, write_file as write};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn item_names(inv: &serde_json::Value) -> Vec<String> {
    inv["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap().to_string())
        .collect()
}

fn diagnostics(inv: &serde_json::Value) -> Vec<String> {
    inv["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}: {}",
                d["file"].as_str().unwrap(),
                d["message"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn help_documents_every_flag() {
    let out = run(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for flag in [
        "--format",
        "--output",
        "--lang",
        "--include-tests",
        "--exclude",
        "--threads",
        "--max-file-size",
    ] {
        assert!(help.contains(flag), "--help does not mention {flag}");
    }
}

#[test]
fn missing_path_is_a_one_line_error_with_exit_2() {
    let out = run(&["/definitely/not/here"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("planrecon: /definitely/not/here: no such directory"),
        "{err}"
    );
}

#[test]
fn a_file_as_path_is_an_error_naming_the_fix() {
    let file = fixture("go/module/go.mod");
    let out = run(&[file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("is a file; planrecon reads a directory"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
}

#[test]
fn bad_arguments_exit_2() {
    let dir = fixture("go/module");
    let d = dir.to_str().unwrap();
    let out = run(&[d, "--lang", "cobol"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown language \"cobol\""),
        "{}",
        stderr(&out)
    );
    let out = run(&[d, "--threads", "0"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--threads must be at least 1"));
    let out = run(&[d, "--format", "yaml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn nothing_is_written_inside_the_repository() {
    let repo = copy_fixture("go/module");
    let before = tree_fingerprint(repo.path());
    let p = repo.path().to_str().unwrap();
    for args in [
        vec![p],
        vec![p, "--format", "json"],
        vec![p, "--include-tests"],
    ] {
        let out = run(&args);
        assert!(out.status.success());
    }
    assert_eq!(before, tree_fingerprint(repo.path()));
}

#[test]
fn output_file_is_written_whole() {
    let repo = fixture("rust/workspace");
    let out_dir = tempfile::tempdir().unwrap();
    let target = out_dir.path().join("inv.json");
    std::fs::write(&target, "old").unwrap();
    let out = run(&[
        repo.to_str().unwrap(),
        "--format",
        "json",
        "-o",
        target.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    let written = std::fs::read(&target).unwrap();
    let direct = run(&[repo.to_str().unwrap(), "--format", "json"]).stdout;
    assert_eq!(written, direct);
    // Only the target file is left in the directory: no temp files.
    assert_eq!(std::fs::read_dir(out_dir.path()).unwrap().count(), 1);
}

#[test]
fn ignore_rules_apply_without_git() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    write(r, ".gitignore", "ignored/\n");
    write(r, "kept.go", "package a\n\nfunc Kept() {}\n");
    write(r, "ignored/x.go", "package x\n\nfunc Ignored() {}\n");
    write(r, ".hidden/h.go", "package h\n\nfunc Hidden() {}\n");
    write(r, "vendor/v/v.go", "package v\n\nfunc Vendored() {}\n");
    write(r, "node_modules/m/m.go", "package m\n\nfunc Module() {}\n");
    write(r, "testdata/t.go", "package t\n\nfunc Fixture() {}\n");
    write(r, "_tools/t.go", "package t\n\nfunc Underscore() {}\n");
    write(r, "target/debug/build.rs", "fn built() {}\n");
    write(r, "gen/skip_me.go", "package gen\n\nfunc Excluded() {}\n");
    write(r, ".ignore", "");
    let inv = inventory(r, &["--exclude", "gen/skip_*"]);
    assert_eq!(item_names(&inv), vec!["Kept"]);
}

#[test]
fn gitignore_applies_in_a_git_checkout_too() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    std::fs::create_dir(r.join(".git")).unwrap();
    write(r, ".gitignore", "*.gen.go\n");
    write(r, "a.go", "package a\n\nfunc A() {}\n");
    write(r, "b.gen.go", "package a\n\nfunc B() {}\n");
    assert_eq!(item_names(&inventory(r, &[])), vec!["A"]);
}

#[test]
fn unreadable_inputs_are_diagnostics_and_the_rest_is_read() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    write(r, "ok.go", "package a\n\nfunc Ok() {}\n");
    std::fs::write(
        r.join("latin1.go"),
        b"package a\n\n// caf\xe9\nfunc Latin() {}\n",
    )
    .unwrap();
    std::fs::write(r.join("binary.go"), b"package a\x00\x01\x02").unwrap();
    write(r, "big.rs", &"// padding line\n".repeat(2000));
    let inv = inventory(r, &["--max-file-size", "10000"]);
    assert_eq!(item_names(&inv), vec!["Ok"]);
    let diags = diagnostics(&inv);
    assert!(
        diags.contains(&"latin1.go: skipped: not valid UTF-8 (line 3)".to_string()),
        "{diags:?}"
    );
    assert!(
        diags.contains(&"binary.go: skipped: binary file (NUL byte)".to_string()),
        "{diags:?}"
    );
    assert!(
        diags.iter().any(
            |d| d.starts_with("big.rs: skipped: 32000 bytes is over the --max-file-size limit")
        ),
        "{diags:?}"
    );
}

#[test]
fn symlinks_are_not_followed_and_loops_do_not_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    write(r, "a/a.go", "package a\n\nfunc A() {}\n");
    std::os::unix::fs::symlink(r.join("a"), r.join("a/loop")).unwrap();
    std::os::unix::fs::symlink(r.join("a/a.go"), r.join("link.go")).unwrap();
    let inv = inventory(r, &[]);
    assert_eq!(item_names(&inv), vec!["A"]);
}

#[test]
fn crlf_files_keep_exact_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let r = tmp.path();
    write(
        r,
        "a.go",
        "package a\r\n\r\n// A doc.\r\nfunc A() {\r\n}\r\n\r\ntype B struct {\r\n\tX int\r\n}\r\n",
    );
    let inv = inventory(r, &[]);
    let items = inv["items"].as_array().unwrap();
    assert_eq!(
        (items[0]["line"].as_u64(), items[0]["end_line"].as_u64()),
        (Some(4), Some(5))
    );
    assert_eq!(items[0]["doc"], "A doc.");
    assert_eq!(
        (items[1]["line"].as_u64(), items[1]["end_line"].as_u64()),
        (Some(7), Some(9))
    );
    assert_eq!(items[1]["members"][0]["line"], 8);
}

#[test]
fn commit_is_null_outside_git_and_head_inside() {
    let inv = inventory(&fixture("go/module"), &[]);
    // The fixture lives inside this repository's checkout (when built from git).
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.go", "package a\n");
    let bare = inventory(tmp.path(), &[]);
    assert!(bare["commit"].is_null());
    assert!(bare["dirty"].is_null());
    if let Some(c) = inv["commit"].as_str() {
        assert_eq!(c.len(), 40);
    }
}

#[test]
fn empty_repository_is_an_error_not_an_empty_report() {
    // Nothing to read: exit 2 with one line (tests/rough_edges.rs has the wording).
    let tmp = tempfile::tempdir().unwrap();
    for format in ["markdown", "json"] {
        let out = run(&[tmp.path().to_str().unwrap(), "--format", format]);
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    }
}

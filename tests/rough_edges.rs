//! What a new user meets first (issue 19): the mode of `-o` files, a tree
//! with nothing to read, syntax errors on stderr, a mistyped subcommand,
//! flags that do nothing in the mode chosen, each subcommand's help, and Go
//! struct tags printed verbatim by `diff`.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;

use common::{fixture, git, planrecon, run, write_file as write};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Run planrecon under `umask` (a shell sets it, then execs the binary with
/// the test environment).
fn run_with_umask(umask: &str, args: &[&str]) -> Output {
    let base = planrecon();
    let mut sh = std::process::Command::new("sh");
    sh.arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(base.get_program())
        .args(args);
    for (k, v) in base.get_envs() {
        if let Some(v) = v {
            sh.env(k, v);
        }
    }
    sh.output().expect("run sh")
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).expect("stat").permissions().mode() & 0o777
}

// ------------------------------------------------------------ 1. file modes

#[test]
fn a_new_output_file_gets_0666_minus_the_umask() {
    let repo = fixture("go/module");
    let out_dir = tempfile::tempdir().unwrap();
    for (umask, want) in [("022", 0o644), ("027", 0o640), ("002", 0o664)] {
        for format in ["markdown", "json"] {
            let target = out_dir.path().join(format!("out-{umask}.{format}"));
            let out = run_with_umask(
                umask,
                &[
                    repo.to_str().unwrap(),
                    "--format",
                    format,
                    "--no-cache",
                    "-o",
                    target.to_str().unwrap(),
                ],
            );
            assert!(out.status.success(), "{}", stderr(&out));
            assert_eq!(
                mode(&target),
                want,
                "umask {umask}, --format {format}: mode {:o}",
                mode(&target)
            );
        }
    }
}

#[test]
fn an_existing_output_file_keeps_its_mode() {
    let repo = fixture("go/module");
    let out_dir = tempfile::tempdir().unwrap();
    for kept in [0o600, 0o640, 0o664] {
        let target = out_dir.path().join(format!("kept-{kept:o}.md"));
        std::fs::write(&target, "old").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(kept)).unwrap();
        let out = run_with_umask(
            "022",
            &[
                repo.to_str().unwrap(),
                "--no-cache",
                "-o",
                target.to_str().unwrap(),
            ],
        );
        assert!(out.status.success(), "{}", stderr(&out));
        assert_eq!(mode(&target), kept);
        assert_ne!(std::fs::read_to_string(&target).unwrap(), "old");
    }
}

#[test]
fn diff_output_files_get_the_same_mode() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    write(&repo, "go.mod", "module example.com/m\n");
    write(&repo, "a.go", "package m\n\nfunc A() {}\n");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "one"]);
    let target = tmp.path().join("diff.md");
    let out = run_with_umask(
        "022",
        &[
            "diff",
            "--repo",
            repo.to_str().unwrap(),
            "HEAD",
            "-o",
            target.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(mode(&target), 0o644);
}

// ------------------------------------------------- 2. nothing to read

#[test]
fn an_empty_directory_is_an_error_saying_what_was_looked_for() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["markdown", "json"] {
        let out = run(&[dir.path().to_str().unwrap(), "--format", format]);
        assert_eq!(out.status.code(), Some(2), "--format {format}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("planrecon: "), "{err}");
        assert!(err.contains("no Go or Rust source file"), "{err}");
        assert!(err.contains(".go") && err.contains(".rs"), "{err}");
        assert!(stdout(&out).is_empty(), "no empty report on stdout");
    }
}

#[test]
fn a_tree_without_sources_names_what_the_walk_skipped() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "README.md", "# docs only\n");
    write(dir.path(), "vendor/dep/dep.go", "package dep\n");
    write(dir.path(), "target/debug/build.rs", "fn main() {}\n");
    let out = run(&[dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("1 other file"), "{err}");
    assert!(err.contains("target/") && err.contains("vendor/"), "{err}");
}

#[test]
fn a_tree_with_only_test_files_points_at_include_tests() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "go.mod", "module example.com/m\n");
    write(
        dir.path(),
        "a_test.go",
        "package m\n\nimport \"testing\"\n\nfunc TestA(t *testing.T) {}\n",
    );
    let out = run(&[dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("1 test file"), "{err}");
    assert!(err.contains("--include-tests"), "{err}");
    let out = run(&[dir.path().to_str().unwrap(), "--include-tests"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_language_filter_that_matches_nothing_says_which_language() {
    let repo = fixture("go/module");
    let out = run(&[repo.to_str().unwrap(), "--lang", "rust"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("no Rust source file"), "{err}");
    assert!(!err.contains("Go or Rust"), "{err}");
}

// ------------------------------------------------- 3. syntax errors

fn broken_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "go.mod", "module example.com/m\n");
    // gofmt: `a.go:5:11: expected ';', found json`.
    write(
        dir.path(),
        "a.go",
        "package m\n\ntype T struct {\n\tA int\n\tB string json\n}\n\nfunc G() int { return 1 }\n",
    );
    // The composite literal on line 4 is broken; tree-sitter's outer error
    // node starts at the `{` of line 3 and swallows `G` (gofmt: 4:7).
    write(
        dir.path(),
        "b/b.go",
        "package b\n\nfunc F() {\n\tx := [1, 2\n}\n\nfunc G() {}\n",
    );
    write(
        dir.path(),
        "Cargo.toml",
        "[package]\nname = \"broken\"\nversion = \"0.1.0\"\n",
    );
    // rustc: unclosed `(` on line 2; tree-sitter: `)` missing after `2`.
    write(
        dir.path(),
        "src/lib.rs",
        "pub fn f() {\n    let x = (1, 2;\n}\n\npub fn g() {}\n",
    );
    dir
}

#[test]
fn syntax_errors_are_reported_on_stderr_at_the_line_the_parser_stopped() {
    let dir = broken_tree();
    for format in ["markdown", "json"] {
        let out = run(&[dir.path().to_str().unwrap(), "--format", format]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let err = stderr(&out);
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(
            lines,
            [
                "a.go:5:11: syntax error near `json`",
                "b/b.go:4:8: syntax error near `1`",
                "src/lib.rs:2:18: syntax error: missing `)`",
            ],
            "--format {format}: {err}"
        );
    }
    // The JSON keeps them, at the same lines and columns.
    let inv = common::inventory(dir.path(), &[]);
    let diags: Vec<String> = inv["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {}",
                d["file"], d["line"], d["column"], d["message"]
            )
        })
        .collect();
    assert_eq!(
        diags,
        [
            "\"a.go\":5:11 \"syntax error near `json`\"",
            "\"b/b.go\":4:8 \"syntax error near `1`\"",
            "\"src/lib.rs\":2:18 \"syntax error: missing `)`\"",
        ]
    );
}

#[test]
fn syntax_errors_reach_stderr_when_the_report_comes_from_the_cache() {
    let dir = broken_tree();
    let cache = tempfile::tempdir().unwrap();
    let args = [
        dir.path().to_str().unwrap(),
        "--cache-dir",
        cache.path().to_str().unwrap(),
    ];
    let cold = run(&args);
    let warm = run(&args);
    assert_eq!(cold.status.code(), Some(0));
    assert_eq!(stdout(&cold), stdout(&warm));
    assert_eq!(stderr(&cold), stderr(&warm));
    assert_eq!(stderr(&warm).lines().count(), 3, "{}", stderr(&warm));
}

#[test]
fn columns_count_characters_as_an_editor_does() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "go.mod", "module example.com/m\n");
    // `é` is two bytes: `json` starts at character 12, byte 13.
    write(
        dir.path(),
        "a.go",
        "package m\n\ntype T struct {\n\tA int\n\tBé string json\n}\n",
    );
    let out = run(&[dir.path().to_str().unwrap()]);
    assert_eq!(
        stderr(&out).trim_end(),
        "a.go:5:12: syntax error near `json`"
    );
}

// ------------------------------------------------- 4. a mistyped subcommand

#[test]
fn a_path_that_is_nearly_a_subcommand_suggests_it() {
    let cwd = tempfile::tempdir().unwrap();
    for (typed, meant, extra) in [
        ("chek", "check", vec![]),
        ("chek", "check", vec!["."]),
        ("dif", "diff", vec!["HEAD"]),
        ("refz", "refs", vec!["Name"]),
        ("ref", "refs", vec![]),
    ] {
        let mut args = vec![typed];
        args.extend(extra.iter().copied());
        let out = planrecon()
            .current_dir(cwd.path())
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.contains(&format!("did you mean `{meant}`?")),
            "{args:?}: {err}"
        );
        assert!(err.contains(typed), "{args:?}: {err}");
    }
}

#[test]
fn a_missing_path_far_from_any_subcommand_gets_no_suggestion() {
    let cwd = tempfile::tempdir().unwrap();
    let out = planrecon()
        .current_dir(cwd.path())
        .args(["elsewhere"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.trim_end(), "planrecon: elsewhere: no such directory");
}

#[test]
fn an_existing_directory_named_like_a_subcommand_is_read() {
    let cwd = tempfile::tempdir().unwrap();
    write(cwd.path(), "chek/go.mod", "module example.com/chek\n");
    write(cwd.path(), "chek/a.go", "package chek\n\nfunc A() {}\n");
    let out = planrecon()
        .current_dir(cwd.path())
        .args(["chek", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

// ------------------------------------------ 5. flags that change nothing

#[test]
fn flags_without_effect_in_the_mode_chosen_are_refused() {
    let repo = fixture("go/module");
    let r = repo.to_str().unwrap();
    for (args, flag) in [
        (vec!["--format", "json", "--section", "recon"], "--section"),
        (vec!["--format", "json", "--top", "5"], "--top"),
        (vec!["--format", "json", "--focus", "store"], "--focus"),
        (vec!["--budget", "2000", "--section", "frozen"], "--section"),
        (vec!["--budget", "2000", "--top", "3"], "--top"),
        (vec!["--tokenizer", "cl100k"], "--tokenizer"),
        (
            vec!["--format", "json", "--tokenizer", "cl100k"],
            "--tokenizer",
        ),
        (vec!["--no-cache", "--cache-dir", "/tmp/x"], "--cache-dir"),
    ] {
        let mut all = vec![r];
        all.extend(args.iter().copied());
        let out = run(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("planrecon: "), "{args:?}: {err}");
        assert!(err.contains(flag), "{args:?}: {err}");
        assert!(stdout(&out).is_empty(), "{args:?}");
    }
}

#[test]
fn flags_with_effect_are_still_accepted() {
    let repo = fixture("go/module");
    let r = repo.to_str().unwrap();
    for args in [
        vec!["--section", "recon", "--top", "3"],
        vec!["--focus", "store"],
        vec![
            "--budget",
            "2000",
            "--focus",
            "store",
            "--tokenizer",
            "cl100k",
        ],
        vec![
            "--budget",
            "2000",
            "--format",
            "json",
            "--tokenizer",
            "cl100k",
        ],
        vec!["--format", "json", "--no-cache"],
        // Spelling out a default is not an error.
        vec!["--format", "markdown", "--section", "all", "--top", "20"],
    ] {
        let mut all = vec![r];
        all.extend(args.iter().copied());
        let out = run(&all);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
}

// ------------------------------------------------- 6. subcommand help

fn help(args: &[&str]) -> String {
    let out = run(args);
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

#[test]
fn each_subcommand_help_says_what_it_does_and_its_exit_codes() {
    let main = help(&["--help"]);
    let main_about = main.lines().next().unwrap().to_string();
    for (sub, does, exits) in [
        ("check", "stale citation", &["0 ", "1 ", "2 "][..]),
        ("diff", "between two revisions", &["0 ", "1 ", "2 "]),
        ("refs", "Call sites", &["0 ", "2 "]),
    ] {
        let long = help(&[sub, "--help"]);
        assert!(
            !long.contains(&main_about),
            "{sub} --help repeats the main about"
        );
        assert!(
            !long.contains("Repository Recon") && !long.contains("complete inventory"),
            "{sub} --help describes the main command's formats:\n{long}"
        );
        assert!(long.contains(does), "{sub} --help: {long}");
        let exit_at = long.find("Exit codes:").unwrap_or_else(|| {
            panic!("{sub} --help has no exit codes:\n{long}");
        });
        let codes = &long[exit_at..];
        for code in exits.iter().copied() {
            assert!(
                codes.lines().any(|l| l.trim_start().starts_with(code)),
                "{sub} --help lacks exit {code}:\n{codes}"
            );
        }
        let short = help(&[sub, "-h"]);
        assert!(short.contains("Usage: planrecon "), "{sub} -h: {short}");
        assert!(short.contains("Exit codes:"), "{sub} -h: {short}");
    }
    assert!(main.contains("Exit codes:"), "{main}");
}

#[test]
fn diff_help_describes_diff_formats() {
    let long = help(&["diff", "--help"]);
    let formats = &long[long.find("--format").unwrap()..];
    let formats = &formats[..formats.find("\n\n  -o").unwrap_or(formats.len())];
    assert!(formats.contains("markdown"), "{formats}");
    assert!(formats.contains("changes"), "{formats}");
}

// --------------------------------------- 8. code in diff Markdown verbatim

#[test]
fn diff_markdown_prints_go_struct_tags_verbatim() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    write(&repo, "go.mod", "module example.com/m\n");
    write(
        &repo,
        "api/license.go",
        "package api\n\n// License is a license.\ntype License struct {\n\tKey  string `json:\"key\"`\n\tName string\n}\n",
    );
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "one"]);
    write(
        &repo,
        "api/license.go",
        "package api\n\n// License is a license.\ntype License struct {\n\tKey  string `json:\"spdx\"`\n\tName string\n\tBody string `json:\"body\"`\n}\n",
    );
    let out = run(&["diff", "--repo", repo.to_str().unwrap(), "HEAD"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let md = stdout(&out);
    assert!(!md.contains("'json:"), "backticks rewritten:\n{md}");
    // Every code span holds the signature exactly as written.
    let spans = code_spans(&md);
    for sig in [
        "Key  string `json:\"key\"`",
        "Key  string `json:\"spdx\"`",
        "Body string `json:\"body\"`",
    ] {
        let collapsed = sig.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            spans.contains(&collapsed),
            "no code span {collapsed:?} in:\n{md}\nspans: {spans:?}"
        );
    }
}

/// The text of every inline code span of `md`, as CommonMark reads it.
fn code_spans(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser};
    Parser::new(md)
        .filter_map(|e| match e {
            Event::Code(c) => Some(c.to_string()),
            _ => None,
        })
        .collect()
}

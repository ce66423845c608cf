//! Behaviour on a terminal (issue 19, item 9), under a real pseudo-terminal
//! (`script -qec`): the progress bar appears on stderr only when it is a
//! terminal and not CI, is cleared when the pass ends, never mixes with the
//! lines printed beside it, and never reaches stdout; `check` colours its
//! status words only on a terminal and never with a non-empty `NO_COLOR`.
//!
//! `PLANRECON_PROGRESS_DELAY_MS=0` shows the bar at once (it normally waits
//! a second), so a small fixture is enough.

mod common;

use std::path::Path;
use std::process::Command;

use common::{git, write_file};

/// Run `shell` (a `sh -c` command line) under a pseudo-terminal; returns the
/// exit code and everything the terminal received.
fn in_pty(shell: &str, env: &[(&str, &str)]) -> (i32, Vec<u8>) {
    let mut cmd = Command::new("script");
    cmd.args(["-qec", shell, "/dev/null"])
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .env_remove("PLANRECON_PROGRESS_DELAY_MS")
        .env("TERM", "xterm-256color")
        .env(
            "XDG_CACHE_HOME",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("xdg-cache"),
        )
        .stdin(std::process::Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run script");
    (out.status.code().unwrap_or(-1), out.stdout)
}

/// What a terminal shows after `raw`: `\r` returns to column 0, `ESC[2K`
/// erases the line, other escape sequences are dropped; trailing blank lines
/// are removed.
fn screen(raw: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(raw);
    let mut lines: Vec<Vec<char>> = vec![Vec::new()];
    let mut col = 0usize;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => col = 0,
            '\n' => {
                lines.push(Vec::new());
                col = 0;
            }
            '\x1b' => {
                let mut seq = String::new();
                if chars.peek() == Some(&'[') {
                    chars.next();
                    while let Some(&d) = chars.peek() {
                        chars.next();
                        seq.push(d);
                        if d.is_ascii_alphabetic() {
                            break;
                        }
                    }
                }
                if seq == "2K" {
                    lines.last_mut().expect("a line").clear();
                }
            }
            c => {
                let line = lines.last_mut().expect("a line");
                while line.len() < col {
                    line.push(' ');
                }
                if col < line.len() {
                    line[col] = c;
                } else {
                    line.push(c);
                }
                col += 1;
            }
        }
    }
    let mut out: Vec<String> = lines
        .into_iter()
        .map(|l| l.into_iter().collect::<String>().trim_end().to_string())
        .collect();
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn bin() -> String {
    quote(env!("CARGO_BIN_EXE_planrecon"))
}

/// A git repository with Go and Rust code, one syntax error per language,
/// and a plan with one stale citation.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = dir.path();
    git(r, &["init", "-q", "-b", "main"]);
    write_file(r, "go.mod", "module example.com/m\n");
    write_file(
        r,
        "store/store.go",
        "package store\n\n// Store keeps things.\ntype Store struct {\n\tN int\n}\n\n// New makes a Store.\nfunc New() *Store { return &Store{} }\n",
    );
    write_file(
        r,
        "broken/broken.go",
        "package broken\n\ntype T struct {\n\tA int\n\tB string json\n}\n",
    );
    write_file(
        r,
        "Cargo.toml",
        "[package]\nname = \"m\"\nversion = \"0.1.0\"\n",
    );
    write_file(
        r,
        "src/lib.rs",
        "pub fn f() {\n    let x = (1, 2;\n}\n\npub struct Kept;\n",
    );
    write_file(
        r,
        "PLAN.md",
        "# Plan\n\n- `Store` (`store/store.go:4-6`) holds N.\n- `New` (`store/store.go:20-21`) makes one.\n",
    );
    git(r, &["add", "-A"]);
    git(r, &["commit", "-q", "-m", "one"]);
    dir
}

const SYNTAX_ERRORS: [&str; 2] = [
    "broken/broken.go:5:11: syntax error near `json`",
    "src/lib.rs:2:18: syntax error: missing `)`",
];

const NOW: (&str, &str) = ("PLANRECON_PROGRESS_DELAY_MS", "0");

#[test]
fn the_progress_bar_is_drawn_on_a_terminal_and_cleared() {
    let r = repo();
    let outd = tempfile::tempdir().unwrap();
    let out = outd.path().join("report.md");
    let (code, raw) = in_pty(
        &format!(
            "{} {} --no-cache -o {}",
            bin(),
            quote(r.path().to_str().unwrap()),
            quote(out.to_str().unwrap())
        ),
        &[NOW],
    );
    assert_eq!(code, 0);
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains(" files "), "no progress bar: {text:?}");
    // Once cleared, the terminal shows only the syntax errors, whole lines.
    assert_eq!(screen(&raw), SYNTAX_ERRORS, "{text:?}");
    let report = std::fs::read_to_string(&out).unwrap();
    assert!(!report.contains('\x1b'));
}

#[test]
fn no_progress_bar_in_ci_or_before_the_delay() {
    let r = repo();
    let cmd = format!(
        "{} {} --no-cache > /dev/null",
        bin(),
        quote(r.path().to_str().unwrap())
    );
    for env in [&[NOW, ("CI", "true")][..], &[NOW, ("TERM", "dumb")], &[]] {
        let (code, raw) = in_pty(&cmd, env);
        assert_eq!(code, 0);
        let text = String::from_utf8_lossy(&raw);
        assert!(!text.contains(" files "), "{env:?}: {text:?}");
        assert!(!text.contains('\x1b'), "{env:?}: {text:?}");
        assert_eq!(screen(&raw), SYNTAX_ERRORS);
    }
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let r = repo();
    let outd = tempfile::tempdir().unwrap();
    let err = outd.path().join("stderr.txt");
    let (code, raw) = in_pty(
        &format!(
            "{} {} --no-cache --format json 2> {}",
            bin(),
            quote(r.path().to_str().unwrap()),
            quote(err.to_str().unwrap())
        ),
        &[NOW],
    );
    assert_eq!(code, 0);
    // stdout was the terminal: the JSON, without escape sequences.
    let text = String::from_utf8_lossy(&raw);
    assert!(text.starts_with("{\r\n  \"schema_version\""), "{text:?}");
    assert!(!text.contains('\x1b'));
    let err = std::fs::read_to_string(&err).unwrap();
    assert_eq!(err.lines().collect::<Vec<_>>(), SYNTAX_ERRORS, "{err:?}");
}

#[test]
fn every_subcommand_shows_and_clears_its_bar_and_keeps_stdout_clean() {
    let r = repo();
    let p = quote(r.path().to_str().unwrap());
    let plan = quote(r.path().join("PLAN.md").to_str().unwrap());
    let outd = tempfile::tempdir().unwrap();
    for (sub, want_code) in [
        (format!("check {plan} --repo {p}"), 1),
        (format!("refs Store --repo {p}"), 0),
        (format!("diff --repo {p} HEAD"), 0),
    ] {
        let out = outd.path().join("out.txt");
        let (code, raw) = in_pty(
            &format!("{} {sub} > {}", bin(), quote(out.to_str().unwrap())),
            &[NOW],
        );
        assert_eq!(code, want_code, "{sub}");
        let text = String::from_utf8_lossy(&raw);
        assert!(text.contains(" files "), "{sub}: no progress bar: {text:?}");
        assert_eq!(screen(&raw), Vec::<String>::new(), "{sub}: {text:?}");
        let stdout = std::fs::read_to_string(&out).unwrap();
        assert!(!stdout.contains('\x1b'), "{sub}: {stdout:?}");
        assert!(!stdout.is_empty(), "{sub}");
    }
}

#[test]
fn check_colours_only_a_terminal_and_honours_no_color() {
    let r = repo();
    let cmd = format!(
        "{} check {} --repo {} 2> /dev/null",
        bin(),
        quote(r.path().join("PLAN.md").to_str().unwrap()),
        quote(r.path().to_str().unwrap())
    );
    let coloured = |env: &[(&str, &str)]| {
        let (code, raw) = in_pty(&cmd, env);
        assert_eq!(code, 1, "{env:?}");
        let text = String::from_utf8_lossy(&raw).into_owned();
        assert!(text.contains("moved"), "{env:?}: {text:?}");
        text.contains("\x1b[")
    };
    assert!(coloured(&[]), "no colour on a terminal");
    assert!(coloured(&[("NO_COLOR", "")]), "an empty NO_COLOR is unset");
    assert!(!coloured(&[("NO_COLOR", "1")]), "NO_COLOR=1 still coloured");
    // Not a terminal: never coloured.
    let out = common::planrecon()
        .env_remove("NO_COLOR")
        .args([
            "check",
            r.path().join("PLAN.md").to_str().unwrap(),
            "--repo",
            r.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\x1b'));
}

#[test]
fn reports_on_a_terminal_carry_no_escape_sequences() {
    let r = repo();
    let p = quote(r.path().to_str().unwrap());
    for args in [
        format!("{p} --no-cache"),
        format!("refs Store --repo {p}"),
        format!("diff --repo {p} HEAD"),
    ] {
        let (_, raw) = in_pty(&format!("{} {args} 2> /dev/null", bin()), &[]);
        let text = String::from_utf8_lossy(&raw);
        assert!(!text.is_empty(), "{args}");
        assert!(!text.contains('\x1b'), "{args}: {text:?}");
    }
}

//! Pathological inputs, one test each: planrecon never panics, never hangs,
//! never cites a wrong line and never writes inside the tree it reads. The
//! README's "Robustness" table lists every test here with the behaviour it
//! asserts. Big inputs are generated in temp dirs so the tests stay quick.

mod common;

use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::Duration;

use common::{assert_citations_hold, copy_fixture, fixture, tree_fingerprint};
use serde_json::Value;

/// Generous: every run here takes well under a second on an idle machine;
/// the limit only turns a hang into a failure.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Run the binary with a timeout (a hang fails the test instead of the suite).
fn run(args: &[&[u8]]) -> std::process::Output {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_planrecon"));
    for a in args {
        cmd.arg(std::ffi::OsStr::from_bytes(a));
    }
    cmd.timeout(TIMEOUT).output().expect("run planrecon")
}

/// `--format json` of `dir` (plus `extra`), which must exit 0.
fn inventory(dir: &Path, extra: &[&str]) -> Value {
    let mut args: Vec<&[u8]> = vec![dir.as_os_str().as_bytes(), b"--format", b"json"];
    args.extend(extra.iter().map(|a| a.as_bytes()));
    let out = run(&args);
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, bytes).expect("write");
}

/// `file:line-end name` of every item, and `file:line-end .name` of members.
fn spans(inv: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for i in inv["items"].as_array().expect("items") {
        let file = i["file"].as_str().expect("file");
        out.push(format!(
            "{file}:{}-{} {}",
            i["line"],
            i["end_line"],
            i["name"].as_str().expect("name")
        ));
        for m in i["members"].as_array().into_iter().flatten() {
            out.push(format!(
                "{file}:{}-{} .{}",
                m["line"],
                m["end_line"],
                m["name"].as_str().expect("name")
            ));
        }
    }
    out
}

fn diagnostics(inv: &Value) -> Vec<String> {
    inv["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            let line = d["line"]
                .as_u64()
                .map(|l| format!(":{l}"))
                .unwrap_or_default();
            format!(
                "{}{line}: {}",
                d["file"].as_str().expect("file"),
                d["message"].as_str().expect("message")
            )
        })
        .collect()
}

/// Whether this process ignores permission bits (root, or CAP_DAC_OVERRIDE):
/// CI runs the tests as root.
fn ignores_permissions(dir: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let probe = dir.join("probe");
    std::fs::write(&probe, "x").expect("probe");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let readable = std::fs::read(&probe).is_ok();
    std::fs::remove_file(&probe).expect("remove probe");
    readable
}

#[test]
fn crlf_and_mixed_line_endings_keep_exact_lines() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    // Line 1..: CRLF, LF and CRLF mixed; a lone CR is not a line break (for
    // Go, Rust and `wc -l` alike).
    write(
        r,
        "a.go",
        "package a\r\n\n// Doc.\r\ntype S struct {\r\n\tA int\n\tB string\r\n}\n\r\nfunc F() {\r\n\t_ = 1 /* \r */\r\n}\r\nfunc G() {}",
    );
    write(
        r,
        "src/lib.rs",
        "//! Crate.\r\n\r\npub struct P {\n    pub x: u8,\r\n}\r\n/// Doc.\npub fn f() {\r\n}\r\nmod m {\n    pub enum E {\r\n        V,\n    }\r\n}\n",
    );
    write(r, "Cargo.toml", "[package]\nname = \"c\"\n");
    let inv = inventory(r, &[]);
    assert_eq!(
        spans(&inv),
        vec![
            "a.go:4-7 S",
            "a.go:5-5 .A",
            "a.go:6-6 .B",
            "a.go:9-11 F",
            "a.go:12-12 G",
            "src/lib.rs:3-5 P",
            "src/lib.rs:4-4 .x",
            "src/lib.rs:7-8 f",
            "src/lib.rs:9-13 m",
            "src/lib.rs:10-12 E",
            "src/lib.rs:11-11 .V",
        ]
    );
    assert_eq!(inv["items"][0]["doc"], "Doc.");
    assert_eq!(inv["items"][4]["doc"], "Doc.");
    assert_eq!(inv["scope"]["lines"], 11 + 13);
    assert_citations_hold(r, &inv);
}

#[test]
fn utf8_bom_is_accepted_and_lines_stay_exact() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    write(r, "a.go", "\u{feff}package a\n\n// A doc.\nfunc A() {}\n");
    write(r, "src/lib.rs", "\u{feff}//! Crate doc.\npub fn f() {}\n");
    write(r, "Cargo.toml", "[package]\nname = \"c\"\n");
    let inv = inventory(r, &[]);
    assert_eq!(spans(&inv), vec!["a.go:4-4 A", "src/lib.rs:2-2 f"]);
    assert_eq!(inv["items"][0]["doc"], "A doc.");
    assert!(diagnostics(&inv).is_empty(), "{:?}", diagnostics(&inv));
    let docs: Vec<&str> = inv["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter_map(|p| p["doc"].as_str())
        .collect();
    assert_eq!(docs, vec!["Crate doc."]);
}

#[test]
fn invalid_utf8_is_a_diagnostic_naming_its_line() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    write(r, "ok.go", "package a\n\nfunc Ok() {}\n");
    write(r, "latin1.go", b"package a\n\nfunc Caf\xe9() {}\n");
    // A truncated multi-byte sequence at the very end, and a lone
    // continuation byte in a Rust file.
    write(r, "cut.go", b"package a\n\nfunc Cut() {}\n// \xe2\x82");
    write(r, "x.rs", b"fn a() {}\n\n\n\x80\n");
    let inv = inventory(r, &[]);
    assert_eq!(spans(&inv), vec!["ok.go:3-3 Ok"]);
    assert_eq!(
        diagnostics(&inv),
        vec![
            "cut.go: skipped: not valid UTF-8 (line 4)",
            "latin1.go: skipped: not valid UTF-8 (line 3)",
            "x.rs: skipped: not valid UTF-8 (line 4)",
        ]
    );
}

#[test]
fn nul_bytes_skip_a_binary_file_and_are_syntax_errors_past_8_kib() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    write(r, "bin.go", b"package a\n\nfunc Hidden() {}\n\x00\x01");
    // Past the 8 KiB sniff the file is text with a NUL in it: parsed, the
    // NUL reported as a syntax error, the declarations around it listed.
    let mut late = b"package a\n".to_vec();
    late.extend(b"// padding\n".repeat(1000));
    late.extend(b"var X = \"\x00\"\n\nfunc After() {}\n");
    write(r, "late.go", &late);
    let inv = inventory(r, &[]);
    assert_eq!(
        spans(&inv),
        vec!["late.go:1002-1002 X", "late.go:1004-1004 After"]
    );
    let diags = diagnostics(&inv);
    assert!(
        diags.contains(&"bin.go: skipped: binary file (NUL byte)".to_string()),
        "{diags:?}"
    );
    assert!(
        diags
            .iter()
            .any(|d| d.starts_with("late.go:1002: syntax error")),
        "{diags:?}"
    );
}

#[test]
fn ten_megabyte_single_line_file_is_read_quickly() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    // Minified-style: a 10 MB comment and 2,000 declarations on one line.
    let mut line = String::with_capacity(10_600_000);
    line.push_str("package a; /*");
    line.push_str(&"x".repeat(10 * 1024 * 1024));
    line.push_str("*/ ");
    for i in 0..2000 {
        line.push_str(&format!("func F{i}() {{}}; "));
    }
    line.push_str("type T struct { A int; B int }");
    write(r, "min.go", &line);
    let started = std::time::Instant::now();
    let inv = inventory(r, &[]);
    let items = inv["items"].as_array().expect("items");
    assert_eq!(items.len(), 2001);
    assert!(items.iter().all(|i| i["line"] == 1 && i["end_line"] == 1));
    assert_eq!(items[2000]["members"].as_array().expect("members").len(), 2);
    assert_eq!(inv["scope"]["lines"], 0, "no newline: wc -l says 0");
    assert!(diagnostics(&inv).is_empty(), "{:?}", diagnostics(&inv));
    // The report quotes exported declarations verbatim: from the declaration,
    // not the whole 10 MB line (which took minutes and gigabytes).
    let md = run(&[r.as_os_str().as_bytes()]);
    assert!(
        md.status.success(),
        "{}",
        String::from_utf8_lossy(&md.stderr)
    );
    assert!(
        md.stdout.len() < 2_000_000,
        "report of {} bytes",
        md.stdout.len()
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn two_hundred_thousand_line_file_keeps_exact_lines() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    // 200,000 lines: ten functions of 20,000-line bodies, then a struct on
    // the last lines, so both ends of the numbering are checked.
    let mut src = String::from("package a\n");
    let mut want = Vec::new();
    let mut line = 1;
    for f in 0..10 {
        src.push_str(&format!("\nfunc F{f}() {{\n"));
        let start = line + 2;
        src.push_str(&"\tx++ // filler\n".repeat(19_990));
        src.push_str("}\n");
        line += 1 + 1 + 19_990 + 1;
        want.push(format!("big.go:{start}-{line} F{f}"));
    }
    src.push_str(&"\n".repeat(200_000 - 4 - line));
    line = 200_000 - 4;
    src.push_str("type Last struct {\n\tA int\n\tB int\n}\n");
    want.push(format!("big.go:{}-{} Last", line + 1, line + 4));
    want.push(format!("big.go:{}-{} .A", line + 2, line + 2));
    want.push(format!("big.go:{}-{} .B", line + 3, line + 3));
    write(r, "big.go", &src);
    let started = std::time::Instant::now();
    let inv = inventory(r, &[]);
    assert_eq!(inv["scope"]["lines"], 200_000);
    assert_eq!(spans(&inv), want);
    assert_citations_hold(r, &inv);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn two_hundred_thousand_top_level_comment_lines_stay_linear() {
    // Regression: stepping back through a run of comment lines used
    // tree-sitter's sibling walk, quadratic in the top-level entries (a
    // 40,000-line file took 95 s). Here 200,000 lines, a function every
    // 20,000, each with the whole run above it as its doc comment.
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    let mut src = String::from("package a\n");
    let mut want = Vec::new();
    for f in 1..=10 {
        src.push_str(&"// filler\n".repeat(19_998));
        src.push_str(&format!("func F{f}() {{\n}}\n"));
        want.push(format!(
            "flat.go:{0}-{1} F{f}",
            1 + f * 20_000 - 1,
            1 + f * 20_000
        ));
    }
    write(r, "flat.go", &src);
    let started = std::time::Instant::now();
    let inv = inventory(r, &[]);
    assert_eq!(inv["scope"]["lines"], 200_001);
    assert_eq!(spans(&inv), want);
    assert_eq!(
        inv["items"][9]["doc"].as_str().map(|d| d.lines().count()),
        Some(19_998)
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn nesting_ten_thousand_levels_deep_neither_overflows_nor_hangs() {
    const N: usize = 10_000;
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    let open_close =
        |open: &str, mid: &str, close: &str| format!("{}{mid}{}", open.repeat(N), close.repeat(N));
    // Each file ends with one declaration on its last line, which must be
    // listed at that line whatever came before.
    let cases: Vec<(&str, String)> = vec![
        (
            "parens.rs",
            format!("pub fn f() -> u32 {{ {} }}\n", open_close("(", "1", ")")),
        ),
        (
            "blocks.rs",
            format!("pub fn f() {{ {} }}\n", open_close("{", "", "}")),
        ),
        (
            "types.rs",
            format!("pub type T = {};\n", open_close("Vec<", "u8", ">")),
        ),
        (
            "mods.rs",
            format!("{}\n", open_close("mod a { ", "pub fn inner() {}", " }")),
        ),
        (
            "macros.rs",
            format!("{}\n", open_close("m! { ", "pub fn inner() {}", " }")),
        ),
        (
            "cfg.rs",
            format!(
                "#[cfg({})]\nmod t {{ pub fn x() {{}} }}\n",
                open_close("all(", "test", ")")
            ),
        ),
        ("unclosed.rs", format!("pub fn f() {{ {}\n", "{".repeat(N))),
        (
            "parens.go",
            format!("package p\n\nvar X = {}\n", open_close("(", "1", ")")),
        ),
        (
            "structs.go",
            format!(
                "package p\n\ntype S {}\n",
                open_close("struct { A ", "int", " }")
            ),
        ),
        (
            "funcs.go",
            format!(
                "package p\n\nvar F = {}\n",
                open_close("func() { _ = ", "1", " }")
            ),
        ),
        (
            "unclosed.go",
            format!("package p\n\nfunc F() {}\n", "{".repeat(N)),
        ),
    ];
    for (name, text) in &cases {
        let dir = name.replace('.', "_");
        write(
            r,
            &format!("{dir}/{name}"),
            format!("{text}\n{}\n", after_decl(name)),
        );
    }
    let started = std::time::Instant::now();
    let inv = inventory(r, &["--include-tests"]);
    let md = run(&[r.as_os_str().as_bytes(), b"--include-tests"]);
    assert!(
        md.status.success(),
        "{}",
        String::from_utf8_lossy(&md.stderr)
    );
    let spans = spans(&inv);
    let diags = diagnostics(&inv);
    for (name, text) in &cases {
        let line = text.matches('\n').count() + 2;
        let dir = name.replace('.', "_");
        if name.starts_with("unclosed") {
            // Where recovery puts the rest of the file is the grammar's
            // choice (Go swallows it into the open block); the error is named.
            assert!(
                diags.iter().any(|d| d.starts_with(&format!("{dir}/{name}:")) && d.contains("syntax error")),
                "{diags:?}"
            );
            continue;
        }
        let want = format!(
            "{dir}/{name}:{line}-{line} {}",
            if name.ends_with(".go") {
                "After"
            } else {
                "after"
            }
        );
        assert!(
            spans.contains(&want),
            "{want} missing from {:?}",
            &spans
                .iter()
                .filter(|s| s.starts_with(&dir))
                .collect::<Vec<_>>()
        );
    }
    // The deep module chain: the first 64 levels are listed, the rest are
    // left out with a diagnostic, not silently.
    let mods = spans
        .iter()
        .filter(|s| s.starts_with("mods_rs/") && s.ends_with(" a"))
        .count();
    assert_eq!(mods, 64);
    assert!(
        diags.contains(
            &"mods_rs/mods.rs:1: declarations nested deeper than 64 inline modules are not listed"
                .to_string()
        ),
        "{diags:?}"
    );
    assert_citations_hold(r, &inv);
    assert!(
        started.elapsed() < Duration::from_secs(90),
        "took {:?}",
        started.elapsed()
    );
}

fn after_decl(name: &str) -> &'static str {
    if name.ends_with(".go") {
        "func After() {}"
    } else {
        "pub fn after() {}"
    }
}

#[test]
fn fifo_socket_and_device_files_never_block() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    write(r, "ok.go", "package a\n\nfunc Ok() {}\n");
    // A FIFO named like a source file: opening it for reading would block
    // until a writer comes, which never happens.
    let fifo = r.join("pipe.go");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success(), "mkfifo failed");
    let _socket = std::os::unix::net::UnixListener::bind(r.join("sock.rs")).expect("socket");
    // A character device (needs CAP_MKNOD, which root in CI has); without
    // it the FIFO and the socket still make the point.
    let dev = std::process::Command::new("mknod")
        .arg(r.join("zero.go"))
        .args(["c", "1", "5"])
        .status()
        .is_ok_and(|s| s.success());
    if !dev {
        eprintln!("note: mknod not permitted here; the device case is skipped");
    }
    let inv = inventory(r, &[]);
    assert_eq!(spans(&inv), vec!["ok.go:3-3 Ok"]);
    assert!(diagnostics(&inv).is_empty(), "{:?}", diagnostics(&inv));
}

#[test]
fn unreadable_files_and_directories_are_diagnostics_or_read_as_root() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    write(r, "ok.go", "package a\n\nfunc Ok() {}\n");
    write(r, "secret.go", "package a\n\nfunc Secret() {}\n");
    write(r, "closed/c.go", "package closed\n\nfunc Closed() {}\n");
    let root_like = ignores_permissions(r);
    let mode = |p: &str, m: u32| {
        std::fs::set_permissions(r.join(p), std::fs::Permissions::from_mode(m)).expect("chmod");
    };
    mode("secret.go", 0o000);
    mode("closed", 0o000);
    let inv = inventory(r, &[]);
    mode("closed", 0o755);
    mode("secret.go", 0o644);
    if root_like {
        // Root ignores permission bits: everything is read, nothing is lost.
        eprintln!(
            "note: running with permission override (root); asserting that everything is read"
        );
        assert_eq!(
            spans(&inv),
            vec![
                "closed/c.go:3-3 Closed",
                "ok.go:3-3 Ok",
                "secret.go:3-3 Secret"
            ]
        );
        assert!(diagnostics(&inv).is_empty(), "{:?}", diagnostics(&inv));
    } else {
        assert_eq!(spans(&inv), vec!["ok.go:3-3 Ok"]);
        assert_eq!(
            diagnostics(&inv),
            vec![
                "closed: skipped: permission denied",
                "secret.go: skipped: permission denied"
            ]
        );
    }
}

#[test]
fn symlink_loops_terminate_and_links_are_not_followed() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    write(r, "a/a.go", "package a\n\nfunc A() {}\n");
    let link =
        |target: &Path, at: &str| std::os::unix::fs::symlink(target, r.join(at)).expect("symlink");
    link(r, "a/up");
    link(&r.join("a"), "a/self");
    link(&r.join("x.go"), "y.go");
    link(&r.join("y.go"), "x.go");
    link(&r.join("a/a.go"), "a/copy.go");
    let inv = inventory(r, &[]);
    assert_eq!(spans(&inv), vec!["a/a.go:3-3 A"]);
    assert!(diagnostics(&inv).is_empty(), "{:?}", diagnostics(&inv));
}

#[test]
fn non_utf8_file_names_are_diagnostics() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    let os = |b: &[u8]| r.join(std::ffi::OsStr::from_bytes(b));
    write(r, "ok.go", "package a\n\nfunc Ok() {}\n");
    std::fs::write(os(b"bad\xff.go"), "package a\n\nfunc Bad() {}\n").expect("write");
    std::fs::create_dir(os(b"dir\xfe")).expect("mkdir");
    std::fs::write(os(b"dir\xfe/in.go"), "package d\n\nfunc In() {}\n").expect("write");
    let inv = inventory(r, &[]);
    assert_eq!(spans(&inv), vec!["ok.go:3-3 Ok"]);
    // Named lossily and relative to the root (never an absolute path).
    assert_eq!(
        diagnostics(&inv),
        vec![
            "bad\u{fffd}.go: skipped: the file name is not valid UTF-8",
            "dir\u{fffd}/in.go: skipped: the file name is not valid UTF-8",
        ]
    );
}

#[test]
fn files_deleted_or_rewritten_during_the_walk_never_crash() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path().to_path_buf();
    for i in 0..200 {
        write(
            &r,
            &format!("p{}/f{i}.go", i % 10),
            format!("package p\n\nfunc F{i}() {{}}\n"),
        );
    }
    write(&r, "stable.go", "package a\n\nfunc Stable() {}\n");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let (r, stop) = (r.clone(), stop.clone());
        std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let i = n % 200;
                let p = r.join(format!("p{}/f{i}.go", i % 10));
                if n % 3 == 0 {
                    let _ = std::fs::remove_file(&p);
                } else {
                    // Rewritten with a different length: sizes seen by the
                    // walk and the read disagree.
                    let _ = std::fs::write(
                        &p,
                        format!(
                            "package p\n\n{}func F{i}() {{}}\n",
                            "\n".repeat((n % 7) as usize)
                        ),
                    );
                }
                n += 1;
            }
        })
    };
    for _ in 0..8 {
        let inv = inventory(&r, &[]);
        assert!(spans(&inv).contains(&"stable.go:3-3 Stable".to_string()));
        for d in diagnostics(&inv) {
            assert!(
                d.ends_with("skipped: the file disappeared while it was being read"),
                "{d}"
            );
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().expect("churn thread");
}

#[test]
fn trees_of_empty_files_give_empty_inventories_and_trees_without_sources_exit_2() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    std::fs::create_dir(r.join("empty")).expect("mkdir");
    for (rel, text) in [
        ("blank/a.go", ""),
        ("blank/b.rs", "\n\n"),
        ("other/README.md", "# x\n"),
    ] {
        write(r, rel, text);
    }
    let inv = inventory(&r.join("blank"), &[]);
    assert_eq!(inv["items"].as_array().map(Vec::len), Some(0));
    let md = run(&[r.join("blank").as_os_str().as_bytes()]);
    assert!(
        md.status.success(),
        "{}",
        String::from_utf8_lossy(&md.stderr)
    );
    // Nothing to read: one line on stderr, exit 2 (tests/rough_edges.rs).
    for dir in ["empty", "other"] {
        for format in [&b"markdown"[..], b"json"] {
            let out = run(&[r.join(dir).as_os_str().as_bytes(), b"--format", format]);
            assert_eq!(out.status.code(), Some(2), "{dir}");
            assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
        }
    }
    // Empty files count as read and are not errors.
    let inv = inventory(&r.join("blank"), &[]);
    assert!(diagnostics(&inv).is_empty(), "{:?}", diagnostics(&inv));
    assert_eq!(inv["scope"]["files"], 2);
    assert_eq!(inv["scope"]["lines"], 2);
}

#[test]
fn a_repository_of_only_tests_lists_nothing_unless_tests_are_included() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    write(r, "x_test.go", "package x\n\nfunc TestX(t *testing.T) {}\n");
    write(r, "tests/it.rs", "#[test]\nfn it_works() {}\n");
    let without = run(&[r.as_os_str().as_bytes(), b"--format", b"json"]);
    assert_eq!(without.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&without.stderr)
        .contains("2 test files (--include-tests reads them)"));
    let with = inventory(r, &["--include-tests"]);
    assert_eq!(
        spans(&with),
        vec!["tests/it.rs:2-2 it_works", "x_test.go:3-3 TestX"]
    );
    assert!(with["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|i| i["test"] == true));
}

#[test]
fn a_go_module_without_go_mod_names_packages_by_directory() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    write(r, "pkg/a.go", "package pkg\n\nfunc A() {}\n");
    write(r, "pkg/sub/b.go", "package sub\n\nfunc B() {}\n");
    let inv = inventory(r, &[]);
    let items: Vec<String> = inv["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            format!(
                "{} {}",
                i["package"].as_str().unwrap_or("?"),
                i["name"].as_str().unwrap_or("?")
            )
        })
        .collect();
    assert_eq!(items, vec!["pkg A", "pkg/sub B"]);
    assert!(diagnostics(&inv).is_empty(), "{:?}", diagnostics(&inv));
}

#[test]
fn a_cargo_workspace_with_a_missing_member_reads_the_rest() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    write(
        r,
        "Cargo.toml",
        "[workspace]\nmembers = [\"a\", \"missing\", \"gone/*\"]\n",
    );
    write(r, "a/Cargo.toml", "[package]\nname = \"a\"\n");
    write(r, "a/src/lib.rs", "pub fn in_a() {}\n");
    let inv = inventory(r, &[]);
    assert_eq!(spans(&inv), vec!["a/src/lib.rs:1-1 in_a"]);
    assert_eq!(inv["items"][0]["package"], "a");
    let diags = diagnostics(&inv);
    assert!(
        diags.contains(
            &"Cargo.toml: workspace member \"missing\" has no Cargo.toml; it is not read"
                .to_string()
        ),
        "{diags:?}"
    );
}

#[test]
fn no_command_changes_anything_inside_the_tree() {
    use std::os::unix::fs::PermissionsExt;
    for (fixture_dir, source) in [
        ("go/module", "store/store.go"),
        ("rust/workspace", "core/src/lib.rs"),
    ] {
        let repo = copy_fixture(fixture_dir);
        let r = repo.path();
        // Odd entries too: a FIFO, an unreadable file, a symlink loop.
        let _ = std::process::Command::new("mkfifo")
            .arg(r.join("pipe.go"))
            .status();
        write(r, "locked.go", "package a\n");
        std::fs::set_permissions(r.join("locked.go"), std::fs::Permissions::from_mode(0o000))
            .expect("chmod");
        std::os::unix::fs::symlink(r, r.join("loop")).expect("symlink");
        let before = tree_fingerprint(r);
        let out_dir = tempfile::tempdir().expect("tempdir");
        let out_file = out_dir.path().join("out.json");
        let p = r.as_os_str().as_bytes();
        let o = out_file.as_os_str().as_bytes();
        let source = r.join(source);
        let cmds: Vec<Vec<&[u8]>> = vec![
            vec![p],
            vec![p, b"--format", b"json"],
            vec![p, b"--include-tests", b"-j", b"1"],
            vec![p, b"--format", b"json", b"-o", o],
            vec![p, b"-o", o],
            vec![p, b"--parse-only"],
            vec![b"dump-captures", source.as_os_str().as_bytes()],
        ];
        for args in &cmds {
            let out = run(args);
            assert!(
                out.status.success(),
                "{args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert_eq!(
            before,
            tree_fingerprint(r),
            "{fixture_dir}: the tree changed"
        );
    }
}

#[test]
fn output_file_failures_leave_the_old_file_intact() {
    use std::os::unix::fs::PermissionsExt;
    let repo = fixture("go/module");
    let out_dir = tempfile::tempdir().expect("tempdir");
    let target = out_dir.path().join("inv.json");
    std::fs::write(&target, "old contents\n").expect("write");
    let args = |t: &Path| -> Vec<Vec<u8>> {
        vec![
            repo.as_os_str().as_bytes().to_vec(),
            b"--format".to_vec(),
            b"json".to_vec(),
            b"-o".to_vec(),
            t.as_os_str().as_bytes().to_vec(),
        ]
    };

    // 1. A read-only directory: the temp file cannot be created.
    let root_like = ignores_permissions(out_dir.path());
    std::fs::set_permissions(out_dir.path(), std::fs::Permissions::from_mode(0o555))
        .expect("chmod");
    let a = args(&target);
    let out = run(&a.iter().map(Vec::as_slice).collect::<Vec<_>>());
    std::fs::set_permissions(out_dir.path(), std::fs::Permissions::from_mode(0o755))
        .expect("chmod");
    if root_like {
        eprintln!("note: running as root, which may write in a read-only directory; asserting a whole write");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let direct = run(&[repo.as_os_str().as_bytes(), b"--format", b"json"]).stdout;
        assert_eq!(std::fs::read(&target).expect("read"), direct);
        std::fs::write(&target, "old contents\n").expect("write");
    } else {
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.starts_with("planrecon: cannot create a temporary file in"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(&target).expect("read"),
            "old contents\n"
        );
    }

    // 2. The disk fills mid-write (a 1 KiB file size limit; the JSON is
    // larger). Works as root too.
    let bin = env!("CARGO_BIN_EXE_planrecon");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 1; exec \"$@\"")
        .arg("sh")
        .arg(bin)
        .args(a.iter().map(|b| std::ffi::OsStr::from_bytes(b)))
        .output()
        .expect("sh");
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with("planrecon: cannot write"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(
        std::fs::read_to_string(&target).expect("read"),
        "old contents\n"
    );
    // No temp file is left behind.
    assert_eq!(std::fs::read_dir(out_dir.path()).expect("list").count(), 1);

    // 3. The target is a directory: nothing is replaced.
    let as_dir = out_dir.path().join("adir");
    std::fs::create_dir(&as_dir).expect("mkdir");
    write(&as_dir, "keep", "kept\n");
    let a = args(&as_dir);
    let out = run(&a.iter().map(Vec::as_slice).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(as_dir.join("keep")).expect("read"),
        "kept\n"
    );
    assert_eq!(std::fs::read_dir(out_dir.path()).expect("list").count(), 2);
}

#[test]
fn macro_items_keep_their_module_after_an_unlisted_item() {
    // Regression: `const _` is not listed, which put the namespace lookup of
    // macro sites out of step with the listed items.
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    write(r, "Cargo.toml", "[package]\nname = \"z\"\n");
    write(
        r,
        "src/lib.rs",
        "const _: () = ();\nmod outer {\n    m! { pub fn f() {} }\n}\n",
    );
    let inv = inventory(r, &[]);
    let f = inv["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["name"] == "f")
        .expect("f listed");
    assert_eq!(f["namespace"], serde_json::json!(["outer"]));
    assert_eq!(f["line"], 3);
}

#[test]
fn a_hostile_git_config_never_runs_a_command() {
    // `git status` runs `core.fsmonitor` and clean filters from the
    // repository's own config: reading a repository must not execute them.
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .arg("-C")
            .arg(r)
            .args(["-c", "user.email=t@example.com", "-c", "user.name=t"])
            .args(args)
            .status()
            .expect("git");
        assert!(ok.success(), "git {args:?}");
    };
    write(r, "a.go", "package a\n\nfunc A() {}\n");
    write(r, ".gitattributes", "* filter=x\n");
    git(&["init", "-q", "."]);
    git(&["add", "."]);
    git(&["commit", "-qm", "init"]);
    let clean = inventory(r, &[]);
    assert_eq!(clean["dirty"], false);
    let marker = tempfile::tempdir().expect("tempdir");
    for (key, name) in [
        ("core.fsmonitor", "fsmonitor"),
        ("filter.x.clean", "filter"),
    ] {
        let m = marker.path().join(name);
        git(&["config", key, &format!("touch '{}'; cat", m.display())]);
        // A changed mtime makes git re-read (and filter) the file.
        std::thread::sleep(Duration::from_millis(1100));
        write(r, "a.go", "package a\n\nfunc A() {}\n");
        let inv = inventory(r, &[]);
        assert!(!m.exists(), "{key} ran");
        assert_eq!(inv["commit"].as_str().map(str::len), Some(40));
        assert!(
            inv["dirty"].is_null(),
            "{key}: dirtiness is unknown, not guessed"
        );
        git(&["config", "--unset", key]);
    }
}

#[test]
fn hostile_manifests_are_diagnostics_and_sources_still_read() {
    // A Cargo.toml nested 10,000 deep (the TOML parser has a depth limit)
    // and a go.mod with a 200 KB module path.
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    let n = 10_000;
    write(
        r,
        "Cargo.toml",
        format!(
            "[package]\nname = \"t\"\nx = {}{}\n",
            "[".repeat(n),
            "]".repeat(n)
        ),
    );
    write(r, "go.mod", format!("module {}m\n", "a/".repeat(100_000)));
    write(r, "src/lib.rs", "pub fn f() {}\n");
    write(r, "a.go", "package a\n\nfunc G() {}\n");
    let inv = inventory(r, &[]);
    assert_eq!(spans(&inv), vec!["a.go:3-3 G", "src/lib.rs:1-1 f"]);
    let diags = diagnostics(&inv);
    assert!(
        diags.len() == 1
            && diags[0].starts_with("Cargo.toml: invalid Cargo.toml: TOML parse error"),
        "{diags:?}"
    );
}

#[test]
fn twenty_thousand_macro_invocations_stay_linear() {
    // Regression: each macro site looked at every definition of the file to
    // find its namespace (20,000 sites took 15 s in a debug build).
    let tmp = tempfile::tempdir().expect("tempdir");
    let r = tmp.path();
    let n = 20_000;
    let src: String = (0..n)
        .map(|i| format!("m! {{ pub fn f{i}() {{}} }}\npub fn g{i}() {{}}\n"))
        .collect();
    write(r, "lib.rs", &src);
    let started = std::time::Instant::now();
    let inv = inventory(r, &[]);
    let items = inv["items"].as_array().expect("items");
    assert_eq!(items.len(), 2 * n);
    assert_eq!(items.iter().filter(|i| i["in_macro"] == true).count(), n);
    assert_eq!(
        (
            items[2 * n - 2]["name"].as_str(),
            items[2 * n - 2]["line"].as_u64()
        ),
        (Some("f19999"), Some(2 * n as u64 - 1))
    );
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "took {:?}",
        started.elapsed()
    );
}

//! Shared helpers for the CLI tests: run the real binary, read its JSON,
//! project items compactly, and check every citation against the source.

#![allow(dead_code)] // each test binary uses a different subset

pub mod markdown;

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

/// The fixture directory `testdata/<rel>`.
pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rel)
}

/// Run planrecon with `args`; returns the raw output.
///
/// `XDG_CACHE_HOME` points into the target directory so the suite never
/// writes to the real `~/.cache`.
pub fn run(args: &[&str]) -> Output {
    planrecon().args(args).output().expect("run planrecon")
}

/// A command for the planrecon binary with the test environment set (no
/// colour, the extraction cache under the target directory, and git never
/// looking above the temp directory: a fixture copied there is "not a git
/// checkout" even when `TMPDIR` lies inside one, as in a worktree's
/// `target/`).
pub fn planrecon() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_planrecon"));
    cmd.env("NO_COLOR", "1")
        .env(
            "XDG_CACHE_HOME",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("xdg-cache"),
        )
        .env("GIT_CEILING_DIRECTORIES", std::env::temp_dir());
    cmd
}

/// Run planrecon on `dir` with extra args; it must succeed. Returns stdout.
pub fn run_ok(dir: &Path, extra: &[&str]) -> String {
    let mut args = vec![dir.to_str().expect("utf-8 path")];
    args.extend_from_slice(extra);
    let out = run(&args);
    assert!(
        out.status.success(),
        "planrecon failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Run planrecon on `dir` with `--format json` and extra args; parse the JSON.
pub fn inventory(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&run_ok(dir, &args)).expect("valid JSON")
}

/// One line per item and member: `file:line-end kind visibility parent.name [flags]`.
pub fn projection(inv: &Value) -> String {
    let mut out = String::new();
    for item in inv["items"].as_array().expect("items") {
        let parent = item["parent"]
            .as_str()
            .map(|p| format!("{p}."))
            .unwrap_or_default();
        let mut flags = Vec::new();
        if item["in_macro"].as_bool() == Some(true) {
            flags.push("in_macro".to_string());
        }
        if item["generated"].as_bool() == Some(true) {
            flags.push("generated".to_string());
        }
        if item["test"].as_bool() == Some(true) {
            flags.push("test".to_string());
        }
        if let Some(t) = item["trait_impl"].as_str() {
            flags.push(format!("impl {t}"));
        }
        if let Some(ns) = item["namespace"].as_array() {
            let ns: Vec<&str> = ns.iter().filter_map(Value::as_str).collect();
            flags.push(format!("in {}", ns.join("::")));
        }
        let flags = if flags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", flags.join(", "))
        };
        out.push_str(&format!(
            "{}:{}-{} {} {} {}{} @{} | {}{}\n",
            item["file"].as_str().unwrap_or(""),
            item["line"],
            item["end_line"],
            item["kind"].as_str().unwrap_or(""),
            item["visibility"].as_str().unwrap_or(""),
            parent,
            item["name"].as_str().unwrap_or(""),
            item["package"].as_str().unwrap_or(""),
            item["signature"].as_str().unwrap_or(""),
            flags,
        ));
        for m in item["members"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "    {}-{} {} {} {} | {}\n",
                m["line"],
                m["end_line"],
                m["kind"].as_str().unwrap_or(""),
                m["visibility"].as_str().unwrap_or(""),
                m["name"].as_str().unwrap_or(""),
                m["signature"].as_str().unwrap_or(""),
            ));
        }
        for e in item["embeds"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "    {} embed {}\n",
                e["line"],
                e["text"].as_str().unwrap_or("")
            ));
        }
    }
    out
}

/// Check that every item and member name occurs on its cited line and that
/// every range lies inside its file. Returns the number of citations checked.
pub fn assert_citations_hold(root: &Path, inv: &Value) -> usize {
    let mut checked = 0;
    for item in inv["items"].as_array().expect("items") {
        let file = item["file"].as_str().expect("file");
        let text = std::fs::read_to_string(root.join(file)).expect("cited file exists");
        let lines: Vec<&str> = text.split('\n').collect();
        let mut check = |name: &str, line: u64, end: u64| {
            assert!(
                line >= 1 && line <= end,
                "{file}:{line}-{end} is not a range"
            );
            assert!(
                (end as usize) <= lines.len(),
                "{file}:{line}-{end} is past the end"
            );
            let bare = name.strip_prefix("r#").unwrap_or(name);
            assert!(
                lines[line as usize - 1].contains(bare),
                "{file}:{line} does not contain {name:?}: {:?}",
                lines[line as usize - 1]
            );
            checked += 1;
        };
        check(
            item["name"].as_str().expect("name"),
            item["line"].as_u64().expect("line"),
            item["end_line"].as_u64().expect("end_line"),
        );
        for m in item["members"].as_array().into_iter().flatten() {
            check(
                m["name"].as_str().expect("name"),
                m["line"].as_u64().expect("line"),
                m["end_line"].as_u64().expect("end_line"),
            );
        }
    }
    checked
}

/// Hash every file under `dir` (path, permissions and content): a fingerprint
/// to prove a command wrote nothing inside the tree.
pub fn tree_fingerprint(dir: &Path) -> Vec<(String, u64, Vec<u8>)> {
    use std::os::unix::fs::PermissionsExt;
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            let meta = std::fs::symlink_metadata(&p).expect("metadata");
            let rel = p
                .strip_prefix(dir)
                .expect("inside")
                .to_string_lossy()
                .into_owned();
            if meta.is_dir() {
                out.push((rel, u64::from(meta.permissions().mode()), Vec::new()));
                stack.push(p);
            } else if meta.is_file() {
                out.push((
                    rel,
                    u64::from(meta.permissions().mode()),
                    std::fs::read(&p).unwrap_or_default(),
                ));
            } else {
                out.push((rel, u64::from(meta.permissions().mode()), Vec::new()));
            }
        }
    }
    out.sort();
    out
}

/// A fixture copied into a fresh temp dir, under a root directory whose name
/// is the same on every run.
///
/// The root's name is printed in headers, footers and suggested commands, so
/// a random temp name would change token counts from run to run and make
/// budget-bound tests flaky.
pub struct FixtureCopy {
    _tmp: tempfile::TempDir,
    root: PathBuf,
}

impl FixtureCopy {
    /// The copied tree's root (`<temp>/fixture-root`).
    pub fn path(&self) -> &Path {
        &self.root
    }
}

/// The fixed name of every copied fixture's root directory.
pub const FIXTURE_ROOT: &str = "fixture-root";

/// Copy a fixture into a fresh temp dir (so tests can add `.git`, FIFOs, …).
pub fn copy_fixture(rel: &str) -> FixtureCopy {
    let tmp = tempfile::tempdir().expect("tempdir");
    let root = tmp.path().join(FIXTURE_ROOT);
    copy_dir(&fixture(rel), &root);
    FixtureCopy { _tmp: tmp, root }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read fixture") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

/// Run git in `dir` with a fixed identity and dates (commits are
/// reproducible, no global config, no signing); panics on failure and
/// returns the trimmed stdout.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", "2020-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2020-01-01T00:00:00Z")
        .output()
        .expect("run git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Write `text` to `root/rel`, creating parent directories.
pub fn write_file(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

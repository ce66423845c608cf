//! The extraction cache never changes output: after a changed file, with
//! truncated or corrupt entries, and with two processes sharing one cache
//! directory, the output is byte-identical to `--no-cache`. Every test uses
//! its own `--cache-dir` (never the real `~/.cache`).

mod common;

use std::path::{Path, PathBuf};

use common::{copy_fixture, planrecon, tree_fingerprint};

/// Run on `repo` with `args`; returns stdout, and the `--stats` line's
/// "parsed" and "from cache" counts.
fn run_stats(repo: &Path, args: &[&str]) -> (Vec<u8>, usize, usize) {
    let mut json = vec!["--format", "json"];
    json.extend_from_slice(args);
    let (out, line) = stats_line(repo, &json, "stats:");
    (
        out,
        number_after(&line, "parsed"),
        number_after(&line, "from cache"),
    )
}

/// Run on `repo` with `--stats` and `args`; returns stdout and the first
/// stderr line containing `marker`.
fn stats_line(repo: &Path, args: &[&str], marker: &str) -> (Vec<u8>, String) {
    let out = planrecon()
        .arg(repo)
        .arg("--stats")
        .args(args)
        .output()
        .expect("run planrecon");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "planrecon failed: {stderr}");
    let line = stderr
        .lines()
        .find(|l| l.contains(marker))
        .unwrap_or_else(|| panic!("a line with {marker:?}: {stderr}"))
        .to_string();
    (out.stdout, line)
}

fn no_cache(repo: &Path) -> Vec<u8> {
    run_stats(repo, &["--no-cache"]).0
}

/// A repository with both fixtures, outside any git checkout.
fn repo() -> common::FixtureCopy {
    let go = copy_fixture("go/module");
    let rust = copy_fixture("rust/workspace");
    copy_into(rust.path(), &go.path().join("rs"));
    go
}

fn copy_into(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_into(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Every file under `dir`.
fn entries(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.file_type().unwrap().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

/// Header length of a cache record (README "Cache and speed"): magic (8),
/// key (32), payload length (8), payload BLAKE3 (32).
const HEADER: usize = 8 + 32 + 8 + 32;

/// One record of a pack: its file, where its header starts, its payload length.
struct Record {
    pack: PathBuf,
    offset: usize,
    len: usize,
}

/// Every record of every pack under `dir`, read by the documented layout.
fn records(dir: &Path) -> Vec<Record> {
    let mut out = Vec::new();
    for pack in entries(dir) {
        let name = pack.file_name().unwrap().to_string_lossy().into_owned();
        if !(name.starts_with("pack-") && name.ends_with(".pack")) {
            continue;
        }
        let bytes = std::fs::read(&pack).unwrap();
        let mut offset = 0;
        while offset + HEADER <= bytes.len() {
            assert_eq!(&bytes[offset..offset + 8], b"prcache2", "{name}@{offset}");
            let len = u64::from_le_bytes(bytes[offset + 40..offset + 48].try_into().unwrap());
            let len = len as usize;
            out.push(Record {
                pack: pack.clone(),
                offset,
                len,
            });
            offset += HEADER + len;
        }
        assert_eq!(offset, bytes.len(), "{name} ends after its last record");
    }
    out
}

/// Flip the bits of byte `at` of `path`.
fn flip(path: &Path, at: usize) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[at] ^= 0xff;
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn warm_run_parses_nothing_and_touching_one_file_parses_only_it() {
    let repo = repo();
    let cache = tempfile::tempdir().unwrap();
    let c = cache.path().to_str().unwrap();
    let expected = no_cache(repo.path());

    let (cold, parsed, cached) = run_stats(repo.path(), &["--cache-dir", c]);
    assert_eq!(cold, expected);
    assert!(parsed > 5, "cold run parses every file, parsed {parsed}");
    assert_eq!(cached, 0);
    let files = parsed;

    let (warm, parsed, cached) = run_stats(repo.path(), &["--cache-dir", c]);
    assert_eq!(warm, expected);
    assert_eq!(
        (parsed, cached),
        (0, files),
        "warm run reads every file from the cache"
    );

    // A changed file: only it is parsed again, and the output follows it.
    let store = repo.path().join("store/store.go");
    let mut text = std::fs::read_to_string(&store).unwrap();
    text.push_str("\n// Touched is new.\nfunc Touched() int { return 1 }\n");
    std::fs::write(&store, text).unwrap();
    let expected = no_cache(repo.path());
    assert!(String::from_utf8_lossy(&expected).contains("\"Touched\""));
    let (changed, parsed, cached) = run_stats(repo.path(), &["--cache-dir", c]);
    assert_eq!(changed, expected, "output after a change equals --no-cache");
    assert_eq!((parsed, cached), (1, files - 1));

    // The benchmarks' baseline parses every file the cold run did.
    let (_, parsed, cached) = run_stats(repo.path(), &["--parse-only"]);
    assert_eq!(
        (parsed, cached),
        (files, 0),
        "--parse-only parses every file"
    );
}

#[test]
fn truncated_and_corrupt_entries_are_recomputed() {
    let repo = repo();
    let cache = tempfile::tempdir().unwrap();
    let c = cache.path().to_str().unwrap();
    let expected = no_cache(repo.path());
    run_stats(repo.path(), &["--cache-dir", c]);

    let all = records(cache.path());
    assert!(all.len() > 5, "one record per file: {}", all.len());
    let mut damaged = 0;
    for (i, r) in all.iter().enumerate() {
        match i % 4 {
            // The payload, its checksum, the key.
            0 if r.len > 0 => flip(&r.pack, r.offset + HEADER + r.len - 1),
            1 => flip(&r.pack, r.offset + HEADER - 1),
            2 => flip(&r.pack, r.offset + 8),
            _ => continue,
        }
        damaged += 1;
    }
    let (out, parsed, _) = run_stats(repo.path(), &["--cache-dir", c]);
    assert_eq!(out, expected, "damaged entries never change the output");
    assert_eq!(parsed, damaged, "each damaged entry is recomputed");
    // ... and rewritten whole.
    let (again, parsed, _) = run_stats(repo.path(), &["--cache-dir", c]);
    assert_eq!(again, expected);
    assert_eq!(parsed, 0);

    // Packs cut short: the records past the cut are recomputed.
    for pack in entries(cache.path()) {
        let bytes = std::fs::read(&pack).unwrap();
        std::fs::write(&pack, &bytes[..bytes.len() / 2]).unwrap();
    }
    let (cut, parsed, _) = run_stats(repo.path(), &["--cache-dir", c]);
    assert_eq!(cut, expected, "truncated packs never change the output");
    assert!(parsed > 0, "records past the cut are parsed again");
    let (again, parsed, _) = run_stats(repo.path(), &["--cache-dir", c]);
    assert_eq!(again, expected);
    assert_eq!(parsed, 0);
}

#[test]
fn concurrent_processes_share_one_cache_dir() {
    let repo = repo();
    let cache = tempfile::tempdir().unwrap();
    let expected = no_cache(repo.path());
    let children: Vec<_> = (0..4)
        .map(|_| {
            planrecon()
                .arg(repo.path())
                .args(["--format", "json", "--threads", "2", "--cache-dir"])
                .arg(cache.path())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn planrecon")
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            out.stdout, expected,
            "a process sharing the cache differs from --no-cache"
        );
    }
    let (warm, parsed, _) = run_stats(
        repo.path(),
        &["--cache-dir", cache.path().to_str().unwrap()],
    );
    assert_eq!(warm, expected);
    assert_eq!(parsed, 0, "the racing processes left whole entries");
    // No temporary files are left behind.
    let names: Vec<String> = entries(cache.path())
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn no_cache_reads_and_writes_nothing() {
    let repo = repo();
    let xdg = tempfile::tempdir().unwrap();
    let out = planrecon()
        .env("XDG_CACHE_HOME", xdg.path())
        .arg(repo.path())
        .args(["--format", "json", "--stats", "--no-cache"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("stats:"), "{stderr}");
    assert!(
        entries(xdg.path()).is_empty(),
        "the default cache was written"
    );
    // `--cache-dir` would change nothing next to `--no-cache`: refused.
    let cache = tempfile::tempdir().unwrap();
    let c = cache.path().to_str().unwrap();
    let out = planrecon()
        .arg(repo.path())
        .args(["--cache-dir", c, "--no-cache"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(entries(cache.path()).is_empty());
}

#[test]
fn cache_dir_inside_the_repository_is_refused() {
    let repo = repo();
    let inside = repo.path().join("cache");
    let out = planrecon()
        .arg(repo.path())
        .arg("--cache-dir")
        .arg(&inside)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("inside the repository"), "{stderr}");
    assert!(!inside.exists());
}

#[test]
fn default_cache_inside_the_repository_is_not_used() {
    let repo = repo();
    let before = tree_fingerprint(repo.path());
    let out = planrecon()
        .arg(repo.path())
        .env("XDG_CACHE_HOME", repo.path().join(".cache"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        tree_fingerprint(repo.path()),
        before,
        "nothing written inside the repository"
    );
}

#[test]
fn default_cache_dir_follows_xdg_cache_home() {
    let repo = repo();
    let xdg = tempfile::tempdir().unwrap();
    let out = planrecon()
        .arg(repo.path())
        .env("XDG_CACHE_HOME", xdg.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!entries(&xdg.path().join("planrecon")).is_empty());
    // stderr is a pipe here: no progress bar, no stats; only the fixture's
    // syntax errors, one `path:line:col: syntax error…` line each.
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in stderr.lines() {
        let mut parts = line.splitn(4, ':');
        let (_, l, c, rest) = (parts.next(), parts.next(), parts.next(), parts.next());
        assert!(
            l.is_some_and(|l| l.parse::<u32>().is_ok())
                && c.is_some_and(|c| c.parse::<u32>().is_ok())
                && rest.is_some_and(|r| r.starts_with(" syntax error")),
            "{line:?}"
        );
    }
}

/// Run the Markdown report on `repo` with `args`; returns stdout and the
/// reference pass's "parsed" and "from cache" counts, `None` when the whole
/// report came from the report cache.
fn report_stats(repo: &Path, args: &[&str]) -> (Vec<u8>, Option<(usize, usize)>) {
    let out = planrecon()
        .arg(repo)
        .arg("--stats")
        .args(args)
        .output()
        .expect("run planrecon");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "planrecon failed: {stderr}");
    if stderr.contains("stats: report from cache") {
        return (out.stdout.clone(), None);
    }
    let line = stderr
        .lines()
        .find(|l| l.contains("stats: references:"))
        .unwrap_or_else(|| panic!("a references stats line in {stderr}"));
    let count = |label: &str| -> usize {
        let at = line.find(label).expect(label) + label.len();
        line[at..]
            .trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .and_then(|n| n.parse().ok())
            .expect("a count")
    };
    (
        out.stdout.clone(),
        Some((count("parsed"), count("from cache"))),
    )
}

/// The report's references (call and construction sites, data files) are
/// cached per file too: a warm run parses nothing, an edit that only moves
/// lines re-parses only the edited file, and a declaration change elsewhere
/// that changes how an unchanged file resolves is never served stale.
#[test]
fn report_references_follow_every_change() {
    let repo = copy_fixture("go/recon");
    let cache = tempfile::tempdir().unwrap();
    let c = cache.path().to_str().unwrap();
    let no_cache = |repo: &Path| report_stats(repo, &["--no-cache"]).0;

    let expected = no_cache(repo.path());
    let (cold, counts) = report_stats(repo.path(), &["--cache-dir", c]);
    assert_eq!(cold, expected);
    let (parsed, cached) = counts.expect("a cold run builds the report");
    assert!(
        parsed >= 2,
        "the reference pass parses files, parsed {parsed}"
    );
    assert_eq!(cached, 0);
    let (warm, counts) = report_stats(repo.path(), &["--cache-dir", c]);
    assert_eq!(warm, expected);
    assert_eq!(
        counts, None,
        "an unchanged tree is served whole from the cache"
    );

    // Lines move in one file: its hits move, every other file's are reused.
    let main = repo.path().join("cmd/tool/main.go");
    let text = std::fs::read_to_string(&main).unwrap();
    std::fs::write(&main, text.replacen("\nimport", "\n// Moved.\n\nimport", 1)).unwrap();
    let expected = no_cache(repo.path());
    assert!(String::from_utf8_lossy(&expected).contains("`Put` (`cmd/tool/main.go:34`)"));
    let (moved, counts) = report_stats(repo.path(), &["--cache-dir", c]);
    assert_eq!(moved, expected, "output after a move equals --no-cache");
    let (parsed, _) = counts.expect("a changed tree builds the report");
    assert_eq!(parsed, 1, "only the edited file is parsed again");

    // `Open` now returns the interface: `db.Get` in the unchanged main.go
    // becomes a call of `Store.Get`. Its cached hits must not be reused.
    let store = repo.path().join("store/store.go");
    let text = std::fs::read_to_string(&store).unwrap();
    std::fs::write(&store, text.replace("(*DB, error) {", "(Store, error) {")).unwrap();
    let expected = no_cache(repo.path());
    assert!(String::from_utf8_lossy(&expected).contains("`Get` (`cmd/tool/main.go:26`)"));
    let (resolved, _) = report_stats(repo.path(), &["--cache-dir", c]);
    assert_eq!(
        resolved, expected,
        "a declaration change elsewhere re-resolves"
    );

    // Damaged entries are ignored and recomputed.
    for r in records(cache.path()) {
        flip(&r.pack, r.offset + HEADER + r.len.saturating_sub(1));
    }
    let (damaged, counts) = report_stats(repo.path(), &["--cache-dir", c]);
    assert_eq!(damaged, expected);
    assert_eq!(
        counts.map(|(_, cached)| cached),
        Some(0),
        "no damaged entry is used"
    );
}

/// The whole report is served from the cache only when nothing it depends
/// on changed: not after a data file it names disappears (no source file
/// changed), a test file changes (the scan does not read it), the module
/// path changes in `go.mod`, or an option differs.
#[test]
fn report_cache_follows_every_input() {
    let repo = copy_fixture("go/recon");
    let cache = tempfile::tempdir().unwrap();
    let c = cache.path().to_str().unwrap();
    let check = |what: &str, args: &[&str]| {
        let mut no_cache_args = vec!["--no-cache"];
        no_cache_args.extend_from_slice(args);
        let expected = report_stats(repo.path(), &no_cache_args).0;
        let mut cached_args = vec!["--cache-dir", c];
        cached_args.extend_from_slice(args);
        let (first, _) = report_stats(repo.path(), &cached_args);
        assert_eq!(first, expected, "{what}: equals --no-cache");
        let (again, counts) = report_stats(repo.path(), &cached_args);
        assert_eq!(again, expected, "{what}: warm equals --no-cache");
        assert_eq!(counts, None, "{what}: warm run served from the cache");
        String::from_utf8(expected).unwrap()
    };
    let base = check("first run", &[]);
    assert!(base.contains("`cmd/tool/defaults.yaml`"));

    std::fs::remove_file(repo.path().join("cmd/tool/defaults.yaml")).unwrap();
    let no_data = check("data file removed", &[]);
    assert!(!no_data.contains("`cmd/tool/defaults.yaml`"));

    let test_file = repo.path().join("store/store_test.go");
    let text = std::fs::read_to_string(&test_file).unwrap();
    // A second construction site: the report counts them per test file.
    std::fs::write(
        &test_file,
        text.replace("db := DB{}", "db := DB{}\n\t_ = DB{Path: \"x\"}"),
    )
    .unwrap();
    let test_changed = check("test file changed", &[]);
    assert_ne!(
        test_changed, no_data,
        "the test's construction site changed"
    );

    let go_mod = repo.path().join("go.mod");
    let text = std::fs::read_to_string(&go_mod).unwrap();
    std::fs::write(
        &go_mod,
        text.replace("example.com/recon", "example.org/renamed"),
    )
    .unwrap();
    let renamed = check("module renamed", &[]);
    assert!(renamed.contains("Go module `example.org/renamed`"));

    let top1 = check("another option", &["--top", "1"]);
    assert_ne!(top1, renamed);
}

/// The number right after `label` in `line`.
fn number_after(line: &str, label: &str) -> usize {
    let at = line
        .find(label)
        .unwrap_or_else(|| panic!("{label} in {line}"))
        + label.len();
    line[at..]
        .trim_start()
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a count after {label} in {line}"))
}

/// One pass: a report run parses no file twice. Every file the scan parses
/// is resolved from the scan's copy of its syntax; the reference pass
/// parses only the files the scan did not (test files), and the Rust
/// fixture's macro bodies are read from the same copy.
#[test]
fn the_report_parses_each_file_once() {
    for fixture in ["go/recon", "rust/refs"] {
        let repo = copy_fixture(fixture);
        let out = planrecon()
            .arg(repo.path())
            .args(["--stats", "--no-cache"])
            .output()
            .expect("run planrecon");
        assert!(out.status.success(), "{fixture}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let line = |marker: &str| {
            stderr
                .lines()
                .find(|l| l.contains(marker))
                .unwrap_or_else(|| panic!("{marker} in {stderr}"))
                .to_string()
        };
        let scan = line("stats: files");
        let refs = line("stats: references:");
        let files = number_after(&scan, "stats: files");
        let scan_parsed = number_after(&scan, "parsed");
        let refs_parsed = number_after(&refs, "parsed");
        let reused = number_after(&refs, "(");
        assert!(scan_parsed > 0, "{fixture}: {scan}");
        assert_eq!(
            reused, scan_parsed,
            "{fixture}: every file the scan parsed is resolved from its copy: {refs}"
        );
        assert!(
            scan_parsed + (refs_parsed - reused) <= files,
            "{fixture}: no file parsed twice: {scan} / {refs}"
        );
    }
}

/// One pass for `refs` too: cold, the search reads the scan's copy of every
/// file that names the symbol and parses none; warm (the scan's facts from
/// the cache), it parses those files itself, once. The hits are the same.
#[test]
fn refs_parses_each_file_once() {
    for (fixture, symbol, ext) in [
        ("go/refs", "alpha.Config", ".go:"),
        ("rust/refs", "refsfix::beta::Config", ".rs:"),
    ] {
        let repo = copy_fixture(fixture);
        let cache = tempfile::tempdir().expect("cache dir");
        let run = || {
            let out = planrecon()
                .env("XDG_CACHE_HOME", cache.path())
                .args(["refs", symbol, "--include-tests", "--stats", "--repo"])
                .arg(repo.path())
                .output()
                .expect("run planrecon");
            let stderr = String::from_utf8_lossy(&out.stderr).to_string();
            assert!(out.status.success(), "{fixture}: {stderr}");
            let line = |marker: &str| {
                stderr
                    .lines()
                    .find(|l| l.contains(marker))
                    .unwrap_or_else(|| panic!("{marker} in {stderr}"))
                    .to_string()
            };
            let (scan, refs) = (line("stats: files"), line("stats: references:"));
            let files = number_after(&scan, "stats: files");
            let scan_parsed = number_after(&scan, "parsed");
            let refs_parsed = number_after(&refs, "parsed");
            let by_scan = number_after(&refs, "(");
            assert!(
                scan_parsed + (refs_parsed - by_scan) <= files,
                "{fixture}: no file parsed twice: {scan} / {refs}"
            );
            (out.stdout, scan_parsed, refs_parsed, by_scan)
        };
        let (cold, scan_parsed, refs_parsed, by_scan) = run();
        assert!(scan_parsed > 0, "{fixture}: the cold scan parses");
        assert!(by_scan > 0, "{fixture}: the scan's copies are read");
        assert_eq!(refs_parsed, by_scan, "{fixture}: cold, refs parses nothing");
        let (warm, scan_parsed, refs_parsed, by_scan) = run();
        assert_eq!(scan_parsed, 0, "{fixture}: the warm scan reads the cache");
        assert!(
            refs_parsed > 0 && by_scan == 0,
            "{fixture}: warm, refs parses"
        );
        assert_eq!(warm, cold, "{fixture}: same hits cold and warm");
        assert!(
            String::from_utf8_lossy(&cold).contains(ext),
            "{fixture}: hits"
        );
    }
}

/// The report's parse-all baseline (`--parse-only --include-tests
/// --parse-data`) parses the data files the report reads keys from: each
/// YAML, JSON and TOML file the walk lists, not one over the size limit or
/// of another extension.
#[test]
fn parse_data_baseline_parses_the_data_files_the_report_reads() {
    let repo = copy_fixture("go/recon");
    common::write_file(repo.path(), "deploy/values.yml", "replicas: 2\n");
    common::write_file(repo.path(), "conf/limits.json", "{\"max\": 3}\n");
    common::write_file(repo.path(), "conf/tool.toml", "name = \"tool\"\n");
    common::write_file(repo.path(), "conf/notes.txt", "not data\n");
    let big = format!("key: \"{}\"\n", "x".repeat(600 * 1024));
    common::write_file(repo.path(), "conf/huge.yaml", &big);
    let (_, line) = stats_line(
        repo.path(),
        &["--parse-only", "--include-tests", "--parse-data"],
        "data files parsed",
    );
    // defaults.yaml, values.yml, limits.json, tool.toml.
    assert_eq!(number_after(&line, "parsed"), 4, "{line}");
    let report = report_stats(repo.path(), &["--no-cache"]).0;
    let report = String::from_utf8(report).unwrap();
    for listed in ["values.yml", "limits.json", "tool.toml"] {
        assert!(report.contains(listed), "the report reads {listed}");
    }
    assert!(
        !report.contains("huge.yaml` keys"),
        "no keys of a file over the limit"
    );
}

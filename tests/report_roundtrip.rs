//! The report read back by `planrecon check` at its own commit: every
//! citation is `ok` and `--fix` changes nothing, on fixtures that hold the
//! forms real trees tripped on (specs of grouped `type ( … )` declarations
//! copied verbatim into Frozen blocks, trailing field comments stating
//! invariants).

mod common;

use common::markdown::assert_citations_point_at_names;
use common::{copy_fixture, git, planrecon, run_ok};
use serde_json::Value;

/// The citations of `plan` that `check` does not find `ok`, as `status citation`.
fn not_ok(plan: &std::path::Path, repo: &std::path::Path) -> Vec<String> {
    let out = planrecon()
        .arg("check")
        .arg(plan)
        .arg("--repo")
        .arg(repo)
        .args(["--format", "json"])
        .output()
        .expect("run check");
    let json: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("check json: {e}: {}", String::from_utf8_lossy(&out.stderr)));
    let cites: Vec<&Value> = json["plans"]
        .as_array()
        .expect("plans array")
        .iter()
        .flat_map(|p| p["findings"].as_array().expect("findings array"))
        .collect();
    assert!(!cites.is_empty(), "check found no citation");
    cites
        .iter()
        .filter(|c| c["status"] != "ok")
        .map(|c| format!("{} {}", c["status"], c["citation"]))
        .collect()
}

#[test]
fn report_checked_at_its_commit_is_all_ok_and_fix_writes_nothing() {
    for fixture in ["go/grouped", "go/module", "rust/workspace"] {
        let tmp = copy_fixture(fixture);
        let repo = tmp.path();
        git(repo, &["init", "-q"]);
        git(repo, &["add", "-A"]);
        git(repo, &["commit", "-q", "-m", "fixture"]);
        let text = run_ok(repo, &["--no-cache"]);
        // The blocks are verbatim (the bar) and still read as declarations.
        assert_citations_point_at_names(repo, &text);
        let out = tempfile::tempdir().expect("tempdir");
        let plan = out.path().join("report.md");
        std::fs::write(&plan, &text).expect("write");
        let bad = not_ok(&plan, repo);
        assert!(bad.is_empty(), "{fixture}: {bad:#?}");
        let fix = planrecon()
            .arg("check")
            .arg(&plan)
            .arg("--repo")
            .arg(repo)
            .arg("--fix")
            .output()
            .expect("run check --fix");
        assert_eq!(fix.status.code(), Some(0), "{fixture}: check --fix");
        assert_eq!(
            std::fs::read_to_string(&plan).expect("read"),
            text,
            "{fixture}: --fix changed the report"
        );
    }
}

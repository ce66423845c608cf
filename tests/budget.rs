//! The budgeted map (`--budget`): never over budget by the real tokenizer,
//! valid Markdown, every citation holds, ranking that cannot pass by
//! accident, and the same selection as JSON.

mod common;

use std::path::Path;

use common::markdown::{assert_citations_point_at_names, assert_valid_markdown};
use common::{copy_fixture, run, run_ok};
use serde_json::Value;

const BUDGETS: &[usize] = &[500, 2000, 8000, 32000];

fn count_tokens(text: &str, tokenizer: &str) -> usize {
    match tokenizer {
        "cl100k" => tiktoken_rs::cl100k_base()
            .unwrap()
            .encode_ordinary(text)
            .len(),
        _ => tiktoken_rs::o200k_base()
            .unwrap()
            .encode_ordinary(text)
            .len(),
    }
}

fn json_map(root: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    serde_json::from_str(&run_ok(root, &args)).unwrap()
}

/// The bar on one repository: for every budget and both tokenizers the output
/// fits, parses, and every citation holds.
fn assert_bar(root: &Path) {
    for &budget in BUDGETS {
        // Both vocabularies at one budget; the default one at every budget.
        let tokenizers: &[&str] = if budget == 2000 {
            &["o200k", "cl100k"]
        } else {
            &["o200k"]
        };
        for &tokenizer in tokenizers {
            let b = budget.to_string();
            let md = run_ok(root, &["--budget", &b, "--tokenizer", tokenizer]);
            let n = count_tokens(&md, tokenizer);
            assert!(
                n <= budget,
                "{}: {n} tokens over --budget {budget} ({tokenizer})",
                root.display()
            );
            assert_valid_markdown(&md);
            if md.contains("(`") {
                assert_citations_point_at_names(root, &md);
            }
        }
    }
}

#[test]
fn fixtures_fit_every_budget_and_citations_hold() {
    for fixture in [
        "go/module",
        "rust/workspace",
        "go/ranking",
        "go/recon",
        "rust/recon",
    ] {
        let tmp = copy_fixture(fixture);
        assert_bar(tmp.path());
    }
}

#[test]
fn larger_budgets_list_more_and_the_footer_says_what_is_left_out() {
    let tmp = copy_fixture("go/module");
    let small = run_ok(tmp.path(), &["--budget", "500"]);
    let large = run_ok(tmp.path(), &["--budget", "32000"]);
    let listed = |md: &str| {
        md.lines()
            .filter(|l| l.contains(". ") && l.contains("(`"))
            .count()
    };
    assert!(listed(&small) < listed(&large), "{small}\n---\n{large}");
    assert!(small.contains("Left out to fit the budget:"), "{small}");
    assert!(small.contains("--format json"), "{small}");
    assert!(large.contains("Nothing was left out."), "{large}");
    // The header (scope) is always kept.
    for md in [&small, &large] {
        assert!(md.starts_with("# Repository map: "));
        assert!(md.contains("not a git checkout"));
    }
}

#[test]
fn the_interface_every_package_uses_ranks_first_and_the_unused_type_last_of_core() {
    let tmp = copy_fixture("go/ranking");
    let inv = json_map(tmp.path(), &["--budget", "100000"]);
    let items = inv["items"].as_array().unwrap();
    assert_eq!(items[0]["name"], "Store", "{items:#?}");
    assert_eq!(items[0]["rank"], 1);
    let pos = |name: &str| items.iter().position(|i| i["name"] == name).unwrap();
    // Orphan is referenced from nowhere: everything referenced ranks above it.
    assert!(pos("Helper") < pos("Orphan"));
    assert_eq!(items[pos("Orphan")]["score"], 0.0);
}

#[test]
fn focus_on_a_leaf_ranks_its_own_declarations_and_callees_before_unrelated_ones() {
    let tmp = copy_fixture("go/ranking");
    let inv = json_map(tmp.path(), &["--budget", "100000", "--focus", "leaf"]);
    let items = inv["items"].as_array().unwrap();
    let pos = |pkg: &str, name: &str| {
        items
            .iter()
            .position(|i| i["name"] == name && i["package"].as_str().unwrap().ends_with(pkg))
            .unwrap()
    };
    for own_or_called in [
        ("leaf", "Leaf"),
        ("leaf", "Run"),
        ("beta", "Helper"),
        ("core", "Store"),
    ] {
        for unrelated in [
            ("island", "Palm"),
            ("island", "Grow"),
            ("alpha", "Load"),
            ("gamma", "Service"),
        ] {
            assert!(
                pos(own_or_called.0, own_or_called.1) < pos(unrelated.0, unrelated.1),
                "{own_or_called:?} should rank above {unrelated:?}"
            );
        }
    }
    assert_eq!(items[pos("leaf", "Leaf")]["focus"], true);
    assert_eq!(items[pos("island", "Palm")]["focus"], false);
    // The focus's frozen interfaces are in the Markdown, verbatim.
    let md = run_ok(tmp.path(), &["--budget", "8000", "--focus", "leaf"]);
    assert!(md.contains("## Frozen interfaces of the focus"), "{md}");
    assert!(
        md.contains("```go\n// leaf/leaf.go:10-12\ntype Leaf struct {"),
        "{md}"
    );
    assert_citations_point_at_names(tmp.path(), &md);
}

#[test]
fn focus_frozen_interfaces_survive_the_smallest_budget_that_fits_them() {
    let tmp = copy_fixture("go/ranking");
    let md = run_ok(tmp.path(), &["--budget", "500", "--focus", "leaf"]);
    assert!(md.contains("// leaf/leaf.go:10-12"), "{md}");
    assert!(count_tokens(&md, "o200k") <= 500);
    // Below what the header and the focus need: a clear error, exit 2.
    let out = run(&[
        tmp.path().to_str().unwrap(),
        "--budget",
        "40",
        "--focus",
        "leaf",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--budget 40 is too small"), "{err}");
}

#[test]
fn json_selection_matches_the_markdown_and_carries_rank_and_cost() {
    let tmp = copy_fixture("rust/workspace");
    let md = run_ok(tmp.path(), &["--budget", "2000"]);
    let inv = json_map(tmp.path(), &["--budget", "2000"]);
    let items = inv["items"].as_array().unwrap();
    let listed = md
        .lines()
        .filter(|l| {
            l.split_once(". ")
                .is_some_and(|(n, _)| n.parse::<usize>().is_ok())
        })
        .count();
    assert_eq!(items.len(), listed);
    assert_eq!(inv["budget"], 2000);
    assert_eq!(inv["tokenizer"], "o200k_base");
    assert!(inv["tokens"].as_u64().unwrap() <= 2000);
    for (i, item) in items.iter().enumerate() {
        assert_eq!(item["rank"], i + 1);
        assert!(item["tokens"].as_u64().unwrap() > 0);
        assert!(item["file"].is_string() && item["line"].is_u64() && item["signature"].is_string());
    }
}

#[test]
fn output_is_identical_across_thread_counts() {
    let tmp = copy_fixture("go/ranking");
    let a = run_ok(tmp.path(), &["--budget", "2000", "--threads", "1"]);
    let b = run_ok(tmp.path(), &["--budget", "2000", "--threads", "8"]);
    assert_eq!(a, b);
    let a = run_ok(
        tmp.path(),
        &[
            "--budget", "2000", "--format", "json", "--focus", "beta", "-j", "1",
        ],
    );
    let b = run_ok(
        tmp.path(),
        &[
            "--budget", "2000", "--format", "json", "--focus", "beta", "-j", "8",
        ],
    );
    assert_eq!(a, b);
}

#[test]
fn bad_budget_arguments_exit_2() {
    let tmp = copy_fixture("go/ranking");
    let p = tmp.path().to_str().unwrap();
    let out = run(&[p, "--budget", "0"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&[p, "--budget", "2000", "--focus", "nowhere"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--focus nowhere matches no package"));
}

/// `PLANRECON_CORPUS=dir:dir cargo test --test budget -- --ignored`: the bar on
/// real repositories.
#[test]
#[ignore = "needs PLANRECON_CORPUS"]
fn corpus_passes_the_bar() {
    let Ok(dirs) = std::env::var("PLANRECON_CORPUS") else {
        return;
    };
    for dir in dirs.split(':').filter(|d| !d.is_empty()) {
        assert_bar(Path::new(dir));
    }
}

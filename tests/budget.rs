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
    let listed = |md: &str| md.lines().filter(|l| l.starts_with("- `")).count();
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
    let mut items = inv["items"].as_array().unwrap().clone();
    items.sort_by_key(|i| i["rank"].as_u64().unwrap());
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
    let mut items = inv["items"].as_array().unwrap().clone();
    items.sort_by_key(|i| i["rank"].as_u64().unwrap());
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
    // Below what the header needs: a clear error, exit 2.
    let out = run(&[
        tmp.path().to_str().unwrap(),
        "--budget",
        "20",
        "--focus",
        "leaf",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--budget 20 is too small"), "{err}");
}

/// Every package of the fixture as the focus: the frozen interfaces cannot be
/// printed verbatim at small budgets, so they degrade and the run succeeds.
#[test]
fn a_focus_never_exits_2_its_frozen_interfaces_degrade_instead() {
    let tmp = copy_fixture("go/mapv2");
    let all = [
        "--focus",
        "sim",
        "--focus",
        "sim/workload",
        "--focus",
        "cmd",
        "--focus",
        "internal/testutil",
    ];
    let mut levels = Vec::new();
    for budget in ["150", "250", "400", "2000"] {
        let mut args = vec!["--budget", budget];
        args.extend_from_slice(&all);
        let md = run_ok(tmp.path(), &args);
        assert!(
            count_tokens(&md, "o200k") <= budget.parse().unwrap(),
            "{md}"
        );
        assert_valid_markdown(&md);
        assert_citations_point_at_names(tmp.path(), &md);
        let json = json_map(tmp.path(), &args);
        levels.push(json["frozen_level"].as_str().unwrap().to_string());
    }
    assert_eq!(levels.last().unwrap(), "verbatim", "{levels:?}");
    assert_ne!(levels[0], "verbatim", "{levels:?}");
    // Richest at the largest budget: the levels never get richer as it shrinks.
    let order = |l: &str| {
        ["verbatim", "signatures", "names"]
            .iter()
            .position(|x| *x == l)
    };
    for w in levels.windows(2) {
        assert!(order(&w[0]) >= order(&w[1]), "{levels:?}");
    }
}

#[test]
fn focus_is_order_independent_and_any_file_or_directory_is_valid() {
    let tmp = copy_fixture("go/mapv2");
    let a = run_ok(
        tmp.path(),
        &[
            "--budget",
            "1000",
            "--focus",
            "sim",
            "--focus",
            "sim/workload",
        ],
    );
    let b = run_ok(
        tmp.path(),
        &[
            "--budget",
            "1000",
            "--focus",
            "sim/workload",
            "--focus",
            "sim",
        ],
    );
    assert_eq!(a, b);
    // A file holding only a package comment, a directory without code, a
    // file that is not code: valid targets.
    for target in ["sim/workload/doc.go", "docs", "docs/notes.md", "./sim/"] {
        run_ok(tmp.path(), &["--budget", "1000", "--focus", target]);
    }
    // A path that does not exist still fails, naming it.
    let p = tmp.path().to_str().unwrap();
    let out = run(&[p, "--budget", "1000", "--focus", "sim/nowhere.go"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("sim/nowhere.go"));
}

#[test]
fn entries_are_one_signature_line_and_package_paths_are_written_once() {
    let tmp = copy_fixture("go/mapv2");
    let md = run_ok(tmp.path(), &["--budget", "4000"]);
    // The 11-line `var runCmd = &Command{…}` is cut to its name.
    assert!(
        md.contains("- `cmd/root.go:15-25` `var runCmd = …`"),
        "{md}"
    );
    assert!(!md.contains("func(args []string) {"), "{md}");
    let decls = md.split("## Declarations").nth(1).unwrap();
    for pkg in ["example.com/mapv2/sim`", "example.com/mapv2/cmd`"] {
        assert_eq!(decls.matches(pkg).count(), 1, "{pkg} in\n{decls}");
    }
    // Every entry is one line: a citation then the signature.
    for l in decls.lines().filter(|l| l.starts_with("- ")) {
        assert!(l.starts_with("- `") && l.contains(".go:"), "{l}");
    }
}

#[test]
fn the_packages_table_shrinks_with_the_budget() {
    let tmp = copy_fixture("go/mapv2");
    let rows = |budget: &str| {
        let md = run_ok(tmp.path(), &["--budget", budget]);
        let table: Vec<&str> = md.lines().filter(|l| l.starts_with("| `")).collect();
        let tokens = count_tokens(&table.join("\n"), "o200k");
        (table.len(), tokens)
    };
    let (small, small_tokens) = rows("300");
    let (large, _) = rows("8000");
    assert_eq!(large, 4);
    assert!(small < large, "{small} rows at 300, {large} at 8000");
    assert!(small_tokens <= 30, "{small_tokens} tokens of table at 300");
}

#[test]
fn private_items_and_test_shims_rank_below_the_public_api_unless_focused() {
    let tmp = copy_fixture("go/mapv2");
    let names = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["--budget", "100000"];
        args.extend_from_slice(extra);
        let mut items: Vec<Value> = json_map(tmp.path(), &args)["items"]
            .as_array()
            .unwrap()
            .clone();
        items.sort_by_key(|i| i["rank"].as_u64().unwrap());
        items
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_string())
            .collect()
    };
    let plain = names(&[]);
    let pos = |v: &[String], n: &str| v.iter().position(|x| x == n).unwrap();
    // `clamp` is called from every file of `sim`, more than any public
    // function; it still ranks below the public API of its package.
    for public in [
        "Request",
        "NewRequest",
        "Queue",
        "Push",
        "Batch",
        "Generate",
    ] {
        assert!(
            pos(&plain, public) < pos(&plain, "clamp"),
            "{public}: {plain:?}"
        );
    }
    // The test shim's exported helpers rank below the public API too.
    assert!(
        pos(&plain, "Execute") < pos(&plain, "FakeRequest"),
        "{plain:?}"
    );
    // A focus on its file pulls `clamp` up among the first entries.
    let focused = names(&["--focus", "sim/sim.go"]);
    assert!(pos(&focused, "clamp") < 3, "{focused:?}");
}

/// The citations the Markdown prints, in order: entry lines and frozen blocks.
fn markdown_citations(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    for l in md.lines() {
        if l.starts_with("- `") && l.ends_with("`)") && l.contains("` (`") {
            // A frozen interface by name: "- `Name` (`path:a-b`)".
            out.push(
                l.rsplit("(`")
                    .next()
                    .unwrap()
                    .trim_end_matches("`)")
                    .to_string(),
            );
        } else if let Some(rest) = l.strip_prefix("// ") {
            out.push(rest.to_string());
        } else if let Some(rest) = l.strip_prefix("- `") {
            out.push(rest.split('`').next().unwrap().to_string());
        }
    }
    out
}

#[test]
fn json_selection_matches_the_markdown_and_carries_rank_and_cost() {
    for (fixture, focus) in [
        ("rust/workspace", None),
        ("go/mapv2", Some("sim")),
        ("go/ranking", Some("leaf")),
    ] {
        let tmp = copy_fixture(fixture);
        for budget in ["300", "2000"] {
            let mut args = vec!["--budget", budget];
            if let Some(f) = focus {
                args.extend(["--focus", f]);
            }
            let md = run_ok(tmp.path(), &args);
            let inv = json_map(tmp.path(), &args);
            let items = inv["items"].as_array().unwrap();
            let cited: Vec<String> = items
                .iter()
                .map(|i| {
                    let (l, e) = (i["line"].as_u64().unwrap(), i["end_line"].as_u64().unwrap());
                    let file = i["file"].as_str().unwrap();
                    if i["section"] == "frozen" && inv["frozen_level"] == "verbatim" {
                        // The verbatim block ends where the copied text ends.
                        format!("{file}:{l}")
                    } else if e > l {
                        format!("{file}:{l}-{e}")
                    } else {
                        format!("{file}:{l}")
                    }
                })
                .collect();
            let printed = markdown_citations(&md);
            assert_eq!(
                printed.len(),
                cited.len(),
                "{fixture} {budget}:\n{md}\n{cited:?}"
            );
            for (p, c) in printed.iter().zip(&cited) {
                assert!(
                    p == c || p.starts_with(&format!("{c}-")),
                    "{p} vs {c}\n{md}"
                );
            }
            assert_eq!(inv["budget"], budget.parse::<u64>().unwrap());
            assert_eq!(inv["tokenizer"], "o200k_base");
            assert_eq!(
                inv["tokens"].as_u64().unwrap() as usize,
                count_tokens(&md, "o200k")
            );
            if focus.is_some() {
                assert!(items.iter().any(|i| i["section"] == "frozen"), "{md}");
            }
            let mut total = 0;
            for item in items {
                let t = item["tokens"].as_u64().unwrap();
                assert!(t > 0 && item["rank"].as_u64().unwrap() > 0);
                total += t;
            }
            assert!(total <= inv["tokens"].as_u64().unwrap());
            if focus.is_none() {
                // The most central declarations: ranks 1..=n, grouped by package.
                let mut ranks: Vec<u64> =
                    items.iter().map(|i| i["rank"].as_u64().unwrap()).collect();
                ranks.sort_unstable();
                assert_eq!(ranks, (1..=items.len() as u64).collect::<Vec<_>>());
            }
        }
    }
}

/// The ranking reads the symbol graph's exact uses: a call through an import
/// alias (`x.Open()`, `x` naming `alpha`) counts for `alpha.Open` and not for
/// `beta.Open`, which has the same name; a method call whose receiver type is
/// unknown (`f.Frobnicate()` on an `os.File`, matched by name only: inferred)
/// counts for nothing, however often it is made.
#[test]
fn ranking_counts_exact_uses_only_never_inferred_or_same_name_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join(common::FIXTURE_ROOT);
    let w = |rel: &str, text: &str| common::write_file(&root, rel, text);
    w("go.mod", "module example.com/m\n\ngo 1.22\n");
    w(
        "alpha/alpha.go",
        "package alpha\n\n// Open opens.\nfunc Open() int { return 1 }\n\n\
         // Widget spins.\ntype Widget struct{ n int }\n\n\
         // Frobnicate spins it.\nfunc (w *Widget) Frobnicate() { w.n++ }\n",
    );
    w(
        "beta/beta.go",
        "package beta\n\n// Open opens too.\nfunc Open() int { return 2 }\n",
    );
    for c in ["c1", "c2", "c3"] {
        w(
            &format!("{c}/{c}.go"),
            &format!(
                "package {c}\n\nimport x \"example.com/m/alpha\"\n\n// Use uses.\nfunc Use() int {{ return x.Open() }}\n"
            ),
        );
    }
    let spins = "\tf.Frobnicate()\n".repeat(5);
    w(
        "c4/c4.go",
        &format!("package c4\n\nimport \"os\"\n\n// Spin spins.\nfunc Spin() {{\n\tf, _ := os.Open(\"a\")\n{spins}}}\n"),
    );
    let map = json_map(&root, &["--budget", "2000"]);
    let score = |file: &str, name: &str| -> f64 {
        map["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["file"] == file && i["name"] == name)
            .unwrap_or_else(|| panic!("{file} {name} not listed: {map:#}"))["score"]
            .as_f64()
            .unwrap()
    };
    assert!(score("alpha/alpha.go", "Open") > 0.0, "{map:#}");
    assert_eq!(score("beta/beta.go", "Open"), 0.0, "{map:#}");
    assert_eq!(score("alpha/alpha.go", "Frobnicate"), 0.0, "{map:#}");
    assert_eq!(map["items"][0]["name"], "Open", "{map:#}");
    assert_eq!(map["items"][0]["file"], "alpha/alpha.go", "{map:#}");
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

//! The JSON inventory of the fixture repositories: what is extracted, where,
//! and that every citation holds.

mod common;

use common::{assert_citations_hold, fixture, inventory, projection, run};

#[test]
fn go_module_items_snapshot() {
    let inv = inventory(&fixture("go/module"), &[]);
    insta::assert_snapshot!("go_module_items", projection(&inv));
}

#[test]
fn go_module_with_tests_adds_only_test_items() {
    let without = inventory(&fixture("go/module"), &[]);
    let with = inventory(&fixture("go/module"), &["--include-tests"]);
    let test_items: Vec<String> = with["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["test"] == true)
        .map(|i| {
            format!(
                "{}:{} {}",
                i["file"].as_str().unwrap(),
                i["line"],
                i["name"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        test_items,
        vec![
            "store/store_test.go:5 fixture",
            "store/store_test.go:7 TestSum"
        ]
    );
    assert_eq!(
        with["items"].as_array().unwrap().len(),
        without["items"].as_array().unwrap().len() + 2
    );
}

#[test]
fn rust_workspace_items_snapshot() {
    let inv = inventory(&fixture("rust/workspace"), &[]);
    insta::assert_snapshot!("rust_workspace_items", projection(&inv));
}

#[test]
fn rust_workspace_with_tests_snapshot() {
    let inv = inventory(&fixture("rust/workspace"), &["--include-tests"]);
    let tests: String = projection(&inv)
        .lines()
        .filter(|l| l.contains("[test"))
        .map(|l| format!("{l}\n"))
        .collect();
    insta::assert_snapshot!("rust_workspace_test_items", tests);
}

#[test]
fn packages_snapshot() {
    for (name, dir) in [
        ("go_packages", "go/module"),
        ("rust_packages", "rust/workspace"),
    ] {
        let inv = inventory(&fixture(dir), &[]);
        let mut out = String::new();
        for p in inv["packages"].as_array().unwrap() {
            out.push_str(&format!(
                "{} name={} dir={} files={} tests={} lines={} doc={}\n",
                p["path"].as_str().unwrap(),
                p["name"].as_str().unwrap(),
                p["dir"].as_str().unwrap(),
                p["files"],
                p["test_files"],
                p["lines"],
                match (&p["doc"], &p["doc_file"], &p["doc_line"]) {
                    (serde_json::Value::String(d), f, l) => format!(
                        "{:?}@{}:{}",
                        d.lines().next().unwrap_or(""),
                        f.as_str().unwrap(),
                        l
                    ),
                    _ => "none".into(),
                }
            ));
        }
        insta::assert_snapshot!(name, out);
    }
}

#[test]
fn every_citation_names_its_item() {
    for (dir, extra) in [
        ("go/module", &[][..]),
        ("go/module", &["--include-tests"][..]),
        ("rust/workspace", &[][..]),
        ("rust/workspace", &["--include-tests"][..]),
    ] {
        let inv = inventory(&fixture(dir), extra);
        let n = assert_citations_hold(&fixture(dir), &inv);
        assert!(n > 20, "{dir}: only {n} citations");
    }
}

#[test]
fn top_level_schema() {
    let inv = inventory(&fixture("go/module"), &[]);
    let mut keys: Vec<&str> = inv
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        vec![
            "commit",
            "diagnostics",
            "dirty",
            "items",
            "packages",
            "root",
            "schema_version",
            "scope"
        ]
    );
    assert_eq!(inv["schema_version"], 1);
    assert_eq!(inv["root"], "module");
    let item = &inv["items"][0];
    for key in [
        "language",
        "package",
        "kind",
        "name",
        "parent",
        "file",
        "line",
        "end_line",
        "visibility",
        "signature",
        "doc",
        "generated",
        "in_macro",
        "members",
        "embeds",
    ] {
        assert!(item.get(key).is_some(), "item lacks {key}");
    }
}

#[test]
fn syntax_errors_are_diagnostics_and_the_rest_is_extracted() {
    let inv = inventory(&fixture("go/module"), &[]);
    let diags = inv["diagnostics"].as_array().unwrap();
    assert!(diags
        .iter()
        .any(|d| d["file"] == "broken/broken.go" && d["line"] == 5));
    let names: Vec<&str> = inv["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"] == "broken/broken.go")
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Good") && names.contains(&"AfterError"),
        "{names:?}"
    );
}

#[test]
fn generated_go_files_are_marked_and_line_directives_ignored() {
    let inv = inventory(&fixture("go/module"), &[]);
    let color = inv["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "Color")
        .unwrap();
    assert_eq!(color["generated"], true);
    // `//line color.y:1` sits on line 5; the type is on physical line 6.
    assert_eq!(color["line"], 6);
    let store = inv["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["name"] == "Store")
        .unwrap();
    assert_eq!(store["generated"], false);
}

#[test]
fn output_is_identical_across_thread_counts_and_runs() {
    for dir in ["go/module", "rust/workspace"] {
        let path = fixture(dir);
        let p = path.to_str().unwrap();
        let one = run(&[p, "--format", "json", "--threads", "1"]).stdout;
        let eight = run(&[p, "--format", "json", "--threads", "8"]).stdout;
        let again = run(&[p, "--format", "json", "--threads", "8"]).stdout;
        assert!(!one.is_empty());
        assert_eq!(one, eight, "{dir}: --threads 1 and 8 differ");
        assert_eq!(eight, again, "{dir}: two runs differ");
        let md1 = run(&[p, "--threads", "1"]).stdout;
        let md8 = run(&[p, "--threads", "8"]).stdout;
        assert_eq!(md1, md8, "{dir}: markdown differs across thread counts");
    }
}

#[test]
fn lang_filter_reads_only_that_language() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.go"), "package a\n\nfunc A() {}\n").unwrap();
    std::fs::write(tmp.path().join("b.rs"), "pub fn b() {}\n").unwrap();
    let go = inventory(tmp.path(), &["--lang", "go"]);
    let langs: Vec<&str> = go["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["language"].as_str().unwrap())
        .collect();
    assert_eq!(langs, vec!["go"]);
    let both = inventory(tmp.path(), &["--lang", "rust,go"]);
    assert_eq!(both["items"].as_array().unwrap().len(), 2);
}

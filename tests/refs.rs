//! `planrecon refs` on fixture repositories: every hit and every non-hit of
//! names shared by two types, method names shared by two interfaces or traits,
//! calls in comments and strings, and packages imported under an alias.

mod common;

use common::{fixture, run};
use serde_json::Value;

/// Run `refs` with `--format json` and project each hit on one line:
/// `file:line:col kind symbol [flags] in enclosing`.
fn refs(repo: &str, args: &[&str]) -> String {
    let dir = fixture(repo);
    let mut all = vec!["refs", "--repo", dir.to_str().expect("utf-8 path"), "--format", "json"];
    all.extend_from_slice(args);
    let out = run(&all);
    assert!(out.status.success(), "refs failed: {}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let mut lines = String::new();
    for h in v["hits"].as_array().expect("hits") {
        let mut flags = Vec::new();
        if h["inferred"].as_bool() == Some(true) {
            let c: Vec<&str> = h["candidates"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            flags.push(if c.is_empty() { "inferred".to_string() } else { format!("inferred among {}", c.join(" ")) });
        }
        if h["test"].as_bool() == Some(true) {
            flags.push("test".into());
        }
        if h["empty"].as_bool() == Some(true) {
            flags.push("empty".into());
        }
        let flags = if flags.is_empty() { String::new() } else { format!(" [{}]", flags.join(", ")) };
        lines.push_str(&format!(
            "{}:{}:{} {} {}{} in {}\n",
            h["file"].as_str().unwrap_or(""),
            h["line"],
            h["column"],
            h["kind"].as_str().unwrap_or(""),
            h["symbol"].as_str().unwrap_or(""),
            flags,
            h["enclosing"].as_str().unwrap_or("-"),
        ));
    }
    lines
}

#[test]
fn go_dump() {
    println!("{}", refs("go/refs", &["alpha.Config", "alpha.NewConfig", "Store.Get", "beta.Cache.Get", "beta.Config", "--include-tests"]));
    println!("{}", refs("rust/refs", &["alpha::Config", "beta::Config", "Store::get", "Cache::get", "Config::new", "--include-tests"]));
}

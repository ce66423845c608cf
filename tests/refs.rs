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
    let mut all = vec![
        "refs",
        "--repo",
        dir.to_str().expect("utf-8 path"),
        "--format",
        "json",
    ];
    all.extend_from_slice(args);
    let out = run(&all);
    assert!(
        out.status.success(),
        "refs failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let mut lines = String::new();
    for h in v["hits"].as_array().expect("hits") {
        let mut flags = Vec::new();
        if h["inferred"].as_bool() == Some(true) {
            let c: Vec<&str> = h["candidates"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            flags.push(if c.is_empty() {
                "inferred".to_string()
            } else {
                format!("inferred among {}", c.join(" "))
            });
        }
        if h["test"].as_bool() == Some(true) {
            flags.push("test".into());
        }
        if h["empty"].as_bool() == Some(true) {
            flags.push("empty".into());
        }
        let flags = if flags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", flags.join(", "))
        };
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

const GO_SYMBOLS: &[&str] = &[
    "alpha.Config",
    "alpha.NewConfig",
    "Store.Get",
    "beta.Cache.Get",
    "beta.Config",
];

#[test]
fn go_hits_resolve_aliases_shared_names_and_receivers() {
    let mut args = GO_SYMBOLS.to_vec();
    args.push("--include-tests");
    // Not hits: the calls in the comment (app.go:9) and the string (app.go:12);
    // `db.Get` (app.go:16:37, a DB method, not the interface's); app's own
    // `NewConfig()` (app.go:33); `type Config`/`type Store` declarations.
    // `alpha.NewConfig` names the function, not the method `DB.NewConfig`.
    // `m["x"].Get` is an element of `map[string]al.Store`: exact.
    let expected = "\
alpha/alpha.go:10:19 type example.com/refs/alpha.Config in NewConfig
alpha/alpha.go:11:10 construct example.com/refs/alpha.Config in NewConfig
alpha/alpha.go:21:7 type example.com/refs/alpha.Config in -
alpha/alpha.go:36:27 type example.com/refs/alpha.Config in DB.NewConfig
app/app.go:11:12 call example.com/refs/alpha.NewConfig in Run
app/app.go:13:7 construct example.com/refs/alpha.Config in Run
app/app.go:14:7 construct example.com/refs/beta.Config [empty] in Run
app/app.go:16:11 call example.com/refs/alpha.Store.Get in Run
app/app.go:16:24 call example.com/refs/beta.Cache.Get in Run
app/app.go:16:56 call example.com/refs/alpha.Store.Get in Run
app/app.go:24:17 call example.com/refs/alpha.Store.Get in holder.lookup
app/app.go:28:23 type example.com/refs/beta.Config in NewConfig
app/app.go:29:9 construct example.com/refs/beta.Config in NewConfig
app/app.go:32:19 type example.com/refs/beta.Config in local
app/app_test.go:10:7 construct example.com/refs/alpha.Config [test] in TestRun
app/app_test.go:11:8 call example.com/refs/alpha.NewConfig [test] in TestRun
gamma/gamma.go:40:12 call example.com/refs/alpha.NewConfig in Serve
";
    assert_eq!(refs("go/refs", &args), expected);
}

#[test]
fn go_tests_are_excluded_unless_asked_and_kinds_filter() {
    let hits = refs("go/refs", &["alpha.Config", "alpha.NewConfig"]);
    assert!(!hits.contains("app_test.go"), "{hits}");
    assert!(hits.contains("app/app.go:11:12 call"), "{hits}");
    let constructs = refs("go/refs", &["beta.Config", "--kind", "construct"]);
    assert_eq!(
        constructs,
        "app/app.go:14:7 construct example.com/refs/beta.Config [empty] in Run\n\
         app/app.go:29:9 construct example.com/refs/beta.Config in NewConfig\n"
    );
}

#[test]
fn go_full_import_path_names_the_package() {
    let hits = refs(
        "go/refs",
        &["example.com/refs/beta.Config", "--kind", "type"],
    );
    assert_eq!(
        hits,
        "app/app.go:28:23 type example.com/refs/beta.Config in NewConfig\n\
         app/app.go:32:19 type example.com/refs/beta.Config in local\n"
    );
}

#[test]
fn ambiguous_names_list_the_candidates_and_exit_2() {
    let dir = fixture("go/refs");
    let out = run(&["refs", "Config", "--repo", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("\"Config\" is ambiguous"), "{err}");
    assert!(
        err.contains("example.com/refs/alpha.Config (struct at alpha/alpha.go:5-7)"),
        "{err}"
    );
    assert!(
        err.contains("example.com/refs/beta.Config (struct at beta/beta.go:5-7)"),
        "{err}"
    );
    let out = run(&["refs", "Get", "--repo", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    for c in ["alpha.DB.Get", "alpha.Store.Get", "beta.Cache.Get"] {
        assert!(err.contains(c), "{c} missing: {err}");
    }
    let out = run(&["refs", "NoSuchThing", "--repo", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no declaration matches"));
}

#[test]
fn text_output_starts_with_path_and_line() {
    let dir = fixture("go/refs");
    let out = run(&["refs", "alpha.NewConfig", "--repo", dir.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "app/app.go:11: call example.com/refs/alpha.NewConfig in Run: cfg := al.NewConfig()\n\
         gamma/gamma.go:40: call example.com/refs/alpha.NewConfig in Serve: cfg := al.NewConfig()\n"
    );
}

#[test]
fn rust_hits_resolve_use_aliases_traits_and_macros() {
    let args = [
        "alpha::Config",
        "beta::Config",
        "Store::get",
        "Cache::get",
        "Config::new",
        "--include-tests",
    ];
    // Not hits: the calls in the doc comment (app.rs:6) and the string
    // (app.rs:9); the local `Config` (app.rs:17-21); `e.len()`.
    // `m.get` and `boxed.get` (through `Box`) call `Mem`'s impl of `Cache`;
    // `self.get` in the trait's default method is exact; `c.get` on a type
    // parameter bounded by `Cache` (user.rs) calls the trait's method, though
    // three types declare `get`; `t.get` in other.rs is not a hit.
    // `alpha::Config::new()` uses the type in its path (8:13) and constructs it.
    let expected = "\
src/alpha.rs:8:6 type refsfix::alpha::Config in -
src/alpha.rs:11:9 construct refsfix::alpha::Config in Config::new
src/app.rs:8:13 construct refsfix::alpha::Config in run
src/app.rs:8:13 type refsfix::alpha::Config in run
src/app.rs:8:28 call refsfix::alpha::Config::new in run
src/app.rs:10:13 construct refsfix::beta::Config in run
src/app.rs:11:13 construct refsfix::alpha::Config in run
src/app.rs:12:20 call refsfix::alpha::Store::get in run
src/app.rs:12:32 call refsfix::beta::Cache::get in run
src/app.rs:12:48 call refsfix::beta::Cache::get in run
src/app.rs:24:11 call refsfix::beta::Cache::get in through_field
src/app.rs:35:17 construct refsfix::beta::Config [test] in builds
src/beta.rs:14:14 call refsfix::beta::Cache::get in Cache::get_twice
src/beta.rs:14:31 call refsfix::beta::Cache::get in Cache::get_twice
src/user.rs:6:7 call refsfix::beta::Cache::get in generic
";
    assert_eq!(refs("rust/refs", &args), expected);
    let no_tests = refs("rust/refs", &args[..5]);
    assert!(!no_tests.contains("[test]"), "{no_tests}");
    assert!(no_tests.contains("src/app.rs:24:11"), "{no_tests}");
}

#[test]
fn rust_type_uses() {
    let expected = "\
src/app.rs:7:30 type refsfix::beta::Mem in run
src/app.rs:7:46 type refsfix::beta::Mem in run
src/app.rs:28:10 type refsfix::beta::Mem in -
src/beta.rs:23:16 type refsfix::beta::Mem in -
src/user.rs:9:24 type refsfix::beta::Mem in reexported
";
    assert_eq!(refs("rust/refs", &["Mem", "--kind", "type"]), expected);
    // Through the crate-root re-export `pub use beta::Mem`.
    assert_eq!(
        refs("rust/refs", &["Mem", "--kind", "construct"]),
        "src/user.rs:10:5 construct refsfix::beta::Mem in reexported\n"
    );
}

#[test]
fn output_does_not_depend_on_the_thread_count() {
    let args = [
        "alpha::Config",
        "beta::Config",
        "Store::get",
        "Cache::get",
        "--include-tests",
    ];
    let mut one = args.to_vec();
    one.extend(["--threads", "1"]);
    let mut eight = args.to_vec();
    eight.extend(["--threads", "8"]);
    let a = refs("rust/refs", &one);
    assert!(!a.is_empty());
    assert_eq!(a, refs("rust/refs", &eight));
}

#[test]
fn go_fields_embedding_values_and_standard_method_names() {
    let args = [
        "gamma.Server.Addr",
        "gamma.Base.ID",
        "gamma.Base.Describe",
        "gamma.Server.Set",
        "gamma.Limit",
        "gamma.Handler",
        "alpha.Config.Name",
    ];
    // Keys of literals and `x.f` through a known type; `s.ID` and
    // `s.Describe()` are promoted from the embedded `Base`; `Handler` and
    // `Limit` are values. `r.Header.Set` (net/http's Header) is no hit of
    // `Server.Set`, exact or inferred.
    let expected = "\
alpha/alpha.go:11:17 field example.com/refs/alpha.Config.Name in NewConfig
alpha/alpha.go:31:15 field example.com/refs/alpha.Config.Name in DB.Get
app/app.go:13:17 field example.com/refs/alpha.Config.Name in Run
app/app.go:13:27 field example.com/refs/alpha.Config.Name in Run
app/app.go:16:69 field example.com/refs/alpha.Config.Name in Run
gamma/gamma.go:38:15 field example.com/refs/gamma.Server.Addr in Serve
gamma/gamma.go:38:39 field example.com/refs/gamma.Base.ID in Serve
gamma/gamma.go:39:4 call example.com/refs/gamma.Base.Describe in Serve
gamma/gamma.go:41:10 field example.com/refs/alpha.Config.Name in Serve
gamma/gamma.go:42:8 value example.com/refs/gamma.Handler in Serve
gamma/gamma.go:43:11 field example.com/refs/gamma.Base.ID in Serve
gamma/gamma.go:43:16 value example.com/refs/gamma.Limit in Serve
";
    assert_eq!(refs("go/refs", &args), expected);
}

#[test]
fn rust_variants_values_macros_globs_and_call_results() {
    let args = [
        "Severity",
        "Severity::Warning",
        "Severity::Error",
        "is_bad",
        "make",
        "Finding::line",
        "Sized2::len",
        "Sized2::unique_name_here",
    ];
    // `Severity::Warning` names the enum (type) and the variant; `Warning`
    // and `Error(n)` come in through `use Severity::*`; `is_bad` is a value
    // in `vec![is_bad]`; `assert_eq!(make(2)…)` is read as code; `y.len()`
    // on a `Vec` is no hit of `Sized2::len`; `opaque()` returns `impl Sized`,
    // so `unique_name_here` is matched by name, inferred, with its one candidate.
    let expected = "\
src/shapes.rs:14:19 type refsfix::shapes::Severity in -
src/shapes.rs:19:32 type refsfix::shapes::Severity in Finding::severity
src/shapes.rs:26:25 type refsfix::shapes::Severity in make
src/shapes.rs:26:35 value refsfix::shapes::Severity::Warning in make
src/shapes.rs:26:44 field refsfix::shapes::Finding::line in make
src/shapes.rs:31:26 type refsfix::shapes::Severity in is_bad
src/shapes.rs:31:36 call refsfix::shapes::Severity::Error in is_bad
src/shapes.rs:35:37 call refsfix::shapes::is_bad in check
src/shapes.rs:36:17 call refsfix::shapes::make in check
src/shapes.rs:37:16 call refsfix::shapes::make in check
src/shapes.rs:37:37 value refsfix::shapes::Severity::Warning in check
src/shapes.rs:38:49 value refsfix::shapes::is_bad in check
src/shapes.rs:40:9 type refsfix::shapes::Severity in check
src/shapes.rs:40:19 value refsfix::shapes::Severity::Warning in check
src/shapes.rs:40:56 field refsfix::shapes::Finding::line in check
src/shapes.rs:41:9 value refsfix::shapes::Severity::Error in check
src/shapes.rs:61:28 call refsfix::shapes::Sized2::unique_name_here [inferred among refsfix::shapes::Sized2::unique_name_here] in unknown
";
    assert_eq!(refs("rust/refs", &args), expected);
}

#[test]
fn rust_paths_through_other_modules_use_declarations() {
    let args = [
        "usesfix::config::Config",
        "Config::new",
        "Config::verbose",
        "kind::Kind::Config",
        "kind::Kind::Plain",
        "kind::Level",
        "consumer::Sum",
        "Consumer::Folder",
        "Sum::Folder",
        "consumer::T::boxed",
        "--include-tests",
    ];
    // child.rs reaches `Config` and `Kind` through `use super::*` and the
    // root's `pub(crate) use`, `Level` through the root's `as Grade`, `Sum`
    // through the root's glob re-export, and `Config(_)` is the variant
    // through the function's own `use Kind::*`. In mixed.rs two globs of one
    // scope bring in a `Config` each: no exact hit, only an inferred one by
    // name. tests/outside.rs goes through the prelude's re-exports. `Self::Folder`
    // is the trait's associated type, never `Sum`'s; `item.boxed()` on a
    // type parameter is not the blanket impl's method.
    let expected = "\
src/child.rs:5:19 type usesfix::config::Config in build
src/child.rs:6:13 construct usesfix::config::Config in build
src/child.rs:6:13 type usesfix::config::Config in build
src/child.rs:6:21 call usesfix::config::Config::new in build
src/child.rs:7:10 field usesfix::config::Config::verbose in build
src/child.rs:8:16 construct usesfix::config::Config in build
src/child.rs:8:25 field usesfix::config::Config::verbose in build
src/child.rs:17:9 value usesfix::kind::Kind::Config in name
src/child.rs:18:15 value usesfix::kind::Kind::Plain in name
src/child.rs:22:20 type usesfix::kind::Level in graded
src/child.rs:23:5 type usesfix::kind::Level in graded
src/child.rs:26:27 type usesfix::consumer::Sum in summed
src/child.rs:27:12 value usesfix::consumer::Sum in summed
src/config.rs:6:6 type usesfix::config::Config in -
src/config.rs:8:9 construct usesfix::config::Config in Config::new
src/config.rs:8:18 field usesfix::config::Config::verbose in Config::new
src/consumer.rs:4:35 type usesfix::consumer::Consumer::Folder in Consumer::into_folder
src/consumer.rs:9:19 type usesfix::consumer::Sum in -
src/consumer.rs:11:35 type usesfix::consumer::Consumer::Folder in Sum::into_folder
src/mixed.rs:6:17 type usesfix::config::Config [inferred among usesfix::config::Config] in is_config
tests/outside.rs:5:12 type usesfix::config::Config [test] in outside
tests/outside.rs:5:21 construct usesfix::config::Config [test] in outside
tests/outside.rs:5:21 type usesfix::config::Config [test] in outside
tests/outside.rs:5:29 call usesfix::config::Config::new [test] in outside
tests/outside.rs:6:16 field usesfix::config::Config::verbose [test] in outside
";
    assert_eq!(refs("rust/uses", &args), expected);
}

#[test]
fn rust_receivers_through_mut_and_expression_bindings_and_deep_macros() {
    // `other` is a `mut` parameter, `d` a `mut` binding of a call, `c` a
    // binding of `&h.config`; `(h.hook)()` calls the field; the `assert_eq!`
    // arguments are three macro levels deep (`assert_eq!`, `vec!`, `vec!`).
    let expected = "\
src/lib.rs:9:18 field bindfix::Config::verbose in Config::new
src/lib.rs:19:16 field bindfix::Holder::config in through
src/lib.rs:21:7 field bindfix::Config::verbose in through
src/lib.rs:21:20 field bindfix::Holder::hook in through
src/lib.rs:22:11 field bindfix::Config::verbose in through
src/lib.rs:22:23 field bindfix::Config::verbose in through
src/lib.rs:23:40 field bindfix::Config::verbose in through
src/lib.rs:23:63 field bindfix::Config::verbose in through
src/lib.rs:24:11 field bindfix::Config::verbose in through
";
    let args = ["Config::verbose", "Holder::hook", "Holder::config"];
    assert_eq!(refs("rust/bindings", &args), expected);
}

#[test]
fn rust_trait_methods_on_standard_types() {
    // `Chunky` is implemented for `Vec<u8>`: `v.chunky_len()` calls it, but
    // `v.len()` is `Vec`'s own method, which wins over any trait's.
    assert_eq!(
        refs("rust/bindings", &["Chunky::chunky_len", "Chunky::len"]),
        "src/lib.rs:47:7 call bindfix::ext::Chunky::chunky_len in chunks\n"
    );
}

#[test]
fn rust_lone_pattern_identifiers_are_variants_or_constants_in_scope() {
    // `Fast`, `Slow | Off` come in through the function's `use Mode::*`,
    // `LIMIT` is the module's constant; `other` binds a new name.
    let expected = "\
src/lib.rs:61:9 value bindfix::Mode::Fast in speed
src/lib.rs:62:9 value bindfix::Mode::Slow in speed
src/lib.rs:62:16 value bindfix::Mode::Off in speed
src/lib.rs:65:9 value bindfix::LIMIT in speed
";
    let args = ["Mode::Fast", "Mode::Slow", "Mode::Off", "LIMIT"];
    assert_eq!(refs("rust/bindings", &args), expected);
}

#[test]
fn rust_standard_paths_never_name_a_repository_item_sharing_their_segments() {
    // `std::future::Future` ends like the variant `future::…::MaybeDone::Future`
    // of this crate; only `MaybeDone::Future(f)` names it.
    assert_eq!(
        refs("rust/stdpaths", &["MaybeDone::Future"]),
        "src/a.rs:6:16 call stdpaths::future::maybe_done::MaybeDone::Future in run\n"
    );
}

#[test]
fn rust_receivers_through_bounds_branches_and_standard_returns() {
    // `c: C` with `C: Cache` (in the parameter list or a `where` clause) and
    // `c: impl Cache` call the trait's method; `S: Cache + Store` names two
    // traits with a `fetch`, so `s.fetch` stays unresolved. `chosen` and
    // `picked` are bound by `if` and `match`; `first`, `head`, `got` and
    // `all.get(0)` are an `Entry` through `iter().next()`, `first()`,
    // `Option<Entry>` and `unwrap()`; `Code::Failed` is a `Code`: all exact,
    // none inferred.
    let expected = "\
src/lib.rs:31:7 call recvfix::Cache::fetch in bounded
src/lib.rs:38:7 call recvfix::Cache::fetch in with_where
src/lib.rs:42:7 call recvfix::Cache::fetch in opaque
src/lib.rs:55:12 call recvfix::Entry::weight in branches
src/lib.rs:55:30 call recvfix::Entry::weight in branches
src/lib.rs:61:17 call recvfix::Cache::fetch in std_returns
src/lib.rs:62:11 call recvfix::Entry::weight in std_returns
src/lib.rs:62:27 call recvfix::Entry::weight in std_returns
src/lib.rs:62:42 call recvfix::Entry::weight in std_returns
src/lib.rs:62:73 call recvfix::Entry::weight in std_returns
src/lib.rs:76:18 call recvfix::Code::exit in stop
";
    let args = [
        "Cache::fetch",
        "Store::fetch",
        "Entry::weight",
        "Code::exit",
    ];
    assert_eq!(refs("rust/receivers", &args), expected);
}

#[test]
fn go_result_types_read_their_own_files_imports_and_variadics_are_slices() {
    // `Get` returns `*ast.Task` in executor.go, whose import names
    // taskfile/ast; a second package named `ast` (rc/ast) declares a `Task`
    // too, so neither the package name nor the type name decides alone.
    assert_eq!(
        refs(
            "go/samename",
            &["example.com/same/v2/taskfile/ast.Task.Deps"]
        ),
        "run.go:8:15 field example.com/same/v2/taskfile/ast.Task.Deps in Executor.run\n"
    );
    // `opts ...Option` is a `[]Option`: ranged and indexed, its elements are
    // `Option`s.
    assert_eq!(
        refs("go/samename", &["Option.Apply"]),
        "executor.go:21:5 call example.com/same/v2.Option.Apply in Executor.Options\n\
         executor.go:23:10 call example.com/same/v2.Option.Apply in Executor.Options\n"
    );
}

#[test]
fn rust_receivers_whose_chase_loops_back_take_the_branch_that_leaves_the_loop() {
    // A binding is read as the last one of its name in the scope, so `c`
    // inside `let c = … c.clone() …` chases itself. The branches that
    // leave the loop (`Conn::open()`) give `c` its type: exact. In `lost`
    // every branch loops, so `d.transmit()` is only inferred, by name.
    let expected = "\
src/lib.rs:16:19 call loopfix::Conn::open in reconnect
src/lib.rs:17:48 call loopfix::Conn::open in reconnect
src/lib.rs:20:24 call loopfix::Conn::open in reconnect
src/lib.rs:22:7 call loopfix::Conn::transmit in reconnect
src/lib.rs:26:19 call loopfix::Conn::open in lost
src/lib.rs:28:7 call loopfix::Conn::transmit [inferred among loopfix::Conn::transmit] in lost
";
    assert_eq!(
        refs("rust/loops", &["Conn::transmit", "Conn::open"]),
        expected
    );
}

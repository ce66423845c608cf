//! The Markdown report: snapshots of a Go and a Rust fixture that exercise
//! every section, and the bar of the report: every citation points at the
//! name written before it, frozen blocks are verbatim, the Markdown parses as
//! CommonMark (with GFM tables), and the output is deterministic.

mod common;

use std::path::Path;

use common::markdown::{assert_citations_point_at_names, assert_valid_markdown};
use common::{copy_fixture, run, run_ok, FixtureCopy, FIXTURE_ROOT};

/// The report of a fixture copied to a temp dir (no git: no commit in the output).
fn report(fixture: &str, extra: &[&str]) -> (FixtureCopy, String) {
    let tmp = copy_fixture(fixture);
    let text = run_ok(tmp.path(), extra);
    (tmp, text)
}

/// The root directory's name is an artefact of the test: normalize it.
fn normalized(_tmp: &FixtureCopy, text: &str) -> String {
    text.replace(FIXTURE_ROOT, "<root>")
}

const SECTIONS: &[&str] = &[
    "## Appendix: Repository Recon",
    "### 1. Top-level packages and responsibilities",
    "### 2. Core data structures and interfaces",
    "### 3. Extension points",
    "### 4. CLI surface",
    "### 5. Key invariants and assumptions",
    "### 6. Data and configuration files",
    "### 7. Module boundaries and architectural constraints",
    "### Open uncertainties",
    "## Frozen Interfaces",
];

fn assert_sections_in_order(md: &str) {
    let mut at = 0;
    for s in SECTIONS {
        let i = md[at..]
            .find(s)
            .unwrap_or_else(|| panic!("missing or out of order: {s}"));
        at += i + s.len();
    }
}

#[test]
fn go_report_snapshot_and_bar() {
    let (tmp, md) = report("go/recon", &[]);
    assert_sections_in_order(&md);
    assert_valid_markdown(&md);
    let n = assert_citations_point_at_names(tmp.path(), &md);
    assert!(n > 30, "only {n} citations");
    // Facts the Go fixture is built to show.
    for want in [
        // Packages keyed by directory, the module path once.
        "Go module `example.com/recon` (`go.mod`)",
        "| `store/mem/` | 1 | 33 | Package mem is an in-memory store driver. (`store/mem/mem.go:1`) |",
        // No package doc: inferred from what it declares, cited.
        "| `broken/` | 1 | 7 | *inferred*: declares `Good` (`broken/broken.go:4`) +1 |",
        // Fields and methods compactly, the file written once.
        "   - fields (`store/store.go`): `Path`:35, `ReadOnly`:36, `backend`:37",
        "implementors (*inferred* from method names and arity): `DB` (`store/store.go:34-38`), `Mem` (`store/mem/mem.go:11-13`)",
        "   - calls: `Get` (`store/store.go:55`), `Put` (`cmd/tool/main.go:32`), `Put` (`store/store.go:63`)",
        "   - `DB` in tests (1 site): `store/store_test.go` ×1",
        "- `Store` (`store/store.go:14-17`) interface: 2 implementors",
        // Flags: registrations with type, default and bound variable.
        // One command for all: said once, not per row.
        "4 registrations (persistent flags first, then by file), all on tool:",
        "| `--db` | `cmd/tool/main.go:15` | string | `\"data.db\"` | — |\n",
        "| `--out` | `cmd/tool/main.go:19` | string | `\"\"` | `out` |\n",
        "- *contract* `INV` (`store/store.go:13`) of `Store`:14",
        "- *guard* `panic` (`store/store.go:61`): `panic(\"store: Put on a read-only DB\")`",
        // Data files with their top-level keys (line N of the file before them).
        "- `cmd/tool/defaults.yaml` keys `retries`:1: named by `flag.String` at `cmd/tool/main.go:34`",
        "- Init-time registrations: `Register` (`store/mem/mem.go:7`)",
        "- Built only where `linux` (`internal/codec/codec_linux.go:1`) holds: 1 file",
        "1 file generated (edit their generator, not them), e.g. `internal/gen/gen.go`",
        // Frozen: the struct, its constructor and methods in one block.
        "```go\n// store/store.go:41\nfunc Open(driver, path string) (*DB, error)\n```\n\n```go\n// store/store.go:54\nfunc (db *DB) Get(key string) ([]byte, error)\n```",
    ] {
        assert!(md.contains(want), "missing {want:?}");
    }
    // The module-root `internal/` can be imported by the whole module: no boundary to state.
    assert!(!md.contains("`internal/` boundaries"), "{md}");
    insta::assert_snapshot!("go_recon_report", normalized(&tmp, &md));
}

#[test]
fn extension_points_guards_and_contracts_snapshot() {
    let (tmp, md) = report("go/grouped", &[]);
    assert_sections_in_order(&md);
    assert_valid_markdown(&md);
    assert_citations_point_at_names(tmp.path(), &md);
    for want in [
        // The names a factory accepts, and the flag that carries one.
        "  - factory by name: `New` (`policy/policy.go:31-39`)\n    - names it accepts (`policy/policy.go`): `\"fifo\"`:33, `\"lifo\"`:35\n    - carried by (*inferred*: a flag whose default is one of these names): `--policy` (`cmd/qd/main.go:13`)",
        "`Valid` (`policy/policy.go:25`) keys `\"fifo\"`:26, `\"lifo\"`:27",
        // A config key whose value is one of the names carries it.
        "    - config keys carrying one (*inferred*: a YAML/JSON/TOML value equal to one of these names): `queue.policy` (`config.yaml:3`)",
        // The contract in the doc of an interface's method.
        "- *contract* `must` (`policy/policy.go:8`) of `Policy.Next`:9: Next returns the index of the request to run; it must be in range.",
        // A validation guard with its condition and message; not `panic(err)`.
        "- *guard* `fmt.Errorf` (`queue/queue.go:24-26`): `if capacity <= 0 { return nil, fmt.Errorf(\"queue: capacity must be positive, got %d\", capacity) }`",
        // The contract comment of an exported method.
        "- *contract* `must` (`queue/queue.go:30-31`) of `Push`:32: Callers must not push after Close.",
        // A trailing field comment is its own line's invariant.
        "- *stated* `INV` (`queue/queue.go:16`): at most this many (INV-1: len(items) \\<= capacity)",
    ] {
        assert!(md.contains(want), "missing {want:?}");
    }
    assert!(!md.contains("`panic(err)`"), "{md}");
    insta::assert_snapshot!("go_grouped_report", normalized(&tmp, &md));
}

#[test]
fn rust_report_snapshot_and_bar() {
    let (tmp, md) = report("rust/recon", &[]);
    assert_sections_in_order(&md);
    assert_valid_markdown(&md);
    assert_citations_point_at_names(tmp.path(), &md);
    for want in [
        // A crates table, modules one line each beneath it.
        "| `recon_core` | `core/` | 3 | 111 | Core engine: storage backends behind one trait. (`core/src/lib.rs:1`) |",
        "| `recon_core::store` | In-memory backend. (`core/src/store.rs:1`) |",
        "implementors (`impl` blocks): `MemStore` (`core/src/store.rs:20`)",
        "   - constructed: `MemStore` (`cli/src/main.rs:36`), `MemStore` (`core/src/codec.rs:20`), `MemStore` (`core/src/store.rs:16`)",
        "`SAFETY` (`core/src/store.rs:26`)",
        "| `--verbose` | `cli/src/main.rs:14-15` | `bool` | — | `verbose` | `Args` |",
        // clap's spelling, the field's type, the default and the subcommand variant.
        "| `--max-entries` | `cli/src/main.rs:17-18` | `usize` | `64` | `limit` | `Args` |",
        "| `--name` | `cli/src/main.rs:29-30` | `String` | — | `key_name` | `drop` |",
        "- Import cycle: `recon_core::codec` ↔ `recon_core::store`",
        "- `core/src/schema.json` keys `type`:1: named by `include_str!` at `core/src/codec.rs:24`",
        // Methods under their impl header, the trait's own not repeated.
        "Under `impl Engine`:\n\n```rust\n// core/src/lib.rs:24\n    pub fn new(backend: Box<dyn Backend>) -> Engine\n```",
    ] {
        assert!(md.contains(want), "missing {want:?}");
    }
    assert!(
        !md.contains("impl Backend {"),
        "a trait's methods are in its block"
    );
    assert!(
        !md.contains("| `--action` |") && !md.contains("`action` |"),
        "a `#[clap(subcommand)]` field registers no flag"
    );
    insta::assert_snapshot!("rust_recon_report", normalized(&tmp, &md));
}

#[test]
fn output_is_deterministic_across_runs_and_threads() {
    for fixture in ["go/recon", "rust/recon"] {
        let tmp = copy_fixture(fixture);
        let dir = tmp.path().to_str().expect("utf-8");
        let a = run(&[dir, "-j", "1"]).stdout;
        let b = run(&[dir, "-j", "4"]).stdout;
        let c = run(&[dir, "-j", "4"]).stdout;
        assert_eq!(a, b, "{fixture}: thread count changed the report");
        assert_eq!(b, c, "{fixture}: two runs differ");
    }
}

#[test]
fn sections_pick_what_is_printed() {
    let (_t, recon) = report("go/recon", &["--section", "recon"]);
    assert!(
        recon.contains("## Appendix: Repository Recon") && !recon.contains("## Frozen Interfaces")
    );
    let (_t, frozen) = report("go/recon", &["--section", "frozen"]);
    assert!(!frozen.contains("## Appendix") && frozen.contains("## Frozen Interfaces"));
    assert!(
        frozen.contains("# Repository Recon:"),
        "the header is always printed"
    );
}

#[test]
fn top_limits_lists_and_points_at_the_rest() {
    let (tmp, md) = report("rust/recon", &["--top", "1"]);
    // One entry per ranked list; what is left out is counted, with where to see it.
    assert!(
        md.contains("1. `Backend`") && !md.contains("2. `MemStore`"),
        "{md}"
    );
    // The table is a ranked list too: counted per package, unexported ones apart.
    assert!(
        md.contains("- +3 more types (`--focus DIR` lists a package's): `recon_core` 2, `recon_core::store` 1."),
        "{md}"
    );
    assert!(md.contains("- 2 unexported types not listed"), "{md}");
    assert!(
        md.contains("- +5 more invariants and guards (`--focus PKG`"),
        "{md}"
    );
    assert!(md.contains("- +3 more flags (`--focus PKG`"), "{md}");
    assert!(md.contains("| `--key` |"), "one flag row is shown: {md}");
    assert_valid_markdown(&md);
    assert_citations_point_at_names(tmp.path(), &md);
}

/// A generated module of 80 packages, each with 12 structs of 8 fields, a
/// method per struct, an interface and a flag: far more than the limits
/// hold, so every list must be fitted and counted, never cut silently.
fn big_go_tree() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    common::write_file(tmp.path(), "go.mod", "module example.com/big\n\ngo 1.21\n");
    for p in 0..80 {
        let mut src = format!(
            "// Package p{p} is generated package number {p}.\npackage p{p}\n\nimport \"flag\"\n\n"
        );
        src.push_str(&format!(
            "var limit{p} = flag.Int(\"limit-{p}\", {p}, \"a limit\")\n\n"
        ));
        src.push_str(&format!("type Doer{p} interface {{\n\tDo() error\n}}\n\n"));
        for s in 0..12 {
            src.push_str(&format!("type T{p}x{s} struct {{\n"));
            for f in 0..8 {
                src.push_str(&format!("\tField{f} int\n"));
            }
            src.push_str("}\n\n");
            src.push_str(&format!(
                "func (t *T{p}x{s}) Do() error {{ return nil }}\n\n"
            ));
        }
        common::write_file(tmp.path(), &format!("pkg/g{}/p{p}/p{p}.go", p % 8), &src);
    }
    tmp
}

fn o200k(text: &str) -> usize {
    tiktoken_rs::o200k_base_singleton()
        .encode_ordinary(text)
        .len()
}

#[test]
fn report_sizes_are_bounded_and_nothing_is_cut_silently() {
    let tmp = big_go_tree();
    let recon = run_ok(tmp.path(), &["--section", "recon"]);
    let whole = run_ok(tmp.path(), &[]);
    assert!(o200k(&recon) <= 15_000, "recon: {} tokens", o200k(&recon));
    assert!(o200k(&whole) <= 25_000, "report: {} tokens", o200k(&whole));
    // 80 × 13 types: what does not fit is counted, flags too.
    assert!(
        recon.contains("more types (`--focus DIR` lists a package's): `pkg/g"),
        "{recon}"
    );
    assert!(recon.contains("more flags (`--focus PKG`"), "{recon}");
    // Packages rolled up into their parents rather than dropped.
    assert!(
        recon.contains("*rolled up*") || recon.contains("| `pkg/g0/p0/` |"),
        "{recon}"
    );
    assert_valid_markdown(&whole);
    assert_citations_point_at_names(tmp.path(), &whole);
}

#[test]
fn focus_keeps_named_packages_and_direct_neighbours() {
    let (tmp, md) = report("go/recon", &["--focus", "mem"]);
    assert!(md.contains("Focus: `example.com/recon/cmd/tool`, `example.com/recon/store`, `example.com/recon/store/mem`"), "{md}");
    assert!(
        !md.contains("| `broken/`"),
        "broken is not a neighbour of mem"
    );
    assert!(
        !md.contains("| `internal/codec/` |"),
        "codec is two steps away"
    );
    assert_citations_point_at_names(tmp.path(), &md);
    let out = run(&[tmp.path().to_str().expect("utf-8"), "--focus", "nosuch"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--focus \"nosuch\" matches no package"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one-line error: {err}");
}

#[test]
fn existing_fixtures_pass_the_bar() {
    for fixture in ["go/module", "rust/workspace"] {
        let (tmp, md) = report(fixture, &["--include-tests"]);
        assert_valid_markdown(&md);
        assert_citations_point_at_names(tmp.path(), &md);
    }
}

/// `PLANRECON_CORPUS=/work/corpus/bbolt cargo test --test report -- --ignored`
/// checks the bar on a real repository.
#[test]
#[ignore = "needs PLANRECON_CORPUS pointing at a repository"]
fn corpus_passes_the_bar() {
    let Ok(dirs) = std::env::var("PLANRECON_CORPUS") else {
        return;
    };
    for dir in dirs.split(':') {
        let out = run(&[dir]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let md = String::from_utf8(out.stdout).expect("utf-8");
        assert_valid_markdown(&md);
        let n = assert_citations_point_at_names(Path::new(dir), &md);
        eprintln!("{dir}: {n} citations hold");
    }
}

#[test]
fn init_registrations_leave_flags_to_the_cli_table_and_count_repeats() {
    let (_t, md) = report("go/initregs", &[]);
    assert!(
        md.contains(
            "- Init-time registrations: `Bind` (`main.go:14`) ×3, `Register` (`main.go:17`)\n"
        ),
        "{md}"
    );
    assert!(md.contains("| `--name` | `main.go:13` |"), "{md}");
}

#[test]
fn sibling_main_programs_are_one_row_unless_focused() {
    let section1 = |md: &str| {
        let start = md.find("### 1.").expect("section 1");
        let end = md.find("### 2.").expect("section 2");
        md[start..end].to_string()
    };
    let (_t, md) = report("go/programs", &["--section", "recon"]);
    let md = section1(&md);
    assert!(
        md.contains(
            "| `examples/` | 5 in 5 packages | 25 | 5 `main` programs, *rolled up* (`--focus examples` \
             lists them): `alpha`, `beta`, `delta`, `epsilon`, +1 |"
        ),
        "{md}"
    );
    assert!(!md.contains("| `examples/alpha/` |"), "{md}");
    // One program is no crowd: it keeps its row.
    assert!(md.contains("| `cmd/tool/` | 1 |"), "{md}");
    let (_t, focused) = report(
        "go/programs",
        &["--section", "recon", "--focus", "examples"],
    );
    let focused = section1(&focused);
    assert!(focused.contains("| `examples/alpha/` | 1 |"), "{focused}");
    assert!(!focused.contains("*rolled up*"), "{focused}");
}

/// A module of 50 exported structs (and 2 unexported ones): more than the
/// detailed entries hold, so the long tail is the compact table.
fn tail_go_tree() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    common::write_file(tmp.path(), "go.mod", "module example.com/tail\n\ngo 1.21\n");
    let mut src = String::from("// Package model holds the data.\npackage model\n\n");
    for s in 0..50 {
        src.push_str(&format!(
            "type T{s:02} struct {{\n\tA int\n\tB string\n}}\n\n"
        ));
        src.push_str(&format!("func (t *T{s:02}) Get() int {{ return t.A }}\n\n"));
    }
    src.push_str("type hidden struct{}\n\ntype secret struct{}\n");
    common::write_file(tmp.path(), "model/model.go", &src);
    // Uses from another package rank T00..T09 first.
    let mut main =
        String::from("package main\n\nimport \"example.com/tail/model\"\n\nfunc main() {\n");
    for s in 0..10 {
        main.push_str(&format!("\t_ = model.T{s:02}{{}}\n"));
    }
    main.push_str("}\n");
    common::write_file(tmp.path(), "cmd/app/main.go", &main);
    tmp
}

#[test]
fn every_exported_type_appears_once_on_a_small_tree() {
    let tmp = tail_go_tree();
    let md = run_ok(tmp.path(), &[]);
    let types = &md[md.find("### 2.").expect("section 2")..md.find("### 3.").expect("section 3")];
    for s in 0..50 {
        let name = format!("`T{s:02}`");
        let entries = types.matches(&format!(". {name} (")).count();
        let rows = types.matches(&format!("| {name} |")).count();
        assert_eq!(
            entries + rows,
            1,
            "{name}: {entries} entries, {rows} rows\n{types}"
        );
    }
    assert!(types.contains("- 2 unexported types not listed"), "{types}");
    assert!(
        !types.contains("more types"),
        "nothing is left out: {types}"
    );
    assert_valid_markdown(&md);
    assert_citations_point_at_names(tmp.path(), &md);
    let table = &types[types.find("Further types").expect("the table")..];
    let table = &table[..table.find("Functions and methods").unwrap_or(table.len())];
    insta::assert_snapshot!("go_tail_table", table);
}

#[test]
fn kong_command_structs_are_the_cli_surface() {
    let (_t, md) = report("go/kong", &[]);
    let start = md.find("### 4.").expect("section 4");
    let end = md.find("### 5.").expect("section 5");
    // Root flags first (they apply to every command), then by file; kong's
    // spelling of each field (`MaxHTTPConns` → `--max-http-conns`); `kong:"-"`,
    // unexported and `cmd:""` fields are no flags; an embedded group is one
    // row, its own fields listed once as `embedded`.
    assert_eq!(
        &md[start..end],
        "### 4. CLI surface\n\n\
         11 registrations (persistent flags first, then by file):\n\n\
         | flag | registered | type | default | binds | command |\n\
         |---|---|---|---|---|---|\n\
         | `--version, -v` | `main.go:11` | `kong.VersionFlag` | — | `CLI.Version` | `CLI` |\n\
         | `--debug` | `main.go:12` | `bool` | — | `CLI.Debug`, env `TOOL_DEBUG` | `CLI` |\n\
         | `--force, -f` | `main.go:25` | `bool` | — | `ResetCmd.Force` | `adm reset` |\n\
         | `<root>` | `serve/options.go:11` | `string` | — | `Options.Root` | `serve` |\n\
         | `--listen-addr` | `serve/options.go:12` | `string` | `\":8080\"` | `Options.ListenAddr`, env `TOOL_LISTEN` | `serve` |\n\
         | `--max-http-conns` | `serve/options.go:13` | `int` | `64` | `Options.MaxHTTPConns` | `serve` |\n\
         | `--timeout` | `serve/options.go:14` | `time.Duration` | `30s` | `Options.Timeout` | `serve` |\n\
         | `--index` | `serve/options.go:15` | `bool (negatable)` | `true` | `Options.Index` | `serve` |\n\
         | `--banner.*` | `serve/options.go:19` | `style.Styles` | — | `Options.Banner`, env `TOOL_BANNER_*` | `serve` |\n\
         | `--foreground` | `style/style.go:5` | `string` | `\"\"` | `Styles.Foreground` | `embedded` |\n\
         | `--bold` | `style/style.go:6` | `bool` | — | `Styles.Bold` | `embedded` |\n\n"
    );
}

/// An interface in use (an implementor, a method called from another file)
/// is detailed before a struct that more packages use: its entry holds the
/// implementors and call sites a table row cannot.
#[test]
fn contracts_in_use_are_detailed_before_more_used_structs() {
    let (tmp, md) = report("go/detail_order", &[]);
    assert_citations_point_at_names(tmp.path(), &md);
    let sink = md
        .find("1. `Sink` (`model/sink.go:4-6`) interface")
        .unwrap_or_else(|| panic!("{md}"));
    let record = md
        .find("2. `Record` (`model/record.go:5-8`) struct in `model/` — used by 2 other packages")
        .unwrap_or_else(|| panic!("{md}"));
    assert!(sink < record);
    for want in [
        "   - implementors (*inferred* from method names and arity): `FileSink` (`model/sink.go:9-11`)",
        "   - calls: `Write` (`model/pipe.go:6`)",
    ] {
        assert!(md[sink..record].contains(want), "missing {want:?} in {md}");
    }
}

#[test]
fn clap_builder_chains_are_read_for_spelling_type_and_default() {
    let (_t, md) = report("rust/builder", &[]);
    let start = md.find("### 4.").expect("section 4");
    let end = md.find("### 5.").expect("section 5");
    // `FILE` has neither `.long` nor `.short`: a positional, not `--FILE`.
    assert_eq!(
        &md[start..end],
        "### 4. CLI surface\n\n\
         3 registrations (persistent flags first, then by file):\n\n\
         | flag | registered | type | default | binds | command |\n\
         |---|---|---|---|---|---|\n\
         | `-v` | `src/main.rs:20` | `count` | — | — | — |\n\
         | `<FILE>` | `src/main.rs:8` | `std::path::PathBuf` | — | — | — |\n\
         | `--color` | `src/main.rs:13` | `auto\\|never\\|always` | `\"auto\"` | — | — |\n\n"
    );
}

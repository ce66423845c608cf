//! planrecon: a line-exact Repository Recon appendix and Frozen Interfaces
//! inventory, generated from Go and Rust code with tree-sitter.
//!
//! Pipeline: `walk → scan (parse + extract) → assemble (model) → render`.

mod budget;
mod cache;
mod check;
mod cli;
mod config;
mod depth;
mod diff;
mod extract;
mod facts;
mod fuzzing;
mod git;
mod lang;
mod maprank;
mod model;
mod packages;
mod pagerank;
mod parse;
mod plan;
mod progress;
mod query;
mod rank;
mod refs;
mod relate;
mod render;
mod report_cache;
mod revision;
mod scan;
mod signature;
mod tokens;
mod walk;

pub mod exit;
mod output;

pub use fuzzing::{extract_for_fuzz, parse_plan_for_fuzz, FuzzCitation, FuzzSpan};

use std::io::Write;

use anyhow::Context;
use clap::Parser as _;

use crate::cli::{Cli, Command, Format};
use crate::config::Config;
use crate::model::{Inventory, Scope, SCHEMA_VERSION};

/// Parse the command line and run. Returns the process exit code.
pub fn run() -> anyhow::Result<i32> {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Check(args)) => check::run_check(args),
        Some(Command::DumpCaptures { file }) => dump_captures(&file).map(|()| exit::SUCCESS),
        Some(Command::Diff(args)) => diff::run_diff(args),

        Some(Command::Refs(args)) => refs::run(args),
        None => run_report(Config::from_args(cli.args)?),
    }
}

/// The main job: the Markdown report or the JSON inventory of one tree.
fn run_report(config: Config) -> anyhow::Result<i32> {
    if config.parse_only {
        let walked = walk::walk(&config)?;
        scan::scan(&config, walked.files)?;
        return Ok(exit::SUCCESS);
    }
    if config.format == Format::Markdown && config.report.budget.is_none() {
        return run_markdown(&config);
    }
    let inventory = build_inventory(&config)?;
    if let Some(budget) = config.report.budget {
        let opts = budget::BudgetOptions {
            budget,
            tokenizer: config.report.tokenizer,
            focus: config.report.focus.clone(),
            path_order: config.report.path_order,
        };
        let text = budget::run_budget(&inventory, &opts, config.format)?;
        output::emit(config.output.as_deref(), text.as_bytes())?;
        return Ok(exit::SUCCESS);
    }
    // Streamed: the inventory's JSON is many times the size of the report.
    output::emit_with(config.output.as_deref(), |w| {
        render::json::write_json(&inventory, w)
    })?;
    // The process ends next: freeing the model string by string only costs time.
    std::mem::forget(inventory);
    Ok(exit::SUCCESS)
}

/// The Markdown report: from the whole-report cache when nothing it depends
/// on changed, else built (and stored).
fn run_markdown(config: &Config) -> anyhow::Result<i32> {
    // One walk serves the cache key, the model and the reference pass.
    let walked = walk::walk(config)?;
    let cached = match config.cache_dir.as_deref() {
        Some(dir) => Some((cache::Cache::new(dir), report_key(config, &walked)?)),
        None => None,
    };
    if let Some((cache, key)) = &cached {
        if let Some(text) = report_cache::lookup(cache, key, &config.root) {
            if config.stats {
                eprintln!("planrecon: stats: report from cache");
            }
            output::emit(config.output.as_deref(), text.as_bytes())?;
            return Ok(exit::SUCCESS);
        }
    }
    report_cache::clear_probes();
    let files = walked.files.clone();
    let inventory = build_inventory_from(config, walked)?;
    // Three independent whole-model passes: run them side by side.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()?;
    let (analysis, decls) = pool.install(|| {
        rayon::join(
            || render::markdown::Analysis::new(&inventory),
            || refs::decls::Decls::new(&inventory),
        )
    });
    let shown = render::markdown::shown_types(&inventory, &analysis, &config.report)?;
    let uses = refs::report::report_uses(config, &files, &inventory, &decls, &shown)?;
    let text = render::markdown::render_markdown(&inventory, &analysis, &config.report, &uses)?;
    if let Some((cache, key)) = &cached {
        report_cache::store(cache, key, &text);
    }
    output::emit(config.output.as_deref(), text.as_bytes())?;
    // The process ends next: freeing the model string by string only costs time.
    std::mem::forget(analysis);
    std::mem::forget(decls);
    std::mem::forget(inventory);
    Ok(exit::SUCCESS)
}

/// The key of the whole report `config` asks for, on the tree as it is now.
fn report_key(config: &Config, walked: &walk::WalkOutput) -> anyhow::Result<cache::Key> {
    let root = config.root.clone();
    let git_thread = std::thread::spawn(move || git_state(&root));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()?;
    let (commit, dirty) = git_thread.join().unwrap_or((None, None));
    Ok(pool.install(|| report_cache::key(config, walked, &commit, dirty)))
}

/// `HEAD`'s commit and whether the tree is dirty (both `None` outside git).
fn git_state(root: &std::path::Path) -> (Option<String>, Option<bool>) {
    let commit = git::head_commit(root);
    let dirty = commit.as_ref().and_then(|_| git::is_dirty(root));
    (commit, dirty)
}

/// Walk, scan and assemble the whole model.
pub(crate) fn build_inventory(config: &Config) -> anyhow::Result<Inventory> {
    build_inventory_from(config, walk::walk(config)?)
}

/// Scan and assemble the model of the files `walked` found.
fn build_inventory_from(config: &Config, walked: walk::WalkOutput) -> anyhow::Result<Inventory> {
    // git runs while the tree is read: on a warm cache it is most of the wait.
    let root = config.root.clone();
    let git_thread = std::thread::spawn(move || git_state(&root));
    let mut diagnostics = walked.diagnostics;
    let mut scanned = scan::scan(config, walked.files)?;
    let (packages, items) =
        packages::assemble(config, &mut scanned, &walked.manifests, &mut diagnostics);
    let mut scope = Scope {
        // The languages actually present, not merely enabled.
        languages: config
            .langs
            .iter()
            .filter(|l| scanned.iter().any(|s| std::ptr::eq(s.file.lang, **l)))
            .map(|l| l.name.to_string())
            .collect(),
        include_tests: config.include_tests,
        excluded: walk::DEFAULT_EXCLUDED_DIRS
            .iter()
            .map(|d| format!("{d}/"))
            .chain(config.exclude.iter().cloned())
            .collect(),
        ..Scope::default()
    };
    for s in &scanned {
        diagnostics.extend(s.diagnostics.iter().cloned());
        match &s.facts {
            Some(f) => {
                scope.files += 1;
                scope.lines += f.lines;
            }
            None if s.file.test_by_path && !config.include_tests => scope.test_files_excluded += 1,
            None => {}
        }
    }
    diagnostics.sort();
    diagnostics.dedup();
    let (commit, dirty) = git_thread.join().unwrap_or((None, None));
    let notes = facts::place(&mut scanned, &packages);
    Ok(Inventory {
        notes,
        schema_version: SCHEMA_VERSION,
        root: config.root_name.clone(),
        commit,
        dirty,
        scope,
        packages,
        items,
        diagnostics,
    })
}

/// Benchmark support (`benches/extract.rs`), not a stable API: extract the
/// items of `text` read as language `lang` (`go`, `rust`) and return how many
/// were found; `None` for an unknown language or a failed parse.
#[doc(hidden)]
pub fn extract_source(lang: &str, text: &str) -> Option<usize> {
    let spec = lang::lang_by_name(lang)?;
    let facts = parse::with_parser(spec, |p| extract::extract_file(spec, p, text))?.ok()?;
    Some(facts.items.len())
}

/// Benchmark support: parse `text` as `lang` and drop the tree; returns
/// whether it parsed.
#[doc(hidden)]
pub fn parse_source(lang: &str, text: &str) -> bool {
    lang::lang_by_name(lang)
        .and_then(|spec| parse::with_parser(spec, |p| parse::parse_text(p, text).is_some()))
        .unwrap_or(false)
}

/// Benchmark support: parse `text` as `lang` and run one query over the
/// whole tree that matches only comments; returns how many matched. The
/// floor of a query pass that reads function bodies.
#[doc(hidden)]
pub fn traverse_source(lang: &str, text: &str) -> Option<usize> {
    use std::sync::OnceLock;
    use tree_sitter::StreamingIterator;
    static QUERIES: OnceLock<Vec<Option<tree_sitter::Query>>> = OnceLock::new();
    let spec = lang::lang_by_name(lang)?;
    let queries = QUERIES.get_or_init(|| {
        lang::LANGS
            .iter()
            .map(|l| {
                let kinds: Vec<String> = l.comment_kinds.iter().map(|k| format!("({k})")).collect();
                let source = format!("[{}] @comment", kinds.join(" "));
                tree_sitter::Query::new(&tree_sitter::Language::new(l.grammar), &source).ok()
            })
            .collect()
    });
    let query = queries[lang::lang_index(spec)].as_ref()?;
    let tree = parse::with_parser(spec, |p| parse::parse_text(p, text))??;
    let mut cursor = tree_sitter::QueryCursor::new();
    let mut matches = cursor.matches(query, tree.root_node(), text.as_bytes());
    let mut n = 0;
    while matches.next().is_some() {
        n += 1;
    }
    Some(n)
}

/// `--dump-captures FILE`: every capture as `name line:col text`.
fn dump_captures(file: &std::path::Path) -> anyhow::Result<()> {
    use tree_sitter::StreamingIterator;
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let spec = lang::lang_for_extension(ext)
        .with_context(|| format!("no language for {}", file.display()))?;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let cq = query::query_for(spec).map_err(|e| anyhow::anyhow!("{e}"))?;
    let tree = parse::with_parser(spec, |p| parse::parse_text(p, &text))
        .flatten()
        .context("parser failed")?;
    let mut cursor = tree_sitter::QueryCursor::new();
    let mut matches = cursor.matches(&cq.query, tree.root_node(), text.as_bytes());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    while let Some(m) = matches.next() {
        for c in m.captures() {
            let p = c.node.start_position();
            let t = extract::collapse_ws(extract::node_text(c.node, text.as_bytes()));
            let t: String = t.chars().take(60).collect();
            writeln!(
                out,
                "p{} {} {}:{} {}",
                m.pattern_index,
                cq.query.capture_names()[c.index as usize],
                p.row + 1,
                p.column + 1,
                t
            )?;
        }
    }
    Ok(())
}

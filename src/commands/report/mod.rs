//! The main job: the Markdown report (Repository Recon appendix and Frozen
//! Interfaces), the JSON inventory, or with `--budget` the ranked map.
//! `cache` is the whole-report cache.

pub(crate) mod cache;

use anyhow::bail;

use crate::cli::Args;
use crate::config::{self, Config, Format, ReportOptions};
use crate::scan::cache::{Cache, Key};
use crate::scan::walk::WalkOutput;
use crate::util::{exit, git, output};

/// Validate `args` once: the path must be a readable directory, languages
/// known, counts positive.
pub(crate) fn configure(args: Args) -> anyhow::Result<Config> {
    let root = config::checked_root(args.path)?;
    let langs = config::langs_named(&args.lang)?;
    let threads = config::thread_count(args.threads)?;
    let cache_dir = config::cache_dir(&root, args.no_cache, args.cache_dir)?;
    if args.top == 0 {
        bail!("--top must be at least 1");
    }
    let focus: Vec<String> = args
        .focus
        .iter()
        .map(|f| f.trim().to_string())
        .filter(|f| !f.is_empty())
        .collect();
    if args.budget == Some(0) {
        bail!("--budget must be at least 1 token");
    }
    Ok(Config {
        report: ReportOptions {
            section: args.section,
            focus,
            top: args.top,
            budget: args.budget,
            tokenizer: args.tokenizer,
            path_order: args.path_order,
        },
        root_name: config::root_name(&root),
        root,
        format: args.format,
        output: args.output,
        langs,
        include_tests: args.include_tests,
        exclude: args.exclude,
        threads,
        max_file_size: args.max_file_size,
        parse_only: args.parse_only,
        cache_dir,
        stats: args.stats,
    })
}

/// The main job: the Markdown report or the JSON inventory of one tree.
pub(crate) fn run(config: Config) -> anyhow::Result<i32> {
    if config.parse_only {
        let walked = crate::scan::walk::walk(&config)?;
        crate::scan::scan(&config, walked.files)?;
        return Ok(exit::SUCCESS);
    }
    if config.format == Format::Markdown && config.report.budget.is_none() {
        return run_markdown(&config);
    }
    let inventory = crate::scan::build_inventory(&config)?;
    if let Some(budget) = config.report.budget {
        let opts = crate::commands::budget::BudgetOptions {
            budget,
            tokenizer: config.report.tokenizer,
            focus: config.report.focus.clone(),
            path_order: config.report.path_order,
        };
        let text = crate::commands::budget::run_budget(&inventory, &opts, config.format)?;
        output::emit(config.output.as_deref(), text.as_bytes())?;
        return Ok(exit::SUCCESS);
    }
    // Streamed: the inventory's JSON is many times the size of the report.
    output::emit_with(config.output.as_deref(), |w| {
        crate::render::json::write_json(&inventory, w)
    })?;
    // The process ends next: freeing the model string by string only costs time.
    std::mem::forget(inventory);
    Ok(exit::SUCCESS)
}

/// The Markdown report: from the whole-report cache when nothing it depends
/// on changed, else built (and stored).
fn run_markdown(config: &Config) -> anyhow::Result<i32> {
    // One walk serves the cache key, the model and the reference pass.
    let walked = crate::scan::walk::walk(config)?;
    let cached = match config.cache_dir.as_deref() {
        Some(dir) => Some((Cache::new(dir), report_key(config, &walked)?)),
        None => None,
    };
    if let Some((cache, key)) = &cached {
        if let Some(text) = cache::lookup(cache, key, &config.root) {
            if config.stats {
                eprintln!("planrecon: stats: report from cache");
            }
            output::emit(config.output.as_deref(), text.as_bytes())?;
            return Ok(exit::SUCCESS);
        }
    }
    crate::util::probe::clear_probes();
    let files = walked.files.clone();
    let inventory = crate::scan::build_inventory_from(config, walked)?;
    // Three independent whole-model passes: run them side by side.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()?;
    let (analysis, decls) = pool.install(|| {
        rayon::join(
            || crate::render::markdown::Analysis::new(&inventory),
            || crate::resolve::decls::Decls::new(&inventory),
        )
    });
    let shown = crate::render::markdown::shown_types(&inventory, &analysis, &config.report)?;
    let uses = crate::resolve::sites::report_uses(config, &files, &inventory, &decls, &shown)?;
    let text =
        crate::render::markdown::render_markdown(&inventory, &analysis, &config.report, &uses)?;
    if let Some((cache, key)) = &cached {
        cache::store(cache, key, &text);
    }
    output::emit(config.output.as_deref(), text.as_bytes())?;
    // The process ends next: freeing the model string by string only costs time.
    std::mem::forget(analysis);
    std::mem::forget(decls);
    std::mem::forget(inventory);
    Ok(exit::SUCCESS)
}

/// The key of the whole report `config` asks for, on the tree as it is now.
fn report_key(config: &Config, walked: &WalkOutput) -> anyhow::Result<Key> {
    let root = config.root.clone();
    let git_thread = std::thread::spawn(move || git::state(&root));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()?;
    let (commit, dirty) = git_thread.join().unwrap_or((None, None));
    Ok(pool.install(|| cache::key(config, walked, &commit, dirty)))
}

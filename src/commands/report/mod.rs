//! The main job: the Markdown report (Repository Recon appendix and Frozen
//! Interfaces), the JSON inventory, or with `--budget` the ranked map.
//! `cache` is the whole-report cache.

pub(crate) mod cache;

use anyhow::bail;

use crate::cli::Args;
use crate::config::{self, Config, Format, ReportOptions, Section};
use crate::scan::cache::{Cache, Key};
use crate::scan::walk::{self, WalkOutput};
use crate::util::tokens::Tokenizer;
use crate::util::{exit, git, output};

/// Validate `args` once: the path must be a readable directory, languages
/// known, counts positive.
pub(crate) fn configure(args: Args) -> anyhow::Result<Config> {
    refuse_idle_flags(&args)?;
    // `planrecon sub/dir` reads the project `sub/dir` belongs to (the
    // `go.mod` or Cargo workspace above it), focused on `sub/dir`: paths stay
    // repository-relative and references across the tree resolve.
    let project = walk::project_root(&config::checked_root(args.path)?);
    let root = project.root;
    let langs = config::langs_named(&args.lang)?;
    let threads = config::thread_count(args.threads)?;
    let cache_dir = config::cache_dir(&root, args.no_cache, args.cache_dir)?;
    let top = args.top.unwrap_or(config::DEFAULT_TOP);
    if top == 0 {
        bail!("--top must be at least 1");
    }
    let mut focus: Vec<String> = args
        .focus
        .iter()
        .map(|f| f.trim().to_string())
        .filter(|f| !f.is_empty())
        .collect();
    // The JSON inventory is the whole project's; the report and the map
    // focus on the directory given.
    if args.format == Format::Markdown || args.budget.is_some() {
        focus.extend(project.subdir.clone());
    }
    if args.budget == Some(0) {
        bail!("--budget must be at least 1 token");
    }
    Ok(Config {
        report: ReportOptions {
            section: args.section.unwrap_or(Section::All),
            focus,
            top,
            budget: args.budget,
            tokenizer: args.tokenizer.unwrap_or(Tokenizer::O200k),
            path_order: args.path_order,
            subdir: project.subdir,
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
        parse_data: args.parse_data,
        cache_dir,
        stats: args.stats,
    })
}

/// A flag given where it changes nothing is an error, not silently dropped:
/// `--section` and `--top` shape only the Markdown report, `--focus` the
/// report and `--budget` maps, `--tokenizer` only `--budget`, and
/// `--cache-dir` means nothing with `--no-cache`.
fn refuse_idle_flags(args: &Args) -> anyhow::Result<()> {
    let mode = match (args.format, args.budget.is_some()) {
        (_, true) => "--budget (the ranked map)",
        (Format::Json, false) => "--format json (the inventory)",
        (Format::Markdown, false) => "",
    };
    if !mode.is_empty() {
        for (given, flag) in [
            (args.section.is_some(), "--section"),
            (args.top.is_some(), "--top"),
        ] {
            if given {
                bail!("{flag} shapes the Markdown report only; it has no effect with {mode}");
            }
        }
    }
    if args.format == Format::Json && args.budget.is_none() && !args.focus.is_empty() {
        bail!("--focus has no effect on the JSON inventory (it applies to the Markdown report and to --budget)");
    }
    if args.budget.is_none() {
        if args.tokenizer.is_some() {
            bail!("--tokenizer counts --budget tokens; it has no effect without --budget");
        }
        if args.path_order {
            bail!("--path-order orders the --budget map; it has no effect without --budget");
        }
    }
    if args.no_cache && args.cache_dir.is_some() {
        bail!("--cache-dir has no effect with --no-cache; give one or the other");
    }
    Ok(())
}

/// The main job: the Markdown report or the JSON inventory of one tree.
pub(crate) fn run(config: Config) -> anyhow::Result<i32> {
    if config.parse_only {
        let walked = crate::scan::walk::walk(&config)?;
        if config.parse_data {
            // On the run's threads, as the report reads them.
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(config.threads)
                .build()?;
            let data: Vec<&str> = walked.data_files.iter().map(String::as_str).collect();
            let parsed = pool.install(|| crate::scan::data::parse_data_files(&config.root, &data));
            if config.stats {
                eprintln!("planrecon: stats: data files parsed {parsed}");
            }
        }
        crate::scan::scan(&config, walked.files)?;
        return Ok(exit::SUCCESS);
    }
    if config.format == Format::Markdown && config.report.budget.is_none() {
        return run_markdown(&config);
    }
    let walked = crate::scan::walk::walk(&config)?;
    crate::scan::walk::ensure_sources(&config, &walked)?;
    // The map ranks by the symbol graph: its reference pass reads the walk's files.
    let files = match config.report.budget {
        Some(_) => walked.files.clone(),
        None => Vec::new(),
    };
    // The map's reference pass reads the scan's copies of syntax: no file is parsed twice.
    let recipes = match config.report.budget {
        Some(_) => crate::resolve::query::recipes(&walked.files),
        None => Vec::new(),
    };
    let (inventory, syntax) = crate::scan::build_inventory_keeping(&config, walked, &recipes)?;
    // Printed once the output is written: a run that fails says one thing.
    let notes = syntax_error_lines(&inventory.diagnostics);
    if let Some(budget) = config.report.budget {
        let opts = crate::commands::budget::BudgetOptions {
            budget,
            tokenizer: config.report.tokenizer,
            focus: config.report.focus.clone(),
            path_order: config.report.path_order,
            root: config.root.clone(),
        };
        let decls = crate::resolve::decls::Decls::new(&inventory);
        // The map counts non-test uses only (`map_uses`): every hit of a test
        // file is test code, so test files are neither parsed nor resolved.
        let (files, syntax): (Vec<_>, Vec<_>) = files
            .into_iter()
            .zip(syntax)
            .filter(|(f, _)| !f.test_by_path)
            .unzip();
        let (graph, _) =
            crate::resolve::sites::reference_pass_over(&config, &files, syntax, &decls)?;
        let uses = crate::commands::budget::map_uses(&graph, &decls, &inventory);
        // Freed before the tokenizer's tables are built: they are not read again.
        drop((graph, decls));
        let text = crate::commands::budget::run_budget(&inventory, &uses, &opts, config.format)?;
        output::emit(config.output.as_deref(), text.as_bytes())?;
        print_notes(&notes);
        return Ok(exit::SUCCESS);
    }
    // Streamed: the inventory's JSON is many times the size of the report.
    output::emit_with(config.output.as_deref(), |w| {
        crate::render::json::write_json(&inventory, w)
    })?;
    print_notes(&notes);
    // The process ends next: freeing the model string by string only costs time.
    std::mem::forget(inventory);
    Ok(exit::SUCCESS)
}

/// The Markdown report: from the whole-report cache when nothing it depends
/// on changed, else built (and stored).
fn run_markdown(config: &Config) -> anyhow::Result<i32> {
    // One walk serves the cache key, the model and the reference pass.
    let walked = crate::scan::walk::walk(config)?;
    crate::scan::walk::ensure_sources(config, &walked)?;
    let cached = match config.cache_dir.as_deref() {
        Some(dir) => Some((Cache::new(dir), report_key(config, &walked)?)),
        None => None,
    };
    if let Some((cache, key)) = &cached {
        if let Some((text, notes)) = cache::lookup(cache, key, &config.root) {
            if config.stats {
                eprintln!("planrecon: stats: report from cache");
            }
            output::emit(config.output.as_deref(), text.as_bytes())?;
            print_notes(&notes);
            return Ok(exit::SUCCESS);
        }
    }
    crate::util::probe::clear_probes();
    let files = walked.files.clone();
    let tree_data_files = walked.data_files.clone();
    // The scan copies what the reference pass reads of each file it parses:
    // no file is parsed twice.
    let recipes = crate::resolve::query::recipes(&walked.files);
    let (inventory, syntax) = crate::scan::build_inventory_keeping(config, walked, &recipes)?;
    // Printed once the report is written: a run that fails says one thing.
    let notes = syntax_error_lines(&inventory.diagnostics);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()?;
    // One reference pass builds the symbol graph; the ranking and the sites read it.
    let decls = crate::resolve::decls::Decls::new(&inventory);
    let (graph, data_files) =
        crate::resolve::sites::reference_pass_over(config, &files, syntax, &decls)?;
    // Keys of the files the walk listed (never of an ignored, untracked one).
    let data: Vec<&str> = tree_data_files.iter().map(String::as_str).collect();
    // The data files are read beside the graph's summaries, which are
    // mostly serial: each has a core.
    let (read, summary) = pool.join(
        || crate::scan::data::read_data_files(&config.root, &data),
        || {
            let users = crate::resolve::graph::type_users(&graph, &decls, &inventory);
            let file_users = crate::analyze::rank::file_users(&graph, &decls);
            let analysis = crate::render::report::Analysis::new(&inventory, &users, file_users);
            let shown = crate::render::report::shown_types(&inventory, &analysis, &config.report)?;
            let uses =
                crate::resolve::sites::report_uses(&graph, &inventory, &decls, &shown, data_files);
            anyhow::Ok((analysis, uses))
        },
    );
    let (analysis, mut uses) = summary?;
    // Not read again; rendering comes next.
    drop((graph, decls));
    uses.data_keys = read.keys;
    uses.data_values = read.values;
    uses.tree_data_files = tree_data_files;
    let text =
        crate::render::report::render_markdown(&inventory, &analysis, &config.report, &uses)?;
    if let Some((cache, key)) = &cached {
        cache::store(cache, key, &text, &notes);
    }
    output::emit(config.output.as_deref(), text.as_bytes())?;
    print_notes(&notes);
    // The process ends next: freeing the model string by string only costs time.
    std::mem::forget(analysis);
    std::mem::forget(inventory);
    Ok(exit::SUCCESS)
}

/// `path:line:col: syntax error …` for each syntax error, the form editors
/// and CI logs jump to (the report and the JSON list them too).
fn syntax_error_lines(diagnostics: &[crate::model::Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.message.contains("syntax error"))
        .map(|d| {
            let mut at = d.file.clone();
            for n in [d.line, d.column].into_iter().flatten() {
                at.push_str(&format!(":{n}"));
            }
            format!("{at}: {}", d.message)
        })
        .collect()
}

/// Write `lines` to stderr, one per line.
fn print_notes(lines: &[String]) {
    use std::io::Write as _;
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for l in lines {
        let _ = writeln!(err, "{l}");
    }
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

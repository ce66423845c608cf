//! The validated configuration every stage reads, and the value types of
//! the command line. Built once per run by the command (`commands/`) from
//! its clap arguments; imports only the language registry, the cache's
//! location rules and the tokenizer choice, so every stage may read it.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use clap::ValueEnum;

use crate::scan::lang::{lang_by_name, LangSpec, LANGS};
use crate::util::paths;
use crate::util::tokens::Tokenizer;

/// Files larger than this many bytes are skipped unless `--max-file-size`
/// says otherwise.
pub(crate) const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// Entries per ranked list of the report unless `--top` says otherwise:
/// no cap, the report's size limits decide.
pub(crate) const DEFAULT_TOP: usize = usize::MAX;

/// Everything a run needs, validated.
#[derive(Debug)]
pub(crate) struct Config {
    /// The repository directory (exists, is a directory).
    pub root: PathBuf,
    /// Name shown as the inventory's `root`: the directory's own name.
    pub root_name: String,
    /// Output format.
    pub format: Format,
    /// Output file; `None` means standard output.
    pub output: Option<PathBuf>,
    /// Languages to read, in registry order, never empty.
    pub langs: Vec<&'static LangSpec>,
    /// Whether test code is read.
    pub include_tests: bool,
    /// `--exclude` globs.
    pub exclude: Vec<String>,
    /// Worker threads, at least 1.
    pub threads: usize,
    /// Files larger than this are skipped with a diagnostic.
    pub max_file_size: u64,
    /// Parse only, for benchmarks.
    pub parse_only: bool,
    /// With `parse_only`, also parse the data files the report reads.
    pub parse_data: bool,
    /// The extraction cache directory; `None` when caching is off (`--no-cache`,
    /// no home directory, or the default location is inside the repository).
    pub cache_dir: Option<PathBuf>,
    /// Print counts and timings on stderr.
    pub stats: bool,
    /// What the Markdown report prints.
    pub report: ReportOptions,
}

/// Options of the Markdown report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReportOptions {
    /// Sections to print.
    pub section: Section,
    /// Packages to focus on (empty: all), as given.
    pub focus: Vec<String>,
    /// Entries per ranked list, at least 1 ([`DEFAULT_TOP`]: only the size limits cut).
    pub top: usize,
    /// `--budget`: print the ranked map within this many tokens.
    pub budget: Option<usize>,
    /// Counts the budget's tokens.
    pub tokenizer: Tokenizer,
    /// Baseline for evaluations: path order instead of PageRank.
    pub path_order: bool,
    /// The directory given, relative to the project root found above it
    /// (`None`: the root itself was given).
    pub subdir: Option<String>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            section: Section::All,
            focus: Vec::new(),
            top: DEFAULT_TOP,
            budget: None,
            tokenizer: Tokenizer::O200k,
            path_order: false,
            subdir: None,
        }
    }
}

impl Config {
    /// A configuration for subcommands that read a repository with default
    /// settings (all languages, the default cache): `check`, `diff`, `refs`.
    pub(crate) fn for_repo(root: PathBuf, include_tests: bool) -> anyhow::Result<Config> {
        let root = checked_root(root)?;
        Ok(Config {
            root_name: root_name(&root),
            cache_dir: cache_dir(&root, false, None)?,
            root,
            format: Format::Json,
            output: None,
            langs: LANGS.iter().collect(),
            include_tests,
            exclude: Vec::new(),
            threads: thread_count(None)?,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            parse_only: false,
            parse_data: false,
            stats: false,
            report: ReportOptions::default(),
        })
    }
}

/// `root` if it is a readable directory; else an error that says what to give.
pub(crate) fn checked_root(root: PathBuf) -> anyhow::Result<PathBuf> {
    let meta = match std::fs::metadata(&root) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            bail!("{}: no such directory", root.display())
        }
        Err(e) => bail!("cannot read {}: {e}", root.display()),
    };
    if !meta.is_dir() {
        bail!(
            "{} is a file; planrecon reads a directory (try its parent: {})",
            root.display(),
            root.parent()
                .map_or(".".into(), |p| if p.as_os_str().is_empty() {
                    ".".to_string()
                } else {
                    p.display().to_string()
                })
        );
    }
    std::fs::read_dir(&root)
        .with_context(|| format!("cannot list directory {}", root.display()))?;
    Ok(root)
}

/// The directory's own name, shown as the inventory's `root`.
pub(crate) fn root_name(root: &Path) -> String {
    std::fs::canonicalize(root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| ".".to_string())
}

/// The languages `names` asks for (`--lang`), in registry order; all of
/// them when `names` is empty.
pub(crate) fn langs_named(names: &[String]) -> anyhow::Result<Vec<&'static LangSpec>> {
    if names.is_empty() {
        return Ok(LANGS.iter().collect());
    }
    let mut v: Vec<&'static LangSpec> = Vec::new();
    for name in names {
        let name = name.trim().to_ascii_lowercase();
        let Some(l) = lang_by_name(&name) else {
            let known: Vec<_> = LANGS.iter().map(|l| l.name).collect();
            bail!(
                "unknown language {name:?} in --lang; known: {}",
                known.join(", ")
            );
        };
        if !v.iter().any(|x| std::ptr::eq(*x, l)) {
            v.push(l);
        }
    }
    v.sort_by_key(|l| l.name);
    Ok(v)
}

/// `--threads`: at least 1; the number of CPUs when not given.
pub(crate) fn thread_count(threads: Option<usize>) -> anyhow::Result<usize> {
    match threads {
        Some(0) => bail!("--threads must be at least 1"),
        Some(n) => Ok(n),
        None => Ok(std::thread::available_parallelism().map_or(1, |n| n.get())),
    }
}

/// The extraction cache directory for a run over `root`: none with
/// `--no-cache`; `--cache-dir` unless it is inside the repository (an
/// error); else the default location, unless that is inside the repository
/// (a repository at `$HOME/.cache/…`), where planrecon quietly runs without
/// a cache rather than write there.
pub(crate) fn cache_dir(
    root: &Path,
    no_cache: bool,
    given: Option<PathBuf>,
) -> anyhow::Result<Option<PathBuf>> {
    Ok(match (no_cache, given) {
        (true, _) => None,
        (false, Some(dir)) => {
            if paths::is_inside(&dir, root) {
                bail!(
                    "--cache-dir {} is inside the repository being read; choose a directory outside it",
                    dir.display()
                );
            }
            Some(dir)
        }
        (false, None) => paths::default_dir().filter(|d| !paths::is_inside(d, root)),
    })
}

/// Parts of the Markdown report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Section {
    /// The Repository Recon appendix (five points and open uncertainties).
    Recon,
    /// The Frozen Interfaces inventory.
    Frozen,
    /// Both.
    All,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// The Repository Recon appendix and Frozen Interfaces in Markdown.
    Markdown,
    /// The complete inventory as JSON (schema in README.md).
    Json,
}

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffFormat {
    /// The changes grouped by package, breaking first, each cited at both revisions.
    Markdown,
    /// Every change with its class, rule, what differs and both sites (schema in README.md).
    Json,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CheckFormat {
    /// One line per finding, `PLAN.md:LINE: status: …`, diffs indented below.
    Text,
    /// Every citation with its status (schema in README.md).
    Json,
}

/// `--kind` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RefKind {
    /// Calls of functions and methods.
    Call,
    /// Composite literals, struct expressions, `T::new`-style calls.
    Construct,
    /// Types named in signatures, fields, conversions.
    Type,
    /// Fields read, written, or named in literals and patterns.
    Field,
    /// Functions, constants, variables and variants used as values or patterns.
    Value,
    /// All of the above.
    All,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RefsFormat {
    /// One hit per line, starting `path:line:` so editors jump to it.
    Text,
    /// `{schema_version, symbols, hits}` for tools.
    Json,
}

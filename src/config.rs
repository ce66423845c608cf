//! The validated configuration: built once from `Args`, read by every stage.

use std::path::PathBuf;

use anyhow::{bail, Context};

use crate::cli::{Args, Format, Section, Tokenizer};
use crate::lang::{lang_by_name, LangSpec, LANGS};

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
    /// Entries per ranked list, at least 1.
    pub top: usize,
    /// `--budget`: print the ranked map within this many tokens.
    pub budget: Option<usize>,
    /// Counts the budget's tokens.
    pub tokenizer: Tokenizer,
    /// Baseline for evaluations: path order instead of PageRank.
    pub path_order: bool,
}

impl Config {
    /// A configuration for subcommands that read a repository with default
    /// settings (all languages, JSON-independent): `check`, `diff`, `refs`.
    #[allow(dead_code)] // the entry point of subcommands added on other branches
    pub(crate) fn for_repo(root: PathBuf, include_tests: bool) -> anyhow::Result<Config> {
        Config::from_args(Args {
            path: root,
            format: Format::Json,
            output: None,
            lang: Vec::new(),
            include_tests,
            exclude: Vec::new(),
            threads: None,
            max_file_size: 16 * 1024 * 1024,
            parse_only: false,
            section: Section::All,
            focus: Vec::new(),
            top: 20,
            budget: None,
            tokenizer: Tokenizer::O200k,
            path_order: false,
        })
    }

    /// Validate `args`: the path must be a readable directory, languages known.
    pub(crate) fn from_args(args: Args) -> anyhow::Result<Config> {
        let root = args.path.clone();
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
        let root_name = std::fs::canonicalize(&root)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| ".".to_string());
        let langs = if args.lang.is_empty() {
            LANGS.iter().collect()
        } else {
            let mut v: Vec<&'static LangSpec> = Vec::new();
            for name in &args.lang {
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
            v
        };
        let threads = match args.threads {
            Some(0) => bail!("--threads must be at least 1"),
            Some(n) => n,
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        };
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
            root,
            root_name,
            format: args.format,
            output: args.output,
            langs,
            include_tests: args.include_tests,
            exclude: args.exclude,
            threads,
            max_file_size: args.max_file_size,
            parse_only: args.parse_only,
        })
    }
}

//! Every command-line definition (clap derive), subcommands included. No
//! logic: each command turns its arguments into a validated config once
//! (`commands/`), and nothing below `commands/` reads these types.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::{CheckFormat, DiffFormat, Format, RefKind, RefsFormat, Section};
use crate::util::tokens::Tokenizer;

/// Generate a line-exact Repository Recon appendix and Frozen Interfaces
/// inventory from Go and Rust code.
///
/// Every fact is cited as `path:start-end` and is true of the code as read.
#[derive(Debug, Parser)]
#[command(name = "planrecon", version, about, long_about = None)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
#[command(after_help = "Exit codes:
  0  the report or inventory was written (diagnostics may list skipped files)
  2  an error: bad arguments, nothing to read, an unreadable repository, a failed write")]
pub(crate) struct Cli {
    /// A subcommand; without one, planrecon prints the report of PATH.
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub args: Args,
}

/// Subcommands. Each reuses the pipeline up to the model.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Find every stale citation and frozen signature in Markdown plans; --fix rewrites what moved.
    ///
    /// Reads each PLAN.md, checks every `path:line` citation, bare file name
    /// and frozen declaration block against the code of --repo (at the
    /// commit the plan states, then followed to today), and prints one line
    /// per finding: ok, moved, changed, missing, ambiguous or unverifiable.
    #[command(after_help = "Exit codes:
  0  every citation is ok (or was fixed by --fix)
  1  a citation is stale: moved, changed, missing, ambiguous or unverifiable
  2  an error: an unreadable plan or repository, --since not a commit")]
    Check(CheckArgs),
    /// Debug: print every query capture of FILE as `pattern capture line:col text`.
    #[command(hide = true)]
    DumpCaptures {
        /// A source file of a known language.
        file: PathBuf,
    },
    /// What changed in the declared interfaces between two revisions, and is it breaking.
    ///
    /// Extracts OLD and NEW (git revisions; without NEW, the work tree) with
    /// the same engine, pairs declarations by identity (moves and renamed
    /// files are followed) and classifies each change as breaking,
    /// compatible or internal by a named rule, citing both sides.
    #[command(after_help = "Exit codes:
  0  nothing breaks (compatible and internal changes only, or none)
  1  something breaks: a caller or implementor outside the package may stop compiling
  2  an error: not a git repository, an unknown revision, a failed write")]
    Diff(DiffArgs),

    /// Call sites, construction sites and type uses of SYMBOLs (never in comments or strings).
    ///
    /// Resolves each SYMBOL to its declarations in --repo and lists the
    /// references to it, one per line as `path:line:` (or JSON); a method call
    /// whose receiver type is unknown is labelled `inferred`.
    #[command(after_help = "Exit codes:
  0  the references were listed (possibly none)
  2  a SYMBOL is unknown or names several declarations, or another error")]
    Refs(RefsArgs),
}

/// Arguments of the main job (the report or the JSON inventory).
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Repository directory to read.
    #[arg(default_value = ".")]
    pub path: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,

    /// Write the output to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Languages to read, comma-separated (default: all known: go, rust).
    #[arg(long, value_delimiter = ',', value_name = "LANG,...")]
    pub lang: Vec<String>,

    /// Include test code: Go `_test.go`, Rust `tests/`, `benches/`, `examples/`
    /// and `#[cfg(test)]` modules.
    #[arg(long)]
    pub include_tests: bool,

    /// Skip paths matching GLOB (gitignore syntax; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Worker threads (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,

    /// Skip files larger than this many bytes (reported as diagnostics).
    #[arg(long, value_name = "BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_file_size: u64,

    /// Report sections to print (the Markdown report only; default: all).
    #[arg(long, value_enum)]
    pub section: Option<Section>,

    /// Limit the report to these packages and their direct neighbours in the
    /// dependency graph. A package matches by its full path or a `/`- or
    /// `::`-separated suffix of it. Comma-separated or repeated. With
    /// `--budget`, a target may also be a file or directory path or a
    /// declaration name (`Name`, `Type.method`): the map ranks towards it.
    #[arg(long, value_delimiter = ',', value_name = "PKG,...")]
    pub focus: Vec<String>,

    /// Print a ranked map that fits in this many tokens (counted with
    /// `--tokenizer`) instead of the full report; with `--format json`, the
    /// same selection with each item's rank and token cost.
    #[arg(long, value_name = "TOKENS")]
    pub budget: Option<usize>,

    /// The BPE vocabulary that counts `--budget` tokens (default: o200k).
    #[arg(long, value_enum)]
    pub tokenizer: Option<Tokenizer>,

    /// Evaluation baseline: list declarations in path order instead of by
    /// PageRank (scripts/eval-map.py compares the two).
    #[arg(long, hide = true)]
    pub path_order: bool,

    /// Caps every ranked list of the report (packages, core types, flags,
    /// invariants, frozen blocks, …) at N entries; the rest are counted as
    /// "+K more". Default: as many as the report's size limits allow.
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,

    /// Benchmark: parse every file and discard the trees (no queries, no output).
    #[arg(long, hide = true)]
    pub parse_only: bool,

    /// Benchmark, with --parse-only: also parse the data files (YAML, JSON,
    /// TOML) the report reads, so that with --include-tests the run parses
    /// every file the report does.
    #[arg(long, hide = true, requires = "parse_only")]
    pub parse_data: bool,

    /// Cache extraction results in DIR (default: $XDG_CACHE_HOME/planrecon,
    /// else ~/.cache/planrecon). Never inside the repository being read.
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Neither read nor write the extraction cache.
    #[arg(long)]
    pub no_cache: bool,

    /// Print file counts (read, parsed, from the cache) and timings on stderr.
    #[arg(long, hide = true)]
    pub stats: bool,
}

/// Arguments of `planrecon check`.
#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    /// Markdown plans to check.
    #[arg(required = true, value_name = "PLAN.md")]
    pub plans: Vec<PathBuf>,

    /// The repository the plans cite.
    #[arg(long, default_value = ".", value_name = "PATH")]
    pub repo: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,

    /// Rewrite the citations that only moved (line numbers and paths), atomically.
    #[arg(long)]
    pub fix: bool,

    /// The commit the plans were written at (overrides `as of <sha>` in a plan).
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,
}

/// Arguments of `planrecon diff`.
#[derive(Debug, clap::Args)]
pub(crate) struct DiffArgs {
    /// The old revision: any git revision (tag, branch, commit, `HEAD~3`).
    pub old: String,

    /// The new revision; without it, the work tree as it is now (uncommitted edits included).
    pub new: Option<String>,

    /// The repository (or a directory inside it) to read.
    #[arg(long, default_value = ".", value_name = "PATH")]
    pub repo: PathBuf,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Markdown)]
    pub format: DiffFormat,

    /// Write the output to FILE (atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Report only changes to public items (Go exported, Rust `pub`); hides internal ones.
    #[arg(long)]
    pub public_only: bool,

    /// Only these packages: a Go import path or Rust module path, or its last
    /// segments (`store`, `engine`); repeatable, or several after one flag.
    #[arg(long, value_name = "PKG", num_args = 1..)]
    pub focus: Vec<String>,

    /// Only the symbols PLAN.md cites or freezes: backticked names, `path:A-B`
    /// citations, and declarations in fenced code blocks.
    #[arg(long, value_name = "PLAN.md")]
    pub plan: Option<PathBuf>,

    /// Debug: print how many files were parsed and how many reused to stderr.
    #[arg(long, hide = true)]
    pub stats: bool,
}

/// Arguments of `planrecon refs`.
#[derive(Debug, clap::Args)]
pub(crate) struct RefsArgs {
    /// Symbols to find: `Name`, `pkg.Name` (Go package name or import path
    /// suffix), `Type.Method`, `crate::path::Name`, `Type::method`.
    #[arg(required = true, value_name = "SYMBOL")]
    pub symbols: Vec<String>,

    /// Repository directory to read.
    #[arg(long, default_value = ".")]
    pub repo: PathBuf,

    /// Which references: calls, construction sites, type uses, or all.
    #[arg(long, value_enum, default_value_t = RefKind::All)]
    pub kind: RefKind,

    /// Include test code (Go `_test.go`, Rust `tests/`, `#[cfg(test)]`); hits there are labelled.
    #[arg(long)]
    pub include_tests: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = RefsFormat::Text)]
    pub format: RefsFormat,

    /// Worker threads (default: the number of CPUs).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,

    /// Print file counts (read, parsed, parsed by the scan) and timings on stderr.
    #[arg(long, hide = true)]
    pub stats: bool,
}

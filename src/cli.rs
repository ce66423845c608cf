//! Command-line arguments (clap derive). No logic: `config.rs` validates.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

pub(crate) use crate::tokens::Tokenizer;

/// Generate a line-exact Repository Recon appendix and Frozen Interfaces
/// inventory from Go and Rust code.
///
/// Every fact is cited as `path:start-end` and is true of the code as read.
#[derive(Debug, Parser)]
#[command(name = "planrecon", version, about, long_about = None)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
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
    Check(crate::check::CheckArgs),
    /// Debug: print every query capture of FILE as `pattern capture line:col text`.
    #[command(hide = true)]
    DumpCaptures {
        /// A source file of a known language.
        file: PathBuf,
    },
    /// What changed in the declared interfaces between two revisions, and is it breaking.
    ///
    /// Exit 0 when nothing breaks, 1 when something does, 2 on error.
    Diff(crate::diff::DiffArgs),

    /// Call sites, construction sites and type uses of SYMBOLs (never in comments or strings).
    Refs(crate::refs::RefsArgs),
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

    /// Report sections to print (Markdown only).
    #[arg(long, value_enum, default_value_t = Section::All)]
    pub section: Section,

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

    /// The BPE vocabulary that counts `--budget` tokens.
    #[arg(long, value_enum, default_value_t = Tokenizer::O200k)]
    pub tokenizer: Tokenizer,

    /// Evaluation baseline: list declarations in path order instead of by
    /// PageRank (scripts/eval-map.py compares the two).
    #[arg(long, hide = true)]
    pub path_order: bool,

    /// Entries shown in each ranked list of the report (core types,
    /// invariants, guards, …); the rest are counted as "+K more".
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub top: usize,

    /// Benchmark: parse every file and discard the trees (no queries, no output).
    #[arg(long, hide = true)]
    pub parse_only: bool,
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

//! planrecon: a line-exact Repository Recon appendix and Frozen Interfaces
//! inventory, generated from Go and Rust code with tree-sitter.
//!
//! Pipeline, one direction (README "Architecture"):
//! `scan` (walk, parse once, extract, assemble the model) → `resolve`
//! (references) → `analyze` (relations, ranking) → `render` (Markdown, map,
//! JSON); `commands` drive it, `model` is the vocabulary every stage speaks,
//! `util` the helpers below them all.

mod analyze;
mod cli;
mod commands;
mod config;
mod model;
mod render;
mod resolve;
mod scan;
pub mod util;

#[doc(hidden)]
pub mod dev;

use clap::Parser as _;

/// Parse the command line and run. Returns the process exit code.
pub fn run() -> anyhow::Result<i32> {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    commands::refuse_mistyped_subcommand(&argv)?;
    commands::run(cli::Cli::parse_from(argv))
}

//! The commands: one module per subcommand, plus the main job (`report`).
//! Each turns its clap arguments into a validated config once, runs the
//! pipeline up to what it needs, and returns the exit code. The only layer
//! that reads `cli`.

pub(crate) mod budget;
pub(crate) mod check;
pub(crate) mod diff;
pub(crate) mod dump_captures;
pub(crate) mod refs;
pub(crate) mod report;

use crate::cli::{Cli, Command};

/// Run what `cli` asks for; returns the process exit code.
pub(crate) fn run(cli: Cli) -> anyhow::Result<i32> {
    match cli.command {
        Some(Command::Check(args)) => check::run(check::configure(args)?),
        Some(Command::DumpCaptures { file }) => {
            dump_captures::run(&file).map(|()| crate::util::exit::SUCCESS)
        }
        Some(Command::Diff(args)) => diff::run(diff::configure(args)?),
        Some(Command::Refs(args)) => refs::run(refs::configure(args)?),
        None => report::run(report::configure(cli.args)?),
    }
}

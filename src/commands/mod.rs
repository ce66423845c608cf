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

/// `planrecon chek .`: a mistyped subcommand reads as a missing PATH (or,
/// followed by more words, as a clap conflict about them). An error naming
/// the subcommand meant when the first argument is no existing path and
/// nearly a subcommand's name.
pub(crate) fn refuse_mistyped_subcommand(argv: &[std::ffi::OsString]) -> anyhow::Result<()> {
    if let Some(typed) = argv.get(1).and_then(|a| a.to_str()) {
        if let Some(meant) = mistyped_subcommand(typed) {
            anyhow::bail!("{typed}: no such directory; did you mean `{meant}`?");
        }
    }
    Ok(())
}

/// The subcommand `typed` was probably meant to be: `typed` is no path that
/// exists and at most one edit (a transposition counts one) from a
/// subcommand's name, two when it is five letters or more.
fn mistyped_subcommand(typed: &str) -> Option<String> {
    use clap::CommandFactory as _;
    if typed.starts_with('-') || std::path::Path::new(typed).exists() {
        return None;
    }
    let cmd = Cli::command();
    let names: Vec<&str> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name())
        .collect();
    if names.contains(&typed) {
        return None;
    }
    let limit = if typed.chars().count() >= 5 { 2 } else { 1 };
    names
        .into_iter()
        .map(|n| (edit_distance(typed, n), n))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, n)| n.to_string())
}

/// Optimal string alignment distance: insertions, deletions, substitutions
/// and transpositions of neighbours each cost one.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_count_transpositions_once() {
        assert_eq!(edit_distance("chek", "check"), 1);
        assert_eq!(edit_distance("chekc", "check"), 1);
        assert_eq!(edit_distance("dir", "diff"), 2);
        assert_eq!(edit_distance("", "refs"), 4);
        assert_eq!(mistyped_subcommand("dif").as_deref(), Some("diff"));
        assert_eq!(mistyped_subcommand("dir"), None);
        assert_eq!(mistyped_subcommand("check"), None);
    }
}

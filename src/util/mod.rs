//! Small helpers every stage may use: exit codes, git queries, output
//! writing, the progress bar, token counting and the file-system probe log.
//! Nothing here imports another part of the crate.

pub mod exit;
pub(crate) mod git;
pub(crate) mod output;
pub(crate) mod paths;
pub(crate) mod probe;
pub(crate) mod progress;
pub(crate) mod tokens;

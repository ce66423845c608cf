//! Small helpers every stage may use: exit codes, git queries, output
//! writing, the progress bar, token counting, the file-system probe log and
//! fast hash maps for hot lookups.
//! Nothing here imports another part of the crate.

pub(crate) mod bpe_table;
pub mod exit;
pub(crate) mod git;
pub(crate) mod idhash;
pub(crate) mod output;
pub(crate) mod paths;
pub(crate) mod probe;
pub(crate) mod progress;
pub(crate) mod tokens;

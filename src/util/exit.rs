//! Exit codes, shared by every subcommand.

/// Success: the output was produced (diagnostics may still list skipped files).
pub const SUCCESS: i32 = 0;
/// A check found something stale or breaking (subcommands that gate CI).
pub const FINDINGS: i32 = 1;
/// An error: bad arguments, unreadable repository, failed write.
pub const ERROR: i32 = 2;

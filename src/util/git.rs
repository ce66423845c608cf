//! What git says about the tree: the commit and whether the work tree is dirty.
//!
//! Runs `git` read-only (`GIT_OPTIONAL_LOCKS=0` so `status` never rewrites the
//! index): planrecon never writes inside the repository it reads.

use std::path::Path;
use std::process::{Command, Stdio};

/// Run git in `dir` and return its trimmed stdout, or `None` on any failure.
pub(crate) fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim_end().to_string())
}

/// `HEAD`'s commit id when `dir` is inside a git checkout.
pub(crate) fn head_commit(dir: &Path) -> Option<String> {
    git(dir, &["rev-parse", "--verify", "-q", "HEAD"]).filter(|s| !s.is_empty())
}

/// Whether the checkout has uncommitted changes under `dir`; `None` when
/// unknown. Not asked when the repository's config would make `git status`
/// run a command (an fsmonitor hook, a clean filter): a repository is read,
/// never allowed to execute anything.
pub(crate) fn is_dirty(dir: &Path) -> Option<bool> {
    if runs_commands(dir) {
        return None;
    }
    git(
        dir,
        &["status", "--porcelain", "--untracked-files=no", "--", "."],
    )
    .map(|s| !s.is_empty())
}

/// Whether config would have `git status` execute a command. Reading config
/// executes nothing; `--get-regexp` fails when nothing matches.
fn runs_commands(dir: &Path) -> bool {
    git(
        dir,
        &[
            "config",
            "--get-regexp",
            r"^(core\.fsmonitor|filter\..*\.(clean|process))$",
        ],
    )
    .is_some()
}

/// The text of `path` (relative to `dir`) at revision `rev`, read from the
/// object store: the work tree and the index are not touched. `None` when the
/// file does not exist at `rev` or is not UTF-8.
pub(crate) fn show_file(dir: &Path, rev: &str, path: &str) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["show", &format!("{rev}:./{path}")])
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}
/// `HEAD`'s commit and whether the tree is dirty (both `None` outside git).
pub(crate) fn state(root: &std::path::Path) -> (Option<String>, Option<bool>) {
    let commit = head_commit(root);
    let dirty = commit.as_ref().and_then(|_| is_dirty(root));
    (commit, dirty)
}

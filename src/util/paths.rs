//! Where planrecon may write: the default cache location and the test that a
//! directory lies inside the repository being read (planrecon never writes
//! there).

use std::path::{Path, PathBuf};

/// The default cache directory: `$XDG_CACHE_HOME/planrecon` when that is an
/// absolute path (as the XDG spec requires), else `$HOME/.cache/planrecon`.
/// Unit tests that build a `Config` in process get none, so the suite never
/// writes to the user's cache (integration tests set `XDG_CACHE_HOME`).
pub(crate) fn default_dir() -> Option<PathBuf> {
    if cfg!(test) {
        return None;
    }
    let xdg = std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from);
    if let Some(x) = xdg.filter(|p| p.is_absolute()) {
        return Some(x.join("planrecon"));
    }
    let home = std::env::var_os("HOME").map(PathBuf::from)?;
    home.is_absolute()
        .then(|| home.join(".cache").join("planrecon"))
}

/// Whether `dir` is `root` or inside it, resolving symbolic links of the parts
/// that exist (the cache directory may not exist yet).
pub(crate) fn is_inside(dir: &Path, root: &Path) -> bool {
    let Ok(root) = std::fs::canonicalize(root) else {
        return false;
    };
    let dir = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        match std::env::current_dir() {
            Ok(cwd) => cwd.join(dir),
            Err(_) => return false,
        }
    };
    // Canonicalize the longest existing prefix, then re-append the rest.
    let mut existing = dir.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(existing) {
            let full = rest
                .iter()
                .rev()
                .fold(c, |acc: PathBuf, part| acc.join(part));
            return full.starts_with(&root);
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_detects_nested_and_missing_dirs() {
        let root = tempfile::tempdir().unwrap();
        assert!(is_inside(root.path(), root.path()));
        assert!(is_inside(&root.path().join("a/b/c"), root.path()));
        let other = tempfile::tempdir().unwrap();
        assert!(!is_inside(&other.path().join("x"), root.path()));
    }
}

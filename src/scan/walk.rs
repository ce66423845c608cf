//! Finds the source files and manifests to read; every skip rule lives here.
//!
//! Honours `.gitignore`, `.ignore` and git excludes (also outside a git
//! checkout), skips hidden entries, the default excluded directories, the
//! `--exclude` globs, and per-language ignored directories (Go's `_*`). Never
//! follows symbolic links, never opens anything but regular files.

use std::path::{Path, PathBuf};

use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;

use crate::config::Config;
use crate::model::Diagnostic;
use crate::scan::lang::{lang_for_extension, LangSpec};

/// Directory names skipped by default, whatever the language.
pub(crate) const DEFAULT_EXCLUDED_DIRS: &[&str] = &["node_modules", "target", "testdata", "vendor"];

/// A source file to read.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Repo-relative path with `/` separators.
    pub rel: String,
    /// Path to open.
    pub abs: PathBuf,
    pub lang: &'static LangSpec,
    /// Test code by its path (Go `_test.go`; Rust `tests/`, `benches/`, `examples/`).
    pub test_by_path: bool,
    /// Size in bytes as the walk saw it.
    pub size: u64,
}

/// What the walk found.
#[derive(Debug, Default)]
pub(crate) struct WalkOutput {
    /// Source files sorted by `rel`.
    pub files: Vec<SourceFile>,
    /// Manifests (`go.mod`, `Cargo.toml`), repo-relative, sorted.
    pub manifests: Vec<String>,
    /// Entries the walk could not read.
    pub diagnostics: Vec<Diagnostic>,
}

/// Walk `config.root`.
pub(crate) fn walk(config: &Config) -> anyhow::Result<WalkOutput> {
    let root = &config.root;
    let mut overrides = OverrideBuilder::new(root);
    for glob in &config.exclude {
        overrides
            .add(&format!("!{glob}"))
            .map_err(|e| anyhow::anyhow!("invalid --exclude glob {glob:?}: {e}"))?;
    }
    let overrides = overrides.build()?;
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(true)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .ignore(true)
        .parents(false)
        .require_git(false)
        .follow_links(false)
        .overrides(overrides)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(|e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            !(is_dir && e.depth() > 0 && DEFAULT_EXCLUDED_DIRS.iter().any(|d| e.file_name() == *d))
        });

    let manifest_names: Vec<&str> = config.langs.iter().map(|l| l.manifest).collect();
    let mut out = WalkOutput::default();
    for entry in builder.build() {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                out.diagnostics.push(walk_diagnostic(root, &err));
                continue;
            }
        };
        // Regular files only: FIFOs, sockets and devices would block or lie.
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        let Some(rel) = relative(root, path) else {
            out.diagnostics.push(Diagnostic {
                // Repo-relative like every path in the output, never absolute.
                file: path
                    .strip_prefix(root)
                    .unwrap_or(path)
                    .to_string_lossy()
                    .replace('\\', "/"),
                line: None,
                message: "skipped: the file name is not valid UTF-8".into(),
            });
            continue;
        };
        let file_name = entry.file_name().to_string_lossy();
        if manifest_names.contains(&file_name.as_ref()) {
            out.manifests.push(rel.clone());
        }
        let Some(lang) = path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(lang_for_extension)
            .filter(|l| config.langs.iter().any(|c| std::ptr::eq(*c, *l)))
        else {
            continue;
        };
        let dirs: Vec<&str> = rel.split('/').collect();
        let dirs = &dirs[..dirs.len() - 1];
        if dirs
            .iter()
            .any(|d| lang.ignored_dir_prefixes.iter().any(|p| d.starts_with(p)))
        {
            continue;
        }
        let test_by_path = lang
            .test_file_suffixes
            .iter()
            .any(|s| file_name.ends_with(s))
            || dirs.iter().any(|d| lang.test_dirs.contains(d));
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        out.files.push(SourceFile {
            rel,
            abs: path.to_path_buf(),
            lang,
            test_by_path,
            size,
        });
    }
    out.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    out.manifests.sort();
    out.diagnostics.sort();
    Ok(out)
}

/// `path` relative to `root` with `/` separators; `None` if not valid UTF-8.
pub(crate) fn relative(root: &Path, path: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut parts = Vec::new();
    for c in rel.components() {
        parts.push(c.as_os_str().to_str()?);
    }
    Some(parts.join("/"))
}

fn walk_diagnostic(root: &Path, err: &ignore::Error) -> Diagnostic {
    let path = err_path(err)
        .map(|p| relative(root, p).unwrap_or_else(|| p.to_string_lossy().into_owned()));
    let message = err.to_string();
    let message = match err_io_kind(err) {
        Some(std::io::ErrorKind::PermissionDenied) => "skipped: permission denied".to_string(),
        _ => format!(
            "skipped: {}",
            message.lines().next().unwrap_or("unreadable")
        ),
    };
    Diagnostic {
        file: path.unwrap_or_default(),
        line: None,
        message,
    }
}

fn err_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            err_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

fn err_io_kind(err: &ignore::Error) -> Option<std::io::ErrorKind> {
    match err {
        ignore::Error::Io(e) => Some(e.kind()),
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => err_io_kind(err),
        _ => None,
    }
}

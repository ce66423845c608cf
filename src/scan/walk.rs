//! Finds the source files and manifests to read; every skip rule lives here.
//!
//! Honours `.gitignore`, `.ignore` and git excludes (also outside a git
//! checkout), skips hidden entries, the default excluded directories, the
//! `--exclude` globs, and per-language ignored directories (Go's `_*`). Never
//! follows symbolic links, never opens anything but regular files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ignore::overrides::OverrideBuilder;
use ignore::WalkBuilder;

use crate::config::Config;
use crate::model::Diagnostic;
use crate::scan::lang::{lang_for_extension, LangSpec, LANGS};

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
    /// YAML, JSON and TOML files outside test directories (manifests and
    /// lock files aside), repo-relative, sorted: what the report lists as
    /// data and configuration.
    pub data_files: Vec<String>,
    /// Entries the walk could not read.
    pub diagnostics: Vec<Diagnostic>,
    /// What the walk passed over, for the message of a tree with nothing to read.
    pub skipped: Skipped,
}

/// What a walk passed over.
#[derive(Debug, Default)]
pub(crate) struct Skipped {
    /// Regular files of no language being read (manifests excluded).
    pub other_files: usize,
    /// Source files under directories their language ignores (Go `_x/`).
    pub ignored_dirs: usize,
    /// The default excluded directory names met (`target`, `vendor`).
    pub excluded_dirs: std::collections::BTreeSet<String>,
    /// Files of one language inside another language's test fixtures (Go
    /// files under a Rust crate's `tests/`), see [`is_foreign_fixture`].
    pub foreign_fixtures: usize,
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
    let excluded_seen = std::sync::Arc::new(std::sync::Mutex::new(std::collections::BTreeSet::<
        String,
    >::new()));
    let seen = std::sync::Arc::clone(&excluded_seen);
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
        .overrides(overrides.clone())
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            let excluded = is_dir
                && e.depth() > 0
                && DEFAULT_EXCLUDED_DIRS.iter().any(|d| e.file_name() == *d);
            if excluded {
                if let Ok(mut s) = seen.lock() {
                    s.insert(e.file_name().to_string_lossy().into_owned());
                }
            }
            !excluded
        });

    let manifest_names: Vec<&str> = config.langs.iter().map(|l| l.manifest).collect();
    // Every language's manifests by directory, enabled or not: what decides
    // whose fixtures a file sits in.
    let mut owners: BTreeMap<String, Vec<&'static LangSpec>> = BTreeMap::new();
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
                column: None,
                message: "skipped: the file name is not valid UTF-8".into(),
            });
            continue;
        };
        let file_name = entry.file_name().to_string_lossy();
        if let Some(spec) = LANGS.iter().find(|l| l.manifest == file_name) {
            let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
            owners.entry(dir.to_string()).or_default().push(spec);
        }
        let manifest = manifest_names.contains(&file_name.as_ref());
        if manifest {
            out.manifests.push(rel.clone());
        } else if is_data_file(&rel, &file_name) {
            out.data_files.push(rel.clone());
        }
        let Some(lang) = path
            .extension()
            .and_then(|e| e.to_str())
            .and_then(lang_for_extension)
            .filter(|l| config.langs.iter().any(|c| std::ptr::eq(*c, *l)))
        else {
            if !manifest {
                out.skipped.other_files += 1;
            }
            continue;
        };
        let dirs: Vec<&str> = rel.split('/').collect();
        let dirs = &dirs[..dirs.len() - 1];
        if dirs
            .iter()
            .any(|d| lang.ignored_dir_prefixes.iter().any(|p| d.starts_with(p)))
        {
            out.skipped.ignored_dirs += 1;
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
    let before = out.files.len();
    out.files
        .retain(|f| !is_foreign_fixture(&f.rel, f.lang, &owners));
    out.skipped.foreign_fixtures = before - out.files.len();
    if let Ok(mut s) = excluded_seen.lock() {
        out.skipped.excluded_dirs = std::mem::take(&mut *s);
    }
    out.data_files
        .extend(tracked_data_files(root, &overrides, &out.data_files));
    out.manifests.sort();
    out.data_files.sort();
    out.diagnostics.sort();
    Ok(out)
}

/// Where a run given the directory `dir` reads from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProjectRoot {
    /// The directory to walk: `dir` itself, or the project root above it.
    pub root: PathBuf,
    /// `dir` relative to `root` (`/` separators), when the root is above it.
    pub subdir: Option<String>,
}

/// The project `dir` belongs to, found as `go` and `cargo` find theirs: the
/// nearest directory at or above `dir` holding a manifest (`go.mod`,
/// `Cargo.toml`), or, above that, a Cargo workspace whose `members` (and not
/// `exclude`) take it in. Never looks above the repository's top (the first
/// directory holding `.git`). `dir` itself when nothing above is a root, so
/// `planrecon sub/dir` reads the repository and cites repository-relative
/// paths, focused on `sub/dir`.
pub(crate) fn project_root(dir: &Path) -> ProjectRoot {
    let unchanged = ProjectRoot {
        root: dir.to_path_buf(),
        subdir: None,
    };
    let Ok(abs) = std::fs::canonicalize(dir) else {
        return unchanged;
    };
    let mut chain: Vec<&Path> = Vec::new();
    for a in abs.ancestors() {
        chain.push(a);
        if a.join(".git").exists() {
            break;
        }
    }
    let has_manifest = |d: &Path| LANGS.iter().any(|l| d.join(l.manifest).is_file());
    let Some(nearest) = chain.iter().position(|d| has_manifest(d)) else {
        return unchanged;
    };
    let member = chain[nearest];
    let mut root = member;
    if workspace(member).is_none() {
        if let Some(w) = chain[nearest + 1..]
            .iter()
            .find(|w| workspace(w).is_some_and(|ws| workspace_takes(&ws, w, member)))
        {
            root = w;
        }
    }
    match relative(root, &abs) {
        Some(rel) if !rel.is_empty() => ProjectRoot {
            root: root.to_path_buf(),
            subdir: Some(rel),
        },
        _ => unchanged,
    }
}

/// The `[workspace]` table of a TOML manifest in `dir` (`Cargo.toml`).
fn workspace(dir: &Path) -> Option<toml::Table> {
    LANGS.iter().find_map(|l| {
        let text = std::fs::read_to_string(dir.join(l.manifest)).ok()?;
        let mut doc = text.parse::<toml::Table>().ok()?;
        match doc.remove("workspace")? {
            toml::Value::Table(t) => Some(t),
            _ => None,
        }
    })
}

/// Whether the workspace `ws` rooted at `root` has `member` among its
/// `members` globs and not among its `exclude` (no `members`: every crate below).
fn workspace_takes(ws: &toml::Table, root: &Path, member: &Path) -> bool {
    let Some(rel) = relative(root, member) else {
        return false;
    };
    let listed = |key: &str| {
        ws.get(key).and_then(|v| v.as_array()).map(|globs| {
            globs
                .iter()
                .filter_map(|g| g.as_str())
                .any(|g| glob_matches(g.trim_start_matches("./").trim_end_matches('/'), &rel))
        })
    };
    listed("exclude") != Some(true) && listed("members").unwrap_or(true)
}

/// `*` and `?` within one path segment (the globs of Cargo `members`).
fn glob_matches(glob: &str, path: &str) -> bool {
    fn segment(g: &[u8], s: &[u8]) -> bool {
        match (g.first(), s.first()) {
            (None, None) => true,
            (Some(b'*'), _) => segment(&g[1..], s) || (!s.is_empty() && segment(g, &s[1..])),
            (Some(b'?'), Some(_)) => segment(&g[1..], &s[1..]),
            (Some(a), Some(b)) if a == b => segment(&g[1..], &s[1..]),
            _ => false,
        }
    }
    let g: Vec<&str> = glob.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    g.len() == p.len()
        && g.iter()
            .zip(&p)
            .all(|(g, p)| segment(g.as_bytes(), p.as_bytes()))
}

/// The rule of [`is_foreign_fixture`] as the report's scope line names it.
pub(crate) const FOREIGN_FIXTURES_RULE: &str =
    "files of one language in another's test fixtures (Go under a Rust crate's tests/)";

/// Directory names of test fixtures in any language (besides each language's
/// own `test_dirs`).
const FIXTURE_DIRS: &[&str] = &["fixtures", "test", "testdata", "tests"];

/// Whether the file `rel` of language `lang` is another language's test
/// fixture: below a directory holding that language's manifest (`owners`:
/// manifests by directory), a fixture directory (`tests/`, `testdata/`,
/// `fixtures/`, the language's test dirs) lies between that manifest and the
/// file (or the file's own language's manifest, when one is deeper). Go files
/// under a Rust crate's `tests/` are highlighting samples, not a Go program;
/// a Go module elsewhere in a Rust repository (`bindings/go/`) is read.
pub(crate) fn is_foreign_fixture(
    rel: &str,
    lang: &'static LangSpec,
    owners: &BTreeMap<String, Vec<&'static LangSpec>>,
) -> bool {
    let parts: Vec<&str> = rel.split('/').collect();
    let dirs = &parts[..parts.len().saturating_sub(1)];
    let owned = |depth: usize| owners.get(&dirs[..depth].join("/"));
    let same =
        |depth: usize| owned(depth).is_some_and(|o| o.iter().any(|l| std::ptr::eq(*l, lang)));
    (0..=dirs.len()).any(|e| {
        let Some(others) = owned(e) else {
            return false;
        };
        let foreign: Vec<&&LangSpec> = others.iter().filter(|l| !std::ptr::eq(**l, lang)).collect();
        if foreign.is_empty() || same(e) {
            return false;
        }
        let stop = (e + 1..=dirs.len())
            .find(|d| same(*d))
            .unwrap_or(dirs.len());
        dirs[e..stop]
            .iter()
            .any(|d| FIXTURE_DIRS.contains(d) || foreign.iter().any(|l| l.test_dirs.contains(d)))
    })
}

/// An error when `walked` holds nothing the run would read: what was looked
/// for and what the walk passed over, in one line.
pub(crate) fn ensure_sources(config: &Config, walked: &WalkOutput) -> anyhow::Result<()> {
    let tests = walked.files.iter().filter(|f| f.test_by_path).count();
    if walked.files.len() > tests || (config.include_tests && tests > 0) {
        return Ok(());
    }
    let names: Vec<String> = config
        .langs
        .iter()
        .map(|l| {
            let mut c = l.name.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect();
    let exts: Vec<String> = config
        .langs
        .iter()
        .flat_map(|l| l.extensions.iter().map(|e| format!("*.{e}")))
        .collect();
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let mut skipped = Vec::new();
    if tests > 0 {
        skipped.push(format!(
            "{} (--include-tests reads them)",
            plural(tests, "test file")
        ));
    }
    if walked.skipped.ignored_dirs > 0 {
        skipped.push(format!(
            "{} under directories the language ignores (`_*`)",
            plural(walked.skipped.ignored_dirs, "source file")
        ));
    }
    if walked.skipped.other_files > 0 {
        skipped.push(plural(walked.skipped.other_files, "other file"));
    }
    if !walked.skipped.excluded_dirs.is_empty() {
        let dirs: Vec<String> = walked
            .skipped
            .excluded_dirs
            .iter()
            .map(|d| format!("{d}/"))
            .collect();
        skipped.push(format!("the directories {}", dirs.join(", ")));
    }
    if !config.exclude.is_empty() {
        skipped.push(format!("--exclude {}", config.exclude.join(", ")));
    }
    let skipped = if skipped.is_empty() {
        String::new()
    } else {
        format!("; skipped {}", skipped.join(", "))
    };
    anyhow::bail!(
        "no {} source file in {} (looked for {}{skipped}; hidden and git-ignored paths are never read)",
        names.join(" or "),
        config.root.display(),
        exts.join(", ")
    )
}

/// Extensions of data and configuration files.
const DATA_EXTENSIONS: &[&str] = &["yaml", "yml", "json", "toml"];
/// Directory names whose files are tests or fixtures, not configuration.
const NOT_DATA_DIRS: &[&str] = &[
    "test",
    "tests",
    "testdata",
    "fixtures",
    "node_modules",
    "vendor",
];

/// Data files git tracks (at `HEAD`) that an ignore rule hid from the walk (git ignores
/// `.gitignore` for tracked files: inference-sim ignores `*.json` and
/// force-adds `hardware_config.json`). Hidden paths, the default excluded
/// directories and `--exclude` still apply; outside a git checkout, none.
fn tracked_data_files(
    root: &Path,
    overrides: &ignore::overrides::Override,
    seen: &[String],
) -> Vec<String> {
    // `ls-tree` reads the object store only: unlike `ls-files` it never
    // refreshes the index, so no fsmonitor hook or filter of the
    // repository's config can run. Paths are relative to `root`.
    let Some(listed) = crate::util::git::git(root, &["ls-tree", "-r", "-z", "--name-only", "HEAD"])
    else {
        return Vec::new();
    };
    let seen: std::collections::BTreeSet<&str> = seen.iter().map(String::as_str).collect();
    listed
        .split('\0')
        .filter(|rel| !rel.is_empty() && !seen.contains(rel))
        .filter(|rel| {
            let dirs: Vec<&str> = rel.split('/').collect();
            let name = dirs.last().copied().unwrap_or_default();
            !dirs.iter().any(|d| d.starts_with('.'))
                && !dirs[..dirs.len() - 1]
                    .iter()
                    .any(|d| DEFAULT_EXCLUDED_DIRS.contains(d))
                && is_data_file(rel, name)
                && !LANGS.iter().any(|l| l.manifest == name)
                && !overrides.matched(rel, false).is_ignore()
                && std::fs::symlink_metadata(root.join(rel)).is_ok_and(|m| m.is_file())
        })
        .map(str::to_string)
        .collect()
}

/// Whether `rel` is a data or configuration file the report lists.
fn is_data_file(rel: &str, file_name: &str) -> bool {
    let ext = file_name.rsplit_once('.').map_or("", |(_, e)| e);
    DATA_EXTENSIONS.contains(&ext)
        && !file_name.ends_with(".lock")
        && !matches!(
            file_name,
            "package-lock.json" | "package.json" | "tsconfig.json"
        )
        && !rel
            .split('/')
            .rev()
            .skip(1)
            .any(|d| NOT_DATA_DIRS.contains(&d))
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
    Diagnostic::of_file(path.unwrap_or_default(), message)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_globs_match_one_segment_per_star() {
        assert!(glob_matches("helix-*", "helix-core"));
        assert!(glob_matches("crates/*", "crates/a"));
        assert!(!glob_matches("crates/*", "crates/a/b"));
        assert!(glob_matches("c?re", "core"));
        assert!(!glob_matches("core", "cored"));
    }

    #[test]
    fn fixtures_are_foreign_only_between_the_other_manifest_and_their_own() {
        let go = &LANGS[0];
        let rust = &LANGS[1];
        assert_eq!((go.name, rust.name), ("go", "rust"));
        let mut owners: BTreeMap<String, Vec<&'static LangSpec>> = BTreeMap::new();
        owners.insert(String::new(), vec![rust]);
        owners.insert("tools/goproj".into(), vec![go]);
        owners.insert("tests/fixtures/gomod".into(), vec![go]);
        assert!(is_foreign_fixture("tests/query/go/a.go", go, &owners));
        assert!(is_foreign_fixture("tests/fixtures/gomod/a.go", go, &owners));
        assert!(!is_foreign_fixture("tools/goproj/a.go", go, &owners));
        assert!(!is_foreign_fixture("tools/goproj/tests/a.go", go, &owners));
        assert!(!is_foreign_fixture("tests/integration.rs", rust, &owners));
        // A Rust crate's own tests inside a Go module are its tests, not fixtures.
        let mut go_root: BTreeMap<String, Vec<&'static LangSpec>> = BTreeMap::new();
        go_root.insert(String::new(), vec![go]);
        go_root.insert("tools/rs".into(), vec![rust]);
        assert!(!is_foreign_fixture("tools/rs/tests/t.rs", rust, &go_root));
        assert!(is_foreign_fixture("internal/fixtures/x.rs", rust, &go_root));
    }
}

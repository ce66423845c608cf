//! Reads a git revision (or the work tree) into the model without touching the
//! work tree or the index of the repository.
//!
//! A commit is materialized into a temporary directory outside the repository:
//! `git ls-tree -r -z` lists its blobs and `git cat-file --batch` streams the
//! ones the walk can use (sources, manifests, ignore files). The same walk, scan
//! and assembly as the main job then run on that directory, so both sides of a
//! diff are extracted by the same engine. [`ExtractCache`] keys extraction by
//! file content, so a blob unchanged between the two sides is parsed once.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Component, Path};
use std::process::{Command, Stdio};

use anyhow::{bail, Context};

use crate::config::Config;
use crate::model::{Diagnostic, Item, Package};
use crate::scan::extract::FileFacts;
use crate::scan::lang::{lang_for_extension, LANGS};
use crate::scan::walk;
use crate::scan::{self, Scanned};

/// File names, besides sources, that change what the walk or the package
/// placement sees.
const SUPPORT_FILES: &[&str] = &[".gitignore", ".ignore"];

/// One side of a diff, extracted.
#[derive(Debug)]
pub(crate) struct Snapshot {
    /// The revision as the user wrote it; `None` for the work tree.
    pub rev: Option<String>,
    /// The full commit id; `None` for the work tree.
    pub commit: Option<String>,
    /// Short name used in citations (`path:A-B@label`): 10 hex digits, or `worktree`.
    pub label: String,
    pub packages: Vec<Package>,
    pub items: Vec<Item>,
    pub diagnostics: Vec<Diagnostic>,
    /// Rust: per crate, its re-exports and trait impls.
    pub crates: BTreeMap<String, CrateText>,
}

/// What a Rust crate's text says beyond its items (a textual scan: planrecon
/// does not model `use` items or impl blocks).
#[derive(Debug, Default, Clone)]
pub(crate) struct CrateText {
    /// Leaves of `pub use` trees as (module the leaf comes from, original
    /// name): `pub use crate::util::{A as B}` → (`util`, `A`). The module is
    /// empty for `crate::`, `self::` and `super::` paths (matches any module).
    pub reexports: BTreeSet<(String, String)>,
    /// Modules re-exported whole: `pub use foo::*` → `foo`.
    pub globs: BTreeSet<String>,
    /// Trait impls as (trait, self type), by base name: `impl<T> fmt::Debug for W<T>` → (`Debug`, `W`).
    pub trait_impls: BTreeSet<(String, String)>,
    /// Names imported under another name: `use std::error::Error as StdError` → `StdError` → `Error`.
    pub aliases: BTreeMap<String, String>,
    /// Per file: each name a `use` brings in → its full path
    /// (`use std::cmp::{self, Ordering}` → `cmp` → `std::cmp`, `Ordering` → `std::cmp::Ordering`).
    pub imports: BTreeMap<String, BTreeMap<String, String>>,
}

/// What one file's extraction gave, without its path.
#[derive(Debug, Clone)]
struct Cached {
    facts: Option<FileFacts>,
    /// Diagnostics of the file: line, column and message.
    diagnostics: Vec<(Option<u32>, Option<u32>, String)>,
}

/// Extraction results keyed by (language, length, 128-bit content hash): a
/// file whose bytes did not change between two revisions is parsed once.
#[derive(Debug, Default)]
pub(crate) struct ExtractCache {
    map: BTreeMap<(&'static str, u64, u64, u64), Cached>,
    /// Files served from the cache (for tests and measurements).
    pub hits: usize,
    /// Files parsed.
    pub misses: usize,
}

/// Whether `dir` is inside a git work tree; the error says what to do.
pub(crate) fn ensure_git_repo(dir: &Path) -> anyhow::Result<()> {
    let out = git_output(dir, &["rev-parse", "--is-inside-work-tree"])?;
    if !out.status.success() || String::from_utf8_lossy(&out.stdout).trim() != "true" {
        bail!(
            "{} is not inside a git work tree (diff reads revisions with git; pass --repo PATH)",
            dir.display()
        );
    }
    Ok(())
}

/// The full commit id `rev` names in the repository at `dir`.
pub(crate) fn resolve(dir: &Path, rev: &str) -> anyhow::Result<String> {
    if rev.starts_with('-') {
        bail!("invalid revision {rev:?}: a revision cannot start with '-'");
    }
    let spec = format!("{rev}^{{commit}}");
    let out = git_output(
        dir,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            &spec,
        ],
    )?;
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    if !out.status.success() || id.is_empty() {
        bail!(
            "unknown revision {rev:?} in {} (try `git tag` or `git log --oneline` there)",
            dir.display()
        );
    }
    Ok(id)
}

/// Extract the commit `rev` of the repository at `repo` (the part under `repo`
/// when it is a subdirectory of the checkout).
pub(crate) fn read_commit(
    repo: &Path,
    rev: &str,
    cache: &mut ExtractCache,
) -> anyhow::Result<Snapshot> {
    let commit = resolve(repo, rev)?;
    let tmp = tempfile::Builder::new()
        .prefix("planrecon-diff-")
        .tempdir()
        .context("cannot create a temporary directory")?;
    let missing = materialize(repo, &commit, tmp.path())
        .with_context(|| format!("cannot read revision {rev}"))?;
    let config = Config::for_repo(tmp.path().to_path_buf(), false)?;
    let (packages, items, mut diagnostics, crates) = build_cached(&config, cache)?;
    diagnostics.extend(missing);
    diagnostics.sort();
    Ok(Snapshot {
        rev: Some(rev.to_string()),
        label: commit.chars().take(10).collect(),
        commit: Some(commit),
        packages,
        items,
        diagnostics,
        crates,
    })
}

/// Extract the work tree at `repo` as it is now (uncommitted edits included).
pub(crate) fn read_worktree(repo: &Path, cache: &mut ExtractCache) -> anyhow::Result<Snapshot> {
    let config = Config::for_repo(repo.to_path_buf(), false)?;
    let (packages, items, diagnostics, crates) = build_cached(&config, cache)?;
    Ok(Snapshot {
        rev: None,
        commit: None,
        label: "worktree".to_string(),
        packages,
        items,
        diagnostics,
        crates,
    })
}

/// Whether a file of the tree is needed to extract it: a source of a known
/// language, a manifest, or an ignore file.
fn wanted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if SUPPORT_FILES.contains(&name) || LANGS.iter().any(|l| l.manifest == name) {
        return true;
    }
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| lang_for_extension(ext).is_some())
}

/// Write the wanted blobs of `commit` under `dest`; blobs missing from the
/// object store become diagnostics.
fn materialize(repo: &Path, commit: &str, dest: &Path) -> anyhow::Result<Vec<Diagnostic>> {
    let out = git_output(repo, &["ls-tree", "-r", "-z", commit])?;
    if !out.status.success() {
        bail!(
            "git ls-tree failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let mut blobs: Vec<(String, String)> = Vec::new();
    for entry in out.stdout.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else {
            continue;
        };
        let mut meta = meta.split(' ');
        let (Some(mode), Some(kind), Some(oid)) = (meta.next(), meta.next(), meta.next()) else {
            continue;
        };
        // Regular files only: symbolic links (120000) and submodules are not read.
        if kind != "blob"
            || !(mode == "100644" || mode == "100755")
            || !wanted(path)
            || !safe_relative(path)
        {
            continue;
        }
        blobs.push((oid.to_string(), path.to_string()));
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(repo)
        .args(["cat-file", "--batch"])
        .env("GIT_OPTIONAL_LOCKS", "0")
        // A partial clone would fetch missing blobs over the network: never.
        .env("GIT_NO_LAZY_FETCH", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("cannot run git")?;
    let mut stdin = child.stdin.take().context("git cat-file: no stdin")?;
    let ids: Vec<String> = blobs.iter().map(|(oid, _)| oid.clone()).collect();
    // Feed ids from another thread so a full stdout pipe cannot deadlock us.
    let feeder = std::thread::spawn(move || -> std::io::Result<()> {
        for id in ids {
            writeln!(stdin, "{id}")?;
        }
        Ok(())
    });
    let mut reader = BufReader::new(child.stdout.take().context("git cat-file: no stdout")?);
    let mut header = String::new();
    let mut missing = Vec::new();
    for (oid, path) in &blobs {
        header.clear();
        reader.read_line(&mut header)?;
        let mut parts = header.split_whitespace();
        let size: usize = match (parts.next(), parts.next(), parts.next()) {
            (Some(id), Some("blob"), Some(size)) if id == oid => {
                size.parse().context("git cat-file: bad size")?
            }
            (Some(id), Some("missing"), None) if id == oid => {
                missing.push(Diagnostic::of_file(
                    path.clone(),
                    "skipped: the blob is not in the local repository (a partial clone?)",
                ));
                continue;
            }
            _ => bail!(
                "git cat-file: unexpected answer {:?} for {path}",
                header.trim()
            ),
        };
        let mut bytes = vec![0; size + 1];
        reader.read_exact(&mut bytes)?;
        bytes.pop(); // the newline after each object
        let target = dest.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&target, &bytes)
            .with_context(|| format!("cannot write {}", target.display()))?;
    }
    feeder
        .join()
        .map_err(|_| anyhow::anyhow!("git cat-file: feeder thread panicked"))??;
    let status = child.wait()?;
    if !status.success() {
        bail!("git cat-file failed");
    }
    Ok(missing)
}

/// A repo-relative path with only normal components (git never stores
/// others; this keeps a hostile tree from writing outside the temp dir).
fn safe_relative(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Packages, items, diagnostics and Rust re-exports of one tree.
type Built = (
    Vec<Package>,
    Vec<Item>,
    Vec<Diagnostic>,
    BTreeMap<String, CrateText>,
);

/// Walk, scan (through the cache) and assemble `config.root`.
fn build_cached(config: &Config, cache: &mut ExtractCache) -> anyhow::Result<Built> {
    let walked = walk::walk(config)?;
    let mut diagnostics = walked.diagnostics;
    let keys: Vec<Option<(&'static str, u64, u64, u64)>> = walked
        .files
        .iter()
        .map(|f| {
            if (f.test_by_path && !config.include_tests) || f.size > config.max_file_size {
                return None; // scan decides these without parsing
            }
            let bytes = std::fs::read(&f.abs).ok()?;
            Some((
                f.lang.name,
                bytes.len() as u64,
                content_hash(1, &bytes),
                content_hash(2, &bytes),
            ))
        })
        .collect();
    // Decide hit or miss before scanning: a file whose twin is parsed in this
    // same pass must still take its own scan result, in order.
    let hit: Vec<bool> = keys
        .iter()
        .map(|k| k.is_some_and(|k| cache.map.contains_key(&k)))
        .collect();
    let misses: Vec<_> = walked
        .files
        .iter()
        .zip(&hit)
        .filter(|(_, h)| !**h)
        .map(|(f, _)| f.clone())
        .collect();
    // Test files left out by rule are never parsed: count neither.
    let parsed = misses
        .iter()
        .filter(|f| !f.test_by_path || config.include_tests)
        .count();
    cache.misses += parsed;
    cache.hits += walked.files.len() - misses.len();
    let mut fresh = scan::scan(config, misses)?.into_iter();
    let mut scanned: Vec<Scanned> = Vec::with_capacity(walked.files.len());
    for ((file, key), hit) in walked.files.into_iter().zip(keys).zip(hit) {
        if hit {
            let cached = key
                .and_then(|k| cache.map.get(&k))
                .context("extraction cache lost an entry")?;
            let diagnostics = cached
                .diagnostics
                .iter()
                .map(|(line, column, message)| Diagnostic {
                    file: file.rel.clone(),
                    line: *line,
                    column: *column,
                    message: message.clone(),
                })
                .collect();
            scanned.push(Scanned {
                file,
                facts: cached.facts.clone(),
                diagnostics,
                syntax: None,
            });
            continue;
        }
        let s = fresh
            .next()
            .context("scan returned fewer files than it was given")?;
        if let Some(k) = key {
            let diags = s
                .diagnostics
                .iter()
                .map(|d| (d.line, d.column, d.message.clone()))
                .collect();
            cache.map.entry(k).or_insert(Cached {
                facts: s.facts.clone(),
                diagnostics: diags,
            });
        }
        scanned.push(s);
    }
    let (packages, items) =
        crate::scan::packages::assemble(config, &mut scanned, &walked.manifests, &mut diagnostics);
    for s in &scanned {
        diagnostics.extend(s.diagnostics.iter().cloned());
    }
    diagnostics.sort();
    diagnostics.dedup();
    let crates = rust_crate_text(&scanned, &packages);
    Ok((packages, items, diagnostics, crates))
}

/// The re-exports and trait impls of every Rust crate, read from its non-test files.
fn rust_crate_text(scanned: &[Scanned], packages: &[Package]) -> BTreeMap<String, CrateText> {
    let mut crate_of: BTreeMap<&str, &str> = BTreeMap::new();
    for p in packages {
        if let Some(c) = &p.crate_name {
            for f in &p.files {
                crate_of.insert(f.as_str(), c.as_str());
            }
        }
    }
    let mut out: BTreeMap<String, CrateText> = BTreeMap::new();
    for s in scanned.iter().filter(|s| s.facts.is_some()) {
        let Some(krate) = crate_of.get(s.file.rel.as_str()) else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(&s.file.abs) else {
            continue;
        };
        let entry = out.entry((*krate).to_string()).or_default();
        scan_uses(&text, &s.file.rel, entry);
        scan_trait_impls(&text, entry);
    }
    out
}

/// Byte offsets of `word` in `text` as a whole word.
fn word_at(text: &str, word: &str) -> Vec<usize> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(word)
        .map(|(i, _)| i)
        .filter(|&i| {
            !text[..i].chars().next_back().is_some_and(ident)
                && !text[i + word.len()..].chars().next().is_some_and(ident)
        })
        .collect()
}

/// Read every `use` declaration of `file`: re-exports (`pub use`), aliases
/// and the file's imports. A `use` counts only at the start of a line (after
/// an optional `pub`), and only when its tree has path characters alone, so
/// prose in comments is not read as code.
fn scan_uses(text: &str, file: &str, into: &mut CrateText) {
    for at in word_at(text, "use") {
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let lead = text[line_start..at].trim();
        let public = lead == "pub";
        if !(lead.is_empty() || public || lead.starts_with("pub(")) {
            continue;
        }
        let tree = &text[at + 3..];
        let tree = &tree[..tree.find(';').unwrap_or(tree.len())];
        if !tree
            .chars()
            .all(|c| c.is_alphanumeric() || "_:{}, *\t\r\n".contains(c))
        {
            continue;
        }
        // A `use` indented under an inline module (`mod tests { use super::*; }`)
        // never overrides what the file's own `use`s bring in.
        let nested = text[line_start..at].starts_with(char::is_whitespace);
        for (path, alias) in use_tree_paths(tree) {
            record_use(&path, alias, public, nested, file, into);
        }
    }
}

fn record_use(
    path: &[String],
    alias: Option<String>,
    public: bool,
    nested: bool,
    file: &str,
    into: &mut CrateText,
) {
    let Some(leaf) = path.last() else { return };
    let n = path.len();
    let module = if n >= 2 { path[n - 2].as_str() } else { "" };
    let module = if matches!(module, "crate" | "self" | "super") {
        ""
    } else {
        module
    };
    if leaf == "*" {
        if public && !module.is_empty() {
            into.globs.insert(module.to_string());
        }
        return;
    }
    // `use a::b::{self}` names `b`.
    let (full, name): (&[String], &str) = if leaf == "self" {
        if n < 2 {
            return;
        }
        (&path[..n - 1], path[n - 2].as_str())
    } else {
        (path, leaf.as_str())
    };
    if matches!(name, "crate" | "self" | "super") {
        return;
    }
    if public && leaf != "self" {
        into.reexports
            .insert((module.to_string(), name.to_string()));
    }
    let local = alias.clone().unwrap_or_else(|| name.to_string());
    if let Some(a) = &alias {
        if a != "_" {
            into.aliases.insert(a.clone(), name.to_string());
        }
    }
    if local != "_" {
        let imports = into.imports.entry(file.to_string()).or_default();
        if !(nested && imports.contains_key(&local)) {
            imports.insert(local, full.join("::"));
        }
    }
}

/// The paths of a use tree with their `as` names:
/// `a::{b, c::{d as e}, f::*}` → `a::b`, `a::c::d` as `e`, `a::f::*`.
fn use_tree_paths(tree: &str) -> Vec<(Vec<String>, Option<String>)> {
    let mut out = Vec::new();
    let mut stack: Vec<Vec<String>> = vec![Vec::new()];
    let mut cur: Vec<String> = Vec::new();
    let mut alias: Option<String> = None;
    let mut expect_alias = false;
    let emit = |stack: &Vec<Vec<String>>,
                cur: &mut Vec<String>,
                alias: &mut Option<String>,
                out: &mut Vec<_>| {
        if cur.is_empty() {
            return; // after a closing brace: the group emitted its own leaves
        }
        let mut path = stack.last().cloned().unwrap_or_default();
        path.append(cur);
        out.push((path, alias.take()));
    };
    let mut chars = tree.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '{' => {
                let mut path = stack.last().cloned().unwrap_or_default();
                path.append(&mut cur);
                stack.push(path);
            }
            ',' => emit(&stack, &mut cur, &mut alias, &mut out),
            '}' => {
                emit(&stack, &mut cur, &mut alias, &mut out);
                if stack.len() > 1 {
                    stack.pop();
                }
            }
            '*' => cur.push("*".into()),
            c if c.is_alphanumeric() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if !(d.is_alphanumeric() || d == '_') {
                        break;
                    }
                    end = j + d.len_utf8();
                    chars.next();
                }
                let word = &tree[i..end];
                if word == "as" {
                    expect_alias = true;
                } else if expect_alias {
                    expect_alias = false;
                    alias = Some(word.to_string());
                } else {
                    cur.push(word.to_string());
                }
            }
            _ => {}
        }
    }
    emit(&stack, &mut cur, &mut alias, &mut out);
    out
}

/// Add every `impl Trait for Type` header of `text` to `into` (base names).
fn scan_trait_impls(text: &str, into: &mut CrateText) {
    for at in word_at(text, "impl") {
        let rest = &text[at + 4..];
        let end = rest.find(['{', ';']).unwrap_or(rest.len());
        let mut header = &rest[..end];
        if let Some(w) = word_at(header, "where").first() {
            header = &header[..*w];
        }
        let header = header.trim_start();
        // Skip the impl's own generics: `impl<T: Into<U>> …`.
        let header = if header.starts_with('<') {
            let mut depth = 0i32;
            let mut cut = header.len();
            for (i, c) in header.char_indices() {
                match c {
                    '<' => depth += 1,
                    '>' => {
                        depth -= 1;
                        if depth == 0 {
                            cut = i + 1;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            &header[cut..]
        } else {
            header
        };
        let Some(f) = word_at(header, "for").into_iter().next() else {
            continue;
        };
        let (t, ty) = (header[..f].trim(), header[f + 3..].trim());
        if t.is_empty() || ty.is_empty() || t.contains('(') {
            continue; // `for<'a>` bounds, fn pointer types
        }
        let t = t.trim_start_matches('!');
        let t = t.split('<').next().unwrap_or(t);
        let t = t.rsplit("::").next().unwrap_or(t).trim();
        into.trait_impls
            .insert((t.to_string(), crate::scan::syntax::base_type_name(ty)));
    }
}

/// A 64-bit SipHash of `bytes` salted with `salt` (the std hasher's keys are
/// fixed, so the value is the same on every run).
#[allow(deprecated)] // SipHasher is deprecated only in favour of the randomly keyed default
fn content_hash(salt: u64, bytes: &[u8]) -> u64 {
    let mut h = std::hash::SipHasher::new_with_keys(salt, salt.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    bytes.hash(&mut h);
    h.finish()
}

/// Run git read-only in `dir` and capture its output.
fn git_output(dir: &Path, args: &[&str]) -> anyhow::Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .output()
        .context("cannot run git (is it installed?)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wanted_files_are_sources_manifests_and_ignores() {
        assert!(wanted("a/b.go"));
        assert!(wanted("src/lib.rs"));
        assert!(wanted("go.mod"));
        assert!(wanted("crates/x/Cargo.toml"));
        assert!(wanted("sub/.gitignore"));
        assert!(!wanted("README.md"));
        assert!(!wanted("go.sum"));
    }

    #[test]
    fn only_normal_relative_paths_are_written() {
        assert!(safe_relative("a/b.rs"));
        assert!(!safe_relative("../x.rs"));
        assert!(!safe_relative("/etc/x.rs"));
        assert!(!safe_relative(""));
    }

    fn git(dir: &Path, args: &[&str]) {
        let ok = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args([
                "-c",
                "user.name=t",
                "-c",
                "user.email=t@t",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .output()
            .expect("git")
            .status
            .success();
        assert!(ok, "git {args:?}");
    }

    #[test]
    fn unchanged_files_are_extracted_once_and_the_tree_is_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path();
        git(repo, &["init", "-q"]);
        std::fs::write(repo.join("go.mod"), "module m\n").unwrap();
        std::fs::write(repo.join("a.go"), "package m\n\nfunc A() {}\n").unwrap();
        std::fs::write(repo.join("b.go"), "package m\n\nfunc B() {}\n").unwrap();
        // Twins: the same bytes twice in one tree; each keeps its own items.
        std::fs::write(repo.join("t1.go"), "package m\n\nfunc T1() {}\n").unwrap();
        std::fs::write(repo.join("t2.go"), "package m\n\nfunc T1() {}\n").unwrap();
        std::fs::write(repo.join("z.go"), "package m\n\nfunc Z() {}\n").unwrap();
        git(repo, &["add", "-A"]);
        git(repo, &["commit", "-q", "-m", "one"]);
        std::fs::write(repo.join("b.go"), "package m\n\nfunc B(n int) {}\n").unwrap();
        git(repo, &["commit", "-q", "-am", "two"]);
        let mut cache = ExtractCache::default();
        let old = read_commit(repo, "HEAD~1", &mut cache).unwrap();
        let new = read_worktree(repo, &mut cache).unwrap();
        assert_eq!(
            (cache.misses, cache.hits),
            (6, 4),
            "unchanged files are parsed once"
        );
        let files: Vec<_> = new
            .items
            .iter()
            .map(|i| (i.file.as_str(), i.name.as_str()))
            .collect();
        assert_eq!(
            files,
            [
                ("a.go", "A"),
                ("b.go", "B"),
                ("t1.go", "T1"),
                ("t2.go", "T1"),
                ("z.go", "Z")
            ]
        );
        assert_eq!(
            old.items
                .iter()
                .map(|i| i.signature.as_str())
                .collect::<Vec<_>>(),
            ["func A()", "func B()", "func T1()", "func T1()", "func Z()"]
        );
        assert_eq!(new.items[1].signature, "func B(n int)");
        assert_eq!(old.items[0].file, "a.go");
        assert_eq!(old.label.len(), 10);
        let names: Vec<_> = std::fs::read_dir(repo)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names.len(),
            7,
            "nothing written in the repository: {names:?}"
        );
    }

    #[test]
    fn use_declarations_give_reexports_aliases_and_imports() {
        let mut r = CrateText::default();
        scan_uses(
            "mod a;\npub use crate::a::{Alpha, beta::{Beta as B, self}};\npub(crate) use x::Hidden;\npub use self::glob::*;\n// we use the Nope; here\npub use Root;\nuse std::cmp::{self, Ordering};\nuse std::error::Error as StdError;\n",
            "src/lib.rs",
            &mut r,
        );
        let got: Vec<(&str, &str)> = r
            .reexports
            .iter()
            .map(|(m, n)| (m.as_str(), n.as_str()))
            .collect();
        assert_eq!(got, [("", "Root"), ("a", "Alpha"), ("beta", "Beta")]);
        assert_eq!(r.globs.iter().collect::<Vec<_>>(), ["glob"]);
        let aliases: Vec<(&str, &str)> = r
            .aliases
            .iter()
            .map(|(a, o)| (a.as_str(), o.as_str()))
            .collect();
        assert_eq!(aliases, [("B", "Beta"), ("StdError", "Error")]);
        let imports = &r.imports["src/lib.rs"];
        assert_eq!(imports["cmp"], "std::cmp");
        assert_eq!(imports["Ordering"], "std::cmp::Ordering");
        assert_eq!(imports["B"], "crate::a::beta::Beta");
        assert_eq!(imports["beta"], "crate::a::beta");
        assert_eq!(imports["Hidden"], "x::Hidden");
        assert!(!imports.contains_key("Nope"));
    }

    #[test]
    fn trait_impl_headers_give_trait_and_type() {
        let mut r = CrateText::default();
        scan_trait_impls(
            "impl<T: Into<U>> fmt::Debug for Wrap<T> where T: Send {}\nimpl std::error::Error for E {}\nimpl Plain {}\nunsafe impl Send for P {}\n",
            &mut r,
        );
        let got: Vec<(&str, &str)> = r
            .trait_impls
            .iter()
            .map(|(t, n)| (t.as_str(), n.as_str()))
            .collect();
        assert_eq!(got, [("Debug", "Wrap"), ("Error", "E"), ("Send", "P")]);
    }

    #[test]
    fn a_missing_blob_is_a_diagnostic_not_a_failure() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path();
        git(repo, &["init", "-q"]);
        std::fs::write(repo.join("a.go"), "package m\n\nfunc A() {}\n").unwrap();
        std::fs::write(repo.join("b.go"), "package m\n\nfunc B() {}\n").unwrap();
        git(repo, &["add", "-A"]);
        git(repo, &["commit", "-q", "-m", "one"]);
        let out = git_output(repo, &["rev-parse", "HEAD:b.go"]).unwrap();
        let oid = String::from_utf8(out.stdout).unwrap().trim().to_string();
        std::fs::remove_file(repo.join(".git/objects").join(&oid[..2]).join(&oid[2..])).unwrap();
        let snap = read_commit(repo, "HEAD", &mut ExtractCache::default()).unwrap();
        assert_eq!(
            snap.items
                .iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>(),
            ["A"]
        );
        assert_eq!(snap.diagnostics.len(), 1);
        assert_eq!(snap.diagnostics[0].file, "b.go");
        assert!(snap.diagnostics[0]
            .message
            .contains("not in the local repository"));
    }

    #[test]
    fn content_hash_depends_on_salt_and_bytes() {
        assert_eq!(content_hash(1, b"abc"), content_hash(1, b"abc"));
        assert_ne!(content_hash(1, b"abc"), content_hash(2, b"abc"));
        assert_ne!(content_hash(1, b"abc"), content_hash(1, b"abd"));
    }
}

//! The first stage: from the repository on disk to the model. `walk` lists
//! the files (every skip rule lives there), `lang` is the language registry,
//! `query` compiles its queries, `parse` keeps one parser per thread, `syntax`
//! holds the tree helpers, `extract` and `facts` read one parse of a file into
//! items and facts, `cache` stores them per file, and `packages` assembles the
//! files into packages. Syntax trees never leave this folder: `snapshot`
//! copies what the reference resolver reads of one (from the same parse),
//! so a run that resolves references parses no file twice.
//!
//! This file reads and extracts every source file in parallel, in file order.
//! A file that cannot be read cleanly (unreadable, too large, binary, not
//! UTF-8) becomes a diagnostic; the run goes on. rayon's indexed `collect`
//! keeps the walk's order, so the result does not depend on the thread count.
//!
//! Extraction results come from the content-addressed cache (`cache.rs`) when
//! an entry for the file's exact text exists; otherwise the file is parsed and
//! the result stored. Progress goes to stderr only when it is a terminal and
//! the scan has run for over a second.

pub(crate) mod cache;
pub(crate) mod data;
pub(crate) mod depth;
pub(crate) mod extract;
pub(crate) mod facts;
pub(crate) mod lang;
pub(crate) mod pack;
pub(crate) mod packages;
pub(crate) mod parse;
pub(crate) mod pattern;
pub(crate) mod query;
pub(crate) mod snapshot;
pub(crate) mod syntax;
#[cfg(test)]
pub(crate) mod test_sources;
pub(crate) mod walk;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use crate::config::Config;
use crate::model::{Diagnostic, Inventory, Scope, SCHEMA_VERSION};
use crate::util::progress::Progress;
use cache::Cache;
use extract::{extract_file_keeping, FileFacts};
use lang::lang_index;
use parse::{parse_text, with_parser};
use snapshot::{FileSyntax, Recipe};
use walk::SourceFile;

/// Bytes inspected for NUL to call a file binary (as git and ripgrep do).
const BINARY_SNIFF_BYTES: usize = 8 * 1024;

/// One file after extraction.
#[derive(Debug)]
pub(crate) struct Scanned {
    pub file: SourceFile,
    /// `None` when the file was not parsed (skipped test file or unreadable).
    pub facts: Option<FileFacts>,
    pub diagnostics: Vec<Diagnostic>,
    /// The copy of the file's syntax a recipe asked for, when this run parsed it.
    pub syntax: Option<FileSyntax>,
}

/// Per language (the registry's order), what to copy of each file the scan
/// parses; an empty slice copies nothing.
pub(crate) type Recipes<'r> = &'r [Option<&'static Recipe>];

/// Counts of one scan, for `--stats` and the tests that prove the cache works.
#[derive(Debug, Default)]
struct Counts {
    /// Files whose text was read.
    read: AtomicUsize,
    /// Files parsed (the cache had no valid entry, or caching is off).
    parsed: AtomicUsize,
    /// Files whose facts came from the cache.
    cached: AtomicUsize,
}

/// Read and extract `files` on `config.threads` threads.
pub(crate) fn scan(config: &Config, files: Vec<SourceFile>) -> anyhow::Result<Vec<Scanned>> {
    scan_keeping(config, files, &[])
}

/// [`scan`], also copying the syntax `recipes` ask for from each file it parses.
pub(crate) fn scan_keeping(
    config: &Config,
    files: Vec<SourceFile>,
    recipes: Recipes,
) -> anyhow::Result<Vec<Scanned>> {
    let start = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()?;
    let cache = config.cache_dir.as_deref().map(Cache::new);
    let counts = Counts::default();
    let progress = Progress::new(files.len() as u64, start, "files");
    let scanned: Vec<Scanned> = pool.install(|| {
        files
            .into_par_iter()
            // One file per job: file costs vary a hundredfold, and coarse
            // chunks leave a thread idle at the end.
            .with_max_len(1)
            .map(|f| {
                let s = scan_one(config, cache.as_ref(), &counts, recipes, f);
                progress.tick();
                s
            })
            .collect()
    });
    progress.finish();
    if config.stats {
        eprintln!(
            "planrecon: stats: files {}, read {}, parsed {}, from cache {}, scan {} ms",
            scanned.len(),
            counts.read.load(Ordering::Relaxed),
            counts.parsed.load(Ordering::Relaxed),
            counts.cached.load(Ordering::Relaxed),
            start.elapsed().as_millis()
        );
    }
    Ok(scanned)
}

/// The facts of `text`: from the cache when it has a valid entry, else
/// extracted (and stored), with the copy of its syntax `keep` asks for.
/// `None` when the grammar cannot be loaded.
fn facts_of(
    file: &SourceFile,
    text: &str,
    cache: Option<&Cache>,
    counts: &Counts,
    keep: Option<&Recipe>,
) -> Option<Result<(FileFacts, Option<FileSyntax>), String>> {
    let key = cache.map(|_| Cache::key(file.lang, cache::query_hash(file.lang), text));
    if let (Some(cache), Some(key)) = (cache, &key) {
        if let Some(facts) = cache.get(key) {
            counts.cached.fetch_add(1, Ordering::Relaxed);
            return Some(Ok((facts, None)));
        }
    }
    counts.parsed.fetch_add(1, Ordering::Relaxed);
    let result = with_parser(file.lang, |p| {
        extract_file_keeping(file.lang, p, text, keep)
    });
    if let (Some(cache), Some(key), Some(Ok((facts, _)))) = (cache, &key, &result) {
        cache.put(key, facts);
    }
    result
}

fn scan_one(
    config: &Config,
    cache: Option<&Cache>,
    counts: &Counts,
    recipes: Recipes,
    file: SourceFile,
) -> Scanned {
    let mut diagnostics = Vec::new();
    let mut syntax = None;
    if file.test_by_path && !config.include_tests {
        return Scanned {
            file,
            facts: None,
            diagnostics,
            syntax,
        };
    }
    let keep = recipes.get(lang_index(file.lang)).copied().flatten();
    let facts = match read_source(config, &file) {
        Ok(text) => {
            counts.read.fetch_add(1, Ordering::Relaxed);
            if config.parse_only {
                with_parser(file.lang, |p| drop(parse_text(p, &text)));
                counts.parsed.fetch_add(1, Ordering::Relaxed);
                None
            } else {
                match facts_of(&file, &text, cache, counts, keep) {
                    Some(Ok((facts, copied))) => {
                        syntax = copied;
                        for (line, column, message) in &facts.syntax_errors {
                            diagnostics.push(Diagnostic {
                                file: file.rel.clone(),
                                line: Some(*line),
                                column: (*column > 0).then_some(*column),
                                message: message.clone(),
                            });
                        }
                        Some(facts)
                    }
                    Some(Err(message)) => {
                        diagnostics.push(Diagnostic::of_file(file.rel.clone(), message));
                        None
                    }
                    None => {
                        diagnostics.push(Diagnostic::of_file(
                            file.rel.clone(),
                            format!("the {} grammar could not be loaded", file.lang.name),
                        ));
                        None
                    }
                }
            }
        }
        Err(message) => {
            diagnostics.push(Diagnostic::of_file(file.rel.clone(), message));
            None
        }
    };
    Scanned {
        file,
        facts,
        diagnostics,
        syntax,
    }
}

/// The file's text, or why it is skipped (see [`decode_source`]).
pub(crate) fn read_source(config: &Config, file: &SourceFile) -> Result<String, String> {
    if file.size > config.max_file_size {
        return Err(format!(
            "skipped: {} bytes is over the --max-file-size limit of {} bytes",
            file.size, config.max_file_size
        ));
    }
    let bytes = std::fs::read(&file.abs).map_err(|e| match e.kind() {
        std::io::ErrorKind::PermissionDenied => "skipped: permission denied".to_string(),
        std::io::ErrorKind::NotFound => {
            "skipped: the file disappeared while it was being read".to_string()
        }
        _ => format!("skipped: cannot read: {e}"),
    })?;
    if bytes.len() as u64 > config.max_file_size {
        return Err(format!(
            "skipped: {} bytes is over the --max-file-size limit of {} bytes",
            bytes.len(),
            config.max_file_size
        ));
    }
    decode_source(bytes)
}

/// The text of a file's bytes, or why it is skipped: binary (a NUL byte in
/// the first 8 KiB) or not UTF-8. A UTF-8 byte order mark becomes three
/// spaces, so byte offsets, columns and lines stay those of the file.
pub(crate) fn decode_source(mut bytes: Vec<u8>) -> Result<String, String> {
    if bytes[..bytes.len().min(BINARY_SNIFF_BYTES)].contains(&0) {
        return Err("skipped: binary file (NUL byte)".to_string());
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes[..3].copy_from_slice(b"   ");
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        format!("skipped: not valid UTF-8 (line {line})")
    })
}

/// Scan and assemble the model of the files `walked` found.
pub(crate) fn build_inventory_from(
    config: &Config,
    walked: walk::WalkOutput,
) -> anyhow::Result<Inventory> {
    Ok(build_inventory_keeping(config, walked, &[])?.0)
}

/// [`build_inventory_from`], and the copies of syntax `recipes` ask for,
/// one per walked file in the walk's order (`None`: not parsed by the scan).
pub(crate) fn build_inventory_keeping(
    config: &Config,
    walked: walk::WalkOutput,
    recipes: Recipes,
) -> anyhow::Result<(Inventory, Vec<Option<FileSyntax>>)> {
    // git runs while the tree is read: on a warm cache it is most of the wait.
    let root = config.root.clone();
    let git_thread = std::thread::spawn(move || crate::util::git::state(&root));
    let mut diagnostics = walked.diagnostics;
    let mut scanned = scan_keeping(config, walked.files, recipes)?;
    let syntax = scanned.iter_mut().map(|s| s.syntax.take()).collect();
    let (packages, items) =
        packages::assemble(config, &mut scanned, &walked.manifests, &mut diagnostics);
    let mut scope = Scope {
        // The languages actually present, not merely enabled.
        languages: config
            .langs
            .iter()
            .filter(|l| scanned.iter().any(|s| std::ptr::eq(s.file.lang, **l)))
            .map(|l| l.name.to_string())
            .collect(),
        include_tests: config.include_tests,
        excluded: walk::DEFAULT_EXCLUDED_DIRS
            .iter()
            .map(|d| format!("{d}/"))
            .chain(config.exclude.iter().cloned())
            .chain(
                (walked.skipped.foreign_fixtures > 0)
                    .then(|| walk::FOREIGN_FIXTURES_RULE.to_string()),
            )
            .collect(),
        ..Scope::default()
    };
    for s in &scanned {
        diagnostics.extend(s.diagnostics.iter().cloned());
        match &s.facts {
            Some(f) => {
                scope.files += 1;
                scope.lines += f.lines;
            }
            None if s.file.test_by_path && !config.include_tests => scope.test_files_excluded += 1,
            None => {}
        }
    }
    diagnostics.sort();
    diagnostics.dedup();
    let (commit, dirty) = git_thread.join().unwrap_or((None, None));
    let notes = packages::place_notes(&mut scanned, &packages);
    let inventory = Inventory {
        notes,
        schema_version: SCHEMA_VERSION,
        root: config.root_name.clone(),
        commit,
        dirty,
        scope,
        packages,
        items,
        diagnostics,
    };
    Ok((inventory, syntax))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;
    use crate::scan::extract::Extracted;

    fn config(root: &std::path::Path, cache: Option<&std::path::Path>) -> Config {
        let mut c = Config::for_repo(root.to_path_buf(), false).expect("config");
        c.cache_dir = cache.map(std::path::Path::to_path_buf);
        c
    }

    fn facts(config: &Config) -> Vec<Option<FileFacts>> {
        let walked = crate::scan::walk::walk(config).expect("walk");
        scan(config, walked.files)
            .expect("scan")
            .into_iter()
            .map(|s| s.facts)
            .collect()
    }

    /// Entries stored under another query's hash (an older `items.scm`) are
    /// never read: the key holds the query hash.
    #[test]
    fn entries_of_another_query_are_not_used() {
        let repo = tempfile::tempdir().unwrap();
        let text = "pub struct Real;\n";
        std::fs::write(repo.path().join("lib.rs"), text).unwrap();
        let cache_dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::new(cache_dir.path());
        let spec = crate::scan::lang::lang_for_extension("rs").unwrap();
        let hash = cache::query_hash(spec);
        let mut stale = FileFacts::default();
        stale.items.push(Extracted {
            kind: "fn",
            name: "Stale".into(),
            parent: None,
            trait_impl: None,
            span: Span {
                line: 1,
                end_line: 1,
            },
            column: 0,
            visibility: "pub".into(),
            signature: "pub fn Stale()".into(),
            doc: None,
            attributes: Vec::new(),
            macro_name: None,
            members: Vec::new(),
            embeds: Vec::new(),
            namespace: Vec::new(),
            test_scope: false,
            has_body: true,
            source: None,
        });
        cache.put(&Cache::key(spec, hash ^ 1, text), &stale);
        cache.flush();

        let expected = facts(&config(repo.path(), None));
        let got = facts(&config(repo.path(), Some(cache_dir.path())));
        assert_eq!(got, expected);
        assert_eq!(got[0].as_ref().unwrap().items[0].name, "Real");
        // The entry under the real key is used once written, and it is right.
        assert_eq!(cache.get(&Cache::key(spec, hash, text)), expected[0]);
        // And the same stale facts under the real key would be used: the
        // test above fails for the right reason.
        cache.put(&Cache::key(spec, hash, text), &stale);
        cache.flush();
        let poisoned = facts(&config(repo.path(), Some(cache_dir.path())));
        assert_eq!(poisoned[0].as_ref().unwrap().items[0].name, "Stale");
    }

    fn source(dir: &std::path::Path, size: u64) -> SourceFile {
        SourceFile {
            rel: "a.go".into(),
            abs: dir.join("a.go"),
            lang: crate::scan::lang::lang_by_name("go").expect("go"),
            test_by_path: false,
            size,
        }
    }

    /// A file the walk saw can vanish or grow before it is read: both are
    /// diagnostics, never a panic or a read past the size limit.
    #[test]
    fn files_changed_after_the_walk_are_diagnostics() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut config = Config::for_repo(tmp.path().to_path_buf(), false).expect("config");
        config.max_file_size = 100;
        let gone = source(tmp.path(), 10);
        assert_eq!(
            read_source(&config, &gone),
            Err("skipped: the file disappeared while it was being read".to_string())
        );
        let scanned = scan(&config, vec![gone.clone()]).expect("scan");
        assert!(scanned[0].facts.is_none());
        assert_eq!(scanned[0].diagnostics.len(), 1);
        std::fs::write(tmp.path().join("a.go"), "x".repeat(500)).expect("write");
        assert_eq!(
            read_source(&config, &source(tmp.path(), 10)),
            Err("skipped: 500 bytes is over the --max-file-size limit of 100 bytes".to_string())
        );
    }

    #[test]
    fn decoding_keeps_offsets_and_names_the_bad_line() {
        assert_eq!(
            decode_source(b"\xEF\xBB\xBFpackage a\n".to_vec()).as_deref(),
            Ok("   package a\n")
        );
        assert_eq!(
            decode_source(b"a\nb\n\xff\n".to_vec()),
            Err("skipped: not valid UTF-8 (line 3)".to_string())
        );
        assert_eq!(
            decode_source(b"a\0".to_vec()),
            Err("skipped: binary file (NUL byte)".to_string())
        );
        let mut late_nul = vec![b' '; BINARY_SNIFF_BYTES];
        late_nul.push(0);
        assert!(
            decode_source(late_nul).is_ok(),
            "a NUL past the sniff window is text"
        );
    }
}

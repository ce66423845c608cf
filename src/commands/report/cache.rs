//! The whole-report cache: when nothing the Markdown report depends on has
//! changed, the report is printed from the cache without building the model.
//!
//! The key covers every input of the report: planrecon's build (the same
//! fingerprint as every other entry), every setting that can change the
//! report (options, root, languages, limits; not the output path, the
//! thread count or `--stats`), the walk (each file's path, language, test
//! status and content hash; the manifests' contents; the walk's
//! diagnostics) and what git says (commit, dirty). The report also asks the
//! file system whether some paths are files (data files a literal names,
//! workspace members' manifests); those answers are stored with the entry
//! and asked again on every hit, which is a miss if any answer changed.

use std::path::Path;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::scan::cache::{Cache, Key};
use crate::scan::walk::WalkOutput;
use crate::util::probe::take_probes;

/// A stored report, the lines it printed on stderr and the answers it was
/// built with.
#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    text: String,
    notes: Vec<String>,
    probes: Vec<(String, bool)>,
}

/// The key of the report `config` asks for on the walked tree `walked`,
/// with git's `commit` and `dirty`.
pub(crate) fn key(
    config: &Config,
    walked: &WalkOutput,
    commit: &Option<String>,
    dirty: Option<bool>,
) -> Key {
    let mut h = blake3::Hasher::new();
    let mut part = |bytes: &[u8]| {
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    };
    // Every setting that can change the report; destructured so that a new
    // one must be added here or left out on purpose.
    let Config {
        root,
        root_name,
        format,
        output: _,
        langs,
        include_tests,
        exclude,
        threads: _,
        max_file_size,
        parse_only,
        parse_data: _,
        cache_dir: _,
        stats: _,
        report,
    } = config;
    let langs: Vec<&str> = langs.iter().map(|l| l.name).collect();
    part(
        format!(
            "{root:?} {root_name:?} {format:?} {langs:?} {include_tests} {exclude:?} \
             {max_file_size} {parse_only} {report:?}"
        )
        .as_bytes(),
    );
    part(format!("{commit:?} {dirty:?}").as_bytes());
    part(format!("{:?}", walked.diagnostics).as_bytes());
    // Files larger than every reader's limit are only ever skipped by size.
    let limit = config
        .max_file_size
        .max(crate::resolve::find::MAX_FILE_BYTES);
    let files: Vec<[u8; 32]> = walked
        .files
        .par_iter()
        .map(|f| {
            let mut fh = blake3::Hasher::new();
            fh.update(
                format!("{} {} {} {}", f.rel, f.lang.name, f.test_by_path, f.size).as_bytes(),
            );
            if f.size <= limit {
                match std::fs::read(&f.abs) {
                    Ok(bytes) => fh.update(b"\x01").update(&bytes),
                    Err(e) => fh
                        .update(b"\x02")
                        .update(format!("{:?}", e.kind()).as_bytes()),
                };
            }
            *fh.finalize().as_bytes()
        })
        .collect();
    for f in &files {
        part(f);
    }
    // The report lists the tree's data files by name, with the top-level
    // keys of those small enough to read: names and those texts are part of the key.
    for d in &walked.data_files {
        part(b"data");
        part(d.as_bytes());
        let path = config.root.join(d);
        let small = std::fs::symlink_metadata(&path)
            .is_ok_and(|m| m.len() <= crate::scan::data::MAX_DATA_FILE);
        if small {
            match std::fs::read(&path) {
                Ok(bytes) => part(&bytes),
                Err(e) => part(format!("{:?}", e.kind()).as_bytes()),
            }
        }
    }
    for m in &walked.manifests {
        part(m.as_bytes());
        match std::fs::read(config.root.join(m)) {
            Ok(bytes) => part(&bytes),
            Err(e) => part(format!("{:?}", e.kind()).as_bytes()),
        }
    }
    Cache::derived_whole_key("report", h.finalize().as_bytes())
}

/// The stored report for `key` and its stderr lines, if there is a whole
/// entry and every file-system answer it was built with still holds.
pub(crate) fn lookup(cache: &Cache, key: &Key, root: &Path) -> Option<(String, Vec<String>)> {
    let entry: Entry = cache.get(key)?;
    entry
        .probes
        .iter()
        .all(|(rel, answer)| root.join(rel).is_file() == *answer)
        .then_some((entry.text, entry.notes))
}

/// Store `text` and its stderr lines `notes` under `key` with the answers
/// recorded since [`clear_probes`].
pub(crate) fn store(cache: &Cache, key: &Key, text: &str, notes: &[String]) {
    let entry = Entry {
        text: text.to_string(),
        notes: notes.to_vec(),
        probes: take_probes(),
    };
    cache.put(key, &entry);
}

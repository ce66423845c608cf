//! A content-addressed cache of per-file extraction results.
//!
//! An entry holds the [`FileFacts`](crate::extract::FileFacts) of one file's text. Its key is a BLAKE3
//! hash of everything extraction depends on: the text, the language, the hash
//! of the language's query, planrecon's version and a fingerprint of every
//! source file planrecon was built from (so a rebuilt binary never reads
//! stale entries, even at the same version). Entries live outside the repository being read:
//! `$XDG_CACHE_HOME/planrecon`, else `~/.cache/planrecon`, or `--cache-dir`.
//!
//! The same store keeps results derived from one file and some context (the
//! references the report shows, keyed by [`Cache::derived_key`]) and whole
//! reports ([`Cache::derived_whole_key`]); their keys carry a domain name, so
//! no two kinds of entry share a key.
//!
//! Entries are records in pack files (`scan/pack.rs`): one pack per store
//! and run, not one file per entry.
//!
//! The cache can never make output wrong. Each record repeats its key and
//! carries the length and a BLAKE3 checksum of its payload: a record that is
//! truncated, corrupt, or written for another key is ignored and the file is
//! extracted again (and the record rewritten). A pack is published whole or
//! not at all, so a reader never sees a half-written one; two processes
//! sharing a directory at worst both write the same records.

use std::path::Path;
use std::sync::OnceLock;

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};

use crate::scan::lang::{lang_index, LangSpec, LANGS};
use crate::scan::pack::PackStore;
use crate::scan::query::fnv1a;

/// Bumped when the entry layout changes; old entries then sit in another
/// directory (`v1` held one file per entry).
const LAYOUT_DIR: &str = "v2";

/// An open cache directory. Nothing is created on disk until the first
/// write; what was written is published when the cache is dropped.
#[derive(Debug)]
pub(crate) struct Cache {
    /// The packs of `<cache dir>/v2`.
    packs: PackStore,
}

/// The key of one file's extraction result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Key([u8; 32]);

impl Cache {
    /// A cache rooted at `dir` (the `planrecon` directory itself).
    pub(crate) fn new(dir: &Path) -> Cache {
        Cache {
            packs: PackStore::new(dir.join(LAYOUT_DIR)),
        }
    }

    /// The key of `text` read as `spec`'s language with a query of hash `query_hash`.
    pub(crate) fn key(spec: &LangSpec, query_hash: u64, text: &str) -> Key {
        let mut h = blake3::Hasher::new();
        h.update(build_fingerprint());
        h.update(spec.name.as_bytes());
        h.update(&[0]);
        h.update(&query_hash.to_le_bytes());
        h.update(&(text.len() as u64).to_le_bytes());
        h.update(text.as_bytes());
        Key(*h.finalize().as_bytes())
    }

    /// The key of a result derived from `text` (read as `spec`'s language)
    /// and `context`, for the entry kind `domain`. Besides the build
    /// fingerprint it covers the language's reference query.
    pub(crate) fn derived_key(domain: &str, spec: &LangSpec, context: &[u8], text: &str) -> Key {
        let mut h = blake3::Hasher::new();
        h.update(build_fingerprint());
        for part in [
            domain.as_bytes(),
            spec.name.as_bytes(),
            spec.refs.query.as_bytes(),
            context,
        ] {
            h.update(&(part.len() as u64).to_le_bytes());
            h.update(part);
        }
        h.update(&(text.len() as u64).to_le_bytes());
        h.update(text.as_bytes());
        Key(*h.finalize().as_bytes())
    }

    /// The key of a result derived from many files at once, for the entry
    /// kind `domain`: `digest` must already cover every input.
    pub(crate) fn derived_whole_key(domain: &str, digest: &[u8]) -> Key {
        let mut h = blake3::Hasher::new();
        h.update(build_fingerprint());
        h.update(&(domain.len() as u64).to_le_bytes());
        h.update(domain.as_bytes());
        h.update(digest);
        Key(*h.finalize().as_bytes())
    }

    /// The stored value for `key`, or `None` when there is no whole, valid entry.
    pub(crate) fn get<T: DeserializeOwned>(&self, key: &Key) -> Option<T> {
        postcard::from_bytes(&self.packs.get(&key.0)?).ok()
    }

    /// Store `value` under `key`. Failures (read-only or full disk) are ignored:
    /// the cache only ever saves work.
    pub(crate) fn put<T: Serialize>(&self, key: &Key, value: &T) {
        if let Ok(payload) = postcard::to_stdvec(value) {
            self.packs.put(&key.0, &payload);
        }
    }

    /// Publish what was written so far, as dropping the cache does.
    #[cfg(test)]
    pub(crate) fn flush(&mut self) {
        self.packs.flush();
    }
}

/// A hash of planrecon's version and of every source file it was built
/// from (`build.rs`: `src/`, `queries/`, `Cargo.lock`), computed once.
fn build_fingerprint() -> &'static [u8; 32] {
    static FINGERPRINT: OnceLock<[u8; 32]> = OnceLock::new();
    FINGERPRINT.get_or_init(|| {
        let mut h = blake3::Hasher::new();
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.update(&[0]);
        h.update(env!("PLANRECON_SOURCE_HASH").as_bytes());
        *h.finalize().as_bytes()
    })
}

/// The hash of `spec`'s queries: the items query's `CompiledQuery::hash`
/// (computed without compiling the query: a run served wholly from the cache
/// never needs it) combined with the facts query's.
pub(crate) fn query_hash(spec: &LangSpec) -> u64 {
    static HASHES: OnceLock<Vec<u64>> = OnceLock::new();
    HASHES.get_or_init(|| {
        LANGS
            .iter()
            .map(|l| {
                fnv1a(l.items_query.as_bytes()) ^ fnv1a(l.facts_query.as_bytes()).rotate_left(1)
            })
            .collect()
    })[lang_index(spec)]
}

/// An item kind from the registry. An alias, not `&'static str` written out,
/// so serde's derive does not try to borrow it from the entry's bytes.
pub(crate) type StaticKind = &'static str;

/// Deserialize an item kind as the registry's `&'static str`; a kind the
/// registry does not know fails, so the entry is ignored.
pub(crate) fn static_kind<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let s = String::deserialize(d)?;
    LANGS
        .iter()
        .flat_map(|l| {
            l.item_kinds
                .iter()
                .chain(l.member_kinds)
                .chain(l.contained_kinds.iter().map(|(_, to)| to))
        })
        .find(|k| **k == s)
        .copied()
        .ok_or_else(|| D::Error::custom(format!("unknown kind {s:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;
    use crate::scan::extract::Extracted;
    use crate::scan::extract::FileFacts;

    fn sample() -> FileFacts {
        FileFacts {
            items: vec![Extracted {
                kind: "struct",
                name: "Config".into(),
                parent: None,
                trait_impl: None,
                span: Span {
                    line: 3,
                    end_line: 9,
                },
                column: 0,
                visibility: "pub".into(),
                signature: "pub struct Config".into(),
                doc: Some("The config.".into()),
                attributes: vec!["#[derive(Debug)]".into()],
                macro_name: None,
                members: Vec::new(),
                embeds: Vec::new(),
                namespace: vec!["inner".into()],
                test_scope: false,
                has_body: true,
                source: None,
            }],
            package_name: None,
            package_doc: Some(("Docs.".into(), 1)),
            generated: false,
            lines: 12,
            syntax_errors: vec![(4, 2, "syntax error".into())],
            ..FileFacts::default()
        }
    }

    fn rust() -> &'static LangSpec {
        LANGS
            .iter()
            .find(|l| l.name == "rust")
            .expect("rust is registered")
    }

    #[test]
    fn query_hash_covers_both_queries() {
        for spec in LANGS {
            let compiled = crate::scan::query::query_for(spec).unwrap();
            let facts = fnv1a(spec.facts_query.as_bytes());
            assert_eq!(
                query_hash(spec),
                compiled.hash ^ facts.rotate_left(1),
                "{}",
                spec.name
            );
        }
    }

    #[test]
    fn entries_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let key = Cache::key(rust(), 7, "pub struct Config {}\n");
        assert_eq!(cache.get::<FileFacts>(&key), None);
        cache.put(&key, &sample());
        assert_eq!(cache.get::<FileFacts>(&key), Some(sample()));
        drop(cache);
        let reopened = Cache::new(dir.path());
        assert_eq!(reopened.get::<FileFacts>(&key), Some(sample()));
    }

    #[test]
    fn entries_are_visible_to_other_readers_once_flushed() {
        let dir = tempfile::tempdir().unwrap();
        let mut writer = Cache::new(dir.path());
        let key = Cache::key(rust(), 7, "x");
        writer.put(&key, &sample());
        assert_eq!(Cache::new(dir.path()).get::<FileFacts>(&key), None);
        writer.flush();
        assert_eq!(
            Cache::new(dir.path()).get::<FileFacts>(&key),
            Some(sample())
        );
        assert!(dir.path().join(LAYOUT_DIR).is_dir());
    }

    #[test]
    fn keys_differ_by_text_language_and_query() {
        let go = LANGS.iter().find(|l| l.name == "go").unwrap();
        let k = Cache::key(rust(), 7, "a");
        assert_ne!(k, Cache::key(rust(), 7, "b"));
        assert_ne!(k, Cache::key(rust(), 8, "a"));
        assert_ne!(k, Cache::key(go, 7, "a"));
        assert_eq!(k, Cache::key(rust(), 7, "a"));
    }

    #[test]
    fn unknown_kinds_fail_to_decode() {
        let facts = sample();
        let payload = postcard::to_stdvec(&facts).unwrap();
        let pos = payload.windows(6).position(|w| w == b"struct").unwrap();
        let mut bad = payload.clone();
        bad[pos..pos + 6].copy_from_slice(b"strukt");
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        let (good_key, bad_key) = (Cache::key(rust(), 1, "g"), Cache::key(rust(), 1, "z"));
        cache.packs.put(&good_key.0, &payload);
        cache.packs.put(&bad_key.0, &bad);
        assert_eq!(cache.get::<FileFacts>(&good_key), Some(facts));
        assert_eq!(cache.get::<FileFacts>(&bad_key), None);
    }
}

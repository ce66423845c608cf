//! Pack files: the cache's records, many to a file.
//!
//! One entry per file cost a temporary file, a write and a rename for every
//! source file of a cold run (prometheus: 1,222 files across three stores) and
//! an `open` + `read` per file of a warm one. Instead each [`PackStore`]
//! appends the records it writes to one temporary file and publishes it as
//! `pack-<time>-<random>.pack` when it is flushed (or dropped); readers index
//! the published packs' record headers once and read payloads by offset.
//!
//! A record is `MAGIC`, its 32-byte key, its payload's length (u64, little
//! endian), the payload's BLAKE3 hash and the payload. A pack is only ever
//! published whole (`persist_noclobber` of a finished temporary file) and
//! never changed afterwards, but it may be damaged on disk: reading stops at
//! the first header that is not whole, and a record whose key, length or
//! checksum does not match is ignored (the caller recomputes it). When the
//! same key is in several packs (two processes raced, or a record was
//! rewritten after damage) the newest pack is tried first.
//!
//! Packs accumulate, one per run that wrote anything; past [`MAX_PACKS`] the
//! flushing store merges them into one (each key once, damaged records
//! dropped) and removes temporary files that crashed runs left behind.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// First bytes of every record.
pub(crate) const MAGIC: &[u8; 8] = b"prcache2";
/// Magic, key, payload length, payload checksum.
pub(crate) const HEADER_LEN: usize = MAGIC.len() + 32 + 8 + 32;
/// More published packs than this are merged into one by the next flush.
const MAX_PACKS: usize = 24;
/// Temporary files older than this belong to a run that died: removed at merge time.
const STALE_TEMP: Duration = Duration::from_secs(3600);
const PACK_PREFIX: &str = "pack-";
const PACK_SUFFIX: &str = ".pack";
const TEMP_PREFIX: &str = ".pack-";

/// The packs of one cache directory, and the pack this process is writing.
#[derive(Debug)]
pub(crate) struct PackStore {
    dir: PathBuf,
    /// The published packs' records, read at the first lookup.
    index: OnceLock<Index>,
    /// Records written by this store, not yet published.
    pending: Mutex<Option<Pending>>,
}

#[derive(Debug, Default)]
struct Index {
    packs: Vec<File>,
    /// Where each key's records are, newest pack first.
    records: HashMap<[u8; 32], Vec<Location>>,
}

#[derive(Debug, Clone, Copy)]
struct Location {
    pack: usize,
    /// Offset of the record's header.
    offset: u64,
    /// Payload length.
    len: u64,
}

#[derive(Debug)]
struct Pending {
    file: tempfile::NamedTempFile,
    len: u64,
    records: HashMap<[u8; 32], Location>,
}

impl PackStore {
    /// The store of `dir`. Nothing is read or created until the first lookup or write.
    pub(crate) fn new(dir: PathBuf) -> PackStore {
        PackStore {
            dir,
            index: OnceLock::new(),
            pending: Mutex::new(None),
        }
    }

    /// The payload stored under `key`, or `None` when no whole, valid record has it.
    pub(crate) fn get(&self, key: &[u8; 32]) -> Option<Vec<u8>> {
        let index = self.index.get_or_init(|| Index::read(&self.dir));
        for at in index.records.get(key).into_iter().flatten() {
            if let Some(payload) = read_record(&index.packs[at.pack], key, at) {
                return Some(payload);
            }
        }
        let pending = self.pending.lock().ok()?;
        let pending = pending.as_ref()?;
        let at = pending.records.get(key)?;
        read_record(pending.file.as_file(), key, at)
    }

    /// Append a record of `payload` under `key` to this store's pack.
    /// Failures (read-only or full disk) are ignored: the cache only ever saves work.
    pub(crate) fn put(&self, key: &[u8; 32], payload: &[u8]) {
        if let Ok(mut pending) = self.pending.lock() {
            let _ = append(&self.dir, &mut pending, key, payload);
        }
    }

    /// Publish the records written so far, so other stores (and processes) see
    /// them, and merge the directory's packs when there are too many.
    pub(crate) fn flush(&mut self) {
        let Some(pending) = self.pending.get_mut().ok().and_then(Option::take) else {
            return;
        };
        if publish(&self.dir, pending.file).is_ok() {
            // This store's own lookups now go through the published pack.
            self.index = OnceLock::new();
            let _ = merge_if_many(&self.dir);
        }
    }
}

impl Drop for PackStore {
    fn drop(&mut self) {
        self.flush();
    }
}

impl Index {
    /// Every record header of the published packs in `dir`; a missing
    /// directory or an unreadable pack holds nothing.
    fn read(dir: &Path) -> Index {
        let mut index = Index::default();
        // Oldest first, so that each key's newest location ends up first.
        for path in pack_paths(dir) {
            let Ok(file) = File::open(&path) else {
                continue;
            };
            let pack = index.packs.len();
            for (key, offset, len) in headers(&file) {
                let entry = index.records.entry(key).or_default();
                entry.insert(0, Location { pack, offset, len });
            }
            index.packs.push(file);
        }
        index
    }
}

/// The published packs of `dir`, oldest first (their names start with the
/// publishing time).
fn pack_paths(dir: &Path) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with(PACK_PREFIX) && name.ends_with(PACK_SUFFIX)
        })
        .map(|e| e.path())
        .collect();
    paths.sort();
    paths
}

/// `(key, header offset, payload length)` of each record of `file` up to the
/// first header that is not whole or whose payload would pass the end.
fn headers(file: &File) -> Vec<([u8; 32], u64, u64)> {
    let Ok(size) = file.metadata().map(|m| m.len()) else {
        return Vec::new();
    };
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut out = Vec::new();
    let mut offset = 0u64;
    let mut header = [0u8; HEADER_LEN];
    while offset + HEADER_LEN as u64 <= size {
        if reader.read_exact(&mut header).is_err() || &header[..MAGIC.len()] != MAGIC {
            break;
        }
        let (key, len) = key_and_len(&header);
        let end = offset + HEADER_LEN as u64 + len;
        if end > size || reader.seek_relative(len as i64).is_err() {
            break;
        }
        out.push((key, offset, len));
        offset = end;
    }
    out
}

fn key_and_len(header: &[u8; HEADER_LEN]) -> ([u8; 32], u64) {
    let mut key = [0u8; 32];
    key.copy_from_slice(&header[MAGIC.len()..MAGIC.len() + 32]);
    let mut len = [0u8; 8];
    len.copy_from_slice(&header[MAGIC.len() + 32..MAGIC.len() + 40]);
    (key, u64::from_le_bytes(len))
}

/// The payload of the record at `at`, if it is whole and holds `key`.
fn read_record(file: &File, key: &[u8; 32], at: &Location) -> Option<Vec<u8>> {
    let total = usize::try_from(at.len).ok()?.checked_add(HEADER_LEN)?;
    let mut bytes = vec![0u8; total];
    read_exact_at(file, &mut bytes, at.offset).ok()?;
    let (header, payload) = bytes.split_at(HEADER_LEN);
    let header: &[u8; HEADER_LEN] = header.try_into().ok()?;
    let (stored_key, len) = key_and_len(header);
    let valid = &header[..MAGIC.len()] == MAGIC
        && stored_key == *key
        && len == at.len
        && blake3::hash(payload).as_bytes()[..] == header[MAGIC.len() + 40..];
    valid.then(|| payload.to_vec())
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(not(unix))]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom};
    // A shared `&File` seeks for everyone; lookups are rare enough off Unix.
    static SEEK: Mutex<()> = Mutex::new(());
    let _guard = SEEK.lock();
    let mut f = file;
    f.seek(SeekFrom::Start(offset))?;
    f.read_exact(buf)
}

fn encode_header(key: &[u8; 32], payload: &[u8]) -> [u8; HEADER_LEN] {
    let mut header = [0u8; HEADER_LEN];
    header[..MAGIC.len()].copy_from_slice(MAGIC);
    header[MAGIC.len()..MAGIC.len() + 32].copy_from_slice(key);
    header[MAGIC.len() + 32..MAGIC.len() + 40]
        .copy_from_slice(&(payload.len() as u64).to_le_bytes());
    header[MAGIC.len() + 40..].copy_from_slice(blake3::hash(payload).as_bytes());
    header
}

fn append(
    dir: &Path,
    pending: &mut Option<Pending>,
    key: &[u8; 32],
    payload: &[u8],
) -> std::io::Result<()> {
    if pending.is_none() {
        *pending = Some(Pending {
            file: temp_in(dir)?,
            len: 0,
            records: HashMap::new(),
        });
    }
    let Some(p) = pending.as_mut() else {
        return Ok(());
    };
    let header = encode_header(key, payload);
    let mut record = Vec::with_capacity(HEADER_LEN + payload.len());
    record.extend_from_slice(&header);
    record.extend_from_slice(payload);
    if let Err(e) = p.file.as_file_mut().write_all(&record) {
        // A partial record would hide every later one: stop writing.
        *pending = None;
        return Err(e);
    }
    let at = Location {
        pack: 0,
        offset: p.len,
        len: payload.len() as u64,
    };
    p.records.insert(*key, at);
    p.len += record.len() as u64;
    Ok(())
}

/// A temporary file in `dir`, created on first use.
fn temp_in(dir: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let make = || {
        tempfile::Builder::new()
            .prefix(TEMP_PREFIX)
            .tempfile_in(dir)
    };
    match make() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir)?;
            make()
        }
        other => other,
    }
}

/// Give `file` a pack name no other pack has; names sort by publishing time.
fn publish(dir: &Path, file: tempfile::NamedTempFile) -> std::io::Result<()> {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // The temporary name is random: it makes two processes' pack names differ.
    let salt = blake3::hash(file.path().as_os_str().as_encoded_bytes()).to_hex();
    let name = format!("{PACK_PREFIX}{nanos:020}-{}{PACK_SUFFIX}", &salt[..16]);
    file.persist_noclobber(dir.join(name))
        .map(drop)
        .map_err(|e| e.error)
}

/// When `dir` holds more than [`MAX_PACKS`] packs, write their valid records
/// (each key once, from its newest pack) to one new pack and remove the old
/// ones. Another process reading a removed pack already has it open, or
/// misses and recomputes: neither changes its output.
fn merge_if_many(dir: &Path) -> std::io::Result<()> {
    let paths = pack_paths(dir);
    if paths.len() <= MAX_PACKS {
        return Ok(());
    }
    let mut merged = temp_in(dir)?;
    let mut seen = std::collections::HashSet::new();
    let mut out = std::io::BufWriter::new(merged.as_file_mut());
    for path in paths.iter().rev() {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        for (key, offset, len) in headers_of(&bytes) {
            let start = offset as usize;
            let end = start + HEADER_LEN + len as usize;
            let record = &bytes[start..end];
            let valid = blake3::hash(&record[HEADER_LEN..]).as_bytes()[..]
                == record[MAGIC.len() + 40..HEADER_LEN];
            if valid && seen.insert(key) {
                out.write_all(record)?;
            }
        }
    }
    out.flush()?;
    drop(out);
    publish(dir, merged)?;
    for path in &paths {
        let _ = std::fs::remove_file(path);
    }
    remove_stale_temps(dir);
    Ok(())
}

/// [`headers`] of a pack already in memory.
fn headers_of(bytes: &[u8]) -> Vec<([u8; 32], u64, u64)> {
    let mut out = Vec::new();
    let mut offset = 0usize;
    while let Some(header) = bytes.get(offset..offset + HEADER_LEN) {
        let Ok(header) = <&[u8; HEADER_LEN]>::try_from(header) else {
            break;
        };
        if &header[..MAGIC.len()] != MAGIC {
            break;
        }
        let (key, len) = key_and_len(header);
        let Some(end) = usize::try_from(len)
            .ok()
            .and_then(|l| (offset + HEADER_LEN).checked_add(l))
            .filter(|&end| end <= bytes.len())
        else {
            break;
        };
        out.push((key, offset as u64, len));
        offset = end;
    }
    out
}

fn remove_stale_temps(dir: &Path) {
    let now = SystemTime::now();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let stale = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STALE_TEMP);
        if stale && e.file_name().to_string_lossy().starts_with(TEMP_PREFIX) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> [u8; 32] {
        [n; 32]
    }

    fn packs(dir: &Path) -> Vec<PathBuf> {
        pack_paths(dir)
    }

    #[test]
    fn records_are_read_back_before_and_after_publishing() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = PackStore::new(dir.path().join("v"));
        assert_eq!(store.get(&key(1)), None);
        store.put(&key(1), b"one");
        store.put(&key(2), b"");
        assert_eq!(store.get(&key(1)).as_deref(), Some(&b"one"[..]));
        assert_eq!(store.get(&key(2)).as_deref(), Some(&b""[..]));
        store.flush();
        assert_eq!(packs(&dir.path().join("v")).len(), 1);
        assert_eq!(store.get(&key(1)).as_deref(), Some(&b"one"[..]));
        let other = PackStore::new(dir.path().join("v"));
        assert_eq!(other.get(&key(2)).as_deref(), Some(&b""[..]));
        assert_eq!(other.get(&key(3)), None);
    }

    #[test]
    fn a_store_that_writes_nothing_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let store = PackStore::new(dir.path().join("v"));
        assert_eq!(store.get(&key(1)), None);
        drop(store);
        assert!(!dir.path().join("v").exists());
    }

    #[test]
    fn damaged_records_are_ignored_and_the_newest_valid_one_wins() {
        let dir = tempfile::tempdir().unwrap();
        let v = dir.path().join("v");
        let mut old = PackStore::new(v.clone());
        old.put(&key(1), b"old");
        old.put(&key(2), b"two");
        old.flush();
        let mut new = PackStore::new(v.clone());
        new.put(&key(1), b"new");
        new.flush();
        assert_eq!(
            PackStore::new(v.clone()).get(&key(1)).as_deref(),
            Some(&b"new"[..])
        );
        // Damage the newest pack's payload: the older record is used.
        let newest = packs(&v).pop().unwrap();
        let mut bytes = std::fs::read(&newest).unwrap();
        *bytes.last_mut().unwrap() ^= 0x55;
        std::fs::write(&newest, &bytes).unwrap();
        assert_eq!(
            PackStore::new(v.clone()).get(&key(1)).as_deref(),
            Some(&b"old"[..])
        );
        // Truncate the older pack inside its second record.
        let oldest = packs(&v)[0].clone();
        let bytes = std::fs::read(&oldest).unwrap();
        std::fs::write(&oldest, &bytes[..bytes.len() - 1]).unwrap();
        let store = PackStore::new(v.clone());
        assert_eq!(store.get(&key(1)).as_deref(), Some(&b"old"[..]));
        assert_eq!(store.get(&key(2)), None);
    }

    #[test]
    fn a_record_under_another_key_is_not_returned() {
        let dir = tempfile::tempdir().unwrap();
        let v = dir.path().join("v");
        let mut store = PackStore::new(v.clone());
        store.put(&key(1), b"payload");
        store.flush();
        let pack = packs(&v).pop().unwrap();
        let mut bytes = std::fs::read(&pack).unwrap();
        bytes[MAGIC.len()] ^= 1;
        std::fs::write(&pack, &bytes).unwrap();
        assert_eq!(PackStore::new(v).get(&key(1)), None);
    }

    #[test]
    fn many_packs_are_merged_into_one_keeping_every_key_once() {
        let dir = tempfile::tempdir().unwrap();
        let v = dir.path().join("v");
        for n in 0..=MAX_PACKS as u8 {
            let mut store = PackStore::new(v.clone());
            store.put(&key(n), &[n]);
            store.put(&key(255), &[n]);
            store.flush();
        }
        assert_eq!(packs(&v).len(), 1, "merged at the 25th pack");
        let store = PackStore::new(v.clone());
        for n in 0..=MAX_PACKS as u8 {
            assert_eq!(store.get(&key(n)), Some(vec![n]));
        }
        assert_eq!(store.get(&key(255)), Some(vec![MAX_PACKS as u8]), "newest");
        let bytes = std::fs::read(&packs(&v)[0]).unwrap();
        assert_eq!(headers_of(&bytes).len(), MAX_PACKS + 2);
    }
}

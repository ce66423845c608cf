//! Fingerprints planrecon's own sources for the cache: every file under
//! `src/` and `queries/`, and `Cargo.lock` (grammar and tree-sitter versions).
//! A binary built from other sources never reads another build's entries,
//! even at the same version number.
//!
//! Also writes the BPE vocabularies' tables (`src/util/bpe_table.rs`) to
//! `OUT_DIR`, read from tiktoken-rs through its public API, so the binary
//! counts tokens without building tiktoken's tables at run time.

use std::path::{Path, PathBuf};

#[path = "src/util/bpe_table.rs"]
mod bpe_table;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// FNV-1a, 64 bits, from `seed`.
fn fnv(seed: u64, bytes: &[u8], mut h: u64) -> u64 {
    if h == 0 {
        h = seed;
    }
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

/// The vocabulary of `bpe` indexed by rank, special tokens left out (an
/// ordinary encoding never produces them), trailing unused ranks trimmed.
fn vocabulary(bpe: &tiktoken_rs::CoreBPE) -> Vec<Vec<u8>> {
    let special: std::collections::HashSet<u32> = bpe
        .special_tokens()
        .into_iter()
        .flat_map(|s| bpe.encode_with_special_tokens(s))
        .collect();
    let mut tokens: Vec<Vec<u8>> = (0..1u32 << 18)
        .map(|rank| match special.contains(&rank) {
            true => Vec::new(),
            false => bpe.decode_bytes(&[rank]).unwrap_or_default(),
        })
        .collect();
    while tokens.last().is_some_and(Vec::is_empty) {
        tokens.pop();
    }
    tokens
}

/// Writes the vocabularies' tables unless this `OUT_DIR` already holds the
/// ones built from the same Cargo.lock and layout (this script re-runs on
/// every source change; the tables take seconds in an unoptimised build).
fn write_bpe_tables() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let stamp = {
        let lock = std::fs::read("Cargo.lock").unwrap_or_default();
        let layout = std::fs::read("src/util/bpe_table.rs").unwrap_or_default();
        format!(
            "{:016x}",
            fnv(0xcbf2_9ce4_8422_2325, &[lock, layout].concat(), 0)
        )
    };
    let stamp_path = out.join("bpe-tables.stamp");
    if std::fs::read_to_string(&stamp_path).ok().as_deref() == Some(stamp.as_str()) {
        return;
    }
    let vocabularies = [
        ("o200k_base", tiktoken_rs::o200k_base()),
        ("cl100k_base", tiktoken_rs::cl100k_base()),
    ];
    for (name, bpe) in vocabularies {
        let bpe = bpe.expect("tiktoken-rs builds its own vocabulary");
        let table = bpe_table::build(&vocabulary(&bpe));
        std::fs::write(out.join(format!("{name}.bpe")), table).expect("OUT_DIR is writable");
    }
    std::fs::write(stamp_path, stamp).expect("OUT_DIR is writable");
}

fn main() {
    write_bpe_tables();
    let mut all = Vec::new();
    files(Path::new("src"), &mut all);
    files(Path::new("queries"), &mut all);
    all.push(PathBuf::from("Cargo.lock"));
    all.sort();
    // Two independent 64-bit hashes: 128 bits of fingerprint.
    let (mut a, mut b) = (0u64, 0u64);
    for path in &all {
        let name = path.to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(path).unwrap_or_default();
        for part in [name.as_bytes(), &(bytes.len() as u64).to_le_bytes(), &bytes] {
            a = fnv(0xcbf2_9ce4_8422_2325, part, a);
            b = fnv(0x8422_2325_cbf2_9ce4, part, b);
        }
    }
    println!("cargo:rustc-env=PLANRECON_SOURCE_HASH={a:016x}{b:016x}");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=queries");
    println!("cargo:rerun-if-changed=Cargo.lock");
}

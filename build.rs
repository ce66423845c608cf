//! Fingerprints planrecon's own sources for the cache: every file under
//! `src/` and `queries/`, and `Cargo.lock` (grammar and tree-sitter versions).
//! A binary built from other sources never reads another build's entries,
//! even at the same version number.

use std::path::{Path, PathBuf};

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

fn main() {
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

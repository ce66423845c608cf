//! The layout of a BPE vocabulary table that the build script writes and
//! the tokenizer reads in place from the binary: every token's bytes by
//! rank, and an open-addressing index from bytes to rank. Built at compile
//! time, so counting starts with no work (tiktoken's `CoreBPE::new` decodes
//! and hashes 200,000 tokens, about 0.1 s, on every run that counts).
//!
//! This one file is compiled into both the build script (which calls
//! [`build`]) and the crate (which reads with [`Table`]); each uses half.
#![allow(dead_code)]

/// Layout, as little-endian `u32` words and then bytes:
/// `[ranks] [slots] [offsets; ranks + 1] [index; slots] [token bytes]`.
/// Token `r` is `bytes[offsets[r]..offsets[r + 1]]` (empty: no such rank);
/// an index slot holds `rank + 1`, 0 when free.
const HEADER_WORDS: usize = 2;

/// The index's hash of a token's bytes (FNV-1a, then a final mix so the
/// low bits, which pick the slot, depend on every byte).
pub(crate) fn slot_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h ^= h >> 29;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^ (h >> 32)
}

/// The table of `tokens`, indexed by rank (an empty entry: no token has that
/// rank). The index has at least twice as many slots as tokens.
pub(crate) fn build(tokens: &[Vec<u8>]) -> Vec<u8> {
    let ranks = tokens.len();
    let slots = (ranks * 2).next_power_of_two().max(2);
    let mask = slots - 1;
    let mut index = vec![0u32; slots];
    for (rank, token) in tokens.iter().enumerate() {
        if token.is_empty() {
            continue;
        }
        let mut at = (slot_hash(token) as usize) & mask;
        while index[at] != 0 {
            at = (at + 1) & mask;
        }
        index[at] = word(rank + 1);
    }
    let mut out = Vec::new();
    out.extend_from_slice(&word(ranks).to_le_bytes());
    out.extend_from_slice(&word(slots).to_le_bytes());
    let mut end = 0usize;
    out.extend_from_slice(&0u32.to_le_bytes());
    for token in tokens {
        end += token.len();
        out.extend_from_slice(&word(end).to_le_bytes());
    }
    for slot in index {
        out.extend_from_slice(&slot.to_le_bytes());
    }
    for token in tokens {
        out.extend_from_slice(token);
    }
    out
}

fn word(n: usize) -> u32 {
    u32::try_from(n).expect("a BPE table fits u32 offsets")
}

/// A table written by [`build`], read in place.
#[derive(Clone, Copy)]
pub(crate) struct Table {
    data: &'static [u8],
    ranks: usize,
    mask: usize,
    /// Byte offset of the token bytes.
    bytes_at: usize,
}

impl Table {
    /// The table in `data`, or `None` when `data` is not one [`build`]
    /// wrote (too short for the sizes its header gives).
    pub(crate) fn new(data: &'static [u8]) -> Option<Table> {
        let header = |i: usize| -> Option<usize> {
            let w = data.get(i * 4..i * 4 + 4)?;
            Some(u32::from_le_bytes(w.try_into().ok()?) as usize)
        };
        let ranks = header(0)?;
        let slots = header(1)?;
        if !slots.is_power_of_two() {
            return None;
        }
        let bytes_at = (HEADER_WORDS + ranks + 1 + slots) * 4;
        let table = Table {
            data,
            ranks,
            mask: slots - 1,
            bytes_at,
        };
        let total = table.word(HEADER_WORDS + ranks)?;
        (data.len() == bytes_at + total).then_some(table)
    }

    fn word(&self, i: usize) -> Option<usize> {
        let w = self.data.get(i * 4..i * 4 + 4)?;
        Some(u32::from_le_bytes(w.try_into().ok()?) as usize)
    }

    fn token(&self, rank: usize) -> Option<&'static [u8]> {
        let start = self.word(HEADER_WORDS + rank)?;
        let end = self.word(HEADER_WORDS + rank + 1)?;
        self.data.get(self.bytes_at + start..self.bytes_at + end)
    }

    /// The rank of the token spelled `bytes`, if the vocabulary has one.
    pub(crate) fn rank(&self, bytes: &[u8]) -> Option<u32> {
        let mut at = (slot_hash(bytes) as usize) & self.mask;
        loop {
            let slot = self.word(HEADER_WORDS + self.ranks + 1 + at)?;
            let rank = slot.checked_sub(1)?;
            if self.token(rank) == Some(bytes) {
                return u32::try_from(rank).ok();
            }
            at = (at + 1) & self.mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_token_reads_back_at_its_rank_and_nothing_else_does() {
        let tokens: Vec<Vec<u8>> = ["a", "b", "", "ab", "abc", "\u{e9}"]
            .iter()
            .map(|t| t.as_bytes().to_vec())
            .collect();
        let data: &'static [u8] = Box::leak(build(&tokens).into_boxed_slice());
        let table = Table::new(data).expect("a table build wrote");
        for (rank, token) in tokens.iter().enumerate() {
            if !token.is_empty() {
                assert_eq!(table.rank(token), Some(rank as u32), "{token:?}");
            }
        }
        for absent in ["", "c", "ba", "abcd", "e"] {
            assert_eq!(table.rank(absent.as_bytes()), None, "{absent:?}");
        }
        assert!(Table::new(&data[..data.len() - 1]).is_none());
    }
}

//! Token counting with a real BPE tokenizer (tiktoken's `o200k_base` and
//! `cl100k_base`), so a budget is a promise, not an estimate.
//!
//! The vocabularies are tables the build script wrote from tiktoken-rs
//! (`bpe_table.rs`), read in place: a run that counts pays only for the
//! split pattern's compile, not for decoding and hashing the vocabulary
//! (about 0.1 s with tiktoken, serial, on every report). The counts are
//! tiktoken's `encode_ordinary` lengths; a test compares them on real text.

use std::sync::OnceLock;

use clap::ValueEnum;

use crate::util::bpe_table::Table;

/// The BPE vocabularies planrecon can count with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Tokenizer {
    /// `o200k_base` (GPT-4o and later).
    O200k,
    /// `cl100k_base` (GPT-4, GPT-3.5).
    Cl100k,
}

/// tiktoken's split pattern for `o200k_base` (`O200K_BASE_PAT_STR`).
const O200K_PATTERN: &str = concat!(
    r#"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
    "|",
    r#"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"#,
    "|",
    r#"\p{N}{1,3}"#,
    "|",
    r#" ?[^\s\p{L}\p{N}]+[\r\n/]*"#,
    "|",
    r#"\s*[\r\n]+"#,
    "|",
    r#"\s+(?!\S)"#,
    "|",
    r#"\s+"#
);

/// tiktoken's split pattern for `cl100k_base`.
const CL100K_PATTERN: &str = r#"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"#;

static O200K_TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/o200k_base.bpe"));
static CL100K_TABLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/cl100k_base.bpe"));

/// One vocabulary, ready to count with.
struct Vocabulary {
    table: Table,
    split: fancy_regex::Regex,
}

impl Tokenizer {
    /// The number of tokens of `text`, encoded as ordinary text (special-token
    /// spellings in the text count as the ordinary tokens they are).
    pub(crate) fn count(self, text: &str) -> usize {
        let Some(v) = self.vocabulary() else {
            // Unreachable with the tables this build wrote; a byte is at
            // most one token, so a budget stays a promise.
            return text.len();
        };
        let mut n = 0;
        let mut counted = 0;
        for piece in v.split.find_iter(text) {
            let Ok(piece) = piece else {
                // The pattern's one look-ahead hit the backtracking limit:
                // the rest counts as one token a byte (an upper bound).
                return n + text.len() - counted;
            };
            n += v.piece_tokens(piece.as_str().as_bytes());
            counted = piece.end();
        }
        n
    }

    /// The vocabulary's name as tiktoken spells it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Tokenizer::O200k => "o200k_base",
            Tokenizer::Cl100k => "cl100k_base",
        }
    }

    fn vocabulary(self) -> Option<&'static Vocabulary> {
        static O200K: OnceLock<Option<Vocabulary>> = OnceLock::new();
        static CL100K: OnceLock<Option<Vocabulary>> = OnceLock::new();
        let (cell, data, pattern) = match self {
            Tokenizer::O200k => (&O200K, O200K_TABLE, O200K_PATTERN),
            Tokenizer::Cl100k => (&CL100K, CL100K_TABLE, CL100K_PATTERN),
        };
        cell.get_or_init(|| {
            Some(Vocabulary {
                table: Table::new(data)?,
                split: fancy_regex::Regex::new(pattern).ok()?,
            })
        })
        .as_ref()
    }
}

impl Vocabulary {
    /// The tokens of one piece of the split: one when the vocabulary spells
    /// it, else the parts left by tiktoken's merge (`_byte_pair_merge`):
    /// repeatedly join the adjacent pair whose joined bytes have the lowest
    /// rank, leftmost on ties, until no joined pair is a token.
    fn piece_tokens(&self, piece: &[u8]) -> usize {
        if piece.len() < 2 || self.table.rank(piece).is_some() {
            return usize::from(!piece.is_empty());
        }
        let rank = |bytes: &[u8]| self.table.rank(bytes).unwrap_or(u32::MAX);
        // (start, rank of the pair starting there); two sentinels close it.
        let mut parts: Vec<(usize, u32)> = (0..piece.len() - 1)
            .map(|i| (i, rank(&piece[i..i + 2])))
            .collect();
        parts.push((piece.len() - 1, u32::MAX));
        parts.push((piece.len(), u32::MAX));
        // The pair at `i` once part `i + 1` is gone: parts i..i+3 joined.
        let joined = |parts: &[(usize, u32)], i: usize| match parts.get(i + 3) {
            Some(&(end, _)) => rank(&piece[parts[i].0..end]),
            None => u32::MAX,
        };
        let lowest = |parts: &[(usize, u32)]| {
            parts[..parts.len() - 1]
                .iter()
                .enumerate()
                .filter(|(_, &(_, r))| r != u32::MAX)
                .min_by_key(|&(i, &(_, r))| (r, i))
                .map(|(i, _)| i)
        };
        while let Some(i) = lowest(&parts) {
            if i > 0 {
                parts[i - 1].1 = joined(&parts, i - 1);
            }
            parts[i].1 = joined(&parts, i);
            parts.remove(i + 1);
        }
        parts.len() - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_real_bpe_counts() {
        // Known encodings: "hello world" is 2 tokens in both vocabularies.
        assert_eq!(Tokenizer::O200k.count("hello world"), 2);
        assert_eq!(Tokenizer::Cl100k.count("hello world"), 2);
        assert_eq!(Tokenizer::O200k.count(""), 0);
        // Not a chars/4 guess: a long identifier is several tokens.
        let n = Tokenizer::Cl100k.count("fn schedule_latency_histogram_bucket_range(&self)");
        assert!(n > 5 && n < 20, "{n}");
    }

    /// Text to compare counts on: this crate's sources and README, and
    /// strings that exercise the split pattern's corners (contractions,
    /// digit runs, non-Latin letters, marks, whitespace before a newline
    /// and at the end).
    fn texts() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = vec![std::fs::read_to_string(root.join("README.md")).expect("README")];
        let mut dirs = vec![root.join("src"), root.join("queries")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir)
                .expect("a source directory")
                .flatten()
            {
                let path = entry.path();
                if path.is_dir() {
                    dirs.push(path);
                } else if let Ok(text) = std::fs::read_to_string(&path) {
                    texts.push(text);
                }
            }
        }
        texts.extend(
            [
                "",
                " ",
                "  \n\n  ",
                "trailing   ",
                "I'm sure they've WE'LL it's",
                "1234567 3.14159 0x1F",
                "Привет мир, 你好世界, こんにちは, مرحبا",
                "e\u{301}te\u{301} cafe\u{301}",
                "tabs\tand\r\nCRLF\r\n",
                "emoji 🎉🎉🎉 and ZWJ 👩‍💻",
                "`planrecon check PLAN.md --fix` -> src/util/tokens.rs:42",
            ]
            .map(String::from),
        );
        texts
    }

    #[test]
    fn counts_equal_tiktokens_on_real_text() {
        assert_eq!(O200K_PATTERN, tiktoken_rs::O200K_BASE_PAT_STR);
        let o200k = tiktoken_rs::o200k_base_singleton();
        let cl100k = tiktoken_rs::cl100k_base_singleton();
        let texts = texts();
        assert!(texts.len() > 50, "{} texts", texts.len());
        for text in &texts {
            let head: String = text.chars().take(40).collect();
            assert_eq!(
                Tokenizer::O200k.count(text),
                o200k.encode_ordinary(text).len(),
                "o200k_base on {head:?}"
            );
            assert_eq!(
                Tokenizer::Cl100k.count(text),
                cl100k.encode_ordinary(text).len(),
                "cl100k_base on {head:?}"
            );
        }
    }
}

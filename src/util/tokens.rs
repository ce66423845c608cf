//! Token counting with a real BPE tokenizer (tiktoken's `o200k_base` and
//! `cl100k_base`), so a budget is a promise, not an estimate.

use clap::ValueEnum;

/// The BPE vocabularies planrecon can count with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Tokenizer {
    /// `o200k_base` (GPT-4o and later).
    O200k,
    /// `cl100k_base` (GPT-4, GPT-3.5).
    Cl100k,
}

impl Tokenizer {
    /// The number of tokens of `text`, encoded as ordinary text (special-token
    /// spellings in the text count as the ordinary tokens they are).
    pub(crate) fn count(self, text: &str) -> usize {
        match self {
            Tokenizer::O200k => tiktoken_rs::o200k_base_singleton()
                .encode_ordinary(text)
                .len(),
            Tokenizer::Cl100k => tiktoken_rs::cl100k_base_singleton()
                .encode_ordinary(text)
                .len(),
        }
    }

    /// The vocabulary's name as tiktoken spells it.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Tokenizer::O200k => "o200k_base",
            Tokenizer::Cl100k => "cl100k_base",
        }
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
}

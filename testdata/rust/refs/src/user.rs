//! Reaches `Mem` through the crate-root re-export; calls `get` generically.
use crate::beta::Cache;
use crate::Mem;

pub fn generic<C: Cache>(c: &C) -> String {
    c.get("g")
}

pub fn reexported() -> Mem {
    Mem { inner: Vec::new() }
}

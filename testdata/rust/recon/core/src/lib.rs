//! Core engine: storage backends behind one trait.

pub mod codec;
pub mod store;

/// A storage backend.
///
/// Invariant: `get` after `put` of the same key returns the value put.
pub trait Backend {
    /// Read a value.
    fn get(&self, key: &str) -> Option<Vec<u8>>;
    /// Write a value.
    fn put(&mut self, key: &str, value: Vec<u8>);
}

/// The engine owns one backend.
pub struct Engine {
    pub name: String,
    backend: Box<dyn Backend>,
}

impl Engine {
    /// Build an engine over `backend`.
    pub fn new(backend: Box<dyn Backend>) -> Engine {
        Engine { name: String::new(), backend }
    }

    /// Read through the backend.
    pub fn read(&self, key: &str) -> Option<Vec<u8>> {
        assert!(!key.is_empty(), "keys must not be empty");
        self.backend.get(key)
    }
}

/// Platform-specific page size.
#[cfg(unix)]
pub const PAGE: usize = 4096;

macro_rules! items {
    ($($i:item)*) => { $($i)* };
}

items! {
    /// An identifier declared inside a macro body.
    pub struct Id(pub u32);
}

//! `Config` (shared name) and the `Store` trait (shared method name `get`).

/// Shares its name with `beta::Config`.
pub struct Config {
    pub name: String,
}

impl Config {
    /// A constructor.
    pub fn new() -> Self {
        Config { name: String::new() }
    }

    /// Not a constructor: returns a `usize`.
    pub fn len(&self) -> usize {
        self.name.len()
    }
}

/// Shares its method name with `beta::Cache`.
pub trait Store {
    fn get(&self, key: &str) -> String;
}

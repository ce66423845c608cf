//! Another `Config` and the `Cache` trait.

/// Shares its name with `alpha::Config`.
pub struct Config {
    pub level: u8,
}

/// Shares its method name with `alpha::Store`.
pub trait Cache {
    fn get(&self, key: &str) -> String;

    /// A default method: `self` is the trait.
    fn get_twice(&self, key: &str) -> String {
        self.get(key) + &self.get(key)
    }
}

/// Implements `Cache`.
pub struct Mem {
    pub inner: Vec<u8>,
}

impl Cache for Mem {
    fn get(&self, key: &str) -> String {
        key.to_string()
    }
}

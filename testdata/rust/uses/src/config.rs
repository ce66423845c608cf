//! The type re-exported by the crate root.
pub struct Config {
    pub verbose: bool,
}

impl Config {
    pub fn new() -> Self {
        Config { verbose: false }
    }
}

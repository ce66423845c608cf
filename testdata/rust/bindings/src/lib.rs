//! Receivers known through `mut` bindings and bindings of any expression, a
//! field called through parentheses, and macro arguments three levels deep.
pub struct Config {
    pub verbose: bool,
}

impl Config {
    pub fn new() -> Self {
        Config { verbose: false }
    }
}

pub struct Holder {
    pub config: Config,
    pub hook: fn() -> u8,
}

pub fn through(h: &Holder, mut other: Config) -> bool {
    let c = &h.config;
    let mut d = Config::new();
    d.verbose = (h.hook)() > 0;
    other.verbose = c.verbose;
    assert_eq!(vec![vec![Config::new().verbose]], vec![vec![d.verbose]]);
    other.verbose
}

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

pub mod ext {
    //! A trait of the repository implemented for a standard type.
    pub trait Chunky {
        fn chunky_len(&self) -> usize;
        fn len(&self) -> usize;
    }

    impl Chunky for Vec<u8> {
        fn chunky_len(&self) -> usize {
            1
        }
        fn len(&self) -> usize {
            2
        }
    }
}

use ext::Chunky;

pub fn chunks(v: Vec<u8>) -> usize {
    v.chunky_len() + v.len()
}

pub enum Mode {
    Fast,
    Slow,
    Off,
}

pub const LIMIT: u8 = 3;

pub fn speed(m: Mode, n: u8) -> u8 {
    use Mode::*;
    let base = match m {
        Fast => 2,
        Slow | Off => 1,
    };
    match n {
        LIMIT => base,
        other => other,
    }
}

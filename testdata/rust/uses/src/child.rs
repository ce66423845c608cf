//! Names from the crate root through `use super::*`, an enum's variants
//! through a glob of a name the root imports, and a re-export alias.
use super::*;

pub fn build() -> Config {
    let c = Config::new();
    if c.verbose {
        return Config { verbose: true };
    }
    c
}

pub fn name(k: &Kind) -> &'static str {
    // A function's own glob shadows the module's `Config`.
    use Kind::*;
    match k {
        Config(_) => "config",
        Kind::Plain => "plain",
    }
}

pub fn graded() -> Grade {
    Grade::Low
}

pub fn summed() -> crate::Sum {
    crate::Sum
}

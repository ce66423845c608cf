//! Uses both modules; `beta::Config` under the alias `BetaConfig`.
use crate::alpha::{self, Store};
use crate::beta::Config as BetaConfig;
use crate::beta::{Cache, Mem};

/// Calls alpha::Config::new() and s.get("k") in this comment: neither counts.
pub fn run(s: &dyn Store, m: Mem, boxed: Box<Mem>) -> usize {
    let c = alpha::Config::new();
    let _ = "alpha::Config::new() and BetaConfig { level: 1 } in a string";
    let b = BetaConfig { level: 1 };
    let e = alpha::Config { name: String::new() };
    let v = vec![s.get("k"), m.get("k"), boxed.get("k")];
    c.len() + e.len() + usize::from(b.level) + v.len()
}

/// A local `Config`: not alpha's nor beta's.
struct Config;

fn local() -> Config {
    Config
}

fn through_field(h: &Holder) -> String {
    h.mem.get("z")
}

struct Holder {
    mem: Mem,
}

#[cfg(test)]
mod tests {
    #[test]
    fn builds() {
        let _ = crate::beta::Config { level: 0 };
        let _ = super::local();
    }
}

//! Another crate target: the prelude's glob re-exports, in a function.
#[test]
fn outside() {
    use usesfix::prelude::*;
    let c: Config = Config::new();
    assert!(!c.verbose);
}

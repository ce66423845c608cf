//! Neither trait is in scope here: `t.get(..)` cannot be theirs.
pub fn unrelated<T: std::ops::Index<usize>>(t: T) -> usize {
    t.get(0)
}

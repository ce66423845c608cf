//! An enum whose variants come in through a glob of an imported name, and
//! a struct that shares a name with one of them.
pub enum Kind {
    Plain,
    Config(u8),
}

pub enum Level {
    Low,
}

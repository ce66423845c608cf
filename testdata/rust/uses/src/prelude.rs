//! A prelude of re-exports, for `use usesfix::prelude::*`.
pub use crate::config::Config;
pub use crate::consumer::{Consumer, Sum};

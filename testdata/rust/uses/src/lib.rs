//! A crate root that re-exports its modules' items for `use super::*`.
mod child;
mod config;
mod consumer;
mod kind;
mod mixed;
pub mod prelude;

pub(crate) use {
    config::Config,
    kind::{Kind, Level as Grade},
};

pub use consumer::*;

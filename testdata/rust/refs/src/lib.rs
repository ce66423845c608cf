//! A crate where two modules declare `Config` and two traits declare `get`.
pub mod alpha;
pub mod app;
pub mod beta;
pub mod other;
pub mod shapes;
pub mod user;

pub use beta::Mem;

//! The engine: runs jobs.

use std::fmt;

mod unit_tests_decl;

/// A job the engine runs.
///
/// SAFETY: implementors must be Send.
pub trait Job: fmt::Debug + Send {
    /// Associated output.
    type Output;
    const PRIORITY: u8 = 0;
    fn run(&mut self) -> Self::Output;
    fn name(&self) -> &str {
        "job"
    }
}

/// The engine.
#[derive(Debug, Default)]
pub struct Engine<J: Job> {
    pub jobs: Vec<J>,
    pub(crate) ticks: u64,
    pub(super) paused: bool,
    pub(in crate::engine) inner: (),
    hidden: u8,
}

pub struct Wrapper(pub u32, String);

#[non_exhaustive]
pub enum State {
    Idle,
    Running(u32),
    Done { code: i32 },
}

impl<J: Job> Engine<J> {
    /// Creates an engine.
    pub fn new() -> Self {
        todo!()
    }

    pub(crate) fn tick(&mut self) {
        assert!(self.ticks < u64::MAX, "tick overflow");
    }

    fn private_helper(&self) {}

    cfg_fast! {
        pub fn turbo(&mut self) {}
    }
}

impl<J: Job> fmt::Display for Engine<J> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "engine")
    }
}

impl<'a, T> From<&'a T> for Wrapper {
    fn from(_: &'a T) -> Self {
        Wrapper(0, String::new())
    }
}

pub type Result<T> = std::result::Result<T, String>;

#[cfg(test)]
#[path = "unit_tests/more.rs"]
mod more_tests;

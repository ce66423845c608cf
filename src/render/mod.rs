//! Renderers: pure functions of the model (no filesystem, no parser).

pub(crate) mod json;
pub(crate) mod map;
pub(crate) mod markdown;
pub(crate) mod report;

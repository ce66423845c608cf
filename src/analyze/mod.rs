//! Whole-model analyses: the internal dependency graph and its layers
//! (`relate`), the report's ranking of core types (`rank`), and the map's
//! PageRank over file references (`pagerank`, `maprank`). Reads the model
//! and the resolved references; never the file system or a syntax tree.

pub(crate) mod maprank;
pub(crate) mod pagerank;
pub(crate) mod rank;
pub(crate) mod relate;

//! Standard-library paths that share segments with repository items.
mod a;
mod future;

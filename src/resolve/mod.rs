//! References: which declaration a name in the code refers to. `decls`
//! indexes the model's declarations and resolves symbol queries, `find`
//! finds and resolves the references of a set of them in one file
//! (`query` holds its compiled tree-sitter query), `sites` runs that over
//! the tree for the report (cached per file) and `graph` holds the result:
//! the symbol graph of every declaration's exact and inferred uses; `uses`
//! holds every Rust module's `use` declarations (re-exports, globs);
//! `gate` bounds the source bytes the reference pass holds in flight.

pub(crate) mod decls;
pub(crate) mod find;
pub(crate) mod gate;
pub(crate) mod graph;
pub(crate) mod query;
pub(crate) mod sites;
pub(crate) mod uses;

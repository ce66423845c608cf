//! The language-neutral model: owned data, serde derives, no tree-sitter types.
//!
//! Every line number in the model is 1-based and physical (the count of `\n`
//! before it, plus one); rows from the parser become lines in [`Span::from_rows`]
//! and nowhere else.

pub(crate) mod signature;

use serde::{Deserialize, Serialize};

/// Version of the JSON schema; bumped on any incompatible change.
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// Item kinds that are types.
pub(crate) const TYPE_KINDS: &[&str] = &["interface", "trait", "struct", "enum", "union", "type"];
/// Kinds that define a contract: interfaces and traits (ranked first among
/// equals, listed with their implementors and callers).
pub(crate) const CONTRACT_KINDS: &[&str] = &["interface", "trait"];

/// A 1-based, inclusive line range in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Span {
    /// Line of the name (1-based).
    pub line: u32,
    /// Last line of the declaration (1-based, inclusive).
    pub end_line: u32,
}

impl Span {
    /// Build a span from 0-based parser rows. `end_row_col0` says the node ends
    /// at column 0 of `end_row`, i.e. really on the line before.
    pub(crate) fn from_rows(name_row: usize, end_row: usize, end_at_col0: bool) -> Span {
        let line = to_line(name_row);
        let mut end = to_line(end_row);
        if end_at_col0 && end > line {
            end -= 1;
        }
        Span {
            line,
            end_line: end.max(line),
        }
    }
}

fn to_line(row: usize) -> u32 {
    u32::try_from(row).unwrap_or(u32::MAX - 1).saturating_add(1)
}

/// The whole inventory of a repository.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Inventory {
    pub schema_version: u32,
    /// Name of the directory that was read (never an absolute path).
    pub root: String,
    /// `git HEAD` of the tree when it is a git checkout.
    pub commit: Option<String>,
    /// Whether the work tree had uncommitted changes (null when not a checkout).
    pub dirty: Option<bool>,
    /// What was read and what was left out.
    pub scope: Scope,
    pub packages: Vec<Package>,
    pub items: Vec<Item>,
    pub diagnostics: Vec<Diagnostic>,
    /// Per-file facts for relations and the report, sorted by file. Not part
    /// of the JSON schema (version 1 is unchanged).
    #[serde(skip)]
    pub notes: Vec<FileNotes>,
}

/// What the run read.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Scope {
    /// Languages with at least one file in the tree.
    pub languages: Vec<String>,
    /// Source files whose declarations are in `items`.
    pub files: usize,
    /// Physical lines of those files.
    pub lines: u64,
    /// Test files seen but left out (no `--include-tests`).
    pub test_files_excluded: usize,
    /// Whether test code is included.
    pub include_tests: bool,
    /// Directory names and globs skipped by rule.
    pub excluded: Vec<String>,
}

/// A Go package or a Rust module.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Package {
    pub language: String,
    /// Go import path; Rust `crate::module::path` with the crate's name first.
    pub path: String,
    /// Go package name; Rust module name (the crate name at the root).
    pub name: String,
    /// Directory, repo-relative (`.` for the root).
    pub dir: String,
    /// Rust: the crate this module belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crate_name: Option<String>,
    /// Non-test source files whose items are in this package.
    pub files: Vec<String>,
    /// Test files of the package (listed even when tests are excluded).
    pub test_files: Vec<String>,
    /// `wc -l` of the non-test files.
    pub lines: u64,
    /// The package or module doc comment.
    pub doc: Option<String>,
    /// Where the doc comment is.
    pub doc_file: Option<String>,
    pub doc_line: Option<u32>,
    /// The line where the doc's text starts (after a bare `/*` opener). Not in the JSON.
    #[serde(skip)]
    pub doc_text_line: Option<u32>,
    /// Whether every file of the package is test code.
    pub test: bool,
}

/// One declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Item {
    pub language: String,
    pub package: String,
    /// Inline modules between the package and the item (Rust `mod a { … }`).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub namespace: Vec<String>,
    pub kind: String,
    pub name: String,
    pub parent: Option<String>,
    pub file: String,
    pub line: u32,
    pub end_line: u32,
    #[serde(skip)]
    pub column: u32,
    pub visibility: String,
    pub signature: String,
    pub doc: Option<String>,
    pub generated: bool,
    pub in_macro: bool,
    /// Name of the outermost macro whose body holds this item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub macro_name: Option<String>,
    /// Rust methods of trait impls: the implemented trait.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trait_impl: Option<String>,
    /// Attributes written on the item (`#[cfg(unix)]`), verbatim.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub attributes: Vec<String>,
    /// Whether the item is test code (only with `--include-tests`).
    pub test: bool,
    pub members: Vec<Member>,
    pub embeds: Vec<Embed>,
    /// Exported items: the declaration copied verbatim from the file (whole
    /// lines from `line`; functions cut before their body). Not in the JSON.
    #[serde(skip)]
    pub source: Option<Source>,
}

/// A declaration's text, verbatim, and the last line it covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Source {
    /// Last line of `text` (1-based); `text` starts at the item's `line`.
    pub end_line: u32,
    pub text: String,
}

/// Facts of one file beyond its declarations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileNotes {
    pub file: String,
    pub package: String,
    pub language: String,
    /// Whether the file is test code.
    pub test: bool,
    /// Imports and `use` paths, in source order.
    pub imports: Vec<Import>,
    /// Names referenced in the file, deduplicated and sorted.
    pub references: Vec<Reference>,
    /// Invariant comments, guards, registrations, flags, trait impls.
    pub sites: Vec<Site>,
}

/// One import (Go import path) or `use` tree (Rust, as written).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Import {
    pub path: String,
    pub alias: Option<String>,
    pub line: u32,
    /// Last line of the import (a `use` tree may span lines).
    pub end_line: u32,
}

/// A referenced name and the qualifier written before it (`pkg.Name`, `a::b::Name`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Reference {
    pub qualifier: Option<String>,
    pub name: String,
}

/// What a [`Site`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum SiteKind {
    /// A comment stating an invariant (`INV-`, `must`, `never`, `SAFETY:` …).
    Invariant,
    /// `panic(…)`, `assert!`, `unreachable!` ….
    Guard,
    /// A statement of a Go `init()` function.
    Registration,
    /// A command-line flag registration (`flag.String`, `#[arg]` field).
    Flag,
    /// A trait implementation block (`impl Trait for Type`).
    Impl,
    /// A build constraint comment (`//go:build linux`).
    BuildConstraint,
    /// A name a factory or registry accepts: a string `case` of a switch, a
    /// string `match` arm, a string key of a map literal.
    Choice,
}

/// A cited source site.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Site {
    pub kind: SiteKind,
    pub line: u32,
    pub end_line: u32,
    /// A word that occurs on `line`: the keyword, guard, flag or type name.
    pub name: String,
    /// The site's text, whitespace collapsed (the comment line, the guard call).
    pub text: String,
    /// Impl sites: the implemented trait.
    pub extra: Option<String>,
}

/// A field, variant or interface method.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Member {
    pub kind: String,
    pub name: String,
    pub line: u32,
    pub end_line: u32,
    pub signature: String,
    pub visibility: String,
    pub doc: Option<String>,
}

/// An interface embedding or type-set term (`io.Reader`, `~int | ~string`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Embed {
    pub text: String,
    pub line: u32,
}

/// Something the run could not read cleanly.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) struct Diagnostic {
    pub file: String,
    pub line: Option<u32>,
    /// 1-based column in characters (what an editor shows), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<u32>,
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic about `file` as a whole (no line or column).
    pub(crate) fn of_file(file: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
        }
    }
}

impl Item {
    /// The citation `path:start-end` of this item.
    pub(crate) fn citation(&self) -> String {
        cite(&self.file, self.line, self.end_line)
    }
}

/// Format a citation `path:start-end` (or `path:line` for one line).
pub(crate) fn cite(file: &str, line: u32, end_line: u32) -> String {
    if end_line > line {
        format!("{file}:{line}-{end_line}")
    } else {
        format!("{file}:{line}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_one_based_lines() {
        assert_eq!(
            Span::from_rows(0, 0, false),
            Span {
                line: 1,
                end_line: 1
            }
        );
        assert_eq!(
            Span::from_rows(4, 9, false),
            Span {
                line: 5,
                end_line: 10
            }
        );
        assert_eq!(
            Span::from_rows(4, 9, true),
            Span {
                line: 5,
                end_line: 9
            }
        );
        assert_eq!(
            Span::from_rows(4, 4, true),
            Span {
                line: 5,
                end_line: 5
            }
        );
    }

    #[test]
    fn citations_collapse_single_lines() {
        assert_eq!(cite("a/b.go", 3, 3), "a/b.go:3");
        assert_eq!(cite("a/b.go", 3, 9), "a/b.go:3-9");
    }
}

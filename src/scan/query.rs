//! Compiles each language's query once and gives every capture a role.
//!
//! Capture vocabulary (tree-sitter tags convention, extended):
//! - `@definition.<kind>`: the whole declaration node of an item of `<kind>`;
//! - `@member.<kind>`: a member (field, variant, interface method) of the item
//!   captured as `@owner` in the same pattern;
//! - `@name`: the identifier that names the item or member;
//! - `@body`: the body; the signature is the declaration text before it;
//! - `@parent`: the type a method belongs to (receiver, impl self type, trait);
//! - `@trait`: the trait an impl block implements;
//! - `@visibility`: the visibility modifier that applies;
//! - `@keyword`: a keyword outside the declaration node that starts its
//!   signature (Go grouped `const ( … )`);
//! - `@owner`: the item that owns a `@member.*` or `@embed` capture;
//! - `@embed`: an interface embedding or type-set term of `@owner`;
//! - `@macro` / `@macro.name`: an item-level macro body to re-parse as items;
//! - `@scope.local`: a node whose contents are never module-level items;
//! - `@package` / `@package.clause`: the package clause and its name.
//!
//! Captures starting with `_` are free for predicates. Any other name fails at
//! load time with the file, the capture and the allowed set.

use std::sync::OnceLock;

use thiserror::Error;
use tree_sitter::{Language, Query};

use crate::scan::lang::{LangSpec, PerLang};
use crate::scan::pattern::Patterns;

/// What a capture means to the extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Definition(&'static str),
    Member(&'static str),
    Name,
    Body,
    Parent,
    Trait,
    Visibility,
    Keyword,
    Owner,
    Embed,
    Macro,
    MacroName,
    LocalScope,
    Package,
    PackageClause,
    /// `_`-prefixed helper capture, used only by predicates.
    Ignored,
}

/// A query file that cannot be used.
#[derive(Debug, Error)]
pub(crate) enum QueryError {
    #[error("queries/{lang}/items.scm does not compile: {message}")]
    Syntax { lang: &'static str, message: String },
    #[error(
        "queries/{lang}/items.scm uses unknown capture @{capture}; allowed: {allowed} \
         (fix the query or add the kind to the language's row in src/scan/lang.rs)"
    )]
    InvalidCapture {
        lang: &'static str,
        capture: String,
        allowed: String,
    },
}

/// A compiled query with the role of each capture index.
pub(crate) struct CompiledQuery {
    pub query: Query,
    pub roles: Vec<Role>,
    /// Hash of the query text: part of any cache key.
    #[allow(dead_code)] // read by the cache, which lives on another branch
    pub hash: u64,
}

/// Compile `spec`'s query and check every capture name.
pub(crate) fn compile(spec: &'static LangSpec) -> Result<CompiledQuery, QueryError> {
    let language = Language::new(spec.grammar);
    let query = Query::new(&language, spec.items_query).map_err(|e| QueryError::Syntax {
        lang: spec.name,
        message: format!("line {}: {}", e.row + 1, e.message),
    })?;
    let roles = query
        .capture_names()
        .iter()
        .map(|name| role_of(spec, name))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CompiledQuery {
        query,
        roles,
        hash: fnv1a(spec.items_query.as_bytes()),
    })
}

fn role_of(spec: &'static LangSpec, name: &str) -> Result<Role, QueryError> {
    let fixed = match name {
        "name" => Some(Role::Name),
        "body" => Some(Role::Body),
        "parent" => Some(Role::Parent),
        "trait" => Some(Role::Trait),
        "visibility" => Some(Role::Visibility),
        "keyword" => Some(Role::Keyword),
        "owner" => Some(Role::Owner),
        "embed" => Some(Role::Embed),
        "macro" => Some(Role::Macro),
        "macro.name" => Some(Role::MacroName),
        "scope.local" => Some(Role::LocalScope),
        "package" => Some(Role::Package),
        "package.clause" => Some(Role::PackageClause),
        _ if name.starts_with('_') => Some(Role::Ignored),
        _ => None,
    };
    if let Some(role) = fixed {
        return Ok(role);
    }
    if let Some(kind) = name.strip_prefix("definition.") {
        if let Some(k) = spec.item_kinds.iter().find(|k| **k == kind) {
            return Ok(Role::Definition(k));
        }
    }
    if let Some(kind) = name.strip_prefix("member.") {
        if let Some(k) = spec.member_kinds.iter().find(|k| **k == kind) {
            return Ok(Role::Member(k));
        }
    }
    Err(QueryError::InvalidCapture {
        lang: spec.name,
        capture: name.to_string(),
        allowed: allowed_captures(spec),
    })
}

fn allowed_captures(spec: &LangSpec) -> String {
    let mut all: Vec<String> = [
        "name",
        "body",
        "parent",
        "trait",
        "visibility",
        "keyword",
        "owner",
        "embed",
        "macro",
        "macro.name",
        "scope.local",
        "package",
        "package.clause",
        "_*",
    ]
    .iter()
    .map(|s| format!("@{s}"))
    .collect();
    all.extend(spec.item_kinds.iter().map(|k| format!("@definition.{k}")));
    all.extend(spec.member_kinds.iter().map(|k| format!("@member.{k}")));
    all.join(", ")
}

/// The compiled query of a registered language (compiled on first use).
pub(crate) fn query_for(
    spec: &'static LangSpec,
) -> Result<&'static CompiledQuery, &'static QueryError> {
    static COMPILED: PerLang<Result<CompiledQuery, QueryError>> = PerLang::new();
    COMPILED.get(spec, compile).as_ref()
}

/// The items query read by the structural matcher (`pattern.rs`), with the
/// role of each capture: what the extractor runs over a tree without syntax
/// errors, so such a file never compiles the query (compiling Rust's took
/// 6% of a JSON run's CPU on a small workspace). The matcher's capture
/// indexes are the compiled query's (both number captures by first
/// appearance; a unit test compares them).
pub(crate) struct ItemsMatcher {
    pub patterns: Patterns,
    pub roles: Vec<Role>,
    /// The node kinds of `@scope.local` patterns.
    pub scopes: Vec<u16>,
}

/// `spec`'s items matcher (read on first use); `None` when `pattern.rs` does
/// not read the query or a capture has no role (the extractor then runs the
/// compiled query, which reports the bad capture).
pub(crate) fn items_matcher(spec: &'static LangSpec) -> Option<&'static ItemsMatcher> {
    static READ: PerLang<Option<ItemsMatcher>> = PerLang::new();
    READ.get(spec, |spec| {
        let patterns = Patterns::parse(&Language::new(spec.grammar), spec.items_query).ok()?;
        let roles = patterns
            .capture_names()
            .iter()
            .map(|name| role_of(spec, name).ok())
            .collect::<Option<Vec<_>>>()?;
        let scopes = patterns.roots_capturing("scope.local");
        Some(ItemsMatcher {
            patterns,
            roles,
            scopes,
        })
    })
    .as_ref()
}

/// Compile a query file with a fixed capture vocabulary: `table` gives each
/// capture name its role, `_`-prefixed captures get `ignored`, and any other
/// name is an error naming the file, the capture and the allowed set.
pub(crate) fn compile_with_roles<R: Copy>(
    spec: &LangSpec,
    file: &str,
    source: &str,
    table: &[(&str, R)],
    ignored: R,
) -> Result<(Query, Vec<R>), String> {
    let query = Query::new(&Language::new(spec.grammar), source).map_err(|e| {
        format!(
            "queries/{}/{file} does not compile: line {}: {}",
            spec.name,
            e.row + 1,
            e.message
        )
    })?;
    let roles = roles_of(spec, file, query.capture_names(), table, ignored)?;
    Ok((query, roles))
}

/// The role of each capture name of `spec`'s query `file`, by `table`
/// (names starting with `_` are `ignored`); an unknown name is an error
/// naming the file, the capture and the allowed set.
pub(crate) fn roles_of<R: Copy>(
    spec: &LangSpec,
    file: &str,
    names: &[&str],
    table: &[(&str, R)],
    ignored: R,
) -> Result<Vec<R>, String> {
    let mut roles = Vec::with_capacity(names.len());
    for name in names {
        let role = if name.starts_with('_') {
            ignored
        } else if let Some((_, r)) = table.iter().find(|(n, _)| n == name) {
            *r
        } else {
            let allowed: Vec<String> = table.iter().map(|(n, _)| format!("@{n}")).collect();
            return Err(format!(
                "queries/{}/{file} uses unknown capture @{name}; allowed: {}, @_* (fix the query)",
                spec.name,
                allowed.join(", ")
            ));
        };
        roles.push(role);
    }
    Ok(roles)
}

/// A query compiled the first time a caller needs it: the structural
/// matcher (`pattern.rs`) reads the same patterns for every tree without
/// syntax errors, so a run over clean trees never pays for the compile
/// (Rust's reference query: about 40 ms, on the main thread, before any
/// file was scanned).
pub(crate) struct LazyQuery {
    spec: &'static LangSpec,
    source: &'static str,
    compiled: OnceLock<Option<Query>>,
}

impl LazyQuery {
    /// `source` as `spec`'s language, not compiled yet.
    pub(crate) fn new(spec: &'static LangSpec, source: &'static str) -> LazyQuery {
        LazyQuery {
            spec,
            source,
            compiled: OnceLock::new(),
        }
    }

    /// One already compiled.
    pub(crate) fn compiled(
        spec: &'static LangSpec,
        source: &'static str,
        query: Query,
    ) -> LazyQuery {
        let lazy = LazyQuery::new(spec, source);
        let _ = lazy.compiled.set(Some(query));
        lazy
    }

    /// The compiled query; `None` when it does not compile (the loader
    /// that built this checked it does).
    pub(crate) fn get(&self) -> Option<&Query> {
        self.compiled
            .get_or_init(|| Query::new(&Language::new(self.spec.grammar), self.source).ok())
            .as_ref()
    }
}

/// 64-bit FNV-1a: a stable hash (unlike `std`'s, which may change between releases).
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scan::lang::LANGS;

    #[test]
    fn every_query_compiles_with_known_captures() {
        for spec in LANGS {
            let q = compile(spec).unwrap_or_else(|e| panic!("{e}"));
            assert!(q.roles.iter().any(|r| matches!(r, Role::Definition(_))));
        }
    }

    #[test]
    fn fixed_vocabularies_reject_unknown_captures() {
        let table = [("call", 1u8)];
        let err = compile_with_roles(&LANGS[0], "refs.scm", "(identifier) @callee", &table, 0)
            .unwrap_err();
        assert!(err.contains("queries/go/refs.scm"), "{err}");
        assert!(
            err.contains("@callee") && err.contains("allowed: @call"),
            "{err}"
        );
        let (_, roles) = compile_with_roles(
            &LANGS[0],
            "x.scm",
            "(identifier) @_x (identifier) @call",
            &table,
            0,
        )
        .unwrap();
        assert_eq!(roles, vec![0, 1]);
    }

    #[test]
    fn unknown_capture_names_file_capture_and_allowed_set() {
        let err = role_of(&LANGS[0], "definition.klass")
            .unwrap_err()
            .to_string();
        assert!(err.contains("queries/go/items.scm"), "{err}");
        assert!(err.contains("@definition.klass"), "{err}");
        assert!(err.contains("@definition.func"), "{err}");
    }
}

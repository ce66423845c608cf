//! Compiles each language's reference query (`queries/<lang>/refs.scm`) once
//! and gives every capture a role; reads the same patterns for the
//! structural matcher (`scan/pattern.rs`), which the scan's copy of a tree
//! runs in place of the query (`scan/snapshot.rs`).
//!
//! Capture vocabulary:
//! - heads, one per pattern: `@call`, `@construct`, `@type` (a reference),
//!   `@import`, `@func`, `@scope`, `@field`, and the single captures `@decl`
//!   (a declaration's own name, never a use) and `@test.candidate` (a module or
//!   function that is test code when its attributes say so), `@macro` (a macro
//!   body whose tokens are re-parsed for references), `@generic` (the name of
//!   a generic type parameter: a receiver of that type has unknown methods);
//! - `@name`: the referenced identifier; `@qualifier`: the path before it
//!   (`pkg.` / `a::b::`); `@operand`: the value a method is called on, or a
//!   package when it names an import; `@body`: a literal's body (empty or not);
//! - `@import.path`, `@import.alias`; `@func.name`, `@func.parent` (the
//!   receiver type of a method);
//! - `@bind.name` with `@bind.type` (the written type or the literal's type) or
//!   `@bind.call` (the callee whose result it holds) or `@bind.elem` (the
//!   collection whose elements it ranges over) or `@bind.value` (any other
//!   expression whose type it has); `@bind.self`: the type
//!   that `self` and `Self` denote in the enclosing scope;
//! - `@field.object`, `@field.name`: a field access, also a reference to the
//!   field (or, when the object names an import, to a package's value);
//! - `@value` with `@name` (and `@qualifier`): a name used as a value
//!   (functions, constants, variables, unit structs and variants, variant
//!   paths in patterns);
//! - `@key` with `@key.type` and `@key.name`: a field named in a struct
//!   literal or pattern (`T{Name: x}`, `S { f, .. }`);
//! - `@local` (an identifier) and `@local.pattern` (a pattern whose
//!   identifiers all are): names a function declares for itself, which
//!   shadow the package's.
//!
//! Captures starting with `_` are free for predicates. Any other name fails at
//! load time with the file, the capture and the allowed set.

use crate::scan::lang::{lang_index, LangSpec, PerLang, LANGS};
use crate::scan::pattern::Patterns;
use crate::scan::query::LazyQuery;
use crate::scan::snapshot::Recipe;
use crate::scan::walk::SourceFile;

/// What a capture means to the reference finder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Call,
    Construct,
    Type,
    Import,
    Func,
    Scope,
    Field,
    /// A name used as a value.
    Value,
    /// A field named in a struct literal or pattern.
    Key,
    KeyType,
    KeyName,
    /// A name declared inside a function.
    Local,
    /// A pattern binding names inside a function.
    LocalPattern,
    /// A macro body (token tree) to re-parse for references.
    Macro,
    /// The name of a generic type parameter.
    Generic,
    Decl,
    TestCandidate,
    Name,
    Qualifier,
    Operand,
    Body,
    ImportPath,
    ImportAlias,
    /// The module path of a glob import (`a::b` in `use a::b::*`).
    ImportGlob,
    FuncName,
    FuncParent,
    BindName,
    BindType,
    BindCall,
    /// A collection whose elements the binding holds (`for x in xs`, `range`).
    BindElem,
    /// Any other value whose type the binding has (`let c = &self.config`).
    BindValue,
    BindSelf,
    FieldObject,
    FieldName,
    /// `_`-prefixed helper capture, used only by predicates.
    Ignored,
}

const ROLES: &[(&str, Role)] = &[
    ("call", Role::Call),
    ("construct", Role::Construct),
    ("type", Role::Type),
    ("import", Role::Import),
    ("func", Role::Func),
    ("scope", Role::Scope),
    ("field", Role::Field),
    ("value", Role::Value),
    ("key", Role::Key),
    ("key.type", Role::KeyType),
    ("key.name", Role::KeyName),
    ("local", Role::Local),
    ("local.pattern", Role::LocalPattern),
    ("macro", Role::Macro),
    ("generic", Role::Generic),
    ("decl", Role::Decl),
    ("test.candidate", Role::TestCandidate),
    ("name", Role::Name),
    ("qualifier", Role::Qualifier),
    ("operand", Role::Operand),
    ("body", Role::Body),
    ("import.path", Role::ImportPath),
    ("import.alias", Role::ImportAlias),
    ("import.glob", Role::ImportGlob),
    ("func.name", Role::FuncName),
    ("func.parent", Role::FuncParent),
    ("bind.name", Role::BindName),
    ("bind.type", Role::BindType),
    ("bind.call", Role::BindCall),
    ("bind.elem", Role::BindElem),
    ("bind.value", Role::BindValue),
    ("bind.self", Role::BindSelf),
    ("field.object", Role::FieldObject),
    ("field.name", Role::FieldName),
];

/// A reference query with the role of each capture index.
pub(crate) struct RefsQuery {
    /// The query, compiled at once when the matcher does not read it, else
    /// only if a caller asks for it (the tests).
    pub query: LazyQuery,
    pub roles: Vec<Role>,
    /// The same patterns for the structural matcher (`scan/pattern.rs`),
    /// when it reads them; it numbers the captures as the query does (a
    /// unit test compares them).
    pub matcher: Option<Patterns>,
}

/// Read `spec`'s reference query and check every capture name. When the
/// structural matcher reads it, the capture names come from the matcher and
/// the query is compiled only if a caller asks for it.
pub(crate) fn compile(spec: &'static LangSpec) -> Result<RefsQuery, String> {
    let source = spec.refs.query;
    if let Ok(matcher) = Patterns::parse(&tree_sitter::Language::new(spec.grammar), source) {
        let names: Vec<&str> = matcher.capture_names().iter().map(String::as_str).collect();
        let roles = crate::scan::query::roles_of(spec, "refs.scm", &names, ROLES, Role::Ignored)?;
        return Ok(RefsQuery {
            query: LazyQuery::new(spec, source),
            roles,
            matcher: Some(matcher),
        });
    }
    let (query, roles) =
        crate::scan::query::compile_with_roles(spec, "refs.scm", source, ROLES, Role::Ignored)?;
    Ok(RefsQuery {
        query: LazyQuery::compiled(spec, source, query),
        roles,
        matcher: None,
    })
}

/// The compiled reference query of a registered language, compiled the first
/// time a file of that language asks (a Rust tree never compiles Go's).
pub(crate) fn refs_query_for(spec: &'static LangSpec) -> Result<&'static RefsQuery, &'static str> {
    static COMPILED: PerLang<Result<RefsQuery, String>> = PerLang::new();
    COMPILED.get(spec, compile).as_ref().map_err(String::as_str)
}

/// What the scan copies of a file for the resolver ([`FileSyntax`]): the
/// reference query's matches, with the macro bodies and test candidates it
/// marks. `None` when the language's query does not compile.
///
/// [`FileSyntax`]: crate::scan::snapshot::FileSyntax
pub(crate) fn recipe_for(spec: &'static LangSpec) -> Option<&'static Recipe> {
    static RECIPES: PerLang<Option<Recipe>> = PerLang::new();
    RECIPES
        .get(spec, |l| {
            let rq = refs_query_for(l).ok()?;
            let with = |role: Role| {
                (0u32..)
                    .zip(&rq.roles)
                    .filter(|(_, r)| **r == role)
                    .map(|(i, _)| i)
                    .collect()
            };
            Some(Recipe {
                query: &rq.query,
                matcher: rq.matcher.as_ref(),
                macro_captures: with(Role::Macro),
                test_captures: with(Role::TestCandidate),
            })
        })
        .as_ref()
}

/// The recipes of the languages `files` hold, by the registry's order (for
/// the scan); a language no file is written in compiles no query.
pub(crate) fn recipes(files: &[SourceFile]) -> Vec<Option<&'static Recipe>> {
    let mut present = vec![false; LANGS.len()];
    for f in files {
        present[lang_index(f.lang)] = true;
    }
    LANGS
        .iter()
        .zip(present)
        .map(|(l, p)| if p { recipe_for(l) } else { None })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refs_query_compiles_with_known_captures() {
        for spec in LANGS {
            let q = compile(spec).unwrap_or_else(|e| panic!("{e}"));
            // The matcher numbers captures as the compiled query does: the
            // roles read from its names are the query's.
            let query = q.query.get().expect("refs.scm compiles");
            if let Some(m) = &q.matcher {
                assert_eq!(
                    m.capture_names(),
                    query.capture_names(),
                    "{}: capture order",
                    spec.name
                );
            }
            for head in [
                Role::Call,
                Role::Construct,
                Role::Type,
                Role::Import,
                Role::Func,
            ] {
                assert!(
                    q.roles.contains(&head),
                    "{} refs.scm has no {head:?}",
                    spec.name
                );
            }
        }
    }
}

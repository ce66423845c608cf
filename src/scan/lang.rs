//! The language registry: one row per language, sorted by name.
//!
//! Adding a language means one grammar crate, one `queries/<lang>/` folder and
//! one row in [`LANGS`]; the extractor, the walker and the renderers read only
//! this table and never match on a language by name.
//!
//! Data languages (YAML, JSON, TOML) have their own table, [`DATA_LANGS`]: a
//! grammar and a keys query each; they are never source.

use tree_sitter_language::LanguageFn;

/// How a language decides whether a declaration is visible outside its package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VisibilityRule {
    /// Go: an identifier starting with an upper-case letter is `exported`, else `private`.
    Capitalized,
    /// Rust: an explicit `pub…` modifier (captured as `@visibility`), else `private`;
    /// items of trait implementations are `impl`.
    Modifier,
}

/// How files are grouped into packages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PackageRule {
    /// Go: one package per directory, import path from the nearest `go.mod`.
    Directory,
    /// Rust: crates from `Cargo.toml`, modules from `mod` declarations.
    ModuleTree,
}

/// One language: everything the pipeline needs to know about it.
pub(crate) struct LangSpec {
    /// Lower-case name used on the command line and in JSON (`go`, `rust`).
    pub name: &'static str,
    /// File extensions without the dot.
    pub extensions: &'static [&'static str],
    /// The tree-sitter grammar.
    pub grammar: LanguageFn,
    /// The declaration query (`queries/<lang>/items.scm`).
    pub items_query: &'static str,
    /// The facts query (`queries/<lang>/facts.scm`, roles in `facts.rs`).
    pub facts_query: &'static str,
    /// Item kinds the query may emit as `@definition.<kind>`.
    pub item_kinds: &'static [&'static str],
    /// Member kinds the query may emit as `@member.<kind>`.
    pub member_kinds: &'static [&'static str],
    /// Item kinds that open a namespace: items inside them get the name appended
    /// to their package path (Rust inline `mod x { … }`).
    pub namespace_kinds: &'static [&'static str],
    /// What a declaration found in a macro body inside an impl or trait block
    /// becomes (`fn` there is a `method`); kinds not listed cannot live there
    /// and are dropped.
    pub contained_kinds: &'static [(&'static str, &'static str)],
    /// Node kinds that are comments (doc comments are read from them).
    pub comment_kinds: &'static [&'static str],
    /// Comment prefixes that make a comment preceding an item its doc comment.
    pub doc_prefixes: &'static [&'static str],
    /// Comment prefixes that are not doc comments even though a `doc_prefixes`
    /// entry matches them (Rust `////`).
    pub non_doc_prefixes: &'static [&'static str],
    /// Comment prefixes of inner doc comments at the top of a file (the module doc).
    pub inner_doc_prefixes: &'static [&'static str],
    /// Node kinds that are attributes attached to the following item.
    pub attribute_kinds: &'static [&'static str],
    /// Attribute names that make an item public regardless of its modifier
    /// (`#[macro_export]`).
    pub export_attributes: &'static [&'static str],
    /// Visibility rule.
    pub visibility: VisibilityRule,
    /// Package rule.
    pub packages: PackageRule,
    /// The manifest file that roots a package or crate.
    pub manifest: &'static str,
    /// File name suffixes of test files (`_test.go`).
    pub test_file_suffixes: &'static [&'static str],
    /// Directory names whose files are tests, benches or examples.
    pub test_dirs: &'static [&'static str],
    /// Whether `#[cfg(test)]`-style attributes mark test-only modules.
    pub cfg_test_modules: bool,
    /// Directory-name prefixes the language's toolchain ignores (Go `_`).
    pub ignored_dir_prefixes: &'static [&'static str],
    /// Whether a leading `// Code generated … DO NOT EDIT.` line marks a file generated.
    pub go_generated_header: bool,
    /// Fenced code block tag for rendered declarations.
    #[allow(dead_code)] // reason: read by the Frozen Interfaces renderer as it lands
    pub fence: &'static str,
    /// How `planrecon refs` reads the language.
    pub refs: RefsSpec,
}

/// How `planrecon refs` finds and resolves references in a language.
pub(crate) struct RefsSpec {
    /// The reference query (`queries/<lang>/refs.scm`).
    pub query: &'static str,
    /// Separator of path segments in symbols and enclosing-function labels.
    pub path_sep: &'static str,
    /// Whether every name resolves through the file's own package and imports
    /// (Go): a path naming no declaration of the repository is external, never
    /// a guess. Without it (Rust: glob imports, re-exports, preludes) such a
    /// path matches by name and is labelled inferred.
    pub closed_world: bool,
    /// Generic types that stand for their first argument when a receiver's
    /// type is looked up (`Box<Searcher>` has `Searcher`'s methods).
    pub transparent_wrappers: &'static [&'static str],
    /// Methods of the standard library's common types and traits, one name a
    /// line (`queries/<lang>/common-methods.txt`, `#` comments): a method call
    /// on a receiver of unknown type with such a name is never resolved by name.
    pub common_methods: &'static str,
}

impl std::fmt::Debug for LangSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// The registry, sorted by name.
pub(crate) static LANGS: &[LangSpec] = &[
    LangSpec {
        name: "go",
        extensions: &["go"],
        grammar: tree_sitter_go::LANGUAGE,
        items_query: include_str!("../../queries/go/items.scm"),
        facts_query: include_str!("../../queries/go/facts.scm"),
        item_kinds: &[
            "const",
            "func",
            "interface",
            "method",
            "struct",
            "type",
            "var",
        ],
        member_kinds: &["field", "interface_method"],
        namespace_kinds: &[],
        contained_kinds: &[],
        comment_kinds: &["comment"],
        doc_prefixes: &["//", "/*"],
        non_doc_prefixes: &[],
        inner_doc_prefixes: &[],
        attribute_kinds: &[],
        export_attributes: &[],
        visibility: VisibilityRule::Capitalized,
        packages: PackageRule::Directory,
        manifest: "go.mod",
        test_file_suffixes: &["_test.go"],
        test_dirs: &[],
        cfg_test_modules: false,
        ignored_dir_prefixes: &["_"],
        go_generated_header: true,
        fence: "go",
        refs: RefsSpec {
            query: include_str!("../../queries/go/refs.scm"),
            path_sep: ".",
            closed_world: true,
            transparent_wrappers: &[],
            common_methods: include_str!("../../queries/go/common-methods.txt"),
        },
    },
    LangSpec {
        name: "rust",
        extensions: &["rs"],
        grammar: tree_sitter_rust::LANGUAGE,
        items_query: include_str!("../../queries/rust/items.scm"),
        facts_query: include_str!("../../queries/rust/facts.scm"),
        item_kinds: &[
            "const", "enum", "fn", "macro", "method", "mod", "static", "struct", "trait", "type",
            "union",
        ],
        member_kinds: &["field", "variant"],
        namespace_kinds: &["mod"],
        contained_kinds: &[("fn", "method"), ("const", "const"), ("type", "type")],
        comment_kinds: &["line_comment", "block_comment"],
        doc_prefixes: &["///", "/**"],
        non_doc_prefixes: &["////", "/***", "/**/"],
        inner_doc_prefixes: &["//!", "/*!"],
        attribute_kinds: &["attribute_item"],
        export_attributes: &["macro_export"],
        visibility: VisibilityRule::Modifier,
        packages: PackageRule::ModuleTree,
        manifest: "Cargo.toml",
        test_file_suffixes: &[],
        test_dirs: &["tests", "benches", "examples"],
        cfg_test_modules: true,
        ignored_dir_prefixes: &[],
        go_generated_header: false,
        fence: "rust",
        refs: RefsSpec {
            query: include_str!("../../queries/rust/refs.scm"),
            path_sep: "::",
            closed_world: false,
            transparent_wrappers: &[
                "Arc",
                "Box",
                "Cow",
                "Mutex",
                "MutexGuard",
                "Option",
                "Pin",
                "Rc",
                "Ref",
                "RefCell",
                "RefMut",
                "Result",
                "RwLock",
                "RwLockReadGuard",
                "RwLockWriteGuard",
                "Weak",
            ],
            common_methods: include_str!("../../queries/rust/common-methods.txt"),
        },
    },
];

/// A data language (YAML, JSON, TOML): files the report lists with their
/// top-level keys, never source. One grammar crate, one
/// `queries/<lang>/keys.scm` and one row in [`DATA_LANGS`].
pub(crate) struct DataLangSpec {
    /// Lower-case name (`json`, `toml`, `yaml`).
    pub name: &'static str,
    /// File extensions without the dot.
    pub extensions: &'static [&'static str],
    /// The tree-sitter grammar.
    pub grammar: LanguageFn,
    /// The keys query (`queries/<lang>/keys.scm`, roles in `data.rs`).
    pub keys_query: &'static str,
    /// The values query (`queries/<lang>/values.scm`, roles in `data.rs`).
    pub values_query: &'static str,
}

/// The data languages, sorted by name.
pub(crate) static DATA_LANGS: &[DataLangSpec] = &[
    DataLangSpec {
        name: "json",
        extensions: &["json"],
        grammar: tree_sitter_json::LANGUAGE,
        keys_query: include_str!("../../queries/json/keys.scm"),
        values_query: include_str!("../../queries/json/values.scm"),
    },
    DataLangSpec {
        name: "toml",
        extensions: &["toml"],
        grammar: tree_sitter_toml_ng::LANGUAGE,
        keys_query: include_str!("../../queries/toml/keys.scm"),
        values_query: include_str!("../../queries/toml/values.scm"),
    },
    DataLangSpec {
        name: "yaml",
        extensions: &["yaml", "yml"],
        grammar: tree_sitter_yaml::LANGUAGE,
        keys_query: include_str!("../../queries/yaml/keys.scm"),
        values_query: include_str!("../../queries/yaml/values.scm"),
    },
];

/// The data language that owns a file extension, if any.
pub(crate) fn data_lang_for_extension(ext: &str) -> Option<&'static DataLangSpec> {
    DATA_LANGS.iter().find(|l| l.extensions.contains(&ext))
}

/// The language that owns a file extension, if any.
pub(crate) fn lang_for_extension(ext: &str) -> Option<&'static LangSpec> {
    LANGS.iter().find(|l| l.extensions.contains(&ext))
}

/// The language with this name, if any.
pub(crate) fn lang_by_name(name: &str) -> Option<&'static LangSpec> {
    LANGS.iter().find(|l| l.name == name)
}

/// Index of a language in [`LANGS`] (used for per-language caches).
pub(crate) fn lang_index(lang: &LangSpec) -> usize {
    LANGS
        .iter()
        .position(|l| std::ptr::eq(l, lang))
        .unwrap_or_default()
}

/// One value per language of [`LANGS`], each computed the first time a file
/// of that language asks for it: a run over a Rust tree never compiles the Go
/// queries (query compilation was 13% of a JSON run on just when every
/// language's queries were compiled up front).
pub(crate) struct PerLang<T> {
    cells: std::sync::OnceLock<Vec<std::sync::OnceLock<T>>>,
}

impl<T> PerLang<T> {
    /// Cells not computed yet.
    pub(crate) const fn new() -> Self {
        PerLang {
            cells: std::sync::OnceLock::new(),
        }
    }

    /// `spec`'s value, computed by `init` on the first call for `spec`.
    pub(crate) fn get(
        &'static self,
        spec: &'static LangSpec,
        init: impl FnOnce(&'static LangSpec) -> T,
    ) -> &'static T {
        let cells = self
            .cells
            .get_or_init(|| LANGS.iter().map(|_| std::sync::OnceLock::new()).collect());
        let at = lang_index(spec);
        cells[at].get_or_init(|| init(&LANGS[at]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn rows_are_sorted_by_name() {
        let names: Vec<_> = LANGS.iter().map(|l| l.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
    }

    #[test]
    fn extensions_are_unique() {
        let mut seen = BTreeSet::new();
        let all = LANGS
            .iter()
            .flat_map(|l| l.extensions)
            .chain(DATA_LANGS.iter().flat_map(|l| l.extensions));
        for e in all {
            assert!(seen.insert(*e), "extension {e} claimed twice");
        }
    }

    #[test]
    fn data_rows_are_sorted_and_found_by_extension() {
        let names: Vec<_> = DATA_LANGS.iter().map(|l| l.name).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        for l in DATA_LANGS {
            for e in l.extensions {
                assert!(std::ptr::eq(data_lang_for_extension(e).unwrap(), l));
            }
        }
        assert!(data_lang_for_extension("go").is_none());
    }

    #[test]
    fn every_language_has_fixtures() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
        for l in LANGS {
            let dir = root.join(l.name);
            let cases = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
            assert!(cases > 0, "no fixtures under {}", dir.display());
        }
    }

    #[test]
    fn lookups_agree_with_the_table() {
        for l in LANGS {
            assert!(std::ptr::eq(lang_by_name(l.name).unwrap(), l));
            for e in l.extensions {
                assert!(std::ptr::eq(lang_for_extension(e).unwrap(), l));
            }
            assert!(std::ptr::eq(&LANGS[lang_index(l)], l));
        }
        assert!(lang_by_name("cobol").is_none());
    }
}

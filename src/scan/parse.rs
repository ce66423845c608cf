//! One tree-sitter `Parser` per thread per language, reused across files
//! (ast-grep's `PARSER_CACHE`): creating a parser per file costs more than
//! parsing a small file.

use std::cell::RefCell;

use tree_sitter::{Language, Parser, Tree};

use crate::scan::lang::{lang_index, LangSpec, LANGS};

thread_local! {
    static PARSERS: RefCell<Vec<Option<Parser>>> = RefCell::new((0..LANGS.len()).map(|_| None).collect());
}

/// Run `f` with this thread's parser for `spec`, creating it on first use.
///
/// Returns `None` only if the grammar's ABI is incompatible with the linked
/// tree-sitter runtime (a build problem, reported by the caller).
pub(crate) fn with_parser<R>(spec: &LangSpec, f: impl FnOnce(&mut Parser) -> R) -> Option<R> {
    PARSERS.with(|cell| {
        let mut parsers = cell.borrow_mut();
        let slot = &mut parsers[lang_index(spec)];
        if slot.is_none() {
            let mut p = Parser::new();
            p.set_language(&Language::new(spec.grammar)).ok()?;
            *slot = Some(p);
        }
        slot.as_mut().map(f)
    })
}

/// Parse a whole file. `None` when the parser gave up (it never does for
/// valid UTF-8 without a timeout, but the API allows it).
pub(crate) fn parse_text(parser: &mut Parser, text: &str) -> Option<Tree> {
    // An empty range list means "the whole document"; a previous macro
    // re-parse may have narrowed it.
    parser.set_included_ranges(&[]).ok()?;
    parser.parse(text, None)
}

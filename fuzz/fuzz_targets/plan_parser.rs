//! Fuzz target: `check`'s plan parser on arbitrary text never panics, and
//! every citation's byte spans lie inside the plan, on character boundaries,
//! and hold what they claim (`check --fix` rewrites exactly those bytes).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lines = text.matches('\n').count() + 1;
    for c in planrecon::dev::parse_plan_for_fuzz(text) {
        assert!(c.line >= 1 && c.line <= lines, "{c:?}");
        assert_eq!(text.get(c.path_span.clone()), Some(c.path.as_str()), "{c:?}");
        if let Some(span) = &c.lines_span {
            let digits = text.get(span.clone()).expect("lines span on char boundaries");
            assert!(digits.starts_with(|ch: char| ch.is_ascii_digit()), "{c:?}: {digits:?}");
            assert!(span.start >= c.path_span.end, "{c:?}");
        }
    }
});

//! The invariants every fuzz target asserts on one extraction: each span lies
//! inside the file and each name occurs on its line.

pub fn check(lang: &str, data: &[u8]) {
    let Ok(spans) = planrecon::dev::extract_for_fuzz(lang, data) else { return };
    let lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    for s in &spans {
        assert!(s.line >= 1 && s.line <= s.end_line, "{s:?} is not a range");
        assert!(s.end_line as usize <= lines.len(), "{s:?} ends past line {}", lines.len());
        let name = s.name.strip_prefix("r#").unwrap_or(&s.name);
        assert!(!name.is_empty(), "{s:?} has no name");
        let line = lines[s.line as usize - 1];
        assert!(
            line.windows(name.len()).any(|w| w == name.as_bytes()),
            "{s:?}: line {} is {:?}",
            s.line,
            String::from_utf8_lossy(line)
        );
    }
    // Extraction is a pure function of the bytes.
    assert_eq!(planrecon::dev::extract_for_fuzz(lang, data).ok(), Some(spans));
}

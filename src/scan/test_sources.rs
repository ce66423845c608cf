//! Test support: the real sources the structural matcher is compared with
//! tree-sitter's query cursor on (`facts.rs`, `snapshot.rs`).

/// This crate's own Go and Rust files under `src/` and `testdata/`, and
/// those of the trees the environment variable `env` lists
/// (`:`-separated directories), as (language name, text). Vendor, target
/// and hidden directories are skipped; unreadable files are left out.
pub(crate) fn go_and_rust_sources(env: &str) -> Vec<(&'static str, String)> {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![root.join("src"), root.join("testdata")];
    if let Ok(extra) = std::env::var(env) {
        stack.extend(extra.split(':').map(std::path::PathBuf::from));
    }
    let mut out = Vec::new();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            if path.is_dir() {
                if !name.starts_with('.') && name != "vendor" && name != "target" {
                    stack.push(path);
                }
                continue;
            }
            let lang = match path.extension().and_then(|e| e.to_str()) {
                Some("go") => "go",
                Some("rs") => "rust",
                _ => continue,
            };
            if let Ok(text) = std::fs::read_to_string(&path) {
                out.push((lang, text));
            }
        }
    }
    out
}

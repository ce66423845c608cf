//! Reads and extracts every source file in parallel, in file order.
//!
//! A file that cannot be read cleanly (unreadable, too large, binary, not
//! UTF-8) becomes a diagnostic; the run goes on. rayon's indexed `collect`
//! keeps the walk's order, so the result does not depend on the thread count.

use rayon::prelude::*;

use crate::config::Config;
use crate::extract::{extract_file, FileFacts};
use crate::model::Diagnostic;
use crate::parse::{parse_text, with_parser};
use crate::walk::SourceFile;

/// Bytes inspected for NUL to call a file binary (as git and ripgrep do).
const BINARY_SNIFF_BYTES: usize = 8 * 1024;

/// One file after extraction.
#[derive(Debug)]
pub(crate) struct Scanned {
    pub file: SourceFile,
    /// `None` when the file was not parsed (skipped test file or unreadable).
    pub facts: Option<FileFacts>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Read and extract `files` on `config.threads` threads.
pub(crate) fn scan(config: &Config, files: Vec<SourceFile>) -> anyhow::Result<Vec<Scanned>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.threads)
        .build()?;
    Ok(pool.install(|| files.into_par_iter().map(|f| scan_one(config, f)).collect()))
}

fn scan_one(config: &Config, file: SourceFile) -> Scanned {
    let mut diagnostics = Vec::new();
    if file.test_by_path && !config.include_tests {
        return Scanned {
            file,
            facts: None,
            diagnostics,
        };
    }
    let facts = match read_source(config, &file) {
        Ok(text) => {
            if config.parse_only {
                with_parser(file.lang, |p| drop(parse_text(p, &text)));
                None
            } else {
                match with_parser(file.lang, |p| extract_file(file.lang, p, &text)) {
                    Some(Ok(facts)) => {
                        for (line, message) in &facts.syntax_errors {
                            diagnostics.push(Diagnostic {
                                file: file.rel.clone(),
                                line: Some(*line),
                                message: message.clone(),
                            });
                        }
                        Some(facts)
                    }
                    Some(Err(message)) => {
                        diagnostics.push(Diagnostic {
                            file: file.rel.clone(),
                            line: None,
                            message,
                        });
                        None
                    }
                    None => {
                        diagnostics.push(Diagnostic {
                            file: file.rel.clone(),
                            line: None,
                            message: format!("the {} grammar could not be loaded", file.lang.name),
                        });
                        None
                    }
                }
            }
        }
        Err(message) => {
            diagnostics.push(Diagnostic {
                file: file.rel.clone(),
                line: None,
                message,
            });
            None
        }
    };
    Scanned {
        file,
        facts,
        diagnostics,
    }
}

/// The file's text, or why it is skipped (see [`decode_source`]).
pub(crate) fn read_source(config: &Config, file: &SourceFile) -> Result<String, String> {
    if file.size > config.max_file_size {
        return Err(format!(
            "skipped: {} bytes is over the --max-file-size limit of {} bytes",
            file.size, config.max_file_size
        ));
    }
    let bytes = std::fs::read(&file.abs).map_err(|e| match e.kind() {
        std::io::ErrorKind::PermissionDenied => "skipped: permission denied".to_string(),
        std::io::ErrorKind::NotFound => {
            "skipped: the file disappeared while it was being read".to_string()
        }
        _ => format!("skipped: cannot read: {e}"),
    })?;
    if bytes.len() as u64 > config.max_file_size {
        return Err(format!(
            "skipped: {} bytes is over the --max-file-size limit of {} bytes",
            bytes.len(),
            config.max_file_size
        ));
    }
    decode_source(bytes)
}

/// The text of a file's bytes, or why it is skipped: binary (a NUL byte in
/// the first 8 KiB) or not UTF-8. A UTF-8 byte order mark becomes three
/// spaces, so byte offsets, columns and lines stay those of the file.
pub(crate) fn decode_source(mut bytes: Vec<u8>) -> Result<String, String> {
    if bytes[..bytes.len().min(BINARY_SNIFF_BYTES)].contains(&0) {
        return Err("skipped: binary file (NUL byte)".to_string());
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes[..3].copy_from_slice(b"   ");
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        format!("skipped: not valid UTF-8 (line {line})")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(dir: &std::path::Path, size: u64) -> SourceFile {
        SourceFile {
            rel: "a.go".into(),
            abs: dir.join("a.go"),
            lang: crate::lang::lang_by_name("go").expect("go"),
            test_by_path: false,
            size,
        }
    }

    /// A file the walk saw can vanish or grow before it is read: both are
    /// diagnostics, never a panic or a read past the size limit.
    #[test]
    fn files_changed_after_the_walk_are_diagnostics() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let mut config = Config::for_repo(tmp.path().to_path_buf(), false).expect("config");
        config.max_file_size = 100;
        let gone = source(tmp.path(), 10);
        assert_eq!(
            read_source(&config, &gone),
            Err("skipped: the file disappeared while it was being read".to_string())
        );
        let scanned = scan(&config, vec![gone.clone()]).expect("scan");
        assert!(scanned[0].facts.is_none());
        assert_eq!(scanned[0].diagnostics.len(), 1);
        std::fs::write(tmp.path().join("a.go"), "x".repeat(500)).expect("write");
        assert_eq!(
            read_source(&config, &source(tmp.path(), 10)),
            Err("skipped: 500 bytes is over the --max-file-size limit of 100 bytes".to_string())
        );
    }

    #[test]
    fn decoding_keeps_offsets_and_names_the_bad_line() {
        assert_eq!(
            decode_source(b"\xEF\xBB\xBFpackage a\n".to_vec()).as_deref(),
            Ok("   package a\n")
        );
        assert_eq!(
            decode_source(b"a\nb\n\xff\n".to_vec()),
            Err("skipped: not valid UTF-8 (line 3)".to_string())
        );
        assert_eq!(
            decode_source(b"a\0".to_vec()),
            Err("skipped: binary file (NUL byte)".to_string())
        );
        let mut late_nul = vec![b' '; BINARY_SNIFF_BYTES];
        late_nul.push(0);
        assert!(
            decode_source(late_nul).is_ok(),
            "a NUL past the sniff window is text"
        );
    }
}

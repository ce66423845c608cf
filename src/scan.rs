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

//! Enum variants, functions used as values, macro arguments, glob imports,
//! fields, and receivers known only through the result of a call.
use crate::shapes::Severity::*;

/// How bad a finding is.
#[derive(Debug, PartialEq)]
pub enum Severity {
    Warning,
    Error(u8),
}

/// A finding.
pub struct Finding {
    pub severity: Severity,
    pub line: usize,
}

impl Finding {
    pub fn severity(&self) -> &Severity {
        &self.severity
    }
}

/// Builds a finding.
pub fn make(line: usize) -> Finding {
    Finding { severity: Severity::Warning, line }
}

/// Used as a value below.
pub fn is_bad(f: &Finding) -> bool {
    matches!(f.severity, Severity::Error(_))
}

pub fn check(all: &[Finding]) -> usize {
    let bad = all.iter().filter(|f| is_bad(f)).count();
    let first = make(1);
    assert_eq!(make(2).severity(), &Warning);
    let named: Vec<fn(&Finding) -> bool> = vec![is_bad];
    match first.severity {
        Severity::Warning => bad + named.len() + first.line,
        Error(n) => usize::from(n),
    }
}

/// `len` is a method of `Vec`, `str` and `HashMap`: a call on a receiver of
/// unknown type is never resolved to this one by name.
pub struct Sized2;

impl Sized2 {
    pub fn len(&self) -> usize {
        2
    }

    pub fn unique_name_here(&self) -> usize {
        3
    }
}

pub fn unknown(x: impl std::any::Any, y: Vec<u8>) -> usize {
    let z = y.iter().count();
    z + y.len() + opaque().unique_name_here()
}

fn opaque() -> impl Sized {
    Sized2
}

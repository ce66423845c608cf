//! File-system answers the report was built with (is this path a file?),
//! recorded so the whole-report cache can ask them again before it serves a
//! stored report: the one piece of process-wide state besides the language
//! registry, because the answers come from deep inside the scan.

use std::path::Path;
use std::sync::Mutex;

/// File-system answers of the current run, recorded by [`is_file`].
static PROBES: Mutex<Vec<(String, bool)>> = Mutex::new(Vec::new());

/// Whether `root/rel` is a file; the answer is recorded for the report
/// cache, which asks again before it serves a report.
pub(crate) fn is_file(root: &Path, rel: &str) -> bool {
    let answer = root.join(rel).is_file();
    if let Ok(mut log) = PROBES.lock() {
        log.push((rel.to_string(), answer));
    }
    answer
}

/// Forget the recorded answers (before a report is built).
pub(crate) fn clear_probes() {
    if let Ok(mut log) = PROBES.lock() {
        log.clear();
    }
}

/// The recorded answers, sorted and deduplicated.
pub(crate) fn take_probes() -> Vec<(String, bool)> {
    let mut probes = PROBES
        .lock()
        .map(|mut l| std::mem::take(&mut *l))
        .unwrap_or_default();
    probes.sort();
    probes.dedup();
    probes
}

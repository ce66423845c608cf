//! The progress bar of a long pass over the files: on stderr only when it
//! is a terminal (not `TERM=dumb`, not CI), and only once the pass has run
//! for a second, so short runs, pipes and CI logs never see it. It is
//! cleared when the pass ends; lines printed after it start on a clean line.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a pass runs before a progress bar appears.
const PROGRESS_AFTER: Duration = Duration::from_secs(1);

/// Overrides [`PROGRESS_AFTER`], in milliseconds (tests show the bar at once
/// with `0`).
const DELAY_VAR: &str = "PLANRECON_PROGRESS_DELAY_MS";

/// The delay before a bar appears: [`DELAY_VAR`] when it is a number.
fn delay() -> Duration {
    std::env::var(DELAY_VAR)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map_or(PROGRESS_AFTER, Duration::from_millis)
}

/// A progress bar that stays hidden unless stderr is a terminal (and not CI)
/// and the pass has already taken over [`PROGRESS_AFTER`] (or [`DELAY_VAR`]).
pub(crate) struct Progress {
    bar: ProgressBar,
    start: Instant,
    after: Duration,
    enabled: bool,
    shown: AtomicBool,
}

impl Progress {
    /// A hidden bar over `len` steps of `unit`, timed from `start`.
    pub(crate) fn new(len: u64, start: Instant, unit: &str) -> Progress {
        // A dumb terminal cannot erase a line: the bar would pile up.
        let enabled = std::io::stderr().is_terminal()
            && std::env::var_os("CI").is_none()
            && !matches!(std::env::var_os("TERM"), Some(t) if t == "dumb");
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
        if let Ok(style) =
            ProgressStyle::with_template(&format!("{{bar:30}} {{pos}}/{{len}} {unit} {{elapsed}}"))
        {
            bar.set_style(style);
        }
        Progress {
            bar,
            start,
            after: delay(),
            enabled,
            shown: AtomicBool::new(false),
        }
    }

    /// One step done; shows the bar once the run is long enough.
    pub(crate) fn tick(&self) {
        self.bar.inc(1);
        if self.enabled
            && !self.shown.load(Ordering::Relaxed)
            && self.start.elapsed() >= self.after
            && !self.shown.swap(true, Ordering::Relaxed)
        {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Clears the bar if it was shown.
    pub(crate) fn finish(&self) {
        if self.shown.load(Ordering::Relaxed) {
            self.bar.finish_and_clear();
        }
    }
}

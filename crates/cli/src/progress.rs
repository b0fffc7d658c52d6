//! Progress bars on stderr, shown only when stderr is a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A row counter with a rate, hidden when stderr is not a terminal or with `--quiet`.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A counter of rows for the stage `what`.
    pub fn rows(what: &'static str, quiet: bool) -> Progress {
        let bar = ProgressBar::no_length();
        if quiet || !std::io::stderr().is_terminal() {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        } else {
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}: {human_pos} rows ({per_sec}) {elapsed}") {
            bar.set_style(style);
        }
        bar.set_message(what);
        Progress { bar }
    }

    /// Counts `rows` more rows (called from many threads).
    pub fn add(&self, rows: u64) {
        self.bar.inc(rows);
    }

    /// Clears the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

//! Progress on stderr for the CLI: indicatif bars (per file and overall) on
//! a terminal, plain lines otherwise, only notes with `--quiet`.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

pub use crate::progress::human_bytes;
use crate::progress::{Event, Observer};

/// How progress is shown.
pub enum Progress {
    /// Nothing at all.
    Quiet,
    /// One line per file start and finish.
    Lines {
        /// Files started so far in this phase.
        index: usize,
        /// Files in this phase.
        files: usize,
        /// Current phase name.
        phase: &'static str,
    },
    /// Bars on a terminal.
    Bars {
        /// The bar group.
        multi: MultiProgress,
        /// The overall bar.
        overall: Option<ProgressBar>,
        /// The current file's bar.
        file: Option<ProgressBar>,
    },
}

impl Progress {
    /// Bars when stderr is a terminal, lines otherwise, nothing when quiet.
    pub fn for_stderr(quiet: bool) -> Self {
        if quiet {
            Progress::Quiet
        } else if std::io::stderr().is_terminal() {
            Progress::Bars {
                multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr_with_hz(10)),
                overall: None,
                file: None,
            }
        } else {
            Progress::Lines {
                index: 0,
                files: 0,
                phase: "",
            }
        }
    }
}

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

impl Observer for Progress {
    fn event(&mut self, event: Event) {
        match self {
            // Notes say what happened to the work (a resume, what was
            // kept): printed even when progress is not.
            Progress::Quiet => {
                if let Event::Note(text) = event {
                    eprintln!("mnepack: {text}");
                }
            }
            Progress::Lines {
                index,
                files,
                phase,
            } => line_event(index, files, phase, event),
            Progress::Bars {
                multi,
                overall,
                file,
            } => bar_event(multi, overall, file, event),
        }
    }
}

/// One line on stderr for a start, a file and a note.
fn line_event(index: &mut usize, files: &mut usize, phase: &mut &'static str, event: Event) {
    let mut err = std::io::stderr().lock();
    match event {
        Event::Start {
            phase: p,
            files: f,
            total_bytes,
        } => {
            (*index, *files, *phase) = (0, f, p);
            let _ = writeln!(err, "{p}: {f} files, {}", human_bytes(total_bytes));
        }
        Event::FileStart { name, size } => {
            *index += 1;
            let _ = writeln!(
                err,
                "{phase}: [{index}/{files}] {name} ({})",
                human_bytes(size)
            );
        }
        Event::Note(text) => {
            let _ = writeln!(err, "{phase}: {text}");
        }
        Event::Advance { .. } | Event::FileDone { .. } | Event::Measured { .. } | Event::Finish => {
        }
    }
}

/// The overall bar and the current file's.
fn bar_event(
    multi: &MultiProgress,
    overall: &mut Option<ProgressBar>,
    file: &mut Option<ProgressBar>,
    event: Event,
) {
    match event {
        Event::Start {
            phase, total_bytes, ..
        } => {
            let bar = multi.add(ProgressBar::new(total_bytes));
            bar.set_style(style(
                "{prefix:>7} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}",
            ));
            bar.set_prefix(phase);
            bar.enable_steady_tick(Duration::from_millis(200));
            *overall = Some(bar);
        }
        Event::FileStart { name, size } => {
            if let Some(old) = file.take() {
                old.finish_and_clear();
            }
            let bar = multi.add(ProgressBar::new(size));
            bar.set_style(style("        [{bar:30}] {percent:>3}% {wide_msg}"));
            bar.set_message(name);
            *file = Some(bar);
        }
        Event::Advance { bytes } => {
            if let Some(b) = file {
                b.inc(bytes);
            }
            if let Some(b) = overall {
                b.inc(bytes);
            }
        }
        Event::FileDone { .. } => {
            if let Some(old) = file.take() {
                old.finish_and_clear();
            }
        }
        Event::Note(text) => {
            let _ = multi.println(text);
        }
        Event::Measured { .. } => {}
        Event::Finish => {
            if let Some(old) = file.take() {
                old.finish_and_clear();
            }
            if let Some(b) = overall.take() {
                b.finish_and_clear();
            }
        }
    }
}

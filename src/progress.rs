//! Progress events, the `Observer` that receives them, and the `Cancel`
//! token: parameters of long operations, so the CLI (bars or plain lines),
//! the TUI (a channel) and tests (a recorder) all watch the same work.

use std::sync::Arc;

use crate::analysis::Measurements;
use std::sync::atomic::{AtomicBool, Ordering};

/// Something that happened during a long operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A phase starts: `total_bytes` will be processed over `files` files.
    Start {
        /// "pack", "verify", "check"...
        phase: &'static str,
        /// Files in this phase.
        files: usize,
        /// Bytes in this phase.
        total_bytes: u64,
    },
    /// A file starts.
    FileStart {
        /// Display name of the file.
        name: String,
        /// Its size in bytes.
        size: u64,
    },
    /// Bytes were processed in the current file.
    Advance {
        /// Bytes since the last event.
        bytes: u64,
    },
    /// A file is done.
    FileDone {
        /// Display name of the file.
        name: String,
    },
    /// A file's measurements are known (after its `FileDone`, audio only).
    Measured {
        /// Display name of the file.
        name: String,
        /// What the analysis found.
        measurements: Box<Measurements>,
    },
    /// A line of information for the user.
    Note(String),
    /// The phase is over.
    Finish,
}

/// Receives progress events. Implementations must be cheap: `Advance` comes
/// once per buffer.
pub trait Observer {
    /// Called for every event.
    fn event(&mut self, event: Event);
}

/// An observer that ignores everything.
#[derive(Debug, Default, Clone, Copy)]
pub struct Silent;

impl Observer for Silent {
    fn event(&mut self, _event: Event) {}
}

impl<F: FnMut(Event)> Observer for F {
    fn event(&mut self, event: Event) {
        self(event);
    }
}

/// A cancellation flag shared between the worker and whoever may cancel it
/// (Ctrl-C handler, TUI key).
#[derive(Debug, Default, Clone)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A fresh, un-cancelled token.
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the work to stop at the next check.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// True once cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// The shared flag, for signal handlers that set it directly.
    pub fn flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.0)
    }
}

/// Bytes in binary units, as every front end prints them: `512 B`,
/// `1.5 KiB`, `13.2 MiB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

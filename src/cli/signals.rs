//! Signals: Ctrl-C, SIGTERM and a closed SSH session (SIGHUP) ask the work
//! to stop; it stops at the next block, cleans up and exits 130. A process
//! that has not ended [`GRACE`] after the first signal (blocked in the
//! kernel, say on a hung network share), or that gets a second one, exits
//! 130 at once: what it leaves is what a kill leaves, a staging folder the
//! next run resumes or clears, never a finished-looking upload folder.

use std::io::Write as _;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::time::Duration;

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

use super::{Exit, render};
use crate::progress::Cancel;

/// How long a stop may take before the process is ended regardless.
pub const GRACE: Duration = Duration::from_secs(2);

/// Starts watching for the stop signals; `terminal` says whether a forced
/// exit must give the terminal back first (the wizard runs).
pub fn watch(cancel: &Cancel, terminal: bool) {
    let flag = cancel.flag();
    // The handler itself sets the flag, as the signal arrives: no read
    // starts after it, however late the watcher thread gets to run.
    for sig in [SIGINT, SIGTERM, SIGHUP] {
        let _ = signal_hook::flag::register(sig, cancel.flag());
    }
    let Ok(mut signals) = Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        // No watcher thread: the flag alone still stops the work.
        return;
    };
    let _ = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if signals.forever().next().is_none() {
                return;
            }
            flag.store(true, Ordering::SeqCst);
            let (again, second) = mpsc::channel();
            let _ = std::thread::Builder::new()
                .name("signals-again".into())
                .spawn(move || {
                    if signals.forever().next().is_some() {
                        let _ = again.send(());
                    }
                });
            let _ = second.recv_timeout(GRACE);
            force_exit(terminal);
        });
}

fn force_exit(terminal: bool) -> ! {
    #[cfg(feature = "tui")]
    if terminal {
        ratatui::restore();
    }
    #[cfg(not(feature = "tui"))]
    let _ = terminal;
    // Never panic here: after SIGHUP the terminal may be gone.
    let _ = writeln!(std::io::stderr(), "mnepack: {}", render::FORCED_STOP);
    std::process::exit(Exit::Interrupted as i32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_states_the_grace_in_force() {
        let said = format!("within {} s", GRACE.as_secs());
        assert!(
            render::FORCED_STOP.contains(&said),
            "{}",
            render::FORCED_STOP
        );
    }
}

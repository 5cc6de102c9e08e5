//! The wizard's hold on its terminal. A terminal that goes away (an SSH
//! session that drops, `tmux kill-session`) is hung up: its reads return
//! end of file at once and forever. So the wizard waits for input on
//! standard input itself (a level-triggered `poll`, which reports the
//! hang-up), reads only what is there (one unbuffered `read`), and keeps
//! a watchdog that ends the process if the event loop has not stopped
//! two seconds after a signal or a hang-up (an exit is as safe as a
//! kill: a pack resumes from its journal either way).

use std::io::{self, IsTerminal as _};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec, poll};

use crate::progress::Cancel;

/// What waiting on the terminal found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ready {
    /// Bytes to read: one [`read_input`] returns them without blocking.
    Input,
    /// Nothing came within the time (or a signal interrupted the wait).
    Idle,
    /// The terminal is gone: hung up, closed, or no longer a terminal.
    Gone,
}

/// True when standard input is no longer a terminal (a hung-up tty
/// answers every terminal request with an error).
pub fn gone() -> bool {
    !io::stdin().is_terminal()
}

/// Waits up to `timeout` for input on standard input.
pub fn wait_input(timeout: Duration) -> Ready {
    let stdin = io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let ts = Timespec {
        tv_sec: i64::try_from(timeout.as_secs()).unwrap_or(i64::MAX),
        tv_nsec: i64::from(timeout.subsec_nanos()),
    };
    match poll(&mut fds, Some(&ts)) {
        // Nothing came, or a signal interrupted the wait.
        Ok(0) | Err(rustix::io::Errno::INTR) => Ready::Idle,
        Ok(_) => {
            let r = fds[0].revents();
            if r.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) || gone() {
                Ready::Gone
            } else {
                Ready::Input
            }
        }
        Err(_) => Ready::Gone,
    }
}

/// Reads what standard input holds, unbuffered (a buffer between the
/// terminal and `poll` would hide bytes from the next wait); call it once
/// after [`wait_input`] said [`Ready::Input`], so it does not block.
pub fn read_input(buf: &mut [u8]) -> io::Result<usize> {
    rustix::io::read(rustix::stdio::stdin(), buf).map_err(io::Error::from)
}

/// Starts the watchdog: once `stop` is set or the terminal is gone, the
/// event loop has two seconds to finish (`finished` set); if it has not,
/// the terminal is restored where it still exists and the process exits
/// with 130.
pub fn watchdog(stop: Cancel, finished: Arc<AtomicBool>) {
    thread::spawn(move || {
        let mut since: Option<Instant> = None;
        while !finished.load(Ordering::SeqCst) {
            if since.is_none() && (stop.is_cancelled() || gone()) {
                since = Some(Instant::now());
            }
            if since.is_some_and(|t| t.elapsed() > Duration::from_secs(2)) {
                if !gone() {
                    ratatui::restore();
                }
                std::process::exit(130);
            }
            thread::sleep(Duration::from_millis(50));
        }
    });
}

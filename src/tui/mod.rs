//! The terminal wizard (`mnepack tui [DIR]`, or `mnepack` alone on a
//! terminal): Job -> Sources -> Review -> Pack -> Done. The model
//! ([`app::App`]) does no I/O; `update` returns effects that the
//! [`worker::Runner`] runs on threads; the event loop is generic over the
//! ratatui backend and the event source, so tests drive it with a
//! `TestBackend` and a [`Script`]. The terminal is restored on exit, on
//! error (a guard) and on panic (ratatui's hook).

pub mod app;
mod detail;
pub mod form;
mod input;
pub mod keymap;
mod measure;
mod model;
pub mod plot;
pub mod season;
mod season_work;
pub mod strings;
pub mod text;
mod tty;
mod update;
pub mod view;
pub mod worker;

use std::collections::VecDeque;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::Backend;

use app::{App, Msg};
use keymap::Key;
use worker::Runner;

use crate::progress::Cancel;

/// One input the loop reacts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A key press.
    Key(Key),
    /// The terminal changed size (the next draw adapts).
    Resize,
    /// The terminal is gone or the process was told to stop (SIGHUP,
    /// SIGTERM, SIGINT, end of file or an I/O error on the terminal): stop
    /// any pack as the cancel key does, and leave.
    Hangup,
}

/// Where inputs come from: the terminal, or a test script.
pub trait EventSource {
    /// The next input, waiting at most `timeout`; `None` when none came.
    fn next(&mut self, app: &App, timeout: Duration) -> io::Result<Option<Input>>;
}

/// Runs the wizard until the app quits: draw, apply worker results, wait
/// for one input, apply it, run the effects.
pub fn event_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    events: &mut dyn EventSource,
    runner: &mut Runner,
) -> io::Result<()> {
    runner.run(app.start());
    loop {
        terminal
            .draw(|f| view::draw(f, app))
            .map_err(|e| io::Error::other(e.to_string()))?;
        if app.quit {
            return Ok(());
        }
        let mut got = false;
        while let Ok(m) = runner.rx.try_recv() {
            let effects = app.update(Msg::Worker(m));
            runner.run(effects);
            got = true;
        }
        // Input is read on every turn, without waiting while the workers
        // report: a stream of progress never starves a key or a hang-up.
        let wait = if got {
            Duration::ZERO
        } else {
            Duration::from_millis(50)
        };
        match events.next(app, wait)? {
            Some(Input::Key(k)) => {
                let effects = app.update(Msg::Key(k));
                runner.run(effects);
            }
            Some(Input::Resize) => {
                // Re-lay out at the new size now (the next draw would
                // notice too); a resize never loses state.
                terminal
                    .autoresize()
                    .map_err(|e| io::Error::other(e.to_string()))?;
            }
            Some(Input::Hangup) => {
                let effects = app.update(Msg::Hangup);
                runner.run(effects);
                // No last draw: the terminal may be gone.
                return Ok(());
            }
            None => {}
        }
    }
}

/// A step of a [`Script`].
pub enum Step {
    /// Press a key.
    Key(Key),
    /// Type text.
    Text(String),
    /// Wait until the app satisfies the condition (named for errors).
    Wait(&'static str, Box<dyn Fn(&App) -> bool>),
    /// The terminal becomes `width` x `height`: the script's resize hook
    /// is told (a test backend takes the size), then a resize input comes.
    Resize(u16, u16),
}

/// A test's way to give the backend a new size.
type ResizeHook = Box<dyn FnMut(u16, u16)>;

/// Scripted inputs for tests, with an overall deadline.
pub struct Script {
    steps: VecDeque<Step>,
    deadline: Instant,
    on_resize: Option<ResizeHook>,
}

impl Script {
    /// A script that must finish within `limit`.
    pub fn new(steps: Vec<Step>, limit: Duration) -> Self {
        Script {
            steps: steps.into(),
            deadline: Instant::now() + limit,
            on_resize: None,
        }
    }

    /// Calls `hook` with the new size at each [`Step::Resize`], before the
    /// resize input reaches the loop.
    #[must_use]
    pub fn on_resize(mut self, hook: impl FnMut(u16, u16) + 'static) -> Self {
        self.on_resize = Some(Box::new(hook));
        self
    }
}

impl EventSource for Script {
    fn next(&mut self, app: &App, timeout: Duration) -> io::Result<Option<Input>> {
        if Instant::now() > self.deadline {
            let what = match self.steps.front() {
                Some(Step::Wait(name, _)) => (*name).to_string(),
                _ => "the next step".to_string(),
            };
            return Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "script timed out waiting for {what} (screen {:?}, status {:?}, scanning {})",
                    app.screen, app.status, app.scanning
                ),
            ));
        }
        match self.steps.pop_front() {
            Some(Step::Key(k)) => Ok(Some(Input::Key(k))),
            Some(Step::Resize(w, h)) => {
                if let Some(hook) = self.on_resize.as_mut() {
                    hook(w, h);
                }
                Ok(Some(Input::Resize))
            }
            Some(Step::Text(t)) => {
                let mut chars = t.chars();
                let first = chars.next();
                let rest: String = chars.collect();
                if !rest.is_empty() {
                    self.steps.push_front(Step::Text(rest));
                }
                Ok(first.map(|c| Input::Key(Key::Char(c))))
            }
            Some(Step::Wait(name, cond)) => {
                if !cond(app) {
                    self.steps.push_front(Step::Wait(name, cond));
                    std::thread::sleep(
                        timeout.clamp(Duration::from_millis(1), Duration::from_millis(10)),
                    );
                }
                Ok(None)
            }
            None => Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "script ended before the app quit",
            )),
        }
    }
}

/// Restores the terminal when dropped (normal exit and errors; panics are
/// covered by the hook `ratatui::try_init` installs).
#[derive(Debug)]
pub struct TerminalGuard;

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// Runs the wizard on the real terminal until the user quits or `stop` is
/// set (a signal) or the terminal goes away; a pack in flight is then
/// stopped as the cancel key stops it, and its last word (what was kept)
/// reaches the model before this returns.
pub fn run_terminal(app: &mut App, stop: &Cancel) -> io::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let _guard = TerminalGuard;
    let finished = Arc::new(AtomicBool::new(false));
    tty::watchdog(stop.clone(), Arc::clone(&finished));
    let mut runner = Runner::default();
    let r = event_loop(
        &mut terminal,
        app,
        &mut input::Terminal::new(stop.clone()),
        &mut runner,
    );
    runner.shutdown();
    while let Ok(m) = runner.rx.try_recv() {
        let _ = app.update(Msg::Worker(m));
    }
    finished.store(true, Ordering::SeqCst);
    r
}

#[cfg(test)]
mod tests;

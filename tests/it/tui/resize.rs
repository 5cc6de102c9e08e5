//! Resizes at every step of the wizard, through the real event loop: the
//! terminal goes to 80x24, 40x10, 250x60 and back while the journey goes
//! from the demo stage to a verified delivery; after each resize the loop
//! must have re-laid the screen out at the new size (title bar on the
//! first row, key hints on the last, the screen's own text) without panic.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use std::time::Duration;

use chrono::Local;
use mnepack::testmedia::demo::write_demo;
use mnepack::tui::app::{App, Screen as Step5};
use mnepack::tui::keymap::{Key, KeyMap};
use mnepack::tui::worker::Runner;
use mnepack::tui::{Script, Step, event_loop};
use ratatui::Terminal;

use super::screen::{Handle, Screen};
use super::stage::{assert_untouched, record};

/// The sizes every screen goes through, ending where it started.
pub(super) const SIZES: [(u16, u16); 5] = [(80, 24), (40, 10), (250, 60), (100, 30), (80, 24)];

/// What a screen must show after a resize.
#[derive(Clone, Copy)]
pub(super) enum Look {
    /// A screen: the title bar on the first row, the key hints on the
    /// last, and one of these texts.
    Screen(&'static [&'static str]),
    /// A window over the screen (it may cover the bars when tiny): its
    /// whole border and this text.
    Window(&'static str),
}

/// True when the last drawn frame is `w` x `h` and looks like `look`.
fn laid_out(handle: &Handle, w: u16, h: u16, look: Look) -> bool {
    if handle.drawn_size() != (w, h) {
        return false;
    }
    let text = handle.text();
    let lines: Vec<&str> = text.lines().collect();
    if lines.len() != usize::from(h) {
        return false;
    }
    match look {
        Look::Screen(marker) => {
            lines.first().is_some_and(|l| l.starts_with("mnepack"))
                && lines.last().is_some_and(|l| l.starts_with('?'))
                && marker.iter().any(|m| text.contains(m))
        }
        Look::Window(title) => {
            ["┌", "┐", "└", "┘"].iter().all(|c| text.contains(c)) && text.contains(title)
        }
    }
}

/// Resize steps through [`SIZES`], each followed by a wait for the new
/// layout looking like `look`.
pub(super) fn resizes(handle: &Handle, look: Look) -> Vec<Step> {
    let mut steps = Vec::new();
    for (w, h) in SIZES {
        steps.push(Step::Resize(w, h));
        let hd = handle.clone();
        steps.push(Step::Wait(
            "the screen laid out at the new size",
            Box::new(move |_: &App| laid_out(&hd, w, h, look)),
        ));
    }
    steps
}

fn wait(name: &'static str, f: impl Fn(&App) -> bool + 'static) -> Step {
    Step::Wait(name, Box::new(f))
}

#[test]
fn every_screen_survives_resizes_and_is_laid_out_again() {
    let tmp = tempfile::tempdir().unwrap();
    write_demo(&tmp.path().join("demo")).unwrap();
    let root = std::fs::canonicalize(tmp.path().join("demo")).unwrap();
    let before = record(&root.join("stage"));
    let mut app = App::new(&root, None, Local::now().date_naive(), KeyMap::default());
    app.color = false;
    let (screen, handle) = Screen::new(80, 24);
    let mut steps = resizes(&handle, Look::Screen(&["Title"]));
    steps.extend([
        Step::Key(Key::Enter),
        Step::Text("Night Train".into()),
        Step::Key(Key::Enter),
        Step::Key(Key::Tab),
        wait("the sources, probed", |a| {
            a.screen == Step5::Sources && !a.scanning && a.sources.mne.is_some()
        }),
    ]);
    steps.extend(resizes(&handle, Look::Screen(&["NT_ME_51.wav"])));
    steps.extend([
        Step::Key(Key::Tab),
        wait("a plan", |a| a.review.prepared.is_some()),
    ]);
    steps.extend(resizes(&handle, Look::Screen(&["DELIVERED AS"])));
    steps.push(Step::Key(Key::Char('?')));
    steps.extend(resizes(&handle, Look::Window("Keys")));
    steps.extend([
        Step::Key(Key::Esc),
        Step::Key(Key::Enter),
        wait("the done screen", |a| {
            a.screen == Step5::Done || a.pack.error.is_some()
        }),
    ]);
    steps.extend(resizes(&handle, Look::Screen(&["verified", "delivery01"])));
    steps.push(Step::Key(Key::Char('q')));

    let hook = handle.clone();
    let mut script =
        Script::new(steps, Duration::from_secs(60)).on_resize(move |w, h| hook.set_size(w, h));
    let mut terminal = Terminal::new(screen).unwrap();
    let mut runner = Runner::default();
    let r = event_loop(&mut terminal, &mut app, &mut script, &mut runner);
    runner.shutdown();
    if let Err(e) = r {
        panic!("{e}; last screen:\n{}", handle.text());
    }

    assert_eq!(app.pack.error, None);
    let done = app.done.as_ref().expect("a delivery");
    assert!(done.report.verified);
    assert_eq!(handle.drawn_size(), (80, 24));
    assert_untouched(&before);
}

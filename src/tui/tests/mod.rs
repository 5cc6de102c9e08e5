//! Tests of the wizard's model (`App::update`) and whole-screen snapshots.

mod measure;
mod plots;
mod season;
mod snapshots;
mod states;
mod update;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use super::app::{App, Effect, Msg, WorkerMsg};
use super::keymap::{Key, KeyMap};
use super::worker::Runner;
use crate::testmedia::demo::write_demo;

pub(super) fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

/// A demo stage in a temp dir, and its canonical root.
pub(super) fn demo() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    write_demo(&tmp.path().join("demo")).unwrap();
    let root = std::fs::canonicalize(tmp.path().join("demo")).unwrap();
    (tmp, root)
}

/// Runs effects on real workers and feeds every result back until idle.
pub(super) fn settle(app: &mut App, effects: Vec<Effect>) {
    settle_seen(app, effects);
}

/// [`settle`], returning every message the workers sent, in order.
pub(super) fn settle_seen(app: &mut App, effects: Vec<Effect>) -> Vec<WorkerMsg> {
    let mut seen = Vec::new();
    let mut runner = Runner::default();
    runner.run(effects);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match runner.rx.recv_timeout(Duration::from_millis(20)) {
            Ok(m) => {
                seen.push(m.clone());
                let more = app.update(Msg::Worker(m));
                runner.run(more);
            }
            Err(_) if !runner.busy() => break,
            Err(_) => assert!(Instant::now() < deadline, "workers did not settle"),
        }
    }
    while let Ok(m) = runner.rx.try_recv() {
        seen.push(m.clone());
        app.update(Msg::Worker(m));
    }
    seen
}

/// An app on the demo stage with every file probed.
pub(super) fn scanned(root: &Path) -> App {
    let mut app = App::new(root, None, today(), KeyMap::default());
    app.color = false;
    let start = app.start();
    settle(&mut app, start);
    app
}

pub(super) fn keys(app: &mut App, keys: &[Key]) -> Vec<Effect> {
    keys.iter().flat_map(|k| app.update(Msg::Key(*k))).collect()
}

pub(super) fn text(app: &mut App, t: &str) {
    for c in t.chars() {
        app.update(Msg::Key(Key::Char(c)));
    }
}

#[allow(dead_code)]
pub(super) fn worker(app: &mut App, m: WorkerMsg) -> Vec<Effect> {
    app.update(Msg::Worker(m))
}

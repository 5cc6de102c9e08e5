//! Scripted key journeys through the real event loop and worker threads:
//! demo stage -> verified delivery -> saved job -> identical headless pack.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Local;
use mnepack::job::Job;
use mnepack::progress::{Cancel, Silent};
use mnepack::testmedia::demo::write_demo;
use mnepack::tui::app::{App, Screen};
use mnepack::tui::keymap::{Key, KeyMap};
use mnepack::tui::worker::Runner;
use mnepack::tui::{Script, Step, event_loop};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::common::mnepack;

fn wait(name: &'static str, f: impl Fn(&App) -> bool + 'static) -> Step {
    Step::Wait(name, Box::new(f))
}

fn key(k: Key) -> Step {
    Step::Key(k)
}

fn run(app: &mut App, steps: Vec<Step>) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let mut script = Script::new(steps, Duration::from_secs(120));
    let mut runner = Runner::default();
    let r = event_loop(&mut terminal, app, &mut script, &mut runner);
    runner.shutdown();
    r.unwrap();
    terminal
}

/// Sha256 of every delivered file by its path relative to the root.
fn delivered(root: &Path) -> BTreeMap<String, String> {
    let manifest = mnepack::manifest::read_manifest(&root.join(format!(
        "{}.yaml",
        root.file_name().unwrap().to_string_lossy()
    )))
    .unwrap();
    manifest
        .files
        .into_iter()
        .map(|f| (f.path, f.sha256))
        .collect()
}

fn journey_to_done(title: &str) -> Vec<Step> {
    vec![
        key(Key::Enter),
        Step::Text(title.to_string()),
        key(Key::Enter),
        key(Key::Tab),
        wait("the sources screen with suggested roles", |a| {
            a.screen == Screen::Sources && !a.scanning && a.sources.mne.is_some()
        }),
        key(Key::Tab),
        wait("a plan", |a| {
            a.review.prepared.is_some() || a.review.error.is_some()
        }),
        key(Key::Enter),
        wait("the done screen", |a| {
            a.screen == Screen::Done || a.pack.error.is_some()
        }),
    ]
}

#[test]
fn demo_stage_to_verified_delivery_and_identical_headless_rebuild() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = tmp.path().join("demo");
    write_demo(&demo).unwrap();
    let root = std::fs::canonicalize(&demo).unwrap();
    let today = Local::now().date_naive();
    let mut app = App::new(&root, None, today, KeyMap::default());
    app.color = false;
    let mut steps = journey_to_done("Night Train");
    steps.extend([
        key(Key::Char('s')),
        wait("the job saved", |a| a.job_path.is_some() && !a.dirty),
        key(Key::Char('q')),
    ]);
    let terminal = run(&mut app, steps);
    assert_eq!(app.pack.error, None);
    let done = app.done.as_ref().expect("a delivery");
    let delivery = done.report.root.clone();
    assert_eq!(delivery, root.join("deliveries/night_train_lp_delivery01"));
    assert!(done.report.verified);
    assert_eq!(done.report.files.len(), 6);
    assert!(done.measured.iter().filter(|m| m.lufs.is_some()).count() >= 5);
    let screen = format!("{:?}", terminal.backend().buffer());
    assert!(screen.contains("verified"), "{screen}");

    // The delivery verifies clean.
    let report = mnepack::verify::verify(&delivery, &mut Silent, &Cancel::new()).unwrap();
    assert!(report.is_clean(), "{:?}", report.problems);

    // The saved job rebuilds the same package headless.
    let saved: PathBuf = app.job_path.clone().unwrap();
    let job = Job::load(&saved, today).unwrap();
    assert_eq!(job.title, "Night Train");
    let other = tmp.path().join("headless");
    let out = mnepack()
        .args([
            "pack",
            saved.to_str().unwrap(),
            "--out",
            other.to_str().unwrap(),
            "-q",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rebuilt = other.join("night_train_lp_delivery01");
    assert_eq!(delivered(&rebuilt), delivered(&delivery));
}

#[test]
fn cancelling_a_pack_leaves_no_delivery_root() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = tmp.path().join("demo");
    write_demo(&demo).unwrap();
    let root = std::fs::canonicalize(&demo).unwrap();
    let mut app = App::new(&root, None, Local::now().date_naive(), KeyMap::default());
    let mut steps = journey_to_done("Night Train");
    // Replace the wait for Done by a cancel as soon as the pack runs.
    steps.pop();
    steps.extend([
        key(Key::Char('c')),
        key(Key::Char('y')),
        wait("the pack to stop", |a| !a.pack.running),
        // Quitting with an unsaved job asks first.
        key(Key::Char('q')),
        key(Key::Char('y')),
    ]);
    run(&mut app, steps);
    let root_dir = root.join("deliveries/night_train_lp_delivery01");
    if app.screen == Screen::Done {
        // The pack finished before the cancel key arrived: a whole delivery.
        assert!(app.done.as_ref().unwrap().report.verified);
    } else {
        assert!(app.pack.error.is_some());
        assert!(
            !root_dir.exists(),
            "a cancelled pack left {}",
            root_dir.display()
        );
    }
}

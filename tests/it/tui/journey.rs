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
use mnepack::tui::app::{App, Overlay, Screen as Screen5};
use mnepack::tui::keymap::{Key, KeyMap};
use mnepack::tui::strings;
use mnepack::tui::worker::Runner;
use mnepack::tui::{Script, Step, event_loop};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::resize::{Look, resizes};
use super::screen::Screen;
use super::stage::{assert_untouched, record, sparse_stage};
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
            a.screen == Screen5::Sources && !a.scanning && a.sources.mne.is_some()
        }),
        key(Key::Tab),
        wait("a plan", |a| {
            a.review.prepared.is_some() || a.review.error.is_some()
        }),
        key(Key::Enter),
        wait("the done screen", |a| {
            a.screen == Screen5::Done || a.pack.error.is_some()
        }),
    ]
}

#[test]
fn demo_stage_to_verified_delivery_and_identical_headless_rebuild() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = tmp.path().join("demo");
    write_demo(&demo).unwrap();
    let root = std::fs::canonicalize(&demo).unwrap();
    let before = record(&root.join("stage"));
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
    assert_untouched(&before);
}

/// After a stopped pack: the faults' contract for the delivery root (no
/// manifest, nothing beside it, nothing but `.mnepack-staging` in it), and
/// nothing else under `deliveries`.
fn assert_nothing_delivered(deliveries: &Path, root_name: &str) {
    crate::faults::assert_nothing_delivered(deliveries, root_name);
    if let Ok(entries) = std::fs::read_dir(deliveries) {
        let names: Vec<String> = entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(names.iter().all(|n| n == root_name), "{names:?}");
    }
}

#[test]
fn stopping_a_long_pack_delivers_nothing_and_leaves_the_sources_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let root = sparse_stage(&tmp.path().join("big"));
    let before = record(&root.join("stage"));
    let mut app = App::new(&root, None, Local::now().date_naive(), KeyMap::default());
    app.color = false;
    let (screen, handle) = Screen::new(80, 24);
    let mut steps = journey_to_done("Big Job");
    // Instead of waiting for the end: wait for progress, resize the
    // screen while the pack runs, then stop it and confirm.
    steps.pop();
    steps.push(wait("the pack screen showing progress", |a| {
        a.screen == Screen5::Pack && a.pack.running && a.pack.done > 0
    }));
    steps.extend(resizes(&handle, Look::Screen(&["pack:"])));
    steps.extend([
        key(Key::Char('c')),
        wait("the stop question", |a| {
            a.overlay == Some(Overlay::ConfirmCancel)
        }),
        key(Key::Char('y')),
        wait("the pack to stop", |a| !a.pack.running),
    ]);
    let hd = handle.clone();
    steps.push(Step::Wait(
        "the stopped message on screen",
        Box::new(move |_| hd.text().contains("the pack was stopped")),
    ));
    // Quitting with an unsaved job asks first.
    steps.extend([key(Key::Char('q')), key(Key::Char('y'))]);
    let hook = handle.clone();
    let mut script =
        Script::new(steps, Duration::from_secs(120)).on_resize(move |w, h| hook.set_size(w, h));
    let mut terminal = Terminal::new(screen).unwrap();
    let mut runner = Runner::default();
    let r = event_loop(&mut terminal, &mut app, &mut script, &mut runner);
    runner.shutdown();
    if let Err(e) = r {
        panic!("{e}; last screen:\n{}", handle.text());
    }
    assert_ne!(app.screen, Screen5::Done, "the pack ended before the stop");
    assert_eq!(app.pack.error.as_deref(), Some(strings::CANCELLED));
    assert!(
        app.pack.finished.is_empty(),
        "{:?} finished",
        app.pack.finished
    );
    assert_nothing_delivered(&root.join("deliveries"), "big_job_lp_delivery01");
    assert_untouched(&before);
}

//! Whole-screen snapshots (text only) of every screen in its empty, normal,
//! error and narrow (80x24) states, plus help, a question, and NO_COLOR.
//! States come from the real demo, planned and packed by the wizard (see
//! `states`), at the fixed root `/demo`; the forced Done is a spoiled
//! demo delivered by `pack --force`.

use std::path::Path;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

use super::states::{CLEAN, ROOT, SPOILT, planned, replay};
use super::*;
use crate::job::Source;
use crate::progress::Event;
use crate::tui::app::{Level, Overlay, ProbeState, Screen};
use crate::tui::view;

pub(super) fn render(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn four(name: &str, normal: &App, empty: &App, error: &App) {
    insta::assert_snapshot!(format!("{name}_normal"), render(normal, 110, 30));
    insta::assert_snapshot!(format!("{name}_empty"), render(empty, 110, 30));
    insta::assert_snapshot!(format!("{name}_error"), render(error, 110, 30));
    insta::assert_snapshot!(format!("{name}_narrow"), render(normal, 80, 24));
}

fn fresh() -> App {
    let mut app = App::new(Path::new(ROOT), None, today(), KeyMap::default());
    app.color = false;
    app
}

#[test]
fn job_screen() {
    let empty = fresh();
    let mut normal = fresh();
    normal.form.title = "Night Train".into();
    normal.field = 2;
    let mut error = fresh();
    keys(&mut error, &[Key::Tab]);
    four("job", &normal, &empty, &error);
}

#[test]
fn sources_screen() {
    let mut normal = planned();
    normal.screen = Screen::Sources;
    normal.cursor = 3;
    let mut empty = fresh();
    empty.screen = Screen::Sources;
    let mut error = normal.clone();
    error.files[4].state = ProbeState::Failed("not a RIFF/RF64/BW64 file".into());
    error.filter = "stage".into();
    error.status = Some((Level::Error, crate::tui::strings::NOT_SELECTABLE.into()));
    four("sources", &normal, &empty, &error);
}

#[test]
fn review_screen() {
    let mut normal = planned();
    normal.review.cursor = 2;
    let mut empty = normal.clone();
    empty.review.prepared = None;
    empty.review.busy = true;
    let mut error = normal.clone();
    error.review.prepared = None;
    error.review.error = Some("cannot plan the delivery:\n  /demo/stage/NT_stage_ref_2398.mov: the mne source is QuickTime video, not a WAV file".into());
    four("review", &normal, &empty, &error);
}

fn packing() -> App {
    let mut app = fresh();
    app.screen = Screen::Pack;
    app.pack.running = true;
    app
}

/// The pack screen of a real pack of the demo: halfway through its files,
/// the reference video read beside the audio files (two threads or more:
/// with one, the video goes first, alone, and the screen differs); stopped
/// there; and the spoiled demo, stopped by QC.
#[test]
fn pack_screen() {
    if crate::threads::available() < 2 {
        eprintln!("pack_screen: skipped: one thread reads the video alone first");
        return;
    }
    let empty = packing();
    let normal = replay(&CLEAN, Some(1));
    assert!(normal.pack.running && normal.pack.finished.is_empty());
    let mut error = normal.clone();
    error.pack.cancelling = true;
    worker(&mut error, WorkerMsg::Packed(Err("interrupted".into())));
    four("pack", &normal, &empty, &error);
    let blocked = replay(&SPOILT.0, None);
    let why = blocked.pack.error.as_deref().unwrap_or_default();
    assert!(why.starts_with(crate::tui::strings::QC_BLOCKED), "{why}");
    insta::assert_snapshot!("pack_blocked", render(&blocked, 110, 30));
}

/// Done after the wizard packed the demo; before anything was delivered;
/// and the spoiled demo forced through, its findings with their timecodes.
#[test]
fn done_screen() {
    let normal = CLEAN.after.clone();
    assert_eq!(normal.screen, Screen::Done);
    let mut empty = fresh();
    empty.screen = Screen::Done;
    let forced = SPOILT.1.clone();
    let report = &forced.done.as_ref().unwrap().report;
    assert!(report.forced && report.qc.has_errors());
    insta::assert_snapshot!("done_normal", render(&normal, 110, 30));
    insta::assert_snapshot!("done_narrow", render(&normal, 80, 24));
    insta::assert_snapshot!("done_empty", render(&empty, 110, 30));
    let screen = render(&forced, 110, 30);
    for tc in ["first at 01:00:02:12 on L", "first at 01:00:06:00"] {
        assert!(screen.contains(tc), "{tc}:\n{screen}");
    }
    insta::assert_snapshot!("done_forced", screen);
    insta::assert_snapshot!("done_forced_narrow", render(&forced, 80, 24));
}

#[test]
fn help_and_questions_overlay_the_screen() {
    let mut app = planned();
    app.overlay = Some(Overlay::Help);
    insta::assert_snapshot!("help_review", render(&app, 80, 24));
    app.screen = Screen::Sources;
    insta::assert_snapshot!("help_sources", render(&app, 80, 24));
    app.screen = Screen::Review;
    app.overlay = Some(Overlay::ConfirmQuit);
    insta::assert_snapshot!("confirm_quit", render(&app, 80, 24));
}

#[test]
fn no_color_uses_no_colours_and_colour_does() {
    let mut app = planned();
    app.review.error = Some("broken".into());
    let colours = |app: &App| {
        let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
        t.draw(|f| view::draw(f, app)).unwrap();
        t.backend()
            .buffer()
            .content()
            .iter()
            .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
            .count()
    };
    app.color = true;
    assert!(colours(&app) > 0);
    app.color = false;
    assert_eq!(colours(&app), 0);
    let _ = Source::File(PathBuf::new());
}

/// The pack screen of the planned demo with measurements arriving: a
/// quiet file, one over the true-peak target, one over the limit, the
/// video (no measurements), and a file still being read.
#[test]
fn pack_screen_with_measurements() {
    let mut app = planned();
    app.screen = Screen::Pack;
    app.pack.running = true;
    let qc = app.review.profile.clone().unwrap().qc;
    let items = app.review.prepared.as_ref().unwrap().plan.items.clone();
    let total: u64 = items.iter().map(|i| i.size).sum();
    let mut evs = vec![Event::Start {
        phase: "pack",
        files: items.len(),
        total_bytes: total,
    }];
    let peaks = [
        qc.true_peak_warn_dbtp - 4.0,
        f64::midpoint(qc.true_peak_warn_dbtp, qc.true_peak_error_dbtp),
        qc.true_peak_error_dbtp + 0.7,
    ];
    let mut peaks = peaks.iter();
    for (n, i) in items.iter().enumerate() {
        evs.push(Event::FileStart {
            name: i.name.clone(),
            size: i.size,
        });
        if n + 1 == items.len() {
            evs.push(Event::Advance { bytes: i.size / 3 });
            break;
        }
        evs.push(Event::Advance { bytes: i.size });
        evs.push(Event::FileDone {
            name: i.name.clone(),
        });
        if let crate::probe::Media::Audio(a) = &i.probed.media {
            let peak = peaks.next().copied().unwrap_or(-6.0);
            evs.push(Event::Measured {
                name: i.name.clone(),
                measurements: Box::new(crate::analysis::Measurements {
                    true_peak_dbtp: vec![Some(peak); usize::from(a.channels)],
                    integrated_lufs: Some(-27.25 + peak / 10.0),
                    frames: a.frames,
                    ..Default::default()
                }),
            });
        }
    }
    for (n, e) in evs.into_iter().enumerate() {
        worker(
            &mut app,
            WorkerMsg::Progress(e, Duration::from_secs(n as u64)),
        );
    }
    let flagged = app.pack.measured.iter().filter(|m| !m.flags.is_empty());
    assert_eq!(flagged.count(), 2, "{:?}", app.pack.measured);
    insta::assert_snapshot!("pack_measured", render(&app, 110, 30));
    insta::assert_snapshot!("pack_measured_narrow", render(&app, 80, 24));
}

#[test]
fn questions_keep_their_keys_on_a_narrow_terminal() {
    let mut app = packing();
    for (overlay, keys) in [
        (Overlay::ConfirmCancel, "n: go on"),
        (Overlay::ConfirmQuit, "n: stay"),
    ] {
        app.overlay = Some(overlay);
        for (w, h) in [(80, 24), (40, 12)] {
            let screen = render(&app, w, h);
            assert!(screen.contains(keys), "{w}x{h}:\n{screen}");
        }
    }
    app.overlay = Some(Overlay::ConfirmCancel);
    insta::assert_snapshot!("confirm_cancel_narrow", render(&app, 40, 12));
}

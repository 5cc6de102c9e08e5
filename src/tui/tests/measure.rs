//! `App::update` with `Event::Measured`: each finished audio file gets its
//! loudness and true peak on the pack screen, flagged by the profile's own
//! limits (warn and error thresholds, rules that skip a role).

use super::states::planned;
use super::*;
use crate::analysis::Measurements;
use crate::check::Rule;
use crate::job::Role;
use crate::profile::Severity;
use crate::progress::Event;

fn measurements(lufs: f64, peak: f64, channels: usize) -> Measurements {
    Measurements {
        true_peak_dbtp: vec![Some(peak); channels],
        sample_peak_dbfs: vec![Some(peak - 0.5); channels],
        integrated_lufs: Some(lufs),
        lra_lu: Some(6.0),
        frames: 48_000,
        first_sound_frame: Some(0),
        last_sound_frame: Some(47_999),
        ..Measurements::default()
    }
}

/// The delivered name and channel count of the first item of `role`.
fn item(app: &App, role: Role) -> (String, usize) {
    let plan = &app.review.prepared.as_ref().unwrap().plan;
    let i = plan.items.iter().find(|i| i.role == role).unwrap();
    let ch = match &i.probed.media {
        crate::probe::Media::Audio(a) => usize::from(a.channels),
        crate::probe::Media::Video(_) => 0,
    };
    (i.name.clone(), ch)
}

fn measured(app: &mut App, name: &str, m: Measurements) {
    let ev = Event::Measured {
        name: name.to_string(),
        measurements: Box::new(m),
    };
    worker(app, WorkerMsg::Progress(ev, Duration::from_secs(1)));
}

#[test]
fn a_measured_file_shows_its_loudness_and_peak_without_flags_under_the_limits() {
    let mut app = planned();
    let qc = app.review.profile.clone().unwrap().qc;
    let (name, ch) = item(&app, Role::Mne);
    let quiet = qc.true_peak_warn_dbtp - 3.0;
    measured(&mut app, &name, measurements(-24.3, quiet, ch));
    let [row] = &app.pack.measured[..] else {
        panic!("{:?}", app.pack.measured)
    };
    assert_eq!(row.name, name);
    assert_eq!(row.lufs, Some(-24.3));
    assert_eq!(row.true_peak, Some(quiet));
    assert!(row.flags.is_empty(), "{:?}", row.flags);
}

#[test]
fn true_peak_over_the_profile_limits_is_flagged_warning_then_error() {
    let mut app = planned();
    let qc = app.review.profile.clone().unwrap().qc;
    let (mne, ch) = item(&app, Role::Mne);
    let between = f64::midpoint(qc.true_peak_warn_dbtp, qc.true_peak_error_dbtp);
    measured(&mut app, &mne, measurements(-24.0, between, ch));
    let flags = &app.pack.measured[0].flags;
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0].severity, Severity::Warning);
    assert_eq!(flags[0].rule, Rule::TruePeakWarn);
    // The same file measured again (a resumed read) replaces its row.
    measured(
        &mut app,
        &mne,
        measurements(-24.0, qc.true_peak_error_dbtp + 0.5, ch),
    );
    assert_eq!(app.pack.measured.len(), 1);
    let flags = &app.pack.measured[0].flags;
    assert_eq!(flags[0].severity, Severity::Error);
    assert_eq!(flags[0].rule, Rule::TruePeakError);
}

#[test]
fn the_rules_own_exceptions_hold_the_guide_has_no_true_peak_limit() {
    let mut app = planned();
    let qc = app.review.profile.clone().unwrap().qc;
    let (guide, ch) = item(&app, Role::DialogueGuide);
    measured(
        &mut app,
        &guide,
        measurements(-20.0, qc.true_peak_error_dbtp + 1.0, ch),
    );
    assert!(app.pack.measured[0].flags.is_empty());
}

#[test]
fn a_silent_file_is_flagged_and_has_no_loudness() {
    let mut app = planned();
    let (pm, ch) = item(&app, Role::PrintMaster);
    let silent = Measurements {
        true_peak_dbtp: vec![None; ch],
        sample_peak_dbfs: vec![None; ch],
        silent_channels: (0..ch).collect(),
        silent: true,
        frames: 48_000,
        ..Measurements::default()
    };
    measured(&mut app, &pm, silent);
    let row = &app.pack.measured[0];
    assert_eq!((row.lufs, row.true_peak), (None, None));
    assert!(
        row.flags.iter().any(|f| f.rule == Rule::SilentFile),
        "{:?}",
        row.flags
    );
}

#[test]
fn without_a_plan_the_numbers_still_show_unflagged() {
    let mut app = App::new(
        std::path::Path::new("/nowhere"),
        None,
        today(),
        KeyMap::default(),
    );
    measured(&mut app, "x.wav", measurements(-10.0, 3.0, 2));
    let row = &app.pack.measured[0];
    assert_eq!(row.true_peak, Some(3.0));
    assert!(row.flags.is_empty());
}

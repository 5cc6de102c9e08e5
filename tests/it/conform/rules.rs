//! The conform rules (spec B5) through the built binary: one test per
//! corpus session, `mnepack check JOB --json`, and what it must find. Each
//! defect is found on the right file with the right measure, sign and
//! stretch, and no other conform rule warns; the clean session raises no
//! conform warning and its dialogue loudness agrees with pyloudnorm;
//! hostile sessions neither panic nor invent numbers. Rules outside
//! `conform.*` and `loudness.dialogue` (dropout, length, ...) are not
//! looked at, except in the clean session.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

use std::path::Path;
use std::process::Command;

use tempfile::TempDir;

use super::findings::{Checked, at_seconds, check, measure, severity, stretch};
use super::session::{
    Config, DIALOGUE_IN_ME_DB, DRIFT_PPM, Defect, GUIDE_DB, GUIDE_EARLY, ME_LATE, MOVIE_LATE,
    Movie, SHORT_SECONDS, Session, tools_ready, write_session,
};
use crate::common;

/// Where to keep the sessions for a look by hand (`MNEPACK_CORPUS_DIR=DIR`:
/// each test writes `DIR/<test>/` and leaves it there).
pub const KEEP: &str = "MNEPACK_CORPUS_DIR";

/// Writes the session of `defect` (60 s) and checks it; None when a tool
/// is missing (the test skips).
fn run(test: &str, defect: Defect) -> Option<(TempDir, Session, Checked)> {
    run_with(test, defect, Config::default())
}

/// [`run`] with the session settings `cfg`.
fn run_with(test: &str, defect: Defect, cfg: Config) -> Option<(TempDir, Session, Checked)> {
    if !tools_ready(test) {
        return None;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = match std::env::var_os(KEEP) {
        Some(keep) => Path::new(&keep).join(test),
        None => tmp.path().join("session"),
    };
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    let s = write_session(&dir, defect, cfg);
    let c = check(&s);
    Some((tmp, s, c))
}

/// pyloudnorm's BS.1770 loudness of `wav` (5.1, the LFE left out) over
/// `spans` (seconds) only, concatenated; read through libsndfile.
fn pyloudnorm_over(wav: &Path, spans: &[(f64, f64)]) -> f64 {
    let script = "import sys, numpy, soundfile, pyloudnorm\n\
                  d, rate = soundfile.read(sys.argv[1], always_2d=True)\n\
                  d = d[:, [0, 1, 2, 4, 5]]\n\
                  s = [float(x) for x in sys.argv[2:]]\n\
                  parts = [d[int(a * rate):int(b * rate)] for a, b in zip(s[::2], s[1::2])]\n\
                  print(pyloudnorm.Meter(rate).integrated_loudness(numpy.concatenate(parts)))\n";
    let mut cmd = Command::new("python3");
    cmd.args(["-c", script]).arg(wav);
    for (a, b) in spans {
        cmd.arg(a.to_string()).arg(b.to_string());
    }
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).trim().parse().unwrap()
}

/// The one `loudness.dialogue` finding on the PM, and pyloudnorm's figure
/// for the same PM over the dialogue spans.
fn dialogue_loudness<'a>(
    test: &str,
    s: &Session,
    c: &'a Checked,
) -> Option<(&'a serde_json::Value, f64)> {
    let hits = c.of("loudness.dialogue", &s.pm);
    assert_eq!(
        hits.len(),
        1,
        "one loudness.dialogue on the PM\n{}",
        c.dump()
    );
    if !(common::have_python("pyloudnorm", test) && common::have_python("soundfile", test)) {
        return None;
    }
    Some((hits[0], pyloudnorm_over(&s.pm, &s.dialogue)))
}

#[test]
fn clean_session_passes_header_and_signal_qc() {
    // The corpus is a delivery QC accepts: no error and no warning from
    // any rule (headers, lengths, starts, peaks, loudness, dropouts).
    let Some((_t, _s, c)) = run("clean_session_passes_header_and_signal_qc", Defect::Clean) else {
        return;
    };
    let bad: Vec<_> = c
        .findings
        .iter()
        .filter(|f| severity(f) != "info")
        .collect();
    assert!(bad.is_empty(), "{bad:#?}\n{}", c.dump());
}

#[test]
fn clean_session_is_conformed() {
    let test = "clean_session_is_conformed";
    let Some((_t, s, c)) = run(test, Defect::Clean) else {
        return;
    };
    // The PM's own conform.sync is against the movie's sound.
    for f in [&s.me, &s.opt_a, &s.guide, &s.pm] {
        c.in_sync(f);
    }
    let problems = c.conform_problems();
    assert!(problems.is_empty(), "{problems:#?}\n{}", c.dump());
    let Some((f, reference)) = dialogue_loudness(test, &s, &c) else {
        return;
    };
    let ours = measure(f).unwrap();
    assert!(
        (ours - reference).abs() <= 1.0,
        "loudness.dialogue {ours} LKFS, pyloudnorm over the dialogue spans {reference:.2}: {f:#}"
    );
    assert!(f["value"].as_str().unwrap().contains("LKFS"), "{f:#}");
}

#[test]
fn me_two_frames_late() {
    let Some((_t, s, c)) = run("me_two_frames_late", Defect::MeLate) else {
        return;
    };
    c.only("conform.sync", &s.me, &[]);
    let f = c.sync(&s.me);
    assert_eq!(severity(f), "error", "{f:#}");
    assert_eq!(measure(f), Some(ME_LATE as f64), "{f:#}");
    assert!(f["value"].as_str().unwrap().starts_with('+'), "{f:#}");
    c.in_sync(&s.guide);
    c.in_sync(&s.opt_a);
}

#[test]
fn guide_one_frame_early() {
    let Some((_t, s, c)) = run("guide_one_frame_early", Defect::GuideEarly) else {
        return;
    };
    c.only("conform.sync", &s.guide, &[]);
    let f = c.sync(&s.guide);
    assert_eq!(severity(f), "error", "{f:#}");
    assert_eq!(measure(f), Some(GUIDE_EARLY as f64), "{f:#}");
    c.in_sync(&s.me);
    c.in_sync(&s.opt_a);
}

#[test]
fn movie_sound_one_frame_late() {
    let Some((_t, s, c)) = run("movie_sound_one_frame_late", Defect::MovieLate) else {
        return;
    };
    movie_late_found(&s, &c);
}

/// The PM is early against the movie (the picture's reference): an
/// error on the PM alone, by one frame, told against the movie's sound.
fn movie_late_found(s: &Session, c: &Checked) {
    c.only("conform.sync", &s.pm, &[]);
    let f = c.sync(&s.pm);
    assert_eq!(severity(f), "error", "{f:#}");
    assert_eq!(measure(f), Some(-MOVIE_LATE as f64), "{f:#}");
    assert!(
        f["message"].as_str().unwrap().contains("movie's sound"),
        "{f:#}"
    );
    c.in_sync(&s.me);
    c.in_sync(&s.guide);
    c.in_sync(&s.opt_a);
}

/// A 60 s session whose reference movie is an MXF (ffmpeg's OP1a).
fn with_mxf() -> Config {
    Config {
        movie: Movie::Mxf,
        ..Config::default()
    }
}

#[test]
fn movie_sound_one_frame_late_in_an_mxf() {
    let test = "movie_sound_one_frame_late_in_an_mxf";
    let Some((_t, s, c)) = run_with(test, Defect::MovieLate, with_mxf()) else {
        return;
    };
    assert_eq!(s.reference.extension().unwrap(), "mxf");
    movie_late_found(&s, &c);
}

#[test]
fn clean_session_with_an_mxf_movie_is_in_sync_with_it() {
    let test = "clean_session_with_an_mxf_movie_is_in_sync_with_it";
    let Some((_t, s, c)) = run_with(test, Defect::Clean, with_mxf()) else {
        return;
    };
    assert_eq!(s.reference.extension().unwrap(), "mxf");
    // The PM's own conform.sync is against the MXF's sound.
    for f in [&s.me, &s.opt_a, &s.guide, &s.pm] {
        c.in_sync(f);
    }
    let pm = c.sync(&s.pm)["message"].as_str().unwrap().to_string();
    assert!(pm.contains("movie's sound"), "{pm}");
    let problems = c.conform_problems();
    assert!(problems.is_empty(), "{problems:#?}\n{}", c.dump());
}

#[test]
fn me_drifting_1000_ppm() {
    let Some((_t, s, c)) = run("me_drifting_1000_ppm", Defect::MeDrift) else {
        return;
    };
    // A drifting file is also out of sync on average: conform.sync may
    // fire on it too.
    let hits = c.only("conform.drift", &s.me, &[("conform.sync", &s.me)]);
    assert_eq!(hits.len(), 1, "{hits:#?}");
    let f = hits[0];
    // 1000 ppm over 60 s is 60 ms at the tail: past half a frame.
    assert_eq!(severity(f), "error", "{f:#}");
    let ppm = measure(f).unwrap();
    assert!((ppm - DRIFT_PPM).abs() <= 50.0, "{ppm} ppm: {f:#}");
    c.in_sync(&s.guide);
    c.in_sync(&s.opt_a);
}

#[test]
fn me_with_l_and_r_swapped() {
    let Some((_t, s, c)) = run("me_with_l_and_r_swapped", Defect::MeSwapLr) else {
        return;
    };
    let hits = c.only("conform.channels", &s.me, &[]);
    assert_eq!(hits.len(), 1, "{hits:#?}");
    let f = hits[0];
    assert_eq!(severity(f), "error", "{f:#}");
    let v = f["value"].as_str().unwrap();
    assert!(v.contains("L<->R") || v.contains("R<->L"), "{f:#}");
}

/// The channel names in a value (`"C"`, `"L, Ls"`).
fn channels_in(v: &str) -> Vec<&str> {
    v.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn me_with_c_inverted() {
    let Some((_t, s, c)) = run("me_with_c_inverted", Defect::MeInvertC) else {
        return;
    };
    let hits = c.only("conform.polarity", &s.me, &[]);
    assert_eq!(hits.len(), 1, "{hits:#?}");
    let f = hits[0];
    assert_eq!(severity(f), "error", "{f:#}");
    assert_eq!(channels_in(f["value"].as_str().unwrap()), ["C"], "{f:#}");
}

#[test]
fn optional_with_its_vox_in_l() {
    let Some((_t, s, c)) = run("optional_with_its_vox_in_l", Defect::VoxInL) else {
        return;
    };
    let hits = c.only("conform.optional_channels", &s.opt_a, &[]);
    assert_eq!(hits.len(), 1, "{hits:#?}");
    let f = hits[0];
    assert_eq!(severity(f), "warning", "{f:#}");
    let v = f["value"].as_str().unwrap();
    assert!(v.starts_with('L') && v.contains("PM: C"), "{f:#}");
    c.in_sync(&s.opt_a);
}

#[test]
fn dialogue_left_in_the_me() {
    let Some((_t, s, c)) = run("dialogue_left_in_the_me", Defect::DialogueInMe) else {
        return;
    };
    let hits = c.only("conform.dialogue_in_me", &s.me, &[]);
    // Relative to the guide, which is the PM's dialogue at -0.9 dB.
    let expected = DIALOGUE_IN_ME_DB - GUIDE_DB;
    for f in &hits {
        let db = measure(f).unwrap();
        assert!(
            (db - expected).abs() <= 1.5,
            "{db} dB, expected {expected}: {f:#}"
        );
    }
    stretch(&hits, "warning", s.truth.unwrap(), 1.5);
}

#[test]
fn music_ridden_3_db_in_the_me() {
    let Some((_t, s, c)) = run("music_ridden_3_db_in_the_me", Defect::MusicRide) else {
        return;
    };
    let hits = c.only("conform.levels", &s.me, &[]);
    for f in &hits {
        // The whole M&E moves less than the ridden music under it.
        let db = measure(f).unwrap();
        assert!((-3.5..=-2.0).contains(&db), "{db} dB: {f:#}");
    }
    stretch(&hits, "warning", s.truth.unwrap(), 1.5);
}

#[test]
fn an_8_second_hole_in_the_me() {
    let Some((_t, s, c)) = run("an_8_second_hole_in_the_me", Defect::MeHole) else {
        return;
    };
    let hits = c.only("conform.fill", &s.me, &[]);
    for f in &hits {
        // Digital silence against the PM's content: far down, or -inf.
        let v = f["value"].as_str().unwrap_or("");
        let deep = measure(f).is_some_and(|db| db <= -40.0) || v.contains("inf");
        assert!(deep, "{f:#}");
    }
    stretch(&hits, "warning", s.truth.unwrap(), 1.5);
}

#[test]
fn print_master_dialogue_6_db_hot() {
    let test = "print_master_dialogue_6_db_hot";
    let Some((_t, s, c)) = run(test, Defect::PmDialogueHot) else {
        return;
    };
    let hits = c.only("loudness.dialogue", &s.pm, &[]);
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert_eq!(severity(hits[0]), "warning", "{:#}", hits[0]);
    let Some((f, reference)) = dialogue_loudness(test, &s, &c) else {
        return;
    };
    let ours = measure(f).unwrap();
    assert!(
        (ours - reference).abs() <= 1.5,
        "loudness.dialogue {ours} LKFS, pyloudnorm {reference:.2}: {f:#}"
    );
    for x in [&s.me, &s.opt_a, &s.guide] {
        c.in_sync(x);
    }
}

#[test]
fn hostile_silent_guide() {
    let Some((_t, s, c)) = run("hostile_silent_guide", Defect::SilentGuide) else {
        return;
    };
    // A silent guide is a QC error of its own (silent_file): exit 1, checked
    // by `check`. The rules that need the guide say they could not run
    // (info) and never warn; the guide has no offset or drift to report.
    // Levels, channels and polarity are left to the engine: without a
    // usable guide it cannot tell dialogue apart.
    for rule in [
        "conform.dialogue_in_me",
        "conform.fill",
        "loudness.dialogue",
    ] {
        let hits = c.rule(rule);
        assert!(
            !hits.is_empty(),
            "no {rule} finding (info expected)\n{}",
            c.dump()
        );
        for f in hits {
            assert_eq!(severity(f), "info", "{f:#}");
        }
    }
    for rule in ["conform.sync", "conform.drift"] {
        for f in c.of(rule, &s.guide) {
            assert_eq!(severity(f), "info", "{f:#}");
        }
    }
    c.in_sync(&s.me);
    c.in_sync(&s.opt_a);
}

#[test]
fn hostile_unrelated_print_master() {
    let Some((_t, s, c)) = run("hostile_unrelated_print_master", Defect::UnrelatedPm) else {
        return;
    };
    // Nothing lines up with noise: every comparison with the PM says it
    // found no match, with no offset or drift in numbers.
    for x in [&s.me, &s.opt_a, &s.guide] {
        let f = c.sync(x);
        assert_eq!(measure(f), None, "an offset against unrelated noise: {f:#}");
        for d in c.of("conform.drift", x) {
            assert!(
                severity(d) == "info" || measure(d).is_none(),
                "a drift against unrelated noise: {d:#}"
            );
        }
    }
}

#[test]
fn hostile_short_me() {
    let Some((_t, s, c)) = run("hostile_short_me", Defect::ShortMe) else {
        return;
    };
    // The M&E ends 10 s early: the length rule's business (an error, exit
    // 1). What it holds is in sync, drift-free and well placed, and no
    // level or fill stretch is reported past its end (there is nothing to
    // compare there; reporting the missing tail again is not a conform
    // finding).
    c.in_sync(&s.me);
    c.in_sync(&s.guide);
    let me_end = s.samples as f64 / 48_000.0 - SHORT_SECONDS;
    for rule in ["conform.levels", "conform.fill"] {
        for f in c.rule(rule) {
            if let Some((start, _)) = at_seconds(f) {
                assert!(
                    start < me_end - 0.5,
                    "{rule} past the M&E's end ({me_end} s): {f:#}"
                );
            }
        }
    }
    for rule in ["conform.drift", "conform.channels", "conform.polarity"] {
        for f in c.of(rule, &s.me) {
            assert_eq!(severity(f), "info", "{f:#}");
        }
    }
}

//! Mono sets are one source: the clean session's M&E and print master
//! split by ffmpeg into a mono file per channel (as a Pro Tools bounce
//! leaves them), listed in the job as sets. `check` compares each set as
//! one 5.1 source: in sync and clean as the interleaved session is, and
//! the job that gives the M&E's L file as R and its R file as L has the
//! set's L and R swapped; a 5.1 optional is placed against a PM set as
//! against an interleaved PM.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

use std::path::Path;
use std::process::Command;

use super::findings::{check_in, severity};
use super::session::{Config, Defect, NAMES, Session, tools_ready, write_session};

/// ffmpeg's names of a 5.1 WAV's channels, and ours.
const SPLIT: [(&str, &str); 6] = [
    ("FL", "L"),
    ("FR", "R"),
    ("FC", "C"),
    ("LFE", "LFE"),
    ("SL", "Ls"),
    ("SR", "Rs"),
];

/// Splits the 5.1 `wav` into `dir/<stem>.<channel>.wav`, 24-bit, by ffmpeg.
fn split(wav: &Path, dir: &Path, stem: &str) {
    let pads = SPLIT
        .iter()
        .map(|(f, _)| format!("[{f}]"))
        .collect::<Vec<_>>()
        .concat();
    let mut cmd = Command::new("ffmpeg");
    cmd.args(["-hide_banner", "-loglevel", "error", "-y", "-i"])
        .arg(wav)
        .arg("-filter_complex")
        .arg(format!("channelsplit=channel_layout=5.1(side){pads}"));
    for (f, ours) in SPLIT {
        cmd.args(["-map", &format!("[{f}]"), "-c:a", "pcm_s24le"])
            .arg(dir.join(format!("{stem}.{ours}.wav")));
    }
    let o = cmd.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The job of the set session; `swap` gives the M&E's L file as R and
/// its R file as L.
fn job(swap: bool) -> String {
    let set = |stem: &str, swap: bool| -> String {
        SPLIT
            .iter()
            .map(|(_, c)| {
                let file = match (*c, swap) {
                    ("L", true) => "R",
                    ("R", true) => "L",
                    _ => c,
                };
                format!("    - {{channel: {c}, file: {stem}.{file}.wav}}\n")
            })
            .collect::<Vec<_>>()
            .concat()
    };
    format!(
        "profile: netflix\ntitle: Conform Corpus\nunit: lp\nframe_rate: 23.976\nlanguage: en\n\
         output: deliveries\nsources:\n  reference_video: {}\n  mne:\n{}  optionals:\n    \
         - {{letter: A, desc: Vox, file: {}}}\n  dialogue_guide: {}\n  print_master:\n{}",
        NAMES[4],
        set("ME", swap),
        NAMES[1],
        NAMES[2],
        set("PM", false)
    )
}

/// A 30 s session with `defect` under `tmp`, its M&E and print master
/// also split into mono sets by ffmpeg beside the job; returns the
/// session and the job's folder.
fn split_session(tmp: &Path, defect: Defect) -> (Session, std::path::PathBuf) {
    let s = write_session(
        &tmp.join("session"),
        defect,
        Config {
            seconds: 30.0,
            ..Config::default()
        },
    );
    let dir = s.job.parent().unwrap().to_path_buf();
    split(&s.me, &dir, "ME");
    split(&s.pm, &dir, "PM");
    (s, dir)
}

#[test]
fn mono_sets_are_compared_as_one_source() {
    let test = "mono_sets_are_compared_as_one_source";
    if !tools_ready(test) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (s, dir) = split_session(tmp.path(), Defect::Clean);
    let dir = dir.as_path();
    std::fs::remove_file(&s.me).unwrap();
    std::fs::remove_file(&s.pm).unwrap();
    let names = [NAMES[1], NAMES[2], NAMES[4], "ME.L.wav", "PM.Rs.wav"];

    std::fs::write(&s.job, job(false)).unwrap();
    let c = check_in(dir, &names);
    let problems = c.conform_problems();
    assert!(problems.is_empty(), "{problems:#?}\n{}", c.dump());
    // A set's findings are on its first file, and name the set.
    for first in ["ME.L.wav", "PM.L.wav"] {
        c.in_sync(&dir.join(first));
    }
    c.in_sync(&s.opt_a);
    c.in_sync(&s.guide);
    let me = c.sync(&dir.join("ME.L.wav"));
    let message = me["message"].as_str().unwrap();
    assert!(message.starts_with("ME is in sync"), "{me:#}");
    packed_with_a_record_per_file(dir, &tmp.path().join("out"));

    std::fs::write(&s.job, job(true)).unwrap();
    let c = check_in(dir, &names);
    // The set's first entry, its L, is now the file ME.R.wav.
    let hits = c.only("conform.channels", &dir.join("ME.R.wav"), &[]);
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert_eq!(severity(hits[0]), "error", "{:#}", hits[0]);
    assert_eq!(hits[0]["value"], "L<->R", "{:#}", hits[0]);
}

/// `pack` reads the sets side by side too (no file waits on another for
/// ever) and records the set's result on each of its files.
fn packed_with_a_record_per_file(dir: &Path, out: &Path) {
    let ran = crate::common::run_in(
        Some(dir),
        &[
            "pack".as_ref(),
            "job.yaml".as_ref(),
            "--json".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ],
    );
    ran.expect(0);
    let out: serde_json::Value = serde_json::from_str(&ran.stdout).unwrap();
    let yaml = std::fs::read_to_string(out["manifest"]["yaml"].as_str().unwrap()).unwrap();
    let manifest: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
    let records = manifest["conform"].as_sequence().unwrap();
    for (_, c) in SPLIT {
        let mine: Vec<_> = records
            .iter()
            .filter(|r| {
                let file = r["file"].as_str().unwrap();
                file.starts_with("MnE/")
                    && file.contains("_ME_")
                    && file.ends_with(&format!(".{c}.wav"))
            })
            .collect();
        assert_eq!(mine.len(), 1, "ME {c}: {yaml}");
        assert_eq!(mine[0]["status"].as_str(), Some("compared"), "{yaml}");
        assert_eq!(mine[0]["offset_samples"].as_i64(), Some(0), "{yaml}");
    }
}

#[test]
fn an_optional_is_placed_against_a_print_master_set() {
    let test = "an_optional_is_placed_against_a_print_master_set";
    if !tools_ready(test) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (s, dir) = split_session(tmp.path(), Defect::VoxInL);
    let dir = dir.as_path();
    std::fs::write(&s.job, job(false)).unwrap();
    let c = check_in(dir, &[NAMES[1], "ME.L.wav", "PM.L.wav"]);
    // The 5.1 optional against the six files of the PM: the same layout,
    // so its VOX in L where the PM has it in C is a warning.
    let hits = c.only("conform.optional_channels", &s.opt_a, &[]);
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert_eq!(severity(hits[0]), "warning", "{:#}", hits[0]);
    assert_eq!(hits[0]["value"], "L (PM: C)", "{:#}", hits[0]);
}

//! `check` when the reference movie's sound, located when the movie was
//! probed, cannot be read by the time the comparison reads it (the file cut
//! short in between): the check goes on through the library's own path
//! (`flow::prepare`, then `flow::check`), the movie is left out of the
//! comparison with the reason in its finding and record, and the other
//! files are still compared with the print master.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

use std::fs::OpenOptions;

use mnepack::check::Rule;
use mnepack::conform::Part;
use mnepack::job::Role;
use mnepack::pack::flow::{check, load, prepare};
use mnepack::probe::{Media, MovieSound};
use mnepack::progress::{Cancel, Silent};

use super::session::{Config, Defect, Movie, tools_ready, write_session};

/// Cuts the movie of a probed session in half, then checks it.
fn cut_after_probing(test: &str, movie: Movie) {
    if !tools_ready(test) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let cfg = Config {
        seconds: 20.0,
        movie,
    };
    let s = write_session(&tmp.path().join("session"), Defect::Clean, cfg);
    let (job, profile) = load(&s.job, None, chrono::Local::now().date_naive()).unwrap();
    let prepared = prepare(&job, &profile).unwrap();
    let (index, item) = prepared
        .plan
        .items
        .iter()
        .enumerate()
        .find(|(_, i)| matches!(i.probed.media, Media::Video(_)))
        .unwrap();
    let Media::Video(v) = &item.probed.media else {
        unreachable!()
    };
    assert!(
        matches!(v.sound, Some(MovieSound::Pcm { .. })),
        "{test}: the movie's sound was located when probed: {:?}",
        v.sound
    );
    let len = std::fs::metadata(&s.reference).unwrap().len();
    OpenOptions::new()
        .write(true)
        .open(&s.reference)
        .unwrap()
        .set_len(len / 2)
        .unwrap();

    let report = check(&job, &profile, &prepared, &mut Silent, &Cancel::new())
        .unwrap_or_else(|e| panic!("{test}: check stopped: {e}"));
    let c = report.conform.as_ref().unwrap();
    assert_eq!(c.not_run, None, "{test}");
    let left = c
        .left_out
        .iter()
        .find(|l| l.item == index)
        .unwrap_or_else(|| panic!("{test}: the movie is not left out: {:#?}", report.findings));
    assert!(
        left.why.contains("its sound could not be read"),
        "{test}: {left:?}"
    );
    let j = c.judgement.as_ref().unwrap();
    assert!(j.files.iter().all(|f| f.part != Part::Movie), "{test}");
    let file = format!("{}/{}", item.folder, item.name);
    let on_movie: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == Rule::ConformSync && f.file == file)
        .collect();
    assert_eq!(on_movie.len(), 1, "{test}: {:#?}", report.findings);
    let message = &on_movie[0].message;
    assert!(
        message.contains("not compared with the print master: its sound could not be read")
            && message.contains("truncated"),
        "{test}: {message}"
    );
    // The PM is not said to miss the movie's sound; the M&E is still
    // compared with the PM, in sync.
    let sync: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.rule == Rule::ConformSync)
        .collect();
    assert!(
        sync.iter().all(|f| !f.message.contains("no match")),
        "{test}: {sync:#?}"
    );
    let me = prepared
        .plan
        .items
        .iter()
        .find(|i| i.role == Role::Mne)
        .map(|i| format!("{}/{}", i.folder, i.name))
        .unwrap();
    let me_sync: Vec<_> = sync.iter().filter(|f| f.file == me).collect();
    assert!(
        me_sync.len() == 1 && me_sync[0].message.contains("in sync"),
        "{test}: {sync:#?}"
    );
}

#[test]
fn a_mov_cut_short_after_probing_is_left_out_and_check_goes_on() {
    cut_after_probing(
        "a_mov_cut_short_after_probing_is_left_out_and_check_goes_on",
        Movie::Mov,
    );
}

#[test]
fn an_mxf_cut_short_after_probing_is_left_out_and_check_goes_on() {
    cut_after_probing(
        "an_mxf_cut_short_after_probing_is_left_out_and_check_goes_on",
        Movie::Mxf,
    );
}

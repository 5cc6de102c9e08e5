//! Conform in `pack` (spec B5): the same findings as `check` from the one
//! read that copies and hashes (files staged side by side), an error
//! refuses the delivery unless `--force`, the manifest records each file's
//! offset and channel map, an MXF movie's sound pulled out of the read
//! that copies it is judged as `check` judges it, a pack killed after
//! staging and run again (the kept files fed from staging) finds the same,
//! and a redelivery's note says what the conform analysis now says
//! differently.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Stdio;

use serde_json::Value;

use super::findings::{check, is_conform};
use super::session::{Config, Defect, ME_LATE, MOVIE_LATE, Movie, tools_ready, write_session};
use crate::common::{self, mnepack};

/// The conform findings of a list, as comparable tuples.
fn conform_set(findings: &[Value]) -> BTreeSet<String> {
    findings
        .iter()
        .filter(|f| is_conform(f))
        .map(|f| {
            format!(
                "{} {} {} {} {}",
                f["severity"], f["rule"], f["file"], f["value"], f["at"]
            )
        })
        .collect()
}

/// `mnepack pack JOB --out OUT --json [extra]` in the job's folder.
fn pack(job: &Path, out: &Path, extra: &[&str]) -> (i32, Value) {
    let mut cmd = mnepack();
    cmd.current_dir(job.parent().unwrap())
        .args(["pack", "job.yaml", "--json", "--out"])
        .arg(out)
        .args(extra);
    let o = cmd.output().unwrap();
    let json: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}):\n{}", common::text(&o)));
    (o.status.code().unwrap_or(-1), json)
}

fn findings_of(json: &Value) -> Vec<Value> {
    let list = if json["outcome"] == "blocked" {
        &json["findings"]
    } else {
        &json["qc"]["findings"]
    };
    list.as_array().unwrap().clone()
}

#[test]
fn pack_finds_what_check_finds_refuses_on_it_and_records_it() {
    let test = "pack_finds_what_check_finds_refuses_on_it_and_records_it";
    if !tools_ready(test) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let s = write_session(
        &tmp.path().join("session"),
        Defect::MeLate,
        Config::default(),
    );
    let checked = check(&s);
    let expected = conform_set(&checked.findings);
    assert!(
        expected
            .iter()
            .any(|f| f.contains("conform.sync") && f.contains("+4004")),
        "{expected:#?}"
    );
    let out = tmp.path().join("out");
    let (code, blocked) = pack(&s.job, &out, &[]);
    assert_eq!(blocked["outcome"], "blocked", "{blocked:#}");
    assert_ne!(code, 0);
    assert_eq!(conform_set(&findings_of(&blocked)), expected);
    assert!(
        !out.join("conform_corpus_lp_delivery01").exists(),
        "nothing is delivered"
    );
    let (code, delivered) = pack(&s.job, &out, &["--force"]);
    assert_eq!(delivered["outcome"], "delivered", "{delivered:#}");
    assert_eq!(code, 0, "{delivered:#}");
    assert_eq!(conform_set(&findings_of(&delivered)), expected);
    let yaml = std::fs::read_to_string(delivered["manifest"]["yaml"].as_str().unwrap()).unwrap();
    let manifest: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
    let records = manifest["conform"].as_sequence().unwrap();
    let me = records
        .iter()
        .find(|r| r["file"].as_str().unwrap().contains("_ME_"))
        .unwrap();
    assert_eq!(me["offset_samples"].as_i64(), Some(ME_LATE), "{yaml}");
    let channels: Vec<&str> = me["channels"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(
        channels.contains(&"L=L") && channels.contains(&"Rs=Rs"),
        "{channels:?}"
    );
    let pm = &records[0];
    assert_eq!(pm["status"], "reference");
    assert!(pm["dialogue_loudness_lkfs"].as_f64().is_some());
}

#[test]
fn pack_pulls_an_mxf_movies_sound_out_as_check_reads_it() {
    let test = "pack_pulls_an_mxf_movies_sound_out_as_check_reads_it";
    if !tools_ready(test) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let cfg = Config {
        movie: Movie::Mxf,
        ..Config::default()
    };
    let s = write_session(&tmp.path().join("session"), Defect::MovieLate, cfg);
    // check reads only the movie's sound (seeking); pack pulls it out of
    // the read that copies the movie: the same findings.
    let expected = conform_set(&check(&s).findings);
    let late = format!("\"-{MOVIE_LATE} samples\"");
    assert!(
        expected
            .iter()
            .any(|f| f.contains("conform.sync") && f.contains(&late)),
        "{expected:#?}"
    );
    let (code, blocked) = pack(&s.job, &tmp.path().join("out"), &[]);
    assert_eq!(blocked["outcome"], "blocked", "{blocked:#}");
    assert_ne!(code, 0);
    assert_eq!(conform_set(&findings_of(&blocked)), expected);
}

#[test]
fn a_pack_killed_after_staging_finds_the_same_when_run_again() {
    let test = "a_pack_killed_after_staging_finds_the_same_when_run_again";
    if !tools_ready(test) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let s = write_session(
        &tmp.path().join("session"),
        Defect::MeLate,
        Config::default(),
    );
    let expected = conform_set(&check(&s).findings);
    let out = tmp.path().join("out");
    // Stops itself once every file is staged and journalled (after the
    // gate), then dies: the next run re-uses the kept files.
    let mut child = mnepack()
        .current_dir(s.job.parent().unwrap())
        .args(["pack", "job.yaml", "--force", "--quiet", "--out"])
        .arg(&out)
        .env("MNEPACK_STOP_AT", "final")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    crate::resume::wait_stopped(&mut child, "final");
    child.kill().unwrap();
    child.wait().unwrap();
    let (code, again) = pack(&s.job, &out, &["--force"]);
    assert_eq!(
        (code, &again["outcome"]),
        (0, &Value::from("delivered")),
        "{again:#}"
    );
    assert_eq!(conform_set(&findings_of(&again)), expected);
}

#[test]
fn a_redelivery_note_says_what_conform_now_finds_differently() {
    let test = "a_redelivery_note_says_what_conform_now_finds_differently";
    if !tools_ready(test) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let late = write_session(&tmp.path().join("late"), Defect::MeLate, Config::default());
    let clean = write_session(&tmp.path().join("clean"), Defect::Clean, Config::default());
    let out = tmp.path().join("out");
    let (code, first) = pack(&late.job, &out, &["--force"]);
    assert_eq!(code, 0, "{first:#}");
    // The mixer fixes the M&E: the same session with the in-sync M&E.
    std::fs::copy(&clean.me, &late.me).unwrap();
    let manifest = first["manifest"]["yaml"].as_str().unwrap();
    let job = std::fs::read_to_string(&late.job).unwrap();
    std::fs::write(&late.job, format!("{job}previous: {manifest}\n")).unwrap();
    let (code, second) = pack(&late.job, &out, &[]);
    assert_eq!(code, 0, "{second:#}");
    let lines: Vec<&str> = second["redelivery"]["conform"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{lines:#?}");
    assert!(
        lines[0].contains("_ME_")
            && lines[0].contains("+4004 samples")
            && lines[0].ends_with("now in sync"),
        "{lines:#?}"
    );
}

//! The demo through the conform rules: its print master is the sum of its
//! stems, so `check` finds every file in sync and no conform warning; an
//! optional bounced at another rate is left out of the comparison with a
//! note that says why, and nothing else is judged on it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

use std::path::Path;

use mnepack::testmedia::{Signal, WavSpec, write_wav};
use serde_json::Value;

use crate::common::{demo_at, mnepack, text};

/// `check --json` of the demo job at `dir`: its findings.
fn findings(dir: &Path) -> Vec<Value> {
    let o = mnepack()
        .current_dir(dir)
        .args(["check", "job.yaml", "--json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("no JSON ({e}):\n{}", text(&o)));
    json["qc"]["findings"].as_array().unwrap().clone()
}

fn conform(findings: &[Value]) -> Vec<&Value> {
    findings
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("conform."))
        .collect()
}

#[test]
fn the_demo_is_conformed_and_an_optional_at_another_rate_is_left_out_saying_why() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = demo_at(&tmp.path().join("demo"));
    let all = findings(&dir);
    let found = conform(&all);
    let synced: Vec<&str> = found
        .iter()
        .filter(|f| f["rule"] == "conform.sync" && f["value"] == "0 samples")
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    for part in ["_ME_", "_OPTA_", "_OPTB_", "_GUIDE_"] {
        assert!(
            synced.iter().any(|f| f.contains(part)),
            "{part} in sync: {found:#?}"
        );
    }
    assert!(found.iter().all(|f| f["severity"] == "info"), "{found:#?}");
    assert!(
        found
            .iter()
            .any(|f| f["file"].as_str().unwrap().contains("_REF_")
                && f["message"].as_str().unwrap().contains("not compared")),
        "the movie's sound track is said not compared: {found:#?}"
    );

    // The walla bounced at 44.1 kHz.
    let frames = mnepack::testmedia::demo::DEMO_REF_FRAMES * 1840;
    let mut spec = WavSpec::new(44_100, 24, 6, frames);
    spec.signal = (0..6)
        .map(|c| Signal::Noise {
            seed: 70 + c,
            dbfs: -40.0,
        })
        .collect();
    let walla = dir.join("stage/NT_OPT_walla_51.wav");
    write_wav(&spec, &mut std::fs::File::create(&walla).unwrap()).unwrap();
    let all = findings(&dir);
    let found = conform(&all);
    let on_walla: Vec<&&Value> = found
        .iter()
        .filter(|f| f["file"].as_str().unwrap().contains("_OPTB_"))
        .collect();
    assert_eq!(on_walla.len(), 1, "{on_walla:#?}");
    let note = on_walla[0];
    assert_eq!(
        (&note["severity"], &note["rule"]),
        (&Value::from("info"), &Value::from("conform.sync"))
    );
    assert!(
        note["message"].as_str().unwrap().contains("44100 Hz"),
        "says why: {note:#}"
    );
    assert!(found.iter().all(|f| f["severity"] == "info"), "{found:#?}");
}

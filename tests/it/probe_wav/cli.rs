//! `mnepack probe` through the real binary: text facts, `--json`, exit codes.

use std::path::Path;

use mnepack::testmedia::{WavSpec, wav_bytes};
use mnepack::timecode::FrameRate;

use super::bad_input::plain;
use super::rich_spec;
use crate::common;

fn write(dir: &Path, name: &str, spec: &WavSpec) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, wav_bytes(spec).unwrap()).unwrap();
    p
}

#[test]
fn probe_command_text_json_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "me.wav", &rich_spec());
    let mut bad_bytes = plain();
    bad_bytes.truncate(bad_bytes.len() - 10);
    let bad = dir.path().join("cut.wav");
    std::fs::write(&bad, bad_bytes).unwrap();

    let out = common::mnepack()
        .args(["probe", "--fps", "23.976"])
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let want_tc = FrameRate::parse("23.976")
        .map(|r| mnepack::timecode::Timecode::from_samples(172_780_608, 48_000, r).to_string())
        .unwrap();
    assert_eq!(want_tc, "00:59:56:00");
    for fact in [
        "BW64",
        "pcm_s24le",
        "48000",
        "0x60F",
        "333",
        "REF-0042",
        "Stage 3",
        "00:59:56:00",
        "zzz1",
        "999 bytes",
    ] {
        assert!(text.contains(fact), "{fact} missing from:\n{text}");
    }

    let out = common::mnepack()
        .args(["probe", "--json"])
        .arg(&good)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("cut.wav: truncated"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["ok"], true);
    assert_eq!(items[0]["facts"]["media"]["channels"], 1);
    assert_eq!(items[0]["facts"]["media"]["container"], "BW64");
    assert_eq!(
        items[0]["facts"]["media"]["bext"]["time_reference"],
        172_780_608
    );
    assert_eq!(items[1]["ok"], false);
    assert!(
        items[1]["error"]
            .as_str()
            .unwrap()
            .contains("10 bytes short")
    );

    let out = common::mnepack()
        .args(["probe", "--fps", "23.5"])
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fps 23.5"));
}

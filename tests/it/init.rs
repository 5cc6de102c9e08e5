//! `mnepack init DIR`: a job file guessed from a stage folder, that packs.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use crate::common::mnepack;

#[test]
fn init_writes_a_job_that_packs_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = tmp.path().join("night");
    assert!(
        mnepack()
            .arg("demo")
            .arg(&demo)
            .output()
            .unwrap()
            .status
            .success()
    );
    let job = tmp.path().join("guessed.yaml");
    let out = mnepack()
        .arg("init")
        .arg(demo.join("stage"))
        .arg("-o")
        .arg(&job)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&job).unwrap();
    for want in [
        "frame_rate: '23.976'",
        "reference_video: night/stage/NT_stage_ref_2398.mov",
        "mne: night/stage/NT_ME_51.wav",
        "dialogue_guide: night/stage/NT_DX_guide_mono.wav",
        "print_master: night/stage/NT_PM_51.wav",
        "desc: Efforts",
        "desc: Walla",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    assert!(!text.contains("._NT"), "AppleDouble offered:\n{text}");
    // It packs as written.
    let out = mnepack().args(["pack", "-q"]).arg(&job).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(tmp.path().join("deliveries/stage_lp_delivery01").is_dir());
    // A second init refuses to overwrite.
    let before = std::fs::read(&job).unwrap();
    let out = mnepack()
        .arg("init")
        .arg(demo.join("stage"))
        .arg("-o")
        .arg(&job)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&job).unwrap(), before);
}

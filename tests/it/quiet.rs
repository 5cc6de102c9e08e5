//! `pack --quiet` and `check --quiet` through the binary on the demo: each
//! QC error printed, the warnings counted on one line, the notes left out,
//! and the line that says how it ended.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use crate::common::mnepack;

fn run(args: &[&str]) -> Output {
    mnepack().args(args).output().expect("run mnepack")
}

/// Every line the command printed, stdout then stderr.
fn lines(o: &Output) -> Vec<String> {
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    all.lines().map(str::to_string).collect()
}

fn demo(tmp: &Path) -> (PathBuf, PathBuf) {
    let dir = crate::common::demo_at(&tmp.join("demo"));
    let job = dir.join("job.yaml");
    (dir, job)
}

/// The last line of stdout.
fn last_line(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn quiet_pack_and_check_of_the_clean_demo_print_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, job) = demo(tmp.path());
    let job = job.to_str().unwrap();
    // The demo has ten notes (loudness, 2-pops) and nothing else.
    let c = run(&["check", job, "--quiet"]);
    assert_eq!(c.status.code(), Some(0), "{:?}", lines(&c));
    assert_eq!(
        lines(&c),
        vec!["QC passed: no errors; pack would deliver".to_string()]
    );
    let o = run(&["pack", job, "--quiet"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", lines(&o));
    let root = fs::canonicalize(&dir)
        .unwrap()
        .join("deliveries/night_train_lp_delivery01");
    assert_eq!(
        lines(&o),
        vec![format!(
            "delivered: {} (6 files, 55.1 MiB, read back and verified)",
            root.display()
        )],
    );
    assert!(root.join("night_train_lp_delivery01.yaml").is_file());
}

#[test]
fn quiet_still_prints_every_error_and_counts_the_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, job) = demo(tmp.path());
    let job = job.to_str().unwrap();
    // Optional A: 16-bit (an error from the headers) and 100 samples
    // short of the M&E (under a frame: a warning).
    crate::common::sixteen_bit_optional(&dir, 100);
    let full = run(&["check", job]);
    let full_lines = lines(&full);
    let shape = |o: &Output, last: &str| {
        let l = lines(o);
        assert!(l.len() <= 4, "an error (2 lines), a count, the end: {l:?}");
        assert!(
            l.iter().any(|x| x.starts_with("ERROR [bit_depth]")),
            "{l:?}"
        );
        assert!(
            l.iter()
                .any(|x| x.contains("OPTA_Efforts") && !x.starts_with("ERROR")),
            "the error's file: {l:?}"
        );
        assert!(
            l.iter()
                .any(|x| x.starts_with("1 warning ") || x.contains(" warnings ")),
            "{l:?}"
        );
        assert!(!l.iter().any(|x| x.contains("INFO")), "no notes: {l:?}");
        assert!(last_line(o).starts_with(last), "{l:?}");
    };
    assert!(
        full_lines.iter().any(|x| x.starts_with("WARN ")),
        "the full report lists the warning: {full_lines:?}"
    );
    let c = run(&["check", job, "--quiet"]);
    assert_eq!(c.status.code(), Some(1), "{:?}", lines(&c));
    shape(&c, "QC failed: 1 error; pack would stop unless --force");
    let o = run(&["pack", job, "--quiet"]);
    assert_eq!(o.status.code(), Some(1), "{:?}", lines(&o));
    shape(&o, "nothing was delivered: QC found errors");
    assert!(!dir.join("deliveries").exists());
    let o = run(&["pack", job, "--quiet", "--force"]);
    assert_eq!(o.status.code(), Some(0), "{:?}", lines(&o));
    shape(
        &o,
        "delivered with --force despite 1 QC error (recorded in the manifest): ",
    );
}

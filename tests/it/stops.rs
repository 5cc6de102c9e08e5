//! A pack stopped where it cannot see it coming, through the binary: a
//! staged copy that goes bad between the write and the read-back; a pack
//! blocked in the kernel that gets a signal; SIGHUP (a closed SSH session)
//! at an exact step. Each ends with exit 2 or 130, a message, nothing in an
//! upload folder, and a next run that finishes the delivery.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::text;
use crate::resume::{Demo, demo, files_under, have_stop_points, pack_cmd, stopped_with};

/// Sends `sig` (`-TERM`...) to `child`.
fn kill(sig: &str, child: &Child) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(ok.success(), "kill {sig}");
}

/// The name the journal gives the staged file of plan item `index`.
fn staged_name(staging: &Path, index: u64) -> String {
    let journal = fs::read_to_string(staging.join("journal")).unwrap();
    journal
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|r| r["record"] == "staged" && r["index"] == index)
        .and_then(|r| r["name"].as_str().map(str::to_string))
        .unwrap_or_else(|| panic!("no staged record {index} in\n{journal}"))
}

/// Only the staging folder in `root`: no upload folder, no manifest.
fn only_staging(root: &Path) {
    let left: Vec<_> = fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        left,
        [".mnepack-staging"],
        "nothing but staging in {}",
        root.display()
    );
}

/// The pack has read back the first staged file; the second goes bad on
/// the disk before it is read back: the pack refuses (exit 2) naming it,
/// places nothing, and the next run copies that file again.
#[test]
fn a_staged_copy_that_changes_before_the_read_back_is_refused_and_copied_again() {
    if !have_stop_points(
        "a_staged_copy_that_changes_before_the_read_back_is_refused_and_copied_again",
    ) {
        return;
    }
    let Demo {
        _tmp,
        dir,
        job,
        root,
        ..
    } = demo();
    let staging = root.join(".mnepack-staging");
    // Copies, not links: the staged file must not be the source itself.
    let mut child = pack_cmd(&job)
        .args(["--link", "copy"])
        .env("MNEPACK_STOP_AT", "verify:0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    crate::resume::wait_stopped(&mut child, "verify:0");
    let name = staged_name(&staging, 1);
    let victim = staging.join(&name);
    let mut bytes = fs::read(&victim).unwrap();
    let at = bytes.len() - 1;
    bytes[at] ^= 0x01;
    fs::write(&victim, &bytes).unwrap();
    kill("-CONT", &child);
    let o = child.wait_with_output().unwrap();
    let said = text(&o);
    assert_eq!(o.status.code(), Some(2), "{said}");
    assert!(said.contains("does not match what was written"), "{said}");
    assert!(said.contains(name.as_str()), "names {name}: {said}");
    assert!(!said.contains("panicked"), "{said}");
    only_staging(&root);

    let o = pack_cmd(&job).args(["--link", "copy"]).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    // Every delivered file is its source again, the bad one included.
    let delivered = files_under(&root);
    let placed = delivered
        .iter()
        .find(|(rel, _)| rel.ends_with(&name))
        .unwrap_or_else(|| panic!("{name} delivered: {delivered:?}"));
    let sources = files_under(&dir.join("stage"));
    assert!(
        sources.values().any(|sha| sha == placed.1),
        "{name} is a copy of its source again"
    );
    let o = crate::common::mnepack()
        .args(["verify", root.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
}

/// A pack that is blocked (here: deaf to the stop flag at the first copy,
/// as a read from a hung network share is) ends within the grace after
/// SIGTERM or SIGHUP, and at once on a second signal; exit 130, and what
/// it leaves is a staging folder the next run finishes from.
#[test]
fn a_blocked_pack_ends_after_a_signal_and_the_next_run_finishes() {
    if !have_stop_points("a_blocked_pack_ends_after_a_signal_and_the_next_run_finishes") {
        return;
    }
    for (signals, within) in [
        (&["-TERM"][..], Duration::from_secs(3)),
        (&["-HUP"][..], Duration::from_secs(3)),
        (&["-INT", "-INT"][..], Duration::from_secs(1)),
    ] {
        let Demo {
            _tmp, job, root, ..
        } = demo();
        let child = pack_cmd(&job)
            .env("MNEPACK_HANG_AT", "copy:1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let journal = root.join(".mnepack-staging/journal");
        let deadline = Instant::now() + Duration::from_secs(60);
        while !fs::read_to_string(&journal).is_ok_and(|j| j.contains(r#""record":"staged""#)) {
            assert!(Instant::now() < deadline, "the pack never staged a file");
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(200));
        let sent = Instant::now();
        for sig in signals {
            kill(sig, &child);
            std::thread::sleep(Duration::from_millis(50));
        }
        let o = child.wait_with_output().unwrap();
        let took = sent.elapsed();
        let said = text(&o);
        assert!(took < within, "{signals:?}: ended after {took:?}: {said}");
        assert_eq!(o.status.code(), Some(130), "{signals:?}: {said}");
        assert!(said.contains("stopped at once"), "{signals:?}: {said}");
        only_staging(&root);
        let o = pack_cmd(&job).output().unwrap();
        assert!(o.status.success(), "{signals:?}: {}", text(&o));
        assert!(text(&o).contains("re-used 1 of"), "{}", text(&o));
    }
}

/// SIGHUP (the SSH session closed) while the pack is stopped at an exact
/// step: once it runs again it stops within a second, exit 130, says what
/// it kept, and the next run resumes. Once every file is read back and the
/// renames into place have begun, the pack finishes instead (a few renames
/// and the manifest): exit 0 within the same second, a whole delivery.
#[test]
fn sighup_stops_a_pack_within_a_second_and_it_resumes() {
    if !have_stop_points("sighup_stops_a_pack_within_a_second_and_it_resumes") {
        return;
    }
    // One thread: the reference video is whole (and kept) before the
    // audio files' first bytes; two: the signal stops every read at once,
    // two files whole.
    let points = [
        ("copy:1", "1", 130),
        ("staged:1", "2", 130),
        ("verify:2", "2", 130),
        ("renamed:1", "2", 0),
    ];
    for (point, threads, code) in points {
        let Demo {
            _tmp, job, root, ..
        } = demo();
        let child = stopped_with(&job, point, Stdio::piped, Some(threads));
        kill("-HUP", &child);
        kill("-CONT", &child);
        let sent = Instant::now();
        let o = child.wait_with_output().unwrap();
        let took = sent.elapsed();
        let said = text(&o);
        assert!(took < Duration::from_secs(1), "{point}: {took:?}: {said}");
        assert_eq!(o.status.code(), Some(code), "{point}: {said}");
        assert!(!said.contains("stopped at once"), "{point}: {said}");
        let manifest = root.join(format!(
            "{}.yaml",
            root.file_name().unwrap().to_string_lossy()
        ));
        if code == 130 {
            assert!(said.contains("interrupted"), "{point}: {said}");
            only_staging(&root);
            let o = pack_cmd(&job).output().unwrap();
            assert!(o.status.success(), "{point}: {}", text(&o));
        }
        assert!(manifest.exists(), "{point}: delivered");
        let o = crate::common::mnepack()
            .args(["verify", root.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(o.status.success(), "{point}: {}", text(&o));
    }
}

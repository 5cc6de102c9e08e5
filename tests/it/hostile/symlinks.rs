//! Symlinks in the source tree. A loop, a link to a folder and a FIFO are
//! clear errors at probe time (never a hang). A link to a file outside the
//! tree is followed: whatever the link mode, the delivered file is a
//! regular file with the target's bytes, never a copy of the link.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::time::{Duration, Instant};

use mnepack::hash::HashSelection;
use mnepack::job::Job;
use mnepack::pack::PackOptions;
use mnepack::pack::flow::{PackOutcome, PackReport, pack, prepare};
use mnepack::pack::stage::{LinkMode, Method};
use mnepack::probe::{ProbeError, probe_path};
use mnepack::profile::Profile;
use mnepack::progress::{Cancel, Silent};
use mnepack::testmedia::{WavSpec, wav_bytes};
use mnepack::{Error, Refusal};

use super::today;

fn job_at(dir: &Path, mne: &str) -> Job {
    let text = format!(
        "title: Links\nunit: lp\nframe_rate: 24\nsources:\n  mne: {}\n",
        serde_json::to_string(mne).unwrap()
    );
    Job::from_yaml(&text, dir, today()).unwrap()
}

/// `prepare` refuses, naming the file and saying `why`, within a second.
fn refused(dir: &Path, mne: &str, why: &str) {
    let t = Instant::now();
    let e = prepare(&job_at(dir, mne), &Profile::builtin("netflix").unwrap()).unwrap_err();
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    match e {
        // Unreadable sources are one refusal, each named with why.
        Error::Refused(r @ Refusal::Sources(_)) => {
            let m = r.to_string();
            assert!(m.contains(mne) && m.contains(why), "{m}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn symlink_loops_folders_and_fifos_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    symlink(d.join("b.wav"), d.join("a.wav")).unwrap();
    symlink(d.join("a.wav"), d.join("b.wav")).unwrap();
    symlink(d.join("self.wav"), d.join("self.wav")).unwrap();
    fs::create_dir(d.join("folder")).unwrap();
    symlink(d.join("folder"), d.join("dir.wav")).unwrap();
    symlink(d.join("missing"), d.join("dangling.wav")).unwrap();
    let e = probe_path(&d.join("a.wav")).unwrap_err();
    assert!(
        matches!(e, ProbeError::Io(ref m) if m.contains("symbolic links")),
        "{e}"
    );
    refused(d, "a.wav", "symbolic links");
    refused(d, "self.wav", "symbolic links");
    refused(d, "dir.wav", "directory");
    refused(d, "dangling.wav", "No such file");
    // A FIFO would block `open` forever; it is refused before opening.
    let fifo = d.join("fifo.wav");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        symlink(&fifo, d.join("to_fifo.wav")).unwrap();
        refused(d, "fifo.wav", "not a regular file");
        refused(d, "to_fifo.wav", "not a regular file");
    }
    // A character device reads as endless zeros: refused the same way.
    if Path::new("/dev/zero").exists() {
        refused(d, "/dev/zero", "not a regular file");
    }
}

fn pack_with(job: &Job, out: &Path, link: LinkMode) -> PackReport {
    let profile = Profile::builtin("netflix").unwrap();
    let prepared = prepare(job, &profile).unwrap();
    let opts = PackOptions {
        output: out.to_path_buf(),
        link,
        allow_hardlink: true,
        verify: true,
        hashes: HashSelection::BASE,
        qc: profile.qc.clone(),
        // These tests are about links, not QC: the tiny test media trip length rules.
        force: true,
        threads: mnepack::threads::available(),
    };
    let outcome = pack(
        job,
        &profile,
        &prepared,
        &opts,
        chrono::Utc::now(),
        &mut Silent,
        &Cancel::new(),
    )
    .unwrap();
    match outcome {
        PackOutcome::Delivered(report) => *report,
        PackOutcome::Blocked(qc) => panic!("blocked: {:?}", qc.findings),
    }
}

#[test]
fn a_link_out_of_the_tree_delivers_a_regular_file() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("elsewhere");
    let stage = dir.path().join("stage");
    fs::create_dir_all(&outside).unwrap();
    fs::create_dir_all(&stage).unwrap();
    let bytes = wav_bytes(&WavSpec::new(48_000, 24, 6, 480)).unwrap();
    fs::write(outside.join("me.wav"), &bytes).unwrap();
    // A relative link: delivered as a link it would dangle in the root.
    symlink("../elsewhere/me.wav", stage.join("me.wav")).unwrap();
    for (i, mode) in [LinkMode::Copy, LinkMode::Auto, LinkMode::Hardlink]
        .into_iter()
        .enumerate()
    {
        let out = dir.path().join(format!("out{i}"));
        let report = pack_with(&job_at(&stage, "me.wav"), &out, mode);
        assert!(report.verified);
        assert_eq!(report.files.len(), 1);
        let delivered = report.root.join(&report.files[0].path);
        let meta = fs::symlink_metadata(&delivered).unwrap();
        assert!(
            meta.file_type().is_file(),
            "{mode:?}: {} is {:?}",
            delivered.display(),
            meta.file_type()
        );
        assert_eq!(fs::read(&delivered).unwrap(), bytes, "{mode:?}");
        if mode == LinkMode::Copy {
            assert_eq!(report.files[0].method, Method::Copied);
        }
        // The link and its target are untouched.
        assert!(
            fs::symlink_metadata(stage.join("me.wav"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(outside.join("me.wav")).unwrap(), bytes);
    }
}

//! Resume: a `pack` SIGKILLed at each named step (built with the
//! `stop-points` feature, the binary stops itself there when
//! `MNEPACK_STOP_AT` names the step) leaves no partial file in an upload
//! folder and no manifest listing unfinished work; the same command then
//! resumes, re-using what was staged once its size and hash check out, and
//! ends with the delivery an uninterrupted run makes. Sources stay
//! byte-identical with unchanged mtimes throughout.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use crate::common::{sha256_hex, text};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use crate::common::mnepack;

const ROOT: &str = "night_train_lp_delivery01";

/// Every regular file under `dir` (relative path) with its sha256, skipping
/// the staging folder.
pub(crate) fn files_under(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".mnepack-staging")
    {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap();
            out.insert(rel.to_string_lossy().into_owned(), sha256_hex(e.path()));
        }
    }
    out
}

/// sha256, size and mtime (ns) of every source.
fn sources(stage: &Path) -> BTreeMap<PathBuf, (String, u64, i64, i64)> {
    let mut out = BTreeMap::new();
    for e in fs::read_dir(stage).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            let m = fs::metadata(&p).unwrap();
            out.insert(
                p.clone(),
                (sha256_hex(&p), m.len(), m.mtime(), m.mtime_nsec()),
            );
        }
    }
    out
}

/// The manifest YAML with its timestamp line masked (a resumed run keeps
/// the killed run's time, a reference run has its own).
fn yaml_without_time(root: &Path) -> String {
    fs::read_to_string(root.join(format!("{ROOT}.yaml")))
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with("created:"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_manifest(rel: &str) -> bool {
    [".yaml", ".sha256", ".mhl", ".html"]
        .iter()
        .any(|ext| rel == format!("{ROOT}{ext}"))
}

fn state(pid: u32) -> Option<char> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    stat.rsplit_once(") ")?.1.chars().next()
}

/// Waits until the child stopped itself at its stop point.
pub(crate) fn wait_stopped(child: &mut Child, point: &str) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if state(child.id()) == Some('T') {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("pack ended ({status}) without reaching {point}");
        }
        assert!(Instant::now() < deadline, "{point} never reached");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// What a killed run may leave: upload-folder files only whole (each equal
/// to the reference), and a manifest only when everything it lists is in
/// place.
fn assert_nothing_unfinished(root: &Path, reference: &BTreeMap<String, String>, point: &str) {
    if !root.exists() {
        return;
    }
    let found = files_under(root);
    for (rel, sha) in &found {
        if is_manifest(rel) {
            continue;
        }
        assert_eq!(
            reference.get(rel),
            Some(sha),
            "{point}: {rel} in an upload folder is not the finished file"
        );
    }
    if found.contains_key(&format!("{ROOT}.yaml")) {
        let m = mnepack::manifest::read_manifest(&root.join(format!("{ROOT}.yaml"))).unwrap();
        for f in &m.files {
            assert_eq!(
                found.get(&f.path),
                Some(&f.sha256),
                "{point}: the manifest lists {} before it is in place",
                f.path
            );
        }
    }
}

/// The stop points exist only in a build with the `stop-points` feature
/// (`.ci/run` tests with `--all-features`).
pub(crate) fn have_stop_points(test: &str) -> bool {
    let on = cfg!(feature = "stop-points");
    if !on {
        crate::common::skip(
            test,
            "needs `--features stop-points` (.ci/run uses --all-features)",
        );
    }
    on
}

pub(crate) fn pack_cmd(job: &Path) -> std::process::Command {
    let mut c = mnepack();
    c.args(["pack", job.to_str().unwrap(), "--quiet"]);
    c
}

/// A demo stage in a temp folder.
pub(crate) struct Demo {
    pub _tmp: tempfile::TempDir,
    pub dir: PathBuf,
    pub job: PathBuf,
    pub root: PathBuf,
}

pub(crate) fn demo() -> Demo {
    let tmp = tempfile::tempdir().unwrap();
    let dir = crate::common::demo_at(&tmp.path().join("demo"));
    Demo {
        job: dir.join("job.yaml"),
        root: dir.join("deliveries").join(ROOT),
        dir,
        _tmp: tmp,
    }
}

/// A pack of `job` that has stopped itself at `point`.
pub(crate) fn stopped_at(job: &Path, point: &str, output: fn() -> Stdio) -> Child {
    stopped_with(job, point, output, None)
}

/// As [`stopped_at`], the pack given `threads` (`MNEPACK_THREADS`) when set.
pub(crate) fn stopped_with(
    job: &Path,
    point: &str,
    output: fn() -> Stdio,
    threads: Option<&str>,
) -> Child {
    let mut cmd = pack_cmd(job);
    if let Some(n) = threads {
        cmd.env("MNEPACK_THREADS", n);
    }
    let mut child = cmd
        .env("MNEPACK_STOP_AT", point)
        .stdout(output())
        .stderr(output())
        .spawn()
        .unwrap();
    wait_stopped(&mut child, point);
    child
}

/// SIGKILLs a pack of `job` at `point`; returns its pid.
fn kill_at(job: &Path, point: &str) -> u32 {
    let mut child = stopped_at(job, point, Stdio::null);
    let pid = child.id();
    child.kill().unwrap();
    child.wait().unwrap();
    pid
}

/// Steps to kill at, and how many files the journal holds by then: with
/// one thread (the reference video alone first, then the audio files side
/// by side), and with two, where the video is read beside the audio files
/// (`None`: whether the video is whole when the next file's first bytes
/// are read depends on the race). The journal lists files in plan order,
/// so `staged:N` always finds N + 1.
const POINTS: &[(&str, usize, Option<usize>)] = &[
    ("copy:0", 0, Some(0)),
    ("staged:0", 1, Some(1)),
    ("copy:1", 1, None),
    ("staged:2", 3, Some(3)),
    ("final", 6, Some(6)),
    ("verify:0", 6, Some(6)),
    ("verify:3", 6, Some(6)),
    ("renamed:0", 6, Some(6)),
    ("renamed:4", 6, Some(6)),
    ("manifest-staged", 6, Some(6)),
    ("manifest-placed", 6, Some(6)),
    ("sealed", 6, Some(6)),
];

#[test]
fn a_pack_killed_at_any_step_resumes_to_the_same_delivery() {
    if !have_stop_points("a_pack_killed_at_any_step_resumes_to_the_same_delivery") {
        return;
    }
    let Demo {
        _tmp,
        dir,
        job,
        root,
        ..
    } = demo();
    let before = sources(&dir.join("stage"));

    // The uninterrupted delivery.
    let o = pack_cmd(&job).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let reference: BTreeMap<String, String> = files_under(&root)
        .into_iter()
        .filter(|(rel, _)| !is_manifest(rel))
        .collect();
    let reference_yaml = yaml_without_time(&root);
    let items = reference.len();
    assert_eq!(items, 6, "the demo delivers six files: {reference:?}");
    fs::remove_dir_all(dir.join("deliveries")).unwrap();

    let runs = POINTS
        .iter()
        .flat_map(|&(point, alone, side)| [("1", point, Some(alone)), ("2", point, side)]);
    for (threads, point, staged) in runs {
        let mut child = stopped_with(&job, point, Stdio::null, Some(threads));
        assert_nothing_unfinished(&root, &reference, point);
        child.kill().unwrap();
        child.wait().unwrap();
        assert!(root.join(".mnepack-staging").is_dir(), "{point}: kept");

        let o = pack_cmd(&job)
            .env("MNEPACK_THREADS", threads)
            .output()
            .unwrap();
        assert!(o.status.success(), "{point}: {}", text(&o));
        let said = text(&o);
        let staged = staged.unwrap_or_else(|| kept_count(&said, items));
        assert!(
            said.contains(&format!("{staged} of {items} files were staged")),
            "{point}, {threads} threads: {said}"
        );
        if staged > 0 {
            assert!(
                said.contains(&format!("re-used {staged} of the {staged} files")),
                "{point}, {threads} threads: {said}"
            );
        }
        let delivered: BTreeMap<String, String> = files_under(&root)
            .into_iter()
            .filter(|(rel, _)| !is_manifest(rel))
            .collect();
        assert_eq!(delivered, reference, "{point}: same files, same bytes");
        assert_eq!(
            yaml_without_time(&root),
            reference_yaml,
            "{point}: manifest"
        );
        assert!(!root.join(".mnepack-staging").exists(), "{point}: finished");
        let v = mnepack()
            .args(["verify", root.to_str().unwrap(), "--quiet"])
            .output()
            .unwrap();
        assert!(v.status.success(), "{point}: {}", text(&v));
        fs::remove_dir_all(dir.join("deliveries")).unwrap();
    }
    assert_eq!(sources(&dir.join("stage")), before, "sources untouched");
}

/// How many files a resume said were staged ("N of `items` files were
/// staged"), where the race decides it.
fn kept_count(said: &str, items: usize) -> usize {
    let tail = format!(" of {items} files were staged");
    let at = said
        .find(&tail)
        .unwrap_or_else(|| panic!("no count: {said}"));
    let digits: String = said[..at]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.chars().rev().collect::<String>().parse().unwrap()
}

/// A kept file is re-used only when its source is unchanged and the staged
/// copy still hashes the same: a damaged staged copy and a source touched
/// since are read again, and the delivery is still right.
#[test]
fn a_resume_stages_again_what_no_longer_checks_out() {
    if !have_stop_points("a_resume_stages_again_what_no_longer_checks_out") {
        return;
    }
    let Demo {
        _tmp,
        dir,
        job,
        root,
        ..
    } = demo();
    let o = pack_cmd(&job).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let reference = files_under(&root);
    fs::remove_dir_all(dir.join("deliveries")).unwrap();

    kill_at(&job, "staged:3");
    let staging = root.join(".mnepack-staging");
    let journal = mnepack::pack::journal::read(&staging).unwrap().unwrap();
    assert_eq!(journal.staged.len(), 4);
    // Damage the second staged file in place (same size; a copy, so the
    // source is not touched)...
    assert_eq!(
        journal.staged[&1].method,
        mnepack::pack::stage::Method::Copied
    );
    let damaged = staging.join(&journal.staged[&1].name);
    let mut bytes = fs::read(&damaged).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    fs::write(&damaged, &bytes).unwrap();
    // ...and touch the source of the third (same bytes, newer mtime).
    let o = mnepack()
        .args(["pack", job.to_str().unwrap(), "--dry-run", "--json"])
        .output()
        .unwrap();
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let source = PathBuf::from(plan["items"][2]["source"].as_str().unwrap());
    let f = fs::File::options().write(true).open(&source).unwrap();
    f.set_modified(std::time::SystemTime::now() + Duration::from_secs(5))
        .unwrap();
    drop(f);

    let o = pack_cmd(&job).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("re-used 2 of the 4 files"),
        "{}",
        text(&o)
    );
    let delivered: BTreeMap<String, String> = files_under(&root)
        .into_iter()
        .filter(|(rel, _)| !is_manifest(rel))
        .collect();
    let want: BTreeMap<String, String> = reference
        .into_iter()
        .filter(|(rel, _)| !is_manifest(rel))
        .collect();
    assert_eq!(delivered, want);
}

/// A root left unfinished by one job is not resumed by another: the
/// journal's fingerprint names the plan and the options.
#[test]
fn another_job_or_other_options_do_not_resume_a_root() {
    if !have_stop_points("another_job_or_other_options_do_not_resume_a_root") {
        return;
    }
    let Demo {
        _tmp,
        dir: _,
        job,
        root,
        ..
    } = demo();
    let pid = kill_at(&job, "staged:1");
    let o = mnepack()
        .args(["pack", job.to_str().unwrap(), "--quiet", "--no-verify"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("other options"), "{}", text(&o));
    assert!(text(&o).contains(&format!("pid {pid}")), "{}", text(&o));
    assert_eq!(
        fs::read_dir(&root).unwrap().count(),
        1,
        "only the staging folder"
    );
}

/// SIGTERM after some files are staged: exit 130, a message saying what
/// is kept and how to resume, nothing in an upload folder; the same
/// command then finishes the delivery from what was kept.
#[test]
fn a_terminated_pack_says_what_it_kept_and_resumes() {
    if !have_stop_points("a_terminated_pack_says_what_it_kept_and_resumes") {
        return;
    }
    let Demo {
        _tmp,
        dir: _,
        job,
        root,
        ..
    } = demo();
    // With one thread the reference video is staged alone first, the audio
    // files side by side after it: the signal comes before any of them is
    // whole.
    let child = stopped_with(&job, "staged:0", Stdio::piped, Some("1"));
    let pid = child.id().to_string();
    // The signal waits while the process is stopped; SIGCONT delivers it.
    for sig in ["-TERM", "-CONT"] {
        assert!(
            std::process::Command::new("kill")
                .args([sig, &pid])
                .status()
                .unwrap()
                .success()
        );
    }
    let sent = Instant::now();
    let o = child.wait_with_output().unwrap();
    assert!(
        sent.elapsed() < Duration::from_secs(2),
        "{:?}",
        sent.elapsed()
    );
    assert_eq!(o.status.code(), Some(130), "{}", text(&o));
    let said = text(&o);
    assert!(said.contains("1 of 6 files are staged and kept"), "{said}");
    assert!(
        said.contains("Run the same command again to resume"),
        "{said}"
    );
    let left: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [".mnepack-staging"], "nothing but staging");
    let o = pack_cmd(&job).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("re-used 1 of the 1 files"),
        "{}",
        text(&o)
    );
    assert!(!root.join(".mnepack-staging").exists());
}

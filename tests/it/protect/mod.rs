//! Source protection across the command-line journeys (issue 8, "Nothing
//! lost"): after `probe`, `check`, `pack` (copy, hard link and reflink),
//! `verify`, `init`, a redelivery and `pack --dry-run`, every file under
//! the stage folder (and the folder itself) has the same bytes, size, mtime
//! to the nanosecond and permissions. Sources made read-only (0444, folder
//! 0555) still pack, check and verify; every run is traced with `strace -f
//! -y` and no syscall may change anything under the stage, however it names
//! it ([`trace`]), so the proof holds even though the tests run as root.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use crate::common::text;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Output;

use sha2::{Digest, Sha256};

use crate::common::mnepack;

mod trace;

/// What must not change about one file or folder.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint {
    sha256: Option<String>,
    size: u64,
    mtime: (i64, i64),
    mode: u32,
}

/// Every file and folder under `stage` (itself included), by path.
fn record(stage: &Path) -> BTreeMap<PathBuf, Fingerprint> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(stage) {
        let e = e.unwrap();
        let m = fs::symlink_metadata(e.path()).unwrap();
        let sha256 = m
            .is_file()
            .then(|| mnepack::hash::hex(&Sha256::digest(fs::read(e.path()).unwrap())));
        out.insert(
            e.path().to_path_buf(),
            Fingerprint {
                sha256,
                size: m.len(),
                mtime: (m.mtime(), m.mtime_nsec()),
                mode: m.permissions().mode(),
            },
        );
    }
    out
}

fn assert_same(stage: &Path, before: &BTreeMap<PathBuf, Fingerprint>, after_what: &str) {
    let now = record(stage);
    for (path, was) in before {
        let is = now.get(path);
        assert_eq!(is, Some(was), "{} changed by {after_what}", path.display());
    }
    let new: Vec<_> = now.keys().filter(|p| !before.contains_key(*p)).collect();
    assert!(new.is_empty(), "{after_what} created {new:?} in the stage");
}

/// Runs the binary, under `strace` when it is available; returns the output
/// and every traced syscall line that opens a path under `stage` for
/// writing or changes it by name.
struct Runner {
    stage: PathBuf,
    trace_dir: PathBuf,
    strace: bool,
    runs: usize,
}

impl Runner {
    fn run(&mut self, args: &[&str]) -> (Output, Vec<String>) {
        if !self.strace {
            return (mnepack().args(args).output().unwrap(), Vec::new());
        }
        self.runs += 1;
        let log = self.trace_dir.join(format!("trace{}.txt", self.runs));
        let o = std::process::Command::new("strace")
            .args(["-f", "-qq", "-y", "-o"])
            .arg(&log)
            .arg(crate::common::bin())
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let trace = fs::read_to_string(&log).unwrap_or_default();
        let cwd = std::env::current_dir().unwrap();
        (o, trace::changes_under(&trace, &self.stage, &cwd))
    }

    /// Runs and expects success, then checks nothing in the stage changed.
    fn journey(&mut self, args: &[&str], before: &BTreeMap<PathBuf, Fingerprint>) {
        let (o, writes) = self.run(args);
        let what = args.join(" ");
        assert!(o.status.success(), "{what}: {}", text(&o));
        assert!(
            writes.is_empty(),
            "{what} touched the stage for writing:\n{}",
            writes.join("\n")
        );
        assert_same(&self.stage, before, &what);
    }
}

/// Sets every file under `stage` to `file_mode` and the folder to `dir_mode`.
fn chmod_all(stage: &Path, file_mode: u32, dir_mode: u32) {
    for e in fs::read_dir(stage).unwrap() {
        let p = e.unwrap().path();
        fs::set_permissions(&p, fs::Permissions::from_mode(file_mode)).unwrap();
    }
    fs::set_permissions(stage, fs::Permissions::from_mode(dir_mode)).unwrap();
}

/// Changes one sample byte near the end of a WAV (same size).
fn change_one_stem(path: &Path) {
    let mut b = fs::read(path).unwrap();
    let n = b.len() - 100;
    b[n] ^= 0x10;
    fs::write(path, b).unwrap();
}

#[test]
fn every_journey_leaves_the_sources_byte_identical_with_their_mtimes() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = crate::common::demo_at(&tmp.path().join("demo"));
    let stage = dir.join("stage");
    let job = dir.join("job.yaml");
    let job_s = job.to_str().unwrap();
    let out = dir.join("deliveries");
    let strace = crate::common::have_tool("strace", "protect (read-only opens)");
    let trace_dir = tmp.path().join("traces");
    fs::create_dir(&trace_dir).unwrap();
    let mut r = Runner {
        stage: stage.clone(),
        trace_dir,
        strace,
        runs: 0,
    };
    let before = record(&stage);
    assert!(before.len() >= 9, "the demo stage: {before:?}");

    // probe every medium, with its normal permissions.
    let mut probe: Vec<String> = vec!["probe".into()];
    for (p, f) in &before {
        let is_media = p.extension().is_some_and(|e| e == "wav" || e == "mov");
        if f.sha256.is_some()
            && is_media
            && !p.file_name().unwrap().to_string_lossy().starts_with("._")
        {
            probe.push(p.display().to_string());
        }
    }
    assert!(probe.len() >= 7, "{probe:?}");
    r.journey(
        &probe.iter().map(String::as_str).collect::<Vec<_>>(),
        &before,
    );

    // Read-only sources: check, pack and verify still succeed.
    chmod_all(&stage, 0o444, 0o555);
    let before = record(&stage);
    r.journey(&["check", job_s, "--quiet"], &before);
    r.journey(&["pack", job_s, "--quiet"], &before);
    let roots: Vec<PathBuf> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(roots.len(), 1, "{roots:?}");
    let root1 = roots[0].clone();
    r.journey(&["verify", root1.to_str().unwrap(), "--quiet"], &before);
    let guessed = tmp.path().join("guessed.yaml");
    r.journey(
        &[
            "init",
            stage.to_str().unwrap(),
            "-o",
            guessed.to_str().unwrap(),
        ],
        &before,
    );
    assert!(guessed.is_file(), "init wrote its job outside the stage");

    // A redelivery after one stem changed (the user's edit, re-recorded).
    chmod_all(&stage, 0o644, 0o755);
    change_one_stem(&stage.join("NT_OPT_walla_51.wav"));
    chmod_all(&stage, 0o444, 0o555);
    let before = record(&stage);
    let name1 = root1.file_name().unwrap().to_string_lossy().into_owned();
    let manifest1 = root1.join(format!("{name1}.yaml"));
    r.journey(
        &[
            "pack",
            job_s,
            "--quiet",
            "--previous",
            manifest1.to_str().unwrap(),
        ],
        &before,
    );
    let root2 = out.join(name1.replace("delivery01", "delivery02"));
    assert!(root2.is_dir(), "the redelivery was made");
    r.journey(&["verify", root2.to_str().unwrap(), "--quiet"], &before);

    // A dry run of the next one.
    let name2 = root2.file_name().unwrap().to_string_lossy().into_owned();
    let manifest2 = root2.join(format!("{name2}.yaml"));
    r.journey(
        &[
            "pack",
            job_s,
            "--dry-run",
            "--previous",
            manifest2.to_str().unwrap(),
        ],
        &before,
    );
    assert_eq!(
        fs::read_dir(&out).unwrap().count(),
        2,
        "the dry run wrote nothing"
    );
    if strace {
        assert!(r.runs >= 8, "every journey was traced");
    }
}

/// `pack --link hardlink` and `--link reflink` on a filesystem that can do
/// both (a btrfs image): read-only sources keep every fingerprint, the
/// trace sees the links made from the stage into the delivery and no
/// change to the stage, the hard links share the sources' inodes and the
/// reflinks do not, and both deliveries verify.
#[test]
fn hardlink_and_reflink_packs_leave_the_sources_alone() {
    let test = "hardlink_and_reflink_packs_leave_the_sources_alone";
    let tmp = tempfile::tempdir().unwrap();
    let disk = match crate::mount::Mount::btrfs(&tmp.path().join("btrfs"), 512) {
        Ok(m) => m,
        Err(why) => {
            crate::common::skip(test, &format!("cannot mount a btrfs image ({why})"));
            return;
        }
    };
    let strace = crate::common::have_tool("strace", test);
    for mode in ["hardlink", "reflink"] {
        let dir = crate::common::demo_at(&disk.dir.join(mode));
        let stage = dir.join("stage");
        let trace_dir = tmp.path().join(format!("traces-{mode}"));
        fs::create_dir(&trace_dir).unwrap();
        let mut r = Runner {
            stage: stage.clone(),
            trace_dir,
            strace,
            runs: 0,
        };
        chmod_all(&stage, 0o444, 0o555);
        let before = record(&stage);
        let job = dir.join("job.yaml");
        r.journey(
            &["pack", job.to_str().unwrap(), "--quiet", "--link", mode],
            &before,
        );
        let root = dir.join("deliveries/night_train_lp_delivery01");
        r.journey(&["verify", root.to_str().unwrap(), "--quiet"], &before);
        let inodes: Vec<u64> = before
            .keys()
            .filter_map(|p| fs::metadata(p).ok().filter(fs::Metadata::is_file))
            .map(|m| m.ino())
            .collect();
        let delivered: Vec<PathBuf> = walkdir::WalkDir::new(&root)
            .into_iter()
            .map(|e| e.unwrap().into_path())
            .filter(|p| p.extension().is_some_and(|e| e == "wav" || e == "mov"))
            .collect();
        assert_eq!(delivered.len(), 6, "{delivered:?}");
        for p in &delivered {
            let shared = inodes.contains(&fs::metadata(p).unwrap().ino());
            assert_eq!(shared, mode == "hardlink", "{mode}: {}", p.display());
        }
        if strace {
            assert_eq!(r.runs, 2, "both runs traced");
            // The filter saw the links from the stage and let them be.
            let pack = fs::read_to_string(r.trace_dir.join("trace1.txt")).unwrap();
            let from_stage = format!("\"{}/", stage.display());
            let made = pack.lines().filter(|l| match mode {
                "hardlink" => l.contains("linkat(") && l.contains(&from_stage),
                _ => l.contains("FICLONE"),
            });
            assert!(made.count() >= 6, "{mode}: every file linked in the trace");
        }
    }
}

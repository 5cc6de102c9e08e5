//! Source protection across the command-line journeys (issue 8, "Nothing
//! lost"): after `probe`, `check`, `pack`, `verify`, `init`, a redelivery
//! and `pack --dry-run`, every file under the stage folder (and the folder
//! itself) has the same bytes, size, mtime to the nanosecond and
//! permissions. Sources made read-only (0444, folder 0555) still pack,
//! check and verify; when `strace` is installed every syscall that names a
//! stage path is checked not to open it for writing nor change it by name, so the proof
//! holds even though the tests run as root.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Output;

use sha2::{Digest, Sha256};

use crate::common::mnepack;

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

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
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
            .args(["-f", "-qq", "-o"])
            .arg(&log)
            .arg(crate::common::bin())
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let trace = fs::read_to_string(&log).unwrap_or_default();
        (o, writes_to(&trace, &self.stage))
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

/// Syscall lines that open a path under `stage` for writing or change it
/// by name (other lines may carry a stage path as data, e.g. a `write` of
/// the report; metadata changes through a descriptor show in the
/// fingerprints instead).
fn writes_to(trace: &str, stage: &Path) -> Vec<String> {
    let needle = format!("\"{}", stage.display());
    trace
        .lines()
        .filter(|l| l.contains(&needle) && changes_by_name(l))
        .map(str::to_string)
        .collect()
}

/// Syscalls that change the path they name.
const CHANGES: &[&str] = &[
    "creat",
    "truncate",
    "unlink",
    "unlinkat",
    "rename",
    "renameat",
    "renameat2",
    "link",
    "linkat",
    "symlink",
    "symlinkat",
    "mkdir",
    "mkdirat",
    "rmdir",
    "mknod",
    "mknodat",
    "chmod",
    "fchmodat",
    "fchmodat2",
    "chown",
    "lchown",
    "fchownat",
    "utime",
    "utimes",
    "utimensat",
    "futimesat",
    "setxattr",
    "lsetxattr",
    "removexattr",
    "lremovexattr",
];

fn changes_by_name(line: &str) -> bool {
    let call = line
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.split('(').next())
        .unwrap_or("");
    if CHANGES.contains(&call) {
        return true;
    }
    if call == "open" || call == "openat" || call == "openat2" {
        return !line.contains("O_RDONLY")
            || ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"]
                .iter()
                .any(|f| line.contains(f));
    }
    false
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
    let dir = tmp.path().join("demo");
    let o = mnepack().arg("demo").arg(&dir).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
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

/// The trace filter itself: it must catch a write-open, a create, a rename
/// and a utime, and let read-only opens, stats and data through.
#[test]
fn the_trace_filter_catches_writes_to_the_stage() {
    let stage = Path::new("/s/stage");
    let trace = r#"
100 openat(AT_FDCWD, "/s/stage/a.wav", O_RDONLY|O_CLOEXEC) = 3
100 statx(AT_FDCWD, "/s/stage/a.wav", AT_STATX_SYNC_AS_STAT, STATX_ALL, {}) = 0
100 openat(AT_FDCWD, "/s/stage/a.wav", O_WRONLY|O_CLOEXEC) = 3
100 openat(AT_FDCWD, "/s/stage/new.wav", O_RDONLY|O_CREAT|O_CLOEXEC, 0644) = 3
100 rename("/s/stage/a.wav", "/s/stage/b.wav") = 0
100 utimensat(AT_FDCWD, "/s/stage/a.wav", NULL, 0) = 0
100 write(1, "/s/stage/a.wav: 48 kHz"..., 70) = 70
100 openat(AT_FDCWD, "/s/out/x.wav", O_WRONLY|O_CREAT|O_CLOEXEC, 0644) = 3
"#;
    let caught = writes_to(trace, stage);
    assert_eq!(caught.len(), 4, "{caught:#?}");
    assert!(caught.iter().all(|l| !l.contains("O_RDONLY|O_CLOEXEC)")));
}

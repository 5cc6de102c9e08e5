//! Hostile files through the binary, as a person or a script would hand
//! them over: `check`, `pack`, `verify` and `report` given `/dev/zero`, a sparse
//! 8 GiB file, a named pipe, deep nesting, invalid UTF-8, a directory, an
//! alias bomb, a job whose sources escape the stage, a manifest whose paths
//! escape its root. Each ends at once with exit 2 and a message naming the
//! file, no panic, within a few seconds and under a memory cap.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The address-space cap the binary runs under (`ulimit -v`, KiB).
const MEMORY_KIB: u64 = 1 << 20;
/// The longest any case may take.
const WITHIN: Duration = Duration::from_secs(10);

/// One hostile input: its name in the table and its path.
struct Case {
    what: &'static str,
    path: PathBuf,
}

/// Writes every hostile input into `dir`.
fn cases(dir: &Path) -> Vec<Case> {
    let at = |name: &str| dir.join(name);
    let fifo = at("pipe.yaml");
    rustix::fs::mkfifoat(
        rustix::fs::CWD,
        &fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
    )
    .unwrap();
    let sparse = at("sparse.yaml");
    std::fs::File::create(&sparse)
        .unwrap()
        .set_len(8 << 30)
        .unwrap();
    let deep = at("deep.yaml");
    std::fs::write(
        &deep,
        format!("title: {}{}\n", "[".repeat(200_000), "]".repeat(200_000)),
    )
    .unwrap();
    let utf8 = at("latin1.yaml");
    std::fs::write(&utf8, b"title: Caf\xe9\nunit: lp\nframe_rate: 24\n").unwrap();
    let folder = at("folder.yaml");
    std::fs::create_dir(&folder).unwrap();
    let bomb = at("bomb.yaml");
    std::fs::write(&bomb, super::yaml::alias_bomb_job()).unwrap();
    vec![
        Case {
            what: "/dev/zero",
            path: PathBuf::from("/dev/zero"),
        },
        Case {
            what: "a sparse 8 GiB file",
            path: sparse,
        },
        Case {
            what: "a named pipe",
            path: fifo,
        },
        Case {
            what: "200,000 levels of nesting",
            path: deep,
        },
        Case {
            what: "invalid UTF-8",
            path: utf8,
        },
        Case {
            what: "a directory",
            path: folder,
        },
        Case {
            what: "an alias bomb",
            path: bomb,
        },
    ]
}

/// Runs the binary with `args` under the memory cap; kills it after
/// [`WITHIN`]. Returns (exit code, stdout + stderr, time taken).
fn run_capped(args: &[&std::ffi::OsStr], cwd: &Path) -> (Option<i32>, String, Duration) {
    let bin = env!("CARGO_BIN_EXE_mnepack");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {MEMORY_KIB} && exec \"$0\" \"$@\""))
        .arg(bin)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > WITHIN {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let took = start.elapsed();
    let o = child.wait_with_output().unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    (o.status.code(), said, took)
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

/// Exit 2, the file named, no panic, in time.
fn assert_refused(cmd: &str, case: &str, named: &str, got: &(Option<i32>, String, Duration)) {
    let (code, said, took) = got;
    assert!(
        *took < WITHIN,
        "{cmd} on {case}: still running after {took:?}"
    );
    assert_eq!(*code, Some(2), "{cmd} on {case}: {said}");
    assert!(!said.contains("panicked"), "{cmd} on {case}: {said}");
    assert!(
        said.contains(named),
        "{cmd} on {case}: names {named}: {said}"
    );
}

#[test]
fn check_pack_and_verify_refuse_hostile_files_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let all = cases(tmp.path());
    // A job that is fine in itself, for the cases that hand the hostile
    // file over as its profile or previous delivery.
    let demo = crate::common::demo_at(&tmp.path().join("demo"));
    let job = demo.join("job.yaml");
    for case in &all {
        let path = case.path.as_os_str();
        let name = case
            .path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for cmd in ["check", "pack"] {
            let got = run_capped(&[os(cmd), path], tmp.path());
            assert_refused(cmd, case.what, &name, &got);
        }
        for cmd in ["verify", "report"] {
            let got = run_capped(&[os(cmd), path], tmp.path());
            assert_refused(cmd, case.what, &name, &got);
        }
        // The same file where a profile or a previous manifest is expected.
        let got = run_capped(
            &[os("check"), job.as_os_str(), os("--profile"), path],
            tmp.path(),
        );
        assert_refused("check --profile", case.what, &name, &got);
        let got = run_capped(
            &[os("pack"), job.as_os_str(), os("--previous"), path],
            tmp.path(),
        );
        assert_refused("pack --previous", case.what, &name, &got);
    }
}

/// A job whose sources climb out of the stage to a file that is not media,
/// and a manifest whose paths climb out of its root: refused, exit 2,
/// naming the path; nothing outside is read as a delivery or written.
#[test]
fn paths_that_escape_are_refused_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let job = tmp.path().join("job.yaml");
    std::fs::write(
        &job,
        "title: T\nunit: lp\nframe_rate: 24\noutput: out\nsources:\n  mne: ../../../../../../../../etc/passwd\n",
    )
    .unwrap();
    for cmd in ["check", "pack"] {
        let got = run_capped(&[os(cmd), job.as_os_str()], tmp.path());
        assert_refused(cmd, "a source outside the stage", "etc/passwd", &got);
    }
    assert!(!tmp.path().join("out").exists(), "nothing written");

    // A delivered root whose manifest is edited to point outside it.
    let demo = crate::common::demo_at(&tmp.path().join("demo"));
    let o = crate::common::mnepack()
        .args(["pack", "--quiet", demo.join("job.yaml").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let root = std::fs::read_dir(demo.join("deliveries"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let manifest = root.join(format!(
        "{}.yaml",
        root.file_name().unwrap().to_string_lossy()
    ));
    let text = std::fs::read_to_string(&manifest).unwrap();
    let first = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("- path: "))
        .unwrap()
        .to_string();
    let edited = text.replacen(&format!("path: {first}"), "path: ../../../etc/passwd", 1);
    assert_ne!(edited, text);
    std::fs::write(&manifest, edited).unwrap();
    let got = run_capped(&[os("verify"), manifest.as_os_str()], tmp.path());
    assert_refused(
        "verify",
        "a manifest path outside its root",
        "etc/passwd",
        &got,
    );
}

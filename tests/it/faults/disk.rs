//! A real small filesystem (a tmpfs mounted in a temp folder): too small
//! for the demo, `pack` refuses before writing anything; big enough, but
//! filled by someone else once the copy has started (or just before the
//! manifest), `pack` fails with the OS's "No space left on device" and
//! leaves nothing that looks delivered. Skips, saying why, when a tmpfs
//! cannot be mounted (not root, no CAP_SYS_ADMIN).

use crate::common::text;
use std::fs::{self, File};
use std::io::{ErrorKind, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use mnepack::progress::Event;

use super::{Demo, assert_nothing_delivered, expect_failure};
use crate::common::mnepack;
use crate::mount::Mount;

/// A tmpfs in `tmp`, or None after printing why the test skips.
fn tmpfs(tmp: &Path, mib: u32, test: &str) -> Option<Mount> {
    match Mount::tmpfs(&tmp.join("small-disk"), mib) {
        Ok(t) => Some(t),
        Err(reason) => {
            crate::common::skip(test, &format!("cannot mount a tmpfs ({reason})"));
            None
        }
    }
}

/// Fills the filesystem holding `dir` with a file `dir/filler`, until
/// the OS says it is full.
fn fill(dir: &Path) {
    let mut f = File::create(dir.join("filler")).unwrap();
    let chunk = vec![0xa5u8; 1 << 20];
    loop {
        match f.write(&chunk) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::StorageFull => break,
            Err(e) => panic!("filling the tmpfs: {e}"),
        }
    }
}

#[test]
fn a_disk_too_small_is_refused_before_any_write() {
    let demo = Demo::new();
    let Some(disk) = tmpfs(
        demo.tmp.path(),
        40,
        "a_disk_too_small_is_refused_before_any_write",
    ) else {
        return;
    };
    let job = demo.dir.join("job.yaml");
    let o = mnepack()
        .args(["pack", "--quiet", "--out"])
        .arg(&disk.dir)
        .arg(&job)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("not enough free space"), "{}", text(&o));
    assert!(
        text(&o).contains(&disk.dir.display().to_string()),
        "{}",
        text(&o)
    );
    assert_nothing_delivered(&disk.dir, demo.root_name());
    assert_eq!(
        fs::read_dir(&disk.dir).unwrap().count(),
        0,
        "nothing created on the small disk"
    );
}

/// Packs the demo (library) onto an 80 MiB tmpfs (the demo needs about
/// 58 MB plus the 16 MiB margin) and fills it when `when` says so.
fn fill_during_pack(test: &str, when: fn(&Event, &str) -> bool) {
    let demo = Demo::new();
    let Some(disk) = tmpfs(demo.tmp.path(), 80, test) else {
        return;
    };
    let mut phase = "";
    let mut filled = false;
    let result = demo.pack_into(&disk.dir, &mut |e, _| {
        if let Event::Start { phase: p, .. } = e {
            phase = *p;
        }
        if !filled && when(e, phase) {
            fill(&disk.dir);
            filled = true;
        }
    });
    assert!(filled, "the disk was never filled");
    let err = expect_failure(result);
    assert!(err.contains("No space left on device"), "{err}");
    assert_nothing_delivered(&disk.dir, demo.root_name());
    // What the pack left (only the staging folder, if anything) fits in the
    // space freed by removing the filler: nothing leaked onto the disk.
    fs::remove_file(disk.dir.join("filler")).unwrap();
    let names: Vec<String> = fs::read_dir(&disk.dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.is_empty() || names == [demo.root_name().to_string()],
        "{names:?}"
    );
}

#[test]
fn a_disk_that_fills_during_the_copy_fails_cleanly() {
    fill_during_pack(
        "a_disk_that_fills_during_the_copy_fails_cleanly",
        |e, phase| matches!(e, Event::Advance { .. }) && phase == "pack",
    );
}

#[test]
fn a_disk_that_fills_before_the_manifest_fails_cleanly() {
    // The end of the read-back: every file is staged and verified, the
    // renames need no space, the manifest write is the first to fail.
    fill_during_pack(
        "a_disk_that_fills_before_the_manifest_fails_cleanly",
        |e, phase| matches!(e, Event::Finish) && phase == "verify",
    );
}

/// The binary on a disk that fills mid-run: the pack stops itself (the
/// `copy:1` stop point: the first file staged, the second about to be
/// copied), the disk is filled, and it is let go; once space is freed, the
/// same command finishes the delivery.
#[test]
fn the_binary_exits_2_naming_enospc_when_the_disk_fills() {
    let test = "the_binary_exits_2_naming_enospc_when_the_disk_fills";
    if !crate::resume::have_stop_points(test) {
        return;
    }
    let demo = Demo::new();
    let Some(disk) = tmpfs(demo.tmp.path(), 80, test) else {
        return;
    };
    let mut child = mnepack()
        .args(["pack", "--quiet", "--out"])
        .arg(&disk.dir)
        .arg(demo.dir.join("job.yaml"))
        .env("MNEPACK_STOP_AT", "copy:1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    crate::resume::wait_stopped(&mut child, "copy:1");
    let pid = child.id().to_string();
    fill(&disk.dir);
    assert!(
        Command::new("kill")
            .args(["-CONT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("No space left on device"), "{}", text(&o));
    let named = demo
        .prepared
        .plan
        .items
        .iter()
        .any(|i| text(&o).contains(&i.source.display().to_string()));
    assert!(named, "names the file: {}", text(&o));
    assert_nothing_delivered(&disk.dir, demo.root_name());
    // Space freed, the same command finishes the delivery.
    fs::remove_file(disk.dir.join("filler")).unwrap();
    let o = mnepack()
        .args(["pack", "--quiet", "--out"])
        .arg(&disk.dir)
        .arg(demo.dir.join("job.yaml"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let root = disk.dir.join(demo.root_name());
    assert!(!root.join(".mnepack-staging").exists());
    let v = mnepack()
        .args(["verify", "--quiet"])
        .arg(&root)
        .output()
        .unwrap();
    assert!(v.status.success(), "{}", text(&v));
}

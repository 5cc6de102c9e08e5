//! A source that changes while `pack` reads it (library level): truncated
//! to half its size, deleted, or one byte rewritten with a new mtime, at
//! the first `Advance` of the first file (read whole in one block) and of
//! the M&E (read in several blocks, so caught mid-read), and of the audio
//! files read side by side for the conform analysis. The pack must fail
//! naming the source, and nothing may look delivered.

use std::fs::{self, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use mnepack::progress::Event;

use super::{Demo, assert_nothing_delivered, expect_failure};

#[derive(Debug, Clone, Copy)]
enum Tamper {
    Truncate,
    Delete,
    Rewrite,
}

fn tamper(path: &Path, how: Tamper) {
    match how {
        Tamper::Truncate => {
            let f = OpenOptions::new().write(true).open(path).unwrap();
            let len = f.metadata().unwrap().len();
            f.set_len(len / 2).unwrap();
        }
        Tamper::Delete => fs::remove_file(path).unwrap(),
        Tamper::Rewrite => {
            let mut f = OpenOptions::new().write(true).open(path).unwrap();
            let len = f.metadata().unwrap().len();
            f.seek(SeekFrom::Start(len - 10)).unwrap();
            f.write_all(&[0x5a]).unwrap();
            f.set_modified(SystemTime::now() + Duration::from_secs(7))
                .unwrap();
        }
    }
}

/// Packs the demo, tampering with `target` (a source file name, or the
/// first file read when None) at its first `Advance`. Returns the error,
/// the source tampered with, and the output folder.
fn pack_tampered(demo: &Demo, target: Option<&str>, how: Tamper) -> (String, PathBuf, PathBuf) {
    let out = demo.dir.join("deliveries");
    let mut phase = "";
    let mut done: Option<PathBuf> = None;
    let result = demo.pack_into(&out, &mut |e, current| {
        if let Event::Start { phase: p, .. } = e {
            phase = *p;
        }
        if let (Event::Advance { .. }, Some(src), None, "pack") = (e, current, &done, phase) {
            let wanted = target.is_none_or(|t| src.file_name().is_some_and(|n| n == t));
            if wanted {
                tamper(src, how);
                done = Some(src.to_path_buf());
            }
        }
    });
    let err = expect_failure(result);
    let src = done.expect("the observer never saw the target being read");
    (err, src, out)
}

fn check(target: Option<&str>, how: Tamper, want: &str) {
    let demo = Demo::new();
    let (err, src, out) = pack_tampered(&demo, target, how);
    let ctx = format!("{how:?} {target:?}: {err}");
    assert!(
        err.contains(&src.display().to_string()),
        "names the source: {ctx}"
    );
    assert!(err.contains(want), "says what happened ({want:?}): {ctx}");
    assert_nothing_delivered(&out, demo.root_name());
}

#[test]
fn a_source_truncated_while_read_fails_the_pack() {
    // Read whole in one block, then shrunk: caught by the size check after.
    check(None, Tamper::Truncate, "changed while it was being packed");
    // Shrunk after its first 4 MiB block: the read itself comes up short.
    check(
        Some("NT_ME_51.wav"),
        Tamper::Truncate,
        "changed while being read",
    );
}

#[test]
fn a_source_deleted_while_read_fails_the_pack() {
    check(None, Tamper::Delete, "No such file or directory");
    check(
        Some("NT_ME_51.wav"),
        Tamper::Delete,
        "No such file or directory",
    );
}

#[test]
fn a_source_rewritten_while_read_fails_the_pack() {
    check(None, Tamper::Rewrite, "changed while it was being packed");
    check(
        Some("NT_ME_51.wav"),
        Tamper::Rewrite,
        "changed while it was being packed",
    );
}

#[test]
fn a_source_truncated_while_read_side_by_side_fails_the_pack() {
    // As `pack` reads for the conform analysis: the audio files at once.
    // The M&E shrinks at the first block of that read; whether its own
    // read comes up short or the check after it sees the new size, the
    // pack fails naming it.
    let demo = Demo::side_by_side();
    let me = demo.dir.join("stage").join("NT_ME_51.wav");
    let out = demo.dir.join("deliveries");
    let (mut phase, mut together, mut done) = ("", false, false);
    let result = demo.pack_into(&out, &mut |e, current| match e {
        Event::Start { phase: p, .. } => phase = *p,
        Event::FileStart { .. } => together = current.is_none(),
        Event::Advance { .. } if phase == "pack" && together && !done => {
            tamper(&me, Tamper::Truncate);
            done = true;
        }
        _ => {}
    });
    assert!(done, "the side-by-side read was never seen");
    let err = expect_failure(result);
    assert!(
        err.contains(&me.display().to_string()),
        "names the M&E: {err}"
    );
    assert!(err.contains("changed while"), "says what happened: {err}");
    assert_nothing_delivered(&out, demo.root_name());
}

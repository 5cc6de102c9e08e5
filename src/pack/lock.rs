//! The lock of a delivery root being written: an advisory `flock` on
//! `.mnepack-staging/lock` holding the writer's pid, host and start time.
//! The kernel releases it when the process dies, however it dies, so a
//! second `pack` into the same root can tell "being written right now (by
//! whom)" from "left behind by a run that was killed".

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;

use rustix::fs::{FlockOperation, flock};

use super::fsops::STAGING;

/// The lock file's name inside the staging folder.
pub const LOCK: &str = "lock";

/// A held lock; released when dropped (or when the process ends).
#[derive(Debug)]
pub struct RootLock {
    _file: File,
}

/// Who holds (or held) a root, as written in its lock file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// A live process holds the lock; the text names it (pid, host, start).
    Live(String),
    /// Nobody holds it: the root was left by a run that was killed.
    Stale(String),
    /// The root has no lock file (not ours, or made by hand).
    Unknown,
}

/// Takes the lock of `root` (whose staging folder must exist; a lock file
/// left by a killed run is taken over) and writes this process's pid, host
/// and start time into it. Fails with `WouldBlock` when a live process
/// holds it.
pub fn acquire(root: &Path, host: &str, started: &str) -> io::Result<RootLock> {
    let path = root.join(STAGING).join(LOCK);
    let mut file = crate::input::open_regular_with(
        OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false),
        &path,
    )?;
    flock(&file, FlockOperation::NonBlockingLockExclusive).map_err(io::Error::from)?;
    file.set_len(0)?;
    let pid = std::process::id();
    writeln!(file, "pid {pid} on host {host}, started {started}")?;
    file.sync_all()?;
    Ok(RootLock { _file: file })
}

/// Who holds the lock of an existing `root`, without disturbing a live holder.
pub fn holder(root: &Path) -> Holder {
    let path = root.join(STAGING).join(LOCK);
    let Ok(mut file) = crate::input::open_regular(&path) else {
        return Holder::Unknown;
    };
    let mut text = String::new();
    let _ = (&mut file).take(4096).read_to_string(&mut text);
    let text = text.trim().to_string();
    match flock(&file, FlockOperation::NonBlockingLockShared) {
        Ok(()) => Holder::Stale(text),
        Err(_) => Holder::Live(text),
    }
}

/// This machine's host name (named in the lock and in the ASC MHL
/// creator info).
pub fn hostname() -> String {
    rustix::system::uname()
        .nodename()
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_is_live_and_a_dropped_one_is_stale() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(STAGING)).unwrap();
        assert_eq!(holder(dir.path()), Holder::Unknown);
        let lock = acquire(dir.path(), "stage-01", "2026-11-25T10:00:00Z").unwrap();
        let pid = std::process::id();
        match holder(dir.path()) {
            Holder::Live(t) => assert!(
                t.contains(&format!("pid {pid}")) && t.contains("stage-01"),
                "{t}"
            ),
            other => panic!("{other:?}"),
        }
        assert!(
            acquire(dir.path(), "x", "y").is_err(),
            "a second writer cannot take it"
        );
        drop(lock);
        assert!(matches!(holder(dir.path()), Holder::Stale(_)));
        let again = acquire(dir.path(), "stage-02", "later").unwrap();
        match holder(dir.path()) {
            Holder::Live(t) => assert!(t.contains("stage-02") && !t.contains("stage-01"), "{t}"),
            other => panic!("{other:?}"),
        }
        drop(again);
    }
}

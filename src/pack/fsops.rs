//! Filesystem operations of packing, each small and named: free space,
//! "is this path inside that one", same-filesystem test, hardlink and
//! reflink, fsync of a folder, direct I/O, and the staging-file naming.

use std::fs::{self, File};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Component, Path, PathBuf};

/// The name of the staging folder inside a delivery root.
pub const STAGING: &str = ".mnepack-staging";

/// Bytes available to an unprivileged writer on the filesystem holding `path`
/// (or its nearest existing ancestor).
pub fn free_space(path: &Path) -> io::Result<u64> {
    let existing = nearest_existing(path);
    let st = rustix::fs::statvfs(existing.as_path()).map_err(io::Error::from)?;
    Ok(st.f_bavail.saturating_mul(st.f_frsize))
}

/// The path itself if it exists, else its nearest existing ancestor (or `.`).
pub fn nearest_existing(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    loop {
        if p.exists() {
            return p;
        }
        if !p.pop() || p.as_os_str().is_empty() {
            return PathBuf::from(".");
        }
    }
}

/// Makes `path` absolute and free of `.`/`..` without touching the disk for
/// the parts that do not exist yet (existing parts are canonicalised, so
/// symlinks are resolved).
pub fn absolute(path: &Path) -> io::Result<PathBuf> {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()?.join(path)
    };
    let existing = nearest_existing(&abs);
    let mut out = fs::canonicalize(&existing)?;
    let rest = abs.strip_prefix(&existing).unwrap_or(Path::new(""));
    for c in rest.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::Normal(n) => out.push(n),
            _ => {}
        }
    }
    Ok(out)
}

/// True when `inner` is `outer` or lies below it (both absolute, normalised).
pub fn is_within(inner: &Path, outer: &Path) -> bool {
    inner.starts_with(outer)
}

/// True when both paths (or their nearest existing ancestors) are on one filesystem.
pub fn same_filesystem(a: &Path, b: &Path) -> bool {
    match (
        fs::metadata(nearest_existing(a)),
        fs::metadata(nearest_existing(b)),
    ) {
        (Ok(x), Ok(y)) => x.dev() == y.dev(),
        _ => false,
    }
}

/// Clones `src` into a new file `dst` sharing its blocks (copy-on-write), where
/// the filesystem supports it (Btrfs, XFS, bcachefs). Fails otherwise.
pub fn reflink(src: &Path, dst: &Path) -> io::Result<()> {
    let from = File::open(src)?;
    let to = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(dst)?;
    match rustix::fs::ioctl_ficlone(&to, &from) {
        Ok(()) => Ok(()),
        Err(e) => {
            drop(to);
            let _ = fs::remove_file(dst);
            Err(io::Error::from(e))
        }
    }
}

/// fsync of a folder, so a rename or a new entry in it survives a power loss.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// The filesystems of a local disk where direct writes work and are the
/// fast way (ext2/3/4, XFS, Btrfs, F2FS, by their `statfs` magic). On the
/// others (network shares, FUSE, tmpfs) a copy goes through the page
/// cache as usual: a direct write there is a round trip to the server
/// each time, or nothing gained.
const DIRECT_FILESYSTEMS: [i128; 4] = [0xEF53, 0x5846_5342, 0x9123_683E, 0xF2F5_2010];

/// True when `file` lies on a local disk's filesystem where direct writes
/// work and are the fast way (ext2/3/4, XFS, Btrfs, F2FS).
pub fn direct_suits(file: &File) -> bool {
    rustix::fs::fstatfs(file).is_ok_and(|st| DIRECT_FILESYSTEMS.contains(&i128::from(st.f_type)))
}

/// Turns direct I/O (`O_DIRECT`: writes go from the caller's memory to
/// the disk, not through the page cache) on or off for an open file. An
/// error when the filesystem does not do it.
pub fn set_direct(file: &File, on: bool) -> io::Result<()> {
    use rustix::fs::OFlags;
    let flags = rustix::fs::fcntl_getfl(file)?;
    let flags = if on {
        flags | OFlags::DIRECT
    } else {
        flags - OFlags::DIRECT
    };
    rustix::fs::fcntl_setfl(file, flags)?;
    Ok(())
}

/// Tells the kernel a file will be read sequentially once (best effort).
pub fn advise_sequential(file: &File) {
    let _ = rustix::fs::fadvise(file, 0, None, rustix::fs::Advice::Sequential);
}

/// Drops a file's cached pages so a read-back reads the disk (best effort;
/// only clean pages can be dropped, so the file must be fsynced first).
pub fn drop_cache(file: &File) {
    let _ = rustix::fs::fadvise(file, 0, None, rustix::fs::Advice::DontNeed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_resolves_dots_in_missing_parts() {
        let dir = tempfile::tempdir().unwrap();
        let base = fs::canonicalize(dir.path()).unwrap();
        let p = absolute(&base.join("a/../b/./c")).unwrap();
        assert_eq!(p, base.join("b/c"));
        assert!(is_within(&p, &base));
        assert!(!is_within(&base, &p));
    }

    #[test]
    fn no_direct_writes_on_tmpfs() {
        // tmpfs is memory: nothing to gain from direct writes there.
        let shm = Path::new("/dev/shm");
        if !rustix::fs::statfs(shm).is_ok_and(|st| i128::from(st.f_type) == 0x0102_1994) {
            eprintln!("skipped no_direct_writes_on_tmpfs: /dev/shm is not a tmpfs");
            return;
        }
        let f = tempfile::tempfile_in(shm).unwrap();
        assert!(!direct_suits(&f));
    }

    #[test]
    fn free_space_of_a_missing_path_uses_its_parent() {
        let dir = tempfile::tempdir().unwrap();
        assert!(free_space(&dir.path().join("not/yet")).unwrap() > 0);
        assert!(same_filesystem(dir.path(), &dir.path().join("x")));
    }
}

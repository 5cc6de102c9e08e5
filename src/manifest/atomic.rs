//! Atomic writes: a temp file in the same folder, written, fsynced, renamed
//! over the target, then the folder fsynced, so a reader sees the old file
//! or the new one, never half of one. [`write_manifest_files`] writes the
//! three manifest files of a delivery root in the order the tamper check
//! needs (YAML, then `.sha256` with the YAML's digest, then MHL).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{CreatorInfo, Manifest, manifest_file_names, mhl_packing_list, sha256_list, to_yaml};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Replaces `path` with `bytes` atomically (temp file `.<name>.tmp-<pid>-<n>`
/// in the same folder, fsync, rename, fsync of the folder). On error the
/// temp file is removed and the old `path`, if any, is untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(
        ".{}.tmp-{}-{n}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        fs::rename(&tmp, path)?;
        sync_dir(&dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    // Folders cannot be opened for fsync on this platform; rename is durable enough.
    Ok(())
}

/// Where [`write_manifest_files`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestPaths {
    /// `<root>/<root>.yaml`.
    pub yaml: PathBuf,
    /// `<root>/<root>.sha256`.
    pub sha256: PathBuf,
    /// `<root>/<root>.mhl`.
    pub mhl: PathBuf,
}

/// Writes `<dir>/<root>.yaml`, `.sha256` and `.mhl` for `m` (where `<root>`
/// is `m.delivery.root`; `dir` is normally the delivery root folder itself),
/// each atomically, YAML first.
pub fn write_manifest_files(
    dir: &Path,
    m: &Manifest,
    creator: &CreatorInfo,
) -> crate::Result<ManifestPaths> {
    let [yaml_name, sha_name, mhl_name] = manifest_file_names(&m.delivery.root);
    let paths = ManifestPaths {
        yaml: dir.join(yaml_name),
        sha256: dir.join(sha_name),
        mhl: dir.join(mhl_name),
    };
    let yaml = to_yaml(m).map_err(|e| crate::Error::Manifest {
        path: paths.yaml.clone(),
        message: e.to_string(),
    })?;
    let write = |path: &Path, text: &str| {
        write_atomic(path, text.as_bytes()).map_err(|e| crate::Error::io("cannot write", path, e))
    };
    write(&paths.yaml, &yaml)?;
    write(&paths.sha256, &sha256_list(m, &yaml))?;
    write(&paths.mhl, &mhl_packing_list(m, creator))?;
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn failure_keeps_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("d");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("x"), b"keep").unwrap();
        // Renaming a file over a non-empty folder fails; nothing is left behind.
        assert!(write_atomic(&target, b"new").is_err());
        assert_eq!(fs::read(target.join("x")).unwrap(), b"keep");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}

//! Real small filesystems for tests, mounted in a temp folder and unmounted
//! on drop: a tmpfs (to fill a disk) and a btrfs loop image (a filesystem
//! that can reflink). Mounting needs root (CAP_SYS_ADMIN) and, for the
//! image, `mkfs.btrfs` and a loop device; `.ci/run` has all three. A test
//! that cannot mount calls [`crate::common::skip`], which fails under
//! `MNEPACK_REQUIRE_TOOLS=1`.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A mounted filesystem, unmounted on drop.
pub struct Mount {
    /// Where it is mounted.
    pub dir: PathBuf,
}

/// Runs `cmd`; its stderr when it fails.
fn run(cmd: &mut Command) -> Result<(), String> {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

impl Mount {
    /// Mounts a tmpfs of `mib` MiB on a new folder `dir`, or says why not.
    pub fn tmpfs(dir: &Path, mib: u32) -> Result<Mount, String> {
        fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        run(Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={mib}M"), "tmpfs"])
            .arg(dir))?;
        Ok(Mount {
            dir: dir.to_path_buf(),
        })
    }

    /// Makes a sparse btrfs image of `mib` MiB beside `dir` and mounts it
    /// on a new folder `dir` through a loop device, or says why not.
    pub fn btrfs(dir: &Path, mib: u64) -> Result<Mount, String> {
        fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let image = dir.with_extension("img");
        fs::File::create(&image)
            .and_then(|f| f.set_len(mib << 20))
            .map_err(|e| e.to_string())?;
        run(Command::new("mkfs.btrfs").arg("-q").arg(&image))?;
        run(Command::new("mount")
            .args(["-o", "loop"])
            .arg(&image)
            .arg(dir))?;
        Ok(Mount {
            dir: dir.to_path_buf(),
        })
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let ok = Command::new("umount")
            .arg(&self.dir)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        }
    }
}

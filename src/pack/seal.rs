//! The last step of a pack: the manifest and the report, written inside the staging
//! folder (so a kill never leaves a half-written one in the root) and
//! renamed into the root, then the journal, the lock and the staging
//! folder removed. Until that removal the root is marked unfinished, and a
//! run killed in between is resumed like any other.

use std::fs;
use std::path::PathBuf;

use super::fsops;
use super::journal::Journal;
use super::lock::RootLock;
use super::request::Packed;
use super::resume;
use super::stop_point;
use crate::error::{Error, Result};
use crate::manifest::{CreatorInfo, Manifest, ManifestPaths, write_atomic, write_manifest_files};

/// Every file in its upload folder, the root still locked and marked
/// unfinished: what `write_files` hands over for the manifest.
#[derive(Debug)]
pub struct Written {
    /// What was packed.
    pub packed: Packed,
    /// Each file's name in staging, in plan order.
    pub(super) names: Vec<String>,
    /// The staging folder.
    pub(super) staging: PathBuf,
    pub(super) _journal: Journal,
    pub(super) _lock: RootLock,
}

impl Written {
    /// Writes the manifest into the root and removes the staging folder:
    /// the delivery is complete. On failure the files go back into staging
    /// (nothing in an upload folder, no manifest) and the root stays for
    /// the same command to resume.
    pub fn seal(
        self,
        manifest: &Manifest,
        creator: &CreatorInfo,
        report: &str,
    ) -> Result<ManifestPaths> {
        let root = self.packed.root.clone();
        let result = self.place_manifest(manifest, creator, report);
        if result.is_err() {
            let finals: Vec<String> = self
                .packed
                .files
                .iter()
                .map(|f| f.rel_path.clone())
                .collect();
            let _ = resume::unfinalise(&root, &self.names, &finals);
        }
        let paths = result?;
        let staging = self.staging.clone();
        stop_point::reached("sealed");
        // Releasing the lock last: nobody may take the root before it is done.
        fs::remove_dir_all(&staging).map_err(|e| Error::io("cannot remove", &staging, e))?;
        fsops::sync_dir(&root).map_err(|e| Error::io("cannot sync", &root, e))?;
        drop(self);
        Ok(paths)
    }

    fn place_manifest(
        &self,
        manifest: &Manifest,
        creator: &CreatorInfo,
        report: &str,
    ) -> Result<ManifestPaths> {
        let root = &self.packed.root;
        let staged = write_manifest_files(&self.staging, manifest, creator)?;
        let staged_report = staged.yaml.with_extension("html");
        write_atomic(&staged_report, report.as_bytes())
            .map_err(|e| Error::io("cannot write", &staged_report, e))?;
        stop_point::reached("manifest-staged");
        let fin = ManifestPaths {
            yaml: root.join(file_name(&staged.yaml)),
            sha256: root.join(file_name(&staged.sha256)),
            mhl: root.join(file_name(&staged.mhl)),
        };
        let fin_report = root.join(file_name(&staged_report));
        // The report first, the YAML last: the manifest's arrival completes
        // the root.
        for (from, to) in [
            (&staged_report, &fin_report),
            (&staged.mhl, &fin.mhl),
            (&staged.sha256, &fin.sha256),
            (&staged.yaml, &fin.yaml),
        ] {
            fs::rename(from, to).map_err(|e| Error::io("cannot move the manifest to", to, e))?;
            stop_point::reached("manifest-placed");
        }
        fsops::sync_dir(root).map_err(|e| Error::io("cannot sync", root, e))?;
        Ok(fin)
    }
}

fn file_name(p: &std::path::Path) -> &std::ffi::OsStr {
    p.file_name().unwrap_or_default()
}

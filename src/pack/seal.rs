//! The last stage of a pack, once the gate gave the final paths: every new
//! file read back from the disk (its cache dropped) against the digests of
//! the one read, every file renamed into its upload folder, the folders
//! fsynced ([`place`]); then the manifest and the report, written inside
//! the staging folder (so a kill never leaves a half-written one in the
//! root) and renamed into the root, and the journal, the lock and the
//! staging folder removed ([`Written::seal`]). Until that removal the root
//! is marked unfinished, and a run killed in between is resumed like any
//! other.

use std::fs;
use std::path::{Path, PathBuf};

use super::fsops;
use super::request::{Packed, PackedFile};
use super::resume;
use super::root::OpenRoot;
use super::stop_point;
use crate::error::{Error, Refusal, Result};
use crate::manifest::{CreatorInfo, Manifest, ManifestPaths, write_atomic, write_manifest_files};
use crate::plan::Plan;
use crate::progress::{Cancel, Event, Observer};
use crate::stream::digest::reread;

/// Every file in its upload folder, the root still locked and marked
/// unfinished: what [`place`] hands over for the manifest.
#[derive(Debug)]
pub struct Written {
    /// What was packed.
    pub packed: Packed,
    /// Each file's name in staging, in plan order.
    names: Vec<String>,
    /// The staging folder.
    staging: PathBuf,
    root: OpenRoot,
}

/// Reads back every new file (when `verify`) and renames every file into
/// its upload folder under `finals` (already journalled). On failure the
/// files are taken back into staging and kept for a resume.
pub fn place(
    mut root: OpenRoot,
    plan: &Plan,
    mut files: Vec<PackedFile>,
    finals: Vec<String>,
    verify: bool,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<Written> {
    for (file, path) in files.iter_mut().zip(finals) {
        file.rel_path = path;
    }
    if let Err(e) = into_place(&mut root, plan, &mut files, verify, observer, cancel) {
        return Err(root.fail(e, plan.items.len(), observer));
    }
    Ok(Written {
        packed: Packed {
            root: root.root.clone(),
            files,
            created: root.created,
        },
        names: plan.items.iter().map(|i| i.name.clone()).collect(),
        staging: root.staging.clone(),
        root,
    })
}

fn into_place(
    root: &mut OpenRoot,
    plan: &Plan,
    files: &mut [PackedFile],
    verify: bool,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<()> {
    let (staging, top) = (root.staging.as_path(), root.root.as_path());
    if verify {
        read_back(staging, plan, files, observer, cancel)?;
    }
    for folder in &plan.folders {
        let dir = top.join(folder);
        match fs::create_dir(&dir) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                return Err(Error::io("cannot create", &dir, e));
            }
            _ => {}
        }
    }
    for (index, (item, file)) in plan.items.iter().zip(files.iter()).enumerate() {
        let from = staging.join(&item.name);
        let to = top.join(&file.rel_path);
        if let Err(e) = fs::rename(&from, &to) {
            let names: Vec<String> = plan.items.iter().map(|i| i.name.clone()).collect();
            let finals: Vec<String> = files.iter().map(|f| f.rel_path.clone()).collect();
            let _ = resume::unfinalise(top, &names, &finals);
            return Err(Error::io("cannot move into the upload folder", &to, e));
        }
        stop_point::reached(&format!("renamed:{index}"));
    }
    for folder in &plan.folders {
        let dir = top.join(folder);
        fsops::sync_dir(&dir).map_err(|e| Error::io("cannot sync", &dir, e))?;
    }
    fsops::sync_dir(top).map_err(|e| Error::io("cannot sync", top, e))
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
        drop(self.root);
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

fn read_back(
    staging: &Path,
    plan: &Plan,
    files: &mut [PackedFile],
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<()> {
    let todo = files.iter().filter(|f| !f.verified);
    let total: u64 = todo.clone().map(|f| f.size).sum();
    observer.event(Event::Start {
        phase: "verify",
        files: todo.count(),
        total_bytes: total,
    });
    // A file re-used by a resume was verified by the read that re-used it.
    for (index, (item, file)) in plan.items.iter().zip(files.iter_mut()).enumerate() {
        if file.verified {
            continue;
        }
        let mut first = true;
        let path = staging.join(&item.name);
        observer.event(Event::FileStart {
            name: item.name.clone(),
            size: file.size,
        });
        let again = reread(&path, file.size, cancel, &mut |n| {
            observer.event(Event::Advance { bytes: n });
            if std::mem::take(&mut first) {
                stop_point::reached(&format!("verify:{index}"));
            }
        })
        .map_err(|e| match e {
            crate::stream::StreamError::Cancelled => Error::Interrupted,
            other => Refusal::ReadBack {
                what: format!("{}: {other}", path.display()),
            }
            .into(),
        })?;
        if !file.digests.same_bytes(&again) {
            return Err(Refusal::ReadBack {
                what: format!(
                    "{} does not match what was written (sha256 {} != {}): the disk or the source is not reliable",
                    file.rel_path, again.sha256, file.digests.sha256
                ),
            }
            .into());
        }
        file.verified = true;
        observer.event(Event::FileDone {
            name: item.name.clone(),
        });
    }
    observer.event(Event::Finish);
    Ok(())
}

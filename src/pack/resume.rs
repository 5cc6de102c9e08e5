//! Resuming a delivery root left unfinished: put every file of the run
//! back into staging (a kill may have come during the renames or after the
//! manifest), and re-use each file the journal records as staged once its
//! source is unchanged and a fresh read of the staged copy gives the same
//! size and digests. Anything else is staged again.

use std::fs;
use std::io;
use std::path::Path;

use chrono::{DateTime, Utc};

use super::fsops::{self, STAGING};
use super::journal::{self, Journal, Loaded, SourceStamp, Staged};
use super::request::PackedFile;
use crate::error::{Error, Result};
use crate::manifest::manifest_file_names;
use crate::plan::{Plan, PlanItem};
use crate::progress::{Cancel, Event, Observer};
use crate::stream::StreamError;
use crate::stream::digest::reread;

/// Opens the journal of an unfinished root for appending, after moving any
/// file that reached an upload folder back into staging and removing a
/// manifest written before the kill (it is written again at the end).
pub fn reopen(
    root: &Path,
    plan: &Plan,
    loaded: &Loaded,
    observer: &mut dyn Observer,
) -> io::Result<Journal> {
    observer.event(Event::Note(format!(
        "resuming the unfinished delivery {}: {} of {} files were staged",
        root.display(),
        loaded.staged.len(),
        plan.items.len()
    )));
    let names: Vec<String> = plan.items.iter().map(|i| i.name.clone()).collect();
    // Upload folders exist only once the final paths are journaled.
    if let Some(finals) = &loaded.finals {
        unfinalise(root, &names, finals)?;
    }
    Journal::reopen(&root.join(STAGING))
}

/// Takes a delivery back to "everything in staging": removes the manifest
/// from the root, renames each file found at its final path (and not in
/// staging) back to its staging name, and removes the emptied upload
/// folders.
pub fn unfinalise(root: &Path, names: &[String], finals: &[String]) -> io::Result<()> {
    if let Some(root_name) = root.file_name().and_then(|n| n.to_str()) {
        for name in manifest_file_names(root_name) {
            match fs::remove_file(root.join(name)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
    }
    let staging = root.join(STAGING);
    for (name, fin) in names.iter().zip(finals) {
        let (from, to) = (root.join(fin), staging.join(name));
        if from.is_file() && !to.exists() {
            fs::rename(&from, &to)?;
        }
    }
    fsops::sync_dir(&staging)?;
    // The upload folders, now empty, go too: an unfinished root holds
    // nothing but its staging folder.
    for fin in finals {
        if let Some(folder) = Path::new(fin)
            .parent()
            .filter(|f| !f.as_os_str().is_empty())
        {
            match fs::remove_dir(root.join(folder)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
    }
    fsops::sync_dir(root)
}

/// The manifest's timestamp recorded by the run being resumed.
pub fn created(loaded: &Loaded, fallback: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(&loaded.created).map_or(fallback, |t| t.with_timezone(&Utc))
}

/// The file the journal recorded for `item`, re-used when its source is
/// unchanged and the staged copy reads back to the same size and digests
/// (that read is also its verification). `None` means: stage it again.
pub fn reuse(
    staging: &Path,
    item: &PlanItem,
    kept: Option<&Staged>,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<Option<PackedFile>> {
    let Some(kept) = kept else { return Ok(None) };
    let path = staging.join(&item.name);
    let source_now = fs::metadata(&item.source).map(|m| SourceStamp::of(&m));
    let staged_len = fs::metadata(&path).map(|m| m.len());
    if kept.name != item.name
        || kept.size != item.size
        || source_now.ok() != Some(kept.source)
        || staged_len.ok() != Some(kept.size)
    {
        return Ok(None);
    }
    observer.event(Event::FileStart {
        name: item.name.clone(),
        size: kept.size,
    });
    let read = reread(&path, kept.size, cancel, &mut |n| {
        observer.event(Event::Advance { bytes: n });
    });
    match read {
        Err(StreamError::Cancelled) => return Err(Error::Interrupted),
        Ok(again) if kept.digests.same_bytes(&again) => {}
        Ok(_) | Err(_) => return Ok(None),
    }
    observer.event(Event::FileDone {
        name: item.name.clone(),
    });
    if let Some(m) = &kept.measurements {
        observer.event(Event::Measured {
            name: item.name.clone(),
            measurements: Box::new(m.clone()),
        });
    }
    Ok(Some(PackedFile {
        rel_path: item.rel_path(),
        size: kept.size,
        method: kept.method,
        digests: kept.digests.clone(),
        measurements: kept.measurements.clone(),
        verified: true,
    }))
}

/// True when `root` holds a journal, i.e. was left by a pack that can be
/// resumed by running it again.
pub fn has_journal(root: &Path) -> bool {
    root.join(STAGING).join(journal::JOURNAL).is_file()
}

//! The write phase of `pack`: refusals before any write, then one read per
//! source into the staging folder (hashes + analysis + copy), each
//! finished file recorded in the journal, read-back verify, and the rename
//! of every finished file into its upload folder. The manifest and the
//! removal of the staging folder follow in [`Written::seal`]. Nothing ever
//! sits in an upload folder unfinished; an interrupted run keeps its
//! finished staged files for the next run to resume.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::fsops::{self, STAGING};
use super::journal::{self, Journal, Loaded};
use super::lock::{self, Holder};
pub use super::request::{Gate, PackOptions, Packed, PackedFile, analysis_params};
use super::resume;
pub use super::seal::Written;
use super::stage::LinkMode;
use super::steps::WritePhase;
use crate::error::{Error, Refusal, Result};
use crate::plan::Plan;
use crate::progress::{Cancel, Event, Observer};

/// The delivery root a plan would create under `output`.
pub fn root_for(plan: &Plan, output: &Path) -> PathBuf {
    output.join(&plan.root_name)
}

/// Where a pack starts: the absolute delivery root and, when that root was
/// left unfinished by a killed or interrupted run of the same job, what its
/// journal says.
#[derive(Debug, Clone)]
pub struct Ready {
    /// The absolute delivery root.
    pub root: PathBuf,
    /// The journal of the run this one resumes.
    pub resume: Option<Loaded>,
}

/// Every reason to refuse before writing anything: a missing or unreadable
/// source, an output inside a source folder, an existing delivery root
/// (unless it is an unfinished run of this same job, which is resumed),
/// too little free space.
pub fn preflight(plan: &Plan, opts: &PackOptions) -> Result<Ready> {
    let output =
        fsops::absolute(&opts.output).map_err(|e| Error::io("cannot resolve", &opts.output, e))?;
    let root = root_for(plan, &output);
    let mut need: u64 = 0;
    for item in &plan.items {
        let meta = fs::metadata(&item.source)
            .map_err(|e| Error::io("cannot read source", &item.source, e))?;
        if !meta.is_file() {
            return Err(Refusal::SourceNotAFile(item.source.clone()).into());
        }
        crate::input::open_regular(&item.source)
            .map_err(std::io::Error::from)
            .map_err(|e| Error::io("cannot open source", &item.source, e))?;
        let src_abs = fsops::absolute(&item.source)
            .map_err(|e| Error::io("cannot resolve", &item.source, e))?;
        if let Some(folder) = src_abs.parent()
            && fsops::is_within(&root, folder)
        {
            return Err(Refusal::RootInsideSource {
                root: root.clone(),
                folder: folder.to_path_buf(),
            }
            .into());
        }
        if opts.link == LinkMode::Copy || !fsops::same_filesystem(&item.source, &output) {
            need = need.saturating_add(meta.len());
        }
    }
    let resume = if root.exists() {
        Some(resumable(&root, plan, opts)?)
    } else {
        None
    };
    if let Some(r) = &resume {
        need = need.saturating_sub(r.staged_bytes());
    }
    let free = fsops::free_space(&output)
        .map_err(|e| Error::io("cannot measure free space on", &output, e))?;
    // Headroom for the manifest and filesystem metadata.
    let margin = 16 << 20;
    if free < need.saturating_add(margin) {
        return Err(Refusal::NoSpace {
            output: output.clone(),
            need,
            free,
        }
        .into());
    }
    Ok(Ready { root, resume })
}

/// The journal of an existing `root` when this job may resume it: left by
/// a run that is gone, of the same plan and options. Otherwise the reason
/// it cannot be packed into.
fn resumable(root: &Path, plan: &Plan, opts: &PackOptions) -> Result<Loaded> {
    let Holder::Stale(who) = lock::holder(root) else {
        return Err(Refusal::RootExists(root_exists(root)).into());
    };
    let staging = root.join(STAGING);
    match journal::read(&staging) {
        Ok(Some(j)) if j.fingerprint == journal::fingerprint(plan, opts) => Ok(j),
        Ok(Some(_)) => Err(Refusal::OtherJob {
            root: root.to_path_buf(),
            who,
        }
        .into()),
        Ok(None) | Err(_) => Err(Refusal::RootExists(root_exists(root)).into()),
    }
}

/// What `write_files` ended with.
#[derive(Debug)]
pub enum WriteOutcome {
    /// Every file is in its upload folder; the root is still marked
    /// unfinished (and locked) until [`Written::seal`] writes the manifest.
    Done(Written),
    /// The gate refused: nothing was delivered and the root was removed.
    Blocked,
}

/// Why an existing delivery root cannot be packed into: being written now
/// (naming the holder), left by a killed run, or simply delivered already.
pub fn root_exists(root: &Path) -> String {
    match lock::holder(root) {
        Holder::Live(who) => format!(
            "the delivery root {} is being written right now by mnepack {who}; wait for it to finish",
            root.display()
        ),
        Holder::Stale(who) => format!(
            "the delivery root {} was left unfinished by a pack that was killed ({who}); remove it and pack again",
            root.display()
        ),
        Holder::Unknown => format!(
            "the delivery root {} already exists; mnepack never overwrites a delivery (remove it, or pack a redelivery)",
            root.display()
        ),
    }
}

/// Writes every planned file into its upload folder through the staging
/// folder, journaling each finished file so that a run killed at any point
/// can be resumed by running it again (a root left unfinished by this same
/// job is resumed: files kept in staging whose size and hash still match
/// are re-used). Checks `preflight` first. A closed gate removes the root;
/// an error or a cancel keeps what is staged (nothing is in an upload
/// folder) when there is something to resume, and removes the root
/// otherwise.
pub fn write_files(
    plan: &Plan,
    opts: &PackOptions,
    now: DateTime<Utc>,
    gate: Gate<'_>,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<WriteOutcome> {
    let Ready { root, resume } = preflight(plan, opts)?;
    let staging = root.join(STAGING);
    if resume.is_none() {
        fs::create_dir_all(root.parent().unwrap_or(Path::new("/")))
            .map_err(|e| Error::io("cannot create", &opts.output, e))?;
        // create_dir (not _all): fails if another run created the root meanwhile.
        fs::create_dir(&root)
            .map_err(|e| Error::io("cannot create the delivery root", &root, e))?;
        if let Err(e) = fs::create_dir(&staging) {
            let _ = fs::remove_dir_all(&root);
            return Err(Error::io("cannot create", &staging, e));
        }
    }
    let started = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let lock = lock::acquire(&root, &lock::hostname(), &started).map_err(|e| {
        if e.kind() == std::io::ErrorKind::WouldBlock {
            Refusal::RootExists(root_exists(&root)).into()
        } else {
            Error::io("cannot lock", &staging, e)
        }
    })?;
    let opened = match &resume {
        None => Journal::create(&staging, &journal::fingerprint(plan, opts), &started)
            .map(|j| (j, Loaded::default(), now)),
        Some(loaded) => resume::reopen(&root, plan, loaded, observer)
            .map(|j| (j, loaded.clone(), resume::created(loaded, now))),
    };
    let (mut journal, loaded, created) = match opened {
        Ok(x) => x,
        Err(e) => {
            if resume.is_none() {
                let _ = fs::remove_dir_all(&root);
            }
            return Err(Error::io("cannot write the journal in", &staging, e));
        }
    };
    let mut job = WritePhase {
        root: &root,
        staging: &staging,
        plan,
        opts,
        journal: &mut journal,
        loaded: &loaded,
    };
    match job.write(gate, observer, cancel) {
        Ok(Some(files)) => Ok(WriteOutcome::Done(Written {
            packed: Packed {
                root: root.clone(),
                files,
                created,
            },
            names: plan.items.iter().map(|i| i.name.clone()).collect(),
            staging,
            _journal: journal,
            _lock: lock,
        })),
        Ok(None) => {
            drop(lock);
            let _ = fs::remove_dir_all(&root);
            Ok(WriteOutcome::Blocked)
        }
        Err(e) => {
            let kept = journal::read(&staging)
                .ok()
                .flatten()
                .map_or(0, |j| j.staged.len());
            drop(lock);
            if kept == 0 {
                let _ = fs::remove_dir_all(&root);
            } else {
                observer.event(Event::Note(format!(
                    "{kept} of {} files are staged and kept in {}; nothing is in an upload folder. Run the same command again to resume, or remove {} to start over",
                    plan.items.len(),
                    staging.display(),
                    root.display()
                )));
            }
            Err(e)
        }
    }
}

//! A delivery root while a pack writes it: created (or, left unfinished by
//! a killed run of this same job, reopened), locked, and journalled. One
//! [`OpenRoot`] owns the lock and the journal from the moment the root is
//! taken until the seal removes its staging folder; every stage after
//! `prepare` writes through it. Its ends: sealed (see `seal`), abandoned
//! (QC closed the gate: the root removed), or failed (what is staged is
//! kept for a resume when there is any, else the root removed).

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::fsops::STAGING;
use super::journal::{self, Journal, Loaded, Record, SourceStamp, Staged};
use super::lock::{self, RootLock};
use super::prepare::{Ready, root_exists};
use super::request::{PackOptions, PackedFile};
use super::resume;
use super::stop_point;
use crate::error::{Error, Refusal, Result};
use crate::plan::{Plan, PlanItem};
use crate::progress::{Event, Observer};

/// A delivery root being written: locked, with its journal open.
#[derive(Debug)]
pub struct OpenRoot {
    /// The absolute delivery root.
    pub root: PathBuf,
    /// Its staging folder.
    pub staging: PathBuf,
    /// What the journal of the run being resumed said (empty for a new root).
    pub loaded: Loaded,
    /// The time that stamps the manifest: this run's start, or the start
    /// of the run it resumes (so a resumed delivery is identical).
    pub created: DateTime<Utc>,
    journal: Journal,
    _lock: RootLock,
}

impl OpenRoot {
    /// Takes the root `ready` names: creates it with its staging folder,
    /// or reopens the unfinished one it found (files that reached an upload
    /// folder go back into staging); then locks it and opens the journal.
    pub fn open(
        ready: Ready,
        plan: &Plan,
        opts: &PackOptions,
        now: DateTime<Utc>,
        observer: &mut dyn Observer,
    ) -> Result<Self> {
        let Ready { root, resume } = ready;
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
        match opened {
            Ok((journal, loaded, created)) => Ok(Self {
                root,
                staging,
                loaded,
                created,
                journal,
                _lock: lock,
            }),
            Err(e) => {
                if resume.is_none() {
                    let _ = fs::remove_dir_all(&root);
                }
                Err(Error::io("cannot write the journal in", &staging, e))
            }
        }
    }

    /// Records a file staged whole: a resume re-uses it.
    pub fn record_staged(
        &mut self,
        index: usize,
        item: &PlanItem,
        file: &PackedFile,
        source: SourceStamp,
    ) -> Result<()> {
        self.append(&Record::Staged(Box::new(Staged {
            index,
            name: item.name.clone(),
            size: file.size,
            method: file.method,
            digests: file.digests.clone(),
            measurements: file.measurements.clone(),
            source,
        })))?;
        stop_point::reached(&format!("staged:{index}"));
        Ok(())
    }

    /// Records the final paths QC allowed: from here a resume puts files
    /// found there back into staging.
    pub fn record_final(&mut self, paths: &[String]) -> Result<()> {
        self.append(&Record::Final {
            paths: paths.to_vec(),
        })?;
        stop_point::reached("final");
        Ok(())
    }

    fn append(&mut self, record: &Record) -> Result<()> {
        self.journal
            .append(record)
            .map_err(|e| Error::io("cannot write the journal in", &self.staging, e))
    }

    /// QC closed the gate: nothing is delivered, the root is removed.
    pub fn abandon(self) {
        let root = self.root.clone();
        drop(self);
        let _ = fs::remove_dir_all(&root);
    }

    /// A stage failed with `error`: what is staged whole is kept for the
    /// same command to resume (and the user told so); a root with nothing
    /// to resume is removed. Returns `error`.
    pub fn fail(self, error: Error, items: usize, observer: &mut dyn Observer) -> Error {
        let kept = journal::read(&self.staging)
            .ok()
            .flatten()
            .map_or(0, |j| j.staged.len());
        let (root, staging) = (self.root.clone(), self.staging.clone());
        drop(self);
        if kept == 0 {
            let _ = fs::remove_dir_all(&root);
        } else {
            observer.event(Event::Note(format!(
                "{kept} of {items} files are staged and kept in {}; nothing is in an upload folder. Run the same command again to resume, or remove {} to start over",
                staging.display(),
                root.display()
            )));
        }
        error
    }
}

//! Packing one episode of a season, as both front ends do it: where it
//! stands under its output ([`super::state`]) decides whether it is
//! skipped (delivered from these very sources, after a look at its files'
//! sizes), resumed, redelivered against its last delivery, or delivered
//! for the first time; then the one `pack::flow` every pack goes through.

use std::path::Path;

use chrono::Utc;

use super::state::{State, quick_check, state};
use crate::Result;
use crate::job::Job;
use crate::manifest::Manifest;
use crate::pack::PackOptions;
use crate::pack::flow::{self, PackOutcome};
use crate::profile::Profile;
use crate::progress::{Cancel, Observer};

/// What packing an episode did.
#[derive(Debug)]
pub enum Packed {
    /// Delivered earlier from the same sources: nothing done.
    Before {
        /// Its root.
        root: std::path::PathBuf,
        /// Its manifest.
        manifest: Box<Manifest>,
        /// Why the quick look found it damaged, if it did.
        damaged: Option<String>,
    },
    /// Packed now (delivered, or refused by QC).
    Now {
        /// What `pack` did.
        outcome: PackOutcome,
        /// A redelivery against an earlier delivery.
        redelivery: bool,
    },
}

/// What packing an episode comes to before a byte is read: nothing (it is
/// delivered, [`Packed::Before`]), or this job to pack (its `previous`
/// set to the last delivery when it resumes or redelivers, unless the
/// job names its own).
pub fn next_step(job: &Job, profile: &Profile, output: &Path) -> Result<Result<Job, Packed>> {
    let mut job = job.clone();
    match state(&job, profile, output)? {
        State::Delivered { root, manifest } => {
            let damaged = quick_check(&root, &manifest).err();
            return Ok(Err(Packed::Before {
                root,
                manifest,
                damaged,
            }));
        }
        State::Unfinished { previous } => job.previous = job.previous.or(previous),
        State::Changed { previous } => job.previous = job.previous.or(Some(previous)),
        State::New => {}
    }
    Ok(Ok(job))
}

/// Packs `job` with `opts` (made from the job by the front end, with its
/// output) as [`next_step`] says: not at all when it is delivered already;
/// a stopped run resumes, a changed episode is redelivered.
pub fn pack_episode(
    job: &Job,
    profile: &Profile,
    opts: &dyn Fn(&Job) -> PackOptions,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<Packed> {
    let job = match next_step(job, profile, &opts(job).output)? {
        Ok(job) => job,
        Err(before) => return Ok(before),
    };
    let prepared = flow::prepare(&job, profile)?;
    let outcome = flow::pack(
        &job,
        profile,
        &prepared,
        &opts(&job),
        Utc::now(),
        observer,
        cancel,
    )?;
    Ok(Packed::Now {
        outcome,
        redelivery: job.previous.is_some(),
    })
}

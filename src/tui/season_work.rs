//! The season screen's work, on the worker's threads: where each episode
//! stands (`season::state`), and packing the ready ones one after another
//! (`season::pack::pack_episode`, as `mnepack pack SEASON` does), each
//! step reported as a [`WorkerMsg::Episode`].

use std::sync::mpsc::Sender;

use super::app::EpisodeStatus;
use super::app::WorkerMsg;
use crate::job::Job;
use crate::pack::PackOptions;
use crate::pack::flow::PackOutcome;
use crate::profile::{Profile, Severity};
use crate::progress::{Cancel, Event};
use crate::season::pack::{Packed, pack_episode};
use crate::season::state::{State, state};

fn root_name(root: &std::path::Path) -> String {
    root.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Where `job` stands, as the season screen says it.
fn status_of(job: &Job) -> EpisodeStatus {
    let found = Profile::resolve(&job.profile_ref()).and_then(|profile| {
        let out = PackOptions::new(job, &profile, None).output;
        state(job, &profile, &out)
    });
    match found {
        Ok(State::New) => EpisodeStatus::New,
        Ok(State::Changed { .. }) => EpisodeStatus::Changed,
        Ok(State::Unfinished { .. }) => EpisodeStatus::Unfinished,
        Ok(State::Delivered { root, .. }) => EpisodeStatus::Delivered(root_name(&root)),
        Err(e) => EpisodeStatus::Failed(e.to_string()),
    }
}

/// Looks where every episode stands.
pub fn states(list: &[(usize, Job)], tx: &Sender<WorkerMsg>) {
    for (i, job) in list {
        if tx.send(WorkerMsg::Episode(*i, status_of(job))).is_err() {
            return;
        }
    }
}

/// Packs the episodes of `list` one after another; stops after the one
/// in flight when `cancel` is set (the rest are marked stopped).
pub fn pack_all(list: &[(usize, Job)], cancel: &Cancel, tx: &Sender<WorkerMsg>) {
    for (i, job) in list {
        let i = *i;
        if cancel.is_cancelled() {
            let _ = tx.send(WorkerMsg::Episode(i, EpisodeStatus::Stopped));
            continue;
        }
        let _ = tx.send(WorkerMsg::Episode(i, EpisodeStatus::Packing("pack", 0)));
        let status = pack_one(i, job, cancel, tx);
        let _ = tx.send(WorkerMsg::Episode(i, status));
    }
    let _ = tx.send(WorkerMsg::SeasonPacked);
}

fn pack_one(i: usize, job: &Job, cancel: &Cancel, tx: &Sender<WorkerMsg>) -> EpisodeStatus {
    let profile = match Profile::resolve(&job.profile_ref()) {
        Ok(p) => p,
        Err(e) => return EpisodeStatus::Failed(e.to_string()),
    };
    let (mut phase, mut total, mut done, mut shown) = ("pack", 0u64, 0u64, 0u8);
    let mut observer = |ev: Event| match ev {
        Event::Start {
            phase: p,
            total_bytes,
            ..
        } => (phase, total, done) = (p, total_bytes, 0),
        Event::Advance { bytes } => {
            done += bytes;
            let pct = u8::try_from(done.saturating_mul(100) / total.max(1)).unwrap_or(100);
            if pct != shown {
                shown = pct;
                let _ = tx.send(WorkerMsg::Episode(i, EpisodeStatus::Packing(phase, pct)));
            }
        }
        _ => {}
    };
    let opts = |j: &Job| PackOptions::new(j, &profile, None);
    match pack_episode(job, &profile, &opts, &mut observer, cancel) {
        Ok(Packed::Before { root, damaged, .. }) => match damaged {
            Some(why) => EpisodeStatus::Failed(why),
            None => EpisodeStatus::Delivered(root_name(&root)),
        },
        Ok(Packed::Now {
            outcome: PackOutcome::Delivered(r),
            ..
        }) => {
            let warnings =
                r.qc.findings
                    .iter()
                    .filter(|f| f.severity == Severity::Warning)
                    .count();
            EpisodeStatus::PackedNow(root_name(&r.root), warnings)
        }
        Ok(Packed::Now {
            outcome: PackOutcome::Blocked(qc),
            ..
        }) => EpisodeStatus::Refused(
            qc.findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count(),
        ),
        Err(crate::Error::Interrupted) => EpisodeStatus::Stopped,
        Err(e) => EpisodeStatus::Failed(e.to_string().lines().collect::<Vec<_>>().join(" ")),
    }
}

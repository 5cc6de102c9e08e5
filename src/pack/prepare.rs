//! The first stage of a pack, run once: the job loaded with its profile,
//! every source probed, the delivery planned, and every reason to refuse
//! before a byte is written (a repeated or skipped delivery number, a
//! missing or unreadable source, a root inside a source folder, an
//! existing root that is not this job's unfinished run, too little space).
//! What it hands on is [`Ready`]: where the root goes, and the journal of
//! the run it resumes. `pack --dry-run` and the wizard's Review stop here.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::fsops::{self, STAGING};
use super::journal::{self, Loaded};
use super::lock::{self, Holder};
use super::request::PackOptions;
use super::resume::has_journal;
use super::stage::LinkMode;
use crate::error::{Error, Refusal, Result};
use crate::job::Job;
use crate::plan::{
    Plan, Previous, check_delivery_sequence, find_existing_deliveries, load_previous, plan,
    plan_redelivery,
};
use crate::probe::{Probed, probe_path};
use crate::profile::Profile;

/// A job probed and planned, ready to pack.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Header facts of every source, by resolved path.
    pub probed: BTreeMap<PathBuf, Probed>,
    /// The previous delivery, for a redelivery (`previous:` in the job).
    pub previous: Option<Previous>,
    /// The plan (for a redelivery, versions guessed from size and mtime
    /// until the read settles them by content).
    pub plan: Plan,
}

/// Loads a job file as every front end does: the path made absolute first
/// (so relative paths resolve once, against the job file's folder, and the
/// manifest records where each source really is), the job validated, and
/// its profile (`profile_override` when given, else the one the job names).
pub fn load(
    job_path: &Path,
    profile_override: Option<&Path>,
    today: NaiveDate,
) -> Result<(Job, Profile)> {
    let path = fsops::absolute(job_path).map_err(|e| Error::io("cannot read", job_path, e))?;
    let job = Job::load(&path, today)?;
    let profile = match profile_override {
        Some(p) => Profile::load(p)?,
        None => Profile::resolve(&job.profile_ref())?,
    };
    Ok((job, profile))
}

/// Every reason `pack` would refuse this prepared job before writing a
/// byte (a repeated or skipped delivery number, an unreadable source, a
/// root inside a source folder, an existing root, too little space),
/// checked without writing anything: what `pack --dry-run` and the
/// wizard's review show before the user commits.
pub fn refusals(
    job: &Job,
    profile: &Profile,
    prepared: &Prepared,
    opts: &PackOptions,
) -> Result<Ready> {
    check_sequence(job, profile, prepared, &opts.output)?;
    preflight(&prepared.plan, opts)
}

/// Probes every source of `job` (a source that cannot be read stops here,
/// naming the file), loads the previous delivery's manifest when the job
/// names one (refusing an edited or foreign one), and plans the delivery.
pub fn prepare(job: &Job, profile: &Profile) -> Result<Prepared> {
    let probed = probe_sources(job)?;
    let previous = job
        .previous
        .as_deref()
        .map(|p| load_previous(p, job))
        .transpose()?;
    let plan = match &previous {
        Some(p) => plan_redelivery(job, profile, &probed, p)?,
        None => plan(job, profile, &probed, 1)?,
    };
    Ok(Prepared {
        probed,
        previous,
        plan,
    })
}

/// Refuses to make delivery01 again (or skip a number) when deliveries of
/// the same title and unit already exist under `output`. The root of this
/// very delivery, left unfinished with a journal, does not count: packing
/// resumes it.
pub fn check_sequence(
    job: &Job,
    profile: &Profile,
    prepared: &Prepared,
    output: &Path,
) -> Result<()> {
    let name = &prepared.plan.root_name;
    let root = output.join(name);
    let resuming = match lock::holder(&root) {
        Holder::Stale(_) if has_journal(&root) => true,
        Holder::Unknown => false,
        Holder::Live(_) | Holder::Stale(_) => {
            return Err(Refusal::RootExists(root_exists(&root)).into());
        }
    };
    let mut existing = find_existing_deliveries(output, job, profile)?;
    // An unfinished run of this delivery is resumed, not a delivery made.
    if resuming {
        existing.retain(|e| e.root.file_name() != Some(std::ffi::OsStr::new(name)));
    }
    check_delivery_sequence(prepared.previous.as_ref(), &existing)
}

/// Header facts of every source of the job.
pub fn probe_sources(job: &Job) -> Result<BTreeMap<PathBuf, Probed>> {
    let mut probed = BTreeMap::new();
    let mut problems = Vec::new();
    for entry in job.sources_flat() {
        match probe_path(&entry.path) {
            Ok(p) => {
                probed.insert(entry.path.clone(), p);
            }
            Err(e) => problems.push(format!(
                "{} ({}): {e}",
                entry.path.display(),
                entry.role.as_str()
            )),
        }
    }
    if problems.is_empty() {
        Ok(probed)
    } else {
        Err(Refusal::Sources(problems).into())
    }
}

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

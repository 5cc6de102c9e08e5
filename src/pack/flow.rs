//! The whole `pack` of a job, as both front ends call it: probe every
//! source, plan, write the files (see `run`), then the manifest. Also
//! `prepare` alone, for `--dry-run` and the TUI's review screen.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::lock::{self, Holder};
use super::measure::measure_plan;
use super::record::build_manifest;
use super::request::{PackOptions, PackedFile};
use super::resume::has_journal;
use super::run::{WriteOutcome, preflight, root_exists, write_files};
use crate::analysis::Measurements;
use crate::check::{self, Finding, has_errors, sort_findings};
use crate::error::{Error, Refusal, Result};
use crate::job::Job;
use crate::manifest::FindingRecord;
use crate::manifest::{CreatorInfo, ManifestPaths};
use crate::plan::{
    Plan, Previous, RedeliveryNote, check_delivery_sequence, find_existing_deliveries,
    load_previous, plan, plan_redelivery, redelivery_note, resolve_statuses,
};
use crate::probe::{Probed, probe_path};
use crate::profile::Profile;
use crate::progress::{Cancel, Observer};

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
    let path =
        super::fsops::absolute(job_path).map_err(|e| Error::io("cannot read", job_path, e))?;
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
) -> Result<()> {
    check_sequence(job, profile, prepared, &opts.output)?;
    preflight(&prepared.plan, opts).map(|_| ())
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

/// What QC found: every finding, and the measurements of each plan item
/// (index-aligned with the plan; None for the video or when not measured).
#[derive(Debug, Clone, Serialize)]
pub struct QcReport {
    /// Findings, errors first.
    pub findings: Vec<Finding>,
    /// Measurements per plan item.
    pub measurements: Vec<Option<Measurements>>,
    /// The conform analysis (None when turned off or not run).
    pub conform: Option<crate::conform::Conform>,
}

impl QcReport {
    /// True when a finding is an error.
    pub fn has_errors(&self) -> bool {
        has_errors(&self.findings)
    }
}

/// How a `pack` ended.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum PackOutcome {
    /// The delivery is complete.
    Delivered(Box<PackReport>),
    /// QC errors stopped it (no `--force`): nothing is in an upload folder.
    Blocked(Box<QcReport>),
}

/// What `pack` did.
#[derive(Debug, Clone, Serialize)]
pub struct PackReport {
    /// The delivery root.
    pub root: PathBuf,
    /// QC findings and measurements.
    pub qc: QcReport,
    /// True when QC errors were overridden with `--force`.
    pub forced: bool,
    /// For a redelivery: what changed, for the email to the studio.
    pub redelivery: Option<RedeliveryNote>,
    /// The manifest files written.
    pub manifest: ManifestFiles,
    /// Every delivered file.
    pub files: Vec<DeliveredFile>,
    /// True when every file was read back and matched.
    pub verified: bool,
}

/// The three manifest files and the report beside them.
#[derive(Debug, Clone, Serialize)]
pub struct ManifestFiles {
    /// `<root>.yaml`.
    pub yaml: PathBuf,
    /// `<root>.sha256`.
    pub sha256: PathBuf,
    /// `<root>.mhl`.
    pub mhl: PathBuf,
    /// `<root>.html`, the report.
    pub report: PathBuf,
}

impl From<ManifestPaths> for ManifestFiles {
    fn from(p: ManifestPaths) -> Self {
        let report = p.yaml.with_extension("html");
        Self {
            yaml: p.yaml,
            sha256: p.sha256,
            mhl: p.mhl,
            report,
        }
    }
}

/// One delivered file in the report.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveredFile {
    /// Path relative to the root.
    pub path: String,
    /// The source it came from.
    pub source: PathBuf,
    /// Version.
    pub version: u32,
    /// Size in bytes.
    pub size: u64,
    /// `copied`, `hardlinked` or `reflinked`.
    pub method: super::stage::Method,
    /// SHA-256.
    pub sha256: String,
    /// True when read back and matched.
    pub verified: bool,
}

/// QC without writing: header rules, then one read of each audio file for
/// the signal rules.
pub fn check(
    job: &Job,
    profile: &Profile,
    prepared: &Prepared,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<QcReport> {
    let plan = &prepared.plan;
    let mut findings = check::header_findings(job, profile, plan);
    let measured = measure_plan(plan, &profile.qc, profile.qc.conform, observer, cancel)?;
    findings.extend(check::signal_findings(
        job,
        profile,
        plan,
        &measured.measurements,
    ));
    if let Some(c) = &measured.conform {
        check::conform_findings(job, profile, plan, c, &mut findings);
    }
    sort_findings(&mut findings);
    Ok(QcReport {
        findings,
        measurements: measured.measurements,
        conform: measured.conform,
    })
}

/// Packs a prepared job: header rules before any write; then one read per
/// source (copy, hashes, analysis); signal rules before anything reaches an
/// upload folder; read-back; the manifest. QC errors block the delivery
/// unless `opts.force`. `now` stamps the manifest.
pub fn pack(
    job: &Job,
    profile: &Profile,
    prepared: &Prepared,
    opts: &PackOptions,
    now: DateTime<Utc>,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<PackOutcome> {
    let plan = &prepared.plan;
    // "Cannot go on" refusals (delivery number, sources, root, space) come
    // before QC, for every front end alike.
    check_sequence(job, profile, prepared, &opts.output)?;
    preflight(plan, opts)?;
    let mut findings = check::header_findings(job, profile, plan);
    if has_errors(&findings) && !opts.force {
        sort_findings(&mut findings);
        return Ok(PackOutcome::Blocked(Box::new(QcReport {
            findings,
            measurements: Vec::new(),
            conform: None,
        })));
    }
    let mut measurements: Vec<Option<Measurements>> = Vec::new();
    let mut signal: Vec<Finding> = Vec::new();
    let mut settled: Result<Plan> = Ok(plan.clone());
    let mut conform_seen: Option<crate::conform::Conform> = None;
    let mut gate = |files: &[PackedFile], conform: Option<&crate::conform::Conform>| {
        measurements = files.iter().map(|f| f.measurements.clone()).collect();
        signal = check::signal_findings(job, profile, plan, &measurements);
        if let Some(c) = conform {
            check::conform_findings(job, profile, plan, c, &mut signal);
        }
        conform_seen = conform.cloned();
        let digests: Vec<String> = files.iter().map(|f| f.digests.sha256.clone()).collect();
        settled = resolve_statuses(plan, &digests);
        let ok = opts.force || !has_errors(&signal);
        match (&settled, ok) {
            (Ok(p), true) => Some(
                p.items
                    .iter()
                    .map(crate::plan::PlanItem::rel_path)
                    .collect(),
            ),
            _ => None,
        }
    };
    let outcome = write_files(plan, opts, now, &mut gate, observer, cancel)?;
    findings.append(&mut signal);
    sort_findings(&mut findings);
    let qc = QcReport {
        findings,
        measurements,
        conform: conform_seen,
    };
    let settled = settled?;
    let written = match outcome {
        WriteOutcome::Done(w) => w,
        WriteOutcome::Blocked => return Ok(PackOutcome::Blocked(Box::new(qc))),
    };
    let packed = written.packed.clone();
    let plan = &settled;
    let forced = opts.force && qc.has_errors();
    let records: Vec<FindingRecord> = qc.findings.iter().map(FindingRecord::from).collect();
    let mut manifest = build_manifest(
        job,
        &profile.name,
        plan,
        &packed.files,
        records,
        forced,
        packed.created,
    );
    if let Some(c) = &qc.conform {
        manifest.conform = check::conform_records(job, profile, plan, c);
    }
    let creator = CreatorInfo {
        hostname: lock::hostname(),
        tool_name: env!("CARGO_PKG_NAME").to_string(),
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        creation_date: manifest.created.clone(),
    };
    let verified = opts.verify && packed.files.iter().all(|f| f.verified);
    let report = crate::report::html(
        &manifest,
        &crate::report::Context {
            verified: Some(verified),
            ..crate::report::Context::default()
        },
        &crate::report::Limits::from(&profile.qc),
    );
    let paths = written.seal(&manifest, &creator, &report)?;
    Ok(PackOutcome::Delivered(Box::new(PackReport {
        root: packed.root.clone(),
        manifest: paths.into(),
        verified,
        files: delivered(plan, &packed.files),
        redelivery: redelivery_note(plan).map(|mut note| {
            if let Some(prev) = &prepared.previous {
                note.conform = crate::plan::conform_changes(&prev.manifest, &manifest);
            }
            note
        }),
        qc,
        forced,
    })))
}

fn delivered(plan: &Plan, files: &[PackedFile]) -> Vec<DeliveredFile> {
    plan.items
        .iter()
        .zip(files)
        .map(|(i, f)| DeliveredFile {
            path: f.rel_path.clone(),
            source: i.source.clone(),
            version: i.version,
            size: f.size,
            method: f.method,
            sha256: f.digests.sha256.clone(),
            verified: f.verified,
        })
        .collect()
}

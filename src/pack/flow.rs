//! The whole `pack` of a job, as every front end calls it: a straight line
//! of typed stages, each in its own file, each taking what the one before
//! returned. `prepare` (probe, plan, refusals: [`Prepared`], then
//! [`Ready`]) -> header rules -> `root` (an [`OpenRoot`]: lock and journal)
//! -> `read` (the one read of every source: [`Streamed`]) -> `gate`
//! ([`Gated`]: signal and conform rules, versions settled) -> `seal`
//! (read-back and renames: [`Written`]; then the manifest). Also `check`:
//! QC without writing.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::gate;
pub use super::gate::Gated;
use super::lock;
use super::measure::measure_plan;
pub use super::prepare::{Prepared, Ready, check_sequence, load, prepare, probe_sources, refusals};
use super::read;
pub use super::read::Streamed;
use super::record::build_manifest;
use super::request::{PackOptions, PackedFile};
pub use super::root::OpenRoot;
use super::seal::{self, Written};
use crate::analysis::Measurements;
use crate::check::{self, Finding, has_errors, sort_findings};
use crate::error::Result;
use crate::job::Job;
use crate::manifest::FindingRecord;
use crate::manifest::{CreatorInfo, ManifestPaths};
use crate::plan::{Plan, RedeliveryNote, redelivery_note};
use crate::profile::Profile;
use crate::progress::{Cancel, Observer};

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
    /// The manifest as written (files, analysis, conform records): what a
    /// front end shows of the delivery, without reading it back.
    #[serde(skip)]
    pub record: Box<crate::manifest::Manifest>,
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
    findings.extend(gate::after_reading(
        job,
        profile,
        plan,
        &measured.measurements,
        measured.conform.as_ref(),
    ));
    sort_findings(&mut findings);
    Ok(QcReport {
        findings,
        measurements: measured.measurements,
        conform: measured.conform,
    })
}

/// Packs a prepared job, one stage after the other: prepare (every reason
/// to refuse, checked once), check (header rules, before any write), read
/// (one read per source: copy, hashes, analysis, conform), gate (signal
/// and conform rules, versions settled), seal (read-back, renames, the
/// manifest). QC errors block the delivery unless `opts.force`. `now`
/// stamps the manifest.
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
    let ready = refusals(job, profile, prepared, opts)?;
    let mut findings = check::header_findings(job, profile, plan);
    if has_errors(&findings) && !opts.force {
        sort_findings(&mut findings);
        return Ok(PackOutcome::Blocked(Box::new(QcReport {
            findings,
            measurements: Vec::new(),
            conform: None,
        })));
    }
    let mut root = OpenRoot::open(ready, plan, opts, now, observer)?;
    let streamed = match read::read(&mut root, plan, opts, observer, cancel) {
        Ok(s) => s,
        Err(e) => return Err(root.fail(e, plan.items.len(), observer)),
    };
    let gated = gate::gate(job, profile, plan, &streamed, opts.force);
    findings.extend(gated.findings);
    sort_findings(&mut findings);
    let qc = QcReport {
        findings,
        measurements: gated.measurements,
        conform: gated.conform,
    };
    let (settled, finals) = match (gated.settled, gated.finals) {
        (Ok(settled), Some(finals)) => (settled, finals),
        (Ok(_), None) => {
            root.abandon();
            return Ok(PackOutcome::Blocked(Box::new(qc)));
        }
        (Err(e), _) => {
            root.abandon();
            return Err(e);
        }
    };
    if let Err(e) = root.record_final(&finals) {
        return Err(root.fail(e, plan.items.len(), observer));
    }
    let written = seal::place(
        root,
        plan,
        streamed.files,
        finals,
        opts.verify,
        observer,
        cancel,
    )?;
    seal_with_manifest(job, profile, prepared, &settled, opts, qc, written)
}

/// The manifest, the report and the seal of a delivery whose files are in
/// their upload folders.
fn seal_with_manifest(
    job: &Job,
    profile: &Profile,
    prepared: &Prepared,
    plan: &Plan,
    opts: &PackOptions,
    qc: QcReport,
    written: Written,
) -> Result<PackOutcome> {
    let packed = written.packed.clone();
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
        record: Box::new(manifest),
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

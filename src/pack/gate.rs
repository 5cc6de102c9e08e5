//! The gate of a pack, pure: once every file is staged, hashed and
//! measured, the signal rules and the conform findings are drawn, the
//! versions of a redelivery are settled by content (SHA-256), and the
//! delivery either gets its final paths or stays out of the upload
//! folders (QC errors without `--force`).

use super::read::Streamed;
use crate::analysis::Measurements;
use crate::check::{self, Finding, has_errors};
use crate::conform::Conform;
use crate::error::Result;
use crate::job::Job;
use crate::plan::{Plan, PlanItem, resolve_statuses};
use crate::profile::Profile;

/// What the gate decided.
#[derive(Debug)]
pub struct Gated {
    /// The signal and conform findings (the header findings came before).
    pub findings: Vec<Finding>,
    /// The measurements of each plan item (None for the video).
    pub measurements: Vec<Option<Measurements>>,
    /// The conform analysis, as the stream stage judged it.
    pub conform: Option<Conform>,
    /// The plan with its versions settled by content, or why they cannot be.
    pub settled: Result<Plan>,
    /// The path of each file under the root, in plan order, when the
    /// delivery may go ahead.
    pub finals: Option<Vec<String>>,
}

/// The findings drawn once the sources are read (the signal rules of each
/// measured file, and the conform analysis's): the same for `check` and
/// for `pack`.
pub fn after_reading(
    job: &Job,
    profile: &Profile,
    plan: &Plan,
    measurements: &[Option<Measurements>],
    conform: Option<&Conform>,
) -> Vec<Finding> {
    let mut findings = check::signal_findings(job, profile, plan, measurements);
    if let Some(c) = conform {
        check::conform_findings(job, profile, plan, c, &mut findings);
    }
    findings
}

/// Draws the signal and conform findings of what the stream stage read,
/// settles the versions, and opens the gate unless QC found an error
/// (`force` opens it anyway; the manifest records that).
pub fn gate(job: &Job, profile: &Profile, plan: &Plan, streamed: &Streamed, force: bool) -> Gated {
    let measurements: Vec<Option<Measurements>> = streamed
        .files
        .iter()
        .map(|f| f.measurements.clone())
        .collect();
    let findings = after_reading(job, profile, plan, &measurements, streamed.conform.as_ref());
    let digests: Vec<String> = streamed
        .files
        .iter()
        .map(|f| f.digests.sha256.clone())
        .collect();
    let settled = resolve_statuses(plan, &digests);
    let open = force || !has_errors(&findings);
    let finals = match (&settled, open) {
        (Ok(p), true) => Some(p.items.iter().map(PlanItem::rel_path).collect()),
        _ => None,
    };
    Gated {
        findings,
        measurements,
        conform: streamed.conform.clone(),
        settled,
        finals,
    }
}

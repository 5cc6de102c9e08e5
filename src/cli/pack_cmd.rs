//! `mnepack pack JOB`: load the job and profile, probe and plan, then
//! (unless `--dry-run`) build the delivery and print where it is.

use std::path::{Path, PathBuf};

use chrono::{Local, Utc};

use super::args::{CheckArgs, JobArgs, LinkArg, PackArgs};
use super::progress_ui::Progress;
use super::{Exit, render};
use crate::job::Job;
use crate::pack::PackOptions;
use crate::pack::flow::{self, PackOutcome};
use crate::pack::stage::LinkMode;
use crate::profile::Profile;
use crate::progress::Cancel;

/// Loads the job file and its profile (or the `--profile` override), as
/// the wizard does too.
pub fn load(args: &JobArgs) -> crate::Result<(Job, Profile)> {
    let path = args.jobs.first().map_or(Path::new(""), PathBuf::as_path);
    flow::load(path, args.profile.as_deref(), Local::now().date_naive())
}

fn link_mode(l: LinkArg) -> LinkMode {
    match l {
        LinkArg::Auto => LinkMode::Auto,
        LinkArg::Copy => LinkMode::Copy,
        LinkArg::Hardlink => LinkMode::Hardlink,
        LinkArg::Reflink => LinkMode::Reflink,
    }
}

/// The options of a pack of `job` as the command line asks for it: the
/// profile's, then what the user chose (one place for `pack` of one job
/// and of a season, dry run or not).
pub(super) fn options(job: &Job, profile: &Profile, args: &PackArgs) -> PackOptions {
    let base = PackOptions::new(job, profile, args.out.as_deref());
    PackOptions {
        link: link_mode(args.link),
        verify: !args.no_verify,
        force: args.force,
        hashes: crate::hash::HashSelection {
            md5: base.hashes.md5 || args.md5,
        },
        ..base
    }
}

/// Runs `pack`.
pub fn run(args: &PackArgs, cancel: &Cancel) -> Exit {
    let (mut job, profile) = match load(&args.job) {
        Ok(x) => x,
        Err(e) => return super::fail(&e),
    };
    if let Some(p) = &args.previous {
        match crate::pack::fsops::absolute(p) {
            Ok(abs) => job.previous = Some(abs),
            Err(e) => return super::fail(&crate::Error::io("cannot read", p, e)),
        }
    }
    let prepared = match flow::prepare(&job, &profile) {
        Ok(p) => p,
        Err(e) => return super::fail(&e),
    };
    let opts = options(&job, &profile, args);
    if args.dry_run {
        // What the real run would refuse, said now (nothing is written).
        if let Err(e) = flow::refusals(&job, &profile, &prepared, &opts) {
            return super::fail(&e);
        }
        if args.job.json {
            super::print_json(&prepared.plan);
        } else {
            print!("{}", render::plan_table(&prepared.plan, &opts.output));
        }
        return Exit::Ok;
    }
    let mut progress = Progress::for_stderr(args.job.quiet);
    match flow::pack(
        &job,
        &profile,
        &prepared,
        &opts,
        Utc::now(),
        &mut progress,
        cancel,
    ) {
        Ok(outcome) => {
            if args.job.json {
                super::print_json(&outcome);
                return exit_of(&outcome);
            }
            let quiet = args.job.quiet;
            let text = match &outcome {
                PackOutcome::Delivered(r) if quiet => render::pack_report_quiet(r),
                PackOutcome::Delivered(r) => render::pack_report(r),
                PackOutcome::Blocked(qc) if quiet => render::pack_blocked_quiet(qc),
                PackOutcome::Blocked(qc) => render::pack_blocked(qc),
            };
            print!("{text}");
            exit_of(&outcome)
        }
        Err(e) => super::fail(&e),
    }
}

/// 0 for a delivery, 1 when QC errors stopped it.
fn exit_of(outcome: &PackOutcome) -> Exit {
    match outcome {
        PackOutcome::Delivered(_) => Exit::Ok,
        PackOutcome::Blocked(_) => Exit::Problems,
    }
}

/// Runs `check`: exit 0 without QC errors, 1 with, 2 when it cannot run.
pub fn run_check(check: &CheckArgs, cancel: &Cancel) -> Exit {
    let args = &check.job;
    let (job, profile) = match load(args) {
        Ok(x) => x,
        Err(e) => return super::fail(&e),
    };
    let prepared = match flow::prepare(&job, &profile) {
        Ok(p) => p,
        Err(e) => return super::fail(&e),
    };
    let mut progress = Progress::for_stderr(args.quiet);
    match flow::check(&job, &profile, &prepared, &mut progress, cancel) {
        Ok(qc) => {
            if let Some(path) = &check.report
                && let Err(e) = write_check_report(path, &job, &profile, &prepared.plan, &qc)
            {
                return super::fail(&e);
            }
            if args.json {
                super::print_json(&CheckJson {
                    plan: &prepared.plan,
                    qc: &qc,
                });
            } else if args.quiet {
                print!("{}", render::check_report_quiet(&qc));
            } else {
                print!(
                    "{}",
                    render::check_report(&qc, &prepared.plan, job.frame_rate)
                );
            }
            if qc.has_errors() {
                Exit::Problems
            } else {
                Exit::Ok
            }
        }
        Err(e) => super::fail(&e),
    }
}

/// `check --report FILE`: the report page of a QC-only run.
fn write_check_report(
    path: &std::path::Path,
    job: &crate::job::Job,
    profile: &Profile,
    plan: &crate::plan::Plan,
    qc: &flow::QcReport,
) -> crate::Result<()> {
    let findings = qc
        .findings
        .iter()
        .map(crate::manifest::FindingRecord::from)
        .collect();
    let record = crate::pack::record::check_record(
        job,
        &profile.name,
        plan,
        &qc.measurements,
        findings,
        Utc::now(),
    );
    let ctx = crate::report::Context {
        qc_only: true,
        ..crate::report::Context::default()
    };
    crate::report::write_page(
        &record,
        &ctx,
        &crate::report::Limits::from(&profile.qc),
        path,
    )?;
    eprintln!("report  {}", path.display());
    Ok(())
}

/// `check --json`: the plan and what QC found.
#[derive(serde::Serialize)]
struct CheckJson<'a> {
    plan: &'a crate::plan::Plan,
    qc: &'a flow::QcReport,
}

//! `check`, `pack` and `verify` of several episodes at once: a season file,
//! a list of job files, or both (issue 20). Episodes run one after another
//! (one disk); one episode's failure does not stop the others unless
//! `--fail-fast`; Ctrl-C stops at once and the same command resumes: an
//! episode already delivered from the same sources is skipped after a
//! look at its files' sizes, an unfinished one resumes, a changed one is
//! redelivered against its last delivery. At the end, one table and the
//! exit code of the worst episode. Strings live in `season_render.rs`.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

use chrono::Local;

use super::args::{CheckArgs, PackArgs, VerifyArgs};
use super::pack_cmd::options;
use super::progress_ui::Progress;
use super::season_render::{self as text, Outcome, Row};
use super::{Exit, print_json};
use crate::Error;
use crate::job::Job;
use crate::pack::flow::{self, PackOutcome};
use crate::profile::Profile;
use crate::profile::Severity;
use crate::progress::Cancel;
use crate::season::pack::{Packed, next_step, pack_episode};
use crate::season::{self, Cross, Entry};

/// The episodes of the command line and the checks across them, or the
/// exit code when they cannot be read.
fn episodes(paths: &[PathBuf]) -> Result<(Vec<Entry>, Vec<Cross>), Exit> {
    let entries = season::load(paths, Local::now().date_naive()).map_err(|e| super::fail(&e))?;
    let jobs: Vec<&Job> = entries.iter().filter_map(|e| e.job.as_ref().ok()).collect();
    let cross = season::cross_checks(&jobs);
    Ok((entries, cross))
}

fn profile_of(job: &Job, over: Option<&Path>) -> crate::Result<Profile> {
    match over {
        Some(p) => Profile::load(p),
        None => Profile::resolve(&job.profile_ref()),
    }
}

/// Counts of a QC run's findings: (errors, warnings).
fn counts(findings: &[crate::check::Finding]) -> (usize, usize) {
    let n = |s| findings.iter().filter(|f| f.severity == s).count();
    (n(Severity::Error), n(Severity::Warning))
}

/// Why the next episode does not start, if it does not: Ctrl-C came, or
/// `--fail-fast` and an episode failed.
fn not_started(fail_fast_stop: bool, cancel: &Cancel) -> Option<Outcome> {
    if cancel.is_cancelled() {
        Some(Outcome::Stopped)
    } else if fail_fast_stop {
        Some(Outcome::NotRun)
    } else {
        None
    }
}

/// Ends a run: the table (or JSON), and the worst episode's exit code (at
/// least 1 when the checks across episodes found an error).
fn finish(rows: &[Row], cross: &[Cross], json: bool, what: &'static str) -> Exit {
    if json {
        print_json(&text::Json {
            cross,
            episodes: rows,
        });
    } else {
        print!("{}", text::table(what, rows, cross));
    }
    let season_error = cross.iter().any(|c| c.severity == season::Severity::Error);
    rows.iter()
        .map(|r| r.outcome.exit())
        .chain(season_error.then_some(Exit::Problems))
        .max_by_key(|e| text::exit_rank(*e))
        .unwrap_or(Exit::Ok)
}

/// Runs `check` over several episodes.
pub fn run_check(args: &CheckArgs, cancel: &Cancel) -> Exit {
    if args.report.is_some() {
        eprintln!("mnepack: {}", text::NO_REPORT_FOR_SEASON);
        return Exit::Error;
    }
    let a = &args.job;
    let (entries, cross) = match episodes(&a.jobs) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let quiet = a.quiet;
    let rows = run_all(&entries, 1, a.fail_fast, cancel, &|i, entry| {
        if !quiet {
            eprint!(
                "{}",
                text::episode_start(i + 1, entries.len(), &entry.label, None)
            );
        }
        check_one(entry, a.profile.as_deref(), a.quiet, cancel)
    });
    finish(&rows, &cross, a.json, text::CHECKED)
}

fn check_one(entry: &Entry, over: Option<&Path>, quiet: bool, cancel: &Cancel) -> Row {
    let job = match &entry.job {
        Ok(j) => j,
        Err(e) => return Row::failed(entry, e),
    };
    let result = profile_of(job, over).and_then(|profile| {
        let prepared = flow::prepare(job, &profile)?;
        let mut progress = Progress::for_stderr(quiet);
        flow::check(job, &profile, &prepared, &mut progress, cancel)
    });
    match result {
        Ok(qc) => {
            let (errors, warnings) = counts(&qc.findings);
            let mut row = Row::new(
                entry,
                if errors > 0 {
                    Outcome::QcErrors
                } else {
                    Outcome::Clean
                },
            );
            row.errors = errors;
            row.warnings = warnings;
            row
        }
        Err(Error::Interrupted) => Row::new(entry, Outcome::Interrupted),
        Err(e) => Row::failed(entry, &e),
    }
}

/// Runs `pack` over several episodes.
pub fn run_pack(args: &PackArgs, cancel: &Cancel) -> Exit {
    if args.previous.is_some() {
        eprintln!("mnepack: {}", text::NO_PREVIOUS_FOR_SEASON);
        return Exit::Error;
    }
    let (entries, cross) = match episodes(&args.job.jobs) {
        Ok(x) => x,
        Err(code) => return code,
    };
    if cross.iter().any(|c| c.severity == season::Severity::Error) && !args.force {
        eprint!("{}", text::cross_block(&cross));
        return Exit::Problems;
    }
    if args.dry_run {
        let rows: Vec<Row> = entries.iter().map(|e| plan_one(e, args)).collect();
        return finish(&rows, &cross, args.job.json, text::PLANNED);
    }
    let sizes: Vec<u64> = entries.iter().map(source_bytes).collect();
    let at_once = args.parallel.max(1);
    let quiet = args.job.quiet;
    let started = Instant::now();
    let packed = Mutex::new(0u64);
    let left = |i: usize| -> u64 { sizes[i..].iter().sum() };
    let rows = run_all(
        &entries,
        at_once,
        args.job.fail_fast,
        cancel,
        &|i, entry| {
            let done = packed.lock().map_or(0, |p| *p);
            let eta = text::time_left(started.elapsed(), done, left(i));
            if !quiet {
                eprint!(
                    "{}",
                    text::episode_start(i + 1, entries.len(), &entry.label, eta)
                );
            }
            let row = pack_one(entry, args, quiet || at_once > 1, cancel);
            if matches!(row.outcome, Outcome::Delivered | Outcome::Blocked) {
                if let Ok(mut p) = packed.lock() {
                    *p += sizes[i];
                }
            }
            if !quiet {
                eprint!("{}", text::episode_done(&row));
            }
            row
        },
    );
    write_season_page(&entries, &rows, &cross, args.out.as_deref(), quiet);
    finish(&rows, &cross, args.job.json, text::PACKED)
}

/// Writes the season page beside the first episode's delivery roots
/// (`<output>/<title>_season.html`), atomically; says where on stderr. A
/// page that cannot be written is said too, and changes no exit code.
fn write_season_page(
    entries: &[Entry],
    rows: &[Row],
    cross: &[Cross],
    out: Option<&Path>,
    quiet: bool,
) {
    let Some(first) = entries.iter().find_map(|e| e.job.as_ref().ok()) else {
        return;
    };
    let dir = out.map_or_else(|| first.output_dir(), Path::to_path_buf);
    let path = dir.join(format!("{}_season.html", first.title_token()));
    let cross: Vec<String> = cross.iter().map(|c| c.message.clone()).collect();
    let page = crate::report::season_html(
        &first.title,
        &text::season_lines(rows, &dir),
        &cross,
        &text::tally(rows),
    );
    match crate::manifest::write_atomic(&path, page.as_bytes()) {
        Ok(()) => {
            if !quiet {
                eprint!("{}", text::season_page(&path));
            }
        }
        Err(e) => eprintln!("mnepack: {}", Error::io("cannot write", &path, e)),
    }
}

/// Runs `one` for every entry, `at_once` at a time (each on its own
/// thread), in list order; after Ctrl-C, or with `fail_fast` after an
/// episode that did not end well, the episodes not started get a row
/// saying so. The rows come back in list order.
fn run_all(
    entries: &[Entry],
    at_once: usize,
    fail_fast: bool,
    cancel: &Cancel,
    one: &(dyn Fn(usize, &Entry) -> Row + Sync),
) -> Vec<Row> {
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let rows: Mutex<Vec<Option<Row>>> = Mutex::new(entries.iter().map(|_| None).collect());
    let worker = || {
        loop {
            let i = next.fetch_add(1, Ordering::SeqCst);
            let Some(entry) = entries.get(i) else { break };
            let row = match not_started(stop.load(Ordering::SeqCst), cancel) {
                Some(skip) => Row::new(entry, skip),
                None => one(i, entry),
            };
            if fail_fast && row.outcome.exit() != Exit::Ok {
                stop.store(true, Ordering::SeqCst);
            }
            if let Ok(mut r) = rows.lock() {
                r[i] = Some(row);
            }
        }
    };
    std::thread::scope(|s| {
        for _ in 0..at_once.min(entries.len()) {
            s.spawn(worker);
        }
    });
    rows.into_inner()
        .unwrap_or_default()
        .into_iter()
        .zip(entries)
        .map(|(r, e)| r.unwrap_or_else(|| Row::new(e, Outcome::Stopped)))
        .collect()
}

/// `pack --dry-run` of one episode: what a pack would do, its plan printed
/// (unless `--json`), every refusal said; nothing is written.
fn plan_one(entry: &Entry, args: &PackArgs) -> Row {
    let job = match &entry.job {
        Ok(j) => j,
        Err(e) => return Row::failed(entry, e),
    };
    let planned = profile_of(job, args.job.profile.as_deref()).and_then(|profile| {
        let opts = options(job, &profile, args);
        match next_step(job, &profile, &opts.output)? {
            Err(before) => Ok(Err(before)),
            Ok(job) => {
                let prepared = flow::prepare(&job, &profile)?;
                flow::refusals(&job, &profile, &prepared, &opts)?;
                Ok(Ok((job.previous.is_some(), prepared.plan, opts.output)))
            }
        }
    });
    match planned {
        Ok(Err(Packed::Before { root, damaged, .. })) => {
            let mut row = Row::new(entry, Outcome::AlreadyDelivered);
            row.root = Some(root);
            if let Some(why) = damaged {
                row.outcome = Outcome::Damaged;
                row.note = why;
            }
            row
        }
        Ok(Ok((redelivery, plan, output))) => {
            if !args.job.json {
                print!(
                    "{}",
                    text::episode_plan(&entry.label, &super::render::plan_table(&plan, &output))
                );
            }
            let mut row = Row::new(entry, Outcome::Planned);
            row.root = Some(output.join(&plan.root_name));
            row.redelivery = redelivery;
            row
        }
        Ok(Err(Packed::Now { .. })) => Row::new(entry, Outcome::Planned),
        Err(e) => Row::failed(entry, &e),
    }
}

/// Bytes of an episode's sources, as the file system gives them now.
fn source_bytes(entry: &Entry) -> u64 {
    entry.job.as_ref().map_or(0, |j| {
        j.sources_flat()
            .iter()
            .filter_map(|s| std::fs::metadata(&s.path).ok())
            .map(|m| m.len())
            .sum()
    })
}

fn pack_one(entry: &Entry, args: &PackArgs, quiet: bool, cancel: &Cancel) -> Row {
    let job = match &entry.job {
        Ok(j) => j,
        Err(e) => return Row::failed(entry, e),
    };
    let profile = match profile_of(job, args.job.profile.as_deref()) {
        Ok(p) => p,
        Err(e) => return Row::failed(entry, &e),
    };
    let opts = |job: &Job| options(job, &profile, args);
    let mut progress = Progress::for_stderr(quiet);
    match pack_episode(job, &profile, &opts, &mut progress, cancel) {
        Ok(Packed::Before {
            root,
            manifest,
            damaged,
        }) => {
            let mut row = Row::new(entry, Outcome::AlreadyDelivered);
            row.root = Some(root);
            let n = |sev: &str| {
                manifest
                    .findings
                    .iter()
                    .filter(|f| f.severity == sev)
                    .count()
            };
            (row.errors, row.warnings) = (n("error"), n("warning"));
            if let Some(why) = damaged {
                row.outcome = Outcome::Damaged;
                row.note = why;
            }
            row
        }
        Ok(Packed::Now {
            outcome: PackOutcome::Delivered(r),
            redelivery,
        }) => {
            let (errors, warnings) = counts(&r.qc.findings);
            let mut row = Row::new(entry, Outcome::Delivered);
            (row.errors, row.warnings) = (errors, warnings);
            row.root = Some(r.root.clone());
            row.verified = Some(r.verified);
            row.redelivery = redelivery;
            row
        }
        Ok(Packed::Now {
            outcome: PackOutcome::Blocked(qc),
            ..
        }) => {
            let (errors, warnings) = counts(&qc.findings);
            let mut row = Row::new(entry, Outcome::Blocked);
            (row.errors, row.warnings) = (errors, warnings);
            row.note = text::first_error(&qc.findings);
            row
        }
        Err(Error::Interrupted) => Row::new(entry, Outcome::Interrupted),
        Err(e) => Row::failed(entry, &e),
    }
}

/// Runs `verify` of the latest delivery of every episode the files name.
pub fn run_verify(args: &VerifyArgs, cancel: &Cancel) -> Exit {
    let (entries, cross) = match episodes(&args.targets) {
        Ok(x) => x,
        Err(code) => return code,
    };
    let opts = crate::verify::VerifyOptions { md5: args.md5 };
    let quiet = args.quiet;
    let rows = run_all(&entries, 1, false, cancel, &|i, entry| {
        if !quiet {
            eprint!(
                "{}",
                text::episode_start(i + 1, entries.len(), &entry.label, None)
            );
        }
        verify_one(entry, opts, args.quiet, cancel)
    });
    finish(&rows, &cross, args.json, text::VERIFIED)
}

fn verify_one(
    entry: &Entry,
    opts: crate::verify::VerifyOptions,
    quiet: bool,
    cancel: &Cancel,
) -> Row {
    let job = match &entry.job {
        Ok(j) => j,
        Err(e) => return Row::failed(entry, e),
    };
    let latest = profile_of(job, None)
        .and_then(|profile| crate::plan::latest_manifest(&job.output_dir(), job, &profile));
    let manifest = match latest {
        Ok(Some(m)) => m,
        Ok(None) => return Row::new(entry, Outcome::NotDelivered),
        Err(e) => return Row::failed(entry, &e),
    };
    let mut progress = Progress::for_stderr(quiet);
    match crate::verify::verify_with(&manifest, opts, &mut progress, cancel) {
        Ok(r) => {
            let mut row = Row::new(
                entry,
                if r.is_clean() {
                    Outcome::Verified
                } else {
                    Outcome::Differs
                },
            );
            row.root = Some(r.root.clone());
            row.verified = Some(r.is_clean());
            row.errors = r.problems.len();
            row
        }
        Err(Error::Interrupted) => Row::new(entry, Outcome::Interrupted),
        Err(e) => Row::failed(entry, &e),
    }
}

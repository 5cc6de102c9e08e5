//! The worker side of the wizard: every effect that touches the disk runs
//! here, on its own thread (listing and probing, planning, packing, looking
//! for a previous delivery, writing the report again; a season's states
//! and packing in `season_work.rs`), and reports back
//! through a channel, so no screen ever waits on I/O. Saving the job file
//! (a few hundred bytes) is the one effect done in place.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::{self, JoinHandle};
use std::time::Instant;

use chrono::Utc;

use super::app::{DoneInfo, Effect, Measured, Planned, WorkerMsg};
use super::plot::Plot;
use super::strings as s;
use crate::job::Job;
use crate::pack::PackOptions;
use crate::pack::flow::{self, PackReport, Prepared};
use crate::probe::probe_path;
use crate::profile::Profile;
use crate::progress::{Cancel, Event};

/// Runs effects on threads; results arrive on [`Runner::rx`].
#[derive(Debug)]
pub struct Runner {
    tx: Sender<WorkerMsg>,
    /// Results of the workers, for the event loop.
    pub rx: Receiver<WorkerMsg>,
    cancel: Option<Cancel>,
    threads: Vec<JoinHandle<()>>,
    /// The pack in flight: the one thread worth waiting for on shutdown
    /// (it leaves its staging folder resumable); the others only read.
    packing: Option<JoinHandle<()>>,
}

impl Default for Runner {
    fn default() -> Self {
        let (tx, rx) = channel();
        Runner {
            tx,
            rx,
            cancel: None,
            threads: Vec::new(),
            packing: None,
        }
    }
}

impl Runner {
    /// Starts every effect.
    pub fn run(&mut self, effects: Vec<Effect>) {
        for e in effects {
            self.run_one(e);
        }
        self.threads.retain(|t| !t.is_finished());
    }

    /// True while a worker thread is still running.
    pub fn busy(&self) -> bool {
        self.threads
            .iter()
            .chain(&self.packing)
            .any(|t| !t.is_finished())
    }

    /// Cancels a running pack and waits for it to stop (it keeps its
    /// finished files for a resume). Scans and plans only read, so they
    /// are not waited for: a scan of a large folder cannot hold up the exit.
    pub fn shutdown(&mut self) {
        if let Some(c) = &self.cancel {
            c.cancel();
        }
        if let Some(t) = self.packing.take() {
            let _ = t.join();
        }
        self.threads.clear();
    }

    fn spawn(&mut self, f: impl FnOnce(Sender<WorkerMsg>) + Send + 'static) {
        let tx = self.tx.clone();
        self.threads.push(thread::spawn(move || f(tx)));
    }

    fn run_one(&mut self, e: Effect) {
        match e {
            Effect::Scan(root) => self.spawn(move |tx| scan(&root, &tx)),
            Effect::Prepare(job) => self.spawn(move |tx| {
                let r = profile_of(&job).and_then(|profile| {
                    flow::prepare(&job, &profile)
                        .map(|prepared| {
                            let findings =
                                crate::check::header_findings(&job, &profile, &prepared.plan);
                            // What `pack` would refuse, known before Enter.
                            let opts = PackOptions::new(&job, &profile, None);
                            let refusal = flow::refusals(&job, &profile, &prepared, &opts)
                                .err()
                                .map(|e| e.to_string());
                            Box::new(Planned {
                                prepared,
                                findings,
                                profile,
                                refusal,
                            })
                        })
                        .map_err(|e| e.to_string())
                });
                let _ = tx.send(WorkerMsg::Prepared(job, r));
            }),
            Effect::Pack(work) => {
                let cancel = Cancel::new();
                self.cancel = Some(cancel.clone());
                let tx = self.tx.clone();
                self.packing = Some(thread::spawn(move || {
                    let (job, prepared) = *work;
                    let r = pack(&job, &prepared, &cancel, &tx);
                    let _ = tx.send(WorkerMsg::Packed(r));
                }));
            }
            Effect::SeasonStates(list) => {
                self.spawn(move |tx| super::season_work::states(&list, &tx));
            }
            Effect::PackSeason(list) => {
                let cancel = Cancel::new();
                self.cancel = Some(cancel.clone());
                let tx = self.tx.clone();
                self.packing = Some(thread::spawn(move || {
                    super::season_work::pack_all(&list, &cancel, &tx);
                }));
            }
            Effect::Cancel => {
                if let Some(c) = &self.cancel {
                    c.cancel();
                }
            }
            Effect::Save { path, dir, text } => {
                let _ = self.tx.send(WorkerMsg::Saved(save(path, &dir, &text)));
            }
            Effect::FindPrevious { output, job } => self.spawn(move |tx| {
                let _ = tx.send(WorkerMsg::Previous(find_previous(&output, &job)));
            }),
            Effect::Report {
                manifest,
                out,
                verified,
                limits,
            } => self.spawn(move |tx| {
                let r = write_report(&manifest, &out, verified, limits);
                let _ = tx.send(WorkerMsg::Reported(r));
            }),
        }
    }
}

fn profile_of(job: &Job) -> Result<Profile, String> {
    Profile::resolve(&job.profile_ref()).map_err(|e| e.to_string())
}

/// Lists `root` as `init` does ([`crate::scan`]), then probes each media file.
fn scan(root: &Path, tx: &Sender<WorkerMsg>) {
    let paths = crate::scan::list(root);
    let _ = tx.send(WorkerMsg::Listed(paths.clone()));
    for p in paths.into_iter().filter(|p| crate::scan::is_candidate(p)) {
        let r = probe_path(&p).map(Box::new).map_err(|e| e.to_string());
        if tx.send(WorkerMsg::Probed(p, r)).is_err() {
            return;
        }
    }
    let _ = tx.send(WorkerMsg::ScanDone);
}

fn pack(
    job: &Job,
    prepared: &Prepared,
    cancel: &Cancel,
    tx: &Sender<WorkerMsg>,
) -> Result<Box<DoneInfo>, String> {
    let profile = profile_of(job)?;
    let opts = PackOptions::new(job, &profile, None);
    let start = Instant::now();
    let mut observer = |ev: Event| {
        let _ = tx.send(WorkerMsg::Progress(ev, start.elapsed()));
    };
    let outcome = flow::pack(
        job,
        &profile,
        prepared,
        &opts,
        Utc::now(),
        &mut observer,
        cancel,
    )
    .map_err(|e| e.to_string())?;
    let report = match outcome {
        flow::PackOutcome::Delivered(report) => *report,
        flow::PackOutcome::Blocked(qc) => {
            // Errors and warnings: the notes (loudness, 2-pops) are not
            // why it stopped, and would push the rows off a small screen.
            let why = crate::check::render_rows(
                qc.findings
                    .iter()
                    .filter(|f| f.severity != crate::profile::Severity::Info),
            );
            return Err(format!("{}\n{why}", s::QC_BLOCKED));
        }
    };
    Ok(done_info(report))
}

/// What the Done screen shows of a delivered pack: its report, and each
/// file's loudness and true peak as the manifest recorded them, with the
/// plots of every measured file.
pub(super) fn done_info(report: PackReport) -> Box<DoneInfo> {
    let (files, conform) = (&report.record.files, &report.record.conform);
    let measured = files
        .iter()
        .map(|f| Measured {
            path: f.path.clone(),
            lufs: f.analysis.as_ref().and_then(|a| a.integrated_lufs),
            true_peak: f
                .analysis
                .as_ref()
                .and_then(crate::analysis::Measurements::max_true_peak_dbtp),
        })
        .collect();
    let movie = files
        .iter()
        .find(|f| f.role == "reference_video")
        .map(|f| f.path.clone());
    let plots = files
        .iter()
        .filter_map(|f| Plot::of_delivered(f, conform, movie.as_deref()))
        .collect();
    Box::new(DoneInfo {
        report,
        measured,
        plots,
    })
}

/// Writes the delivery's report again from its manifest at `yaml` (as
/// `pack` and `mnepack report` draw it: a manifest edited since says so),
/// with the plan's limits, else those of the manifest's built-in profile.
fn write_report(
    yaml: &Path,
    out: &Path,
    verified: bool,
    limits: Option<crate::report::Limits>,
) -> Result<PathBuf, String> {
    let (m, mut ctx) = crate::report::load(yaml).map_err(|e| e.to_string())?;
    ctx.verified = Some(verified);
    let limits = match limits {
        Some(l) => l,
        None => Profile::builtin(&m.job.profile)
            .map(|p| crate::report::Limits::from(&p.qc))
            .map_err(|e| e.to_string())?,
    };
    crate::report::write_page(&m, &ctx, &limits, out)
        .map(|()| out.to_path_buf())
        .map_err(|e| e.to_string())
}

/// Writes the job file: over `path` when given (the user's own job), else
/// under a fresh name in `dir` (`job.yaml`, `job-2.yaml`...), never over
/// another file.
fn save(path: Option<PathBuf>, dir: &Path, text: &str) -> Result<PathBuf, String> {
    if let Some(p) = path {
        return fs::write(&p, text)
            .map(|()| p.clone())
            .map_err(|e| format!("cannot write {}: {e}", p.display()));
    }
    for n in 1..100 {
        let name = if n == 1 {
            "job.yaml".to_string()
        } else {
            format!("job-{n}.yaml")
        };
        let p = dir.join(name);
        match fs::OpenOptions::new().write(true).create_new(true).open(&p) {
            Ok(mut f) => {
                return f
                    .write_all(text.as_bytes())
                    .map(|()| p.clone())
                    .map_err(|e| format!("cannot write {}: {e}", p.display()));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(format!("cannot write {}: {e}", p.display())),
        }
    }
    Err(format!("no free job file name in {}", dir.display()))
}

/// The manifest of the latest delivery of `job`'s title and unit under
/// `output`, as the library finds it for `pack` ([`crate::plan::latest_manifest`]);
/// none when its profile cannot be read.
pub fn find_previous(output: &Path, job: &Job) -> Option<PathBuf> {
    let profile = profile_of(job).ok()?;
    crate::plan::latest_manifest(output, job, &profile).ok()?
}

//! `pack` from start to end: refusals before any write, then one read per
//! source into the staging folder (hashes + analysis + copy), read-back
//! verify, the rename of every finished file into its upload folder, and
//! the manifest. On any failure the delivery root this run created is
//! removed, so nothing half-done is left that looks complete.

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::fsops::{self, STAGING};
use super::lock::{self, Holder};
use super::pipeline::RangeSink;
use super::sinks::{AnalysisSink, DigestSinks};
use super::stage::{self, LinkMode, Method, StageRequest};
use crate::analysis::{AnalysisParams, Analyzer, AudioFormat, Measurements};
use crate::error::{Error, Result};
use crate::hash::{Digests, HashSelection};
use crate::plan::{Plan, PlanItem};
use crate::probe::AudioInfo;
use crate::probe::Media;
use crate::profile::Qc;
use crate::progress::{Cancel, Event, Observer};

/// How to pack.
#[derive(Debug, Clone)]
pub struct PackOptions {
    /// Folder that receives the delivery root.
    pub output: PathBuf,
    /// Copy, hardlink, reflink or auto.
    pub link: LinkMode,
    /// Whether `auto` may hardlink (the profile's policy).
    pub allow_hardlink: bool,
    /// Re-read every delivered file and compare its hash.
    pub verify: bool,
    /// Digests to compute besides SHA-256 and xxHash64.
    pub hashes: HashSelection,
    /// The profile's QC settings (clipping run, dropout length, pop window).
    pub qc: Qc,
    /// Deliver even when QC finds errors (the manifest records it).
    pub force: bool,
}

/// What happened to one deliverable.
#[derive(Debug, Clone)]
pub struct PackedFile {
    /// Path relative to the delivery root (`MnE/name.wav`).
    pub rel_path: String,
    /// Bytes delivered.
    pub size: u64,
    /// How the bytes got there.
    pub method: Method,
    /// Digests from the single read.
    pub digests: Digests,
    /// Measurements (audio only).
    pub measurements: Option<Measurements>,
    /// True when a read-back re-computed the same digests.
    pub verified: bool,
}

/// The outcome of the write phase, before the manifest.
#[derive(Debug, Clone)]
pub struct Packed {
    /// The delivery root that was created.
    pub root: PathBuf,
    /// Every file, in plan order.
    pub files: Vec<PackedFile>,
}

/// The delivery root a plan would create under `output`.
pub fn root_for(plan: &Plan, output: &Path) -> PathBuf {
    output.join(&plan.root_name)
}

/// Every reason to refuse before writing anything: a missing or unreadable
/// source, an output inside a source folder, an existing delivery root, too
/// little free space. Returns the absolute delivery root.
pub fn preflight(plan: &Plan, opts: &PackOptions) -> Result<PathBuf> {
    let output =
        fsops::absolute(&opts.output).map_err(|e| Error::io("cannot resolve", &opts.output, e))?;
    let root = root_for(plan, &output);
    let mut need: u64 = 0;
    for item in &plan.items {
        let meta = fs::metadata(&item.source)
            .map_err(|e| Error::io("cannot read source", &item.source, e))?;
        if !meta.is_file() {
            return Err(Error::Refused(format!(
                "source {} is not a regular file",
                item.source.display()
            )));
        }
        File::open(&item.source).map_err(|e| Error::io("cannot open source", &item.source, e))?;
        let src_abs = fsops::absolute(&item.source)
            .map_err(|e| Error::io("cannot resolve", &item.source, e))?;
        if let Some(folder) = src_abs.parent()
            && fsops::is_within(&root, folder)
        {
            return Err(Error::Refused(format!(
                "the delivery root {} would land inside the source folder {}; choose another output folder",
                root.display(),
                folder.display()
            )));
        }
        if opts.link == LinkMode::Copy || !fsops::same_filesystem(&item.source, &output) {
            need = need.saturating_add(meta.len());
        }
    }
    if root.exists() {
        return Err(Error::Refused(root_exists(&root)));
    }
    let free = fsops::free_space(&output)
        .map_err(|e| Error::io("cannot measure free space on", &output, e))?;
    // Headroom for the manifest and filesystem metadata.
    let margin = 16 << 20;
    if free < need.saturating_add(margin) {
        return Err(Error::Refused(format!(
            "not enough free space in {}: the delivery needs {} bytes, {} are free",
            output.display(),
            need,
            free
        )));
    }
    Ok(root)
}

/// Decides, once every file is staged, hashed and measured, whether the
/// delivery may be finalised (the signal QC rules) and under which final
/// paths (a redelivery settles versions, so names, by content):
/// `Some(paths)` index-aligned with the plan, or `None` to keep the upload
/// folders empty and remove the root.
pub type Gate<'a> = &'a mut dyn FnMut(&[PackedFile]) -> Option<Vec<String>>;

/// What `write_files` ended with.
#[derive(Debug, Clone)]
pub enum WriteOutcome {
    /// Every file is in its upload folder.
    Done(Packed),
    /// The gate refused: nothing was delivered and the root was removed.
    Blocked,
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

/// Writes every planned file into its upload folder through the staging
/// folder. Checks `preflight` first. On error, cancel or a closed gate,
/// removes the root.
pub fn write_files(
    plan: &Plan,
    opts: &PackOptions,
    gate: Gate<'_>,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<WriteOutcome> {
    let root = preflight(plan, opts)?;
    fs::create_dir_all(root.parent().unwrap_or(Path::new("/")))
        .map_err(|e| Error::io("cannot create", &opts.output, e))?;
    // create_dir (not _all): fails if another run created the root meanwhile.
    fs::create_dir(&root).map_err(|e| Error::io("cannot create the delivery root", &root, e))?;
    let result = write_into(&root, plan, opts, gate, observer, cancel);
    if let Ok(Some(files)) = result {
        return Ok(WriteOutcome::Done(Packed { root, files }));
    }
    let _ = fs::remove_dir_all(&root);
    result.map(|_| WriteOutcome::Blocked)
}

fn write_into(
    root: &Path,
    plan: &Plan,
    opts: &PackOptions,
    gate: Gate<'_>,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<Option<Vec<PackedFile>>> {
    let staging = root.join(STAGING);
    fs::create_dir(&staging).map_err(|e| Error::io("cannot create", &staging, e))?;
    let started = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let _lock = lock::acquire(root, &super::flow::hostname(), &started)
        .map_err(|e| Error::io("cannot lock", &staging, e))?;
    for folder in &plan.folders {
        let dir = root.join(folder);
        fs::create_dir(&dir).map_err(|e| Error::io("cannot create", &dir, e))?;
    }
    let total: u64 = plan.items.iter().map(|i| i.size).sum();
    observer.event(Event::Start {
        phase: "pack",
        files: plan.items.len(),
        total_bytes: total,
    });
    let mut files = Vec::with_capacity(plan.items.len());
    for item in &plan.items {
        files.push(stage_item(&staging, item, opts, observer, cancel)?);
    }
    observer.event(Event::Finish);
    let Some(final_paths) = gate(&files) else {
        return Ok(None);
    };
    for (file, path) in files.iter_mut().zip(final_paths) {
        file.rel_path = path;
    }
    if opts.verify {
        read_back(&staging, plan, &mut files, opts.hashes, observer, cancel)?;
    }
    for (item, file) in plan.items.iter().zip(&files) {
        let from = staging.join(&item.name);
        let to = root.join(&file.rel_path);
        fs::rename(&from, &to)
            .map_err(|e| Error::io("cannot move into the upload folder", &to, e))?;
    }
    for folder in &plan.folders {
        let dir = root.join(folder);
        fsops::sync_dir(&dir).map_err(|e| Error::io("cannot sync", &dir, e))?;
    }
    fs::remove_file(staging.join(lock::LOCK))
        .map_err(|e| Error::io("cannot remove", &staging, e))?;
    fs::remove_dir(&staging).map_err(|e| Error::io("cannot remove", &staging, e))?;
    fsops::sync_dir(root).map_err(|e| Error::io("cannot sync", root, e))?;
    Ok(Some(files))
}

fn stage_item(
    staging: &Path,
    item: &PlanItem,
    opts: &PackOptions,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<PackedFile> {
    let rel_path = format!("{}/{}", item.folder, item.name);
    observer.event(Event::FileStart {
        name: item.name.clone(),
        size: item.size,
    });
    let staged = staging.join(&item.name);
    let mut digests = DigestSinks::new(opts.hashes);
    let mut analysis = match &item.probed.media {
        Media::Audio(a) => Analyzer::new(AudioFormat::from_info(a), &analysis_params(a, &opts.qc))
            .ok()
            .map(|an| {
                RangeSink::new(
                    AnalysisSink(an),
                    a.data_offset,
                    a.data_offset.saturating_add(a.data_len),
                )
            }),
        Media::Video(_) => None,
    };
    let mut sinks = digests.sinks();
    if let Some(a) = analysis.as_mut() {
        sinks.push(a);
    }
    let req = StageRequest {
        source: &item.source,
        size: item.size,
        staged: &staged,
        mode: opts.link,
        allow_hardlink: opts.allow_hardlink,
    };
    let method = stage::stage_one(&req, &mut sinks, cancel, &mut |n| {
        observer.event(Event::Advance { bytes: n });
    })
    .map_err(|e| match e {
        stage::StageError::Stream(super::pipeline::StreamError::Cancelled) => Error::Interrupted,
        other => Error::Refused(format!("{}: {other}", item.source.display())),
    })?;
    drop(sinks);
    observer.event(Event::FileDone {
        name: item.name.clone(),
    });
    let measurements = analysis.map(|a| a.into_inner().finish());
    if let Some(m) = &measurements {
        observer.event(Event::Measured {
            name: item.name.clone(),
            measurements: Box::new(m.clone()),
        });
    }
    Ok(PackedFile {
        rel_path,
        size: item.size,
        method,
        digests: digests.finish(),
        measurements,
        verified: false,
    })
}

fn read_back(
    staging: &Path,
    plan: &Plan,
    files: &mut [PackedFile],
    sel: HashSelection,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<()> {
    let total: u64 = files.iter().map(|f| f.size).sum();
    observer.event(Event::Start {
        phase: "verify",
        files: files.len(),
        total_bytes: total,
    });
    for (item, file) in plan.items.iter().zip(files.iter_mut()) {
        let path = staging.join(&item.name);
        observer.event(Event::FileStart {
            name: item.name.clone(),
            size: file.size,
        });
        let f = File::open(&path).map_err(|e| Error::io("cannot re-read", &path, e))?;
        fsops::drop_cache(&f);
        fsops::advise_sequential(&f);
        let mut digests = DigestSinks::new(sel);
        let mut reader = &f;
        super::pipeline::stream(
            &mut reader,
            file.size,
            &mut digests.sinks(),
            cancel,
            &mut |n| {
                observer.event(Event::Advance { bytes: n });
            },
        )
        .map_err(|e| match e {
            super::pipeline::StreamError::Cancelled => Error::Interrupted,
            other => Error::Refused(format!("read-back of {}: {other}", path.display())),
        })?;
        let again = digests.finish();
        if again != file.digests {
            return Err(Error::Refused(format!(
                "read-back of {} does not match what was written (sha256 {} != {}): the disk or the source is not reliable",
                file.rel_path, again.sha256, file.digests.sha256
            )));
        }
        file.verified = true;
        observer.event(Event::FileDone {
            name: item.name.clone(),
        });
    }
    observer.event(Event::Finish);
    Ok(())
}

/// The clock as a parameter: `now()` in production, fixed in tests.
pub type Clock = fn() -> DateTime<Utc>;

/// Analysis settings for one file: LFE and surrounds from its channel
/// labels, thresholds from the profile.
pub fn analysis_params(a: &AudioInfo, qc: &Qc) -> AnalysisParams {
    let mut p = AnalysisParams::from_labels(&a.channel_labels, a.sample_rate);
    let rate = f64::from(a.sample_rate);
    p.clip_run = qc.clip_run.max(1) as usize;
    p.dropout_min_samples = ((qc.dropout_min_ms / 1000.0 * rate).round() as u64).max(1);
    p.pop_window_samples = (qc.pop_search_seconds * rate).round() as u64;
    p
}

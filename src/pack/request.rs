//! What a pack is asked to do and what it hands back: the options, the
//! gate that settles the final names, and each delivered file. A leaf of
//! `pack`: every stage reads these types, and this file reads none of the
//! stages.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::stage::{LinkMode, Method};
use crate::analysis::{AnalysisParams, Measurements};
use crate::hash::{Digests, HashSelection};
use crate::probe::AudioInfo;
use crate::profile::Qc;

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
    /// Threads the reads may keep busy (`crate::threads::available`); with
    /// one, the files are read one after another (the compared files still
    /// side by side, last). Not part of what a resume must match.
    pub threads: usize,
}

impl PackOptions {
    /// The options of a plain pack of `job` with `profile`: into `output`
    /// (else the job's output folder), copying, read back, the profile's
    /// digests and QC settings, not forced. Front ends change only what
    /// their user chose.
    pub fn new(
        job: &crate::job::Job,
        profile: &crate::profile::Profile,
        output: Option<&Path>,
    ) -> Self {
        PackOptions {
            output: output.map_or_else(|| job.output_dir(), Path::to_path_buf),
            link: LinkMode::Copy,
            allow_hardlink: profile.links.allow_hardlink,
            verify: true,
            hashes: HashSelection {
                md5: profile.hashes.md5,
            },
            qc: profile.qc.clone(),
            force: false,
            threads: crate::threads::available(),
        }
    }
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
    /// The time that stamps the manifest: this run's start, or the start
    /// of the run it resumed (so a resumed delivery is identical).
    pub created: DateTime<Utc>,
}

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

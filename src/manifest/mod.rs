//! The record of one delivery and the three files that carry it in the
//! delivery root (spec B3): `<root>.yaml` (the manifest), `<root>.sha256`
//! (`sha256sum -c` list) and `<root>.mhl` (ASC MHL v2.0 packing list).
//!
//! This module owns the serde types ([`Manifest`] and its parts), the pure
//! serializers ([`to_yaml`], [`sha256_list`], [`mhl_packing_list`]), the
//! reader ([`from_yaml`], [`read_manifest`]), the tamper check
//! ([`manifest_digest_check`]) and the atomic writer ([`write_atomic`],
//! [`write_manifest_files`]).
//!
//! Tamper evidence, decided here: `<root>.sha256` lists every delivered file
//! and then, as its **last line**, `<root>.yaml` itself. One
//! `sha256sum -c <root>.sha256` run in the root therefore checks the files
//! and the manifest, no extra sidecar is needed, and
//! [`manifest_digest_check`] reports a manifest edited after writing. The
//! YAML is written first, then the `.sha256` (which needs the YAML's digest),
//! then the MHL. The MHL does not list the YAML (ASC MHL verification of a
//! packing list is run with `-i '*.yaml'`).

mod atomic;
mod emit;
mod mhl;
mod sha256;
mod yaml;

use serde::{Deserialize, Serialize};

pub use atomic::{ManifestPaths, write_atomic, write_manifest_files};
pub use mhl::{CreatorInfo, mhl_packing_list, xml_escape};
pub use sha256::{DigestCheck, manifest_digest_check, parse_sha256_list, sha256_list};
pub(crate) use yaml::read_limited;
pub use yaml::{MAX_MANIFEST_BYTES, ManifestError, from_yaml, read_manifest, to_yaml};

/// The schema this version of mnepack writes and reads.
pub const SCHEMA: &str = "mnepack-manifest/1";

/// The name of the staging folder `pack` may leave in a delivery root.
pub const STAGING_DIR: &str = ".mnepack-staging";

/// The record of one delivery (`<root>/<root>.yaml`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Always [`SCHEMA`] when written by this version.
    pub schema: String,
    /// The tool that wrote it.
    pub tool: Tool,
    /// When it was written, RFC 3339 UTC (`2026-11-25T10:00:00Z`).
    pub created: String,
    /// Which delivery this is.
    pub delivery: Delivery,
    /// The job's identity.
    pub job: JobSummary,
    /// Every delivered file, in delivery order.
    pub files: Vec<ManifestFile>,
    /// Files of the previous delivery that this one no longer carries.
    #[serde(default)]
    pub removed: Vec<RemovedFile>,
    /// QC findings at packing time.
    #[serde(default)]
    pub findings: Vec<FindingRecord>,
    /// What the conform analysis found, per file compared with the print
    /// master (spec B5), so a receiving QC can see what was checked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conform: Vec<ConformRecord>,
    /// True when packing went ahead despite QC errors (`--force`).
    pub forced: bool,
}

/// The tool that wrote a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tool {
    /// `mnepack`.
    pub name: String,
    /// Its version (`0.1.0`).
    pub version: String,
}

/// Which delivery a manifest records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    /// 1 for the first delivery, 2 for the first redelivery...
    pub number: u32,
    /// The delivery root's folder name (`chefs_table_s02e02_delivery01`).
    pub root: String,
    /// The manifest of the previous delivery, for a redelivery.
    pub previous: Option<PreviousRef>,
}

/// A pointer to the previous delivery's manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviousRef {
    /// Its path as given in the job.
    pub path: String,
    /// The SHA-256 of its bytes when this delivery was packed.
    pub sha256: String,
}

/// The job's identity as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobSummary {
    /// Sanitised title (`chefs_table`).
    pub title: String,
    /// `s02e02`, `r01` or `lp`.
    pub unit: String,
    /// Frame rate label as in the job (`23.976`, `29.97DF`).
    pub frame_rate: String,
    /// BCP-47 language tag, when given.
    pub language: Option<String>,
    /// The profile's name or path.
    pub profile: String,
}

/// One delivered file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestFile {
    /// Path relative to the delivery root, POSIX, `<upload folder>/<name>`.
    pub path: String,
    /// Role name (`reference_video`, `mne`, `optional`, `dialogue_guide`, `print_master`).
    pub role: String,
    /// Optional-track letter (`A`..`Z`).
    pub letter: Option<String>,
    /// Channel label for one-file-per-channel deliveries (`L`, `LFE`...).
    pub channel: Option<String>,
    /// Short description (`Walla`, `StageMix`).
    pub desc: Option<String>,
    /// Version number of this file (1 for `v01`).
    pub version: u32,
    /// The day this version was made, `YYYY-MM-DD`.
    pub date: String,
    /// `new`, `changed` or `unchanged` (against the previous delivery).
    pub status: String,
    /// The name this file had in the previous delivery, when renamed.
    pub previous_name: Option<String>,
    /// Where the bytes came from.
    pub source: SourceRef,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, lowercase hex.
    pub sha256: String,
    /// xxHash64, canonical big-endian lowercase hex.
    pub xxh64: String,
    /// MD5, lowercase hex, when the profile asks for it.
    pub md5: Option<String>,
    /// Header facts.
    pub media: Option<MediaSummary>,
    /// Signal measurements (audio).
    pub analysis: Option<crate::analysis::Measurements>,
}

/// The source a delivered file was copied from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRef {
    /// Absolute path of the source.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
    /// Its modification time, RFC 3339 UTC, when known.
    pub modified: Option<String>,
}

/// Header facts of a delivered file, as recorded.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaSummary {
    /// `RIFF`, `RF64`, `BW64`, `QuickTime`, `MXF`.
    pub container: String,
    /// `pcm_s24le`, `prores`...
    pub codec: Option<String>,
    /// Samples per second (audio).
    pub sample_rate: Option<u32>,
    /// Bits per sample (audio).
    pub bits: Option<u16>,
    /// Channel count (audio).
    pub channels: Option<u16>,
    /// WAVE_FORMAT_EXTENSIBLE channel mask as text (`0x60F`).
    pub channel_mask: Option<String>,
    /// Sample frames (audio) or video frames.
    pub frames: Option<u64>,
    /// Duration as timecode-like text (`01:39:59:23`).
    pub duration: Option<String>,
    /// Start timecode (`00:59:58:00`).
    pub start_timecode: Option<String>,
    /// Video codec four-cc (`apcn`).
    pub codec_fourcc: Option<String>,
    /// Picture width (video).
    pub width: Option<u32>,
    /// Picture height (video).
    pub height: Option<u32>,
    /// Video frame rate label (`23.976`).
    pub frame_rate: Option<String>,
}

/// A file of the previous delivery that this one does not carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RemovedFile {
    /// Its path in the previous delivery.
    pub path: String,
    /// Its role.
    pub role: String,
    /// Why it is gone (`superseded by MnE/...`, `role dropped`).
    pub reason: String,
}

/// A QC finding as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingRecord {
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// Rule id (`true_peak`).
    pub rule: String,
    /// The delivered path (or source) it concerns.
    pub file: String,
    /// Human explanation.
    pub message: String,
    /// The measured value, as text.
    pub value: Option<String>,
    /// The stretch it applies to (conform rules), as timecodes of the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at: Option<At>,
}

/// The conform results of one file (spec B5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConformRecord {
    /// The delivered path.
    pub file: String,
    /// `reference` for the print master, else `compared`, or why not.
    pub status: String,
    /// Offset against the print master at the head, in samples (positive:
    /// the file's content is later); absent when no match was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset_samples: Option<i64>,
    /// Drift in ppm, when the offset changes steadily.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drift_ppm: Option<f64>,
    /// The offset at the tail, when drifting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tail_offset_samples: Option<i64>,
    /// Where each audible channel sits in the print master (`L=L`,
    /// `C=-C` when inverted).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub channels: Vec<String>,
    /// Stretches found (dialogue left in, level changes, holes, slips).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stretches: Vec<StretchRecord>,
    /// The print master's dialogue-gated loudness (LKFS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialogue_loudness_lkfs: Option<f64>,
}

/// One stretch a conform rule found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StretchRecord {
    /// The rule (`conform.levels`).
    pub rule: String,
    /// Where, as timecodes of the file.
    pub at: At,
    /// The measure (`-3.0 dB`).
    pub value: String,
}

/// A stretch of a file, as timecodes from its BWF start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct At {
    /// First frame's timecode.
    pub start: String,
    /// Timecode just after the stretch.
    pub end: String,
}

/// The commands that prove a delivery named `name` at `root` (the root as
/// the reader will type it: a path, or the name itself from its parent):
/// mnepack's `verify`, `sha256sum -c` and the ASC `ascmhl-debug`, which is
/// told to ignore the manifest files and the report (not deliverables).
pub fn verify_commands(root: &str, name: &str) -> [String; 3] {
    [
        format!("mnepack verify {root}"),
        format!("(cd {root} && sha256sum -c {name}.sha256)"),
        format!(
            "ascmhl-debug verify -pl {root}/{name}.mhl -i '*.mhl' -i '*.yaml' -i '*.sha256' -i '*.html' {root}"
        ),
    ]
}

/// The three manifest file names of a delivery root named `root`:
/// (`<root>.yaml`, `<root>.sha256`, `<root>.mhl`).
pub fn manifest_file_names(root: &str) -> [String; 3] {
    [
        format!("{root}.yaml"),
        format!("{root}.sha256"),
        format!("{root}.mhl"),
    ]
}

//! The `qc:` section of a profile: every threshold and severity of spec B4
//! as data, with the few pure helpers the checks need (is this rate, codec
//! or channel count accepted).

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize};

use crate::job::{RateDe, Role};
use crate::timecode::FrameRate;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Reported only.
    Info,
    /// Reported; packing goes on.
    Warning,
    /// Packing refuses unless forced.
    Error,
}

/// The severity of each QC rule (spec B4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(missing_docs)] // each field is the rule of the same name, documented in config/netflix.yaml
pub struct Severities {
    pub container: Severity,
    pub sample_rate: Severity,
    pub bit_depth: Severity,
    pub channels: Severity,
    pub optional_layout: Severity,
    /// Absent from profiles written before the rule existed: info.
    #[serde(default = "info")]
    pub optional_letter: Severity,
    pub channel_mask: Severity,
    pub length: Severity,
    pub length_small: Severity,
    pub length_vs_picture: Severity,
    pub start: Severity,
    pub true_peak_warn: Severity,
    pub true_peak_error: Severity,
    pub loudness: Severity,
    pub pm_loudness: Severity,
    pub silent_channel: Severity,
    pub silent_lfe: Severity,
    pub silent_file: Severity,
    pub clipping: Severity,
    pub dropout: Severity,
    pub pop: Severity,
    pub pop_alignment: Severity,
    pub reference_video: Severity,
    pub names: Severity,
    /// The conform rules of spec B5 grade their own severity; the table
    /// caps it (absent from older profiles: as the spec grades).
    #[serde(rename = "conform.sync", default = "error")]
    pub conform_sync: Severity,
    #[serde(rename = "conform.drift", default = "error")]
    pub conform_drift: Severity,
    #[serde(rename = "conform.channels", default = "error")]
    pub conform_channels: Severity,
    #[serde(rename = "conform.polarity", default = "error")]
    pub conform_polarity: Severity,
    #[serde(rename = "conform.optional_channels", default = "warning")]
    pub conform_optional_channels: Severity,
    #[serde(rename = "conform.dialogue_in_me", default = "warning")]
    pub conform_dialogue_in_me: Severity,
    #[serde(rename = "conform.levels", default = "warning")]
    pub conform_levels: Severity,
    #[serde(rename = "conform.fill", default = "warning")]
    pub conform_fill: Severity,
    #[serde(rename = "loudness.dialogue", default = "warning")]
    pub loudness_dialogue: Severity,
}

fn info() -> Severity {
    Severity::Info
}

fn yes() -> bool {
    true
}

fn dialogue_target() -> f64 {
    -27.0
}

fn dialogue_tolerance() -> f64 {
    2.0
}

fn warning() -> Severity {
    Severity::Warning
}

fn error() -> Severity {
    Severity::Error
}

fn de_rates<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<FrameRate>, D::Error> {
    Ok(Vec::<RateDe>::deserialize(d)?
        .into_iter()
        .map(|r| r.0)
        .collect())
}

/// QC thresholds (spec B4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Qc {
    /// Required sample rate (Hz).
    pub sample_rate: u32,
    /// Required bit depth (integer PCM).
    pub bits: u16,
    /// Accepted channel counts per audio role.
    pub channels: BTreeMap<Role, Vec<u16>>,
    /// Channel masks accepted for 5.1.
    pub masks_5_1: Vec<u32>,
    /// True peak above this is a warning (dBTP).
    pub true_peak_warn_dbtp: f64,
    /// True peak above this is an error (dBTP).
    pub true_peak_error_dbtp: f64,
    /// Print master full-program loudness target (LKFS).
    pub pm_loudness_target_lufs: f64,
    /// Allowed distance from the target (LU).
    pub pm_loudness_tolerance_lu: f64,
    /// Compare the audio with the print master (spec B5); `false` turns
    /// the conform analysis off (absent: on).
    #[serde(default = "yes")]
    pub conform: bool,
    /// Print master dialogue-gated loudness target (LKFS, spec B5).
    #[serde(default = "dialogue_target")]
    pub dialogue_loudness_target_lkfs: f64,
    /// Allowed distance from the dialogue target (LU).
    #[serde(default = "dialogue_tolerance")]
    pub dialogue_loudness_tolerance_lu: f64,
    /// Consecutive full-scale samples that count as clipping.
    pub clip_run: u32,
    /// Shortest in-programme silence reported as a dropout (ms).
    pub dropout_min_ms: f64,
    /// How far into each file the 2-pop is searched (seconds).
    pub pop_search_seconds: f64,
    /// Pops must line up within this many samples.
    pub pop_tolerance_samples: u64,
    /// Length differences of this many frames or more are the `length` rule.
    pub length_tolerance_frames: u64,
    /// Accepted video codecs, matched case-insensitively inside the codec name.
    pub video_codec_names: Vec<String>,
    /// Accepted video four-ccs (exact).
    pub video_fourccs: Vec<String>,
    /// Accepted frame rates.
    #[serde(deserialize_with = "de_rates")]
    pub frame_rates: Vec<FrameRate>,
    /// Severity per rule.
    pub severity: Severities,
}

impl Qc {
    /// True when `rate` is accepted (exact fraction and drop-frame flag).
    pub fn accepts_rate(&self, rate: FrameRate) -> bool {
        self.frame_rates.contains(&rate)
    }

    /// True when `role` accepts `channels` channels.
    pub fn accepts_channels(&self, role: Role, channels: u16) -> bool {
        self.channels
            .get(&role)
            .is_some_and(|c| c.contains(&channels))
    }

    /// True when a video codec is accepted, by four-cc or by name.
    pub fn accepts_video_codec(&self, fourcc: Option<&str>, name: Option<&str>) -> bool {
        let by_fourcc = fourcc.is_some_and(|f| self.video_fourccs.iter().any(|a| a == f));
        let by_name = name.is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            self.video_codec_names
                .iter()
                .any(|a| n.contains(&a.to_ascii_lowercase()))
        });
        by_fourcc || by_name
    }

    /// What is wrong with the thresholds, if anything (one line per problem).
    pub(crate) fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.sample_rate == 0 {
            out.push("qc.sample_rate: must be above 0".to_string());
        }
        if self.bits == 0 || self.bits > 64 {
            out.push("qc.bits: must be 1..=64".to_string());
        }
        for role in Role::ALL.into_iter().filter(|r| r.is_audio()) {
            match self.channels.get(&role) {
                Some(c) if !c.is_empty() && !c.contains(&0) => {}
                _ => out.push(format!(
                    "qc.channels.{role}: give a list of channel counts above 0"
                )),
            }
        }
        if self.channels.contains_key(&Role::ReferenceVideo) {
            out.push("qc.channels.reference_video: the video has no channel rule".to_string());
        }
        if self.true_peak_warn_dbtp > self.true_peak_error_dbtp {
            out.push(
                "qc.true_peak_warn_dbtp: must not be above qc.true_peak_error_dbtp".to_string(),
            );
        }
        for (key, v) in [
            ("pm_loudness_tolerance_lu", self.pm_loudness_tolerance_lu),
            ("dropout_min_ms", self.dropout_min_ms),
            ("pop_search_seconds", self.pop_search_seconds),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                out.push(format!("qc.{key}: must be a number of 0 or more"));
            }
        }
        for (key, v) in [
            ("true_peak_warn_dbtp", self.true_peak_warn_dbtp),
            ("true_peak_error_dbtp", self.true_peak_error_dbtp),
            ("pm_loudness_target_lufs", self.pm_loudness_target_lufs),
        ] {
            if !v.is_finite() {
                out.push(format!("qc.{key}: must be a finite number"));
            }
        }
        if self.clip_run == 0 {
            out.push("qc.clip_run: must be 1 or more".to_string());
        }
        if self.length_tolerance_frames == 0 {
            out.push("qc.length_tolerance_frames: must be 1 or more".to_string());
        }
        if self.frame_rates.is_empty() {
            out.push("qc.frame_rates: list at least one rate".to_string());
        }
        if self.video_codec_names.is_empty() && self.video_fourccs.is_empty() {
            out.push("qc.video_codec_names: list at least one codec".to_string());
        }
        out
    }
}

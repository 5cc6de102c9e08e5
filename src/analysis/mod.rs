//! Streaming analysis of PCM blocks: true peak (BS.1770-4), loudness and
//! loudness range, sample peak, silence, dropouts, clipping and the 2-pop.
//!
//! This file holds the public types (format, parameters, errors, results);
//! [`Analyzer`] (in `analyzer.rs`) is the streaming engine: create it for a
//! format, `feed` it the `data` chunk's bytes in slices of any length, then
//! `finish` it. Memory stays flat whatever the file length.

mod analyzer;
pub(crate) mod decode;
mod group;
mod kweight_avx2;
pub(crate) mod loudness;
mod pop;
mod silence;
mod truepeak;
mod wide;

use serde::{Deserialize, Serialize};

pub use analyzer::{Analyzer, Tap, analyze_bytes};
pub use pop::Pop;
pub use silence::{Clipping, Dropouts, Span};

use crate::probe::{AudioInfo, SampleFormat};

/// The layout of the sample bytes to analyse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AudioFormat {
    /// Channels per frame.
    pub channels: u16,
    /// Frames per second.
    pub sample_rate: u32,
    /// Integer PCM or IEEE float.
    pub sample_format: SampleFormat,
    /// Container bits per sample (8, 16, 24, 32 for PCM; 32, 64 for float).
    pub bits: u16,
    /// Bytes per frame (channels x bits / 8).
    pub block_align: u16,
}

impl AudioFormat {
    /// The format of a probed WAV's `data` chunk.
    pub fn from_info(info: &AudioInfo) -> Self {
        AudioFormat {
            channels: info.channels,
            sample_rate: info.sample_rate,
            sample_format: info.sample_format,
            bits: info.bits,
            block_align: info.block_align,
        }
    }
}

/// What to look for and how channels count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalysisParams {
    /// The LFE channel (0-based): left out of loudness, kept in peaks.
    pub lfe_channel: Option<usize>,
    /// Surround channels (0-based), weighted 1.41 in loudness (BS.1770-4).
    pub surround_channels: Vec<usize>,
    /// Consecutive full-scale samples that make a clipping run (3).
    pub clip_run: usize,
    /// Frames of all-channel digital silence inside programme that make a dropout.
    pub dropout_min_samples: u64,
    /// A 2-pop must start within this many frames of the start.
    pub pop_window_samples: u64,
}

impl Default for AnalysisParams {
    /// Stereo-like defaults at 48 kHz (see [`AnalysisParams::for_channels`]).
    fn default() -> Self {
        AnalysisParams::for_channels(2, 48_000)
    }
}

impl AnalysisParams {
    /// Defaults for `channels` in the usual order (L R C LFE Ls Rs [Lrs Rrs]):
    /// 6 channels have LFE 3 and surrounds 4, 5; 8 channels LFE 3 and
    /// surrounds 4-7 (as FFmpeg weighs side and back channels); other
    /// counts weigh every channel 1.0. Clipping runs of 3 samples, dropouts
    /// of 10 ms, 2-pop search over the first 20 s.
    pub fn for_channels(channels: u16, sample_rate: u32) -> Self {
        let (lfe_channel, surround_channels) = match channels {
            6 => (Some(3), vec![4, 5]),
            8 => (Some(3), vec![4, 5, 6, 7]),
            _ => (None, Vec::new()),
        };
        AnalysisParams {
            lfe_channel,
            surround_channels,
            clip_run: 3,
            dropout_min_samples: u64::from(sample_rate / 100).max(1),
            pop_window_samples: u64::from(sample_rate) * 20,
        }
    }

    /// Defaults with LFE and surrounds taken from speaker labels
    /// (`LFE`; `Ls Rs Lss Rss Lrs Rrs Lsr Rsr Cs Bl Br Sl Sr` are surrounds).
    pub fn from_labels(labels: &[String], sample_rate: u32) -> Self {
        const SURROUNDS: [&str; 13] = [
            "ls", "rs", "lss", "rss", "lrs", "rrs", "lsr", "rsr", "cs", "bl", "br", "sl", "sr",
        ];
        let mut p = AnalysisParams::for_channels(0, sample_rate);
        for (i, label) in labels.iter().enumerate() {
            let l = label.to_ascii_lowercase();
            if l.starts_with("lfe") {
                p.lfe_channel.get_or_insert(i);
            } else if SURROUNDS.contains(&l.as_str()) {
                p.surround_channels.push(i);
            }
        }
        p
    }
}

/// Why an analysis could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnalysisError {
    /// A sample format the analysis does not decode.
    #[error("unsupported for analysis: {0}")]
    Unsupported(String),
    /// The format or the parameters contradict themselves.
    #[error("invalid analysis input: {0}")]
    Invalid(String),
}

/// What the analysis measured in one audio file (the manifest's `analysis` block).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Measurements {
    /// True peak per channel in dBTP (4x oversampled, BS.1770-4); `-inf` is written as null.
    pub true_peak_dbtp: Vec<Option<f64>>,
    /// Sample peak per channel in dBFS.
    pub sample_peak_dbfs: Vec<Option<f64>>,
    /// Integrated loudness in LUFS (BS.1770-4 gated, LFE excluded); None when all blocks are gated out.
    pub integrated_lufs: Option<f64>,
    /// Loudness range in LU (EBU Tech 3342).
    pub lra_lu: Option<f64>,
    /// Channel indexes (0-based) that are digital silence for the whole file.
    pub silent_channels: Vec<usize>,
    /// Frames analysed.
    #[serde(default)]
    pub frames: u64,
    /// Every sample of every channel is zero (also when there are no frames).
    #[serde(default)]
    pub silent: bool,
    /// First frame that is not digital silence in every channel.
    #[serde(default)]
    pub first_sound_frame: Option<u64>,
    /// Last frame that is not digital silence in every channel.
    #[serde(default)]
    pub last_sound_frame: Option<u64>,
    /// All-channel digital silence inside programme.
    #[serde(default)]
    pub dropouts: Dropouts,
    /// Full-scale runs per channel.
    #[serde(default)]
    pub clipping: Vec<Clipping>,
    /// The 2-pop near the head, if one was found.
    #[serde(default)]
    pub pop: Option<Pop>,
    /// Bytes at the end that did not make a whole frame (ignored).
    #[serde(default)]
    pub trailing_bytes: u64,
    /// Short-term loudness (3 s window, BS.1770) at the end of each whole
    /// second, in LUFS to 0.1 (None: the first two seconds, or below the
    /// -70 LUFS floor): one value a second, what the report plots.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub short_term_lufs: Vec<Option<f64>>,
}

impl Measurements {
    /// The highest true peak over all channels in dBTP (None when all are silent).
    pub fn max_true_peak_dbtp(&self) -> Option<f64> {
        self.true_peak_dbtp
            .iter()
            .flatten()
            .copied()
            .reduce(f64::max)
    }

    /// The highest sample peak over all channels in dBFS.
    pub fn max_sample_peak_dbfs(&self) -> Option<f64> {
        self.sample_peak_dbfs
            .iter()
            .flatten()
            .copied()
            .reduce(f64::max)
    }
}

/// A linear level (1.0 = full scale) in dB; None for 0 (minus infinity).
pub fn to_db(linear: f64) -> Option<f64> {
    (linear > 0.0).then(|| 20.0 * linear.log10())
}

//! Streaming analysis of PCM blocks: true peak (BS.1770-4), loudness and
//! loudness range, sample peak, silence, dropouts, clipping and the 2-pop.

use serde::{Deserialize, Serialize};

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
}

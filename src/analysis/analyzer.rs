//! The streaming engine: takes the `data` chunk's bytes in slices of any
//! length and measures whole frames in spans of up to 64 chunks of 4096
//! frames (chunks cut at 100 ms loudness sub-block boundaries), keeping a
//! partial frame for the next call.
//!
//! The channels are split into two groups (see `group.rs`) that measure a
//! span side by side when the span is large and the machine has two cores
//! (the caller's thread and a long-lived helper); then this file combines
//! their per-chunk energies into loudness and their per-frame maxima into
//! all-channel silence, in order.
//! The split depends only on the channel count and the chunking only on the
//! bytes, so the result is the same whatever the threads or slice sizes.
//! All buffers are allocated once, in [`Analyzer::new`] (with a [`Tap`],
//! the vectors handed over are replaced by those the tap gives back).

use std::sync::OnceLock;

use super::group::{CHUNK, Group, GroupResult, Shared};
use super::loudness::{Loudness, k_weighting};
use super::silence::SilenceTracker;
use super::truepeak::Kernel;
use super::wide;
use super::{AnalysisError, AnalysisParams, AudioFormat, Measurements, Pop, to_db};
use crate::analysis::decode::Decoder;

/// Most chunks in one span: a read block of 5.1 24-bit audio is one span,
/// so the two groups meet once per block.
const SPAN_CHUNKS: usize = 64;
/// Most frames in one span.
const SPAN_FRAMES: usize = SPAN_CHUNKS * CHUNK;
/// Most chunks in one span when the samples are handed on: the span's
/// samples are still in the cache when the tap copies them (a file read
/// beside others gets its parallelism from them, not from a second thread).
const TAP_SPAN_CHUNKS: usize = 8;
/// Fewest frames worth handing a group to a helper.
const PARALLEL_FRAMES: usize = 8 * CHUNK;
/// Most channels accepted (bounds the per-channel buffers).
const MAX_CHANNELS: u16 = 256;

/// Receives the samples an [`Analyzer`] decoded, span by span.
pub trait Tap {
    /// The next frames, one vector per channel (all of one length), and
    /// their K-weighted, channel-weighted loudness energy in pieces
    /// `(frames, energy)` that never cross a 100 ms sub-block. The tap may
    /// take the vectors, leaving others in their place (empty or not: the
    /// analyzer clears them before the next span).
    fn samples(&mut self, channels: &mut [&mut Vec<f32>], power: &[(usize, f64)]);
}

/// Streaming analysis of one file's samples.
#[derive(Debug, Clone)]
pub struct Analyzer {
    shared: Shared,
    /// One group, or two (see [`first_group`]).
    groups: Vec<Group>,
    /// Frames per chunk of the current span.
    sizes: Vec<usize>,
    /// Most chunks in a span.
    span_chunks: usize,
    /// Most frames in a span.
    span_frames: usize,
    /// The last span's loudness energy per chunk: `(frames, energy)`.
    span_power: Vec<(usize, f64)>,
    /// Largest |sample| over all channels, per frame of the current span.
    frame_max: Vec<f32>,
    loudness: Loudness,
    silence: SilenceTracker,
    /// Bytes of a frame split between two `feed` calls.
    partial: Vec<u8>,
    frames: u64,
}

/// The channels of the first group (the caller's thread measures it; a
/// helper measures the rest). About two thirds from three channels up: the
/// helper's core also runs the read of the next block, so it gets less.
fn first_group(channels: usize) -> usize {
    if channels >= 3 {
        (2 * channels).div_ceil(3)
    } else {
        channels.div_ceil(2)
    }
}

/// Most helper threads for the second channel group, whatever the cores
/// (`pack` reads at most a few files at once).
const MAX_HELPERS: usize = 4;

/// The threads that measure the second group of a span while the caller
/// measures the first, or None when the run has one thread (or none could
/// be started). They live as long as the process: a thread started per span
/// would begin on the caller's core and share it, instead of running beside it.
fn helpers() -> Option<&'static rayon::ThreadPool> {
    static POOL: OnceLock<Option<rayon::ThreadPool>> = OnceLock::new();
    POOL.get_or_init(|| {
        let threads = crate::threads::available();
        if threads < 2 {
            return None;
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads((threads - 1).min(MAX_HELPERS))
            .thread_name(|i| format!("analysis-{i}"))
            .build()
            .ok()
    })
    .as_ref()
}

impl Analyzer {
    /// Prepares the analysis of samples in `format`.
    pub fn new(format: AudioFormat, params: &AnalysisParams) -> Result<Self, AnalysisError> {
        let decoder = Decoder::for_format(&format)?;
        let n = format.channels;
        if n == 0 || n > MAX_CHANNELS {
            return Err(AnalysisError::Invalid(format!(
                "{n} channels (1 to {MAX_CHANNELS} supported)"
            )));
        }
        if !(8_000..=768_000).contains(&format.sample_rate) {
            return Err(AnalysisError::Unsupported(format!(
                "sample rate {} Hz (8 kHz to 768 kHz supported)",
                format.sample_rate
            )));
        }
        let block_align = usize::from(n) * decoder.bytes();
        if usize::from(format.block_align) != block_align {
            return Err(AnalysisError::Invalid(format!(
                "block align {} for {n} channels of {} bits (expected {block_align})",
                format.block_align, format.bits
            )));
        }
        let channels = usize::from(n);
        let out_of_range = params
            .lfe_channel
            .iter()
            .chain(&params.surround_channels)
            .find(|&&c| c >= channels);
        if let Some(c) = out_of_range {
            return Err(AnalysisError::Invalid(format!(
                "channel {c} named in the parameters, but the file has {channels}"
            )));
        }
        let span = (SPAN_FRAMES, SPAN_CHUNKS);
        let rate = format.sample_rate;
        let half = first_group(channels);
        let mut groups = vec![Group::new(0..half, params, rate, span)];
        if half < channels {
            groups.push(Group::new(half..channels, params, rate, span));
        }
        Ok(Analyzer {
            shared: Shared {
                decoder,
                block_align,
                full_scale: decoder.full_scale(),
                kernel: Kernel::new(),
                filter: k_weighting(f64::from(rate)),
            },
            groups,
            sizes: Vec::with_capacity(SPAN_CHUNKS),
            span_chunks: SPAN_CHUNKS,
            span_frames: SPAN_FRAMES,
            span_power: Vec::with_capacity(SPAN_CHUNKS),
            frame_max: vec![0.0; SPAN_FRAMES],
            loudness: Loudness::new(rate),
            silence: SilenceTracker::new(params.dropout_min_samples),
            partial: Vec::with_capacity(block_align),
            frames: 0,
        })
    }

    /// Whole frames analysed so far.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    /// Takes the next bytes of sample data; any length, frames may be split
    /// between calls.
    pub fn feed(&mut self, bytes: &[u8]) {
        self.feed_with(bytes, None);
    }

    /// [`Analyzer::feed`], handing the decoded samples of every span
    /// measured to `tap` (one slice per channel, in order): whoever else
    /// needs the samples gets them without decoding the bytes again.
    pub fn feed_with(&mut self, mut bytes: &[u8], mut tap: Option<&mut dyn Tap>) {
        if tap.is_some() && self.groups.iter().any(|g| g.kept.is_empty()) {
            // Spans of two 100 ms sub-blocks at most: every vector handed
            // over has room for one, so a returned one is reused as it is.
            self.span_frames = (2 * self.loudness.sub_len()).min(TAP_SPAN_CHUNKS * CHUNK);
            self.span_chunks = TAP_SPAN_CHUNKS;
            for g in &mut self.groups {
                g.keep_samples(self.span_frames);
            }
        }
        let block_align = self.shared.block_align;
        if !self.partial.is_empty() {
            let take = (block_align - self.partial.len()).min(bytes.len());
            self.partial.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.partial.len() < block_align {
                return;
            }
            let frame = std::mem::take(&mut self.partial);
            self.whole_frames(&frame, &mut tap);
            self.partial = frame;
            self.partial.clear();
        }
        let whole = bytes.len() - bytes.len() % block_align;
        self.whole_frames(&bytes[..whole], &mut tap);
        self.partial.extend_from_slice(&bytes[whole..]);
    }

    /// Measures whole frames, span by span.
    fn whole_frames(&mut self, mut bytes: &[u8], tap: &mut Option<&mut dyn Tap>) {
        while !bytes.is_empty() {
            let frames = self.plan_span(bytes.len() / self.shared.block_align);
            let (span, rest) = bytes.split_at(frames * self.shared.block_align);
            self.span(span, frames);
            if let Some(t) = tap.as_mut() {
                let mut channels: Vec<&mut Vec<f32>> = self
                    .groups
                    .iter_mut()
                    .flat_map(|g| g.kept.iter_mut())
                    .collect();
                t.samples(&mut channels, &self.span_power);
            }
            bytes = rest;
        }
    }

    /// Cuts the next span of at most `available` frames into chunks that
    /// never cross a sub-block boundary; returns its frames.
    fn plan_span(&mut self, available: usize) -> usize {
        self.sizes.clear();
        let mut room = self.loudness.room();
        let mut total = 0;
        let most = available.min(self.span_frames);
        while total < most && self.sizes.len() < self.span_chunks {
            let n = (most - total).min(CHUNK).min(room);
            self.sizes.push(n);
            total += n;
            room -= n;
            if room == 0 {
                room = self.loudness.sub_len();
            }
        }
        total
    }

    /// Measures one planned span of `frames` frames.
    fn span(&mut self, bytes: &[u8], frames: usize) {
        let start = self.frames;
        let (shared, sizes) = (&self.shared, &self.sizes[..]);
        match &mut self.groups[..] {
            [a, b]
                if frames >= PARALLEL_FRAMES
                    && let Some(pool) = helpers() =>
            {
                pool.in_place_scope(|s| {
                    s.spawn(|_| wide::span(b, shared, bytes, sizes, start));
                    wide::span(a, shared, bytes, sizes, start);
                });
            }
            groups => {
                for g in groups {
                    wide::span(g, shared, bytes, sizes, start);
                }
            }
        }
        let frame_max = &mut self.frame_max[..frames];
        frame_max.copy_from_slice(&self.groups[0].frame_max[..frames]);
        for g in &self.groups[1..] {
            for (m, &v) in frame_max.iter_mut().zip(&g.frame_max[..frames]) {
                *m = if v > *m { v } else { *m };
            }
        }
        let mut at = 0;
        self.span_power.clear();
        for (k, &n) in self.sizes.iter().enumerate() {
            let energy: f64 = self.groups.iter().map(|g| g.energy[k]).sum();
            self.span_power.push((n, energy));
            self.silence.feed(&self.frame_max[at..at + n], self.frames);
            self.loudness.add(n, energy);
            self.frames += n as u64;
            at += n;
        }
    }

    /// Ends the analysis and returns what was measured.
    pub fn finish(self) -> Measurements {
        let kernel = &self.shared.kernel;
        let results: Vec<GroupResult> = self.groups.into_iter().map(|g| g.finish(kernel)).collect();
        let pop = results
            .iter()
            .filter_map(|r| r.pop)
            .reduce(|a, b| if b.0 < a.0 { b } else { a })
            .map(|(offset, length, channel)| Pop {
                offset,
                length,
                channel,
            });
        let sample_peak: Vec<f32> = results.iter().flat_map(|r| r.sample_peak.clone()).collect();
        let programme = self.silence.programme();
        Measurements {
            true_peak_dbtp: results
                .iter()
                .flat_map(|r| r.true_peak_dbtp.clone())
                .collect(),
            sample_peak_dbfs: sample_peak.iter().map(|&p| to_db(f64::from(p))).collect(),
            integrated_lufs: self.loudness.integrated(),
            lra_lu: self.loudness.range(),
            silent_channels: sample_peak
                .iter()
                .enumerate()
                .filter(|&(_, &p)| p == 0.0)
                .map(|(i, _)| i)
                .collect(),
            frames: self.frames,
            silent: programme.is_none(),
            first_sound_frame: programme.map(|p| p.0),
            last_sound_frame: programme.map(|p| p.1),
            dropouts: self.silence.dropouts().clone(),
            clipping: results.into_iter().flat_map(|r| r.clipping).collect(),
            pop,
            trailing_bytes: self.partial.len() as u64,
            short_term_lufs: self.loudness.per_second().to_vec(),
        }
    }
}

/// Analyses a whole `data` chunk held in memory.
pub fn analyze_bytes(
    format: AudioFormat,
    params: &AnalysisParams,
    data: &[u8],
) -> Result<Measurements, AnalysisError> {
    let mut a = Analyzer::new(format, params)?;
    a.feed(data);
    Ok(a.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::SampleFormat;

    /// 16-bit frames of `channels` channels: a quiet ramp pattern, with
    /// `zero(channel, frame)` forcing silence.
    fn pcm16(channels: usize, frames: usize, zero: impl Fn(usize, usize) -> bool) -> Vec<u8> {
        let mut out = Vec::with_capacity(channels * frames * 2);
        for f in 0..frames {
            for c in 0..channels {
                let v: i16 = if zero(c, f) {
                    0
                } else {
                    ((f * 7 + c * 13) % 200) as i16 + 1
                };
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    fn format(channels: u16) -> AudioFormat {
        AudioFormat {
            channels,
            sample_rate: 48_000,
            sample_format: SampleFormat::Pcm,
            bits: 16,
            block_align: channels * 2,
        }
    }

    #[test]
    fn dropouts_are_where_both_channel_groups_are_silent() {
        // Channels 0-3 (first group) silent in 100_000..103_000, channels
        // 4-5 (second group) in 101_000..104_000: all six only in 101_000..103_000.
        assert_eq!(first_group(6), 4);
        let bytes = pcm16(6, 200_000, |c, f| {
            if c < 4 {
                (100_000..103_000).contains(&f)
            } else {
                (101_000..104_000).contains(&f)
            }
        });
        let params = AnalysisParams::for_channels(6, 48_000);
        for piece in [bytes.len(), 4_096 * 12] {
            let mut a = Analyzer::new(format(6), &params).unwrap();
            for p in bytes.chunks(piece) {
                a.feed(p);
            }
            let m = a.finish();
            assert_eq!(m.dropouts.count, 1, "pieces of {piece}");
            assert_eq!(
                m.dropouts.first,
                vec![crate::analysis::Span {
                    offset: 101_000,
                    length: 2_000
                }]
            );
            assert_eq!(m.first_sound_frame, Some(0));
            assert_eq!(m.last_sound_frame, Some(199_999));
        }
    }

    #[test]
    fn per_channel_results_keep_channel_order_across_groups() {
        // Only channel 4 (second group) is silent; channel 1 has the highest peak.
        let mut bytes = pcm16(5, 100_000, |c, _| c == 4);
        bytes[2..4].copy_from_slice(&20_000i16.to_le_bytes());
        let m = analyze_bytes(format(5), &AnalysisParams::for_channels(5, 48_000), &bytes).unwrap();
        assert_eq!(m.silent_channels, vec![4]);
        assert_eq!(m.true_peak_dbtp.len(), 5);
        assert_eq!(m.clipping.len(), 5);
        let loudest = m
            .sample_peak_dbfs
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.partial_cmp(b.1).unwrap_or(std::cmp::Ordering::Equal))
            .map(|(i, _)| i);
        assert_eq!(loudest, Some(1));
    }
}

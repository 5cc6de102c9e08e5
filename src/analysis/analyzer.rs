//! The streaming engine: takes the `data` chunk's bytes in slices of any
//! length, decodes whole frames in chunks of up to 4096 frames (cut at
//! 100 ms loudness sub-block boundaries), runs every measurement over each
//! channel's decoded chunk, and keeps a partial frame for the next call.
//! All buffers are allocated once, in [`Analyzer::new`].

use super::decode::Decoder;
use super::loudness::{Biquad, KState, Loudness, energies, k_weighting};
use super::pop::PopDetector;
use super::silence::{ClipTracker, SilenceTracker};
use super::truepeak::{Kernel, TruePeak, min_max};
use super::{AnalysisError, AnalysisParams, AudioFormat, Measurements, Pop, to_db};

/// Frames decoded and measured together.
const CHUNK: usize = 4096;
/// Most channels accepted (bounds the per-channel buffers).
const MAX_CHANNELS: u16 = 256;

/// One channel's measurement state.
#[derive(Debug, Clone)]
struct Channel {
    tp: TruePeak,
    peak: f32,
    clip: ClipTracker,
    pop: PopDetector,
}

/// Streaming analysis of one file's samples.
#[derive(Debug, Clone)]
pub struct Analyzer {
    decoder: Decoder,
    block_align: usize,
    full_scale: (f32, f32),
    kernel: Kernel,
    filter: (Biquad, Biquad),
    channels: Vec<Channel>,
    /// Channels that count in loudness, with their weights (1.0 or 1.41).
    weighted: Vec<(usize, f64)>,
    /// K-weighting state of each channel in `weighted`, same order.
    kstates: Vec<KState>,
    /// Largest |sample| over the channels, per frame of the current chunk.
    frame_max: Vec<f32>,
    loudness: Loudness,
    silence: SilenceTracker,
    /// Bytes of a frame split between two `feed` calls.
    partial: Vec<u8>,
    frames: u64,
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
        let weighted: Vec<(usize, f64)> = (0..channels)
            .filter(|&c| params.lfe_channel != Some(c))
            .map(|c| {
                let surround = params.surround_channels.contains(&c);
                (c, if surround { 1.41 } else { 1.0 })
            })
            .collect();
        let channels = (0..channels)
            .map(|_| Channel {
                tp: TruePeak::new(CHUNK),
                peak: 0.0,
                clip: ClipTracker::new(params.clip_run as u64),
                pop: PopDetector::new(format.sample_rate, params.pop_window_samples),
            })
            .collect();
        Ok(Analyzer {
            decoder,
            block_align,
            full_scale: decoder.full_scale(),
            kernel: Kernel::new(),
            filter: k_weighting(f64::from(format.sample_rate)),
            channels,
            kstates: vec![KState::default(); weighted.len()],
            weighted,
            frame_max: vec![0.0; CHUNK],
            loudness: Loudness::new(format.sample_rate),
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
    pub fn feed(&mut self, mut bytes: &[u8]) {
        if !self.partial.is_empty() {
            let take = (self.block_align - self.partial.len()).min(bytes.len());
            self.partial.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.partial.len() < self.block_align {
                return;
            }
            let frame = std::mem::take(&mut self.partial);
            self.whole_frames(&frame);
            self.partial = frame;
            self.partial.clear();
        }
        let whole = bytes.len() - bytes.len() % self.block_align;
        self.whole_frames(&bytes[..whole]);
        self.partial.extend_from_slice(&bytes[whole..]);
    }

    /// Measures whole frames, in chunks that never cross a sub-block boundary.
    fn whole_frames(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let n = (bytes.len() / self.block_align)
                .min(CHUNK)
                .min(self.loudness.room());
            let (chunk, rest) = bytes.split_at(n * self.block_align);
            self.chunk(chunk, n);
            bytes = rest;
        }
    }

    /// Measures `n` frames.
    fn chunk(&mut self, bytes: &[u8], n: usize) {
        let start = self.frames;
        let frame_max = &mut self.frame_max[..n];
        frame_max.fill(0.0);
        for (c, ch) in self.channels.iter_mut().enumerate() {
            let x = ch.tp.input(n);
            self.decoder.decode_channel(bytes, self.block_align, c, x);
            let x: &[f32] = x;
            let (lo, hi) = min_max(x);
            let peak = hi.max(-lo);
            for (m, v) in frame_max.iter_mut().zip(x) {
                let a = v.abs();
                *m = if a > *m { a } else { *m };
            }
            let (pos, neg) = self.full_scale;
            if hi >= pos || lo <= neg {
                ch.clip.feed(x, start, self.full_scale);
            } else {
                ch.clip.no_full_scale();
            }
            if ch.pop.wants_more() {
                ch.pop.feed(x, start);
            }
            ch.peak = ch.peak.max(peak);
            ch.tp.note_sample_peak(peak);
        }
        let energy = self.loudness_energy(n);
        for ch in &mut self.channels {
            ch.tp.scan(&self.kernel, n);
        }
        self.silence.feed(&self.frame_max[..n], start);
        self.loudness.add(n, energy);
        self.frames += n as u64;
    }

    /// K-weights the decoded chunk of every counted channel, up to six at a time,
    /// and returns the weighted sum of their energies.
    fn loudness_energy(&mut self, n: usize) -> f64 {
        let channels = &self.channels;
        let weighted = &self.weighted;
        let filter = &self.filter;
        let input = |g: usize| channels[weighted[g].0].tp.samples(n);
        let weigh = |g: usize, sums: &[f64]| -> f64 {
            sums.iter()
                .zip(&weighted[g..])
                .map(|(s, (_, w))| s * w)
                .sum()
        };
        let mut energy = 0.0;
        let mut g = 0;
        // One arm per group size: each is a separate, fully unrolled filter.
        macro_rules! group {
            ($($s:ident $i:literal),+) => {{
                let sums = energies(filter, [$($s),+], [$(input(g + $i)),+]);
                (weigh(g, &sums), sums.len())
            }};
        }
        loop {
            let (e, used) = match &mut self.kstates[g..] {
                [s0, s1, s2, ..] => group!(s0 0, s1 1, s2 2),
                [s0, s1] => group!(s0 0, s1 1),
                [s0] => group!(s0 0),
                [] => break,
            };
            energy += e;
            g += used;
        }
        energy
    }

    /// Ends the analysis and returns what was measured.
    pub fn finish(mut self) -> Measurements {
        let mut pop: Option<Pop> = None;
        for (c, ch) in self.channels.iter_mut().enumerate() {
            ch.tp.flush(&self.kernel);
            if let Some((offset, length)) = ch.pop.found()
                && pop.is_none_or(|p| offset < p.offset)
            {
                pop = Some(Pop {
                    offset,
                    length,
                    channel: c,
                });
            }
        }
        let programme = self.silence.programme();
        Measurements {
            true_peak_dbtp: self
                .channels
                .iter()
                .map(|c| to_db(f64::from(c.tp.peak())))
                .collect(),
            sample_peak_dbfs: self
                .channels
                .iter()
                .map(|c| to_db(f64::from(c.peak)))
                .collect(),
            integrated_lufs: self.loudness.integrated(),
            lra_lu: self.loudness.range(),
            silent_channels: self
                .channels
                .iter()
                .enumerate()
                .filter(|(_, c)| c.peak == 0.0)
                .map(|(i, _)| i)
                .collect(),
            frames: self.frames,
            silent: programme.is_none(),
            first_sound_frame: programme.map(|p| p.0),
            last_sound_frame: programme.map(|p| p.1),
            dropouts: self.silence.dropouts().clone(),
            clipping: self
                .channels
                .iter()
                .map(|c| c.clip.stats().clone())
                .collect(),
            pop,
            trailing_bytes: self.partial.len() as u64,
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

//! One group of channels of the streaming analysis: decoding, true peak,
//! sample peak, clipping, 2-pop and K-weighted energy for its channels.
//! Channels are independent, so the groups of one file can run on separate
//! threads; what spans channels (loudness sums and all-channel silence) is
//! combined by the caller from each group's per-chunk energies and
//! per-frame maxima.

use super::decode::Decoder;
use super::loudness::{Biquad, KState, energies};
use super::pop::PopDetector;
use super::silence::ClipTracker;
use super::truepeak::{Kernel, TruePeak, min_max};
use super::{AnalysisParams, to_db};

/// Frames decoded and measured together.
pub(crate) const CHUNK: usize = 4096;
/// Frames whose channels are decoded one after the other (their bytes
/// stay in the first-level cache meanwhile).
const DECODE_FRAMES: usize = 512;

/// What a group needs to know about the file (shared by the groups).
#[derive(Debug, Clone)]
pub(crate) struct Shared {
    pub(crate) decoder: Decoder,
    pub(crate) block_align: usize,
    pub(crate) full_scale: (f32, f32),
    pub(crate) kernel: Kernel,
    pub(crate) filter: (Biquad, Biquad),
}

/// One channel's measurement state.
#[derive(Debug, Clone)]
struct Channel {
    tp: TruePeak,
    peak: f32,
    /// Largest |sample| of the current chunk.
    chunk_peak: f32,
    clip: ClipTracker,
    pop: PopDetector,
}

/// The channels `first..first + channels.len()` of a file.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    first: usize,
    channels: Vec<Channel>,
    /// Channels (index in the group) that count in loudness, with their weights.
    weighted: Vec<(usize, f64)>,
    /// K-weighting state of each channel in `weighted`, same order.
    kstates: Vec<KState>,
    /// Largest |sample| over the group's channels, per frame of the last span.
    pub(crate) frame_max: Vec<f32>,
    /// Weighted K-filtered energy of the group, per chunk of the last span.
    pub(crate) energy: Vec<f64>,
    /// The decoded samples of the last span, per channel of the group
    /// (kept only once [`Group::keep_samples`] was called; whoever takes
    /// them may swap in other vectors).
    pub(crate) kept: Vec<Vec<f32>>,
    /// Frames every kept vector has room for.
    kept_room: usize,
}

/// A group's results at the end of the file, per channel.
pub(crate) struct GroupResult {
    pub(crate) true_peak_dbtp: Vec<Option<f64>>,
    pub(crate) sample_peak: Vec<f32>,
    pub(crate) clipping: Vec<super::Clipping>,
    /// The earliest 2-pop: (offset, length, channel of the file).
    pub(crate) pop: Option<(u64, u64, usize)>,
}

impl Group {
    /// State for channels `range` of a file at `sample_rate`; one
    /// [`Group::span`] call takes at most `frames` frames in `chunks` chunks.
    pub(crate) fn new(
        range: std::ops::Range<usize>,
        params: &AnalysisParams,
        sample_rate: u32,
        (frames, chunks): (usize, usize),
    ) -> Self {
        let weighted = range
            .clone()
            .enumerate()
            .filter(|&(_, c)| params.lfe_channel != Some(c))
            .map(|(i, c)| {
                let surround = params.surround_channels.contains(&c);
                (i, if surround { 1.41 } else { 1.0 })
            })
            .collect::<Vec<_>>();
        Group {
            first: range.start,
            channels: range
                .map(|_| Channel {
                    tp: TruePeak::new(CHUNK),
                    peak: 0.0,
                    chunk_peak: 0.0,
                    clip: ClipTracker::new(params.clip_run as u64),
                    pop: PopDetector::new(sample_rate, params.pop_window_samples),
                })
                .collect(),
            kstates: vec![KState::default(); weighted.len()],
            weighted,
            frame_max: vec![0.0; frames],
            energy: vec![0.0; chunks],
            kept: Vec::new(),
            kept_room: 0,
        }
    }

    /// From now on, keeps the decoded samples of each span (at most
    /// `frames`) in `kept`, every vector with room for `frames`.
    pub(crate) fn keep_samples(&mut self, frames: usize) {
        self.kept = vec![Vec::new(); self.channels.len()];
        self.kept_room = frames;
    }

    /// Measures whole frames `bytes` (starting at frame `start`), cut into
    /// chunks of `sizes` frames; fills `frame_max` and `energy`. Inlined,
    /// with all it calls, where it is called: `wide::span` compiles it for
    /// AVX2 too and runs that copy where the CPU has AVX2.
    #[inline(always)]
    #[allow(clippy::inline_always)]
    pub(crate) fn span(&mut self, sh: &Shared, bytes: &[u8], sizes: &[usize], start: u64) {
        let frames: usize = sizes.iter().sum();
        let room = frames.max(self.kept_room);
        for kept in &mut self.kept {
            kept.clear();
            kept.reserve_exact(room);
        }
        let mut at = 0usize;
        for (k, &n) in sizes.iter().enumerate() {
            let chunk = &bytes[at * sh.block_align..(at + n) * sh.block_align];
            self.energy[k] = self.chunk(sh, chunk, n, at, start + at as u64);
            at += n;
        }
    }

    /// Measures `n` frames; returns their weighted energy.
    #[inline(always)]
    #[allow(clippy::inline_always)]
    fn chunk(&mut self, sh: &Shared, bytes: &[u8], n: usize, at: usize, start: u64) -> f64 {
        let frame_max = &mut self.frame_max[at..at + n];
        frame_max.fill(0.0);
        // Every channel of a few frames at a time: their bytes are read
        // from memory once, then from the nearest cache.
        for from in (0..n).step_by(DECODE_FRAMES) {
            let to = n.min(from + DECODE_FRAMES);
            let bytes = &bytes[from * sh.block_align..to * sh.block_align];
            for (c, ch) in self.channels.iter_mut().enumerate() {
                let x = &mut ch.tp.input(n)[from..to];
                sh.decoder
                    .decode_channel(bytes, sh.block_align, self.first + c, x);
            }
        }
        for (c, ch) in self.channels.iter_mut().enumerate() {
            let x = ch.tp.samples(n);
            if let Some(kept) = self.kept.get_mut(c) {
                kept.extend_from_slice(x);
            }
            let (lo, hi) = min_max(x);
            let peak = hi.max(-lo);
            for (m, v) in frame_max.iter_mut().zip(x) {
                let a = v.abs();
                *m = if a > *m { a } else { *m };
            }
            let (pos, neg) = sh.full_scale;
            if hi >= pos || lo <= neg {
                ch.clip.feed(x, start, sh.full_scale);
            } else {
                ch.clip.no_full_scale();
            }
            if ch.pop.wants_more() {
                ch.pop.feed(x, start);
            }
            ch.peak = ch.peak.max(peak);
            ch.chunk_peak = peak;
        }
        let energy = self.loudness_energy(&sh.filter, n);
        for ch in &mut self.channels {
            ch.tp.scan(&sh.kernel, n, ch.chunk_peak);
        }
        energy
    }

    /// K-weights the decoded chunk of every counted channel, up to three at
    /// a time, and returns the weighted sum of their energies.
    fn loudness_energy(&mut self, filter: &(Biquad, Biquad), n: usize) -> f64 {
        let channels = &self.channels;
        let weighted = &self.weighted;
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

    /// Ends the group's analysis.
    pub(crate) fn finish(mut self, kernel: &Kernel) -> GroupResult {
        let mut pop: Option<(u64, u64, usize)> = None;
        for (c, ch) in self.channels.iter_mut().enumerate() {
            ch.tp.flush(kernel);
            if let Some((offset, length)) = ch.pop.found()
                && pop.is_none_or(|p| offset < p.0)
            {
                pop = Some((offset, length, self.first + c));
            }
        }
        GroupResult {
            true_peak_dbtp: self
                .channels
                .iter()
                .map(|c| to_db(f64::from(c.tp.peak())))
                .collect(),
            sample_peak: self.channels.iter().map(|c| c.peak).collect(),
            clipping: self
                .channels
                .iter()
                .map(|c| c.clip.stats().clone())
                .collect(),
            pop,
        }
    }
}

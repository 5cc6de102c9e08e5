//! Loudness: ITU-R BS.1770-4 integrated loudness and EBU Tech 3342
//! loudness range, streaming, in flat memory.
//!
//! K-weighting is the BS.1770 pre-filter (high shelf) followed by the RLB
//! high-pass, both derived for any sample rate from their analogue
//! prototypes (bilinear transform with pre-warping; at 48 kHz this gives
//! the coefficients printed in BS.1770-4). Filtered energy is summed per
//! 100 ms sub-block; 400 ms gating blocks (75 % overlap) are 4 sub-blocks,
//! 3 s short-term windows (100 ms hop) are 30. The short-term loudness at
//! the end of each whole second is kept (one value a second, for a plot).
//!
//! Gating without storing every block: each measurement goes into a
//! histogram of 0.01 dB bins from -70 to +30 LUFS that keeps, per bin, the
//! count and the exact sum of energies. Gated means are then exact except
//! for the one bin the relative gate falls in (included when its mean is
//! above the gate), and percentiles are read as the bin's mean loudness.
//! Memory is two histograms (about 320 KB) whatever the file length.

use super::kweight_avx2;

/// Bins per dB.
const BINS_PER_DB: f64 = 100.0;
/// Lowest loudness kept (the absolute gate), LUFS.
const FLOOR: f64 = -70.0;
/// Bin count: -70 .. +30 LUFS.
const BINS: usize = 10_000;
/// Sub-blocks in a gating block (400 ms).
const BLOCK_SUBS: usize = 4;
/// Sub-blocks in a short-term window (3 s).
const SHORT_SUBS: usize = 30;
/// Sub-blocks in a second.
const SUBS_PER_SECOND: u64 = 10;

/// Loudness of a mean-square energy (BS.1770: -0.691 + 10 log10).
fn lufs(energy: f64) -> f64 {
    -0.691 + 10.0 * energy.log10()
}

/// One biquad: feed-forward `b`, feedback `a` (a0 = 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Biquad {
    /// b0, b1, b2.
    pub(crate) b: [f64; 3],
    /// a1, a2.
    pub(crate) a: [f64; 2],
}

/// The K-weighting filter pair for a sample rate: (pre-filter, RLB high-pass).
pub(crate) fn k_weighting(sample_rate: f64) -> (Biquad, Biquad) {
    use std::f64::consts::PI;
    // Shelf: analogue prototype of the BS.1770 pre-filter.
    let f0 = 1_681.974_450_955_533;
    let gain_db = 3.999_843_853_973_347;
    let q = 0.707_175_236_955_419_6;
    let k = (PI * f0 / sample_rate).tan();
    let vh = 10f64.powf(gain_db / 20.0);
    let vb = vh.powf(0.499_666_774_154_541_6);
    let a0 = 1.0 + k / q + k * k;
    let shelf = Biquad {
        b: [
            (vh + vb * k / q + k * k) / a0,
            2.0 * (k * k - vh) / a0,
            (vh - vb * k / q + k * k) / a0,
        ],
        a: [2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0],
    };
    // RLB: second-order high-pass.
    let f0 = 38.135_470_876_024_44;
    let q = 0.500_327_037_323_877_3;
    let k = (PI * f0 / sample_rate).tan();
    let a0 = 1.0 + k / q + k * k;
    let rlb = Biquad {
        b: [1.0, -2.0, 1.0],
        a: [2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0],
    };
    (shelf, rlb)
}

/// The state of one channel's K-weighting filter (direct form I: the last
/// two inputs, shelf outputs and high-pass outputs).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct KState {
    x: [f64; 2],
    y: [f64; 2],
    z: [f64; 2],
}

impl KState {
    /// Flushes values that would decay into (slow) subnormals in silence,
    /// and values a NaN or infinity left behind.
    fn flush(&mut self) {
        for v in self.x.iter_mut().chain(&mut self.y).chain(&mut self.z) {
            // Also recovers from NaN or infinite input (damaged float files).
            if !v.is_finite() || v.abs() < 1e-30 {
                *v = 0.0;
            }
        }
    }
}

/// Filters `N` channels of equal length together and returns each one's
/// sum of squared output. The state is held lane-wise (one array per
/// delay) so the `N` independent recurrences interleave and vectorise.
///
/// Direct form I keeps the feedback path short: everything but the `a1`
/// term is summed first, so each sample waits only on one multiply-add.
///
/// Where the CPU has AVX2 and FMA, up to four channels go through one
/// register instead, with every multiply-add fused (`kweight_avx2.rs`): the
/// same sums in the same order, each rounded once instead of twice.
pub(crate) fn energies<const N: usize>(
    filter: &(Biquad, Biquad),
    states: [&mut KState; N],
    inputs: [&[f32]; N],
) -> [f64; N] {
    if (1..=4).contains(&N) && kweight_avx2::has_avx2_fma() {
        // Four lanes, the missing ones filtering the last channel again
        // (their results are dropped).
        let mut lanes = [[0.0f64; 6]; 4];
        for (lane, s) in lanes.iter_mut().zip(&states) {
            *lane = [s.x[0], s.x[1], s.y[0], s.y[1], s.z[0], s.z[1]];
        }
        let padded = std::array::from_fn(|c| inputs[c.min(N - 1)]);
        let coefficients = (filter.0.b, filter.0.a, filter.1.a);
        if let Some(sums) = kweight_avx2::energies4(&coefficients, &mut lanes, padded) {
            for (dst, [x1, x2, y1, y2, z1, z2]) in states.into_iter().zip(lanes) {
                *dst = KState {
                    x: [x1, x2],
                    y: [y1, y2],
                    z: [z1, z2],
                };
                dst.flush();
            }
            return std::array::from_fn(|c| sums[c]);
        }
    }
    energies_plain(filter, states, inputs)
}

/// [`energies`] lane by lane, each product and sum rounded on its own:
/// the same on every CPU.
#[allow(clippy::needless_range_loop)]
pub(crate) fn energies_plain<const N: usize>(
    filter: &(Biquad, Biquad),
    states: [&mut KState; N],
    inputs: [&[f32]; N],
) -> [f64; N] {
    let (shelf, rlb) = filter;
    let [b0, b1, b2] = shelf.b;
    let [a1, a2] = shelf.a;
    let [r1, r2] = rlb.a;
    let len = inputs.iter().map(|x| x.len()).min().unwrap_or(0);
    let lane = |f: &dyn Fn(&KState) -> f64| -> [f64; N] { std::array::from_fn(|c| f(states[c])) };
    let (mut x1, mut x2) = (lane(&|s| s.x[0]), lane(&|s| s.x[1]));
    let (mut y1, mut y2) = (lane(&|s| s.y[0]), lane(&|s| s.y[1]));
    let (mut z1, mut z2) = (lane(&|s| s.z[0]), lane(&|s| s.z[1]));
    let mut sum = [0.0f64; N];
    for i in 0..len {
        let x: [f64; N] = std::array::from_fn(|c| f64::from(inputs[c][i]));
        for c in 0..N {
            let pre = b0 * x[c] + b1 * x1[c] + b2 * x2[c] - a2 * y2[c];
            let y = pre - a1 * y1[c];
            let pre = (y - 2.0 * y1[c] + y2[c]) - r2 * z2[c];
            let z = pre - r1 * z1[c];
            x2[c] = x1[c];
            x1[c] = x[c];
            y2[c] = y1[c];
            y1[c] = y;
            z2[c] = z1[c];
            z1[c] = z;
            sum[c] += z * z;
        }
    }
    for (c, dst) in states.into_iter().enumerate() {
        *dst = KState {
            x: [x1[c], x2[c]],
            y: [y1[c], y2[c]],
            z: [z1[c], z2[c]],
        };
        dst.flush();
    }
    sum
}

/// Loudness measurements in 0.01 dB bins with exact energy sums per bin.
#[derive(Debug, Clone)]
struct Histogram {
    count: Vec<u64>,
    energy: Vec<f64>,
}

impl Histogram {
    fn new() -> Self {
        Histogram {
            count: vec![0; BINS],
            energy: vec![0.0; BINS],
        }
    }

    /// Adds one measurement unless it is at or below the absolute gate.
    fn add(&mut self, energy: f64) {
        let l = lufs(energy);
        if l.is_nan() || l <= FLOOR {
            return;
        }
        let bin = (((l - FLOOR) * BINS_PER_DB) as usize).min(BINS - 1);
        self.count[bin] += 1;
        self.energy[bin] += energy;
    }

    /// The mean loudness of a bin's measurements.
    fn bin_lufs(&self, bin: usize) -> f64 {
        lufs(self.energy[bin] / self.count[bin] as f64)
    }

    /// First bin above the relative gate `offset` LU below the mean of all
    /// measurements, or None when there are none.
    fn gate(&self, offset: f64) -> Option<usize> {
        let n: u64 = self.count.iter().sum();
        if n == 0 {
            return None;
        }
        let e: f64 = self.energy.iter().sum();
        let threshold = lufs(e / n as f64) + offset;
        let bin = ((threshold - FLOOR) * BINS_PER_DB).clamp(0.0, (BINS - 1) as f64) as usize;
        let first = (0..BINS)
            .skip(bin)
            .find(|&b| self.count[b] > 0 && self.bin_lufs(b) > threshold)?;
        Some(first)
    }

    /// BS.1770-4 gated mean (relative gate -10 LU).
    fn integrated(&self) -> Option<f64> {
        let from = self.gate(-10.0)?;
        let n: u64 = self.count[from..].iter().sum();
        let e: f64 = self.energy[from..].iter().sum();
        (n > 0).then(|| lufs(e / n as f64))
    }

    /// EBU Tech 3342 loudness range (relative gate -20 LU, 10th to 95th percentile).
    fn range(&self) -> Option<f64> {
        let from = self.gate(-20.0)?;
        let n: u64 = self.count[from..].iter().sum();
        if n == 0 {
            return None;
        }
        let rank = |p: f64| ((n - 1) as f64 * p).round() as u64;
        let at = |r: u64| {
            let mut seen = 0u64;
            for b in from..BINS {
                seen += self.count[b];
                if seen > r {
                    return Some(self.bin_lufs(b));
                }
            }
            None
        };
        Some(at(rank(0.95))? - at(rank(0.10))?)
    }
}

/// Gating-block and short-term accumulation for one file.
#[derive(Debug, Clone)]
pub(crate) struct Loudness {
    /// Frames in a 100 ms sub-block.
    sub_len: usize,
    /// Frames already in the current sub-block.
    filled: usize,
    /// Weighted filtered energy of the current sub-block.
    acc: f64,
    /// The last 30 sub-block energies (ring).
    ring: [f64; SHORT_SUBS],
    /// Completed sub-blocks.
    done: u64,
    blocks: Histogram,
    short: Histogram,
    /// Short-term loudness at the end of each whole second (0.1 LU).
    per_second: Vec<Option<f64>>,
}

impl Loudness {
    /// Accumulation for a sample rate (>= 10 Hz).
    pub(crate) fn new(sample_rate: u32) -> Self {
        Loudness {
            sub_len: ((f64::from(sample_rate) / 10.0).round() as usize).max(1),
            filled: 0,
            acc: 0.0,
            ring: [0.0; SHORT_SUBS],
            done: 0,
            blocks: Histogram::new(),
            short: Histogram::new(),
            per_second: Vec::new(),
        }
    }

    /// Frames left in the current sub-block: callers feed at most this many at once.
    pub(crate) fn room(&self) -> usize {
        self.sub_len - self.filled
    }

    /// Frames in a 100 ms sub-block.
    pub(crate) fn sub_len(&self) -> usize {
        self.sub_len
    }

    /// Adds `frames` frames whose weighted filtered energy (sum over channels
    /// of weight x sum of squares) is `energy`; `frames` <= [`Loudness::room`].
    pub(crate) fn add(&mut self, frames: usize, energy: f64) {
        self.filled += frames;
        self.acc += energy;
        if self.filled < self.sub_len {
            return;
        }
        self.ring[(self.done % SHORT_SUBS as u64) as usize] = self.acc;
        self.done += 1;
        self.filled = 0;
        self.acc = 0.0;
        let last = |n: usize| -> f64 {
            (0..n)
                .map(|i| self.ring[((self.done - 1 - i as u64) % SHORT_SUBS as u64) as usize])
                .sum::<f64>()
                / (n * self.sub_len) as f64
        };
        if self.done >= BLOCK_SUBS as u64 {
            let e = last(BLOCK_SUBS);
            self.blocks.add(e);
        }
        let short = (self.done >= SHORT_SUBS as u64).then(|| last(SHORT_SUBS));
        if let Some(e) = short {
            self.short.add(e);
        }
        if self.done % SUBS_PER_SECOND == 0 {
            let value = short
                .map(lufs)
                .filter(|l| *l >= FLOOR)
                .map(|l| (l * 10.0).round() / 10.0);
            self.per_second.push(value);
        }
    }

    /// Short-term loudness at the end of each whole second so far.
    pub(crate) fn per_second(&self) -> &[Option<f64>] {
        &self.per_second
    }

    /// Integrated loudness in LUFS, None when every block is gated out.
    pub(crate) fn integrated(&self) -> Option<f64> {
        self.blocks.integrated()
    }

    /// Loudness range in LU, None when no short-term window passes the gates.
    pub(crate) fn range(&self) -> Option<f64> {
        self.short.range()
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn grouped_filtering_equals_one_at_a_time() {
        let f = k_weighting(44_100.0);
        let xs: Vec<Vec<f32>> = (0..4)
            .map(|c| {
                (0..5000)
                    .map(|i| ((i * (c + 3)) % 17) as f32 / 17.0 - 0.5)
                    .collect()
            })
            .collect();
        let mut one = [KState::default(); 4];
        let singles: Vec<f64> = (0..4)
            .map(|c| energies(&f, [&mut one[c]], [&xs[c][..]])[0])
            .collect();
        let mut four = [KState::default(); 4];
        let [s0, s1, s2, s3] = &mut four;
        let grouped = energies(
            &f,
            [s0, s1, s2, s3],
            [&xs[0][..], &xs[1][..], &xs[2][..], &xs[3][..]],
        );
        assert_eq!(singles, grouped.to_vec());
    }

    #[test]
    fn coefficients_at_48k_match_bs1770_table() {
        // ITU-R BS.1770-4, tables 1 and 2.
        let (p, r) = k_weighting(48_000.0);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(p.b[0], 1.535_124_859_586_97));
        assert!(close(p.b[1], -2.691_696_189_406_38));
        assert!(close(p.b[2], 1.198_392_810_852_85));
        assert!(close(p.a[0], -1.690_659_293_182_41));
        assert!(close(p.a[1], 0.732_480_774_215_85));
        assert_eq!(r.b, [1.0, -2.0, 1.0]);
        assert!(close(r.a[0], -1.990_047_454_833_98));
        assert!(close(r.a[1], 0.990_072_250_366_21));
    }

    #[test]
    fn one_khz_gain_is_near_plus_0_691_db_at_every_rate() {
        // The -0.691 offset exists to cancel K-weighting's gain at 1 kHz.
        for fs in [32_000.0, 44_100.0, 48_000.0, 96_000.0, 192_000.0] {
            let mut st = KState::default();
            let f = k_weighting(fs);
            let n = fs as usize * 2;
            let x: Vec<f32> = (0..n)
                .map(|i| (2.0 * std::f64::consts::PI * 1000.0 * i as f64 / fs).sin() as f32)
                .collect();
            energies(&f, [&mut st], [&x[..n / 2]]);
            let e = energies(&f, [&mut st], [&x[n / 2..]])[0] / (n / 2) as f64;
            let gain = 10.0 * (e / 0.5).log10();
            assert!((gain - 0.691).abs() < 0.03, "fs {fs}: {gain}");
        }
    }

    #[test]
    fn one_short_term_value_a_second_from_the_third_on() {
        // 10 s at -23.0 LUFS, then 5 s of digital silence.
        let mut l = Loudness::new(48_000);
        let sub = l.sub_len();
        let ms = 10f64.powf((-23.0 + 0.691) / 10.0);
        for n in 0..150 {
            let energy = if n < 100 { ms * sub as f64 } else { 0.0 };
            l.add(sub, energy);
        }
        let s = l.per_second();
        assert_eq!(s.len(), 15);
        assert_eq!(&s[..2], &[None, None], "no whole 3 s window yet");
        assert!(s[2..10].iter().all(|v| *v == Some(-23.0)), "{s:?}");
        // 2 s of -23 and 1 s of silence in the window: 10 log10(2/3) lower.
        assert_eq!(s[10], Some(-24.8));
        assert_eq!(s[11], Some(-27.8));
        assert!(s[12..].iter().all(Option::is_none), "{s:?}");
    }

    #[test]
    fn histogram_gates_and_percentiles() {
        let mut h = Histogram::new();
        // Loudness x for energy 10^((x + 0.691) / 10).
        let e = |l: f64| 10f64.powf((l + 0.691) / 10.0);
        for _ in 0..100 {
            h.add(e(-20.0));
            h.add(e(-30.0));
        }
        h.add(e(-80.0)); // below the absolute gate
        h.add(e(-55.0)); // below the relative gates
        assert!((h.range().unwrap_or(0.0) - 10.0).abs() < 1e-6);
        // Integrated: the mean of the -20 and -30 energies; -55 gated out.
        let want = lufs(f64::midpoint(e(-20.0), e(-30.0)));
        assert!((h.integrated().unwrap_or(0.0) - want).abs() < 1e-9);
        assert_eq!(Histogram::new().integrated(), None);
    }

    /// One channel through the filter, each multiply-add fused, in plain
    /// scalar code: what each lane of the AVX2 filter must give, bit for bit.
    #[allow(clippy::many_single_char_names)]
    fn fused_reference(filter: &(Biquad, Biquad), s: &mut KState, x: &[f32]) -> f64 {
        let (shelf, rlb) = filter;
        let [b0, b1, b2] = shelf.b;
        let [a1, a2] = shelf.a;
        let [r1, r2] = rlb.a;
        let mut sum = 0.0f64;
        for &v in x {
            let v = f64::from(v);
            let pre = b2.mul_add(s.x[1], b1.mul_add(s.x[0], b0 * v));
            let y = (-a1).mul_add(s.y[0], (-a2).mul_add(s.y[1], pre));
            let d = y - 2.0 * s.y[0] + s.y[1];
            let z = (-r1).mul_add(s.z[0], (-r2).mul_add(s.z[1], d));
            sum = z.mul_add(z, sum);
            *s = KState {
                x: [v, s.x[0]],
                y: [y, s.y[0]],
                z: [z, s.z[0]],
            };
        }
        s.flush();
        sum
    }

    fn noise(seed: u32, n: usize) -> Vec<f32> {
        let mut state = seed;
        (0..n)
            .map(|i| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let r = (state >> 8) as f32 / (1u32 << 24) as f32 - 0.5;
                r * 0.5 + 0.3 * (i as f32 * 0.01).sin()
            })
            .collect()
    }

    #[test]
    fn each_avx2_lane_is_the_fused_formula_and_close_to_the_plain_one() {
        if !kweight_avx2::has_avx2_fma() {
            return;
        }
        let filter = k_weighting(48_000.0);
        let xs: Vec<Vec<f32>> = (0..3).map(|c| noise(7 + c, 9_000)).collect();
        let mut states = [KState::default(); 3];
        let mut reference = [KState::default(); 3];
        for (from, to) in [(0, 4096), (4096, 8192), (8192, 9000)] {
            let [s0, s1, s2] = &mut states;
            let inputs = [&xs[0][from..to], &xs[1][from..to], &xs[2][from..to]];
            let sums = energies(&filter, [s0, s1, s2], inputs);
            for c in 0..3 {
                let want = fused_reference(&filter, &mut reference[c], &xs[c][from..to]);
                assert_eq!(sums[c], want, "lane {c}, frames {from}..{to}");
                assert_eq!(states[c].z, reference[c].z);
            }
        }
        // The plain (unfused) filter lands within rounding of it.
        let (mut plain, mut fused) = (KState::default(), KState::default());
        let x = &xs[0][..];
        let plain = energies_plain(&filter, [&mut plain], [x])[0];
        let fused = fused_reference(&filter, &mut fused, x);
        assert!((plain - fused).abs() < fused * 1e-12, "{plain} vs {fused}");
    }
}

//! True peak (ITU-R BS.1770-4 annex 2): 4x oversampling with a polyphase
//! interpolator, per channel, streaming.
//!
//! The interpolator is a Kaiser-windowed sinc (beta 9) with 32 taps per
//! phase, cut off at the input Nyquist frequency and normalised to unity
//! gain per phase: the same design parameters as FFmpeg's default
//! resampler, which `ffmpeg -af ebur128=peak=true` uses to go to 192 kHz,
//! so the two agree closely on 48 kHz material. Phase 0 is exactly the
//! input sample, so only phases 1/4, 2/4 and 3/4 are computed.
//!
//! Speed without approximation: the interpolated value is bounded by
//! `sum |h| * max |x|` over its taps, and, more tightly, by the partial sum
//! over its 8 central taps plus `sum |h|` of the other taps times `max |x|`.
//! Blocks and positions whose bound cannot beat the running maximum are
//! skipped; the others are interpolated in full. The result is the same as
//! interpolating everything (bounds carry a margin for `f32` rounding).
//!
//! The per-chunk functions are inlined into `Group::span`, which is also
//! compiled for AVX2 (plain `f32` operations in a fixed order: the same
//! values at any vector width).

// Inlined always: a function left out of line would run as built (SSE2)
// inside the AVX2 copy of `Group::span`.
#![allow(clippy::inline_always)]

/// Taps per phase.
const TAPS: usize = 32;
/// Taps before the position being interpolated (`m-15 ..= m+16`).
const BEFORE: usize = 15;
/// Samples kept from one chunk to the next.
pub(crate) const LOOK: usize = 32;
/// Positions still pending at the end of a chunk (their right taps are unknown).
const PENDING: usize = 16;
/// Positions tested together against the block bound.
const BLOCK: usize = 16;
/// Kaiser window beta.
const BETA: f64 = 9.0;
/// Safety factor on every bound (covers `f32` rounding of the dot products).
const MARGIN: f32 = 1.0 + 1e-4;
/// Taps of the partial sum that bounds a position (centred on the position).
const NEAR: usize = 8;
// The partial sum is folded in pairs of taps.
const _: () = assert!(NEAR % 2 == 0 && NEAR <= TAPS);
/// First tap of the partial sum.
const NEAR_FROM: usize = BEFORE + 1 - NEAR / 2;
/// Absolute slack on a position's bound, times `gain x peak`: covers the
/// rounding of both the partial and the full `f32` dot products (each
/// within `32 x 2^-24` of `sum |h x|`).
const SLACK: f32 = 1e-5;

/// The interpolator's coefficients and the bounds derived from them.
#[derive(Debug, Clone)]
pub(crate) struct Kernel {
    /// Coefficients of phases 1/4, 2/4, 3/4; index `i` weighs `x[m - 15 + i]`.
    phases: [[f32; TAPS]; 3],
    /// Largest `sum |h|` over the phases: the worst-case gain.
    gain: f32,
    /// The `NEAR` central taps folded by symmetry (phase 3/4 is phase 1/4
    /// reversed, phase 2/4 is its own mirror). With `a`, `b` the samples
    /// `j` taps from either end of the central window, `s = a + b`,
    /// `d = a - b`: `max(|y1|, |y3|) = |sum even[j] s| + |sum odd[j] d|` and
    /// `y2 = sum mid[j] s`, over `j < NEAR / 2`.
    even: [f32; NEAR / 2],
    /// See `even`.
    odd: [f32; NEAR / 2],
    /// See `even`.
    mid: [f32; NEAR / 2],
    /// `sum |h|` over the other taps (rounded up) of phases 1/4 and 3/4,
    /// and of phase 2/4.
    far_l1: [f32; 2],
}

/// Modified Bessel function of the first kind, order 0 (power series).
fn bessel_i0(x: f64) -> f64 {
    let q = x * x / 4.0;
    let mut term = 1.0;
    let mut sum = 1.0;
    let mut k = 1.0;
    while term > sum * 1e-17 {
        term *= q / (k * k);
        sum += term;
        k += 1.0;
    }
    sum
}

impl Kernel {
    /// Designs the interpolator.
    pub(crate) fn new() -> Self {
        let mut phases = [[0.0f32; TAPS]; 3];
        let mut far_l1 = [0.0f32; 3];
        let mut gain = 0.0f32;
        for (p, phase) in phases.iter_mut().enumerate() {
            let frac = (p + 1) as f64 / 4.0;
            let mut h = [0.0f64; TAPS];
            for (i, c) in h.iter_mut().enumerate() {
                // Distance from the interpolated instant to the tap's sample.
                let d = frac - (i as f64 - BEFORE as f64);
                let sinc = (std::f64::consts::PI * d).sin() / (std::f64::consts::PI * d);
                let w = d / (TAPS as f64 / 2.0);
                *c = sinc * bessel_i0(BETA * (1.0 - w * w).max(0.0).sqrt());
            }
            let norm: f64 = h.iter().sum();
            let mut abs_sum = 0.0f64;
            let mut far = 0.0f64;
            for (i, (dst, c)) in phase.iter_mut().zip(h).enumerate() {
                let c = c / norm;
                *dst = c as f32;
                abs_sum += f64::from(*dst).abs();
                if !(NEAR_FROM..NEAR_FROM + NEAR).contains(&i) {
                    far += f64::from(*dst).abs();
                }
            }
            // Rounded up, so the bounds hold for the `f32` taps.
            gain = gain.max((abs_sum * (1.0 + 1e-6)) as f32);
            far_l1[p] = (far * (1.0 + 1e-6)) as f32;
        }
        // Exact symmetry by construction (the design is symmetric; this
        // only removes any last-bit difference of the f64 sums).
        for i in 0..TAPS / 2 {
            phases[1][TAPS - 1 - i] = phases[1][i];
        }
        for i in 0..TAPS {
            phases[2][i] = phases[0][TAPS - 1 - i];
        }
        let near = |p: usize, j: usize| phases[p][NEAR_FROM + j];
        Kernel {
            even: std::array::from_fn(|j| (near(0, j) + near(0, NEAR - 1 - j)) * 0.5),
            odd: std::array::from_fn(|j| (near(0, j) - near(0, NEAR - 1 - j)) * 0.5),
            mid: std::array::from_fn(|j| near(1, j)),
            far_l1: [far_l1[0].max(far_l1[2]), far_l1[1]],
            phases,
            gain,
        }
    }

    /// The three interpolated values between `taps[15]` and `taps[16]`,
    /// each summed tap by tap in order (the block path sums in the same
    /// order, so both give bit-identical values).
    #[inline(always)]
    fn interpolate(&self, taps: &[f32]) -> [f32; 3] {
        let [h1, h2, h3] = &self.phases;
        let mut out = [0.0f32; 3];
        for (i, &v) in taps.iter().take(TAPS).enumerate() {
            out[0] += h1[i] * v;
            out[1] += h2[i] * v;
            out[2] += h3[i] * v;
        }
        out
    }
}

/// Smallest and largest value of a slice (0 when empty). Four sets of
/// eight lanes, so four vectors of comparisons run side by side instead
/// of waiting on each other; a NaN never wins.
#[inline(always)]
pub(crate) fn min_max(x: &[f32]) -> (f32, f32) {
    let mut lo = [0.0f32; 32];
    let mut hi = [0.0f32; 32];
    let chunks = x.chunks_exact(32);
    let rest = chunks.remainder();
    for c in chunks {
        for l in 0..32 {
            lo[l] = if c[l] < lo[l] { c[l] } else { lo[l] };
            hi[l] = if c[l] > hi[l] { c[l] } else { hi[l] };
        }
    }
    let mut low = lo.iter().fold(0.0f32, |a, &b| a.min(b));
    let mut high = hi.iter().fold(0.0f32, |a, &b| a.max(b));
    for &v in rest {
        low = low.min(v);
        high = high.max(v);
    }
    (low, high)
}

/// Largest |x| of a slice.
#[inline(always)]
pub(crate) fn max_abs(x: &[f32]) -> f32 {
    let (lo, hi) = min_max(x);
    hi.max(-lo)
}

/// The largest |x| of each `BLOCK` samples of `x` (the last block may be
/// shorter) into `out`. A block is folded into eight lanes with plain
/// comparisons (vectorises); a NaN never wins, as in [`min_max`].
#[inline(always)]
fn block_maxima(x: &[f32], out: &mut [f32]) {
    let full = x.chunks_exact(BLOCK);
    let rest = full.remainder();
    let mut out = out.iter_mut();
    for (m, block) in (&mut out).zip(full) {
        let mut lanes = [0.0f32; 8];
        for half in block.chunks_exact(8) {
            for (l, &v) in lanes.iter_mut().zip(half) {
                let a = v.abs();
                *l = if a > *l { a } else { *l };
            }
        }
        let pick = |p: f32, q: f32| if p > q { p } else { q };
        let mut four = [0.0f32; 4];
        for (l, f) in four.iter_mut().enumerate() {
            *f = pick(lanes[l], lanes[l + 4]);
        }
        *m = pick(pick(four[0], four[2]), pick(four[1], four[3]));
    }
    if let Some(m) = out.next()
        && !rest.is_empty()
    {
        *m = max_abs(rest);
    }
}

/// One channel's true-peak state: the last samples and the running maximum.
#[derive(Debug, Clone)]
pub(crate) struct TruePeak {
    /// `LOOK` carried samples, then the current chunk.
    buf: Vec<f32>,
    /// Largest |x| of each `BLOCK` samples of `buf`.
    block_max: Vec<f32>,
    /// Largest |value| seen so far, samples and interpolated points alike.
    max: f32,
}

impl TruePeak {
    /// State for chunks of at most `chunk` samples (silence before the start).
    pub(crate) fn new(chunk: usize) -> Self {
        let len = LOOK + chunk.max(LOOK);
        TruePeak {
            buf: vec![0.0; len],
            block_max: vec![0.0; len.div_ceil(BLOCK)],
            max: 0.0,
        }
    }

    /// Where the caller writes the next `n` samples (`n` <= the chunk size).
    pub(crate) fn input(&mut self, n: usize) -> &mut [f32] {
        &mut self.buf[LOOK..LOOK + n]
    }

    /// The `n` samples last written by [`TruePeak::input`].
    pub(crate) fn samples(&self, n: usize) -> &[f32] {
        &self.buf[LOOK..LOOK + n]
    }

    /// Interpolates the positions the `n` new samples completed, then keeps
    /// the last `LOOK` samples for the next chunk. `peak` is the largest
    /// |x| of the new samples: samples are true-peak points too (a higher
    /// floor lets more blocks skip), and when no tap of the chunk can beat
    /// the running maximum, nothing is interpolated.
    #[inline(always)]
    pub(crate) fn scan(&mut self, kernel: &Kernel, n: usize, peak: f32) {
        if peak > self.max {
            self.max = peak;
        }
        let end = LOOK + n;
        let x = &self.buf[..end];
        let all = peak.max(max_abs(&x[..LOOK]));
        if all * kernel.gain * MARGIN > self.max {
            self.screen(kernel, end);
        }
        self.buf.copy_within(end - LOOK..end, 0);
    }

    /// The block by block screening of [`TruePeak::scan`] over `buf[..end]`.
    #[inline(always)]
    fn screen(&mut self, kernel: &Kernel, end: usize) {
        let x = &self.buf[..end];
        block_maxima(x, &mut self.block_max);
        let mut max = self.max;
        let stop = end - PENDING;
        // Positions run from LOOK - PENDING in steps of BLOCK: block
        // `start / BLOCK` and its two neighbours hold every tap they use.
        let mut start = LOOK - PENDING;
        while start < stop {
            let stop_here = (start + BLOCK).min(stop);
            let b = start / BLOCK;
            let peak = self.block_max[b - 1]
                .max(self.block_max[b])
                .max(self.block_max[b + 1]);
            if peak * kernel.gain * MARGIN > max {
                max = exact_where_needed(kernel, x, start, stop_here, peak, max);
            }
            start = stop_here;
        }
        self.max = max;
    }

    /// Interpolates the positions up to 16 samples past the end (silence
    /// after the end), as the start covers 16 positions before the first sample.
    pub(crate) fn flush(&mut self, kernel: &Kernel) {
        self.input(LOOK).fill(0.0);
        self.scan(kernel, LOOK, 0.0);
    }

    /// The true peak as a linear value (1.0 = full scale).
    pub(crate) fn peak(&self) -> f32 {
        self.max
    }
}

/// The largest interpolated |value| at positions `from..to` (at most
/// `BLOCK`) of `x`, or `floor` when none can beat it. `peak` is the largest
/// |x| over every tap of these positions.
///
/// Each position is bounded by the partial sum over its `NEAR` central taps
/// (computed for the whole block at once, vectorised across positions) plus
/// `sum |h|` of the other taps times `peak`. Only positions whose bound
/// beats `floor` are interpolated in full; when many are, the whole block is
/// (also vectorised across positions).
#[inline(always)]
fn exact_where_needed(
    kernel: &Kernel,
    x: &[f32],
    from: usize,
    to: usize,
    peak: f32,
    floor: f32,
) -> f32 {
    let slack = kernel.gain * peak * SLACK;
    let mut needed = [false; BLOCK];
    let mut count = 0;
    if to - from == BLOCK {
        let base = from - BEFORE + NEAR_FROM;
        let mut even = [0.0f32; BLOCK];
        let mut odd = [0.0f32; BLOCK];
        let mut mid = [0.0f32; BLOCK];
        for j in 0..NEAR / 2 {
            let lo = &x[base + j..][..BLOCK];
            let hi = &x[base + NEAR - 1 - j..][..BLOCK];
            let (ce, co, cm) = (kernel.even[j], kernel.odd[j], kernel.mid[j]);
            for l in 0..BLOCK {
                let s = lo[l] + hi[l];
                let d = lo[l] - hi[l];
                even[l] += ce * s;
                odd[l] += co * d;
                mid[l] += cm * s;
            }
        }
        let far13 = kernel.far_l1[0] * peak;
        let far2 = kernel.far_l1[1] * peak;
        let mut bounds = [0.0f32; BLOCK];
        for (l, bound) in bounds.iter_mut().enumerate() {
            let b13 = even[l].abs() + odd[l].abs() + far13;
            let b2 = mid[l].abs() + far2;
            let b = if b13 > b2 { b13 } else { b2 };
            *bound = b * MARGIN + slack;
        }
        // Most blocks of a loud passage have no position that can beat
        // the floor: one comparison for the block, in lanes.
        let mut lanes = [0.0f32; 4];
        for quarter in bounds.chunks_exact(4) {
            for (m, &b) in lanes.iter_mut().zip(quarter) {
                *m = if b > *m { b } else { *m };
            }
        }
        if lanes.iter().all(|&b| b <= floor) {
            return floor;
        }
        for (need, &b) in needed.iter_mut().zip(&bounds) {
            *need = b > floor;
            count += usize::from(*need);
        }
    } else {
        // A partial block (the end of a chunk): no bound, interpolate all.
        for need in needed.iter_mut().take(to - from) {
            *need = true;
            count += 1;
        }
    }
    let mut max = floor;
    if count == 0 {
        return max;
    }
    if count >= BLOCK / 4 && to - from == BLOCK {
        for h in &kernel.phases {
            let mut acc = [0.0f32; BLOCK];
            for (i, &c) in h.iter().enumerate() {
                let xs = &x[from - BEFORE + i..from - BEFORE + i + BLOCK];
                for (a, &v) in acc.iter_mut().zip(xs) {
                    *a += c * v;
                }
            }
            for v in acc {
                let a = v.abs();
                max = if a > max { a } else { max };
            }
        }
    } else {
        for (&need, m) in needed.iter().zip(from..to) {
            if need {
                for y in kernel.interpolate(&x[m - BEFORE..m - BEFORE + TAPS]) {
                    let a = y.abs();
                    max = if a > max { a } else { max };
                }
            }
        }
    }
    max
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    /// Interpolates everything, no bounds: the reference for the skipping.
    fn brute_force(k: &Kernel, x: &[f32]) -> f32 {
        // Positions -16 ..= len + 15, as the streaming state covers them.
        let lead = BEFORE + PENDING;
        let mut padded = vec![0.0f32; lead];
        padded.extend_from_slice(x);
        padded.extend(std::iter::repeat_n(0.0, 2 * TAPS));
        let mut max = 0.0f32;
        for m in BEFORE..lead + x.len() + PENDING {
            max = max.max(padded[m].abs());
            for y in k.interpolate(&padded[m - BEFORE..m - BEFORE + TAPS]) {
                max = max.max(y.abs());
            }
        }
        max
    }

    fn run(k: &Kernel, x: &[f32], chunk: usize) -> f32 {
        let mut tp = TruePeak::new(chunk);
        for c in x.chunks(chunk) {
            tp.input(c.len()).copy_from_slice(c);
            tp.scan(k, c.len(), max_abs(c));
        }
        tp.flush(k);
        tp.peak()
    }

    #[test]
    fn kernel_has_unity_dc_gain_and_a_bounded_worst_case() {
        let k = Kernel::new();
        for h in &k.phases {
            let s: f32 = h.iter().sum();
            assert!((s - 1.0).abs() < 1e-5);
        }
        // Mirror phases (1/4 and 3/4) are reversed copies of each other.
        for i in 0..TAPS {
            assert!((k.phases[0][i] - k.phases[2][TAPS - 1 - i]).abs() < 1e-6);
        }
        assert!(k.gain > 1.0 && k.gain < 4.0, "gain {}", k.gain);
    }

    #[test]
    fn skipping_gives_the_same_result_as_interpolating_everything() {
        let k = Kernel::new();
        // Pseudo-random noise with a few bursts; fixed LCG so the test is stable.
        let mut state = 0x1234_5678u32;
        let x: Vec<f32> = (0..20_000)
            .map(|i| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let r = (state >> 8) as f32 / (1u32 << 24) as f32 - 0.5;
                let level = if (i / 1000) % 3 == 0 { 1.6 } else { 0.2 };
                r * level
            })
            .collect();
        let reference = brute_force(&k, &x);
        for chunk in [1, 7, 16, 100, 4096] {
            assert_eq!(run(&k, &x, chunk), reference, "chunk {chunk}");
        }
    }

    #[test]
    fn quarter_rate_sine_at_45_degrees_reads_its_true_peak() {
        let k = Kernel::new();
        let x: Vec<f32> = (0..4800)
            .map(|n| {
                (0.5 * (std::f64::consts::FRAC_PI_2 * n as f64 + std::f64::consts::FRAC_PI_4).sin())
                    as f32
            })
            .collect();
        let tp = run(&k, &x, 1024);
        let db = 20.0 * f64::from(tp).log10();
        let truth = 20.0 * 0.5f64.log10();
        assert!(db - truth < 0.2 && truth - db < 0.4, "{db} vs {truth}");
        // Its samples sit 3.01 dB lower.
        let sp = 20.0 * f64::from(max_abs(&x)).log10();
        assert!((truth - sp - 3.01).abs() < 0.01);
    }

    #[test]
    fn steady_white_noise_gives_the_same_result_as_interpolating_everything() {
        // Uniform white noise at one level plus a tone: every block's coarse
        // bound beats the running maximum, so only the per-position bound
        // skips (the worst case for skipping, and the benchmark's material).
        let k = Kernel::new();
        let mut state = 0x9E37_79B9u32;
        let x: Vec<f32> = (0..30_000)
            .map(|i| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let r = (state >> 8) as f32 / (1u32 << 24) as f32 - 0.5;
                0.2 * r + 0.05 * (i as f32 * 0.031).sin()
            })
            .collect();
        let reference = brute_force(&k, &x);
        assert!(
            reference > max_abs(&x),
            "the true peak lies between samples"
        );
        for chunk in [5, 16, 4096] {
            assert_eq!(run(&k, &x, chunk), reference, "chunk {chunk}");
        }
    }
}

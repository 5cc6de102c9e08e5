//! Offset of one window of a file against the print master by generalised
//! cross-correlation with phase transform (GCC-PHAT): both windows to the
//! frequency domain, the cross-spectrum whitened so every band votes
//! equally, back to the time domain, and the lag of the highest peak.
//! Pure computation over two slices; the FFT plans are made once, and a
//! reference's spectrum serves every file compared with it.

use std::sync::Arc;

use realfft::num_complex::Complex32;

use super::mean_square;
use realfft::{ComplexToReal, RealFftPlanner, RealToComplex};

/// One window's offset: positive when the file's content comes later.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Frames the file is late (negative: early).
    pub offset: i64,
    /// Peak height over the correlation's RMS across the searched lags
    /// (a window of unrelated audio scores about 4 to 5).
    pub confidence: f32,
}

/// Correlates a reference window of `len` frames with a file window of
/// `len + 2 * max_lag` frames starting `max_lag` frames earlier.
pub struct Correlator {
    len: usize,
    max_lag: usize,
    forward: Arc<dyn RealToComplex<f32>>,
    inverse: Arc<dyn ComplexToReal<f32>>,
    time: Vec<f32>,
    /// A Hann taper for the reference window: without it, the window's
    /// hard edges favour the extreme lags on content that repeats.
    taper: Vec<f32>,
    spec_ref: Vec<Complex32>,
    /// False until a reference loud enough to correlate was transformed.
    has_ref: bool,
    spec_other: Vec<Complex32>,
    scratch: Vec<Complex32>,
}

/// Windows quieter than this mean square (about -80 dBFS) are not correlated.
const QUIET: f32 = 1e-8;

impl Correlator {
    /// A correlator for reference windows of `len` frames and lags up to
    /// `max_lag` frames either way.
    pub fn new(len: usize, max_lag: usize) -> Self {
        let size = fft_size(len + 2 * max_lag);
        let mut planner = RealFftPlanner::<f32>::new();
        let forward = planner.plan_fft_forward(size);
        let inverse = planner.plan_fft_inverse(size);
        let bins = size / 2 + 1;
        let scratch_len = forward
            .get_scratch_len()
            .max(inverse.get_scratch_len())
            .max(1);
        Correlator {
            len,
            max_lag,
            forward,
            inverse,
            time: vec![0.0; size],
            taper: (0..len)
                .map(|i| {
                    let x = std::f32::consts::PI * i as f32 / len.max(2) as f32;
                    x.sin() * x.sin()
                })
                .collect(),
            spec_ref: vec![Complex32::new(0.0, 0.0); bins],
            has_ref: false,
            spec_other: vec![Complex32::new(0.0, 0.0); bins],
            scratch: vec![Complex32::new(0.0, 0.0); scratch_len],
        }
    }

    /// Frames of the file window (`len + 2 * max_lag`).
    pub fn search_len(&self) -> usize {
        self.len + 2 * self.max_lag
    }

    /// The lag at which `other` (the file, `search_len` frames starting
    /// `max_lag` before the reference) best matches `reference` (`len`
    /// frames), or None when either window is too quiet to tell (the
    /// tests' shorthand for [`Correlator::reference`] then
    /// [`Correlator::against`]).
    #[cfg(test)]
    pub fn estimate(&mut self, reference: &[f32], other: &[f32]) -> Option<Estimate> {
        if !self.reference(reference) {
            return None;
        }
        self.against(other)
    }

    /// Takes the reference window the next [`Correlator::against`] calls
    /// compare with; false when it is too quiet to tell anything.
    pub fn reference(&mut self, reference: &[f32]) -> bool {
        self.has_ref = mean_square(reference) >= QUIET && self.transform(reference, true).is_ok();
        self.has_ref
    }

    /// [`Correlator::estimate`] of `other` against the last reference.
    pub fn against(&mut self, other: &[f32]) -> Option<Estimate> {
        if !self.has_ref || mean_square(other) < QUIET {
            return None;
        }
        self.transform(other, false).ok()?;
        let mean_mag = self
            .spec_ref
            .iter()
            .zip(&self.spec_other)
            .map(|(x, y)| (y * x.conj()).norm_sqr().sqrt())
            .sum::<f32>()
            / self.spec_ref.len() as f32;
        let floor = 1e-3 * mean_mag + f32::MIN_POSITIVE;
        for (x, y) in self.spec_ref.iter().zip(self.spec_other.iter_mut()) {
            let cross = *y * x.conj();
            // norm_sqr().sqrt(): hypot() guards against overflow that
            // audio spectra never reach, at several times the cost.
            *y = cross / (cross.norm_sqr().sqrt() + floor);
        }
        // A real signal's DC and Nyquist bins must be real for the inverse.
        if let Some(first) = self.spec_other.first_mut() {
            first.im = 0.0;
        }
        if let Some(last) = self.spec_other.last_mut() {
            last.im = 0.0;
        }
        self.inverse
            .process_with_scratch(&mut self.spec_other, &mut self.time, &mut self.scratch)
            .ok()?;
        let lags = &self.time[..=2 * self.max_lag];
        let peak = lags.iter().map(|v| v.abs()).fold(0.0f32, f32::max);
        let rms = (lags.iter().map(|v| v * v).sum::<f32>() / lags.len() as f32).sqrt();
        if rms.is_nan() || rms <= 0.0 {
            return None;
        }
        // Content that repeats exactly (a loop, footsteps on a grid) gives
        // peaks at every repeat: of the peaks nearly as high as the
        // highest, the one nearest the expected offset (the window's
        // centre) is the content's.
        let centre = self.max_lag as i64;
        let at = |i: usize| lags.get(i).map_or(0.0, |v| v.abs());
        let (best, height) = (0..lags.len())
            .filter(|&i| {
                let h = at(i);
                // Local maxima only: the slopes of one peak are not peaks.
                h >= 0.5 * peak && h >= at(i.wrapping_sub(1)) && h >= at(i + 1)
            })
            .min_by_key(|&i| (i as i64 - centre).abs())
            .map(|i| (i, at(i)))?;
        Some(Estimate {
            offset: best as i64 - centre,
            confidence: height / rms,
        })
    }

    fn transform(&mut self, input: &[f32], reference: bool) -> Result<(), realfft::FftError> {
        self.time.fill(0.0);
        let n = input.len().min(self.time.len());
        self.time[..n].copy_from_slice(&input[..n]);
        if reference {
            for (t, w) in self.time.iter_mut().zip(&self.taper) {
                *t *= w;
            }
        }
        let out = if reference {
            &mut self.spec_ref
        } else {
            &mut self.spec_other
        };
        self.forward
            .process_with_scratch(&mut self.time, out, &mut self.scratch)
    }
}

/// The smallest FFT length of at least `n` (`len + 2 * max_lag`: every
/// lag searched is then free of wrap-around) among 2^k, 3 * 2^k and
/// 5 * 2^k: lengths the FFT runs nearly as fast per point as a power of
/// two, without almost doubling it (80,768 frames at 48 kHz: 81,920
/// instead of 131,072).
fn fft_size(n: usize) -> usize {
    let n = n.max(2);
    [1, 3, 5]
        .into_iter()
        .map(|f| {
            let mut size = 2 * f;
            while size < n {
                size *= 2;
            }
            size
        })
        .min()
        .unwrap_or(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic noise in [-0.5, 0.5).
    fn noise(seed: u64, n: usize) -> Vec<f32> {
        let mut s = seed;
        (0..n)
            .map(|_| {
                s = s
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                ((s >> 40) as f32 / (1u64 << 24) as f32) - 0.5
            })
            .collect()
    }

    #[test]
    fn finds_the_offset_to_the_sample_with_its_sign() {
        let mut c = Correlator::new(4096, 1000);
        let signal = noise(1, 20_000);
        let q = 10_000usize; // the reference window is signal[q - len .. q]
        let reference = &signal[q - 4096..q];
        for late in [-737i64, -1, 0, 1, 4, 999] {
            // The file's content is `late` frames later: file[f] = signal[f - late].
            let start = (q - 4096) as i64 - 1000;
            let other: Vec<f32> = (0..c.search_len() as i64)
                .map(|i| {
                    let f = start + i - late;
                    signal.get(f as usize).copied().unwrap_or(0.0)
                })
                .collect();
            let e = c.estimate(reference, &other).unwrap();
            assert_eq!(e.offset, late);
            assert!(e.confidence > 20.0, "{e:?}");
        }
    }

    #[test]
    fn fft_lengths_are_the_smallest_of_their_kind_that_fit() {
        assert_eq!(fft_size(80_768), 81_920);
        assert_eq!(fft_size(81_920), 81_920);
        assert_eq!(fft_size(81_921), 98_304);
        assert_eq!(fft_size(98_305), 131_072);
        assert_eq!(fft_size(161_536), 163_840);
        assert_eq!(fft_size(0), 2);
        assert_eq!(fft_size(7), 8);
    }

    #[test]
    fn one_reference_serves_several_files() {
        let mut c = Correlator::new(4096, 1000);
        let signal = noise(3, 20_000);
        let q = 10_000usize;
        let start = q - 4096 - 1000;
        let file = |late: usize| signal[start - late..start - late + c.search_len()].to_vec();
        let (a, b) = (file(12), file(345));
        assert!(c.reference(&signal[q - 4096..q]));
        assert_eq!(c.against(&a).map(|e| e.offset), Some(12));
        assert_eq!(c.against(&b).map(|e| e.offset), Some(345));
        assert_eq!(c.estimate(&signal[q - 4096..q], &b), c.against(&b));
        assert!(!c.reference(&[0.0; 4096]));
        assert_eq!(c.against(&a), None, "a quiet reference tells nothing");
    }

    #[test]
    fn unrelated_audio_scores_low_and_silence_is_none() {
        let mut c = Correlator::new(4096, 1000);
        let a = noise(1, 4096);
        let b = noise(2, c.search_len());
        let e = c.estimate(&a, &b).unwrap();
        assert!(e.confidence < 7.0, "{e:?}");
        assert_eq!(c.estimate(&a, &vec![0.0; c.search_len()]), None);
    }
}

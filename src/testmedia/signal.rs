//! Test signals for generated media: silence, sines, deterministic noise,
//! a 2-pop burst, DC, time windows and sums; evaluated per sample (no state),
//! so any block of any file can be produced on its own. Plus integer
//! quantisation with clipping to full scale.

use crate::timecode::FrameRate;

/// One channel's signal, in full-scale units (1.0 = 0 dBFS).
#[derive(Debug, Clone, PartialEq)]
pub enum Signal {
    /// Digital silence.
    Silence,
    /// A sine of peak level `dbfs`, starting at `phase` radians.
    Sine {
        /// Frequency in Hz.
        hz: f64,
        /// Peak level in dBFS.
        dbfs: f64,
        /// Phase at sample 0, in radians.
        phase: f64,
    },
    /// Uniform white noise with peak level `dbfs` (its RMS is 4.77 dB lower);
    /// the same `seed` gives the same samples.
    Noise {
        /// Seed; use different seeds for uncorrelated channels.
        seed: u64,
        /// Peak level in dBFS.
        dbfs: f64,
    },
    /// A sine burst of `len` samples starting at sample `at` (a 2-pop: 1 kHz,
    /// one frame long; see [`Signal::pop2`]).
    Burst {
        /// First sample of the burst.
        at: u64,
        /// Length in samples.
        len: u64,
        /// Frequency in Hz.
        hz: f64,
        /// Peak level in dBFS.
        dbfs: f64,
    },
    /// A constant value in full-scale units (above 1.0 clips integer PCM).
    Dc(f64),
    /// `signal` only for samples `from..to`, silence elsewhere.
    Window {
        /// First sample that plays.
        from: u64,
        /// First sample that no longer plays.
        to: u64,
        /// What plays.
        signal: Box<Signal>,
    },
    /// The sum of several signals.
    Sum(Vec<Signal>),
}

/// `dbfs` as a linear full-scale amplitude.
pub fn amplitude(dbfs: f64) -> f64 {
    10f64.powf(dbfs / 20.0)
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

impl Signal {
    /// A 2-pop: a 1 kHz burst at -20 dBFS lasting one video frame at `rate`
    /// (2002 samples at 23.976 and 48 kHz), starting at sample `at`.
    pub fn pop2(at: u64, rate: FrameRate, sample_rate: u32) -> Signal {
        Signal::Burst {
            at,
            len: rate.samples_per_frame(sample_rate).round() as u64,
            hz: 1000.0,
            dbfs: -20.0,
        }
    }

    /// This signal from sample `from` on (silence before).
    #[must_use]
    pub fn starting_at(self, from: u64) -> Signal {
        Signal::Window {
            from,
            to: u64::MAX,
            signal: Box::new(self),
        }
    }

    /// The value at sample `n` (full-scale units).
    pub fn sample(&self, n: u64, sample_rate: u32) -> f64 {
        let sr = f64::from(sample_rate.max(1));
        match self {
            Signal::Silence => 0.0,
            Signal::Sine { hz, dbfs, phase } => {
                let cycles = (n as f64 * hz / sr).fract();
                amplitude(*dbfs) * (std::f64::consts::TAU * cycles + phase).sin()
            }
            Signal::Noise { seed, dbfs } => {
                let r = splitmix64(seed.wrapping_mul(0xD6E8_FEB8_6659_FD93) ^ n);
                let unit = (r >> 11) as f64 / (1u64 << 53) as f64; // [0, 1)
                amplitude(*dbfs) * (2.0 * unit - 1.0)
            }
            Signal::Burst { at, len, hz, dbfs } => {
                if n >= *at && n - at < *len {
                    let cycles = ((n - at) as f64 * hz / sr).fract();
                    amplitude(*dbfs) * (std::f64::consts::TAU * cycles).sin()
                } else {
                    0.0
                }
            }
            Signal::Dc(v) => *v,
            Signal::Window { from, to, signal } => {
                if (*from..*to).contains(&n) {
                    signal.sample(n, sample_rate)
                } else {
                    0.0
                }
            }
            Signal::Sum(parts) => parts.iter().map(|s| s.sample(n, sample_rate)).sum(),
        }
    }
}

/// `v` (full-scale units) as a signed integer of `bits` bits (1..=32),
/// rounded and clipped to full scale.
pub fn quantise(v: f64, bits: u16) -> i64 {
    let bits = bits.clamp(1, 32);
    let scale = (1i64 << (bits - 1)) as f64;
    let q = (v * scale).round();
    if q.is_nan() {
        0
    } else {
        q.clamp(-scale, scale - 1.0) as i64
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    #[test]
    fn quantise_clips_to_full_scale() {
        assert_eq!(quantise(2.0, 16), 32767);
        assert_eq!(quantise(-2.0, 16), -32768);
        assert_eq!(quantise(0.5, 24), 1 << 22);
        assert_eq!(quantise(f64::NAN, 24), 0);
    }

    #[test]
    fn sine_peak_and_noise_determinism() {
        let s = Signal::Sine {
            hz: 12_000.0,
            dbfs: -6.0,
            phase: 0.0,
        };
        let peak = (0..48)
            .map(|n| s.sample(n, 48_000).abs())
            .fold(0.0, f64::max);
        assert!((peak - amplitude(-6.0)).abs() < 1e-9, "{peak}");
        let a = Signal::Noise { seed: 7, dbfs: 0.0 };
        let b = Signal::Noise { seed: 8, dbfs: 0.0 };
        assert_eq!(a.sample(1000, 48_000), a.sample(1000, 48_000));
        assert_ne!(a.sample(1000, 48_000), b.sample(1000, 48_000));
        assert!((0..10_000).all(|n| a.sample(n, 48_000).abs() <= 1.0));
    }

    #[test]
    fn pop2_is_one_frame_of_1k() {
        let rate = FrameRate::new(24000, 1001);
        let p = Signal::pop2(100, rate, 48_000);
        assert!(matches!(p, Signal::Burst { len: 2002, .. }));
        assert_eq!(p.sample(99, 48_000), 0.0);
        assert_eq!(p.sample(2102, 48_000), 0.0);
        assert!(p.sample(112, 48_000).abs() > 0.05);
        let late = Signal::Dc(0.25).starting_at(10);
        assert_eq!(late.sample(9, 48_000), 0.0);
        assert_eq!(
            Signal::Sum(vec![late, Signal::Dc(0.5)]).sample(10, 48_000),
            0.75
        );
    }
}

//! Integration tests: analysis. Signals are generated here (f64, quantised
//! to 24-bit) and checked against published references: EBU Tech 3341
//! (loudness, true peak) and Tech 3342 (loudness range) test cases, the
//! `ebur128` crate (a libebur128 port), `ffmpeg -af ebur128`, pyloudnorm
//! and sox, the last three on files written by ffmpeg, sox and espeak-ng
//! and measured by the `check` command itself. Helpers live here; the
//! checks are in the sub-modules.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::f64::consts::TAU;

use mnepack::analysis::{AnalysisParams, AudioFormat, Measurements, analyze_bytes};
use mnepack::probe::SampleFormat;

mod agreement;
mod cli_reference;
mod events;
mod reference;
mod streaming;

pub const RATE: u32 = 48_000;

/// Channels of f64 samples, full scale 1.0.
pub type Signal = Vec<Vec<f64>>;

pub fn format(channels: u16) -> AudioFormat {
    AudioFormat {
        channels,
        sample_rate: RATE,
        sample_format: SampleFormat::Pcm,
        bits: 24,
        block_align: channels * 3,
    }
}

/// Interleaved 24-bit little-endian bytes (rounded, clamped to the codes).
pub fn pcm24(sig: &Signal) -> Vec<u8> {
    let frames = sig[0].len();
    let mut out = Vec::with_capacity(frames * sig.len() * 3);
    for i in 0..frames {
        for ch in sig {
            let q = (ch[i] * 8_388_608.0)
                .round()
                .clamp(-8_388_608.0, 8_388_607.0) as i32;
            out.extend_from_slice(&q.to_le_bytes()[..3]);
        }
    }
    out
}

pub fn db(level_db: f64) -> f64 {
    10f64.powf(level_db / 20.0)
}

/// A sine at `freq` Hz, peak `level_db` dBFS, `secs` seconds, phase in radians.
pub fn sine(freq: f64, level_db: f64, secs: f64, phase: f64) -> Vec<f64> {
    let n = (secs * f64::from(RATE)).round() as usize;
    let a = db(level_db);
    (0..n)
        .map(|i| a * (TAU * freq * i as f64 / f64::from(RATE) + phase).sin())
        .collect()
}

/// Concatenated 1 kHz sine segments of (level dBFS, seconds).
pub fn steps(segments: &[(f64, f64)]) -> Vec<f64> {
    segments
        .iter()
        .flat_map(|&(l, s)| sine(1000.0, l, s, 0.0))
        .collect()
}

pub fn measure(sig: &Signal) -> Measurements {
    let ch = sig.len() as u16;
    let params = AnalysisParams::for_channels(ch, RATE);
    analyze_bytes(format(ch), &params, &pcm24(sig)).unwrap()
}

pub fn lufs(m: &Measurements) -> f64 {
    m.integrated_lufs.unwrap()
}

pub fn assert_near(got: f64, want: f64, tol: f64, what: &str) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: got {got}, want {want} +/- {tol}"
    );
}

/// Deterministic noise in [-0.5, 0.5).
pub struct Lcg(pub u32);
impl Lcg {
    pub fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        f64::from(self.0 >> 8) / f64::from(1u32 << 24) - 0.5
    }
}

/// Music-like programme: two tones and noise per channel under a moving
/// envelope; channel 3 of six is a low LFE tone.
pub fn programme(channels: usize, secs: f64, seed: u32) -> Signal {
    let n = (secs * f64::from(RATE)) as usize;
    let mut rng = Lcg(seed);
    let mut sig = vec![Vec::with_capacity(n); channels];
    for i in 0..n {
        let t = i as f64 / f64::from(RATE);
        let env =
            0.03 + 0.3 * (0.5 + 0.5 * (TAU * 0.21 * t).sin()) * (0.6 + 0.4 * (TAU * 1.3 * t).sin());
        for (c, ch) in sig.iter_mut().enumerate() {
            let cf = c as f64;
            let v = if channels == 6 && c == 3 {
                0.5 * env * (TAU * 50.0 * t).sin()
            } else {
                env * (0.7 * (TAU * (200.0 + 97.0 * cf) * t).sin()
                    + 0.4 * (TAU * (2500.0 + 700.0 * cf) * t).sin()
                    + 0.8 * rng.next())
            };
            ch.push(v);
        }
    }
    sig
}

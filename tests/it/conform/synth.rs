//! Synthesised music and effects for the conform corpus, 5.1 (L R C LFE Ls
//! Rs) at 48 kHz as floats: music cues of chords (a few partials, vibrato,
//! envelopes) that fade in and out with silences between them, spread over
//! L R C, the surrounds and the LFE; effects of noise bursts with decays,
//! footstep clicks, an ambience bed of filtered noise that comes and goes,
//! and a low room tone that never stops (an M&E is never digital silence
//! inside the programme). Deterministic: one seeded PRNG, no `rand`.
//!
//! Times are in seconds of a 60 s session and scale with the session's
//! length; buffers start `margin` samples before the session's first sample
//! (so a shifted file still has content at its head).

#![allow(clippy::many_single_char_names, clippy::needless_range_loop)] // signal code: t, i, a, b are time, index and bounds; one index walks several channel buffers

use std::f64::consts::TAU;

/// Sample rate of everything here.
pub const RATE: f64 = 48_000.0;

/// L R C LFE Ls Rs.
pub const L: usize = 0;
/// Right.
pub const R: usize = 1;
/// Centre.
pub const C: usize = 2;
/// LFE.
pub const LFE: usize = 3;
/// Left surround.
pub const LS: usize = 4;
/// Right surround.
pub const RS: usize = 5;

/// Six channel buffers.
pub type Chans = Vec<Vec<f32>>;

/// A small deterministic PRNG (splitmix64).
pub struct Prng(u64);

impl Prng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [-1, 1).
    pub fn bipolar(&mut self) -> f64 {
        2.0 * self.unit() - 1.0
    }
}

/// The timeline: a session of `seconds`, buffers of `total` samples whose
/// index `margin` is the session's first sample.
#[derive(Debug, Clone, Copy)]
pub struct Timeline {
    /// Session length in seconds.
    pub seconds: f64,
    /// Samples before the session's first sample.
    pub margin: usize,
    /// Buffer length.
    pub total: usize,
}

impl Timeline {
    /// Seconds of a 60 s session scaled to this one.
    pub fn at(&self, t60: f64) -> f64 {
        t60 * self.seconds / 60.0
    }

    /// Buffer index of session time `t` (seconds), clamped to the buffer.
    pub fn index(&self, t: f64) -> usize {
        ((t * RATE).round() as i64 + self.margin as i64).clamp(0, self.total as i64) as usize
    }

    /// Session time of buffer index `i`.
    pub fn time(&self, i: usize) -> f64 {
        (i as f64 - self.margin as f64) / RATE
    }

    fn silent(&self) -> Chans {
        vec![vec![0.0; self.total]; 6]
    }
}

/// A fade of `fade` seconds in after `from` and out before `to`, raised cosine.
pub fn gate(t: f64, from: f64, to: f64, fade: f64) -> f64 {
    let ramp = |x: f64| {
        let x = x.clamp(0.0, 1.0);
        0.5 - 0.5 * (std::f64::consts::PI * x).cos()
    };
    ramp((t - from) / fade) * ramp((to - t) / fade)
}

struct Note {
    ch: usize,
    hz: f64,
    from: f64,
    to: f64,
    amp: f64,
    vibrato: f64,
    partials: &'static [f64],
    /// The cue it belongs to (from, to), for the cue's fades.
    cue: (f64, f64),
}

fn render_note(tl: &Timeline, n: &Note, phase0: f64, out: &mut [f32]) {
    let (a, b) = (tl.index(n.from), tl.index(n.to + 0.3));
    let mut phase = phase0;
    for (i, o) in out.iter_mut().enumerate().take(b).skip(a) {
        let t = tl.time(i);
        let since = t - n.from;
        let attack = (since / 0.08).min(1.0);
        let release = if t > n.to {
            0.5 + 0.5 * (std::f64::consts::PI * (t - n.to) / 0.3).cos()
        } else {
            1.0
        };
        let decay = 0.75 + 0.25 * (-since / 0.6).exp();
        let env = attack * release * decay * gate(t, n.cue.0, n.cue.1, 1.5);
        let vib = 1.0 + n.vibrato * (TAU * 5.2 * since).sin();
        phase += TAU * n.hz * vib / RATE;
        let s: f64 = n
            .partials
            .iter()
            .enumerate()
            .map(|(k, p)| p * ((k + 1) as f64 * phase).sin())
            .sum();
        *o += (2.0 * n.amp * env * s) as f32;
    }
}

/// The music: three cues of chords (roughly -1..17.4 s, 18..37.2 s and
/// 39.6 s to the end of a 60 s session), fading in and out.
pub fn music(tl: &Timeline, seed: u64) -> Chans {
    const WARM: &[f64] = &[1.0, 0.5, 0.3, 0.15];
    const SOFT: &[f64] = &[1.0, 0.25, 0.1];
    const SINE: &[f64] = &[1.0];
    let mut rng = Prng::new(seed);
    let mut out = tl.silent();
    let cues = [
        (-1.0, tl.at(17.4), 48.0),
        (tl.at(18.0), tl.at(37.2), 43.0),
        (tl.at(39.6), tl.seconds + 1.0, 50.0),
    ];
    // Chord progressions in semitones from the cue's key (MIDI note).
    let progression: [[i32; 3]; 4] = [[0, 4, 7], [-3, 0, 4], [5, 9, 12], [7, 11, 14]];
    let midi = |n: f64| 440.0 * 2f64.powf((n - 69.0) / 12.0);
    let mut notes = Vec::new();
    for (c, &(from, to, key)) in cues.iter().enumerate() {
        let step = 2.4;
        let mut t = from;
        let mut k = c;
        while t < to {
            let chord = progression[k % progression.len()];
            let end = (t + step).min(to);
            let tone = |i: usize, octave: f64| midi(key + f64::from(chord[i]) + 12.0 * octave);
            let cue = (from, to);
            let mut add = |ch, hz, amp, vibrato, partials| {
                notes.push(Note {
                    ch,
                    hz,
                    from: t,
                    to: end,
                    amp,
                    vibrato,
                    partials,
                    cue,
                });
            };
            add(L, tone(0, 0.0), 0.030, 0.002, WARM);
            add(R, tone(2, 0.0), 0.030, 0.002, WARM);
            add(C, tone(1, 1.0), 0.034, 0.005, SOFT);
            add(LS, tone(0, 1.0), 0.018, 0.003, SOFT);
            add(RS, tone(2, 1.0), 0.018, 0.003, SOFT);
            add(LFE, tone(0, -2.0), 0.08, 0.0, SINE);
            // A melody note on R and L in turns, half a step later.
            let lead = if k % 2 == 0 { L } else { R };
            add(lead, tone(k % 3, 2.0), 0.016, 0.006, SOFT);
            t = end;
            k += 1;
        }
    }
    for n in &notes {
        let phase = TAU * rng.unit();
        render_note(tl, n, phase, &mut out[n.ch]);
    }
    out
}

/// One-pole low-pass with coefficient `a` (0..1, smaller is darker).
fn lowpass(state: &mut f64, x: f64, a: f64) -> f64 {
    *state += a * (x - *state);
    *state
}

/// The effects: bursts, footsteps, ambience and room tone.
pub fn effects(tl: &Timeline, seed: u64) -> Chans {
    let mut out = tl.silent();
    let mut rng = Prng::new(seed);
    // Room tone: every main channel, always, about -70 dBFS RMS.
    for ch in [L, R, C, LS, RS] {
        let mut s = 0.0;
        for o in &mut out[ch] {
            *o += (0.0012 * lowpass(&mut s, rng.bipolar(), 0.3)) as f32;
        }
    }
    // Ambience bed: filtered noise on L R Ls Rs that comes and goes.
    let beds = [
        (-2.0, tl.at(12.0)),
        (tl.at(15.0), tl.at(30.5)),
        (tl.at(33.0), tl.at(50.0)),
        (tl.at(52.0), tl.seconds + 2.0),
    ];
    for ch in [L, R, LS, RS] {
        let (mut s1, mut s2) = (0.0, 0.0);
        for i in 0..tl.total {
            let t = tl.time(i);
            let g: f64 = beds.iter().map(|&(a, b)| gate(t, a, b, 1.0)).sum();
            let x = lowpass(&mut s1, rng.bipolar(), 0.08);
            let x = x - lowpass(&mut s2, x, 0.01);
            out[ch][i] += (0.06 * g * x) as f32;
        }
    }
    // Bursts: decaying filtered noise on a channel pair, a rumble in the LFE.
    let pairs: [&[usize]; 5] = [&[L, LS], &[R, RS], &[C], &[L, R], &[LS, RS]];
    let times = [3.2, 9.5, 16.0, 22.7, 28.1, 35.4, 41.8, 47.3, 53.6, 58.0];
    for (k, &t60) in times.iter().enumerate() {
        let at = tl.at(t60);
        let tau = 0.12 + 0.28 * rng.unit();
        let bright = 0.1 + 0.5 * rng.unit();
        let chans = pairs[k % pairs.len()];
        let (a, b) = (tl.index(at), tl.index(at + 5.0 * tau));
        let (mut s, mut rumble) = (0.0, 0.0);
        for i in a..b {
            let since = tl.time(i) - at;
            let env = (since / 0.004).min(1.0) * (-since / tau).exp();
            let x = lowpass(&mut s, rng.bipolar(), bright);
            for &ch in chans {
                out[ch][i] += (0.22 * env * x) as f32;
            }
            out[LFE][i] += (1.2 * env * lowpass(&mut rumble, x, 0.004)) as f32;
        }
    }
    // Footsteps: short clicks every 0.55 s (with jitter) while walking,
    // moving between L, C and R.
    let walks = [(5.0, 11.0), (25.5, 33.0), (44.0, 50.0)];
    for &(w0, w1) in &walks {
        let (w0, w1) = (tl.at(w0), tl.at(w1));
        let mut t = w0;
        let mut step = 0usize;
        while t < w1 {
            let pan = (t - w0) / (w1 - w0); // walks from L to R through C
            let gains = [
                (1.0 - 2.0 * pan).max(0.0),
                (2.0 * pan - 1.0).max(0.0),
                1.0 - (2.0 * pan - 1.0).abs(),
            ];
            let level = if step % 2 == 0 { 0.09 } else { 0.07 };
            let (a, b) = (tl.index(t), tl.index(t + 0.04));
            let (mut lp, mut hp) = (0.0, 0.0);
            for i in a..b {
                let since = tl.time(i) - t;
                let env = (-since / 0.006).exp();
                let x = lowpass(&mut lp, rng.bipolar(), 0.35);
                let x = x - lowpass(&mut hp, x, 0.02);
                for (ch, g) in [L, R, C].into_iter().zip(gains) {
                    out[ch][i] += (level * g * env * x) as f32;
                }
            }
            t += 0.55 + 0.06 * rng.bipolar();
            step += 1;
        }
    }
    out
}

/// Noise that has nothing to do with the M&E: a stand-in print master for
/// the hostile session (-24 LUFS or so, peaks well under -2 dBFS).
pub fn unrelated(tl: &Timeline, seed: u64) -> Chans {
    let mut out = tl.silent();
    let mut rng = Prng::new(seed);
    for (ch, o) in out.iter_mut().enumerate() {
        let (level, a) = if ch == LFE { (0.3, 0.005) } else { (0.09, 0.2) };
        let mut s = 0.0;
        for (i, v) in o.iter_mut().enumerate() {
            let swell = 0.7 + 0.3 * (TAU * 0.05 * tl.time(i) + ch as f64).sin();
            *v = (level * swell * lowpass(&mut s, rng.bipolar(), a)) as f32;
        }
    }
    out
}

//! 2-pop detection, per channel, streaming: a ~1 kHz tone burst of about
//! one video frame near the head of a file, with near-silence around it.
//!
//! A sample is "sound" above -60 dBFS. Sound samples less than 1 ms apart
//! join into one burst (a sine's zero crossings dip below the threshold).
//! A burst is a pop when it starts inside the search window, lasts 15-60 ms,
//! has a zero-crossing frequency of 800-1200 Hz, and has at least 100 ms
//! of near-silence after it and before it (or the file start, whichever is
//! nearer). A burst still waiting for its silence after when the file ends
//! is not a pop.

use serde::{Deserialize, Serialize};

/// Level above which a sample is sound (-60 dBFS).
const SOUND: f32 = 0.001;

/// A detected 2-pop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pop {
    /// Frame of the first sample of the burst.
    pub offset: u64,
    /// Length of the burst in frames.
    pub length: u64,
    /// Channel it was found in (0-based).
    pub channel: usize,
}

/// One burst being followed.
#[derive(Debug, Clone, Copy)]
struct Burst {
    start: u64,
    /// Frame after the last sound sample.
    end: u64,
    quiet_before: u64,
    crossings: u64,
    positive: bool,
}

/// One channel's detector.
#[derive(Debug, Clone)]
pub(crate) struct PopDetector {
    window: u64,
    gap: u64,
    min_len: u64,
    max_len: u64,
    quiet: u64,
    rate: f64,
    /// Frame after the previous burst (0 at the start).
    last_end: u64,
    burst: Option<Burst>,
    found: Option<(u64, u64)>,
    done: bool,
}

impl PopDetector {
    /// Detector for bursts starting within the first `window` frames.
    pub(crate) fn new(sample_rate: u32, window: u64) -> Self {
        let fs = f64::from(sample_rate);
        let frames = |s: f64| (s * fs).round() as u64;
        PopDetector {
            window,
            gap: frames(0.001).max(1),
            min_len: frames(0.015),
            max_len: frames(0.060),
            quiet: frames(0.1),
            rate: fs,
            last_end: 0,
            burst: None,
            found: None,
            done: window == 0,
        }
    }

    /// True while the detector still wants samples.
    pub(crate) fn wants_more(&self) -> bool {
        !self.done
    }

    /// Judges a burst whose silence after is complete (or impossible).
    fn judge(&mut self, b: Burst) {
        let len = b.end - b.start;
        let freq = b.crossings as f64 / 2.0 / (len as f64 / self.rate);
        if (self.min_len..=self.max_len).contains(&len)
            && (800.0..=1200.0).contains(&freq)
            && b.quiet_before >= self.quiet.min(b.start)
        {
            self.found = Some((b.start, len));
            self.done = true;
        }
        self.last_end = b.end;
    }

    /// Takes one chunk of the channel starting at frame `start`.
    pub(crate) fn feed(&mut self, x: &[f32], start: u64) {
        let mut next = 0;
        while next < x.len() {
            if self.done {
                return;
            }
            next = self.skip_ahead(x, start, next);
            if self.done || next == x.len() {
                return;
            }
            let v = x[next];
            let t = start + next as u64;
            next += 1;
            let sound = v.abs() > SOUND;
            if let Some(b) = self.burst.as_mut() {
                if sound && t - b.end < self.gap {
                    if t >= self.window && t - b.start > self.max_len {
                        // Programme, not a pop; no later burst can start in the window.
                        self.done = true;
                        return;
                    }
                    let positive = v > 0.0;
                    if positive != b.positive {
                        b.crossings += 1;
                        b.positive = positive;
                    }
                    b.end = t + 1;
                    continue;
                }
                if !sound && t - b.end < self.quiet {
                    continue;
                }
                // The burst ended; enough silence after it, or sound too soon.
                let b = *b;
                self.burst = None;
                if sound {
                    self.last_end = b.end;
                } else {
                    self.judge(b);
                    if self.done {
                        return;
                    }
                }
            }
            if sound {
                if t >= self.window {
                    self.done = true;
                    return;
                }
                self.burst = Some(Burst {
                    start: t,
                    end: t + 1,
                    quiet_before: t - self.last_end,
                    crossings: 0,
                    positive: v > 0.0,
                });
            } else if t >= self.window {
                self.done = true;
            }
        }
    }

    /// Runs through samples that cannot change anything but a burst's end,
    /// in tight loops, and returns the index of the next sample that needs
    /// the full step of [`PopDetector::feed`]: quiet with no burst in the
    /// window, and a burst already too long to be a pop (only where it ends
    /// matters, not its zero crossings).
    fn skip_ahead(&mut self, x: &[f32], start: u64, mut i: usize) -> usize {
        match self.burst.as_mut() {
            None => {
                // Quiet before the window's end changes nothing.
                let left = self.window.saturating_sub(start + i as u64);
                let stop = x
                    .len()
                    .min(i.saturating_add(usize::try_from(left).unwrap_or(usize::MAX)));
                while i < stop && x[i].abs() <= SOUND {
                    i += 1;
                }
            }
            Some(b) if b.end - b.start > self.max_len => {
                let mut end = b.end;
                while i < x.len() {
                    let t = start + i as u64;
                    if x[i].abs() > SOUND {
                        if t - end >= self.gap {
                            break;
                        }
                        if t >= self.window {
                            // Programme, not a pop; no later burst can start in the window.
                            self.done = true;
                            break;
                        }
                        end = t + 1;
                    } else if t - end >= self.quiet {
                        break;
                    }
                    i += 1;
                }
                b.end = end;
            }
            Some(_) => {}
        }
        i
    }

    /// The pop found, as (first frame, length).
    pub(crate) fn found(&self) -> Option<(u64, u64)> {
        self.found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(out: &mut [f32], from: usize, len: usize, freq: f64, amp: f64) {
        for (i, o) in out[from..from + len].iter_mut().enumerate() {
            *o = (amp * (2.0 * std::f64::consts::PI * freq * i as f64 / 48_000.0).sin()) as f32;
        }
    }

    fn detect(x: &[f32], chunk: usize) -> Option<(u64, u64)> {
        let mut d = PopDetector::new(48_000, 48_000 * 5);
        for (i, c) in x.chunks(chunk).enumerate() {
            if d.wants_more() {
                d.feed(c, (i * chunk) as u64);
            }
        }
        d.found()
    }

    #[test]
    fn finds_a_one_frame_pop_in_silence() {
        let mut x = vec![0.0f32; 48_000 * 4];
        tone(&mut x, 96_001, 2002, 1000.0, 0.1);
        for chunk in [1, 333, 48_000] {
            // The burst's first sample is 0 (sin 0): the first sound sample is one later.
            assert_eq!(detect(&x, chunk), Some((96_002, 2001)), "chunk {chunk}");
        }
    }

    #[test]
    fn rejects_tone_that_is_programme_or_wrong() {
        // Continuous tone.
        let mut x = vec![0.0f32; 48_000 * 4];
        tone(&mut x, 1000, 150_000, 1000.0, 0.1);
        assert_eq!(detect(&x, 4096), None);
        // Right length, wrong frequency.
        let mut x = vec![0.0f32; 48_000 * 4];
        tone(&mut x, 96_000, 2000, 3000.0, 0.1);
        assert_eq!(detect(&x, 4096), None);
        // A pop followed by sound 50 ms later.
        let mut x = vec![0.0f32; 48_000 * 4];
        tone(&mut x, 96_000, 2000, 1000.0, 0.1);
        tone(&mut x, 100_400, 10_000, 440.0, 0.1);
        assert_eq!(detect(&x, 4096), None);
    }

    #[test]
    fn a_pop_after_a_long_burst_is_still_found() {
        // 300 ms of tone (too long to be a pop) ends, then a real pop follows
        // after 150 ms of silence: the long burst's end must be tracked exactly.
        let mut x = vec![0.0f32; 48_000 * 4];
        tone(&mut x, 4_800, 14_400, 1000.0, 0.1);
        tone(&mut x, 26_401, 2002, 1000.0, 0.1);
        for chunk in [1, 97, 4096] {
            assert_eq!(detect(&x, chunk), Some((26_402, 2001)), "chunk {chunk}");
        }
        // The same pop only 50 ms after the long burst has too little silence before it.
        let mut x = vec![0.0f32; 48_000 * 4];
        tone(&mut x, 4_800, 14_400, 1000.0, 0.1);
        tone(&mut x, 21_601, 2002, 1000.0, 0.1);
        assert_eq!(detect(&x, 4096), None);
    }
}

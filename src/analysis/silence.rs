//! Digital silence and clipping, streaming: where programme starts and
//! ends, dropouts (runs of frames where every channel is exactly zero,
//! inside programme), and per-channel runs of full-scale samples.
//!
//! Dropouts are judged per frame across all channels, not per channel: in
//! a 5.1 M&E a quiet surround or LFE channel is often digital silence for
//! long stretches, which is programme, not a fault. A run counts only
//! between the first and the last non-zero frame, so head and tail silence
//! never count.

use serde::{Deserialize, Serialize};

/// Dropouts kept with their position; the rest are only counted.
pub const MAX_LISTED: usize = 32;

/// One run of frames, in sample frames from the start of the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// First frame of the run.
    pub offset: u64,
    /// Frames in the run.
    pub length: u64,
}

/// Runs of all-channel digital silence inside programme.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dropouts {
    /// How many runs were found.
    pub count: u64,
    /// Frames in all runs together.
    pub total_frames: u64,
    /// The first runs (at most 32).
    pub first: Vec<Span>,
}

/// Full-scale runs in one channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clipping {
    /// Runs of at least `clip_run` consecutive full-scale samples.
    pub runs: u64,
    /// Frame of the first sample of the first such run.
    pub first_at: Option<u64>,
}

/// Frame-level tracking of programme bounds and dropouts.
#[derive(Debug, Clone)]
pub(crate) struct SilenceTracker {
    min_run: u64,
    first_sound: Option<u64>,
    last_sound: Option<u64>,
    /// Start of the all-zero run in progress.
    zero_from: Option<u64>,
    dropouts: Dropouts,
}

impl SilenceTracker {
    /// Tracker counting zero runs of at least `min_run` frames (>= 1).
    pub(crate) fn new(min_run: u64) -> Self {
        SilenceTracker {
            min_run: min_run.max(1),
            first_sound: None,
            last_sound: None,
            zero_from: None,
            dropouts: Dropouts::default(),
        }
    }

    fn sound_at(&mut self, frame: u64) {
        if let Some(from) = self.zero_from.take() {
            let length = frame - from;
            if self.first_sound.is_some() && length >= self.min_run {
                self.dropouts.count += 1;
                self.dropouts.total_frames += length;
                if self.dropouts.first.len() < MAX_LISTED {
                    self.dropouts.first.push(Span {
                        offset: from,
                        length,
                    });
                }
            }
        }
        self.first_sound.get_or_insert(frame);
    }

    /// Takes the largest |sample| of each frame of a chunk starting at `start`.
    pub(crate) fn feed(&mut self, frame_max: &[f32], start: u64) {
        if lowest(frame_max) > 0.0 {
            // No silent frame: the common case.
            self.sound_at(start);
        } else {
            for (i, &m) in frame_max.iter().enumerate() {
                let frame = start + i as u64;
                if m > 0.0 {
                    self.sound_at(frame);
                } else if self.zero_from.is_none() {
                    self.zero_from = Some(frame);
                }
            }
        }
        if let Some(i) = frame_max.iter().rposition(|&m| m > 0.0) {
            self.last_sound = Some(start + i as u64);
        }
    }

    /// First and last frame that is not digital silence.
    pub(crate) fn programme(&self) -> Option<(u64, u64)> {
        Some((self.first_sound?, self.last_sound?))
    }

    /// The dropouts found (a run still open at the end is tail silence).
    pub(crate) fn dropouts(&self) -> &Dropouts {
        &self.dropouts
    }
}

/// The smallest value of `x` (infinity when empty), in eight lanes
/// (vectorises; the order of comparisons does not change a minimum).
fn lowest(x: &[f32]) -> f32 {
    let mut lanes = [f32::INFINITY; 8];
    let chunks = x.chunks_exact(8);
    let rest = chunks.remainder();
    for c in chunks {
        for (l, &v) in lanes.iter_mut().zip(c) {
            *l = if v < *l { v } else { *l };
        }
    }
    lanes
        .iter()
        .chain(rest)
        .fold(f32::INFINITY, |a, &b| if b < a { b } else { a })
}

/// Per-channel tracking of full-scale runs.
#[derive(Debug, Clone)]
pub(crate) struct ClipTracker {
    min_run: u64,
    run: u64,
    run_from: u64,
    stats: Clipping,
}

impl ClipTracker {
    /// Tracker counting runs of at least `min_run` samples (>= 1).
    pub(crate) fn new(min_run: u64) -> Self {
        ClipTracker {
            min_run: min_run.max(1),
            run: 0,
            run_from: 0,
            stats: Clipping::default(),
        }
    }

    /// Notes a chunk with no full-scale sample (ends any run).
    pub(crate) fn no_full_scale(&mut self) {
        self.run = 0;
    }

    /// Takes a chunk of one channel starting at frame `start`; a sample is
    /// at full scale when `x >= pos || x <= neg`.
    pub(crate) fn feed(&mut self, x: &[f32], start: u64, (pos, neg): (f32, f32)) {
        for (i, &v) in x.iter().enumerate() {
            if v >= pos || v <= neg {
                if self.run == 0 {
                    self.run_from = start + i as u64;
                }
                self.run += 1;
                if self.run == self.min_run {
                    self.stats.runs += 1;
                    self.stats.first_at.get_or_insert(self.run_from);
                }
            } else {
                self.run = 0;
            }
        }
    }

    /// What was found.
    pub(crate) fn stats(&self) -> &Clipping {
        &self.stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dropouts_inside_programme_only() {
        let mut t = SilenceTracker::new(3);
        // 0 0 | 1 0 0 0 1 0 0 1 | 0 0 0 0
        let x = [
            0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0,
        ];
        for (i, c) in x.chunks(3).enumerate() {
            t.feed(c, 3 * i as u64);
        }
        assert_eq!(t.programme(), Some((2, 9)));
        let d = t.dropouts();
        assert_eq!(d.count, 1);
        assert_eq!(
            d.first,
            vec![Span {
                offset: 3,
                length: 3
            }]
        );
    }

    #[test]
    fn all_silent_has_no_programme() {
        let mut t = SilenceTracker::new(1);
        t.feed(&[0.0; 100], 0);
        assert_eq!(t.programme(), None);
        assert_eq!(t.dropouts().count, 0);
    }

    #[test]
    fn clip_runs_across_chunks() {
        let mut c = ClipTracker::new(3);
        let fs = (1.0, -1.0);
        // Run of 2 (no), run of 3 split over chunks (yes, at 5), run of 4 negative (yes).
        let x = [
            0.0, 1.0, 1.0, 0.5, 0.0, 1.0, 1.0, 1.0, 0.0, -1.0, -1.0, -1.0, -1.0, 0.2,
        ];
        for (i, ch) in x.chunks(6).enumerate() {
            c.feed(ch, 6 * i as u64, fs);
        }
        assert_eq!(c.stats().runs, 2);
        assert_eq!(c.stats().first_at, Some(5));
    }
}

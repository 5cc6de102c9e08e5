//! A file's recent audio for the lockstep analysis: the last few seconds of
//! every channel, addressed by absolute frame number, reading silence
//! before the file's start, after its end and outside what is kept. The
//! chunks its feed sent are kept as they came (a mono set's put side by
//! side first) and handed back once they fall out of the window, for the
//! feed to reuse.

use std::collections::VecDeque;

use super::Chunk;

/// At least the last `capacity` frames of a file, in the chunks that
/// brought them.
#[derive(Debug)]
pub struct Ring {
    /// (absolute first frame, frames, the chunk), oldest first.
    chunks: VecDeque<(u64, usize, Chunk)>,
    channels: usize,
    capacity: usize,
    /// Frames appended so far (the absolute frame after the newest one).
    end: u64,
    /// True once the file has no more frames.
    pub done: bool,
}

impl Ring {
    /// An empty ring of `channels` channels keeping `capacity` frames.
    pub fn new(channels: usize, capacity: usize) -> Self {
        Ring {
            chunks: VecDeque::new(),
            channels: channels.max(1),
            capacity: capacity.max(1),
            end: 0,
            done: false,
        }
    }

    /// Frames appended so far.
    pub fn end(&self) -> u64 {
        self.end
    }

    /// Appends a chunk (one vector per channel; the shortest sets the
    /// frames, a missing channel reads as silence; its values must be
    /// finite) and returns the chunks no longer needed.
    pub fn push(&mut self, chunk: Chunk) -> Vec<Chunk> {
        let frames = chunk.iter().map(Vec::len).min().unwrap_or(0);
        if chunk.len() < self.channels && frames > 0 {
            // Fewer channels than announced: what is missing is silence.
            let mut chunk = chunk;
            chunk.resize(self.channels, vec![0.0; frames]);
            return self.push(chunk);
        }
        self.chunks.push_back((self.end, frames, chunk));
        self.end += frames as u64;
        let mut gone = Vec::new();
        while let Some(&(_, n, _)) = self.chunks.front() {
            if self.end - self.oldest() - n as u64 >= self.capacity as u64 {
                if let Some((_, _, c)) = self.chunks.pop_front() {
                    gone.push(c);
                }
            } else {
                break;
            }
        }
        gone
    }

    /// The oldest absolute frame still held.
    fn oldest(&self) -> u64 {
        self.chunks.front().map_or(self.end, |c| c.0)
    }

    /// Calls `f(at, piece)` for every held run of channel `ch` within
    /// frames `[start, start + len)`, `at` being the run's place in that span.
    fn visit(&self, ch: usize, start: i64, len: usize, mut f: impl FnMut(usize, &[f32])) {
        let stop = start + len as i64;
        for (first, n, chunk) in &self.chunks {
            let (lo, hi) = (*first as i64, (*first + *n as u64) as i64);
            if hi <= start {
                continue;
            }
            if lo >= stop {
                break;
            }
            let (a, b) = (lo.max(start), hi.min(stop));
            if let Some(column) = chunk.get(ch) {
                f(
                    (a - start) as usize,
                    &column[(a - lo) as usize..(b - lo) as usize],
                );
            }
        }
    }

    /// Copies channel `ch` from absolute frame `start` (may be negative)
    /// into `out`, with zeros where the frame is not held.
    pub fn read(&self, ch: usize, start: i64, out: &mut [f32]) {
        out.fill(0.0);
        self.visit(ch, start, out.len(), |at, piece| {
            out[at..at + piece.len()].copy_from_slice(piece);
        });
    }

    /// Adds channel `ch`'s frames from `start` into `out`.
    pub fn add(&self, ch: usize, start: i64, out: &mut [f32]) {
        self.visit(ch, start, out.len(), |at, piece| {
            for (o, v) in out[at..at + piece.len()].iter_mut().zip(piece) {
                *o += v;
            }
        });
    }

    /// Adds every channel's frames from `start` into `out` (a mono sum).
    pub fn add_sum(&self, start: i64, out: &mut [f32]) {
        for ch in 0..self.channels {
            self.add(ch, start, out);
        }
    }

    /// True when frames `[start, start + len)` are held or lie wholly
    /// before the start or after the end of a finished file (so a read
    /// returns what the file holds there).
    pub fn covers(&self, start: i64, len: usize) -> bool {
        let stop = start + len as i64;
        let lost = start < self.oldest() as i64 && stop > 0;
        let pending = !self.done && stop > self.end as i64;
        !lost && !pending
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // the ring copies values: they must come back exactly
mod tests {
    use super::*;

    #[test]
    fn reads_what_was_pushed_and_silence_elsewhere() {
        let mut r = Ring::new(2, 4);
        assert!(
            r.push(vec![vec![1.0, 2.0, 3.0], vec![-1.0, -2.0, -3.0]])
                .is_empty()
        );
        let mut out = [9.0; 5];
        r.read(0, -1, &mut out);
        assert_eq!(out, [0.0, 1.0, 2.0, 3.0, 0.0]);
        assert!(r.push(vec![vec![4.0, 5.0], vec![-4.0, -5.0]]).is_empty());
        let gone = r.push(vec![vec![6.0, 7.0], vec![-6.0, -7.0]]);
        // Frames 3..7 are enough for 4: the first chunk (0..3) goes back.
        assert_eq!(
            gone,
            vec![vec![vec![1.0, 2.0, 3.0], vec![-1.0, -2.0, -3.0]]]
        );
        r.read(1, 2, &mut out);
        assert_eq!(out, [0.0, -4.0, -5.0, -6.0, -7.0]);
        assert!(r.covers(3, 4));
        assert!(!r.covers(2, 2), "frame 2 is gone");
        assert!(!r.covers(6, 2), "frame 7 has not come yet");
        r.done = true;
        assert!(
            r.covers(5, 20),
            "after the end of a finished file is silence"
        );
        let mut sum = [0.0; 2];
        r.add_sum(4, &mut sum);
        assert_eq!(sum, [0.0, 0.0], "L + R cancel");
    }
}

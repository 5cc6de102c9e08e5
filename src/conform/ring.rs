//! A file's recent audio for the lockstep analysis: the last few seconds of
//! every channel, addressed by absolute frame number, reading silence
//! before the file's start, after its end and outside what is kept.

/// The last `capacity` frames of a file, one ring per channel.
#[derive(Debug)]
pub struct Ring {
    channels: Vec<Vec<f32>>,
    capacity: usize,
    /// Frames appended so far (the absolute frame after the newest one).
    end: u64,
    /// True once the file has no more frames.
    pub done: bool,
}

impl Ring {
    /// An empty ring of `channels` channels holding `capacity` frames.
    pub fn new(channels: usize, capacity: usize) -> Self {
        Ring {
            channels: vec![vec![0.0; capacity.max(1)]; channels.max(1)],
            capacity: capacity.max(1),
            end: 0,
            done: false,
        }
    }

    /// Frames appended so far.
    pub fn end(&self) -> u64 {
        self.end
    }

    /// Appends frames given one slice per channel (all of one length;
    /// a missing channel reads as silence, a value that is not finite as 0).
    pub fn push_planar(&mut self, channels: &[Vec<f32>]) {
        let frames = channels.iter().map(Vec::len).min().unwrap_or(0);
        let cap = self.capacity;
        for (ch, ring) in self.channels.iter_mut().enumerate() {
            let src = channels.get(ch).map(|c| &c[..frames]);
            let mut done = 0;
            while done < frames {
                // One contiguous run of the ring at a time (at most two).
                let at = ((self.end + done as u64) % cap as u64) as usize;
                let n = (frames - done).min(cap - at);
                let dst = &mut ring[at..at + n];
                match src {
                    Some(s) => {
                        for (d, v) in dst.iter_mut().zip(&s[done..done + n]) {
                            *d = if v.is_finite() { *v } else { 0.0 };
                        }
                    }
                    None => dst.fill(0.0),
                }
                done += n;
            }
        }
        self.end += frames as u64;
    }

    /// The oldest absolute frame still held.
    fn oldest(&self) -> u64 {
        self.end.saturating_sub(self.capacity as u64)
    }

    /// Copies channel `ch` from absolute frame `start` (may be negative)
    /// into `out`, with zeros where the frame is not held.
    pub fn read(&self, ch: usize, start: i64, out: &mut [f32]) {
        out.fill(0.0);
        let ring = &self.channels[ch];
        let lo = start.max(self.oldest() as i64);
        let hi = (start + out.len() as i64).min(self.end as i64);
        let mut f = lo;
        while f < hi {
            // One contiguous run of the ring at a time (at most two).
            let at = (f as u64 % self.capacity as u64) as usize;
            let n = ((hi - f) as usize).min(self.capacity - at);
            let dst = (f - start) as usize;
            out[dst..dst + n].copy_from_slice(&ring[at..at + n]);
            f += n as i64;
        }
    }

    /// Adds every channel's frames from `start` into `out` (a mono sum).
    pub fn add_sum(&self, start: i64, out: &mut [f32], scratch: &mut Vec<f32>) {
        scratch.resize(out.len(), 0.0);
        for ch in 0..self.channels.len() {
            self.read(ch, start, scratch);
            for (o, s) in out.iter_mut().zip(scratch.iter()) {
                *o += s;
            }
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
        r.push_planar(&[vec![1.0, 2.0, 3.0], vec![-1.0, -2.0, -3.0]]);
        let mut out = [9.0; 5];
        r.read(0, -1, &mut out);
        assert_eq!(out, [0.0, 1.0, 2.0, 3.0, 0.0]);
        r.push_planar(&[vec![4.0, 5.0, 6.0], vec![-4.0, -5.0, -6.0]]);
        // Holds frames 2..6 now: frames 0 and 1 were overwritten.
        r.read(1, 1, &mut out);
        assert_eq!(out, [0.0, -3.0, -4.0, -5.0, -6.0]);
        assert!(r.covers(2, 4));
        assert!(!r.covers(1, 2), "frame 1 is gone");
        assert!(!r.covers(5, 2), "frame 6 has not come yet");
        r.done = true;
        assert!(
            r.covers(5, 20),
            "after the end of a finished file is silence"
        );
        let mut sum = [0.0; 2];
        r.add_sum(4, &mut sum, &mut Vec::new());
        assert_eq!(sum, [0.0, 0.0], "L + R cancel");
    }
}

//! Pulls a movie's sound out of the movie's bytes: [`Extract`] is a
//! [`Sink`] fed the whole file in order (blocks of any size) that forwards
//! only the bytes inside the sound's ranges to an inner sink, each sample
//! turned into the WAV `data` convention on the way (little-endian; 8-bit
//! unsigned). [`Samples`] does that turning, with a carry for a sample cut
//! by a block or range boundary; `range_reader.rs` reads the same bytes by
//! seeking instead.

use std::io;

use super::Sink;
use crate::probe::sound::{MovieAudio, Range};

/// What is done to each sample.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Already in the WAV convention.
    Copy,
    /// Big-endian: the bytes of each sample reversed.
    Swap,
    /// Signed 8-bit: the sign bit flipped (WAV's 8-bit is unsigned).
    Unsign8,
}

/// A stream of sample bytes turned into the WAV convention, sample by
/// sample, whatever the pieces it comes in.
#[derive(Debug, Clone)]
pub struct Samples {
    width: usize,
    mode: Mode,
    carry: [u8; 8],
    held: usize,
}

impl Samples {
    /// Samples of `width` bytes (1 to 8; other widths are copied as they
    /// are), byte-swapped when `big_endian`.
    pub fn new(width: usize, big_endian: bool) -> Self {
        let mode = if big_endian && (2..=8).contains(&width) {
            Mode::Swap
        } else {
            Mode::Copy
        };
        Self {
            width: width.clamp(1, 8),
            mode,
            carry: [0; 8],
            held: 0,
        }
    }

    /// The turning a movie's sound needs (signed 8-bit becomes unsigned).
    pub fn for_movie(audio: &MovieAudio) -> Self {
        let mut s = Self::new(usize::from(audio.bytes_per_sample()), audio.big_endian);
        if audio.bits == 8 && audio.signed && !audio.float {
            s.mode = Mode::Unsign8;
        }
        s
    }

    /// Bytes of a sample begun but not yet whole.
    pub fn held(&self) -> usize {
        self.held
    }

    /// Appends the turned samples of `input` to `out`; a trailing part of a
    /// sample is kept until the next call completes it.
    pub fn push(&mut self, mut input: &[u8], out: &mut Vec<u8>) {
        match self.mode {
            Mode::Copy => return out.extend_from_slice(input),
            Mode::Unsign8 => return out.extend(input.iter().map(|b| b ^ 0x80)),
            Mode::Swap => {}
        }
        let w = self.width;
        if self.held > 0 {
            let take = (w - self.held).min(input.len());
            self.carry[self.held..self.held + take].copy_from_slice(&input[..take]);
            self.held += take;
            input = &input[take..];
            if self.held < w {
                return;
            }
            out.extend(self.carry[..w].iter().rev());
            self.held = 0;
        }
        let whole = input.len() - input.len() % w;
        out.reserve(whole);
        for s in input[..whole].chunks_exact(w) {
            out.extend(s.iter().rev());
        }
        let rest = &input[whole..];
        self.carry[..rest.len()].copy_from_slice(rest);
        self.held = rest.len();
    }
}

/// A sink fed a whole file that forwards only its sound's bytes, in the
/// WAV convention, to `inner` (one call per block that holds any).
pub struct Extract<S: Sink> {
    ranges: Vec<Range>,
    next: usize,
    pos: u64,
    samples: Samples,
    out: Vec<u8>,
    forwarded: u64,
    inner: S,
}

impl<S: Sink> Extract<S> {
    /// Forwards the bytes of `ranges` (in increasing offset order, not
    /// overlapping; a part of a range already passed is skipped), samples
    /// of `bytes_per_sample` bytes, byte-swapped when `big_endian`.
    pub fn new(ranges: Vec<Range>, bytes_per_sample: usize, big_endian: bool, inner: S) -> Self {
        Self::with(ranges, Samples::new(bytes_per_sample, big_endian), inner)
    }

    /// Forwards the sound of `audio`.
    pub fn for_movie(audio: &MovieAudio, inner: S) -> Self {
        Self::with(audio.ranges.clone(), Samples::for_movie(audio), inner)
    }

    fn with(ranges: Vec<Range>, samples: Samples, inner: S) -> Self {
        Self {
            ranges,
            next: 0,
            pos: 0,
            samples,
            out: Vec::new(),
            forwarded: 0,
            inner,
        }
    }

    /// Bytes forwarded so far.
    pub fn forwarded(&self) -> u64 {
        self.forwarded
    }

    /// True once the stream has gone past the end of every range.
    pub fn is_complete(&self) -> bool {
        self.next >= self.ranges.len()
    }

    /// The inner sink.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S: Sink> Sink for Extract<S> {
    fn consume(&mut self, block: &[u8]) -> io::Result<()> {
        let start = self.pos;
        let end = start + block.len() as u64;
        self.out.clear();
        while let Some(r) = self.ranges.get(self.next) {
            if r.offset >= end {
                break;
            }
            let (lo, hi) = (r.offset.max(start), r.end().min(end));
            if lo < hi {
                let piece = &block[(lo - start) as usize..(hi - start) as usize];
                self.samples.push(piece, &mut self.out);
            }
            if r.end() > end {
                break;
            }
            self.next += 1;
        }
        self.pos = end;
        if self.out.is_empty() {
            return Ok(());
        }
        self.forwarded += self.out.len() as u64;
        self.inner.consume(&self.out)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.inner.finish()?;
        // A stream that stopped early leaves a part-sample too; only a whole
        // pass with one left over means the ranges cut a sample.
        if self.is_complete() && self.samples.held() > 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "the sound ranges end {} bytes into a sample",
                    self.samples.held()
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stream::Collect;

    fn feed(e: &mut Extract<Collect>, file: &[u8], block: usize) {
        for b in file.chunks(block) {
            e.consume(b).unwrap();
        }
        e.finish().unwrap();
    }

    #[test]
    fn swaps_samples_cut_by_blocks_and_ranges() {
        let file: Vec<u8> = (0..=255u8).collect();
        // 24-bit samples; the second range continues a sample begun in the first.
        let ranges = vec![Range { offset: 10, len: 5 }, Range { offset: 40, len: 4 }];
        let want = vec![12, 11, 10, 40, 14, 13, 43, 42, 41];
        for block in [1, 2, 3, 7, 41, 256] {
            let mut e = Extract::new(ranges.clone(), 3, true, Collect::default());
            feed(&mut e, &file, block);
            assert!(e.is_complete());
            assert_eq!(e.forwarded(), 9);
            let c = e.into_inner();
            assert_eq!(c.0, want, "block {block}");
            assert!(c.1, "finish reached the inner sink");
        }
    }

    #[test]
    fn little_endian_is_copied_and_signed_8_bit_unsigned() {
        let file: Vec<u8> = (0..100u8).collect();
        let mut e = Extract::new(
            vec![Range { offset: 3, len: 4 }],
            2,
            false,
            Collect::default(),
        );
        feed(&mut e, &file, 5);
        assert_eq!(e.into_inner().0, vec![3, 4, 5, 6]);
        let mut s = Samples::new(1, true);
        s.mode = Mode::Unsign8;
        let mut out = Vec::new();
        s.push(&[0x00, 0x7f, 0x80, 0xff], &mut out);
        assert_eq!(out, vec![0x80, 0xff, 0x00, 0x7f]);
    }

    #[test]
    fn a_range_ending_inside_a_sample_is_an_error_at_finish() {
        let file = vec![0u8; 64];
        let mut e = Extract::new(
            vec![Range { offset: 0, len: 5 }],
            4,
            true,
            Collect::default(),
        );
        e.consume(&file).unwrap();
        let err = e.finish().unwrap_err();
        assert!(err.to_string().contains("1 bytes into a sample"), "{err}");
        // A stream cut short is not blamed on the ranges.
        let mut e = Extract::new(
            vec![Range { offset: 0, len: 8 }],
            4,
            true,
            Collect::default(),
        );
        e.consume(&file[..6]).unwrap();
        assert!(!e.is_complete());
        e.finish().unwrap();
    }
}

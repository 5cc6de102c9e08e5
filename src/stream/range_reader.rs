//! [`RangeReader`]: a movie's sound read by seeking to each of its ranges
//! in turn, never reading the picture between them, and yielding the same
//! bytes as `extract::Extract` (the WAV convention: little-endian, 8-bit
//! unsigned) through `Read`.

use std::io::{self, Read, Seek, SeekFrom};

use super::extract::Samples;
use crate::probe::sound::{MovieAudio, Range};

/// Bytes read from the source at once.
const PIECE: usize = 256 << 10;

/// Reads only the bytes of some ranges of a seekable source, turned into
/// the WAV convention.
pub struct RangeReader<R: Read + Seek> {
    r: R,
    ranges: Vec<Range>,
    next: usize,
    /// Bytes of `ranges[next]` already read.
    done: u64,
    /// Where the source stands, when known (saves a seek between adjacent reads).
    at: Option<u64>,
    samples: Samples,
    raw: Vec<u8>,
    out: Vec<u8>,
    out_pos: usize,
}

impl<R: Read + Seek> RangeReader<R> {
    /// Reads `ranges` (in order) of `r`: samples of `bytes_per_sample`
    /// bytes, byte-swapped when `big_endian`.
    pub fn new(r: R, ranges: Vec<Range>, bytes_per_sample: usize, big_endian: bool) -> Self {
        Self::with(r, ranges, Samples::new(bytes_per_sample, big_endian))
    }

    /// Reads the sound of `audio` from its movie `r`.
    pub fn for_movie(r: R, audio: &MovieAudio) -> Self {
        Self::with(r, audio.ranges.clone(), Samples::for_movie(audio))
    }

    fn with(r: R, ranges: Vec<Range>, samples: Samples) -> Self {
        Self {
            r,
            ranges,
            next: 0,
            done: 0,
            at: None,
            samples,
            raw: Vec::new(),
            out: Vec::new(),
            out_pos: 0,
        }
    }

    /// The source.
    pub fn into_inner(self) -> R {
        self.r
    }

    /// Reads the next piece of the current range into `out`; false at the end.
    fn fill(&mut self) -> io::Result<bool> {
        while self
            .ranges
            .get(self.next)
            .is_some_and(|r| r.len == self.done)
        {
            self.next += 1;
            self.done = 0;
        }
        let Some(r) = self.ranges.get(self.next).copied() else {
            if self.samples.held() > 0 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!(
                        "the sound ranges end {} bytes into a sample",
                        self.samples.held()
                    ),
                ));
            }
            return Ok(false);
        };
        let pos = r.offset + self.done;
        if self.at != Some(pos) {
            self.r.seek(SeekFrom::Start(pos))?;
        }
        let want = (r.len - self.done).min(PIECE as u64) as usize;
        self.raw.resize(want, 0);
        let n = loop {
            match self.r.read(&mut self.raw[..want]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                other => break other?,
            }
        };
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!(
                    "the movie ends at offset {pos}, inside its sound (a range of {} bytes at {})",
                    r.len, r.offset
                ),
            ));
        }
        self.at = Some(pos + n as u64);
        self.done += n as u64;
        self.samples.push(&self.raw[..n], &mut self.out);
        Ok(true)
    }
}

impl<R: Read + Seek> Read for RangeReader<R> {
    fn read(&mut self, dst: &mut [u8]) -> io::Result<usize> {
        if dst.is_empty() {
            return Ok(0);
        }
        while self.out_pos == self.out.len() {
            self.out.clear();
            self.out_pos = 0;
            if !self.fill()? {
                return Ok(0);
            }
        }
        let n = dst.len().min(self.out.len() - self.out_pos);
        dst[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::super::Collect;
    use super::super::Sink;
    use super::super::extract::Extract;
    use super::*;

    /// A file of 200,003 bytes and ranges of 24-bit samples that straddle
    /// one another, some adjacent, one at the very end.
    fn layout() -> (Vec<u8>, Vec<Range>) {
        let file: Vec<u8> = (0..200_003u32).map(|i| (i * 7 + i / 251) as u8).collect();
        let ranges = vec![
            Range {
                offset: 5,
                len: 1000,
            },
            Range {
                offset: 1005,
                len: 2,
            },
            Range {
                offset: 4096,
                len: 70_001,
            },
            Range {
                offset: 90_000,
                len: 100_000,
            },
            Range {
                offset: 200_000,
                len: 3,
            },
        ];
        (file, ranges)
    }

    fn extracted(file: &[u8], ranges: &[Range], block: usize) -> Vec<u8> {
        let mut e = Extract::new(ranges.to_vec(), 3, true, Collect::default());
        for b in file.chunks(block) {
            e.consume(b).unwrap();
        }
        e.finish().unwrap();
        e.into_inner().0
    }

    #[test]
    fn the_sink_and_the_reader_give_the_same_bytes() {
        let (file, ranges) = layout();
        let mut want = Vec::new();
        RangeReader::new(Cursor::new(&file), ranges.clone(), 3, true)
            .read_to_end(&mut want)
            .unwrap();
        assert_eq!(want.len(), 171_006);
        assert_eq!(&want[..3], &[file[7], file[6], file[5]]);
        for block in [1, 7, 4096] {
            assert!(extracted(&file, &ranges, block) == want, "block {block}");
        }
    }

    #[test]
    fn small_reads_and_a_short_source() {
        let (file, ranges) = layout();
        let mut r = RangeReader::new(Cursor::new(&file), ranges.clone(), 3, true);
        let mut got = Vec::new();
        let mut one = [0u8; 5];
        loop {
            let n = r.read(&mut one).unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&one[..n]);
        }
        assert_eq!(got, extracted(&file, &ranges, 4096));
        let mut r = RangeReader::new(Cursor::new(&file[..150_000]), ranges, 3, true);
        let err = r.read_to_end(&mut Vec::new()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert!(err.to_string().contains("offset 150000"), "{err}");
    }
}

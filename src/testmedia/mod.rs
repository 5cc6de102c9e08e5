//! Generators of test and demo media: WAV/RF64/BW64 bytes with any header
//! variant (container, `fmt ` kind, EXTENSIBLE cbSize, bext, iXML, LIST/INFO,
//! JUNK, extra chunks before and after `data`, odd sizes with pad bytes) and
//! real samples from a [`Signal`] per channel.
//!
//! - [`write_wav`] streams any length in fixed-size blocks (memory stays flat);
//! - [`wav_bytes`] returns a small file as a `Vec<u8>`;
//! - [`write_sparse`] makes a file whose `data` is a hole (for RF64 past
//!   4 GiB at no disk cost; the samples read as zero bytes);
//! - [`layout`] tells where `data` lands, so tests can patch header bytes.
//!
//! A plain RIFF whose sizes do not fit 32 bits is refused unless
//! [`WavSpec::wrap_oversize`] asks for the wrapped sizes a broken writer makes.

pub mod demo;
mod header;
mod signal;

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

pub use signal::{Signal, amplitude, quantise};

use crate::probe::Bext;

/// The outer container of a generated WAV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WavContainer {
    /// `RIFF` with 32-bit sizes.
    Riff,
    /// EBU `RF64` with a `ds64` chunk.
    Rf64,
    /// ITU `BW64` with a `ds64` chunk.
    Bw64,
}

/// The `fmt ` chunk to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FmtKind {
    /// `WAVE_FORMAT_PCM` (tag 1, 16-byte `fmt `).
    Pcm,
    /// `WAVE_FORMAT_IEEE_FLOAT` (tag 3, 18-byte `fmt ` with cbSize 0).
    Float,
    /// `WAVE_FORMAT_EXTENSIBLE` (tag 0xFFFE).
    Extensible {
        /// cbSize (22 is standard; more adds zero bytes after the GUID).
        cb_size: u16,
        /// `wValidBitsPerSample` (samples are quantised to this many bits, MSB-aligned).
        valid_bits: u16,
        /// `dwChannelMask`.
        channel_mask: u32,
        /// Float sub-format instead of PCM.
        float: bool,
    },
}

/// Everything about a WAV to generate. Start from [`WavSpec::new`] and change fields.
#[derive(Debug, Clone, PartialEq)]
pub struct WavSpec {
    /// RIFF, RF64 or BW64.
    pub container: WavContainer,
    /// The `fmt ` chunk kind.
    pub format: FmtKind,
    /// Samples per second.
    pub sample_rate: u32,
    /// Container bits per sample: 8, 16, 24 or 32 for integers; 32 or 64 for float.
    pub bits: u16,
    /// Channel count.
    pub channels: u16,
    /// Sample frames in `data`.
    pub frames: u64,
    /// A `bext` chunk (602 bytes plus [`WavSpec::bext_history`]).
    pub bext: Option<Bext>,
    /// bext coding history (any length: an odd one gives an odd `bext`).
    pub bext_history: String,
    /// An `iXML` chunk with this text.
    pub ixml: Option<String>,
    /// A `LIST`/`INFO` chunk with these entries (id, text; the text gets a NUL).
    pub info: Vec<([u8; 4], String)>,
    /// A `fact` chunk with the frame count.
    pub fact: bool,
    /// A `JUNK` chunk of this many zero bytes (after `ds64`, before `fmt `).
    pub junk: Option<usize>,
    /// Raw chunks written just before `data` (odd sizes get a pad byte).
    pub chunks_before_data: Vec<([u8; 4], Vec<u8>)>,
    /// Raw chunks written after `data`.
    pub chunks_after_data: Vec<([u8; 4], Vec<u8>)>,
    /// Extra `ds64` table entries (RF64/BW64 only).
    pub ds64_table: Vec<([u8; 4], u64)>,
    /// For RIFF past 4 GiB: write sizes wrapped modulo 2^32 instead of failing.
    pub wrap_oversize: bool,
    /// One signal per channel; missing channels are silent.
    pub signal: Vec<Signal>,
}

impl WavSpec {
    /// A plain RIFF PCM file of silence with no optional chunks.
    pub fn new(sample_rate: u32, bits: u16, channels: u16, frames: u64) -> Self {
        Self {
            container: WavContainer::Riff,
            format: FmtKind::Pcm,
            sample_rate,
            bits,
            channels,
            frames,
            bext: None,
            bext_history: String::new(),
            ixml: None,
            info: Vec::new(),
            fact: false,
            junk: None,
            chunks_before_data: Vec::new(),
            chunks_after_data: Vec::new(),
            ds64_table: Vec::new(),
            wrap_oversize: false,
            signal: Vec::new(),
        }
    }

    /// Bytes per frame of all channels.
    pub fn block_align(&self) -> u16 {
        self.channels.saturating_mul(self.bits.div_ceil(8))
    }

    /// True for float samples (tag 3 or the EXTENSIBLE float sub-format).
    pub fn is_float(&self) -> bool {
        matches!(
            self.format,
            FmtKind::Float | FmtKind::Extensible { float: true, .. }
        )
    }
}

/// Where things land in a generated file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Offset of the first sample byte.
    pub data_offset: u64,
    /// Bytes of sample data.
    pub data_len: u64,
    /// Length of the whole file.
    pub total_len: u64,
}

/// Where `data` lands and how long the file is.
pub fn layout(spec: &WavSpec) -> io::Result<Layout> {
    header::build(spec).map(|(_, _, l)| l)
}

/// Writes the whole file to `w`, samples in blocks of 4096 frames.
pub fn write_wav<W: Write>(spec: &WavSpec, w: &mut W) -> io::Result<()> {
    let (head, tail, l) = header::build(spec)?;
    w.write_all(&head)?;
    let align = usize::from(spec.block_align());
    let mut buf = Vec::with_capacity(4096 * align);
    let mut frame = 0u64;
    while frame < spec.frames {
        let n = (spec.frames - frame).min(4096);
        buf.clear();
        for f in frame..frame + n {
            for c in 0..usize::from(spec.channels) {
                let v = spec
                    .signal
                    .get(c)
                    .map_or(0.0, |s| s.sample(f, spec.sample_rate));
                encode(spec, v, &mut buf);
            }
        }
        w.write_all(&buf)?;
        frame += n;
    }
    if l.data_len % 2 == 1 {
        w.write_all(&[0])?;
    }
    w.write_all(&tail)
}

/// The whole file in memory (for small test files).
pub fn wav_bytes(spec: &WavSpec) -> io::Result<Vec<u8>> {
    let mut v = Vec::new();
    write_wav(spec, &mut v)?;
    Ok(v)
}

/// Writes the file at `path` with its `data` left as a hole (zero bytes, no
/// disk used on filesystems with sparse files): headers, then `set_len`,
/// then the chunks after `data`. The signal is ignored.
pub fn write_sparse(path: &Path, spec: &WavSpec) -> io::Result<Layout> {
    let (head, tail, l) = header::build(spec)?;
    let mut f = BufWriter::new(File::create(path)?);
    f.write_all(&head)?;
    let f = f.into_inner().map_err(io::IntoInnerError::into_error)?;
    let mut f = f;
    let data_end = l.data_offset + l.data_len + (l.data_len & 1);
    f.set_len(data_end)?;
    f.seek(SeekFrom::Start(data_end))?;
    f.write_all(&tail)?;
    f.flush()?;
    Ok(l)
}

/// Appends one sample in the spec's encoding.
fn encode(spec: &WavSpec, v: f64, out: &mut Vec<u8>) {
    let bytes = usize::from(spec.bits.div_ceil(8));
    if spec.is_float() {
        if spec.bits == 64 {
            out.extend_from_slice(&v.to_le_bytes());
        } else {
            out.extend_from_slice(&(v as f32).to_le_bytes());
        }
        return;
    }
    let valid = match spec.format {
        FmtKind::Extensible { valid_bits, .. } if valid_bits > 0 => valid_bits.min(spec.bits),
        _ => spec.bits,
    };
    let q = quantise(v, valid) << (spec.bits - valid);
    if spec.bits <= 8 {
        out.push((q + 128) as u8);
    } else {
        out.extend_from_slice(&q.to_le_bytes()[..bytes]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_written_bytes_and_pads_odd_data() {
        let spec = WavSpec {
            chunks_after_data: vec![(*b"abcd", vec![1])],
            ..WavSpec::new(48_000, 24, 1, 3)
        };
        let b = wav_bytes(&spec).unwrap();
        let l = layout(&spec).unwrap();
        assert_eq!(l.total_len, b.len() as u64);
        assert_eq!(l.data_len, 9);
        // pad byte after the 9 data bytes, then the chunk and its own pad.
        let after = (l.data_offset + 10) as usize;
        assert_eq!(&b[after..after + 4], b"abcd");
        assert_eq!(b.len(), after + 8 + 2);
        assert_eq!(
            u32::from_le_bytes([b[4], b[5], b[6], b[7]]) as usize,
            b.len() - 8
        );
    }

    #[test]
    fn refuses_unsupported_sample_formats() {
        let spec = WavSpec {
            format: FmtKind::Float,
            ..WavSpec::new(48_000, 24, 1, 1)
        };
        assert!(wav_bytes(&spec).is_err());
        assert!(wav_bytes(&WavSpec::new(48_000, 12, 1, 1)).is_err());
    }

    #[test]
    fn valid_bits_are_msb_aligned() {
        let spec = WavSpec {
            format: FmtKind::Extensible {
                cb_size: 22,
                valid_bits: 20,
                channel_mask: 4,
                float: false,
            },
            signal: vec![Signal::Dc(-1.0)],
            ..WavSpec::new(48_000, 24, 1, 1)
        };
        let b = wav_bytes(&spec).unwrap();
        let d = layout(&spec).unwrap().data_offset as usize;
        // -2^19 at 20 bits, shifted left by 4: 0x800000.
        assert_eq!(&b[d..d + 3], &[0x00, 0x00, 0x80]);
    }
}

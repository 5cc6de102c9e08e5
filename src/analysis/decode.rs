//! Sample decoding: little-endian PCM (8-bit unsigned, 16/24/32-bit signed)
//! and IEEE float (32/64-bit) straight from interleaved byte slices into a
//! caller-owned `f32` buffer, one channel at a time, with no allocation.
//!
//! Every format is scaled to full scale = 1.0. `f32` holds 8/16/24-bit codes
//! exactly; 32-bit integer and 64-bit float samples are rounded to `f32`'s
//! 24-bit mantissa (about -144 dB), which is far below anything measured.

use super::{AnalysisError, AudioFormat};
use crate::probe::SampleFormat;

/// The sample encodings the analysis understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decoder {
    /// 8-bit unsigned integer (128 is zero).
    U8,
    /// 16-bit signed integer.
    I16,
    /// 24-bit signed integer (packed, 3 bytes).
    I24,
    /// 32-bit signed integer.
    I32,
    /// 32-bit IEEE float.
    F32,
    /// 64-bit IEEE float.
    F64,
}

impl Decoder {
    /// Picks the decoder for `format`, or says why the format is not supported.
    pub(crate) fn for_format(format: &AudioFormat) -> Result<Self, AnalysisError> {
        let decoder = match (format.sample_format, format.bits) {
            (SampleFormat::Pcm, 8) => Decoder::U8,
            (SampleFormat::Pcm, 16) => Decoder::I16,
            (SampleFormat::Pcm, 24) => Decoder::I24,
            (SampleFormat::Pcm, 32) => Decoder::I32,
            (SampleFormat::Float, 32) => Decoder::F32,
            (SampleFormat::Float, 64) => Decoder::F64,
            (kind, bits) => {
                return Err(AnalysisError::Unsupported(format!(
                    "{bits}-bit {kind:?} samples"
                )));
            }
        };
        Ok(decoder)
    }

    /// Bytes per sample of one channel.
    pub(crate) fn bytes(self) -> usize {
        match self {
            Decoder::U8 => 1,
            Decoder::I16 => 2,
            Decoder::I24 => 3,
            Decoder::I32 | Decoder::F32 => 4,
            Decoder::F64 => 8,
        }
    }

    /// The decoded values at (or beyond) full scale: `(positive, negative)`.
    /// A sample `x` is at full scale when `x >= positive || x <= negative`:
    /// the largest and smallest integer codes, or |x| >= 1.0 for floats.
    pub(crate) fn full_scale(self) -> (f32, f32) {
        let positive = match self {
            Decoder::U8 => 127.0 / 128.0,
            Decoder::I16 => 32767.0 / 32768.0,
            Decoder::I24 => 8_388_607.0 / 8_388_608.0,
            // (2^31 - 1) / 2^31 rounds to 1.0 in f32: codes within 2^-24 of
            // full scale count as full scale.
            Decoder::I32 | Decoder::F32 | Decoder::F64 => 1.0,
        };
        (positive, -1.0)
    }

    /// Decodes channel `channel` of the whole frames in `frames` into `out`
    /// (one value per frame; `out` must hold `frames.len() / block_align`).
    #[inline(always)]
    #[allow(clippy::inline_always)]
    pub(crate) fn decode_channel(
        self,
        frames: &[u8],
        block_align: usize,
        channel: usize,
        out: &mut [f32],
    ) {
        let offset = channel * self.bytes();
        if offset + self.bytes() > block_align {
            return;
        }
        // `offset + width <= block_align` is checked once here, so the
        // per-frame slices below need no bounds checks in the loop.
        let whole = frames;
        let frames = frames.chunks_exact(block_align);
        match self {
            Decoder::U8 => {
                for (o, f) in out.iter_mut().zip(frames) {
                    *o = (f32::from(f[offset]) - 128.0) * (1.0 / 128.0);
                }
            }
            Decoder::I16 => {
                for (o, f) in out.iter_mut().zip(frames) {
                    let s = &f[offset..offset + 2];
                    *o = f32::from(i16::from_le_bytes([s[0], s[1]])) * (1.0 / 32768.0);
                }
            }
            Decoder::I24 => {
                let n = out.len().min(whole.len() / block_align);
                decode_i24(
                    &whole[..n * block_align],
                    block_align,
                    offset,
                    &mut out[..n],
                );
            }
            Decoder::I32 => {
                for (o, f) in out.iter_mut().zip(frames) {
                    let s = &f[offset..offset + 4];
                    let v = i32::from_le_bytes([s[0], s[1], s[2], s[3]]);
                    *o = v as f32 * (1.0 / 2_147_483_648.0);
                }
            }
            Decoder::F32 => {
                for (o, f) in out.iter_mut().zip(frames) {
                    let s = &f[offset..offset + 4];
                    *o = f32::from_le_bytes([s[0], s[1], s[2], s[3]]);
                }
            }
            Decoder::F64 => {
                for (o, f) in out.iter_mut().zip(frames) {
                    let s = &f[offset..offset + 8];
                    let v = f64::from_le_bytes([s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]]);
                    *o = v as f32;
                }
            }
        }
    }
}

/// Scale of a 24-bit code held in the top of an `i32`.
const I24_SCALE: f32 = 1.0 / 2_147_483_648.0;

/// 24-bit samples at `offset` of each frame of `frames` (as many whole
/// frames as `out` holds). Two passes, both without a branch per sample:
/// the first copies, for each frame, the four bytes that end with its
/// sample (the byte before is the end of the previous sample, or frame)
/// as the bits of an `f32`; the second masks that byte off, which leaves
/// the code in the top of an `i32`, sign and scale for free, and converts
/// (four samples an instruction). The first frame, with no byte before
/// channel 0, and a last frame the four-byte reads do not reach are read
/// on their own; mono, whose frames are shorter than four bytes, byte by byte.
#[inline(always)]
#[allow(clippy::inline_always)]
fn decode_i24(frames: &[u8], block_align: usize, offset: usize, out: &mut [f32]) {
    let code = |f: &[u8]| {
        let s = &f[offset..offset + 3];
        [0, s[0], s[1], s[2]]
    };
    if block_align < 4 {
        for (o, f) in out.iter_mut().zip(frames.chunks_exact(block_align)) {
            *o = i32::from_le_bytes(code(f)) as f32 * I24_SCALE;
        }
        return;
    }
    let Some((first, rest)) = out.split_first_mut() else {
        return;
    };
    *first = f32::from_bits(u32::from_le_bytes(code(frames)));
    // Frame `i + 1`'s sample starts at byte 1 of chunk `i`.
    let after = frames
        .get(offset + block_align - 1..)
        .unwrap_or_default()
        .chunks_exact(block_align);
    let reached = after.len();
    for (o, w) in rest.iter_mut().zip(after) {
        if let Some(&b) = w.first_chunk::<4>() {
            *o = f32::from_bits(u32::from_le_bytes(b));
        }
    }
    if let Some(last) = rest.get_mut(reached) {
        *last = f32::from_bits(u32::from_le_bytes(code(
            &frames[(reached + 1) * block_align..],
        )));
    }
    for o in out.iter_mut() {
        let code = (o.to_bits() & !0xFF).to_le_bytes();
        *o = i32::from_le_bytes(code) as f32 * I24_SCALE;
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    fn fmt(sample_format: SampleFormat, bits: u16) -> AudioFormat {
        AudioFormat {
            channels: 2,
            sample_rate: 48_000,
            sample_format,
            bits,
            block_align: 2 * bits / 8,
        }
    }

    #[test]
    fn rejects_unknown_encodings() {
        assert!(Decoder::for_format(&fmt(SampleFormat::Pcm, 12)).is_err());
        assert!(Decoder::for_format(&fmt(SampleFormat::Float, 16)).is_err());
        assert!(Decoder::for_format(&fmt(SampleFormat::Other, 16)).is_err());
    }

    #[test]
    fn decodes_extremes_of_every_integer_width() {
        // Two-channel frames: channel 0 = most negative code, channel 1 = most positive.
        let cases: [(Decoder, Vec<u8>, f32); 4] = [
            (Decoder::U8, vec![0x00, 0xFF], 127.0 / 128.0),
            (
                Decoder::I16,
                vec![0x00, 0x80, 0xFF, 0x7F],
                32767.0 / 32768.0,
            ),
            (
                Decoder::I24,
                vec![0x00, 0x00, 0x80, 0xFF, 0xFF, 0x7F],
                8_388_607.0 / 8_388_608.0,
            ),
            (
                Decoder::I32,
                vec![0, 0, 0, 0x80, 0xFF, 0xFF, 0xFF, 0x7F],
                1.0,
            ),
        ];
        for (d, bytes, top) in cases {
            let mut out = [0.0f32; 1];
            d.decode_channel(&bytes, 2 * d.bytes(), 0, &mut out);
            assert_eq!(out[0], -1.0, "{d:?} negative");
            d.decode_channel(&bytes, 2 * d.bytes(), 1, &mut out);
            assert_eq!(out[0], top, "{d:?} positive");
            let (pos, neg) = d.full_scale();
            assert!(out[0] >= pos && -1.0 <= neg, "{d:?} full scale");
        }
    }

    #[test]
    fn twenty_four_bit_reads_every_channel_of_every_frame() {
        // Pseudo-random bytes; each channel checked against a byte-by-byte read.
        let mut state = 0x2545_F491u32;
        let bytes: Vec<u8> = (0..3 * 5 * 40)
            .map(|_| {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (state >> 24) as u8
            })
            .collect();
        for channels in [1, 2, 5] {
            let block_align = 3 * channels;
            for frames in [0, 1, 2, 39] {
                let bytes = &bytes[..frames * block_align];
                for c in 0..channels {
                    let mut out = vec![9.0f32; frames];
                    Decoder::I24.decode_channel(bytes, block_align, c, &mut out);
                    let want: Vec<f32> = bytes
                        .chunks_exact(block_align)
                        .map(|f| {
                            let s = &f[3 * c..3 * c + 3];
                            i32::from_le_bytes([0, s[0], s[1], s[2]]) as f32 * I24_SCALE
                        })
                        .collect();
                    assert_eq!(out, want, "{channels} channels, {frames} frames");
                }
            }
        }
    }

    #[test]
    fn decodes_small_values_and_floats() {
        let mut out = [0.0f32; 2];
        // 24-bit: +1 and -1 codes, mono.
        Decoder::I24.decode_channel(&[1, 0, 0, 0xFF, 0xFF, 0xFF], 3, 0, &mut out);
        assert_eq!(out, [1.0 / 8_388_608.0, -1.0 / 8_388_608.0]);
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&0.25f32.to_le_bytes());
        bytes.extend_from_slice(&(-1.5f32).to_le_bytes());
        Decoder::F32.decode_channel(&bytes, 4, 0, &mut out);
        assert_eq!(out, [0.25, -1.5]);
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&0.5f64.to_le_bytes());
        bytes.extend_from_slice(&(-0.125f64).to_le_bytes());
        Decoder::F64.decode_channel(&bytes, 8, 0, &mut out);
        assert_eq!(out, [0.5, -0.125]);
        Decoder::U8.decode_channel(&[128, 192], 1, 0, &mut out);
        assert_eq!(out, [0.0, 0.5]);
    }
}

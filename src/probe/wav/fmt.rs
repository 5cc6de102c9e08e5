//! The `fmt ` chunk: PCM (tag 1), IEEE float (tag 3) and
//! WAVE_FORMAT_EXTENSIBLE (0xFFFE) with its sub-format GUID, valid bits and
//! channel mask; the checks that make the frame arithmetic safe; and the
//! ffprobe-style codec name.

use super::super::{ProbeError, SampleFormat};

/// `WAVE_FORMAT_PCM`.
pub const TAG_PCM: u16 = 1;
/// `WAVE_FORMAT_IEEE_FLOAT`.
pub const TAG_FLOAT: u16 = 3;
/// `WAVE_FORMAT_EXTENSIBLE`.
pub const TAG_EXTENSIBLE: u16 = 0xFFFE;
/// Bytes 2..16 of every `KSDATAFORMAT_SUBTYPE_*` GUID built from a format tag
/// (`xxxxxxxx-0000-0010-8000-00aa00389b71`, little-endian on disk).
pub const GUID_TAIL: [u8; 14] = [
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
];
/// Bytes of `fmt ` we ever look at (the EXTENSIBLE layout is 40).
pub const FMT_READ_MAX: u64 = 40;

/// The decoded `fmt ` chunk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fmt {
    /// `wFormatTag`.
    pub tag: u16,
    /// `nChannels`.
    pub channels: u16,
    /// `nSamplesPerSec`.
    pub sample_rate: u32,
    /// `nBlockAlign`.
    pub block_align: u16,
    /// `wBitsPerSample`.
    pub bits: u16,
    /// EXTENSIBLE `wValidBitsPerSample` (0 read as `bits`), else `bits`.
    pub valid_bits: u16,
    /// EXTENSIBLE `dwChannelMask`.
    pub channel_mask: Option<u32>,
    /// EXTENSIBLE sub-format tag (first two GUID bytes).
    pub sub_format: Option<u16>,
    /// PCM, float or other (from the tag or the sub-format GUID).
    pub sample_format: SampleFormat,
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

/// Parses the first bytes of a `fmt ` chunk (`head`, at most
/// [`FMT_READ_MAX`]) whose declared payload size is `size`.
pub fn parse(head: &[u8], size: u64) -> Result<Fmt, ProbeError> {
    if head.len() < 16 {
        return Err(ProbeError::Malformed(format!(
            "`fmt ` chunk is {size} bytes; at least 16 are needed"
        )));
    }
    let tag = u16_at(head, 0);
    let bits = u16_at(head, 14);
    let mut fmt = Fmt {
        tag,
        channels: u16_at(head, 2),
        sample_rate: u32_at(head, 4),
        block_align: u16_at(head, 12),
        bits,
        valid_bits: bits,
        channel_mask: None,
        sub_format: None,
        sample_format: match tag {
            TAG_PCM => SampleFormat::Pcm,
            TAG_FLOAT => SampleFormat::Float,
            _ => SampleFormat::Other,
        },
    };
    if tag == TAG_EXTENSIBLE {
        let cb_size = if head.len() >= 18 {
            u16_at(head, 16)
        } else {
            0
        };
        if cb_size < 22 || head.len() < 40 {
            return Err(ProbeError::Malformed(format!(
                "WAVE_FORMAT_EXTENSIBLE `fmt ` needs cbSize >= 22 and 40 bytes; it has cbSize {cb_size} in {size} bytes"
            )));
        }
        if u64::from(cb_size) + 18 > size {
            return Err(ProbeError::Malformed(format!(
                "`fmt ` cbSize {cb_size} runs past the chunk's {size} bytes"
            )));
        }
        let valid = u16_at(head, 18);
        fmt.valid_bits = if valid == 0 { bits } else { valid };
        fmt.channel_mask = Some(u32_at(head, 20));
        let sub = u16_at(head, 24);
        fmt.sub_format = Some(sub);
        fmt.sample_format = match (sub, head[26..40] == GUID_TAIL) {
            (TAG_PCM, true) => SampleFormat::Pcm,
            (TAG_FLOAT, true) => SampleFormat::Float,
            _ => SampleFormat::Other,
        };
    }
    Ok(fmt)
}

/// Checks that the fields describe a readable stream of frames.
pub fn validate(fmt: &Fmt) -> Result<(), ProbeError> {
    let bad = |m: String| Err(ProbeError::Malformed(m));
    if fmt.channels == 0 {
        return bad("`fmt ` says 0 channels".into());
    }
    if fmt.sample_rate == 0 {
        return bad("`fmt ` says a sample rate of 0 Hz".into());
    }
    if fmt.block_align == 0 {
        return bad("`fmt ` says a block align of 0 bytes".into());
    }
    if fmt.sample_format == SampleFormat::Other {
        return Ok(());
    }
    if fmt.bits == 0 || fmt.bits > 64 {
        return bad(format!("`fmt ` says {} bits per sample", fmt.bits));
    }
    if fmt.valid_bits > fmt.bits {
        return bad(format!(
            "`fmt ` says {} valid bits in a {}-bit container",
            fmt.valid_bits, fmt.bits
        ));
    }
    if fmt.sample_format == SampleFormat::Float && fmt.bits != 32 && fmt.bits != 64 {
        return bad(format!(
            "IEEE float with {} bits per sample (only 32 or 64 exist)",
            fmt.bits
        ));
    }
    let expected = u32::from(fmt.channels) * u32::from(fmt.bits.div_ceil(8));
    if u32::from(fmt.block_align) != expected {
        return bad(format!(
            "`fmt ` block align is {} bytes but {} channels of {} bits need {expected}",
            fmt.block_align, fmt.channels, fmt.bits
        ));
    }
    Ok(())
}

/// The codec name as ffprobe spells it.
pub fn codec_name(fmt: &Fmt) -> String {
    let bytes = fmt.bits.div_ceil(8);
    let name = match (fmt.sample_format, bytes) {
        (SampleFormat::Pcm, 1) => "pcm_u8",
        (SampleFormat::Pcm, 2) => "pcm_s16le",
        (SampleFormat::Pcm, 3) => "pcm_s24le",
        (SampleFormat::Pcm, 4) => "pcm_s32le",
        (SampleFormat::Pcm, 8) => "pcm_s64le",
        (SampleFormat::Float, 4) => "pcm_f32le",
        (SampleFormat::Float, 8) => "pcm_f64le",
        _ => {
            let tag = fmt.sub_format.unwrap_or(fmt.tag);
            return match tag {
                2 => "adpcm_ms".into(),
                6 => "pcm_alaw".into(),
                7 => "pcm_mulaw".into(),
                0x11 => "adpcm_ima_wav".into(),
                0x55 => "mp3".into(),
                _ => format!("unknown_0x{tag:04x}"),
            };
        }
    };
    name.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pcm(channels: u16, bits: u16, align: u16) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(&TAG_PCM.to_le_bytes());
        b.extend_from_slice(&channels.to_le_bytes());
        b.extend_from_slice(&48_000u32.to_le_bytes());
        b.extend_from_slice(&(48_000u32 * u32::from(align)).to_le_bytes());
        b.extend_from_slice(&align.to_le_bytes());
        b.extend_from_slice(&bits.to_le_bytes());
        b
    }

    #[test]
    fn plain_pcm_parses_and_validates() {
        let f = parse(&pcm(6, 24, 18), 16).unwrap();
        assert_eq!(
            (f.channels, f.bits, f.valid_bits, f.block_align),
            (6, 24, 24, 18)
        );
        assert_eq!(f.sample_format, SampleFormat::Pcm);
        validate(&f).unwrap();
        assert_eq!(codec_name(&f), "pcm_s24le");
    }

    #[test]
    fn wrong_block_align_is_malformed() {
        let f = parse(&pcm(6, 24, 16), 16).unwrap();
        let e = validate(&f).unwrap_err();
        assert!(
            matches!(e, ProbeError::Malformed(ref m) if m.contains("block align")),
            "{e}"
        );
    }

    #[test]
    fn short_fmt_is_malformed() {
        assert!(matches!(
            parse(&[1, 0, 2], 3),
            Err(ProbeError::Malformed(_))
        ));
    }

    #[test]
    fn extensible_needs_cb_size_22() {
        let mut b = pcm(2, 16, 4);
        b[0..2].copy_from_slice(&TAG_EXTENSIBLE.to_le_bytes());
        b.extend_from_slice(&10u16.to_le_bytes());
        b.resize(40, 0);
        assert!(matches!(parse(&b, 40), Err(ProbeError::Malformed(m)) if m.contains("cbSize 10")));
    }

    #[test]
    fn unknown_guid_is_other() {
        let mut b = pcm(2, 16, 4);
        b[0..2].copy_from_slice(&TAG_EXTENSIBLE.to_le_bytes());
        b.extend_from_slice(&22u16.to_le_bytes());
        b.extend_from_slice(&16u16.to_le_bytes());
        b.extend_from_slice(&3u32.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&[0x55; 14]);
        let f = parse(&b, 40).unwrap();
        assert_eq!(f.sample_format, SampleFormat::Other);
        assert_eq!(f.sub_format, Some(1));
        assert_eq!(f.channel_mask, Some(3));
    }
}

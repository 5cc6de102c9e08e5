//! The sound sample description (the first `stsd` entry of a `soun` track)
//! as a PCM layout: QuickTime versions 0, 1 (16 more bytes: samples per
//! packet, bytes per frame...) and 2 (64-bit float rate, 32-bit channel
//! count, `lpcm` flags), the `wave`/`enda` endianness of `in24`, `in32`,
//! `fl32`, `fl64`, and ISO `ipcm`/`fpcm` with their `pcmC`. Compressed
//! formats are named, never decoded. Pure: bytes in, [`Format`] or a reason.

use super::NoAudio;
use crate::probe::fourcc_text;
use crate::probe::mov::tables::{be16, be32, be64};

/// `lpcm` format flags (Core Audio `kAudioFormatFlag*`).
const LPCM_FLOAT: u32 = 0x1;
const LPCM_BIG_ENDIAN: u32 = 0x2;
const LPCM_SIGNED: u32 = 0x4;
const LPCM_NON_INTERLEAVED: u32 = 0x20;

/// The PCM layout of a sound track.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Format {
    /// The sample description's four-cc.
    pub fourcc: [u8; 4],
    /// Interleaved channels.
    pub channels: u16,
    /// Frames per second.
    pub rate: u32,
    /// Bits per sample of one channel (8, 16, 24, 32 or 64).
    pub bits: u16,
    /// IEEE float samples.
    pub float: bool,
    /// Samples stored most significant byte first.
    pub big_endian: bool,
    /// Signed integers (false only for 8-bit `raw `).
    pub signed: bool,
}

impl Format {
    /// Bytes of one frame (one sample of every channel).
    pub fn frame_bytes(&self) -> u64 {
        u64::from(self.channels) * u64::from(self.bits / 8)
    }
}

/// The fields every version shares, read before the four-cc decides.
#[derive(Debug, Clone, Copy)]
struct Header {
    version: u16,
    channels: u32,
    bits: u32,
    rate: u32,
    /// `lpcm` flags and bytes/frames per packet (version 2 only).
    lpcm: Option<(u32, u32, u32)>,
    /// Where the extension atoms (`wave`, `enda`, `pcmC`...) start.
    ext: usize,
}

/// The PCM layout of a sound sample description `entry` (its own bytes,
/// size and four-cc included). `media_scale` stands in for a missing rate.
pub(crate) fn sound_format(entry: &[u8], media_scale: u32) -> Result<Format, NoAudio> {
    let fourcc = four(entry, 4).ok_or_else(|| damaged("the sound description is too short"))?;
    if let Some(name) = compressed_name(fourcc) {
        return Err(NoAudio::Compressed(name.to_string()));
    }
    let h = header(entry)?;
    let iso = matches!(&fourcc, b"ipcm" | b"fpcm");
    // An ISO version-1 entry has none of QuickTime's 16 extra version-1
    // bytes: its atoms start where a version-0 entry's do.
    let ext = entry
        .get(if iso { 36 } else { h.ext }..)
        .unwrap_or_default();
    let (bits, float, big_endian, signed) = encoding(fourcc, &h, ext)?;
    let rate = match srat(ext) {
        Some(r) if iso => r,
        _ if h.rate <= 1 => media_scale,
        // A 16.16 rate cannot hold 65,536 Hz and up; the media time scale can.
        _ if h.version < 2 && media_scale > 0xFFFF && media_scale & 0xFFFF == h.rate => media_scale,
        _ => h.rate,
    };
    check(Format {
        fourcc,
        channels: u16::try_from(h.channels).map_err(|_| {
            damaged(&format!(
                "the sound description claims {} channels",
                h.channels
            ))
        })?,
        rate,
        bits,
        float,
        big_endian,
        signed,
    })
}

/// Rejects layouts no PCM stream has (zero channels or rate, odd sizes).
fn check(f: Format) -> Result<Format, NoAudio> {
    if f.channels == 0 {
        return Err(damaged("the sound description says zero channels"));
    }
    if f.rate == 0 {
        return Err(damaged("the sound description says a sample rate of 0"));
    }
    let ok = if f.float {
        matches!(f.bits, 32 | 64)
    } else {
        matches!(f.bits, 8 | 16 | 24 | 32)
    };
    if !ok || (!f.signed && f.bits != 8) {
        let kind = match (f.float, f.signed) {
            (true, _) => "float",
            (false, true) => "integer",
            (false, false) => "unsigned integer",
        };
        return Err(NoAudio::Unsupported(format!(
            "{}-bit {kind} PCM (`{}`)",
            f.bits,
            fourcc_text(&f.fourcc)
        )));
    }
    Ok(f)
}

/// The version-dependent fields of a sound sample description.
fn header(e: &[u8]) -> Result<Header, NoAudio> {
    let short = || damaged("the sound description is shorter than its version's fields");
    let version = be16(e, 16).ok_or_else(short)?;
    match version {
        0 | 1 => Ok(Header {
            version,
            channels: u32::from(be16(e, 24).ok_or_else(short)?),
            bits: u32::from(be16(e, 26).ok_or_else(short)?),
            rate: be32(e, 32).ok_or_else(short)? >> 16,
            lpcm: None,
            ext: if version == 0 { 36 } else { 52 },
        }),
        2 => {
            let rate = f64::from_bits(be64(e, 40).ok_or_else(short)?);
            if !(rate >= 1.0 && rate <= f64::from(u32::MAX) && rate.fract() == 0.0) {
                return Err(NoAudio::Unsupported(format!("a sample rate of {rate} Hz")));
            }
            Ok(Header {
                version,
                channels: be32(e, 48).ok_or_else(short)?,
                bits: be32(e, 56).ok_or_else(short)?,
                rate: rate as u32,
                lpcm: Some((
                    be32(e, 60).ok_or_else(short)?,
                    be32(e, 64).ok_or_else(short)?,
                    be32(e, 68).ok_or_else(short)?,
                )),
                ext: 72,
            })
        }
        v => Err(NoAudio::Unsupported(format!(
            "a version {v} sound description"
        ))),
    }
}

/// Bits, float, big-endian and signed for the four-cc.
fn encoding(fourcc: [u8; 4], h: &Header, ext: &[u8]) -> Result<(u16, bool, bool, bool), NoAudio> {
    let bits16 = u16::try_from(h.bits).unwrap_or(0);
    // `in24`, `in32`, `fl32`, `fl64` are big-endian unless `enda` says otherwise.
    let be = !little_endian_flag(ext);
    Ok(match &fourcc {
        b"sowt" => (bits16, false, false, true),
        b"twos" => (bits16, false, true, true),
        b"raw " => (bits16, false, false, false),
        b"in24" => (24, false, be, true),
        b"in32" => (32, false, be, true),
        b"fl32" => (32, true, be, true),
        b"fl64" => (64, true, be, true),
        b"lpcm" => return lpcm(h),
        b"ipcm" | b"fpcm" => return iso_pcm(fourcc, ext),
        _ => {
            return Err(NoAudio::Unsupported(format!(
                "in an unknown format (`{}`)",
                fourcc_text(&fourcc)
            )));
        }
    })
}

/// `lpcm` (version 2 only): the flags say float, endianness and signedness.
fn lpcm(h: &Header) -> Result<(u16, bool, bool, bool), NoAudio> {
    let Some((flags, packet_bytes, packet_frames)) = h.lpcm else {
        return Err(damaged(&format!(
            "`lpcm` in a version {} sound description (it needs version 2)",
            h.version
        )));
    };
    if flags & LPCM_NON_INTERLEAVED != 0 {
        return Err(NoAudio::Unsupported(
            "`lpcm` with non-interleaved channels".into(),
        ));
    }
    let bits = u16::try_from(h.bits).unwrap_or(0);
    let packed = u64::from(h.channels) * u64::from(bits / 8);
    if packet_frames != 1 || u64::from(packet_bytes) != packed || bits % 8 != 0 {
        return Err(NoAudio::Unsupported(format!(
            "`lpcm` of {bits}-bit samples in {packet_bytes}-byte packets of {packet_frames} frames"
        )));
    }
    Ok((
        bits,
        flags & LPCM_FLOAT != 0,
        flags & LPCM_BIG_ENDIAN != 0,
        flags & (LPCM_SIGNED | LPCM_FLOAT) != 0,
    ))
}

/// ISO/IEC 23003-5 `ipcm` (integer) and `fpcm` (float): `pcmC` holds the
/// endianness (flag 1: little-endian) and the sample size.
fn iso_pcm(fourcc: [u8; 4], ext: &[u8]) -> Result<(u16, bool, bool, bool), NoAudio> {
    let body = find_atom(ext, *b"pcmC").ok_or_else(|| {
        damaged(&format!(
            "`{}` without its `pcmC` (sample size and endianness)",
            fourcc_text(&fourcc)
        ))
    })?;
    let (Some(&flags), Some(&bits)) = (body.get(4), body.get(5)) else {
        return Err(damaged("the `pcmC` atom is too short"));
    };
    Ok((u16::from(bits), &fourcc == b"fpcm", flags & 1 == 0, true))
}

/// True when an `enda` atom (directly or inside `wave`) says little-endian.
fn little_endian_flag(ext: &[u8]) -> bool {
    let enda = find_atom(ext, *b"enda")
        .or_else(|| find_atom(ext, *b"wave").and_then(|w| find_atom(w, *b"enda")));
    enda.and_then(|b| be16(b, 0)).is_some_and(|v| v != 0)
}

/// The `srat` (ISO sample rate) value among the extension atoms.
fn srat(ext: &[u8]) -> Option<u32> {
    find_atom(ext, *b"srat")
        .and_then(|b| be32(b, 4))
        .filter(|&r| r > 0)
}

/// The body of the first `kind` atom in a run of atoms held in `b` (the
/// walk stops at the first impossible size; a body cut short by the end
/// of `b` is returned as far as it goes).
fn find_atom(b: &[u8], kind: [u8; 4]) -> Option<&[u8]> {
    let mut pos = 0usize;
    while let (Some(size), Some(k)) = (be32(b, pos), four(b, pos + 4)) {
        let size = size as usize;
        if size < 8 {
            return None;
        }
        let end = pos.checked_add(size)?;
        let body = b.get(pos + 8..end.min(b.len()))?;
        if k == kind {
            return Some(body);
        }
        pos = end;
    }
    None
}

fn four(b: &[u8], at: usize) -> Option<[u8; 4]> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some([s[0], s[1], s[2], s[3]])
}

fn damaged(what: &str) -> NoAudio {
    NoAudio::Damaged(what.to_string())
}

/// The name of a compressed sound format, when `fourcc` is one.
pub(crate) fn compressed_name(fourcc: [u8; 4]) -> Option<&'static str> {
    Some(match &fourcc {
        b"mp4a" => "AAC",
        b"ac-3" => "AC-3 (Dolby Digital)",
        b"ec-3" => "E-AC-3 (Dolby Digital Plus)",
        b"mlpa" => "Dolby TrueHD",
        b"alac" => "ALAC (Apple Lossless)",
        b".mp3" | b"ms\0\x55" => "MP3",
        b".mp2" | b".mp1" => "MPEG audio",
        b"Opus" => "Opus",
        b"fLaC" => "FLAC",
        b"ima4" => "IMA ADPCM",
        b"ulaw" => "mu-law",
        b"alaw" => "A-law",
        b"samr" | b"sawb" => "AMR",
        b"QDM2" | b"QDMC" => "QDesign Music",
        b"MAC3" | b"MAC6" => "MACE",
        b"dtsc" | b"dtsh" | b"dtsl" | b"dtse" => "DTS",
        _ => return None,
    })
}

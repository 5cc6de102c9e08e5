//! Pure parsers of the QuickTime atom bodies the reader needs: `mvhd`,
//! `tkhd`, `mdhd`, `hdlr`, the first `stsd` entry (visual or `tmcd`),
//! `stts`, `stsc`, `stco`/`co64` and `elst`. Each takes the body bytes and
//! returns `None` (or an empty table) when the body is too short; counts
//! are clamped to what the bytes actually hold.

/// Big-endian `u16` at `at`, if the slice holds it.
pub(crate) fn be16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([s[0], s[1]]))
}

/// Big-endian `u32` at `at`, if the slice holds it.
pub(crate) fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// Big-endian `u64` at `at`, if the slice holds it.
pub(crate) fn be64(b: &[u8], at: usize) -> Option<u64> {
    let s = b.get(at..at.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(u64::from_be_bytes(a))
}

/// Time scale and duration of `mvhd` or `mdhd` (version 0 or 1).
pub(crate) fn time_header(b: &[u8]) -> Option<(u32, u64)> {
    match b.first()? {
        0 => Some((be32(b, 12)?, u64::from(be32(b, 16)?))),
        1 => Some((be32(b, 20)?, be64(b, 24)?)),
        _ => None,
    }
}

/// Width and height (integer parts of the 16.16 values) from `tkhd`.
pub(crate) fn tkhd_size(b: &[u8]) -> Option<(u32, u32)> {
    let at = match b.first()? {
        0 => 76,
        1 => 88,
        _ => return None,
    };
    Some((be32(b, at)? >> 16, be32(b, at + 4)? >> 16))
}

/// The component subtype of `hdlr` (`vide`, `soun`, `tmcd`...).
pub(crate) fn handler(b: &[u8]) -> Option<[u8; 4]> {
    let s = b.get(8..12)?;
    Some([s[0], s[1], s[2], s[3]])
}

/// The first sample description of `stsd`: its format and its own bytes.
pub(crate) fn first_entry(b: &[u8]) -> Option<([u8; 4], &[u8])> {
    if be32(b, 4)? == 0 {
        return None;
    }
    let size = be32(b, 8)? as usize;
    let rest = b.get(8..)?;
    if size < 16 {
        return None;
    }
    let entry = &rest[..size.min(rest.len())];
    let f = entry.get(4..8)?;
    Some(([f[0], f[1], f[2], f[3]], entry))
}

/// Facts of a visual sample entry: width, height, compressor name.
pub(crate) fn visual_entry(e: &[u8]) -> Option<(u16, u16, String)> {
    let (w, h) = (be16(e, 32)?, be16(e, 34)?);
    let name = e
        .get(50)
        .and_then(|&n| e.get(51..51 + usize::from(n).min(31)))
        .map(|s| String::from_utf8_lossy(s).trim().to_string())
        .unwrap_or_default();
    Some((w, h, name))
}

/// The `tmcd` sample entry fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TmcdEntry {
    /// Flags: 0x1 drop frame, 0x2 24-hour max, 0x4 negative ok, 0x8 counter.
    pub flags: u32,
    /// Time scale of the timecode.
    pub timescale: u32,
    /// Duration of one frame in `timescale` units.
    pub frame_duration: u32,
    /// Frames per second as counted by the timecode (24 for 23.976).
    pub frames: u8,
}

/// Parses a `tmcd` sample entry.
pub(crate) fn tmcd_entry(e: &[u8]) -> Option<TmcdEntry> {
    Some(TmcdEntry {
        flags: be32(e, 20)?,
        timescale: be32(e, 24)?,
        frame_duration: be32(e, 28)?,
        frames: *e.get(32)?,
    })
}

/// `(count, delta)` entries of `stts` (or the first two fields of `stsc`
/// entries when `stride` is 12), clamped to the bytes present.
pub(crate) fn pairs(b: &[u8], stride: usize) -> Vec<(u32, u32)> {
    let Some(n) = be32(b, 4) else {
        return Vec::new();
    };
    let fit = b.len().saturating_sub(8) / stride;
    (0..(n as usize).min(fit))
        .filter_map(|i| {
            let at = 8 + i * stride;
            Some((be32(b, at)?, be32(b, at + 4)?))
        })
        .collect()
}

/// The first chunk offset of `stco` (32-bit) or `co64` (64-bit).
pub(crate) fn first_chunk_offset(b: &[u8], wide: bool) -> Option<u64> {
    if be32(b, 4)? == 0 {
        return None;
    }
    if wide {
        be64(b, 8)
    } else {
        be32(b, 8).map(u64::from)
    }
}

/// The first edit of `elst`: (segment duration in movie units, media time;
/// -1 is an empty edit).
pub(crate) fn first_edit(b: &[u8]) -> Option<(u64, i64)> {
    if be32(b, 4)? == 0 {
        return None;
    }
    match b.first()? {
        0 => Some((u64::from(be32(b, 8)?), i64::from(be32(b, 12)? as i32))),
        1 => Some((be64(b, 8)?, be64(b, 16)? as i64)),
        _ => None,
    }
}

/// The `elst` entries, at most as many as `b` holds: (segment duration in
/// movie units, media time; -1 is an empty edit).
pub(crate) fn edits(b: &[u8]) -> Vec<(u64, i64)> {
    let (Some(&version), Some(n)) = (b.first(), be32(b, 4)) else {
        return Vec::new();
    };
    let stride = if version == 1 { 20 } else { 12 };
    let fit = b.len().saturating_sub(8) / stride;
    (0..(n as usize).min(fit))
        .filter_map(|i| {
            let at = 8 + i * stride;
            if version == 1 {
                Some((be64(b, at)?, be64(b, at + 8)? as i64))
            } else {
                Some((u64::from(be32(b, at)?), i64::from(be32(b, at + 4)? as i32)))
            }
        })
        .collect()
}

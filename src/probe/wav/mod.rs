//! RIFF/WAVE, RF64 and BW64 chunk walker: reads `ds64`, `fmt `, `data`
//! (position and size only, never the samples), `bext`, `iXML`, `LIST`/`INFO`
//! and `fact`; lists every chunk and skips unknown ones. Every size field is
//! checked against the real file length before use; text chunks are read up
//! to [`TEXT_CAP`] bytes; the walk only moves forward and stops after
//! [`MAX_CHUNKS`] chunks, so any input ends quickly with facts or a
//! [`ProbeError`].
//!
//! Decisions on damaged or unusual input:
//! - a chunk (including `data`) that ends past the end of the file is
//!   [`ProbeError::Truncated`] with the bytes missing; so is a RIFF/ds64 form
//!   size more than one pad byte past the end;
//! - a plain RIFF longer than 4 GiB + 8 bytes cannot be described by its 32-bit
//!   size: [`ProbeError::Malformed`] that says whether the size wrapped;
//! - `data` size 0xFFFFFFFF needs a `ds64`; RF64/BW64 need a `ds64`;
//! - a missing pad byte after the last chunk, trailing bytes shorter than a
//!   chunk header, a second `data` chunk (the first one counts) and a damaged
//!   entry inside `LIST`/`INFO` are tolerated;
//! - iXML longer than [`TEXT_CAP`] keeps its first [`TEXT_CAP`] bytes; a later
//!   `bext` or `iXML` replaces an earlier one; `LIST`/`INFO` entries accumulate.

mod fmt;
mod labels;
mod meta;

use std::io::{Read, Seek, SeekFrom};

pub use labels::channel_labels;

use super::{AudioInfo, ChunkEntry, Container, ProbeError, SampleFormat, fourcc_text, read_up_to};

/// Largest number of bytes read from one text chunk (iXML, `LIST`).
pub const TEXT_CAP: u64 = 1 << 20;
/// Largest number of chunks walked before the file is called malformed.
pub const MAX_CHUNKS: usize = 10_000;
/// The 32-bit size meaning "see `ds64`".
const SEE_DS64: u32 = 0xFFFF_FFFF;

/// The `ds64` chunk of RF64/BW64 (its sample count is not used: frames come
/// from the data size, which writers fill more reliably).
#[derive(Debug, Default)]
struct Ds64 {
    riff_size: u64,
    data_size: u64,
    table: Vec<([u8; 4], u64)>,
}

/// What the walk has found so far.
#[derive(Default)]
struct Found {
    ds64: Option<Ds64>,
    fmt: Option<fmt::Fmt>,
    data: Option<(u64, u64)>,
    fact_samples: Option<u64>,
    bext: Option<super::Bext>,
    ixml: Option<String>,
    info: Vec<(String, String)>,
    chunks: Vec<ChunkEntry>,
    unknown: Vec<String>,
}

fn truncated(what: &str, expected: u64, len: u64) -> ProbeError {
    ProbeError::Truncated {
        what: what.to_string(),
        expected,
        missing: expected.saturating_sub(len),
    }
}

/// Reads exactly `n` bytes at `pos` (the caller has checked they lie inside the file).
fn read_at<R: Read + Seek>(r: &mut R, pos: u64, n: u64) -> Result<Vec<u8>, ProbeError> {
    r.seek(SeekFrom::Start(pos))?;
    let mut buf = vec![0u8; usize::try_from(n).unwrap_or(0)];
    let got = read_up_to(r, &mut buf)?;
    if got < buf.len() {
        return Err(ProbeError::Io(format!(
            "the file ended at byte {} while its length says more",
            pos + got as u64
        )));
    }
    Ok(buf)
}

/// Reads the header facts of a WAV-family file of `len` bytes.
pub fn read<R: Read + Seek>(r: &mut R, len: u64) -> Result<AudioInfo, ProbeError> {
    r.seek(SeekFrom::Start(0))?;
    let mut head = [0u8; 12];
    let n = read_up_to(r, &mut head)?.min(usize::try_from(len).unwrap_or(usize::MAX));
    let container = match head.get(..4) {
        Some(b"RIFF") if n >= 4 => Container::Riff,
        Some(b"RF64") if n >= 4 => Container::Rf64,
        Some(b"BW64") if n >= 4 => Container::Bw64,
        _ => {
            return Err(ProbeError::UnknownFormat(format!(
                "starts with \"{}\", not RIFF, RF64 or BW64",
                fourcc_text(&head[..n.min(4)])
            )));
        }
    };
    if n < 12 {
        return Err(truncated("RIFF header", 12, len));
    }
    if &head[8..12] != b"WAVE" {
        return Err(ProbeError::UnknownFormat(format!(
            "a {} file of form type \"{}\", not WAVE",
            container.name(),
            fourcc_text(&head[8..12])
        )));
    }
    let riff32 = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
    if container == Container::Riff && len > u64::from(u32::MAX) + 8 {
        let how = if (len - 8) % (1u64 << 32) == u64::from(riff32) {
            "wrapped modulo 4 GiB"
        } else {
            "does not match"
        };
        return Err(ProbeError::Malformed(format!(
            "plain RIFF file is {len} bytes, more than a 32-bit RIFF size can describe; \
             its RIFF size says {riff32} ({how}); the writer should have used RF64/BW64"
        )));
    }
    let mut riff_end = if container != Container::Riff && riff32 == SEE_DS64 {
        None
    } else {
        Some(u64::from(riff32) + 8)
    };
    let mut f = Found::default();
    let mut pos = 12u64;
    loop {
        let limit = riff_end.map_or(len, |e| e.min(len));
        if pos.saturating_add(8) > limit {
            break;
        }
        if f.chunks.len() >= MAX_CHUNKS {
            return Err(ProbeError::Malformed(format!(
                "more than {MAX_CHUNKS} chunks before byte {pos}; not a WAV header"
            )));
        }
        let h = read_at(r, pos, 8)?;
        let id = [h[0], h[1], h[2], h[3]];
        let size32 = u32::from_le_bytes([h[4], h[5], h[6], h[7]]);
        let size = chunk_size(id, size32, f.ds64.as_ref(), container)?;
        let body = pos + 8;
        let name = format!("`{}` chunk", fourcc_text(&id));
        let end = body
            .checked_add(size)
            .ok_or_else(|| ProbeError::Malformed(format!("{name} size {size} overflows")))?;
        if end > len {
            return Err(truncated(&name, end, len));
        }
        visit(r, &mut f, id, body, size, pos)?;
        if &id == b"ds64" && container != Container::Riff {
            if let Some(d) = &f.ds64 {
                riff_end = Some(d.riff_size.saturating_add(8));
            }
        }
        f.chunks.push(ChunkEntry {
            id: fourcc_text(&id),
            offset: pos,
            size,
        });
        pos = end + (size & 1);
    }
    finish(f, container, riff_end, len)
}

/// The payload size of a chunk, taking `ds64` into account.
fn chunk_size(
    id: [u8; 4],
    size32: u32,
    ds64: Option<&Ds64>,
    container: Container,
) -> Result<u64, ProbeError> {
    let is_data = &id == b"data";
    match ds64 {
        Some(d) if is_data && (size32 == SEE_DS64 || d.data_size > u64::from(u32::MAX)) => {
            Ok(d.data_size)
        }
        Some(d) if size32 == SEE_DS64 => Ok(d
            .table
            .iter()
            .find(|(tid, _)| *tid == id)
            .map_or(u64::from(size32), |(_, s)| *s)),
        None if is_data && size32 == SEE_DS64 => Err(ProbeError::Malformed(format!(
            "`data` size is 0xFFFFFFFF (the RF64 \"see ds64\" marker) but this {} file has no `ds64` chunk before it",
            container.name()
        ))),
        _ => Ok(u64::from(size32)),
    }
}

/// Decodes one chunk's payload into `f`.
fn visit<R: Read + Seek>(
    r: &mut R,
    f: &mut Found,
    id: [u8; 4],
    body: u64,
    size: u64,
    pos: u64,
) -> Result<(), ProbeError> {
    match &id {
        b"ds64" => {
            if f.ds64.is_some() {
                return Err(ProbeError::Malformed(format!(
                    "a second `ds64` chunk at byte {pos}"
                )));
            }
            f.ds64 = Some(read_ds64(r, body, size)?);
        }
        b"fmt " => {
            if f.fmt.is_some() {
                return Err(ProbeError::Malformed(format!(
                    "a second `fmt ` chunk at byte {pos}"
                )));
            }
            let head = read_at(r, body, size.min(fmt::FMT_READ_MAX))?;
            f.fmt = Some(fmt::parse(&head, size)?);
        }
        b"data" => {
            if f.data.is_none() {
                f.data = Some((body, size));
            }
        }
        b"bext" => {
            let b = read_at(r, body, size.min(meta::BEXT_MIN as u64))?;
            f.bext = Some(meta::parse_bext(&b)?);
        }
        b"iXML" => {
            let b = read_at(r, body, size.min(TEXT_CAP))?;
            f.ixml = Some(meta::chunk_text(&b));
        }
        b"LIST" => {
            let b = read_at(r, body, size.min(TEXT_CAP))?;
            match b.get(..4) {
                Some(b"INFO") => f.info.extend(meta::parse_info(&b[4..])),
                Some(t) => f.unknown.push(format!("LIST/{}", fourcc_text(t))),
                None => f.unknown.push("LIST".into()),
            }
        }
        b"fact" => {
            if size >= 4 {
                let b = read_at(r, body, 4)?;
                f.fact_samples = Some(u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])));
            }
        }
        b"JUNK" | b"junk" | b"PAD " | b"FLLR" | b"filr" => {}
        _ => f.unknown.push(fourcc_text(&id)),
    }
    Ok(())
}

fn read_ds64<R: Read + Seek>(r: &mut R, body: u64, size: u64) -> Result<Ds64, ProbeError> {
    if size < 28 {
        return Err(ProbeError::Malformed(format!(
            "`ds64` chunk is {size} bytes; at least 28 are needed"
        )));
    }
    let b = read_at(r, body, 28)?;
    let u64_at = |i: usize| {
        u64::from_le_bytes([
            b[i],
            b[i + 1],
            b[i + 2],
            b[i + 3],
            b[i + 4],
            b[i + 5],
            b[i + 6],
            b[i + 7],
        ])
    };
    let declared = u32::from_le_bytes([b[24], b[25], b[26], b[27]]);
    // Never more entries than the chunk holds, and never absurdly many.
    let entries = u64::from(declared).min((size - 28) / 12).min(1024);
    let t = read_at(r, body + 28, entries * 12)?;
    let table = t
        .chunks_exact(12)
        .map(|e| {
            let mut s = [0u8; 8];
            s.copy_from_slice(&e[4..12]);
            ([e[0], e[1], e[2], e[3]], u64::from_le_bytes(s))
        })
        .collect();
    Ok(Ds64 {
        riff_size: u64_at(0),
        data_size: u64_at(8),
        table,
    })
}

/// Checks what the walk found and builds the facts.
fn finish(
    f: Found,
    container: Container,
    riff_end: Option<u64>,
    len: u64,
) -> Result<AudioInfo, ProbeError> {
    if container != Container::Riff && f.ds64.is_none() {
        return Err(ProbeError::Malformed(format!(
            "{} file without a `ds64` chunk",
            container.name()
        )));
    }
    if let Some(end) = riff_end.filter(|&e| e + 1 < len) {
        if f.fmt.is_none() || f.data.is_none() {
            return Err(ProbeError::Malformed(format!(
                "no `{}` chunk inside the RIFF size ({end} bytes) of a {len}-byte file; \
                 was the header left unfinished?",
                if f.fmt.is_none() { "fmt " } else { "data" }
            )));
        }
    }
    let Some(fmt) = f.fmt else {
        return Err(ProbeError::Malformed("no `fmt ` chunk".into()));
    };
    let Some((data_offset, data_len)) = f.data else {
        return Err(ProbeError::Malformed("no `data` chunk".into()));
    };
    fmt::validate(&fmt)?;
    if let Some(end) = riff_end.filter(|&e| e > len + 1) {
        return Err(truncated(
            &format!("{} form size", container.name()),
            end,
            len,
        ));
    }
    let frames = match (fmt.sample_format, f.fact_samples) {
        (SampleFormat::Other, Some(n)) => n,
        _ => data_len / u64::from(fmt.block_align),
    };
    Ok(AudioInfo {
        container,
        sample_format: fmt.sample_format,
        codec: fmt::codec_name(&fmt),
        format_tag: fmt.tag,
        sub_format: fmt.sub_format,
        sample_rate: fmt.sample_rate,
        bits: fmt.bits,
        valid_bits: fmt.valid_bits,
        channels: fmt.channels,
        block_align: fmt.block_align,
        channel_mask: fmt.channel_mask,
        channel_labels: channel_labels(fmt.channels, fmt.channel_mask),
        frames,
        data_offset,
        data_len,
        bext: f.bext,
        ixml: f.ixml,
        info: f.info,
        chunks: f.chunks,
        unknown_chunks: f.unknown,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds64(data_size: u64, table: Vec<([u8; 4], u64)>) -> Ds64 {
        Ds64 {
            riff_size: 0,
            data_size,
            table,
        }
    }

    #[test]
    fn data_size_comes_from_ds64_when_marked_or_too_big() {
        let d = ds64(5 << 32, vec![(*b"axml", 7 << 32)]);
        let big = chunk_size(*b"data", SEE_DS64, Some(&d), Container::Rf64).unwrap();
        assert_eq!(big, 5 << 32);
        assert_eq!(
            chunk_size(*b"data", 10, Some(&d), Container::Rf64).unwrap(),
            5 << 32
        );
        assert_eq!(
            chunk_size(*b"axml", SEE_DS64, Some(&d), Container::Rf64).unwrap(),
            7 << 32
        );
        assert_eq!(
            chunk_size(*b"junk", SEE_DS64, Some(&d), Container::Rf64).unwrap(),
            u64::from(SEE_DS64)
        );
        let small = ds64(100, Vec::new());
        assert_eq!(
            chunk_size(*b"data", 100, Some(&small), Container::Rf64).unwrap(),
            100
        );
        assert!(chunk_size(*b"data", SEE_DS64, None, Container::Riff).is_err());
        assert_eq!(chunk_size(*b"fmt ", 16, None, Container::Riff).unwrap(), 16);
    }

    #[test]
    fn truncated_counts_missing_bytes() {
        let e = truncated("x", 110, 100);
        assert_eq!(
            e,
            ProbeError::Truncated {
                what: "x".into(),
                expected: 110,
                missing: 10
            }
        );
    }

    #[test]
    fn ds64_table_is_bounded_by_its_chunk() {
        // Declares 1,000,000 entries but holds one.
        let mut b = vec![0u8; 28 + 12];
        b[24..28].copy_from_slice(&1_000_000u32.to_le_bytes());
        b[28..32].copy_from_slice(b"axml");
        b[32..40].copy_from_slice(&9u64.to_le_bytes());
        let d = read_ds64(&mut std::io::Cursor::new(&b), 0, b.len() as u64).unwrap();
        assert_eq!(d.table, vec![(*b"axml", 9)]);
        assert!(read_ds64(&mut std::io::Cursor::new(&b), 0, 20).is_err());
    }
}

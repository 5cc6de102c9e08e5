//! The bytes around the samples of a generated WAV: the header up to the
//! first sample (RIFF/RF64/BW64, `ds64`, `JUNK`, `fmt `, `fact`, `bext`,
//! `iXML`, `LIST`/`INFO`, extra chunks, `data` header) and the chunks after
//! `data`, with every size computed from the spec.

use std::io;

use super::{FmtKind, Layout, WavContainer, WavSpec};

/// The KSDATAFORMAT GUID tail shared by the PCM and float sub-formats.
const GUID_TAIL: [u8; 14] = [
    0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71,
];

fn invalid(msg: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg)
}

/// Appends a chunk with its pad byte.
fn chunk(out: &mut Vec<u8>, id: [u8; 4], payload: &[u8]) -> io::Result<()> {
    let size = u32::try_from(payload.len()).map_err(|_| invalid("chunk over 4 GiB".into()))?;
    out.extend_from_slice(&id);
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(payload);
    if payload.len() % 2 == 1 {
        out.push(0);
    }
    Ok(())
}

fn fixed(text: &str, n: usize) -> Vec<u8> {
    let mut b = text.as_bytes().to_vec();
    b.resize(n, 0);
    b
}

fn fmt_payload(spec: &WavSpec) -> io::Result<Vec<u8>> {
    let float = spec.is_float();
    let ok = if float {
        matches!(spec.bits, 32 | 64)
    } else {
        matches!(spec.bits, 8 | 16 | 24 | 32)
    };
    if !ok {
        return Err(invalid(format!(
            "cannot generate {} bits of {}",
            spec.bits,
            if float { "float" } else { "integer PCM" }
        )));
    }
    let align = spec.block_align();
    let tag: u16 = match spec.format {
        FmtKind::Pcm => 1,
        FmtKind::Float => 3,
        FmtKind::Extensible { .. } => 0xFFFE,
    };
    let mut p = Vec::with_capacity(40);
    p.extend_from_slice(&tag.to_le_bytes());
    p.extend_from_slice(&spec.channels.to_le_bytes());
    p.extend_from_slice(&spec.sample_rate.to_le_bytes());
    p.extend_from_slice(
        &spec
            .sample_rate
            .wrapping_mul(u32::from(align))
            .to_le_bytes(),
    );
    p.extend_from_slice(&align.to_le_bytes());
    p.extend_from_slice(&spec.bits.to_le_bytes());
    match spec.format {
        FmtKind::Pcm => {}
        FmtKind::Float => p.extend_from_slice(&0u16.to_le_bytes()),
        FmtKind::Extensible {
            cb_size,
            valid_bits,
            channel_mask,
            float,
        } => {
            if cb_size < 22 {
                return Err(invalid(format!("cbSize {cb_size} < 22")));
            }
            p.extend_from_slice(&cb_size.to_le_bytes());
            p.extend_from_slice(&valid_bits.to_le_bytes());
            p.extend_from_slice(&channel_mask.to_le_bytes());
            p.extend_from_slice(&(if float { 3u16 } else { 1u16 }).to_le_bytes());
            p.extend_from_slice(&GUID_TAIL);
            p.resize(18 + usize::from(cb_size), 0);
        }
    }
    Ok(p)
}

fn bext_payload(spec: &WavSpec) -> Option<Vec<u8>> {
    let b = spec.bext.as_ref()?;
    let mut p = Vec::with_capacity(602 + spec.bext_history.len());
    p.extend(fixed(&b.description, 256));
    p.extend(fixed(&b.originator, 32));
    p.extend(fixed(&b.originator_reference, 32));
    p.extend(fixed(&b.origination_date, 10));
    p.extend(fixed(&b.origination_time, 8));
    p.extend_from_slice(&b.time_reference.to_le_bytes());
    p.extend_from_slice(&b.version.to_le_bytes());
    p.resize(602, 0); // UMID, loudness, reserved
    p.extend_from_slice(spec.bext_history.as_bytes());
    Some(p)
}

fn info_payload(spec: &WavSpec) -> io::Result<Vec<u8>> {
    let mut p = b"INFO".to_vec();
    for (id, text) in &spec.info {
        let mut t = text.as_bytes().to_vec();
        t.push(0);
        chunk(&mut p, *id, &t)?;
    }
    Ok(p)
}

/// A 32-bit size field for `value`, wrapped or refused when it does not fit.
fn size32(spec: &WavSpec, value: u64, what: &str) -> io::Result<u32> {
    match (spec.container, u32::try_from(value)) {
        (WavContainer::Riff, Ok(v)) => Ok(v),
        (WavContainer::Riff, Err(_)) if spec.wrap_oversize => Ok(value as u32),
        (WavContainer::Riff, Err(_)) => Err(invalid(format!(
            "RIFF {what} of {value} bytes does not fit 32 bits; use RF64/BW64 or wrap_oversize"
        ))),
        _ => Ok(u32::MAX),
    }
}

/// Header bytes (through the `data` chunk header), bytes after `data`
/// (pad byte not included) and the layout.
pub fn build(spec: &WavSpec) -> io::Result<(Vec<u8>, Vec<u8>, Layout)> {
    let data_len = spec
        .frames
        .checked_mul(u64::from(spec.block_align()))
        .ok_or_else(|| invalid("data length overflows".into()))?;
    let fmt = fmt_payload(spec)?;
    let mut h = Vec::with_capacity(1024);
    let magic: &[u8; 4] = match spec.container {
        WavContainer::Riff => b"RIFF",
        WavContainer::Rf64 => b"RF64",
        WavContainer::Bw64 => b"BW64",
    };
    h.extend_from_slice(magic);
    h.extend_from_slice(&[0; 4]);
    h.extend_from_slice(b"WAVE");
    let ds64_at = h.len() + 8;
    if spec.container != WavContainer::Riff {
        let mut d = vec![0u8; 24];
        let entries =
            u32::try_from(spec.ds64_table.len()).map_err(|_| invalid("ds64 table".into()))?;
        d.extend_from_slice(&entries.to_le_bytes());
        for (id, size) in &spec.ds64_table {
            d.extend_from_slice(id);
            d.extend_from_slice(&size.to_le_bytes());
        }
        chunk(&mut h, *b"ds64", &d)?;
    }
    if let Some(n) = spec.junk {
        chunk(&mut h, *b"JUNK", &vec![0; n])?;
    }
    chunk(&mut h, *b"fmt ", &fmt)?;
    if spec.fact {
        chunk(&mut h, *b"fact", &(spec.frames as u32).to_le_bytes())?;
    }
    if let Some(b) = bext_payload(spec) {
        chunk(&mut h, *b"bext", &b)?;
    }
    if let Some(x) = &spec.ixml {
        chunk(&mut h, *b"iXML", x.as_bytes())?;
    }
    if !spec.info.is_empty() {
        chunk(&mut h, *b"LIST", &info_payload(spec)?)?;
    }
    for (id, payload) in &spec.chunks_before_data {
        chunk(&mut h, *id, payload)?;
    }
    h.extend_from_slice(b"data");
    let data_size_at = h.len();
    h.extend_from_slice(&[0; 4]);
    let data_offset = h.len() as u64;
    let mut tail = Vec::new();
    for (id, payload) in &spec.chunks_after_data {
        chunk(&mut tail, *id, payload)?;
    }
    let total_len = data_offset + data_len + (data_len & 1) + tail.len() as u64;
    let riff = size32(spec, total_len - 8, "size")?;
    let data32 = size32(spec, data_len, "data size")?;
    h[4..8].copy_from_slice(&riff.to_le_bytes());
    h[data_size_at..data_size_at + 4].copy_from_slice(&data32.to_le_bytes());
    if spec.container != WavContainer::Riff {
        h[ds64_at..ds64_at + 8].copy_from_slice(&(total_len - 8).to_le_bytes());
        h[ds64_at + 8..ds64_at + 16].copy_from_slice(&data_len.to_le_bytes());
        h[ds64_at + 16..ds64_at + 24].copy_from_slice(&spec.frames.to_le_bytes());
    }
    Ok((
        h,
        tail,
        Layout {
            data_offset,
            data_len,
            total_len,
        },
    ))
}

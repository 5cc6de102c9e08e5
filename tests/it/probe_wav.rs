//! Integration tests: the WAV/RF64/BW64 reader against generated files of
//! every header variant, damaged headers (each with its specific error),
//! a sparse RF64 past 4 GiB, cross-checks with ffprobe, mediainfo and hound,
//! property tests on random and mutated headers, and `mnepack probe`.

#![allow(clippy::unwrap_used, clippy::float_cmp)]

mod bad_input;
mod cli;
mod crosscheck;
mod large;

use std::io::Cursor;

use mnepack::probe::{AudioInfo, Bext, Container, ProbeError, SampleFormat, wav};
use mnepack::testmedia::{FmtKind, WavContainer, WavSpec, layout, wav_bytes};

pub fn probe(b: &[u8]) -> Result<AudioInfo, ProbeError> {
    wav::read(&mut Cursor::new(b), b.len() as u64)
}

/// Offset of the header of the first chunk `id`, walking the real chunk list.
pub fn find(b: &[u8], id: [u8; 4]) -> usize {
    let mut pos = 12;
    while pos + 8 <= b.len() {
        let size = u32::from_le_bytes(b[pos + 4..pos + 8].try_into().unwrap()) as usize;
        if b[pos..pos + 4] == id {
            return pos;
        }
        let size = if &b[pos..pos + 4] == b"data" && size == u32::MAX as usize {
            u64::from_le_bytes(b[28..36].try_into().unwrap()) as usize
        } else {
            size
        };
        pos += 8 + size + (size & 1);
    }
    panic!("no {id:?} chunk");
}

pub fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

pub fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

pub fn ext(valid_bits: u16, channel_mask: u32, cb_size: u16, float: bool) -> FmtKind {
    FmtKind::Extensible {
        cb_size,
        valid_bits,
        channel_mask,
        float,
    }
}

/// (container, format, bits, channels, expected codec, expected format, mask, labels)
#[allow(clippy::type_complexity)]
pub fn variants() -> Vec<(
    WavContainer,
    FmtKind,
    u16,
    u16,
    &'static str,
    SampleFormat,
    Option<u32>,
    &'static str,
)> {
    use SampleFormat::{Float, Pcm};
    use WavContainer::{Bw64, Rf64, Riff};
    vec![
        (Riff, FmtKind::Pcm, 16, 2, "pcm_s16le", Pcm, None, "L R"),
        (
            Riff,
            FmtKind::Pcm,
            24,
            6,
            "pcm_s24le",
            Pcm,
            None,
            "L R C LFE Ls Rs",
        ),
        (Riff, FmtKind::Pcm, 32, 1, "pcm_s32le", Pcm, None, "M"),
        (Riff, FmtKind::Pcm, 8, 1, "pcm_u8", Pcm, None, "M"),
        (Riff, FmtKind::Float, 32, 2, "pcm_f32le", Float, None, "L R"),
        (Rf64, FmtKind::Float, 64, 1, "pcm_f64le", Float, None, "M"),
        (
            Rf64,
            ext(24, 0x60F, 22, false),
            24,
            6,
            "pcm_s24le",
            Pcm,
            Some(0x60F),
            "L R C LFE Ls Rs",
        ),
        (
            Bw64,
            ext(24, 0x3F, 22, false),
            24,
            6,
            "pcm_s24le",
            Pcm,
            Some(0x3F),
            "L R C LFE Ls Rs",
        ),
        (
            Riff,
            ext(20, 0x63F, 24, false),
            24,
            8,
            "pcm_s24le",
            Pcm,
            Some(0x63F),
            "L R C LFE Lsr Rsr Lss Rss",
        ),
        (
            Bw64,
            ext(32, 0x4, 22, true),
            32,
            1,
            "pcm_f32le",
            Float,
            Some(0x4),
            "C",
        ),
        (
            Rf64,
            ext(16, 0x607, 30, false),
            16,
            5,
            "pcm_s16le",
            Pcm,
            Some(0x607),
            "L R C Ls Rs",
        ),
    ]
}

#[test]
fn every_header_variant_reads_back() {
    for (container, format, bits, channels, codec, sf, mask, labels) in variants() {
        let spec = WavSpec {
            container,
            format,
            ..WavSpec::new(48_000, bits, channels, 1001)
        };
        let b = wav_bytes(&spec).unwrap();
        let l = layout(&spec).unwrap();
        let ctx = format!("{container:?} {format:?} {bits}");
        let a = probe(&b).unwrap_or_else(|e| panic!("{ctx}: {e}"));
        let want_container = match container {
            WavContainer::Riff => Container::Riff,
            WavContainer::Rf64 => Container::Rf64,
            WavContainer::Bw64 => Container::Bw64,
        };
        assert_eq!(a.container, want_container, "{ctx}");
        assert_eq!(a.codec, codec, "{ctx}");
        assert_eq!(a.sample_format, sf, "{ctx}");
        assert_eq!(a.sample_rate, 48_000, "{ctx}");
        assert_eq!((a.bits, a.channels), (bits, channels), "{ctx}");
        let valid = match format {
            FmtKind::Extensible { valid_bits, .. } => valid_bits,
            _ => bits,
        };
        assert_eq!(a.valid_bits, valid, "{ctx}");
        assert_eq!(a.block_align, channels * bits / 8, "{ctx}");
        assert_eq!(a.channel_mask, mask, "{ctx}");
        assert_eq!(a.channel_labels.join(" "), labels, "{ctx}");
        assert_eq!(a.frames, 1001, "{ctx}");
        assert_eq!(a.data_offset, l.data_offset, "{ctx}");
        assert_eq!(a.data_len, 1001 * u64::from(channels * bits / 8), "{ctx}");
        assert_eq!(l.total_len, b.len() as u64, "{ctx}");
        let tag = match format {
            FmtKind::Pcm => 1,
            FmtKind::Float => 3,
            FmtKind::Extensible { .. } => 0xFFFE,
        };
        assert_eq!(a.format_tag, tag, "{ctx}");
        assert_eq!(
            a.chunks.iter().any(|c| c.id == "ds64"),
            container != WavContainer::Riff,
            "{ctx}"
        );
        assert!(a.unknown_chunks.is_empty(), "{ctx}");
        assert!(
            a.bext.is_none() && a.ixml.is_none() && a.info.is_empty(),
            "{ctx}"
        );
    }
}

pub fn rich_spec() -> WavSpec {
    WavSpec {
        container: WavContainer::Bw64,
        format: ext(24, 0x60F, 22, false),
        bext: Some(Bext {
            description: "M&E 5.1 printmaster".into(),
            originator: "Stage 3".into(),
            originator_reference: "REF-0042".into(),
            origination_date: "2026-11-25".into(),
            origination_time: "10:11:12".into(),
            time_reference: 172_780_608,
            version: 2,
        }),
        bext_history: "A=PCM,F=48000,W=24,M=5.1,T=x;\r\n".into(), // 31 bytes: odd bext
        ixml: Some("<BWFXML><PROJECT>odd</PROJECT></BWFXML>".into()),
        info: vec![(*b"INAM", "Title".into()), (*b"ISFT", "gen".into())],
        fact: true,
        junk: Some(28),
        chunks_before_data: vec![(*b"abcd", vec![1, 2, 3])],
        chunks_after_data: vec![(*b"zzz1", vec![9; 5]), (*b"iXML", b"late".to_vec())],
        ..WavSpec::new(48_000, 24, 1, 333) // odd data length: 999 bytes
    }
}

#[test]
fn metadata_chunks_and_odd_sizes_before_and_after_data() {
    let spec = rich_spec();
    let b = wav_bytes(&spec).unwrap();
    let a = probe(&b).unwrap();
    let bext = a.bext.as_ref().unwrap();
    assert_eq!(bext, spec.bext.as_ref().unwrap());
    let bext_chunk = a.chunks.iter().find(|c| c.id == "bext").unwrap();
    assert_eq!(bext_chunk.size, 602 + 31);
    // The first iXML before data; the late one after data replaces it (last wins).
    assert_eq!(a.ixml.as_deref(), Some("late"));
    assert_eq!(
        a.info,
        vec![
            ("INAM".into(), "Title".into()),
            ("ISFT".into(), "gen".into())
        ]
    );
    assert_eq!(
        a.unknown_chunks,
        vec!["abcd".to_string(), "zzz1".to_string()]
    );
    assert_eq!(a.data_len, 999);
    assert_eq!(a.frames, 333);
    let ids: Vec<&str> = a.chunks.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "ds64", "JUNK", "fmt ", "fact", "bext", "iXML", "LIST", "abcd", "data", "zzz1", "iXML"
        ]
    );
    // Chunk offsets are consistent: each follows the previous with its pad byte.
    for w in a.chunks.windows(2) {
        assert_eq!(
            w[1].offset,
            w[0].offset + 8 + w[0].size + (w[0].size & 1),
            "{w:?}"
        );
    }
}

/// A RIFF written by hand from the WAVE layout (not by our generator), so a
/// shared misunderstanding between generator and reader cannot hide: an odd
/// `bext` with no pad byte would shift everything after it.
#[test]
fn hand_built_riff_with_odd_bext_and_extensible_cb_24() {
    let le16 = |v: u16| v.to_le_bytes().to_vec();
    let le32 = |v: u32| v.to_le_bytes().to_vec();
    let mut fmt = [
        le16(0xFFFE),
        le16(2),
        le32(44_100),
        le32(44_100 * 6),
        le16(6),
        le16(24),
    ]
    .concat();
    fmt.extend([le16(24), le16(24), le32(0x3)].concat());
    fmt.extend([
        1, 0, 0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xAA, 0, 0x38, 0x9B, 0x71, 0xEE, 0xEE,
    ]);
    assert_eq!(fmt.len(), 42);
    let mut bext = vec![0u8; 603]; // odd: needs a pad byte
    bext[338..346].copy_from_slice(&86_400u64.to_le_bytes());
    let mut body = b"WAVE".to_vec();
    for (id, payload) in [(b"bext", &bext), (b"fmt ", &fmt), (b"data", &vec![0u8; 60])] {
        body.extend_from_slice(id);
        body.extend(le32(payload.len() as u32));
        body.extend_from_slice(payload);
        if payload.len() % 2 == 1 {
            body.push(0);
        }
    }
    let mut file = b"RIFF".to_vec();
    file.extend(le32(body.len() as u32));
    file.extend(body);
    let a = probe(&file).unwrap();
    assert_eq!(
        (a.channels, a.bits, a.valid_bits, a.sample_rate),
        (2, 24, 24, 44_100)
    );
    assert_eq!(a.channel_mask, Some(3));
    assert_eq!(a.codec, "pcm_s24le");
    assert_eq!(a.frames, 10);
    assert_eq!(a.time_reference(), 86_400);
    assert_eq!(a.data_offset, 12 + 8 + 604 + 8 + 42 + 8);
}

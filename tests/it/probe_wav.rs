//! Integration tests: the WAV/RF64/BW64 reader against generated files of
//! every header variant, damaged headers (each with its specific error),
//! a sparse RF64 past 4 GiB, cross-checks with ffprobe, mediainfo and hound,
//! property tests on random and mutated headers, and `mnepack probe`.

#![allow(clippy::unwrap_used, clippy::float_cmp)]

use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;
use std::process::Command;

use mnepack::probe::{AudioInfo, Bext, Container, ProbeError, SampleFormat, probe_path, wav};
use mnepack::testmedia::{
    FmtKind, Signal, WavContainer, WavSpec, layout, quantise, wav_bytes, write_sparse,
};
use mnepack::timecode::FrameRate;
use proptest::prelude::*;

use crate::common;

fn probe(b: &[u8]) -> Result<AudioInfo, ProbeError> {
    wav::read(&mut Cursor::new(b), b.len() as u64)
}

/// Offset of the header of the first chunk `id`, walking the real chunk list.
fn find(b: &[u8], id: [u8; 4]) -> usize {
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

fn put_u16(b: &mut [u8], at: usize, v: u16) {
    b[at..at + 2].copy_from_slice(&v.to_le_bytes());
}

fn put_u32(b: &mut [u8], at: usize, v: u32) {
    b[at..at + 4].copy_from_slice(&v.to_le_bytes());
}

fn ext(valid_bits: u16, channel_mask: u32, cb_size: u16, float: bool) -> FmtKind {
    FmtKind::Extensible {
        cb_size,
        valid_bits,
        channel_mask,
        float,
    }
}

/// (container, format, bits, channels, expected codec, expected format, mask, labels)
#[allow(clippy::type_complexity)]
fn variants() -> Vec<(
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

fn rich_spec() -> WavSpec {
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

/// Counts the bytes read through it.
struct Counting<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

#[test]
fn sparse_rf64_past_4_gib_is_exact_and_reads_only_headers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.wav");
    let frames = 300_000_000u64; // 6 ch x 24 bit = 5.4 GB of data
    let spec = WavSpec {
        container: WavContainer::Rf64,
        format: ext(24, 0x60F, 22, false),
        chunks_after_data: vec![(*b"iXML", b"<after/>".to_vec())],
        ..WavSpec::new(48_000, 24, 6, frames)
    };
    let l = write_sparse(&path, &spec).unwrap();
    assert!(l.total_len > 1 << 32);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), l.total_len);
    let mut r = Counting {
        inner: std::fs::File::open(&path).unwrap(),
        read: 0,
    };
    let a = wav::read(&mut r, l.total_len).unwrap();
    assert_eq!(a.data_len, frames * 18);
    assert_eq!(a.frames, frames);
    assert_eq!(a.data_offset, l.data_offset);
    assert_eq!(a.ixml.as_deref(), Some("<after/>"));
    assert!(
        r.read < 4096,
        "read {} bytes: the sample data was touched",
        r.read
    );
    let p = probe_path(&path).unwrap();
    assert_eq!(p.size, l.total_len);
}

#[test]
fn wrapped_riff_past_4_gib_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wrapped.wav");
    let spec = WavSpec {
        wrap_oversize: true,
        ..WavSpec::new(48_000, 24, 6, 250_000_000)
    };
    let l = write_sparse(&path, &spec).unwrap();
    assert!(l.total_len > 1 << 32);
    let e = probe_path(&path).unwrap_err();
    assert!(
        matches!(&e, ProbeError::Malformed(m) if m.contains("wrapped")),
        "{e}"
    );
    // Without the opt-in the generator refuses to write such sizes.
    let spec = WavSpec {
        wrap_oversize: false,
        ..spec
    };
    assert!(layout(&spec).is_err());
}

fn plain() -> Vec<u8> {
    wav_bytes(&WavSpec {
        ixml: Some("x".into()),
        ..WavSpec::new(48_000, 24, 2, 100)
    })
    .unwrap()
}

fn malformed(b: &[u8], needle: &str) {
    match probe(b) {
        Err(ProbeError::Malformed(m)) => assert!(m.contains(needle), "{m:?} lacks {needle:?}"),
        other => panic!("expected Malformed({needle}), got {other:?}"),
    }
}

#[test]
fn truncated_data_says_how_much_is_missing() {
    let b = plain();
    let cut = &b[..b.len() - 77];
    let data = find(&b, *b"data");
    match probe(cut) {
        Err(ProbeError::Truncated {
            what,
            expected,
            missing,
        }) => {
            assert!(what.contains("data"), "{what}");
            assert_eq!(expected, (data + 8 + 600) as u64);
            assert_eq!(missing, 77);
        }
        other => panic!("{other:?}"),
    }
    let mut b2 = plain();
    let x = find(&b2, *b"iXML");
    put_u32(&mut b2, x + 4, 1_000_000);
    assert!(matches!(probe(&b2), Err(ProbeError::Truncated { what, .. }) if what.contains("iXML")));
    assert!(matches!(
        probe(b"RIFF\x10\0"),
        Err(ProbeError::Truncated { missing: 6, .. })
    ));
}

#[test]
fn each_damaged_header_has_its_own_error() {
    let b = plain();
    let fmt = find(&b, *b"fmt ") + 8;
    let data = find(&b, *b"data");
    let mut x = b.clone();
    put_u16(&mut x, fmt + 2, 0);
    malformed(&x, "0 channels");
    let mut x = b.clone();
    put_u32(&mut x, fmt + 4, 0);
    malformed(&x, "0 Hz");
    let mut x = b.clone();
    put_u16(&mut x, fmt + 12, 7);
    malformed(&x, "block align");
    let mut x = b.clone();
    x[fmt - 8..fmt - 4].copy_from_slice(b"fmX ");
    malformed(&x, "no `fmt `");
    let mut x = b.clone();
    x[data..data + 4].copy_from_slice(b"dat2");
    malformed(&x, "no `data`");
    let mut x = b.clone();
    put_u32(&mut x, data + 4, u32::MAX);
    malformed(&x, "no `ds64`");
    let mut x = b.clone();
    put_u32(&mut x, 4, 4); // RIFF size never finalised
    malformed(&x, "unfinished");
    let mut x = b.clone();
    x[8..12].copy_from_slice(b"AVI ");
    assert!(matches!(probe(&x), Err(ProbeError::UnknownFormat(m)) if m.contains("AVI")));
    assert!(matches!(
        probe(b"OggS\0\0\0\0\0\0\0\0"),
        Err(ProbeError::UnknownFormat(_))
    ));
    // ds64 missing from an RF64: the data size marker has nothing to point at.
    let mut r = wav_bytes(&WavSpec {
        container: WavContainer::Rf64,
        ..WavSpec::new(48_000, 16, 1, 10)
    })
    .unwrap();
    r[12..16].copy_from_slice(b"JUNK");
    malformed(&r, "ds64");
    // ds64 promising a longer file than there is.
    let mut r = wav_bytes(&WavSpec {
        container: WavContainer::Rf64,
        ..WavSpec::new(48_000, 16, 1, 10)
    })
    .unwrap();
    let real = u64::from_le_bytes(r[20..28].try_into().unwrap());
    r[20..28].copy_from_slice(&(real + 500).to_le_bytes());
    assert!(matches!(
        probe(&r),
        Err(ProbeError::Truncated { missing: 500, .. })
    ));
}

#[test]
fn bad_extensible_fields_and_chunk_floods() {
    let spec = WavSpec {
        format: ext(24, 3, 22, false),
        ..WavSpec::new(48_000, 24, 2, 10)
    };
    let b = wav_bytes(&spec).unwrap();
    let fmt = find(&b, *b"fmt ") + 8;
    let mut x = b.clone();
    put_u16(&mut x, fmt + 16, 10);
    malformed(&x, "cbSize 10");
    let mut x = b.clone();
    put_u16(&mut x, fmt + 18, 28);
    malformed(&x, "valid bits");
    // 20,000 empty chunks before data: refused after MAX_CHUNKS, quickly.
    let flood = (0..20_000).map(|_| (*b"pad1", Vec::new())).collect();
    let x = wav_bytes(&WavSpec {
        chunks_before_data: flood,
        ..WavSpec::new(48_000, 16, 1, 1)
    })
    .unwrap();
    malformed(&x, "chunks");
}

#[test]
fn hound_agrees_on_plain_riff_and_samples() {
    let sines = |n: u16| -> Vec<Signal> {
        (0..n)
            .map(|c| Signal::Sine {
                hz: 440.0 * f64::from(c + 1),
                dbfs: -3.0,
                phase: 0.0,
            })
            .collect()
    };
    for (bits, format) in [
        (16u16, FmtKind::Pcm),
        (24, FmtKind::Pcm),
        (32, FmtKind::Float),
    ] {
        let spec = WavSpec {
            format,
            signal: sines(2),
            ..WavSpec::new(44_100, bits, 2, 500)
        };
        let b = wav_bytes(&spec).unwrap();
        let a = probe(&b).unwrap();
        let mut h = hound::WavReader::new(Cursor::new(&b)).unwrap();
        let hs = h.spec();
        assert_eq!(
            (hs.sample_rate, hs.channels, hs.bits_per_sample),
            (a.sample_rate, a.channels, a.bits)
        );
        assert_eq!(u64::from(h.duration()), a.frames);
        if format == FmtKind::Float {
            let got: Vec<f32> = h.samples::<f32>().map(Result::unwrap).collect();
            assert_eq!(got.len(), 1000);
            assert_eq!(got[3], spec.signal[1].sample(1, 44_100) as f32);
        } else {
            let got: Vec<i32> = h.samples::<i32>().map(Result::unwrap).collect();
            assert_eq!(got.len(), 1000);
            for (i, v) in got.iter().enumerate().take(200) {
                let want = quantise(spec.signal[i % 2].sample(i as u64 / 2, 44_100), bits);
                assert_eq!(i64::from(*v), want, "sample {i} at {bits} bits");
            }
        }
    }
}

#[test]
fn clipping_signal_reaches_full_scale() {
    let spec = WavSpec {
        signal: vec![Signal::Dc(1.5), Signal::Dc(-1.5)],
        ..WavSpec::new(48_000, 16, 2, 4)
    };
    let b = wav_bytes(&spec).unwrap();
    let d = find(&b, *b"data") + 8;
    assert_eq!(i16::from_le_bytes([b[d], b[d + 1]]), i16::MAX);
    assert_eq!(i16::from_le_bytes([b[d + 2], b[d + 3]]), i16::MIN);
}

fn run_json(tool: &str, args: &[&str], file: &Path) -> serde_json::Value {
    let out = Command::new(tool).args(args).arg(file).output().unwrap();
    assert!(
        out.status.success(),
        "{tool}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn ffprobe_and_mediainfo_agree() {
    let dir = tempfile::tempdir().unwrap();
    let with_ffprobe = common::have_tool("ffprobe", "ffprobe_and_mediainfo_agree");
    let with_mediainfo = common::have_tool("mediainfo", "ffprobe_and_mediainfo_agree");
    for (i, (container, format, bits, channels, codec, ..)) in variants().into_iter().enumerate() {
        let spec = WavSpec {
            container,
            format,
            ..WavSpec::new(48_000, bits, channels, 4_801)
        };
        let path = dir.path().join(format!("v{i}.wav"));
        std::fs::write(&path, wav_bytes(&spec).unwrap()).unwrap();
        let a = probe(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(a.codec, codec);
        if with_ffprobe {
            let v = run_json(
                "ffprobe",
                &["-v", "error", "-show_streams", "-of", "json"],
                &path,
            );
            let s = &v["streams"][0];
            assert_eq!(s["codec_name"], a.codec, "{path:?}");
            assert_eq!(s["sample_rate"], a.sample_rate.to_string());
            assert_eq!(s["channels"], a.channels);
            assert_eq!(s["duration_ts"], a.frames, "{path:?}");
        }
        // MediaInfo 23.04 does not recognise the `BW64` magic at all.
        if with_mediainfo && container != WavContainer::Bw64 {
            let v = run_json("mediainfo", &["--Output=JSON"], &path);
            let audio = v["media"]["track"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["@type"] == "Audio")
                .unwrap_or_else(|| panic!("{i} {path:?}: {v}"))
                .clone();
            assert_eq!(audio["Channels"], a.channels.to_string(), "{path:?}");
            assert_eq!(audio["SamplingRate"], a.sample_rate.to_string(), "{path:?}");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_bytes_never_panic(mut b in proptest::collection::vec(any::<u8>(), 0..600), magic in 0usize..4) {
        if b.len() >= 12 && magic < 3 {
            b[..4].copy_from_slice([b"RIFF", b"RF64", b"BW64"][magic]);
            b[8..12].copy_from_slice(b"WAVE");
        }
        let _ = probe(&b);
    }

    #[test]
    fn mutated_headers_never_panic(
        which in 0usize..3,
        flips in proptest::collection::vec((0usize..400, any::<u8>()), 0..6),
        sizes in proptest::collection::vec((0usize..400, any::<u32>()), 0..3),
        cut in 0usize..2000,
    ) {
        let spec = match which {
            0 => rich_spec(),
            1 => WavSpec { container: WavContainer::Rf64, ixml: Some("abc".into()), ..WavSpec::new(48_000, 16, 2, 50) },
            _ => WavSpec { format: ext(24, 0x3F, 24, false), ..WavSpec::new(48_000, 24, 6, 40) },
        };
        let mut b = wav_bytes(&spec).unwrap();
        for (at, v) in flips { if at < b.len() { b[at] ^= v; } }
        for (at, v) in sizes { if at + 4 <= b.len() { put_u32(&mut b, at, v); } }
        b.truncate(b.len().saturating_sub(cut));
        if let Ok(a) = probe(&b) {
            prop_assert!(a.data_offset + a.data_len <= b.len() as u64);
            prop_assert!(a.channels > 0 && a.sample_rate > 0 && a.block_align > 0);
            prop_assert_eq!(a.channel_labels.len(), usize::from(a.channels));
        }
    }
}

fn write(dir: &Path, name: &str, spec: &WavSpec) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, wav_bytes(spec).unwrap()).unwrap();
    p
}

#[test]
fn probe_command_text_json_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "me.wav", &rich_spec());
    let mut bad_bytes = plain();
    bad_bytes.truncate(bad_bytes.len() - 10);
    let bad = dir.path().join("cut.wav");
    std::fs::write(&bad, bad_bytes).unwrap();

    let out = common::mnepack()
        .args(["probe", "--fps", "23.976"])
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let want_tc = FrameRate::parse("23.976")
        .map(|r| mnepack::timecode::Timecode::from_samples(172_780_608, 48_000, r).to_string())
        .unwrap();
    assert_eq!(want_tc, "00:59:56:00");
    for fact in [
        "BW64",
        "pcm_s24le",
        "48000",
        "0x60F",
        "333",
        "REF-0042",
        "Stage 3",
        "00:59:56:00",
        "zzz1",
        "999 bytes",
    ] {
        assert!(text.contains(fact), "{fact} missing from:\n{text}");
    }

    let out = common::mnepack()
        .args(["probe", "--json"])
        .arg(&good)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("cut.wav: truncated"), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["ok"], true);
    assert_eq!(items[0]["facts"]["media"]["channels"], 1);
    assert_eq!(items[0]["facts"]["media"]["container"], "BW64");
    assert_eq!(
        items[0]["facts"]["media"]["bext"]["time_reference"],
        172_780_608
    );
    assert_eq!(items[1]["ok"], false);
    assert!(
        items[1]["error"]
            .as_str()
            .unwrap()
            .contains("10 bytes short")
    );

    let out = common::mnepack()
        .args(["probe", "--fps", "23.5"])
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fps 23.5"));
}

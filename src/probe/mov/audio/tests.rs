//! Hand-built movies: every sound description version and PCM four-cc,
//! the `stsz` conventions, edit lists, track choice, and hostile tables
//! (truncated, past the end, out of order, overlapping, absurd counts).

use std::io::{Cursor, Read};

use super::*;
use crate::stream::range_reader::RangeReader;

fn atom(kind: [u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    v.extend_from_slice(&kind);
    v.extend_from_slice(body);
    v
}

fn full(kind: [u8; 4], words: &[u32]) -> Vec<u8> {
    let mut b = vec![0; 4];
    for w in words {
        b.extend_from_slice(&w.to_be_bytes());
    }
    atom(kind, &b)
}

/// The 36 bytes every sound description starts with.
fn entry_head(fourcc: [u8; 4], version: u16, channels: u16, bits: u16, rate: u32) -> Vec<u8> {
    let mut b = vec![0u8; 36];
    b[4..8].copy_from_slice(&fourcc);
    b[15] = 1;
    b[16..18].copy_from_slice(&version.to_be_bytes());
    b[24..26].copy_from_slice(&channels.to_be_bytes());
    b[26..28].copy_from_slice(&bits.to_be_bytes());
    b[32..36].copy_from_slice(&(rate << 16).to_be_bytes());
    b
}

fn sized(mut e: Vec<u8>, ext: &[Vec<u8>]) -> Vec<u8> {
    e.extend(ext.concat());
    let n = e.len() as u32;
    e[..4].copy_from_slice(&n.to_be_bytes());
    e
}

fn v0(fourcc: [u8; 4], channels: u16, bits: u16, ext: &[Vec<u8>]) -> Vec<u8> {
    sized(entry_head(fourcc, 0, channels, bits, 48_000), ext)
}

fn v1(fourcc: [u8; 4], channels: u16, frame: u32, ext: &[Vec<u8>]) -> Vec<u8> {
    let mut e = entry_head(fourcc, 1, channels, 16, 48_000);
    for w in [1, frame / u32::from(channels), frame, 2] {
        e.extend_from_slice(&w.to_be_bytes());
    }
    sized(e, ext)
}

fn v2(fourcc: [u8; 4], channels: u32, rate: f64, bits: u32, flags: u32, packet: u32) -> Vec<u8> {
    let mut e = entry_head(fourcc, 2, 3, 16, 0);
    e[28..36].copy_from_slice(&[0xff, 0xfe, 0, 0, 0, 1, 0, 0]);
    e.extend_from_slice(&72u32.to_be_bytes());
    e.extend_from_slice(&rate.to_bits().to_be_bytes());
    for w in [channels, 0x7F00_0000, bits, flags, packet, 1] {
        e.extend_from_slice(&w.to_be_bytes());
    }
    sized(e, &[])
}

fn enda(little: bool) -> Vec<u8> {
    atom(*b"enda", &u16::from(little).to_be_bytes())
}

/// What a sound `trak` is made of.
#[derive(Clone)]
struct Sound {
    entry: Vec<u8>,
    enabled: bool,
    /// `stsc` entries (first chunk, samples, description).
    stsc: Vec<[u32; 3]>,
    stsz: (u32, u32),
    /// Chunk offsets relative to the start of `mdat`'s body.
    chunks: Vec<u32>,
    elst: Option<(u32, i32)>,
}

impl Sound {
    fn new(entry: Vec<u8>, frame: u32, chunks: &[u32], per_chunk: u32) -> Self {
        Self {
            entry,
            enabled: true,
            stsc: vec![[1, per_chunk, 1]],
            stsz: (frame, per_chunk * chunks.len() as u32),
            chunks: chunks.to_vec(),
            elst: None,
        }
    }
}

fn table(kind: [u8; 4], rows: &[&[u32]]) -> Vec<u8> {
    let mut words = vec![rows.len() as u32];
    for r in rows {
        words.extend_from_slice(r);
    }
    full(kind, &words)
}

fn trak(s: &Sound, base: u32) -> Vec<u8> {
    let mut stsd = vec![0, 0, 0, 0, 0, 0, 0, 1];
    stsd.extend_from_slice(&s.entry);
    let stsc: Vec<&[u32]> = s.stsc.iter().map(|r| &r[..]).collect();
    let offsets: Vec<[u32; 1]> = s.chunks.iter().map(|&c| [c + base]).collect();
    let offsets: Vec<&[u32]> = offsets.iter().map(|r| &r[..]).collect();
    let stbl = [
        atom(*b"stsd", &stsd),
        table(*b"stsc", &stsc),
        full(*b"stsz", &[s.stsz.0, s.stsz.1]),
        table(*b"stco", &offsets),
    ]
    .concat();
    let mdia = [
        full(*b"mdhd", &[0, 0, 48_000, 0, 0]),
        full(
            *b"hdlr",
            &[
                u32::from_be_bytes(*b"mhlr"),
                u32::from_be_bytes(*b"soun"),
                0,
                0,
                0,
            ],
        ),
        atom(*b"minf", &atom(*b"stbl", &stbl)),
    ]
    .concat();
    let tkhd = atom(*b"tkhd", &[0, 0, 0, if s.enabled { 3 } else { 2 }]);
    let edts = s.elst.map_or_else(Vec::new, |(d, t)| {
        atom(*b"edts", &full(*b"elst", &[1, d, t as u32, 0x0001_0000]))
    });
    atom(*b"trak", &[tkhd, edts, atom(*b"mdia", &mdia)].concat())
}

/// `[ftyp][mdat: payload][moov]`; chunk offsets count from `mdat`'s body.
fn movie(sounds: &[Sound], payload: &[u8]) -> Vec<u8> {
    let ftyp = atom(*b"ftyp", b"qt  \0\0\0\0qt  ");
    let base = (ftyp.len() + 8) as u32;
    let mut moov = full(*b"mvhd", &[0, 0, 600, 0]);
    for s in sounds {
        moov.extend(trak(s, base));
    }
    [ftyp, atom(*b"mdat", payload), atom(*b"moov", &moov)].concat()
}

/// Where `mdat`'s body starts: after `ftyp` (20 bytes) and `mdat`'s header.
const BASE: u64 = 28;

fn payload() -> Vec<u8> {
    (0..4096u32).map(|i| (i * 13 + i / 256) as u8).collect()
}

fn read(bytes: &[u8]) -> Result<MovieAudio, NoAudio> {
    movie_audio(&mut Cursor::new(bytes), bytes.len() as u64)
}

fn sound_of(bytes: &[u8], a: &MovieAudio) -> Vec<u8> {
    let mut out = Vec::new();
    RangeReader::for_movie(Cursor::new(bytes), a)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn sowt_stereo_chunks_between_picture() {
    let s = Sound::new(v0(*b"sowt", 2, 16, &[]), 4, &[100, 500, 900], 10);
    let bytes = movie(&[s], &payload());
    let a = read(&bytes).unwrap();
    assert_eq!((a.channels, a.sample_rate, a.bits), (2, 48_000, 16));
    assert!(!a.float && !a.big_endian && a.signed);
    assert_eq!(a.frames, 30);
    assert_eq!(a.block_align(), 4);
    assert_eq!(a.fourcc, *b"sowt");
    assert_eq!(
        a.ranges[1],
        Range {
            offset: BASE + 500,
            len: 40
        }
    );
    assert_eq!(a.data_bytes(), 120);
    assert_eq!(a.media_start, 0);
    let got = sound_of(&bytes, &a);
    let p = payload();
    assert_eq!(&got[..40], &p[100..140]);
    assert_eq!(&got[80..], &p[900..940]);
}

#[test]
fn adjacent_chunks_merge_and_stsz_1_means_one_frame() {
    let mut s = Sound::new(v0(*b"twos", 1, 16, &[]), 1, &[0, 20, 40, 100], 10);
    s.stsc = vec![[1, 10, 1], [4, 5, 1]];
    s.stsz.1 = 35;
    let a = read(&movie(&[s], &payload())).unwrap();
    assert!(a.big_endian);
    assert_eq!(a.frames, 35);
    assert_eq!(
        a.ranges,
        vec![
            Range {
                offset: BASE,
                len: 60
            },
            Range {
                offset: BASE + 100,
                len: 10
            }
        ]
    );
}

#[test]
fn in24_endianness_follows_enda_in_or_out_of_wave() {
    let wave = atom(*b"wave", &[atom(*b"frma", b"in24"), enda(true)].concat());
    for (ext, big) in [
        (vec![wave], false),
        (vec![enda(true)], false),
        (vec![enda(false)], true),
        (vec![], true),
    ] {
        let s = Sound::new(v1(*b"in24", 6, 18, &ext), 18, &[0], 4);
        let a = read(&movie(&[s], &payload())).unwrap();
        assert_eq!((a.channels, a.bits, a.big_endian), (6, 24, big));
        assert_eq!(
            a.ranges,
            vec![Range {
                offset: BASE,
                len: 72
            }]
        );
    }
}

#[test]
fn bytes_of_a_big_endian_movie_come_out_little_endian() {
    let s = Sound::new(v0(*b"in32", 1, 32, &[]), 4, &[8], 3);
    let bytes = movie(&[s], &payload());
    let a = read(&bytes).unwrap();
    let p = payload();
    let want: Vec<u8> = p[8..20]
        .chunks(4)
        .flat_map(|c| c.iter().rev().copied())
        .collect();
    assert_eq!(sound_of(&bytes, &a), want);
}

#[test]
fn lpcm_version_2_flags_and_rate() {
    // 96 kHz 24-bit signed little-endian packed, as ffmpeg writes it.
    let s = Sound::new(v2(*b"lpcm", 2, 96_000.0, 24, 0xC, 6), 6, &[0], 5);
    let a = read(&movie(&[s], &payload())).unwrap();
    assert_eq!((a.channels, a.sample_rate, a.bits), (2, 96_000, 24));
    assert!(!a.float && !a.big_endian && a.signed);
    // 64-bit big-endian float.
    let s = Sound::new(v2(*b"lpcm", 1, 48_000.0, 64, 0x3, 8), 8, &[0], 5);
    let a = read(&movie(&[s], &payload())).unwrap();
    assert!(a.float && a.big_endian && a.bits == 64);
    // Unpacked 24-in-32 and a fractional rate are refused in words.
    let s = Sound::new(v2(*b"lpcm", 2, 48_000.0, 24, 0xC, 8), 8, &[0], 5);
    let e = read(&movie(&[s], &payload())).unwrap_err();
    assert!(e.to_string().contains("8-byte packets"), "{e}");
    let s = Sound::new(v2(*b"lpcm", 2, 44_100.5, 16, 0xC, 4), 4, &[0], 5);
    let e = read(&movie(&[s], &payload())).unwrap_err();
    assert!(e.to_string().contains("44100.5 Hz"), "{e}");
}

#[test]
fn rates_past_16_bits_come_from_the_media_time_scale() {
    let mut e = v0(*b"sowt", 2, 16, &[]);
    e[32..36].copy_from_slice(&(96_000u32 << 16).to_be_bytes());
    assert_eq!(entry::sound_format(&e, 96_000).unwrap().rate, 96_000);
    assert_eq!(entry::sound_format(&e, 30_464).unwrap().rate, 30_464);
    e[32..36].copy_from_slice(&[0; 4]);
    assert_eq!(entry::sound_format(&e, 44_100).unwrap().rate, 44_100);
}

#[test]
fn float_raw_and_iso_pcm() {
    let s = Sound::new(
        v1(*b"fl32", 2, 8, &[atom(*b"wave", &enda(true))]),
        8,
        &[0],
        5,
    );
    let a = read(&movie(&[s], &payload())).unwrap();
    assert!(a.float && !a.big_endian && a.bits == 32);
    let s = Sound::new(v0(*b"raw ", 1, 8, &[]), 1, &[0], 5);
    let a = read(&movie(&[s], &payload())).unwrap();
    assert!(!a.signed && a.bits == 8);
    // pcmC: version and flags, format flags (1: little-endian), 24 bits.
    let pcmc = atom(*b"pcmC", &[0, 0, 0, 0, 1, 24]);
    let s = Sound::new(v0(*b"ipcm", 2, 16, &[pcmc]), 6, &[0], 5);
    let a = read(&movie(&[s], &payload())).unwrap();
    assert_eq!((a.bits, a.big_endian, a.float), (24, false, false));
    let s = Sound::new(v0(*b"ipcm", 2, 16, &[]), 6, &[0], 5);
    let e = read(&movie(&[s], &payload())).unwrap_err();
    assert!(e.to_string().contains("`pcmC`"), "{e}");
}

#[test]
fn compressed_missing_and_several_mono_tracks() {
    let aac = Sound::new(v1(*b"mp4a", 2, 4, &[]), 0, &[0], 1024);
    let e = read(&movie(std::slice::from_ref(&aac), &payload())).unwrap_err();
    assert_eq!(e, NoAudio::Compressed("AAC".into()));
    assert_eq!(
        e.to_string(),
        "the movie's sound is AAC (compressed): not compared"
    );
    let e = read(&movie(&[], &payload())).unwrap_err();
    assert_eq!(e.to_string(), "the movie has no sound track");
    let mono = Sound::new(v0(*b"sowt", 1, 16, &[]), 2, &[0], 5);
    let mut other = mono.clone();
    other.enabled = false;
    other.chunks = vec![10];
    let e = read(&movie(&[mono.clone(), other], &payload())).unwrap_err();
    assert_eq!(e, NoAudio::MonoTracks(2));
    // AAC enabled, PCM disabled: the PCM is read.
    let mut stereo = Sound::new(v0(*b"sowt", 2, 16, &[]), 4, &[64], 5);
    stereo.enabled = false;
    let a = read(&movie(&[aac, stereo], &payload())).unwrap();
    assert_eq!(
        a.ranges,
        vec![Range {
            offset: BASE + 64,
            len: 20
        }]
    );
    let e = read(&movie(
        &[Sound::new(v0(*b"zzzz", 2, 16, &[]), 4, &[0], 5)],
        &payload(),
    ))
    .unwrap_err();
    assert!(e.to_string().contains("unknown format (`zzzz`)"), "{e}");
}

#[test]
fn edit_lists_skip_or_delay() {
    let mut s = Sound::new(v0(*b"sowt", 2, 16, &[]), 4, &[0], 5);
    s.elst = Some((600, 480));
    assert_eq!(
        read(&movie(&[s.clone()], &payload())).unwrap().media_start,
        480
    );
    s.elst = Some((300, -1));
    assert_eq!(read(&movie(&[s], &payload())).unwrap().media_start, -24_000);
    assert_eq!(
        media_start(&[(600, -1), (10, 96)], 600, 96_000, 48_000),
        -47_952
    );
}

fn reason(s: Sound) -> String {
    read(&movie(&[s], &payload())).unwrap_err().to_string()
}

fn stereo() -> Sound {
    Sound::new(v0(*b"sowt", 2, 16, &[]), 4, &[0, 100], 10)
}

#[test]
fn hostile_tables_give_reasons() {
    let mut s = stereo();
    s.chunks = vec![0, 5000];
    assert!(reason(s).contains("chunk 2 at offset 5028 (40 bytes) runs past the end"));
    let mut s = stereo();
    s.chunks = vec![100, 0];
    assert!(reason(s).contains("not in file order (chunk 2 at offset 28 lies before"));
    let mut s = stereo();
    s.chunks = vec![0, 20];
    assert!(reason(s).contains("overlaps the chunk before it, which ends at 68"));
    let mut s = stereo();
    s.entry = v0(*b"sowt", 0, 16, &[]);
    assert!(reason(s).contains("zero channels"));
    let mut s = stereo();
    s.stsz.1 = 21;
    assert!(reason(s).contains("the chunks hold 20 samples but `stsz` counts 21"));
    let mut s = stereo();
    s.stsz.0 = 6;
    assert!(reason(s).contains("6 bytes, not a whole number of 4-byte frames"));
    let mut s = stereo();
    s.stsc = vec![[2, 10, 1]];
    assert!(reason(s).contains("starts at chunk 2"));
    let mut s = stereo();
    s.stsc = vec![[1, 10, 1], [2, 10, 2]];
    assert!(reason(s).contains("uses description 2"));
    let mut s = stereo();
    s.stsc = vec![[1, 0, 1]];
    s.stsz.1 = 0;
    assert_eq!(reason(s), NoAudio::Empty.to_string());
}

/// Patches the entry count of the `kind` table.
fn with_count(mut bytes: Vec<u8>, kind: [u8; 4], count: u32) -> Vec<u8> {
    let at = bytes.windows(4).rposition(|w| *w == kind).unwrap() + 8;
    bytes[at..at + 4].copy_from_slice(&count.to_be_bytes());
    bytes
}

#[test]
fn absurd_and_truncated_counts_allocate_nothing() {
    let bytes = movie(&[stereo()], &payload());
    let e = read(&with_count(bytes.clone(), *b"stco", u32::MAX)).unwrap_err();
    assert!(matches!(e, NoAudio::TooLarge(_)), "{e}");
    assert!(e.to_string().contains("claims 4294967295 entries"), "{e}");
    let e = read(&with_count(bytes.clone(), *b"stco", 3)).unwrap_err();
    assert!(
        e.to_string()
            .contains("`stco` claims 3 entries but its atom holds only 2"),
        "{e}"
    );
    let e = read(&with_count(bytes.clone(), *b"stsc", 1_000_000)).unwrap_err();
    assert!(e.to_string().contains("`stsc` claims 1000000"), "{e}");
    // A movie cut inside `moov` cannot be read at all.
    let e = read(&bytes[..bytes.len() - 30]).unwrap_err();
    assert!(matches!(e, NoAudio::Unreadable(_)), "{e}");
}

#[test]
fn a_track_of_many_chunks_reads() {
    // 260,000 chunks (one per frame of 3 hours at 23.976 fps) of 2 stereo
    // 24-bit frames each, a picture-sized gap after each: 260,000 ranges.
    let n = 260_000u32;
    let chunks: Vec<u32> = (0..n).map(|i| i * 24).collect();
    let s = Sound::new(v1(*b"in24", 2, 6, &[]), 6, &chunks, 2);
    let bytes = movie(&[s], &vec![0; (n * 24) as usize]);
    let a = read(&bytes).unwrap();
    assert_eq!(a.ranges.len(), n as usize);
    assert_eq!(
        a.ranges[1],
        Range {
            offset: BASE + 24,
            len: 12
        }
    );
    assert_eq!(a.frames, u64::from(n) * 2);
}

#[test]
fn mutated_movies_never_panic() {
    let s = Sound::new(
        v1(*b"in24", 2, 6, &[atom(*b"wave", &enda(true))]),
        6,
        &[0, 100],
        10,
    );
    let bytes = movie(&[s], &payload());
    let moov_at = bytes.windows(4).rposition(|w| w == b"moov").unwrap() - 4;
    for i in moov_at..bytes.len() {
        for v in [0u8, 1, 0x7f, 0xff] {
            let mut b = bytes.clone();
            b[i] = v;
            let _ = read(&b);
        }
    }
}

//! Hand-built MXF headers: the primer resolving a dynamic tag, BER lengths
//! (long form, invalid, past the file), sets before the primer, items past
//! their set, labels, and the partition key check; and OP1a files with
//! sound ([`op1a`], shared with `audio/tests.rs`) as the probe reports them.

use std::io::Cursor;

use super::*;
use crate::probe::MovieSound;

pub(super) const PICTURE_DD: [u8; 16] = [6, 14, 43, 52, 4, 1, 1, 1, 1, 3, 2, 2, 1, 0, 0, 0];
const TIMECODE_DD: [u8; 16] = [6, 14, 43, 52, 4, 1, 1, 1, 1, 3, 2, 1, 1, 0, 0, 0];
pub(super) const PRORES_HQ: [u8; 16] = [6, 14, 43, 52, 4, 1, 1, 13, 4, 1, 2, 2, 3, 6, 4, 0];

pub(super) fn klv(key: &[u8], value: &[u8]) -> Vec<u8> {
    let mut v = key.to_vec();
    v.push(0x83);
    v.extend_from_slice(&(value.len() as u32).to_be_bytes()[1..]);
    v.extend_from_slice(value);
    v
}

pub(super) fn partition(kind: u8, status: u8) -> Vec<u8> {
    let mut key = PARTITION_PREFIX.to_vec();
    key.extend_from_slice(&[kind, status, 0]);
    let mut v = vec![0u8; 88];
    v[64..80].copy_from_slice(&[6, 14, 43, 52, 4, 1, 1, 1, 13, 1, 2, 1, 1, 1, 9, 0]);
    v[84..88].copy_from_slice(&16u32.to_be_bytes());
    klv(&key, &v)
}

fn ul(designator: [u8; 8]) -> [u8; 16] {
    let mut u = [6, 14, 43, 52, 1, 1, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0];
    u[8..].copy_from_slice(&designator);
    u
}

fn primer() -> Vec<u8> {
    let entries: [(u16, [u8; 8]); 13] = [
        (0x3C0A, [1, 1, 0x15, 2, 0, 0, 0, 0]),
        (0x4403, [6, 1, 1, 4, 6, 5, 0, 0]),
        (0x4803, [6, 1, 1, 4, 2, 4, 0, 0]),
        (0x4B01, [5, 0x30, 4, 5, 0, 0, 0, 0]),
        (0x0201, [4, 7, 1, 0, 0, 0, 0, 0]),
        (0x0202, [7, 2, 2, 1, 1, 3, 0, 0]),
        (0x1001, [6, 1, 1, 4, 6, 9, 0, 0]),
        (0x1501, [7, 2, 1, 3, 1, 5, 0, 0]),
        (0x1502, [4, 4, 1, 1, 2, 6, 0, 0]),
        (0x1503, [4, 4, 1, 1, 5, 0, 0, 0]),
        (0x3201, [4, 1, 6, 1, 0, 0, 0, 0]),
        (0x3202, [4, 1, 5, 2, 1, 0, 0, 0]),
        // A dynamic tag standing for StoredWidth: only the primer says so.
        (0x8001, [4, 1, 5, 2, 2, 0, 0, 0]),
    ];
    let mut v = (entries.len() as u32).to_be_bytes().to_vec();
    v.extend_from_slice(&18u32.to_be_bytes());
    for (tag, d) in entries {
        v.extend_from_slice(&tag.to_be_bytes());
        v.extend_from_slice(&ul(d));
    }
    klv(&klv::PRIMER_KEY, &v)
}

pub(super) fn set(kind: u8, items: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let mut key = [
        0x06, 0x0E, 0x2B, 0x34, 0x02, 0x53, 0x01, 0x01, 0x0D, 0x01, 0x01, 0x01, 0x01, 0x01, kind,
        0x00,
    ];
    key[14] = kind;
    let mut v = Vec::new();
    for (tag, data) in items {
        v.extend_from_slice(&tag.to_be_bytes());
        v.extend_from_slice(&(data.len() as u16).to_be_bytes());
        v.extend_from_slice(data);
    }
    klv(&key, &v)
}

pub(super) fn uid(n: u8) -> Vec<u8> {
    vec![n; 16]
}

pub(super) fn batch(refs: &[u8]) -> Vec<u8> {
    let mut v = (refs.len() as u32).to_be_bytes().to_vec();
    v.extend_from_slice(&16u32.to_be_bytes());
    for &r in refs {
        v.extend_from_slice(&uid(r));
    }
    v
}

pub(super) fn rational(n: i32, d: i32) -> Vec<u8> {
    [n.to_be_bytes(), d.to_be_bytes()].concat()
}

/// A header: 23.976 ProRes HQ 96x54, 48 frames, timecode at `tc` frames.
fn header(tc: i64, drop: bool, base: u16) -> Vec<u8> {
    header_parts(tc, drop, base).concat()
}

/// The KLV triplets of [`header`], one per element.
fn header_parts(tc: i64, drop: bool, base: u16) -> Vec<Vec<u8>> {
    vec![
        partition(2, 4),
        primer(),
        set(0x36, &[(0x3C0A, uid(1)), (0x4403, batch(&[2, 4]))]),
        set(
            0x3B,
            &[
                (0x3C0A, uid(2)),
                (0x4B01, rational(24000, 1001)),
                (0x4803, uid(3)),
            ],
        ),
        set(
            0x0F,
            &[
                (0x3C0A, uid(3)),
                (0x0201, PICTURE_DD.to_vec()),
                (0x0202, 48i64.to_be_bytes().to_vec()),
            ],
        ),
        set(
            0x3B,
            &[
                (0x3C0A, uid(4)),
                (0x4B01, rational(24000, 1001)),
                (0x4803, uid(5)),
            ],
        ),
        set(
            0x0F,
            &[
                (0x3C0A, uid(5)),
                (0x0201, TIMECODE_DD.to_vec()),
                (0x1001, batch(&[6])),
            ],
        ),
        set(
            0x14,
            &[
                (0x3C0A, uid(6)),
                (0x1501, tc.to_be_bytes().to_vec()),
                (0x1502, base.to_be_bytes().to_vec()),
                (0x1503, vec![u8::from(drop)]),
            ],
        ),
        set(
            0x28,
            &[
                (0x3C0A, uid(7)),
                (0x8001, 96u32.to_be_bytes().to_vec()),
                (0x3202, 54u32.to_be_bytes().to_vec()),
                (0x3201, PRORES_HQ.to_vec()),
            ],
        ),
        // Essence starts: the walk stops here.
        klv(
            &[6, 14, 43, 52, 1, 2, 1, 1, 13, 1, 3, 1, 21, 1, 5, 0],
            &[0; 32],
        ),
    ]
}

fn probe(bytes: &[u8]) -> Result<VideoInfo, ProbeError> {
    read(&mut Cursor::new(bytes), bytes.len() as u64)
}

#[test]
fn reads_a_hand_built_header() {
    let v = probe(&header(86_304, false, 24)).unwrap();
    assert_eq!(v.codec_name.as_deref(), Some("Apple ProRes 422 HQ"));
    assert_eq!(v.codec_fourcc, Some(ul_hex(&PRORES_HQ)));
    assert_eq!((v.width, v.height), (Some(96), Some(54)));
    assert_eq!(
        (v.frame_rate_num, v.frame_rate_den),
        (Some(24000), Some(1001))
    );
    assert_eq!(v.duration_frames, Some(48));
    assert_eq!(v.start_timecode.as_deref(), Some("00:59:56:00"));
    assert!(v.notes.is_empty(), "{:?}", v.notes);
}

#[test]
fn drop_frame_and_rate_mismatch() {
    // Base 30 with drop-frame against a 23.976 picture: counted at 29.97 DF.
    let v = probe(&header(107_892, true, 30)).unwrap();
    assert_eq!(v.start_timecode.as_deref(), Some("01:00:00;00"));
    assert!(v.drop_frame);
    // Drop-frame at base 24 makes no sense: ignored with a note.
    let v = probe(&header(0, true, 24)).unwrap();
    assert_eq!(v.start_timecode.as_deref(), Some("00:00:00:00"));
    assert!(!v.drop_frame);
    assert!(v.notes.iter().any(|n| n.contains("drop-frame")));
    let v = probe(&header(-5, false, 24)).unwrap();
    assert_eq!(v.start_timecode, None);
    assert!(v.notes.iter().any(|n| n.contains("negative")));
}

#[test]
fn incomplete_header_and_other_op_are_noted() {
    let mut b = header(0, false, 24);
    b[14] = 1; // open incomplete
    b[20 + 64 + 13] = 2; // OP1b
    let v = probe(&b).unwrap();
    assert_eq!(v.notes.len(), 2, "{:?}", v.notes);
}

#[test]
fn ber_lengths_are_checked() {
    let mut b = header(0, false, 24);
    // The partition pack's 3-byte length claims far more than the file.
    b[17..20].copy_from_slice(&[0xFF, 0xFF, 0xFF]);
    assert!(matches!(probe(&b), Err(ProbeError::Truncated { .. })));
    b[16] = 0x80; // indefinite length
    assert!(matches!(probe(&b), Err(ProbeError::Malformed(_))));
    b[16] = 0x89; // nine length bytes
    assert!(matches!(probe(&b), Err(ProbeError::Malformed(_))));
    // Cut inside any KLV triplet: an error, never a panic.
    let parts = header_parts(0, false, 24);
    let full = parts.concat();
    let mut start = 0;
    for p in &parts {
        for cut in start + 1..start + p.len() {
            assert!(probe(&full[..cut]).is_err(), "cut at {cut}");
        }
        start += p.len();
    }
}

#[test]
fn structure_errors_are_clear() {
    let set_first = [partition(2, 4), set(0x36, &[(0x3C0A, uid(1))]), primer()].concat();
    match probe(&set_first).unwrap_err() {
        ProbeError::Malformed(t) => assert!(t.contains("before the primer"), "{t}"),
        e => panic!("{e:?}"),
    }
    let mut bad_item = set(0x36, &[(0x3C0A, uid(1))]);
    let n = bad_item.len();
    bad_item[n - 17] = 0x40; // item length 0x0040 > the 16 bytes left
    let b = [partition(2, 4), primer(), bad_item].concat();
    match probe(&b).unwrap_err() {
        ProbeError::Malformed(t) => assert!(t.contains("0x3C0A"), "{t}"),
        e => panic!("{e:?}"),
    }
    let no_picture = [partition(2, 4), primer(), set(0x36, &[(0x3C0A, uid(1))])].concat();
    assert!(matches!(probe(&no_picture), Err(ProbeError::Malformed(_))));
    let body_first = [partition(3, 4), primer()].concat();
    assert!(matches!(probe(&body_first), Err(ProbeError::Malformed(_))));
}

#[test]
fn partition_keys_are_recognised() {
    for (kind, ok) in [
        (0x02, true),
        (0x03, true),
        (0x04, true),
        (0x05, false),
        (0x01, false),
    ] {
        let mut key = PARTITION_PREFIX.to_vec();
        key.extend_from_slice(&[kind, 0x04, 0x00]);
        assert_eq!(looks_like_mxf(&key), ok, "{kind}");
    }
    let mut key = PARTITION_PREFIX.to_vec();
    key.extend_from_slice(&[0x02, 0x09, 0x00]);
    assert!(!looks_like_mxf(&key));
    assert!(!looks_like_mxf(&PARTITION_PREFIX));
}

#[test]
fn coding_labels_are_named() {
    let mut dnx = [6, 14, 43, 52, 4, 1, 1, 10, 4, 1, 2, 2, 0x71, 0x01, 0, 0];
    assert_eq!(sets::coding_name(&dnx).as_deref(), Some("Avid DNxHD"));
    dnx[13] = 0x28;
    assert_eq!(sets::coding_name(&dnx).as_deref(), Some("Avid DNxHR LB"));
    let mut pr = PRORES_HQ;
    pr[14] = 1;
    assert_eq!(
        sets::coding_name(&pr).as_deref(),
        Some("Apple ProRes 422 Proxy")
    );
    pr[14] = 6;
    assert_eq!(
        sets::coding_name(&pr).as_deref(),
        Some("Apple ProRes 4444 XQ")
    );
    assert_eq!(sets::coding_name(&PICTURE_DD), None);
}

// An OP1a file with sound, laid out as ffmpeg writes one: header partition
// (partition pack, an empty primer so every tag is static, the material
// package with a picture track and the sound tracks, the file package with
// its tracks and a multiple descriptor), a body partition of content
// packages (system item, picture element, each track's sound element,
// fill), or clip-wrapped: a body partition for the picture and one for the
// sound; then the footer partition.

pub(super) const SOUND_DD: [u8; 16] = [6, 14, 43, 52, 4, 1, 1, 1, 1, 3, 2, 2, 2, 0, 0, 0];
/// The ST 382 container label of AES3 frame-wrapped sound (ffmpeg's).
const AES3_FRAME: [u8; 16] = [6, 14, 43, 52, 4, 1, 1, 1, 13, 1, 3, 1, 2, 6, 3, 0];
/// The D-10 (ST 386) 625/50 container label.
pub(super) const D10_CONTAINER: [u8; 16] = [6, 14, 43, 52, 4, 1, 1, 1, 13, 1, 3, 1, 2, 1, 1, 1];
const SYSTEM_KEY: [u8; 16] = [6, 14, 43, 52, 2, 5, 1, 1, 13, 1, 3, 1, 4, 1, 1, 0];
const PICTURE_KEY: [u8; 16] = [6, 14, 43, 52, 1, 2, 1, 1, 13, 1, 3, 1, 0x15, 1, 5, 0];
const FILL_KEY: [u8; 16] = [6, 14, 43, 52, 1, 1, 1, 2, 3, 1, 2, 0x10, 1, 0, 0, 0];

/// One sound track of a built file and its descriptor.
#[derive(Debug, Clone)]
pub(super) struct Snd {
    /// Descriptor kind: 0x47 AES3, 0x48 Wave, 0x42 generic sound.
    pub kind: u8,
    pub channels: u32,
    pub bits: u32,
    /// Block align written (None: left out).
    pub block_align: Option<u16>,
    pub rate: (i32, i32),
    /// The file package track number (the element key's last 4 bytes).
    pub number: [u8; 4],
    pub container: [u8; 16],
    pub compression: Option<[u8; 16]>,
    /// Bytes of sound in each content package.
    pub per_frame: usize,
    /// Material track origin, filler before the clip, clip start position,
    /// file track origin (edit units at 24 fps).
    pub origin: i64,
    pub filler: i64,
    pub start: i64,
    pub file_origin: i64,
    /// Source clips in the material track (1 normally).
    pub clips: usize,
    /// The clip points to a package of another file.
    pub elsewhere: bool,
}

impl Snd {
    /// 24-bit stereo at 48 kHz, AES3 frame-wrapped, 2000 frames per
    /// 24 fps edit unit: what ffmpeg writes.
    pub(super) fn stereo() -> Self {
        Snd {
            kind: 0x47,
            channels: 2,
            bits: 24,
            block_align: Some(6),
            rate: (48_000, 1),
            number: [0x16, 1, 3, 0],
            container: AES3_FRAME,
            compression: None,
            per_frame: 12_000,
            origin: 0,
            filler: 0,
            start: 0,
            file_origin: 0,
            clips: 1,
            elsewhere: false,
        }
    }

    /// Mono 24-bit, track number `n` of `of` sound elements.
    pub(super) fn mono(n: u8, of: u8) -> Self {
        Snd {
            channels: 1,
            block_align: Some(3),
            number: [0x16, of, 3, n],
            per_frame: 6000,
            ..Snd::stereo()
        }
    }
}

/// How a built file holds its essence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wrap {
    /// One content package per frame.
    Frame,
    /// A body partition per essence element.
    Clip,
}

/// The sound bytes of track `t`, frame `f`.
pub(super) fn sound_bytes(t: usize, f: usize, n: usize) -> Vec<u8> {
    (0..n).map(|i| ((t * 31 + f * 7 + i) % 251) as u8).collect()
}

fn umid(n: u8) -> Vec<u8> {
    let mut u = vec![6, 10, 43, 52, 1, 1, 1, 5, 1, 1, 13, 0, 0x13];
    u.resize(32, n);
    u
}

fn sound_sets(i: usize, s: &Snd) -> Vec<Vec<u8>> {
    let n = i as u8;
    let (track, seq, clip, filler) = (0x40 + n, 0x50 + n, 0x60 + n, 0x70 + n);
    let mut components = Vec::new();
    if s.filler != 0 {
        components.push(filler);
    }
    components.extend(std::iter::repeat_n(clip, s.clips));
    let mut out = vec![
        set(
            0x3B,
            &[
                (0x3C0A, uid(track)),
                (0x4801, (u32::from(n) + 2).to_be_bytes().to_vec()),
                (0x4804, 0u32.to_be_bytes().to_vec()),
                (0x4B01, rational(24, 1)),
                (0x4B02, s.origin.to_be_bytes().to_vec()),
                (0x4803, uid(seq)),
            ],
        ),
        set(
            0x0F,
            &[
                (0x3C0A, uid(seq)),
                (0x0201, SOUND_DD.to_vec()),
                (0x1001, batch(&components)),
            ],
        ),
        set(
            0x11,
            &[
                (0x3C0A, uid(clip)),
                (0x0201, SOUND_DD.to_vec()),
                (0x1201, s.start.to_be_bytes().to_vec()),
                (0x1101, umid(if s.elsewhere { 9 } else { 2 })),
                (0x1102, (u32::from(n) + 2).to_be_bytes().to_vec()),
            ],
        ),
    ];
    if s.filler != 0 {
        out.push(set(
            0x09,
            &[
                (0x3C0A, uid(filler)),
                (0x0201, SOUND_DD.to_vec()),
                (0x0202, s.filler.to_be_bytes().to_vec()),
            ],
        ));
    }
    out
}

fn file_sound_sets(i: usize, s: &Snd) -> Vec<Vec<u8>> {
    let n = i as u8;
    let mut d = vec![
        (0x3C0A, uid(0xA0 + n)),
        (0x3006, (u32::from(n) + 2).to_be_bytes().to_vec()),
        (0x3004, s.container.to_vec()),
        (0x3D03, rational(s.rate.0, s.rate.1)),
        (0x3D07, s.channels.to_be_bytes().to_vec()),
        (0x3D01, s.bits.to_be_bytes().to_vec()),
    ];
    if let Some(b) = s.block_align {
        d.push((0x3D0A, b.to_be_bytes().to_vec()));
    }
    if let Some(c) = s.compression {
        d.push((0x3D06, c.to_vec()));
    }
    vec![
        set(
            0x3B,
            &[
                (0x3C0A, uid(0x80 + n)),
                (0x4801, (u32::from(n) + 2).to_be_bytes().to_vec()),
                (0x4804, s.number.to_vec()),
                (0x4B01, rational(24, 1)),
                (0x4B02, s.file_origin.to_be_bytes().to_vec()),
            ],
        ),
        set(s.kind, &d),
    ]
}

/// The header partition of a file with `sounds`, `frames` frames long.
fn header_with(sounds: &[Snd], frames: usize) -> Vec<u8> {
    let empty_primer = klv(&klv::PRIMER_KEY, &[0, 0, 0, 0, 0, 0, 0, 18]);
    let mut mp_tracks = vec![2u8];
    mp_tracks.extend((0..sounds.len()).map(|i| 0x40 + i as u8));
    let mut fp_tracks = vec![0x30u8];
    fp_tracks.extend((0..sounds.len()).map(|i| 0x80 + i as u8));
    let mut subs = vec![7u8];
    subs.extend((0..sounds.len()).map(|i| 0xA0 + i as u8));
    let frames = (frames as i64).to_be_bytes().to_vec();
    let mut parts = vec![
        partition(2, 4),
        empty_primer,
        set(
            0x36,
            &[
                (0x3C0A, uid(1)),
                (0x4401, umid(1)),
                (0x4403, batch(&mp_tracks)),
            ],
        ),
        set(
            0x3B,
            &[
                (0x3C0A, uid(2)),
                (0x4801, 1u32.to_be_bytes().to_vec()),
                (0x4B01, rational(24, 1)),
                (0x4803, uid(3)),
            ],
        ),
        set(
            0x0F,
            &[
                (0x3C0A, uid(3)),
                (0x0201, PICTURE_DD.to_vec()),
                (0x0202, frames),
            ],
        ),
        set(
            0x37,
            &[
                (0x3C0A, uid(0x20)),
                (0x4401, umid(2)),
                (0x4403, batch(&fp_tracks)),
                (0x4701, uid(0x21)),
            ],
        ),
        set(
            0x3B,
            &[
                (0x3C0A, uid(0x30)),
                (0x4801, 1u32.to_be_bytes().to_vec()),
                (0x4804, PICTURE_KEY[12..].to_vec()),
            ],
        ),
        set(0x44, &[(0x3C0A, uid(0x21)), (0x3F01, batch(&subs))]),
        set(
            0x28,
            &[
                (0x3C0A, uid(7)),
                (0x3006, 1u32.to_be_bytes().to_vec()),
                (0x3203, 96u32.to_be_bytes().to_vec()),
                (0x3202, 54u32.to_be_bytes().to_vec()),
                (0x3201, PRORES_HQ.to_vec()),
            ],
        ),
    ];
    for (i, s) in sounds.iter().enumerate() {
        parts.extend(sound_sets(i, s));
        parts.extend(file_sound_sets(i, s));
    }
    parts.concat()
}

/// The sound element of track `t` at frame `f`.
pub(super) fn element(s: &Snd, t: usize, f: usize) -> Vec<u8> {
    let key: Vec<u8> = [&PICTURE_KEY[..12], &s.number[..]].concat();
    klv(&key, &sound_bytes(t, f, s.per_frame))
}

/// A built file: its bytes, and each sound track's bytes in play order.
pub(super) fn op1a(sounds: &[Snd], frames: usize, wrap: Wrap) -> (Vec<u8>, Vec<Vec<u8>>) {
    let mut parts = vec![header_with(sounds, frames), partition(3, 4)];
    let picture = |f: usize| klv(&PICTURE_KEY, &vec![0xEE; 300 + 17 * f]);
    match wrap {
        Wrap::Frame => {
            for f in 0..frames {
                parts.push(klv(&SYSTEM_KEY, &[0; 57]));
                parts.push(picture(f));
                for (t, s) in sounds.iter().enumerate() {
                    parts.push(element(s, t, f));
                }
                parts.push(klv(&FILL_KEY, &vec![0; f % 3]));
            }
        }
        Wrap::Clip => {
            parts.push(picture(frames));
            for (t, s) in sounds.iter().enumerate() {
                parts.push(partition(3, 4));
                let all: Vec<u8> = (0..frames)
                    .flat_map(|f| sound_bytes(t, f, s.per_frame))
                    .collect();
                let key: Vec<u8> = [&PICTURE_KEY[..12], &s.number[..]].concat();
                parts.push(klv(&key, &all));
            }
        }
    }
    parts.push(partition(4, 4));
    // After the footer only header copies and indexes may come: a sound
    // element there is not essence and must not be read.
    if let Some(s) = sounds.first() {
        parts.push(element(s, 0, 99));
    }
    let want = (0..sounds.len())
        .map(|t| {
            (0..frames)
                .flat_map(|f| sound_bytes(t, f, sounds[t].per_frame))
                .collect()
        })
        .collect();
    (parts.concat(), want)
}

#[test]
fn the_probe_reports_the_sound_of_a_built_file() {
    let (file, _) = op1a(&[Snd::stereo()], 3, Wrap::Frame);
    let v = probe(&file).unwrap();
    assert_eq!(v.audio_tracks, 1);
    assert_eq!(
        v.sound,
        Some(MovieSound::Pcm {
            channels: 2,
            sample_rate: 48_000,
            frames: 6000,
            media_start: 0,
        })
    );
    assert_eq!(v.duration_frames, Some(3));
    let late = Snd {
        filler: 1,
        ..Snd::stereo()
    };
    let (file, _) = op1a(&[late], 3, Wrap::Clip);
    assert!(matches!(
        probe(&file).unwrap().sound,
        Some(MovieSound::Pcm {
            media_start: -2000,
            ..
        })
    ));
    let d10 = Snd {
        kind: 0x42,
        number: [6, 1, 0x10, 0],
        container: D10_CONTAINER,
        ..Snd::stereo()
    };
    let (file, _) = op1a(&[d10], 2, Wrap::Frame);
    match probe(&file).unwrap().sound {
        Some(MovieSound::NotRead { why }) => assert!(why.contains("D-10"), "{why}"),
        other => panic!("{other:?}"),
    }
    let (file, _) = op1a(&[], 2, Wrap::Frame);
    let v = probe(&file).unwrap();
    assert_eq!(v.audio_tracks, 0);
    assert_eq!(
        v.sound,
        Some(MovieSound::NotRead {
            why: "the movie has no sound track".into()
        })
    );
    // The header walk alone (the existing hand-built header) has no
    // material package sound: the probe still reads it, its sound says why.
    let v = probe(&header(0, false, 24)).unwrap();
    assert!(matches!(v.sound, Some(MovieSound::NotRead { .. })));
}

//! Hand-built atom trees: sizes (32/64-bit, 0 = to end), `moov` before and
//! after `mdat`, atoms past their parent or the file, loops, no video.

use std::io::Cursor;

use super::*;

fn atom(kind: [u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = ((body.len() + 8) as u32).to_be_bytes().to_vec();
    v.extend_from_slice(&kind);
    v.extend_from_slice(body);
    v
}

fn atom64(kind: [u8; 4], body: &[u8]) -> Vec<u8> {
    let mut v = 1u32.to_be_bytes().to_vec();
    v.extend_from_slice(&kind);
    v.extend_from_slice(&((body.len() + 16) as u64).to_be_bytes());
    v.extend_from_slice(body);
    v
}

fn cat(parts: &[Vec<u8>]) -> Vec<u8> {
    parts.concat()
}

fn time_header(version: u8, timescale: u32, duration: u64) -> Vec<u8> {
    let mut b = vec![version, 0, 0, 0];
    if version == 1 {
        b.extend_from_slice(&[0; 16]);
        b.extend_from_slice(&timescale.to_be_bytes());
        b.extend_from_slice(&duration.to_be_bytes());
    } else {
        b.extend_from_slice(&[0; 8]);
        b.extend_from_slice(&timescale.to_be_bytes());
        b.extend_from_slice(&(duration as u32).to_be_bytes());
    }
    b.extend_from_slice(&[0; 80]);
    b
}

fn hdlr(sub: [u8; 4]) -> Vec<u8> {
    let mut b = vec![0; 4];
    b.extend_from_slice(b"mhlr");
    b.extend_from_slice(&sub);
    b.extend_from_slice(&[0; 12]);
    atom(*b"hdlr", &b)
}

fn stsd(entry: &[u8]) -> Vec<u8> {
    let mut b = vec![0, 0, 0, 0, 0, 0, 0, 1];
    b.extend_from_slice(entry);
    atom(*b"stsd", &b)
}

fn visual_entry(fourcc: [u8; 4], w: u16, h: u16) -> Vec<u8> {
    let mut body = vec![0u8; 8 + 70];
    body[7] = 1;
    body[24..26].copy_from_slice(&w.to_be_bytes());
    body[26..28].copy_from_slice(&h.to_be_bytes());
    atom(fourcc, &body)
}

fn tmcd_entry(flags: u32, ts: u32, fd: u32, nf: u8) -> Vec<u8> {
    let mut body = vec![0u8; 8 + 4];
    body[7] = 1;
    body.extend_from_slice(&flags.to_be_bytes());
    body.extend_from_slice(&ts.to_be_bytes());
    body.extend_from_slice(&fd.to_be_bytes());
    body.extend_from_slice(&[nf, 0]);
    atom(*b"tmcd", &body)
}

fn table(kind: [u8; 4], words: &[&[u32]]) -> Vec<u8> {
    let mut b = vec![0; 4];
    b.extend_from_slice(&(words.len() as u32).to_be_bytes());
    for w in words {
        for x in *w {
            b.extend_from_slice(&x.to_be_bytes());
        }
    }
    atom(kind, &b)
}

fn trak(handler: [u8; 4], scale: u32, stbl: &[Vec<u8>]) -> Vec<u8> {
    trak_with(handler, scale, stbl, &[])
}

/// A `trak` with `before` atoms (`tkhd`, `edts`...) ahead of its `mdia`.
fn trak_with(handler: [u8; 4], scale: u32, stbl: &[Vec<u8>], before: &[Vec<u8>]) -> Vec<u8> {
    let stbl = atom(*b"stbl", &cat(stbl));
    let minf = atom(*b"minf", &stbl);
    let mdia = atom(
        *b"mdia",
        &cat(&[
            atom(*b"mdhd", &time_header(0, scale, 0)),
            hdlr(handler),
            minf,
        ]),
    );
    atom(*b"trak", &cat(&[cat(before), mdia]))
}

/// A movie: 23.976 ProRes 422 HQ 96x54, 48 frames, tmcd sample at `tc_at`.
fn moov(tc_at: u32, with_video: bool) -> Vec<u8> {
    let video = trak(
        *b"vide",
        24000,
        &[
            stsd(&visual_entry(*b"apch", 96, 54)),
            table(*b"stts", &[&[48, 1001]]),
        ],
    );
    let tmcd = trak(
        *b"tmcd",
        24000,
        &[
            stsd(&tmcd_entry(0, 24000, 1001, 24)),
            table(*b"stts", &[&[1, 48048]]),
            table(*b"stsc", &[&[1, 1, 1]]),
            table(*b"stco", &[&[tc_at]]),
        ],
    );
    let mut parts = vec![atom(*b"mvhd", &time_header(0, 600, 1201))];
    if with_video {
        parts.push(video);
    }
    parts.push(tmcd);
    atom(*b"moov", &cat(&parts))
}

fn ftyp() -> Vec<u8> {
    atom(*b"ftyp", b"qt  \0\0\0\0qt  ")
}

/// `[ftyp][mdat: tc frame][moov]`.
fn moov_after_mdat() -> Vec<u8> {
    let f = ftyp();
    let at = (f.len() + 8) as u32;
    cat(&[f, atom(*b"mdat", &86_304u32.to_be_bytes()), moov(at, true)])
}

fn probe(bytes: &[u8]) -> Result<VideoInfo, ProbeError> {
    read(&mut Cursor::new(bytes), bytes.len() as u64)
}

#[test]
fn moov_after_mdat_reads_everything() {
    let v = probe(&moov_after_mdat()).unwrap();
    assert_eq!(v.codec_fourcc.as_deref(), Some("apch"));
    assert_eq!(v.codec_name.as_deref(), Some("Apple ProRes 422 HQ"));
    assert_eq!((v.width, v.height), (Some(96), Some(54)));
    assert_eq!(
        (v.frame_rate_num, v.frame_rate_den),
        (Some(24000), Some(1001))
    );
    assert_eq!(v.duration_frames, Some(48));
    assert_eq!(v.start_timecode.as_deref(), Some("00:59:56:00"));
    assert_eq!(v.start_frames, Some(86_304));
    assert!((v.duration_seconds.unwrap() - 1201.0 / 600.0).abs() < 1e-9);
    assert_eq!(v.audio_tracks, 0);
    assert!(v.notes.is_empty(), "{:?}", v.notes);
}

#[test]
fn moov_before_mdat_with_64_bit_mdat() {
    let f = ftyp();
    let probe_len = moov(0, true).len();
    let at = (f.len() + probe_len + 16) as u32;
    let bytes = cat(&[
        f,
        moov(at, true),
        atom64(*b"mdat", &86_400u32.to_be_bytes()),
    ]);
    let v = probe(&bytes).unwrap();
    assert_eq!(v.start_timecode.as_deref(), Some("01:00:00:00"));
}

#[test]
fn size_zero_runs_to_the_end() {
    let f = ftyp();
    let m = moov((f.len() + moov(0, true).len() + 8) as u32, true);
    let mut mdat = atom(*b"mdat", &[0, 1, 0x51, 0x80, 9, 9, 9]);
    mdat[..4].copy_from_slice(&[0; 4]);
    let v = probe(&cat(&[f, m, mdat])).unwrap();
    assert_eq!(v.start_frames, Some(0x0001_5180));
    // A zero-size `moov` runs to the end of the file too.
    let mut m = moov(0, true);
    m[..4].copy_from_slice(&[0; 4]);
    assert_eq!(probe(&cat(&[ftyp(), m])).unwrap().duration_frames, Some(48));
}

#[test]
fn drop_frame_timecode_prints_semicolon() {
    let f = ftyp();
    let at = (f.len() + 8) as u32;
    let mut m = moov(at, true);
    // Patch the tmcd entry: flags 1, 30000/1001, 30 frames.
    let pos = m.windows(4).position(|w| w == b"tmcd").unwrap();
    let pos = pos + 4 + m[pos + 4..].windows(4).position(|w| w == b"tmcd").unwrap();
    let e = pos + 4 + 8 + 4;
    m[e..e + 4].copy_from_slice(&1u32.to_be_bytes());
    m[e + 4..e + 8].copy_from_slice(&30000u32.to_be_bytes());
    m[e + 12] = 30;
    let v = probe(&cat(&[f, atom(*b"mdat", &107_892u32.to_be_bytes()), m])).unwrap();
    assert_eq!(v.start_timecode.as_deref(), Some("01:00:00;00"));
    assert!(v.drop_frame);
}

#[test]
fn version_1_headers_and_variable_rate() {
    let video = trak(
        *b"vide",
        25,
        &[
            stsd(&visual_entry(*b"xyzw", 64, 32)),
            table(*b"stts", &[&[10, 1], &[2, 2]]),
        ],
    );
    let m = atom(
        *b"moov",
        &cat(&[atom(*b"mvhd", &time_header(1, 1000, 14_000)), video]),
    );
    let v = probe(&cat(&[ftyp(), m])).unwrap();
    assert_eq!(v.duration_seconds, Some(14.0));
    assert_eq!((v.frame_rate_num, v.frame_rate_den), (Some(25), Some(1)));
    assert_eq!(v.duration_frames, Some(12));
    assert_eq!(v.codec_name.as_deref(), Some("xyzw"));
    assert!(v.notes.iter().any(|n| n.contains("variable frame rate")));
    assert_eq!(v.start_timecode, None);
}

#[test]
fn atom_past_its_parent_is_named() {
    let mut m = moov(0, true);
    // Grow the `mvhd` size by 4 past the end of `moov`... and of trak content.
    let pos = m.windows(4).position(|w| w == b"mvhd").unwrap() - 4;
    let size = u32::from_be_bytes(m[pos..pos + 4].try_into().unwrap());
    m[pos..pos + 4].copy_from_slice(&(size + 100_000).to_be_bytes());
    let err = probe(&cat(&[ftyp(), m, atom(*b"free", &vec![0; 200_000])])).unwrap_err();
    let ProbeError::Malformed(text) = err else {
        panic!("{err:?}")
    };
    assert!(text.contains("`mvhd`") && text.contains("`moov`"), "{text}");
}

#[test]
fn truncated_file_is_reported() {
    let bytes = moov_after_mdat();
    let cut = &bytes[..bytes.len() - 10];
    match probe(cut).unwrap_err() {
        ProbeError::Truncated { what, missing, .. } => {
            assert!(what.contains("`moov`"), "{what}");
            assert_eq!(missing, 10);
        }
        e => panic!("{e:?}"),
    }
    // A 64-bit size cut off in the middle.
    let mut b = ftyp();
    b.extend_from_slice(&[0, 0, 0, 1, b'm', b'd', b'a', b't', 0, 0]);
    assert!(matches!(probe(&b), Err(ProbeError::Truncated { .. })));
}

#[test]
fn bad_sizes_do_not_hang() {
    // Sizes 2..7 are smaller than a header: rejected, not looped on.
    for size in 2u32..8 {
        let mut b = ftyp();
        b.extend_from_slice(&size.to_be_bytes());
        b.extend_from_slice(b"free");
        b.extend_from_slice(&[0; 32]);
        assert!(matches!(probe(&b), Err(ProbeError::Malformed(_))), "{size}");
    }
    // A file of zero-size atoms: each runs to the end, so the walk ends.
    let zeros = vec![0u8; 4096];
    assert!(probe(&zeros).is_err());
    let mut b = ftyp();
    b.extend_from_slice(&atom(*b"moov", &[0u8; 64]));
    assert!(probe(&b).is_err());
    // A 64-bit size of 0 or 8 (smaller than its 16-byte header).
    let mut b = ftyp();
    b.extend_from_slice(&[0, 0, 0, 1, b'f', b'r', b'e', b'e', 0, 0, 0, 0, 0, 0, 0, 8]);
    assert!(matches!(probe(&b), Err(ProbeError::Malformed(_))));
}

#[test]
fn no_video_track_is_clear() {
    let f = ftyp();
    let at = (f.len() + 8) as u32;
    let bytes = cat(&[f, atom(*b"mdat", &[0; 4]), moov(at, false)]);
    match probe(&bytes).unwrap_err() {
        ProbeError::Malformed(t) => assert!(t.contains("no video track"), "{t}"),
        e => panic!("{e:?}"),
    }
    let no_moov = cat(&[ftyp(), atom(*b"mdat", &[0; 16])]);
    match probe(&no_moov).unwrap_err() {
        ProbeError::Malformed(t) => assert!(t.contains("moov"), "{t}"),
        e => panic!("{e:?}"),
    }
}

#[test]
fn tmcd_sample_past_the_end_is_a_note() {
    let f = ftyp();
    let bytes = cat(&[f, atom(*b"mdat", &[0; 4]), moov(1_000_000, true)]);
    let v = probe(&bytes).unwrap();
    assert_eq!(v.start_timecode, None);
    assert!(
        v.notes.iter().any(|n| n.contains("past the end")),
        "{:?}",
        v.notes
    );
}

#[test]
fn rates_normalise_only_when_exact() {
    assert_eq!(normalise_rate(24000, 1001), Some((24000, 1001)));
    assert_eq!(normalise_rate(48000, 2002), Some((24000, 1001)));
    assert_eq!(normalise_rate(2500, 100), Some((25, 1)));
    assert_eq!(normalise_rate(2997, 100), Some((2997, 100)));
    assert_eq!(normalise_rate(0, 1), None);
    assert_eq!(normalise_rate(1, 0), None);
}

#[test]
fn co64_offsets_and_edit_lists() {
    let f = ftyp();
    let at = (f.len() + 8) as u32;
    let video = trak_with(
        *b"vide",
        24000,
        &[
            stsd(&visual_entry(*b"AVdn", 1920, 1080)),
            table(*b"stts", &[&[24, 1001]]),
        ],
        &[atom(
            *b"edts",
            &table(*b"elst", &[&[600, 2002, 0x0001_0000]]),
        )],
    );
    let tmcd = trak(
        *b"tmcd",
        24000,
        &[
            stsd(&tmcd_entry(0, 24000, 1001, 24)),
            table(*b"co64", &[&[0, at]]),
        ],
    );
    let sound = trak(*b"soun", 48000, &[]);
    let m = atom(
        *b"moov",
        &cat(&[
            atom(*b"mvhd", &time_header(0, 600, 600)),
            video,
            tmcd,
            sound,
        ]),
    );
    let v = probe(&cat(&[f, atom(*b"mdat", &24u32.to_be_bytes()), m])).unwrap();
    assert_eq!(v.codec_name.as_deref(), Some("Avid DNxHD"));
    assert_eq!(v.start_timecode.as_deref(), Some("00:00:01:00"));
    assert_eq!(v.audio_tracks, 1);
    assert!(
        v.notes
            .iter()
            .any(|n| n.contains("edit list starts the video 2002")),
        "{:?}",
        v.notes
    );
}

#[test]
fn unknown_fourcc_keeps_its_text() {
    let mut entry = visual_entry(*b"jpeg", 8, 8);
    entry[50] = 5;
    entry[51..56].copy_from_slice(b"Photo");
    let video = trak(*b"vide", 50, &[stsd(&entry), table(*b"stts", &[&[3, 1]])]);
    let m = atom(
        *b"moov",
        &cat(&[atom(*b"mvhd", &time_header(0, 50, 3)), video]),
    );
    let v = probe(&cat(&[ftyp(), m])).unwrap();
    assert_eq!(v.codec_fourcc.as_deref(), Some("jpeg"));
    assert_eq!(v.codec_name.as_deref(), Some("jpeg (Photo)"));
    assert_eq!((v.frame_rate_num, v.frame_rate_den), (Some(50), Some(1)));
}

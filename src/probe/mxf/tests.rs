//! Hand-built MXF headers: the primer resolving a dynamic tag, BER lengths
//! (long form, invalid, past the file), sets before the primer, items past
//! their set, labels, and the partition key check.

use std::io::Cursor;

use super::*;

const PICTURE_DD: [u8; 16] = [6, 14, 43, 52, 4, 1, 1, 1, 1, 3, 2, 2, 1, 0, 0, 0];
const TIMECODE_DD: [u8; 16] = [6, 14, 43, 52, 4, 1, 1, 1, 1, 3, 2, 1, 1, 0, 0, 0];
const PRORES_HQ: [u8; 16] = [6, 14, 43, 52, 4, 1, 1, 13, 4, 1, 2, 2, 3, 6, 4, 0];

fn klv(key: &[u8], value: &[u8]) -> Vec<u8> {
    let mut v = key.to_vec();
    v.push(0x83);
    v.extend_from_slice(&(value.len() as u32).to_be_bytes()[1..]);
    v.extend_from_slice(value);
    v
}

fn partition(kind: u8, status: u8) -> Vec<u8> {
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

fn set(kind: u8, items: &[(u16, Vec<u8>)]) -> Vec<u8> {
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

fn uid(n: u8) -> Vec<u8> {
    vec![n; 16]
}

fn batch(refs: &[u8]) -> Vec<u8> {
    let mut v = (refs.len() as u32).to_be_bytes().to_vec();
    v.extend_from_slice(&16u32.to_be_bytes());
    for &r in refs {
        v.extend_from_slice(&uid(r));
    }
    v
}

fn rational(n: i32, d: i32) -> Vec<u8> {
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

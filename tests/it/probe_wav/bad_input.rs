//! Damaged headers: each case gets its specific error; random and mutated
//! headers never panic (property tests).

use mnepack::probe::ProbeError;
use mnepack::testmedia::{WavContainer, WavSpec, wav_bytes};
use proptest::prelude::*;

use super::{ext, find, probe, put_u16, put_u32, rich_spec};

pub fn plain() -> Vec<u8> {
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

//! Hand-built OP1a files (`mxf/tests.rs`'s [`op1a`]): frame- and
//! clip-wrapped sound pulled out byte for byte, the track chosen, where the
//! sound starts (filler, start position, origins), every layout refused
//! with its reason, and hostile files (cut anywhere, bytes garbled, lying
//! lengths, too many elements) that end in a reason, never a panic.

use std::io::{Cursor, Read};

use super::*;
use crate::probe::mxf::tests::{
    D10_CONTAINER, Snd, Wrap, element, klv, op1a, partition, sound_bytes,
};
use crate::stream::range_reader::RangeReader;

fn locate(file: &[u8]) -> Result<MovieAudio, NoAudio> {
    movie_audio(&mut Cursor::new(file), file.len() as u64)
}

/// The sound of `file` as the range reader pulls it out.
fn pulled(file: &[u8], a: &MovieAudio) -> Vec<u8> {
    let mut out = Vec::new();
    RangeReader::for_movie(Cursor::new(file), a)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn unsupported(r: Result<MovieAudio, NoAudio>) -> String {
    match r {
        Err(NoAudio::Unsupported(why)) => why,
        other => panic!("not refused as unsupported: {other:?}"),
    }
}

fn damaged(r: Result<MovieAudio, NoAudio>) -> String {
    match r {
        Err(NoAudio::Damaged(why)) => why,
        other => panic!("not damaged: {other:?}"),
    }
}

#[test]
fn frame_wrapped_sound_is_every_element_in_order() {
    let (file, want) = op1a(&[Snd::stereo()], 5, Wrap::Frame);
    let a = locate(&file).unwrap();
    assert_eq!(a.fourcc, *b"aes3");
    assert_eq!(
        (a.channels, a.sample_rate, a.bits, a.float, a.big_endian),
        (2, 48_000, 24, false, false)
    );
    assert!(a.signed);
    assert_eq!(a.frames, 5 * 2000);
    assert_eq!(a.media_start, 0);
    // One range per content package: the picture lies between them.
    assert_eq!(a.ranges.len(), 5);
    assert_eq!(a.data_bytes(), 60_000);
    assert!(pulled(&file, &a) == want[0]);
}

#[test]
fn clip_wrapped_and_wave_sound_are_read_too() {
    let wave = Snd {
        kind: 0x48,
        number: [0x16, 1, 2, 0],
        ..Snd::stereo()
    };
    let (file, want) = op1a(&[wave], 4, Wrap::Clip);
    let a = locate(&file).unwrap();
    assert_eq!(a.fourcc, *b"bwf ");
    assert_eq!(a.ranges.len(), 1);
    assert_eq!(a.frames, 8000);
    assert!(pulled(&file, &a) == want[0]);
    // 16-bit in a generic sound descriptor without a block align.
    let generic = Snd {
        kind: 0x42,
        bits: 16,
        block_align: None,
        per_frame: 8000,
        ..Snd::stereo()
    };
    let (file, want) = op1a(&[generic], 2, Wrap::Frame);
    let a = locate(&file).unwrap();
    assert_eq!((a.bits, a.block_align()), (16, 4));
    assert!(pulled(&file, &a) == want[0]);
}

#[test]
fn elements_back_to_back_stay_ranges_of_their_own() {
    // Two elements in a row: their values are never adjacent (the second's
    // key and length lie between), so each is a range.
    let s = Snd::stereo();
    let (file, _) = op1a(std::slice::from_ref(&s), 1, Wrap::Frame);
    let footer = file
        .windows(14)
        .rposition(|w| w[..13] == PARTITION_PREFIX && w[13] == 4)
        .unwrap();
    let mut two = file[..footer].to_vec();
    two.extend(element(&s, 0, 1));
    two.extend(element(&s, 0, 2));
    two.extend(&file[footer..]);
    let a = locate(&two).unwrap();
    assert_eq!(a.ranges.len(), 3, "{:?}", a.ranges);
    assert_eq!(a.ranges[2].offset - a.ranges[1].end(), 20);
    assert_eq!(a.frames, 6000);
    let want: Vec<u8> = (0..3).flat_map(|f| sound_bytes(0, f, 12_000)).collect();
    assert!(pulled(&two, &a) == want);
}

#[test]
fn the_first_pcm_track_is_read_and_mono_tracks_are_refused() {
    let (file, _) = op1a(&[Snd::mono(0, 2), Snd::mono(1, 2)], 2, Wrap::Frame);
    assert_eq!(locate(&file), Err(NoAudio::MonoTracks(2)));
    let stereo = Snd {
        number: [0x16, 2, 3, 0],
        ..Snd::stereo()
    };
    let (file, want) = op1a(&[stereo, Snd::mono(1, 2)], 3, Wrap::Frame);
    let a = locate(&file).unwrap();
    assert_eq!(a.channels, 2);
    assert!(pulled(&file, &a) == want[0]);
    // A compressed first track, then PCM: the PCM one.
    let alaw = Snd {
        compression: Some([6, 14, 43, 52, 4, 1, 1, 4, 4, 2, 2, 2, 3, 1, 1, 0]),
        number: [0x16, 2, 3, 0],
        ..Snd::stereo()
    };
    let pcm = Snd {
        number: [0x16, 2, 3, 1],
        ..Snd::stereo()
    };
    let (file, want) = op1a(&[alaw.clone(), pcm], 2, Wrap::Frame);
    assert!(pulled(&file, &locate(&file).unwrap()) == want[1]);
    let (file, _) = op1a(&[alaw], 2, Wrap::Frame);
    assert_eq!(locate(&file), Err(NoAudio::Compressed("A-law".into())));
}

#[test]
fn where_the_sound_starts() {
    // 24 fps edit units of 2000 frames at 48 kHz.
    let cases = [
        (0, 2, 0, 0, -4000),
        (0, 0, 3, 0, 6000),
        (1, 0, 0, 0, 2000),
        (0, 0, 0, 1, 2000),
        (1, 2, 3, 1, 6000),
    ];
    for (origin, filler, start, file_origin, want) in cases {
        let s = Snd {
            origin,
            filler,
            start,
            file_origin,
            ..Snd::stereo()
        };
        let (file, _) = op1a(&[s], 3, Wrap::Frame);
        let a = locate(&file).unwrap();
        assert_eq!(
            a.media_start, want,
            "origin {origin}, filler {filler}, start {start}, file origin {file_origin}"
        );
    }
    let start = Start {
        material: 1,
        material_rate: (24_000, 1001),
        ..Start::default()
    };
    assert_eq!(start.at(48_000), 2002);
    let start = Start {
        material: i64::MAX,
        material_rate: (1, 1),
        ..Start::default()
    };
    assert_eq!(start.at(48_000), i64::MAX);
}

#[test]
fn layouts_that_are_not_plain_pcm_are_refused_with_a_reason() {
    let with = |s: Snd| op1a(&[s], 2, Wrap::Frame).0;
    let d10 = Snd {
        kind: 0x42,
        number: [6, 1, 0x10, 0],
        ..Snd::stereo()
    };
    assert!(unsupported(locate(&with(d10))).contains("D-10"));
    let d10_label = Snd {
        container: D10_CONTAINER,
        ..Snd::stereo()
    };
    assert!(unsupported(locate(&with(d10_label))).contains("D-10"));
    let aiff = Snd {
        compression: Some([6, 14, 43, 52, 4, 1, 1, 7, 4, 2, 2, 1, 0x7E, 0, 0, 0]),
        ..Snd::stereo()
    };
    assert!(unsupported(locate(&with(aiff))).contains("big-endian"));
    let ac3 = Snd {
        compression: Some([6, 14, 43, 52, 4, 1, 1, 1, 4, 2, 2, 2, 3, 2, 1, 0]),
        ..Snd::stereo()
    };
    assert_eq!(locate(&with(ac3)), Err(NoAudio::Compressed("AC-3".into())));
    let uncompressed = Snd {
        compression: Some([6, 14, 43, 52, 4, 1, 1, 1, 4, 2, 2, 1, 0x7F, 0, 0, 0]),
        ..Snd::stereo()
    };
    assert!(locate(&with(uncompressed)).is_ok());
    let mpeg = Snd {
        number: [0x16, 1, 5, 0],
        ..Snd::stereo()
    };
    assert!(unsupported(locate(&with(mpeg))).contains("type 0x05"));
    let unnumbered = Snd {
        number: [0; 4],
        ..Snd::stereo()
    };
    assert!(unsupported(locate(&with(unnumbered))).contains("track number"));
    let fractional = Snd {
        rate: (48_000, 1001),
        ..Snd::stereo()
    };
    assert!(unsupported(locate(&with(fractional))).contains("48000/1001"));
    let wide = Snd {
        bits: 32,
        block_align: Some(10),
        ..Snd::stereo()
    };
    assert!(unsupported(locate(&with(wide))).contains("5 bytes"));
    let edited = Snd {
        clips: 2,
        ..Snd::stereo()
    };
    assert!(unsupported(locate(&with(edited))).contains("2 source clips"));
    let elsewhere = Snd {
        elsewhere: true,
        ..Snd::stereo()
    };
    assert!(unsupported(locate(&with(elsewhere))).contains("another file"));
    let picture = Snd {
        kind: 0x28,
        ..Snd::stereo()
    };
    assert!(unsupported(locate(&with(picture))).contains("descriptor"));
}

#[test]
fn descriptors_that_contradict_themselves_are_damaged() {
    let with = |s: Snd| op1a(&[s], 2, Wrap::Frame).0;
    let cases = [
        (
            Snd {
                channels: 0,
                ..Snd::stereo()
            },
            "channel count",
        ),
        (
            Snd {
                rate: (0, 1),
                ..Snd::stereo()
            },
            "sampling rate",
        ),
        (
            Snd {
                bits: 0,
                ..Snd::stereo()
            },
            "quantization",
        ),
        (
            Snd {
                block_align: Some(5),
                ..Snd::stereo()
            },
            "block align of 5",
        ),
        (
            Snd {
                bits: 32,
                ..Snd::stereo()
            },
            "32-bit samples in 3-byte",
        ),
        (
            Snd {
                per_frame: 12_001,
                ..Snd::stereo()
            },
            "whole number",
        ),
    ];
    for (s, what) in cases {
        let why = damaged(locate(&with(s)));
        assert!(why.contains(what), "{what}: {why}");
    }
}

#[test]
fn no_sound_no_samples_and_encrypted_essence() {
    let (file, _) = op1a(&[], 2, Wrap::Frame);
    assert_eq!(locate(&file), Err(NoAudio::NoSoundTrack));
    let (file, _) = op1a(&[Snd::stereo()], 0, Wrap::Frame);
    assert_eq!(locate(&file), Err(NoAudio::Empty));
    // The sound wrapped in encrypted triplets: no plain element is left.
    let (file, _) = op1a(&[Snd::stereo()], 2, Wrap::Frame);
    let key = [6, 14, 43, 52, 1, 2, 1, 1, 13, 1, 3, 1, 0x16, 1, 3, 0u8];
    let encrypted = [6, 14, 43, 52, 2, 4, 1, 7, 13, 1, 3, 1, 2, 0x7E, 1, 0u8];
    let mut hidden = file.clone();
    for at in (0..file.len() - 16).filter(|&i| file[i..i + 16] == key) {
        hidden[at..at + 16].copy_from_slice(&encrypted);
    }
    assert_eq!(
        locate(&hidden),
        Err(NoAudio::Unsupported("encrypted".into()))
    );
}

#[test]
fn the_walk_is_capped() {
    let (file, _) = op1a(&[Snd::stereo()], 6, Wrap::Frame);
    let len = file.len() as u64;
    let number = Snd::stereo().number;
    let mut cur = Cursor::new(&file[..]);
    let mut src = Source::new(&mut cur, len);
    assert_eq!(walk_within(&mut src, number, 6, MAX_WALK).unwrap().len(), 6);
    let mut src = Source::new(&mut cur, len);
    assert!(matches!(
        walk_within(&mut src, number, 5, MAX_WALK),
        Err(NoAudio::TooLarge(_))
    ));
    let mut src = Source::new(&mut cur, len);
    assert!(matches!(
        walk_within(&mut src, number, MAX_CHUNKS, 20),
        Err(NoAudio::TooLarge(_))
    ));
}

#[test]
fn a_lying_length_or_a_cut_file_is_damaged() {
    let (file, _) = op1a(&[Snd::stereo()], 3, Wrap::Frame);
    // The first picture element claims one byte more than it holds.
    let picture = file
        .windows(16)
        .position(|w| w[12..16] == [0x15, 1, 5, 0] && w[..4] == SMPTE)
        .unwrap();
    let mut lying = file.clone();
    lying[picture + 19] += 1;
    assert!(damaged(locate(&lying)).contains("no KLV key"));
    // Cut inside the last sound element before the footer.
    let footer = file
        .windows(14)
        .rposition(|w| w[..13] == PARTITION_PREFIX && w[13] == 4)
        .unwrap();
    assert!(damaged(locate(&file[..footer - 200])).contains("truncated"));
    // A sound element's length far past the end.
    let mut long = file.clone();
    let last = file[..footer]
        .windows(16)
        .rposition(|w| w[..4] == SMPTE && w[12..16] == Snd::stereo().number)
        .unwrap();
    long[last + 17..last + 20].copy_from_slice(&[0xFF, 0xFF, 0xFF]);
    assert!(damaged(locate(&long)).contains("truncated"));
}

#[test]
fn every_cut_and_garbled_byte_ends_in_a_reason() {
    let (file, _) = op1a(&[Snd::mono(0, 2), Snd::mono(1, 2)], 2, Wrap::Frame);
    let (clip, _) = op1a(&[Snd::stereo()], 2, Wrap::Clip);
    for f in [&file, &clip] {
        for cut in 0..f.len() {
            // Any outcome but a panic: a reason, or sound read whole.
            let _ = locate(&f[..cut]);
        }
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        for _ in 0..3000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut g = f.clone();
            let at = (x % g.len() as u64) as usize;
            g[at] = (x >> 32) as u8;
            if let Ok(a) = locate(&g) {
                // Whatever was located lies inside the file.
                assert!(a.ranges.iter().all(|r| r.end() <= g.len() as u64));
                assert_eq!(a.data_bytes() % u64::from(a.block_align()), 0);
            }
        }
    }
}

#[test]
fn a_partition_after_the_footer_is_not_walked() {
    let s = Snd::stereo();
    let (mut file, want) = op1a(std::slice::from_ref(&s), 2, Wrap::Frame);
    // A body partition and an element after the footer are not essence.
    file.extend(partition(3, 4));
    file.extend(klv(
        &[
            &[6u8, 14, 43, 52, 1, 2, 1, 1, 13, 1, 3, 1][..],
            &s.number[..],
        ]
        .concat(),
        &[1; 6],
    ));
    let a = locate(&file).unwrap();
    assert!(pulled(&file, &a) == want[0]);
    assert_eq!(a.frames, 4000);
}

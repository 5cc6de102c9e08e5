//! A movie's PCM sound located by `probe::mov::audio` and pulled out both
//! ways, by `stream::extract::Extract` fed the whole file in blocks and by
//! `stream::range_reader::RangeReader` seeking: byte-identical to what
//! `ffmpeg` decodes, for every PCM codec ffmpeg writes into QuickTime
//! (`sowt`, `twos`, `in24`/`in32`/`fl32`/`fl64` with and without `enda`,
//! `raw `, and `lpcm` above 65,535 Hz). AAC, no sound and two mono tracks
//! give their reasons.

#![allow(clippy::unwrap_used)]

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::process::Command;

use mnepack::probe::mov::audio::{MovieAudio, NoAudio, movie_audio_path};
use mnepack::progress::Cancel;
use mnepack::stream::extract::Extract;
use mnepack::stream::range_reader::RangeReader;
use mnepack::stream::{Sink, stream_with_block};

use crate::common::have_tool;

const PICTURE: &str = "testsrc=size=320x180:rate=24000/1001";

fn ffmpeg(args: &[&str]) -> Vec<u8> {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ffmpeg {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A 3 s ProRes movie at `path` with a 440 Hz sine at `rate` in `codec`
/// (`more` goes before the output: mapping, filters, flags).
fn make(path: &Path, codec: &str, rate: u32, more: &[&str]) {
    let sine = format!("sine=f=440:r={rate}");
    let mut args = vec!["-f", "lavfi", "-i", PICTURE, "-f", "lavfi", "-i", &sine];
    args.extend_from_slice(more);
    args.extend_from_slice(&["-c:v", "prores_ks", "-profile:v", "0", "-c:a", codec]);
    args.extend_from_slice(&["-t", "3", path.to_str().unwrap()]);
    ffmpeg(&args);
}

#[derive(Default)]
struct Collect(Vec<u8>);
impl Sink for Collect {
    fn consume(&mut self, block: &[u8]) -> io::Result<()> {
        self.0.extend_from_slice(block);
        Ok(())
    }
}

/// The sound through [`Extract`], the file streamed in `block`-byte blocks.
fn extracted(path: &Path, a: &MovieAudio, block: usize) -> Vec<u8> {
    let len = std::fs::metadata(path).unwrap().len();
    let mut e = Extract::for_movie(a, Collect::default());
    let mut f = File::open(path).unwrap();
    stream_with_block(
        &mut f,
        len,
        &mut [&mut e],
        &Cancel::new(),
        &mut |_| {},
        block,
    )
    .unwrap();
    assert!(e.is_complete());
    e.into_inner().0
}

/// The sound through [`RangeReader`].
fn seeked(path: &Path, a: &MovieAudio) -> Vec<u8> {
    let mut out = Vec::new();
    RangeReader::for_movie(File::open(path).unwrap(), a)
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// One codec: what ffmpeg is asked for and what the movie should say.
struct Case {
    codec: &'static str,
    rate: u32,
    channels: u16,
    /// ffmpeg's raw output format of the same samples in the WAV convention.
    raw: &'static str,
    fourcc: [u8; 4],
    bits: u16,
    float: bool,
    big_endian: bool,
}

const fn case(
    codec: &'static str,
    raw: &'static str,
    fourcc: [u8; 4],
    bits: u16,
    float: bool,
    big_endian: bool,
) -> Case {
    Case {
        codec,
        rate: 48_000,
        channels: 1,
        raw,
        fourcc,
        bits,
        float,
        big_endian,
    }
}

const CASES: &[Case] = &[
    case("pcm_s16le", "s16le", *b"sowt", 16, false, false),
    case("pcm_s16be", "s16le", *b"twos", 16, false, true),
    case("pcm_s24le", "s24le", *b"in24", 24, false, false),
    case("pcm_s24be", "s24le", *b"in24", 24, false, true),
    case("pcm_s32le", "s32le", *b"in32", 32, false, false),
    case("pcm_s32be", "s32le", *b"in32", 32, false, true),
    case("pcm_f32le", "f32le", *b"fl32", 32, true, false),
    case("pcm_f32be", "f32le", *b"fl32", 32, true, true),
    case("pcm_f64le", "f64le", *b"fl64", 64, true, false),
    case("pcm_u8", "u8", *b"raw ", 8, false, false),
    // ffmpeg stores signed 8-bit as 8-bit `sowt`; it comes out unsigned.
    case("pcm_s8", "u8", *b"sowt", 8, false, false),
    // Above 65,535 Hz ffmpeg writes a version 2 `lpcm` description.
    Case {
        rate: 96_000,
        ..case("pcm_s24le", "s24le", *b"lpcm", 24, false, false)
    },
    Case {
        channels: 6,
        ..case("pcm_s24le", "s24le", *b"in24", 24, false, false)
    },
];

fn check(dir: &Path, c: &Case, more: &[&str]) {
    let path = dir.join(format!("{}_{}_{}.mov", c.codec, c.rate, c.channels));
    make(&path, c.codec, c.rate, more);
    let what = format!("{} at {} Hz, {} ch", c.codec, c.rate, c.channels);
    let a = movie_audio_path(&path).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(a.fourcc, c.fourcc, "{what}");
    assert_eq!(
        (a.channels, a.sample_rate, a.bits, a.float, a.big_endian),
        (c.channels, c.rate, c.bits, c.float, c.big_endian),
        "{what}"
    );
    assert_eq!(a.frames, u64::from(c.rate) * 3, "{what}");
    assert_eq!(a.media_start, 0, "{what}");
    let p = path.to_str().unwrap();
    let want = ffmpeg(&["-i", p, "-map", "0:a", "-f", c.raw, "-"]);
    assert_eq!(want.len() as u64, a.frames * u64::from(a.block_align()));
    let seek = seeked(&path, &a);
    assert!(seek == want, "{what}: the range reader differs from ffmpeg");
    for block in [4 << 20, 65_537] {
        let e = extracted(&path, &a, block);
        assert!(
            e == want,
            "{what}: the sink (blocks of {block}) differs from ffmpeg"
        );
    }
}

#[test]
fn every_pcm_codec_matches_ffmpeg() {
    if !have_tool("ffmpeg", "every_pcm_codec_matches_ffmpeg") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let six = "[1:a]pan=5.1|c0=c0|c1=0.5*c0|c2=0.25*c0|c3=0.1*c0|c4=-0.7*c0|c5=0.3*c0[a]";
    for c in CASES {
        if c.channels == 6 {
            check(
                dir.path(),
                c,
                &["-filter_complex", six, "-map", "0:v", "-map", "[a]"],
            );
        } else {
            check(dir.path(), c, &[]);
        }
    }
}

#[test]
fn faststart_movie_matches_ffmpeg() {
    if !have_tool("ffmpeg", "faststart_movie_matches_ffmpeg") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let c = case("pcm_s24le", "s24le", *b"in24", 24, false, false);
    check(dir.path(), &c, &["-movflags", "+faststart"]);
}

#[test]
fn aac_silent_and_mono_track_movies_say_why() {
    if !have_tool("ffmpeg", "aac_silent_and_mono_track_movies_say_why") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let aac = dir.path().join("aac.mov");
    make(&aac, "aac", 48_000, &[]);
    let e = movie_audio_path(&aac).unwrap_err();
    assert_eq!(e, NoAudio::Compressed("AAC".into()));
    let silent = dir.path().join("silent.mov");
    make(&silent, "pcm_s24le", 48_000, &["-map", "0:v"]);
    assert_eq!(movie_audio_path(&silent), Err(NoAudio::NoSoundTrack));
    let mono = dir.path().join("mono.mov");
    make(
        &mono,
        "pcm_s24le",
        48_000,
        &["-map", "0:v", "-map", "1:a", "-map", "1:a"],
    );
    assert_eq!(movie_audio_path(&mono), Err(NoAudio::MonoTracks(2)));
    let e = movie_audio_path(&dir.path().join("none.mov")).unwrap_err();
    assert!(matches!(e, NoAudio::Unreadable(_)), "{e}");
}

//! A movie's PCM sound located by `probe::movie_audio_path` and pulled out
//! both ways, by `stream::extract::Extract` fed the whole file in blocks and
//! by `stream::range_reader::RangeReader` seeking: byte-identical to what
//! `ffmpeg` decodes, for every PCM codec ffmpeg writes into QuickTime
//! (`sowt`, `twos`, `in24`/`in32`/`fl32`/`fl64` with and without `enda`,
//! `raw `, and `lpcm` above 65,535 Hz) and every PCM layout ffmpeg writes
//! into MXF (OP1a frame-wrapped AES3 16- and 24-bit, mono to 5.1, at 24,
//! 23.976, 25 and, in the committed fixture, 29.97 fps, to a file or a
//! pipe; OP-Atom clip-wrapped BWF). AAC, D-10
//! sound, no sound and two mono tracks give their reasons.

#![allow(clippy::unwrap_used)]

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::process::Command;

use mnepack::probe::movie_audio_path;
use mnepack::probe::sound::{MovieAudio, NoAudio};
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
    make_with(
        path,
        PICTURE,
        &["-c:v", "prores_ks", "-profile:v", "0"],
        codec,
        rate,
        more,
    );
}

/// A 3 s movie at `path` of `picture` coded by `video`, with a 440 Hz sine
/// at `rate` in `codec` (`more` goes before the output).
fn make_with(path: &Path, picture: &str, video: &[&str], codec: &str, rate: u32, more: &[&str]) {
    let sine = format!("sine=f=440:r={rate}");
    let mut args = vec!["-f", "lavfi", "-i", picture, "-f", "lavfi", "-i", &sine];
    args.extend_from_slice(more);
    args.extend_from_slice(video);
    args.extend_from_slice(&["-c:a", codec, "-t", "3", path.to_str().unwrap()]);
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
    let a = matches_ffmpeg(&path, c);
    assert_eq!(a.frames, u64::from(c.rate) * 3, "{}", path.display());
}

/// The sound of `path` located as `c` says and pulled out both ways equals
/// ffmpeg's decode of it (not silence); what was located.
fn matches_ffmpeg(path: &Path, c: &Case) -> MovieAudio {
    let what = format!(
        "{}: {} at {} Hz, {} ch",
        path.display(),
        c.codec,
        c.rate,
        c.channels
    );
    let a = movie_audio_path(path).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(a.fourcc, c.fourcc, "{what}");
    assert_eq!(
        (a.channels, a.sample_rate, a.bits, a.float, a.big_endian),
        (c.channels, c.rate, c.bits, c.float, c.big_endian),
        "{what}"
    );
    assert_eq!(a.media_start, 0, "{what}");
    let p = path.to_str().unwrap();
    let want = ffmpeg(&["-i", p, "-map", "0:a", "-f", c.raw, "-"]);
    assert_eq!(want.len() as u64, a.frames * u64::from(a.block_align()));
    assert!(
        want.iter().any(|&b| b != 0),
        "{what}: ffmpeg decoded silence"
    );
    let seek = seeked(path, &a);
    assert!(seek == want, "{what}: the range reader differs from ffmpeg");
    for block in [4 << 20, 65_537] {
        let e = extracted(path, &a, block);
        assert!(
            e == want,
            "{what}: the sink (blocks of {block}) differs from ffmpeg"
        );
    }
    a
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

/// A small MPEG-2 picture: ffmpeg 5.1's MXF muxer takes it at any size
/// (its ProRes needs the `prores` encoder; DNxHD needs 1080 lines).
const MXF_VIDEO: [&str; 2] = ["-c:v", "mpeg2video"];

/// A 3 s MXF OP1a movie at `path` (`rate` fps picture) with the sine in
/// `codec` (`more` goes before the output: mapping, filters, format).
fn make_mxf(path: &Path, rate: &str, codec: &str, more: &[&str]) {
    let picture = format!("testsrc=size=320x240:rate={rate}");
    make_with(path, &picture, &MXF_VIDEO, codec, 48_000, more);
}

#[test]
fn every_pcm_layout_ffmpeg_writes_into_mxf_matches_ffmpeg() {
    let test = "every_pcm_layout_ffmpeg_writes_into_mxf_matches_ffmpeg";
    if !have_tool("ffmpeg", test) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let six = "[1:a]pan=5.1|c0=c0|c1=0.5*c0|c2=0.25*c0|c3=0.1*c0|c4=-0.7*c0|c5=0.3*c0[a]";
    let two = "[1:a]pan=stereo|c0=c0|c1=-0.5*c0[a]";
    let aes3 = |codec, raw, bits, channels| Case {
        channels,
        ..case(codec, raw, *b"aes3", bits, false, false)
    };
    let cases: [(&str, &str, Case, Option<&str>); 5] = [
        (
            "24",
            "s24_stereo.mxf",
            aes3("pcm_s24le", "s24le", 24, 2),
            Some(two),
        ),
        (
            "24",
            "s24_51.mxf",
            aes3("pcm_s24le", "s24le", 24, 6),
            Some(six),
        ),
        (
            "24",
            "s16_mono.mxf",
            aes3("pcm_s16le", "s16le", 16, 1),
            None,
        ),
        (
            "24000/1001",
            "s24_2398.mxf",
            aes3("pcm_s24le", "s24le", 24, 2),
            Some(two),
        ),
        (
            "25",
            "s16_stereo_25.mxf",
            aes3("pcm_s16le", "s16le", 16, 2),
            Some(two),
        ),
    ];
    for (rate, name, c, filter) in &cases {
        let path = dir.path().join(name);
        match filter {
            Some(f) => make_mxf(
                &path,
                rate,
                c.codec,
                &["-filter_complex", f, "-map", "0:v", "-map", "[a]"],
            ),
            None => make_mxf(&path, rate, c.codec, &["-map", "0:v", "-map", "1:a"]),
        }
        let a = matches_ffmpeg(&path, c);
        // Frame-wrapped: one element per picture frame, never merged.
        assert!(a.ranges.len() >= 70, "{name}: {} ranges", a.ranges.len());
        assert!(a.frames >= 3 * 48_000 - 2002, "{name}: {} frames", a.frames);
    }
}

#[test]
fn the_committed_29_97_mxf_fixture_matches_ffmpeg() {
    let test = "the_committed_29_97_mxf_fixture_matches_ffmpeg";
    if !have_tool("ffmpeg", test) {
        return;
    }
    // tests/fixtures/README.md: DNxHR LB at 30000/1001, one 24-bit PCM
    // track of 0.2 s, edit units of 1602 and 1601 samples.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ref_dnxhr_2997df.mxf");
    let c = Case {
        channels: 1,
        ..case("pcm_s24le", "s24le", *b"aes3", 24, false, false)
    };
    let a = matches_ffmpeg(&path, &c);
    let lens: Vec<u64> = a.ranges.iter().map(|r| r.len / 3).collect();
    assert_eq!(lens, [1602, 1601], "{:?}", a.ranges);
}

#[test]
fn an_mxf_written_to_a_pipe_and_an_op_atom_sound_file_match_ffmpeg() {
    let test = "an_mxf_written_to_a_pipe_and_an_op_atom_sound_file_match_ffmpeg";
    if !have_tool("ffmpeg", test) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // To a pipe: the header partition is never rewritten (open, incomplete).
    let piped = dir.path().join("piped.mxf");
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(["-f", "lavfi", "-i", "testsrc=size=320x240:rate=24"])
        .args(["-f", "lavfi", "-i", "sine=f=440:r=48000"])
        .args(["-map", "0:v", "-map", "1:a", "-c:v", "mpeg2video"])
        .args(["-c:a", "pcm_s24le", "-t", "3", "-f", "mxf", "-"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::write(&piped, &out.stdout).unwrap();
    let c = Case {
        channels: 1,
        ..case("pcm_s24le", "s24le", *b"aes3", 24, false, false)
    };
    matches_ffmpeg(&piped, &c);
    // OP-Atom holds one stream; its sound is one clip-wrapped BWF element
    // (the probe refuses the file as a movie: it has no picture).
    let atom = dir.path().join("atom.mxf");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "sine=f=440:r=48000",
        "-c:a",
        "pcm_s24le",
        "-t",
        "3",
        "-f",
        "mxf_opatom",
        atom.to_str().unwrap(),
    ]);
    let c = Case {
        channels: 1,
        ..case("pcm_s24le", "s24le", *b"bwf ", 24, false, false)
    };
    let a = matches_ffmpeg(&atom, &c);
    assert_eq!(a.ranges.len(), 1);
    assert_eq!(a.frames, 3 * 48_000);
}

#[test]
fn mxf_movies_whose_sound_is_not_read_say_why() {
    let test = "mxf_movies_whose_sound_is_not_read_say_why";
    if !have_tool("ffmpeg", test) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mono = dir.path().join("mono.mxf");
    make_mxf(
        &mono,
        "24",
        "pcm_s24le",
        &["-map", "0:v", "-map", "1:a", "-map", "1:a"],
    );
    assert_eq!(movie_audio_path(&mono), Err(NoAudio::MonoTracks(2)));
    let silent = dir.path().join("silent.mxf");
    make_mxf(&silent, "24", "pcm_s24le", &["-map", "0:v"]);
    assert_eq!(movie_audio_path(&silent), Err(NoAudio::NoSoundTrack));
    // D-10 (IMX 50): AES3 elements of 8 channels of 32-bit subframes.
    let d10 = dir.path().join("d10.mxf");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=720x608:rate=25",
        "-f",
        "lavfi",
        "-i",
        "sine=f=440:r=48000",
        "-map",
        "0:v",
        "-map",
        "1:a",
        "-c:v",
        "mpeg2video",
        "-g",
        "1",
        "-flags",
        "+ildct+ilme",
        "-pix_fmt",
        "yuv422p",
        "-minrate",
        "50M",
        "-maxrate",
        "50M",
        "-b:v",
        "50M",
        "-bufsize",
        "2000000",
        "-rc_init_occupancy",
        "2000000",
        "-intra_vlc",
        "1",
        "-non_linear_quant",
        "1",
        "-qmax",
        "28",
        "-dc",
        "10",
        "-c:a",
        "pcm_s16le",
        "-t",
        "1",
        "-f",
        "mxf_d10",
        d10.to_str().unwrap(),
    ]);
    match movie_audio_path(&d10) {
        Err(NoAudio::Unsupported(why)) => assert!(why.contains("D-10"), "{why}"),
        other => panic!("D-10 sound: {other:?}"),
    }
}

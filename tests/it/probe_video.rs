//! Reference video probing: the committed fixtures (tests/fixtures, see its
//! README for how each was made) checked against the values they were made
//! with, cross-checked against `ffprobe` when it is installed, plus movies
//! made at test time by `ffmpeg` (faststart, DNxHD 1080) and property tests
//! that random or mutated bytes never panic and finish quickly.

#![allow(clippy::unwrap_used)]

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use mnepack::probe::{Container, Media, VideoInfo, probe_path, probe_reader};
use proptest::prelude::*;

use crate::common::have_tool;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn video(path: &Path) -> VideoInfo {
    match probe_path(path).unwrap().media {
        Media::Video(v) => v,
        Media::Audio(_) => panic!("{} probed as audio", path.display()),
    }
}

/// What each fixture was made with (tests/fixtures/README.md).
struct Made {
    file: &'static str,
    container: Container,
    codec: &'static str,
    size: (u32, u32),
    rate: (u32, u32),
    frames: u64,
    tc: &'static str,
    tc_frames: u64,
    audio: u32,
}

const MADE: [Made; 5] = [
    Made {
        file: "ref_23976.mov",
        container: Container::QuickTime,
        codec: "Apple ProRes 422 Proxy",
        size: (96, 54),
        rate: (24000, 1001),
        frames: 48,
        tc: "00:59:56:00",
        tc_frames: 86_304,
        audio: 1,
    },
    Made {
        file: "ref_2997df.mov",
        container: Container::QuickTime,
        codec: "Apple ProRes 422 HQ",
        size: (96, 54),
        rate: (30000, 1001),
        frames: 12,
        tc: "01:00:00;00",
        tc_frames: 107_892,
        audio: 0,
    },
    Made {
        file: "ref_25.mov",
        container: Container::QuickTime,
        codec: "Apple ProRes 422",
        size: (96, 54),
        rate: (25, 1),
        frames: 12,
        tc: "10:00:00:00",
        tc_frames: 900_000,
        audio: 0,
    },
    Made {
        file: "ref_prores_24.mxf",
        container: Container::Mxf,
        codec: "Apple ProRes 422",
        size: (96, 54),
        rate: (24, 1),
        frames: 2,
        tc: "01:00:00:00",
        tc_frames: 86_400,
        audio: 0,
    },
    Made {
        file: "ref_dnxhr_2997df.mxf",
        container: Container::Mxf,
        codec: "Avid DNxHR LB",
        size: (256, 144),
        rate: (30000, 1001),
        frames: 2,
        tc: "01:00:00;00",
        tc_frames: 107_892,
        audio: 1,
    },
];

#[test]
fn fixtures_match_how_they_were_made() {
    for m in &MADE {
        let v = video(&fixture(m.file));
        let f = m.file;
        assert_eq!(v.container, m.container, "{f}");
        assert!(v.details_read, "{f}");
        assert_eq!(v.codec_name.as_deref(), Some(m.codec), "{f}");
        assert_eq!((v.width, v.height), (Some(m.size.0), Some(m.size.1)), "{f}");
        assert_eq!(
            (v.frame_rate_num, v.frame_rate_den),
            (Some(m.rate.0), Some(m.rate.1)),
            "{f}"
        );
        assert_eq!(v.duration_frames, Some(m.frames), "{f}");
        let secs = m.frames as f64 * f64::from(m.rate.1) / f64::from(m.rate.0);
        let got = v.duration_seconds.unwrap();
        assert!((got - secs).abs() < 0.05, "{f}: {got} s, made {secs} s");
        assert_eq!(v.start_timecode.as_deref(), Some(m.tc), "{f}");
        assert_eq!(v.start_frames, Some(m.tc_frames), "{f}");
        assert_eq!(v.drop_frame, m.tc.contains(';'), "{f}");
        assert_eq!(v.audio_tracks, m.audio, "{f}");
        assert!(v.notes.is_empty(), "{f}: {:?}", v.notes);
    }
}

#[test]
fn mov_fourccs_are_as_stored() {
    let fourccs: Vec<Option<String>> = ["ref_23976.mov", "ref_2997df.mov", "ref_25.mov"]
        .iter()
        .map(|f| video(&fixture(f)).codec_fourcc)
        .collect();
    assert_eq!(
        fourccs,
        [
            Some("apco".into()),
            Some("apch".into()),
            Some("apcn".into())
        ]
    );
}

/// ffprobe's view of the first video stream: (stream json, format json).
fn ffprobe(path: &Path) -> (serde_json::Value, serde_json::Value) {
    let out = Command::new("ffprobe")
        .args(["-v", "error", "-count_frames", "-select_streams", "v:0"])
        .args(["-show_entries", "stream=codec_tag_string,r_frame_rate,width,height,nb_frames,nb_read_frames:stream_tags=timecode:format_tags=timecode"])
        .args(["-of", "json"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    (j["streams"][0].clone(), j["format"].clone())
}

#[test]
fn fixtures_agree_with_ffprobe() {
    if !have_tool("ffprobe", "fixtures_agree_with_ffprobe") {
        return;
    }
    for m in &MADE {
        let path = fixture(m.file);
        let v = video(&path);
        let (s, fmt) = ffprobe(&path);
        let f = m.file;
        let rate = format!(
            "{}/{}",
            v.frame_rate_num.unwrap(),
            v.frame_rate_den.unwrap()
        );
        assert_eq!(s["r_frame_rate"].as_str(), Some(rate.as_str()), "{f}");
        assert_eq!(s["width"].as_u64(), v.width.map(u64::from), "{f}");
        assert_eq!(s["height"].as_u64(), v.height.map(u64::from), "{f}");
        let read = s["nb_read_frames"].as_str().and_then(|n| n.parse().ok());
        assert_eq!(read, v.duration_frames, "{f}");
        let tc = s["tags"]["timecode"]
            .as_str()
            .or(fmt["tags"]["timecode"].as_str());
        assert_eq!(tc, v.start_timecode.as_deref(), "{f}");
        if m.container == Container::QuickTime {
            assert_eq!(
                s["codec_tag_string"].as_str(),
                v.codec_fourcc.as_deref(),
                "{f}"
            );
            let nb = s["nb_frames"].as_str().and_then(|n| n.parse().ok());
            assert_eq!(nb, v.duration_frames, "{f}");
        }
    }
}

fn ffmpeg(args: &[&str]) {
    let out = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn faststart_moov_before_mdat_reads_the_same() {
    if !have_tool("ffmpeg", "faststart_moov_before_mdat_reads_the_same") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fast.mov");
    let src = fixture("ref_23976.mov");
    ffmpeg(&[
        "-i",
        src.to_str().unwrap(),
        "-map",
        "0",
        "-c",
        "copy",
        "-movflags",
        "+faststart",
        out.to_str().unwrap(),
    ]);
    let bytes = std::fs::read(&out).unwrap();
    let moov = bytes.windows(4).position(|w| w == b"moov").unwrap();
    let mdat = bytes.windows(4).position(|w| w == b"mdat").unwrap();
    assert!(moov < mdat, "faststart should put moov first");
    let (a, b) = (video(&src), video(&out));
    assert_eq!(a.start_timecode, b.start_timecode);
    assert_eq!(a.duration_frames, b.duration_frames);
    assert_eq!(
        (a.frame_rate_num, a.frame_rate_den),
        (b.frame_rate_num, b.frame_rate_den)
    );
    assert_eq!(a.codec_fourcc, b.codec_fourcc);
    assert_eq!(a.audio_tracks, b.audio_tracks);
}

#[test]
fn dnxhd_1080_mxf_made_now() {
    if !have_tool("ffmpeg", "dnxhd_1080_mxf_made_now") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("dnxhd.mxf");
    ffmpeg(&[
        "-f",
        "lavfi",
        "-i",
        "color=black:size=1920x1080:rate=24000/1001",
        "-frames:v",
        "1",
        "-c:v",
        "dnxhd",
        "-b:v",
        "36M",
        "-pix_fmt",
        "yuv422p",
        "-timecode",
        "00:59:56:00",
        "-f",
        "mxf",
        out.to_str().unwrap(),
    ]);
    let v = video(&out);
    assert_eq!(v.codec_name.as_deref(), Some("Avid DNxHD"));
    assert_eq!((v.width, v.height), (Some(1920), Some(1080)));
    assert_eq!(
        (v.frame_rate_num, v.frame_rate_den),
        (Some(24000), Some(1001))
    );
    assert_eq!(v.start_timecode.as_deref(), Some("00:59:56:00"));
    assert_eq!(v.duration_frames, Some(1));
}

/// Probes `bytes` from memory; returns how long it took.
fn timed_probe(bytes: Vec<u8>) -> Duration {
    let t = Instant::now();
    let _ = probe_reader(&mut Cursor::new(bytes));
    t.elapsed()
}

fn fixture_bytes() -> Vec<Vec<u8>> {
    MADE.iter()
        .map(|m| std::fs::read(fixture(m.file)).unwrap())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_bytes_never_panic(
        head in prop_oneof![
            Just(b"\0\0\0\x18ftypqt  ".to_vec()),
            Just(vec![0x06, 0x0E, 0x2B, 0x34, 0x02, 0x05, 0x01, 0x01, 0x0D, 0x01, 0x02, 0x01, 0x01, 0x02, 0x04, 0x00]),
            Just(Vec::new()),
        ],
        tail in proptest::collection::vec(any::<u8>(), 0..2048),
    ) {
        let bytes = [head, tail].concat();
        prop_assert!(timed_probe(bytes) < Duration::from_secs(2));
    }

    #[test]
    fn mutated_fixtures_never_panic(
        which in 0usize..5,
        edits in proptest::collection::vec(
            (0u8..3, any::<prop::sample::Index>(), any::<u8>()),
            1..16,
        ),
        cut in any::<prop::sample::Index>(),
        do_cut in any::<bool>(),
    ) {
        let mut bytes = fixture_bytes().swap_remove(which);
        let len = bytes.len();
        // The headers sit in the first (MXF, ftyp) and last (moov) few
        // kilobytes; aim most edits there rather than at the essence.
        let window = len.min(8192);
        for (region, at, value) in edits {
            let i = match region {
                0 => at.index(window),
                1 => len - window + at.index(window),
                _ => at.index(len),
            };
            bytes[i] = value;
        }
        if do_cut {
            bytes.truncate(cut.index(len));
        }
        prop_assert!(timed_probe(bytes) < Duration::from_secs(2));
    }
}

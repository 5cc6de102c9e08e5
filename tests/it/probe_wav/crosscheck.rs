//! The reader and the generator against other tools: hound (plain RIFF and
//! its decoded samples), ffprobe and mediainfo (skipped when not installed).

use std::io::Cursor;
use std::path::Path;
use std::process::Command;

use mnepack::testmedia::{FmtKind, Signal, WavContainer, WavSpec, quantise, wav_bytes};

use super::{find, probe, variants};
use crate::common;

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

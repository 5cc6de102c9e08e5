//! `mnepack probe` of a 29.97 drop-frame movie and a WAV through the
//! binary: each start timecode comes with the rate it is counted at (the
//! movie's own, or the one `--fps` assumes for audio), the same in the
//! text blocks and in `--json`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use std::path::{Path, PathBuf};

use mnepack::probe::Bext;
use mnepack::testmedia::{WavSpec, wav_bytes};

use crate::common::mnepack;

fn movie() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ref_2997df.mov")
}

/// A mono WAV whose bext time reference is one hour at 48 kHz.
fn wav(dir: &Path) -> PathBuf {
    let mut spec = WavSpec::new(48_000, 24, 1, 4800);
    spec.bext = Some(Bext {
        time_reference: 3600 * 48_000,
        version: 1,
        ..Default::default()
    });
    let p = dir.join("guide.wav");
    std::fs::write(&p, wav_bytes(&spec).unwrap()).unwrap();
    p
}

fn probe(args: &[&str], files: &[&Path]) -> String {
    let out = mnepack()
        .arg("probe")
        .args(args)
        .args(files)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn probe_names_the_rate_of_each_start_timecode() {
    let tmp = tempfile::tempdir().unwrap();
    let (mov, wav) = (movie(), wav(tmp.path()));
    for (args, audio_fps, audio_tc) in [
        (&[][..], "24", "01:00:00:00"),
        (&["--fps", "25"][..], "25", "01:00:00:00"),
        (&["--fps", "29.97"][..], "29.97", "00:59:56:12"),
    ] {
        let json = probe(&[&["--json"][..], args].concat(), &[&mov, &wav]);
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        let (m, a) = (&v[0], &v[1]);
        // The movie: its own timecode at its own rate, whatever --fps says.
        assert_eq!(m["start_timecode"], "01:00:00;00", "{json}");
        assert_eq!(m["start_timecode_fps"], "29.97df", "{json}");
        assert_eq!(m["start_timecode_fps_source"], "movie", "{json}");
        // The WAV: its sample count at the rate --fps assumes.
        assert_eq!(a["start_timecode"], audio_tc, "{json}");
        assert_eq!(a["start_timecode_fps"], audio_fps, "{json}");
        assert_eq!(a["start_timecode_fps_source"], "--fps", "{json}");
        for item in [m, a] {
            assert!(item.get("fps").is_none(), "no bare `fps`: {json}");
        }
        // The text says the same.
        let text = probe(args, &[&mov, &wav]);
        assert!(
            text.contains("start TC      01:00:00;00 @ 29.97df (the movie's own rate)"),
            "{text}"
        );
        assert!(
            text.contains(&format!(
                "samples = start TC {audio_tc} @ {audio_fps} (assumed: --fps)"
            )),
            "{text}"
        );
    }
}

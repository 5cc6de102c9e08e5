//! Real speech for the conform corpus: dialogue lines and short vocal
//! sounds spoken by `espeak-ng` in several voices, resampled to 48 kHz by
//! `sox`, trimmed to their sound and held as floats. Made once per test
//! process ([`speech`]), since every session speaks the same lines.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

/// The external tools the speech needs.
pub const TOOLS: [&str; 2] = ["espeak-ng", "sox"];

/// Dialogue lines: voice, words (each 2-3 s at 150 words a minute).
const LINES: [(&str, &str); 10] = [
    ("en-us", "The night train leaves at midnight."),
    ("en-gb+f3", "Nobody on board knows the driver."),
    ("en-gb-scotland", "Then who sold you the ticket?"),
    ("en-us+f4", "She counts the stations, one by one."),
    ("en-us", "The lights went out at the bridge."),
    ("en-gb+f3", "Someone took the seat across from me."),
    ("en-gb-x-rp", "Keep your voice down, they can hear us."),
    ("en-us+f4", "We get off at the next station."),
    ("en-gb-scotland", "There is no next station, not tonight."),
    ("en-gb+f3", "Then we walk from here, in the dark."),
];

/// Vocal sounds that are not dialogue (efforts, breaths, a laugh), for the
/// optional VOX stem: one voice, different from the dialogue's.
const VOX: [&str; 5] = ["ah!", "hmm.", "ha ha!", "oh!", "huh?"];
const VOX_VOICE: &str = "en-us+m7";

/// Everything spoken, at 48 kHz, peak-normalised to 0.5 (levels are set by
/// the session).
#[derive(Debug)]
pub struct Speech {
    /// The dialogue lines, in order.
    pub lines: Vec<Vec<f32>>,
    /// The vocal sounds, in order.
    pub vox: Vec<Vec<f32>>,
}

/// The speech of this test process, spoken on first use (the caller has
/// made sure the tools are there: see [`super::session::tools_ready`]).
pub fn speech() -> &'static Speech {
    static SPEECH: OnceLock<Speech> = OnceLock::new();
    SPEECH.get_or_init(|| {
        let tmp = tempfile::tempdir().unwrap();
        let lines = LINES
            .iter()
            .enumerate()
            .map(|(i, (voice, words))| say(tmp.path(), &format!("line{i}"), voice, words))
            .collect();
        let vox = VOX
            .iter()
            .enumerate()
            .map(|(i, words)| say(tmp.path(), &format!("vox{i}"), VOX_VOICE, words))
            .collect();
        Speech { lines, vox }
    })
}

fn run(cmd: &mut Command) {
    let o = cmd.output().unwrap();
    assert!(
        o.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// `words` spoken by `voice`, 48 kHz, trimmed to its sound, peak 0.5.
fn say(dir: &Path, name: &str, voice: &str, words: &str) -> Vec<f32> {
    let raw = dir.join(format!("{name}_22k.wav"));
    let wav = dir.join(format!("{name}.wav"));
    run(Command::new("espeak-ng")
        .args(["-v", voice, "-s", "150", "-w"])
        .arg(&raw)
        .arg(words));
    run(Command::new("sox")
        .arg(&raw)
        .args(["-r", "48000", "-b", "16"])
        .arg(&wav));
    let mut r = hound::WavReader::open(&wav).unwrap();
    assert_eq!(r.spec().channels, 1, "{name}");
    let v: Vec<f32> = r
        .samples::<i16>()
        .map(|s| f32::from(s.unwrap()) / 32768.0)
        .collect();
    let peak = v.iter().fold(0f32, |m, x| m.max(x.abs()));
    assert!(
        peak > 0.05,
        "espeak-ng said nothing for {name}: peak {peak}"
    );
    // Trim to the first and last sample above -40 dB of the peak.
    let floor = peak * 0.01;
    let first = v.iter().position(|x| x.abs() > floor).unwrap();
    let last = v.iter().rposition(|x| x.abs() > floor).unwrap();
    v[first..=last].iter().map(|x| x * 0.5 / peak).collect()
}

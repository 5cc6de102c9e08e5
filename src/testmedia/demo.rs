//! `mnepack demo`: a small but realistic stage folder (a 5.1 M&E, two 5.1
//! optionals, a mono dialogue guide, a 5.1 print master, all 48 kHz/24-bit
//! Broadcast WAVs with a bext time reference and a 2-pop, plus a short
//! ProRes reference movie with a timecode track) and a job file for it.
//! Also the macOS debris a real hand-over carries (`._*`, `.DS_Store`),
//! which mnepack must never deliver.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::{FmtKind, Signal, WavSpec, write_wav};
use crate::probe::Bext;
use crate::timecode::{FrameRate, Timecode};

/// The embedded reference movie: 384 frames (16 s) of ProRes Proxy at
/// 23.976 starting 00:59:56:00 (see tests/fixtures/README.md).
pub const DEMO_REF_MOV: &[u8] = include_bytes!("../../tests/fixtures/demo_ref_23976.mov");

/// Frames of the embedded reference movie.
pub const DEMO_REF_FRAMES: u64 = 384;

/// The demo's start timecode (and the movie's).
pub const DEMO_START: &str = "00:59:56:00";

/// What `write_demo` made.
#[derive(Debug, Clone)]
pub struct DemoStage {
    /// The job file.
    pub job: PathBuf,
    /// Every media file written (sources of the job).
    pub media: Vec<PathBuf>,
}

/// One generated WAV of the demo: file name, channel signals.
struct DemoWav {
    name: &'static str,
    desc: &'static str,
    signals: Vec<Signal>,
}

fn rate() -> FrameRate {
    FrameRate::new(24000, 1001)
}

/// Music-like programme: a few partials plus noise, from `from` on.
fn programme(seed: u64, level: f64, from: u64) -> Signal {
    Signal::Sum(vec![
        Signal::Sine {
            hz: 110.0 * (1.0 + (seed % 3) as f64),
            dbfs: level - 4.0,
            phase: 0.3 * seed as f64,
        },
        Signal::Sine {
            hz: 440.0 + 10.0 * seed as f64,
            dbfs: level - 10.0,
            phase: 0.0,
        },
        Signal::Noise {
            seed,
            dbfs: level - 2.0,
        },
    ])
    .starting_at(from)
}

fn with_pop(signal: Signal, pop_at: u64) -> Signal {
    Signal::Sum(vec![Signal::pop2(pop_at, rate(), 48_000), signal])
}

/// The stems and the print master that is their sum (spec B5: PM = M&E +
/// optionals + dialogue, sample for sample up to the 24-bit rounding), so
/// the conform analysis finds the demo conformed. The guide is the
/// dialogue at -0.9 dB; the print master carries the dialogue in C.
fn demo_wavs(pop_at: u64, start: u64) -> Vec<DemoWav> {
    // L R C LFE Ls Rs; the surrounds and LFE a little lower.
    let trims = [0.0, 0.0, -2.0, -6.0, -5.0, -5.0];
    let stem = |seed: u64, level: f64| -> Vec<Signal> {
        trims
            .iter()
            .enumerate()
            .map(|(i, trim)| programme(seed + i as u64, level + trim, start))
            .collect()
    };
    let popped = |signals: Vec<Signal>| -> Vec<Signal> {
        signals.into_iter().map(|s| with_pop(s, pop_at)).collect()
    };
    let (me, efforts, walla) = (stem(1, -32.0), stem(20, -38.0), stem(30, -42.0));
    let dialogue_in_pm = programme(40, -31.6, start);
    let guide = programme(40, -32.5, start);
    let pm: Vec<Signal> = (0..trims.len())
        .map(|i| {
            let mut parts = vec![me[i].clone(), efforts[i].clone(), walla[i].clone()];
            if i == 2 {
                parts.push(dialogue_in_pm.clone());
            }
            Signal::Sum(parts)
        })
        .collect();
    vec![
        DemoWav {
            name: "NT_ME_51.wav",
            desc: "Night Train M&E 5.1",
            signals: popped(me),
        },
        DemoWav {
            name: "NT_OPT_efforts_51.wav",
            desc: "Night Train vocal efforts 5.1",
            signals: popped(efforts),
        },
        DemoWav {
            name: "NT_OPT_walla_51.wav",
            desc: "Night Train walla 5.1",
            signals: popped(walla),
        },
        DemoWav {
            name: "NT_DX_guide_mono.wav",
            desc: "Night Train dialogue guide",
            signals: popped(vec![guide]),
        },
        DemoWav {
            name: "NT_PM_51.wav",
            desc: "Night Train print master 5.1",
            signals: popped(pm),
        },
    ]
}

/// Writes the demo stage into `dir` (created; must be empty or missing):
/// `dir/stage/` with the media, and `dir/job.yaml` that packs them into
/// `dir/deliveries/`.
pub fn write_demo(dir: &Path) -> io::Result<DemoStage> {
    if dir.exists() && fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists and is not empty", dir.display()),
        ));
    }
    let stage = dir.join("stage");
    fs::create_dir_all(&stage)?;
    let r = rate();
    let spf = 2002; // samples per frame at 23.976 and 48 kHz
    let frames = DEMO_REF_FRAMES * spf;
    let tc0 = Timecode::parse(DEMO_START, r).map_or(0, |t| t.to_samples(48_000));
    let pop_at = 2 * 24 * spf; // 00:59:58:00, two seconds in
    let start = 4 * 24 * spf; // 01:00:00:00, first frame of action
    let mut media = Vec::new();
    for w in demo_wavs(pop_at, start) {
        let channels = u16::try_from(w.signals.len()).unwrap_or(1);
        let mut spec = WavSpec::new(48_000, 24, channels, frames);
        if channels == 6 {
            spec.format = FmtKind::Extensible {
                cb_size: 22,
                valid_bits: 24,
                channel_mask: 0x60F,
                float: false,
            };
        }
        spec.bext = Some(Bext {
            description: w.desc.to_string(),
            originator: "mnepack demo".to_string(),
            originator_reference: String::new(),
            origination_date: "2026-11-24".to_string(),
            origination_time: "18:00:00".to_string(),
            time_reference: tc0,
            version: 1,
        });
        spec.signal = w.signals;
        let path = stage.join(w.name);
        let mut out = BufWriter::new(File::create(&path)?);
        write_wav(&spec, &mut out)?;
        out.flush()?;
        media.push(path);
    }
    let mov = stage.join("NT_stage_ref_2398.mov");
    fs::write(&mov, DEMO_REF_MOV)?;
    media.push(mov);
    // What a Mac leaves behind; mnepack must never deliver these.
    fs::write(stage.join("._NT_ME_51.wav"), b"\x00\x05\x16\x07AppleDouble")?;
    fs::write(stage.join(".DS_Store"), b"\x00\x00\x00\x01Bud1")?;
    let job = dir.join("job.yaml");
    fs::write(&job, DEMO_JOB)?;
    Ok(DemoStage { job, media })
}

/// The demo's job file (relative paths resolve against its folder).
pub const DEMO_JOB: &str = "\
# mnepack job: what to deliver, and how to name it.
# Pack it with: mnepack pack job.yaml   (add --dry-run to see the plan first)
profile: netflix          # built-in profile (spec: Netflix M&E deliveries)
title: Night Train        # free text; becomes night_train in file names
unit: lp                  # s##e## (episode), r## (reel) or lp (long-play)
frame_rate: 23.976        # picture rate; checked against the reference video
language: en
output: deliveries        # the delivery root is made under this folder
sources:
  reference_video: stage/NT_stage_ref_2398.mov
  mne: stage/NT_ME_51.wav
  optionals:
    - {letter: A, desc: Efforts, file: stage/NT_OPT_efforts_51.wav}
    - {letter: B, desc: Walla, file: stage/NT_OPT_walla_51.wav}
  dialogue_guide: stage/NT_DX_guide_mono.wav
  print_master: stage/NT_PM_51.wav
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::{Media, probe_path};

    #[test]
    fn demo_media_probe_as_planned() {
        let dir = tempfile::tempdir().unwrap();
        let d = write_demo(&dir.path().join("demo")).unwrap();
        assert_eq!(d.media.len(), 6);
        for m in &d.media {
            match probe_path(m).unwrap().media {
                Media::Audio(a) => {
                    assert_eq!((a.sample_rate, a.bits), (48_000, 24));
                    assert_eq!(a.frames, DEMO_REF_FRAMES * 2002);
                    assert_eq!(a.time_reference(), 172_780_608);
                }
                Media::Video(v) => {
                    assert_eq!(v.duration_frames, Some(DEMO_REF_FRAMES));
                    assert_eq!(v.start_timecode.as_deref(), Some(DEMO_START));
                }
            }
        }
        assert!(
            write_demo(&dir.path().join("demo")).is_err(),
            "refuses a non-empty folder"
        );
    }
}

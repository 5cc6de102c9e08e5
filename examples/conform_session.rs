//! Writes a conformed session of any length for the conform benchmark: a
//! 5.1 M&E, a 5.1 optional A (efforts), a mono dialogue guide and a 5.1
//! print master that is exactly M&E + optional + dialogue (the dialogue in
//! C; the guide is the dialogue at -0.9 dB, as in `mnepack demo`), all
//! 48 kHz/24-bit Broadcast WAVs with a bext time reference of 01:00:00:00
//! at 23.976, plus a `job.yaml` that `mnepack check` accepts.
//!
//! The content has structure for the analysis to align: speech-like
//! phrases of syllables (harmonics of a pitch plus noise) with pauses and
//! longer silences, music cues that start and stop, effect hits over a
//! faint ambience, and efforts in the optional; every channel its own
//! noise, so channels are told apart. Each piece is a [`Signal::Window`];
//! pieces are laid out in fixed cells drawn from a seeded hash, so any block
//! of the programme is made on its own and memory stays flat whatever the
//! length. The headers are [`write_sparse`]'s; the samples are then written
//! into the `data` hole block by block (`--sparse` leaves the hole: every
//! sample zero, no disk used, for a memory test of a long programme).
//!
//! ```text
//! cargo run --release --example conform_session -- DIR [--minutes N] [--sparse]
//! ```

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use mnepack::probe::Bext;
use mnepack::testmedia::{FmtKind, Signal, WavContainer, WavSpec, quantise, write_sparse};
use mnepack::timecode::{FrameRate, Timecode};

const SR: u32 = 48_000;
/// Samples per 23.976 frame at 48 kHz.
const SPF: u64 = 2002;
/// Frames made and written at a time (100 ms).
const BLOCK: u64 = 4800;
/// L R C LFE Ls Rs: the surrounds and LFE a little lower.
const TRIMS: [f64; 6] = [0.0, 0.0, -2.0, -6.0, -5.0, -5.0];
/// The guide is the print master's dialogue at -0.9 dB.
const GUIDE_DB: f64 = -0.9;

/// Seconds in samples.
fn secs(s: f64) -> u64 {
    (s * f64::from(SR)).round() as u64
}

/// A deterministic stream of numbers for one cell of one layer.
struct Rng(u64);

impl Rng {
    fn new(layer: u64, channel: u64, cell: u64) -> Rng {
        Rng(layer.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            ^ channel.wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
            ^ cell.wrapping_mul(0x1656_67B1_9E37_79F9))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    }

    /// Uniform in `[lo, hi)`.
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.range(0.0, 1.0) < p
    }

    fn seed(&mut self) -> u64 {
        self.next()
    }
}

/// A sine that is zero at sample `from` (no step where its window opens).
fn sine_from(from: u64, hz: f64, dbfs: f64) -> Signal {
    let cycles = (from as f64 * hz / f64::from(SR)).fract();
    Signal::Sine {
        hz,
        dbfs,
        phase: -std::f64::consts::TAU * cycles,
    }
}

fn window(from: u64, to: u64, parts: Vec<Signal>) -> Signal {
    Signal::Window {
        from,
        to,
        signal: Box::new(Signal::Sum(parts)),
    }
}

/// One layer of the programme: pieces laid out in cells of `cell` samples,
/// each cell's pieces drawn from its own seed (no piece leaves its cell).
trait Layer {
    /// Cell length in samples.
    fn cell(&self) -> u64;
    /// The pieces of `cell` for `channel`, with their windows.
    fn pieces(&self, channel: u64, cell: u64, out: &mut Vec<Signal>);

    /// The pieces of `channel` that play in samples `[a, b)`.
    fn active(&self, channel: u64, a: u64, b: u64, out: &mut Vec<Signal>) {
        out.clear();
        let mut all = Vec::new();
        for cell in a / self.cell()..=(b - 1) / self.cell() {
            self.pieces(channel, cell, &mut all);
        }
        out.extend(all.into_iter().filter(|p| match p {
            Signal::Window { from, to, .. } => *from < b && *to > a,
            _ => true,
        }));
    }
}

/// Dialogue: in cells of 6 s, most with a phrase of 1.5-4 s made of
/// syllables (a pitch, two harmonics and breath noise) and short pauses.
struct Dialogue;

impl Layer for Dialogue {
    fn cell(&self) -> u64 {
        secs(6.0)
    }

    fn pieces(&self, _channel: u64, cell: u64, out: &mut Vec<Signal>) {
        let mut r = Rng::new(1, 0, cell);
        if !r.chance(0.8) {
            return;
        }
        let base = cell * self.cell();
        let mut at = base + secs(r.range(0.2, 1.5));
        let end = at + secs(r.range(1.5, 4.0));
        let f0 = r.range(95.0, 240.0);
        let level = r.range(-26.5, -23.5);
        while at < end {
            let len = secs(r.range(0.09, 0.32));
            let hz = f0 * r.range(0.88, 1.15);
            let db = level + r.range(-4.0, 0.0);
            out.push(window(
                at,
                at + len,
                vec![
                    sine_from(at, hz, db),
                    sine_from(at, 2.0 * hz, db - 6.0),
                    sine_from(at, 3.0 * hz, db - 11.0),
                    Signal::Noise {
                        seed: r.seed(),
                        dbfs: db - 10.0,
                    },
                ],
            ));
            let pause = if r.chance(0.15) {
                r.range(0.2, 0.45)
            } else {
                r.range(0.025, 0.12)
            };
            at += len + secs(pause);
        }
    }
}

/// Music: a cue in most 40 s cells, starting and stopping up to 10 s
/// inside it; per channel its own notes of the cue's chord and its own noise.
struct Music;

impl Layer for Music {
    fn cell(&self) -> u64 {
        secs(40.0)
    }

    fn pieces(&self, channel: u64, cell: u64, out: &mut Vec<Signal>) {
        let mut r = Rng::new(2, 0, cell);
        if !r.chance(0.7) {
            return;
        }
        let base = cell * self.cell();
        let from = base + secs(r.range(0.0, 10.0));
        let to = base + self.cell() - secs(r.range(0.0, 10.0));
        let root = [110.0, 123.47, 130.81, 146.83, 164.81, 174.61, 196.0][(r.next() % 7) as usize];
        // Each channel its own voicing of the chord.
        let ratios = [
            (1.0, 4.0),
            (1.5, 5.0),
            (1.25, 3.0),
            (0.5, 0.75),
            (2.0, 6.0),
            (2.5, 7.5),
        ];
        let c = channel as usize;
        let level = -32.5 + TRIMS[c];
        let mut n = Rng::new(2, channel + 1, cell);
        out.push(window(
            from,
            to,
            vec![
                sine_from(from, root * ratios[c].0, level - 4.0),
                sine_from(from, root * ratios[c].1, level - 10.0),
                Signal::Noise {
                    seed: n.seed(),
                    dbfs: level - 2.0,
                },
            ],
        ));
    }
}

/// Effects: a faint ambience always, and in half the 3 s cells a hit of
/// 40-700 ms, every channel on its own.
struct Effects;

impl Layer for Effects {
    fn cell(&self) -> u64 {
        secs(3.0)
    }

    fn pieces(&self, channel: u64, cell: u64, out: &mut Vec<Signal>) {
        let c = channel as usize;
        let base = cell * self.cell();
        out.push(window(
            base,
            base + self.cell(),
            vec![Signal::Noise {
                seed: 1000 + channel,
                dbfs: -56.5 + TRIMS[c],
            }],
        ));
        let mut r = Rng::new(3, channel, cell);
        if !r.chance(0.5) {
            return;
        }
        let from = base + secs(r.range(0.0, 2.2));
        let to = from + secs(r.range(0.04, 0.7));
        out.push(window(
            from,
            to,
            vec![Signal::Noise {
                seed: r.seed(),
                dbfs: -32.5 + TRIMS[c] + r.range(-6.0, 0.0),
            }],
        ));
    }
}

/// Efforts (optional A): in some 5 s cells, per channel, a grunt of
/// 150-900 ms (a pitch and noise); the LFE stays silent.
struct Efforts;

impl Layer for Efforts {
    fn cell(&self) -> u64 {
        secs(5.0)
    }

    fn pieces(&self, channel: u64, cell: u64, out: &mut Vec<Signal>) {
        let c = channel as usize;
        let mut r = Rng::new(4, channel, cell);
        if c == 3 || !r.chance(0.45) {
            return;
        }
        let base = cell * self.cell();
        let from = base + secs(r.range(0.0, 4.0));
        let to = from + secs(r.range(0.15, 0.9));
        let db = -32.5 + TRIMS[c];
        out.push(window(
            from,
            to,
            vec![
                sine_from(from, r.range(150.0, 400.0), db),
                Signal::Noise {
                    seed: r.seed(),
                    dbfs: db - 2.0,
                },
            ],
        ));
    }
}

/// One output file: its path, channel count, open handle and data offset.
struct Out {
    file: File,
    channels: usize,
    data_offset: u64,
    buf: Vec<u8>,
}

impl Out {
    fn create(
        path: &Path,
        channels: u16,
        frames: u64,
        desc: &str,
        tc0: u64,
        sparse: bool,
    ) -> io::Result<Out> {
        let mut spec = WavSpec::new(SR, 24, channels, frames);
        if frames * u64::from(channels) * 3 > u64::from(u32::MAX) - (1 << 16) {
            spec.container = WavContainer::Rf64;
        }
        if channels == 6 {
            spec.format = FmtKind::Extensible {
                cb_size: 22,
                valid_bits: 24,
                channel_mask: 0x60F,
                float: false,
            };
        }
        spec.bext = Some(Bext {
            description: desc.to_string(),
            originator: "mnepack conform_session".to_string(),
            originator_reference: String::new(),
            origination_date: "2026-11-25".to_string(),
            origination_time: "18:00:00".to_string(),
            time_reference: tc0,
            version: 1,
        });
        let layout = write_sparse(path, &spec)?;
        let file = if sparse {
            File::open(path)?
        } else {
            OpenOptions::new().write(true).open(path)?
        };
        Ok(Out {
            file,
            channels: usize::from(channels),
            data_offset: layout.data_offset,
            buf: Vec::with_capacity(BLOCK as usize * usize::from(channels) * 3),
        })
    }

    fn push(&mut self, v: f64) {
        self.buf
            .extend_from_slice(&quantise(v, 24).to_le_bytes()[..3]);
    }

    /// Writes the block of frames starting at `frame` and empties the buffer.
    fn flush(&mut self, frame: u64) -> io::Result<()> {
        let at = self.data_offset + frame * self.channels as u64 * 3;
        self.file.write_all_at(&self.buf, at)?;
        self.buf.clear();
        Ok(())
    }
}

fn sum(pieces: &[Signal], n: u64) -> f64 {
    pieces.iter().map(|p| p.sample(n, SR)).sum()
}

struct Args {
    dir: PathBuf,
    minutes: f64,
    sparse: bool,
}

fn args() -> Result<Args, String> {
    let mut dir = None;
    let mut minutes = 2.0;
    let mut sparse = false;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        match a.as_str() {
            "--minutes" => {
                minutes = it
                    .next()
                    .and_then(|m| m.parse().ok())
                    .filter(|m: &f64| *m > 0.0)
                    .ok_or("--minutes needs a positive number")?;
            }
            "--sparse" => sparse = true,
            _ if dir.is_none() && !a.starts_with('-') => dir = Some(PathBuf::from(a)),
            _ => return Err(format!("unexpected argument {a}")),
        }
    }
    Ok(Args {
        dir: dir.ok_or("no folder given")?,
        minutes,
        sparse,
    })
}

const JOB: &str = "\
# mnepack job of a generated conformed session (examples/conform_session.rs)
profile: netflix
title: Conform Bench
unit: lp
frame_rate: 23.976
language: en
date: 2026-11-25
output: deliveries
sources:
  mne: stage/CB_ME_51.wav
  optionals:
    - {letter: A, desc: Efforts, file: stage/CB_OPT_efforts_51.wav}
  dialogue_guide: stage/CB_DX_guide_mono.wav
  print_master: stage/CB_PM_51.wav
";

/// Writes every sample of the four files, block by block: the print master
/// is the sum of what goes into the M&E, the optional and the dialogue.
fn write_samples(frames: u64, files: &mut [Out; 4]) -> io::Result<()> {
    let [me, opt, guide, pm] = files;
    let guide_gain = 10f64.powf(GUIDE_DB / 20.0);
    let mut dx = Vec::new();
    let mut music: [Vec<Signal>; 6] = Default::default();
    let mut fx: [Vec<Signal>; 6] = Default::default();
    let mut eff: [Vec<Signal>; 6] = Default::default();
    let mut start = 0;
    while start < frames {
        let end = (start + BLOCK).min(frames);
        Dialogue.active(0, start, end, &mut dx);
        for c in 0..6 {
            Music.active(c as u64, start, end, &mut music[c]);
            Effects.active(c as u64, start, end, &mut fx[c]);
            Efforts.active(c as u64, start, end, &mut eff[c]);
        }
        for n in start..end {
            let dialogue = sum(&dx, n);
            guide.push(dialogue * guide_gain);
            for c in 0..6 {
                let stem = sum(&music[c], n) + sum(&fx[c], n);
                let effort = sum(&eff[c], n);
                me.push(stem);
                opt.push(effort);
                pm.push(stem + effort + if c == 2 { dialogue } else { 0.0 });
            }
        }
        for o in [&mut *me, &mut *opt, &mut *guide, &mut *pm] {
            o.flush(start)?;
        }
        start = end;
    }
    Ok(())
}

fn main() -> io::Result<()> {
    let args = args().unwrap_or_else(|e| {
        eprintln!("conform_session: {e}\nusage: conform_session DIR [--minutes N] [--sparse]");
        std::process::exit(2);
    });
    let stage = args.dir.join("stage");
    fs::create_dir_all(&stage)?;
    // Whole 23.976 frames.
    let frames = (args.minutes * 60.0 * 24_000.0 / 1001.0).round() as u64 * SPF;
    let rate = FrameRate::new(24000, 1001);
    let tc0 = Timecode::parse("01:00:00:00", rate).map_or(0, |t| t.to_samples(SR));
    let out = |name: &str, channels: u16, desc: &str| {
        Out::create(&stage.join(name), channels, frames, desc, tc0, args.sparse)
    };
    let mut files = [
        out("CB_ME_51.wav", 6, "Conform Bench M&E 5.1")?,
        out("CB_OPT_efforts_51.wav", 6, "Conform Bench efforts 5.1")?,
        out("CB_DX_guide_mono.wav", 1, "Conform Bench dialogue guide")?,
        out("CB_PM_51.wav", 6, "Conform Bench print master 5.1")?,
    ];
    fs::write(args.dir.join("job.yaml"), JOB)?;
    if !args.sparse {
        write_samples(frames, &mut files)?;
    }
    println!(
        "conformed session written to {}: {} min ({frames} frames){}",
        args.dir.display(),
        args.minutes,
        if args.sparse { ", sparse (silent)" } else { "" }
    );
    Ok(())
}

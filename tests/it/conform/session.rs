//! The conform corpus: realistic mix sessions written into a folder with a
//! job that `mnepack check` accepts. A session is a 5.1 print master (PM =
//! music + effects + VOX + dialogue, sample for sample on the 24-bit grid),
//! a 5.1 M&E (music + effects), optional A (the VOX in C of a 5.1 file), a
//! mono dialogue guide (the dialogue at -0.9 dB) and a reference movie
//! (ProRes QuickTime, or MPEG-2 MXF, [`Movie`]) whose sound is the PM
//! folded down to stereo, all starting at 01:00:00:00 at 23.976 (BWF time
//! reference), 48 kHz, 24-bit. [`Defect`] spoils one file the way a mix room
//! does (late, drifting, swapped, inverted, ridden, holed, hot, ...) and
//! leaves the others as in the clean session.
//!
//! The expensive parts (speech, music and effects) are made once per test
//! process and per length ([`stems`]); a session then only writes files.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

use mnepack::probe::Bext;
use mnepack::testmedia::{FmtKind, WavSpec, quantise, write_sparse};

use super::speech::{self, speech};
use super::synth::{self, C, Chans, L, RATE, Timeline};
use crate::common;

/// Samples in one frame at 23.976 and 48 kHz.
pub const FRAME: i64 = 2002;
/// The sessions' start, 01:00:00:00 at 23.976 (86,400 frames).
pub const START_TC: &str = "01:00:00:00";
/// [`START_TC`] as samples since midnight (the BWF time reference).
pub const TIME_REFERENCE: u64 = 86_400 * 2002;
/// The guide's gain relative to the PM's dialogue.
pub const GUIDE_DB: f64 = -0.9;
/// How late the late M&E is: two frames.
pub const ME_LATE: i64 = 2 * FRAME;
/// How early the early guide is: one frame (negative: earlier).
pub const GUIDE_EARLY: i64 = -FRAME;
/// How late the reference movie's sound is: one frame.
pub const MOVIE_LATE: i64 = FRAME;
/// The drifting M&E plays this much slow (content progressively later).
pub const DRIFT_PPM: f64 = 1000.0;
/// Level of the dialogue left in the M&E, relative to the PM's dialogue.
pub const DIALOGUE_IN_ME_DB: f64 = -6.0;
/// The music ride in the M&E.
pub const RIDE_DB: f64 = -3.0;
/// The hot PM's dialogue, relative to the clean PM's.
pub const HOT_DB: f64 = 6.0;
/// How much shorter the short M&E is, in seconds.
pub const SHORT_SECONDS: f64 = 10.0;
/// The dialogue-gated loudness the clean PM is made to (BS.1770 over the
/// dialogue spans, measured here with the `ebur128` crate).
pub const DIALOGUE_LKFS: f64 = -27.0;

/// The tools a session needs.
pub const TOOLS: [&str; 3] = [speech::TOOLS[0], speech::TOOLS[1], "ffmpeg"];

/// True when every tool a session needs is installed; otherwise the test
/// skips (prints "SKIPPED ...: `espeak-ng` is not installed"; a failure
/// under `MNEPACK_REQUIRE_TOOLS=1`).
pub fn tools_ready(test: &str) -> bool {
    TOOLS.iter().all(|t| common::have_tool(t, test))
}

/// What a session gets wrong. Every variant but [`Defect::Clean`] changes
/// one file; the others are byte for byte those of the clean session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defect {
    /// Nothing: a conformed delivery.
    Clean,
    /// The M&E two frames late ([`ME_LATE`] samples).
    MeLate,
    /// The guide one frame early ([`GUIDE_EARLY`] samples).
    GuideEarly,
    /// The M&E plays [`DRIFT_PPM`] slow, from in sync at its head.
    MeDrift,
    /// L and R swapped in the M&E.
    MeSwapLr,
    /// C inverted in the M&E.
    MeInvertC,
    /// Optional A carries its VOX in L; the PM keeps it in C.
    VoxInL,
    /// The PM's dialogue left in the M&E's C at [`DIALOGUE_IN_ME_DB`] from
    /// 20 s to 40 s.
    DialogueInMe,
    /// The M&E's music ridden [`RIDE_DB`] from 20 s to 34 s.
    MusicRide,
    /// Every M&E channel zero from 30 s to 38 s; the PM unchanged.
    MeHole,
    /// The PM's dialogue [`HOT_DB`] hot.
    PmDialogueHot,
    /// Hostile: the guide is digital silence.
    SilentGuide,
    /// Hostile: the PM is noise that has nothing to do with the M&E.
    UnrelatedPm,
    /// Hostile: the M&E ends [`SHORT_SECONDS`] before the others.
    ShortMe,
    /// The reference movie's sound [`MOVIE_LATE`] samples late.
    MovieLate,
}

/// The container of a session's reference movie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movie {
    /// QuickTime: the ProRes picture copied, the sound 24-bit PCM (`in24`).
    Mov,
    /// MXF OP1a as ffmpeg writes it: an MPEG-2 picture (ffmpeg 5.1's MXF
    /// muxer takes no copied ProRes), the sound 24-bit AES3 frame-wrapped.
    Mxf,
}

/// Session settings.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// Length in seconds (rounded to whole frames); the layout of lines,
    /// cues and defects scales with it (times are given for 60 s).
    pub seconds: f64,
    /// The reference movie's container.
    pub movie: Movie,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            seconds: 60.0,
            movie: Movie::Mov,
        }
    }
}

impl Config {
    /// Video frames of the session.
    pub fn frames(self) -> u64 {
        (self.seconds * 24_000.0 / 1001.0).round() as u64
    }

    /// Samples of the session (whole frames).
    pub fn samples(self) -> u64 {
        self.frames() * 2002
    }
}

/// The parts every session of one length shares.
pub struct Stems {
    /// The buffers' timeline.
    pub tl: Timeline,
    /// Samples in a session.
    pub samples: usize,
    /// Music, 5.1.
    pub music: Chans,
    /// Effects, 5.1.
    pub effects: Chans,
    /// The PM's dialogue (mono, placed in C), at its PM level.
    pub dx: Vec<f32>,
    /// The VOX (mono, placed in C).
    pub vox: Vec<f32>,
    /// Where each dialogue line plays, in session seconds.
    pub dialogue: Vec<(f64, f64)>,
    /// Where each vocal sound of the VOX plays, in session seconds.
    pub vox_spans: Vec<(f64, f64)>,
    /// The gain that brought the dialogue to [`DIALOGUE_LKFS`].
    pub dx_gain: f64,
}

/// Dialogue line starts in a 60 s session. The layout keeps the defects'
/// edges readable outside dialogue: nothing is said from 17.5 s to 22 s (a
/// ride starts at 20 s) nor from 28.6 s to 37.5 s (the hole's 30 s, the
/// ride's 34 s), while lines play in 20-40 s for the dialogue left in the M&E.
const LINE_STARTS: [f64; 10] = [1.0, 5.5, 10.0, 14.5, 22.0, 25.6, 37.5, 43.0, 48.5, 54.0];
/// The longest a line may last (longer ones are cut with a short fade).
const LINE_MAX: f64 = 3.0;

/// The stems of a session of `cfg`'s length, made on first use in this
/// process (speech, music, effects) and shared after.
pub fn stems(cfg: Config) -> Arc<Stems> {
    static CACHE: OnceLock<Mutex<HashMap<u64, Arc<Stems>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    // One maker at a time: a second test waits for the first's stems.
    let mut map = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    map.entry(cfg.frames())
        .or_insert_with(|| Arc::new(make_stems(cfg)))
        .clone()
}

fn make_stems(cfg: Config) -> Stems {
    let samples = cfg.samples() as usize;
    let margin = 48_000;
    let tl = Timeline {
        seconds: samples as f64 / RATE,
        margin,
        total: samples + 2 * margin,
    };
    let sp = speech();
    let scale = tl.seconds / 60.0;
    let max = (LINE_MAX * scale.min(1.0) * RATE) as usize;
    let mut dx = vec![0f32; tl.total];
    let mut dialogue = Vec::new();
    for (line, &t60) in sp.lines.iter().zip(&LINE_STARTS) {
        let at = tl.index(tl.at(t60));
        let n = line.len().min(max).min(tl.total - at);
        let fade = 1440.min(n); // 30 ms
        for (k, &x) in line[..n].iter().enumerate() {
            let g = ((n - k) as f32 / fade as f32).min(1.0);
            dx[at + k] = x * g;
        }
        dialogue.push((tl.time(at), tl.time(at + n)));
    }
    // VOX sounds in the gaps between lines (0.6 s clear of speech), at
    // most two per gap.
    let mut vox = vec![0f32; tl.total];
    let mut vox_spans = Vec::new();
    let mut gaps = vec![(0.0, dialogue[0].0)];
    gaps.extend(dialogue.windows(2).map(|w| (w[0].1, w[1].0)));
    gaps.push((dialogue[dialogue.len() - 1].1, tl.seconds));
    let mut next = 0;
    for (a, b) in gaps {
        let mut t = a + 0.6;
        for _ in 0..2 {
            let sound = &sp.vox[next % sp.vox.len()];
            let len = sound.len() as f64 / RATE;
            if t + len > b - 0.6 {
                break;
            }
            let at = tl.index(t);
            for (k, &x) in sound.iter().enumerate() {
                vox[at + k] += 0.25 * x;
            }
            vox_spans.push((t, t + len));
            next += 1;
            t += len + 1.5;
        }
    }
    let mut music = synth::music(&tl, 11);
    let mut effects = synth::effects(&tl, 23);
    // The mix ducks the music 9 dB and the effects 5 dB under the lines
    // (300 ms ramps), as a mixer's fader would: dialogue first.
    for i in 0..tl.total {
        let t = tl.time(i);
        let under: f64 = dialogue
            .iter()
            .map(|&(a, b)| synth::gate(t, a - 0.3, b + 0.3, 0.3))
            .fold(0.0, f64::max);
        let (m, e) = (
            1.0 - under * (1.0 - db(-9.0)),
            1.0 - under * (1.0 - db(-5.0)),
        );
        for c in 0..6 {
            music[c][i] = (f64::from(music[c][i]) * m) as f32;
            effects[c][i] = (f64::from(effects[c][i]) * e) as f32;
        }
    }
    let mut stems = Stems {
        tl,
        samples,
        music,
        effects,
        dx,
        vox,
        dialogue,
        vox_spans,
        dx_gain: 1.0,
    };
    // Bring the PM's dialogue-gated loudness to the target (two steps: the
    // music and effects under the lines make it a little non-linear).
    for _ in 0..6 {
        let now = stems.pm_dialogue_lkfs(1.0);
        let g = 10f64.powf((DIALOGUE_LKFS - now) / 20.0);
        for x in &mut stems.dx {
            *x = (f64::from(*x) * g) as f32;
        }
        stems.dx_gain *= g;
    }
    stems
}

/// 24-bit integer of a full-scale float.
fn q(v: f64) -> i32 {
    quantise(v, 24) as i32
}

/// `x` in dB.
pub fn db(x: f64) -> f64 {
    10f64.powf(x / 20.0)
}

impl Stems {
    /// Buffer index of session sample `n`.
    fn at(&self, n: usize) -> usize {
        n + self.tl.margin
    }

    /// M&E (music + effects) of channel `c` at buffer index `i`.
    fn me(&self, c: usize, i: usize) -> f64 {
        f64::from(self.music[c][i]) + f64::from(self.effects[c][i])
    }

    /// The clean M&E, 24-bit, at session sample `n`.
    pub fn me_int(&self, c: usize, n: usize) -> i32 {
        q(self.me(c, self.at(n)))
    }

    /// The VOX, 24-bit, at session sample `n`.
    pub fn vox_int(&self, n: usize) -> i32 {
        q(f64::from(self.vox[self.at(n)]))
    }

    /// The PM's dialogue times `gain`, 24-bit, at session sample `n`.
    pub fn dx_int(&self, n: usize, gain: f64) -> i32 {
        q(f64::from(self.dx[self.at(n)]) * gain)
    }

    /// The clean PM, 24-bit: M&E + VOX + dialogue (times `dx_gain`) in C.
    pub fn pm_int(&self, c: usize, n: usize, dx_gain: f64) -> i32 {
        let me = self.me_int(c, n);
        if c == C {
            me + self.vox_int(n) + self.dx_int(n, dx_gain)
        } else {
            me
        }
    }

    /// BS.1770 loudness (the `ebur128` crate) of the PM with its dialogue
    /// times `dx_gain`, over the dialogue spans only, concatenated.
    pub fn pm_dialogue_lkfs(&self, dx_gain: f64) -> f64 {
        use ebur128::{Channel, EbuR128, Mode};
        let mut m = EbuR128::new(6, 48_000, Mode::I).unwrap();
        m.set_channel_map(&[
            Channel::Left,
            Channel::Right,
            Channel::Center,
            Channel::Unused,
            Channel::LeftSurround,
            Channel::RightSurround,
        ])
        .unwrap();
        let scale = f64::from(1u32 << 23);
        let mut buf = Vec::new();
        for &(a, b) in &self.dialogue {
            buf.clear();
            for n in (a * RATE) as usize..((b * RATE) as usize).min(self.samples) {
                for c in 0..6 {
                    buf.push((f64::from(self.pm_int(c, n, dx_gain)) / scale) as f32);
                }
            }
            m.add_frames_f32(&buf).unwrap();
        }
        m.loudness_global().unwrap()
    }

    fn secs(&self, t60: f64) -> f64 {
        self.tl.at(t60)
    }

    fn sample(&self, t: f64) -> usize {
        ((t * RATE).round() as usize).min(self.samples)
    }
}

/// A written session.
#[derive(Debug, Clone)]
pub struct Session {
    /// The job file (`mnepack check JOB`).
    pub job: PathBuf,
    /// The M&E, 5.1.
    pub me: PathBuf,
    /// Optional A (VOX), 5.1.
    pub opt_a: PathBuf,
    /// The dialogue guide, mono.
    pub guide: PathBuf,
    /// The print master, 5.1.
    pub pm: PathBuf,
    /// The reference movie (QuickTime or MXF, [`Config::movie`]): the
    /// picture, and the PM folded down to stereo as its sound (24-bit PCM,
    /// as ffmpeg writes it).
    pub reference: PathBuf,
    /// Samples in each file (the short M&E excepted).
    pub samples: u64,
    /// Where the dialogue lines play, in seconds from the files' start.
    pub dialogue: Vec<(f64, f64)>,
    /// Where the VOX sounds play, in seconds from the files' start.
    pub vox: Vec<(f64, f64)>,
    /// Where the defect is, in seconds from the files' start, for the
    /// defects that apply to a stretch: the ride, the hole, and for the
    /// dialogue left in the M&E the stretch where it is audible (the
    /// dialogue lines inside 20-40 s, clipped to it).
    pub truth: Option<(f64, f64)>,
}

/// The reference movie's name when it is an MXF ([`Movie::Mxf`]).
pub const MXF_NAME: &str = "CC_stage_ref_2398.mxf";

/// The file names of a session, as a mix room might name them (the movie
/// a QuickTime one; [`MXF_NAME`] for an MXF).
pub const NAMES: [&str; 5] = [
    "CC_ME_51.wav",
    "CC_OPT_A_vox_51.wav",
    "CC_DX_guide_mono.wav",
    "CC_PM_51.wav",
    "CC_stage_ref_2398.mov",
];

/// The job file of a session (paths relative to its folder).
pub const JOB: &str = "\
profile: netflix
title: Conform Corpus
unit: lp
frame_rate: 23.976
language: en
output: deliveries
sources:
  reference_video: CC_stage_ref_2398.mov
  mne: CC_ME_51.wav
  optionals:
    - {letter: A, desc: Vox, file: CC_OPT_A_vox_51.wav}
  dialogue_guide: CC_DX_guide_mono.wav
  print_master: CC_PM_51.wav
";

/// Writes the session with `defect` into `dir` (created if missing).
pub fn write_session(dir: &Path, defect: Defect, cfg: Config) -> Session {
    std::fs::create_dir_all(dir).unwrap();
    let st = stems(cfg);
    let st = &*st;
    let n_all = st.samples;
    let [me_name, opt_name, guide_name, pm_name, mov_name] = NAMES;
    let ref_name = match cfg.movie {
        Movie::Mov => mov_name,
        Movie::Mxf => MXF_NAME,
    };
    let session = Session {
        job: dir.join("job.yaml"),
        me: dir.join(me_name),
        opt_a: dir.join(opt_name),
        guide: dir.join(guide_name),
        pm: dir.join(pm_name),
        reference: dir.join(ref_name),
        samples: n_all as u64,
        dialogue: st.dialogue.clone(),
        vox: st.vox_spans.clone(),
        truth: truth(st, defect),
    };
    std::fs::write(&session.job, JOB.replace(mov_name, ref_name)).unwrap();

    // The M&E.
    let me_len = if defect == Defect::ShortMe {
        n_all - (SHORT_SECONDS * RATE) as usize
    } else {
        n_all
    };
    let window = |t60a: f64, t60b: f64| (st.sample(st.secs(t60a)), st.sample(st.secs(t60b)));
    let (d0, d1) = window(20.0, 40.0);
    let (r0, r1) = window(20.0, 34.0);
    let (h0, h1) = window(30.0, 38.0);
    let me = |c: usize, n: usize| -> i32 {
        match defect {
            Defect::MeLate => q(st.me(c, st.at(n) - ME_LATE as usize)),
            Defect::MeDrift => {
                // Plays slow: the content of PM time t is at t * (1 + ppm).
                let pos = n as f64 / (1.0 + DRIFT_PPM * 1e-6) + st.tl.margin as f64;
                let i = pos.floor() as usize;
                let f = pos - i as f64;
                q(st.me(c, i) * (1.0 - f) + st.me(c, i + 1) * f)
            }
            Defect::MeSwapLr => st.me_int([1, 0, 2, 3, 4, 5][c], n),
            Defect::MeInvertC if c == C => -st.me_int(c, n),
            Defect::DialogueInMe if c == C && (d0..d1).contains(&n) => {
                let fade = ((n - d0).min(d1 - n) as f64 / 960.0).min(1.0); // 20 ms
                let dx = f64::from(st.dx[st.at(n)]) * db(DIALOGUE_IN_ME_DB) * fade;
                q(st.me(c, st.at(n)) + dx)
            }
            Defect::MusicRide if (r0..r1).contains(&n) => {
                let t = n as f64 / RATE;
                let ride = 1.0 - (1.0 - db(RIDE_DB)) * gate(t, r0, r1);
                let i = st.at(n);
                q(f64::from(st.music[c][i]) * ride + f64::from(st.effects[c][i]))
            }
            Defect::MeHole if (h0..h1).contains(&n) => 0,
            _ => st.me_int(c, n),
        }
    };
    write_wav24(&session.me, 6, me_len, "Conform Corpus M&E 5.1", me);

    // Optional A: the VOX in C (in L when spoiled).
    let vox_ch = if defect == Defect::VoxInL { L } else { C };
    write_wav24(
        &session.opt_a,
        6,
        n_all,
        "Conform Corpus VOX 5.1",
        |c, n| {
            if c == vox_ch { st.vox_int(n) } else { 0 }
        },
    );

    // The guide: the PM's dialogue at -0.9 dB, mono.
    let g = db(GUIDE_DB);
    write_wav24(
        &session.guide,
        1,
        n_all,
        "Conform Corpus dialogue guide",
        |_, n| match defect {
            Defect::SilentGuide => 0,
            Defect::GuideEarly => q(f64::from(st.dx[st.at(n) + (-GUIDE_EARLY) as usize]) * g),
            _ => st.dx_int(n, g),
        },
    );

    // The print master.
    let unrelated = (defect == Defect::UnrelatedPm).then(|| synth::unrelated(&st.tl, 97));
    let dx_gain = if defect == Defect::PmDialogueHot {
        db(HOT_DB)
    } else {
        1.0
    };
    let pm = |c: usize, n: usize| match &unrelated {
        Some(u) => q(f64::from(u[c][st.at(n)])),
        None => st.pm_int(c, n, dx_gain),
    };
    write_wav24(&session.pm, 6, n_all, "Conform Corpus print master 5.1", pm);

    write_movie(dir, defect, cfg, n_all, pm, &session.reference);
    session
}

/// The reference movie: the picture, and as its sound the PM (`pm`)
/// folded down to stereo, as a stage's reference movie often carries it.
fn write_movie(
    dir: &Path,
    defect: Defect,
    cfg: Config,
    n_all: usize,
    pm: impl Fn(usize, usize) -> i32,
    out: &Path,
) {
    let late = if defect == Defect::MovieLate {
        MOVIE_LATE as usize
    } else {
        0
    };
    let sound = dir.join("movie_sound.wav");
    write_wav24(&sound, 2, n_all, "Conform Corpus movie sound", |c, n| {
        if n < late {
            return 0;
        }
        let n = n - late;
        let v = |ch: usize| f64::from(pm(ch, n));
        let side = if c == 0 { 4 } else { 5 };
        ((v(c) + 0.707 * v(C) + 0.707 * v(side)) * 0.5).round() as i32
    });
    movie_with_sound(&reference_movie(cfg.frames()), &sound, out, cfg.movie);
    std::fs::remove_file(&sound).unwrap();
}

/// `movie`'s picture with `sound` as its sound track, 24-bit PCM, written
/// by ffmpeg to `out` in the container `kind` (for an MXF the picture is
/// coded again, as MPEG-2).
fn movie_with_sound(movie: &Path, sound: &Path, out: &Path, kind: Movie) {
    let video = match kind {
        Movie::Mov => "copy",
        Movie::Mxf => "mpeg2video",
    };
    let o = Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-y"])
        .arg("-i")
        .arg(movie)
        .arg("-i")
        .arg(sound)
        .args([
            "-map",
            "0:v",
            "-map",
            "1:a",
            "-c:v",
            video,
            "-c:a",
            "pcm_s24le",
        ])
        .args(["-timecode", START_TC])
        .arg(out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "ffmpeg: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A ride's gain shape: raised-cosine 250 ms ramps inside `a..b` (samples).
fn gate(t: f64, a: usize, b: usize) -> f64 {
    let (a, b) = (a as f64 / RATE, b as f64 / RATE);
    let ramp = |x: f64| 0.5 - 0.5 * (std::f64::consts::PI * x.clamp(0.0, 1.0)).cos();
    ramp((t - a) / 0.25) * ramp((b - t) / 0.25)
}

fn truth(st: &Stems, defect: Defect) -> Option<(f64, f64)> {
    let w = |a: f64, b: f64| Some((st.secs(a), st.secs(b)));
    match defect {
        Defect::MusicRide => w(20.0, 34.0),
        Defect::MeHole => w(30.0, 38.0),
        Defect::DialogueInMe => {
            let (a, b) = (st.secs(20.0), st.secs(40.0));
            let inside: Vec<_> = st
                .dialogue
                .iter()
                .filter(|s| s.1 > a && s.0 < b)
                .map(|s| (s.0.max(a), s.1.min(b)))
                .collect();
            Some((inside.first()?.0, inside.last()?.1))
        }
        _ => None,
    }
}

/// Writes a 48 kHz 24-bit Broadcast WAV (EXTENSIBLE 0x60F for 5.1) of
/// `samples` frames starting at [`TIME_REFERENCE`], sample `(c, n)` from
/// `f`: the headers from `mnepack::testmedia`, the data written here.
pub fn write_wav24(
    path: &Path,
    channels: u16,
    samples: usize,
    desc: &str,
    f: impl Fn(usize, usize) -> i32,
) {
    let mut spec = WavSpec::new(48_000, 24, channels, samples as u64);
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
        originator: "mnepack conform corpus".to_string(),
        originator_reference: String::new(),
        origination_date: "2026-12-05".to_string(),
        origination_time: "18:00:00".to_string(),
        time_reference: TIME_REFERENCE,
        version: 1,
    });
    let layout = write_sparse(path, &spec).unwrap();
    let mut file = OpenOptions::new().write(true).open(path).unwrap();
    file.seek(SeekFrom::Start(layout.data_offset)).unwrap();
    let mut w = BufWriter::with_capacity(1 << 20, file);
    let channels = usize::from(channels);
    for n in 0..samples {
        for c in 0..channels {
            let v = f(c, n);
            assert!(
                (-(1 << 23)..(1 << 23)).contains(&v),
                "{} clips at sample {n} of channel {c}",
                path.display()
            );
            w.write_all(&v.to_le_bytes()[..3]).unwrap();
        }
    }
    w.flush().unwrap();
}

/// A ProRes Proxy reference movie of `frames` at 23.976 from
/// [`START_TC`], no audio; made by ffmpeg once per length and process.
fn reference_movie(frames: u64) -> PathBuf {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    static LOCK: Mutex<()> = Mutex::new(());
    let dir = DIR.get_or_init(|| tempfile::tempdir().unwrap());
    let path = dir.path().join(format!("ref_{frames}.mov"));
    let _guard = LOCK
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !path.exists() {
        let part = dir.path().join(format!("ref_{frames}.part.mov"));
        let o = Command::new("ffmpeg")
            .args(["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi"])
            .args(["-i", "color=black:size=96x54:rate=24000/1001"])
            .args(["-frames:v", &frames.to_string()])
            .args(["-c:v", "prores_ks", "-profile:v", "0"])
            .args(["-timecode", START_TC])
            .arg(&part)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "ffmpeg: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        std::fs::rename(&part, &path).unwrap();
    }
    path
}

/// Reads a written 24-bit file back with `hound`: one `Vec` per channel.
pub fn read_back(path: &Path) -> Vec<Vec<i32>> {
    let mut r = hound::WavReader::new(std::io::BufReader::new(File::open(path).unwrap())).unwrap();
    let spec = r.spec();
    assert_eq!((spec.sample_rate, spec.bits_per_sample), (48_000, 24));
    let ch = usize::from(spec.channels);
    let mut out = vec![Vec::with_capacity(r.duration() as usize); ch];
    for (k, s) in r.samples::<i32>().enumerate() {
        out[k % ch].push(s.unwrap());
    }
    out
}

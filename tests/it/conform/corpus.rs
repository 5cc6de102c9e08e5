//! Proof of the corpus generator itself (independent of the conform
//! engine): the written files, read back with `hound`, hold PM = M&E + VOX
//! sample for sample outside dialogue and the guide's dialogue inside it;
//! the speech is speech (not silence); levels and layout are as promised;
//! and each defect changes its own file, in the promised way, and no other.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a failed unwrap is a failed test

use std::time::Instant;

use super::session::{
    Config, DIALOGUE_LKFS, Defect, GUIDE_EARLY, ME_LATE, MOVIE_LATE, SHORT_SECONDS, Session,
    read_back, stems, tools_ready, write_session,
};
use super::synth::{C, L};
use crate::common;

/// Seconds to a sample index.
fn sample(t: f64) -> usize {
    (t * 48_000.0).round() as usize
}

fn in_dialogue(s: &Session, n: usize) -> bool {
    s.dialogue
        .iter()
        .any(|&(a, b)| (sample(a)..sample(b)).contains(&n))
}

fn dbfs(x: f64) -> f64 {
    20.0 * (x / f64::from(1u32 << 23)).log10()
}

#[test]
fn clean_session_sums_sample_for_sample() {
    let test = "clean_session_sums_sample_for_sample";
    if !tools_ready(test) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let cfg = Config::default();
    let t0 = Instant::now();
    let st = stems(cfg);
    let t1 = Instant::now();
    let s = write_session(tmp.path(), Defect::Clean, cfg);
    eprintln!(
        "stems {:.1} s (once per process), session written in {:.1} s",
        (t1 - t0).as_secs_f64(),
        t1.elapsed().as_secs_f64()
    );
    let (me, opt, guide, pm) = (
        read_back(&s.me),
        read_back(&s.opt_a),
        read_back(&s.guide),
        read_back(&s.pm),
    );
    let n_all = s.samples as usize;
    for f in [&me, &opt, &guide, &pm] {
        assert!(f.iter().all(|c| c.len() == n_all));
    }
    assert_eq!((me.len(), opt.len(), guide.len(), pm.len()), (6, 6, 1, 6));
    sums(&s, &me, &opt, &guide, &pm);
    speech_and_vox(&s, &opt, &guide);
    peaks(&me, &opt, &pm);
    // The layout the defects rely on: no dialogue from 17.5 s to 22 s nor
    // from 28.6 s to 37.5 s, some between 20 s and 40 s.
    for &(a, b) in &s.dialogue {
        assert!(b <= 17.5 || a >= 22.0, "line {a:.1}-{b:.1}");
        assert!(b <= 28.6 || a >= 37.5, "line {a:.1}-{b:.1}");
    }
    // The dialogue-gated loudness the sessions are made to.
    let lkfs = st.pm_dialogue_lkfs(1.0);
    assert!((lkfs - DIALOGUE_LKFS).abs() < 0.3, "{lkfs} LKFS");
    common::against_reference("ebur128 crate", test);
}

type Chans = Vec<Vec<i32>>;

/// PM = M&E + optional outside dialogue, exactly; inside, what the PM
/// adds in C is the guide 0.9 dB up.
fn sums(s: &Session, me: &Chans, opt: &Chans, guide: &Chans, pm: &Chans) {
    let n_all = s.samples as usize;
    // Outside dialogue the PM is the M&E plus the optional, exactly; inside,
    // what the PM adds in C is the guide's dialogue 0.9 dB up (within the
    // rounding of two quantisations).
    let up = 10f64.powf(0.9 / 20.0);
    let (mut outside, mut inside) = (0usize, 0usize);
    for n in 0..n_all {
        if in_dialogue(s, n) {
            inside += 1;
            let added = pm[C][n] - me[C][n] - opt[C][n];
            let want = f64::from(guide[0][n]) * up;
            assert!(
                (f64::from(added) - want).abs() <= 2.0,
                "sample {n}: {added} vs {want}"
            );
            for c in (0..6).filter(|&c| c != C) {
                assert_eq!(pm[c][n], me[c][n] + opt[c][n], "channel {c} sample {n}");
            }
        } else {
            outside += 1;
            assert_eq!(guide[0][n], 0, "the guide speaks outside its lines at {n}");
            for c in 0..6 {
                assert_eq!(pm[c][n], me[c][n] + opt[c][n], "channel {c} sample {n}");
            }
        }
    }
    assert!(
        inside > 20 * 48_000 && outside > 25 * 48_000,
        "{inside} / {outside}"
    );
}

/// The lines and the VOX sounds are there and audible.
fn speech_and_vox(s: &Session, opt: &Chans, guide: &Chans) {
    // The speech is speech: every line is loud enough, with a real peak.
    assert_eq!(s.dialogue.len(), 10);
    for &(a, b) in &s.dialogue {
        assert!((1.5..=3.01).contains(&(b - a)), "a line of {:.2} s", b - a);
        let line = &guide[0][sample(a)..sample(b)];
        let rms =
            (line.iter().map(|&x| f64::from(x).powi(2)).sum::<f64>() / line.len() as f64).sqrt();
        let peak = line.iter().map(|x| x.abs()).max().unwrap();
        assert!(
            dbfs(rms) > -45.0,
            "line at {a:.1} s: {:.1} dBFS RMS",
            dbfs(rms)
        );
        assert!(
            dbfs(f64::from(peak)) > -25.0,
            "line at {a:.1} s: peak {peak}"
        );
    }
    // The VOX is in C only, between the lines, and not silent.
    assert!(
        opt.iter()
            .enumerate()
            .all(|(c, v)| c == C || v.iter().all(|&x| x == 0))
    );
    assert!(s.vox.len() >= 5, "{:?}", s.vox);
    for &(a, b) in &s.vox {
        assert!(
            !s.dialogue.iter().any(|&(x, y)| x < b && a < y),
            "vox at {a} over a line"
        );
        assert!(
            opt[C][sample(a)..sample(b)]
                .iter()
                .any(|&x| x.abs() > 1 << 16)
        );
    }
}

/// Peaks with room under -2 dBTP; no channel of the M&E silent.
fn peaks(me: &Chans, opt: &Chans, pm: &Chans) {
    for (name, f) in [("ME", me), ("OPTA", opt), ("PM", pm)] {
        let peak = f.iter().flatten().map(|x| x.abs()).max().unwrap();
        assert!(
            dbfs(f64::from(peak)) < -4.0,
            "{name} peaks at {:.1} dBFS",
            dbfs(f64::from(peak))
        );
    }
    assert!(me.iter().all(|c| c.iter().any(|&x| x != 0)));
}

/// Which files a defect may change: ME, OPTA, GUIDE, PM.
fn changes(d: Defect) -> [bool; 4] {
    match d {
        Defect::Clean | Defect::MovieLate => [false; 4],
        Defect::GuideEarly | Defect::SilentGuide => [false, false, true, false],
        Defect::VoxInL => [false, true, false, false],
        Defect::PmDialogueHot | Defect::UnrelatedPm => [false, false, false, true],
        _ => [true, false, false, false],
    }
}

#[test]
fn each_defect_spoils_its_own_file_only() {
    let test = "each_defect_spoils_its_own_file_only";
    if !tools_ready(test) {
        return;
    }
    // 20 s sessions: the layout scales, and the test stays cheap.
    let cfg = Config {
        seconds: 20.0,
        ..Config::default()
    };
    let tmp = tempfile::tempdir().unwrap();
    let clean = write_session(&tmp.path().join("clean"), Defect::Clean, cfg);
    let files = |s: &Session| [s.me.clone(), s.opt_a.clone(), s.guide.clone(), s.pm.clone()];
    let clean_hash: Vec<String> = files(&clean)
        .iter()
        .map(|p| common::sha256_hex(p))
        .collect();
    let defects = [
        Defect::MeLate,
        Defect::GuideEarly,
        Defect::MeDrift,
        Defect::MeSwapLr,
        Defect::MeInvertC,
        Defect::VoxInL,
        Defect::DialogueInMe,
        Defect::MusicRide,
        Defect::MeHole,
        Defect::PmDialogueHot,
        Defect::SilentGuide,
        Defect::UnrelatedPm,
        Defect::ShortMe,
        Defect::MovieLate,
    ];
    for d in defects {
        let s = write_session(&tmp.path().join(format!("{d:?}")), d, cfg);
        for (k, p) in files(&s).iter().enumerate() {
            let changed = common::sha256_hex(p) != clean_hash[k];
            assert_eq!(changed, changes(d)[k], "{d:?}: {}", p.display());
        }
        promised(d, &s, &clean);
    }
}

/// The defect `d` of session `s` is what [`Defect`] promises, against the
/// clean session of the same length.
fn promised(d: Defect, s: &Session, clean: &Session) {
    let (cme, copt, cguide) = (
        read_back(&clean.me),
        read_back(&clean.opt_a),
        read_back(&clean.guide),
    );
    let n_all = clean.samples as usize;
    let scale = |t60: f64| sample(t60 * clean.samples as f64 / 48_000.0 / 60.0);
    let me = read_back(&s.me);
    match d {
        Defect::MeLate => {
            let k = ME_LATE as usize;
            for c in 0..6 {
                assert_eq!(me[c][k..], cme[c][..n_all - k], "{d:?} channel {c}");
            }
        }
        Defect::GuideEarly => {
            let g = read_back(&s.guide);
            let k = (-GUIDE_EARLY) as usize;
            assert_eq!(g[0][..n_all - k], cguide[0][k..], "{d:?}");
        }
        Defect::MeSwapLr => assert!(me[0] == cme[1] && me[1] == cme[0], "{d:?}"),
        Defect::MeInvertC => {
            assert!(me[C].iter().zip(&cme[C]).all(|(a, b)| *a == -b), "{d:?}");
        }
        Defect::MeHole => {
            let (a, b) = (scale(30.0), scale(38.0));
            for c in 0..6 {
                assert!(me[c][a..b].iter().all(|&x| x == 0), "{d:?}");
                assert!(
                    me[c][..a] == cme[c][..a] && me[c][b..] == cme[c][b..],
                    "{d:?}"
                );
            }
        }
        Defect::DialogueInMe | Defect::MusicRide => {
            let (a, b) = match d {
                Defect::DialogueInMe => (scale(20.0), scale(40.0)),
                _ => (scale(20.0), scale(34.0)),
            };
            for c in 0..6 {
                assert!(
                    me[c][..a] == cme[c][..a] && me[c][b..] == cme[c][b..],
                    "{d:?}"
                );
                let only_c = c == C || d == Defect::MusicRide;
                assert_eq!(me[c][a..b] != cme[c][a..b], only_c, "{d:?} channel {c}");
            }
        }
        Defect::VoxInL => {
            let o = read_back(&s.opt_a);
            assert!(o[L] == copt[C] && o[C].iter().all(|&x| x == 0), "{d:?}");
        }
        Defect::SilentGuide => {
            assert!(read_back(&s.guide)[0].iter().all(|&x| x == 0), "{d:?}");
        }
        Defect::ShortMe => {
            let short = n_all - sample(SHORT_SECONDS);
            for c in 0..6 {
                assert_eq!(me[c][..], cme[c][..short], "{d:?}");
            }
        }
        Defect::MovieLate => {
            // ffmpeg's decode of the two movies' sound: one frame apart.
            let on_time = movie_sound(&clean.reference);
            let late = movie_sound(&s.reference);
            let k = 2 * MOVIE_LATE as usize;
            assert_eq!(on_time.len(), late.len(), "{d:?}");
            assert!(
                on_time.iter().any(|&x| x != 0),
                "{d:?}: the clean movie is silent"
            );
            assert_eq!(late[k..], on_time[..on_time.len() - k], "{d:?}");
            assert!(late[..k].iter().all(|&x| x == 0), "{d:?}");
        }
        Defect::MeDrift => {
            // The clean content of sample n shows at n * 1.001: between
            // two neighbours of the clean sample n, at the head and late.
            let between = |late: usize, n: usize| {
                let near = &cme[L][n.saturating_sub(1)..=n + 1];
                let (lo, hi) = (near.iter().min().unwrap(), near.iter().max().unwrap());
                (lo - 2..=hi + 2).contains(&me[L][late])
            };
            for n in (1..50).chain([n_all / 2, n_all - 48_000]) {
                let late = n + n / 1000;
                assert!(
                    between(late, n),
                    "{d:?}: M&E sample {late} is not clean sample {n}"
                );
            }
        }
        _ => {}
    }
}

/// The sound of `movie` as ffmpeg decodes it: interleaved stereo, 32-bit.
fn movie_sound(movie: &std::path::Path) -> Vec<i32> {
    let o = std::process::Command::new("ffmpeg")
        .args(["-hide_banner", "-loglevel", "error", "-i"])
        .arg(movie)
        .args(["-map", "0:a", "-f", "s32le", "-"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    o.stdout
        .chunks_exact(4)
        .map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

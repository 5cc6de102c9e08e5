//! Silence, dropouts, clipping and 2-pop detection: cases that fire and cases that do not.

use std::f64::consts::TAU;

use mnepack::analysis::{AnalysisParams, AudioFormat, analyze_bytes};
use mnepack::probe::SampleFormat;

use super::{RATE, db, format, measure, pcm24, sine};

// ---- Silence, dropouts, clipping, 2-pop ----

#[test]
fn silent_channel_and_dropout_are_found() {
    let frames = 48_000;
    let mut l = sine(440.0, -20.0, 1.0, 0.5);
    // 20 ms of digital silence in every channel at 0.5 s, and 1 ms at 0.7 s.
    l[24_000..24_960].fill(0.0);
    l[33_600..33_648].fill(0.0);
    let mut r = l.clone();
    r[24_000..24_960].fill(0.0);
    let m = measure(&vec![l.clone(), r, vec![0.0; frames]]);
    assert_eq!(m.silent_channels, vec![2]);
    assert!(!m.silent);
    assert_eq!(m.dropouts.count, 1, "{:?}", m.dropouts);
    let d = m.dropouts.first[0];
    // The sine's own zero crossings may extend the run by a sample at each edge.
    assert!(d.offset <= 24_000 && d.offset + 2 >= 24_000, "{d:?}");
    assert!((960..=962).contains(&d.length), "{d:?}");
    // Head and tail silence are not dropouts.
    let mut head_tail = vec![0.0; 10_000];
    head_tail.extend(sine(440.0, -20.0, 0.5, 0.5));
    head_tail.extend(vec![0.0; 10_000]);
    let m = measure(&vec![head_tail]);
    assert_eq!(m.dropouts.count, 0);
    assert_eq!(m.first_sound_frame, Some(10_000));
}

#[test]
fn clipping_runs_are_counted_per_channel() {
    let mut a = sine(100.0, -6.0, 0.5, 0.0);
    a[1000..1003].fill(1.0); // 3 at full scale: a run
    a[5000..5002].fill(-1.0); // 2: not a run
    a[9000..9010].fill(-1.0); // 10 negative: a run
    let b = sine(100.0, 0.0, 0.5, 0.0); // touches full scale for single samples only
    let m = measure(&vec![a, b]);
    assert_eq!(m.clipping[0].runs, 2);
    assert_eq!(m.clipping[0].first_at, Some(1000));
    assert_eq!(m.clipping[1].runs, 0);
    // Float files: |x| >= 1.0.
    let fmt = AudioFormat {
        channels: 1,
        sample_rate: RATE,
        sample_format: SampleFormat::Float,
        bits: 32,
        block_align: 4,
    };
    let x = [0.5f32, 1.2, 1.0, -1.0, 0.1];
    let bytes: Vec<u8> = x.iter().flat_map(|v| v.to_le_bytes()).collect();
    let m = analyze_bytes(fmt, &AnalysisParams::for_channels(1, RATE), &bytes).unwrap();
    assert_eq!(m.clipping[0].runs, 1);
    assert_eq!(m.clipping[0].first_at, Some(1));
}

/// Silence with a one-frame (at 24 fps) 1 kHz burst at `at`.
fn with_pop(at: usize, total: usize) -> Vec<f64> {
    let mut x = vec![0.0; total];
    for (i, v) in x[at..at + 2000].iter_mut().enumerate() {
        *v = db(-20.0) * (TAU * 1000.0 * i as f64 / f64::from(RATE) + 1.0).sin();
    }
    x
}

#[test]
fn two_pop_is_found_at_its_sample() {
    for at in [96_000, 96_001] {
        let mut c = with_pop(at, 4 * 48_000);
        c.extend(sine(440.0, -20.0, 2.0, 0.0)); // programme after the pop
        let m = measure(&vec![vec![0.0; c.len()], c]);
        let pop = m.pop.expect("pop");
        assert_eq!((pop.offset, pop.channel), (at as u64, 1));
        assert!((1995..=2000).contains(&pop.length), "{pop:?}");
    }
}

#[test]
fn programme_tone_is_not_a_pop() {
    // 1 kHz tone with no silence around it.
    let m = measure(&vec![sine(1000.0, -20.0, 6.0, 0.0)]);
    assert_eq!(m.pop, None);
    // A burst of the right length but outside the search window.
    let params = AnalysisParams {
        pop_window_samples: 48_000,
        ..AnalysisParams::for_channels(1, RATE)
    };
    let x = with_pop(96_000, 4 * 48_000);
    let m = analyze_bytes(format(1), &params, &pcm24(&vec![x])).unwrap();
    assert_eq!(m.pop, None);
}

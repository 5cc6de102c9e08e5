//! EBU Tech 3341 (loudness, true peak) and Tech 3342 (loudness range) cases.

use std::f64::consts::TAU;

use super::{assert_near, lufs, measure, sine, steps};

// ---- EBU Tech 3341 (loudness) ----

#[test]
fn tech3341_case1_and_2_stereo_sine() {
    for level in [-23.0, -33.0] {
        let s = sine(1000.0, level, 20.0, 0.0);
        let m = measure(&vec![s.clone(), s]);
        assert_near(lufs(&m), level, 0.1, "integrated");
    }
}

#[test]
fn tech3341_case3_4_5_gated_steps() {
    let cases: [&[(f64, f64)]; 3] = [
        &[(-36.0, 10.0), (-23.0, 60.0), (-36.0, 10.0)],
        &[
            (-72.0, 10.0),
            (-36.0, 10.0),
            (-23.0, 60.0),
            (-36.0, 10.0),
            (-72.0, 10.0),
        ],
        &[(-26.0, 20.0), (-20.0, 20.1), (-26.0, 20.0)],
    ];
    for (i, segs) in cases.iter().enumerate() {
        let s = steps(segs);
        let m = measure(&vec![s.clone(), s]);
        assert_near(lufs(&m), -23.0, 0.1, &format!("case {}", i + 3));
    }
}

#[test]
fn tech3341_case6_surround_weights_and_lfe_excluded() {
    // L R C LFE Ls Rs at -28 -28 -24 (LFE: loud 50 Hz) -30 -30 dBFS -> -23 LUFS.
    let secs = 20.0;
    let sig = vec![
        sine(1000.0, -28.0, secs, 0.0),
        sine(1000.0, -28.0, secs, 0.0),
        sine(1000.0, -24.0, secs, 0.0),
        sine(50.0, -6.0, secs, 0.0),
        sine(1000.0, -30.0, secs, 0.0),
        sine(1000.0, -30.0, secs, 0.0),
    ];
    let m = measure(&sig);
    assert_near(lufs(&m), -23.0, 0.1, "5.1");
    // The LFE is in the peaks all the same.
    assert_near(
        m.sample_peak_dbfs[3].unwrap(),
        -6.0,
        0.01,
        "LFE sample peak",
    );
    assert_near(m.true_peak_dbtp[3].unwrap(), -6.0, 0.05, "LFE true peak");
}

#[test]
fn mono_counts_with_weight_one() {
    // One channel at -23 dBFS carries half the power of the stereo case: -26 LUFS.
    let m = measure(&vec![sine(1000.0, -23.0, 20.0, 0.0)]);
    assert_near(lufs(&m), -23.0 - 10.0 * 2f64.log10(), 0.1, "mono");
}

#[test]
fn silence_has_no_loudness() {
    let m = measure(&vec![vec![0.0; 96_000]; 2]);
    assert_eq!(m.integrated_lufs, None);
    assert_eq!(m.lra_lu, None);
    assert_eq!(m.true_peak_dbtp, vec![None, None]);
    assert!(m.silent);
    assert_eq!(m.silent_channels, vec![0, 1]);
}

// ---- EBU Tech 3342 (loudness range) ----

#[test]
fn tech3342_cases_1_to_4() {
    let cases: [(&[(f64, f64)], f64); 4] = [
        (&[(-20.0, 20.0), (-30.0, 20.0)], 10.0),
        (&[(-20.0, 20.0), (-15.0, 20.0)], 5.0),
        (&[(-40.0, 20.0), (-20.0, 20.0)], 20.0),
        (
            &[
                (-50.0, 20.0),
                (-35.0, 20.0),
                (-20.0, 20.0),
                (-35.0, 20.0),
                (-50.0, 20.0),
            ],
            15.0,
        ),
    ];
    for (i, (segs, want)) in cases.iter().enumerate() {
        let s = steps(segs);
        let m = measure(&vec![s.clone(), s]);
        assert_near(
            m.lra_lu.unwrap(),
            *want,
            0.1,
            &format!("3342 case {}", i + 1),
        );
    }
}

// ---- True peak ----

#[test]
fn true_peak_of_quarter_rate_sine_at_45_degrees() {
    // fs/4 at 45 degrees: samples sit 3.01 dB under the peak (Tech 3341 style).
    let level = -6.0;
    let s = sine(12_000.0, level, 2.0, TAU / 8.0);
    let m = measure(&vec![s.clone(), s]);
    let tp = m.true_peak_dbtp[0].unwrap();
    assert!(tp - level <= 0.2 && level - tp <= 0.4, "true peak {tp}");
    assert_near(
        m.sample_peak_dbfs[0].unwrap(),
        level - 3.01,
        0.01,
        "sample peak",
    );
}

#[test]
fn full_scale_1k_sine_reads_zero_dbtp() {
    let s = sine(1000.0, 0.0, 2.0, 0.3);
    let m = measure(&vec![s]);
    assert_near(m.true_peak_dbtp[0].unwrap(), 0.0, 0.05, "true peak");
    assert!(m.sample_peak_dbfs[0].unwrap() <= 0.0);
}

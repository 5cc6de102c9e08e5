//! Signal rules: each fired by a defect in the measurements and silent on
//! clean measurements; and the two renderings.

#![allow(clippy::unwrap_used, clippy::many_single_char_names)] // test code: a failed unwrap is a failed test; p/m/f are plan, measurements, findings throughout

use mnepack::analysis::{Clipping, Dropouts, Measurements, Pop, Span};
use mnepack::check::{Finding, render_measurements, render_table, signal_findings, sort_findings};
use mnepack::job::Role;
use mnepack::plan::Plan;
use mnepack::profile::Severity;
use mnepack::timecode::FrameRate;

use super::fixtures::{
    FRAME, audio, clean, clean_all, clean_items, job, mono_set, netflix, no_problems, none, of,
    one, opt, plan, reference, wav,
};

fn run(plan: &Plan, m: &[Option<Measurements>]) -> Vec<Finding> {
    signal_findings(&job("23.976"), &netflix(), plan, m)
}

/// The clean package with `edit` applied to the measurements of item `index`.
fn with(index: usize, edit: impl FnOnce(&mut Measurements)) -> (Plan, Vec<Option<Measurements>>) {
    let p = plan(clean_items());
    let mut m = clean_all(&p);
    edit(m[index].as_mut().unwrap());
    (p, m)
}

// Item indexes of clean_items(): 0 REF, 1 ME, 2 OPTA, 3 GUIDE, 4 PM.

#[test]
fn clean_signal_has_only_information() {
    let p = plan(clean_items());
    let f = run(&p, &clean_all(&p));
    no_problems(&f);
    // Loudness is reported for each of the four audio files, a pop for each.
    assert_eq!(of(&f, "loudness").len(), 4);
    assert_eq!(of(&f, "pop").len(), 4);
    let l = one(&f, "loudness", "ME.wav");
    assert_eq!(l.severity, Severity::Info);
    assert!(l.message.contains("-24.0 LUFS") && l.message.contains("7.5 LU"));
}

#[test]
fn true_peak_error_names_the_worst_channel_and_the_inter_sample_over() {
    let (p, m) = with(1, |m| {
        m.true_peak_dbtp[4] = Some(-0.6);
        m.true_peak_dbtp[0] = Some(-1.5);
        m.sample_peak_dbfs = vec![Some(-1.3); 6];
    });
    let f = run(&p, &m);
    let e = one(&f, "true_peak_error", "ME.wav");
    assert_eq!(e.severity, Severity::Error);
    assert!(e.message.contains("-0.6 dBTP on Ls"), "{}", e.message);
    assert!(e.message.contains("-1.0 dBTP"));
    assert!(e.message.contains("inter-sample"));
    assert_eq!(e.value.as_deref(), Some("-0.6 dBTP"));
    // Only the stronger of the two rules for one file.
    none(&f, "true_peak_warn");
}

#[test]
fn true_peak_warn_between_the_limits_and_never_on_the_guide() {
    let (p, mut m) = with(2, |m| m.true_peak_dbtp[2] = Some(-1.5));
    m[3].as_mut().unwrap().true_peak_dbtp[0] = Some(-0.2);
    let f = run(&p, &m);
    let w = one(&f, "true_peak_warn", "OPTA.wav");
    assert_eq!(w.severity, Severity::Warning);
    assert!(w.message.contains("on C"));
    assert_eq!(of(&f, "true_peak_warn").len(), 1);
    none(&f, "true_peak_error");
}

#[test]
fn print_master_loudness_outside_the_tolerance() {
    let (p, m) = with(4, |m| m.integrated_lufs = Some(-18.2));
    let f = run(&p, &m);
    let w = one(&f, "pm_loudness", "PM.wav");
    assert_eq!(w.severity, Severity::Warning);
    assert!(w.message.contains("-18.2") && w.message.contains("dialogue-gated"));
    let (p, m) = with(4, |m| m.integrated_lufs = Some(-26.9));
    none(&run(&p, &m), "pm_loudness");
    // An M&E far from -24 is not the print-master rule.
    let (p, m) = with(1, |m| m.integrated_lufs = Some(-12.0));
    none(&run(&p, &m), "pm_loudness");
}

#[test]
fn mono_set_print_master_says_it_is_not_measured() {
    let p = plan(mono_set(
        Role::PrintMaster,
        &["L", "R", "C", "LFE", "Ls", "Rs"],
    ));
    let mut m = clean_all(&p);
    for x in m.iter_mut().flatten() {
        x.integrated_lufs = Some(-15.0);
    }
    let f = run(&p, &m);
    none(&f, "pm_loudness");
    let notes: Vec<_> = of(&f, "loudness")
        .into_iter()
        .filter(|x| x.message.contains("not measured"))
        .collect();
    assert_eq!(notes.len(), 1);
}

#[test]
fn silent_centre_is_an_error_and_silent_lfe_information() {
    let (p, m) = with(1, |m| m.silent_channels = vec![2, 3]);
    let f = run(&p, &m);
    let c = one(&f, "silent_channel", "ME.wav");
    assert_eq!(c.severity, Severity::Error);
    assert!(c.message.contains("C (channel 3)"), "{}", c.message);
    let l = one(&f, "silent_lfe", "ME.wav");
    assert_eq!(l.severity, Severity::Info);
    // Optionals may have silent channels.
    let (p, m) = with(2, |m| m.silent_channels = vec![2]);
    let f = run(&p, &m);
    none(&f, "silent_channel");
    none(&f, "silent_lfe");
}

#[test]
fn silent_files() {
    let (p, m) = with(3, |m| {
        m.silent = true;
        m.integrated_lufs = None;
        m.pop = None;
        m.silent_channels = vec![0];
    });
    let f = run(&p, &m);
    let s = one(&f, "silent_file", "GUIDE.wav");
    assert_eq!(s.severity, Severity::Error);
    none(&f, "silent_channel");
    // A silent file is not also "missing its pop".
    assert!(of(&f, "pop").iter().all(|x| !x.file.ends_with("GUIDE.wav")));

    // In an M&E mono set a silent file is its channel.
    let p = plan(mono_set(Role::Mne, &["L", "R", "C", "LFE", "Ls", "Rs"]));
    let mut m = clean_all(&p);
    for i in [2, 3] {
        let x = m[i].as_mut().unwrap();
        x.silent = true;
        x.silent_channels = vec![0];
    }
    let f = run(&p, &m);
    none(&f, "silent_file");
    assert!(
        one(&f, "silent_channel", "ME.C.wav")
            .message
            .starts_with("C of ME")
    );
    one(&f, "silent_lfe", "ME.LFE.wav");
}

#[test]
fn clipping_and_dropouts_with_their_timecode() {
    let (p, m) = with(1, |m| {
        m.clipping = vec![Clipping::default(); 6];
        m.clipping[1] = Clipping {
            runs: 2,
            first_at: Some(48 * FRAME),
        };
        m.clipping[4] = Clipping {
            runs: 1,
            first_at: Some(96 * FRAME),
        };
        m.dropouts = Dropouts {
            count: 1,
            total_frames: 960,
            first: vec![Span {
                offset: 24 * FRAME,
                length: 960,
            }],
        };
    });
    let f = run(&p, &m);
    let c = one(&f, "clipping", "ME.wav");
    assert_eq!(c.severity, Severity::Warning);
    // 3 runs in all; the first is 2 s (48 frames) after 00:59:58:00, on R.
    assert!(c.message.contains("3 runs"), "{}", c.message);
    assert!(c.message.contains("01:00:00:00 on R"), "{}", c.message);
    let d = one(&f, "dropout", "ME.wav");
    assert!(d.message.contains("1 dropout") && d.message.contains("00:59:59:00"));
    assert!(d.message.contains("20 ms"));
    let p = plan(clean_items());
    let f = run(&p, &clean_all(&p));
    none(&f, "clipping");
    none(&f, "dropout");
}

#[test]
fn dropouts_count_in_the_me_and_print_master_only() {
    // The same gaps in every file: the guide and the optional are silent
    // between lines by nature; the M&E and the print master are not.
    let gaps = Dropouts {
        count: 3,
        total_frames: 3 * 960,
        first: vec![Span {
            offset: 24 * FRAME,
            length: 960,
        }],
    };
    let p = plan(clean_items());
    let mut m = clean_all(&p);
    for x in &mut m[1..=4] {
        x.as_mut().unwrap().dropouts = gaps.clone();
    }
    let f = run(&p, &m);
    let mut files: Vec<&str> = f
        .iter()
        .filter(|x| x.rule.id() == "dropout")
        .map(|x| x.file.as_str())
        .collect();
    files.sort_unstable();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files[0].ends_with("ME.wav") && files[1].ends_with("PM.wav"),
        "{files:?}"
    );
}

#[test]
fn pop_reports_its_timecode_and_offset() {
    let (p, m) = with(1, |m| {
        m.pop = Some(Pop {
            offset: 24 * FRAME,
            length: FRAME,
            channel: 0,
        });
    });
    // Move every other pop by the same amount so they still line up.
    let m: Vec<_> = m
        .into_iter()
        .map(|x| {
            x.map(|mut x| {
                x.pop = Some(Pop {
                    offset: 24 * FRAME,
                    length: FRAME,
                    channel: 0,
                });
                x
            })
        })
        .collect();
    let f = run(&p, &m);
    let pop = one(&f, "pop", "ME.wav");
    assert_eq!(pop.severity, Severity::Info);
    assert!(pop.message.contains("00:59:59:00"), "{}", pop.message);
    assert!(pop.message.contains(&format!("sample {}", 24 * FRAME)));
    assert_eq!(pop.value.as_deref(), Some("00:59:59:00"));
    none(&f, "pop_alignment");
}

#[test]
fn misaligned_pops_warn_beyond_the_tolerance() {
    let shifted = |by: u64| {
        move |m: &mut Measurements| {
            m.pop = Some(Pop {
                offset: by,
                length: FRAME,
                channel: 0,
            });
        }
    };
    let (p, m) = with(2, shifted(3));
    let f = run(&p, &m);
    let a = one(&f, "pop_alignment", "OPTA.wav");
    assert_eq!(a.severity, Severity::Warning);
    assert!(a.message.contains("3 samples") && a.message.contains("later than ME"));
    assert_eq!(of(&f, "pop_alignment").len(), 1);
    let (p, m) = with(2, shifted(1));
    none(&run(&p, &m), "pop_alignment");
}

#[test]
fn a_missing_pop_is_information() {
    let (p, m) = with(2, |m| m.pop = None);
    let f = run(&p, &m);
    let missing = one(&f, "pop", "OPTA.wav");
    assert_eq!(missing.severity, Severity::Info);
    assert!(missing.message.contains("no 2-pop"));
    // Nobody has a pop: nothing to say.
    let p = plan(clean_items());
    let mut m = clean_all(&p);
    for x in m.iter_mut().flatten() {
        x.pop = None;
    }
    none(&run(&p, &m), "pop");
}

#[test]
fn tables_mark_severity_with_words() {
    let (p, m) = with(1, |m| {
        m.true_peak_dbtp[4] = Some(-0.6);
        m.silent_channels = vec![2];
    });
    let mut f = run(&p, &m);
    f.push(one(&f, "loudness", "ME.wav").clone());
    let mut w = f[0].clone();
    w.severity = Severity::Warning;
    f.push(w);
    sort_findings(&mut f);
    assert_eq!(f[0].severity, Severity::Error);
    let t = render_table(&f);
    assert!(t.lines().next().unwrap().starts_with("ERROR"));
    assert!(t.lines().any(|l| l.starts_with("WARN ")));
    assert!(
        t.lines()
            .any(|l| l.starts_with("INFO ") && l.contains("[loudness]"))
    );
    assert!(t.contains("C (channel 3)"));
    assert!(t.trim_end().ends_with("info"));
    assert_eq!(render_table(&[]), "No findings.\n");

    let r = render_measurements(&p, &m, FrameRate::new(24000, 1001));
    assert!(r.contains("ME.wav"));
    assert!(r.contains("-0.6 dBTP (Ls)"), "{r}");
    assert!(r.contains("-24.0 LUFS") && r.contains("7.5 LU"));
    assert!(r.contains("silent channels: C"));
    assert!(r.contains("2-pop: 00:59:58:00 (sample 0)"));
    // The video is not listed; an unanalysed file says so.
    assert!(!r.contains("REF.mov"));
    let r = render_measurements(&p, &[], FrameRate::new(24, 1));
    assert!(r.contains("not analysed"));
}

#[test]
fn measurements_shorter_than_the_plan_are_not_analysed() {
    let p = plan(vec![
        reference(super::fixtures::mov()),
        audio(Role::Mne, wav(6)),
        opt('A', wav(6)),
    ]);
    let mut quiet = clean(6);
    quiet.silent = true;
    let f = run(&p, &[None, Some(quiet)]);
    one(&f, "silent_file", "ME.wav");
    assert!(f.iter().all(|x| !x.file.ends_with("OPTA.wav")));
}

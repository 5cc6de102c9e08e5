//! The "known defects" package: one delivery with a 44.1 kHz file,
//! a 16-bit file, a 5-channel M&E, an optional one frame short, an
//! inter-sample over, a silent centre, misaligned pops and a 25 fps
//! picture for a 23.976 job; each defect yields its finding. And the clean
//! package yields no error and no warning.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use mnepack::check::{Finding, has_errors, header_findings, signal_findings};
use mnepack::job::Role;
use mnepack::manifest::FindingRecord;
use mnepack::plan::Plan;
use mnepack::profile::Severity;

use super::fixtures::{
    FRAME, LEN, START, audio, clean_all, clean_items, job, mov, netflix, no_problems, one, opt,
    plan, reference, wav,
};

fn defective() -> Plan {
    let mut pal = mov();
    pal.frame_rate_num = Some(25);
    pal.frame_rate_den = Some(1);
    pal.duration_frames = Some(250);
    pal.start_frames = None;
    pal.start_timecode = None;
    let mut me = wav(5);
    me.channel_labels = ["L", "R", "C", "Ls", "Rs"].map(String::from).to_vec();
    let mut short = wav(6);
    short.frames = LEN - FRAME;
    let mut slow = wav(6);
    slow.sample_rate = 44_100;
    slow.frames = LEN * 44_100 / 48_000;
    // The time reference counts the file's own samples: 00:59:58:00 at 44.1 kHz.
    slow.bext.as_mut().unwrap().time_reference = (START * 44_100 + 24_000) / 48_000;
    let mut b16 = wav(1);
    b16.bits = 16;
    b16.valid_bits = 16;
    plan(vec![
        reference(pal),
        audio(Role::Mne, me),
        opt('A', wav(5)),
        opt('B', short),
        opt('C', slow),
        audio(Role::DialogueGuide, b16),
        audio(Role::PrintMaster, wav(6)),
    ])
}

fn all(p: &Plan) -> Vec<Finding> {
    let j = job("23.976");
    let profile = netflix();
    let mut m = clean_all(p);
    // ME: an inter-sample over on Ls, sample peak below the limit; silent C.
    let me = m[1].as_mut().unwrap();
    me.true_peak_dbtp[3] = Some(-0.7);
    me.sample_peak_dbfs = vec![Some(-1.2); 5];
    me.silent_channels = vec![2];
    // OPTA's pop 5 samples late.
    m[2].as_mut().unwrap().pop.as_mut().unwrap().offset = 5;
    let mut f = header_findings(&j, &profile, p);
    f.extend(signal_findings(&j, &profile, p, &m));
    f
}

#[test]
fn every_known_defect_yields_its_finding() {
    let f = all(&defective());
    assert!(has_errors(&f));
    let expect = [
        ("sample_rate", "OPTC.wav", Severity::Error),
        ("bit_depth", "GUIDE.wav", Severity::Error),
        ("channels", "ME.wav", Severity::Error),
        ("length", "OPTB.wav", Severity::Error),
        ("true_peak_error", "ME.wav", Severity::Error),
        ("silent_channel", "ME.wav", Severity::Error),
        ("pop_alignment", "OPTA.wav", Severity::Warning),
        ("reference_video", "REF.mov", Severity::Warning),
    ];
    for (rule, file, severity) in expect {
        assert_eq!(one(&f, rule, file).severity, severity, "{rule}");
    }
    assert!(
        one(&f, "true_peak_error", "ME.wav")
            .message
            .contains("inter-sample")
    );
    assert!(
        one(&f, "silent_channel", "ME.wav")
            .message
            .starts_with("C (channel 3)")
    );
    assert!(
        one(&f, "reference_video", "REF.mov")
            .message
            .contains("25 fps")
    );
    // The 44.1 kHz optional lasts as long as the M&E and starts with it:
    // no length, start or pop finding beyond its rate.
    let optc: Vec<&str> = f
        .iter()
        .filter(|x| x.file.ends_with("OPTC.wav") && x.severity != Severity::Info)
        .map(|x| x.rule.id())
        .collect();
    assert_eq!(optc, ["sample_rate"]);
    // Every finding converts to a manifest record with the same words.
    for x in &f {
        let r = FindingRecord::from(x);
        assert_eq!(
            (r.rule.as_str(), r.file.as_str()),
            (x.rule.id(), x.file.as_str())
        );
        assert_eq!(r.severity == "error", x.severity == Severity::Error);
    }
}

#[test]
fn the_clean_package_has_no_error_and_no_warning() {
    let p = plan(clean_items());
    let j = job("23.976");
    let profile = netflix();
    let mut f = header_findings(&j, &profile, &p);
    f.extend(signal_findings(&j, &profile, &p, &clean_all(&p)));
    assert!(!has_errors(&f));
    no_problems(&f);
    // ... but it is not silent: loudness and pops are reported.
    assert!(f.iter().any(|x| x.rule.id() == "loudness"));
    assert!(f.iter().any(|x| x.rule.id() == "pop"));
}

#[test]
fn the_clean_package_at_another_rate() {
    // 25 fps job and a 25 fps picture of the same duration: still clean.
    let mut v = mov();
    v.frame_rate_num = Some(25);
    v.frame_rate_den = Some(1);
    v.duration_frames = Some(LEN * 25 / 48_000);
    v.start_frames = None;
    v.start_timecode = None;
    let mut items = clean_items();
    items[0] = reference(v);
    let p = plan(items);
    let j = job("25");
    let f = header_findings(&j, &netflix(), &p);
    assert!(f.is_empty(), "{f:#?}");
}

//! Header rules: each fired by one defect and silent on the clean case.

#![allow(clippy::unwrap_used)] // test code: a failed unwrap is a failed test

use mnepack::check::header_findings;
use mnepack::job::Role;
use mnepack::probe::{Bext, Container, SampleFormat};
use mnepack::profile::Severity;

use super::fixtures::{
    FRAME, LEN, START, audio, clean_items, job, mono_set, mov, netflix, no_problems, none, one,
    opt, opt_desc, plan, reference, wav,
};

fn run(items: Vec<mnepack::plan::PlanItem>) -> Vec<mnepack::check::Finding> {
    header_findings(&job("23.976"), &netflix(), &plan(items))
}

#[test]
fn clean_headers_have_no_findings() {
    let f = run(clean_items());
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn container_fires_on_float_only() {
    let mut float = wav(6);
    float.sample_format = SampleFormat::Float;
    float.format_tag = 3;
    float.bits = 32;
    float.valid_bits = 32;
    float.codec = "pcm_f32le".into();
    let mut rf64 = wav(6);
    rf64.container = Container::Rf64;
    let f = run(vec![audio(Role::Mne, rf64), opt('A', float)]);
    let c = one(&f, "container", "OPTA.wav");
    assert_eq!(c.severity, Severity::Error);
    assert!(c.message.contains("floating point"), "{}", c.message);
    // The float file is not also blamed for its bit depth; RF64 PCM is fine.
    none(&f, "bit_depth");
    assert_eq!(f.iter().filter(|x| x.rule.id() == "container").count(), 1);
}

#[test]
fn sample_rate_fires_on_44k1() {
    let mut slow = wav(6);
    slow.sample_rate = 44_100;
    slow.frames = LEN * 44_100 / 48_000;
    let f = run(vec![audio(Role::Mne, wav(6)), opt('A', slow)]);
    let r = one(&f, "sample_rate", "OPTA.wav");
    assert_eq!(r.severity, Severity::Error);
    assert!(r.message.contains("44.1 kHz") && r.message.contains("48 kHz"));
    // Same duration at another rate is not a length problem.
    none(&f, "length");
    none(&f, "length_small");
    let f = run(vec![audio(Role::Mne, wav(6))]);
    none(&f, "sample_rate");
}

#[test]
fn bit_depth_fires_on_16_bit_and_on_24_in_32() {
    let mut b16 = wav(1);
    b16.bits = 16;
    b16.valid_bits = 16;
    let mut b24in32 = wav(6);
    b24in32.bits = 32;
    let f = run(vec![
        audio(Role::Mne, wav(6)),
        audio(Role::DialogueGuide, b16),
        opt('B', b24in32),
    ]);
    let g = one(&f, "bit_depth", "GUIDE.wav");
    assert!(g.message.contains("16-bit"), "{}", g.message);
    assert_eq!(g.severity, Severity::Error);
    one(&f, "bit_depth", "OPTB.wav");
    assert!(
        one(&f, "bit_depth", "OPTB.wav")
            .message
            .contains("32-bit containers")
    );
    none(&run(vec![audio(Role::Mne, wav(6))]), "bit_depth");
}

#[test]
fn channels_fire_per_role_and_count_mono_sets() {
    let f = run(vec![
        audio(Role::Mne, wav(5)),
        audio(Role::DialogueGuide, wav(2)),
    ]);
    let me = one(&f, "channels", "ME.wav");
    assert!(me.message.contains("5 channels") && me.message.contains("the M&E needs 6"));
    assert_eq!(me.severity, Severity::Error);
    let g = one(&f, "channels", "GUIDE.wav");
    assert!(g.message.contains("1, 5 or 6"), "{}", g.message);

    let full = mono_set(Role::PrintMaster, &["L", "R", "C", "LFE", "Ls", "Rs"]);
    let short = mono_set(Role::Mne, &["L", "R", "C", "Ls", "Rs"]);
    let mut items = full;
    items.extend(short);
    let f = run(items);
    // One finding for the whole 5-file ME set, none for the 6-file PM set.
    let hits: Vec<_> = f.iter().filter(|x| x.rule.id() == "channels").collect();
    assert_eq!(hits.len(), 1, "{f:#?}");
    assert!(hits[0].file.contains("ME."));
    assert!(hits[0].message.contains("5 mono files"));
}

#[test]
fn an_optional_of_another_layout_than_the_me_is_accepted_with_a_note() {
    let f = run(vec![
        audio(Role::Mne, wav(6)),
        opt('A', wav(2)),
        opt('B', wav(6)),
    ]);
    // Spec B4: any layout from mono to 7.1.2, whatever the M&E's.
    let o = one(&f, "optional_layout", "OPTA.wav");
    assert_eq!(o.severity, Severity::Info);
    assert!(o.message.contains("2ch") && o.message.contains("6ch"));
    assert!(o.message.contains("accepted"), "{}", o.message);
    assert_eq!(
        f.iter()
            .filter(|x| x.rule.id() == "optional_layout")
            .count(),
        1
    );
    // Without an M&E there is nothing to compare with.
    none(&run(vec![opt('A', wav(2))]), "optional_layout");
}

#[test]
fn letters_past_e_get_a_note_and_shared_letters_name_their_track() {
    let mut b16 = wav(6);
    b16.bits = 16;
    b16.valid_bits = 16;
    let f = run(vec![
        audio(Role::Mne, wav(6)),
        opt('A', wav(6)),
        opt_desc('B', "Walla English", b16),
        opt_desc('B', "Walla Spanish", wav(6)),
        opt_desc('F', "Chants", wav(6)),
    ]);
    let n = one(&f, "optional_letter", "OPTF_Chants.wav");
    assert_eq!(n.severity, Severity::Info);
    assert_eq!(n.value.as_deref(), Some("F"));
    for want in [
        "OPTF uses letter F",
        "A vocalizations and efforts",
        "B group ADR and walla",
        "C foreign-language dialogue",
        "D archival material",
        "E song vocals",
    ] {
        assert!(n.message.contains(want), "{want}: {}", n.message);
    }
    assert_eq!(
        f.iter()
            .filter(|x| x.rule.id() == "optional_letter")
            .count(),
        1
    );
    // Two tracks of letter B: messages say which one.
    let b = one(&f, "bit_depth", "OPTB_WallaEnglish.wav");
    assert!(b.message.starts_with("OPTB_WallaEnglish "), "{}", b.message);
    none(&run(clean_items()), "optional_letter");
}

#[test]
fn channel_mask_warns_on_odd_5_1_masks_only() {
    let with = |mask: Option<u32>| {
        let mut w = wav(6);
        w.channel_mask = mask;
        w
    };
    let f = run(vec![
        audio(Role::Mne, with(Some(0x3F))),
        opt('A', with(Some(0x60F))),
        opt('B', with(None)),
        audio(Role::PrintMaster, with(Some(0x63F))),
    ]);
    let m = one(&f, "channel_mask", "PM.wav");
    assert_eq!(m.severity, Severity::Warning);
    assert!(m.message.contains("0x63F"));
    assert_eq!(
        f.iter().filter(|x| x.rule.id() == "channel_mask").count(),
        1
    );
}

#[test]
fn length_errors_at_one_frame_and_warns_below() {
    let mut frame_short = wav(6);
    frame_short.frames = LEN - FRAME;
    let mut sample_long = wav(6);
    sample_long.frames = LEN + 1;
    let f = run(vec![
        audio(Role::Mne, wav(6)),
        opt('A', wav(6)),
        opt('B', frame_short),
        opt('C', sample_long),
    ]);
    let e = one(&f, "length", "OPTB.wav");
    assert_eq!(e.severity, Severity::Error);
    assert!(e.message.contains("1 frame") && e.message.contains("2002 samples"));
    assert!(e.message.contains("shorter"));
    let w = one(&f, "length_small", "OPTC.wav");
    assert_eq!(w.severity, Severity::Warning);
    assert!(w.message.contains("(1 sample)"), "{}", w.message);
    assert!(w.message.contains("longer"));
    assert_eq!(
        f.iter()
            .filter(|x| x.rule.id().starts_with("length"))
            .count(),
        2
    );
}

#[test]
fn length_vs_picture_allows_one_frame() {
    let mut long = wav(6);
    long.frames = LEN + 2 * FRAME;
    let f = run(vec![reference(mov()), audio(Role::Mne, long.clone())]);
    let p = one(&f, "length_vs_picture", "ME.wav");
    assert_eq!(p.severity, Severity::Warning);
    assert!(p.message.contains("2 frames") && p.message.contains("longer"));
    long.frames = LEN + FRAME;
    none(
        &run(vec![reference(mov()), audio(Role::Mne, long)]),
        "length_vs_picture",
    );
}

#[test]
fn start_compares_with_the_me_and_the_picture() {
    let mut late = wav(6);
    late.bext = Some(Bext {
        time_reference: START + FRAME,
        ..Bext::default()
    });
    let mut no_bext = wav(1);
    no_bext.bext = None;
    let f = run(vec![
        reference(mov()),
        audio(Role::Mne, wav(6)),
        opt('A', late),
        audio(Role::DialogueGuide, no_bext),
    ]);
    let s = one(&f, "start", "OPTA.wav");
    assert_eq!(s.severity, Severity::Warning);
    assert!(s.message.contains("00:59:58:01") && s.message.contains("later"));
    assert!(one(&f, "start", "GUIDE.wav").message.contains("no bext"));
    assert_eq!(f.iter().filter(|x| x.rule.id() == "start").count(), 2);

    let mut early_video = mov();
    early_video.start_frames = Some(super::fixtures::START_FRAMES - 48);
    early_video.start_timecode = Some("00:59:56:00".into());
    let f = run(vec![reference(early_video), audio(Role::Mne, wav(6))]);
    let v = one(&f, "start", "ME.wav");
    assert!(v.message.contains("00:59:56:00") && v.message.contains("48 frames"));
}

#[test]
fn reference_video_rules() {
    let mut h264 = mov();
    h264.codec_fourcc = Some("avc1".into());
    h264.codec_name = Some("H.264".into());
    let f = run(vec![reference(h264), audio(Role::Mne, wav(6))]);
    let c = one(&f, "reference_video", "REF.mov");
    assert_eq!(c.severity, Severity::Warning);
    assert!(c.message.contains("H.264"));

    let mut pal = mov();
    pal.frame_rate_num = Some(25);
    pal.frame_rate_den = Some(1);
    let f = run(vec![reference(pal), audio(Role::Mne, wav(6))]);
    let r = one(&f, "reference_video", "REF.mov");
    assert!(r.message.contains("25 fps") && r.message.contains("23.976"));

    let mut odd = mov();
    odd.frame_rate_num = Some(12);
    odd.frame_rate_den = Some(1);
    let f = run(vec![reference(odd), audio(Role::Mne, wav(6))]);
    assert!(
        one(&f, "reference_video", "REF.mov")
            .message
            .contains("not one the delivery accepts")
    );

    let mut mxf = mov();
    mxf.container = Container::Mxf;
    mxf.details_read = false;
    let f = run(vec![reference(mxf), audio(Role::Mne, wav(6))]);
    assert!(
        one(&f, "reference_video", "REF.mov")
            .message
            .contains("by hand")
    );

    let f = run(vec![audio(Role::Mne, wav(6))]);
    let missing = super::fixtures::of(&f, "reference_video");
    assert_eq!(missing.len(), 1);
    assert!(missing[0].message.contains("no reference video"));
    // A print-master-only delivery needs no picture.
    none(
        &run(vec![audio(Role::PrintMaster, wav(6))]),
        "reference_video",
    );
    no_problems(&run(vec![reference(mov()), audio(Role::Mne, wav(6))]));
}

#[test]
fn severities_come_from_the_profile() {
    let mut p = netflix();
    p.qc.severity.sample_rate = Severity::Info;
    let mut slow = wav(6);
    slow.sample_rate = 44_100;
    let f = header_findings(&job("23.976"), &p, &plan(vec![audio(Role::Mne, slow)]));
    assert_eq!(one(&f, "sample_rate", "ME.wav").severity, Severity::Info);
}

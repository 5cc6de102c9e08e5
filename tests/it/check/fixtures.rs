//! Builders for check tests: a 23.976 job, the netflix profile, plan items
//! of every role with sane header facts (48 kHz, 24-bit PCM, 10 s, starting
//! at 00:59:58:00), a matching ProRes reference, and clean measurements.

#![allow(clippy::unwrap_used, dead_code)] // test helpers: a failed unwrap is a failed test

use std::path::PathBuf;

use chrono::NaiveDate;
use mnepack::analysis::{Measurements, Pop};
use mnepack::check::Finding;
use mnepack::job::{Job, Role};
use mnepack::plan::{Plan, PlanItem};
use mnepack::probe::{AudioInfo, Bext, Container, Media, Probed, VideoInfo};
use mnepack::profile::{Profile, Severity};

/// Samples in one frame at 23.976 and 48 kHz.
pub const FRAME: u64 = 2002;
/// 240 frames (about 10 s) of 23.976 at 48 kHz.
pub const LEN: u64 = 240 * FRAME;
/// 00:59:58:00 at 23.976 (86,352 frames) in frames.
pub const START_FRAMES: u64 = (59 * 60 + 58) * 24;
/// 00:59:58:00 at 23.976 as samples since midnight at 48 kHz.
pub const START: u64 = START_FRAMES * FRAME;

pub fn job(rate: &str) -> Job {
    let text =
        format!("title: Chefs Table\nunit: s02e02\nframe_rate: {rate}\nsources:\n  mne: me.wav\n");
    Job::from_yaml(
        &text,
        std::path::Path::new("/stage"),
        NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
    )
    .unwrap()
}

pub fn netflix() -> Profile {
    Profile::builtin("netflix").unwrap()
}

fn labels(channels: u16) -> Vec<String> {
    let l: &[&str] = match channels {
        1 => &["C"],
        2 => &["L", "R"],
        5 => &["L", "R", "C", "Ls", "Rs"],
        6 => &["L", "R", "C", "LFE", "Ls", "Rs"],
        _ => &[],
    };
    l.iter().map(|s| (*s).to_string()).collect()
}

/// A clean 48 kHz 24-bit PCM file of `channels`, LEN frames, bext at START.
pub fn wav(channels: u16) -> AudioInfo {
    AudioInfo {
        channel_labels: labels(channels),
        bext: Some(Bext {
            time_reference: START,
            version: 1,
            ..Bext::default()
        }),
        ..AudioInfo::pcm24(channels, LEN)
    }
}

/// A ProRes 422 QuickTime at 23.976, LEN long, starting at 00:59:58:00.
pub fn mov() -> VideoInfo {
    VideoInfo {
        container: Container::QuickTime,
        details_read: true,
        codec_fourcc: Some("apcn".into()),
        codec_name: Some("Apple ProRes 422".into()),
        width: Some(1920),
        height: Some(1080),
        frame_rate_num: Some(24000),
        frame_rate_den: Some(1001),
        duration_frames: Some(LEN / FRAME),
        duration_seconds: Some(LEN as f64 / 48_000.0),
        start_timecode: Some("00:59:58:00".into()),
        start_frames: Some(START_FRAMES),
        drop_frame: false,
        audio_tracks: 0,
        sound: None,
        notes: Vec::new(),
    }
}

/// An item of `role` named after its label (`OPTA.wav`, `PM.L.wav`).
pub fn item(role: Role, letter: Option<char>, channel: Option<&str>, media: Media) -> PlanItem {
    let code = match role {
        Role::ReferenceVideo => "REF".to_string(),
        Role::Mne => "ME".to_string(),
        Role::Optional => format!("OPT{}", letter.unwrap_or('A')),
        Role::DialogueGuide => "GUIDE".to_string(),
        Role::PrintMaster => "PM".to_string(),
    };
    let (ext, folder) = match (role, &media) {
        (_, Media::Video(_)) => ("mov", "MnE"),
        (Role::PrintMaster, _) => ("wav", "Printmaster"),
        _ => ("wav", "MnE"),
    };
    let name = match channel {
        Some(c) => format!("{code}.{c}.{ext}"),
        None => format!("{code}.{ext}"),
    };
    PlanItem {
        role,
        letter,
        desc: None,
        channel: channel.map(str::to_string),
        source: PathBuf::from(format!("/stage/{name}")),
        folder: folder.to_string(),
        name,
        version: 1,
        date: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
        size: 1000,
        probed: Probed {
            path: PathBuf::from("/stage/src"),
            size: 1000,
            modified: None,
            media,
        },
        status: mnepack::plan::ItemStatus::New,
        previous_name: None,
        previous: None,
    }
}

pub fn audio(role: Role, info: AudioInfo) -> PlanItem {
    let letter = (role == Role::Optional).then_some('A');
    item(role, letter, None, Media::Audio(info))
}

pub fn opt(letter: char, info: AudioInfo) -> PlanItem {
    item(Role::Optional, Some(letter), None, Media::Audio(info))
}

/// An optional track with a description, named `OPT<letter>_<Desc>.wav`.
pub fn opt_desc(letter: char, desc: &str, info: AudioInfo) -> PlanItem {
    let mut i = opt(letter, info);
    i.desc = Some(desc.to_string());
    i.name = format!("OPT{letter}_{}.wav", desc.replace(' ', ""));
    i.source = PathBuf::from(format!("/stage/{}", i.name));
    i
}

pub fn reference(v: VideoInfo) -> PlanItem {
    item(Role::ReferenceVideo, None, None, Media::Video(v))
}

/// A mono set of `role` with one file per label.
pub fn mono_set(role: Role, channels: &[&str]) -> Vec<PlanItem> {
    channels
        .iter()
        .map(|c| {
            let mut info = wav(1);
            info.channel_labels = vec![(*c).to_string()];
            item(role, None, Some(c), Media::Audio(info))
        })
        .collect()
}

pub fn plan(items: Vec<PlanItem>) -> Plan {
    Plan {
        root_name: "chefs_table_s02e02_delivery01".into(),
        delivery_number: 1,
        folders: vec!["MnE".into(), "Printmaster".into()],
        items,
        previous: None,
        removed: Vec::new(),
    }
}

/// REF, a clean 5.1 ME, optional A (5.1), a mono GUIDE and a 5.1 PM.
pub fn clean_items() -> Vec<PlanItem> {
    vec![
        reference(mov()),
        audio(Role::Mne, wav(6)),
        opt('A', wav(6)),
        audio(Role::DialogueGuide, wav(1)),
        audio(Role::PrintMaster, wav(6)),
    ]
}

/// Clean measurements of a file of `channels`: peaks well below the
/// limits, -24 LUFS, a 2-pop at the first sample.
pub fn clean(channels: usize) -> Measurements {
    Measurements {
        true_peak_dbtp: vec![Some(-3.0); channels],
        sample_peak_dbfs: vec![Some(-3.4); channels],
        integrated_lufs: Some(-24.0),
        lra_lu: Some(7.5),
        silent_channels: Vec::new(),
        frames: LEN,
        silent: false,
        first_sound_frame: Some(0),
        last_sound_frame: Some(LEN - 1),
        pop: Some(Pop {
            offset: 0,
            length: FRAME,
            channel: 0,
        }),
        ..Measurements::default()
    }
}

/// Clean measurements for every audio item of `plan` (None for video).
pub fn clean_all(plan: &Plan) -> Vec<Option<Measurements>> {
    plan.items
        .iter()
        .map(|i| match &i.probed.media {
            Media::Audio(a) => Some(clean(usize::from(a.channels))),
            Media::Video(_) => None,
        })
        .collect()
}

/// The findings of `rule`.
pub fn of<'a>(findings: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule.id() == rule).collect()
}

/// The one finding of `rule` about the file named `name` (panics otherwise).
pub fn one<'a>(findings: &'a [Finding], rule: &str, name: &str) -> &'a Finding {
    let hits: Vec<_> = findings
        .iter()
        .filter(|f| f.rule.id() == rule && f.file.ends_with(&format!("/{name}")))
        .collect();
    assert_eq!(hits.len(), 1, "{rule} on {name}: {findings:#?}");
    hits[0]
}

/// No finding of `rule` at all.
pub fn none(findings: &[Finding], rule: &str) {
    assert!(of(findings, rule).is_empty(), "{rule}: {findings:#?}");
}

/// No error and no warning.
pub fn no_problems(findings: &[Finding]) {
    let bad: Vec<_> = findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .collect();
    assert!(bad.is_empty(), "{bad:#?}");
}

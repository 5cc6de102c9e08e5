//! Tests of redelivery planning: versions by track and channel, the size +
//! time guess and its resolution by hash, removed and dropped roles, and
//! the note. Its helpers build previous manifests for `tests_previous`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::*;
use crate::manifest::{Delivery, JobSummary, Manifest, ManifestFile, SCHEMA, SourceRef, Tool};
use crate::probe::{AudioInfo, Container, Media, Probed, VideoInfo};

pub(super) const T0: &str = "2026-11-24T10:00:00Z";
pub(super) const T1: &str = "2026-12-02T09:30:00Z";

pub(super) fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

pub(super) fn audio(path: &str, channels: u16, frames: u64, modified: &str) -> Probed {
    let block = channels * 3;
    Probed {
        path: PathBuf::from(path),
        size: 44 + u64::from(block) * frames,
        modified: Some(modified.to_string()),
        media: Media::Audio(AudioInfo::pcm24(channels, frames)),
    }
}

pub(super) fn video(path: &str, modified: &str) -> Probed {
    Probed {
        path: PathBuf::from(path),
        size: 1234,
        modified: Some(modified.to_string()),
        media: Media::Video(VideoInfo {
            container: Container::QuickTime,
            details_read: true,
            codec_fourcc: Some("apcn".into()),
            codec_name: None,
            width: None,
            height: None,
            frame_rate_num: None,
            frame_rate_den: None,
            duration_frames: None,
            duration_seconds: None,
            start_timecode: None,
            start_frames: None,
            drop_frame: false,
            audio_tracks: 0,
            sound: None,
            notes: Vec::new(),
        }),
    }
}

pub(super) fn netflix() -> Profile {
    Profile::builtin("netflix").unwrap()
}

pub(super) fn job(text: &str, date: NaiveDate) -> Job {
    Job::from_yaml(text, Path::new("/stage"), date).unwrap()
}

pub(super) fn map(list: Vec<Probed>) -> BTreeMap<PathBuf, Probed> {
    list.into_iter().map(|p| (p.path.clone(), p)).collect()
}

pub(super) fn digest(i: usize) -> String {
    format!("{:064x}", i + 1)
}

/// The manifest a first delivery of `plan` would have had, each file's
/// SHA-256 being `digest(index)`.
pub(super) fn manifest_of(plan: &Plan, title: &str, unit: &str) -> Manifest {
    Manifest {
        schema: SCHEMA.to_string(),
        tool: Tool {
            name: "mnepack".into(),
            version: "0.1.0".into(),
        },
        created: "2026-11-25T10:00:00Z".into(),
        delivery: Delivery {
            number: plan.delivery_number,
            root: plan.root_name.clone(),
            previous: None,
        },
        job: JobSummary {
            title: title.into(),
            unit: unit.into(),
            frame_rate: "23.976".into(),
            language: None,
            profile: "netflix".into(),
        },
        files: plan
            .items
            .iter()
            .enumerate()
            .map(|(n, i)| ManifestFile {
                path: i.rel_path(),
                role: i.role.as_str().into(),
                letter: i.letter.map(|c| c.to_string()),
                channel: i.channel.clone(),
                desc: i.desc.clone(),
                version: i.version,
                date: i.date.format("%Y-%m-%d").to_string(),
                status: i.status.as_str().into(),
                previous_name: None,
                source: SourceRef {
                    path: i.source.display().to_string(),
                    size: i.size,
                    modified: i.probed.modified.clone(),
                },
                size: i.size,
                sha256: digest(n),
                xxh64: "0123456789abcdef".into(),
                md5: None,
                media: None,
                analysis: None,
            })
            .collect(),
        removed: Vec::new(),
        findings: Vec::new(),
        conform: Vec::new(),
        forced: false,
    }
}

pub(super) fn previous_of(plan: &Plan, title: &str, unit: &str) -> Previous {
    Previous::from_manifest(
        manifest_of(plan, title, unit),
        PathBuf::from(format!("/out/{0}/{0}.yaml", plan.root_name)),
        "ab".repeat(32),
    )
    .unwrap()
}

pub(super) const CT: &str = "\
title: Chef's Table
unit: s02e02
frame_rate: 23.976
sources:
  reference_video: ref.mov
  mne: me.wav
  optionals:
    - {letter: B, desc: walla, file: walla.wav}
";

/// Delivery 01 of `CT` (25 Nov) and its manifest as the previous delivery.
pub(super) fn first_delivery() -> (Plan, Previous) {
    let probed = map(vec![
        video("/stage/ref.mov", T0),
        audio("/stage/me.wav", 6, 48_000, T0),
        audio("/stage/walla.wav", 1, 48_000, T0),
    ]);
    let p = plan(&job(CT, day(11, 25)), &netflix(), &probed, 1).unwrap();
    let prev = previous_of(&p, "chefs_table", "s02e02");
    (p, prev)
}

fn names(p: &Plan) -> Vec<&str> {
    p.items.iter().map(|i| i.name.as_str()).collect()
}

#[test]
fn unchanged_keeps_the_name_byte_for_byte_and_changed_gets_v02() {
    let (first, prev) = first_delivery();
    // The M&E was fixed (new length); the rest is untouched.
    let probed = map(vec![
        video("/stage/ref.mov", T0),
        audio("/stage/me.wav", 6, 47_000, T1),
        audio("/stage/walla.wav", 1, 48_000, T0),
    ]);
    let j = job(CT, day(12, 3));
    let p = plan_redelivery(&j, &netflix(), &probed, &prev).unwrap();
    assert_eq!(p.delivery_number, 2);
    assert_eq!(p.root_name, "chefs_table_s02e02_delivery02");
    let st: Vec<_> = p.items.iter().map(|i| i.status).collect();
    assert_eq!(
        st,
        [
            ItemStatus::ProbablyUnchanged,
            ItemStatus::Changed,
            ItemStatus::ProbablyUnchanged
        ]
    );
    assert_eq!(p.items[0].name, first.items[0].name);
    assert_eq!(p.items[2].name, first.items[2].name);
    assert_eq!(
        p.items[1].name,
        first.items[1]
            .name
            .replace("_v01_20261125_", "_v02_20261203_")
    );
    assert_eq!((p.items[1].version, p.items[1].date), (2, day(12, 3)));
    assert_eq!((p.items[0].version, p.items[0].date), (1, day(11, 25)));
    assert_eq!(
        p.items[1].previous_name.as_deref(),
        Some(first.items[1].name.as_str())
    );
    assert!(!p.is_resolved());
    let pd = p.previous.as_ref().unwrap();
    assert_eq!(
        (pd.number, pd.root.as_str()),
        (1, "chefs_table_s02e02_delivery01")
    );
    assert_eq!(pd.reference().sha256, prev.sha256);
    assert_eq!(
        p.items[0].previous.as_ref().unwrap().delivered,
        Path::new("/out/chefs_table_s02e02_delivery01").join(first.items[0].rel_path())
    );
    // The hash read confirms: the ME changed, the rest did not.
    let sums = vec![digest(0), "f".repeat(64), digest(2)];
    let r = resolve_statuses(&p, &sums).unwrap();
    assert!(r.is_resolved());
    let st: Vec<_> = r.items.iter().map(|i| i.status.as_str()).collect();
    assert_eq!(st, ["unchanged", "changed", "unchanged"]);
    assert_eq!(names(&r), names(&p));
    assert!(renames(&p, &r).is_empty());
    let table = r.render_versions();
    assert!(
        table.contains("(redelivery of chefs_table_s02e02_delivery01)")
            && table.contains(&format!("(was {})", first.items[1].name)),
        "{table}"
    );
}

#[test]
fn a_guess_is_overturned_by_the_hash() {
    let (first, prev) = first_delivery();
    // The M&E was touched (same size, new time); the walla looks untouched
    // but its bytes differ.
    let probed = map(vec![
        video("/stage/ref.mov", T0),
        audio("/stage/me.wav", 6, 48_000, T1),
        audio("/stage/walla.wav", 1, 48_000, T0),
    ]);
    let p = plan_redelivery(&job(CT, day(12, 3)), &netflix(), &probed, &prev).unwrap();
    assert_eq!(p.items[1].status, ItemStatus::ProbablyChanged);
    assert_eq!(p.items[1].version, 2);
    assert_eq!(p.items[2].status, ItemStatus::ProbablyUnchanged);
    let r = resolve_statuses(&p, &[digest(0), digest(1).to_uppercase(), "e".repeat(64)]).unwrap();
    // Touched but identical: unchanged, the old name back.
    assert_eq!(r.items[1].status, ItemStatus::Unchanged);
    assert_eq!(r.items[1].name, first.items[1].name);
    assert_eq!((r.items[1].version, r.items[1].date), (1, day(11, 25)));
    // Same size and time but other bytes: changed, v02 at the job's date.
    assert_eq!(r.items[2].status, ItemStatus::Changed);
    assert_eq!(
        r.items[2].name,
        first.items[2]
            .name
            .replace("_v01_20261125_", "_v02_20261203_")
    );
    let moved = renames(&p, &r);
    assert_eq!(moved.len(), 2);
    assert_eq!((moved[0].index, moved[1].index), (1, 2));
    assert_eq!(moved[0].to, first.items[1].rel_path());
    assert!(resolve_statuses(&p, &[digest(0)]).is_err());
}

#[test]
fn new_optional_gets_v01_and_removed_roles_need_a_drop() {
    let (first, prev) = first_delivery();
    let text = CT.replace(
        "{letter: B, desc: walla, file: walla.wav}",
        "{letter: C, desc: songs, file: songs.wav}",
    );
    let probed = map(vec![
        video("/stage/ref.mov", T0),
        audio("/stage/me.wav", 6, 48_000, T0),
        audio("/stage/songs.wav", 2, 48_000, T1),
    ]);
    let e = plan_redelivery(&job(&text, day(12, 3)), &netflix(), &probed, &prev)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("optional B")
            && e.contains(&first.items[2].rel_path())
            && e.contains("dropped: [optional B]"),
        "{e}"
    );
    let dropped = text.replace("sources:", "dropped: [optional B]\nsources:");
    let p = plan_redelivery(&job(&dropped, day(12, 3)), &netflix(), &probed, &prev).unwrap();
    let songs = &p.items[2];
    assert_eq!(songs.status, ItemStatus::New);
    assert_eq!((songs.version, songs.date), (1, day(12, 3)));
    assert!(songs.name.contains("_v01_20261203_OPTC_Songs_2ch_"));
    assert!(songs.previous_name.is_none() && songs.previous.is_none());
    assert_eq!(p.removed.len(), 1);
    let r = &p.removed[0];
    assert!(r.dropped && r.superseded_by.is_empty());
    assert_eq!(r.previous_name, first.items[2].name);
    assert_eq!(r.record().reason, "role dropped");
    assert_eq!(r.record().path, first.items[2].rel_path());
    // The note, before and after the read.
    let note = redelivery_note(&p).unwrap();
    assert!(note.provisional);
    let r = resolve_statuses(&p, &[digest(0), digest(1), digest(9)]).unwrap();
    let note = redelivery_note(&r).unwrap();
    assert!(!note.provisional);
    assert_eq!(note.new, [songs.rel_path()]);
    assert_eq!(
        note.unchanged,
        [first.items[0].rel_path(), first.items[1].rel_path()]
    );
    assert_eq!(note.removed, [first.items[2].rel_path()]);
    assert!(note.changed.is_empty());
    let text = note.render();
    assert!(
        text.contains(
            "Delivery 02 (chefs_table_s02e02_delivery02) replaces chefs_table_s02e02_delivery01"
        ) && text.contains("New (1):")
            && text.contains("Removed (1):")
            && !text.contains("Changed"),
        "{text}"
    );
    let json = serde_json::to_value(&note).unwrap();
    assert_eq!(json["number"], 2);
    assert_eq!(json["removed"][0], first.items[2].rel_path().as_str());
    // The first delivery has no note.
    assert!(redelivery_note(&first).is_none());
}

#[test]
fn the_reference_video_cannot_go_missing() {
    let (_, prev) = first_delivery();
    let text = CT.replace("  reference_video: ref.mov\n", "");
    let probed = map(vec![
        audio("/stage/me.wav", 6, 48_000, T0),
        audio("/stage/walla.wav", 1, 48_000, T0),
    ]);
    let e = plan_redelivery(&job(&text, day(12, 3)), &netflix(), &probed, &prev)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("reference video goes with every delivery"),
        "{e}"
    );
}

#[test]
fn version_99_grows_to_100() {
    let (_, mut prev) = first_delivery();
    prev.files[1].version = 99;
    let probed = map(vec![
        video("/stage/ref.mov", T0),
        audio("/stage/me.wav", 6, 47_000, T1),
        audio("/stage/walla.wav", 1, 48_000, T0),
    ]);
    let p = plan_redelivery(&job(CT, day(12, 3)), &netflix(), &probed, &prev).unwrap();
    assert_eq!(p.items[1].version, 100);
    assert!(p.items[1].name.contains("_s02e02_v100_20261203_ME_"));
    assert_eq!(crate::naming::parse_version(&p.items[1].name), Some(100));
    prev.files[1].version = u32::MAX;
    let e = plan_redelivery(&job(CT, day(12, 3)), &netflix(), &probed, &prev).unwrap_err();
    assert!(e.to_string().contains("cannot grow"), "{e}");
}

const PM: &str = "\
title: Night Train
unit: lp
frame_rate: 24
sources:
  reference_video: ref.mov
  print_master: [pm.L.wav, pm.R.wav, pm.C.wav, pm.LFE.wav, pm.Ls.wav, pm.Rs.wav]
";

fn pm_probed(c_frames: u64, c_time: &str) -> BTreeMap<PathBuf, Probed> {
    let mut list = vec![video("/stage/ref.mov", T0)];
    for ch in ["L", "R", "C", "LFE", "Ls", "Rs"] {
        let (frames, t) = if ch == "C" {
            (c_frames, c_time)
        } else {
            (48_000, T0)
        };
        list.push(audio(&format!("/stage/pm.{ch}.wav"), 1, frames, t));
    }
    map(list)
}

#[test]
fn mono_sets_match_channel_by_channel() {
    let first = plan(&job(PM, day(11, 25)), &netflix(), &pm_probed(48_000, T0), 1).unwrap();
    let prev = previous_of(&first, "night_train", "lp");
    let p = plan_redelivery(
        &job(PM, day(12, 3)),
        &netflix(),
        &pm_probed(47_999, T1),
        &prev,
    )
    .unwrap();
    for (i, item) in p.items.iter().enumerate() {
        if item.channel.as_deref() == Some("C") {
            assert_eq!(item.status, ItemStatus::Changed);
            assert_eq!(item.version, 2);
            assert!(
                item.name
                    .ends_with("_v02_20261203_PM_Nearfield_6ch_48k_24b_24.C.wav"),
                "{}",
                item.name
            );
        } else {
            assert_eq!(item.status, ItemStatus::ProbablyUnchanged);
            assert_eq!(item.name, first.items[i].name);
        }
    }
    // Delivered interleaved now: the six mono files are superseded, not an error.
    let text = PM.replace(
        "[pm.L.wav, pm.R.wav, pm.C.wav, pm.LFE.wav, pm.Ls.wav, pm.Rs.wav]",
        "pm.wav",
    );
    let probed = map(vec![
        video("/stage/ref.mov", T0),
        audio("/stage/pm.wav", 6, 48_000, T1),
    ]);
    let p = plan_redelivery(&job(&text, day(12, 3)), &netflix(), &probed, &prev).unwrap();
    assert_eq!(p.items[1].status, ItemStatus::New);
    assert_eq!(p.removed.len(), 6);
    assert!(p.removed.iter().all(|r| !r.dropped
        && r.superseded_by == [p.items[1].rel_path()]
        && r.record().reason.starts_with("superseded by Printmaster/")));
}

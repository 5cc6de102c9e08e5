//! Tests of optional tracks that share a letter (spec B1): distinct names,
//! collisions still refused, and redeliveries matched by letter and
//! description ([`match_tracks`]), with the one-track-per-letter fallback.

use std::slice;

use super::tests_redeliver::{
    T0, T1, audio, day, digest, first_delivery, job, map, netflix, previous_of, video,
};
use super::*;
use crate::job::{OptionalSource, Source, Track};

const TWO_B: &str = "\
title: Chef's Table
unit: s02e02
frame_rate: 23.976
sources:
  reference_video: ref.mov
  mne: me.wav
  optionals:
    - {letter: B, desc: Walla English, file: walla_en.wav}
    - {letter: B, desc: Walla Spanish, file: walla_es.wav}
";

fn two_b_probed(es_frames: u64, es_time: &str) -> std::collections::BTreeMap<PathBuf, Probed> {
    map(vec![
        video("/stage/ref.mov", T0),
        audio("/stage/me.wav", 6, 48_000, T0),
        audio("/stage/walla_en.wav", 2, 48_000, T0),
        audio("/stage/walla_es.wav", 2, es_frames, es_time),
    ])
}

fn optional(letter: char, desc: &str) -> Track {
    Track::new(Role::Optional, Some(letter), Some(desc))
}

#[test]
fn two_tracks_of_one_letter_get_two_names() {
    let p = plan(
        &job(TWO_B, day(11, 25)),
        &netflix(),
        &two_b_probed(48_000, T0),
        1,
    )
    .unwrap();
    assert_eq!(
        p.items[2].name,
        "chefs_table_s02e02_v01_20261125_OPTB_WallaEnglish_2ch_48k_24b_23976.wav"
    );
    assert_eq!(
        p.items[3].name,
        "chefs_table_s02e02_v01_20261125_OPTB_WallaSpanish_2ch_48k_24b_23976.wav"
    );
}

#[test]
fn descriptions_that_name_alike_still_collide() {
    // A job built in code (the TUI builds one) can hold what a job file
    // refuses: one letter, descriptions equal once named.
    let mut j = job(TWO_B, day(11, 25));
    j.sources.optionals[1] = OptionalSource {
        letter: 'B',
        desc: "walla english".into(),
        source: Source::File("/stage/walla_es.wav".into()),
    };
    let e = plan(&j, &netflix(), &two_b_probed(48_000, T0), 1)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("names collide") && e.contains("OPTB_WallaEnglish_2ch"),
        "{e}"
    );
}

#[test]
fn tracks_match_by_letter_and_description_then_by_a_lone_letter() {
    let me = Track::new(Role::Mne, None, None);
    let (en, es, walla) = (
        optional('B', "Walla English"),
        optional('B', "WallaSpanish"),
        optional('B', "Walla"),
    );
    // Same tracks, any order, any spelling that names alike.
    let m = match_tracks(
        &[es.clone(), me.clone(), optional('B', "walla english")],
        &[en.clone(), es.clone(), me.clone()],
    );
    assert_eq!(m.get(&en), Some(&en));
    assert_eq!(m.get(&es), Some(&es));
    assert_eq!(m.get(&me), Some(&me));
    // One B before, one B now, description edited: the same track.
    let m = match_tracks(slice::from_ref(&en), slice::from_ref(&walla));
    assert_eq!(m.get(&en), Some(&walla));
    // One B before, two now: neither is the old one.
    let m = match_tracks(&[en.clone(), es.clone()], slice::from_ref(&walla));
    assert!(m.is_empty(), "{m:?}");
    // Two before, one now under a third name: new.
    let m = match_tracks(slice::from_ref(&walla), &[en, es]);
    assert!(m.is_empty(), "{m:?}");
    // Another letter is another track.
    let m = match_tracks(&[optional('C', "Walla")], &[walla]);
    assert!(m.is_empty(), "{m:?}");
}

#[test]
fn a_redelivery_versions_each_track_of_a_letter_by_its_description() {
    let first = plan(
        &job(TWO_B, day(11, 25)),
        &netflix(),
        &two_b_probed(48_000, T0),
        1,
    )
    .unwrap();
    let prev = previous_of(&first, "chefs_table", "s02e02");
    // Spanish was fixed; the job now lists it first.
    let text = TWO_B.replace(
        "    - {letter: B, desc: Walla English, file: walla_en.wav}\n    - {letter: B, desc: Walla Spanish, file: walla_es.wav}\n",
        "    - {letter: B, desc: Walla Spanish, file: walla_es.wav}\n    - {letter: B, desc: Walla English, file: walla_en.wav}\n",
    );
    let p = plan_redelivery(
        &job(&text, day(12, 3)),
        &netflix(),
        &two_b_probed(47_000, T1),
        &prev,
    )
    .unwrap();
    let es = &p.items[2];
    let en = &p.items[3];
    assert_eq!(es.status, ItemStatus::Changed);
    assert_eq!(
        es.name,
        "chefs_table_s02e02_v02_20261203_OPTB_WallaSpanish_2ch_48k_24b_23976.wav"
    );
    assert_eq!(
        es.previous_name.as_deref(),
        Some(first.items[3].name.as_str())
    );
    assert_eq!(en.status, ItemStatus::ProbablyUnchanged);
    assert_eq!(en.name, first.items[2].name);
    assert!(p.removed.is_empty(), "{:?}", p.removed);
    let r = resolve_statuses(&p, &[digest(0), digest(1), "e".repeat(64), digest(2)]).unwrap();
    assert_eq!(r.items[3].status, ItemStatus::Unchanged);
    assert_eq!(r.items[2].version, 2);
}

#[test]
fn a_lone_track_keeps_its_history_when_edited_but_not_when_split() {
    let (first, prev) = first_delivery();
    let text = super::tests_redeliver::CT.replace("desc: walla", "desc: Walla Crowd");
    let probed = map(vec![
        video("/stage/ref.mov", T0),
        audio("/stage/me.wav", 6, 48_000, T0),
        audio("/stage/walla.wav", 1, 48_000, T0),
    ]);
    let p = plan_redelivery(&job(&text, day(12, 3)), &netflix(), &probed, &prev).unwrap();
    assert_eq!(p.items[2].status, ItemStatus::ProbablyUnchanged);
    assert_eq!(p.items[2].name, first.items[2].name);
    let bumped = &p.items[2].previous.as_ref().unwrap().bumped.name;
    assert!(
        bumped.contains("_v02_20261203_OPTB_WallaCrowd_mono_"),
        "{bumped}"
    );
    assert!(p.removed.is_empty());
    // Split in two languages: neither is the old track, which must be dropped by name.
    let text = super::tests_redeliver::CT.replace(
        "    - {letter: B, desc: walla, file: walla.wav}\n",
        "    - {letter: B, desc: Walla English, file: walla_en.wav}\n    - {letter: B, desc: Walla Spanish, file: walla_es.wav}\n",
    );
    let probed = map(vec![
        video("/stage/ref.mov", T0),
        audio("/stage/me.wav", 6, 48_000, T0),
        audio("/stage/walla_en.wav", 2, 48_000, T1),
        audio("/stage/walla_es.wav", 2, 48_000, T1),
    ]);
    let e = plan_redelivery(&job(&text, day(12, 3)), &netflix(), &probed, &prev)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("optional B walla (")
            && e.contains(&first.items[2].rel_path())
            && e.contains("dropped: [optional B walla]"),
        "{e}"
    );
    let text = text.replace("sources:", "dropped: [optional B walla]\nsources:");
    let p = plan_redelivery(&job(&text, day(12, 3)), &netflix(), &probed, &prev).unwrap();
    assert!(p.items[2..].iter().all(|i| i.status == ItemStatus::New));
    assert_eq!(p.removed.len(), 1);
    assert!(p.removed[0].dropped);
    assert_eq!(p.removed[0].desc.as_deref(), Some("walla"));
}

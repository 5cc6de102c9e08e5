//! Profile, job, naming and plan through the public API: the spec B2 names
//! rendered exactly, the per-channel form, hostile text never producing an
//! illegal name, job-file errors, relative paths, and every profile in
//! `config/` loading.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use mnepack::job::{Job, Role};
use mnepack::naming::{
    Field, Fields, NameRules, camel_case, parse_version, sanitize_title, version_token,
};
use mnepack::plan::plan;
use mnepack::probe::{AudioInfo, Container, Media, Probed, VideoInfo};
use mnepack::profile::Profile;
use proptest::prelude::*;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

fn audio(path: &str, channels: u16) -> Probed {
    let block = channels * 3;
    Probed {
        path: PathBuf::from(path),
        size: 44 + u64::from(block) * 48_000,
        modified: None,
        media: Media::Audio(AudioInfo::pcm24(channels, 48_000)),
    }
}

fn video(path: &str, container: Container) -> Probed {
    Probed {
        path: PathBuf::from(path),
        size: 1234,
        modified: None,
        media: Media::Video(VideoInfo {
            container,
            details_read: true,
            codec_fourcc: Some("apcn".into()),
            codec_name: Some("Apple ProRes 422".into()),
            width: Some(96),
            height: Some(54),
            frame_rate_num: Some(24),
            frame_rate_den: Some(1),
            duration_frames: Some(96),
            duration_seconds: Some(4.0),
            start_timecode: None,
            start_frames: None,
            drop_frame: false,
            audio_tracks: 0,
            sound: None,
            notes: Vec::new(),
        }),
    }
}

fn job(text: &str) -> Job {
    Job::from_yaml(text, Path::new("/stage"), day(25)).unwrap()
}

fn netflix() -> Profile {
    Profile::builtin("netflix").unwrap()
}

fn probed_map(list: Vec<Probed>) -> BTreeMap<PathBuf, Probed> {
    list.into_iter().map(|p| (p.path.clone(), p)).collect()
}

const NIGHT_TRAIN: &str = "\
title: 'Night Train'
unit: lp
frame_rate: 24
sources:
  reference_video: ref.MOV
  dialogue_guide: guide.wav
  print_master: pm.wav
";

#[test]
fn spec_b2_long_play_examples() {
    let j = job(NIGHT_TRAIN);
    let probed = probed_map(vec![
        video("/stage/ref.MOV", Container::QuickTime),
        audio("/stage/guide.wav", 1),
        audio("/stage/pm.wav", 6),
    ]);
    let p = plan(&j, &netflix(), &probed, 1).unwrap();
    assert_eq!(p.root_name, "night_train_lp_delivery01");
    assert_eq!(p.folders, ["MnE", "Printmaster"]);
    let names: Vec<_> = p
        .items
        .iter()
        .map(mnepack::plan::PlanItem::rel_path)
        .collect();
    assert_eq!(
        names,
        [
            "MnE/night_train_lp_v01_20261125_REF_StageMix_24.mov",
            "MnE/night_train_lp_v01_20261125_GUIDE_mono_48k_24b_24.wav",
            "Printmaster/night_train_lp_v01_20261125_PM_Nearfield_6ch_48k_24b_24.wav",
        ]
    );
    assert!(p.items.iter().all(|i| i.version == 1 && i.date == day(25)));
    assert_eq!(p.items[1].role, Role::DialogueGuide);
    assert_eq!(p.items[2].size, probed[Path::new("/stage/pm.wav")].size);
    let table = p.render_table();
    assert!(table.starts_with("night_train_lp_delivery01/\n"));
    assert!(table.contains("<-  /stage/pm.wav"));
}

#[test]
fn spec_b2_episode_examples() {
    let j = job("\
title: \"Chef's Table\"
unit: s02e02
frame_rate: 23.976
sources:
  mne: me.wav
  optionals:
    - {letter: B, desc: walla, file: walla.wav}
");
    let probed = probed_map(vec![
        audio("/stage/me.wav", 6),
        audio("/stage/walla.wav", 1),
    ]);
    let p = plan(&j, &netflix(), &probed, 2).unwrap();
    assert_eq!(p.root_name, "chefs_table_s02e02_delivery02");
    assert_eq!(p.folders, ["MnE"]);
    assert_eq!(
        p.items[0].name,
        "chefs_table_s02e02_v01_20261125_ME_Nearfield_6ch_48k_24b_23976.wav"
    );
    assert_eq!(
        p.items[1].name,
        "chefs_table_s02e02_v01_20261125_OPTB_Walla_mono_48k_24b_23976.wav"
    );
    assert_eq!(p.items[1].letter, Some('B'));
    // The v02 example of spec B2: the same template at version 2, 3 Dec.
    let profile = netflix();
    let f = Fields::new()
        .with(Field::Title, sanitize_title("Chef's Table"))
        .with(Field::Unit, "s02e02")
        .with(Field::Version, version_token(2))
        .with(Field::Date, "20261203")
        .with(Field::Asset, profile.asset_code(Role::Optional, Some('B')))
        .with(Field::Desc, camel_case("Walla"))
        .with(Field::Layout, profile.layout_token(1))
        .with(Field::Rate, "48k")
        .with(Field::Depth, "24b")
        .with(Field::Tc, "23976")
        .with(Field::Ext, "wav");
    let name = profile
        .naming
        .template
        .render_with(&f, &profile.name_rules())
        .unwrap();
    assert_eq!(
        name,
        "chefs_table_s02e02_v02_20261203_OPTB_Walla_mono_48k_24b_23976.wav"
    );
    assert_eq!(parse_version(&name), Some(2));
}

#[test]
fn per_channel_files_use_the_set_layout() {
    let j = job("\
title: Chef's Table
unit: s02e02
frame_rate: 23.976
sources:
  print_master: [pm.L.wav, pm.R.wav, pm.C.wav, pm.LFE.wav, pm.Ls.wav, pm.Rs.wav]
  optionals:
    - letter: A
      desc: vocals
      files: [{channel: R, file: v.R.wav}, {channel: L, file: v.L.wav}]
");
    let mut list: Vec<Probed> = ["L", "R", "C", "LFE", "Ls", "Rs"]
        .iter()
        .map(|c| audio(&format!("/stage/pm.{c}.wav"), 1))
        .collect();
    list.push(audio("/stage/v.R.wav", 1));
    list.push(audio("/stage/v.L.wav", 1));
    let p = plan(&j, &netflix(), &probed_map(list), 1).unwrap();
    let names: Vec<_> = p.items.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names[0],
        "chefs_table_s02e02_v01_20261125_OPTA_Vocals_2ch_48k_24b_23976.R.wav"
    );
    assert_eq!(
        names[1],
        "chefs_table_s02e02_v01_20261125_OPTA_Vocals_2ch_48k_24b_23976.L.wav"
    );
    assert_eq!(
        names[2],
        "chefs_table_s02e02_v01_20261125_PM_Nearfield_6ch_48k_24b_23976.L.wav"
    );
    assert_eq!(
        names[5],
        "chefs_table_s02e02_v01_20261125_PM_Nearfield_6ch_48k_24b_23976.LFE.wav"
    );
    assert_eq!(p.items[7].channel.as_deref(), Some("Rs"));
    assert!(p.items[2..].iter().all(|i| i.folder == "Printmaster"));
}

#[test]
fn plan_errors_list_every_problem() {
    let j = job(NIGHT_TRAIN);
    // Audio as the reference video, video as the guide, the print master missing.
    let probed = probed_map(vec![
        audio("/stage/ref.MOV", 2),
        video("/stage/guide.wav", Container::Mxf),
    ]);
    let e = plan(&j, &netflix(), &probed, 1).unwrap_err().to_string();
    assert!(
        e.contains("/stage/ref.MOV: the reference video is RIFF audio"),
        "{e}"
    );
    assert!(
        e.contains("/stage/guide.wav: the dialogue_guide source is MXF video"),
        "{e}"
    );
    assert!(e.contains("/stage/pm.wav: not probed"), "{e}");
    // A mono-set member with two channels.
    let j = job("title: x\nunit: lp\nframe_rate: 24\nsources:\n  mne: [a.wav, b.wav]\n");
    let probed = probed_map(vec![audio("/stage/a.wav", 1), audio("/stage/b.wav", 2)]);
    let e = plan(&j, &netflix(), &probed, 1).unwrap_err().to_string();
    assert!(e.contains("channel R of a mono set has 2 channels"), "{e}");
}

#[test]
fn duplicate_names_are_refused() {
    // With the netflix template, letters keep optionals apart; a profile
    // whose template drops {asset} makes two descriptions that differ only
    // in case collide.
    let text = include_str!("../../config/netflix.yaml").replace(
        "{date}_{asset}[_{soundfield}][_{desc}]_{layout}",
        "{date}[_{soundfield}][_{desc}]_{layout}",
    );
    let profile = Profile::from_yaml(&text, "noasset").unwrap();
    let j = job("\
title: x
unit: lp
frame_rate: 24
sources:
  optionals:
    - {letter: A, desc: Walla, file: a.wav}
    - {letter: B, desc: WALLA, file: b.wav}
");
    let probed = probed_map(vec![audio("/stage/a.wav", 1), audio("/stage/b.wav", 1)]);
    let e = plan(&j, &profile, &probed, 1).unwrap_err().to_string();
    assert!(
        e.contains("names collide") && e.contains("_Walla_") && e.contains("_WALLA_"),
        "{e}"
    );
}

#[test]
fn frame_rate_outside_the_profile_is_refused() {
    let text = include_str!("../../config/netflix.yaml").replace("\"24\", ", "");
    let profile = Profile::from_yaml(&text, "no24").unwrap();
    let j = job("title: x\nunit: lp\nframe_rate: 24\nsources: {mne: a.wav}\n");
    let e = plan(&j, &profile, &probed_map(vec![audio("/stage/a.wav", 6)]), 1).unwrap_err();
    assert!(
        e.to_string()
            .contains("frame rate 24 is not one of the profile's rates"),
        "{e}"
    );
}

#[test]
fn delivery_numbers_and_mxf_extension() {
    let j = job("title: x\nunit: r03\nframe_rate: 25\nsources: {reference_video: ref}\n");
    let probed = probed_map(vec![video("/stage/ref", Container::Mxf)]);
    let p = plan(&j, &netflix(), &probed, 123).unwrap();
    assert_eq!(p.root_name, "x_r03_delivery123");
    assert_eq!(p.items[0].name, "x_r03_v01_20261125_REF_StageMix_25.mxf");
}

#[test]
fn hostile_titles_and_descriptions() {
    let long = "é".repeat(1000);
    let (mut planned, mut too_long) = (0, 0);
    for title in [
        "../../etc",
        "a/b",
        "x\0y",
        "line\nbreak",
        "東京 night",
        long.as_str(),
        "..",
        "-rf",
    ] {
        let text = format!(
            "title: {}\nunit: lp\nframe_rate: 24\nsources:\n  optionals:\n    - {{letter: A, desc: {}, file: a.wav}}\n",
            serde_json::to_string(title).unwrap(),
            serde_json::to_string(title).unwrap()
        );
        let Ok(j) = Job::from_yaml(&text, Path::new("/stage"), day(25)) else {
            continue; // refused at load: fine
        };
        match plan(
            &j,
            &netflix(),
            &probed_map(vec![audio("/stage/a.wav", 2)]),
            1,
        ) {
            Ok(p) => {
                for i in &p.items {
                    assert!(
                        NameRules::default().check(&i.name).is_ok(),
                        "{title:?} -> {}",
                        i.name
                    );
                }
                assert!(NameRules::default().check(&p.root_name).is_ok());
                planned += 1;
            }
            Err(e) => {
                assert!(e.to_string().contains("bytes long"), "{title:?}: {e}");
                too_long += 1;
            }
        }
    }
    assert_eq!((planned, too_long), (6, 1));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_renders_a_legal_name_or_an_error(title in any::<String>(), desc in any::<String>()) {
        let profile = netflix();
        let f = Fields::new()
            .with(Field::Title, sanitize_title(&title))
            .with(Field::Unit, "lp")
            .with(Field::Version, "v01")
            .with(Field::Date, "20261125")
            .with(Field::Asset, "OPTA")
            .with(Field::Desc, camel_case(&desc))
            .with(Field::Layout, "mono")
            .with(Field::Rate, "48k")
            .with(Field::Depth, "24b")
            .with(Field::Tc, "24")
            .with(Field::Ext, "wav");
        if let Ok(name) = profile.naming.template.render_with(&f, &profile.name_rules()) {
            prop_assert!(name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)), "{}", name);
            prop_assert!(!name.contains(".."));
            prop_assert!(name.len() <= 255);
        }
    }

    #[test]
    fn raw_field_values_never_escape(value in any::<String>()) {
        // Even unsanitised values cannot produce an illegal name: the final check catches them.
        let profile = netflix();
        let f = Fields::new()
            .with(Field::Title, value.clone())
            .with(Field::Unit, value.clone())
            .with(Field::Version, "v01")
            .with(Field::Date, "20261125")
            .with(Field::Asset, value.clone())
            .with(Field::Layout, "mono")
            .with(Field::Rate, "48k")
            .with(Field::Depth, "24b")
            .with(Field::Tc, "24")
            .with(Field::Channel, value)
            .with(Field::Ext, "wav");
        if let Ok(name) = profile.naming.template.render_with(&f, &profile.name_rules()) {
            prop_assert!(name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)), "{}", name);
            prop_assert!(!name.contains(".."));
            prop_assert!(name.len() <= 255);
        }
    }
}

#[test]
fn job_file_paths_resolve_against_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("jobs");
    std::fs::create_dir(&sub).unwrap();
    let path = sub.join("job.yaml");
    std::fs::write(
        &path,
        "title: x\nunit: lp\nframe_rate: 24\noutput: ../out\nsources:\n  mne: ../stage/me.wav\n  print_master: /abs/pm.wav\n",
    )
    .unwrap();
    let j = Job::load(&path, day(25)).unwrap();
    let flat = j.sources_flat();
    assert_eq!(flat[0].path, dir.path().join("stage/me.wav"));
    assert_eq!(flat[1].path, PathBuf::from("/abs/pm.wav"));
    assert_eq!(j.output_dir(), dir.path().join("out"));
    // Saving and loading again gives the same job.
    std::fs::write(&path, j.to_yaml()).unwrap();
    assert_eq!(Job::load(&path, day(25)).unwrap(), j);
    // Errors name the file.
    std::fs::write(
        &path,
        "title: x\nunit: e01\nframe_rate: 24\nsources: {mne: a.wav}\n",
    )
    .unwrap();
    let e = Job::load(&path, day(25)).unwrap_err().to_string();
    assert!(
        e.contains("job.yaml") && e.contains("unit") && e.contains("line 2"),
        "{e}"
    );
    let e = Job::load(&sub.join("missing.yaml"), day(25))
        .unwrap_err()
        .to_string();
    assert!(e.contains("missing.yaml"), "{e}");
}

#[test]
fn every_profile_in_config_loads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("config");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            let p = Profile::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(!p.name.is_empty());
            n += 1;
        }
    }
    assert!(n >= 1, "no profile in {}", dir.display());
    // The embedded netflix profile is the file on disk.
    assert_eq!(Profile::load(&dir.join("netflix.yaml")).unwrap(), netflix());
}

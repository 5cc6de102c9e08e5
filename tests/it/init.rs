//! `mnepack init DIR`: a job file guessed from a stage folder, that packs.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use std::ffi::OsStr;

use crate::common::{mix_room_stage, mnepack, run_in};

#[test]
fn init_writes_a_job_that_packs_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = crate::common::demo_at(&tmp.path().join("night"));
    let job = tmp.path().join("guessed.yaml");
    let out = mnepack()
        .arg("init")
        .arg(demo.join("stage"))
        .arg("-o")
        .arg(&job)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&job).unwrap();
    for want in [
        "frame_rate: '23.976'",
        "reference_video: night/stage/NT_stage_ref_2398.mov",
        "mne: night/stage/NT_ME_51.wav",
        "dialogue_guide: night/stage/NT_DX_guide_mono.wav",
        "print_master: night/stage/NT_PM_51.wav",
        "desc: Efforts",
        "desc: Walla",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    assert!(!text.contains("._NT"), "AppleDouble offered:\n{text}");
    // It packs as written.
    let out = mnepack().args(["pack", "-q"]).arg(&job).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Beside the stage folder, as the wizard suggests too.
    assert!(demo.join("deliveries/stage_lp_delivery01").is_dir());
    // A second init refuses to overwrite.
    let before = std::fs::read(&job).unwrap();
    let out = mnepack()
        .arg("init")
        .arg(demo.join("stage"))
        .arg("-o")
        .arg(&job)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(std::fs::read(&job).unwrap(), before);
}

#[test]
fn init_in_a_mix_room_stage_folder_writes_a_job_that_packs_beside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let stage = mix_room_stage(tmp.path(), "NT 101");
    run_in(None, &[OsStr::new("init"), stage.as_os_str()]).expect(0);
    let job = stage.join("job.yaml");
    let text = std::fs::read_to_string(&job).unwrap();
    assert!(!text.contains("._NT"), "AppleDouble offered:\n{text}");
    // The default job packs: its delivery root is not inside the stage.
    let packed = run_in(
        None,
        &[OsStr::new("pack"), OsStr::new("-q"), job.as_os_str()],
    );
    packed.expect(0);
    let deliveries = std::fs::canonicalize(tmp.path())
        .unwrap()
        .join("deliveries");
    let root = deliveries.join("nt_101_stage_lp_delivery01");
    assert!(root.join("MnE").is_dir(), "{packed:?}");
    run_in(None, &[OsStr::new("verify"), root.as_os_str()]).expect(0);
}

#[test]
fn init_on_a_folder_of_three_sessions_lists_them_and_writes_nothing() {
    // Sessions whose names carry no episode: which files go together is
    // not guessed.
    let tmp = tempfile::tempdir().unwrap();
    let stages = tmp.path().join("Night Train mixes");
    for ep in ["Mix A", "Mix B", "Mix C"] {
        mix_room_stage(&stages, ep);
    }
    let ran = run_in(None, &[OsStr::new("init"), stages.as_os_str()]);
    ran.expect(2);
    for ep in ["Mix A", "Mix B", "Mix C"] {
        let line = ran
            .stderr
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{ep} Stage/")))
            .unwrap_or_else(|| panic!("{ep} not listed:\n{}", ran.stderr));
        assert!(
            line.contains("M&E, PM, guide, ref, 2 optionals (6 files)"),
            "{line}"
        );
    }
    assert!(
        ran.stderr.contains("holds 3 stage folders"),
        "{}",
        ran.stderr
    );
    assert!(ran.stderr.contains("mnepack init '"), "{}", ran.stderr);
    assert!(
        !stages.join("job.yaml").exists() && !stages.join("season.yaml").exists(),
        "a job was guessed anyway"
    );
    // One of them, named, gets a job of its own files only.
    let one = stages.join("Mix B Stage");
    run_in(None, &[OsStr::new("init"), one.as_os_str()]).expect(0);
    let text = std::fs::read_to_string(one.join("job.yaml")).unwrap();
    assert!(!text.contains("Mix A") && !text.contains("Mix C"), "{text}");
}

#[test]
fn init_on_a_folder_of_episode_sessions_writes_a_season() {
    let tmp = tempfile::tempdir().unwrap();
    let season = tmp.path().join("Night Train S1");
    for ep in ["NT 101", "NT 102", "NT 103"] {
        mix_room_stage(&season, ep);
    }
    let ran = run_in(None, &[OsStr::new("init"), season.as_os_str()]);
    ran.expect(0);
    assert!(
        ran.stdout.contains("3 episodes: s01e01, s01e02, s01e03"),
        "{}",
        ran.stdout
    );
    let text = std::fs::read_to_string(season.join("season.yaml")).unwrap();
    let two = text.split("unit: s01e02").nth(1).unwrap();
    let two = two.split("unit: s01e03").next().unwrap();
    assert!(
        two.contains("mne: NT 102 Stage/NT 102 ME 5.1.wav"),
        "{text}"
    );
    assert!(!two.contains("NT 101") && !two.contains("NT 103"), "{text}");
}

/// A stage folder as a mix room hands it over: spaces, mixed case, the
/// letters written in several spellings and found out of letter order,
/// walla in two languages, and a letter past E.
fn lettered_stage(tmp: &std::path::Path) -> std::path::PathBuf {
    let demo = crate::common::demo_at(&tmp.join("demo"));
    let from = demo.join("stage");
    let stage = tmp.join("NT101 Stage");
    std::fs::create_dir(&stage).unwrap();
    for (src, to) in [
        ("NT_stage_ref_2398.mov", "NT101 stage ref 2398.mov"),
        ("NT_ME_51.wav", "Night Train 101 M&E 5.1.wav"),
        ("NT_PM_51.wav", "Night Train 101 PrintMaster 51.wav"),
        ("NT_DX_guide_mono.wav", "Night Train 101 DX Guide mono.wav"),
        ("NT_OPT_walla_51.wav", "Night Train 101 OPT_B walla EN.wav"),
        ("NT_OPT_walla_51.wav", "Night Train 101 OPT_B walla ES.wav"),
        (
            "NT_OPT_efforts_51.wav",
            "night train 101 OPT Efforts 51.wav",
        ),
        ("NT_OPT_efforts_51.wav", "Night Train 101 OPTF Chants.wav"),
        ("NT_OPT_efforts_51.wav", "00 NT101 Opt-C foreign FR.wav"),
    ] {
        std::fs::copy(from.join(src), stage.join(to)).unwrap();
    }
    stage
}

#[test]
fn init_reads_optional_letters_and_languages_from_a_mix_rooms_names() {
    let tmp = tempfile::tempdir().unwrap();
    let stage = lettered_stage(tmp.path());
    let job = tmp.path().join("job.yaml");
    let out = mnepack()
        .arg("init")
        .arg(&stage)
        .arg("-o")
        .arg(&job)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let today = chrono::Local::now().date_naive();
    let loaded = mnepack::job::Job::load(&job, today).unwrap();
    let got: Vec<(char, String, String)> = loaded
        .sources
        .optionals
        .iter()
        .map(|o| {
            let file = o.source.paths()[0].file_name().unwrap();
            (
                o.letter,
                o.desc.clone(),
                file.to_string_lossy().into_owned(),
            )
        })
        .collect();
    let want = [
        ('A', "Efforts", "night train 101 OPT Efforts 51.wav"),
        ('B', "WallaEnglish", "Night Train 101 OPT_B walla EN.wav"),
        ('B', "WallaSpanish", "Night Train 101 OPT_B walla ES.wav"),
        ('C', "ForeignFrench", "00 NT101 Opt-C foreign FR.wav"),
        ('F', "Chants", "Night Train 101 OPTF Chants.wav"),
    ];
    let want: Vec<(char, String, String)> = want
        .iter()
        .map(|(l, d, f)| (*l, (*d).to_string(), (*f).to_string()))
        .collect();
    let text = std::fs::read_to_string(&job).unwrap();
    assert_eq!(got, want, "{text}");
    // The studio's QC would accept it: no error, no warning; the two
    // walla tracks have two names and F gets its note.
    let out = mnepack().arg("check").arg(&job).output().unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(report.contains("0 errors, 0 warnings"), "{report}");
    for name in [
        "_OPTB_WallaEnglish_6ch_48k_24b_23976.wav",
        "_OPTB_WallaSpanish_6ch_48k_24b_23976.wav",
        "_OPTC_ForeignFrench_6ch_",
    ] {
        assert!(report.contains(name), "{name} missing:\n{report}");
    }
    assert!(
        report.contains("[optional_letter] OPTF uses letter F")
            && report.contains("A vocalizations and efforts"),
        "{report}"
    );
}

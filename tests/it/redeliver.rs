//! Redelivery end to end through the binary: three deliveries in a row on
//! the demo stage. Only changed files get a new version and date; unchanged
//! ones keep their names byte for byte; a touched-but-identical file stays
//! unchanged; a new optional starts at v01; a missing role is an error; a
//! second delivery01 is refused; `verify` passes on every root.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use crate::common::text;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, SystemTime};

use mnepack::manifest::read_manifest;
use mnepack::testmedia::demo::DEMO_JOB;

use crate::common::mnepack;

fn run(args: &[&str]) -> Output {
    mnepack().args(args).output().unwrap()
}

/// Changes one sample byte near the end of a WAV (content differs, size same).
fn change_content(path: &Path) {
    let mut b = fs::read(path).unwrap();
    let n = b.len() - 100;
    b[n] ^= 0x10;
    fs::write(path, b).unwrap();
}

/// New mtime, same bytes.
fn touch(path: &Path) {
    let f = fs::OpenOptions::new().write(true).open(path).unwrap();
    f.set_modified(SystemTime::now() + Duration::from_secs(5))
        .unwrap();
}

/// (role key, delivered path) of every file in a root's manifest.
fn delivered(root: &Path) -> Vec<(String, String, String)> {
    let name = root.file_name().unwrap().to_string_lossy().into_owned();
    let m = read_manifest(&root.join(format!("{name}.yaml"))).unwrap();
    m.files
        .iter()
        .map(|f| {
            (
                format!("{}{}", f.role, f.letter.clone().unwrap_or_default()),
                f.path.clone(),
                f.status.clone(),
            )
        })
        .collect()
}

fn find<'a>(files: &'a [(String, String, String)], key: &str) -> &'a (String, String, String) {
    files
        .iter()
        .find(|f| f.0 == key)
        .unwrap_or_else(|| panic!("{key} in {files:?}"))
}

fn pack(job: &Path) -> Output {
    run(&["pack", job.to_str().unwrap(), "--quiet"])
}

fn verify_ok(root: &Path) {
    let o = run(&["verify", root.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", text(&o));
}

#[test]
fn three_deliveries_in_a_row() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    assert!(run(&["demo", dir.to_str().unwrap()]).status.success());
    let job = dir.join("job.yaml");
    let out = dir.join("deliveries");
    let r1: PathBuf = out.join("night_train_lp_delivery01");
    let r2: PathBuf = out.join("night_train_lp_delivery02");
    let r3: PathBuf = out.join("night_train_lp_delivery03");

    // 1. First delivery, dated 2026-11-25.
    fs::write(&job, format!("{DEMO_JOB}date: 2026-11-25\n")).unwrap();
    let o = pack(&job);
    assert!(o.status.success(), "{}", text(&o));
    let first = delivered(&r1);
    verify_ok(&r1);

    // Packing again without naming the previous delivery is refused.
    let o = pack(&job);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("previous"), "{}", text(&o));
    assert!(!r2.exists());

    // 2. Walla and print master fixed; the M&E touched but identical.
    change_content(&dir.join("stage/NT_OPT_walla_51.wav"));
    change_content(&dir.join("stage/NT_PM_51.wav"));
    touch(&dir.join("stage/NT_ME_51.wav"));
    let prev1 = r1.join("night_train_lp_delivery01.yaml");
    fs::write(
        &job,
        format!(
            "{DEMO_JOB}date: 2026-12-03\nprevious: {}\n",
            prev1.display()
        ),
    )
    .unwrap();
    let dry = run(&["pack", job.to_str().unwrap(), "--dry-run"]);
    assert!(dry.status.success(), "{}", text(&dry));
    assert!(
        text(&dry).contains("night_train_lp_delivery02"),
        "{}",
        text(&dry)
    );
    assert!(!r2.exists(), "dry run writes nothing");
    // Not --quiet: the redelivery note is part of the full report only.
    let o = run(&["pack", job.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    let second = delivered(&r2);
    assert_eq!(
        second.len(),
        first.len(),
        "the full set, reference video included"
    );
    for (key, path, status) in &second {
        let before = find(&first, key);
        if key == "optionalB" || key == "print_master" {
            assert_eq!(status, "changed", "{key}");
            assert!(path.contains("_v02_20261203_"), "{path}");
            assert_eq!(
                path.replace("_v02_20261203_", "_v01_20261125_"),
                before.1,
                "only version and date move"
            );
        } else {
            assert_eq!(status, "unchanged", "{key} (the M&E was only touched)");
            assert_eq!(path, &before.1, "{key} keeps its name byte for byte");
        }
    }
    assert!(second.iter().any(|f| f.0 == "reference_video"));
    let out2 = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        out2.contains("v02"),
        "the redelivery note names the changes: {out2}"
    );
    verify_ok(&r2);

    // 3. A new optional C, nothing else changed.
    fs::copy(
        dir.join("stage/NT_OPT_walla_51.wav"),
        dir.join("stage/NT_OPT_foreign_51.wav"),
    )
    .unwrap();
    let prev2 = r2.join("night_train_lp_delivery02.yaml");
    let job3 = DEMO_JOB.replace(
        "  dialogue_guide:",
        "    - {letter: C, desc: Foreign, file: stage/NT_OPT_foreign_51.wav}\n  dialogue_guide:",
    );
    fs::write(
        &job,
        format!("{job3}date: 2026-12-10\nprevious: {}\n", prev2.display()),
    )
    .unwrap();
    let o = pack(&job);
    assert!(o.status.success(), "{}", text(&o));
    let third = delivered(&r3);
    assert_eq!(third.len(), second.len() + 1);
    let c = find(&third, "optionalC");
    assert_eq!(c.2, "new");
    assert!(c.1.contains("_v01_20261210_OPTC_Foreign_"), "{}", c.1);
    for (key, path, status) in third.iter().filter(|f| f.0 != "optionalC") {
        assert_eq!(status, "unchanged", "{key}");
        assert_eq!(path, &find(&second, key).1, "{key}");
    }
    verify_ok(&r3);
    verify_ok(&r1);
    verify_ok(&r2);

    // A role delivered before and missing now is an error.
    let prev3 = r3.join("night_train_lp_delivery03.yaml");
    let job4 = job3.replace("  dialogue_guide: stage/NT_DX_guide_mono.wav\n", "");
    fs::write(
        &job,
        format!("{job4}date: 2026-12-11\nprevious: {}\n", prev3.display()),
    )
    .unwrap();
    let o = pack(&job);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).to_lowercase().contains("dialogue_guide"),
        "{}",
        text(&o)
    );
    assert!(!out.join("night_train_lp_delivery04").exists());
}

#[test]
fn two_walla_languages_on_b_are_redelivered_track_by_track() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    assert!(run(&["demo", dir.to_str().unwrap()]).status.success());
    fs::copy(
        dir.join("stage/NT_OPT_walla_51.wav"),
        dir.join("stage/NT_OPT_walla_es_51.wav"),
    )
    .unwrap();
    let walla = "    - {letter: B, desc: Walla, file: stage/NT_OPT_walla_51.wav}\n";
    assert!(DEMO_JOB.contains(walla));
    let en = "    - {letter: B, desc: Walla English, file: stage/NT_OPT_walla_51.wav}\n";
    let es = "    - {letter: B, desc: Walla Spanish, file: stage/NT_OPT_walla_es_51.wav}\n";
    let job = dir.join("job.yaml");
    let r1 = dir.join("deliveries/night_train_lp_delivery01");
    let r2 = dir.join("deliveries/night_train_lp_delivery02");
    let desc_of = |root: &Path| -> Vec<(String, String, String)> {
        let name = root.file_name().unwrap().to_string_lossy().into_owned();
        let m = read_manifest(&root.join(format!("{name}.yaml"))).unwrap();
        m.files
            .iter()
            .filter(|f| f.letter.as_deref() == Some("B"))
            .map(|f| (f.desc.clone().unwrap(), f.path.clone(), f.status.clone()))
            .collect()
    };

    let first_job = DEMO_JOB.replace(walla, &format!("{en}{es}"));
    fs::write(&job, format!("{first_job}date: 2026-11-25\n")).unwrap();
    let o = pack(&job);
    assert!(o.status.success(), "{}", text(&o));
    let first = desc_of(&r1);
    assert_eq!(first.len(), 2, "{first:?}");
    assert!(
        first[0]
            .1
            .ends_with("_v01_20261125_OPTB_WallaEnglish_6ch_48k_24b_23976.wav")
    );
    assert!(
        first[1]
            .1
            .ends_with("_v01_20261125_OPTB_WallaSpanish_6ch_48k_24b_23976.wav")
    );

    // The Spanish walla is fixed; the job now lists it first.
    change_content(&dir.join("stage/NT_OPT_walla_es_51.wav"));
    let second_job = DEMO_JOB.replace(walla, &format!("{es}{en}"));
    let prev = r1.join("night_train_lp_delivery01.yaml");
    fs::write(
        &job,
        format!(
            "{second_job}date: 2026-12-03\nprevious: {}\n",
            prev.display()
        ),
    )
    .unwrap();
    let o = pack(&job);
    assert!(o.status.success(), "{}", text(&o));
    let second = desc_of(&r2);
    let spanish = second.iter().find(|f| f.0 == "Walla Spanish").unwrap();
    let english = second.iter().find(|f| f.0 == "Walla English").unwrap();
    assert_eq!(english.2, "unchanged");
    assert_eq!(english.1, first[0].1, "unchanged keeps its name");
    assert_eq!(spanish.2, "changed");
    assert_eq!(
        spanish.1,
        first[1].1.replace("_v01_20261125_", "_v02_20261203_")
    );
    verify_ok(&r2);
}

/// Makes a WAV longer by a trailing `JUNK` chunk: the same audio, another
/// size, so the plan knows it changed before any hash.
fn grow(path: &Path) {
    let mut b = fs::read(path).unwrap();
    assert_eq!(&b[..4], b"RIFF", "{}", path.display());
    b.extend_from_slice(b"JUNK\x04\0\0\0\0\0\0\0");
    let riff = u32::try_from(b.len() - 8).unwrap();
    b[4..8].copy_from_slice(&riff.to_le_bytes());
    fs::write(path, b).unwrap();
}

/// The `--dry-run` lines of the delivered file whose path ends with `tail`,
/// and the `why:` line under it.
fn plan_lines<'a>(dry: &'a str, tail: &str) -> (&'a str, &'a str) {
    let lines: Vec<&str> = dry.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(tail) && !l.contains(" source") && !l.contains("/stage/"))
        .unwrap_or_else(|| panic!("{tail} in the plan:\n{dry}"));
    let why = lines[at + 1].trim_start();
    assert!(why.starts_with("why: "), "{why}");
    (lines[at], why)
}

/// `pack --dry-run` of a redelivery says per file what it will do and why:
/// changed (another size), probably changed (touched), probably unchanged,
/// new, removed by `dropped:`; the pack settles the guesses by hash; a third
/// delivery steps v02 to v03; an edited previous manifest is refused.
#[test]
fn a_dry_run_says_per_file_what_changes_and_why() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    assert!(run(&["demo", dir.to_str().unwrap()]).status.success());
    let job = dir.join("job.yaml");
    let out = dir.join("deliveries");
    let (r1, r2) = (
        out.join("night_train_lp_delivery01"),
        out.join("night_train_lp_delivery02"),
    );
    fs::write(&job, format!("{DEMO_JOB}date: 2026-11-25\n")).unwrap();
    let o = pack(&job);
    assert!(o.status.success(), "{}", text(&o));

    // The print master grows, the M&E is touched, walla B is dropped and a
    // foreign-dialogue C is new; efforts, guide and movie are left alone.
    grow(&dir.join("stage/NT_PM_51.wav"));
    touch(&dir.join("stage/NT_ME_51.wav"));
    fs::copy(
        dir.join("stage/NT_OPT_walla_51.wav"),
        dir.join("stage/NT_OPT_foreign_51.wav"),
    )
    .unwrap();
    let walla = "    - {letter: B, desc: Walla, file: stage/NT_OPT_walla_51.wav}\n";
    let foreign = "    - {letter: C, desc: Foreign, file: stage/NT_OPT_foreign_51.wav}\n";
    let second_job = DEMO_JOB.replace(walla, foreign);
    let prev1 = r1.join("night_train_lp_delivery01.yaml");
    fs::write(
        &job,
        format!(
            "{second_job}date: 2026-12-03\nprevious: {}\ndropped: [optional B]\n",
            prev1.display()
        ),
    )
    .unwrap();
    let dry = run(&["pack", job.to_str().unwrap(), "--dry-run"]);
    let said = text(&dry);
    assert!(dry.status.success(), "{said}");
    assert!(
        said.contains("night_train_lp_delivery02/  (redelivery of night_train_lp_delivery01)"),
        "{said}"
    );
    let (pm, why) = plan_lines(&said, "_PM_Nearfield_6ch_48k_24b_23976.wav");
    assert!(pm.trim_start().starts_with("changed "), "{pm}");
    assert!(
        pm.contains("v02 20261203") && pm.contains("(was night_train_lp_v01_20261125_PM_Nearfield"),
        "{pm}"
    );
    assert!(why.contains("differs from v01: v02, new name"), "{why}");
    let (me, why) = plan_lines(&said, "_ME_Nearfield_6ch_48k_24b_23976.wav");
    assert!(me.trim_start().starts_with("probably changed "), "{me}");
    assert!(
        why.contains("same size as v01, other modification time"),
        "{why}"
    );
    for tail in [
        "_OPTA_Efforts_6ch_48k_24b_23976.wav",
        "_GUIDE_mono_48k_24b_23976.wav",
    ] {
        let (line, why) = plan_lines(&said, tail);
        assert!(
            line.trim_start().starts_with("probably unchanged ") && line.contains("v01 20261125"),
            "{line}"
        );
        assert!(
            why.contains("same size and modification time as v01"),
            "{why}"
        );
    }
    let (c, why) = plan_lines(&said, "_v01_20261203_OPTC_Foreign_6ch_48k_24b_23976.wav");
    assert!(c.trim_start().starts_with("new "), "{c}");
    assert!(why.contains("not in the previous delivery"), "{why}");
    let (b, why) = plan_lines(&said, "_v01_20261125_OPTB_Walla_6ch_48k_24b_23976.wav");
    assert!(
        b.trim_start().starts_with("removed ") && b.ends_with("(dropped)"),
        "{b}"
    );
    assert!(why.contains("role dropped"), "{why}");
    assert!(!r2.exists(), "a dry run writes nothing");

    // The pack settles the guesses: the touched M&E keeps its v01 name.
    let o = pack(&job);
    assert!(o.status.success(), "{}", text(&o));
    let second = delivered(&r2);
    let status = |key: &str| find(&second, key).2.clone();
    assert_eq!(status("mne"), "unchanged");
    assert!(find(&second, "mne").1.contains("_v01_20261125_ME_"));
    assert_eq!(status("print_master"), "changed");
    assert_eq!(status("optionalC"), "new");
    assert!(second.iter().all(|f| f.0 != "optionalB"), "{second:?}");
    let m2 = read_manifest(&r2.join("night_train_lp_delivery02.yaml")).unwrap();
    assert_eq!(m2.removed.len(), 1, "{:?}", m2.removed);
    assert!(m2.removed[0].path.contains("_OPTB_Walla_"));
    assert_eq!(m2.removed[0].reason, "role dropped");
    verify_ok(&r2);

    // A third delivery: the print master again, v02 -> v03.
    grow(&dir.join("stage/NT_PM_51.wav"));
    let prev2 = r2.join("night_train_lp_delivery02.yaml");
    fs::write(
        &job,
        format!(
            "{second_job}date: 2026-12-10\nprevious: {}\n",
            prev2.display()
        ),
    )
    .unwrap();
    let dry = run(&["pack", job.to_str().unwrap(), "--dry-run"]);
    let said = text(&dry);
    assert!(dry.status.success(), "{said}");
    let (pm, why) = plan_lines(&said, "_PM_Nearfield_6ch_48k_24b_23976.wav");
    assert!(
        pm.contains("v03 20261210") && pm.contains("(was night_train_lp_v02_20261203_PM_Nearfield"),
        "{pm}"
    );
    assert!(why.contains("differs from v02: v03"), "{why}");

    // The previous manifest edited after it was written: refused, exit 2.
    let yaml = fs::read_to_string(&prev2).unwrap();
    let edited = yaml.replacen("status: \"changed\"", "status: \"unchanged\"", 1);
    assert_ne!(edited, yaml);
    fs::write(&prev2, edited).unwrap();
    let dry = run(&["pack", job.to_str().unwrap(), "--dry-run"]);
    let said = text(&dry);
    assert_eq!(dry.status.code(), Some(2), "{said}");
    assert!(said.contains("edited after it was written"), "{said}");
    assert!(said.contains("night_train_lp_delivery02.yaml"), "{said}");
    assert!(!out.join("night_train_lp_delivery03").exists());
}

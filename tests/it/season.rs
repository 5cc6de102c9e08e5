//! A whole season in one run, through the binary as an assistant runs it:
//! `init` of a season folder in both layouts (a stage folder per episode,
//! one folder whose file names carry the episode), `check`, `pack` and
//! `verify` of the season file with one episode refused by QC and one
//! missing a file, a second pack that finds everything delivered, a
//! redelivery of one episode, and a pack killed in the middle of episode 3
//! that the same command finishes with the deliveries of a run never
//! stopped.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use crate::common::{MIX_ROOM_NAMES, run_in, sha256_hex};

/// The stage folder names of a season as mix rooms write them.
const FOLDERS: [(&str, &str); 4] = [
    ("101", "s01e01"),
    ("ep02", "s01e02"),
    ("S01E03", "s01e03"),
    ("Episode 4", "s01e04"),
];

/// Writes the demo's media into `dir` under mix-room names starting with
/// `prefix`; with `qc_error`, optional A is a 16-bit bounce (a QC error).
fn episode_files(dir: &Path, prefix: &str, qc_error: bool) {
    let tmp = tempfile::tempdir().unwrap();
    let demo = crate::common::demo_at(&tmp.path().join("d"));
    if qc_error {
        crate::common::sixteen_bit_optional(&demo, 0);
    }
    fs::create_dir_all(dir).unwrap();
    for (from, to) in MIX_ROOM_NAMES {
        fs::copy(
            demo.join("stage").join(from),
            dir.join(to.replace("{ep}", prefix)),
        )
        .unwrap();
    }
}

/// A season folder with one stage folder per episode; episode 2's optional
/// A is 16-bit. Returns the season folder.
fn season_by_folders(tmp: &Path, qc_error_in_2: bool) -> PathBuf {
    let season = tmp.join("Night Train S1");
    for (i, (folder, _)) in FOLDERS.iter().enumerate() {
        episode_files(&season.join(folder), "NT", qc_error_in_2 && i == 1);
    }
    // What a Mac leaves behind.
    fs::write(
        season.join("101").join("._NT ME 5.1.wav"),
        b"\x00\x05\x16\x07",
    )
    .unwrap();
    season
}

fn run(dir: &Path, args: &[&str]) -> crate::common::Ran {
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    run_in(Some(dir), &args)
}

/// The roots under `deliveries` and, for each, every file's SHA-256 by its
/// path under the root (manifests left out: they hold the time).
fn deliveries(dir: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    let Ok(roots) = fs::read_dir(dir) else {
        return out;
    };
    for root in roots.map(Result::unwrap) {
        if !root.file_type().unwrap().is_dir() {
            continue;
        }
        let name = root.file_name().to_string_lossy().into_owned();
        let mut files = BTreeMap::new();
        for e in walkdir::WalkDir::new(root.path()) {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(root.path()).unwrap();
            let rel = rel.to_string_lossy().into_owned();
            if e.file_type().is_file() && !rel.starts_with(&name) {
                files.insert(rel, sha256_hex(e.path()));
            }
        }
        out.insert(name, files);
    }
    out
}

/// Asserts that the table's row of `unit` holds `text`.
fn has_row(stdout: &str, unit: &str, text: &str) {
    assert!(
        row(stdout, unit).contains(text),
        "{unit}: no `{text}` in:\n{stdout}"
    );
}

fn row<'a>(stdout: &'a str, unit: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.starts_with(unit))
        .unwrap_or_else(|| panic!("no row for {unit} in:\n{stdout}"))
}

/// `mnepack init .` in `season`: it finds the four episodes.
fn init_finds_four(season: &Path) -> crate::common::Ran {
    let init = run(season, &["init", "."]);
    init.expect(0);
    assert!(
        init.stdout
            .contains("4 episodes: s01e01, s01e02, s01e03, s01e04"),
        "{}",
        init.stdout
    );
    init
}

#[test]
fn a_season_of_stage_folders_is_guessed_checked_packed_and_redelivered() {
    let tmp = tempfile::tempdir().unwrap();
    let season = season_by_folders(tmp.path(), true);
    init_finds_four(&season);
    let file = season.join("season.yaml");
    let text = fs::read_to_string(&file).unwrap();
    for (folder, _) in FOLDERS {
        for (_, name) in MIX_ROOM_NAMES {
            let path = format!("{folder}/{}", name.replace("{ep}", "NT"));
            assert!(text.contains(&path), "{path} not in the season:\n{text}");
        }
    }
    assert!(!text.contains("._"), "{text}");
    // Episode 4's guide goes missing after init.
    fs::remove_file(season.join("Episode 4/NT DX Guide mono.wav")).unwrap();

    let check = run(&season, &["check", "--quiet", "season.yaml"]);
    check.expect(2);
    has_row(&check.stdout, "s01e01", " ok ");
    has_row(&check.stdout, "s01e02", "QC ERRORS");
    has_row(&check.stdout, "s01e03", " ok ");
    has_row(&check.stdout, "s01e04", "FAILED");
    has_row(&check.stdout, "s01e04", "DX Guide");

    let pack = run(&season, &["pack", "--quiet", "season.yaml"]);
    pack.expect(2);
    let out = season.join("deliveries");
    let made: Vec<String> = deliveries(&out).into_keys().collect();
    assert_eq!(
        made,
        [
            "night_train_s1_s01e01_delivery01",
            "night_train_s1_s01e03_delivery01"
        ],
        "{}",
        pack.stdout
    );
    has_row(&pack.stdout, "s01e02", "REFUSED (QC)");
    has_row(&pack.stdout, "s01e04", "FAILED");

    let verify = run(&season, &["verify", "--quiet", "season.yaml"]);
    verify.expect(1);
    has_row(&verify.stdout, "s01e01", "verified");
    has_row(&verify.stdout, "s01e02", "NOT DELIVERED");

    // The same command again: nothing is packed twice.
    let before = deliveries(&out);
    let again = run(&season, &["pack", "--quiet", "season.yaml"]);
    again.expect(2);
    has_row(&again.stdout, "s01e01", "delivered before");
    assert_eq!(deliveries(&out), before);

    redeliver_episode_3(&season, &before);
}

/// Episode 3's M&E bounced again with new content: only episode 3 is
/// redelivered, and in it only the M&E takes v02.
fn redeliver_episode_3(season: &Path, before: &BTreeMap<String, BTreeMap<String, String>>) {
    let out = season.join("deliveries");
    let me = season.join("S01E03/NT ME 5.1.wav");
    let mut bytes = fs::read(&me).unwrap();
    let n = bytes.len();
    bytes[n - 7] ^= 0x40;
    fs::write(&me, bytes).unwrap();
    let re = run(season, &["pack", "--quiet", "season.yaml"]);
    re.expect(2);
    let after = deliveries(&out);
    assert_eq!(after.len(), 3, "{}", re.stdout);
    let second = &after["night_train_s1_s01e03_delivery02"];
    let v02: Vec<&String> = second.keys().filter(|k| k.contains("_v02_")).collect();
    assert_eq!(v02.len(), 1, "{second:?}");
    assert!(v02[0].contains("_ME_"), "{v02:?}");
    assert_eq!(
        after["night_train_s1_s01e01_delivery01"],
        before["night_train_s1_s01e01_delivery01"]
    );
}

#[test]
fn a_season_in_one_folder_is_told_apart_by_file_names() {
    let tmp = tempfile::tempdir().unwrap();
    let season = tmp.path().join("TR");
    for e in 1..=4 {
        episode_files(&season, &format!("TR_10{e}"), false);
    }
    fs::copy(
        season.join("TR_101 ME 5.1.wav"),
        season.join("temp mix.wav"),
    )
    .unwrap();
    let init = init_finds_four(&season);
    assert!(init.stdout.contains("temp mix.wav"), "{}", init.stdout);
    let text = fs::read_to_string(season.join("season.yaml")).unwrap();
    let e3 = text.split("unit: s01e03").nth(1).unwrap();
    let e3 = e3.split("unit: s01e04").next().unwrap();
    assert!(e3.contains("mne: TR_103 ME 5.1.wav"), "{text}");
    assert!(!e3.contains("TR_102"), "{text}");
    let pack = run(&season, &["pack", "--quiet", "season.yaml"]);
    pack.expect(0);
    // Beside the folder of media, as for one stage.
    assert_eq!(
        deliveries(&tmp.path().join("deliveries")).len(),
        4,
        "{}",
        pack.stdout
    );
}

#[test]
fn a_season_killed_in_episode_3_ends_as_a_run_never_stopped() {
    if !crate::resume::have_stop_points("a_season_killed_in_episode_3_ends_as_a_run_never_stopped")
    {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let season = season_by_folders(tmp.path(), false);
    run(&season, &["init", "."]).expect(0);
    let reference = tmp.path().join("reference");
    fs::create_dir(&reference).unwrap();
    let whole = run(
        &season,
        &[
            "pack",
            "--quiet",
            "season.yaml",
            "--out",
            reference.to_str().unwrap(),
        ],
    );
    whole.expect(0);

    let mut child = crate::common::mnepack()
        .current_dir(&season)
        .args(["pack", "--quiet", "season.yaml"])
        .env("MNEPACK_STOP_AT", "staged:1@3")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    crate::resume::wait_stopped(&mut child, "staged:1@3");
    child.kill().unwrap();
    child.wait().unwrap();
    let out = season.join("deliveries");
    let done: Vec<String> = deliveries(&out)
        .into_iter()
        .filter(|(name, _)| out.join(name).join(format!("{name}.yaml")).exists())
        .map(|(name, _)| name)
        .collect();
    assert_eq!(
        done,
        [
            "night_train_s1_s01e01_delivery01",
            "night_train_s1_s01e02_delivery01"
        ]
    );
    let resumed = run(&season, &["pack", "--quiet", "season.yaml"]);
    resumed.expect(0);
    has_row(&resumed.stdout, "s01e01", "delivered before");
    has_row(&resumed.stdout, "s01e03", "delivered ");
    assert_eq!(deliveries(&out), deliveries(&reference));
}

/// Two demo stages in `dir` with a job file each (`s01e01`, `s01e02`),
/// delivering into `dir/out`; returns the job files.
fn two_jobs(dir: &Path) -> [PathBuf; 2] {
    [1, 2].map(|n| {
        let stage = crate::common::demo_at(&dir.join(format!("ep{n}")));
        let job = stage.join("job.yaml");
        let text = fs::read_to_string(&job).unwrap();
        let text = text
            .replace("unit: lp ", &format!("unit: s01e0{n} "))
            .replace("output: deliveries ", "output: ../out ");
        assert!(text.contains(&format!("unit: s01e0{n}")), "{text}");
        fs::write(&job, text).unwrap();
        job
    })
}

#[test]
fn job_files_listed_together_are_one_run_and_a_file_in_two_episodes_stops_it() {
    let tmp = tempfile::tempdir().unwrap();
    let [one, two] = two_jobs(tmp.path());
    let (a, b) = (one.to_str().unwrap(), two.to_str().unwrap());
    // A dry run plans both and writes nothing.
    let dry = run(tmp.path(), &["pack", "--dry-run", a, b]);
    dry.expect(0);
    has_row(&dry.stdout, "s01e01", "would pack");
    has_row(&dry.stdout, "s01e02", "would pack");
    assert!(
        dry.stdout.contains("night_train_s01e02_v01_"),
        "{}",
        dry.stdout
    );
    assert!(!tmp.path().join("out").exists());
    // Episode 2 names episode 1's M&E: nothing is packed.
    let text = fs::read_to_string(&two).unwrap();
    fs::write(
        &two,
        text.replace("mne: stage/NT_ME_51.wav", "mne: ../ep1/stage/NT_ME_51.wav"),
    )
    .unwrap();
    let refused = run(tmp.path(), &["pack", "--quiet", a, b]);
    refused.expect(1);
    assert!(
        refused
            .stderr
            .contains("NT_ME_51.wav is a source of s01e01 and s01e02"),
        "{}",
        refused.stderr
    );
    assert!(!tmp.path().join("out").exists());
    // `check` says so too, and fails for it.
    let checked = run(tmp.path(), &["check", "--quiet", a, b]);
    checked.expect(1);
    assert!(
        checked.stdout.contains("season ERROR"),
        "{}",
        checked.stdout
    );
    fs::write(&two, text).unwrap();
    // --fail-fast: episode 1's missing print master stops the run there.
    fs::rename(
        tmp.path().join("ep1/stage/NT_PM_51.wav"),
        tmp.path().join("PM.wav"),
    )
    .unwrap();
    let stopped = run(tmp.path(), &["pack", "--quiet", "--fail-fast", a, b]);
    stopped.expect(2);
    has_row(&stopped.stdout, "s01e01", "FAILED");
    has_row(&stopped.stdout, "s01e02", "not run (--fail-fast)");
    assert!(deliveries(&tmp.path().join("out")).is_empty());
    // Without it, episode 2 is delivered all the same.
    let went_on = run(tmp.path(), &["pack", "--quiet", a, b]);
    went_on.expect(2);
    assert_eq!(
        deliveries(&tmp.path().join("out"))
            .into_keys()
            .collect::<Vec<_>>(),
        ["night_train_s01e02_delivery01"]
    );
    // `check --json` of the two: one row each, machine-readable.
    let json = run(tmp.path(), &["check", "--json", "--quiet", a, b]);
    json.expect(2);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let outcomes: Vec<&str> = v["episodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(outcomes, ["failed", "clean"]);
}

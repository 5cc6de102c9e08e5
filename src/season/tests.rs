//! The season file (`job::season`) and the checks across episodes: what a
//! season gives each episode, and every bad season named by its episode.

use std::fmt::Write as _;
use std::path::Path;

use chrono::NaiveDate;

use super::{Severity, cross_checks};
use crate::job::season::{MAX_EPISODES, from_yaml, is_season_text, to_yaml};
use crate::job::{Job, Source};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
}

const BASE: &str = "/stage/night_train";

const SEASON: &str = "\
title: Night Train
frame_rate: 23.976
language: en
output: deliveries
episodes:
  - unit: S01E01
    sources:
      mne: 101/NT_ME_51.wav
      print_master: 101/NT_PM_51.wav
  - unit: s01e02
    frame_rate: 24
    date: 2026-11-30
    sources:
      mne: 102/NT_ME_51.wav
";

fn load(text: &str) -> Result<Vec<Job>, String> {
    from_yaml(text, Path::new(BASE), today())
        .map(|eps| eps.into_iter().map(|e| e.job).collect())
        .map_err(|e| e.to_string())
}

#[test]
fn every_episode_gets_the_shared_fields_unless_it_overrides_them() {
    assert!(is_season_text(SEASON));
    let jobs = load(SEASON).unwrap();
    assert_eq!(jobs.len(), 2);
    let (one, two) = (&jobs[0], &jobs[1]);
    assert_eq!(one.unit.to_string(), "s01e01");
    assert_eq!(one.title, "Night Train");
    assert_eq!(one.frame_rate.label(), "23.976");
    assert_eq!(two.frame_rate.label(), "24");
    assert_eq!(one.language.as_deref(), Some("en"));
    assert_eq!(one.date, today());
    assert_eq!(two.date, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
    assert_eq!(one.output_dir(), Path::new(BASE).join("deliveries"));
    assert_eq!(
        one.sources.mne,
        Some(Source::File(Path::new(BASE).join("101/NT_ME_51.wav")))
    );
    assert_eq!(one.profile, "netflix");
}

#[test]
fn a_job_file_is_not_a_season() {
    assert!(!is_season_text(
        "title: x\nunit: lp\nframe_rate: 24\nsources: {mne: a.wav}\n"
    ));
    assert!(!is_season_text("{{{"));
}

#[test]
fn the_season_init_writes_reads_back_as_the_same_jobs() {
    let jobs = load(SEASON).unwrap();
    let text = to_yaml(&jobs, Path::new(BASE));
    let again = load(&text).unwrap();
    for (a, b) in jobs.iter().zip(&again) {
        assert_eq!(a.unit, b.unit);
        assert_eq!(a.sources, b.sources);
        assert_eq!(a.frame_rate, b.frame_rate);
        assert_eq!(a.output, b.output);
        assert_eq!(a.title, b.title);
    }
    assert!(text.contains("mne: 101/NT_ME_51.wav"), "{text}");
}

/// `SEASON` with `from` replaced by `to` (which must be in it).
fn with(from: &str, to: &str) -> String {
    assert!(SEASON.contains(from), "{from}");
    SEASON.replacen(from, to, 1)
}

#[test]
fn a_bad_season_is_refused_naming_the_episode_and_its_line() {
    let cases: [(String, &[&str]); 6] = [
        (
            with("unit: s01e02", "unit: s01e01"),
            &[
                "episode 2 (s01e01, line 10)",
                "also episode 1 (s01e01, line 6)",
            ],
        ),
        (
            format!("{SEASON}  - unit: s01e03\n"),
            &["episode 3 (s01e03, line 15)", "no source is given"],
        ),
        (
            with("102/NT_ME_51.wav", "../../elsewhere/ME.wav"),
            &["episode 2 (s01e02, line 10)", "outside the season's folder"],
        ),
        (
            with("title: Night Train\n", ""),
            &["episode 1 (s01e01, line 5)", "no title"],
        ),
        (
            with("frame_rate: 24", "frame_rate: 26"),
            &[
                "episodes[1].frame_rate",
                "unknown frame rate `26`",
                "line 11",
            ],
        ),
        (
            with("unit: s01e02", "unit: episode two"),
            &["episodes[1].unit", "is not a unit", "line 10"],
        ),
    ];
    for (text, wants) in cases {
        let err = load(&text).unwrap_err();
        for want in wants {
            assert!(err.contains(want), "`{want}` not in: {err}\n{text}");
        }
    }
}

#[test]
fn a_season_of_ten_thousand_episodes_is_refused_by_count() {
    let mut text = String::from("title: Soap\nframe_rate: 25\nepisodes:\n");
    for e in 0..10_000 {
        let _ = writeln!(
            text,
            "  - {{unit: s01e{:03}, sources: {{mne: a.wav}}}}",
            e % 1000
        );
    }
    let started = std::time::Instant::now();
    let err = load(&text).unwrap_err();
    assert!(
        err.contains(&format!(
            "10000 episodes listed; a season file may list at most {MAX_EPISODES}"
        )),
        "{err}"
    );
    assert!(started.elapsed().as_secs() < 10);
}

#[test]
fn an_empty_or_missing_episode_list_is_refused() {
    assert!(
        load("title: x\nframe_rate: 24\nepisodes: []\n")
            .unwrap_err()
            .contains("episodes: the list is empty")
    );
    assert!(
        load("title: x\nframe_rate: 24\nepisodes: 3\n")
            .unwrap_err()
            .contains("episodes")
    );
}

#[test]
fn checks_across_episodes_find_what_a_season_should_not_mix() {
    let text = with("102/NT_ME_51.wav", "101/NT_ME_51.wav");
    let jobs = load(&text).unwrap();
    let refs: Vec<&Job> = jobs.iter().collect();
    let found = cross_checks(&refs);
    let text_of = |sev: Severity| -> Vec<&str> {
        found
            .iter()
            .filter(|c| c.severity == sev)
            .map(|c| c.message.as_str())
            .collect()
    };
    let warnings = text_of(Severity::Warning);
    assert_eq!(warnings.len(), 1, "{found:?}");
    assert!(warnings[0].contains("not one frame rate throughout: 23.976: s01e01; 24: s01e02"));
    let errors = text_of(Severity::Error);
    assert_eq!(errors.len(), 1, "{found:?}");
    assert!(errors[0].contains("101/NT_ME_51.wav is a source of s01e01 and s01e02"));
    // Listed twice (as two job files would be): an error.
    let twice = [&jobs[0], &jobs[0]];
    assert!(
        cross_checks(&twice)
            .iter()
            .any(|c| c.severity == Severity::Error && c.message.contains("listed 2 times"))
    );
    // One clean season: nothing.
    let clean = load(&with("    frame_rate: 24\n", "")).unwrap();
    assert!(cross_checks(&clean.iter().collect::<Vec<_>>()).is_empty());
}

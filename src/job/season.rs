//! The season file (issue 20): the fields every episode shares (profile,
//! title, frame rate, language, date, output) and a list of episodes, each
//! a unit and its sources in a job's shape, any shared field overridden.
//! Each episode becomes a [`Job`] through the checks a job file passes
//! (`validate`); paths resolve against the season file's folder, and a
//! relative path may not climb out of it. Every error names the episode:
//! its place in the list, its unit and its line.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use super::dropped::dropped_list;
use super::fields::{de_language, de_opt_frame_rate, de_opt_title, de_path};
use super::{DroppedRole, Job, JobFile, Sources, Unit, default_profile, resolve, validate};
use crate::timecode::FrameRate;
use crate::{Error, Result};

/// The most episodes a season file may list: far more than any season
/// (a daily soap's year is about 250), few enough that a mistaken file is
/// refused at once.
pub const MAX_EPISODES: usize = 1000;

/// The fields shared by every episode, and the episodes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SeasonFile {
    #[serde(default)]
    profile: Option<String>,
    #[serde(default, deserialize_with = "de_opt_title")]
    title: Option<String>,
    #[serde(default, deserialize_with = "de_opt_frame_rate")]
    frame_rate: Option<FrameRate>,
    #[serde(default, deserialize_with = "de_language")]
    language: Option<String>,
    #[serde(default)]
    date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "de_path")]
    output: Option<PathBuf>,
    episodes: Vec<EpisodeFile>,
}

/// One episode as written: its unit and sources, and any shared field it
/// overrides.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EpisodeFile {
    unit: Unit,
    #[serde(default)]
    profile: Option<String>,
    #[serde(default, deserialize_with = "de_opt_title")]
    title: Option<String>,
    #[serde(default, deserialize_with = "de_opt_frame_rate")]
    frame_rate: Option<FrameRate>,
    #[serde(default, deserialize_with = "de_language")]
    language: Option<String>,
    #[serde(default)]
    date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "de_path")]
    output: Option<PathBuf>,
    #[serde(default, deserialize_with = "de_path")]
    previous: Option<PathBuf>,
    #[serde(default, deserialize_with = "dropped_list")]
    dropped: Vec<DroppedRole>,
    #[serde(default)]
    sources: Sources,
}

/// Only whether the document has a top-level `episodes` key.
#[derive(Deserialize)]
struct Shape {
    #[serde(default)]
    episodes: Option<IgnoredAny>,
}

/// True when `text` reads as a season file (a mapping with `episodes`);
/// anything else, unreadable YAML included, is left to the job reader.
pub fn is_season_text(text: &str) -> bool {
    crate::yaml_walk::check(text).is_ok()
        && serde_yaml::from_str::<Shape>(text).is_ok_and(|s| s.episodes.is_some())
}

/// One episode of a season: its place in the list (from 1), the line its
/// `unit` is on, and its job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Episode {
    /// Its place in `episodes`, from 1.
    pub number: usize,
    /// The line of its `unit:` key, when the text shows it plainly.
    pub line: Option<usize>,
    /// The job it makes.
    pub job: Job,
}

impl Episode {
    /// How errors name it: `episode 3 (s01e03, line 24)`.
    pub fn name(&self) -> String {
        named(self.number, &self.job.unit, self.line)
    }
}

fn named(number: usize, unit: &Unit, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("episode {number} ({unit}, line {l})"),
        None => format!("episode {number} ({unit})"),
    }
}

/// The line of every `unit:` key inside the episode list, in order.
fn unit_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let t = l.trim_start();
            let t = t.strip_prefix("- ").map_or(t, str::trim_start);
            l.starts_with([' ', '-']) && t.starts_with("unit:")
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// Reads a season file's text; relative paths resolve against `base_dir`
/// (the season file's folder, absolute), `today` is the default date.
pub fn from_yaml(text: &str, base_dir: &Path, today: NaiveDate) -> Result<Vec<Episode>> {
    let err = |message: String| Error::Job {
        path: PathBuf::from("<season text>"),
        message,
    };
    if text.len() as u64 > super::MAX_JOB_BYTES {
        return Err(err(super::too_large(text.len() as u64)));
    }
    crate::yaml_walk::check(text).map_err(err)?;
    let file: SeasonFile = serde_yaml::from_str(text).map_err(|e| err(e.to_string()))?;
    if file.episodes.is_empty() {
        return Err(err("episodes: the list is empty".to_string()));
    }
    if file.episodes.len() > MAX_EPISODES {
        return Err(err(format!(
            "episodes: {} episodes listed; a season file may list at most {MAX_EPISODES} (one file per season)",
            file.episodes.len()
        )));
    }
    let lines = unit_lines(text);
    let lines = (lines.len() == file.episodes.len()).then_some(lines);
    let shared = Shared {
        profile: file.profile,
        title: file.title,
        frame_rate: file.frame_rate,
        language: file.language,
        date: file.date,
        output: file.output,
    };
    let mut out: Vec<Episode> = Vec::with_capacity(file.episodes.len());
    for (i, e) in file.episodes.into_iter().enumerate() {
        let number = i + 1;
        let line = lines.as_ref().map(|l| l[i]);
        let name = named(number, &e.unit, line);
        let job =
            episode_job(e, &shared, base_dir, today).map_err(|m| err(format!("{name}: {m}")))?;
        if let Some(first) = out
            .iter()
            .find(|o| o.job.unit == job.unit && o.job.title_token() == job.title_token())
        {
            return Err(err(format!(
                "{name}: unit {} is also {}; each episode is listed once",
                job.unit,
                first.name()
            )));
        }
        out.push(Episode { number, line, job });
    }
    Ok(out)
}

/// Reads the season file at `path` (absolute), as [`from_yaml`].
pub fn load(path: &Path, today: NaiveDate) -> Result<Vec<Episode>> {
    let text = super::read_job_text(path)?;
    let base = path.parent().unwrap_or(Path::new("."));
    from_yaml(&text, base, today).map_err(|e| match e {
        Error::Job { message, .. } => Error::Job {
            path: path.to_path_buf(),
            message,
        },
        other => other,
    })
}

/// The season's shared fields.
struct Shared {
    profile: Option<String>,
    title: Option<String>,
    frame_rate: Option<FrameRate>,
    language: Option<String>,
    date: Option<NaiveDate>,
    output: Option<PathBuf>,
}

/// The job of one episode: its fields over the shared ones, checked as a
/// job file's are; a relative source path that climbs out of `base_dir`
/// is refused.
fn episode_job(
    e: EpisodeFile,
    shared: &Shared,
    base_dir: &Path,
    today: NaiveDate,
) -> std::result::Result<Job, String> {
    let escaping = RefCell::new(None::<PathBuf>);
    let mut probe = e.sources.clone();
    probe.map_paths(&|p| {
        if p.is_relative() && !resolve(base_dir, p).starts_with(base_dir) {
            escaping.borrow_mut().get_or_insert_with(|| p.to_path_buf());
        }
        p.to_path_buf()
    });
    if let Some(p) = escaping.into_inner() {
        return Err(format!(
            "sources: `{}` is outside the season's folder; source paths are relative to the season file and stay inside its folder",
            p.display()
        ));
    }
    let file = JobFile {
        profile: e
            .profile
            .or_else(|| shared.profile.clone())
            .unwrap_or_else(default_profile),
        title: e
            .title
            .or_else(|| shared.title.clone())
            .ok_or("title: no title; give `title` for the season or for this episode")?,
        unit: e.unit,
        frame_rate: e.frame_rate.or(shared.frame_rate).ok_or(
            "frame_rate: no frame rate; give `frame_rate` for the season or for this episode",
        )?,
        language: e.language.or_else(|| shared.language.clone()),
        date: e.date.or(shared.date),
        output: e.output.or_else(|| shared.output.clone()),
        previous: e.previous,
        dropped: e.dropped,
        sources: e.sources,
    };
    validate(file, base_dir, today)
}

/// A season file as `init` writes it.
#[derive(Serialize)]
struct SeasonOut<'a> {
    profile: &'a str,
    title: &'a str,
    frame_rate: FrameRate,
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<String>,
    episodes: Vec<EpisodeOut>,
}

/// One episode as `init` writes it: what differs from the season's.
#[derive(Serialize)]
struct EpisodeOut {
    unit: Unit,
    #[serde(skip_serializing_if = "Option::is_none")]
    frame_rate: Option<FrameRate>,
    sources: Sources,
}

/// The season file of `jobs` (one per episode, each with `base_dir` as its
/// folder): the first job's profile, title, frame rate and output shared,
/// a frame rate that differs kept on its episode, paths under `base_dir`
/// written relative to it. [`from_yaml`] of the text gives the jobs back.
pub fn to_yaml(jobs: &[Job], base_dir: &Path) -> String {
    let Some(first) = jobs.first() else {
        return String::new();
    };
    let rel = |p: &Path| {
        p.strip_prefix(base_dir)
            .ok()
            .filter(|r| !r.as_os_str().is_empty())
            .map_or_else(|| p.to_path_buf(), Path::to_path_buf)
    };
    let out = SeasonOut {
        profile: &first.profile,
        title: &first.title,
        frame_rate: first.frame_rate,
        output: first
            .output
            .as_deref()
            .map(|p| rel(p).to_string_lossy().into_owned()),
        episodes: jobs
            .iter()
            .map(|j| {
                let mut sources = j.sources.clone();
                sources.map_paths(&rel);
                EpisodeOut {
                    unit: j.unit.clone(),
                    frame_rate: (j.frame_rate != first.frame_rate).then_some(j.frame_rate),
                    sources,
                }
            })
            .collect(),
    };
    // Serialising plain strings, lists and maps cannot fail.
    serde_yaml::to_string(&out).unwrap_or_default()
}

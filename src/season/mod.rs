//! Many episodes in one run (issue 20): the episodes a command line names
//! (season files, job files, or both, [`load`]), the checks a season
//! invites across its episodes ([`cross_checks`], pure), and what an
//! episode's output folder already holds ([`state`]: new, unfinished,
//! delivered with the same sources, or changed since), and how one
//! episode is packed ([`pack::pack_episode`]). The CLI runs them in
//! `cli::season_cmd`, the wizard in its season screen.

pub mod pack;
pub mod state;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::job::season::{self, Episode};
use crate::job::{Job, MAX_JOB_BYTES};
use crate::{Error, Result};

/// One episode of a run: how the table names it, the file it comes from,
/// and its job (or why its job file could not be read).
#[derive(Debug)]
pub struct Entry {
    /// The unit (`s01e03`), or the job file's name when it could not be read.
    pub label: String,
    /// The season or job file it comes from.
    pub file: PathBuf,
    /// Its job, or why there is none.
    pub job: std::result::Result<Job, Error>,
}

/// True when the command line names one file that is not a season file:
/// the run is that job's, as before seasons (a file that cannot be read
/// is refused as a job file is).
pub fn is_single_job(paths: &[PathBuf]) -> bool {
    match paths {
        [one] => !read(one).is_ok_and(|t| season::is_season_text(&t)),
        _ => false,
    }
}

/// True when `path` is a season file or a job file (what `verify` takes
/// besides a delivery root or manifest).
pub fn names_episodes(path: &Path, today: NaiveDate) -> bool {
    path.is_file()
        && read(path).is_ok_and(|t| season::is_season_text(&t) || Job::load(path, today).is_ok())
}

fn read(path: &Path) -> Result<String> {
    crate::input::read_text(path, MAX_JOB_BYTES)
        .map_err(|e| Error::io("cannot read", path, std::io::Error::other(e.to_string())))
}

/// The episodes of `paths`, in order: every episode of each season file,
/// and each job file as one episode. A season file that cannot be read
/// stops the run (its error names the episode and line); a job file that
/// cannot be read is an entry with its error, so the others still run.
pub fn load(paths: &[PathBuf], today: NaiveDate) -> Result<Vec<Entry>> {
    let mut out = Vec::new();
    for given in paths {
        let path =
            crate::pack::fsops::absolute(given).map_err(|e| Error::io("cannot read", given, e))?;
        let text = read(&path);
        if text.as_deref().is_ok_and(season::is_season_text) {
            for Episode { job, .. } in season::load(&path, today)? {
                out.push(Entry {
                    label: job.unit.to_string(),
                    file: path.clone(),
                    job: Ok(job),
                });
            }
        } else {
            let job = Job::load(&path, today);
            let label = match &job {
                Ok(j) => j.unit.to_string(),
                Err(_) => path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into(),
                ),
            };
            out.push(Entry {
                label,
                file: path,
                job,
            });
        }
    }
    Ok(out)
}

/// How serious a finding across episodes is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth a look; the episodes still pack.
    Warning,
    /// The season is wrong as listed: nothing packs until it is mended.
    Error,
}

/// A finding about the season as a whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cross {
    /// Warning or error.
    pub severity: Severity,
    /// What is wrong, naming the episodes.
    pub message: String,
}

/// The checks across episodes: one frame rate, title, language and
/// profile throughout (warnings: a season may mix them on purpose, but
/// rarely does), no episode listed twice and no source file in two
/// episodes (errors: one of them is surely the wrong file).
pub fn cross_checks(jobs: &[&Job]) -> Vec<Cross> {
    let mut out = Vec::new();
    let mut differ = |what: &str, key: &dyn Fn(&Job) -> String| {
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for j in jobs {
            groups.entry(key(j)).or_default().push(j.unit.to_string());
        }
        if groups.len() > 1 {
            let parts: Vec<String> = groups
                .iter()
                .map(|(k, units)| format!("{k}: {}", units.join(", ")))
                .collect();
            out.push(Cross {
                severity: Severity::Warning,
                message: format!("not one {what} throughout: {}", parts.join("; ")),
            });
        }
    };
    differ("frame rate", &|j| j.frame_rate.label());
    differ("title", &|j| j.title_token());
    differ("language", &|j| {
        j.language.clone().unwrap_or_else(|| "(none)".to_string())
    });
    differ("profile", &|j| j.profile.clone());
    let mut units: BTreeMap<(String, String), usize> = BTreeMap::new();
    for j in jobs {
        *units
            .entry((j.title_token(), j.unit.to_string()))
            .or_default() += 1;
    }
    for ((title, unit), n) in units.into_iter().filter(|(_, n)| *n > 1) {
        out.push(Cross {
            severity: Severity::Error,
            message: format!("{title} {unit} is listed {n} times; each episode is packed once"),
        });
    }
    let mut users: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for j in jobs {
        for s in j.sources_flat() {
            let list = users.entry(s.path).or_default();
            let unit = j.unit.to_string();
            if !list.contains(&unit) {
                list.push(unit);
            }
        }
    }
    for (path, list) in users.into_iter().filter(|(_, l)| l.len() > 1) {
        out.push(Cross {
            severity: Severity::Error,
            message: format!(
                "{} is a source of {}; an episode's file belongs to that episode only",
                path.display(),
                list.join(" and ")
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests;

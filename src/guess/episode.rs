//! The episodes of a season folder (issue 20), pure. A name carries an
//! episode as `S01E03`, `ep02`, `Episode 4`, `E05`, or a three-digit
//! production number standing as a word of its own (`101`, `TR_104_ME`:
//! season 1, episode 4). A season folder is either one stage folder per
//! episode (the sessions of `sessions.rs`, each named by its folder, else
//! by its files) or one folder whose file names carry the episode.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Candidate, sessions};
use crate::job::Unit;

/// The episode `name` carries, if any (season 1 when only the episode is
/// given).
pub fn episode_in(name: &str) -> Option<Unit> {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let num =
        |s: &str, max: usize| (1..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    let unit = |s: u32, e: u32| Unit::parse(&format!("s{s:02}e{e:02}")).ok();
    for (i, w) in words.iter().enumerate() {
        if let Some((s, e)) = w.strip_prefix('s').and_then(|r| r.split_once('e')) {
            if num(s, 2) && num(e, 3) {
                return unit(s.parse().ok()?, e.parse().ok()?);
            }
        }
        for prefix in ["episode", "ep", "e"] {
            if let Some(e) = w.strip_prefix(prefix) {
                if num(e, 3) && (prefix != "e" || e.len() >= 2) {
                    return unit(1, e.parse().ok()?);
                }
            }
        }
        if matches!(*w, "episode" | "ep") {
            if let Some(e) = words.get(i + 1).filter(|n| num(n, 3)) {
                return unit(1, e.parse().ok()?);
            }
        }
        if w.len() == 3 && num(w, 3) && !w.starts_with('0') {
            return unit(u32::from(w.as_bytes()[0] - b'0'), w[1..].parse().ok()?);
        }
    }
    None
}

/// One episode's files, found in a season folder.
#[derive(Debug, Clone)]
pub struct EpisodeFiles {
    /// Its unit.
    pub unit: Unit,
    /// Its stage folder (per-folder layout) or the season folder.
    pub dir: PathBuf,
    /// Its files.
    pub files: Vec<Candidate>,
}

/// A season folder's episodes, and the files or folders no episode took.
#[derive(Debug, Clone, Default)]
pub struct SeasonFiles {
    /// The episodes, by unit.
    pub episodes: Vec<EpisodeFiles>,
    /// What could not be placed: a stage folder whose episode is not in
    /// its name, a file whose name carries none, a second folder of one
    /// episode.
    pub unplaced: Vec<PathBuf>,
}

/// The episodes of the files under `root`, when they make a season (two
/// episodes or more), else None.
pub fn season_files(root: &Path, files: &[Candidate]) -> Option<SeasonFiles> {
    let found = sessions(files);
    if found.len() > 1 {
        let mut out = SeasonFiles::default();
        for s in found {
            let rel = s.dir.strip_prefix(root).unwrap_or(&s.dir);
            let by_dir = rel
                .components()
                .rev()
                .find_map(|c| episode_in(&c.as_os_str().to_string_lossy()));
            let unit = by_dir.or_else(|| one_unit(&s.files));
            match unit {
                Some(u) if !out.episodes.iter().any(|e| e.unit == u) => {
                    out.episodes.push(EpisodeFiles {
                        unit: u,
                        dir: s.dir,
                        files: s.files,
                    });
                }
                _ => out.unplaced.push(s.dir),
            }
        }
        out.episodes.sort_by(|a, b| a.unit.cmp(&b.unit));
        return (out.episodes.len() > 1).then_some(out);
    }
    let mut groups: BTreeMap<Unit, Vec<Candidate>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for c in files {
        match c
            .path
            .file_name()
            .and_then(|n| episode_in(&n.to_string_lossy()))
        {
            Some(u) => groups.entry(u).or_default().push(c.clone()),
            None => unplaced.push(c.path.clone()),
        }
    }
    (groups.len() > 1).then(|| SeasonFiles {
        episodes: groups
            .into_iter()
            .map(|(unit, files)| EpisodeFiles {
                unit,
                dir: root.to_path_buf(),
                files,
            })
            .collect(),
        unplaced,
    })
}

/// The one unit the names of `files` carry, when they agree.
fn one_unit(files: &[Candidate]) -> Option<Unit> {
    let mut units = files.iter().filter_map(|c| {
        c.path
            .file_name()
            .and_then(|n| episode_in(&n.to_string_lossy()))
    });
    let first = units.next()?;
    units.all(|u| u == first).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(name: &str) -> Option<String> {
        episode_in(name).map(|u| u.to_string())
    }

    #[test]
    fn names_carry_episodes_in_the_ways_stages_write_them() {
        assert_eq!(u("S01E03").as_deref(), Some("s01e03"));
        assert_eq!(u("ep02").as_deref(), Some("s01e02"));
        assert_eq!(u("Episode 4").as_deref(), Some("s01e04"));
        assert_eq!(u("Ep_12").as_deref(), Some("s01e12"));
        assert_eq!(u("101").as_deref(), Some("s01e01"));
        assert_eq!(u("TR_104_ME_51.wav").as_deref(), Some("s01e04"));
        assert_eq!(u("show_s02e10_PM.wav").as_deref(), Some("s02e10"));
        assert_eq!(u("E05 mix").as_deref(), Some("s01e05"));
    }

    #[test]
    fn other_numbers_are_not_episodes() {
        for name in [
            "NT_ME_51.wav",
            "ref_2398.mov",
            "PM_48k_24b.wav",
            "stage",
            "audio",
            "007_take.wav",
            "E5",
            "mix_v2",
        ] {
            assert_eq!(u(name), None, "{name}");
        }
    }
}

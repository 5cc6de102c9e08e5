//! What an episode's output folder already holds, so a season run packs
//! exactly what is left: nothing yet (a first delivery), an unfinished
//! run (resumed), a finished delivery made from these very sources (skipped
//! after a quick look: each delivered file is there at its manifest's
//! size; nothing is re-read), or a delivery the sources have changed since
//! (a redelivery against it).

use std::path::{Path, PathBuf};

use crate::Result;
use crate::job::Job;
use crate::manifest::{Manifest, read_manifest};
use crate::pack::lock::{self, Holder};
use crate::plan::find_existing_deliveries;
use crate::profile::Profile;

/// Where an episode stands before a season run packs it.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// No delivery yet: pack delivery 1.
    New,
    /// A run of this delivery was stopped: pack resumes it (`previous`:
    /// the last finished delivery, when there is one).
    Unfinished {
        /// The last finished delivery's manifest.
        previous: Option<PathBuf>,
    },
    /// Delivered from these sources, as they are now (same paths, sizes
    /// and modification times).
    Delivered {
        /// The delivery root.
        root: PathBuf,
        /// Its manifest.
        manifest: Box<Manifest>,
    },
    /// Delivered, but the sources changed since: a redelivery against it.
    Changed {
        /// The last delivery's manifest.
        previous: PathBuf,
    },
}

/// Where `job` stands under `output`.
pub fn state(job: &Job, profile: &Profile, output: &Path) -> Result<State> {
    let existing = find_existing_deliveries(output, job, profile)?;
    let Some(last) = existing.last() else {
        return Ok(State::New);
    };
    let finished = existing.iter().rev().find_map(|d| d.manifest.clone());
    let unfinished = last.manifest.is_none()
        || matches!(lock::holder(&last.root), Holder::Stale(_) | Holder::Live(_));
    if unfinished {
        let previous = existing
            .iter()
            .rev()
            .filter(|d| d.root != last.root)
            .find_map(|d| d.manifest.clone());
        return Ok(State::Unfinished { previous });
    }
    let Some(path) = finished else {
        return Ok(State::New);
    };
    let manifest = read_manifest(&path)?;
    if same_sources(job, &manifest) {
        Ok(State::Delivered {
            root: last.root.clone(),
            manifest: Box::new(manifest),
        })
    } else {
        Ok(State::Changed { previous: path })
    }
}

/// True when every source of `job` is a source of `manifest` at the same
/// size and modification time, and the manifest has no other source.
fn same_sources(job: &Job, manifest: &Manifest) -> bool {
    let sources = job.sources_flat();
    sources.len() == manifest.files.len()
        && sources.iter().all(|s| {
            let Ok(meta) = std::fs::metadata(&s.path) else {
                return false;
            };
            let modified = meta.modified().ok().map(|t| {
                chrono::DateTime::<chrono::Utc>::from(t)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            });
            let path = s.path.display().to_string();
            manifest.files.iter().any(|f| {
                f.source.path == path
                    && f.role == s.role.as_str()
                    && f.channel == s.channel
                    && f.source.size == meta.len()
                    && f.source.modified == modified
            })
        })
}

/// The quick look at a finished delivery: every file its manifest lists
/// is in `root` at the listed size (nothing is read). The first that is
/// not, said in plain words.
pub fn quick_check(root: &Path, manifest: &Manifest) -> std::result::Result<(), String> {
    for f in &manifest.files {
        let p = root.join(&f.path);
        match std::fs::metadata(&p) {
            Ok(m) if m.is_file() && m.len() == f.size => {}
            Ok(m) if m.is_file() => {
                return Err(format!(
                    "{} is {} bytes, its manifest says {}",
                    f.path,
                    m.len(),
                    f.size
                ));
            }
            Ok(_) => return Err(format!("{} is not a file", f.path)),
            Err(e) => return Err(format!("{} is missing ({e})", f.path)),
        }
    }
    Ok(())
}

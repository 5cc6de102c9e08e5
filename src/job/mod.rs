//! The job file (YAML): title, unit, frame rate, language, date, output,
//! previous manifest, and the sources of every role (spec B1, design "Job
//! file"). Loading validates everything and names the key and line of each
//! problem; relative paths resolve against the job file's folder. The clock
//! is a parameter (`today`), so loading is deterministic. A redelivery may
//! list roles it leaves out on purpose: `dropped: [optional B]`. A file
//! belongs to a [`Track`]: its role, and for an optional track its letter
//! and description, which is what names and redeliveries go by.

mod dropped;
mod fields;
pub mod season;
mod source;

pub use dropped::DroppedRole;

pub(crate) use fields::RateDe;
pub use fields::{Role, Unit};
use fields::{de_frame_rate, de_language, de_path, de_title, ser_path};
pub use source::{
    CHANNEL_LABELS, MonoFile, OptionalSource, Source, canonical_channel, desc_key,
    duplicate_optional, duplicate_optional_message, optional_letter, standard_order,
};

use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::naming::sanitize_title;
use crate::timecode::FrameRate;
use crate::{Error, Result};
use dropped::dropped_list;
use source::optionals;

fn default_profile() -> String {
    "netflix".to_string()
}

/// The sources of every role. Each is optional in the file; the checks say
/// which a delivery is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sources {
    /// The reference video (one file: QuickTime or MXF).
    #[serde(
        default,
        deserialize_with = "de_path",
        serialize_with = "ser_path",
        skip_serializing_if = "Option::is_none"
    )]
    pub reference_video: Option<PathBuf>,
    /// The M&E.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mne: Option<Source>,
    /// Optional tracks, each (letter, description) once.
    #[serde(
        default,
        deserialize_with = "optionals",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub optionals: Vec<OptionalSource>,
    /// The dialogue guide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialogue_guide: Option<Source>,
    /// The print master.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub print_master: Option<Source>,
}

impl Sources {
    fn map_paths(&mut self, f: &impl Fn(&Path) -> PathBuf) {
        if let Some(p) = &mut self.reference_video {
            *p = f(p);
        }
        for s in [
            &mut self.mne,
            &mut self.dialogue_guide,
            &mut self.print_master,
        ]
        .into_iter()
        .flatten()
        {
            s.map_paths(f);
        }
        for o in &mut self.optionals {
            o.source.map_paths(f);
        }
    }

    fn is_empty(&self) -> bool {
        self.reference_video.is_none()
            && self.mne.is_none()
            && self.optionals.is_empty()
            && self.dialogue_guide.is_none()
            && self.print_master.is_none()
    }
}

/// The job file as written (paths as typed, date optional).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct JobFile {
    #[serde(default = "default_profile")]
    profile: String,
    #[serde(deserialize_with = "de_title")]
    title: String,
    unit: Unit,
    #[serde(deserialize_with = "de_frame_rate")]
    frame_rate: FrameRate,
    #[serde(
        default,
        deserialize_with = "de_language",
        skip_serializing_if = "Option::is_none"
    )]
    language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date: Option<NaiveDate>,
    #[serde(
        default,
        deserialize_with = "de_path",
        serialize_with = "ser_path",
        skip_serializing_if = "Option::is_none"
    )]
    output: Option<PathBuf>,
    #[serde(
        default,
        deserialize_with = "de_path",
        serialize_with = "ser_path",
        skip_serializing_if = "Option::is_none"
    )]
    previous: Option<PathBuf>,
    #[serde(
        default,
        deserialize_with = "dropped_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    dropped: Vec<DroppedRole>,
    sources: Sources,
}

/// Where a job's profile comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileRef {
    /// A built-in profile by name (`netflix`).
    Builtin(String),
    /// A profile YAML file (resolved against the job file's folder).
    File(PathBuf),
}

/// A validated job: every path resolved against the job file's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// Built-in profile name, or a path to a profile YAML (as written).
    pub profile: String,
    /// The title as typed (sanitised in names by [`Job::title_token`]).
    pub title: String,
    /// Episode, reel or long-play.
    pub unit: Unit,
    /// The project's frame rate.
    pub frame_rate: FrameRate,
    /// BCP-47 language tag, if given.
    pub language: Option<String>,
    /// The delivery date: the file's `date`, or the `today` given to the loader.
    pub date: NaiveDate,
    /// True when the file gave `date` (so saving keeps it).
    pub date_given: bool,
    /// Where the delivery root goes (resolved), if given.
    pub output: Option<PathBuf>,
    /// The previous delivery's manifest (resolved), for a redelivery.
    pub previous: Option<PathBuf>,
    /// Roles of the previous delivery this one leaves out on purpose.
    pub dropped: Vec<DroppedRole>,
    /// Sources by role (paths resolved).
    pub sources: Sources,
    /// The folder relative paths resolve against (the job file's folder).
    pub base_dir: PathBuf,
}

/// One source file of a job, flattened out of its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceEntry {
    /// The role.
    pub role: Role,
    /// Optional-track letter.
    pub letter: Option<char>,
    /// Optional-track description as typed.
    pub desc: Option<String>,
    /// Channel label when the file is one channel of a mono set.
    pub channel: Option<String>,
    /// The resolved path.
    pub path: PathBuf,
}

impl SourceEntry {
    /// The track this file belongs to.
    pub fn track(&self) -> Track {
        Track::new(self.role, self.letter, self.desc.as_deref())
    }
}

/// What a delivered file is a part of: its role and, for an optional
/// track, its letter and the [`desc_key`] of its description. The files of
/// a mono set share one track; two tracks never share a name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Track {
    /// The role.
    pub role: Role,
    /// Optional-track letter.
    pub letter: Option<char>,
    /// Optional-track description key (`wallaenglish`).
    pub desc_key: Option<String>,
}

impl Track {
    /// The track of `role`; `letter` and `desc` count for optionals only.
    pub fn new(role: Role, letter: Option<char>, desc: Option<&str>) -> Track {
        let optional = role == Role::Optional;
        Track {
            role,
            letter: letter.filter(|_| optional),
            desc_key: desc.filter(|_| optional).map(desc_key),
        }
    }
}

/// True when `sources` delivers the role `d` names.
fn sources_have(sources: &Sources, d: &DroppedRole) -> bool {
    match d.role {
        Role::ReferenceVideo => sources.reference_video.is_some(),
        Role::Mne => sources.mne.is_some(),
        Role::Optional => sources
            .optionals
            .iter()
            .any(|o| d.covers(Role::Optional, Some(o.letter), Some(&o.desc))),
        Role::DialogueGuide => sources.dialogue_guide.is_some(),
        Role::PrintMaster => sources.print_master.is_some(),
    }
}

/// The largest job file accepted (1 MiB; a real one is a few hundred bytes).
pub const MAX_JOB_BYTES: u64 = 1 << 20;

fn too_large(bytes: u64) -> String {
    format!("the file is {bytes} bytes or more; a job file may hold at most {MAX_JOB_BYTES}")
}

/// Reads a job file of at most [`MAX_JOB_BYTES`] (checked on the metadata
/// and again while reading) as UTF-8 text.
fn read_job_text(path: &Path) -> Result<String> {
    use crate::input::InputError;
    crate::input::read_text(path, MAX_JOB_BYTES).map_err(|e| match e {
        InputError::Open(e) | InputError::Read(e) => Error::io("cannot read", path, e),
        InputError::TooLarge { bytes, .. } => Error::Job {
            path: path.to_path_buf(),
            message: too_large(bytes),
        },
        InputError::NotRegular(what) => Error::Job {
            path: path.to_path_buf(),
            message: format!("is {what}, not a job file"),
        },
        other @ InputError::NotUtf8(_) => Error::Job {
            path: path.to_path_buf(),
            message: other.to_string(),
        },
    })
}

/// Joins `p` to `base` when relative, and removes `.` and `a/..` pairs
/// lexically (no filesystem access).
fn resolve(base: &Path, p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.join(p)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(c);
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The checks a job file's fields pass after they are read (some roles
/// given, a profile named, no role both delivered and dropped), and the
/// job they make, paths resolved against `base_dir`: what a job file and
/// every episode of a season file share.
fn validate(file: JobFile, base_dir: &Path, today: NaiveDate) -> std::result::Result<Job, String> {
    if file.sources.is_empty() {
        return Err("sources: no source is given".to_string());
    }
    if file.profile.trim().is_empty() {
        return Err("profile: empty profile name".to_string());
    }
    if let Some(d) = file.dropped.iter().find(|d| sources_have(&file.sources, d)) {
        return Err(format!(
            "dropped: `{d}` is also in sources; a role is either delivered or dropped"
        ));
    }
    let mut sources = file.sources;
    sources.map_paths(&|p| resolve(base_dir, p));
    Ok(Job {
        profile: file.profile,
        title: file.title,
        unit: file.unit,
        frame_rate: file.frame_rate,
        language: file.language,
        date: file.date.unwrap_or(today),
        date_given: file.date.is_some(),
        output: file.output.map(|p| resolve(base_dir, &p)),
        previous: file.previous.map(|p| resolve(base_dir, &p)),
        dropped: file.dropped,
        sources,
        base_dir: base_dir.to_path_buf(),
    })
}

impl Job {
    /// Reads and validates a job file; `today` is the default date. A file
    /// over [`MAX_JOB_BYTES`] is refused before it is read in full (so a
    /// device like `/dev/zero` cannot exhaust memory).
    pub fn load(path: &Path, today: NaiveDate) -> Result<Job> {
        let text = read_job_text(path)?;
        let base = path.parent().unwrap_or(Path::new("."));
        Job::from_yaml(&text, base, today).map_err(|e| match e {
            Error::Job { message, .. } => Error::Job {
                path: path.to_path_buf(),
                message,
            },
            other => other,
        })
    }

    /// Parses job YAML; relative paths resolve against `base_dir`. Text
    /// over [`MAX_JOB_BYTES`] is refused before parsing.
    pub fn from_yaml(text: &str, base_dir: &Path, today: NaiveDate) -> Result<Job> {
        let err = |message: String| Error::Job {
            path: PathBuf::from("<job text>"),
            message,
        };
        if text.len() as u64 > MAX_JOB_BYTES {
            return Err(err(too_large(text.len() as u64)));
        }
        crate::yaml_walk::check(text).map_err(err)?;
        let file: JobFile = serde_yaml::from_str(text).map_err(|e| err(e.to_string()))?;
        validate(file, base_dir, today).map_err(err)
    }

    /// The job as YAML. Paths under [`Job::base_dir`] are written relative
    /// to it, so `from_yaml(to_yaml(), base_dir, today)` gives the job back.
    pub fn to_yaml(&self) -> String {
        let rel = |p: &Path| {
            p.strip_prefix(&self.base_dir)
                .ok()
                .filter(|r| !r.as_os_str().is_empty())
                .map_or_else(|| p.to_path_buf(), Path::to_path_buf)
        };
        let mut sources = self.sources.clone();
        sources.map_paths(&rel);
        let file = JobFile {
            profile: self.profile.clone(),
            title: self.title.clone(),
            unit: self.unit.clone(),
            frame_rate: self.frame_rate,
            language: self.language.clone(),
            date: self.date_given.then_some(self.date),
            output: self.output.as_deref().map(rel),
            previous: self.previous.as_deref().map(rel),
            dropped: self.dropped.clone(),
            sources,
        };
        // Serialising plain strings, lists and maps cannot fail.
        serde_yaml::to_string(&file).unwrap_or_default()
    }

    /// The sanitised title used in names (`chefs_table`).
    pub fn title_token(&self) -> String {
        sanitize_title(&self.title)
    }

    /// Where the profile comes from: a built-in name, or a file when the
    /// value holds a path separator or ends in `.yaml`/`.yml`.
    pub fn profile_ref(&self) -> ProfileRef {
        let p = self.profile.trim();
        let yaml_ext = Path::new(p)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
        if p.contains(['/', '\\']) || yaml_ext {
            ProfileRef::File(resolve(&self.base_dir, Path::new(p)))
        } else {
            ProfileRef::Builtin(p.to_string())
        }
    }

    /// Where the delivery root goes: `output`, else the job file's folder.
    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.base_dir.clone())
    }

    /// Every source file with its role, letter, description and channel, in
    /// delivery order (reference video, M&E, optionals, guide, print master).
    pub fn sources_flat(&self) -> Vec<SourceEntry> {
        let mut out = Vec::new();
        let mut push = |role: Role, letter: Option<char>, desc: Option<&str>, s: &Source| match s {
            Source::File(p) => out.push(SourceEntry {
                role,
                letter,
                desc: desc.map(str::to_string),
                channel: None,
                path: p.clone(),
            }),
            Source::Mono(files) => {
                for m in files {
                    out.push(SourceEntry {
                        role,
                        letter,
                        desc: desc.map(str::to_string),
                        channel: Some(m.channel.clone()),
                        path: m.path.clone(),
                    });
                }
            }
        };
        let s = &self.sources;
        if let Some(p) = &s.reference_video {
            push(Role::ReferenceVideo, None, None, &Source::File(p.clone()));
        }
        if let Some(m) = &s.mne {
            push(Role::Mne, None, None, m);
        }
        for o in &s.optionals {
            push(Role::Optional, Some(o.letter), Some(&o.desc), &o.source);
        }
        if let Some(g) = &s.dialogue_guide {
            push(Role::DialogueGuide, None, None, g);
        }
        if let Some(p) = &s.print_master {
            push(Role::PrintMaster, None, None, p);
        }
        out
    }
}

#[cfg(test)]
mod tests;

//! The job file (YAML): title, unit, frame rate, language, date, output,
//! previous manifest, and the sources of every role (spec B1, design "Job
//! file"). Loading validates everything and names the key and line of each
//! problem; relative paths resolve against the job file's folder. The clock
//! is a parameter (`today`), so loading is deterministic.

mod source;

pub use source::{
    CHANNEL_LABELS, MonoFile, OptionalSource, Source, canonical_channel, standard_order,
};

use std::fmt;
use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::naming::{is_unit_token, sanitize_title};
use crate::timecode::FrameRate;
use crate::{Error, Result};
use source::{StrVisitor, optionals, path_of};

/// The role of a deliverable (spec B1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The stage-mix reference video.
    ReferenceVideo,
    /// The music and effects mix.
    Mne,
    /// An optional track (letter A-E).
    Optional,
    /// The dialogue guide.
    DialogueGuide,
    /// The print master.
    PrintMaster,
}

impl Role {
    /// Every role, in delivery order.
    pub const ALL: [Role; 5] = [
        Role::ReferenceVideo,
        Role::Mne,
        Role::Optional,
        Role::DialogueGuide,
        Role::PrintMaster,
    ];

    /// The role as spelled in job files and manifests (`reference_video`...).
    pub fn as_str(self) -> &'static str {
        match self {
            Role::ReferenceVideo => "reference_video",
            Role::Mne => "mne",
            Role::Optional => "optional",
            Role::DialogueGuide => "dialogue_guide",
            Role::PrintMaster => "print_master",
        }
    }

    /// True for every role but the reference video.
    pub fn is_audio(self) -> bool {
        self != Role::ReferenceVideo
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Episode `s##e##` (episode of two or three digits), reel `r##` or `lp`,
/// stored lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Unit(String);

impl Unit {
    /// Parses a unit, case-insensitively (`S02E02` -> `s02e02`).
    pub fn parse(text: &str) -> std::result::Result<Unit, String> {
        let t = text.trim().to_ascii_lowercase();
        if is_unit_token(&t) {
            Ok(Unit(t))
        } else {
            Err(format!(
                "`{text}` is not a unit; use s##e## (s02e02), r## (r01) or lp"
            ))
        }
    }

    /// The naming token (`s02e02`).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_str(StrVisitor {
            expecting: "a unit (s##e##, r## or lp)",
            check: Unit::parse,
        })
    }
}

impl Serialize for Unit {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

fn title_of(text: &str) -> std::result::Result<String, String> {
    if sanitize_title(text).is_empty() {
        Err(format!(
            "`{}` has no letter or digit left for a file name",
            text.escape_debug()
        ))
    } else {
        Ok(text.to_string())
    }
}

fn language_of(text: &str) -> std::result::Result<String, String> {
    let ok = !text.is_empty()
        && text
            .split('-')
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
        && text.split('-').next().is_some_and(|p| {
            (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic())
        });
    if ok {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{text}` is not a BCP-47 language tag (en, es-419, pt-BR)"
        ))
    }
}

fn de_with<'de, D: Deserializer<'de>, T>(
    d: D,
    expecting: &'static str,
    check: fn(&str) -> std::result::Result<T, String>,
) -> std::result::Result<T, D::Error> {
    d.deserialize_str(StrVisitor { expecting, check })
}

fn de_title<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    de_with(d, "the title", title_of)
}

fn de_language<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    de_with(d, "a language tag", language_of).map(Some)
}

fn de_path<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<PathBuf>, D::Error> {
    de_with(d, "a path", path_of).map(Some)
}

#[allow(clippy::ref_option)] // serde's `serialize_with` passes `&Option<T>`
fn ser_path<S: Serializer>(p: &Option<PathBuf>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match p {
        Some(p) => s.serialize_str(&p.to_string_lossy()),
        None => s.serialize_none(),
    }
}

/// A frame rate read inside the visitor, so errors keep their key and line
/// (the profile's list of rates uses it too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RateDe(pub(crate) FrameRate);

impl<'de> Deserialize<'de> for RateDe {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        de_frame_rate(d).map(RateDe)
    }
}

/// The frame rate, read inside the visitor so errors keep their key and line.
fn de_frame_rate<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<FrameRate, D::Error> {
    struct V;
    impl V {
        fn parse<E: serde::de::Error>(text: &str) -> std::result::Result<FrameRate, E> {
            FrameRate::parse(text).ok_or_else(|| {
                E::custom(format!(
                    "unknown frame rate `{text}`; use one of 23.976, 24, 25, 29.97, 29.97df, 30, 50, 59.94, 59.94df, 60"
                ))
            })
        }
    }
    impl serde::de::Visitor<'_> for V {
        type Value = FrameRate;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a frame rate (23.976, 24, 25, 29.97...)")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<FrameRate, E> {
            V::parse(v)
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<FrameRate, E> {
            V::parse(&format!("{v}"))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<FrameRate, E> {
            V::parse(&v.to_string())
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<FrameRate, E> {
            V::parse(&v.to_string())
        }
    }
    d.deserialize_any(V)
}

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
    /// Optional tracks, letters unique.
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

impl Job {
    /// Reads and validates a job file; `today` is the default date.
    pub fn load(path: &Path, today: NaiveDate) -> Result<Job> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io("cannot read", path, e))?;
        let base = path.parent().unwrap_or(Path::new("."));
        Job::from_yaml(&text, base, today).map_err(|e| match e {
            Error::Job { message, .. } => Error::Job {
                path: path.to_path_buf(),
                message,
            },
            other => other,
        })
    }

    /// Parses job YAML; relative paths resolve against `base_dir`.
    pub fn from_yaml(text: &str, base_dir: &Path, today: NaiveDate) -> Result<Job> {
        let err = |message: String| Error::Job {
            path: PathBuf::from("<job text>"),
            message,
        };
        let file: JobFile = serde_yaml::from_str(text).map_err(|e| err(e.to_string()))?;
        if file.sources.is_empty() {
            return Err(err("sources: no source is given".to_string()));
        }
        if file.profile.trim().is_empty() {
            return Err(err("profile: empty profile name".to_string()));
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
            sources,
            base_dir: base_dir.to_path_buf(),
        })
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

//! The scalar fields of a job file: the [`Role`] enum, the [`Unit`]
//! (`s##e##`, `r##`, `lp`), and the serde helpers that validate the title,
//! language, paths and frame rate inside their visitors (so each error keeps
//! its key path and line).

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::source::{StrVisitor, path_of};
use crate::naming::{is_unit_token, sanitize_title};
use crate::timecode::FrameRate;

/// The role of a deliverable (spec B1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The stage-mix reference video.
    ReferenceVideo,
    /// The music and effects mix.
    Mne,
    /// An optional track (letter A-Z and a description).
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
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
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

pub(super) fn de_title<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<String, D::Error> {
    de_with(d, "the title", title_of)
}

/// [`de_title`] of a field that may be left out (a season's shared fields).
pub(super) fn de_opt_title<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<String>, D::Error> {
    de_title(d).map(Some)
}

/// [`de_frame_rate`] of a field that may be left out.
pub(super) fn de_opt_frame_rate<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<FrameRate>, D::Error> {
    de_frame_rate(d).map(Some)
}

pub(super) fn de_language<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<String>, D::Error> {
    de_with(d, "a language tag", language_of).map(Some)
}

pub(super) fn de_path<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<PathBuf>, D::Error> {
    de_with(d, "a path", path_of).map(Some)
}

#[allow(clippy::ref_option)] // serde's `serialize_with` passes `&Option<T>`
pub(super) fn ser_path<S: Serializer>(
    p: &Option<PathBuf>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
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
pub(super) fn de_frame_rate<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<FrameRate, D::Error> {
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

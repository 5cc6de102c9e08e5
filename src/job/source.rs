//! A role's source in the job file: one interleaved file (a string) or a
//! list of mono files, one per channel, each a string (its channel taken
//! from its position in the standard order for the list's length) or
//! `{channel: L, file: ...}`. Also the optional tracks' entries
//! (`{letter, desc, file | files}`): letters A-Z, several tracks per letter
//! when their descriptions differ (spec B1), the pair (letter, description)
//! unique in a job. Descriptions are compared as they appear in a file
//! name, case ignored ([`desc_key`]): `Walla English`, `WallaEnglish` and
//! `walla english` are one description, as their names would collide.
//! Validation happens inside the serde visitors so that every error
//! carries its key path and line.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Serialize};

use crate::naming::camel_case;

/// Every channel label a mono file may carry, in their canonical spelling.
pub const CHANNEL_LABELS: [&str; 12] = [
    "L", "R", "C", "LFE", "Ls", "Rs", "Lss", "Rss", "Lsr", "Rsr", "Lts", "Rts",
];

/// The standard channel order for a set of `count` mono files (L R for 2,
/// L R C Ls Rs for 5.0, L R C LFE Ls Rs for 5.1, L R C LFE Lss Rss Lsr Rsr
/// for 7.1, plus Lts Rts for 7.1.2); `None` for other counts.
pub fn standard_order(count: usize) -> Option<&'static [&'static str]> {
    const ORDERS: [&[&str]; 5] = [
        &["L", "R"],
        &["L", "R", "C", "Ls", "Rs"],
        &["L", "R", "C", "LFE", "Ls", "Rs"],
        &["L", "R", "C", "LFE", "Lss", "Rss", "Lsr", "Rsr"],
        &[
            "L", "R", "C", "LFE", "Lss", "Rss", "Lsr", "Rsr", "Lts", "Rts",
        ],
    ];
    ORDERS.into_iter().find(|o| o.len() == count)
}

/// The canonical spelling of a channel label, matched case-insensitively.
pub fn canonical_channel(label: &str) -> Option<&'static str> {
    CHANNEL_LABELS
        .iter()
        .find(|l| l.eq_ignore_ascii_case(label.trim()))
        .copied()
}

/// One mono file of a per-channel set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonoFile {
    /// Channel label in canonical spelling (`L`, `LFE`, `Ls`...).
    pub channel: String,
    /// The file.
    pub path: PathBuf,
}

/// Where a role's audio comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// One (usually interleaved) file.
    File(PathBuf),
    /// One mono file per channel, in the job's order.
    Mono(Vec<MonoFile>),
}

impl Source {
    /// Every path of the source, in order.
    pub fn paths(&self) -> Vec<&Path> {
        match self {
            Source::File(p) => vec![p.as_path()],
            Source::Mono(files) => files.iter().map(|f| f.path.as_path()).collect(),
        }
    }

    /// Applies `f` to every path (used to resolve or relativise them).
    pub fn map_paths(&mut self, f: &impl Fn(&Path) -> PathBuf) {
        match self {
            Source::File(p) => *p = f(p),
            Source::Mono(files) => files.iter_mut().for_each(|m| m.path = f(&m.path)),
        }
    }
}

/// An optional track (spec B1): letter A-Z, a short description, a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionalSource {
    /// `A`..`Z`.
    pub letter: char,
    /// The description as typed (CamelCased in names).
    pub desc: String,
    /// The audio.
    pub source: Source,
}

/// A non-empty path string.
pub(crate) fn path_of(text: &str) -> Result<PathBuf, String> {
    if text.trim().is_empty() {
        Err("the file name is empty".to_string())
    } else if text.contains('\0') {
        Err("the file name holds a NUL byte".to_string())
    } else {
        Ok(PathBuf::from(text))
    }
}

impl OptionalSource {
    /// What identifies the track in a job and across deliveries: its
    /// letter and its description's [`desc_key`].
    pub fn key(&self) -> (char, String) {
        (self.letter, desc_key(&self.desc))
    }
}

/// A description as it is compared: its CamelCase form (what a file name
/// carries), lower-cased. Two descriptions with one key would give one name.
pub fn desc_key(desc: &str) -> String {
    camel_case(desc).to_ascii_lowercase()
}

/// The first two optional tracks with the same letter and description
/// ([`OptionalSource::key`]), by index, if any.
pub fn duplicate_optional(optionals: &[OptionalSource]) -> Option<(usize, usize)> {
    optionals.iter().enumerate().find_map(|(j, o)| {
        let key = o.key();
        optionals[..j]
            .iter()
            .position(|p| p.key() == key)
            .map(|i| (i, j))
    })
}

/// An optional track's letter: one letter A-Z, either case, stored upper case.
pub fn optional_letter(text: &str) -> Result<char, String> {
    let mut chars = text.trim().chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_alphabetic() => Ok(c.to_ascii_uppercase()),
        _ => Err(format!("`{text}` is not a letter A-Z")),
    }
}

/// A visitor accepting one string and checking it with `check`.
pub(crate) struct StrVisitor<T> {
    pub(crate) expecting: &'static str,
    pub(crate) check: fn(&str) -> Result<T, String>,
}

impl<T> Visitor<'_> for StrVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.check)(v).map_err(E::custom)
    }
}

fn next_str<'de, A: MapAccess<'de>, T>(
    map: &mut A,
    expecting: &'static str,
    check: fn(&str) -> Result<T, String>,
) -> Result<T, A::Error> {
    struct Seed<T>(StrVisitor<T>);
    impl<'de, T> de::DeserializeSeed<'de> for Seed<T> {
        type Value = T;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
            d.deserialize_str(self.0)
        }
    }
    map.next_value_seed(Seed(StrVisitor { expecting, check }))
}

fn set_once<T, E: de::Error>(slot: &mut Option<T>, key: &'static str, v: T) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(key));
    }
    *slot = Some(v);
    Ok(())
}

/// One entry of a mono list before channels are assigned.
struct MonoEntry {
    channel: Option<String>,
    path: PathBuf,
}

impl<'de> Deserialize<'de> for MonoEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = MonoEntry;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a file name or {channel: L, file: NAME}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<MonoEntry, E> {
                Ok(MonoEntry {
                    channel: None,
                    path: path_of(v).map_err(E::custom)?,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MonoEntry, A::Error> {
                let (mut channel, mut path) = (None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "channel" => {
                            let c = next_str(&mut map, "a channel label", |t| {
                                canonical_channel(t).map(str::to_string).ok_or_else(|| {
                                    format!(
                                        "`{t}` is not a channel label; use one of {}",
                                        CHANNEL_LABELS.join(" ")
                                    )
                                })
                            })?;
                            set_once(&mut channel, "channel", c)?;
                        }
                        "file" => {
                            let p = next_str(&mut map, "a file name", path_of)?;
                            set_once(&mut path, "file", p)?;
                        }
                        other => return Err(de::Error::unknown_field(other, &["channel", "file"])),
                    }
                }
                Ok(MonoEntry {
                    channel: Some(channel.ok_or_else(|| de::Error::missing_field("channel"))?),
                    path: path.ok_or_else(|| de::Error::missing_field("file"))?,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Assigns channels to a mono list and checks it.
fn mono_set(entries: Vec<MonoEntry>) -> Result<Vec<MonoFile>, String> {
    let n = entries.len();
    if n < 2 {
        return Err(format!(
            "a list of mono files needs at least 2 entries (got {n}); give a single file as a plain name"
        ));
    }
    let order = standard_order(n);
    let mut out: Vec<MonoFile> = Vec::with_capacity(n);
    for (i, e) in entries.into_iter().enumerate() {
        let channel = match (e.channel, order) {
            (Some(c), _) => c,
            (None, Some(o)) => o[i].to_string(),
            (None, None) => {
                return Err(format!(
                    "entry {i}: {n} mono files have no standard channel order; write each as {{channel: L, file: ...}}"
                ));
            }
        };
        if out.iter().any(|m| m.channel == channel) {
            return Err(format!("channel {channel} appears twice"));
        }
        out.push(MonoFile {
            channel,
            path: e.path,
        });
    }
    Ok(out)
}

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Source;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a file name or a list of mono files")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Source, E> {
                path_of(v).map(Source::File).map_err(E::custom)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Source, A::Error> {
                let mut entries = Vec::new();
                while let Some(e) = seq.next_element::<MonoEntry>()? {
                    entries.push(e);
                }
                mono_set(entries)
                    .map(Source::Mono)
                    .map_err(de::Error::custom)
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Source {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Source::File(p) => s.serialize_str(&p.to_string_lossy()),
            Source::Mono(files) => {
                let mut seq = s.serialize_seq(Some(files.len()))?;
                for m in files {
                    seq.serialize_element(&MonoOut(m))?;
                }
                seq.end()
            }
        }
    }
}

struct MonoOut<'a>(&'a MonoFile);

impl Serialize for MonoOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("channel", &self.0.channel)?;
        m.serialize_entry("file", &self.0.path.to_string_lossy())?;
        m.end()
    }
}

impl<'de> Deserialize<'de> for OptionalSource {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OptionalSource;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("{letter: A, desc: TEXT, file: NAME} or {letter, desc, files: [...]}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<OptionalSource, A::Error> {
                const KEYS: &[&str] = &["letter", "desc", "file", "files"];
                let (mut letter, mut desc, mut file, mut files) = (None, None, None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "letter" => {
                            let l = next_str(&mut map, "a letter A-Z", optional_letter)?;
                            set_once(&mut letter, "letter", l)?;
                        }
                        "desc" => {
                            let t = next_str(&mut map, "a short description", |t| {
                                if camel_case(t).is_empty() {
                                    Err(format!(
                                        "`{t}` has no letter or digit to name the track with"
                                    ))
                                } else {
                                    Ok(t.to_string())
                                }
                            })?;
                            set_once(&mut desc, "desc", t)?;
                        }
                        "file" => {
                            let p = next_str(&mut map, "a file name", path_of)?;
                            set_once(&mut file, "file", p)?;
                        }
                        "files" => {
                            let s: Source = map.next_value()?;
                            let Source::Mono(list) = s else {
                                return Err(de::Error::custom(
                                    "`files` is a list of mono files; use `file` for one file",
                                ));
                            };
                            set_once(&mut files, "files", list)?;
                        }
                        other => return Err(de::Error::unknown_field(other, KEYS)),
                    }
                }
                let source = match (file, files) {
                    (Some(p), None) => Source::File(p),
                    (None, Some(list)) => Source::Mono(list),
                    (Some(_), Some(_)) => {
                        return Err(de::Error::custom("give `file` or `files`, not both"));
                    }
                    (None, None) => {
                        return Err(de::Error::custom(
                            "missing `file` (one file) or `files` (a list of mono files)",
                        ));
                    }
                };
                Ok(OptionalSource {
                    letter: letter.ok_or_else(|| de::Error::missing_field("letter"))?,
                    desc: desc.ok_or_else(|| de::Error::missing_field("desc"))?,
                    source,
                })
            }
        }
        d.deserialize_map(V)
    }
}

impl Serialize for OptionalSource {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("letter", &self.letter.to_string())?;
        m.serialize_entry("desc", &self.desc)?;
        match &self.source {
            Source::File(p) => m.serialize_entry("file", &p.to_string_lossy())?,
            files @ Source::Mono(_) => m.serialize_entry("files", files)?,
        }
        m.end()
    }
}

/// Why entries `i` and `j` of an optionals list cannot both be there.
pub fn duplicate_optional_message(optionals: &[OptionalSource], i: usize, j: usize) -> String {
    let (a, b) = (&optionals[i], &optionals[j]);
    format!(
        "entries {i} and {j} are both optional {} `{}`{}; tracks may share a letter when their descriptions differ (`WallaEnglish`, `WallaSpanish`)",
        b.letter,
        b.desc,
        if a.desc == b.desc {
            String::new()
        } else {
            format!(" (`{}` names the same file)", a.desc)
        }
    )
}

/// Deserializes the `optionals` list, refusing two entries with one letter
/// and description ([`OptionalSource::key`]).
pub(crate) fn optionals<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<OptionalSource>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<OptionalSource>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of optional tracks")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out: Vec<OptionalSource> = Vec::new();
            while let Some(o) = seq.next_element::<OptionalSource>()? {
                out.push(o);
                if let Some((i, j)) = duplicate_optional(&out) {
                    return Err(de::Error::custom(duplicate_optional_message(&out, i, j)));
                }
            }
            Ok(out)
        }
    }
    d.deserialize_seq(V)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_and_labels() {
        assert_eq!(
            standard_order(6),
            Some(&["L", "R", "C", "LFE", "Ls", "Rs"][..])
        );
        assert_eq!(standard_order(5), Some(&["L", "R", "C", "Ls", "Rs"][..]));
        assert_eq!(standard_order(3), None);
        assert_eq!(canonical_channel("lfe"), Some("LFE"));
        assert_eq!(canonical_channel("LS"), Some("Ls"));
        assert_eq!(canonical_channel("X"), None);
        assert_eq!(optional_letter("b"), Ok('B'));
        assert_eq!(optional_letter("F"), Ok('F'));
        assert_eq!(optional_letter(" z "), Ok('Z'));
        assert!(optional_letter("AB").is_err());
        assert!(optional_letter("1").is_err());
        assert!(optional_letter("É").is_err());
    }

    #[test]
    fn a_track_is_its_letter_and_its_description_as_named() {
        let o = |l: char, d: &str| OptionalSource {
            letter: l,
            desc: d.to_string(),
            source: Source::File(PathBuf::from("x.wav")),
        };
        assert_eq!(desc_key("Walla English"), "wallaenglish");
        assert_eq!(o('B', "walla english").key(), o('B', "WallaEnglish").key());
        let two = [o('B', "Walla English"), o('B', "Walla Spanish")];
        assert_eq!(duplicate_optional(&two), None);
        let clash = [o('A', "Vox"), o('B', "Walla"), o('B', "WALLA")];
        assert_eq!(duplicate_optional(&clash), Some((1, 2)));
        let msg = duplicate_optional_message(&clash, 1, 2);
        assert!(
            msg.contains("optional B `WALLA`") && msg.contains("`Walla` names the same"),
            "{msg}"
        );
        assert_eq!(
            duplicate_optional(&[o('A', "Walla"), o('B', "Walla")]),
            None
        );
    }

    #[test]
    fn mono_sets() {
        let e = |c: Option<&str>, p: &str| MonoEntry {
            channel: c.map(str::to_string),
            path: PathBuf::from(p),
        };
        let set = mono_set(vec![e(None, "a"), e(None, "b")]).unwrap();
        assert_eq!(set[1].channel, "R");
        let set = mono_set(vec![
            e(Some("R"), "b"),
            e(Some("L"), "a"),
            e(Some("C"), "c"),
        ])
        .unwrap();
        assert_eq!(set[0].channel, "R");
        assert!(mono_set(vec![e(None, "a")]).is_err());
        assert!(mono_set(vec![e(None, "a"), e(None, "b"), e(None, "c")]).is_err());
        assert!(
            mono_set(vec![e(Some("R"), "a"), e(None, "b")])
                .unwrap_err()
                .contains("twice")
        );
    }
}

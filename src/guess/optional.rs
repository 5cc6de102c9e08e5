//! Optional tracks from file names (spec B1), pure functions:
//! - the letter written in a name is the letter: `OPTB`, `OPT_B`, `OPT B`,
//!   `Optional-C` (a mono set's channel suffix is never read as one);
//! - the kind of material a name tells ([`Kind`]): vox/vocalizations/efforts
//!   A, walla/group/ADR/crowd/loop B, foreign C, archival D, song/vocals E;
//! - a readable description from the words after the `OPT` marker (else
//!   from the first telling word), layout words and numbers left out and
//!   language codes spelled out: `OPT_B walla EN` -> `WallaEnglish`;
//! - the letters of several files at once ([`place`]): written letters
//!   first, then each kind on its letter while no track of another kind
//!   holds it (walla in two languages share B), then the first letter no
//!   track holds. A letter and description pair is never given twice: a
//!   written letter numbers the description (`Walla2`), a kind moves on to
//!   the first free letter.

use crate::job::{OptionalSource, Source, canonical_channel, desc_key};

/// What an optional track holds, as the studio's letters A-E name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A: vocalizations and efforts.
    Vocalizations,
    /// B: group ADR and walla.
    Walla,
    /// C: foreign-language dialogue.
    Foreign,
    /// D: archival material.
    Archival,
    /// E: song vocals.
    Song,
}

impl Kind {
    /// The studio's letter for the kind.
    pub fn letter(self) -> char {
        match self {
            Kind::Vocalizations => 'A',
            Kind::Walla => 'B',
            Kind::Foreign => 'C',
            Kind::Archival => 'D',
            Kind::Song => 'E',
        }
    }

    /// The kind a studio letter stands for.
    fn of_letter(letter: char) -> Option<Kind> {
        KINDS.iter().map(|(k, _)| *k).find(|k| k.letter() == letter)
    }
}

/// The words that tell a kind, whole words of a name, lower case.
const KINDS: [(Kind, &[&str]); 5] = [
    (
        Kind::Vocalizations,
        &[
            "vox",
            "vocalizations",
            "vocalization",
            "vocalisations",
            "vocalisation",
            "efforts",
            "effort",
        ],
    ),
    (
        Kind::Walla,
        &["walla", "group", "grp", "adr", "crowd", "loop", "loopgroup"],
    ),
    (Kind::Foreign, &["foreign"]),
    (Kind::Archival, &["archival", "archive"]),
    (Kind::Song, &["song", "songs", "vocals", "singing"]),
];

/// Words that make a file an optional track on their own (the unambiguous
/// kind words; `group`, `loop` or `adr` alone do not).
const TELLING: [&str; 11] = [
    "walla",
    "vox",
    "efforts",
    "effort",
    "foreign",
    "crowd",
    "vocalizations",
    "vocalisations",
    "archival",
    "song",
    "songs",
];

/// Language codes spelled out in descriptions (ISO 639-1, and the common
/// ISO 639-2 forms).
const LANGUAGES: [(&str, &str); 44] = [
    ("en", "English"),
    ("eng", "English"),
    ("es", "Spanish"),
    ("spa", "Spanish"),
    ("fr", "French"),
    ("fra", "French"),
    ("fre", "French"),
    ("de", "German"),
    ("deu", "German"),
    ("ger", "German"),
    ("it", "Italian"),
    ("ita", "Italian"),
    ("pt", "Portuguese"),
    ("por", "Portuguese"),
    ("ja", "Japanese"),
    ("jpn", "Japanese"),
    ("ko", "Korean"),
    ("kor", "Korean"),
    ("zh", "Chinese"),
    ("zho", "Chinese"),
    ("chi", "Chinese"),
    ("ru", "Russian"),
    ("rus", "Russian"),
    ("hi", "Hindi"),
    ("ar", "Arabic"),
    ("nl", "Dutch"),
    ("sv", "Swedish"),
    ("da", "Danish"),
    ("nb", "Norwegian"),
    ("fi", "Finnish"),
    ("pl", "Polish"),
    ("tr", "Turkish"),
    ("he", "Hebrew"),
    ("th", "Thai"),
    ("id", "Indonesian"),
    ("cs", "Czech"),
    ("hu", "Hungarian"),
    ("el", "Greek"),
    ("ro", "Romanian"),
    ("uk", "Ukrainian"),
    ("vi", "Vietnamese"),
    ("ms", "Malay"),
    ("ta", "Tamil"),
    ("te", "Telugu"),
];

/// The description when a name tells nothing.
pub const DEFAULT_DESC: &str = "Optional";

/// At most this many words make a description.
const DESC_WORDS: usize = 3;

/// What a file name says about an optional track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionalName {
    /// The letter written in the name (`OPTB`, `OPT_B`).
    pub letter: Option<char>,
    /// The kind its words tell.
    pub kind: Option<Kind>,
    /// A CamelCase description (`WallaEnglish`).
    pub desc: String,
}

fn is_marker(w: &str) -> bool {
    w == "opt" || w == "optional"
}

/// A letter glued to the marker: `optb`, `optionalc`.
fn glued_letter(w: &str) -> Option<char> {
    let rest = w
        .strip_prefix("optional")
        .or_else(|| w.strip_prefix("opt"))?;
    let mut cs = rest.chars();
    match (cs.next(), cs.next()) {
        (Some(c), None) if c.is_ascii_lowercase() => Some(c.to_ascii_uppercase()),
        _ => None,
    }
}

fn single_letter(w: &str) -> Option<char> {
    let mut cs = w.chars();
    match (cs.next(), cs.next()) {
        (Some(c), None) if c.is_ascii_lowercase() => Some(c.to_ascii_uppercase()),
        _ => None,
    }
}

/// The written letter and the index of the first word after it (or after
/// a bare marker), if the name has a marker.
fn marker(ws: &[String]) -> Option<(Option<char>, usize)> {
    ws.iter().enumerate().find_map(|(i, w)| {
        if let Some(l) = glued_letter(w) {
            return Some((Some(l), i + 1));
        }
        if !is_marker(w) {
            return None;
        }
        match ws.get(i + 1).and_then(|n| single_letter(n)) {
            Some(l) => Some((Some(l), i + 2)),
            None => Some((None, i + 1)),
        }
    })
}

/// True when the words make a file an optional track: a marker (`OPT`,
/// `optional`, `OPTB`) or a telling word (`walla`, `vox`...).
pub fn is_optional(ws: &[String]) -> bool {
    marker(ws).is_some() || ws.iter().any(|w| TELLING.contains(&w.as_str()))
}

fn kind_of(ws: &[String]) -> Option<Kind> {
    ws.iter().find_map(|w| {
        KINDS
            .iter()
            .find(|(_, words)| words.contains(&w.as_str()))
            .map(|(k, _)| *k)
    })
}

fn is_layout_word(w: &str) -> bool {
    matches!(
        w,
        "mono"
            | "stereo"
            | "st"
            | "lr"
            | "lcr"
            | "51"
            | "71"
            | "712"
            | "20"
            | "6ch"
            | "2ch"
            | "8ch"
    ) || canonical_channel(w).is_some()
}

/// Words that say nothing about the material: markers, layout, numbers,
/// versions.
fn is_noise(w: &str) -> bool {
    let version = w.len() > 1 && w.starts_with('v') && w[1..].bytes().all(|b| b.is_ascii_digit());
    is_marker(w)
        || glued_letter(w).is_some()
        || is_layout_word(w)
        || w.bytes().all(|b| b.is_ascii_digit())
        || version
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_ascii_uppercase().to_string() + c.as_str()
    })
}

fn spelled(w: &str) -> String {
    LANGUAGES
        .iter()
        .find(|(code, _)| *code == w)
        .map_or_else(|| capitalise(w), |(_, name)| (*name).to_string())
}

/// The description of the words from `from` on.
fn desc_from(ws: &[String]) -> Option<String> {
    let kept: Vec<&String> = ws
        .iter()
        .filter(|w| !is_noise(w))
        .take(DESC_WORDS)
        .collect();
    let (first, rest) = kept.split_first()?;
    let mut out = capitalise(first);
    for w in rest {
        out.push_str(&spelled(w));
    }
    Some(out)
}

/// Reads an optional track's letter, kind and description from the words
/// of its file name (lower case, split at every non-alphanumeric); `mono`
/// drops a trailing channel label (the name is one file of a per-channel
/// set).
pub fn read_words(ws: &[String], mono: bool) -> OptionalName {
    let ws = match ws.split_last() {
        Some((last, init)) if mono && canonical_channel(last).is_some() => init,
        _ => ws,
    };
    let found = marker(ws);
    let telling = ws
        .iter()
        .position(|w| kind_of(std::slice::from_ref(w)).is_some());
    let desc = found
        .and_then(|(_, from)| desc_from(&ws[from..]))
        .or_else(|| telling.and_then(|i| desc_from(&ws[i..])))
        .unwrap_or_else(|| DEFAULT_DESC.to_string());
    OptionalName {
        letter: found.and_then(|(l, _)| l),
        kind: kind_of(ws),
        desc,
    }
}

/// Reads a file name (see [`read_words`]).
pub fn read_name(name: &str, mono: bool) -> OptionalName {
    read_words(&super::words(name), mono)
}

/// A track placed so far: its letter, description key and kind (its own,
/// else the one its letter stands for).
struct Placed {
    letter: char,
    key: String,
    kind: Option<Kind>,
}

/// The kind a description starts with (`WallaEnglish` -> walla).
fn kind_of_desc(desc: &str) -> Option<Kind> {
    let key = desc_key(desc);
    KINDS
        .iter()
        .find(|(_, words)| words.iter().any(|w| key.starts_with(w)))
        .map(|(k, _)| *k)
}

impl Placed {
    fn new(letter: char, desc: &str, kind: Option<Kind>) -> Placed {
        Placed {
            letter,
            key: desc_key(desc),
            kind: kind.or_else(|| Kind::of_letter(letter)),
        }
    }
}

fn holds(placed: &[Placed], letter: char, desc: &str) -> bool {
    let key = desc_key(desc);
    placed.iter().any(|p| p.letter == letter && p.key == key)
}

/// The first letter A-Z no track holds.
fn first_free(placed: &[Placed]) -> Option<char> {
    ('A'..='Z').find(|l| placed.iter().all(|p| p.letter != *l))
}

/// `desc` on `letter`, numbered (`Walla2`) when the pair is taken.
fn free_desc(placed: &[Placed], letter: char, desc: &str) -> String {
    if !holds(placed, letter, desc) {
        return desc.to_string();
    }
    // Each held pair blocks one number at most: one of these is free.
    (2..=placed.len() + 2)
        .map(|n| format!("{desc}{n}"))
        .find(|d| !holds(placed, letter, d))
        .unwrap_or_else(|| desc.to_string())
}

/// `desc` for a track moving to `letter` beside the `others`: itself, or
/// numbered (`Walla2`) when a track of that letter has the description.
pub fn unique_desc(others: &[OptionalSource], letter: char, desc: &str) -> String {
    let placed: Vec<Placed> = others
        .iter()
        .map(|o| Placed::new(o.letter, &o.desc, None))
        .collect();
    free_desc(&placed, letter, desc)
}

/// Gives letters and descriptions to newly `found` optional files (each
/// with what its name says and its source), beside the `existing` tracks
/// of the job, following the module's rules. Returns the new tracks in
/// the order found; the pair (letter, description) of every returned track
/// differs from every other's and from every existing track's.
pub fn place(
    found: Vec<(OptionalName, Source)>,
    existing: &[OptionalSource],
) -> Vec<OptionalSource> {
    let mut placed: Vec<Placed> = existing
        .iter()
        .map(|o| Placed::new(o.letter, &o.desc, kind_of_desc(&o.desc)))
        .collect();
    let mut out: Vec<Option<(char, String)>> = vec![None; found.len()];
    // 1. A written letter is the letter.
    for (i, (n, _)) in found.iter().enumerate() {
        if let Some(l) = n.letter {
            let desc = free_desc(&placed, l, &n.desc);
            placed.push(Placed::new(l, &desc, n.kind));
            out[i] = Some((l, desc));
        }
    }
    // 2. A kind on its letter, shared with tracks of the same kind.
    for (i, (n, _)) in found.iter().enumerate() {
        let Some(kind) = n.kind.filter(|_| n.letter.is_none()) else {
            continue;
        };
        let l = kind.letter();
        let other_kind = placed.iter().any(|p| p.letter == l && p.kind != Some(kind));
        if !other_kind && !holds(&placed, l, &n.desc) {
            placed.push(Placed::new(l, &n.desc, n.kind));
            out[i] = Some((l, n.desc.clone()));
        }
    }
    // 3. The rest: the first letter no track holds (if all 26 are held,
    // its kind's letter or Z, the description numbered).
    for (i, (n, _)) in found.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        let l = first_free(&placed).unwrap_or_else(|| n.kind.map_or('Z', Kind::letter));
        let desc = free_desc(&placed, l, &n.desc);
        placed.push(Placed::new(l, &desc, n.kind));
        out[i] = Some((l, desc));
    }
    found
        .into_iter()
        .zip(out)
        .filter_map(|((_, source), slot)| {
            slot.map(|(letter, desc)| OptionalSource {
                letter,
                desc,
                source,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests;

//! The role guesser: which role a stage file probably plays, from its name
//! and its probed facts (pure functions, no filesystem access). It backs
//! both `mnepack init DIR` (a first job file) and the TUI's pre-assigned
//! roles. Rules, first match wins:
//! - a QuickTime/MXF file (by facts, else by extension) -> reference video;
//! - `PM`, `printmaster`, `print`+`master` -> print master;
//! - `DX`, `guide`, `dialog(ue)` -> dialogue guide;
//! - `OPT`, `OPTB`, `OPT_B`, `optional`, `walla`, `vox`, `efforts`,
//!   `foreign`... -> optional (its letter and description:
//!   [`optional`]);
//! - `ME`, `M&E`, `MnE` -> M&E;
//! - no telling name: a file of 6+ channels -> M&E.
//!
//! Mono files whose names differ only by a channel suffix (`.L`, `_R`,
//! `-Ls`...) form one per-channel set, in the standard channel order.
//! Hidden files, AppleDouble `._*` and `.DS_Store` are never candidates.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::job::{
    CHANNEL_LABELS, MonoFile, Role, Source, Sources, canonical_channel, standard_order,
};
use crate::probe::Media;

pub mod optional;

/// A guessed role for one file (or one mono set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guess {
    /// The role.
    pub role: Role,
    /// For an optional track: a description (`Walla`).
    pub desc: Option<String>,
}

/// True for names mnepack never offers: hidden files (`.x`), AppleDouble
/// (`._x`) and `.DS_Store`.
pub fn is_debris(name: &str) -> bool {
    name.starts_with('.')
}

/// True for extensions the probe reads (wav, rf64, bw64, mov, mxf, mp4).
pub fn is_media_name(name: &str) -> bool {
    let ext = ext_of(name);
    matches!(
        ext.as_str(),
        "wav" | "wave" | "rf64" | "bw64" | "mov" | "mxf" | "mp4" | "qt"
    )
}

fn ext_of(name: &str) -> String {
    Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Lower-case words of a file name (without extension); `M&E` becomes `mne`.
fn words(name: &str) -> Vec<String> {
    let stem = Path::new(name)
        .file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().to_ascii_lowercase());
    let stem = stem.replace("m&e", "mne").replace("m+e", "mne");
    let mut out: Vec<String> = Vec::new();
    for w in stem.split(|c: char| !c.is_ascii_alphanumeric()) {
        if !w.is_empty() {
            out.push(w.to_string());
        }
    }
    out
}

/// Guesses the role of one file from its name and (when probed) facts.
pub fn guess_role(name: &str, media: Option<&Media>) -> Option<Guess> {
    let plain = |role| Some(Guess { role, desc: None });
    let video_ext = matches!(ext_of(name).as_str(), "mov" | "mxf" | "mp4" | "qt");
    if matches!(media, Some(Media::Video(_))) || (media.is_none() && video_ext) {
        return plain(Role::ReferenceVideo);
    }
    let ws = words(name);
    let has = |list: &[&str]| ws.iter().any(|w| list.contains(&w.as_str()));
    let joined = ws.concat();
    if has(&["pm", "printmaster"]) || joined.contains("printmaster") {
        return plain(Role::PrintMaster);
    }
    if has(&["dx", "guide", "dialog", "dialogue", "dial"]) {
        return plain(Role::DialogueGuide);
    }
    if optional::is_optional(&ws) {
        return Some(Guess {
            role: Role::Optional,
            desc: Some(optional::read_words(&ws, false).desc),
        });
    }
    if has(&["me", "mne"]) {
        return plain(Role::Mne);
    }
    match media {
        Some(Media::Audio(a)) if a.channels >= 6 => plain(Role::Mne),
        _ => None,
    }
}

/// Splits a mono file's name into (set key, canonical channel) when it ends
/// in a channel suffix: `ME.L.wav`, `ME_Ls.wav`, `ME-LFE.wav`.
pub fn mono_channel(name: &str) -> Option<(String, &'static str)> {
    let stem = Path::new(name).file_stem()?.to_string_lossy().into_owned();
    let cut = stem.rfind(['.', '_', '-', ' '])?;
    let channel = canonical_channel(&stem[cut + 1..])?;
    let key = format!("{}|{}", &stem[..cut], ext_of(name));
    Some((key, channel))
}

/// One candidate file for [`guess_sources`].
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The file.
    pub path: PathBuf,
    /// Its probed facts, when it could be read.
    pub media: Option<Media>,
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn is_mono(c: &Candidate) -> bool {
    matches!(&c.media, Some(Media::Audio(a)) if a.channels == 1)
}

/// Groups mono files by their channel suffix into sets of two or more
/// distinct channels, each in the standard order, keyed by the set's first
/// path (in path order).
pub fn mono_sets(files: &[Candidate]) -> BTreeMap<PathBuf, Vec<MonoFile>> {
    let mut groups: BTreeMap<String, Vec<(&'static str, PathBuf)>> = BTreeMap::new();
    for c in files.iter().filter(|c| is_mono(c)) {
        if let Some((key, ch)) = mono_channel(&name_of(&c.path)) {
            groups.entry(key).or_default().push((ch, c.path.clone()));
        }
    }
    let mut out = BTreeMap::new();
    for (_, mut members) in groups {
        let mut chans: Vec<&str> = members.iter().map(|m| m.0).collect();
        chans.sort_unstable();
        chans.dedup();
        if members.len() < 2 || chans.len() != members.len() {
            continue;
        }
        let order: Vec<&str> =
            standard_order(members.len()).map_or_else(|| CHANNEL_LABELS.to_vec(), <[&str]>::to_vec);
        members.sort_by_key(|(ch, _)| order.iter().position(|o| o == ch).unwrap_or(usize::MAX));
        let key = members
            .iter()
            .map(|m| m.1.clone())
            .min()
            .unwrap_or_default();
        out.insert(
            key,
            members
                .into_iter()
                .map(|(ch, path)| MonoFile {
                    channel: ch.to_string(),
                    path,
                })
                .collect(),
        );
    }
    out
}

/// Guesses every role of a stage: the first file of each role wins, later
/// ones stay unassigned; every optional is kept, its letter and
/// description from [`optional::place`] (sorted by letter, then name).
pub fn guess_sources(files: &[Candidate]) -> Sources {
    let mut files: Vec<&Candidate> = files
        .iter()
        .filter(|c| !is_debris(&name_of(&c.path)))
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let owned: Vec<Candidate> = files.iter().map(|c| (*c).clone()).collect();
    let sets = mono_sets(&owned);
    let in_set: Vec<&PathBuf> = sets.values().flatten().map(|m| &m.path).collect();
    let mut s = Sources::default();
    let mut optionals = Vec::new();
    for c in files {
        if in_set.contains(&&c.path) && !sets.contains_key(&c.path) {
            continue;
        }
        let source = sets
            .get(&c.path)
            .map_or_else(|| Source::File(c.path.clone()), |m| Source::Mono(m.clone()));
        let Some(g) = guess_role(&name_of(&c.path), c.media.as_ref()) else {
            continue;
        };
        match g.role {
            Role::ReferenceVideo => {
                if s.reference_video.is_none() {
                    s.reference_video = Some(c.path.clone());
                }
            }
            Role::Mne => {
                s.mne.get_or_insert(source);
            }
            Role::DialogueGuide => {
                s.dialogue_guide.get_or_insert(source);
            }
            Role::PrintMaster => {
                s.print_master.get_or_insert(source);
            }
            Role::Optional => {
                let mono = matches!(source, Source::Mono(_));
                optionals.push((optional::read_name(&name_of(&c.path), mono), source));
            }
        }
    }
    s.optionals = optional::place(optionals, &[]);
    s.optionals.sort_by_key(|o| o.letter);
    s
}

mod sessions;
pub use sessions::{Session, sessions};
mod episode;
pub use episode::{EpisodeFiles, SeasonFiles, episode_in, season_files};

#[cfg(test)]
mod tests;

/// The picture rate of a probed reference video, when it is a known rate.
pub fn video_rate(media: &Media) -> Option<crate::timecode::FrameRate> {
    let Media::Video(v) = media else { return None };
    let (num, den) = (v.frame_rate_num?, v.frame_rate_den?);
    crate::timecode::KNOWN_RATES
        .iter()
        .find(|(_, r)| u64::from(r.num) * u64::from(den) == u64::from(num) * u64::from(r.den))
        .map(|(_, r)| crate::timecode::FrameRate {
            drop_frame: v.drop_frame,
            ..*r
        })
}

/// A first job for a stage: `title` and `unit`, the reference video's rate
/// (else 24), deliveries into `output`, and the guessed sources.
pub fn draft_job(
    title: &str,
    unit: crate::job::Unit,
    files: &[Candidate],
    base_dir: &Path,
    output: &Path,
    today: chrono::NaiveDate,
) -> crate::job::Job {
    let sources = guess_sources(files);
    let rate = sources
        .reference_video
        .as_ref()
        .and_then(|p| files.iter().find(|c| &c.path == p))
        .and_then(|c| c.media.as_ref())
        .and_then(video_rate)
        .unwrap_or(crate::timecode::FrameRate::new(24, 1));
    crate::job::Job {
        profile: "netflix".to_string(),
        title: title.to_string(),
        unit,
        frame_rate: rate,
        language: None,
        date: today,
        date_given: false,
        output: Some(output.to_path_buf()),
        previous: None,
        dropped: Vec::new(),
        sources,
        base_dir: base_dir.to_path_buf(),
    }
}

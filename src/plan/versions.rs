//! Versions of a redelivery (issue 5, spec A1/B2). Each deliverable is
//! matched to the previous delivery by track and channel: the track is the
//! role, and for an optional its letter and description (spec B1,
//! [`match_tracks`]; an optional whose letter holds one track in both
//! deliveries still matches when its description was edited). Before any
//! source is read in full, [`plan_redelivery`] guesses from size and
//! modification time: equal -> "probably unchanged" (previous name, version
//! and date kept), else "changed" / "probably changed" (version + 1, the
//! job's date). After the one read hashed every source, [`resolve_statuses`]
//! decides by SHA-256 against the previous record: equal -> unchanged,
//! different -> changed. Both names of a matched item are rendered at
//! planning time with the shared namer, so resolving needs no profile.
//! A role delivered before and absent now is listed as removed: superseded
//! (same role in another layout), dropped (the job says so), or an error.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use super::previous::Previous;
use super::{Namer, Plan, PlanItem, plan, set_size};
use crate::job::{Job, Role, Track};
use crate::manifest::{PreviousRef, RemovedFile};
use crate::naming::{check_unique, delivery_token};
use crate::probe::Probed;
use crate::profile::Profile;
use crate::{Error, Refusal, Result};

/// A deliverable's state against the previous delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// No file of this track and channel was delivered before (v01).
    New,
    /// The content differs (version + 1, the job's date, a new name).
    Changed,
    /// The content is the same (previous name, version and date).
    Unchanged,
    /// Planning guess: same size and modification time as before (kept as
    /// unchanged until the hash decides).
    ProbablyUnchanged,
    /// Planning guess: same size, other modification time (planned as
    /// changed until the hash decides).
    ProbablyChanged,
}

impl ItemStatus {
    /// The manifest's `status` (`new`, `changed`, `unchanged`); a guess is
    /// written as what it was planned as. Call after [`resolve_statuses`].
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::New => "new",
            ItemStatus::Changed | ItemStatus::ProbablyChanged => "changed",
            ItemStatus::Unchanged | ItemStatus::ProbablyUnchanged => "unchanged",
        }
    }

    /// A label for the version plan (`probably unchanged`).
    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::ProbablyUnchanged => "probably unchanged",
            ItemStatus::ProbablyChanged => "probably changed",
            other => other.as_str(),
        }
    }

    /// True for the planning guesses, which only the hash can settle.
    pub fn is_guess(self) -> bool {
        matches!(
            self,
            ItemStatus::ProbablyUnchanged | ItemStatus::ProbablyChanged
        )
    }
}

/// A name with its version and date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Versioned {
    /// The file name.
    pub name: String,
    /// Its version.
    pub version: u32,
    /// Its date.
    pub date: NaiveDate,
}

/// What the previous delivery holds for a planned item, and the two ways
/// it can go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviousMatch {
    /// Its path relative to the previous root (`MnE/name.wav`).
    pub path: String,
    /// The previous file on disk (for a hardlink of an unchanged file).
    pub delivered: PathBuf,
    /// SHA-256 of the previous file.
    pub sha256: String,
    /// As delivered before: kept when unchanged.
    pub kept: Versioned,
    /// Version + 1 at the job's date: used when changed.
    pub bumped: Versioned,
}

/// The delivery a redelivery replaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviousDelivery {
    /// Its manifest.
    pub manifest: PathBuf,
    /// SHA-256 of the manifest's bytes.
    pub sha256: String,
    /// Its root folder's name.
    pub root: String,
    /// Its number.
    pub number: u32,
}

impl PreviousDelivery {
    /// The new manifest's `delivery.previous`.
    pub fn reference(&self) -> PreviousRef {
        PreviousRef {
            path: self.manifest.display().to_string(),
            sha256: self.sha256.clone(),
        }
    }
}

/// A file of the previous delivery that this one does not carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Removed {
    /// Its role.
    pub role: Role,
    /// Optional-track letter.
    pub letter: Option<char>,
    /// Optional-track description, as the previous job gave it.
    pub desc: Option<String>,
    /// Channel label of a mono-set file.
    pub channel: Option<String>,
    /// Its path in the previous delivery (`MnE/name.wav`).
    pub previous_path: String,
    /// Its name in the previous delivery.
    pub previous_name: String,
    /// True when the job lists the role under `dropped`.
    pub dropped: bool,
    /// The files of the same track this delivery carries instead
    /// (the role changed layout); empty when the role is gone.
    pub superseded_by: Vec<String>,
}

impl Removed {
    /// Why it is not delivered again: `role dropped` (the job's `dropped`
    /// list) or `superseded by ...` (the track changed layout).
    pub fn reason(&self) -> String {
        if self.superseded_by.is_empty() {
            "role dropped".to_string()
        } else {
            format!("superseded by {}", self.superseded_by.join(", "))
        }
    }

    /// The new manifest's `removed` entry.
    pub fn record(&self) -> RemovedFile {
        RemovedFile {
            path: self.previous_path.clone(),
            role: self.role.as_str().to_string(),
            reason: self.reason(),
        }
    }
}

fn role_text(
    role: Role,
    letter: Option<char>,
    desc: Option<&str>,
    channel: Option<&str>,
) -> String {
    let mut s = role.to_string();
    if let Some(l) = letter {
        let _ = write!(s, " {l}");
    }
    if let Some(d) = desc {
        let _ = write!(s, " {d}");
    }
    if let Some(c) = channel {
        let _ = write!(s, " channel {c}");
    }
    s
}

fn optional_letter_count(tracks: &[Track], letter: Option<char>) -> usize {
    tracks
        .iter()
        .filter(|t| t.role == Role::Optional && t.letter == letter)
        .count()
}

/// Which previous track each track of this delivery continues (keyed by
/// the current track): the same track (role, letter, description); else,
/// for an optional track, the previous delivery's one track of its letter
/// when each delivery has exactly one track of that letter and the
/// previous one is not continued by name (its description was edited, or
/// an old manifest spelled it otherwise). Tracks without an entry are new.
pub fn match_tracks(current: &[Track], previous: &[Track]) -> BTreeMap<Track, Track> {
    let mut out = BTreeMap::new();
    for c in current {
        if previous.contains(c) {
            out.insert(c.clone(), c.clone());
            continue;
        }
        if c.role != Role::Optional
            || optional_letter_count(current, c.letter) != 1
            || optional_letter_count(previous, c.letter) != 1
        {
            continue;
        }
        let p = previous
            .iter()
            .find(|p| p.role == Role::Optional && p.letter == c.letter);
        if let Some(p) = p.filter(|p| !current.contains(p)) {
            out.insert(c.clone(), p.clone());
        }
    }
    out
}

/// Plans a redelivery against `previous`: delivery number + 1, each item
/// matched by track ([`match_tracks`]) and channel and versioned by the size + mtime
/// guess, removed roles listed. Refuses (listing every problem) a role
/// delivered before that is neither in the job nor dropped, a version that
/// would overflow, and anything [`plan`] refuses.
pub fn plan_redelivery(
    job: &Job,
    profile: &Profile,
    probed: &std::collections::BTreeMap<PathBuf, Probed>,
    previous: &Previous,
) -> Result<Plan> {
    let number = previous.number().checked_add(1).ok_or_else(|| {
        Error::from(Refusal::Other(
            "the previous delivery number is the largest possible".to_string(),
        ))
    })?;
    let mut out = plan(job, profile, probed, number)?;
    let namer = Namer::new(job, profile);
    let keys: Vec<(Track, bool)> = out
        .items
        .iter()
        .map(|i| (i.track(), i.channel.is_some()))
        .collect();
    let mut current: Vec<Track> = Vec::new();
    for (t, _) in &keys {
        if !current.contains(t) {
            current.push(t.clone());
        }
    }
    // A track the job drops is never continued by another description.
    let kept: Vec<Track> = previous
        .tracks()
        .into_iter()
        .filter(|t| {
            !job.dropped
                .iter()
                .any(|d| d.covers(t.role, t.letter, t.desc_key.as_deref()))
        })
        .collect();
    let continues = match_tracks(&current, &kept);
    let mut problems = Vec::new();
    continue_items(
        &mut out,
        job,
        &namer,
        &keys,
        &continues,
        previous,
        &mut problems,
    );
    list_removed(&mut out, job, previous, &continues, &current, &mut problems);
    check_names(&out, &mut problems);
    if !problems.is_empty() {
        return Err(Refusal::Plan {
            heading: format!(
                "cannot plan delivery {} against {}:",
                delivery_token(number),
                previous.root_name()
            ),
            problems,
        }
        .into());
    }
    out.previous = Some(PreviousDelivery {
        manifest: previous.path.clone(),
        sha256: previous.sha256.clone(),
        root: previous.root_name().to_string(),
        number: previous.number(),
    });
    Ok(out)
}

/// Gives each item of `out` that continues a previous track its previous
/// name and its next version, with the size + mtime guess of whether it
/// changed; a version that cannot grow or a name that cannot be rendered
/// is a problem.
fn continue_items(
    out: &mut Plan,
    job: &Job,
    namer: &Namer<'_>,
    keys: &[(Track, bool)],
    continues: &BTreeMap<Track, Track>,
    previous: &Previous,
    problems: &mut Vec<String>,
) {
    let root = previous.root_dir();
    for item in &mut out.items {
        let track = item.track();
        let Some(prev) = continues
            .get(&track)
            .and_then(|t| previous.find(t, item.channel.as_deref()))
        else {
            continue;
        };
        let Some(version) = prev.version.checked_add(1) else {
            problems.push(format!(
                "{}: version {} cannot grow",
                prev.path, prev.version
            ));
            continue;
        };
        let size = set_size(keys.iter().map(|(t, m)| (t, *m)), &track);
        let bumped = match namer.name(&item.entry(), &item.probed, size, version, job.date) {
            Ok(name) => name,
            Err(e) => {
                problems.push(format!("{}: {e}", item.source.display()));
                continue;
            }
        };
        let status = if item.probed.size != prev.source_size {
            ItemStatus::Changed
        } else if item.probed.modified.is_some() && item.probed.modified == prev.source_modified {
            ItemStatus::ProbablyUnchanged
        } else {
            ItemStatus::ProbablyChanged
        };
        item.previous_name = Some(prev.name.clone());
        item.previous = Some(PreviousMatch {
            path: prev.path.clone(),
            delivered: root.join(Path::new(&prev.path)),
            sha256: prev.sha256.clone(),
            kept: Versioned {
                name: prev.name.clone(),
                version: prev.version,
                date: prev.date,
            },
            bumped: Versioned {
                name: bumped,
                version,
                date: job.date,
            },
        });
        apply(item, status);
    }
}

/// Lists in `out.removed` every previous file no item continues (dropped
/// on purpose, or superseded by a track of other channels); a role
/// delivered before that is neither given nor dropped is a problem.
fn list_removed(
    out: &mut Plan,
    job: &Job,
    previous: &Previous,
    continues: &BTreeMap<Track, Track>,
    current: &[Track],
    problems: &mut Vec<String>,
) {
    for prev in &previous.files {
        let prev_track = prev.track();
        let continued = |i: &PlanItem| continues.get(&i.track()) == Some(&prev_track);
        let matched = out
            .items
            .iter()
            .any(|i| continued(i) && i.channel == prev.channel);
        if matched {
            continue;
        }
        let superseded_by: Vec<String> = out
            .items
            .iter()
            .filter(|i| continued(i))
            .map(PlanItem::rel_path)
            .collect();
        let desc = prev.desc.as_deref();
        let dropped = job
            .dropped
            .iter()
            .any(|d| d.covers(prev.role, prev.letter, desc));
        if superseded_by.is_empty() && !dropped {
            let shares_letter =
                prev.letter.is_some() && optional_letter_count(current, prev.letter) > 0;
            let what = role_text(
                prev.role,
                prev.letter,
                desc.filter(|_| shares_letter),
                prev.channel.as_deref(),
            );
            problems.push(if prev.role == Role::ReferenceVideo {
                format!(
                    "{what} ({}) was delivered before and is missing: the reference video goes with every delivery",
                    prev.path
                )
            } else {
                let d = role_text(prev.role, prev.letter, desc.filter(|_| shares_letter), None);
                format!(
                    "{what} ({}) was delivered before and is missing; give its source, or add `dropped: [{d}]` to the job if it is left out on purpose",
                    prev.path
                )
            });
        }
        out.removed.push(Removed {
            role: prev.role,
            letter: prev.letter,
            desc: prev.desc.clone(),
            channel: prev.channel.clone(),
            previous_path: prev.path.clone(),
            previous_name: prev.name.clone(),
            dropped,
            superseded_by,
        });
    }
}

/// Sets the item's name, version and date for `status` (a matched item's
/// "unchanged" side keeps the previous ones, its "changed" side bumps).
fn apply(item: &mut PlanItem, status: ItemStatus) {
    item.status = status;
    let Some(m) = &item.previous else {
        return;
    };
    let v = match status {
        ItemStatus::Unchanged | ItemStatus::ProbablyUnchanged => &m.kept,
        ItemStatus::Changed | ItemStatus::ProbablyChanged | ItemStatus::New => &m.bumped,
    };
    item.name.clone_from(&v.name);
    item.version = v.version;
    item.date = v.date;
}

fn check_names(plan: &Plan, problems: &mut Vec<String>) {
    let dups = check_unique(plan.items.iter().map(|i| i.name.as_str()));
    if !dups.is_empty() {
        problems.push(format!("names collide (case ignored): {}", dups.join(", ")));
    }
}

/// Settles every matched item by content: `source_sha256[i]` is the SHA-256
/// (hex) of item `i`'s source as read during `pack`, in plan order. Equal
/// to the previous record -> [`ItemStatus::Unchanged`] (previous name,
/// version and date); different -> [`ItemStatus::Changed`] (version + 1, the
/// job's date, the new name). New items stay new. Pure: returns the settled
/// plan; [`renames`](super::renames) lists the files whose name changed.
pub fn resolve_statuses(plan: &Plan, source_sha256: &[String]) -> Result<Plan> {
    if source_sha256.len() != plan.items.len() {
        return Err(Refusal::Other(format!(
            "resolve: {} digests for {} planned files",
            source_sha256.len(),
            plan.items.len()
        ))
        .into());
    }
    let mut out = plan.clone();
    for (item, sha) in out.items.iter_mut().zip(source_sha256) {
        let Some(m) = &item.previous else {
            continue;
        };
        let status = if m.sha256.eq_ignore_ascii_case(sha.trim()) {
            ItemStatus::Unchanged
        } else {
            ItemStatus::Changed
        };
        apply(item, status);
    }
    let mut problems = Vec::new();
    check_names(&out, &mut problems);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Refusal::Names(problems).into())
    }
}

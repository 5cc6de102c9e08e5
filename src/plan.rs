//! Plan: Job + probed sources -> the delivery root's name, its upload
//! folders, and the folder, name, version and date of every deliverable
//! (spec B2/B3). A pure function: no filesystem access. A first delivery
//! gives every file version 1 and the job's date; a redelivery (issue 5,
//! versions against a previous manifest: [`plan_redelivery`] then
//! [`resolve_statuses`]) builds on this plan with the same namer (`plan/namer.rs`), so
//! both paths render names the same way.
//!
//! Decisions recorded here:
//! - A file of a mono set is named with the *set's* layout and its channel
//!   (`..._PM_Nearfield_6ch_48k_24b_23976.L.wav`), as in the studio's
//!   published example (`..._2ch_..._23976.L.wav`).
//! - Rates are named `48k`, `96k`, `44k1` ([`crate::naming::rate_token`]);
//!   depth is the valid bits (`24b`); a channel count the profile has no
//!   token for is named `<n>ch` (the channel check reports it).
//! - The reference video keeps its source's extension, lower-cased, when it
//!   is plain letters and digits; else `mov`/`mxf` from its container.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::job::{Job, Role, SourceEntry};
use crate::naming::{
    Field, Fields, NameRules, Template, camel_case, check_unique, depth_token, rate_token,
};
use crate::probe::{AudioInfo, Container, Media, Probed, VideoInfo};
use crate::profile::Profile;
use crate::{Refusal, Result};

mod existing;
mod namer;
mod note;
mod previous;
mod render;
mod versions;

pub use existing::{
    ExistingDelivery, check_delivery_sequence, deliveries_named, find_existing_deliveries,
    latest_manifest,
};
pub(crate) use namer::{Namer, set_size};
pub use note::{RedeliveryNote, Renamed, conform_changes, redelivery_note};
pub use previous::{Previous, PreviousFile, load_previous};
pub use render::{Rename, renames};
pub use versions::{
    ItemStatus, PreviousDelivery, PreviousMatch, Removed, Versioned, match_tracks, plan_redelivery,
    resolve_statuses,
};

/// One deliverable: where it comes from and where it goes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanItem {
    /// Its role.
    pub role: Role,
    /// Optional-track letter.
    pub letter: Option<char>,
    /// Optional-track description as typed.
    pub desc: Option<String>,
    /// Channel label when it is one file of a mono set.
    pub channel: Option<String>,
    /// The source file (as resolved by the job).
    pub source: PathBuf,
    /// The upload folder (`MnE`).
    pub folder: String,
    /// The delivered file name.
    pub name: String,
    /// Its version (1 on a first delivery).
    pub version: u32,
    /// The date of that version.
    pub date: NaiveDate,
    /// Source size in bytes.
    pub size: u64,
    /// The source's header facts.
    pub probed: Probed,
    /// Against the previous delivery ([`ItemStatus::New`] on a first one).
    pub status: ItemStatus,
    /// The name this role (and channel) had in the previous delivery.
    pub previous_name: Option<String>,
    /// The previous delivery's record of this role, for a redelivery.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<PreviousMatch>,
}

impl PlanItem {
    /// The item's path relative to the delivery root (`MnE/name.wav`).
    pub fn rel_path(&self) -> String {
        format!("{}/{}", self.folder, self.name)
    }
}

/// The whole delivery as planned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The delivery root's folder name (`chefs_table_s02e02_delivery01`).
    pub root_name: String,
    /// The delivery number (1 for the first).
    pub delivery_number: u32,
    /// Upload folders that receive at least one file, in the profile's order.
    pub folders: Vec<String>,
    /// Every deliverable, in delivery order.
    pub items: Vec<PlanItem>,
    /// The delivery this one replaces, for a redelivery.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous: Option<PreviousDelivery>,
    /// Files of the previous delivery this one no longer carries.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<Removed>,
}

impl Plan {
    /// A plain-text table: one line per item, `folder/name  <-  source`.
    pub fn render_table(&self) -> String {
        let width = self
            .items
            .iter()
            .map(|i| i.rel_path().len())
            .max()
            .unwrap_or(0);
        let mut out = format!("{}/\n", self.root_name);
        for i in &self.items {
            let _ = writeln!(out, "  {:width$}  <-  {}", i.rel_path(), i.source.display());
        }
        out
    }
}

fn video_ext(source: &Path, v: &VideoInfo) -> String {
    let from_source = source
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .filter(|e| !e.is_empty() && e.len() <= 8 && e.bytes().all(|b| b.is_ascii_alphanumeric()));
    from_source.unwrap_or_else(|| match v.container {
        Container::Mxf => "mxf".to_string(),
        _ => "mov".to_string(),
    })
}

fn media_kind(m: &Media) -> String {
    match m {
        Media::Audio(a) => format!("{} audio", a.container.name()),
        Media::Video(v) => format!("{} video", v.container.name()),
    }
}

/// Names one entry; `set_size` is the number of files of its mono set.
fn name_entry(
    e: &SourceEntry,
    p: &Probed,
    profile: &Profile,
    mut f: Fields,
    set_size: usize,
    rules: &NameRules,
) -> std::result::Result<String, String> {
    f.set(Field::Asset, profile.asset_code(e.role, e.letter));
    let template: &Template = match (e.role, &p.media) {
        (Role::ReferenceVideo, Media::Video(v)) => {
            f.set(Field::Desc, camel_case(&profile.naming.reference_desc));
            f.set(Field::Ext, video_ext(&e.path, v));
            &profile.naming.reference_template
        }
        (Role::ReferenceVideo, m) => {
            return Err(format!(
                "the reference video is {}, not a QuickTime or MXF movie",
                media_kind(m)
            ));
        }
        (role, Media::Video(v)) => {
            return Err(format!(
                "the {role} source is {} video, not a WAV file",
                v.container.name()
            ));
        }
        (role, Media::Audio(a)) => {
            audio_fields(&mut f, e, a, profile, set_size)?;
            if let Some(s) = profile.soundfield(role) {
                f.set(Field::Soundfield, s);
            }
            &profile.naming.template
        }
    };
    template
        .render_with(&f, rules)
        .map_err(|err| err.to_string())
}

fn audio_fields(
    f: &mut Fields,
    e: &SourceEntry,
    a: &AudioInfo,
    profile: &Profile,
    set_size: usize,
) -> std::result::Result<(), String> {
    let layout = if let Some(ch) = &e.channel {
        if a.channels != 1 {
            return Err(format!(
                "channel {ch} of a mono set has {} channels, not 1",
                a.channels
            ));
        }
        f.set(Field::Channel, ch);
        profile.layout_token(u16::try_from(set_size).unwrap_or(u16::MAX))
    } else {
        profile.layout_token(a.channels)
    };
    f.set(Field::Layout, layout);
    f.set(Field::Rate, rate_token(a.sample_rate));
    let bits = if a.valid_bits > 0 {
        a.valid_bits
    } else {
        a.bits
    };
    f.set(Field::Depth, depth_token(bits));
    if let Some(d) = &e.desc {
        f.set(Field::Desc, camel_case(d));
    }
    f.set(Field::Ext, "wav");
    Ok(())
}

/// Plans a first delivery (every file version 1, dated the job's date).
/// `probed` is keyed by the job's resolved source paths. Every problem is
/// collected: the error lists each missing source, unplaceable role,
/// illegal name and duplicate.
pub fn plan(
    job: &Job,
    profile: &Profile,
    probed: &BTreeMap<PathBuf, Probed>,
    delivery_number: u32,
) -> Result<Plan> {
    let mut problems: Vec<String> = Vec::new();
    if !profile.qc.accepts_rate(job.frame_rate) {
        problems.push(format!(
            "frame rate {} is not one of the profile's rates",
            job.frame_rate
        ));
    }
    let namer = Namer::new(job, profile);
    let root_name = namer.root_name(delivery_number).unwrap_or_else(|e| {
        problems.push(format!("delivery root: {e}"));
        String::new()
    });
    let entries = job.sources_flat();
    let tracks: Vec<(crate::job::Track, bool)> = entries
        .iter()
        .map(|o| (o.track(), o.channel.is_some()))
        .collect();
    let mut items = Vec::with_capacity(entries.len());
    for e in &entries {
        let Some(p) = probed.get(&e.path) else {
            problems.push(format!("{}: not probed", e.path.display()));
            continue;
        };
        let Some(folder) = profile.folder_for(e.role) else {
            problems.push(format!(
                "{}: the profile has no folder for {}",
                e.path.display(),
                e.role
            ));
            continue;
        };
        let set_size = set_size(tracks.iter().map(|(t, m)| (t, *m)), &e.track());
        match namer.name(e, p, set_size, 1, job.date) {
            Ok(name) => items.push(PlanItem {
                role: e.role,
                letter: e.letter,
                desc: e.desc.clone(),
                channel: e.channel.clone(),
                source: e.path.clone(),
                folder: folder.to_string(),
                name,
                version: 1,
                date: job.date,
                size: p.size,
                probed: p.clone(),
                status: ItemStatus::New,
                previous_name: None,
                previous: None,
            }),
            Err(msg) => problems.push(format!("{}: {msg}", e.path.display())),
        }
    }
    let dups = check_unique(items.iter().map(|i| i.name.as_str()));
    if !dups.is_empty() {
        problems.push(format!("names collide (case ignored): {}", dups.join(", ")));
    }
    if !problems.is_empty() {
        return Err(Refusal::Plan {
            heading: "cannot plan the delivery:".to_string(),
            problems,
        }
        .into());
    }
    let folders = profile
        .folders
        .iter()
        .filter(|f| items.iter().any(|i| i.folder == f.name))
        .map(|f| f.name.clone())
        .collect();
    Ok(Plan {
        root_name,
        delivery_number,
        folders,
        items,
        previous: None,
        removed: Vec::new(),
    })
}

#[cfg(test)]
mod tests_previous;
#[cfg(test)]
mod tests_redeliver;
#[cfg(test)]
mod tests_tracks;

#[cfg(test)]
mod tests {
    use super::*;

    fn video(container: Container) -> VideoInfo {
        VideoInfo {
            container,
            details_read: false,
            codec_fourcc: None,
            codec_name: None,
            width: None,
            height: None,
            frame_rate_num: None,
            frame_rate_den: None,
            duration_frames: None,
            duration_seconds: None,
            start_timecode: None,
            start_frames: None,
            drop_frame: false,
            audio_tracks: 0,
            sound: None,
            notes: Vec::new(),
        }
    }

    #[test]
    fn video_extension_comes_from_the_source_or_the_container() {
        let mov = video(Container::QuickTime);
        let mxf = video(Container::Mxf);
        assert_eq!(video_ext(Path::new("/a/Ref.MOV"), &mov), "mov");
        assert_eq!(video_ext(Path::new("/a/ref.mxf"), &mxf), "mxf");
        assert_eq!(video_ext(Path::new("/a/ref"), &mxf), "mxf");
        assert_eq!(video_ext(Path::new("/a/ref"), &mov), "mov");
        assert_eq!(video_ext(Path::new("/a/ref.m v"), &mov), "mov");
        assert_eq!(video_ext(Path::new("/a/ref.qt"), &mov), "qt");
    }

    #[test]
    fn table_lists_every_item_under_the_root() {
        let (plan, _) = super::tests_redeliver::first_delivery();
        assert_eq!(plan.items.len(), 3, "a plan of three files");
        let table = plan.render_table();
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[0], format!("{}/", plan.root_name));
        assert_eq!(lines.len(), 1 + plan.items.len(), "{table}");
        for (line, item) in lines[1..].iter().zip(&plan.items) {
            let source = item.source.display().to_string();
            assert!(
                line.contains(&item.rel_path()) && line.ends_with(&source),
                "{line}"
            );
        }
    }
}

//! The redelivery note (issue 5): what changed since the previous delivery,
//! from which name to which, for the email to the studio contact. Built
//! from a redelivery plan; `render` gives short plain text, serde the
//! `--json` form.

use std::fmt::Write as _;

use serde::Serialize;

use super::{ItemStatus, Plan};
use crate::manifest::{ConformRecord, Manifest};
use crate::naming::delivery_token;

/// A file delivered again under a new name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    /// Its path in the previous delivery (`MnE/..._v01_...wav`).
    pub from: String,
    /// Its path in this one (`MnE/..._v02_...wav`).
    pub to: String,
}

/// What a redelivery changes, for the studio contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RedeliveryNote {
    /// This delivery's number.
    pub number: u32,
    /// This delivery's root folder name.
    pub root: String,
    /// The replaced delivery's root folder name.
    pub previous_root: String,
    /// True while some status is still a size + time guess (before `pack`
    /// read the sources).
    pub provisional: bool,
    /// Files with new content: previous path -> new path.
    pub changed: Vec<Renamed>,
    /// Files of roles not delivered before.
    pub new: Vec<String>,
    /// Files delivered again under the same name.
    pub unchanged: Vec<String>,
    /// Previous files this delivery does not carry.
    pub removed: Vec<String>,
    /// What the conform analysis says differently about a file than it
    /// said in the replaced delivery (`ME: +4004 samples, now 0 samples`).
    pub conform: Vec<String>,
}

/// The note of a redelivery plan; `None` for a first delivery.
pub fn redelivery_note(plan: &Plan) -> Option<RedeliveryNote> {
    let previous = plan.previous.as_ref()?;
    let mut note = RedeliveryNote {
        number: plan.delivery_number,
        root: plan.root_name.clone(),
        previous_root: previous.root.clone(),
        provisional: !plan.is_resolved(),
        changed: Vec::new(),
        new: Vec::new(),
        unchanged: Vec::new(),
        removed: plan
            .removed
            .iter()
            .map(|r| r.previous_path.clone())
            .collect(),
        conform: Vec::new(),
    };
    for i in &plan.items {
        match (i.status, &i.previous) {
            (ItemStatus::Unchanged | ItemStatus::ProbablyUnchanged, _) => {
                note.unchanged.push(i.rel_path());
            }
            (ItemStatus::Changed | ItemStatus::ProbablyChanged, Some(m)) => {
                note.changed.push(Renamed {
                    from: m.path.clone(),
                    to: i.rel_path(),
                });
            }
            _ => note.new.push(i.rel_path()),
        }
    }
    Some(note)
}

impl RedeliveryNote {
    /// Short plain text for an email: the two roots, then the changed,
    /// new, unchanged and removed files (empty groups left out).
    pub fn render(&self) -> String {
        let mut out = format!(
            "Delivery {} ({}) replaces {}.\nPlease delete the earlier files from the request; this delivery holds the full current set.\n",
            delivery_token(self.number),
            self.root,
            self.previous_root
        );
        if self.provisional {
            out.push_str("(Provisional: the sources are not read yet.)\n");
        }
        if !self.changed.is_empty() {
            let _ = writeln!(out, "\nChanged ({}):", self.changed.len());
            for r in &self.changed {
                let _ = writeln!(out, "  {}\n    -> {}", r.from, r.to);
            }
        }
        for (title, list) in [
            ("New", &self.new),
            ("Unchanged, same name", &self.unchanged),
            ("Removed", &self.removed),
            (
                "Conform, changed since the replaced delivery",
                &self.conform,
            ),
        ] {
            if !list.is_empty() {
                let _ = writeln!(out, "\n{title} ({}):", list.len());
                for n in list {
                    let _ = writeln!(out, "  {n}");
                }
            }
        }
        out
    }
}

/// What the conform records of `now` say differently from `before` about
/// the same track (role, letter, description and channel): one line per
/// file whose offset, drift, channel map or stretches changed.
pub fn conform_changes(before: &Manifest, now: &Manifest) -> Vec<String> {
    let track = |m: &Manifest, path: &str| {
        m.files.iter().find(|f| f.path == path).map(|f| {
            (
                f.role.clone(),
                f.letter.clone(),
                f.desc.clone(),
                f.channel.clone(),
            )
        })
    };
    let mut out = Vec::new();
    for r in &now.conform {
        let Some(key) = track(now, &r.file) else {
            continue;
        };
        let Some(old) = before
            .conform
            .iter()
            .find(|o| track(before, &o.file).as_ref() == Some(&key))
        else {
            continue;
        };
        let (was, is) = (conform_summary(old), conform_summary(r));
        if was != is {
            out.push(format!(
                "{}: {was} in {}, now {is}",
                r.file, before.delivery.root
            ));
        }
    }
    out
}

/// One file's conform record in a few words.
fn conform_summary(r: &ConformRecord) -> String {
    let mut parts = Vec::new();
    match r.offset_samples {
        Some(0) => parts.push("in sync".to_string()),
        Some(o) => parts.push(format!("{o:+} samples")),
        None if r.status == "reference" => parts.push("the reference".to_string()),
        None => parts.push(r.status.clone()),
    }
    if let Some(d) = r.drift_ppm {
        parts.push(format!("drift {d:+.0} ppm"));
    }
    let moved: Vec<&str> = r
        .channels
        .iter()
        .filter(|c| c.split_once('=').is_some_and(|(a, b)| a != b))
        .map(String::as_str)
        .collect();
    if !moved.is_empty() {
        parts.push(format!("channels {}", moved.join(" ")));
    }
    for s in &r.stretches {
        parts.push(format!(
            "{} {} {}-{}",
            s.rule, s.value, s.at.start, s.at.end
        ));
    }
    if let Some(l) = r.dialogue_loudness_lkfs {
        parts.push(format!("dialogue {l:.1} LKFS"));
    }
    parts.join(", ")
}

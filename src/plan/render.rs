//! Views of a redelivery plan: the files renamed between two plans (what
//! `pack` renames after the hash read settled the guesses) and the version
//! plan as text for `--dry-run`.

use std::fmt::Write as _;

use serde::Serialize;

use super::Plan;
use crate::naming::version_token;

/// A file whose planned name changed between two plans of one job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rename {
    /// The item's index in the plan.
    pub index: usize,
    /// Path relative to the root before (`MnE/a.wav`).
    pub from: String,
    /// Path relative to the root after.
    pub to: String,
}

/// The items whose path differs between `before` and `after` (for example
/// a plan and its [`resolve_statuses`](super::resolve_statuses) result), in plan order.
pub fn renames(before: &Plan, after: &Plan) -> Vec<Rename> {
    before
        .items
        .iter()
        .zip(&after.items)
        .enumerate()
        .filter(|(_, (a, b))| a.rel_path() != b.rel_path())
        .map(|(index, (a, b))| Rename {
            index,
            from: a.rel_path(),
            to: b.rel_path(),
        })
        .collect()
}

impl Plan {
    /// True when no item's status is a planning guess.
    pub fn is_resolved(&self) -> bool {
        !self.items.iter().any(|i| i.status.is_guess())
    }

    /// The version plan as text (`--dry-run`): one line per file with its
    /// status, version and date, the previous name when it changes, and
    /// under it why ([`PlanItem::status_reason`](super::PlanItem::status_reason));
    /// then the removed files with theirs.
    pub fn render_versions(&self) -> String {
        let mut out = format!("{}/", self.root_name);
        if let Some(p) = &self.previous {
            let _ = write!(out, "  (redelivery of {})", p.root);
        }
        out.push('\n');
        let width = self
            .items
            .iter()
            .map(|i| i.status.label().len())
            .max()
            .unwrap_or(0);
        for i in &self.items {
            let _ = write!(
                out,
                "  {:width$}  {:>4} {}  {}",
                i.status.label(),
                version_token(i.version),
                i.date.format("%Y%m%d"),
                i.rel_path()
            );
            match &i.previous_name {
                Some(p) if *p != i.name => {
                    let _ = write!(out, "  (was {p})");
                }
                _ => {}
            }
            out.push('\n');
            let _ = writeln!(out, "  {:width$}  why: {}", "", i.status_reason());
        }
        for r in &self.removed {
            let why = if r.superseded_by.is_empty() {
                "dropped"
            } else {
                "superseded"
            };
            let _ = writeln!(out, "  {:width$}  {}  ({why})", "removed", r.previous_path);
            let _ = writeln!(out, "  {:width$}  why: {}", "", r.reason());
        }
        out
    }
}

impl super::PlanItem {
    /// Why the item has its status, in a few words for the wizard's review
    /// (`size differs from v01: v02 at the job's date`).
    pub fn status_reason(&self) -> String {
        use super::ItemStatus;
        let Some(m) = &self.previous else {
            return "not in the previous delivery: v01".to_string();
        };
        let (was, next) = (
            version_token(m.kept.version),
            version_token(m.bumped.version),
        );
        match self.status {
            ItemStatus::New => "not in the previous delivery: v01".to_string(),
            ItemStatus::Changed => format!("size or content differs from {was}: {next}, new name"),
            ItemStatus::Unchanged => format!("same content as {was}: name kept"),
            ItemStatus::ProbablyUnchanged => {
                format!("same size and modification time as {was}; the read confirms by SHA-256")
            }
            ItemStatus::ProbablyChanged => {
                format!("same size as {was}, other modification time; the read decides by SHA-256")
            }
        }
    }
}

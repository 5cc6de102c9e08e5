//! The namer shared by first deliveries and redeliveries: every name of
//! one job under one profile (the delivery root's, and each file's at a
//! given version and date), so a re-versioned name differs from the first
//! only in its version and date fields.

use chrono::NaiveDate;

use super::{PlanItem, name_entry};
use crate::job::{Job, SourceEntry, Track};
use crate::naming::{Field, Fields, NameRules, date_token, delivery_token, version_token};
use crate::probe::Probed;
use crate::profile::Profile;

/// Renders every name of one job with one profile: the delivery root's and
/// each file's at a given version and date. [`plan`] and the redelivery
/// planning share it, so a re-versioned name differs only in its version
/// and date fields.
pub(crate) struct Namer<'a> {
    profile: &'a Profile,
    rules: NameRules,
    title: String,
    unit: String,
    tc: String,
}

impl<'a> Namer<'a> {
    /// The namer of `job` under `profile`.
    pub(crate) fn new(job: &Job, profile: &'a Profile) -> Namer<'a> {
        Namer {
            profile,
            rules: profile.name_rules(),
            title: job.title_token(),
            unit: job.unit.as_str().to_string(),
            tc: job.frame_rate.token(),
        }
    }

    /// The delivery root's folder name for `number` (`x_lp_delivery02`).
    pub(crate) fn root_name(&self, number: u32) -> std::result::Result<String, String> {
        self.root_name_token(&delivery_token(number))
    }

    /// The root name with `token` as the delivery field.
    pub(crate) fn root_name_token(&self, token: &str) -> std::result::Result<String, String> {
        let f = Fields::new()
            .with(Field::Title, &self.title)
            .with(Field::Unit, &self.unit)
            .with(Field::Delivery, token);
        self.profile
            .naming
            .root_template
            .render_with(&f, &self.rules)
            .map_err(|e| e.to_string())
    }

    /// The name of `e` (probed as `p`, one of `set_size` files of its mono
    /// set) at `version`, dated `date`.
    pub(crate) fn name(
        &self,
        e: &SourceEntry,
        p: &Probed,
        set_size: usize,
        version: u32,
        date: NaiveDate,
    ) -> std::result::Result<String, String> {
        let f = Fields::new()
            .with(Field::Title, &self.title)
            .with(Field::Unit, &self.unit)
            .with(Field::Version, version_token(version))
            .with(Field::Date, date_token(date))
            .with(Field::Tc, &self.tc);
        name_entry(e, p, self.profile, f, set_size, &self.rules)
    }
}

/// How many files the mono set of `track` has among `entries` (each a
/// file's track and whether it is one channel of a set; 0 when `track` is
/// not a mono set).
pub(crate) fn set_size<'t>(
    entries: impl IntoIterator<Item = (&'t Track, bool)>,
    track: &Track,
) -> usize {
    entries
        .into_iter()
        .filter(|&(t, mono)| t == track && mono)
        .count()
}

impl PlanItem {
    /// The track this file belongs to.
    pub fn track(&self) -> Track {
        Track::new(self.role, self.letter, self.desc.as_deref())
    }

    /// The item as the job's source entry it was planned from.
    pub(crate) fn entry(&self) -> SourceEntry {
        SourceEntry {
            role: self.role,
            letter: self.letter,
            desc: self.desc.clone(),
            channel: self.channel.clone(),
            path: self.source.clone(),
        }
    }
}

//! What every rule needs: the job, profile and plan together, the label a
//! file goes by in messages (`ME`, `OPTB`, `PM.Ls`; `OPTB_WallaSpanish`
//! when several optional tracks share the letter), mono-set grouping,
//! the reference audio the others are compared with, and number formats
//! (kHz, frames, dB, timecode). Pure helpers, no rule logic.

use crate::job::{Job, Role};
use crate::naming::camel_case;
use crate::plan::{Plan, PlanItem};
use crate::probe::{AudioInfo, Media, VideoInfo};
use crate::profile::Profile;
use crate::timecode::Timecode;

use super::finding::{Finding, Rule};

/// The inputs of the rules.
#[derive(Clone, Copy)]
pub(crate) struct Ctx<'a> {
    pub job: &'a Job,
    pub profile: &'a Profile,
    pub plan: &'a Plan,
}

/// One audio deliverable of the plan with its header facts.
#[derive(Clone, Copy)]
pub(crate) struct Audio<'a> {
    pub index: usize,
    pub item: &'a PlanItem,
    pub info: &'a AudioInfo,
}

impl<'a> Ctx<'a> {
    pub fn new(job: &'a Job, profile: &'a Profile, plan: &'a Plan) -> Self {
        Ctx { job, profile, plan }
    }

    /// A finding about `item`.
    pub fn finding(
        &self,
        rule: Rule,
        item: &PlanItem,
        message: String,
        value: Option<String>,
    ) -> Finding {
        Finding::new(
            &self.profile.qc.severity,
            rule,
            item.rel_path(),
            message,
            value,
        )
    }

    /// The asset code of the item's role (`ME`, `OPTB`), without channel;
    /// with its description (`OPTB_WallaSpanish`) when another optional
    /// track has the same letter.
    pub fn unit_label(&self, item: &PlanItem) -> String {
        let code = self.profile.asset_code(item.role, item.letter);
        match &item.desc {
            Some(d) if self.shares_letter(item) => format!("{code}_{}", camel_case(d)),
            _ => code,
        }
    }

    /// True for an optional track whose letter another track has too.
    fn shares_letter(&self, item: &PlanItem) -> bool {
        let track = item.track();
        item.role == Role::Optional
            && self
                .plan
                .items
                .iter()
                .any(|o| o.role == Role::Optional && o.letter == item.letter && o.track() != track)
    }

    /// The label of the file (`ME`, `OPTB`, `PM.Ls` for a file of a mono set).
    pub fn label(&self, item: &PlanItem) -> String {
        let base = self.unit_label(item);
        match &item.channel {
            Some(c) => format!("{base}.{c}"),
            None => base,
        }
    }

    /// Every audio item of the plan, in plan order.
    pub fn audio(&self) -> Vec<Audio<'a>> {
        self.plan
            .items
            .iter()
            .enumerate()
            .filter(|(_, i)| i.role.is_audio())
            .filter_map(|(index, item)| match &item.probed.media {
                Media::Audio(info) => Some(Audio { index, item, info }),
                Media::Video(_) => None,
            })
            .collect()
    }

    /// The reference video, when the plan has one that probed as video.
    pub fn video(&self) -> Option<(&'a PlanItem, &'a VideoInfo)> {
        self.plan
            .items
            .iter()
            .find(|i| i.role == Role::ReferenceVideo)
            .and_then(|i| match &i.probed.media {
                Media::Video(v) => Some((i, v)),
                Media::Audio(_) => None,
            })
    }

    /// The files of the same mono set as `item` (empty when it is interleaved).
    pub fn set_members(&self, item: &PlanItem) -> Vec<&'a PlanItem> {
        if item.channel.is_none() {
            return Vec::new();
        }
        self.plan
            .items
            .iter()
            .filter(|o| o.channel.is_some() && o.track() == item.track())
            .collect()
    }

    /// True for an interleaved file, and for the first file of a mono set:
    /// the one file per-unit rules look at.
    pub fn is_unit_head(&self, a: &Audio<'_>) -> bool {
        self.set_members(a.item)
            .first()
            .is_none_or(|first| std::ptr::eq(*first, a.item))
    }

    /// The audio every other file is compared with: the M&E (its first
    /// file when it is a mono set); else the print master; else the first
    /// audio file.
    pub fn reference(&self) -> Option<Audio<'a>> {
        let audio = self.audio();
        [Role::Mne, Role::PrintMaster]
            .iter()
            .find_map(|r| audio.iter().find(|a| a.item.role == *r).copied())
            .or_else(|| audio.first().copied())
    }

    /// Timecode label of `samples` since midnight at the job's frame rate.
    pub fn tc(&self, samples: u64, sample_rate: u32) -> String {
        Timecode::from_samples(samples, sample_rate, self.job.frame_rate).to_string()
    }

    /// A sample distance as frames of the job's rate (`1 frame`, `1.5 frames`,
    /// `less than a frame`).
    pub fn frames_text(&self, samples: u64, sample_rate: u32) -> String {
        let r = self.job.frame_rate;
        let num = u128::from(samples) * u128::from(r.num);
        let den = u128::from(sample_rate) * u128::from(r.den);
        if den == 0 {
            return "? frames".to_string();
        }
        if num < den {
            return "less than a frame".to_string();
        }
        if num % den == 0 {
            let n = num / den;
            return if n == 1 {
                "1 frame".to_string()
            } else {
                format!("{n} frames")
            };
        }
        let f = num as f64 / den as f64;
        format!("{} frames", trim_decimals(&format!("{f:.2}")))
    }

    /// True when `samples` is at least `frames` frames of the job's rate.
    pub fn at_least_frames(&self, samples: u64, frames: u64, sample_rate: u32) -> bool {
        let r = self.job.frame_rate;
        u128::from(samples) * u128::from(r.num)
            >= u128::from(frames) * u128::from(sample_rate) * u128::from(r.den)
    }
}

/// The name of channel `index` of a file: its mono-set label, else the
/// probed speaker label, else `channel N` (1-based).
pub(crate) fn channel_name(item: &PlanItem, info: &AudioInfo, index: usize) -> String {
    if let Some(c) = &item.channel {
        return c.clone();
    }
    info.channel_labels
        .get(index)
        .filter(|l| !l.is_empty())
        .cloned()
        .unwrap_or_else(|| format!("channel {}", index + 1))
}

/// How a role is called in messages (`M&E`, `print master`).
pub(crate) fn role_name(role: Role) -> &'static str {
    match role {
        Role::ReferenceVideo => "reference video",
        Role::Mne => "M&E",
        Role::Optional => "optional track",
        Role::DialogueGuide => "dialogue guide",
        Role::PrintMaster => "print master",
    }
}

/// True when a speaker label names an LFE channel (`LFE`, `LFE2`).
pub(crate) fn is_lfe(label: &str) -> bool {
    label
        .get(..3)
        .is_some_and(|p| p.eq_ignore_ascii_case("lfe"))
}

/// `48 kHz`, `44.1 kHz`, `47.952 kHz`.
pub(crate) fn khz(rate: u32) -> String {
    let text = format!("{}.{:03}", rate / 1000, rate % 1000);
    format!("{} kHz", trim_decimals(&text))
}

/// `-0.6`: one decimal, never `-0.0`.
pub(crate) fn db(v: f64) -> String {
    let s = format!("{v:.1}");
    if s == "-0.0" { "0.0".to_string() } else { s }
}

/// Removes trailing zeros after a decimal point, and the point itself.
fn trim_decimals(s: &str) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s.to_string()
    }
}

/// `samples` at `from` Hz as samples at `to` Hz (rounded to nearest).
pub(crate) fn rescale(samples: u64, from: u32, to: u32) -> u64 {
    if from == to || from == 0 {
        return samples;
    }
    let n = u128::from(samples) * u128::from(to) + u128::from(from) / 2;
    u64::try_from(n / u128::from(from)).unwrap_or(u64::MAX)
}

/// `1 channel`, `6 channels`.
pub(crate) fn plural(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(khz(48_000), "48 kHz");
        assert_eq!(khz(44_100), "44.1 kHz");
        assert_eq!(khz(47_952), "47.952 kHz");
        assert_eq!(db(-0.04), "0.0");
        assert_eq!(db(-0.64), "-0.6");
        assert_eq!(rescale(44_100, 44_100, 48_000), 48_000);
        assert_eq!(rescale(7, 48_000, 48_000), 7);
        assert!(is_lfe("LFE") && is_lfe("lfe2") && !is_lfe("L") && !is_lfe("Lf"));
        assert_eq!(plural(1, "run", "runs"), "1 run");
        assert_eq!(plural(3, "run", "runs"), "3 runs");
    }

    #[test]
    fn frame_distances_at_the_job_rate() {
        let job = Job::from_yaml(
            "title: t\nunit: lp\nframe_rate: 23.976\nsources:\n  mne: a.wav\n",
            std::path::Path::new("/"),
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        )
        .unwrap();
        let profile = Profile::builtin("netflix").unwrap();
        let plan = Plan {
            root_name: String::new(),
            delivery_number: 1,
            folders: Vec::new(),
            items: Vec::new(),
            previous: None,
            removed: Vec::new(),
        };
        let ctx = Ctx::new(&job, &profile, &plan);
        assert_eq!(ctx.frames_text(2002, 48_000), "1 frame");
        assert_eq!(ctx.frames_text(4004, 48_000), "2 frames");
        assert_eq!(ctx.frames_text(3003, 48_000), "1.5 frames");
        assert_eq!(ctx.frames_text(1, 48_000), "less than a frame");
        assert!(ctx.at_least_frames(2002, 1, 48_000));
        assert!(!ctx.at_least_frames(2001, 1, 48_000));
        assert_eq!(ctx.tc(172_780_608, 48_000), "00:59:56:00");
        assert!(ctx.reference().is_none() && ctx.video().is_none());
    }
}

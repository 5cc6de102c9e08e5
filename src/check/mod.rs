//! QC rules of spec B4 as pure functions over the plan (header rules,
//! before anything is written) and over the analysis of each file (signal
//! rules, after the read). Every finding takes its severity from the
//! profile's `qc.severity` table; no rule hard-codes one.
//!
//! Files are named in messages by their role label (`ME`, `OPTA`, `GUIDE`,
//! `PM`, `REF`; `.L` added for a file of a mono set; `OPTB_WallaSpanish`
//! when optional tracks share a letter); the finding's `file`
//! is the delivered path relative to the root. The `names` rule is
//! enforced by [`crate::plan::plan`], which refuses illegal, duplicate or
//! over-long names, so it never appears here.

mod conform;
mod context;
mod finding;
mod header;
mod letters;
mod pops;
mod render;
mod signal;
mod timing;
mod video;

pub use finding::{Finding, Rule, counts, has_errors, severity_word, sort_findings};
pub use render::{render_measurements, render_rows, render_table};

use crate::analysis::Measurements;
use crate::job::Job;
use crate::plan::Plan;
use crate::profile::Profile;

use context::Ctx;

/// Everything knowable from headers: container and encoding, sample rate,
/// bit depth, channels per role, optional layout and letter, 5.1 mask, lengths and
/// starts against the M&E and the picture, and the reference video.
pub fn header_findings(job: &Job, profile: &Profile, plan: &Plan) -> Vec<Finding> {
    let ctx = Ctx::new(job, profile, plan);
    let mut out = Vec::new();
    let audio = ctx.audio();
    for a in &audio {
        header::format_rules(&ctx, a, &mut out);
    }
    for a in audio.iter().filter(|a| ctx.is_unit_head(a)) {
        header::layout_rules(&ctx, a, &mut out);
        letters::letter_rule(&ctx, a, &mut out);
    }
    timing::length_rules(&ctx, &mut out);
    timing::picture_length_rule(&ctx, &mut out);
    timing::start_rules(&ctx, &mut out);
    video::video_rules(&ctx, &mut out);
    out
}

/// The rules over measured signal: true peak, loudness, print-master
/// loudness, silence, clipping, dropouts and 2-pops. `measurements` is
/// index-aligned with `plan.items` (None for the video or a file not
/// analysed); a shorter slice leaves the missing items unanalysed.
pub fn signal_findings(
    job: &Job,
    profile: &Profile,
    plan: &Plan,
    measurements: &[Option<Measurements>],
) -> Vec<Finding> {
    let ctx = Ctx::new(job, profile, plan);
    let measured: Vec<_> = ctx
        .audio()
        .into_iter()
        .filter_map(|a| {
            measurements
                .get(a.index)
                .and_then(Option::as_ref)
                .map(|m| (a, m))
        })
        .collect();
    let mut out = Vec::new();
    for (a, m) in &measured {
        signal::silence(&ctx, a, m, &mut out);
        signal::true_peak(&ctx, a, m, &mut out);
        signal::faults(&ctx, a, m, &mut out);
        signal::loudness(&ctx, a, m, &mut out);
    }
    pops::pop_rules(&ctx, &measured, &mut out);
    out
}

/// The conform rules of spec B5 over the conform analysis `c`, added to
/// `findings` (the full-programme loudness warning quietens when the
/// dialogue-gated loudness passes).
pub fn conform_findings(
    job: &Job,
    profile: &Profile,
    plan: &Plan,
    c: &crate::conform::Conform,
    findings: &mut Vec<Finding>,
) {
    let ctx = Ctx::new(job, profile, plan);
    conform::conform_rules(&ctx, c, findings);
    conform::quiet_full_programme_loudness(findings);
}

/// The manifest's per-file record of the conform analysis `c`.
pub fn conform_records(
    job: &Job,
    profile: &Profile,
    plan: &Plan,
    c: &crate::conform::Conform,
) -> Vec<crate::manifest::ConformRecord> {
    conform::records(&Ctx::new(job, profile, plan), c)
}

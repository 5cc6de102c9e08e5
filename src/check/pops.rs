//! 2-pop rules (spec B4): `pop` reports each pop found with its timecode
//! (bext time reference + offset, at the job's frame rate) and its sample
//! offset; `pop_alignment` compares the absolute positions of all pops
//! with the reference audio's (or, when it has none, the first pop found).
//!
//! Decisions:
//! - A file with no pop while others have one gets a `pop` finding (its
//!   severity: information), unless it is silent or another file of its
//!   mono set has one (a 2-pop is often on some channels only).
//! - Positions of files at another sample rate are converted to the
//!   reference's rate, with one sample of rounding allowed.

use crate::analysis::Measurements;

use super::context::{Audio, Ctx, channel_name, plural, rescale};
use super::finding::{Finding, Rule};

/// A pop at its absolute position.
struct Found<'a> {
    audio: Audio<'a>,
    /// Samples since midnight, at the file's rate.
    at: u64,
}

/// Every `pop` and `pop_alignment` finding.
pub(crate) fn pop_rules(
    ctx: &Ctx<'_>,
    measured: &[(Audio<'_>, &Measurements)],
    out: &mut Vec<Finding>,
) {
    let found = pops_found(ctx, measured, out);
    let reference = ctx.reference().map(|r| r.index);
    let Some(base) = found
        .iter()
        .find(|f| Some(f.audio.index) == reference)
        .or_else(|| found.first())
    else {
        return;
    };
    alignment(ctx, &found, base, out);
    missing(ctx, measured, &found, base, out);
}

/// A `pop` note for each file with a 2-pop; the pops found.
fn pops_found<'a>(
    ctx: &Ctx<'_>,
    measured: &[(Audio<'a>, &Measurements)],
    out: &mut Vec<Finding>,
) -> Vec<Found<'a>> {
    let mut found: Vec<Found<'a>> = Vec::new();
    for (a, m) in measured {
        let Some(p) = m.pop else { continue };
        let sr = a.info.sample_rate;
        let at = a.info.time_reference().saturating_add(p.offset);
        let on = if a.item.channel.is_some() {
            String::new()
        } else {
            format!(" on {}", channel_name(a.item, a.info, p.channel))
        };
        out.push(ctx.finding(
            Rule::Pop,
            a.item,
            format!(
                "{} 2-pop at {}{on} (sample {} from the start of the file)",
                ctx.label(a.item),
                ctx.tc(at, sr),
                p.offset
            ),
            Some(ctx.tc(at, sr)),
        ));
        found.push(Found { audio: *a, at });
    }
    found
}

/// `pop_alignment`: each pop against the `base` file's.
fn alignment(ctx: &Ctx<'_>, found: &[Found<'_>], base: &Found<'_>, out: &mut Vec<Finding>) {
    let sr = base.audio.info.sample_rate;
    let base_label = ctx.label(base.audio.item);
    let tolerance = ctx.profile.qc.pop_tolerance_samples;
    for f in found {
        if f.audio.index == base.audio.index {
            continue;
        }
        let at = rescale(f.at, f.audio.info.sample_rate, sr);
        let slack = u64::from(f.audio.info.sample_rate != sr);
        let diff = at.abs_diff(base.at);
        if diff <= tolerance.saturating_add(slack) {
            continue;
        }
        let (word, sign) = if at < base.at {
            ("earlier", "-")
        } else {
            ("later", "+")
        };
        out.push(ctx.finding(
            Rule::PopAlignment,
            f.audio.item,
            format!(
                "{}'s 2-pop is {} ({}) {word} than {base_label}'s ({} against {}); pops must line up within {}",
                ctx.label(f.audio.item),
                plural(diff, "sample", "samples"),
                ctx.frames_text(diff, sr),
                ctx.tc(at, sr),
                ctx.tc(base.at, sr),
                plural(tolerance, "sample", "samples")
            ),
            Some(format!("{sign}{diff} samples")),
        ));
    }
}

/// `pop` where a file has none while the `base` file has one.
fn missing(
    ctx: &Ctx<'_>,
    measured: &[(Audio<'_>, &Measurements)],
    found: &[Found<'_>],
    base: &Found<'_>,
    out: &mut Vec<Finding>,
) {
    let base_label = ctx.label(base.audio.item);
    for (a, m) in measured {
        if m.pop.is_some() || m.silent {
            continue;
        }
        let set_has_pop = ctx
            .set_members(a.item)
            .iter()
            .any(|member| found.iter().any(|f| std::ptr::eq(f.audio.item, *member)));
        if set_has_pop {
            continue;
        }
        out.push(ctx.finding(
            Rule::Pop,
            a.item,
            format!(
                "no 2-pop found in the first {} s of {}, while {base_label} has one",
                ctx.profile.qc.pop_search_seconds,
                ctx.label(a.item)
            ),
            None,
        ));
    }
}

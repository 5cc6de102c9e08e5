//! Timing rules (spec B4): every audio file's length and start against
//! the reference audio (the M&E), and the reference audio's length and
//! start against the picture.
//!
//! Decisions:
//! - Lengths and starts of files at another sample rate are converted to
//!   the reference's rate before comparing (the rate has its own finding),
//!   with one sample of rounding allowed.
//! - Only the reference audio is compared with the picture: every other
//!   file is compared with the reference, so a file off the picture is
//!   always reported once, by one of the two comparisons.
//! - A file without `bext` starts at 00:00:00:00 for the comparison, and
//!   the message says it has no time reference; the picture comparison
//!   needs both a `bext` and a start timecode in the video.

use crate::probe::VideoInfo;
use crate::timecode::Timecode;

use super::context::{Audio, Ctx, plural, rescale};
use super::finding::{Finding, Rule};
use super::video::video_rate;

/// `length` / `length_small` of every file against the reference.
pub(crate) fn length_rules(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(r) = ctx.reference() else { return };
    let sr = r.info.sample_rate;
    let tol = ctx.profile.qc.length_tolerance_frames;
    let ref_label = ctx.label(r.item);
    for a in ctx.audio() {
        if a.index == r.index {
            continue;
        }
        let len = rescale(a.info.frames, a.info.sample_rate, sr);
        let slack = u64::from(a.info.sample_rate != sr);
        let diff = len.abs_diff(r.info.frames);
        if diff <= slack {
            continue;
        }
        let rule = if ctx.at_least_frames(diff, tol, sr) {
            Rule::Length
        } else {
            Rule::LengthSmall
        };
        let (word, sign) = if len < r.info.frames {
            ("shorter", "-")
        } else {
            ("longer", "+")
        };
        out.push(ctx.finding(
            rule,
            a.item,
            format!(
                "{} is {} ({}) {word} than {ref_label}",
                ctx.label(a.item),
                ctx.frames_text(diff, sr),
                plural(diff, "sample", "samples")
            ),
            Some(format!("{sign}{diff} samples")),
        ));
    }
}

/// The video's duration in seconds, from its frame count and rate when
/// both are known, else its stated duration.
fn video_seconds(v: &VideoInfo) -> Option<f64> {
    match (v.duration_frames, v.frame_rate_num, v.frame_rate_den) {
        (Some(f), Some(n), Some(d)) if n > 0 => Some(f as f64 * f64::from(d) / f64::from(n)),
        _ => v.duration_seconds.filter(|s| s.is_finite() && *s >= 0.0),
    }
}

/// The video's start as samples since midnight at `sample_rate`.
fn video_start_samples(ctx: &Ctx<'_>, v: &VideoInfo, sample_rate: u32) -> Option<u64> {
    let rate = video_rate(v).unwrap_or(ctx.job.frame_rate);
    let tc = match (v.start_frames, &v.start_timecode) {
        (Some(frames), _) => Timecode { frames, rate },
        (None, Some(label)) => Timecode::parse(label, rate)?,
        (None, None) => return None,
    };
    Some(tc.to_samples(sample_rate))
}

/// `length_vs_picture`: the reference audio within one frame of the video.
pub(crate) fn picture_length_rule(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let (Some(r), Some((vitem, v))) = (ctx.reference(), ctx.video()) else {
        return;
    };
    let Some(video_s) = video_seconds(v) else {
        return;
    };
    let sr = r.info.sample_rate;
    let video_samples = (video_s * f64::from(sr)).round();
    let audio = r.info.frames as f64;
    let diff = (audio - video_samples).abs().round() as u64;
    let one_frame = ctx.job.frame_rate.samples_per_frame(sr);
    if (diff as f64) <= one_frame + 0.5 {
        return;
    }
    let word = if audio < video_samples {
        "shorter"
    } else {
        "longer"
    };
    out.push(ctx.finding(
        Rule::LengthVsPicture,
        r.item,
        format!(
            "{} is {} ({}) {word} than the picture ({}, {video_s:.3} s)",
            ctx.label(r.item),
            ctx.frames_text(diff, sr),
            plural(diff, "sample", "samples"),
            ctx.label(vitem)
        ),
        Some(format!("{:.3} s", r.info.duration_seconds())),
    ));
}

fn start_text(ctx: &Ctx<'_>, a: &Audio<'_>) -> String {
    match &a.info.bext {
        Some(b) => format!(
            "{} (time reference {})",
            ctx.tc(b.time_reference, a.info.sample_rate),
            b.time_reference
        ),
        None => "00:00:00:00 (no bext time reference)".to_string(),
    }
}

/// `start`: every file's time reference against the reference audio's,
/// and the reference audio's against the video's start timecode.
pub(crate) fn start_rules(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(r) = ctx.reference() else { return };
    let sr = r.info.sample_rate;
    let ref_start = r.info.time_reference();
    let ref_label = ctx.label(r.item);
    for a in ctx.audio() {
        if a.index == r.index {
            continue;
        }
        let start = rescale(a.info.time_reference(), a.info.sample_rate, sr);
        let slack = u64::from(a.info.sample_rate != sr);
        let diff = start.abs_diff(ref_start);
        if diff <= slack && a.info.bext.is_some() == r.info.bext.is_some() {
            continue;
        }
        let how = if diff == 0 {
            String::new()
        } else {
            format!(
                ", {} {}",
                ctx.frames_text(diff, sr),
                if start < ref_start {
                    "earlier"
                } else {
                    "later"
                }
            )
        };
        out.push(ctx.finding(
            Rule::Start,
            a.item,
            format!(
                "{} starts at {}, {ref_label} at {}{how}",
                ctx.label(a.item),
                start_text(ctx, &a),
                start_text(ctx, &r)
            ),
            Some(ctx.tc(a.info.time_reference(), a.info.sample_rate)),
        ));
    }
    let Some((vitem, v)) = ctx.video() else {
        return;
    };
    let Some(b) = &r.info.bext else { return };
    let Some(video_start) = video_start_samples(ctx, v, sr) else {
        return;
    };
    let diff = b.time_reference.abs_diff(video_start);
    if diff > 1 {
        let video_tc = v
            .start_timecode
            .clone()
            .unwrap_or_else(|| ctx.tc(video_start, sr));
        out.push(ctx.finding(
            Rule::Start,
            r.item,
            format!(
                "{ref_label} starts at {}, the picture ({}) at {video_tc}: {} {}",
                start_text(ctx, &r),
                ctx.label(vitem),
                ctx.frames_text(diff, sr),
                if b.time_reference < video_start {
                    "earlier"
                } else {
                    "later"
                }
            ),
            Some(ctx.tc(b.time_reference, sr)),
        ));
    }
}

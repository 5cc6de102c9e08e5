//! Reference-video rules (spec B4, `reference_video`): QuickTime or MXF
//! (the probe only recognises those), an accepted codec, a frame rate
//! equal to the job's and in the profile's list, and a reference video
//! present whenever the delivery has an M&E (spec A1).
//!
//! Decision: an MXF (or movie) whose details the probe could not read is
//! one `reference_video` finding at the profile's severity, asking for a
//! check by hand; nothing else is said about it.

use crate::job::Role;
use crate::probe::VideoInfo;
use crate::timecode::FrameRate;

use super::context::Ctx;
use super::finding::{Finding, Rule};

/// The video's frame rate as a known [`FrameRate`] (with its drop-frame
/// flag), or None when it is unknown or not one of the known rates.
pub(crate) fn video_rate(v: &VideoInfo) -> Option<FrameRate> {
    let (n, d) = (v.frame_rate_num?, v.frame_rate_den?);
    let mut rate = FrameRate::parse(&format!("{n}/{d}"))?;
    rate.drop_frame = v.drop_frame && rate.den == 1001 && rate.num % 30000 == 0;
    Some(rate)
}

fn fps_text(v: &VideoInfo) -> Option<String> {
    let (n, d) = (v.frame_rate_num?, v.frame_rate_den?);
    if d == 0 {
        return None;
    }
    let fps = f64::from(n) / f64::from(d);
    let s = format!("{fps:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    Some(format!(
        "{s} fps{}",
        if v.drop_frame { " drop-frame" } else { "" }
    ))
}

/// Every `reference_video` finding.
pub(crate) fn video_rules(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let qc = &ctx.profile.qc;
    let Some((item, v)) = ctx.video() else {
        if ctx.plan.items.iter().any(|i| i.role == Role::Mne) {
            out.push(Finding::new(
                &qc.severity,
                Rule::ReferenceVideo,
                ctx.plan.root_name.clone(),
                "the delivery has an M&E but no reference video; the stage-mix picture goes with every M&E delivery",
                None,
            ));
        }
        return;
    };
    let label = ctx.label(item);
    let container = v.container.name();
    if !v.details_read {
        out.push(ctx.finding(
            Rule::ReferenceVideo,
            item,
            format!(
                "{label} is {container}, but its codec, frame rate and timecode could not be read; check them by hand"
            ),
            None,
        ));
        return;
    }
    let fourcc = v.codec_fourcc.as_deref();
    let name = v.codec_name.as_deref();
    if !qc.accepts_video_codec(fourcc, name) {
        let codec = match (name, fourcc) {
            (Some(n), Some(f)) => format!("{n} ({f})"),
            (Some(x), None) | (None, Some(x)) => x.to_string(),
            (None, None) => "an unknown codec".to_string(),
        };
        out.push(ctx.finding(
            Rule::ReferenceVideo,
            item,
            format!(
                "{label} is {codec}; the reference should be {} as received",
                qc.video_codec_names.join(", ")
            ),
            Some(fourcc.or(name).unwrap_or("unknown").to_string()),
        ));
    }
    let job_rate = ctx.job.frame_rate;
    match (video_rate(v), fps_text(v)) {
        (_, None) => out.push(ctx.finding(
            Rule::ReferenceVideo,
            item,
            format!("{label}: no frame rate found in the {container} header; check it by hand"),
            None,
        )),
        (Some(rate), Some(_)) if rate == job_rate && qc.accepts_rate(rate) => {}
        (rate, Some(text)) => {
            let accepted = rate.is_some_and(|r| qc.accepts_rate(r));
            let mut message = format!(
                "{label} runs at {text}; the job is {} fps",
                job_rate.label()
            );
            if !accepted {
                message.push_str(", and that rate is not one the delivery accepts");
            }
            out.push(ctx.finding(Rule::ReferenceVideo, item, message, Some(text)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::probe::Container;

    fn v(num: u32, den: u32, drop: bool) -> VideoInfo {
        VideoInfo {
            container: Container::QuickTime,
            details_read: true,
            codec_fourcc: None,
            codec_name: None,
            width: None,
            height: None,
            frame_rate_num: Some(num),
            frame_rate_den: Some(den),
            duration_frames: None,
            duration_seconds: None,
            start_timecode: None,
            start_frames: None,
            drop_frame: drop,
            audio_tracks: 0,
            sound: None,
            notes: Vec::new(),
        }
    }

    #[test]
    fn video_rates_are_normalised_with_their_drop_flag() {
        assert_eq!(video_rate(&v(2997, 100, false)), None);
        assert_eq!(
            video_rate(&v(48000, 2002, false)),
            FrameRate::parse("23.976")
        );
        assert_eq!(
            video_rate(&v(30000, 1001, true)),
            FrameRate::parse("29.97df")
        );
        // A drop flag on a rate that has no drop-frame counting is ignored.
        assert_eq!(video_rate(&v(25, 1, true)), FrameRate::parse("25"));
        assert_eq!(
            fps_text(&v(24000, 1001, false)).as_deref(),
            Some("23.976 fps")
        );
        assert_eq!(fps_text(&v(1, 0, false)), None);
    }
}

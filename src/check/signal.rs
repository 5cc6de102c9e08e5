//! Signal rules over the analysis of each audio file (spec B4): true
//! peak, loudness (reported), the print master's full-programme loudness,
//! silent channels and files, clipping and dropouts.
//!
//! Decisions:
//! - True peak applies to the M&E, optionals and print master (not the
//!   guide); only the stronger of `true_peak_error` / `true_peak_warn` is
//!   reported for a file, naming its loudest channel.
//! - In an M&E or print-master mono set, a silent file is that channel:
//!   `silent_channel` (or `silent_lfe` for the LFE), not `silent_file`. A
//!   wholly silent interleaved file gets `silent_file` only, not one
//!   finding per channel.
//! - A print master delivered as mono files has no full-programme
//!   measurement (loudness cannot be summed from per-file results): a
//!   `loudness` finding says so instead of `pm_loudness`.

use std::fmt::Write as _;

use crate::analysis::Measurements;
use crate::job::Role;

use super::context::{Audio, Ctx, channel_name, db, is_lfe, plural};
use super::finding::{Finding, Rule};

/// The loudest channel's index and true peak.
fn worst_channel(m: &Measurements) -> Option<(usize, f64)> {
    m.true_peak_dbtp
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.filter(|v| v.is_finite()).map(|v| (i, v)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// `true_peak_error` or `true_peak_warn` for one file.
pub(crate) fn true_peak(ctx: &Ctx<'_>, a: &Audio<'_>, m: &Measurements, out: &mut Vec<Finding>) {
    if !matches!(a.item.role, Role::Mne | Role::Optional | Role::PrintMaster) {
        return;
    }
    let qc = &ctx.profile.qc;
    let Some((ch, tp)) = worst_channel(m) else {
        return;
    };
    let (rule, limit, what) = if tp > qc.true_peak_error_dbtp {
        (Rule::TruePeakError, qc.true_peak_error_dbtp, "limit")
    } else if tp > qc.true_peak_warn_dbtp {
        (Rule::TruePeakWarn, qc.true_peak_warn_dbtp, "target")
    } else {
        return;
    };
    let on = if a.item.channel.is_some() {
        String::new()
    } else {
        format!(" on {}", channel_name(a.item, a.info, ch))
    };
    let mut message = format!(
        "{} true peak {} dBTP{on}, above the {} dBTP {what}",
        ctx.label(a.item),
        db(tp),
        db(limit)
    );
    if let Some(sp) = m.max_sample_peak_dbfs().filter(|sp| *sp <= limit) {
        let _ = write!(
            message,
            " (sample peak {} dBFS: an inter-sample over)",
            db(sp)
        );
    }
    out.push(ctx.finding(rule, a.item, message, Some(format!("{} dBTP", db(tp)))));
}

/// `loudness` (reported) and the print master's `pm_loudness`.
pub(crate) fn loudness(ctx: &Ctx<'_>, a: &Audio<'_>, m: &Measurements, out: &mut Vec<Finding>) {
    let label = ctx.label(a.item);
    if m.silent {
        return;
    }
    let lra = m
        .lra_lu
        .map_or_else(|| "not measurable".to_string(), |l| format!("{} LU", db(l)));
    let (message, value) = match m.integrated_lufs {
        Some(i) => (
            format!(
                "{label}: integrated loudness {} LUFS, loudness range {lra}",
                db(i)
            ),
            Some(format!("{} LUFS", db(i))),
        ),
        None => (
            format!("{label}: integrated loudness not measurable (every block is below the gate)"),
            None,
        ),
    };
    out.push(ctx.finding(Rule::Loudness, a.item, message, value));
    if a.item.role != Role::PrintMaster {
        return;
    }
    let qc = &ctx.profile.qc;
    if a.item.channel.is_some() {
        if ctx.is_unit_head(a) {
            out.push(ctx.finding(
                Rule::Loudness,
                a.item,
                format!(
                    "{} is a set of mono files: its full-programme loudness is not measured (measure the interleaved mix against {} LKFS)",
                    ctx.unit_label(a.item),
                    db(qc.pm_loudness_target_lufs)
                ),
                None,
            ));
        }
        return;
    }
    let Some(i) = m.integrated_lufs else { return };
    if (i - qc.pm_loudness_target_lufs).abs() > qc.pm_loudness_tolerance_lu {
        out.push(ctx.finding(
            Rule::PmLoudness,
            a.item,
            format!(
                "{label} full-programme loudness {} LUFS is outside {} +/- {} LKFS; the studio first checks dialogue-gated loudness, which cannot be computed exactly here (its speech gate is proprietary)",
                db(i),
                db(qc.pm_loudness_target_lufs),
                db(qc.pm_loudness_tolerance_lu)
            ),
            Some(format!("{} LUFS", db(i))),
        ));
    }
}

/// `silent_channel`, `silent_lfe` and `silent_file`.
pub(crate) fn silence(ctx: &Ctx<'_>, a: &Audio<'_>, m: &Measurements, out: &mut Vec<Finding>) {
    let label = ctx.label(a.item);
    let main_mix = matches!(a.item.role, Role::Mne | Role::PrintMaster);
    if let (true, true, Some(ch)) = (m.silent, main_mix, &a.item.channel) {
        let rule = if is_lfe(ch) {
            Rule::SilentLfe
        } else {
            Rule::SilentChannel
        };
        out.push(ctx.finding(
            rule,
            a.item,
            format!(
                "{ch} of {} ({label}) is digital silence for the whole file",
                ctx.unit_label(a.item)
            ),
            Some(ch.clone()),
        ));
        return;
    }
    if m.silent {
        let message = if m.frames == 0 {
            format!("{label} has no samples")
        } else {
            format!("{label} is digital silence for the whole file")
        };
        out.push(ctx.finding(Rule::SilentFile, a.item, message, None));
        return;
    }
    if !main_mix {
        return;
    }
    for &idx in &m.silent_channels {
        let name = channel_name(a.item, a.info, idx);
        let rule = if is_lfe(&name) {
            Rule::SilentLfe
        } else {
            Rule::SilentChannel
        };
        out.push(ctx.finding(
            rule,
            a.item,
            format!(
                "{name} (channel {}) of {label} is digital silence for the whole file",
                idx + 1
            ),
            Some(name.clone()),
        ));
    }
}

/// `clipping` (every audio file) and `dropout` (the M&E and print master).
pub(crate) fn faults(ctx: &Ctx<'_>, a: &Audio<'_>, m: &Measurements, out: &mut Vec<Finding>) {
    let label = ctx.label(a.item);
    let sr = a.info.sample_rate;
    let start = a.info.time_reference();
    let runs: u64 = m.clipping.iter().map(|c| c.runs).sum();
    if runs > 0 {
        let first = m
            .clipping
            .iter()
            .enumerate()
            .filter_map(|(ch, c)| c.first_at.map(|at| (at, ch)))
            .min();
        let at = first.map_or_else(String::new, |(at, ch)| {
            format!(
                "; the first at {} on {} (sample {at} of the file)",
                ctx.tc(start.saturating_add(at), sr),
                channel_name(a.item, a.info, ch)
            )
        });
        out.push(ctx.finding(
            Rule::Clipping,
            a.item,
            format!(
                "{label} clips: {} of {} or more full-scale samples in a row{at}",
                plural(runs, "run", "runs"),
                ctx.profile.qc.clip_run
            ),
            Some(plural(runs, "run", "runs")),
        ));
    }
    // A dialogue guide and an optional track are silent between lines by
    // nature: dropouts count only in the M&E and the print master.
    if !matches!(a.item.role, Role::Mne | Role::PrintMaster) {
        return;
    }
    let d = dropouts_after_leader(m);
    if d.count > 0 {
        let ms = |frames: u64| {
            if sr == 0 {
                0
            } else {
                frames.saturating_mul(1000) / u64::from(sr)
            }
        };
        let first = d.first.first().map_or_else(String::new, |s| {
            format!(
                "; the first at {} for {} ms",
                ctx.tc(start.saturating_add(s.offset), sr),
                ms(s.length)
            )
        });
        out.push(ctx.finding(
            Rule::Dropout,
            a.item,
            format!(
                "{label} has {} (every channel digital silence for {} ms or more inside the programme){first}",
                plural(d.count, "dropout", "dropouts"),
                ctx.profile.qc.dropout_min_ms
            ),
            Some(format!(
                "{}, {} ms in all",
                plural(d.count, "dropout", "dropouts"),
                ms(d.total_frames)
            )),
        ));
    }
}

/// The dropouts of a file less the leader's gap: the silence between the
/// 2-pop and the first frame of action is part of the head leader, not a
/// dropout inside the programme.
fn dropouts_after_leader(m: &Measurements) -> crate::analysis::Dropouts {
    let mut d = m.dropouts.clone();
    let Some(pop) = &m.pop else {
        return d;
    };
    let pop_end = pop.offset.saturating_add(pop.length);
    if let Some(i) = d
        .first
        .iter()
        .position(|s| s.offset + 2 >= pop_end && s.offset <= pop_end + 2)
    {
        let gap = d.first.remove(i);
        d.count = d.count.saturating_sub(1);
        d.total_frames = d.total_frames.saturating_sub(gap.length);
    }
    d
}

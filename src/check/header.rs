//! Header rules on each audio file's format (spec B4): container and
//! sample encoding, sample rate, bit depth, channel count per role (a mono
//! set counts its files), an optional's layout against the M&E's, and the
//! 5.1 channel mask.
//!
//! Decisions:
//! - A float or other non-PCM file gets the `container` finding only, not a
//!   second `bit_depth` one.
//! - Bit depth is the valid bits; 24 valid bits in 32-bit containers is
//!   also a `bit_depth` finding (the delivery wants 24-bit samples).
//! - No channel mask (plain PCM), or a mask of 0 (no assignment), means
//!   the usual order and is not reported.

use crate::job::Role;
use crate::probe::SampleFormat;

use super::context::{Audio, Ctx, khz, plural, role_name};
use super::finding::{Finding, Rule};

/// Container, rate and bit-depth rules of one file.
pub(crate) fn format_rules(ctx: &Ctx<'_>, a: &Audio<'_>, out: &mut Vec<Finding>) {
    let qc = &ctx.profile.qc;
    let label = ctx.label(a.item);
    let info = a.info;
    if info.sample_format != SampleFormat::Pcm {
        let what = match info.sample_format {
            SampleFormat::Float => format!("{}-bit floating point", info.bits),
            _ => format!(
                "encoded as format 0x{:04X}",
                info.sub_format.unwrap_or(info.format_tag)
            ),
        };
        out.push(ctx.finding(
            Rule::Container,
            a.item,
            format!(
                "{label} is {what} ({}); the delivery needs integer PCM in a WAV, RF64 or BW64 file",
                info.codec
            ),
            Some(info.codec.clone()),
        ));
    }
    if info.sample_rate != qc.sample_rate {
        out.push(ctx.finding(
            Rule::SampleRate,
            a.item,
            format!(
                "{label} is {}; the delivery needs {}",
                khz(info.sample_rate),
                khz(qc.sample_rate)
            ),
            Some(format!("{} Hz", info.sample_rate)),
        ));
    }
    let valid = if info.valid_bits > 0 {
        info.valid_bits
    } else {
        info.bits
    };
    if info.sample_format == SampleFormat::Pcm {
        if valid != qc.bits {
            out.push(ctx.finding(
                Rule::BitDepth,
                a.item,
                format!(
                    "{label} is {valid}-bit; the delivery needs {}-bit integer PCM",
                    qc.bits
                ),
                Some(format!("{valid} bits")),
            ));
        } else if info.bits != qc.bits {
            out.push(ctx.finding(
                Rule::BitDepth,
                a.item,
                format!(
                    "{label} holds {valid}-bit samples in {}-bit containers; the delivery needs plain {}-bit PCM",
                    info.bits, qc.bits
                ),
                Some(format!("{valid} of {} bits", info.bits)),
            ));
        }
    }
    if info.channels == 6 && a.item.channel.is_none() {
        if let Some(mask) = info.channel_mask.filter(|m| *m != 0) {
            if !qc.masks_5_1.contains(&mask) {
                let accepted: Vec<String> =
                    qc.masks_5_1.iter().map(|m| format!("0x{m:X}")).collect();
                out.push(ctx.finding(
                    Rule::ChannelMask,
                    a.item,
                    format!(
                        "{label} has channel mask 0x{mask:X} ({}); 5.1 should be {} (L R C LFE Ls Rs)",
                        info.channel_labels.join(" "),
                        accepted.join(" or ")
                    ),
                    Some(format!("0x{mask:X}")),
                ));
            }
        }
    }
}

/// The channel count and speaker labels of the unit `a` heads (the set's
/// files count, in their order, for a mono set).
fn layout(ctx: &Ctx<'_>, a: &Audio<'_>) -> (u16, Vec<String>) {
    let members = ctx.set_members(a.item);
    if members.is_empty() {
        (a.info.channels, a.info.channel_labels.clone())
    } else {
        let labels = members.iter().filter_map(|m| m.channel.clone()).collect();
        (u16::try_from(members.len()).unwrap_or(u16::MAX), labels)
    }
}

fn list_counts(counts: &[u16]) -> String {
    let words: Vec<String> = counts.iter().map(u16::to_string).collect();
    match words.as_slice() {
        [] => "none".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Channel count per role, and an info note naming an optional's layout
/// when it differs from the M&E's (any layout from mono to 7.1.2 is
/// accepted: what must match is where its material sits, a matter for
/// the audio, not the header); `a` heads its unit.
pub(crate) fn layout_rules(ctx: &Ctx<'_>, a: &Audio<'_>, out: &mut Vec<Finding>) {
    let qc = &ctx.profile.qc;
    let label = ctx.unit_label(a.item);
    let set = !ctx.set_members(a.item).is_empty();
    let (count, labels) = layout(ctx, a);
    let what = if set {
        format!(
            "{label} is a set of {}",
            plural(count.into(), "mono file", "mono files")
        )
    } else {
        format!(
            "{label} has {}",
            plural(count.into(), "channel", "channels")
        )
    };
    if !qc.accepts_channels(a.item.role, count) {
        let accepted = qc.channels.get(&a.item.role).cloned().unwrap_or_default();
        out.push(ctx.finding(
            Rule::Channels,
            a.item,
            format!(
                "{what}; the {} needs {} channels",
                role_name(a.item.role),
                list_counts(&accepted)
            ),
            Some(count.to_string()),
        ));
    }
    if a.item.role != Role::Optional {
        return;
    }
    let Some(me) = ctx.audio().into_iter().find(|m| m.item.role == Role::Mne) else {
        return;
    };
    let (me_count, me_labels) = layout(ctx, &me);
    let same_labels = labels.is_empty() || me_labels.is_empty() || labels == me_labels;
    if count != me_count || !same_labels {
        let show = |n: u16, l: &[String]| {
            let token = ctx.profile.layout_token(n);
            if l.is_empty() {
                token
            } else {
                format!("{token} ({})", l.join(" "))
            }
        };
        out.push(ctx.finding(
            Rule::OptionalLayout,
            a.item,
            format!(
                "{label} is {}, the M&E is {}: accepted (optional tracks may be any layout from mono to 7.1.2; their channel assignment must match the main mix's, which this header check cannot see)",
                show(count, &labels),
                show(me_count, &me_labels)
            ),
            Some(ctx.profile.layout_token(count)),
        ));
    }
}

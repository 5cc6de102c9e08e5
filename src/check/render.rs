//! Plain-text renderings for the terminal: the findings table (each line
//! marked with the word ERROR, WARN or INFO, never colour alone) and the
//! per-file measurements table.

use std::fmt::Write as _;

use crate::analysis::Measurements;
use crate::plan::Plan;
use crate::probe::Media;
use crate::profile::Severity;
use crate::timecode::{FrameRate, Timecode};

use super::context::{channel_name, db};
use super::finding::{Finding, counts};

fn word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARN",
        Severity::Info => "INFO",
    }
}

/// The findings, two lines each (`ERROR [rule] message`, then the file),
/// in the order given, then a count line. `No findings.` when empty.
pub fn render_table(findings: &[Finding]) -> String {
    if findings.is_empty() {
        return "No findings.\n".to_string();
    }
    let mut out = render_rows(findings);
    let (e, w, i) = counts(findings);
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let _ = writeln!(out, "{e} error{}, {w} warning{}, {i} info", s(e), s(w));
    out
}

/// The findings, two lines each (`ERROR [rule] message`, then the file),
/// in the order given, with no count line; empty when there are none.
pub fn render_rows<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> String {
    let mut out = String::new();
    for f in findings {
        let _ = writeln!(out, "{:<5} [{}] {}", word(f.severity), f.rule, f.message);
        let _ = writeln!(out, "      {}", f.file);
    }
    out
}

fn opt_db(v: Option<f64>, unit: &str) -> String {
    v.map_or_else(|| "-inf".to_string(), |v| format!("{} {unit}", db(v)))
}

/// Per audio file: true peak (and its channel), sample peak, integrated
/// loudness, LRA, silent channels and the 2-pop's timecode (at `rate`).
/// `measurements` is index-aligned with `plan.items`.
pub fn render_measurements(
    plan: &Plan,
    measurements: &[Option<Measurements>],
    rate: FrameRate,
) -> String {
    let mut out = String::new();
    for (i, item) in plan.items.iter().enumerate() {
        let Media::Audio(info) = &item.probed.media else {
            continue;
        };
        let _ = writeln!(out, "{}", item.rel_path());
        let Some(m) = measurements.get(i).and_then(Option::as_ref) else {
            let _ = writeln!(out, "  not analysed");
            continue;
        };
        let worst = m
            .true_peak_dbtp
            .iter()
            .enumerate()
            .filter_map(|(c, v)| v.filter(|v| v.is_finite()).map(|v| (c, v)))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let tp = worst.map_or_else(
            || "-inf".to_string(),
            |(c, v)| format!("{} dBTP ({})", db(v), channel_name(item, info, c)),
        );
        let _ = writeln!(
            out,
            "  true peak {tp}, sample peak {}",
            opt_db(m.max_sample_peak_dbfs(), "dBFS")
        );
        let _ = writeln!(
            out,
            "  integrated {}, LRA {}",
            m.integrated_lufs.map_or_else(
                || "not measurable".to_string(),
                |v| format!("{} LUFS", db(v))
            ),
            m.lra_lu
                .map_or_else(|| "not measurable".to_string(), |v| format!("{} LU", db(v)))
        );
        let silent: Vec<String> = if m.silent {
            vec!["all".to_string()]
        } else {
            m.silent_channels
                .iter()
                .map(|&c| channel_name(item, info, c))
                .collect()
        };
        let _ = writeln!(
            out,
            "  silent channels: {}",
            if silent.is_empty() {
                "none".to_string()
            } else {
                silent.join(", ")
            }
        );
        let pop = m.pop.map_or_else(
            || "none found".to_string(),
            |p| {
                let at = info.time_reference().saturating_add(p.offset);
                format!(
                    "{} (sample {})",
                    Timecode::from_samples(at, info.sample_rate, rate),
                    p.offset
                )
            },
        );
        let _ = writeln!(out, "  2-pop: {pop}");
    }
    out
}

//! The report page: the verdict and summary first, then each upload
//! folder's files, the QC findings by severity, the loudness plots of the
//! print master and the M&E, true peak per channel for every audio file,
//! what changed since the previous delivery, and how to verify. Inline CSS
//! (screen and print), inline SVG, no script, and a Content-Security-Policy
//! that forbids every fetch.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::strings as s;
use super::{Context, Limits, Verdict, base_name, folders, label, summary, svg};
use crate::manifest::{Manifest, ManifestFile, verify_commands};
use crate::progress::human_bytes;

/// Nothing may be fetched: no script, no font, no image but inline data.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

const CSS: &str = "
body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1b1f24;margin:2rem auto;max-width:1000px;padding:0 1rem}
h1{font-size:1.5rem;margin:0 0 .3rem}h2{font-size:1.1rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #d0d7de}
.verdict{font-size:1.2rem;font-weight:600;padding:.4rem .7rem;border-radius:6px;display:inline-block}
.verdict.ok{background:#dafbe1;color:#116329}.verdict.warn{background:#fff8c5;color:#7d4e00}.verdict.error{background:#ffebe9;color:#a40e26}
table{border-collapse:collapse;width:100%;margin:.3rem 0 1rem}th,td{text-align:left;padding:.2rem .5rem;border-bottom:1px solid #eaeef2;vertical-align:top}
th{font-weight:600;background:#f6f8fa}td.num{text-align:right;font-variant-numeric:tabular-nums}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
td.name{word-break:break-all;max-width:34ch}td.digests{white-space:nowrap}pre.mono{white-space:pre-wrap;word-break:break-all}
tr.error td:first-child{color:#a40e26;font-weight:600}tr.warning td:first-child{color:#7d4e00;font-weight:600}
.status-changed,.status-new{font-weight:600}
svg.plot{width:100%;height:auto;display:block;margin:.3rem 0 1rem}
svg .series{fill:none;stroke:#0969da;stroke-width:1.5}svg .grid{stroke:#eaeef2}svg .frame,svg .tick{stroke:#57606a}
svg .axis{font-size:11px;fill:#57606a}svg .value{font-size:10px;fill:#1b1f24}
svg.peaks{width:auto;max-width:100%}svg .band{fill:#dafbe1}svg .target{stroke:#1a7f37;stroke-dasharray:4 3}
svg .bar{fill:#0969da}svg .bar.warn{fill:#bf8700}svg .bar.error{fill:#cf222e}
svg .limit{stroke-dasharray:5 4}svg .limit.warn{stroke:#bf8700}svg .limit.error{stroke:#cf222e}
.peaks-row{display:flex;flex-wrap:wrap;gap:1rem}.peaks-row figure{margin:0}figcaption{font-size:12px;color:#57606a}
.note{color:#57606a}
@media print{body{margin:0;max-width:none;font-size:11px}h2{break-after:avoid}tr,figure,svg{break-inside:avoid}
a{color:inherit;text-decoration:none}@page{size:auto;margin:14mm}}
";

/// The `<head>` every page shares: the policy that forbids fetches, the
/// inline CSS, and the title (`name — what`).
pub(super) fn head(name: &str, what: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta http-equiv="Content-Security-Policy" content=(CSP);
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (name) " — " (what) }
            style { (PreEscaped(CSS)) }
        }
    }
}

/// The report page of a delivery's manifest.
pub fn html(m: &Manifest, ctx: &Context, limits: &Limits) -> String {
    let verdict = Verdict::of(m, ctx.qc_only);
    let page: Markup = html! {
        (DOCTYPE)
        html lang="en" {
            (head(&m.delivery.root, s::PAGE_TITLE))
            body {
                header {
                    h1 { (m.job.title) " · " (m.job.unit) " · delivery " (format!("{:02}", m.delivery.number)) }
                    p { span class=(format!("verdict {}", verdict.class())) id="verdict" { (verdict.words()) } }
                    @for line in summary(m, ctx) { p class="summary" { (line) } }
                }
                section id="files" {
                    h2 { (s::H_FILES) }
                    @for (folder, files) in folders(m) {
                        h3 { (folder) "/ " span class="note" { "(" (files.len()) " files)" } }
                        table class="files" {
                            thead { tr { @for c in s::FILE_COLUMNS { th { (c) } } } }
                            tbody { @for f in files { (file_row(f, ctx.qc_only)) } }
                        }
                    }
                }
                section id="findings" {
                    h2 { (s::H_FINDINGS) }
                    @if m.findings.is_empty() {
                        p { (s::NO_FINDINGS) }
                    } @else {
                        table class="findings" {
                            thead { tr { @for c in s::FINDING_COLUMNS { th { (c) } } } }
                            tbody {
                                @for f in findings_by_severity(m) {
                                    tr class=(f.severity) {
                                        td { (f.severity) }
                                        td class="mono" { (f.rule) }
                                        td class="mono" { (base_name(&f.file)) }
                                        td { (f.message) }
                                    }
                                }
                            }
                        }
                    }
                }
                (loudness_section(m, limits))
                section id="peaks" {
                    h2 { (s::H_PEAKS) }
                    p class="note" { (s::PEAK_LINES) " (" (limits.true_peak_warn) " and " (limits.true_peak_error) " dBTP)." }
                    div class="peaks-row" {
                        @for f in m.files.iter().filter(|f| f.analysis.is_some()) {
                            @if let Some(a) = &f.analysis {
                                figure {
                                    (svg::peaks(
                                        &svg::channel_names(a.true_peak_dbtp.len(), f.channel.as_deref()),
                                        &a.true_peak_dbtp,
                                        limits.true_peak_warn,
                                        limits.true_peak_error,
                                    ))
                                    figcaption { (label(f)) }
                                }
                            }
                        }
                    }
                }
                @if m.delivery.previous.is_some() { (changes(m)) }
                @if !ctx.qc_only {
                    section id="verify" {
                        h2 { (s::H_VERIFY) }
                        @for c in verify_commands(&m.delivery.root, &m.delivery.root) { pre class="mono" { (c) } }
                    }
                }
            }
        }
    };
    page.into_string()
}

fn file_row(f: &ManifestFile, qc_only: bool) -> Markup {
    let media = f.media.as_ref();
    let channels = media.and_then(|m| m.channels);
    html! {
        tr class="file" {
            td class="mono name" {
                (base_name(&f.path))
                @if let Some(p) = super::renamed_from(f) { br; span class="note" { "was " (p) } }
            }
            td { (label(f)) }
            td class="num" { (format!("v{:02}", f.version)) }
            td class=(format!("status-{}", f.status)) { (f.status) }
            td class="num" { (human_bytes(f.size)) }
            td class="mono" { (media.and_then(|m| m.duration.clone()).unwrap_or_default()) }
            td class="num" { (channels.map(|c| c.to_string()).unwrap_or_default()) }
            td class="mono" { (media.and_then(|m| m.start_timecode.clone()).unwrap_or_default()) }
            @if qc_only { td class="note" { (s::NOT_HASHED) } } @else { td class="mono digests" {
                abbr title=(f.sha256) { "sha256 " (short(&f.sha256)) }
                br;
                abbr title=(f.xxh64) { "xxh64 " (short(&f.xxh64)) }
                @if let Some(md5) = &f.md5 { br; abbr title=(md5) { "md5 " (short(md5)) } }
            } }
        }
    }
}

/// The first 8 hex digits and an ellipsis (the full value on hover).
fn short(hex: &str) -> String {
    format!("{}…", &hex[..hex.len().min(8)])
}

/// Findings, errors first, then warnings, then notes; file order within.
fn findings_by_severity(m: &Manifest) -> Vec<&crate::manifest::FindingRecord> {
    let rank = |s: &str| match s {
        "error" => 0,
        "warning" => 1,
        _ => 2,
    };
    let mut v: Vec<_> = m.findings.iter().collect();
    v.sort_by_key(|f| rank(&f.severity));
    v
}

fn loudness_section(m: &Manifest, limits: &Limits) -> Markup {
    let plotted: Vec<&ManifestFile> = m
        .files
        .iter()
        .filter(|f| f.role == "print_master" || f.role == "mne")
        .filter(|f| f.analysis.is_some())
        .collect();
    html! {
        section id="loudness" {
            h2 { (s::H_LOUDNESS) }
            @for f in plotted {
                @let a = f.analysis.as_ref();
                @let series = a.map(|a| a.short_term_lufs.as_slice()).unwrap_or_default();
                h3 { (label(f)) " " span class="note" {
                    @if let Some(i) = a.and_then(|a| a.integrated_lufs) { (format!("integrated {i:.1} LUFS")) }
                    @if let Some(r) = a.and_then(|a| a.lra_lu) { (format!(", range {r:.1} LU")) }
                } }
                @if series.is_empty() {
                    p class="note unavailable" { (s::NO_SERIES) }
                } @else {
                    @let start = f.media.as_ref().and_then(|m| m.start_timecode.as_deref())
                        .and_then(super::timecode_seconds).unwrap_or(0);
                    @let band = (f.role == "print_master").then_some((limits.pm_target, limits.pm_tolerance));
                    (svg::loudness(series, start, band))
                    @if band.is_some() { p class="note" { (s::TARGET_BAND) } }
                }
            }
        }
    }
}

fn changes(m: &Manifest) -> Markup {
    let moved: Vec<&ManifestFile> = m.files.iter().filter(|f| f.status != "unchanged").collect();
    html! {
        section id="changes" {
            h2 { (s::H_CHANGES) }
            table class="changes" {
                thead { tr { th { "status" } th { "before" } th { "now" } } }
                tbody {
                    @for f in &moved {
                        tr class=(format!("change {}", f.status)) { td { (f.status) } td class="mono" { (super::renamed_from(f).unwrap_or("")) } td class="mono" { (base_name(&f.path)) } }
                    }
                    @for r in &m.removed {
                        tr class="change removed" { td { "removed" } td class="mono" { (base_name(&r.path)) } td { (r.reason) } }
                    }
                }
            }
        }
    }
}

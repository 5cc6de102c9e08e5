//! The delivery report: one self-contained HTML page (inline CSS and SVG,
//! no script, a Content-Security-Policy that forbids any fetch) and the
//! short plain-text email for the studio's post contact. Both are drawn
//! from a delivery's manifest alone, so `mnepack report ROOT` draws them
//! again; `pack` writes the page at the delivery root beside the manifest
//! (`<root>.html`, never inside an upload folder). This file owns the
//! words both share (the verdict, the summary); `html.rs` the page,
//! `svg.rs` its plots, `text.rs` the email; `season.rs` the page of a
//! season's episodes.

mod html;
mod season;
pub mod strings;
mod svg;
mod text;

use crate::manifest::{Manifest, ManifestFile};
use crate::profile::Qc;

pub use html::html;
pub use season::{SeasonLine, season_html};
pub use svg::channel_names;
pub use text::text;

/// Reads the manifest at `yaml` for a report drawn again: the manifest and
/// a context that says whether it still matches its `.sha256` line (an
/// edited one is still drawn, and the page says verify would fail).
pub fn load(yaml: &std::path::Path) -> crate::Result<(Manifest, Context)> {
    use crate::manifest::{DigestCheck, manifest_digest_check, read_manifest};
    let m = read_manifest(yaml)?;
    let edited = match manifest_digest_check(yaml)? {
        DigestCheck::Edited { expected, actual } => Some(format!(
            "its SHA-256 is {actual}, the .sha256 list records {expected}"
        )),
        _ => None,
    };
    let ctx = Context {
        edited,
        ..Context::default()
    };
    Ok((m, ctx))
}

/// Writes the page of `m` to `out`, atomically.
pub fn write_page(
    m: &Manifest,
    ctx: &Context,
    limits: &Limits,
    out: &std::path::Path,
) -> crate::Result<()> {
    crate::manifest::write_atomic(out, html(m, ctx, limits).as_bytes())
        .map_err(|e| crate::Error::io("cannot write", out, e))
}

/// The report's file name in a delivery root named `root`.
pub fn file_name(root: &str) -> String {
    format!("{root}.html")
}

/// What the manifest cannot say about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// Whether every file was read back at packing (None: not known, as
    /// when the report is drawn again from a manifest).
    pub verified: Option<bool>,
    /// Why the manifest does not match its `.sha256` line, if it does not.
    pub edited: Option<String>,
    /// A QC-only run (`check --report`): nothing was copied or hashed.
    pub qc_only: bool,
}

/// The profile's limits the plots draw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// True peak warning limit, dBTP.
    pub true_peak_warn: f64,
    /// True peak error limit, dBTP.
    pub true_peak_error: f64,
    /// Print-master loudness target, LUFS.
    pub pm_target: f64,
    /// Its tolerance, LU.
    pub pm_tolerance: f64,
}

impl From<&Qc> for Limits {
    fn from(q: &Qc) -> Self {
        Limits {
            true_peak_warn: q.true_peak_warn_dbtp,
            true_peak_error: q.true_peak_error_dbtp,
            pm_target: q.pm_loudness_target_lufs,
            pm_tolerance: q.pm_loudness_tolerance_lu,
        }
    }
}

/// The verdict at a glance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Delivered: no error, no warning.
    Delivered,
    /// Delivered with warnings, no error.
    WithWarnings,
    /// Delivered despite errors (`--force`).
    Forced,
    /// QC only: no error, no warning; a pack would deliver.
    Ready,
    /// QC only: warnings; a pack would deliver.
    ReadyWithWarnings,
    /// QC only: errors; a pack would refuse.
    Refused,
}

impl Verdict {
    /// The verdict of a record's findings (of a QC-only run when `qc_only`).
    pub fn of(m: &Manifest, qc_only: bool) -> Verdict {
        let has = |s: &str| m.findings.iter().any(|f| f.severity == s);
        match (qc_only, m.forced || has("error"), has("warning")) {
            (false, true, _) => Verdict::Forced,
            (false, false, true) => Verdict::WithWarnings,
            (false, false, false) => Verdict::Delivered,
            (true, true, _) => Verdict::Refused,
            (true, false, true) => Verdict::ReadyWithWarnings,
            (true, false, false) => Verdict::Ready,
        }
    }

    /// Its words.
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Delivered => strings::DELIVERED,
            Verdict::WithWarnings => strings::DELIVERED_WARNINGS,
            Verdict::Forced => strings::DELIVERED_FORCED,
            Verdict::Ready => strings::READY,
            Verdict::ReadyWithWarnings => strings::READY_WARNINGS,
            Verdict::Refused => strings::REFUSED,
        }
    }

    /// A CSS class for it.
    pub fn class(self) -> &'static str {
        match self {
            Verdict::Delivered | Verdict::Ready => "ok",
            Verdict::WithWarnings | Verdict::ReadyWithWarnings => "warn",
            Verdict::Forced | Verdict::Refused => "error",
        }
    }
}

/// The lines both the page's top and the email start with.
pub fn summary(m: &Manifest, ctx: &Context) -> Vec<String> {
    let count = |s: &str| m.findings.iter().filter(|f| f.severity == s).count();
    let mut lines = vec![
        format!(
            "{} {}, delivery {:02} ({}), {} {} with {} {} (profile {}).",
            m.job.title,
            m.job.unit,
            m.delivery.number,
            m.delivery.root,
            if ctx.qc_only { "checked" } else { "packed" },
            m.created,
            m.tool.name,
            m.tool.version,
            m.job.profile
        ),
        format!(
            "{}: {} error(s), {} warning(s), {} note(s); {}.",
            Verdict::of(m, ctx.qc_only).words(),
            count("error"),
            count("warning"),
            count("info"),
            match (ctx.qc_only, ctx.verified) {
                (true, _) => strings::QC_ONLY,
                (false, Some(true)) => strings::VERIFIED,
                (false, Some(false)) => strings::NOT_VERIFIED,
                (false, None) => strings::VERIFY_UNKNOWN,
            }
        ),
    ];
    if let Some(p) = &m.delivery.previous {
        let name = base_name(&p.path).trim_end_matches(".yaml");
        lines.push(format!(
            "A redelivery: it replaces {name} and holds the full current set; please delete the earlier files from the request."
        ));
    }
    if let Some(why) = &ctx.edited {
        lines.push(format!("{}: {why}", strings::EDITED));
    }
    lines
}

/// The upload folders in delivery order, each with its files.
pub fn folders(m: &Manifest) -> Vec<(&str, Vec<&ManifestFile>)> {
    let mut out: Vec<(&str, Vec<&ManifestFile>)> = Vec::new();
    for f in &m.files {
        let folder = f.path.split('/').next().unwrap_or("");
        match out.iter_mut().find(|(name, _)| *name == folder) {
            Some((_, files)) => files.push(f),
            None => out.push((folder, vec![f])),
        }
    }
    out
}

/// A file's short label (`PM`, `ME`, `OPTB Walla`, `GUIDE`, `REF`).
pub fn label(f: &ManifestFile) -> String {
    label_of(
        &f.role,
        f.letter.as_deref(),
        f.desc.as_deref(),
        f.channel.as_deref(),
    )
}

/// The short label of a file with this role name (`print_master`...),
/// optional letter and description, and mono-set channel.
pub fn label_of(
    role: &str,
    letter: Option<&str>,
    desc: Option<&str>,
    channel: Option<&str>,
) -> String {
    let mut s = match role {
        "print_master" => "PM".to_string(),
        "mne" => "ME".to_string(),
        "dialogue_guide" => "GUIDE".to_string(),
        "reference_video" => "REF".to_string(),
        "optional" => format!("OPT{}", letter.unwrap_or("")),
        other => other.to_string(),
    };
    if role == "optional"
        && let Some(d) = desc
    {
        s.push(' ');
        s.push_str(d);
    }
    if let Some(c) = channel {
        s.push(' ');
        s.push_str(c);
    }
    s
}

/// The name the file had in the previous delivery, when it had another.
pub fn renamed_from(f: &ManifestFile) -> Option<&str> {
    f.previous_name
        .as_deref()
        .filter(|p| *p != base_name(&f.path))
}

/// The file's name without its folder.
pub fn base_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Seconds from midnight of a `HH:MM:SS:FF` (or `;FF`) timecode, frames
/// dropped (the plots' axis labels count whole seconds).
pub fn timecode_seconds(tc: &str) -> Option<u64> {
    let parts: Vec<u64> = tc
        .split([':', ';'])
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    match parts[..] {
        [h, m, s, _] | [h, m, s] => Some(h * 3600 + m * 60 + s),
        _ => None,
    }
}

/// `HH:MM:SS` of a second count.
pub fn clock(seconds: u64) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

#[cfg(test)]
mod tests;

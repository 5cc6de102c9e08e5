//! Text rendering of results for the terminal, and the CLI's fixed strings.

/// Printed when `mnepack` runs with no subcommand and no terminal UI.
pub const NO_COMMAND: &str = "mnepack: no command given; try `mnepack --help`";

/// Printed when a signal or Ctrl-C stopped the work.
pub const INTERRUPTED: &str = "interrupted: nothing half-done is in an upload folder and no manifest was written; run the same command again (a pack resumes from the files it already staged)";

/// Printed when the work did not stop within the grace after a signal, or
/// a second signal came: the process ends at once.
pub const FORCED_STOP: &str = "stopped at once (a second signal, or the work did not stop within 2 s): a pack left a staging folder, never a finished upload folder; run the same command again to resume it";

// ---- exit codes, man page ---------------------------------------------------

/// Every exit code and what it means: `--help` and the man page print it.
pub const EXIT_CODES: [(super::Exit, &str); 4] = [
    (super::Exit::Ok, "done"),
    (
        super::Exit::Problems,
        "QC errors blocked the package, verify found a difference, or a probed file was unreadable",
    ),
    (
        super::Exit::Error,
        "usage, job or I/O error (nothing in an upload folder)",
    ),
    (
        super::Exit::Interrupted,
        "interrupted (nothing half-done in an upload folder)",
    ),
];

/// The exit codes after `mnepack --help`.
pub fn exit_codes_help() -> String {
    let mut s = String::from("Exit codes:\n");
    for (code, meaning) in EXIT_CODES {
        let _ = writeln!(s, "  {:>3}  {meaning}", code as u8);
    }
    s
}

/// The man page's section of every command, each with its options.
pub const MAN_COMMANDS: &str = "COMMANDS";

/// The man page's section of the exit codes.
pub const MAN_EXIT_STATUS: &str = "EXIT STATUS";

// ---- probe ------------------------------------------------------------------
// Text rendering of `mnepack probe`: one block per file, and its error lines.

use std::fmt::Write as _;
use std::path::Path;

use crate::probe::{AudioInfo, Media, ProbeError, Probed, SampleFormat, VideoInfo};
use crate::timecode::{FrameRate, Timecode, format_duration};

/// The error line for a file that could not be probed.
pub fn probe_error(path: &Path, e: &ProbeError) -> String {
    format!("mnepack: {}: {e}", path.display())
}

/// The error line for a `--fps` that is not a known rate.
pub fn bad_fps(text: &str) -> String {
    format!(
        "mnepack: --fps {text}: unknown frame rate; use one of 23.976, 24, 25, 29.97, 29.97df, 30, 50, 59.94, 59.94df, 60"
    )
}

/// The start timecode of an audio file (its bext time reference) at `rate`.
pub fn audio_start_timecode(a: &AudioInfo, rate: FrameRate) -> String {
    Timecode::from_samples(a.time_reference(), a.sample_rate, rate).to_string()
}

/// A file's start timecode and the rate it is counted at: a movie's own
/// rate, or for audio (a sample count) the rate `--fps` assumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StartTimecode {
    /// `HH:MM:SS:FF` (`;` before the frames when drop-frame), when known.
    pub timecode: Option<String>,
    /// The rate as the job spells it (`29.97df`), when known.
    pub fps: Option<String>,
    /// Where the rate comes from: [`FPS_FROM_MOVIE`] or [`FPS_FROM_OPTION`].
    pub fps_source: &'static str,
}

/// `start_timecode_fps_source` of a movie: its own rate.
pub const FPS_FROM_MOVIE: &str = "movie";

/// `start_timecode_fps_source` of audio: the rate `--fps` assumes.
pub const FPS_FROM_OPTION: &str = "--fps";

/// The start timecode of `p` and its rate; `rate` is `--fps`.
pub fn start_timecode(p: &Probed, rate: FrameRate) -> StartTimecode {
    match &p.media {
        Media::Audio(a) => StartTimecode {
            timecode: Some(audio_start_timecode(a, rate)),
            fps: Some(rate.label()),
            fps_source: FPS_FROM_OPTION,
        },
        Media::Video(v) => StartTimecode {
            timecode: v.start_timecode.clone(),
            fps: crate::guess::video_rate(&p.media).map(|r| r.label()),
            fps_source: FPS_FROM_MOVIE,
        },
    }
}

/// The text block describing one probed file; start timecodes at `rate`.
pub fn probe_block(p: &Probed, rate: FrameRate) -> String {
    let mut s = format!("{}\n", p.path.display());
    let mut row = |k: &str, v: String| {
        let _ = writeln!(s, "  {k:<13} {v}");
    };
    let modified = p.modified.as_deref().unwrap_or("unknown");
    row("file", format!("{} bytes, modified {modified}", p.size));
    let tc = start_timecode(p, rate);
    match &p.media {
        Media::Audio(a) => audio_rows(a, &tc, &mut row),
        Media::Video(v) => video_rows(v, &tc, &mut row),
    }
    s
}

/// `@ 24 (assumed: --fps)` or `@ 29.97df (the movie's own rate)`.
fn at_rate(tc: &StartTimecode) -> String {
    let why = if tc.fps_source == FPS_FROM_OPTION {
        "assumed: --fps"
    } else {
        "the movie's own rate"
    };
    tc.fps
        .as_ref()
        .map_or_else(String::new, |f| format!(" @ {f} ({why})"))
}

fn audio_rows(a: &AudioInfo, tc: &StartTimecode, row: &mut impl FnMut(&str, String)) {
    row("container", a.container.name().to_string());
    let sub = a
        .sub_format
        .map_or(String::new(), |t| format!(", sub-format 0x{t:04X}"));
    row(
        "codec",
        format!(
            "{} ({}, tag 0x{:04X}{sub})",
            a.codec,
            sample_format_name(a.sample_format),
            a.format_tag
        ),
    );
    row("sample rate", format!("{} Hz", a.sample_rate));
    row("bits", format!("{} (valid {})", a.bits, a.valid_bits));
    let mask = a
        .channel_mask
        .map_or_else(|| "no mask".to_string(), |m| format!("mask 0x{m:X}"));
    row(
        "channels",
        format!("{}: {} ({mask})", a.channels, a.channel_labels.join(" ")),
    );
    row("frames", a.frames.to_string());
    row(
        "duration",
        format!(
            "{} ({:.3} s)",
            format_duration(a.frames, a.sample_rate),
            a.duration_seconds()
        ),
    );
    row(
        "data",
        format!("{} bytes at offset {}", a.data_len, a.data_offset),
    );
    if let Some(b) = &a.bext {
        row("bext", format!("version {}", b.version));
        row("  descr.", format!("{:?}", b.description));
        row("  originator", format!("{:?}", b.originator));
        row("  reference", format!("{:?}", b.originator_reference));
        row(
            "  originated",
            format!("{} {}", b.origination_date, b.origination_time)
                .trim()
                .to_string(),
        );
        row(
            "  time ref",
            format!(
                "{} samples = start TC {}{}",
                b.time_reference,
                tc.timecode.as_deref().unwrap_or_default(),
                at_rate(tc)
            ),
        );
    } else {
        row("bext", "none".into());
    }
    row(
        "iXML",
        a.ixml
            .as_ref()
            .map_or_else(|| "none".into(), |x| format!("{} bytes", x.len())),
    );
    for (id, text) in &a.info {
        row(&format!("INFO {id}"), format!("{text:?}"));
    }
    let chunks: Vec<String> = a
        .chunks
        .iter()
        .map(|c| format!("{}@{}+{}", c.id.trim_end(), c.offset, c.size))
        .collect();
    row("chunks", chunks.join(" "));
    if !a.unknown_chunks.is_empty() {
        row("unknown", a.unknown_chunks.join(" "));
    }
}

fn sample_format_name(f: SampleFormat) -> &'static str {
    match f {
        SampleFormat::Pcm => "integer PCM",
        SampleFormat::Float => "IEEE float",
        SampleFormat::Other => "other",
    }
}

fn video_rows(v: &VideoInfo, tc: &StartTimecode, row: &mut impl FnMut(&str, String)) {
    let unknown = || "unknown".to_string();
    row("container", v.container.name().to_string());
    if !v.details_read {
        row("details", "not read".into());
    }
    let codec = match (&v.codec_fourcc, &v.codec_name) {
        (Some(f), Some(n)) => format!("{f} ({n})"),
        (Some(x), None) | (None, Some(x)) => x.clone(),
        (None, None) => unknown(),
    };
    row("codec", codec);
    row(
        "picture",
        match (v.width, v.height) {
            (Some(w), Some(h)) => format!("{w}x{h}"),
            _ => unknown(),
        },
    );
    row(
        "frame rate",
        match (v.frame_rate_num, v.frame_rate_den) {
            (Some(n), Some(d)) if d > 0 => {
                format!("{n}/{d} ({:.3} fps)", f64::from(n) / f64::from(d))
            }
            _ => unknown(),
        },
    );
    let frames = v
        .duration_frames
        .map_or_else(unknown, |f| format!("{f} frames"));
    let secs = v
        .duration_seconds
        .map_or(String::new(), |s| format!(" ({s:.3} s)"));
    row("duration", format!("{frames}{secs}"));
    // A known rate says drop-frame itself (`29.97df`).
    let df = if v.drop_frame && tc.fps.is_none() {
        " drop-frame"
    } else {
        ""
    };
    row(
        "start TC",
        tc.timecode
            .as_ref()
            .map_or_else(unknown, |t| format!("{t}{df}{}", at_rate(tc))),
    );
    row("audio tracks", v.audio_tracks.to_string());
    for n in &v.notes {
        row("note", n.clone());
    }
}

// ---- verify ---------------------------------------------------------------

/// The text report of `verify`.
pub fn verify_report(r: &crate::verify::VerifyReport) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "delivery  {}", r.root.display());
    let _ = writeln!(s, "manifest  {}", r.manifest.display());
    let ok = r.checked.iter().filter(|c| c.ok).count();
    let _ = writeln!(
        s,
        "checked   {} of {} files match ({}; {})",
        ok,
        r.checked.len(),
        super::progress_ui::human_bytes(r.bytes),
        r.digests.join(", ")
    );
    if r.is_clean() {
        let _ = writeln!(
            s,
            "result    OK: every file is present and intact, nothing unexpected"
        );
    } else {
        let _ = writeln!(s, "result    DIFFERENCES: {} problem(s)", r.problems.len());
        for p in &r.problems {
            let kind = serde_json::to_value(p.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_uppercase))
                .unwrap_or_default();
            let _ = writeln!(s, "  {kind:<15} {}  {}", p.path, p.detail);
        }
    }
    s
}

// ---- pack -----------------------------------------------------------------

/// The `--dry-run` plan: every source -> folder/name, version, date, size;
/// for a redelivery, the version plan too.
pub fn plan_table(plan: &crate::plan::Plan, output: &std::path::Path) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "delivery root  {}",
        output.join(&plan.root_name).display()
    );
    if plan.previous.is_some() {
        s.push_str("version plan (size and mtime guesses; the content hash during pack decides)\n");
        s.push_str(&plan.render_versions());
    }
    let width = plan
        .items
        .iter()
        .map(|i| i.rel_path().len())
        .max()
        .unwrap_or(0);
    let _ = writeln!(
        s,
        "  {:width$}  {:>3}  {:10}  {:>10}  source",
        "delivered as", "ver", "date", "size"
    );
    for i in &plan.items {
        let _ = writeln!(
            s,
            "  {:width$}  v{:02}  {}  {:>10}  {}",
            i.rel_path(),
            i.version,
            i.date.format("%Y-%m-%d"),
            super::progress_ui::human_bytes(i.size),
            i.source.display()
        );
    }
    let total: u64 = plan.items.iter().map(|i| i.size).sum();
    let _ = writeln!(
        s,
        "{} files, {} (dry run: nothing was written)",
        plan.items.len(),
        super::progress_ui::human_bytes(total)
    );
    s
}

/// QC findings (or a line saying there are none).
fn findings_block(qc: &crate::pack::flow::QcReport) -> String {
    if qc.findings.is_empty() {
        "QC: no findings\n".to_string()
    } else {
        let (e, w, i) = crate::check::counts(&qc.findings);
        format!(
            "QC: {e} error(s), {w} warning(s), {i} note(s)\n{}",
            crate::check::render_table(&qc.findings)
        )
    }
}

/// The report of `check`: findings, then measurements per file.
pub fn check_report(
    qc: &crate::pack::flow::QcReport,
    plan: &crate::plan::Plan,
    rate: crate::timecode::FrameRate,
) -> String {
    let mut s = findings_block(qc);
    s.push_str("\nmeasurements\n");
    s.push_str(&crate::check::render_measurements(
        plan,
        &qc.measurements,
        rate,
    ));
    s
}

/// Printed when QC errors stopped a pack.
pub fn pack_blocked(qc: &crate::pack::flow::QcReport) -> String {
    let mut s = findings_block(qc);
    s.push_str(BLOCKED);
    s
}

/// The last line of a pack that QC errors stopped.
const BLOCKED: &str = "nothing was delivered: QC found errors. Fix the sources, or pack with --force to deliver anyway (the manifest records it).\n";

/// The summary after a successful `pack`.
pub fn pack_report(r: &crate::pack::flow::PackReport) -> String {
    use std::fmt::Write as _;
    let mut s = findings_block(&r.qc);
    if r.forced {
        s.push_str("delivered with --force despite QC errors (recorded in the manifest)\n");
    }
    if let Some(note) = &r.redelivery {
        s.push_str(&note.render());
        s.push('\n');
    }
    let _ = writeln!(s, "delivery  {}", r.root.display());
    for f in &r.files {
        let check = if f.verified {
            "verified"
        } else {
            "not re-read"
        };
        let _ = writeln!(
            s,
            "  {}  {}  {}",
            f.path,
            super::progress_ui::human_bytes(f.size),
            check
        );
    }
    let _ = writeln!(s, "manifest  {}", r.manifest.yaml.display());
    let _ = writeln!(s, "          {}", r.manifest.sha256.display());
    let _ = writeln!(s, "          {}", r.manifest.mhl.display());
    let root = r.root.display();
    let name = r
        .root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let _ = writeln!(s, "report    {}", r.manifest.report.display());
    let _ = writeln!(s, "re-verify any time with:");
    for c in crate::manifest::verify_commands(&root.to_string(), &name) {
        let _ = writeln!(s, "  {c}");
    }
    s
}

// ---- --quiet --------------------------------------------------------------
// `pack --quiet` and `check --quiet`: each QC error, one line counting the
// warnings, then the line that says how it ended. Notes are left out.

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Each error (two lines), then `2 warnings (listed without --quiet)`
/// when there are warnings.
fn quiet_findings(qc: &crate::pack::flow::QcReport) -> String {
    use crate::profile::Severity;
    let mut s =
        crate::check::render_rows(qc.findings.iter().filter(|f| f.severity == Severity::Error));
    let (_, w, _) = crate::check::counts(&qc.findings);
    if w > 0 {
        let _ = writeln!(
            s,
            "{} (listed without --quiet)",
            plural(w, "warning", "warnings")
        );
    }
    s
}

/// `pack --quiet` after a delivery: errors (when forced), the count of
/// warnings, and one line naming the root.
pub fn pack_report_quiet(r: &crate::pack::flow::PackReport) -> String {
    let mut s = quiet_findings(&r.qc);
    let total: u64 = r.files.iter().map(|f| f.size).sum();
    let files = plural(r.files.len(), "file", "files");
    let size = super::progress_ui::human_bytes(total);
    let check = if r.verified {
        "read back and verified"
    } else {
        "not read back"
    };
    let how = if r.forced {
        let (e, _, _) = crate::check::counts(&r.qc.findings);
        format!(
            "delivered with --force despite {} (recorded in the manifest)",
            plural(e, "QC error", "QC errors")
        )
    } else {
        "delivered".to_string()
    };
    let _ = writeln!(s, "{how}: {} ({files}, {size}, {check})", r.root.display());
    s
}

/// `pack --quiet` when QC errors stopped it.
pub fn pack_blocked_quiet(qc: &crate::pack::flow::QcReport) -> String {
    let mut s = quiet_findings(qc);
    s.push_str(BLOCKED);
    s
}

/// `check --quiet`: errors, the count of warnings, and the verdict.
pub fn check_report_quiet(qc: &crate::pack::flow::QcReport) -> String {
    let mut s = quiet_findings(qc);
    let (e, _, _) = crate::check::counts(&qc.findings);
    if e == 0 {
        s.push_str("QC passed: no errors; pack would deliver\n");
    } else {
        let _ = writeln!(
            s,
            "QC failed: {}; pack would stop unless --force",
            plural(e, "error", "errors")
        );
    }
    s
}

// ---- demo -----------------------------------------------------------------

/// What `demo` made and what to do next.
pub fn demo_done(d: &crate::testmedia::demo::DemoStage) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "demo stage written: {} media files", d.media.len());
    for m in &d.media {
        let _ = writeln!(s, "  {}", m.display());
    }
    let _ = writeln!(s, "job file: {}", d.job.display());
    let _ = writeln!(
        s,
        "next: mnepack pack {} --dry-run, then without --dry-run",
        d.job.display()
    );
    s
}

/// `path` as one shell word: as it is when plain, else single-quoted.
pub fn shell_word(path: &std::path::Path) -> String {
    let s = path.display().to_string();
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+=:,@".contains(c))
    {
        s
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// `init` on a season folder: the season file written, its episodes, and
/// what no episode took.
pub fn init_season(
    out: &std::path::Path,
    units: &[String],
    unplaced: &[std::path::PathBuf],
) -> String {
    use std::fmt::Write as _;
    let mut s = format!(
        "season file written: {} ({} episodes: {})\n",
        out.display(),
        units.len(),
        units.join(", ")
    );
    if !unplaced.is_empty() {
        let _ = writeln!(
            s,
            "not placed in any episode (add them by hand if they belong):"
        );
        for p in unplaced {
            let _ = writeln!(s, "  {}", p.display());
        }
    }
    let _ = writeln!(
        s,
        "check it, then: mnepack check {0} && mnepack pack {0}",
        shell_word(out)
    );
    s
}

/// `init` on a folder of several sessions whose episodes cannot be told:
/// which sets it found, and that it wrote nothing rather than guess which
/// files belong together.
pub fn init_sessions(dir: &std::path::Path, found: &[crate::guess::Session]) -> String {
    let mut out = format!(
        "mnepack: {} holds {} stage folders, each with its own M&E or print master; \
         one job from all of them would mix their files, so no job file was written:\n",
        dir.display(),
        found.len()
    );
    for s in found {
        let rel = s.dir.strip_prefix(dir).unwrap_or(&s.dir);
        let _ = writeln!(
            out,
            "  {}/  {} ({} file{})",
            rel.display(),
            s.summary(),
            s.files.len(),
            if s.files.len() == 1 { "" } else { "s" }
        );
    }
    if let Some(first) = found.first() {
        let _ = writeln!(
            out,
            "Write one job per stage folder, e.g.: mnepack init {}",
            shell_word(&first.dir)
        );
    }
    out
}

//! Every string a run of several episodes prints (`season_cmd.rs`): the
//! line before each episode, its one-line result, the table at the end,
//! and the checks across episodes. Pure functions over [`Row`]s.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use serde::Serialize;

use super::Exit;
use crate::season::{Cross, Entry, Severity};

/// The table's title for `check`.
pub const CHECKED: &str = "check";
/// The table's title for `pack`.
pub const PACKED: &str = "pack";
/// The table's title for `pack --dry-run`.
pub const PLANNED: &str = "pack --dry-run";
/// The table's title for `verify`.
pub const VERIFIED: &str = "verify";

/// `pack --previous` with several episodes.
pub const NO_PREVIOUS_FOR_SEASON: &str = "--previous names one delivery's manifest; with several episodes each finds its own last delivery under its output folder (or give `previous:` to an episode)";

/// `check --report FILE` with several episodes.
pub const NO_REPORT_FOR_SEASON: &str = "--report FILE writes one job's QC page; check the episodes one by one for their pages (a season's pack writes a page of all of them)";

/// What happened to one episode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// `pack`: delivered now.
    Delivered,
    /// `pack --dry-run`: a pack would deliver it (nothing written).
    Planned,
    /// `pack`: delivered by an earlier run from the same sources; skipped.
    AlreadyDelivered,
    /// `pack`: an earlier delivery from the same sources has lost a file
    /// or changed size.
    Damaged,
    /// `pack`: QC errors stopped it.
    Blocked,
    /// `check`: no QC error.
    Clean,
    /// `check`: QC errors.
    QcErrors,
    /// `verify`: every file matches.
    Verified,
    /// `verify`: differences.
    Differs,
    /// `verify`: no delivery of it under its output folder.
    NotDelivered,
    /// It could not run (its job, a source, the disk): the note says why.
    Failed,
    /// Stopped by Ctrl-C while it ran.
    Interrupted,
    /// Not started: Ctrl-C came before it.
    Stopped,
    /// Not started: `--fail-fast` and an earlier episode failed.
    NotRun,
}

impl Outcome {
    /// The exit code this outcome alone would give.
    pub fn exit(self) -> Exit {
        match self {
            Outcome::Delivered
            | Outcome::Planned
            | Outcome::AlreadyDelivered
            | Outcome::Clean
            | Outcome::Verified
            | Outcome::NotRun => Exit::Ok,
            Outcome::Damaged
            | Outcome::Blocked
            | Outcome::QcErrors
            | Outcome::Differs
            | Outcome::NotDelivered => Exit::Problems,
            Outcome::Failed => Exit::Error,
            Outcome::Interrupted | Outcome::Stopped => Exit::Interrupted,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Outcome::Delivered => "delivered",
            Outcome::Planned => "would pack",
            Outcome::AlreadyDelivered => "delivered before",
            Outcome::Damaged => "DAMAGED",
            Outcome::Blocked => "REFUSED (QC)",
            Outcome::Clean => "ok",
            Outcome::QcErrors => "QC ERRORS",
            Outcome::Verified => "verified",
            Outcome::Differs => "DIFFERS",
            Outcome::NotDelivered => "NOT DELIVERED",
            Outcome::Failed => "FAILED",
            Outcome::Interrupted => "interrupted",
            Outcome::Stopped => "not started",
            Outcome::NotRun => "not run (--fail-fast)",
        }
    }
}

/// How bad an exit code is, to pick the worst episode's.
pub fn exit_rank(e: Exit) -> u8 {
    match e {
        Exit::Ok => 0,
        Exit::Problems => 1,
        Exit::Error => 2,
        Exit::Interrupted => 3,
    }
}

/// One episode's line of the table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The unit, or the job file's name.
    pub episode: String,
    /// The season or job file it comes from.
    pub file: PathBuf,
    /// What happened.
    pub outcome: Outcome,
    /// Its delivery root, when it has one.
    pub root: Option<PathBuf>,
    /// QC errors (`verify`: differences).
    pub errors: usize,
    /// QC warnings.
    pub warnings: usize,
    /// Read back and matched (`pack`), or verified clean (`verify`).
    pub verified: Option<bool>,
    /// A redelivery against an earlier delivery.
    pub redelivery: bool,
    /// Why it failed or was refused, in a sentence.
    pub note: String,
}

impl Row {
    /// A row for `entry` with `outcome` and nothing else known.
    pub fn new(entry: &Entry, outcome: Outcome) -> Row {
        Row {
            episode: entry.label.clone(),
            file: entry.file.clone(),
            outcome,
            root: None,
            errors: 0,
            warnings: 0,
            verified: None,
            redelivery: false,
            note: String::new(),
        }
    }

    /// A row for an episode that could not run because of `e`.
    pub fn failed(entry: &Entry, e: &crate::Error) -> Row {
        let mut row = Row::new(entry, Outcome::Failed);
        row.note = one_line(&e.to_string());
        row
    }
}

/// `text` on one line, for a cell of the table.
fn one_line(text: &str) -> String {
    text.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}

/// `--json` of a run of several episodes.
#[derive(Serialize)]
pub struct Json<'a> {
    /// The checks across episodes.
    pub cross: &'a [Cross],
    /// One row per episode.
    pub episodes: &'a [Row],
}

/// Time left for the rest of a season: the time the bytes packed so far
/// took, scaled to the bytes left (None before any byte is packed).
pub fn time_left(elapsed: Duration, packed: u64, left: u64) -> Option<Duration> {
    (packed > 0).then(|| elapsed.mul_f64(left as f64 / packed as f64))
}

fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

/// The line on stderr before episode `n` of `total`.
pub fn episode_start(n: usize, total: usize, label: &str, left: Option<Duration>) -> String {
    let eta = left.map_or(String::new(), |d| {
        format!("  (season: about {} left)", human_duration(d))
    });
    format!("== episode {n}/{total}: {label}{eta}\n")
}

/// An episode's plan under `pack --dry-run`.
pub fn episode_plan(label: &str, table: &str) -> String {
    format!("== {label}\n{table}\n")
}

/// The line on stderr after an episode is packed.
pub fn episode_done(row: &Row) -> String {
    let mut s = format!("== {}: {}", row.episode, row.outcome.label());
    if let Some(root) = &row.root {
        let _ = write!(s, "  {}", root.display());
    }
    if !row.note.is_empty() {
        let _ = write!(s, "  {}", row.note);
    }
    s.push('\n');
    s
}

/// The first QC error's sentence, for the table.
pub fn first_error(findings: &[crate::check::Finding]) -> String {
    findings
        .iter()
        .find(|f| f.severity == crate::profile::Severity::Error)
        .map(|f| format!("{}: {}", f.file, f.message))
        .unwrap_or_default()
}

/// Printed when checks across episodes stop a pack before it starts.
pub fn cross_block(cross: &[Cross]) -> String {
    let mut s = cross_lines(cross);
    s.push_str("nothing was packed: mend the season (or pack with --force)\n");
    s
}

fn cross_lines(cross: &[Cross]) -> String {
    let mut s = String::new();
    for c in cross {
        let tag = match c.severity {
            Severity::Error => "ERROR  ",
            Severity::Warning => "warning",
        };
        let _ = writeln!(s, "season {tag} {}", c.message);
    }
    s
}

/// The count by result: `4 episodes: 2 delivered, 1 FAILED`.
pub fn tally(rows: &[Row]) -> String {
    let mut tally: Vec<(&'static str, usize)> = Vec::new();
    for r in rows {
        match tally.iter_mut().find(|(l, _)| *l == r.outcome.label()) {
            Some((_, n)) => *n += 1,
            None => tally.push((r.outcome.label(), 1)),
        }
    }
    let parts: Vec<String> = tally.iter().map(|(l, n)| format!("{n} {l}")).collect();
    format!("{} episodes: {}", rows.len(), parts.join(", "))
}

/// The season page's lines: each row worded, its report linked relative
/// to `page_dir` when its root sits there (else by its full path).
pub fn season_lines(rows: &[Row], page_dir: &std::path::Path) -> Vec<crate::report::SeasonLine> {
    rows.iter()
        .map(|r| {
            let root_name = r
                .root
                .as_ref()
                .and_then(|p| p.file_name())
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let report = r.root.as_ref().and_then(|root| {
                let page = root.join(crate::report::file_name(&root_name));
                page.is_file().then(|| match page.strip_prefix(page_dir) {
                    Ok(rel) => rel.to_string_lossy().into_owned(),
                    Err(_) => format!("file://{}", page.display()),
                })
            });
            crate::report::SeasonLine {
                episode: r.episode.clone(),
                result: r.outcome.label().to_string(),
                class: match r.outcome.exit() {
                    Exit::Ok if r.warnings > 0 => "warn",
                    Exit::Ok => "ok",
                    _ => "error",
                },
                warnings: count_cell(r.warnings, r.outcome),
                errors: count_cell(r.errors, r.outcome),
                verified: verified_cell(r).to_string(),
                root: root_name,
                report,
                note: r.note.clone(),
            }
        })
        .collect()
}

/// The line on stderr that names the season page.
pub fn season_page(path: &std::path::Path) -> String {
    format!("season report  {}\n", path.display())
}

fn verified_cell(r: &Row) -> &'static str {
    match (r.verified, r.outcome) {
        (_, Outcome::AlreadyDelivered) => "by size",
        (Some(true), _) => "yes",
        (Some(false), _) => "NO",
        (None, _) => "-",
    }
}

fn count_cell(n: usize, outcome: Outcome) -> String {
    match outcome {
        Outcome::Failed | Outcome::Stopped | Outcome::NotRun | Outcome::NotDelivered => {
            "-".to_string()
        }
        _ => n.to_string(),
    }
}

/// The table at the end of a run of `what` (`pack`, `check`, `verify`):
/// one line per episode, the checks across episodes, a count by result.
pub fn table(what: &str, rows: &[Row], cross: &[Cross]) -> String {
    let width = rows
        .iter()
        .map(|r| r.episode.len())
        .max()
        .unwrap_or(7)
        .max(7);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\n{:<width$}  {:<21}  {:>8}  {:>6}  {:<8}  delivery / note",
        "episode", what, "warnings", "errors", "verified"
    );
    for r in rows {
        let verified = verified_cell(r);
        let mut outcome = r.outcome.label().to_string();
        if r.redelivery {
            outcome.push_str(" (re)");
        }
        let mut last = r
            .root
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !r.note.is_empty() {
            if !last.is_empty() {
                last.push_str(": ");
            }
            last.push_str(&r.note);
        }
        let _ = writeln!(
            s,
            "{:<width$}  {:<21}  {:>8}  {:>6}  {:<8}  {last}",
            r.episode,
            outcome,
            count_cell(r.warnings, r.outcome),
            count_cell(r.errors, r.outcome),
            verified,
        );
    }
    s.push_str(&cross_lines(cross));
    let _ = writeln!(s, "{}", tally(rows));
    s
}

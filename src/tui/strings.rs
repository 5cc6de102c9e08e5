//! Every user-facing string of the wizard, in one place.

use super::keymap::Action;
use crate::check::Rule;

/// The title bar.
pub const APP: &str = "mnepack";
/// Step names, in order.
pub const STEPS: [&str; 5] = ["1 Job", "2 Sources", "3 Review", "4 Pack", "5 Done"];
/// Job form labels, in field order.
pub const FIELD_LABELS: [&str; 6] = [
    "Title",
    "Unit",
    "Frame rate",
    "Language",
    "Date",
    "Output folder",
];
/// Job form hints, in field order.
pub const FIELD_HINTS: [&str; 6] = [
    "free text; becomes a_b_c in file names",
    "s##e## (episode), r## (reel) or lp (long-play)",
    "left/right to choose",
    "BCP-47 tag (en, es-419); empty for none",
    "YYYY-MM-DD; dates every file of this delivery",
    "the delivery root is created in this folder",
];

/// Role labels.
pub const ROLE_REF: &str = "Ref";
/// Role labels.
pub const ROLE_MNE: &str = "M&E";
/// Role labels.
pub const ROLE_OPT: &str = "Opt";
/// Role labels.
pub const ROLE_GUIDE: &str = "Guide";
/// Role labels.
pub const ROLE_PM: &str = "PM";

/// Status lines.
pub const GUESSED: &str = "roles suggested from file names and channel counts; check them";
/// Status lines.
pub const NOT_SELECTABLE: &str = "hidden and macOS metadata files are never delivered";
/// Status lines.
pub const STILL_PROBING: &str = "still reading this file's header; try again in a moment";
/// Status lines.
pub const NOT_MEDIA: &str = "not a media file mnepack can deliver";
/// Status lines.
pub const VIDEO_NOT_AUDIO: &str = "this is a video; only the reference video role takes it";
/// Status lines.
pub const AUDIO_NOT_VIDEO: &str = "this is audio; the reference video must be a QuickTime or MXF";
/// Status lines.
pub const NOT_OPTIONAL: &str = "the selected file is not an optional track; assign it as one first";
/// Status lines.
pub const ONLY_OPTIONAL_DESC: &str = "only optional tracks have a description to edit";
/// Status lines.
pub const NO_PLAN: &str = "nothing to pack: the plan is not ready or has errors";
/// Status lines.
pub const CANNOT_SAVE: &str = "cannot save the job yet: ";
/// Status lines.
pub const SAVED: &str = "job saved: ";
/// Status lines.
pub const CANCELLING: &str = "stopping the pack...";
/// Pack screen: above the QC errors and warnings of a pack QC stopped.
pub const QC_BLOCKED: &str = "QC errors stopped the package; nothing was delivered:";
/// Status lines.
pub const CANCELLED: &str = "the pack was stopped: nothing reached an upload folder; pack the same job again to resume from the files already staged";
/// Status line: a track moved onto a letter that has its description.
pub fn desc_renumbered(letter: char, from: &str, to: &str) -> String {
    format!(
        "optional {letter} already has a track described {from}: this one is {to} (e on Review describes it)"
    )
}

/// Status line: an edited description that another track of the letter has.
pub fn desc_taken(letter: char, desc: &str) -> String {
    format!(
        "optional {letter} already has a track described {desc}; tracks of one letter need different descriptions"
    )
}

/// Status line: where a track is now.
pub fn moved_to_letter(letter: char, desc: &str) -> String {
    format!("optional {letter} {desc}")
}

/// Screen texts.
pub const SCANNING: &str = "reading headers...";
/// Screen texts.
pub const PLANNING: &str = "probing sources and planning...";
/// Screen texts.
pub const NO_FILES: &str = "no files in this folder";
/// Screen texts.
pub const REDELIVERY: &str = "redelivery of ";
/// Screen texts: after the redelivery counts, while guesses remain.
pub const PROVISIONAL: &str = " (size+time guesses until the read settles them)";
/// Review's status column: not in the previous delivery.
pub const STATUS_NEW: &str = "new";
/// Review's status column: new content, next version.
pub const STATUS_CHANGED: &str = "changed";
/// Review's status column: same content, same name.
pub const STATUS_SAME: &str = "same";
/// Review's status column: same size and time; the read decides.
pub const STATUS_SAME_GUESS: &str = "same?";
/// Review's status column: same size, other time; the read decides.
pub const STATUS_CHANGED_GUESS: &str = "changed?";
/// Screen texts: Review's line when `pack` would refuse the plan.
pub const REFUSED: &str = "pack would refuse this plan (Enter stays here): ";
/// Status lines: Enter on a plan that `pack` would refuse.
pub const REFUSED_STATUS: &str =
    "pack would refuse this plan: go back and change it (Job: output folder)";
/// Screen texts: the Done screen when QC found no error or warning.
pub const NO_FINDINGS: &str = "QC: no errors, no warnings";

/// The Done screen's count of QC notes.
pub fn notes_recorded(n: usize) -> String {
    format!(
        "{n} QC note{} (loudness, 2-pops...) recorded in the manifest",
        if n == 1 { "" } else { "s" }
    )
}
/// The stage-folder question's title.
pub const CHOOSE_SET: &str = "This folder holds several stage folders. Which one is this delivery?";
/// The stage-folder question's key hint.
pub const CHOOSE_SET_KEYS: &str = "up/down: move  enter: guess roles from it  esc: assign by hand";
/// Status lines: after a stage folder was chosen.
pub const GUESSED_FROM: &str = "roles guessed from the files of ";
/// Status lines: the stage-folder question closed without a choice.
pub const NO_SET_CHOSEN: &str = "no roles guessed: assign each file by hand";
/// Shown on stderr after the terminal closed or a signal stopped the wizard.
pub const HUNG_UP: &str = "mnepack: the wizard stopped (its terminal closed, or SIGHUP/SIGTERM/SIGINT); a pack in flight kept its finished files, and packing the same job again resumes";
/// Screen texts.
pub const FILTER: &str = "filter: ";
/// Questions.
pub const CONFIRM_QUIT: &str =
    "Quit? Unsaved changes (or a running pack) will be lost.  y: quit  n: stay";
/// Questions.
pub const CONFIRM_CANCEL: &str =
    "Stop the pack? Nothing reaches an upload folder; packing again resumes.  y: stop  n: go on";
/// The help window's title.
pub const HELP_TITLE: &str = "Keys (any key closes)";
/// Shown when the wizard cannot start.
pub const NO_TTY: &str = "mnepack tui needs a terminal. For scripts and CI use `mnepack check JOB` or `mnepack pack JOB` (and `mnepack init DIR` to write a job file).";

/// Finding marks (text, never colour alone).
pub const MARK_ERROR: &str = "ERROR";
/// Finding marks.
pub const MARK_WARN: &str = "WARN";
/// Finding marks.
pub const MARK_OK: &str = "OK";
/// The mark of a pack the user stopped (not an error).
pub const MARK_STOPPED: &str = "STOPPED";

/// Pack screen: the finished-files heading.
pub const PACK_FINISHED: &str = "finished";
/// Pack screen: a file copied and hashed.
pub const PACK_WRITTEN: &str = "written ";
/// Pack screen: a file read back and matched.
pub const PACK_VERIFIED: &str = "verified";
/// Pack screen: before the first event.
pub const PACK_STARTING: &str = "starting";
/// Pack screen: a value that could not be measured.
pub const NOT_MEASURED: &str = "--";
/// Pack screen: the limits the measurements are flagged against.
pub fn pack_limits(warn: f64, error: f64) -> String {
    format!("true peak target {warn:.1} dBTP, limit {error:.1} dBTP")
}

/// A short text flag for a QC rule broken by a file's measurements.
pub fn rule_flag(rule: Rule) -> &'static str {
    match rule {
        Rule::TruePeakError => "peak over limit",
        Rule::TruePeakWarn => "peak over target",
        Rule::PmLoudness => "loudness off target",
        Rule::SilentChannel => "silent channel",
        Rule::SilentLfe => "silent LFE",
        Rule::SilentFile => "silent file",
        Rule::Clipping => "clipping",
        Rule::Dropout => "dropout",
        Rule::Pop => "2-pop",
        Rule::PopAlignment => "2-pop misaligned",
        other => other.id(),
    }
}

/// What an action does, for help and hints.
pub fn action_text(a: Action) -> &'static str {
    match a {
        Action::Help => "show these keys",
        Action::Save => "save the job file (rebuild later with mnepack pack)",
        Action::Quit => "quit",
        Action::Next => "next step",
        Action::Back => "previous step",
        Action::Up => "move up",
        Action::Down => "move down",
        Action::PageUp => "page up",
        Action::PageDown => "page down",
        Action::Edit => "edit",
        Action::Prev => "previous choice",
        Action::Choose => "next choice",
        Action::Filter => "type to filter (enter keeps, esc clears)",
        Action::AssignRef => "assign: reference video",
        Action::AssignMne => "assign: M&E",
        Action::AssignOpt => "assign: optional track (letter from its name or kind)",
        Action::LetterPrev => "optional track: previous letter (letters can be shared)",
        Action::LetterNext => "optional track: next letter (letters can be shared)",
        Action::AssignGuide => "assign: dialogue guide",
        Action::AssignPm => "assign: print master",
        Action::Unassign => "remove the role",
        Action::Pack => "pack the delivery",
        Action::Cancel => "cancel the pack",
        Action::Yes => "yes",
        Action::No => "no",
        Action::Plot => "plots of an audio file: loudness over time, true peak per channel",
        Action::Close => "close the plots",
        Action::PrevFile => "the previous audio file's plots",
        Action::NextFile => "the next audio file's plots",
        Action::Report => "write the delivery report (<root>.html) again and show where",
        Action::PackAll => "pack every ready episode, one after another",
        Action::Open => {
            "open the episode in the steps (back-tab on its first step or on Done returns)"
        }
    }
}

/// Short action names for the hint line.
pub fn action_short(a: Action) -> &'static str {
    match a {
        Action::Help => "help",
        Action::Save => "save",
        Action::Quit => "quit",
        Action::Next => "next",
        Action::Back => "back",
        Action::Edit => "edit",
        Action::Filter => "filter",
        Action::AssignRef => "ref",
        Action::AssignMne => "M&E",
        Action::AssignOpt => "opt",
        Action::AssignGuide => "guide",
        Action::AssignPm => "PM",
        Action::Unassign => "unassign",
        Action::Pack => "pack",
        Action::Cancel => "cancel",
        Action::Plot => "plot",
        Action::Close => "close",
        Action::Report => "report",
        Action::PackAll => "pack all",
        Action::Open => "open",
        _ => "",
    }
}

/// The hint line's word for the up and down keys of a screen that scrolls.
pub const HINT_SCROLL: &str = "scroll";
/// The hint line's word for the up and down keys of the plots.
pub const HINT_FILE: &str = "file";

/// Status lines: the plots key on a file without measurements.
pub const NO_PLOT: &str = "no measurements of this file yet: a pack measures each audio file (the Done screen plots them all)";
/// Status lines: the plots key on a delivery without audio measurements.
pub const NO_PLOTS: &str = "no audio file of this delivery has measurements to plot";
/// Status lines: while the report is written.
pub const REPORT_WRITING: &str = "writing the report...";
/// Status lines: the report was written (its path follows).
pub const REPORT_WRITTEN: &str = "report written: ";
/// Status lines: the report could not be written (why follows).
pub const REPORT_FAILED: &str = "cannot write the report: ";

/// Plots: the loudness chart's title.
pub const PLOT_LOUDNESS: &str = "short-term loudness, LUFS, over timecode";
/// Plots: the loudness chart's title on Done, before the file's label.
pub const PLOT_DONE: &str = "loudness of ";
/// Plots: a file with no loudness over time (shorter than 3 s, or silent).
pub const PLOT_NO_SERIES: &str = "no short-term loudness: the file is shorter than 3 s or silent";
/// Plots: a silent channel's bar.
pub const PLOT_SILENT: &str = "silent";

/// Plots: the print master's target, as the chart marks it.
pub fn plot_target(target: f64, tolerance: f64) -> String {
    format!("•••• target {target:.1} ±{tolerance:.1} LU")
}

/// Plots: the true-peak chart's title with the profile's limits.
pub fn plot_peaks(floor: f64, warn: Option<(f64, f64)>) -> String {
    match warn {
        Some((w, e)) => format!(
            "true peak, dBTP, bars from {floor:.0}: {MARK_WARN} above {w:.1}, {MARK_ERROR} above {e:.1}"
        ),
        None => format!("true peak, dBTP, bars from {floor:.0}"),
    }
}

/// Plots: the numbers above the charts.
pub fn plot_summary(integrated: Option<f64>, range: Option<f64>, peak: Option<f64>) -> String {
    let v = |v: Option<f64>| v.map_or_else(|| NOT_MEASURED.to_string(), |v| format!("{v:.1}"));
    format!(
        "integrated {} LUFS  range {} LU  max true peak {} dBTP",
        v(integrated),
        v(range),
        v(peak)
    )
}

/// Plots: what the conform comparison found about the file, from the
/// manifest's record; a line each.
pub fn plot_conform(r: &crate::manifest::ConformRecord) -> Vec<String> {
    use std::fmt::Write as _;
    let mut out = Vec::new();
    match r.status.as_str() {
        "reference" => out.push(match r.dialogue_loudness_lkfs {
            Some(l) => format!("conform: the reference; dialogue-gated loudness {l:.1} LKFS"),
            None => "conform: the reference".to_string(),
        }),
        "compared" => {
            let mut line = match r.offset_samples {
                Some(0) | None => "conform: in sync with the print master".to_string(),
                Some(o) => format!("conform: {o:+} samples against the print master"),
            };
            if let Some(ppm) = r.drift_ppm {
                let tail = r.tail_offset_samples.unwrap_or(0);
                let _ = write!(line, ", drift {ppm:+.0} ppm ({tail:+} at the tail)");
            }
            let moved: Vec<&str> = r
                .channels
                .iter()
                .map(String::as_str)
                .filter(|c| c.split_once('=').is_some_and(|(a, b)| a != b))
                .collect();
            if !moved.is_empty() {
                let _ = write!(line, ", channels {}", moved.join(" "));
            }
            out.push(line);
        }
        other => out.push(format!("conform: {other}")),
    }
    out.extend(
        r.stretches
            .iter()
            .map(|s| format!("{} {} to {}: {}", s.rule, s.at.start, s.at.end, s.value)),
    );
    out
}

/// Plots: the print master against the movie's sound, from the movie's
/// record (whose offset is the movie's against the PM: turned round);
/// None when the movie's sound was not compared.
pub fn plot_conform_movie(r: &crate::manifest::ConformRecord) -> Option<String> {
    match (r.status.as_str(), r.offset_samples) {
        ("compared", Some(0)) => Some("conform: in sync with the movie's sound".to_string()),
        ("compared", Some(o)) => Some(format!(
            "conform: {:+} samples against the movie's sound",
            o.saturating_neg()
        )),
        ("no match found", _) => {
            Some("conform: the movie's sound was not found in the print master".to_string())
        }
        _ => None,
    }
}

/// Plots: the last line when not every conform line fits.
pub fn plot_conform_more(n: usize) -> String {
    format!("... and {n} more (the manifest's conform: lists them all)")
}

/// The season screen's name in the step bar.
pub const SEASON_STEP: &str = "Season";
/// Instead of the season file's path when the season was guessed.
pub const SEASON_GUESSED: &str =
    "guessed from the folders, not saved (`mnepack init DIR` writes the season file)";
/// Before the season file's path.
pub const SEASON_FILE: &str = "season file: ";
/// The season screen's column heads.
pub const SEASON_HEAD: [&str; 3] = ["episode", "where it stands", "delivery"];
/// The line under the season's title: what the keys do.
pub const SEASON_HELP: &str =
    "enter: an episode's steps (back-tab returns) · p: pack every ready one";
/// A key that waits for the season's packing to end.
pub const SEASON_BUSY: &str = "the season is packing; wait, or c to stop it";
/// An episode opened in the steps.
pub const SEASON_OPENED: &str = "opened ";
/// "Pack all" with nothing ready.
pub const SEASON_NOTHING_READY: &str =
    "no episode is ready to pack: every one is delivered or cannot be packed";
/// "Pack all" started.
pub const SEASON_PACKING: &str = "packing, one after another, the ready episodes: ";
/// The season's packing was stopped.
pub const SEASON_STOPPED: &str =
    "stopped: what was finished is kept; p packs the rest (a stopped episode resumes)";
/// The season's packing ended.
pub const SEASON_DONE: &str = "done; episodes packed now: ";

/// An episode not looked at yet.
pub const EP_LOOKING: &str = "...";
/// An episode never delivered.
pub const EP_NEW: &str = "ready: not delivered yet";
/// An episode whose sources changed since its delivery.
pub const EP_CHANGED: &str = "ready: sources changed, redelivery";
/// An episode whose pack was stopped earlier.
pub const EP_UNFINISHED: &str = "ready: a stopped pack resumes";
/// An episode delivered from these very sources.
pub const EP_DELIVERED: &str = "delivered";
/// An episode delivered in this session.
pub const EP_PACKED_NOW: &str = "delivered now";
/// After [`EP_PACKED_NOW`] and a count.
pub const EP_WARNINGS: &str = " warnings";
/// Before a count of QC errors.
pub const EP_REFUSED: &str = "REFUSED: QC errors ";
/// Before why an episode cannot be packed.
pub const EP_FAILED: &str = "FAILED: ";
/// An episode whose pack was stopped now.
pub const EP_STOPPED: &str = "stopped: p resumes";

//! Step 4: overall and per-file progress with throughput and time left,
//! the files finished so far (the last ones that fit, each audio file with
//! its loudness, true peak and a text flag for any profile rule it breaks,
//! named by what tells it from the others), and a failed or stopped
//! pack's reason.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::profile::Severity;
use crate::tui::app::{App, FileMeasure};
use crate::tui::strings as s;
use crate::tui::text::{
    bar, bytes, clock, distinct_name, elide_prefix, fit, percent, rate_and_eta, shared_prefix,
    truncate_end, truncate_middle,
};

/// Width of the mark column (`ERROR`).
const MARK: usize = 5;

/// `-24.3` or `--`, right-aligned in `width`.
fn value(v: Option<f64>, width: usize) -> String {
    match v.filter(|v| v.is_finite()) {
        Some(v) => format!("{v:>width$.1}"),
        None => format!("{:>width$}", s::NOT_MEASURED),
    }
}

/// The mark and style of a measured file: its worst flag, else OK.
fn mark(m: Option<&FileMeasure>, t: Theme) -> (&'static str, Style) {
    match m.and_then(|m| m.flags.first()).map(|f| f.severity) {
        Some(Severity::Error) => (s::MARK_ERROR, t.error()),
        Some(Severity::Warning) => (s::MARK_WARN, t.warn()),
        _ => (s::MARK_OK, t.ok()),
    }
}

/// The lines a failed pack's reason keeps however many rows there are.
const ERROR_MIN: usize = 3;

/// The room a file name keeps before its flags are cut.
const NAME_ROOM: usize = 24;

/// One finished file: mark, phase, then for a measured file its loudness,
/// true peak and flags; the name takes what is left, without the prefix
/// every delivered name shares (`common` bytes) and cut at its end, so
/// the asset and description stay. Flags are cut before the name gives
/// way below [`NAME_ROOM`]; the mark still says WARN or ERROR.
fn finished_line(
    phase: &str,
    name: &str,
    common: usize,
    m: Option<&FileMeasure>,
    w: usize,
    t: Theme,
) -> Line<'static> {
    let verify = phase == "verify";
    let m = if verify { None } else { m };
    let (mark, style) = mark(m, t);
    let what = if verify {
        s::PACK_VERIFIED
    } else {
        s::PACK_WRITTEN
    };
    let mut text = format!("{what} ");
    let mut flags = String::new();
    if let Some(m) = m {
        let _ = write!(
            text,
            "{} LUFS {} dBTP ",
            value(m.lufs, 6),
            value(m.true_peak, 5)
        );
        let names: Vec<&str> = m.flags.iter().map(|f| s::rule_flag(f.rule)).collect();
        flags = names.join(", ");
    }
    let avail = w.saturating_sub(MARK + 1);
    let full = elide_prefix(name, common).chars().count();
    let keep = full.min(NAME_ROOM);
    let flag_room = avail.saturating_sub(text.chars().count() + keep + 1);
    let flags = truncate_end(&flags, flag_room);
    if !flags.is_empty() {
        text.push_str(&flags);
        text.push(' ');
    }
    let room = avail.saturating_sub(text.chars().count());
    let line = format!("{text}{}", distinct_name(name, common, room));
    Line::from(vec![
        Span::styled(format!("{mark:<MARK$} "), style),
        Span::raw(fit(&line, w.saturating_sub(MARK + 1))),
    ])
}

/// Draws the progress.
pub fn draw(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    let pk = &app.pack;
    let w = area.width as usize;
    let mut lines = progress_lines(app, w, t);
    if !pk.finished.is_empty() {
        let limits = app
            .review
            .profile
            .as_ref()
            .map(|pr| s::pack_limits(pr.qc.true_peak_warn_dbtp, pr.qc.true_peak_error_dbtp));
        let heading = match limits {
            Some(l) => format!("{} ({l})", s::PACK_FINISHED),
            None => s::PACK_FINISHED.to_string(),
        };
        lines.push(Line::from(Span::styled(fit(&heading, w), t.heading())));
    }
    rows_and_errors(app, area, w, t, &mut lines);
    f.render_widget(Paragraph::new(lines), area);
}

/// The phase, the overall bar and the current file's, and a blank line.
fn progress_lines(app: &App, w: usize, t: Theme) -> Vec<Line<'static>> {
    let pk = &app.pack;
    let mut lines = Vec::new();
    let phase_elapsed = pk.elapsed.saturating_sub(pk.phase_start);
    let (speed, eta) = rate_and_eta(pk.done, pk.total, phase_elapsed);
    let phase = if pk.phase.is_empty() {
        s::PACK_STARTING
    } else {
        pk.phase.as_str()
    };
    lines.push(Line::from(Span::styled(
        fit(
            &format!(
                "{phase}: {} files, {}   elapsed {}",
                pk.files,
                bytes(pk.total),
                clock(pk.elapsed)
            ),
            w,
        ),
        t.heading(),
    )));
    let bar_w = w.saturating_sub(36).max(10);
    lines.push(Line::raw(fit(
        &format!(
            "all   {} {:>3}%  {}  left {}",
            bar(pk.done, pk.total, bar_w),
            percent(pk.done, pk.total),
            speed,
            eta
        ),
        w,
    )));
    if let Some((name, size, done)) = &pk.current {
        lines.push(Line::raw(fit(
            &format!(
                "file  {} {:>3}%",
                bar(*done, *size, bar_w),
                percent(*done, *size)
            ),
            w,
        )));
        lines.push(Line::raw(format!(
            "      {}",
            truncate_middle(name, w.saturating_sub(6))
        )));
    }
    lines.push(Line::raw(""));
    lines
}

/// A row for each finished file, then the error: the rows keep their
/// room and the reason takes what is left.
fn rows_and_errors(app: &App, area: Rect, w: usize, t: Theme, lines: &mut Vec<Line<'static>>) {
    let pk = &app.pack;
    let errors: Vec<String> = pk
        .error
        .iter()
        .flat_map(|e| {
            let mark = if pk.cancelling {
                s::MARK_STOPPED
            } else {
                s::MARK_ERROR
            };
            textwrap_lines(&format!("{mark} {e}"), w)
        })
        .collect();
    // The rows say which file broke a limit: they keep their room, and
    // the reason takes what is left (at least ERROR_MIN lines).
    let room = (area.height as usize).saturating_sub(lines.len());
    let error_room = errors.len().min(
        room.saturating_sub(pk.finished.len())
            .max(ERROR_MIN.min(room)),
    );
    let skip = pk
        .finished
        .len()
        .saturating_sub(room.saturating_sub(error_room));
    // Shared by every planned name, so a row does not change as more
    // files finish.
    let common = app.review.prepared.as_ref().map_or_else(
        || shared_prefix(pk.finished.iter().map(|(_, n)| n.as_str())),
        |p| shared_prefix(p.plan.items.iter().map(|i| i.name.as_str())),
    );
    for (phase, name) in pk.finished.iter().skip(skip) {
        let m = pk.measured.iter().find(|m| &m.name == name);
        lines.push(finished_line(phase, name, common, m, w, t));
    }
    let style = if pk.cancelling { t.warn() } else { t.error() };
    for l in errors.into_iter().take(error_room) {
        lines.push(Line::from(Span::styled(l, style)));
    }
}

/// `text` split into lines of at most `w` characters (at spaces when it can).
fn textwrap_lines(text: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut out = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split(' ') {
            let n = line.chars().count();
            if n > 0 && n + 1 + word.chars().count() > w {
                out.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            while line.chars().count() > w {
                let head: String = line.chars().take(w).collect();
                let rest: String = line.chars().skip(w).collect();
                out.push(head);
                line = rest;
            }
        }
        out.push(line);
    }
    out
}

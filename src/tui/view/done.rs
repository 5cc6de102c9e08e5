//! Step 5: where the delivery is, each upload folder's file count and size,
//! the verification, what the pack noted (a resume's re-used files), the
//! loudness of every file (named without the prefix all delivered names
//! share), the manifests and the commands to re-verify it; then a chart of
//! the print master's loudness over time (else the first file that has
//! one), below the commands, so j scrolls to it on a short terminal.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::{Theme, chart};
use crate::pack::flow::PackReport;
use crate::profile::Severity;
use crate::report::Limits;
use crate::tui::app::App;
use crate::tui::model::DoneInfo;
use crate::tui::plot::{Plot, featured};
use crate::tui::strings as s;
use crate::tui::text::{bytes, distinct_name, shared_prefix, truncate_middle};

/// The commands that re-verify the delivery at `report.root`.
pub fn commands(r: &crate::pack::flow::PackReport) -> Vec<String> {
    let name = r
        .root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    crate::manifest::verify_commands(&r.root.display().to_string(), &name).to_vec()
}

/// Draws the summary.
pub fn draw(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    let Some(done) = &app.done else { return };
    let r = &done.report;
    let width = area.width as usize;
    let mut lines = vec![Line::from(Span::styled(
        truncate_middle(&format!("delivered  {}", r.root.display()), width),
        t.heading(),
    ))];
    lines.push(folder_line(r, width));
    lines.push(verified_line(r, t));
    for note in &app.pack.notes {
        lines.push(Line::from(Span::styled(note.clone(), t.dim())));
    }
    lines.extend(measured_lines(done, width));
    if let Some(note) = &r.redelivery {
        lines.extend(note.render().lines().map(|l| Line::raw(l.to_string())));
    }
    lines.extend(finding_lines(r, t));
    for p in [&r.manifest.yaml, &r.manifest.sha256, &r.manifest.mhl] {
        lines.push(Line::raw(truncate_middle(
            &format!("manifest {}", p.display()),
            width,
        )));
    }
    lines.push(Line::from(Span::styled(
        "re-verify any time with:",
        t.heading(),
    )));
    for c in commands(r) {
        lines.push(Line::raw(format!("  {c}")));
    }
    let text = Paragraph::new(lines).wrap(Wrap { trim: false });
    let plot = featured(&done.plots).and_then(|i| done.plots.get(i));
    page(f, area, app, t, &text, plot);
}

/// Each upload folder with its file count and size, on one line.
fn folder_line(r: &PackReport, width: usize) -> Line<'static> {
    let mut folders: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
    for file in &r.files {
        let folder = file.path.split('/').next().unwrap_or("");
        let entry = folders.entry(folder).or_default();
        entry.0 += 1;
        entry.1 += file.size;
    }
    let list: Vec<String> = folders
        .iter()
        .map(|(name, (n, size))| {
            format!(
                "{name}/ {n} file{} {}",
                if *n == 1 { "" } else { "s" },
                bytes(*size)
            )
        })
        .collect();
    Line::raw(truncate_middle(&list.join(" | "), width))
}

/// Whether every file was re-read and matched.
fn verified_line(r: &PackReport, t: Theme) -> Line<'static> {
    if r.verified {
        Line::from(Span::styled(
            format!(
                "{} verified: all {} files re-read and matched",
                s::MARK_OK,
                r.files.len()
            ),
            t.ok(),
        ))
    } else {
        Line::from(Span::styled(
            format!("{} not verified: files were not re-read", s::MARK_WARN),
            t.warn(),
        ))
    }
}

/// Loudness and true peak of each measured file, by its distinct name.
fn measured_lines(done: &DoneInfo, width: usize) -> Vec<Line<'static>> {
    let r = &done.report;
    let mut lines = Vec::new();
    let file_name = |path: &str| path.rsplit('/').next().unwrap_or(path).to_string();
    let names: Vec<String> = r.files.iter().map(|f| file_name(&f.path)).collect();
    let common = shared_prefix(names.iter().map(String::as_str));
    for m in &done.measured {
        let (Some(lufs), Some(tp)) = (m.lufs, m.true_peak) else {
            continue;
        };
        lines.push(Line::raw(format!(
            "  {:>6.1} LUFS {:>5.1} dBTP  {}",
            lufs,
            tp,
            distinct_name(&file_name(&m.path), common, width.saturating_sub(27))
        )));
    }
    lines
}

/// Errors and warnings in full, the notes counted (they are in the
/// manifest; listing them would push the re-verify commands off an 80x24
/// screen).
fn finding_lines(r: &PackReport, t: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let notes =
        r.qc.findings
            .iter()
            .filter(|f| f.severity == Severity::Info)
            .count();
    let serious: Vec<_> =
        r.qc.findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .collect();
    if serious.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("{} {}", s::MARK_OK, s::NO_FINDINGS),
            t.ok(),
        )));
    }
    // Errors and warnings in full; the notes (loudness, 2-pops) are counted:
    // they are in the manifest, and listing them would push the
    // re-verify commands off an 80x24 screen.
    for fd in serious {
        let (mark, style) = match fd.severity {
            Severity::Error => (s::MARK_ERROR, t.error()),
            _ => (s::MARK_WARN, t.warn()),
        };
        lines.push(Line::from(Span::styled(
            format!(
                "{mark} [{}] {}  ({})",
                fd.rule,
                fd.message,
                fd.file.rsplit('/').next().unwrap_or(&fd.file)
            ),
            style,
        )));
    }
    if notes > 0 {
        lines.push(Line::from(Span::styled(s::notes_recorded(notes), t.dim())));
    }
    lines
}

/// The fewest rows the loudness chart takes below the text.
const CHART_MIN: u16 = 8;
/// The most rows it takes when the screen has room.
const CHART_MAX: u16 = 14;
/// Its rows when it does not fit under the text (one `j` away).
const CHART_BELOW: u16 = 10;

/// Draws the text and, a row below it, the featured file's loudness as
/// one page scrolled by `app.scroll`: the chart fills the room the text
/// leaves (between [`CHART_MIN`] and [`CHART_MAX`] rows), else comes
/// after the re-verify commands, which it never pushes off the screen.
fn page(f: &mut Frame, area: Rect, app: &App, t: Theme, text: &Paragraph, plot: Option<&Plot>) {
    let text_rows = u16::try_from(text.line_count(area.width)).unwrap_or(u16::MAX);
    let left = area.height.saturating_sub(text_rows.saturating_add(1));
    let chart_rows = match plot {
        None => 0,
        Some(_) if left >= CHART_MIN => left.min(CHART_MAX),
        Some(_) => CHART_BELOW,
    };
    let rows = text_rows.saturating_add(1).saturating_add(chart_rows);
    let mut virt = Buffer::empty(Rect::new(0, 0, area.width, rows));
    text.render(Rect::new(0, 0, area.width, text_rows), &mut virt);
    if let Some(plot) = plot {
        let limits = app.review.profile.as_ref().map(|p| Limits::from(&p.qc));
        let title = format!("{}{}", s::PLOT_DONE, plot.label);
        let at = Rect::new(0, text_rows + 1, area.width, chart_rows);
        chart::loudness(&mut virt, at, plot, limits.as_ref(), &title, t);
    }
    let buf = f.buffer_mut();
    for y in 0..area.height {
        let Some(from) = app.scroll.checked_add(y).filter(|r| *r < rows) else {
            break;
        };
        for x in 0..area.width {
            buf[(area.x + x, area.y + y)] = virt[(x, from)].clone();
        }
    }
}

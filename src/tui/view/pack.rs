//! Step 4: overall and per-file progress with throughput and time left,
//! the files finished so far, and a failed or cancelled pack's reason.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Theme;
use crate::tui::app::App;
use crate::tui::strings as s;
use crate::tui::text::{bar, bytes, clock, fit, percent, rate_and_eta, truncate_middle};

/// Draws the progress.
pub fn draw(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    let p = &app.pack;
    let w = area.width as usize;
    let mut lines = Vec::new();
    let phase_elapsed = p.elapsed.saturating_sub(p.phase_start);
    let (speed, eta) = rate_and_eta(p.done, p.total, phase_elapsed);
    let phase = if p.phase.is_empty() {
        "starting"
    } else {
        p.phase.as_str()
    };
    lines.push(Line::from(Span::styled(
        format!(
            "{phase}: {} files, {}   elapsed {}",
            p.files,
            bytes(p.total),
            clock(p.elapsed)
        ),
        t.heading(),
    )));
    lines.push(Line::raw(format!(
        "all   {} {:>3}%  {}  left {}",
        bar(p.done, p.total, w.saturating_sub(36).max(10)),
        percent(p.done, p.total),
        speed,
        eta
    )));
    if let Some((name, size, done)) = &p.current {
        lines.push(Line::raw(format!(
            "file  {} {:>3}%",
            bar(*done, *size, w.saturating_sub(36).max(10)),
            percent(*done, *size)
        )));
        lines.push(Line::raw(format!(
            "      {}",
            truncate_middle(name, w.saturating_sub(6))
        )));
    }
    lines.push(Line::raw(""));
    let room = area.height.saturating_sub(lines.len() as u16 + 2) as usize;
    let skip = p.finished.len().saturating_sub(room);
    for (phase, name) in p.finished.iter().skip(skip) {
        let what = if phase == "verify" {
            "verified"
        } else {
            "written "
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{} {what} ", s::MARK_OK), t.ok()),
            Span::raw(truncate_middle(name, w.saturating_sub(13))),
        ]));
    }
    if let Some(e) = &p.error {
        lines.push(Line::from(Span::styled(
            fit(&format!("{} {e}", s::MARK_ERROR), w),
            t.error(),
        )));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

//! Step 2: the source browser: every file under the root with its probed
//! facts, its role, and the filter.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::timecode::FrameRate;
use crate::tui::app::{App, EditTarget, ProbeState};
use crate::tui::form::Field;
use crate::tui::strings as s;
use crate::tui::text::{facts, fit, truncate_middle};
use crate::tui::update::role_label;

/// Draws the browser.
pub fn draw(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    let width = area.width as usize;
    let rate = FrameRate::parse(&app.form.value(Field::Rate)).unwrap_or(FrameRate::new(24, 1));
    let filtering = app
        .edit
        .as_ref()
        .is_some_and(|e| e.target == EditTarget::Filter);
    let mut top = truncate_middle(&app.root.display().to_string(), width.saturating_sub(30));
    if filtering || !app.filter.is_empty() {
        let _ = write!(
            top,
            "  {}{}{}",
            s::FILTER,
            app.filter,
            if filtering { "_" } else { "" }
        );
    }
    if app.scanning {
        let _ = write!(top, "  {}", s::SCANNING);
    }
    let mut lines = vec![Line::from(Span::styled(fit(&top, width), t.heading()))];
    // role 9, name flexible, ch 6, rate 6, bits 4, dur 9, tc 12
    let name_w = width.saturating_sub(2 + 9 + 6 + 6 + 4 + 9 + 12).max(8);
    lines.push(Line::from(Span::styled(
        format!(
            "  {}{}{}{}{}{}{}",
            fit("ROLE", 9),
            fit("FILE", name_w),
            fit(" CH", 6),
            fit("RATE", 6),
            fit("BIT", 4),
            fit("LENGTH", 9),
            fit("START TC", 12)
        ),
        t.dim(),
    )));
    let visible = app.visible();
    if visible.is_empty() {
        let text = if app.scanning {
            s::SCANNING
        } else {
            s::NO_FILES
        };
        lines.push(Line::from(Span::styled(format!("  {text}"), t.dim())));
    }
    let rows = area.height.saturating_sub(2) as usize;
    let offset = app.cursor.saturating_sub(rows.saturating_sub(1));
    for (i, (_, row)) in visible.iter().enumerate().skip(offset).take(rows) {
        let selected = i == app.cursor;
        let role = role_label(&app.sources, &row.path).unwrap_or_default();
        let cols = match &row.state {
            ProbeState::Ok(p) => {
                let [ch, sr, bits, dur, tc] = facts(p, rate);
                format!(
                    " {}{}{}{}{}",
                    fit(&ch, 5),
                    fit(&sr, 6),
                    fit(&bits, 4),
                    fit(&dur, 9),
                    fit(&tc, 12)
                )
            }
            ProbeState::Pending => " reading...".to_string(),
            ProbeState::Skipped if row.debris => " hidden: never delivered".to_string(),
            ProbeState::Skipped => " -".to_string(),
            ProbeState::Failed(e) => format!(" {} {e}", s::MARK_ERROR),
        };
        let mark = if selected { "> " } else { "  " };
        let text = format!("{mark}{}{}{}", fit(&role, 9), fit(&row.name, name_w), cols);
        let style = match (&row.state, selected) {
            (_, true) => t.selected(),
            (ProbeState::Failed(_), _) => t.error(),
            _ if row.debris => t.dim(),
            _ => Style::new(),
        };
        lines.push(Line::from(Span::styled(fit(&text, width), style)));
    }
    f.render_widget(Paragraph::new(lines), area);
}

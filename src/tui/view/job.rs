//! Step 1: the job form.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::tui::app::{App, EditTarget};
use crate::tui::form::FIELDS;
use crate::tui::strings as s;
use crate::tui::text::{fit, truncate_middle};

/// Draws the job form.
pub fn draw(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    let mut lines = vec![Line::raw("")];
    let w = area.width as usize;
    let value_w = w.saturating_sub(18);
    for (i, field) in FIELDS.iter().enumerate() {
        let selected = i == app.field;
        let editing = app
            .edit
            .as_ref()
            .filter(|e| e.target == EditTarget::Field(*field));
        let value = editing.map_or_else(|| app.form.value(*field), |e| format!("{}_", e.buffer));
        let value = if i == 2 {
            format!("< {value} >")
        } else {
            value
        };
        let mark = if selected { "> " } else { "  " };
        let style = if selected {
            t.selected()
        } else {
            ratatui::style::Style::new()
        };
        lines.push(Line::from(vec![
            Span::raw(mark),
            Span::styled(fit(s::FIELD_LABELS[i], 14), t.heading()),
            Span::raw("  "),
            Span::styled(truncate_middle(&value, value_w), style),
        ]));
        if selected {
            lines.push(Line::from(Span::styled(
                format!(
                    "{}{}",
                    " ".repeat(18),
                    truncate_middle(s::FIELD_HINTS[i], value_w)
                ),
                t.dim(),
            )));
        }
    }
    lines.push(Line::raw(""));
    if let Some(p) = &app.job_path {
        lines.push(Line::from(Span::styled(
            truncate_middle(&format!("job file: {}", p.display()), w),
            t.dim(),
        )));
    }
    if let Some(p) = &app.previous {
        lines.push(Line::from(Span::styled(
            truncate_middle(&format!("{}{}", s::REDELIVERY, p.display()), w),
            t.warn(),
        )));
    }
    f.render_widget(Paragraph::new(lines), area);
}

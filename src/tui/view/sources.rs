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

/// Widths of the fact columns: channels, rate, bits, length, start TC.
const FACT_W: [usize; 5] = [6, 6, 4, 9, 12];
/// Their titles.
const FACT_TITLES: [&str; 5] = [" CH", "RATE", "BIT", "LENGTH", "START TC"];
/// The room a file name keeps before fact columns are dropped.
const NAME_MIN: usize = 24;

/// How many fact columns fit beside a readable name at `width`.
fn fact_columns(width: usize) -> usize {
    (0..=FACT_W.len())
        .rev()
        .find(|&n| width.saturating_sub(2 + 9 + FACT_W[..n].iter().sum::<usize>()) >= NAME_MIN)
        .unwrap_or(0)
}

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
    // role 9, name flexible, then the facts: the columns on the right go
    // first on a narrow terminal, so the name keeps room to be read.
    let shown = fact_columns(width);
    let name_w = width
        .saturating_sub(2 + 9 + FACT_W[..shown].iter().sum::<usize>())
        .max(8);
    let mut head = format!("  {}{}", fit("ROLE", 9), fit("FILE", name_w));
    for (title, w) in FACT_TITLES.iter().zip(FACT_W).take(shown) {
        head.push_str(&fit(title, w));
    }
    lines.push(Line::from(Span::styled(head, t.dim())));
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
                let mut cols = String::new();
                for (i, (v, w)) in facts(p, rate).iter().zip(FACT_W).take(shown).enumerate() {
                    let v = if i == 0 { format!(" {v}") } else { v.clone() };
                    cols.push_str(&fit(&v, w));
                }
                cols
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

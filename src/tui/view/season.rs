//! The season screen: the season's title and file, one row per episode
//! (its unit, where it stands, its delivery root), the selected row
//! highlighted and kept in view. Fits 80x24: a status is cut to the width.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Theme;
use crate::tui::app::App;
use crate::tui::app::EpisodeStatus;
use crate::tui::strings as s;
use crate::tui::text::{fit, truncate_middle};

/// Draws the season's episodes.
pub fn draw(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    let Some(view) = &app.season else {
        return;
    };
    let w = usize::from(area.width);
    let title = view
        .episodes
        .first()
        .map_or(String::new(), |e| e.job.title.clone());
    let file = if view.guessed {
        s::SEASON_GUESSED.to_string()
    } else {
        format!("{}{}", s::SEASON_FILE, view.file.display())
    };
    let mut lines = vec![
        Line::from(Span::styled(
            truncate_middle(&format!("{title}  ·  {} episodes", view.episodes.len()), w),
            t.heading(),
        )),
        Line::from(Span::styled(truncate_middle(&file, w), t.dim())),
        Line::from(Span::styled(truncate_middle(s::SEASON_HELP, w), t.dim())),
        Line::raw(""),
        Line::from(Span::styled(
            fit(
                &format!(
                    "  {:<8}  {:<38}  {}",
                    s::SEASON_HEAD[0],
                    s::SEASON_HEAD[1],
                    s::SEASON_HEAD[2]
                ),
                w,
            ),
            t.heading(),
        )),
    ];
    let rows = usize::from(area.height).saturating_sub(lines.len()).max(1);
    let first = view.cursor.saturating_sub(rows.saturating_sub(1));
    for (i, e) in view.episodes.iter().enumerate().skip(first).take(rows) {
        let (text, level) = status_text(&e.status);
        let root = match &e.status {
            EpisodeStatus::Delivered(r) | EpisodeStatus::PackedNow(r, _) => r.as_str(),
            _ => "",
        };
        let mark = if i == view.cursor { "> " } else { "  " };
        let status_style = match level {
            Level::Plain => Style::new(),
            Level::Good => t.ok(),
            Level::Warn => t.warn(),
            Level::Bad => t.error(),
        };
        let unit = format!("{mark}{:<8}  ", e.job.unit);
        let rest = w.saturating_sub(unit.len());
        let status = fit(&text, rest.min(38));
        let root = truncate_middle(root, rest.saturating_sub(40));
        let row_style = if i == view.cursor {
            t.selected()
        } else {
            Style::new()
        };
        lines.push(Line::from(vec![
            Span::styled(unit, row_style),
            Span::styled(status, status_style),
            Span::raw("  "),
            Span::styled(root, t.dim()),
        ]));
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// How a row's status colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Plain,
    Good,
    Warn,
    Bad,
}

/// How an episode's status reads, and its colour.
fn status_text(st: &EpisodeStatus) -> (String, Level) {
    use EpisodeStatus as E;
    match st {
        E::Looking => (s::EP_LOOKING.to_string(), Level::Plain),
        E::New => (s::EP_NEW.to_string(), Level::Plain),
        E::Changed => (s::EP_CHANGED.to_string(), Level::Warn),
        E::Unfinished => (s::EP_UNFINISHED.to_string(), Level::Warn),
        E::Delivered(_) => (s::EP_DELIVERED.to_string(), Level::Good),
        E::Packing(phase, pct) => (format!("{phase} {pct:>3}%"), Level::Plain),
        E::PackedNow(_, 0) => (s::EP_PACKED_NOW.to_string(), Level::Good),
        E::PackedNow(_, w) => (
            format!("{}, {w}{}", s::EP_PACKED_NOW, s::EP_WARNINGS),
            Level::Warn,
        ),
        E::Refused(n) => (format!("{}{n}", s::EP_REFUSED), Level::Bad),
        E::Failed(why) => (format!("{}{why}", s::EP_FAILED), Level::Bad),
        E::Stopped => (s::EP_STOPPED.to_string(), Level::Warn),
    }
}

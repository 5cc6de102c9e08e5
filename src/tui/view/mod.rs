//! Drawing: the frame every screen shares (step bar, status line, key
//! hints, help and questions), the theme (colour, or plain modifiers under
//! NO_COLOR; every state also has a text mark), and one module per screen.

mod chart;
mod detail;
mod done;
mod job;
mod pack;
pub mod review;
mod season;
mod sources;

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::{App, Level, Overlay, Screen};
use super::strings as s;
use super::text::fit;

/// Styles, with or without colour.
#[derive(Debug, Clone, Copy)]
pub struct Theme {
    color: bool,
}

impl Theme {
    /// The theme of `app` (no colour under NO_COLOR).
    pub fn of(app: &App) -> Self {
        Theme { color: app.color }
    }
    fn pick(self, color: Style, plain: Style) -> Style {
        if self.color { color } else { plain }
    }
    /// The selected row.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }
    /// Hidden files and hints.
    pub fn dim(self) -> Style {
        self.pick(
            Style::new().fg(Color::DarkGray),
            Style::new().add_modifier(Modifier::DIM),
        )
    }
    /// Errors.
    pub fn error(self) -> Style {
        self.pick(
            Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }
    /// Warnings.
    pub fn warn(self) -> Style {
        self.pick(
            Style::new().fg(Color::Yellow),
            Style::new().add_modifier(Modifier::BOLD),
        )
    }
    /// Good news.
    pub fn ok(self) -> Style {
        self.pick(Style::new().fg(Color::Green), Style::new())
    }
    /// A plotted series.
    pub fn series(self) -> Style {
        self.pick(Style::new().fg(Color::Cyan), Style::new())
    }
    /// Headings.
    pub fn heading(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
}

/// The most rows a long status line wraps onto (a path the user must
/// read whole, as the report's); a short terminal keeps one, so the
/// screen's own rows come first.
fn status_rows(height: u16) -> usize {
    usize::from(height / 8).clamp(1, 3)
}

/// Draws the whole screen.
pub fn draw(f: &mut Frame, app: &App) {
    let t = Theme::of(app);
    let status_text = app.status.as_ref().map(|(level, text)| {
        let (mark, style) = match level {
            Level::Info => ("", Style::new()),
            Level::Error => ("ERROR ", t.error()),
        };
        let mut rows = wrap_status(&format!("{mark}{text}"), usize::from(f.area().width));
        rows.truncate(status_rows(f.area().height));
        (rows, style)
    });
    let used = status_text
        .as_ref()
        .map_or(1, |(rows, _)| rows.len().max(1));
    let [head, body, status, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(u16::try_from(used).unwrap_or(1)),
        Constraint::Length(1),
    ])
    .areas(f.area());
    header(f, head, app, t);
    if app.detail.is_some() {
        detail::draw(f, body, app, t);
    } else {
        match app.screen {
            Screen::Season => season::draw(f, body, app, t),
            Screen::Job => job::draw(f, body, app, t),
            Screen::Sources => sources::draw(f, body, app, t),
            Screen::Review => review::draw(f, body, app, t),
            Screen::Pack => pack::draw(f, body, app, t),
            Screen::Done => done::draw(f, body, app, t),
        }
    }
    if let Some((rows, style)) = status_text {
        let lines: Vec<Line> = rows
            .into_iter()
            .map(|r| Line::from(Span::styled(r, style)))
            .collect();
        f.render_widget(Paragraph::new(lines), status);
    }
    f.render_widget(
        Paragraph::new(Line::from(Span::styled(hints(app, keys.width), t.dim()))),
        keys,
    );
    match app.overlay {
        Some(Overlay::Help) => help(f, app, t),
        Some(Overlay::ConfirmQuit) => question(f, s::CONFIRM_QUIT, t),
        Some(Overlay::ConfirmCancel) => question(f, s::CONFIRM_CANCEL, t),
        Some(Overlay::ChooseSet) => choose_set(f, app, t),
        None => {}
    }
}

fn header(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    let current = match app.screen {
        Screen::Season => usize::MAX,
        Screen::Job => 0,
        Screen::Sources => 1,
        Screen::Review => 2,
        Screen::Pack => 3,
        Screen::Done => 4,
    };
    let mut spans = vec![Span::styled(format!("{} ", s::APP), t.heading())];
    if let Some(v) = &app.season {
        let open = v.open.and_then(|i| v.episodes.get(i));
        let word = open.map_or_else(|| s::SEASON_STEP.to_string(), |e| e.job.unit.to_string());
        if app.screen == Screen::Season {
            spans.push(Span::styled(format!("[{word}]"), t.selected()));
        } else {
            spans.push(Span::raw(format!(" {word} ")));
        }
    }
    for (i, step) in s::STEPS.iter().enumerate() {
        if i == current {
            spans.push(Span::styled(format!("[{step}]"), t.selected()));
        } else {
            spans.push(Span::raw(format!(" {step} ")));
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A status text in rows of `width`: broken at spaces, and a word longer
/// than a row (a path) broken where the row ends, so a path starts on the
/// row its words do and reads whole when the rows are joined.
fn wrap_status(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut rows = vec![String::new()];
    for (i, word) in text.split(' ').enumerate() {
        let mut word: Vec<char> = word.chars().collect();
        let used = rows.last().map_or(0, |r| r.chars().count());
        let space = usize::from(i > 0 && used > 0);
        if used > 0 && used + space + word.len() > width && word.len() <= width {
            rows.push(String::new());
        } else if space == 1 {
            if let Some(r) = rows.last_mut() {
                r.push(' ');
            }
        }
        while !word.is_empty() {
            let used = rows.last().map_or(0, |r| r.chars().count());
            if used >= width {
                rows.push(String::new());
                continue;
            }
            let take = word.len().min(width - used);
            let rest = word.split_off(take);
            if let Some(r) = rows.last_mut() {
                r.extend(word);
            }
            word = rest;
        }
    }
    rows
}

/// `j/k scroll` on Done, `j/k file` over the plots: their down and up
/// keys as one hint.
fn up_down_hint(app: &App) -> Option<String> {
    use super::keymap::{Action, Scope};
    let scope = app.scope();
    let (down, up, word) = match scope {
        Scope::Done => (Action::Down, Action::Up, s::HINT_SCROLL),
        Scope::Detail => (Action::NextFile, Action::PrevFile, s::HINT_FILE),
        _ => return None,
    };
    let d = app.keymap.first_key(scope, down)?;
    let u = app.keymap.first_key(scope, up)?;
    Some(format!("{d}/{u} {word}"))
}

/// The key hint line: the screen's keys (with one item for the up and
/// down keys where they scroll Done or step through the plots), then the
/// global ones.
fn hints(app: &App, width: u16) -> String {
    use super::keymap::Action;
    let scope = app.scope();
    let mut bindings = app.keymap.help(scope);
    bindings.sort_by_key(|b| b.action != Action::Help);
    let mut items: Vec<String> = bindings
        .iter()
        .filter(|b| !s::action_short(b.action).is_empty() && !b.keys.is_empty())
        .map(|b| format!("{} {}", b.keys[0], s::action_short(b.action)))
        .collect();
    if let Some(pair) = up_down_hint(app) {
        let help = bindings
            .first()
            .is_some_and(|b| b.action == Action::Help && !b.keys.is_empty());
        items.insert(usize::from(help).min(items.len()), pair);
    }
    let mut out = String::new();
    for item in items {
        let item = format!("{item}  ");
        if out.len() + item.trim_end().len() > width as usize {
            break;
        }
        let _ = write!(out, "{item}");
    }
    fit(out.trim_end(), width as usize)
}

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn help(f: &mut Frame, app: &App, t: Theme) {
    let scope = app.view_scope();
    let lines: Vec<Line> = app
        .keymap
        .help(scope)
        .iter()
        .map(|b| {
            let keys: Vec<String> = b.keys.iter().map(ToString::to_string).collect();
            Line::from(vec![
                Span::styled(fit(&keys.join(" "), 14), t.heading()),
                Span::raw(s::action_text(b.action)),
            ])
        })
        .collect();
    let area = centered(f.area(), 76, lines.len() as u16 + 2);
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(s::HELP_TITLE)),
        area,
    );
}

/// The stage folders to pick from, each with the roles found in it.
fn choose_set(f: &mut Frame, app: &App, t: Theme) {
    let width = f.area().width.min(76);
    let inner = usize::from(width.saturating_sub(2));
    let mut lines = vec![Line::from(Span::styled(s::CHOOSE_SET, t.heading()))];
    for (i, session) in app.sessions.iter().enumerate() {
        let rel = session
            .dir
            .strip_prefix(&app.root)
            .unwrap_or(&session.dir)
            .display()
            .to_string();
        let text = fit(
            &format!(
                "{}{}/  {}",
                if i == app.set_cursor { "> " } else { "  " },
                rel,
                session.summary()
            ),
            inner,
        );
        let style = if i == app.set_cursor {
            t.selected()
        } else {
            Style::new()
        };
        lines.push(Line::from(Span::styled(text, style)));
    }
    lines.push(Line::from(Span::styled(s::CHOOSE_SET_KEYS, t.dim())));
    let rows = u16::try_from(lines.len() + 3).unwrap_or(u16::MAX);
    let area = centered(f.area(), width, rows);
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::default().borders(Borders::ALL)),
        area,
    );
}

fn question(f: &mut Frame, text: &str, t: Theme) {
    // Tall enough for the whole question at this width (one spare line
    // for word wrapping), so the y/n keys are never cut off.
    let inner = usize::from(f.area().width.min(60).saturating_sub(2)).max(1);
    let rows = text.chars().count().div_ceil(inner) + 1;
    let area = centered(f.area(), 60, u16::try_from(rows + 2).unwrap_or(u16::MAX));
    f.render_widget(Clear, area);
    f.render_widget(
        Paragraph::new(Span::styled(text, t.warn()))
            .wrap(Wrap { trim: true })
            .block(Block::default().borders(Borders::ALL)),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::wrap_status;

    #[test]
    fn a_status_wraps_at_spaces_and_a_long_path_fills_the_row_it_starts_on() {
        assert_eq!(wrap_status("one two three", 8), ["one two", "three"]);
        assert_eq!(
            wrap_status("written: /a/bb/ccc/dddd.html", 12),
            ["written: /a/", "bb/ccc/dddd.", "html"]
        );
        assert_eq!(wrap_status("short", 80), ["short"]);
    }
}

//! Drawing: the frame every screen shares (step bar, status line, key
//! hints, help and questions), the theme (colour, or plain modifiers under
//! NO_COLOR; every state also has a text mark), and one module per screen.

mod done;
mod job;
mod pack;
pub mod review;
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
    /// Headings.
    pub fn heading(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
}

/// Draws the whole screen.
pub fn draw(f: &mut Frame, app: &App) {
    let [head, body, status, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(f.area());
    let t = Theme::of(app);
    header(f, head, app, t);
    match app.screen {
        Screen::Job => job::draw(f, body, app, t),
        Screen::Sources => sources::draw(f, body, app, t),
        Screen::Review => review::draw(f, body, app, t),
        Screen::Pack => pack::draw(f, body, app, t),
        Screen::Done => done::draw(f, body, app, t),
    }
    if let Some((level, text)) = &app.status {
        let (mark, style) = match level {
            Level::Info => ("", Style::new()),
            Level::Error => ("ERROR ", t.error()),
        };
        f.render_widget(
            Paragraph::new(Line::from(Span::styled(format!("{mark}{text}"), style))),
            status,
        );
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
        Screen::Job => 0,
        Screen::Sources => 1,
        Screen::Review => 2,
        Screen::Pack => 3,
        Screen::Done => 4,
    };
    let mut spans = vec![Span::styled(format!("{} ", s::APP), t.heading())];
    for (i, step) in s::STEPS.iter().enumerate() {
        if i == current {
            spans.push(Span::styled(format!("[{step}]"), t.selected()));
        } else {
            spans.push(Span::raw(format!(" {step} ")));
        }
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The key hint line: the screen's keys, then the global ones.
fn hints(app: &App, width: u16) -> String {
    let mut out = String::new();
    let mut items = app.keymap.help(app.scope());
    items.sort_by_key(|b| b.action != super::keymap::Action::Help);
    for b in items {
        let short = s::action_short(b.action);
        if short.is_empty() || b.keys.is_empty() {
            continue;
        }
        let item = format!("{} {short}  ", b.keys[0]);
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
    let scope = app.screen.scope();
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

//! One audio file's plots, over Review or Done: its label, name and place
//! among the measured files, its integrated loudness, range and highest
//! true peak, what the conform comparison found about it (on Done, from
//! the manifest: offset, drift, moved channels, stretches), then the loudness over the programme (the print master's
//! against its target) and the true peak per channel against the
//! profile's limits. Laid out for 80x24: the bars keep a row a channel,
//! the loudness chart takes the rest.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, chart};
use crate::report::Limits;
use crate::tui::app::App;
use crate::tui::strings as s;
use crate::tui::text::{fit, truncate_middle};

/// Rows of conform lines at most.
const CONFORM_ROWS: usize = 4;

/// Draws the plots of the file the detail view is on.
pub fn draw(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    let Some(d) = &app.detail else { return };
    let Some(plot) = d.current() else { return };
    let limits = app.review.profile.as_ref().map(|p| Limits::from(&p.qc));
    let w = usize::from(area.width);
    // The conform lines take at most four rows: the chart keeps the rest.
    let conform_rows = plot.conform.len().min(CONFORM_ROWS) as u16;
    let [head, found, loud, _, peaks] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(conform_rows),
        Constraint::Min(4),
        Constraint::Length(1),
        Constraint::Length(chart::peaks_height(plot)),
    ])
    .areas(area);
    let place = format!("  {}/{}", d.index + 1, d.plots.len());
    let label = format!("{}  ", plot.label);
    let room = w.saturating_sub(label.chars().count() + place.chars().count());
    let lines = vec![
        Line::from(vec![
            Span::styled(label, t.heading()),
            Span::raw(truncate_middle(&plot.name, room)),
            Span::styled(place, t.dim()),
        ]),
        Line::raw(fit(
            &s::plot_summary(plot.integrated, plot.range, plot.max_true_peak()),
            w,
        )),
    ];
    f.render_widget(Paragraph::new(lines), head);
    let mut shown: Vec<Line> = plot
        .conform
        .iter()
        .take(CONFORM_ROWS)
        .map(|l| Line::raw(fit(l, w)))
        .collect();
    if plot.conform.len() > CONFORM_ROWS {
        let more = plot.conform.len() - (CONFORM_ROWS - 1);
        shown[CONFORM_ROWS - 1] = Line::styled(fit(&s::plot_conform_more(more), w), t.dim());
    }
    f.render_widget(Paragraph::new(shown), found);
    let buf = f.buffer_mut();
    chart::loudness(buf, loud, plot, limits.as_ref(), s::PLOT_LOUDNESS, t);
    chart::peaks(buf, peaks, plot, limits.as_ref(), t);
}

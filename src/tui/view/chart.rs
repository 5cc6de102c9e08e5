//! The two charts of an audio file, drawn with ratatui's widgets: its
//! short-term loudness over the programme (a `Chart`: braille runs of the
//! measured seconds, timecode labels, LUFS on the left, the print master's
//! target as a dotted line) and its true peak per channel (a horizontal
//! `BarChart`: each bar labelled by its channel and value, a text mark on
//! a bar over the profile's limits, so NO_COLOR loses nothing).

use ratatui::buffer::Buffer;
use ratatui::layout::{Direction, Rect};
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::{
    Axis, Bar, BarChart, BarGroup, Block, Borders, Chart, Dataset, GraphType, Paragraph, Widget,
};

use super::Theme;
use crate::report::{Limits, clock};
use crate::tui::plot::Plot;
use crate::tui::strings as s;

/// The true-peak bars start here, dBTP (as the report's bars do).
pub const PEAK_FLOOR: f64 = -40.0;

/// Bar lengths in tenths of a dB above the floor.
const TENTHS: f64 = 10.0;

/// Runs of measured seconds (`(seconds from the start, LUFS)`): a gap
/// (the first 2 s, or quiet below -70) breaks the line.
fn runs(series: &[Option<f64>]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut run = Vec::new();
    for (i, v) in series.iter().enumerate() {
        match v {
            Some(v) => run.push(((i + 1) as f64, *v)),
            None if !run.is_empty() => out.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out
}

/// The LUFS axis: the measured values and the target with a margin,
/// rounded out to 5 LU, a multiple of 10 LU tall (its middle label is
/// then a round number too).
fn lufs_bounds(series: &[Option<f64>], target: Option<f64>) -> [f64; 2] {
    let values = series.iter().flatten().copied().chain(target);
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !lo.is_finite() {
        return [-60.0, 0.0];
    }
    let lo = ((lo - 2.0) / 5.0).floor() * 5.0;
    let hi = ((hi + 2.0) / 5.0).ceil() * 5.0;
    let tens = ((hi - lo) / 10.0).ceil().max(1.0);
    [hi - tens * 10.0, hi]
}

/// Draws the loudness chart of `plot` in `area` (a top rule carries the
/// title); `title` names what is drawn.
pub fn loudness(
    buf: &mut Buffer,
    area: Rect,
    plot: &Plot,
    limits: Option<&Limits>,
    title: &str,
    t: Theme,
) {
    let band = limits
        .filter(|_| plot.print_master)
        .map(|l| (l.pm_target, l.pm_tolerance));
    let mut heading = title.to_string();
    if let Some((target, tol)) = band {
        heading = format!("{heading}  {}", s::plot_target(target, tol));
    }
    let block = Block::new()
        .borders(Borders::TOP)
        .title(Line::styled(heading, t.heading()));
    if !plot.has_series() {
        let inner = block.inner(area);
        block.render(area, buf);
        Paragraph::new(Line::styled(s::PLOT_NO_SERIES, t.dim())).render(inner, buf);
        return;
    }
    let n = plot.series.len() as f64;
    let runs = runs(&plot.series);
    let target = band.map(|(target, _)| [(0.0, target), (n, target)]);
    // The target first: the series draws over it where they meet.
    let mut sets: Vec<Dataset> = target
        .iter()
        .map(|line| {
            Dataset::default()
                .marker(Marker::Dot)
                .graph_type(GraphType::Line)
                .style(t.ok())
                .data(line)
        })
        .collect();
    sets.extend(runs.iter().map(|r| {
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(if r.len() > 1 {
                GraphType::Line
            } else {
                GraphType::Scatter
            })
            .style(t.series())
            .data(r)
    }));
    let [lo, hi] = lufs_bounds(&plot.series, band.map(|b| b.0));
    let end = plot.series.len() as u64;
    let x_labels = [0, end / 2, end].map(|sec| clock(plot.start + sec));
    let y_labels = [lo, f64::midpoint(lo, hi), hi].map(|v| format!("{v:.0}"));
    Chart::new(sets)
        .block(block)
        .legend_position(None)
        .x_axis(
            Axis::default()
                .bounds([0.0, n])
                .labels(x_labels)
                .style(t.dim()),
        )
        .y_axis(
            Axis::default()
                .bounds([lo, hi])
                .labels(y_labels)
                .style(t.dim()),
        )
        .render(area, buf);
}

/// The rows the true-peak chart takes for `plot` (its title and a bar a
/// channel).
pub fn peaks_height(plot: &Plot) -> u16 {
    u16::try_from(plot.true_peak.len().max(1) + 1).unwrap_or(u16::MAX)
}

/// Draws the true-peak bars of `plot` in `area`: one a channel, from
/// [`PEAK_FLOOR`] to full scale, its value as text and a mark over the
/// profile's target or limit.
pub fn peaks(buf: &mut Buffer, area: Rect, plot: &Plot, limits: Option<&Limits>, t: Theme) {
    let title = s::plot_peaks(
        PEAK_FLOOR,
        limits.map(|l| (l.true_peak_warn, l.true_peak_error)),
    );
    let full = (-PEAK_FLOOR * TENTHS) as u64;
    let bars: Vec<Bar> = plot
        .channels
        .iter()
        .zip(&plot.true_peak)
        .map(|(name, v)| {
            let Some(v) = v else {
                return Bar::default()
                    .label(Line::from(name.clone()))
                    .value(0)
                    .text_value(s::PLOT_SILENT.to_string());
            };
            let (mark, style) = match limits {
                Some(l) if *v > l.true_peak_error => (format!(" {}", s::MARK_ERROR), t.error()),
                Some(l) if *v > l.true_peak_warn => (format!(" {}", s::MARK_WARN), t.warn()),
                _ => (String::new(), t.series()),
            };
            let length = ((v - PEAK_FLOOR) * TENTHS).round().clamp(0.0, full as f64) as u64;
            Bar::default()
                .label(Line::from(name.clone()))
                .value(length)
                .text_value(format!("{v:.1}{mark}"))
                .style(style)
        })
        .collect();
    BarChart::default()
        .block(
            Block::new()
                .borders(Borders::TOP)
                .title(Line::styled(title, t.heading())),
        )
        .direction(Direction::Horizontal)
        .data(BarGroup::default().bars(&bars))
        .bar_width(1)
        .bar_gap(0)
        .max(full)
        .value_style(t.selected())
        .label_style(Style::new())
        .render(area, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::float_cmp)] // whole multiples of 5 LU, exact
    fn gaps_break_the_line_and_bounds_hold_the_target() {
        let series = [None, None, Some(-30.0), Some(-28.0), None, Some(-20.0)];
        let r = runs(&series);
        assert_eq!(
            r,
            vec![vec![(3.0, -30.0), (4.0, -28.0)], vec![(6.0, -20.0)]]
        );
        assert_eq!(lufs_bounds(&series, None), [-35.0, -15.0]);
        assert_eq!(lufs_bounds(&series, Some(-40.0)), [-45.0, -15.0]);
        assert_eq!(
            lufs_bounds(&[Some(-44.0), Some(-21.0)], None),
            [-55.0, -15.0]
        );
        assert_eq!(lufs_bounds(&[Some(-24.0)], None), [-30.0, -20.0]);
        assert_eq!(lufs_bounds(&[None], None), [-60.0, 0.0]);
    }
}

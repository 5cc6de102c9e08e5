//! The report's plots as inline SVG, drawn by hand (a few paths and lines
//! keep the page small and crisp): short-term loudness over the programme
//! with a timecode axis, and true peak per channel as bars against the
//! profile's limits. Each plot carries its point or bar count in a `data-`
//! attribute, so a test can check what was drawn.

use std::fmt::Write as _;

use maud::{Markup, html};

/// Plot size in SVG units.
const W: f64 = 900.0;
const H: f64 = 220.0;
const LEFT: f64 = 52.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 30.0;

/// Loudness axis, LUFS.
const LOUD_TOP: f64 = 0.0;
const LOUD_BOTTOM: f64 = -60.0;

/// True-peak axis, dBTP.
const PEAK_TOP: f64 = 0.0;
const PEAK_BOTTOM: f64 = -40.0;

fn y_of(v: f64, top: f64, bottom: f64) -> f64 {
    let v = v.clamp(bottom, top);
    TOP + (top - v) / (top - bottom) * (H - TOP - BOTTOM)
}

/// A tick step (seconds) that gives at most eight ticks over `seconds`.
fn tick_step(seconds: u64) -> u64 {
    const STEPS: [u64; 10] = [1, 5, 10, 30, 60, 300, 600, 900, 1800, 3600];
    STEPS.into_iter().find(|s| seconds / s <= 8).unwrap_or(7200)
}

/// Short-term loudness, one value a second (`series[i]` ends at second
/// `i + 1`), against a timecode axis starting at `start` seconds; `band`
/// shades a target and tolerance (LUFS, LU).
pub fn loudness(series: &[Option<f64>], start: u64, band: Option<(f64, f64)>) -> Markup {
    let n = series.len().max(1) as f64;
    let x = |i: usize| LEFT + (i as f64 + 1.0) / n * (W - LEFT - RIGHT);
    let y = |v: f64| y_of(v, LOUD_TOP, LOUD_BOTTOM);
    // Runs of measured seconds, each one polyline.
    let mut runs: Vec<String> = Vec::new();
    let mut current = String::new();
    for (i, v) in series.iter().enumerate() {
        match v {
            Some(v) => {
                if !current.is_empty() {
                    current.push(' ');
                }
                let _ = write!(current, "{:.1},{:.1}", x(i), y(*v));
            }
            None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    let points = series.iter().filter(|v| v.is_some()).count();
    let seconds = series.len() as u64;
    let step = tick_step(seconds);
    let grid: Vec<f64> = (1..=5).map(|k| -10.0 * f64::from(k)).collect();
    html! {
        svg xmlns="http://www.w3.org/2000/svg" class="plot loudness" viewBox=(format!("0 0 {W} {H}"))
            role="img" data-points=(points) {
            @if let Some((target, tol)) = band {
                rect class="band" x=(LEFT) y=(format!("{:.1}", y(target + tol)))
                    width=(W - LEFT - RIGHT)
                    height=(format!("{:.1}", y(target - tol) - y(target + tol))) {}
                line class="target" x1=(LEFT) x2=(W - RIGHT)
                    y1=(format!("{:.1}", y(target))) y2=(format!("{:.1}", y(target))) {}
            }
            @for g in &grid {
                line class="grid" x1=(LEFT) x2=(W - RIGHT)
                    y1=(format!("{:.1}", y(*g))) y2=(format!("{:.1}", y(*g))) {}
                text class="axis" x=(LEFT - 6.0) y=(format!("{:.1}", y(*g) + 4.0)) text-anchor="end" { (g) }
            }
            text class="axis" x="4" y="14" { "LUFS" }
            @for k in 0..=(seconds / step) {
                @let at = LEFT + (k * step) as f64 / n * (W - LEFT - RIGHT);
                line class="tick" x1=(format!("{at:.1}")) x2=(format!("{at:.1}"))
                    y1=(H - BOTTOM) y2=(H - BOTTOM + 4.0) {}
                text class="axis" x=(format!("{at:.1}")) y=(H - 10.0) text-anchor="middle" {
                    (super::clock(start + k * step))
                }
            }
            line class="frame" x1=(LEFT) x2=(LEFT) y1=(TOP) y2=(H - BOTTOM) {}
            line class="frame" x1=(LEFT) x2=(W - RIGHT) y1=(H - BOTTOM) y2=(H - BOTTOM) {}
            @for r in &runs {
                polyline class="series" points=(r) {}
            }
        }
    }
}

/// Channel names for `n` channels: 5.1 in SMPTE order, mono `M`, else
/// numbers; `single` names the one channel of a mono-set file.
pub fn channel_names(n: usize, single: Option<&str>) -> Vec<String> {
    match (n, single) {
        (1, Some(c)) => vec![c.to_string()],
        (1, None) => vec!["M".into()],
        (2, _) => vec!["L".into(), "R".into()],
        (6, _) => ["L", "R", "C", "LFE", "Ls", "Rs"]
            .map(String::from)
            .to_vec(),
        _ => (1..=n).map(|i| i.to_string()).collect(),
    }
}

/// True peak per channel as bars (a silent channel has none), against the
/// warning and error limits.
pub fn peaks(names: &[String], values: &[Option<f64>], warn: f64, error: f64) -> Markup {
    let h = 170.0;
    let w = (LEFT + RIGHT + 46.0 * names.len() as f64).max(200.0);
    let y = |v: f64| {
        let v = v.clamp(PEAK_BOTTOM, PEAK_TOP);
        TOP + (PEAK_TOP - v) / (PEAK_TOP - PEAK_BOTTOM) * (h - TOP - BOTTOM)
    };
    let base = y(PEAK_BOTTOM);
    let bars = values.iter().filter(|v| v.is_some()).count();
    html! {
        svg xmlns="http://www.w3.org/2000/svg" class="plot peaks" viewBox=(format!("0 0 {w} {h}"))
            width=(w) role="img" data-bars=(bars) {
            @for g in [-10.0f64, -20.0, -30.0] {
                line class="grid" x1=(LEFT) x2=(w - RIGHT)
                    y1=(format!("{:.1}", y(g))) y2=(format!("{:.1}", y(g))) {}
                text class="axis" x=(LEFT - 6.0) y=(format!("{:.1}", y(g) + 4.0)) text-anchor="end" { (g) }
            }
            text class="axis" x="4" y="14" { "dBTP" }
            @for (i, (name, v)) in names.iter().zip(values).enumerate() {
                @let x = LEFT + 8.0 + 46.0 * i as f64;
                @if let Some(v) = v {
                    @let class = if *v > error { "bar error" } else if *v > warn { "bar warn" } else { "bar" };
                    rect class=(class) x=(format!("{x:.1}")) y=(format!("{:.1}", y(*v)))
                        width="30" height=(format!("{:.1}", (base - y(*v)).max(0.5))) {
                        title { (format!("{name}: {v:.2} dBTP")) }
                    }
                    text class="value" x=(format!("{:.1}", x + 15.0)) y=(format!("{:.1}", y(*v) - 3.0))
                        text-anchor="middle" { (format!("{v:.1}")) }
                }
                text class="axis" x=(format!("{:.1}", x + 15.0)) y=(h - 12.0) text-anchor="middle" { (name) }
            }
            line class="limit warn" x1=(LEFT) x2=(w - RIGHT)
                y1=(format!("{:.1}", y(warn))) y2=(format!("{:.1}", y(warn))) {}
            line class="limit error" x1=(LEFT) x2=(w - RIGHT)
                y1=(format!("{:.1}", y(error))) y2=(format!("{:.1}", y(error))) {}
            line class="frame" x1=(LEFT) x2=(w - RIGHT) y1=(base) y2=(base) {}
        }
    }
}

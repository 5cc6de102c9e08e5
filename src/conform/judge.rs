//! From what the lockstep pass measured to facts (pure): each file's
//! offset, drift and slips, the M&E's channel map and polarity, where each
//! optional's material sits in the PM, the stretches of dialogue left in
//! the M&E, of level changes and of holes in the fill, and the print
//! master's dialogue-gated loudness. Thresholds of spec B5 live here; the
//! words are `check::conform`'s.

use serde::Serialize;

use super::session::GUIDE_ACTIVE;
use super::{Block, FileResult, Part, Report, Window, locked_flag};

/// Quieter blocks (mean square, about -70 dBFS) are not compared.
const FLOOR: f32 = 1e-7;
/// Blocks of dialogue mask either side of guide activity (300 ms).
const WIDEN: usize = 3;
/// An M&E this far under the PM's content (dB) is a hole, not a level.
const HOLE_DB: f64 = -10.0;

/// The guide, as the rules that need it see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GuideState {
    /// No guide in the delivery.
    Absent,
    /// The guide holds no dialogue (digital silence or nearly).
    Silent,
    /// The guide's content was not found in the PM.
    NoMatch,
    /// The guide was placed against the PM.
    Present,
}

/// A stretch of the programme, in PM frames, with its measure.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stretch {
    /// First PM frame.
    pub start: u64,
    /// PM frame after the last.
    pub end: u64,
    /// The measure in dB (level, or level relative to the guide).
    pub db: f64,
}

/// An offset that holds over part of the programme.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Slip {
    /// First PM frame where it was seen.
    pub start: u64,
    /// PM frame after the last window that saw it.
    pub end: u64,
    /// Frames late (negative: early).
    pub offset: i64,
}

/// A steady change of offset.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Drift {
    /// Parts per million (positive: the file's content falls later and later).
    pub ppm: f64,
    /// Offset at the head of the programme, in frames.
    pub head: f64,
    /// Offset at the tail.
    pub tail: f64,
    /// The largest distance of a window's offset from the line (samples):
    /// how far the head offset can be trusted.
    pub scatter: f64,
}

/// Where one channel of a file found its content in the PM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Placement {
    /// The file's channel.
    pub channel: usize,
    /// The PM channel holding its content.
    pub pm_channel: usize,
    /// True when the content is inverted.
    pub inverted: bool,
}

/// Facts about one file (not the PM).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileJudgement {
    /// Its index among the pass's inputs.
    pub index: usize,
    /// Its part.
    pub part: Part,
    /// Its channels' labels (a mono set's: each file's channel).
    pub labels: Vec<String>,
    /// Offset at the head in frames, None when no window matched.
    pub offset: Option<i64>,
    /// Offsets that differ from the head's over part of the programme.
    pub slips: Vec<Slip>,
    /// A steady drift, when there is one.
    pub drift: Option<Drift>,
    /// M&E or optional: where each of its audible channels sits in the PM.
    pub placements: Vec<Placement>,
    /// M&E: stretches where the guide's dialogue is in it (dB re the guide).
    pub dialogue: Vec<Stretch>,
    /// M&E: stretches of level change against the PM (dB).
    pub levels: Vec<Stretch>,
    /// M&E: holes in the fill (the M&E's level re the PM's content, dB).
    pub fill: Vec<Stretch>,
}

/// Everything the conform rules report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Judgement {
    /// The PM's index among the inputs.
    pub pm_index: usize,
    /// The PM's channel labels.
    pub pm_labels: Vec<String>,
    /// The guide's state.
    pub guide: GuideState,
    /// True when the levels were compared without centre channels (no
    /// usable guide to tell dialogue apart).
    pub levels_without_centre: bool,
    /// Per other file.
    pub files: Vec<FileJudgement>,
    /// The PM's dialogue-gated loudness (LKFS), when the guide allows it.
    pub dialogue_loudness: Option<f64>,
    /// Sample rate.
    pub rate: u32,
}

/// Judges a pass's report.
pub fn judge(report: &Report) -> Judgement {
    let guide = guide_state(report);
    let mask = dialogue_mask(report, guide);
    let files = report
        .files
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != report.pm_index)
        .map(|(index, f)| {
            let (offset, slips, drift) = timing(&f.windows, report.pm_frames);
            let mut j = FileJudgement {
                index,
                part: f.part,
                labels: f.labels.clone(),
                offset,
                slips,
                drift,
                placements: Vec::new(),
                dialogue: Vec::new(),
                levels: Vec::new(),
                fill: Vec::new(),
            };
            if offset.is_some() {
                j.placements = placements(f);
                if f.part == Part::Mne {
                    let no_c = guide != GuideState::Present;
                    j.fill = if no_c {
                        Vec::new()
                    } else {
                        fill(report, &mask)
                    };
                    j.levels = levels(report, &mask, no_c);
                    if guide == GuideState::Present {
                        j.dialogue = dialogue(report);
                    }
                }
            }
            j
        })
        .collect();
    Judgement {
        pm_index: report.pm_index,
        pm_labels: report
            .files
            .get(report.pm_index)
            .map(|f| f.labels.clone())
            .unwrap_or_default(),
        levels_without_centre: guide != GuideState::Present,
        dialogue_loudness: (guide == GuideState::Present)
            .then(|| dialogue_loudness(&report.blocks))
            .flatten(),
        guide,
        files,
        rate: report.rate,
    }
}

fn guide_state(report: &Report) -> GuideState {
    let Some(g) = report.files.iter().find(|f| f.part == Part::Guide) else {
        return GuideState::Absent;
    };
    if !report.blocks.iter().any(|b| b.guide > GUIDE_ACTIVE) {
        GuideState::Silent
    } else if g.windows.is_empty() {
        GuideState::NoMatch
    } else {
        GuideState::Present
    }
}

/// True for blocks within `WIDEN` of guide dialogue.
fn dialogue_mask(report: &Report, guide: GuideState) -> Vec<bool> {
    let n = report.blocks.len();
    let mut mask = vec![false; n];
    if guide != GuideState::Present {
        return mask;
    }
    for (k, b) in report.blocks.iter().enumerate() {
        if b.guide > GUIDE_ACTIVE {
            for m in &mut mask[k.saturating_sub(WIDEN)..(k + WIDEN + 1).min(n)] {
                *m = true;
            }
        }
    }
    mask
}

/// Head offset, slips and drift from the windows that matched.
fn timing(windows: &[Window], pm_frames: u64) -> (Option<i64>, Vec<Slip>, Option<Drift>) {
    if windows.is_empty() {
        return (None, Vec::new(), None);
    }
    if let Some(d) = drift(windows, pm_frames) {
        // The head is where the line meets the start: within the
        // windows' own scatter of 0 is in sync.
        let head = if d.head.abs() <= d.scatter {
            0
        } else {
            d.head.round() as i64
        };
        return (Some(head), Vec::new(), Some(d));
    }
    // Runs of one offset (a sample either way is the same run).
    let mut runs: Vec<(Slip, Vec<i64>)> = Vec::new();
    for w in windows {
        match runs.last_mut() {
            Some((run, seen)) if (w.offset - run.offset).abs() <= 1 => {
                run.end = w.at;
                seen.push(w.offset);
            }
            _ => runs.push((
                Slip {
                    start: w.at,
                    end: w.at,
                    offset: w.offset,
                },
                vec![w.offset],
            )),
        }
    }
    for (run, seen) in &mut runs {
        seen.sort_unstable();
        run.offset = seen[seen.len() / 2];
    }
    // Runs of a single window between two equal runs are noise.
    let head = runs
        .iter()
        .max_by_key(|(_, seen)| seen.len())
        .map_or(0, |(r, _)| r.offset);
    let slips = runs
        .iter()
        .filter(|(r, seen)| r.offset != head && seen.len() >= 2)
        .map(|(r, _)| *r)
        .collect();
    (Some(head), slips, None)
}

/// A straight-line fit of the offsets when it explains them and its slope
/// is over 20 ppm.
fn drift(windows: &[Window], pm_frames: u64) -> Option<Drift> {
    if windows.len() < 3 {
        return None;
    }
    let n = windows.len() as f64;
    let mx = windows.iter().map(|w| w.at as f64).sum::<f64>() / n;
    let my = windows.iter().map(|w| w.offset as f64).sum::<f64>() / n;
    let sxx: f64 = windows.iter().map(|w| (w.at as f64 - mx).powi(2)).sum();
    let sxy: f64 = windows
        .iter()
        .map(|w| (w.at as f64 - mx) * (w.offset as f64 - my))
        .sum();
    if sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let at = |x: f64| my + slope * (x - mx);
    let worst = windows
        .iter()
        .map(|w| (w.offset as f64 - at(w.at as f64)).abs())
        .fold(0.0, f64::max);
    let ppm = slope * 1e6;
    // Offsets are whole samples and a resampled file's content moves by
    // fractions: a few samples of scatter, or 2 % of the change.
    let span = (slope * (windows[windows.len() - 1].at as f64 - windows[0].at as f64)).abs();
    let allowed = 3.0f64.max(0.02 * span);
    (ppm.abs() > 20.0 && worst <= allowed).then(|| Drift {
        ppm,
        head: at(0.0),
        tail: at(pm_frames as f64),
        scatter: worst.max(1.0),
    })
}

/// Where each audible channel of the file sits in the PM: for the M&E the
/// PM channel that leaves the least residual (sign included); for an
/// optional the PM channel (less the M&E) that holds most of its content.
fn placements(f: &FileResult) -> Vec<Placement> {
    let Some(m) = &f.matrix else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in 0..f.channels.min(m.rows_energy.len()) {
        let e = m.rows_energy[i];
        if e <= 1e-9 * 48_000.0 {
            continue; // a silent channel (often the LFE) says nothing
        }
        let best = (0..m.cols())
            .map(|j| {
                let c = m.at(i, j);
                let score = if f.part == Part::Mne {
                    // Residual energy of PM_j - s * ME_i, relative to ME_i.
                    -(m.cols_energy[j] - 2.0 * c.abs() + e) / e
                } else {
                    // How much of the optional's channel the PM channel
                    // holds at unity (1 where it sits; dialogue or other
                    // material in that PM channel does not lower it).
                    c / e
                };
                (j, score, c < 0.0)
            })
            .max_by(|a, b| a.1.total_cmp(&b.1));
        let Some((j, score, inverted)) = best else {
            continue;
        };
        let confident = if f.part == Part::Mne {
            score > -0.5
        } else {
            score > 0.5
        };
        if confident {
            out.push(Placement {
                channel: i,
                pm_channel: j,
                inverted,
            });
        }
    }
    out
}

/// Holes in the fill: outside dialogue, the M&E more than 10 dB under the
/// PM's content (minus the optionals), in stretches of 0.5 s or more.
fn fill(report: &Report, mask: &[bool]) -> Vec<Stretch> {
    let candidate: Vec<bool> = report
        .blocks
        .iter()
        .zip(mask)
        .map(|(b, m)| !m && placed(b) && b.target > FLOOR && ratio_db(b.me, b.target) < HOLE_DB)
        .collect();
    let measured: Vec<bool> = report
        .blocks
        .iter()
        .zip(mask)
        .map(|(b, m)| !m && placed(b) && b.target > FLOOR)
        .collect();
    let runs = merge(&candidate, &measured, 10, 5);
    runs.into_iter()
        .map(|(s, e)| {
            // The level inside the hole: its first and last blocks
            // straddle its edges.
            let mut inner = candidate[s..e].to_vec();
            let first = inner.iter().position(|c| *c);
            let last = inner.iter().rposition(|c| *c);
            if let (Some(a), Some(b)) = (first, last) {
                if b > a + 1 {
                    inner[a] = false;
                    inner[b] = false;
                }
            }
            let (me, target) = sums(&report.blocks[s..e], &inner, |b| (b.me, b.target));
            stretch(report, s, e, ratio_db(me, target).max(-120.0))
        })
        .collect()
}

/// Level changes: outside dialogue and holes, the M&E against the PM's
/// content (minus the optionals) over 2 s windows; stretches of 2 s or
/// more whose level differs by 0.5 dB or more.
fn levels(report: &Report, mask: &[bool], no_c: bool) -> Vec<Stretch> {
    let blocks = &report.blocks;
    let pick = |b: &Block| {
        if no_c {
            (b.me_no_c, b.target_no_c)
        } else {
            (b.me, b.target)
        }
    };
    let eligible: Vec<bool> = blocks
        .iter()
        .zip(mask)
        .map(|(b, m)| {
            let (me, t) = pick(b);
            !m && placed(b) && t > FLOOR && me > FLOOR && ratio_db(me, t) >= HOLE_DB
        })
        .collect();
    let n = blocks.len();
    let flagged: Vec<bool> = (0..n)
        .map(|k| {
            if !eligible[k] {
                return false;
            }
            let (lo, hi) = (k.saturating_sub(10), (k + 10).min(n));
            let (me, t) = sums(&blocks[lo..hi], &eligible[lo..hi], pick);
            ratio_db(me, t).abs() >= 0.5
        })
        .collect();
    merge(&flagged, &eligible, 10, 1)
        .into_iter()
        .filter_map(|(mut s, mut e)| {
            // Trim the ends to where the blocks themselves differ.
            let off = |k: usize| {
                let (me, t) = pick(&blocks[k]);
                !eligible[k] || ratio_db(me, t).abs() < 0.25
            };
            while s < e && off(s) {
                s += 1;
            }
            while e > s && off(e - 1) {
                e -= 1;
            }
            (e - s >= 20).then(|| {
                let (me, t) = sums(&blocks[s..e], &eligible[s..e], pick);
                stretch(report, s, e, ratio_db(me, t))
            })
        })
        .filter(|st| st.db.abs() >= 0.5)
        .collect()
}

/// Dialogue left in the M&E: where the guide speaks, how much of the PM's
/// dialogue is missing from PM - optionals - M&E (so is in the M&E), per
/// 2 s of speech; stretches where 20 % or more of it is.
fn dialogue(report: &Report) -> Vec<Stretch> {
    let blocks = &report.blocks;
    let active: Vec<bool> = blocks
        .iter()
        .map(|b| {
            b.guide > GUIDE_ACTIVE
                && b.flags & locked_flag::ME != 0
                && b.flags & locked_flag::GUIDE != 0
        })
        .collect();
    let windows: Vec<(usize, usize, f64)> = (0..blocks.len())
        .step_by(20)
        .filter_map(|s| {
            let e = (s + 20).min(blocks.len());
            let (x, g) = sums(&blocks[s..e], &active[s..e], |b| {
                (b.residual_guide, b.guide)
            });
            (g > 0.0).then(|| (s, e, x / g))
        })
        .collect();
    let mut ratios: Vec<f64> = windows.iter().map(|w| w.2).collect();
    ratios.sort_by(f64::total_cmp);
    let Some(&b0) = ratios.get(ratios.len() / 2) else {
        return Vec::new();
    };
    if b0 <= 1e-3 {
        return Vec::new();
    }
    let flagged_windows: Vec<&(usize, usize, f64)> =
        windows.iter().filter(|w| 1.0 - w.2 / b0 >= 0.2).collect();
    let mut out: Vec<Stretch> = Vec::new();
    let mut current: Option<(usize, usize)> = None;
    let close = |s: usize, e: usize, out: &mut Vec<Stretch>| {
        let (x, g) = sums(&blocks[s..e], &active[s..e], |b| {
            (b.residual_guide, b.guide)
        });
        let a = 1.0 - (x / g) / b0;
        let first = (s..e).find(|&k| active[k]).unwrap_or(s);
        let last = (s..e).rev().find(|&k| active[k]).map_or(e, |k| k + 1);
        out.push(stretch(
            report,
            first,
            last,
            20.0 * (a * b0).max(1e-5).log10(),
        ));
    };
    for &&(s, e, _) in &flagged_windows {
        current = match current {
            Some((cs, ce)) if s <= ce + 20 => Some((cs, e)),
            Some((cs, ce)) => {
                close(cs, ce, &mut out);
                Some((s, e))
            }
            None => Some((s, e)),
        };
    }
    if let Some((cs, ce)) = current {
        close(cs, ce, &mut out);
    }
    out
}

/// BS.1770-4 over the 400 ms blocks (75 % overlap) where the guide speaks
/// in at least two of the four 100 ms blocks, with the absolute (-70
/// LKFS) and relative (-10 LU) gates.
fn dialogue_loudness(blocks: &[Block]) -> Option<f64> {
    let lkfs = |p: f64| -0.691 + 10.0 * p.log10();
    let powers: Vec<f64> = blocks
        .windows(4)
        .filter(|w| {
            w.iter()
                .filter(|b| b.guide > GUIDE_ACTIVE && b.flags & locked_flag::GUIDE != 0)
                .count()
                >= 2
        })
        .map(|w| w.iter().map(|b| f64::from(b.loudness_power)).sum::<f64>() / 4.0)
        .filter(|&p| p > 0.0 && lkfs(p) > -70.0)
        .collect();
    if powers.is_empty() {
        return None;
    }
    let mean = powers.iter().sum::<f64>() / powers.len() as f64;
    let gate = lkfs(mean) - 10.0;
    let kept: Vec<f64> = powers.into_iter().filter(|&p| lkfs(p) > gate).collect();
    (!kept.is_empty()).then(|| lkfs(kept.iter().sum::<f64>() / kept.len() as f64))
}

fn placed(b: &Block) -> bool {
    b.flags & locked_flag::ME != 0
}

fn ratio_db(a: impl Into<f64>, b: impl Into<f64>) -> f64 {
    let (a, b) = (a.into(), b.into());
    if b <= 0.0 {
        return 0.0;
    }
    10.0 * (a.max(1e-12) / b).log10()
}

/// Sums of a pair of features over the blocks `keep` marks.
fn sums(blocks: &[Block], keep: &[bool], f: impl Fn(&Block) -> (f32, f32)) -> (f64, f64) {
    blocks
        .iter()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(b, _)| f(b))
        .fold((0.0, 0.0), |(a, c), (x, y)| {
            (a + f64::from(x), c + f64::from(y))
        })
}

/// Runs of flagged blocks, bridging gaps of up to `gap` measured blocks
/// (blocks not measured, under dialogue or silent, bridge freely: one
/// defect across a line of dialogue is one stretch), of at least `min`
/// flagged blocks: `(start, end)` block ranges.
fn merge(flags: &[bool], measured: &[bool], gap: usize, min: usize) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize, usize)> = Vec::new();
    let mut missed = 0usize;
    for (k, &f) in flags.iter().enumerate() {
        if !f {
            if measured.get(k).copied().unwrap_or(true) {
                missed += 1;
            }
            continue;
        }
        match out.last_mut() {
            Some((_, e, n)) if missed <= gap => {
                *e = k + 1;
                *n += 1;
            }
            _ => out.push((k, k + 1, 1)),
        }
        missed = 0;
    }
    out.into_iter()
        .filter(|(_, _, n)| *n >= min)
        .map(|(s, e, _)| (s, e))
        .collect()
}

fn stretch(report: &Report, s: usize, e: usize, db: f64) -> Stretch {
    let b = report.block as u64;
    Stretch {
        start: s as u64 * b,
        end: (e as u64 * b).min(report.pm_frames),
        db,
    }
}

/// A matrix of one file (for tests of the rules).
#[cfg(test)]
pub(crate) fn matrix_for_test(rows: &[Vec<f32>], cols: &[Vec<f32>]) -> super::Matrix {
    let mut m = super::Matrix::new(rows.len());
    m.add(rows, cols);
    m
}

#[cfg(test)]
#[allow(clippy::many_single_char_names)] // channels named as in a mix: l, r, c
mod tests {
    use super::*;

    #[test]
    fn merge_bridges_small_gaps_and_drops_short_runs() {
        let f = |s: &str| s.chars().map(|c| c == '#').collect::<Vec<bool>>();
        let all = vec![true; 13];
        assert_eq!(merge(&f("##..##......#"), &all, 2, 2), vec![(0, 6)]);
        assert_eq!(merge(&f("#.#"), &all, 0, 1), vec![(0, 1), (2, 3)]);
        // Unmeasured blocks (dialogue) bridge whatever their number.
        let measured: Vec<bool> = "##......##".chars().map(|c| c == '#').collect();
        assert_eq!(merge(&f("##......##"), &measured, 0, 1), vec![(0, 10)]);
    }

    #[test]
    fn a_steady_slope_is_drift_and_a_constant_is_an_offset() {
        let w = |at: u64, offset: i64| Window {
            at,
            offset,
            confidence: 20.0,
        };
        let rate = 48_000u64;
        let drifting: Vec<Window> = (1..12)
            .map(|s| w(s * 5 * rate, (s * 5 * rate) as i64 / 1000))
            .collect();
        let (head, slips, d) = timing(&drifting, 60 * rate);
        let d = d.unwrap();
        assert!((d.ppm - 1000.0).abs() < 1.0, "{d:?}");
        assert_eq!(head, Some(0));
        assert!(slips.is_empty());
        let steady: Vec<Window> = (1..12).map(|s| w(s * 5 * rate, 4004)).collect();
        assert_eq!(timing(&steady, 60 * rate), (Some(4004), Vec::new(), None));
        let mut slipped = steady.clone();
        for x in &mut slipped[6..] {
            x.offset = 6006;
        }
        let (head, slips, d) = timing(&slipped, 60 * rate);
        assert_eq!((head, d), (Some(4004), None));
        assert_eq!(slips.len(), 1);
        assert_eq!(slips[0].offset, 6006);
    }

    #[test]
    fn a_swapped_and_an_inverted_channel_are_placed_where_they_are() {
        let noise = |seed: u32| -> Vec<f32> {
            let mut s = seed;
            (0..4800)
                .map(|_| {
                    s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    (s >> 8) as f32 / (1u32 << 24) as f32 - 0.5
                })
                .collect()
        };
        let (l, r, c) = (noise(1), noise(2), noise(3));
        let pm = vec![l.clone(), r.clone(), c.clone()];
        let inv: Vec<f32> = c.iter().map(|v| -v).collect();
        let me = vec![r, l, inv];
        let f = FileResult {
            part: Part::Mne,
            channels: 3,
            labels: vec!["L".into(), "R".into(), "C".into()],
            frames: 4800,
            windows: Vec::new(),
            matrix: Some(matrix_for_test(&me, &pm)),
        };
        let p = placements(&f);
        let got: Vec<(usize, usize, bool)> = p
            .iter()
            .map(|p| (p.channel, p.pm_channel, p.inverted))
            .collect();
        assert_eq!(got, vec![(0, 1, false), (1, 0, false), (2, 2, true)]);
    }
}

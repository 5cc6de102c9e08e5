//! The lockstep pass: every file of a delivery advanced together, block by
//! block, each from its own reader thread through a bounded channel, so
//! memory holds a few seconds per file whatever the programme length.
//!
//! Two things happen behind the front (the newest frame every file has
//! delivered): offset windows (GCC-PHAT of each file against the print
//! master, which keeps each file's offset tracked through drift), and a
//! little later the 100 ms content blocks, compared at each file's tracked
//! offset: the per-block energies and products the rules need (kept, a few
//! numbers per block) and the channel matrices (summed).

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, SyncSender};

use super::gcc::Correlator;
use super::ring::Ring;
use super::{Block, Chunk, FileResult, Input, Matrix, Message, Part, Report, Window, locked_flag};
use crate::analysis::loudness::{Biquad, KState, energies, k_weighting};

/// Windows below this score are no match (unrelated audio scores 4 to 5).
pub(crate) const CONFIDENCE: f32 = 8.0;

/// Timing of the pass, in frames, from the sample rate.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Timing {
    pub block: usize,
    pub window: usize,
    pub max_lag: usize,
    /// The largest offset tracked either way.
    pub max_offset: i64,
    /// Spacing of offset windows before the first match and after.
    pub search_spacing: u64,
    pub spacing: u64,
    /// How far content blocks stay behind the front.
    pub content_delay: u64,
    pub capacity: usize,
}

impl Timing {
    pub(crate) fn new(rate: u32, pm_frames: u64) -> Self {
        let rate = u64::from(rate.max(1000));
        // Rounded as the analysis's 100 ms sub-block is.
        let block = ((rate + 5) / 10) as usize;
        let window = if rate <= 48_000 { 1 << 15 } else { 1 << 16 };
        let max_lag = (rate / 2) as usize;
        let max_offset = (rate * 3 / 2) as i64;
        // About 200 windows over the programme, never closer than 5 s.
        let spacing = (pm_frames / 200).max(rate * 5);
        Timing {
            block,
            window,
            max_lag,
            max_offset,
            search_spacing: rate * 5 / 2,
            spacing,
            content_delay: rate * 3,
            // 5.5 s: the oldest frame a window or a block reads is 4.8 s
            // behind the front, and a file's newest chunk (at most 0.2 s
            // at 48 kHz) may be ahead of it.
            capacity: (rate * 11 / 2) as usize + block,
        }
    }
}

/// One source's way in: its description, the chunks of each of its files
/// (one, or a mono set's), and where the chunks go back for reuse.
pub(crate) struct Wire {
    pub input: Input,
    pub rx: Vec<Receiver<Message>>,
    pub spare: Vec<SyncSender<Chunk>>,
}

/// One source during the pass.
struct Track {
    input: Input,
    ring: Ring,
    rx: Vec<Receiver<Message>>,
    spare: Vec<SyncSender<Chunk>>,
    /// The analysis's loudness energy per 100 ms block not yet used:
    /// (block, energy), oldest first; `tapped` once any came.
    power: VecDeque<(u64, f64)>,
    power_frames: u64,
    tapped: bool,
    /// A mono set's files: each one's chunk being taken apart, and where.
    parts: Vec<Option<(Chunk, usize)>>,
    offset: i64,
    locked: bool,
    /// A jump from the tracked offset waiting for the next window to
    /// confirm it (one window on a loop or a lookalike must not move it).
    pending: Option<Window>,
    windows: Vec<Window>,
    matrix: Option<Matrix>,
}

/// Reusable buffers for one content block (no allocation per block).
#[derive(Default)]
struct Scratch {
    pm: Vec<Vec<f32>>,
    me: Vec<Vec<f32>>,
    opt: Vec<Vec<Vec<f32>>>,
    rest: Vec<Vec<f32>>,
    p: Vec<f32>,
    pn: Vec<f32>,
    o: Vec<f32>,
    on: Vec<f32>,
    m: Vec<f32>,
    mn: Vec<f32>,
    g: Vec<f32>,
    t: Vec<f32>,
    tn: Vec<f32>,
    r: Vec<f32>,
}

/// Runs the pass over `inputs` (exactly one print master among them),
/// each fed by its receiver, and returns what the rules need. Every
/// receiver is drained to its end, so no reader is left blocked.
pub(crate) fn run(rate: u32, inputs: Vec<Wire>) -> Report {
    let pm_index = inputs
        .iter()
        .position(|w| w.input.part == Part::PrintMaster)
        .unwrap_or(0);
    let pm_frames = inputs.get(pm_index).map_or(0, |w| w.input.frames);
    let t = Timing::new(rate, pm_frames);
    let mut tracks: Vec<Track> = inputs
        .into_iter()
        .map(|Wire { input, rx, spare }| Track {
            ring: Ring::new(input.channels, t.capacity),
            matrix: match input.part {
                Part::Mne | Part::Optional => Some(Matrix::new(input.channels)),
                _ => None,
            },
            parts: vec![None; rx.len()],
            power: VecDeque::new(),
            power_frames: 0,
            tapped: false,
            input,
            rx,
            spare,
            offset: 0,
            locked: false,
            pending: None,
            windows: Vec::new(),
        })
        .collect();
    if let Some(pm) = tracks.get_mut(pm_index) {
        pm.locked = true;
    }
    let mut pass = Pass::new(t, pm_index, &tracks, rate);
    let mut front: u64 = 0;
    loop {
        front += t.block as u64;
        for track in &mut tracks {
            track.fill(front, t.block as u64);
        }
        let finished = tracks.iter().all(|tr| tr.ring.done);
        // Once every file has ended (whole, or stopped early by a cancel
        // or an error), what is left is compared in one go, up to where
        // the print master's frames ended.
        let horizon = if finished { u64::MAX } else { front };
        pass.sync_until(horizon, &mut tracks);
        pass.content_until(horizon, &mut tracks);
        if finished {
            break;
        }
    }
    for track in &mut tracks {
        for rx in &track.rx {
            while rx.recv().is_ok() {}
        }
    }
    Report {
        rate,
        block: t.block,
        pm_frames,
        files: tracks
            .into_iter()
            .map(|tr| FileResult {
                part: tr.input.part,
                channels: tr.input.channels,
                labels: tr.input.labels,
                frames: tr.input.frames,
                windows: tr.windows,
                matrix: tr.matrix,
            })
            .collect(),
        blocks: pass.blocks,
        pm_index,
    }
}

impl Track {
    /// Takes chunks until the ring reaches `front` or the source ends,
    /// keeping the loudness energy that came with them per `block` frames.
    fn fill(&mut self, front: u64, block: u64) {
        while !self.ring.done && self.ring.end() < front {
            let Some((chunk, power)) = self.next_chunk() else {
                self.ring.done = true;
                break;
            };
            for (n, e) in power
                .into_iter()
                .filter(|_| self.input.part == Part::PrintMaster)
            {
                self.tapped = true;
                let k = self.power_frames / block.max(1);
                match self.power.back_mut() {
                    Some((b, sum)) if *b == k => *sum += e,
                    _ => self.power.push_back((k, e)),
                }
                self.power_frames += u64::from(n);
            }
            for old in self.ring.push(chunk) {
                self.recycle(old);
            }
        }
    }

    /// The loudness energy of block `k` the analysis sent (0 when none
    /// came for it), the older ones dropped; None when the source's
    /// analysis sends none.
    fn take_power(&mut self, k: u64) -> Option<f64> {
        if !self.tapped {
            return None;
        }
        while self.power.front().is_some_and(|(b, _)| *b < k) {
            self.power.pop_front();
        }
        match self.power.front() {
            Some(&(b, e)) if b == k => {
                self.power.pop_front();
                Some(e)
            }
            _ => Some(0.0),
        }
    }

    /// Gives a chunk the ring is done with back to its feed (a set's
    /// channels each to their file's), dropped when not wanted.
    fn recycle(&self, mut chunk: Chunk) {
        if let [one] = &self.spare[..] {
            let _ = one.try_send(chunk);
            return;
        }
        for (spare, column) in self.spare.iter().zip(chunk.drain(..)) {
            let _ = spare.try_send(vec![column]);
        }
    }

    /// The next chunk of the source: its file's, or a mono set's files'
    /// channels put side by side, as far as every file has come (a set
    /// ends with its shortest file).
    fn next_chunk(&mut self) -> Option<(Chunk, Vec<(u32, f64)>)> {
        if let [rx] = &self.rx[..] {
            return rx.recv().ok().map(|m| (m.samples, m.power));
        }
        for (k, rx) in self.rx.iter().enumerate() {
            while self.parts[k]
                .as_ref()
                .is_none_or(|(c, at)| frames(c) <= *at)
            {
                if let Some((old, _)) = self.parts[k].take() {
                    let _ = self.spare[k].try_send(old);
                }
                // A set's files' energies are each weighted as a file
                // alone: the pass weighs the set's channels itself.
                self.parts[k] = Some((rx.recv().ok()?.samples, 0));
            }
        }
        let n = self
            .parts
            .iter()
            .flatten()
            .map(|(c, at)| frames(c) - at)
            .min()?;
        let mut out = Vec::with_capacity(self.parts.len());
        for (c, at) in self.parts.iter_mut().flatten() {
            out.push(
                c.first()
                    .map_or_else(|| vec![0.0; n], |col| col[*at..*at + n].to_vec()),
            );
            *at += n;
        }
        Some((out, Vec::new()))
    }
}

/// Frames in a chunk.
fn frames(c: &Chunk) -> usize {
    c.iter().map(Vec::len).min().unwrap_or(0)
}

/// The state of the pass behind the front.
struct Pass {
    t: Timing,
    pm: usize,
    me: Option<usize>,
    guide: Option<usize>,
    optionals: Vec<usize>,
    corr: Correlator,
    next_window: u64,
    next_block: u64,
    blocks: Vec<Block>,
    k_filter: (Biquad, Biquad),
    k_states: Vec<KState>,
    weights: Vec<f64>,
    /// Guide energy of the blocks ahead of the next one (for the mask).
    guide_ahead: VecDeque<(u64, f32)>,
    scratch: Scratch,
}

/// Blocks of guide look-ahead and look-behind for the dialogue mask of the
/// channel matrices (300 ms either side).
const WIDEN: usize = 3;

/// Blocks between those added to the channel matrices.
const MATRIX_EVERY: u64 = 2;

/// Guide energy (mean square) above which a block holds dialogue (-60 dBFS).
pub(crate) const GUIDE_ACTIVE: f32 = 1e-6;

impl Pass {
    fn new(t: Timing, pm: usize, tracks: &[Track], rate: u32) -> Self {
        let find = |p: Part| tracks.iter().position(|tr| tr.input.part == p);
        let pm_channels = tracks.get(pm).map_or(1, |tr| tr.input.channels);
        // The analysis's BS.1770 weights, so the energy measured here is
        // the one a PM's analysis sends.
        let weights = tracks.get(pm).map_or_else(Vec::new, |tr| {
            let p = crate::analysis::AnalysisParams::from_labels(&tr.input.labels, rate);
            (0..tr.input.channels)
                .map(|c| {
                    if p.lfe_channel == Some(c) {
                        0.0
                    } else if p.surround_channels.contains(&c) {
                        1.41
                    } else {
                        1.0
                    }
                })
                .collect()
        });
        Pass {
            corr: Correlator::new(t.window, t.max_lag),
            next_window: t.window as u64,
            next_block: 0,
            blocks: Vec::new(),
            k_filter: k_weighting(f64::from(rate)),
            k_states: vec![KState::default(); pm_channels],
            weights,
            guide_ahead: VecDeque::new(),
            scratch: Scratch::default(),
            me: find(Part::Mne),
            guide: find(Part::Guide),
            optionals: tracks
                .iter()
                .enumerate()
                .filter(|(_, tr)| tr.input.part == Part::Optional)
                .map(|(i, _)| i)
                .collect(),
            pm,
            t,
        }
    }

    /// Runs the offset windows whose frames every file has delivered.
    fn sync_until(&mut self, front: u64, tracks: &mut [Track]) {
        let reach = self.t.max_lag as u64 + self.t.max_offset as u64;
        let pm_frames = delivered(&tracks[self.pm]);
        while self.next_window <= pm_frames && self.next_window.saturating_add(reach) <= front {
            let w = self.next_window;
            self.window_at(w, tracks);
            let searching = tracks.iter().any(|tr| !tr.locked);
            self.next_window += if searching {
                self.t.search_spacing
            } else {
                self.t.spacing
            };
        }
    }

    /// The offset of every file in the window ending at PM frame `w`.
    fn window_at(&mut self, w: u64, tracks: &mut [Track]) {
        let n = self.t.window;
        let start = w as i64 - n as i64;
        let mut pm_sum = vec![0.0f32; n];
        tracks[self.pm].ring.add_sum(start, &mut pm_sum);
        // P - M (dialogue and optionals) once the M&E is placed: a cleaner
        // reference for the guide and the optionals than the whole mix.
        let residual = self.me.filter(|&m| tracks[m].locked).map(|m| {
            let mut me = vec![0.0f32; n];
            tracks[m].ring.add_sum(start + tracks[m].offset, &mut me);
            pm_sum
                .iter()
                .zip(&me)
                .map(|(p, m)| p - m)
                .collect::<Vec<f32>>()
        });
        let lag = self.t.max_lag as i64;
        // Which reference the correlator holds (true: the residual), and
        // whether it was loud enough: each is transformed once a window.
        let mut held: Option<(bool, bool)> = None;
        for (idx, track) in tracks.iter_mut().enumerate() {
            if idx == self.pm {
                continue;
            }
            let (is_residual, reference) = match (&residual, track.input.part) {
                (Some(r), Part::Guide | Part::Optional) => (true, r),
                _ => (false, &pm_sum),
            };
            let from = start + track.offset - lag;
            if !track.ring.covers(from, self.corr.search_len()) {
                continue;
            }
            let loud = match held {
                Some((which, loud)) if which == is_residual => loud,
                _ => {
                    let loud = self.corr.reference(reference);
                    held = Some((is_residual, loud));
                    loud
                }
            };
            if !loud {
                continue;
            }
            let mut other = vec![0.0f32; self.corr.search_len()];
            track.ring.add_sum(from, &mut other);
            let Some(e) = self.corr.against(&other) else {
                continue;
            };
            if e.confidence < CONFIDENCE {
                continue;
            }
            let offset = track.offset + e.offset;
            if offset.abs() > self.t.max_offset {
                continue;
            }
            let window = Window {
                at: w - n as u64 / 2,
                offset,
                confidence: e.confidence,
            };
            // Drift moves the offset a little per window; a jump must be
            // seen twice.
            let steady = (self.t.spacing / 400).max(48) as i64;
            if track.locked && (offset - track.offset).abs() > steady {
                match track.pending {
                    Some(p) if (p.offset - offset).abs() <= steady => {
                        track.windows.push(p);
                        track.pending = None;
                    }
                    _ => {
                        track.pending = Some(window);
                        continue;
                    }
                }
            } else {
                track.pending = None;
            }
            track.offset = offset;
            track.locked = true;
            track.windows.push(window);
        }
    }

    /// Runs the content blocks far enough behind the front.
    fn content_until(&mut self, front: u64, tracks: &mut [Track]) {
        let block = self.t.block as u64;
        let pm_frames = delivered(&tracks[self.pm]);
        while self.next_block * block < pm_frames
            && (self.next_block + 1) * block + self.t.content_delay <= front
        {
            let start = self.next_block * block;
            let len = block.min(pm_frames - start) as usize;
            let b = self.block_at(start, len, tracks);
            self.blocks.push(b);
            self.next_block += 1;
        }
    }

    /// Guide energy of the block at PM frame `start`.
    fn guide_energy(&mut self, start: u64, len: usize, tracks: &[Track]) -> f32 {
        let Some(g) = self.guide else { return 0.0 };
        let mut sum = vec![0.0f32; len];
        tracks[g]
            .ring
            .add_sum(start as i64 + tracks[g].offset, &mut sum);
        mean_square(&sum)
    }

    /// True when no guide block within `WIDEN` either side holds dialogue.
    fn clear_of_dialogue(&mut self, start: u64, len: usize, tracks: &[Track]) -> bool {
        if self.guide.is_none() {
            return true;
        }
        let block = self.t.block as u64;
        let k = start / block;
        let lo = k.saturating_sub(WIDEN as u64);
        while self.guide_ahead.front().is_some_and(|(j, _)| *j < lo) {
            self.guide_ahead.pop_front();
        }
        for j in lo..=k + WIDEN as u64 {
            if !self.guide_ahead.iter().any(|(i, _)| *i == j) {
                let e = self.guide_energy(j * block, len.max(1), tracks);
                self.guide_ahead.push_back((j, e));
            }
        }
        self.guide_ahead.iter().all(|(_, e)| *e <= GUIDE_ACTIVE)
    }

    /// The features of the content block at PM frames `[start, start + len)`.
    // The block's sums go by the letters of spec B5's algebra (PM = M&E +
    // optionals + dialogue): P (PM), O (optionals), M (M&E), G (guide),
    // T = P - O, R = T - M; `n` marks a sum without centre channels.
    #[allow(clippy::many_single_char_names)]
    fn block_at(&mut self, start: u64, len: usize, tracks: &mut [Track]) -> Block {
        let s = start as i64;
        let pm_ch = tracks[self.pm].input.channels;
        let pm_c = centre(&tracks[self.pm].input);
        let sc = &mut self.scratch;
        for v in [
            &mut sc.p, &mut sc.pn, &mut sc.o, &mut sc.on, &mut sc.m, &mut sc.mn, &mut sc.g,
        ] {
            v.clear();
            v.resize(len, 0.0);
        }
        // PM channels.
        sc.pm.resize_with(pm_ch, Vec::new);
        for (ch, buf) in sc.pm.iter_mut().enumerate() {
            buf.resize(len, 0.0);
            tracks[self.pm].ring.read(ch, s, buf);
        }
        // The PM's analysis sent its energy; else it is measured here.
        let energy = match tracks[self.pm].take_power(start / self.t.block as u64) {
            Some(e) => e,
            None => k_power(&self.k_filter, &mut self.k_states, &self.weights, &sc.pm),
        };
        let loud = energy / len as f64;
        for (ch, buf) in sc.pm.iter().enumerate() {
            add(&mut sc.p, buf);
            if Some(ch) != pm_c {
                add(&mut sc.pn, buf);
            }
        }
        // Optionals, at their offsets (kept per channel for the matrices).
        sc.opt.resize_with(self.optionals.len(), Vec::new);
        for (k, &oi) in self.optionals.iter().enumerate() {
            let tr = &tracks[oi];
            // A mono optional counts as centre: it is most often a voice.
            let skip = if tr.input.channels == 1 {
                Some(0)
            } else {
                centre(&tr.input)
            };
            read_channels(tr, (s, len), &mut sc.opt[k], &mut sc.o, &mut sc.on, skip);
        }
        // A file is compared only where it has frames (a short M&E is the
        // length rule's, not a hole).
        let within = |tr: &Track| {
            let at = s + tr.offset;
            at >= 0 && (at + len as i64) as u64 <= tr.input.frames
        };
        let me_locked = self
            .me
            .is_some_and(|i| tracks[i].locked && within(&tracks[i]));
        // The M&E, per channel, at its offset.
        if let Some(mi) = self.me {
            let tr = &tracks[mi];
            let skip = centre(&tr.input);
            read_channels(tr, (s, len), &mut sc.me, &mut sc.m, &mut sc.mn, skip);
        }
        // The guide, at its offset.
        let guide_locked = self
            .guide
            .is_some_and(|i| tracks[i].locked && within(&tracks[i]));
        if let Some(gi) = self.guide {
            tracks[gi].ring.add_sum(s + tracks[gi].offset, &mut sc.g);
        }
        sc.t.clone_from(&sc.p);
        sub(&mut sc.t, &sc.o);
        sc.tn.clone_from(&sc.pn);
        sub(&mut sc.tn, &sc.on);
        sc.r.clone_from(&sc.t);
        sub(&mut sc.r, &sc.m);
        let block = Block {
            target: mean_square(&sc.t),
            me: mean_square(&sc.m),
            target_no_c: mean_square(&sc.tn),
            me_no_c: mean_square(&sc.mn),
            residual_guide: dot(&sc.r, &sc.g) / len as f32,
            guide: mean_square(&sc.g),
            loudness_power: loud as f32,
            flags: (u8::from(me_locked) * locked_flag::ME)
                | (u8::from(guide_locked) * locked_flag::GUIDE),
        };
        // Which channel carries which shows as well on every other block,
        // at half the cost (the products are the pass's largest work).
        if (start / self.t.block as u64) % MATRIX_EVERY == 0 {
            let clear = self.clear_of_dialogue(start, len, tracks);
            self.matrices(me_locked, clear, tracks);
        }
        block
    }

    /// Adds the block in the scratch buffers to the channel matrices: the
    /// M&E's outside dialogue (`clear`), each placed optional's always.
    fn matrices(&mut self, me_locked: bool, clear: bool, tracks: &mut [Track]) {
        let sc = &mut self.scratch;
        if let (true, Some(mi)) = (me_locked && clear, self.me) {
            if let Some(mx) = tracks[mi].matrix.as_mut() {
                mx.add(&sc.me, &sc.pm);
            }
        }
        if !self.optionals.iter().any(|&oi| tracks[oi].locked) {
            return;
        }
        // What the optionals are compared with: the PM less the M&E.
        sc.rest.resize_with(sc.pm.len(), Vec::new);
        for (ch, buf) in sc.rest.iter_mut().enumerate() {
            buf.clone_from(&sc.pm[ch]);
            if me_locked {
                if let Some(mec) = sc.me.get(ch) {
                    sub(buf, mec);
                }
            }
        }
        for (k, &oi) in self.optionals.iter().enumerate() {
            if !tracks[oi].locked {
                continue;
            }
            if let Some(mx) = tracks[oi].matrix.as_mut() {
                mx.add(&sc.opt[k], &sc.rest);
            }
        }
    }
}

/// The index of a file's centre channel, if it has one.
fn centre(input: &Input) -> Option<usize> {
    input.labels.iter().position(|l| l == "C")
}

/// The frames of a file the pass will have: all of them, or fewer when
/// its read stopped early.
fn delivered(track: &Track) -> u64 {
    if track.ring.done {
        track.input.frames.min(track.ring.end())
    } else {
        track.input.frames
    }
}

/// K-weighted energy of `channels` (BS.1770 channel `weights`), three
/// channels at a time: the filters of three channels run interleaved, as
/// fast as one alone.
fn k_power(
    filter: &(Biquad, Biquad),
    states: &mut [KState],
    weights: &[f64],
    channels: &[Vec<f32>],
) -> f64 {
    let weigh = |first: usize, sums: &[f64]| -> f64 {
        sums.iter()
            .enumerate()
            .map(|(k, e)| weights.get(first + k).copied().unwrap_or(1.0) * e)
            .sum()
    };
    let mut total = 0.0;
    let mut first = 0;
    for (s, x) in states.chunks_mut(3).zip(channels.chunks(3)) {
        total += match (s, x) {
            ([s0, s1, s2], [x0, x1, x2]) => {
                weigh(first, &energies(filter, [s0, s1, s2], [x0, x1, x2]))
            }
            ([s0, s1], [x0, x1]) => weigh(first, &energies(filter, [s0, s1], [x0, x1])),
            ([s0], [x0]) => weigh(first, &energies(filter, [s0], [x0])),
            _ => 0.0,
        };
        first += 3;
    }
    total
}

/// Reads every channel of `tr` at PM frame `s` (at its offset) into
/// `chans`, adding each to `all` and, but channel `skip`, to `no_c`.
fn read_channels(
    tr: &Track,
    (s, len): (i64, usize),
    chans: &mut Vec<Vec<f32>>,
    all: &mut [f32],
    no_c: &mut [f32],
    skip: Option<usize>,
) {
    chans.resize_with(tr.input.channels, Vec::new);
    for (ch, buf) in chans.iter_mut().enumerate() {
        buf.resize(len, 0.0);
        tr.ring.read(ch, s + tr.offset, buf);
        add(all, buf);
        if Some(ch) != skip {
            add(no_c, buf);
        }
    }
}

fn add(acc: &mut [f32], x: &[f32]) {
    for (a, v) in acc.iter_mut().zip(x) {
        *a += v;
    }
}

fn sub(acc: &mut [f32], x: &[f32]) {
    for (a, v) in acc.iter_mut().zip(x) {
        *a -= v;
    }
}

use super::{dot, mean_square};

//! Conform analysis (spec B5): is the M&E the print master's content, in
//! sync? Every audio file of a delivery is read once, all side by side
//! (`session`: a lockstep pass fed by one [`Feed`] per file), and
//! compared with the print master (PM): offsets to the sample and their
//! drift (`gcc`), which M&E channel carries which PM channel and with
//! which sign, where each optional's material sits, and per 100 ms block
//! the energies the stretch rules need. [`judge()`] turns that into facts
//! (pure), and `check::conform` into findings.
//!
//! Memory: a ring of about 6 s per file, a few numbers per 100 ms block
//! and one channel matrix per file, whatever the programme length.

use std::sync::mpsc::sync_channel;
use std::thread;

use serde::Serialize;

mod feed;
mod gcc;
pub mod judge;
mod ring;
mod select;
mod session;

pub use feed::{Feed, Lane};
pub use judge::{Judgement, judge};
pub use select::{Conform, LeftOut, Selection, select, side_by_side_label};

/// What a file is to the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// The reference: every other file is compared with it.
    PrintMaster,
    /// The M&E.
    Mne,
    /// The dialogue guide: where dialogue is.
    Guide,
    /// An optional track.
    Optional,
    /// The reference movie's sound: the PM is compared with it.
    Movie,
}

/// One file of the pass.
#[derive(Debug, Clone)]
pub struct Input {
    /// Its part.
    pub part: Part,
    /// Channels per frame.
    pub channels: usize,
    /// Channel labels (`L`, `C`, `LFE`...), one per channel.
    pub labels: Vec<String>,
    /// Frames in the file.
    pub frames: u64,
    /// Files that carry it: 1, or the files of a mono set (one channel
    /// each, in channel order), each fed through its own lane.
    pub members: usize,
}

/// One offset window: where in the PM, the file's offset there, and how
/// sure the correlation was.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Window {
    /// PM frame at the window's centre.
    pub at: u64,
    /// Frames the file's content is late there (negative: early).
    pub offset: i64,
    /// Peak over correlation RMS (8 or more counts).
    pub confidence: f32,
}

/// Products of a file's channels (rows) with the PM's (columns) over the
/// blocks compared, and each side's energy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    /// `rows * cols` sums of products, row-major.
    pub cross: Vec<f64>,
    /// Energy of each row channel.
    pub rows_energy: Vec<f64>,
    /// Energy of each column (PM) channel.
    pub cols_energy: Vec<f64>,
}

impl Matrix {
    fn new(rows: usize) -> Self {
        Matrix {
            rows,
            ..Matrix::default()
        }
    }

    /// Adds one block: `rows` channels of the file, `cols` of the PM.
    fn add(&mut self, rows: &[Vec<f32>], cols: &[Vec<f32>]) {
        if self.cols == 0 {
            self.cols = cols.len();
            self.cross = vec![0.0; self.rows * self.cols];
            self.rows_energy = vec![0.0; self.rows];
            self.cols_energy = vec![0.0; self.cols];
        }
        for (i, r) in rows.iter().enumerate().take(self.rows) {
            self.rows_energy[i] += f64::from(dot(r, r));
            for (j, c) in cols.iter().enumerate().take(self.cols) {
                self.cross[i * self.cols + j] += f64::from(dot(r, c));
            }
        }
        for (j, c) in cols.iter().enumerate().take(self.cols) {
            self.cols_energy[j] += f64::from(dot(c, c));
        }
    }

    /// The sum of products of row channel `i` with column channel `j`.
    pub fn at(&self, i: usize, j: usize) -> f64 {
        self.cross.get(i * self.cols + j).copied().unwrap_or(0.0)
    }

    /// Columns (PM channels) seen.
    pub fn cols(&self) -> usize {
        self.cols
    }
}

/// Mean square of `x` (0 when empty).
pub(crate) fn mean_square(x: &[f32]) -> f32 {
    if x.is_empty() {
        0.0
    } else {
        dot(x, x) / x.len() as f32
    }
}

/// The sum of products of `a` and `b` (as far as the shorter goes), in
/// sixteen running sums so that it vectorises.
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    const LANES: usize = 16;
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut acc = [0.0f32; LANES];
    let (ac, bc) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let tail: f32 = ac
        .remainder()
        .iter()
        .zip(bc.remainder())
        .map(|(x, y)| x * y)
        .sum();
    for (x, y) in ac.zip(bc) {
        for k in 0..LANES {
            acc[k] += x[k] * y[k];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// Flags of a block: which files were placed (offset found) by then.
pub mod locked_flag {
    /// The M&E had been placed.
    pub const ME: u8 = 1;
    /// The guide had been placed.
    pub const GUIDE: u8 = 2;
}

/// What one 100 ms block of the PM holds, compared at each file's offset.
/// Sums over channels: `target` = PM minus optionals; `me` = the M&E;
/// `_no_c` the same without centre channels (for a session without a
/// usable guide); mean squares per frame.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Block {
    /// Mean square of (PM - optionals).
    pub target: f32,
    /// Mean square of the M&E.
    pub me: f32,
    /// Mean square of (PM - optionals) without centre channels.
    pub target_no_c: f32,
    /// Mean square of the M&E without centre channels.
    pub me_no_c: f32,
    /// Mean product of (PM - optionals - M&E) with the guide.
    pub residual_guide: f32,
    /// Mean square of the guide.
    pub guide: f32,
    /// K-weighted, channel-weighted power of the PM (BS.1770).
    pub loudness_power: f32,
    /// [`locked_flag`]s.
    pub flags: u8,
}

/// One file's results of the pass.
#[derive(Debug, Clone)]
pub struct FileResult {
    /// Its part.
    pub part: Part,
    /// Channels.
    pub channels: usize,
    /// Channel labels.
    pub labels: Vec<String>,
    /// Frames.
    pub frames: u64,
    /// The offset windows that matched.
    pub windows: Vec<Window>,
    /// Channel products with the PM (M&E: with the PM; optional: with the
    /// PM minus the M&E), outside dialogue.
    pub matrix: Option<Matrix>,
}

/// Everything the pass measured, index-aligned with its inputs.
#[derive(Debug, Clone)]
pub struct Report {
    /// Sample rate.
    pub rate: u32,
    /// Frames per block.
    pub block: usize,
    /// Frames of the PM.
    pub pm_frames: u64,
    /// Which input is the PM.
    pub pm_index: usize,
    /// Per input file.
    pub files: Vec<FileResult>,
    /// Per PM block.
    pub blocks: Vec<Block>,
}

/// One message of a file's samples: one vector per channel (planar), a
/// few blocks or less of frames.
pub type Chunk = Vec<Vec<f32>>;

/// What a feed sends: a chunk of samples and, when the file's analysis
/// decoded them, the analysis's K-weighted, channel-weighted energy of
/// those frames in pieces that never cross a 100 ms block, `(frames,
/// energy)` (the pass then need not filter the print master again).
pub struct Message {
    /// The samples.
    pub samples: Chunk,
    /// The loudness energy of the same frames, in pieces (may be empty).
    pub power: Vec<(u32, f64)>,
}

/// Messages queued per file before its reader waits (a tapped span each,
/// 0.2 s at most at 48 kHz; 0.4 s from a feed that decodes for itself).
const QUEUE: usize = 3;

/// Blocks (100 ms) per message: few messages, few wake-ups.
const CHUNK_BLOCKS: usize = 4;

/// Starts the pass for `inputs` (one must be the print master) at `rate`:
/// returns one [`Lane`] per file (an input's `members` in a row; give each
/// to a [`Feed`]) and the thread that returns the report once every lane
/// is dropped.
pub fn start(rate: u32, inputs: Vec<Input>) -> (Vec<Lane>, thread::JoinHandle<Report>) {
    let chunk_frames = (rate / 10).max(1) as usize * CHUNK_BLOCKS;
    let mut lanes = Vec::with_capacity(inputs.len());
    let mut wired: Vec<session::Wire> = Vec::with_capacity(inputs.len());
    for input in inputs {
        let mut rx = Vec::new();
        let mut spare = Vec::new();
        // One lane per file: a mono set's files each send their channel.
        for _ in 0..input.members.max(1) {
            let (tx, r) = sync_channel::<Message>(QUEUE);
            // A few chunks to reuse; more are dropped (the pass never waits).
            let (spare_tx, s) = sync_channel(2);
            lanes.push(Lane {
                tx,
                spare: s,
                chunk_frames,
            });
            rx.push(r);
            spare.push(spare_tx);
        }
        wired.push(session::Wire { input, rx, spare });
    }
    let handle = thread::spawn(move || session::run(rate, wired));
    (lanes, handle)
}

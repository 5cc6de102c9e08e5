//! The wizard's data types: screens, overlays, edits, browser rows, the
//! review and pack states, worker messages, and the effects the model asks
//! the event loop to run.

use std::path::PathBuf;
use std::time::Duration;

use super::form::Field;
use super::keymap::{Key, Scope};
use super::plot::Plot;
use crate::analysis::Measurements;
use crate::check::Rule;
use crate::job::Job;
use crate::pack::flow::{PackReport, Prepared};
use crate::probe::Probed;
use crate::profile::Severity;
use crate::progress::Event;

/// The five steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// A season's episodes (before the steps, when the wizard opened a season).
    Season,
    /// Title, unit, rate, language, date, output.
    Job,
    /// The file browser and role assignment.
    Sources,
    /// The plan and findings.
    Review,
    /// Progress.
    Pack,
    /// The summary.
    Done,
}

impl Screen {
    /// The key-map scope of the screen.
    pub fn scope(self) -> Scope {
        match self {
            Screen::Season => Scope::Season,
            Screen::Job => Scope::Job,
            Screen::Sources => Scope::Sources,
            Screen::Review => Scope::Review,
            Screen::Pack => Scope::Pack,
            Screen::Done => Scope::Done,
        }
    }
}

/// A window over the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// The key list.
    Help,
    /// "Quit and lose work?"
    ConfirmQuit,
    /// "Cancel the pack?"
    ConfirmCancel,
    /// "Which stage folder?" (the browse root holds several sessions).
    ChooseSet,
}

/// What a text edit is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditTarget {
    /// A job form field.
    Field(Field),
    /// An optional track's description (by its index in the job's optionals).
    Desc(usize),
    /// The source filter.
    Filter,
}

/// A text edit in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// What it edits.
    pub target: EditTarget,
    /// The text so far.
    pub buffer: String,
}

/// How bad a status line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Information.
    Info,
    /// Something went wrong.
    Error,
}

/// A probed (or not yet probed) file of the browser.
#[derive(Debug, Clone, PartialEq)]
pub enum ProbeState {
    /// Not probed yet.
    Pending,
    /// Not media mnepack offers (debris, unknown extension).
    Skipped,
    /// Header facts.
    Ok(Box<Probed>),
    /// Unreadable.
    Failed(String),
}

/// One row of the browser.
#[derive(Debug, Clone, PartialEq)]
pub struct FileRow {
    /// The file.
    pub path: PathBuf,
    /// Path relative to the browse root.
    pub name: String,
    /// Hidden, AppleDouble or `.DS_Store`: shown dimmed, never selectable.
    pub debris: bool,
    /// What the probe found.
    pub state: ProbeState,
}

/// The review step's state.
#[derive(Debug, Clone, Default)]
pub struct Review {
    /// The job being planned.
    pub job: Option<Job>,
    /// The plan, once ready.
    pub prepared: Option<Prepared>,
    /// QC findings known from the headers (spec B4), for the plan.
    pub findings: Vec<crate::check::Finding>,
    /// The profile the plan was made with (its QC limits flag the
    /// measurements while packing).
    pub profile: Option<crate::profile::Profile>,
    /// Why there is no plan.
    pub error: Option<String>,
    /// Why `pack` would refuse the plan (shown, and Enter refused).
    pub refusal: Option<String>,
    /// Waiting for the worker.
    pub busy: bool,
    /// Selected plan row.
    pub cursor: usize,
}

/// The pack step's state.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PackState {
    /// `pack` or `verify`.
    pub phase: String,
    /// Files in the phase.
    pub files: usize,
    /// Bytes in the phase.
    pub total: u64,
    /// Bytes done in the phase.
    pub done: u64,
    /// The current file: name, size, bytes done.
    pub current: Option<(String, u64, u64)>,
    /// Files finished, with their phase.
    pub finished: Vec<(String, String)>,
    /// Measurements of the files read so far, index-aligned with the
    /// plan's items (None: not read yet, or video).
    pub measurements: Vec<Option<Measurements>>,
    /// What each measured file shows, in the order they finished.
    pub measured: Vec<FileMeasure>,
    /// Each measured file's plots, in the order they finished (Review
    /// draws them after a pack that stopped).
    pub plots: Vec<Plot>,
    /// Time since the pack started.
    pub elapsed: Duration,
    /// Time when the phase started.
    pub phase_start: Duration,
    /// The pack is running.
    pub running: bool,
    /// Cancel was asked.
    pub cancelling: bool,
    /// Why the pack failed.
    pub error: Option<String>,
    /// What the pack said about its work (a resume re-used kept files).
    pub notes: Vec<String>,
}

/// A rule a measured file breaks (a warning or an error of the profile).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    /// How serious (from the profile's severity table).
    pub severity: Severity,
    /// The rule.
    pub rule: Rule,
}

/// One file's measurements as the pack screen shows them.
#[derive(Debug, Clone, PartialEq)]
pub struct FileMeasure {
    /// The delivered file name (as in the progress events).
    pub name: String,
    /// Integrated loudness in LUFS (None: not measurable).
    pub lufs: Option<f64>,
    /// Highest true peak in dBTP (None: silent).
    pub true_peak: Option<f64>,
    /// Rules broken by the measurements known so far, worst first.
    pub flags: Vec<Flag>,
}

/// A plan ready for review: the prepared plan, its header findings and
/// the profile it was made with.
#[derive(Debug, Clone)]
pub struct Planned {
    /// Probed sources and the plan.
    pub prepared: Prepared,
    /// QC findings known from the headers.
    pub findings: Vec<crate::check::Finding>,
    /// The delivery profile.
    pub profile: crate::profile::Profile,
    /// Why `pack` would refuse this plan before writing (a root inside a
    /// source folder, an existing root, a skipped delivery number...).
    pub refusal: Option<String>,
}

/// Loudness of one delivered file, from the manifest.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// Path relative to the delivery root.
    pub path: String,
    /// Integrated loudness.
    pub lufs: Option<f64>,
    /// Highest true peak.
    pub true_peak: Option<f64>,
}

/// What a finished pack left.
#[derive(Debug, Clone)]
pub struct DoneInfo {
    /// The pack's report.
    pub report: PackReport,
    /// Measurements per file.
    pub measured: Vec<Measured>,
    /// The plots of every measured audio file, in manifest order.
    pub plots: Vec<Plot>,
}

/// Results from the worker threads.
#[derive(Debug, Clone)]
pub enum WorkerMsg {
    /// The browse root's listing (every file, debris included).
    Listed(Vec<PathBuf>),
    /// One file probed.
    Probed(PathBuf, Result<Box<Probed>, String>),
    /// Every file probed.
    ScanDone,
    /// The plan of a job (or why not); a plan of a job that is no longer
    /// the one under review is dropped.
    Prepared(Box<Job>, Result<Box<Planned>, String>),
    /// Pack progress, with the time since the pack started.
    Progress(Event, Duration),
    /// The pack's outcome.
    Packed(Result<Box<DoneInfo>, String>),
    /// A previous delivery of the same title/unit (its manifest).
    Previous(Option<PathBuf>),
    /// The job file was saved (where).
    Saved(Result<PathBuf, String>),
    /// The delivery report was written (where).
    Reported(Result<PathBuf, String>),
    /// Where an episode of the season stands now.
    Episode(usize, EpisodeStatus),
    /// The season's packing is over (all packed, or stopped).
    SeasonPacked,
}

/// Something that happened.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key press.
    Key(Key),
    /// A worker result.
    Worker(WorkerMsg),
    /// The terminal went away or a signal asked the wizard to stop.
    Hangup,
}

/// Work the event loop does for the app.
#[derive(Debug, Clone)]
pub enum Effect {
    /// List and probe the browse root.
    Scan(PathBuf),
    /// Probe and plan a job.
    Prepare(Box<Job>),
    /// Pack a planned job.
    Pack(Box<(Job, Prepared)>),
    /// Cancel the running pack.
    Cancel,
    /// Write the job file (`path`, or a fresh `job.yaml` name in `dir`).
    Save {
        /// The file to (over)write.
        path: Option<PathBuf>,
        /// Where a fresh name goes.
        dir: PathBuf,
        /// Its text.
        text: String,
    },
    /// Look for the latest delivery of the job's title and unit under
    /// `output` (named by its profile's `root_template`, as `pack` does).
    FindPrevious {
        /// The output folder.
        output: PathBuf,
        /// The form's job (a placeholder source): title, unit, profile.
        job: Box<Job>,
    },
    /// (Re)write the delivery report from the manifest, as `pack` did.
    Report {
        /// The delivery's `<root>.yaml`.
        manifest: PathBuf,
        /// The page to write (`<root>.html`).
        out: PathBuf,
        /// Every file was read back at packing.
        verified: bool,
        /// The plan's profile limits (else the manifest's built-in profile).
        limits: Option<crate::report::Limits>,
    },
    /// Look where each episode of the season stands (index, job).
    SeasonStates(Vec<(usize, Job)>),
    /// Pack these episodes of the season, one after another.
    PackSeason(Vec<(usize, Job)>),
}

/// Where an episode stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EpisodeStatus {
    /// Not looked at yet.
    Looking,
    /// Never delivered: ready to pack.
    New,
    /// Delivered, but its sources changed since: ready to redeliver.
    Changed,
    /// A pack of it was stopped: ready to resume.
    Unfinished,
    /// Delivered from these very sources (the root's name).
    Delivered(String),
    /// Being packed: the phase and how far, in percent.
    Packing(&'static str, u8),
    /// Packed in this session (the root's name, QC warnings).
    PackedNow(String, usize),
    /// QC errors stopped its pack (how many).
    Refused(usize),
    /// It cannot be packed: why.
    Failed(String),
    /// Its pack was stopped before it finished.
    Stopped,
}

impl EpisodeStatus {
    /// True when "pack all" takes it.
    pub fn ready(&self) -> bool {
        matches!(
            self,
            EpisodeStatus::New
                | EpisodeStatus::Changed
                | EpisodeStatus::Unfinished
                | EpisodeStatus::Stopped
        )
    }
}

/// One episode's row.
#[derive(Debug, Clone)]
pub struct EpisodeRow {
    /// Its job.
    pub job: Job,
    /// Where it stands.
    pub status: EpisodeStatus,
}

/// The season screen's state.
#[derive(Debug, Clone)]
pub struct SeasonView {
    /// The season file (or where `init` would write it).
    pub file: PathBuf,
    /// Guessed from the folder's layout: no season file was read.
    pub guessed: bool,
    /// The episodes, in the file's order.
    pub episodes: Vec<EpisodeRow>,
    /// The selected row.
    pub cursor: usize,
    /// The episode open in the steps, if any.
    pub open: Option<usize>,
}

impl SeasonView {
    /// A season of `jobs` read from `file`, each episode not yet looked at.
    pub fn new(file: PathBuf, guessed: bool, jobs: Vec<Job>) -> Self {
        SeasonView {
            file,
            guessed,
            episodes: jobs
                .into_iter()
                .map(|job| EpisodeRow {
                    job,
                    status: EpisodeStatus::Looking,
                })
                .collect(),
            cursor: 0,
            open: None,
        }
    }

    /// Every episode, to look where each stands.
    pub fn all(&self) -> Vec<(usize, Job)> {
        self.episodes
            .iter()
            .enumerate()
            .map(|(i, e)| (i, e.job.clone()))
            .collect()
    }
}

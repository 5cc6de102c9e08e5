//! The season screen's model (issue 20): a season's episodes, where each
//! stands (looked up by the worker with `season::state`), and what the
//! keys do there: open an episode in the wizard's steps (back-tab on its
//! first step or after its pack returns here), or pack every ready
//! episode one after another (`season::pack::pack_episode`, as the CLI
//! does), the rows updating as they go. No I/O here.

use std::path::PathBuf;

use super::app::{App, Effect, PackState, Review, Screen};
use super::form::JobForm;
use super::keymap::Action;
use super::strings as s;
use crate::job::Job;

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

impl App {
    /// The effect that looks where every episode stands.
    pub(super) fn season_states(&self) -> Vec<Effect> {
        self.season
            .as_ref()
            .map(|v| vec![Effect::SeasonStates(v.all())])
            .unwrap_or_default()
    }

    /// The season screen's keys.
    pub(super) fn season_action(&mut self, a: Action) -> Vec<Effect> {
        let running = self.pack.running;
        let Some(view) = self.season.as_mut() else {
            return Vec::new();
        };
        let n = view.episodes.len();
        match a {
            Action::Up => view.cursor = view.cursor.saturating_sub(1),
            Action::Down => view.cursor = (view.cursor + 1).min(n.saturating_sub(1)),
            Action::Edit if running => self.error(s::SEASON_BUSY),
            Action::Edit => self.open_episode(),
            Action::PackAll if running => self.error(s::SEASON_BUSY),
            Action::PackAll => return self.pack_all(),
            Action::Cancel if running => {
                self.overlay = Some(super::app::Overlay::ConfirmCancel);
            }
            _ => {}
        }
        Vec::new()
    }

    /// Opens the selected episode in the steps, its job in the form.
    fn open_episode(&mut self) {
        let Some(view) = self.season.as_mut() else {
            return;
        };
        let Some(row) = view.episodes.get(view.cursor) else {
            return;
        };
        let job = row.job.clone();
        view.open = Some(view.cursor);
        self.form = JobForm::from_job(&job);
        self.sources = job.sources.clone();
        self.previous.clone_from(&job.previous);
        self.job_path = None;
        self.review = Review::default();
        self.pack = PackState::default();
        self.done = None;
        self.dirty = false;
        self.field = 0;
        self.screen = Screen::Job;
        self.info(format!("{}{}", s::SEASON_OPENED, job.unit));
    }

    /// Back to the season screen from an episode's steps; where each
    /// episode stands is looked up again.
    pub(super) fn back_to_season(&mut self) -> Vec<Effect> {
        if let Some(v) = self.season.as_mut() {
            v.open = None;
        }
        self.screen = Screen::Season;
        self.status = None;
        self.season_states()
    }

    /// Packs every ready episode, one after another.
    fn pack_all(&mut self) -> Vec<Effect> {
        let Some(view) = self.season.as_mut() else {
            return Vec::new();
        };
        let ready: Vec<(usize, Job)> = view
            .episodes
            .iter()
            .enumerate()
            .filter(|(_, e)| e.status.ready())
            .map(|(i, e)| (i, e.job.clone()))
            .collect();
        if ready.is_empty() {
            self.info(s::SEASON_NOTHING_READY);
            return Vec::new();
        }
        self.pack = PackState {
            running: true,
            ..PackState::default()
        };
        self.info(format!("{}{}", s::SEASON_PACKING, ready.len()));
        vec![Effect::PackSeason(ready)]
    }

    /// A worker's word about episode `i`.
    pub(super) fn episode_status(&mut self, i: usize, status: EpisodeStatus) {
        if let Some(row) = self.season.as_mut().and_then(|v| v.episodes.get_mut(i)) {
            row.status = status;
        }
    }

    /// The season's packing is over.
    pub(super) fn season_packed(&mut self) {
        let cancelled = self.pack.cancelling;
        self.pack = PackState::default();
        let Some(view) = &self.season else {
            return;
        };
        let done = view
            .episodes
            .iter()
            .filter(|e| matches!(e.status, EpisodeStatus::PackedNow(..)))
            .count();
        let text = if cancelled {
            s::SEASON_STOPPED.to_string()
        } else {
            format!("{}{done}", s::SEASON_DONE)
        };
        self.info(text);
    }
}

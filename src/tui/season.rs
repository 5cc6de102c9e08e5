//! The season screen's keys and worker results (issue 20; its state,
//! `SeasonView`, lives in `model.rs`): where each episode stands (looked
//! up by the worker with `season::state`), opening an episode in the
//! wizard's steps (back-tab on its first step or on Done returns here),
//! and packing every ready episode one after another
//! (`season::pack::pack_episode`, as the CLI does), the rows updating as
//! they go. No I/O here.

use super::app::{App, Effect, EpisodeStatus, PackState, Review, Screen};

use super::form::JobForm;
use super::keymap::Action;
use super::strings as s;
use crate::job::Job;

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
            Action::Open | Action::PackAll if running => self.error(s::SEASON_BUSY),
            Action::Open => self.open_episode(),
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

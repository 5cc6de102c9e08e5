//! The wizard's model: every screen's state, the messages it receives (keys
//! and worker results) and the effects it asks for. `App::update` is the
//! only place state changes; it does no I/O (the event loop runs effects).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::form::{FIELDS, Field, JobForm};
use super::keymap::{Action, Key, KeyMap, Scope};
pub use super::model::{
    DoneInfo, Edit, EditTarget, Effect, EpisodeRow, EpisodeStatus, FileMeasure, FileRow, Flag,
    Level, Measured, Msg, Overlay, PackState, Planned, ProbeState, Review, Screen, SeasonView,
    WorkerMsg,
};
use super::plot::Detail;
use super::strings as s;
use crate::job::{Job, Sources};

/// The whole wizard.
#[derive(Debug, Clone)]
#[allow(clippy::struct_excessive_bools)] // independent flags of the model
pub struct App {
    /// The current step.
    pub screen: Screen,
    /// A window over it.
    pub overlay: Option<Overlay>,
    /// The key bindings.
    pub keymap: KeyMap,
    /// Use colour (false under NO_COLOR).
    pub color: bool,
    /// The browse root (absolute); relative job paths resolve against it.
    pub root: PathBuf,
    /// The job file to save to (loaded from, or last saved).
    pub job_path: Option<PathBuf>,
    /// Today (the default date).
    pub today: NaiveDate,
    /// The job form.
    pub form: JobForm,
    /// Selected form field.
    pub field: usize,
    /// A text edit in progress.
    pub edit: Option<Edit>,
    /// The browser's files.
    pub files: Vec<FileRow>,
    /// Still probing.
    pub scanning: bool,
    /// Selected row among the visible files.
    pub cursor: usize,
    /// The filter text.
    pub filter: String,
    /// Role assignments.
    pub sources: Sources,
    /// The review step.
    pub review: Review,
    /// The pack step.
    pub pack: PackState,
    /// The summary, once packed.
    pub done: Option<Box<DoneInfo>>,
    /// The status line.
    pub status: Option<(Level, String)>,
    /// Changes since the last save.
    pub dirty: bool,
    /// The previous delivery's manifest (from the job file, or found under
    /// the output folder): the wizard then plans a redelivery.
    pub previous: Option<PathBuf>,
    /// Scroll offset of the summary.
    pub scroll: u16,
    /// The stage folders found when the browse root holds several
    /// sessions (the wizard asks which one to guess roles from).
    pub sessions: Vec<crate::guess::Session>,
    /// The highlighted stage folder of that question.
    pub set_cursor: usize,
    /// One audio file's plots, over Review or Done.
    pub detail: Option<Detail>,
    /// Time to leave.
    pub quit: bool,
    /// Left because the terminal went away or a signal came (exit 130).
    pub hung_up: bool,
    /// The season the wizard opened, when it opened one.
    pub season: Option<SeasonView>,
}

impl App {
    /// A wizard browsing `root`, pre-filled from `job` when given.
    pub fn new(root: &Path, job: Option<(PathBuf, Job)>, today: NaiveDate, keymap: KeyMap) -> Self {
        let previous = job.as_ref().and_then(|(_, j)| j.previous.clone());
        let (form, sources, job_path) = match job {
            Some((path, job)) => (JobForm::from_job(&job), job.sources.clone(), Some(path)),
            None => (JobForm::new(root, today), Sources::default(), None),
        };
        App {
            screen: Screen::Job,
            overlay: None,
            keymap,
            color: true,
            root: root.to_path_buf(),
            job_path,
            today,
            form,
            field: 0,
            edit: None,
            files: Vec::new(),
            scanning: true,
            cursor: 0,
            filter: String::new(),
            sources,
            review: Review::default(),
            pack: PackState::default(),
            done: None,
            status: None,
            dirty: false,
            previous,
            scroll: 0,
            sessions: Vec::new(),
            set_cursor: 0,
            detail: None,
            quit: false,
            hung_up: false,
            season: None,
        }
    }

    /// A wizard that opens on a season's episodes (browsing `root`).
    pub fn for_season(root: &Path, season: SeasonView, today: NaiveDate, keymap: KeyMap) -> Self {
        let mut app = App::new(root, None, today, keymap);
        app.screen = Screen::Season;
        app.season = Some(season);
        app
    }

    /// The effects to run at start: scan the browse root.
    pub fn start(&self) -> Vec<Effect> {
        let mut effects = vec![Effect::Scan(self.root.clone())];
        effects.extend(self.season_states());
        effects
    }

    /// The key-map scope in force (a question overrides the screen).
    pub fn scope(&self) -> Scope {
        match self.overlay {
            Some(Overlay::ConfirmQuit | Overlay::ConfirmCancel) => Scope::Confirm,
            Some(Overlay::ChooseSet) => Scope::Choose,
            _ => self.view_scope(),
        }
    }

    /// The scope of what is on screen: the plots, else the step.
    pub fn view_scope(&self) -> Scope {
        if self.detail.is_some() {
            Scope::Detail
        } else {
            self.screen.scope()
        }
    }

    /// True when quitting now would lose work.
    pub fn work_at_risk(&self) -> bool {
        self.pack.running || (self.dirty && self.screen != Screen::Done)
    }

    /// The base folder of the job (the job file's folder, else the root).
    pub fn base_dir(&self) -> PathBuf {
        self.job_path
            .as_deref()
            .and_then(Path::parent)
            .map_or_else(|| self.root.clone(), Path::to_path_buf)
    }

    /// The job as the form and assignments stand.
    pub fn job(&self) -> Result<Job, String> {
        let mut job = self
            .form
            .to_job(&self.sources, &self.base_dir(), self.today)?;
        // A previous delivery of this title and unit (named by the job file
        // or found under the output folder) makes this a redelivery.
        if job.previous.is_none() {
            job.previous.clone_from(&self.previous);
        }
        Ok(job)
    }

    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.status = Some((Level::Info, text.into()));
    }

    pub(super) fn error(&mut self, text: impl Into<String>) {
        self.status = Some((Level::Error, text.into()));
    }

    /// Applies one message; returns the effects to run.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(k) => self.key(k),
            Msg::Worker(w) => self.worker(w),
            Msg::Hangup => self.hangup(),
        }
    }

    /// Leaves at once: a pack in flight is cancelled as the cancel key
    /// does (its finished files are kept; packing again resumes).
    fn hangup(&mut self) -> Vec<Effect> {
        self.hung_up = true;
        self.quit = true;
        self.overlay = None;
        if self.pack.running {
            self.pack.cancelling = true;
            vec![Effect::Cancel]
        } else {
            Vec::new()
        }
    }

    fn key(&mut self, k: Key) -> Vec<Effect> {
        match self.overlay {
            Some(Overlay::Help) => {
                self.overlay = None;
                return Vec::new();
            }
            Some(Overlay::ChooseSet) => {
                self.choose_set(self.keymap.action(Scope::Choose, k));
                return Vec::new();
            }
            Some(o) => {
                let yes = self.keymap.action(Scope::Confirm, k) == Some(Action::Yes);
                let no = self.keymap.action(Scope::Confirm, k) == Some(Action::No);
                if yes || no {
                    self.overlay = None;
                }
                return match (o, yes) {
                    (Overlay::ConfirmQuit, true) => {
                        self.quit = true;
                        if self.pack.running {
                            vec![Effect::Cancel]
                        } else {
                            Vec::new()
                        }
                    }
                    (Overlay::ConfirmCancel, true) => {
                        self.pack.cancelling = true;
                        self.info(s::CANCELLING);
                        vec![Effect::Cancel]
                    }
                    _ => Vec::new(),
                };
            }
            None => {}
        }
        if self.edit.is_some() {
            return self.edit_key(k);
        }
        let Some(action) = self.keymap.action(self.view_scope(), k) else {
            return Vec::new();
        };
        self.action(action)
    }

    fn action(&mut self, a: Action) -> Vec<Effect> {
        match a {
            Action::Help => {
                self.overlay = Some(Overlay::Help);
                Vec::new()
            }
            Action::Quit => {
                if self.work_at_risk() {
                    self.overlay = Some(Overlay::ConfirmQuit);
                } else {
                    self.quit = true;
                }
                Vec::new()
            }
            Action::Save => self.save(),
            Action::Next => self.next(),
            Action::Back
                if self.season.is_some() && matches!(self.screen, Screen::Job | Screen::Done) =>
            {
                self.back_to_season()
            }
            Action::Back => {
                self.back();
                Vec::new()
            }
            Action::Plot | Action::Close | Action::PrevFile | Action::NextFile => {
                self.plots_action(a);
                Vec::new()
            }
            Action::Report => self.report(),
            _ => match self.screen {
                Screen::Season => self.season_action(a),
                Screen::Job => {
                    self.job_action(a);
                    Vec::new()
                }
                Screen::Sources => {
                    self.sources_action(a);
                    Vec::new()
                }
                Screen::Review => self.review_action(a),
                Screen::Pack => {
                    if a == Action::Cancel && self.pack.running {
                        self.overlay = Some(Overlay::ConfirmCancel);
                    }
                    Vec::new()
                }
                Screen::Done => {
                    match a {
                        Action::Up => self.scroll = self.scroll.saturating_sub(1),
                        Action::Down => self.scroll = self.scroll.saturating_add(1),
                        _ => {}
                    }
                    Vec::new()
                }
            },
        }
    }

    fn save(&mut self) -> Vec<Effect> {
        match self.job() {
            Ok(job) => vec![Effect::Save {
                path: self.job_path.clone(),
                dir: self.base_dir(),
                text: job.to_yaml(),
            }],
            Err(e) => {
                self.error(format!("{}{e}", s::CANNOT_SAVE));
                Vec::new()
            }
        }
    }

    fn next(&mut self) -> Vec<Effect> {
        match self.screen {
            Screen::Job => match self.form.draft_job(&self.base_dir(), self.today) {
                Ok(draft) => {
                    self.screen = Screen::Sources;
                    self.status = None;
                    self.ask_set();
                    vec![Effect::FindPrevious {
                        output: draft.output_dir(),
                        job: Box::new(draft),
                    }]
                }
                Err(e) => {
                    self.error(e);
                    Vec::new()
                }
            },
            Screen::Sources => match self.job() {
                Ok(job) => {
                    self.screen = Screen::Review;
                    self.status = None;
                    self.review = Review {
                        job: Some(job.clone()),
                        busy: true,
                        ..Review::default()
                    };
                    vec![Effect::Prepare(Box::new(job))]
                }
                Err(e) => {
                    self.error(e);
                    Vec::new()
                }
            },
            Screen::Review => self.start_pack(),
            Screen::Season | Screen::Pack | Screen::Done => Vec::new(),
        }
    }

    fn back(&mut self) {
        self.status = None;
        self.screen = match self.screen {
            Screen::Sources => Screen::Job,
            Screen::Review => Screen::Sources,
            Screen::Pack if !self.pack.running => Screen::Review,
            other => other,
        };
    }

    pub(super) fn start_pack(&mut self) -> Vec<Effect> {
        let (Some(job), Some(prepared)) = (&self.review.job, &self.review.prepared) else {
            self.error(s::NO_PLAN);
            return Vec::new();
        };
        if self.review.refusal.is_some() {
            self.error(s::REFUSED_STATUS);
            return Vec::new();
        }
        let effect = Effect::Pack(Box::new((job.clone(), prepared.clone())));
        self.pack = PackState {
            running: true,
            ..PackState::default()
        };
        self.screen = Screen::Pack;
        self.status = None;
        vec![effect]
    }

    fn job_action(&mut self, a: Action) {
        let field = FIELDS.get(self.field).copied().unwrap_or(Field::Title);
        match a {
            Action::Up => self.field = self.field.saturating_sub(1),
            Action::Down => self.field = (self.field + 1).min(FIELDS.len() - 1),
            Action::Prev if field == Field::Rate => self.rate(-1),
            Action::Choose | Action::Edit if field == Field::Rate => self.rate(1),
            Action::Edit => {
                self.edit = Some(Edit {
                    target: EditTarget::Field(field),
                    buffer: self.form.value(field),
                });
            }
            _ => {}
        }
    }

    fn rate(&mut self, step: isize) {
        self.form.cycle_rate(step);
        self.dirty = true;
    }

    fn edit_key(&mut self, k: Key) -> Vec<Effect> {
        let Some(edit) = self.edit.as_mut() else {
            return Vec::new();
        };
        match k {
            Key::Char(c) => edit.buffer.push(c),
            Key::Backspace => {
                edit.buffer.pop();
            }
            Key::Enter => return self.commit_edit(),
            Key::Esc => {
                if edit.target == EditTarget::Filter {
                    self.filter.clear();
                }
                self.edit = None;
                return Vec::new();
            }
            _ => {}
        }
        if let Some(Edit {
            target: EditTarget::Filter,
            buffer,
        }) = &self.edit
        {
            self.filter.clone_from(buffer);
            self.cursor = 0;
        }
        Vec::new()
    }

    fn commit_edit(&mut self) -> Vec<Effect> {
        let Some(edit) = self.edit.take() else {
            return Vec::new();
        };
        match edit.target {
            EditTarget::Field(f) => {
                self.form.set(f, edit.buffer);
                self.dirty = true;
                Vec::new()
            }
            EditTarget::Filter => Vec::new(),
            EditTarget::Desc(index) => self.set_desc(index, edit.buffer),
        }
    }
}

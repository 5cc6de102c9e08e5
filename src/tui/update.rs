//! The rest of `App::update`: the source browser's keys (filter, assign,
//! unassign, an optional track's letter), the review's keys, and the
//! worker's results. Optional tracks may share a letter (spec B1): `o`
//! gives the letter the name or kind tells ([`crate::guess::optional`]),
//! `[` and `]` move the selected track to another letter, and a
//! description is unique within its letter.

use std::path::{Path, PathBuf};

use super::app::{
    App, DoneInfo, Edit, EditTarget, Effect, FileRow, Level, Overlay, Planned, ProbeState, Screen,
    WorkerMsg,
};
use super::keymap::Action;
use super::strings as s;
use crate::guess::optional::{place, read_name, unique_desc};
use crate::guess::{Candidate, guess_sources, is_debris, is_media_name, mono_sets, sessions};
use crate::job::{Role, Source, Sources, desc_key};
use crate::probe::Media;
use crate::progress::Event;

/// The role label of `path` in `sources` (`M&E`, `Opt B`, `PM L`...).
pub fn role_label(sources: &Sources, path: &Path) -> Option<String> {
    let find = |src: &Source| match src {
        Source::File(p) => (p == path).then(String::new),
        Source::Mono(set) => set
            .iter()
            .find(|m| m.path == path)
            .map(|m| format!(" {}", m.channel)),
    };
    if sources.reference_video.as_deref() == Some(path) {
        return Some(s::ROLE_REF.to_string());
    }
    let singles = [
        (&sources.mne, s::ROLE_MNE),
        (&sources.dialogue_guide, s::ROLE_GUIDE),
        (&sources.print_master, s::ROLE_PM),
    ];
    for (src, label) in singles {
        if let Some(ch) = src.as_ref().and_then(find) {
            return Some(format!("{label}{ch}"));
        }
    }
    sources
        .optionals
        .iter()
        .find_map(|o| find(&o.source).map(|ch| format!("{} {}{ch}", s::ROLE_OPT, o.letter)))
}

/// Removes every role that holds `path` (a whole mono set goes with it).
fn unassign(sources: &mut Sources, path: &Path) -> bool {
    let holds = |src: &Source| src.paths().contains(&path);
    let mut changed = false;
    if sources.reference_video.as_deref() == Some(path) {
        sources.reference_video = None;
        changed = true;
    }
    for slot in [
        &mut sources.mne,
        &mut sources.dialogue_guide,
        &mut sources.print_master,
    ] {
        if slot.as_ref().is_some_and(holds) {
            *slot = None;
            changed = true;
        }
    }
    let before = sources.optionals.len();
    sources.optionals.retain(|o| !holds(&o.source));
    changed || before != sources.optionals.len()
}

impl App {
    /// The rows the filter lets through, with their index in `files`.
    pub fn visible(&self) -> Vec<(usize, &FileRow)> {
        let f = self.filter.to_lowercase();
        self.files
            .iter()
            .enumerate()
            .filter(|(_, r)| f.is_empty() || r.name.to_lowercase().contains(&f))
            .collect()
    }

    fn candidates(&self) -> Vec<Candidate> {
        self.files
            .iter()
            .filter(|r| !r.debris)
            .map(|r| Candidate {
                path: r.path.clone(),
                media: match &r.state {
                    ProbeState::Ok(p) => Some(p.media.clone()),
                    _ => None,
                },
            })
            .collect()
    }

    pub(super) fn sources_action(&mut self, a: Action) {
        let n = self.visible().len();
        match a {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            Action::PageUp => self.cursor = self.cursor.saturating_sub(10),
            Action::PageDown => self.cursor = (self.cursor + 10).min(n.saturating_sub(1)),
            Action::Filter => {
                self.edit = Some(Edit {
                    target: EditTarget::Filter,
                    buffer: self.filter.clone(),
                });
            }
            Action::Unassign => {
                if let Some(path) = self.selected_path()
                    && unassign(&mut self.sources, &path)
                {
                    self.dirty = true;
                }
            }
            Action::AssignRef => self.assign(Role::ReferenceVideo),
            Action::AssignMne => self.assign(Role::Mne),
            Action::AssignOpt => self.assign(Role::Optional),
            Action::AssignGuide => self.assign(Role::DialogueGuide),
            Action::AssignPm => self.assign(Role::PrintMaster),
            Action::LetterPrev => self.shift_letter(false),
            Action::LetterNext => self.shift_letter(true),
            _ => {}
        }
    }

    /// Asks which stage folder to guess from, once, when the browser is
    /// on screen and nothing is assigned yet.
    pub(super) fn ask_set(&mut self) {
        if self.screen == Screen::Sources
            && self.sessions.len() > 1
            && self.overlay.is_none()
            && self.sources == Sources::default()
        {
            self.overlay = Some(Overlay::ChooseSet);
        }
    }

    /// The stage-folder question: move, pick one (its roles are guessed
    /// from its files alone), or close it and assign by hand.
    pub(super) fn choose_set(&mut self, a: Option<Action>) {
        let n = self.sessions.len();
        match a {
            Some(Action::Up) => self.set_cursor = self.set_cursor.saturating_sub(1),
            Some(Action::Down) => self.set_cursor = (self.set_cursor + 1).min(n.saturating_sub(1)),
            Some(Action::Yes) => {
                self.overlay = None;
                let chosen = std::mem::take(&mut self.sessions)
                    .into_iter()
                    .nth(self.set_cursor);
                if let Some(chosen) = chosen {
                    self.sources = guess_sources(&chosen.files);
                    let rel = chosen.dir.strip_prefix(&self.root).unwrap_or(&chosen.dir);
                    self.info(format!("{}{}", s::GUESSED_FROM, rel.display()));
                }
            }
            Some(Action::No) => {
                self.overlay = None;
                self.sessions.clear();
                self.info(s::NO_SET_CHOSEN);
            }
            _ => {}
        }
    }

    /// Moves the selected file's optional track one letter back or on
    /// (A and Z stay), numbering its description when the new letter has
    /// a track described the same.
    fn shift_letter(&mut self, forward: bool) {
        let Some(path) = self.selected_path() else {
            return;
        };
        let opts = &self.sources.optionals;
        let Some(i) = opts
            .iter()
            .position(|o| o.source.paths().contains(&path.as_path()))
        else {
            return self.error(s::NOT_OPTIONAL);
        };
        let (from, desc) = (opts[i].letter, opts[i].desc.clone());
        let to = if forward {
            char::from_u32(u32::from(from) + 1).filter(|c| *c <= 'Z')
        } else {
            char::from_u32(u32::from(from).saturating_sub(1)).filter(|c| *c >= 'A')
        };
        let Some(to) = to else { return };
        let mut others = opts.clone();
        let mut track = others.remove(i);
        track.letter = to;
        track.desc = unique_desc(&others, to, &desc);
        let status = if track.desc == desc {
            s::moved_to_letter(to, &desc)
        } else {
            s::desc_renumbered(to, &desc, &track.desc)
        };
        others.insert(i, track);
        others.sort_by_key(|o| o.letter);
        self.sources.optionals = others;
        self.dirty = true;
        self.info(status);
    }

    fn selected_path(&self) -> Option<PathBuf> {
        self.visible()
            .get(self.cursor)
            .filter(|(_, r)| !r.debris)
            .map(|(_, r)| r.path.clone())
    }

    fn assign(&mut self, role: Role) {
        let row = self.visible().get(self.cursor).map(|(_, r)| (*r).clone());
        let Some(row) = row else { return };
        let media = match &row.state {
            _ if row.debris => return self.error(s::NOT_SELECTABLE),
            ProbeState::Ok(p) => p.media.clone(),
            ProbeState::Pending => return self.error(s::STILL_PROBING),
            ProbeState::Skipped | ProbeState::Failed(_) => return self.error(s::NOT_MEDIA),
        };
        match (&media, role) {
            (Media::Video(_), r) if r.is_audio() => return self.error(s::VIDEO_NOT_AUDIO),
            (Media::Audio(_), Role::ReferenceVideo) => return self.error(s::AUDIO_NOT_VIDEO),
            _ => {}
        }
        unassign(&mut self.sources, &row.path);
        let set = mono_sets(&self.candidates())
            .into_values()
            .find(|set| set.iter().any(|m| m.path == row.path));
        if let Some(set) = &set {
            for m in set {
                unassign(&mut self.sources, &m.path);
            }
        }
        let source = set.map_or_else(|| Source::File(row.path.clone()), Source::Mono);
        let src = &mut self.sources;
        match role {
            Role::ReferenceVideo => src.reference_video = Some(row.path.clone()),
            Role::Mne => src.mne = Some(source),
            Role::DialogueGuide => src.dialogue_guide = Some(source),
            Role::PrintMaster => src.print_master = Some(source),
            Role::Optional => {
                let mono = matches!(source, Source::Mono(_));
                let found = vec![(read_name(&row.name, mono), source)];
                let new = place(found, &src.optionals);
                src.optionals.extend(new);
                src.optionals.sort_by_key(|o| o.letter);
            }
        }
        self.dirty = true;
        self.status = None;
    }

    pub(super) fn review_action(&mut self, a: Action) -> Vec<Effect> {
        let rows = self
            .review
            .prepared
            .as_ref()
            .map_or(0, |p| p.plan.items.len());
        match a {
            Action::Up => self.review.cursor = self.review.cursor.saturating_sub(1),
            Action::Down => {
                self.review.cursor = (self.review.cursor + 1).min(rows.saturating_sub(1));
            }
            Action::Edit => {
                let item = self
                    .review
                    .prepared
                    .as_ref()
                    .and_then(|p| p.plan.items.get(self.review.cursor));
                let index = item.and_then(|i| {
                    self.sources
                        .optionals
                        .iter()
                        .position(|o| o.source.paths().contains(&i.source.as_path()))
                        .zip(i.desc.clone())
                });
                match index {
                    Some((index, desc)) => {
                        self.edit = Some(Edit {
                            target: EditTarget::Desc(index),
                            buffer: desc,
                        });
                    }
                    None => self.error(s::ONLY_OPTIONAL_DESC),
                }
            }
            Action::Pack => return self.start_pack(),
            _ => {}
        }
        Vec::new()
    }

    pub(super) fn set_desc(&mut self, index: usize, desc: String) -> Vec<Effect> {
        let opts = &self.sources.optionals;
        let Some(letter) = opts.get(index).map(|o| o.letter) else {
            return Vec::new();
        };
        let key = desc_key(&desc);
        let taken = opts
            .iter()
            .enumerate()
            .any(|(j, o)| j != index && o.letter == letter && desc_key(&o.desc) == key);
        if taken {
            self.error(s::desc_taken(letter, &desc));
            return Vec::new();
        }
        if let Some(o) = self.sources.optionals.get_mut(index) {
            o.desc = desc;
            self.dirty = true;
        }
        self.replan()
    }

    /// Plans the job again as the form and assignments stand.
    pub(super) fn replan(&mut self) -> Vec<Effect> {
        match self.job() {
            Ok(job) => {
                self.review.job = Some(job.clone());
                self.review.busy = true;
                vec![Effect::Prepare(Box::new(job))]
            }
            Err(e) => {
                self.error(e);
                Vec::new()
            }
        }
    }

    pub(super) fn worker(&mut self, m: WorkerMsg) -> Vec<Effect> {
        match m {
            WorkerMsg::Listed(paths) => self.listed(paths),
            WorkerMsg::Probed(path, result) => {
                if let Some(r) = self.files.iter_mut().find(|r| r.path == path) {
                    r.state = match result {
                        Ok(p) => ProbeState::Ok(p),
                        Err(e) => ProbeState::Failed(e),
                    };
                }
            }
            WorkerMsg::ScanDone => self.scan_done(),
            WorkerMsg::Prepared(job, r) => self.prepared(&job, r),
            WorkerMsg::Progress(ev, at) => self.progress(ev, at),
            WorkerMsg::Packed(r) => {
                self.pack.running = false;
                self.pack.current = None;
                match r {
                    Ok(done) => self.finish(done),
                    Err(e) => {
                        let text = if self.pack.cancelling {
                            s::CANCELLED.to_string()
                        } else {
                            e
                        };
                        self.pack.error = Some(text);
                    }
                }
            }
            WorkerMsg::Episode(i, status) => self.episode_status(i, status),
            WorkerMsg::SeasonPacked => self.season_packed(),
            WorkerMsg::Previous(p) => {
                let changed = self.previous != p;
                self.previous = p;
                // Found after Review was asked for: plan it as the
                // redelivery it is.
                if changed && self.screen == Screen::Review && !self.pack.running {
                    return self.replan();
                }
            }
            WorkerMsg::Saved(Ok(path)) => {
                self.info(format!("{}{}", s::SAVED, path.display()));
                self.job_path = Some(path);
                self.dirty = false;
            }
            WorkerMsg::Saved(Err(e)) => self.status = Some((Level::Error, e)),
            WorkerMsg::Reported(Ok(path)) => {
                self.info(format!("{}{}", s::REPORT_WRITTEN, path.display()));
            }
            WorkerMsg::Reported(Err(e)) => self.error(format!("{}{e}", s::REPORT_FAILED)),
        }
        Vec::new()
    }

    /// The stage folder's files, listed: each marked debris, skipped or
    /// waiting for its probe.
    fn listed(&mut self, paths: Vec<PathBuf>) {
        self.files = paths
            .into_iter()
            .map(|path| {
                let rel = path.strip_prefix(&self.root).unwrap_or(&path);
                let name = rel.display().to_string();
                // Only components under the root count: the root's
                // own path may hold a dot folder (`/tmp/.tmpX`).
                let debris = rel.iter().any(|c| is_debris(&c.to_string_lossy()));
                let media = is_media_name(&name);
                FileRow {
                    path,
                    name,
                    debris,
                    state: if debris || !media {
                        ProbeState::Skipped
                    } else {
                        ProbeState::Pending
                    },
                }
            })
            .collect();
    }

    /// Every file probed: ask which session when several are found, else
    /// guess the roles (never over sources the user already set).
    fn scan_done(&mut self) {
        self.scanning = false;
        if self.sources == Sources::default() {
            let found = sessions(&self.candidates());
            if found.len() > 1 {
                // Never guess across sessions: ask which one, on
                // the Sources screen (not over a form being typed).
                self.sessions = found;
                self.set_cursor = 0;
                self.ask_set();
            } else {
                self.sources = guess_sources(&self.candidates());
                if self.sources != Sources::default() {
                    self.info(s::GUESSED);
                }
            }
        }
    }

    /// The plan of `job` for Review, unless the form changed meanwhile.
    fn prepared(&mut self, job: &crate::job::Job, r: Result<Box<Planned>, String>) {
        // A slower plan of an earlier form (say, before the
        // previous delivery was found) must not replace this one.
        if self.review.job.as_ref() != Some(job) {
            return;
        }
        self.review.busy = false;
        match r {
            Ok(b) => {
                let Planned {
                    prepared,
                    findings,
                    profile,
                    refusal,
                } = *b;
                self.review.prepared = Some(prepared);
                self.review.findings = findings;
                self.review.profile = Some(profile);
                self.review.error = None;
                self.review.refusal = refusal;
            }
            Err(e) => {
                self.review.prepared = None;
                self.review.profile = None;
                self.review.findings.clear();
                self.review.refusal = None;
                self.review.error = Some(e);
            }
        }
    }

    fn finish(&mut self, done: Box<DoneInfo>) {
        self.done = Some(done);
        self.screen = Screen::Done;
        self.status = None;
    }

    fn progress(&mut self, ev: Event, at: std::time::Duration) {
        let p = &mut self.pack;
        p.elapsed = at;
        match ev {
            Event::Start {
                phase,
                files,
                total_bytes,
            } => {
                p.phase = phase.to_string();
                p.files = files;
                p.total = total_bytes;
                p.done = 0;
                p.phase_start = at;
            }
            Event::FileStart { name, size } => p.current = Some((name, size, 0)),
            Event::Advance { bytes } => {
                p.done = p.done.saturating_add(bytes);
                if let Some(c) = p.current.as_mut() {
                    c.2 = c.2.saturating_add(bytes);
                }
            }
            Event::FileDone { name } => {
                p.current = None;
                p.finished.push((p.phase.clone(), name));
            }
            Event::Measured { name, measurements } => self.measured(&name, *measurements),
            Event::Note(note) => p.notes.push(note),
            Event::Finish => {}
        }
    }
}

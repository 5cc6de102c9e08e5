//! The stream stage of a pack: the one read of every source into staging
//! (copy, digests, analysis, and the conform pass's feed), each file
//! recorded in the journal once it and every file before it are whole. Resume is a way in, not
//! a second path: a file an interrupted run kept is re-used after a fresh
//! read of the kept copy matches, and, when the conform analysis compares
//! it, fed to the pass from that copy.
//!
//! The files the conform analysis compares are read side by side (the
//! pass reads them in lockstep); the others are taken by the lanes left
//! beside them (`PackOptions::threads` less one, at most `MAX_LANES`), so
//! hashing the movie overlaps analysing the audio; reads side by side use
//! smaller blocks, so memory stays flat. With one thread the others go
//! first, one by one, then the compared files.

mod one;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use super::at_once::{self, Happened, Job};
use super::journal::SourceStamp;
use super::movie_sound;
use super::request::{PackOptions, PackedFile};
use super::resume;
use super::root::OpenRoot;
use crate::analysis::Measurements;
use crate::conform::{self, Conform};
use crate::error::{Error, Result};
use crate::plan::{Plan, PlanItem};
use crate::probe::Media;
use crate::progress::{Cancel, Event, Observer};
use one::Conformed;

/// The most files read at once besides the compared ones: past a few
/// sequential reads a disk only seeks more, and memory stays flat.
const MAX_LANES: usize = 4;

/// What the stream stage hands the gate: every file staged, hashed and
/// measured (in plan order), and the conform analysis judged.
#[derive(Debug)]
pub struct Streamed {
    /// Every file, in plan order.
    pub files: Vec<PackedFile>,
    /// The conform analysis (None when turned off).
    pub conform: Option<Conform>,
}

/// Where a file's bytes come from this run.
enum From {
    /// Its source, read now (with the stamp of the source before).
    Source(SourceStamp),
    /// The copy an interrupted run kept, re-used.
    Kept,
}

/// Reads every source of `plan` into the staging folder of `root`.
pub fn read(
    root: &mut OpenRoot,
    plan: &Plan,
    opts: &PackOptions,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<Streamed> {
    observer.event(Event::Start {
        phase: "pack",
        files: plan.items.len(),
        total_bytes: plan.items.iter().map(|i| i.size).sum(),
    });
    let mut conform = opts.qc.conform.then(|| match conform::select(plan) {
        Ok(s) => Conform::ran(s),
        Err(why) => Conform::not_run(why),
    });
    let compared: Vec<usize> = conform
        .as_ref()
        .filter(|c| c.runs())
        .map(|c| c.items.clone())
        .unwrap_or_default();
    let mut slots: Vec<Option<PackedFile>> = vec![None; plan.items.len()];
    let mut from = Vec::with_capacity(plan.items.len());
    for (index, item) in plan.items.iter().enumerate() {
        let kept = root.loaded.staged.get(&index);
        if let Some(file) = resume::reuse(&root.staging, item, kept, observer, cancel)? {
            slots[index] = Some(file);
            from.push(From::Kept);
        } else {
            from.push(From::Source(clear_for(&root.staging, item)?));
        }
    }
    let reused = from.iter().filter(|f| matches!(f, From::Kept)).count();
    let (lanes, pass) = match conform.as_ref().filter(|c| c.runs()) {
        Some(c) => {
            let (lanes, pass) = conform::start(c.rate, c.inputs(plan));
            (lanes, Some(pass))
        }
        None => (Vec::new(), None),
    };
    let mut reads = Reads {
        root,
        plan,
        from: &from,
        compared: &compared,
        slots: &mut slots,
        first_error: None,
        order: Vec::new(),
        next: 0,
        finished: BTreeMap::new(),
        alone: false,
        done: Vec::new(),
        observer,
    };
    reads.run(opts, lanes, cancel);
    let Reads {
        first_error,
        observer,
        ..
    } = reads;
    // The pass ends once every feed is dropped, whatever happened.
    let report = pass.map(std::thread::JoinHandle::join);
    if let Some(e) = first_error {
        return Err(e);
    }
    if let (Some(c), Some(r)) = (conform.as_mut(), report) {
        match r {
            Ok(r) => c.judge(&r),
            Err(_) => c.not_run = Some("the comparison stopped unexpectedly".into()),
        }
    }
    observer.event(Event::Finish);
    if !root.loaded.staged.is_empty() {
        observer.event(Event::Note(format!(
            "re-used {reused} of the {} files kept by the interrupted run (same source, size and hash); staged the rest again",
            root.loaded.staged.len()
        )));
    }
    Ok(Streamed {
        files: slots.into_iter().flatten().collect(),
        conform,
    })
}

/// Makes way for staging `item` afresh (a partial copy of an earlier run
/// removed) and returns its source's stamp before the read.
fn clear_for(staging: &Path, item: &PlanItem) -> Result<SourceStamp> {
    let staged = staging.join(&item.name);
    match fs::remove_file(&staged) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            return Err(Error::io("cannot remove", &staged, e));
        }
        _ => {}
    }
    fs::metadata(&item.source)
        .map(|m| SourceStamp::of(&m))
        .map_err(|e| Error::io("cannot read source", &item.source, e))
}

/// The reads of one run and what they have done so far. Whole files are
/// journalled in `order` (plan order; with one thread, the order they are
/// read in), each once every file before it is done, so a journal never
/// skips a file that a later one follows and a kill at `staged:N` always
/// leaves the same files.
struct Reads<'r, 'o> {
    root: &'r mut OpenRoot,
    plan: &'r Plan,
    from: &'r [From],
    compared: &'r [usize],
    slots: &'r mut [Option<PackedFile>],
    first_error: Option<Error>,
    order: Vec<usize>,
    /// How many of `order` are journalled (or need no record).
    next: usize,
    /// Finished reads not yet journalled (or failed: `None`).
    finished: BTreeMap<usize, Option<PackedFile>>,
    /// Each read has its own start and end (one thread).
    alone: bool,
    /// Files read side by side, announced in plan order once all are done.
    done: Vec<usize>,
    observer: &'o mut dyn Observer,
}

impl Reads<'_, '_> {
    /// Runs the reads (see the module's header).
    fn run(&mut self, opts: &PackOptions, lanes: Vec<conform::Lane>, cancel: &Cancel) {
        let (plan, from) = (self.plan, self.from);
        let staging = self.root.staging.clone();
        let staging = staging.as_path();
        let group: Vec<(usize, Job<'_, Option<PackedFile>>)> = self
            .compared
            .iter()
            .zip(lanes)
            .map(|(&index, lane)| {
                let item = &plan.items[index];
                let job = compared_job(staging, index, item, opts, &from[index], lane, cancel);
                (index, job)
            })
            .collect();
        let threads = opts.threads.max(1);
        let alone = threads == 1;
        let queue: Vec<(usize, Job<'_, Option<PackedFile>>)> = (0..plan.items.len())
            .filter(|i| !self.compared.contains(i) && matches!(from[*i], From::Source(_)))
            .map(|index| {
                let item = &plan.items[index];
                let job: Job<'_, Option<PackedFile>> = Box::new(move |on_bytes| {
                    one::stage(staging, (index, item), opts, None, alone, cancel, on_bytes)
                        .map(Some)
                });
                (index, job)
            })
            .collect();
        self.alone = alone;
        if self.alone {
            self.order = queue.iter().map(|(i, _)| *i).collect();
            let mut compared = self.compared.to_vec();
            compared.sort_unstable();
            self.order.extend(compared);
            at_once::run_all(Vec::new(), queue, 1, &mut |h| self.happened(h));
            self.alone = false;
            if self.first_error.is_none() && !group.is_empty() {
                self.start(self.compared.to_vec());
                at_once::run_all(group, Vec::new(), 0, &mut |h| self.happened(h));
            }
        } else {
            self.order = (0..plan.items.len()).collect();
            self.start((0..plan.items.len()).collect());
            let lanes = if group.is_empty() {
                threads
            } else {
                threads - 1
            };
            let lanes = lanes.min(MAX_LANES);
            at_once::run_all(group, queue, lanes, &mut |h| self.happened(h));
        }
        self.journal(true);
        self.done.sort_unstable();
        for index in std::mem::take(&mut self.done) {
            if let Some(file) = &self.slots[index] {
                announce(
                    self.observer,
                    &self.plan.items[index],
                    file.measurements.as_ref(),
                );
            }
        }
    }

    /// One `FileStart` for the files of `keys` read now, side by side.
    fn start(&mut self, keys: Vec<usize>) {
        let keys: Vec<usize> = keys
            .into_iter()
            .filter(|&i| matches!(self.from[i], From::Source(_)))
            .collect();
        let names: Vec<&str> = keys
            .iter()
            .map(|&i| self.plan.items[i].name.as_str())
            .collect();
        self.observer.event(Event::FileStart {
            name: conform::side_by_side_label(&names),
            size: keys.iter().map(|&i| self.plan.items[i].size).sum(),
        });
    }

    /// What a read did, on the calling thread: progress, the journal.
    fn happened(&mut self, h: Happened<Option<PackedFile>>) {
        match h {
            Happened::Bytes(n) => self.observer.event(Event::Advance { bytes: n }),
            Happened::Started(index) if self.alone => {
                let item = &self.plan.items[index];
                self.observer.event(Event::FileStart {
                    name: item.name.clone(),
                    size: item.size,
                });
            }
            Happened::Started(_) => {}
            Happened::Done(index, result) => {
                let file = match result {
                    Ok(file) => file,
                    Err(e) => {
                        if matches!(self.from[index], From::Source(_)) {
                            // Only whole files are kept for a resume.
                            let name = &self.plan.items[index].name;
                            let _ = fs::remove_file(self.root.staging.join(name));
                        }
                        self.first_error.get_or_insert(e);
                        None
                    }
                };
                self.finished.insert(index, file);
                self.journal(false);
            }
        }
    }

    /// Journals the finished files that are next in `order`; `all`: every
    /// finished file, whatever did not finish before it (the reads are over).
    fn journal(&mut self, all: bool) {
        while let Some(&index) = self.order.get(self.next) {
            let waiting = matches!(self.from[index], From::Source(_));
            let file = match self.finished.remove(&index) {
                Some(file) => file,
                None if waiting && !all => return,
                None => None,
            };
            self.next += 1;
            let (Some(file), From::Source(stamp)) = (file, &self.from[index]) else {
                continue;
            };
            let item = &self.plan.items[index];
            if let Err(e) = self.root.record_staged(index, item, &file, *stamp) {
                self.first_error.get_or_insert(e);
            }
            if self.alone {
                announce(self.observer, item, file.measurements.as_ref());
            } else {
                self.done.push(index);
            }
            self.slots[index] = Some(file);
        }
    }
}

/// The read of a compared file: staged from its source feeding the pass,
/// or the pass fed from the copy an interrupted run kept.
fn compared_job<'a>(
    staging: &'a Path,
    index: usize,
    item: &'a PlanItem,
    opts: &'a PackOptions,
    from: &From,
    lane: conform::Lane,
    cancel: &'a Cancel,
) -> Job<'a, Option<PackedFile>> {
    let movie = match &item.probed.media {
        Media::Video(_) => movie_sound::locate(&item.source).ok(),
        Media::Audio(_) => None,
    };
    let conformed = Conformed::of(item, movie.as_ref(), lane);
    match from {
        From::Source(_) => Box::new(move |on_bytes| {
            one::stage(
                staging,
                (index, item),
                opts,
                conformed,
                false,
                cancel,
                on_bytes,
            )
            .map(Some)
        }),
        From::Kept => Box::new(move |_| {
            one::feed_kept(staging, item, conformed, movie.as_ref(), cancel).map(|()| None)
        }),
    }
}

/// `FileDone`, and `Measured` for a measured file.
pub(super) fn announce(observer: &mut dyn Observer, item: &PlanItem, m: Option<&Measurements>) {
    observer.event(Event::FileDone {
        name: item.name.clone(),
    });
    if let Some(m) = m {
        observer.event(Event::Measured {
            name: item.name.clone(),
            measurements: Box::new(m.clone()),
        });
    }
}

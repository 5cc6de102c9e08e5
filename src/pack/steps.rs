//! The steps of the write phase of one run, over an open journal: each
//! source staged (or a kept file re-used), recorded in the journal, the
//! QC gate, the read-back of every new file with the page cache dropped,
//! and the renames into the upload folders.

use std::fs;
use std::path::Path;

use super::fsops;
use super::journal::{Journal, Loaded, Record, SourceStamp};
use super::request::{Gate, PackOptions, PackedFile, analysis_params};
use super::resume;
use super::stage::{self, StageRequest};
use super::stop_point;
use crate::analysis::{Analyzer, AudioFormat, Measurements};
use crate::conform::{Conform, Feed};
use crate::error::{Error, Refusal, Result};
use crate::plan::{Plan, PlanItem};
use crate::probe::Media;
use crate::progress::{Cancel, Event, Observer};
use crate::stream::RangeSink;
use crate::stream::digest::{DigestSinks, reread};
use crate::stream::extract::Extract;

/// One run of the write phase over an open journal.
pub(super) struct WritePhase<'a> {
    pub(super) root: &'a Path,
    pub(super) staging: &'a Path,
    pub(super) plan: &'a Plan,
    pub(super) opts: &'a PackOptions,
    pub(super) journal: &'a mut Journal,
    pub(super) loaded: &'a Loaded,
}

impl WritePhase<'_> {
    pub(super) fn write(
        &mut self,
        gate: Gate<'_>,
        observer: &mut dyn Observer,
        cancel: &Cancel,
    ) -> Result<Option<Vec<PackedFile>>> {
        let (plan, opts, staging) = (self.plan, self.opts, self.staging);
        let total: u64 = plan.items.iter().map(|i| i.size).sum();
        observer.event(Event::Start {
            phase: "pack",
            files: plan.items.len(),
            total_bytes: total,
        });
        let mut slots: Vec<Option<PackedFile>> = vec![None; plan.items.len()];
        let mut reused = 0;
        // The files the conform analysis compares are staged last, side
        // by side; the others one by one first, in plan order.
        let mut conform = opts.qc.conform.then(|| match crate::conform::select(plan) {
            Ok(s) => Conform::ran(s),
            Err(why) => Conform::not_run(why),
        });
        let together: Vec<usize> = conform
            .as_ref()
            .filter(|c| c.runs())
            .map(|c| c.items.clone())
            .unwrap_or_default();
        self.stage_one_by_one(&together, &mut slots, &mut reused, observer, cancel)?;
        if let Some(c) = conform.as_mut().filter(|c| c.runs()) {
            self.stage_together(c, &mut slots, &mut reused, observer, cancel)?;
        }
        let mut files: Vec<PackedFile> = slots.into_iter().flatten().collect();
        observer.event(Event::Finish);
        if !self.loaded.staged.is_empty() {
            observer.event(Event::Note(format!(
                "re-used {reused} of the {} files kept by the interrupted run (same source, size and hash); staged the rest again",
                self.loaded.staged.len()
            )));
        }
        let Some(final_paths) = gate(&files, conform.as_ref()) else {
            return Ok(None);
        };
        self.journal
            .append(&Record::Final {
                paths: final_paths.clone(),
            })
            .map_err(|e| Error::io("cannot write the journal in", staging, e))?;
        stop_point::reached("final");
        for (file, path) in files.iter_mut().zip(final_paths) {
            file.rel_path = path;
        }
        if opts.verify {
            read_back(staging, plan, &mut files, observer, cancel)?;
        }
        for folder in &plan.folders {
            let dir = self.root.join(folder);
            match fs::create_dir(&dir) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                    return Err(Error::io("cannot create", &dir, e));
                }
                _ => {}
            }
        }
        for (index, (item, file)) in plan.items.iter().zip(&files).enumerate() {
            let from = staging.join(&item.name);
            let to = self.root.join(&file.rel_path);
            if let Err(e) = fs::rename(&from, &to) {
                let names: Vec<String> = plan.items.iter().map(|i| i.name.clone()).collect();
                let finals: Vec<String> = files.iter().map(|f| f.rel_path.clone()).collect();
                let _ = resume::unfinalise(self.root, &names, &finals);
                return Err(Error::io("cannot move into the upload folder", &to, e));
            }
            stop_point::reached(&format!("renamed:{index}"));
        }
        for folder in &plan.folders {
            let dir = self.root.join(folder);
            fsops::sync_dir(&dir).map_err(|e| Error::io("cannot sync", &dir, e))?;
        }
        fsops::sync_dir(self.root).map_err(|e| Error::io("cannot sync", self.root, e))?;
        Ok(Some(files))
    }

    /// Stages every plan item but those in `skip`, one after another, in
    /// plan order (a file kept by an interrupted run re-used), each
    /// recorded in the journal once whole.
    fn stage_one_by_one(
        &mut self,
        skip: &[usize],
        slots: &mut [Option<PackedFile>],
        reused: &mut usize,
        observer: &mut dyn Observer,
        cancel: &Cancel,
    ) -> Result<()> {
        let (plan, opts, staging) = (self.plan, self.opts, self.staging);
        for (index, item) in plan.items.iter().enumerate() {
            if skip.contains(&index) {
                continue;
            }
            let kept = self.loaded.staged.get(&index);
            if let Some(file) = resume::reuse(staging, item, kept, observer, cancel)? {
                *reused += 1;
                slots[index] = Some(file);
                continue;
            }
            let staged = staging.join(&item.name);
            let stamp = clear_for(staging, item)?;
            let file = match stage_item(staging, index, item, opts, observer, cancel) {
                Ok(f) => f,
                Err(e) => {
                    // Only whole files are kept for a resume.
                    let _ = fs::remove_file(&staged);
                    return Err(e);
                }
            };
            self.record(index, item, &file, stamp)?;
            slots[index] = Some(file);
        }
        Ok(())
    }
}

/// Makes way for staging `item` afresh (a partial copy of an earlier run
/// removed) and returns its source's stamp before the read.
pub(super) fn clear_for(staging: &Path, item: &PlanItem) -> Result<SourceStamp> {
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

fn stage_item(
    staging: &Path,
    index: usize,
    item: &PlanItem,
    opts: &PackOptions,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<PackedFile> {
    observer.event(Event::FileStart {
        name: item.name.clone(),
        size: item.size,
    });
    let file = stage_core(staging, index, item, opts, None, cancel, &mut |n| {
        observer.event(Event::Advance { bytes: n });
    })?;
    announce(observer, item, file.measurements.as_ref());
    Ok(file)
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

/// What a file staged side by side gives the conform pass.
pub(super) enum Conformed {
    /// An audio file's samples, as its analysis decodes them.
    Audio(Feed),
    /// The movie's sound, pulled out of the movie's bytes.
    Movie(Extract<Feed>),
}

/// One read of one source into staging: copy (or link), digests, the
/// analysis of its `data`, and the conform pass's feed when given.
pub(super) fn stage_core(
    staging: &Path,
    index: usize,
    item: &PlanItem,
    opts: &PackOptions,
    conformed: Option<Conformed>,
    cancel: &Cancel,
    on_bytes: &mut dyn FnMut(u64),
) -> Result<PackedFile> {
    let rel_path = format!("{}/{}", item.folder, item.name);
    let staged = staging.join(&item.name);
    let mut digests = DigestSinks::new(opts.hashes);
    let data = match &item.probed.media {
        Media::Audio(a) => Some((a, a.data_offset, a.data_offset.saturating_add(a.data_len))),
        Media::Video(_) => None,
    };
    let analyzer = data.and_then(|(a, _, _)| {
        Analyzer::new(AudioFormat::from_info(a), &analysis_params(a, &opts.qc)).ok()
    });
    let (feed, mut movie) = match conformed {
        Some(Conformed::Audio(f)) => (Some(f).filter(|_| data.is_some()), None),
        Some(Conformed::Movie(m)) => (None, Some(m)),
        None => (None, None),
    };
    let (analysis, feed) = crate::stream::analysis::AnalysisSink::tapped(analyzer, feed);
    let mut analysis = analysis.and_then(|s| data.map(|(_, from, to)| RangeSink::new(s, from, to)));
    let mut feed = feed.and_then(|f| data.map(|(_, from, to)| RangeSink::new(f, from, to)));
    let mut sinks = digests.sinks();
    if let Some(a) = analysis.as_mut() {
        sinks.push(a);
    }
    if let Some(f) = feed.as_mut() {
        sinks.push(f);
    }
    if let Some(m) = movie.as_mut() {
        sinks.push(m);
    }
    let req = StageRequest {
        source: &item.source,
        size: item.size,
        staged: &staged,
        mode: opts.link,
        allow_hardlink: opts.allow_hardlink,
    };
    let mut first = true;
    let method = stage::stage_one(&req, &mut sinks, cancel, &mut |n| {
        on_bytes(n);
        if std::mem::take(&mut first) {
            stop_point::reached(&format!("copy:{index}"));
        }
    });
    drop(sinks);
    // The conform pass must see this file end, whatever happened.
    drop(feed);
    drop(movie);
    let method = method.map_err(|e| match e {
        stage::StageError::Stream(crate::stream::StreamError::Cancelled) => Error::Interrupted,
        other => Refusal::Read {
            file: item.source.clone(),
            staging: Some(staged.clone()),
            why: other.to_string(),
        }
        .into(),
    })?;
    let measurements = analysis.map(|a| a.into_inner().measurements());
    Ok(PackedFile {
        rel_path,
        size: item.size,
        method,
        digests: digests.finish(),
        measurements,
        verified: false,
    })
}

fn read_back(
    staging: &Path,
    plan: &Plan,
    files: &mut [PackedFile],
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<()> {
    let todo = files.iter().filter(|f| !f.verified);
    let total: u64 = todo.clone().map(|f| f.size).sum();
    observer.event(Event::Start {
        phase: "verify",
        files: todo.count(),
        total_bytes: total,
    });
    // A file re-used by a resume was verified by the read that re-used it.
    for (index, (item, file)) in plan.items.iter().zip(files.iter_mut()).enumerate() {
        if file.verified {
            continue;
        }
        let mut first = true;
        let path = staging.join(&item.name);
        observer.event(Event::FileStart {
            name: item.name.clone(),
            size: file.size,
        });
        let again = reread(&path, file.size, cancel, &mut |n| {
            observer.event(Event::Advance { bytes: n });
            if std::mem::take(&mut first) {
                stop_point::reached(&format!("verify:{index}"));
            }
        })
        .map_err(|e| match e {
            crate::stream::StreamError::Cancelled => Error::Interrupted,
            other => Refusal::ReadBack {
                what: format!("{}: {other}", path.display()),
            }
            .into(),
        })?;
        if !file.digests.same_bytes(&again) {
            return Err(Refusal::ReadBack {
                what: format!(
                    "{} does not match what was written (sha256 {} != {}): the disk or the source is not reliable",
                    file.rel_path, again.sha256, file.digests.sha256
                ),
            }
            .into());
        }
        file.verified = true;
        observer.event(Event::FileDone {
            name: item.name.clone(),
        });
    }
    observer.event(Event::Finish);
    Ok(())
}

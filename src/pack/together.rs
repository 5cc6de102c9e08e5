//! The files the conform analysis compares (print master, M&E, guide,
//! optionals), staged side by side, one thread each: the one read that
//! copies and hashes a source also feeds the lockstep pass, so conform
//! adds no read of its own. A file an interrupted run kept (and that
//! `resume::reuse` accepted) is fed from its staged copy instead: resume
//! is a way into this stage, not around it.

use std::fs;
use std::io::{Read, Seek, SeekFrom};

use super::journal::{Record, SourceStamp, Staged};
use super::request::PackedFile;
use super::steps::{Conformed, WritePhase, announce, clear_for, stage_core};
use super::stop_point;
use super::{at_once, movie_sound, resume};
use crate::analysis::AudioFormat;
use crate::conform::{self, Conform, Feed};
use crate::error::{Error, Result};
use crate::plan::PlanItem;
use crate::probe::Media;
use crate::probe::sound::MovieAudio;
use crate::progress::{Cancel, Event, Observer};
use crate::stream::{self, Sink};

/// Where a compared file's samples come from this run.
enum From {
    /// Its source: staged now (with the stamp of the source before).
    Source(SourceStamp),
    /// The copy an interrupted run kept in staging.
    Staging,
}

impl WritePhase<'_> {
    /// Stages `c.items` side by side feeding the conform pass, records
    /// each in the journal, fills their `slots`, and judges the pass.
    pub(super) fn stage_together(
        &mut self,
        c: &mut Conform,
        slots: &mut [Option<PackedFile>],
        reused: &mut usize,
        observer: &mut dyn Observer,
        cancel: &Cancel,
    ) -> Result<()> {
        let (plan, staging) = (self.plan, self.staging);
        let mut from = Vec::with_capacity(c.items.len());
        for &index in &c.items {
            let item = &plan.items[index];
            let kept = self.loaded.staged.get(&index);
            if let Some(file) = resume::reuse(staging, item, kept, observer, cancel)? {
                *reused += 1;
                slots[index] = Some(file);
                from.push(From::Staging);
                continue;
            }
            from.push(From::Source(clear_for(staging, item)?));
        }
        let (lanes, pass) = conform::start(c.rate, c.inputs(plan));
        let names: Vec<&str> = c
            .items
            .iter()
            .map(|&i| plan.items[i].name.as_str())
            .collect();
        observer.event(Event::FileStart {
            name: conform::side_by_side_label(&names),
            size: c
                .items
                .iter()
                .zip(&from)
                .filter(|(_, f)| matches!(f, From::Source(_)))
                .map(|(&i, _)| plan.items[i].size)
                .sum(),
        });
        let results = self.read_side_by_side(&c.items, &from, lanes, observer, cancel);
        // Whole files go into the journal before any error is returned:
        // a resume re-uses them.
        let mut first_error = None;
        let mut done: Vec<(usize, &From, Result<Option<PackedFile>>)> = c
            .items
            .iter()
            .zip(&from)
            .zip(results)
            .map(|((&index, source), result)| (index, source, result))
            .collect();
        // Journalled in plan order, as files staged one by one are.
        done.sort_by_key(|(index, _, _)| *index);
        for (index, source, result) in done {
            let item = &plan.items[index];
            match (source, result) {
                (From::Source(stamp), Ok(Some(file))) => {
                    self.record(index, item, &file, *stamp)?;
                    announce(observer, item, file.measurements.as_ref());
                    slots[index] = Some(file);
                }
                (_, Err(e)) => {
                    if matches!(source, From::Source(_)) {
                        // Only whole files are kept for a resume.
                        let _ = fs::remove_file(staging.join(&item.name));
                    }
                    first_error.get_or_insert(e);
                }
                _ => {}
            }
        }
        let report = pass.join();
        if let Some(e) = first_error {
            return Err(e);
        }
        match report {
            Ok(r) => c.judge(&r),
            Err(_) => c.not_run = Some("the comparison stopped unexpectedly".into()),
        }
        Ok(())
    }

    /// One thread per file: staged from its source (copy, digests,
    /// analysis, feed) or fed from its kept copy; progress forwarded.
    fn read_side_by_side(
        &self,
        items: &[usize],
        from: &[From],
        lanes: Vec<conform::Lane>,
        observer: &mut dyn Observer,
        cancel: &Cancel,
    ) -> Vec<Result<Option<PackedFile>>> {
        let (plan, staging, opts) = (self.plan, self.staging, self.opts);
        let jobs: Vec<at_once::Job<'_, Option<PackedFile>>> = items
            .iter()
            .zip(from)
            .zip(lanes)
            .map(|((&index, source), lane)| {
                let item = &plan.items[index];
                let movie = match &item.probed.media {
                    Media::Video(_) => movie_sound::locate(&item.source).ok(),
                    Media::Audio(_) => None,
                };
                let feed = match (&item.probed.media, &movie) {
                    (Media::Audio(a), _) => Feed::new(&AudioFormat::from_info(a), lane),
                    (Media::Video(_), Some(m)) => Feed::new(&movie_sound::format(m), lane),
                    (Media::Video(_), None) => None,
                };
                let job: at_once::Job<'_, Option<PackedFile>> = match source {
                    From::Source(_) => Box::new(move |on_bytes| {
                        let conformed = match (feed, &movie) {
                            (Some(f), Some(m)) => {
                                Some(Conformed::Movie(movie_sound::extract(m, f)))
                            }
                            (Some(f), None) => Some(Conformed::Audio(f)),
                            (None, _) => None,
                        };
                        stage_core(staging, index, item, opts, conformed, cancel, on_bytes)
                            .map(Some)
                    }),
                    From::Staging => Box::new(move |_| {
                        feed_kept(staging, item, feed, movie.as_ref(), cancel).map(|()| None)
                    }),
                };
                job
            })
            .collect();
        at_once::run(jobs, observer)
    }

    /// The journal record of a file staged whole.
    pub(super) fn record(
        &mut self,
        index: usize,
        item: &PlanItem,
        file: &PackedFile,
        source: SourceStamp,
    ) -> Result<()> {
        self.journal
            .append(&Record::Staged(Box::new(Staged {
                index,
                name: item.name.clone(),
                size: file.size,
                method: file.method,
                digests: file.digests.clone(),
                measurements: file.measurements.clone(),
                source,
            })))
            .map_err(|e| Error::io("cannot write the journal in", self.staging, e))?;
        stop_point::reached(&format!("staged:{index}"));
        Ok(())
    }
}

/// Feeds the conform pass from the copy of `item` an interrupted run kept.
fn feed_kept(
    staging: &std::path::Path,
    item: &PlanItem,
    feed: Option<Feed>,
    movie: Option<&MovieAudio>,
    cancel: &Cancel,
) -> Result<()> {
    let path = staging.join(&item.name);
    let Media::Audio(a) = &item.probed.media else {
        return match (feed, movie) {
            (Some(f), Some(m)) => movie_sound::read(&path, m, f, cancel, &mut |_| {}),
            _ => Ok(()),
        };
    };
    let Some(mut feed) = feed else {
        return Ok(());
    };
    let mut file = crate::input::open_regular(&path)
        .map_err(std::io::Error::from)
        .map_err(|e| Error::io("cannot open", &path, e))?;
    file.seek(SeekFrom::Start(a.data_offset))
        .map_err(|e| Error::io("cannot read", &path, e))?;
    let mut reader = (&file).take(a.data_len);
    let mut sinks: [&mut dyn Sink; 1] = [&mut feed];
    stream::stream_with_block(
        &mut reader,
        a.data_len,
        &mut sinks,
        cancel,
        &mut |_| {},
        stream::SIDE_BY_SIDE_BLOCK,
    )
    .map_err(|e| match e {
        stream::StreamError::Cancelled => Error::Interrupted,
        other => Error::io(
            "cannot read",
            &path,
            std::io::Error::other(other.to_string()),
        ),
    })?;
    Ok(())
}

//! Analysis alone, for `check`: read the `data` chunk of each audio source
//! once (no copy, no hash) and measure it. Sources are opened read-only.
//! The files the conform analysis compares (print master, M&E, guide,
//! optionals, each file of a mono set) are read side by side, one thread
//! each, feeding the lockstep pass as well as their own measurements, and
//! with them the reference movie's sound alone; the rest one by one. A
//! movie whose sound cannot be located or read now (the file changed since
//! it was probed) is left out of the comparison with the reason, and the
//! check goes on.

use std::io::{Read, Seek, SeekFrom};

use super::read::announce;
use super::request::analysis_params;
use super::{at_once, fsops, movie_sound};
use crate::analysis::{Analyzer, AudioFormat, Measurements};
use crate::conform::{self, Conform, Feed};
use crate::error::{Error, Refusal, Result};
use crate::plan::{Plan, PlanItem};
use crate::probe::sound::{MovieAudio, NoAudio};
use crate::probe::{AudioInfo, Media};
use crate::profile::Qc;
use crate::progress::{Cancel, Event, Observer};
use crate::stream::analysis::AnalysisSink;
use crate::stream::{self, Sink, StreamError};

/// What `check` measured: per plan item (None for the video or a format
/// the analysis does not decode), and the conform analysis (None when it
/// was turned off).
pub struct Measured {
    /// Measurements per plan item.
    pub measurements: Vec<Option<Measurements>>,
    /// The conform analysis.
    pub conform: Option<Conform>,
}

/// Measures every audio item of `plan`; with `conform`, the files it
/// compares are read side by side and compared.
pub fn measure_plan(
    plan: &Plan,
    qc: &Qc,
    conform_on: bool,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<Measured> {
    let audio: Vec<(usize, &PlanItem, &AudioInfo)> = plan
        .items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| match &item.probed.media {
            Media::Audio(a) => Some((i, item, a)),
            Media::Video(_) => None,
        })
        .collect();
    observer.event(Event::Start {
        phase: "check",
        files: audio.len(),
        total_bytes: audio.iter().map(|(_, _, a)| a.data_len).sum(),
    });
    let mut out: Vec<Option<Measurements>> = vec![None; plan.items.len()];
    let selection = conform_on.then(|| conform::select(plan));
    let together: Vec<usize> = selection
        .as_ref()
        .and_then(|s| s.as_ref().ok())
        .map(|s| s.items.clone())
        .unwrap_or_default();
    let mut conform = selection.map(|s| match s {
        Ok(s) => Conform::ran(s),
        Err(why) => Conform::not_run(why),
    });
    if let Some(c) = conform.as_mut().filter(|c| c.runs()) {
        compare(plan, c, &mut out, qc, observer, cancel)?;
    }
    for (i, item, a) in audio {
        if together.contains(&i) {
            continue;
        }
        observer.event(Event::FileStart {
            name: item.name.clone(),
            size: a.data_len,
        });
        let m = read_one(item, a, qc, None, cancel, &mut |n| {
            observer.event(Event::Advance { bytes: n });
        })?;
        announce(observer, item, m.as_ref());
        out[i] = m;
    }
    observer.event(Event::Finish);
    Ok(Measured {
        measurements: out,
        conform,
    })
}

/// Reads the files `c` compares side by side, feeding the pass, fills
/// their measurements in `out` and judges the pass. A movie whose sound
/// cannot be located or read now is left out of `c` with the reason.
fn compare(
    plan: &Plan,
    c: &mut Conform,
    out: &mut [Option<Measurements>],
    qc: &Qc,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<()> {
    let (lanes, pass) = conform::start(c.rate, c.inputs(plan));
    let items: Vec<(&PlanItem, What)> = c
        .items
        .iter()
        .map(|&i| {
            let item = &plan.items[i];
            let read = match &item.probed.media {
                Media::Audio(a) => What::Audio(a),
                Media::Video(_) => What::Movie(movie_sound::locate(&item.source)),
            };
            (item, read)
        })
        .collect();
    let results = side_by_side(&items, lanes, qc, observer, cancel);
    let report = pass
        .join()
        .map_err(|_| Refusal::Other("the conform analysis failed".into()));
    let mut unread = Vec::new();
    for ((&i, r), (_, read)) in c.items.iter().zip(results).zip(&items) {
        match settle(r, read)? {
            Ok(m) => out[i] = m,
            Err(why) => unread.push((i, why)),
        }
    }
    c.judge(&report?);
    for (i, why) in unread {
        c.unread(i, why);
    }
    Ok(())
}

/// A compared file's read as `check` keeps it: its measurements, or for
/// the movie, a sound that could not be located or read now (the file
/// changed since it was probed) and why, which leaves the movie out of the
/// comparison instead of stopping the check. An interruption, and any
/// other file's error, stops it.
fn settle(
    r: Result<Option<Measurements>>,
    read: &What,
) -> Result<std::result::Result<Option<Measurements>, String>> {
    let unread = |why: String| Ok(Err(format!("its sound could not be read: {why}")));
    match (r, read) {
        (Err(Error::Interrupted), _) => Err(Error::Interrupted),
        (Err(e), What::Movie(_)) => unread(cause(&e)),
        (Ok(_), What::Movie(Err(no))) => unread(no.to_string()),
        (r, _) => r.map(Ok),
    }
}

/// What an error says, without the path the finding names anyway.
fn cause(e: &Error) -> String {
    match e {
        Error::Io { source, .. } => source.to_string(),
        other => other.to_string(),
    }
}

/// What is read of a file compared side by side.
enum What<'a> {
    /// An audio file's `data`.
    Audio(&'a AudioInfo),
    /// The movie's sound, where it lies now, or why it cannot be located.
    Movie(std::result::Result<MovieAudio, NoAudio>),
}

impl What<'_> {
    fn bytes(&self) -> u64 {
        match self {
            What::Audio(a) => a.data_len,
            What::Movie(m) => m.as_ref().map_or(0, MovieAudio::data_bytes),
        }
    }
}

/// Reads `items` at once, one thread each (each feeding the conform pass
/// through its lane), forwarding progress; results in `items` order.
fn side_by_side(
    items: &[(&PlanItem, What)],
    lanes: Vec<conform::Lane>,
    qc: &Qc,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Vec<Result<Option<Measurements>>> {
    let names: Vec<&str> = items.iter().map(|(i, _)| i.name.as_str()).collect();
    observer.event(Event::FileStart {
        name: crate::conform::side_by_side_label(&names),
        size: items.iter().map(|(_, r)| r.bytes()).sum(),
    });
    let jobs: Vec<at_once::Job<'_, Option<Measurements>>> = items
        .iter()
        .zip(lanes)
        .map(|((item, read), lane)| {
            let item: &PlanItem = item;
            // The lane moves into the feed (and dies with it): the pass
            // sees each file end.
            let job: at_once::Job<'_, Option<Measurements>> = match read {
                What::Audio(a) => {
                    let feed = Feed::new(&AudioFormat::from_info(a), lane);
                    Box::new(move |on_bytes| read_one(item, a, qc, feed, cancel, on_bytes))
                }
                What::Movie(m) => {
                    let feed = m
                        .as_ref()
                        .ok()
                        .and_then(|m| Feed::new(&movie_sound::format(m), lane));
                    Box::new(move |on_bytes| match (m.as_ref().ok(), feed) {
                        (Some(m), Some(feed)) => {
                            movie_sound::read(&item.source, m, feed, cancel, on_bytes)
                                .map(|()| None)
                        }
                        _ => Ok(None),
                    })
                }
            };
            job
        })
        .collect();
    let results = at_once::run(jobs, observer);
    for ((item, read), r) in items.iter().zip(&results) {
        if let (Ok(m), What::Audio(_)) = (r, read) {
            announce(observer, item, m.as_ref());
        }
    }
    results
}

/// One read of one item's `data`: its measurements (None for a format the
/// analysis does not decode), feeding `feed` too when given. The feed is
/// dropped before returning, so the conform pass never waits on it.
fn read_one(
    item: &PlanItem,
    a: &AudioInfo,
    qc: &Qc,
    feed: Option<Feed>,
    cancel: &Cancel,
    on_bytes: &mut dyn FnMut(u64),
) -> Result<Option<Measurements>> {
    let analyzer = Analyzer::new(AudioFormat::from_info(a), &analysis_params(a, qc)).ok();
    if analyzer.is_none() && feed.is_none() {
        return Ok(None);
    }
    let mut file = crate::input::open_regular(&item.source)
        .map_err(std::io::Error::from)
        .map_err(|e| Error::io("cannot open source", &item.source, e))?;
    fsops::advise_sequential(&file);
    file.seek(SeekFrom::Start(a.data_offset))
        .map_err(|e| Error::io("cannot read source", &item.source, e))?;
    // Files read side by side share the memory: smaller blocks each.
    let block = if feed.is_some() {
        stream::SIDE_BY_SIDE_BLOCK
    } else {
        stream::BLOCK
    };
    let (mut sink, mut feed) = AnalysisSink::tapped(analyzer, feed);
    let mut sinks: Vec<&mut dyn Sink> = Vec::new();
    if let Some(s) = sink.as_mut() {
        sinks.push(s);
    }
    if let Some(f) = feed.as_mut() {
        sinks.push(f);
    }
    let mut reader = (&file).take(a.data_len);
    let streamed =
        stream::stream_with_block(&mut reader, a.data_len, &mut sinks, cancel, on_bytes, block);
    drop(sinks);
    drop(feed);
    streamed.map_err(|e| match e {
        StreamError::Cancelled => Error::Interrupted,
        other => Refusal::Read {
            file: item.source.clone(),
            staging: None,
            why: other.to_string(),
        }
        .into(),
    })?;
    Ok(sink.map(AnalysisSink::measurements))
}

#[cfg(test)]
mod tests {
    use std::io::{self, Cursor};

    use super::*;
    use crate::probe::probe_reader;
    use crate::testmedia::{WavSpec, wav_bytes};

    fn movie() -> MovieAudio {
        MovieAudio {
            fourcc: *b"aes3",
            channels: 2,
            sample_rate: 48_000,
            bits: 24,
            float: false,
            big_endian: false,
            signed: true,
            frames: 10,
            ranges: Vec::new(),
            media_start: 0,
        }
    }

    fn cut_short() -> Error {
        Error::io(
            "cannot read the sound of",
            "/stage/ref.mxf",
            io::Error::new(io::ErrorKind::UnexpectedEof, "the movie ends at offset 5"),
        )
    }

    #[test]
    fn a_movie_that_cannot_be_read_now_is_a_reason_not_an_error() {
        let found = What::Movie(Ok(movie()));
        let why = settle(Err(cut_short()), &found).unwrap().unwrap_err();
        assert_eq!(
            why,
            "its sound could not be read: the movie ends at offset 5"
        );
        let lost = What::Movie(Err(NoAudio::Empty));
        let why = settle(Ok(None), &lost).unwrap().unwrap_err();
        assert_eq!(
            why,
            "its sound could not be read: the movie's sound track holds no samples"
        );
        assert!(matches!(settle(Ok(None), &found), Ok(Ok(None))));
        // An interruption stops the check, the movie's read or not.
        assert!(matches!(
            settle(Err(Error::Interrupted), &found),
            Err(Error::Interrupted)
        ));
    }

    #[test]
    fn an_audio_file_that_cannot_be_read_stops_the_check() {
        let bytes = wav_bytes(&WavSpec::new(48_000, 24, 2, 10)).unwrap();
        let Media::Audio(a) = probe_reader(&mut Cursor::new(bytes)).unwrap() else {
            panic!("not audio");
        };
        let err = settle(Err(cut_short()), &What::Audio(&a)).unwrap_err();
        assert!(matches!(err, Error::Io { .. }), "{err}");
        assert!(matches!(settle(Ok(None), &What::Audio(&a)), Ok(Ok(None))));
    }
}

//! One read of one source into staging: the copy (or link), its digests,
//! the analysis of its `data`, and, for a file the conform analysis
//! compares, the feed of its samples into the lockstep pass; or, for a
//! compared file an interrupted run kept, that feed read from the kept
//! copy instead (resume is a way into the stream stage, not around it).

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::super::movie_sound;
use super::super::request::{PackOptions, PackedFile, analysis_params};
use super::super::stage::{self, StageRequest};
use super::super::stop_point;
use crate::analysis::{Analyzer, AudioFormat};
use crate::conform::Feed;
use crate::error::{Error, Refusal, Result};
use crate::plan::PlanItem;
use crate::probe::Media;
use crate::probe::sound::MovieAudio;
use crate::progress::Cancel;
use crate::stream::digest::DigestSinks;
use crate::stream::extract::Extract;
use crate::stream::{self, RangeSink, Sink};

/// What a file read side by side gives the conform pass.
pub(super) enum Conformed {
    /// An audio file's samples, as its analysis decodes them.
    Audio(Feed),
    /// The movie's sound, pulled out of the movie's bytes.
    Movie(Extract<Feed>),
}

impl Conformed {
    /// The feed of `item` for its lane of the pass: an audio file's
    /// samples, or a movie's located sound (`None` when neither applies).
    pub(super) fn of(
        item: &PlanItem,
        movie: Option<&MovieAudio>,
        lane: crate::conform::Lane,
    ) -> Option<Self> {
        match (&item.probed.media, movie) {
            (Media::Audio(a), _) => Feed::new(&AudioFormat::from_info(a), lane).map(Self::Audio),
            (Media::Video(_), Some(m)) => Feed::new(&movie_sound::format(m), lane)
                .map(|f| Self::Movie(movie_sound::extract(m, f))),
            (Media::Video(_), None) => None,
        }
    }
}

/// Stages `item`: one read of its source that copies (or links) it into
/// `staging`, computes its digests, analyses its `data`, and feeds the
/// conform pass when given a feed; `alone`: no other read runs beside it
/// (larger blocks).
pub(super) fn stage(
    staging: &Path,
    (index, item): (usize, &PlanItem),
    opts: &PackOptions,
    conformed: Option<Conformed>,
    alone: bool,
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
        block: if alone {
            stream::BLOCK
        } else {
            stream::SIDE_BY_SIDE_BLOCK
        },
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

/// Feeds the conform pass from the copy of `item` an interrupted run kept.
pub(super) fn feed_kept(
    staging: &Path,
    item: &PlanItem,
    conformed: Option<Conformed>,
    movie: Option<&MovieAudio>,
    cancel: &Cancel,
) -> Result<()> {
    let path = staging.join(&item.name);
    let feed = match conformed {
        None => return Ok(()),
        Some(Conformed::Movie(m)) => {
            return match movie {
                Some(sound) => movie_sound::read(&path, sound, m.into_inner(), cancel, &mut |_| {}),
                None => Ok(()),
            };
        }
        Some(Conformed::Audio(f)) => f,
    };
    let Media::Audio(a) = &item.probed.media else {
        return Ok(());
    };
    let mut feed = feed;
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

//! Analysis alone, for `check`: read the `data` chunk of each audio source
//! once (no copy, no hash) and measure it. Sources are opened read-only.

use std::io::{Read, Seek, SeekFrom};

use super::fsops;
use super::request::analysis_params;
use crate::analysis::{Analyzer, AudioFormat, Measurements};
use crate::error::{Error, Refusal, Result};
use crate::plan::Plan;
use crate::probe::Media;
use crate::profile::Qc;
use crate::progress::{Cancel, Event, Observer};
use crate::stream::analysis::AnalysisSink;
use crate::stream::{self, StreamError};

/// Measurements of every audio item, index-aligned with `plan.items`
/// (None for the video or a format the analysis does not decode).
pub fn measure_plan(
    plan: &Plan,
    qc: &Qc,
    observer: &mut dyn Observer,
    cancel: &Cancel,
) -> Result<Vec<Option<Measurements>>> {
    let audio_bytes: u64 = plan
        .items
        .iter()
        .filter_map(|i| match &i.probed.media {
            Media::Audio(a) => Some(a.data_len),
            Media::Video(_) => None,
        })
        .sum();
    let files = plan
        .items
        .iter()
        .filter(|i| matches!(i.probed.media, Media::Audio(_)))
        .count();
    observer.event(Event::Start {
        phase: "check",
        files,
        total_bytes: audio_bytes,
    });
    let mut out = Vec::with_capacity(plan.items.len());
    for item in &plan.items {
        let Media::Audio(a) = &item.probed.media else {
            out.push(None);
            continue;
        };
        let Ok(analyzer) = Analyzer::new(AudioFormat::from_info(a), &analysis_params(a, qc)) else {
            out.push(None);
            continue;
        };
        observer.event(Event::FileStart {
            name: item.name.clone(),
            size: a.data_len,
        });
        let mut file = crate::input::open_regular(&item.source)
            .map_err(std::io::Error::from)
            .map_err(|e| Error::io("cannot open source", &item.source, e))?;
        fsops::advise_sequential(&file);
        file.seek(SeekFrom::Start(a.data_offset))
            .map_err(|e| Error::io("cannot read source", &item.source, e))?;
        let mut sink = AnalysisSink(analyzer);
        let mut reader = (&file).take(a.data_len);
        stream::stream(
            &mut reader,
            a.data_len,
            &mut [&mut sink],
            cancel,
            &mut |n| {
                observer.event(Event::Advance { bytes: n });
            },
        )
        .map_err(|e| match e {
            StreamError::Cancelled => Error::Interrupted,
            other => Refusal::Read {
                file: item.source.clone(),
                staging: None,
                why: other.to_string(),
            }
            .into(),
        })?;
        observer.event(Event::FileDone {
            name: item.name.clone(),
        });
        let m = sink.finish();
        observer.event(Event::Measured {
            name: item.name.clone(),
            measurements: Box::new(m.clone()),
        });
        out.push(Some(m));
    }
    observer.event(Event::Finish);
    Ok(out)
}

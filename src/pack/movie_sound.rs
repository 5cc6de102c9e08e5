//! The reference movie's sound for the conform pass, whatever its container
//! (QuickTime or MXF): where its samples lie (`probe::movie_audio_path`, the
//! entry `probe` reports the sound through too), read on their own, seeking
//! past the picture (`check`, or the copy an interrupted pack kept), or
//! pulled out of the movie's one read while it is staged (`pack`,
//! `stream::extract`).

use std::path::Path;

use crate::analysis::AudioFormat;
use crate::conform::Feed;
use crate::error::{Error, Result};
use crate::probe::sound::{MovieAudio, NoAudio};
use crate::probe::{SampleFormat, movie_audio_path};
use crate::progress::Cancel;
use crate::stream::extract::Extract;
use crate::stream::range_reader::RangeReader;
use crate::stream::{self, Sink, StreamError};

/// Where the sound of the movie at `path` lies, or why it cannot be read.
pub(super) fn locate(path: &Path) -> std::result::Result<MovieAudio, NoAudio> {
    movie_audio_path(path)
}

/// The little-endian PCM the readers of `stream` turn the movie's sound
/// into (8-bit as unsigned, as in a WAV).
pub(super) fn format(a: &MovieAudio) -> AudioFormat {
    AudioFormat {
        channels: a.channels,
        sample_rate: a.sample_rate,
        sample_format: if a.float {
            SampleFormat::Float
        } else {
            SampleFormat::Pcm
        },
        bits: a.bits,
        block_align: u16::try_from(a.block_align()).unwrap_or(0),
    }
}

/// The sink that pulls the movie's sound out of the movie's bytes, read
/// whole, into `feed`.
pub(super) fn extract(a: &MovieAudio, feed: Feed) -> Extract<Feed> {
    Extract::for_movie(a, feed)
}

/// Reads only the sound of the movie at `path` into `feed`.
pub(super) fn read(
    path: &Path,
    a: &MovieAudio,
    feed: Feed,
    cancel: &Cancel,
    on_bytes: &mut dyn FnMut(u64),
) -> Result<()> {
    let file = crate::input::open_regular(path)
        .map_err(std::io::Error::from)
        .map_err(|e| Error::io("cannot open", path, e))?;
    let mut reader = RangeReader::for_movie(&file, a);
    let mut feed = feed;
    let mut sinks: [&mut dyn Sink; 1] = [&mut feed];
    stream::stream_with_block(
        &mut reader,
        a.data_bytes(),
        &mut sinks,
        cancel,
        on_bytes,
        stream::SIDE_BY_SIDE_BLOCK,
    )
    .map_err(|e| match e {
        StreamError::Cancelled => Error::Interrupted,
        other => Error::io(
            "cannot read the sound of",
            path,
            std::io::Error::other(other.to_string()),
        ),
    })?;
    Ok(())
}

//! A reference movie's PCM sound as the readers locate it, whatever the
//! container: [`MovieAudio`] (its layout and the byte ranges of its samples
//! in play order, which `stream::extract` and `stream::range_reader` pull
//! out), [`NoAudio`] (why it cannot be pulled out, in plain words) and
//! [`summary`] (what `probe` reports of it as a [`MovieSound`]). The
//! QuickTime reader (`mov::audio`) and the MXF reader (`mxf::audio`) fill
//! these; `probe::movie_audio` picks the reader by the file's first bytes.

use super::{MovieSound, ProbeError};

/// Most byte ranges (QuickTime: chunks, `stsc` entries and `stsz` sizes;
/// MXF: sound essence elements) a movie's sound may have: 4,194,304, about
/// 48 hours of one chunk or element per 23.976 fps frame. A table or walk
/// claiming more is refused.
pub const MAX_CHUNKS: usize = 1 << 22;

/// A run of sample bytes in the movie file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    /// Offset of the first byte from the start of the file.
    pub offset: u64,
    /// Length in bytes.
    pub len: u64,
}

impl Range {
    /// One past the last byte.
    pub fn end(&self) -> u64 {
        self.offset + self.len
    }
}

/// Where a movie's PCM sound lies and how it is laid out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovieAudio {
    /// What holds the samples. QuickTime: the sample description's
    /// four-cc (`in24`, `sowt`, `lpcm`...). MXF: `bwf ` or `aes3`, the
    /// SMPTE ST 382 wrapping its sound elements are keyed as (a name this
    /// reader gives, not a code the file holds).
    pub fourcc: [u8; 4],
    /// Interleaved channels.
    pub channels: u16,
    /// Frames per second.
    pub sample_rate: u32,
    /// Bits per sample of one channel: 8, 16, 24, 32 (or 64 for float).
    pub bits: u16,
    /// IEEE float samples.
    pub float: bool,
    /// Samples stored most significant byte first.
    pub big_endian: bool,
    /// Signed integer samples (false for 8-bit samples stored unsigned, as
    /// in a WAV; true for float).
    pub signed: bool,
    /// Frames (one sample of every channel) in the track.
    pub frames: u64,
    /// The sample bytes, in play order, in increasing offset order, not
    /// overlapping (QuickTime: adjacent chunks merged); all inside the file.
    pub ranges: Vec<Range>,
    /// Where the movie starts its sound, in frames: positive when that
    /// many frames of the track are skipped (QuickTime: the first edit's
    /// media time; MXF: the source clip's start position and the origins),
    /// negative when the first frame is delayed by that many (QuickTime:
    /// empty edits; MXF: filler before the source clip); 0 without edits.
    pub media_start: i64,
}

impl MovieAudio {
    /// Bytes per sample of one channel.
    pub fn bytes_per_sample(&self) -> u16 {
        self.bits / 8
    }

    /// Bytes per frame (one sample of every channel).
    pub fn block_align(&self) -> u32 {
        u32::from(self.channels) * u32::from(self.bytes_per_sample())
    }

    /// Bytes of sample data in all the ranges.
    pub fn data_bytes(&self) -> u64 {
        self.ranges.iter().map(|r| r.len).sum()
    }
}

/// Why a movie's sound cannot be pulled out; the text is for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NoAudio {
    /// The file could not be opened or its headers walked.
    #[error("the movie could not be read: {0}")]
    Unreadable(String),
    /// No track with a sound handler or sound data definition.
    #[error("the movie has no sound track")]
    NoSoundTrack,
    /// The sound is compressed (the name of the codec).
    #[error("the movie's sound is {0} (compressed): not compared")]
    Compressed(String),
    /// A layout this reader does not take (what it is).
    #[error("the movie's sound is {0}: not supported")]
    Unsupported(String),
    /// Several mono PCM tracks instead of one track with every channel.
    #[error(
        "the movie's sound tracks are {0} mono tracks: not compared (one track holding every channel is needed)"
    )]
    MonoTracks(usize),
    /// The sound's description, tables or essence contradict themselves or the file.
    #[error("the sound track is damaged: {0}")]
    Damaged(String),
    /// More than [`MAX_CHUNKS`] entries or elements.
    #[error("the sound track is too large to read: {0}")]
    TooLarge(String),
    /// The chunks are not stored in play order.
    #[error(
        "the sound track's chunks are not in file order ({0}): the sound can only be read from a movie whose sound is stored in play order"
    )]
    OutOfOrder(String),
    /// The track holds no sample.
    #[error("the movie's sound track holds no samples")]
    Empty,
}

impl From<ProbeError> for NoAudio {
    fn from(e: ProbeError) -> Self {
        NoAudio::Unreadable(e.to_string())
    }
}

/// Most channels of a movie's sound the comparison reads (as for a WAV).
const MAX_SOUND_CHANNELS: u16 = 256;

/// What the comparison can make of a movie's sound, located or not.
pub fn summary(located: &Result<MovieAudio, NoAudio>) -> MovieSound {
    let not = |why: String| MovieSound::NotRead { why };
    let a = match located {
        Ok(a) => a,
        Err(why) => return not(why.to_string()),
    };
    if a.channels == 0 || a.channels > MAX_SOUND_CHANNELS {
        return not(format!(
            "its sound has {} channels (1 to {MAX_SOUND_CHANNELS} are read)",
            a.channels
        ));
    }
    if u16::try_from(a.block_align()).is_err() {
        return not(format!(
            "its sound's frames of {} bytes are too large",
            a.block_align()
        ));
    }
    if a.media_start.unsigned_abs() > a.frames {
        return not(
            "its sound track's edit (edit list, origin or start position) points outside the track"
                .to_string(),
        );
    }
    MovieSound::Pcm {
        channels: a.channels,
        sample_rate: a.sample_rate,
        frames: a.frames,
        media_start: a.media_start,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sound_the_comparison_cannot_read_says_why() {
        let pcm = MovieAudio {
            fourcc: *b"in24",
            channels: 2,
            sample_rate: 48_000,
            bits: 24,
            float: false,
            big_endian: false,
            signed: true,
            frames: 48_000,
            ranges: Vec::new(),
            media_start: 0,
        };
        assert!(matches!(
            summary(&Ok(pcm.clone())),
            MovieSound::Pcm { channels: 2, .. }
        ));
        let why = |a: &MovieAudio| match summary(&Ok(a.clone())) {
            MovieSound::NotRead { why } => why,
            MovieSound::Pcm { .. } => panic!("read: {a:?}"),
        };
        let wide = MovieAudio {
            channels: 30_000,
            ..pcm.clone()
        };
        assert!(why(&wide).contains("30000 channels"), "{}", why(&wide));
        for media_start in [i64::MAX, i64::MIN, 48_001, -48_001] {
            let edited = MovieAudio {
                media_start,
                ..pcm.clone()
            };
            assert!(why(&edited).contains("edit list"), "{media_start}");
        }
        let delayed = MovieAudio {
            media_start: -2002,
            ..pcm
        };
        assert!(matches!(
            summary(&Ok(delayed)),
            MovieSound::Pcm {
                media_start: -2002,
                ..
            }
        ));
        assert_eq!(
            summary(&Err(NoAudio::MonoTracks(2))),
            MovieSound::NotRead {
                why: NoAudio::MonoTracks(2).to_string()
            }
        );
    }
}

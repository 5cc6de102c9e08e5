//! Header facts of media files: what each source is, read from its header
//! only (never the sample data), without trusting any size field blindly.
//! `probe_path` opens a file read-only and dispatches on its magic bytes to
//! the WAV/RF64/BW64 chunk walker, the QuickTime atom walker or the MXF
//! reader. Problems with one file are a [`ProbeError`], never a panic.
//! [`movie_audio`] locates a reference movie's PCM sound the same way,
//! for `probe` (`VideoInfo::sound`) and for the reads of `check` and `pack`.

pub mod mov;
pub mod mxf;
pub mod sound;
pub mod wav;

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use serde::Serialize;

use self::sound::{MovieAudio, NoAudio};

/// Why a file could not be probed. Each variant says what a person can fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProbeError {
    /// The OS refused to open or read the file.
    #[error("cannot read: {0}")]
    Io(String),
    /// A directory was given where a file was expected.
    #[error("is a directory, not a media file")]
    Directory,
    /// The file is empty.
    #[error("empty file (0 bytes)")]
    Empty,
    /// Neither RIFF/RF64/BW64, QuickTime nor MXF.
    #[error("not a WAV, QuickTime or MXF file ({0})")]
    UnknownFormat(String),
    /// The header is damaged or inconsistent; the text says where and how.
    #[error("{0}")]
    Malformed(String),
    /// The header promises more bytes than the file holds.
    #[error("truncated: {what} needs {expected} bytes but the file ends {missing} bytes short")]
    Truncated {
        /// What was being read (for example "`data` chunk").
        what: String,
        /// Bytes the header asks for, from the start of the file.
        expected: u64,
        /// Bytes missing at the end of the file.
        missing: u64,
    },
    /// A format feature we recognise but do not accept.
    #[error("unsupported: {0}")]
    Unsupported(String),
}

impl From<std::io::Error> for ProbeError {
    fn from(e: std::io::Error) -> Self {
        ProbeError::Io(e.to_string())
    }
}

/// The container a file was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Container {
    /// Plain RIFF/WAVE (up to 4 GiB).
    #[serde(rename = "RIFF")]
    Riff,
    /// EBU RF64 (64-bit sizes in `ds64`).
    #[serde(rename = "RF64")]
    Rf64,
    /// ITU-R BS.2088 BW64 (64-bit sizes in `ds64`).
    #[serde(rename = "BW64")]
    Bw64,
    /// Apple QuickTime (`.mov`).
    #[serde(rename = "QuickTime")]
    QuickTime,
    /// SMPTE MXF.
    #[serde(rename = "MXF")]
    Mxf,
}

impl Container {
    /// Display name (`RIFF`, `RF64`, `BW64`, `QuickTime`, `MXF`).
    pub fn name(self) -> &'static str {
        match self {
            Container::Riff => "RIFF",
            Container::Rf64 => "RF64",
            Container::Bw64 => "BW64",
            Container::QuickTime => "QuickTime",
            Container::Mxf => "MXF",
        }
    }
}

/// The sample encoding of a WAV's `data` chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SampleFormat {
    /// Integer PCM (tag 1, or EXTENSIBLE with the PCM sub-format).
    Pcm,
    /// IEEE float (tag 3, or EXTENSIBLE with the float sub-format).
    Float,
    /// Anything else (the tag or sub-format is kept in [`AudioInfo::format_tag`]).
    Other,
}

/// `bext` (EBU Tech 3285 Broadcast Extension) fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Bext {
    /// Description (up to 256 bytes, trailing NULs removed).
    pub description: String,
    /// Originator (32 bytes).
    pub originator: String,
    /// Originator reference (32 bytes).
    pub originator_reference: String,
    /// `yyyy-mm-dd` as written.
    pub origination_date: String,
    /// `hh:mm:ss` as written.
    pub origination_time: String,
    /// Samples since midnight of the first sample.
    pub time_reference: u64,
    /// bext version (0, 1 or 2).
    pub version: u16,
}

/// One chunk seen by the walker (for `probe` output and debugging).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChunkEntry {
    /// Four-character id, non-printable bytes escaped.
    pub id: String,
    /// Offset of the chunk header from the start of the file.
    pub offset: u64,
    /// Payload size in bytes (from `ds64` when the 32-bit field is 0xFFFFFFFF).
    pub size: u64,
}

/// Header facts of a WAV / RF64 / BW64 file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AudioInfo {
    /// RIFF, RF64 or BW64.
    pub container: Container,
    /// Integer PCM, float or other.
    pub sample_format: SampleFormat,
    /// Short codec name as ffprobe spells it (`pcm_s24le`, `pcm_f32le`...).
    pub codec: String,
    /// `wFormatTag` (0xFFFE for EXTENSIBLE).
    pub format_tag: u16,
    /// The EXTENSIBLE sub-format's first two bytes (its format tag), if any.
    pub sub_format: Option<u16>,
    /// Samples per second.
    pub sample_rate: u32,
    /// Container bits per sample (`wBitsPerSample`).
    pub bits: u16,
    /// Valid bits per sample (EXTENSIBLE), else equal to `bits`.
    pub valid_bits: u16,
    /// Channel count.
    pub channels: u16,
    /// Bytes per frame of all channels.
    pub block_align: u16,
    /// `dwChannelMask` (EXTENSIBLE only).
    pub channel_mask: Option<u32>,
    /// Speaker labels in file order (`L R C LFE Ls Rs`); from the mask, or the
    /// usual order for the channel count when there is no mask.
    pub channel_labels: Vec<String>,
    /// Sample frames in `data` (data length / block align).
    pub frames: u64,
    /// Offset of the first sample byte from the start of the file.
    pub data_offset: u64,
    /// Length of the sample data in bytes.
    pub data_len: u64,
    /// Broadcast extension, when present.
    pub bext: Option<Bext>,
    /// iXML chunk text, when present.
    pub ixml: Option<String>,
    /// `LIST`/`INFO` entries (id, text).
    pub info: Vec<(String, String)>,
    /// Every chunk in file order.
    pub chunks: Vec<ChunkEntry>,
    /// Ids of chunks that were skipped as unknown.
    pub unknown_chunks: Vec<String>,
}

impl AudioInfo {
    /// The facts of a plain RIFF WAV: 48 kHz 24-bit PCM, `channels` of
    /// `frames` each, its `data` right after a 44-byte header, no labels and
    /// no metadata. What tests and fixtures start from.
    pub fn pcm24(channels: u16, frames: u64) -> Self {
        let block = channels.saturating_mul(3);
        AudioInfo {
            container: Container::Riff,
            sample_format: SampleFormat::Pcm,
            codec: "pcm_s24le".into(),
            format_tag: 1,
            sub_format: None,
            sample_rate: 48_000,
            bits: 24,
            valid_bits: 24,
            channels,
            block_align: block,
            channel_mask: None,
            channel_labels: Vec::new(),
            frames,
            data_offset: 44,
            data_len: u64::from(block).saturating_mul(frames),
            bext: None,
            ixml: None,
            info: Vec::new(),
            chunks: Vec::new(),
            unknown_chunks: Vec::new(),
        }
    }

    /// Duration in seconds.
    pub fn duration_seconds(&self) -> f64 {
        if self.sample_rate == 0 {
            0.0
        } else {
            self.frames as f64 / f64::from(self.sample_rate)
        }
    }

    /// The bext time reference (0 when there is no bext).
    pub fn time_reference(&self) -> u64 {
        self.bext.as_ref().map_or(0, |b| b.time_reference)
    }
}

/// Header facts of a reference video (QuickTime or MXF).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VideoInfo {
    /// QuickTime or MXF.
    pub container: Container,
    /// False when the container was recognised but its details were not read.
    pub details_read: bool,
    /// The video codec four-cc as stored (`apcn`, `AVdn`...), or the MXF label name.
    pub codec_fourcc: Option<String>,
    /// Human name of the codec (`Apple ProRes 422`, `Avid DNxHD`...).
    pub codec_name: Option<String>,
    /// Picture width in pixels.
    pub width: Option<u32>,
    /// Picture height in pixels.
    pub height: Option<u32>,
    /// Frame rate numerator (24000 for 23.976).
    pub frame_rate_num: Option<u32>,
    /// Frame rate denominator (1001 for 23.976).
    pub frame_rate_den: Option<u32>,
    /// Duration in video frames.
    pub duration_frames: Option<u64>,
    /// Duration in seconds.
    pub duration_seconds: Option<f64>,
    /// Start timecode label (`00:59:56:00`, `;` when drop-frame).
    pub start_timecode: Option<String>,
    /// Start timecode as a frame count since midnight.
    pub start_frames: Option<u64>,
    /// Drop-frame timecode.
    pub drop_frame: bool,
    /// Number of audio tracks.
    pub audio_tracks: u32,
    /// The movie's sound as the conform analysis can read it, or why not
    /// (None when not looked at).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sound: Option<MovieSound>,
    /// Anything odd the reader noticed but could live with.
    pub notes: Vec<String>,
}

/// A movie's sound, for the comparison with the print master.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum MovieSound {
    /// Interleaved PCM our reader pulls out of the movie.
    Pcm {
        /// Channels.
        channels: u16,
        /// Frames per second.
        sample_rate: u32,
        /// Frames.
        frames: u64,
        /// Frames the first edit skips (negative: delays), see
        /// `sound::MovieAudio::media_start`.
        media_start: i64,
    },
    /// Why the sound cannot be compared.
    NotRead {
        /// In plain words.
        why: String,
    },
}

/// What a file is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Media {
    /// WAV / RF64 / BW64 audio.
    Audio(AudioInfo),
    /// QuickTime or MXF video.
    Video(VideoInfo),
}

/// One probed file: where it is, how big, when modified, and its facts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Probed {
    /// The path as given.
    pub path: PathBuf,
    /// Size in bytes.
    pub size: u64,
    /// Modification time (UTC, RFC 3339), when the filesystem has one.
    pub modified: Option<String>,
    /// The facts.
    pub media: Media,
}

/// Opens `path` read-only and reads its header facts.
pub fn probe_path(path: &Path) -> Result<Probed, ProbeError> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(ProbeError::Directory);
    }
    if !meta.is_file() {
        // Opening a FIFO blocks until a writer comes; a device may never end.
        return Err(ProbeError::Unsupported(
            "not a regular file (a device, FIFO or socket)".into(),
        ));
    }
    let mut file = crate::input::open_regular(path).map_err(std::io::Error::from)?;
    let media = probe_reader(&mut file)?;
    let modified = meta.modified().ok().map(|t| {
        chrono::DateTime::<chrono::Utc>::from(t).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    });
    Ok(Probed {
        path: path.to_path_buf(),
        size: meta.len(),
        modified,
        media,
    })
}

/// Reads the facts of any supported file from a seekable reader.
pub fn probe_reader<R: Read + Seek>(r: &mut R) -> Result<Media, ProbeError> {
    let len = r.seek(SeekFrom::End(0))?;
    if len == 0 {
        return Err(ProbeError::Empty);
    }
    r.seek(SeekFrom::Start(0))?;
    let mut magic = [0u8; 16];
    let n = read_up_to(r, &mut magic)?;
    let magic = &magic[..n];
    r.seek(SeekFrom::Start(0))?;
    if magic.len() >= 4 && matches!(&magic[..4], b"RIFF" | b"RF64" | b"BW64") {
        return wav::read(r, len).map(Media::Audio);
    }
    if mxf::looks_like_mxf(magic) {
        return mxf::read(r, len).map(Media::Video);
    }
    if mov::looks_like_quicktime(magic) {
        return mov::read(r, len).map(Media::Video);
    }
    Err(ProbeError::UnknownFormat(describe_magic(magic)))
}

/// Locates the PCM sound of a reference movie of `len` bytes, by its
/// container (QuickTime or MXF, told by its first bytes as
/// [`probe_reader`] tells them): the one entry `probe`, `check` and `pack`
/// locate a movie's sound through.
pub fn movie_audio<R: Read + Seek>(r: &mut R, len: u64) -> Result<MovieAudio, NoAudio> {
    let mut magic = [0u8; 16];
    r.seek(SeekFrom::Start(0)).map_err(ProbeError::from)?;
    let n = read_up_to(r, &mut magic).map_err(ProbeError::from)?;
    let magic = &magic[..n];
    if mxf::looks_like_mxf(magic) {
        mxf::audio::movie_audio(r, len)
    } else if mov::looks_like_quicktime(magic) {
        mov::audio::movie_audio(r, len)
    } else {
        Err(NoAudio::Unreadable(format!(
            "not a QuickTime or MXF movie ({})",
            describe_magic(magic)
        )))
    }
}

/// [`movie_audio`] of the file at `path` (opened read-only).
pub fn movie_audio_path(path: &Path) -> Result<MovieAudio, NoAudio> {
    let mut f = crate::input::open_regular(path)
        .map_err(std::io::Error::from)
        .map_err(|e| NoAudio::Unreadable(e.to_string()))?;
    let len = f
        .metadata()
        .map_err(|e| NoAudio::Unreadable(e.to_string()))?
        .len();
    movie_audio(&mut f, len)
}

/// A movie's sound as `VideoInfo::sound` reports it: [`movie_audio`] and
/// [`sound::summary`] of what it found.
pub(crate) fn movie_sound<R: Read + Seek>(r: &mut R, len: u64) -> MovieSound {
    sound::summary(&movie_audio(r, len))
}

/// Reads until `buf` is full or the reader ends; returns the count read.
pub(crate) fn read_up_to<R: Read>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match r.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// A four-cc printed safely: printable ASCII as is, other bytes as `\xNN`.
pub fn fourcc_text(id: &[u8]) -> String {
    id.iter()
        .map(|&b| {
            if b.is_ascii_graphic() || b == b' ' {
                (b as char).to_string()
            } else {
                format!("\\x{b:02X}")
            }
        })
        .collect()
}

fn describe_magic(magic: &[u8]) -> String {
    let head = &magic[..magic.len().min(4)];
    format!("starts with \"{}\"", fourcc_text(head))
}

//! QuickTime (`.mov`) reference video reader: our own atom walker (see
//! `atom.rs`) over `moov` wherever it sits (before or after `mdat`, whose
//! payload is never read), then per track `tkhd`, `edts/elst`, `mdhd`,
//! `hdlr` and `stbl` (`stsd`, `stts`, `stsc`, `stco`/`co64`). The start
//! timecode is the first 4-byte sample of the `tmcd` track. [`read_movie`]
//! gives the raw per-track facts; [`read`] turns them into a [`VideoInfo`].
//! [`audio`] locates the sample bytes of the movie's PCM sound.

mod atom;
pub mod audio;
mod tables;
#[cfg(test)]
mod tests;

use std::io::{Read, Seek};

use self::atom::{Atom, Source};
use self::tables::TmcdEntry;
use super::{Container, ProbeError, VideoInfo, fourcc_text};
use crate::timecode::{FrameRate, KNOWN_RATES, Timecode};

/// Bytes read of an `stts` body at most (131,072 entries).
const STTS_CAP: usize = 1 << 20;

/// True when the first bytes look like a QuickTime/ISO-BMFF atom.
pub fn looks_like_quicktime(magic: &[u8]) -> bool {
    magic.len() >= 8
        && matches!(
            &magic[4..8],
            b"ftyp" | b"moov" | b"mdat" | b"wide" | b"free" | b"skip"
        )
}

/// The header facts of one `trak`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Track {
    /// The media handler subtype (`vide`, `soun`, `tmcd`...), empty if none.
    pub handler: String,
    /// `mdhd` time scale (units per second).
    pub timescale: u32,
    /// `mdhd` duration in `timescale` units.
    pub duration: u64,
    /// The first sample description's format (`apcn`, `in24`, `tmcd`...).
    pub format: Option<[u8; 4]>,
    /// Width and height from the visual sample entry.
    pub entry_size: Option<(u32, u32)>,
    /// Width and height from `tkhd`.
    pub tkhd_size: Option<(u32, u32)>,
    /// The compressor name of the visual sample entry.
    pub compressor: String,
    /// Sample count (sum of the `stts` counts).
    pub samples: u64,
    /// `stts` `(count, delta)` entries as read (capped).
    pub(crate) stts: Vec<(u32, u32)>,
    /// False when `stts` held more entries than were read.
    pub(crate) stts_complete: bool,
    /// The first `elst` edit: (duration in movie units, media time).
    pub(crate) first_edit: Option<(u64, i64)>,
    /// The `tmcd` sample entry.
    pub(crate) tmcd: Option<TmcdEntry>,
    /// The first `tmcd` sample (a frame number), or why it could not be read.
    pub(crate) tmcd_sample: Option<Result<u32, String>>,
}

/// The facts of a whole movie header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Movie {
    /// `mvhd` time scale.
    pub timescale: u32,
    /// `mvhd` duration in `timescale` units.
    pub duration: u64,
    /// Every `trak`, in file order.
    pub tracks: Vec<Track>,
}

/// Reads the header facts of a QuickTime file of `len` bytes, with its
/// sound as the comparison reads it (`probe::movie_sound`).
pub fn read<R: Read + Seek>(r: &mut R, len: u64) -> Result<VideoInfo, ProbeError> {
    let mut info = describe(&read_movie(r, len)?)?;
    info.sound = Some(super::movie_sound(r, len));
    Ok(info)
}

/// The atoms inside `moov`, wherever it sits; an error for a file
/// without one or with a compressed movie header.
fn moov_children<R: Read + Seek>(src: &mut Source<'_, R>) -> Result<Vec<Atom>, ProbeError> {
    let top = src.children(0, src.len, None)?;
    let moov = find(&top, *b"moov").ok_or_else(|| {
        ProbeError::Malformed(
            "no `moov` atom (movie header); the file may be incomplete or not a movie".into(),
        )
    })?;
    let kids = src.children(moov.body, moov.end, Some(&moov))?;
    if find(&kids, *b"cmov").is_some() {
        return Err(ProbeError::Unsupported(
            "compressed movie header (`cmov`)".into(),
        ));
    }
    Ok(kids)
}

/// Walks the atoms of a QuickTime file of `len` bytes and reads its movie header.
pub fn read_movie<R: Read + Seek>(r: &mut R, len: u64) -> Result<Movie, ProbeError> {
    let mut src = Source::new(r, len);
    let kids = moov_children(&mut src)?;
    let mvhd = find(&kids, *b"mvhd")
        .ok_or_else(|| ProbeError::Malformed("`moov` has no `mvhd` (movie header)".into()))?;
    let (timescale, duration) = tables::time_header(&src.body(&mvhd, 64)?)
        .ok_or_else(|| ProbeError::Malformed("`mvhd` is too short or of unknown version".into()))?;
    let mut tracks = Vec::new();
    for trak in kids.iter().filter(|a| a.kind == *b"trak") {
        tracks.push(read_trak(&mut src, trak)?);
    }
    Ok(Movie {
        timescale,
        duration,
        tracks,
    })
}

fn find(atoms: &[Atom], kind: [u8; 4]) -> Option<Atom> {
    atoms.iter().find(|a| a.kind == kind).copied()
}

/// The children of the first `kind` atom in `atoms` (empty when absent).
fn inside<R: Read + Seek>(
    src: &mut Source<'_, R>,
    atoms: &[Atom],
    kind: [u8; 4],
) -> Result<Vec<Atom>, ProbeError> {
    match find(atoms, kind) {
        Some(a) => src.children(a.body, a.end, Some(&a)),
        None => Ok(Vec::new()),
    }
}

fn read_trak<R: Read + Seek>(src: &mut Source<'_, R>, trak: &Atom) -> Result<Track, ProbeError> {
    let mut t = Track {
        stts_complete: true,
        ..Track::default()
    };
    let kids = src.children(trak.body, trak.end, Some(trak))?;
    if let Some(a) = find(&kids, *b"tkhd") {
        t.tkhd_size = tables::tkhd_size(&src.body(&a, 128)?);
    }
    let edts = inside(src, &kids, *b"edts")?;
    if let Some(a) = find(&edts, *b"elst") {
        t.first_edit = tables::first_edit(&src.body(&a, 64)?);
    }
    let mdia = inside(src, &kids, *b"mdia")?;
    if let Some(a) = find(&mdia, *b"mdhd") {
        (t.timescale, t.duration) = tables::time_header(&src.body(&a, 64)?).unwrap_or((0, 0));
    }
    if let Some(a) = find(&mdia, *b"hdlr") {
        t.handler = tables::handler(&src.body(&a, 64)?)
            .map(|h| fourcc_text(&h))
            .unwrap_or_default();
    }
    let minf = inside(src, &mdia, *b"minf")?;
    let stbl = inside(src, &minf, *b"stbl")?;
    if let Some(a) = find(&stbl, *b"stsd") {
        let body = src.body(&a, 4096)?;
        if let Some((format, entry)) = tables::first_entry(&body) {
            t.format = Some(format);
            if &format == b"tmcd" {
                t.tmcd = tables::tmcd_entry(entry);
            } else if t.handler == "vide" {
                if let Some((w, h, name)) = tables::visual_entry(entry) {
                    t.entry_size = Some((u32::from(w), u32::from(h)));
                    t.compressor = name;
                }
            }
        }
    }
    if let Some(a) = find(&stbl, *b"stts") {
        let body = src.body(&a, STTS_CAP)?;
        t.stts = tables::pairs(&body, 8);
        let declared = tables::be32(&body, 4).unwrap_or(0) as usize;
        t.stts_complete = t.stts.len() >= declared;
        t.samples = t.stts.iter().map(|&(n, _)| u64::from(n)).sum();
    }
    if t.tmcd.is_some() {
        t.tmcd_sample = Some(first_tmcd_sample(src, &stbl)?);
    }
    Ok(t)
}

/// The first `tmcd` sample: a 32-bit frame number at the first chunk's offset.
fn first_tmcd_sample<R: Read + Seek>(
    src: &mut Source<'_, R>,
    stbl: &[Atom],
) -> Result<Result<u32, String>, ProbeError> {
    if let Some(a) = find(stbl, *b"stsc") {
        let first = tables::pairs(&src.body(&a, 64)?, 12);
        if first.first().is_some_and(|&(chunk, _)| chunk != 1) {
            return Ok(Err(
                "the `tmcd` sample-to-chunk table does not start at chunk 1".into(),
            ));
        }
    }
    let offset = match (find(stbl, *b"stco"), find(stbl, *b"co64")) {
        (Some(a), _) => tables::first_chunk_offset(&src.body(&a, 64)?, false),
        (None, Some(a)) => tables::first_chunk_offset(&src.body(&a, 64)?, true),
        (None, None) => None,
    };
    let Some(offset) = offset else {
        return Ok(Err("the `tmcd` track has no chunk offset".into()));
    };
    match src.read_at(offset, 4, "`tmcd` sample") {
        Ok(b) => Ok(Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))),
        Err(ProbeError::Truncated { .. }) => Ok(Err(format!(
            "the `tmcd` sample at offset {offset} is past the end of the file"
        ))),
        Err(e) => Err(e),
    }
}

/// `num/den` as an exact known rate (`24000/1001`), else reduced; `None` when 0.
pub(crate) fn normalise_rate(num: u64, den: u64) -> Option<(u32, u32)> {
    if num == 0 || den == 0 {
        return None;
    }
    if let Some((_, r)) = KNOWN_RATES
        .iter()
        .find(|(_, r)| u128::from(num) * u128::from(r.den) == u128::from(den) * u128::from(r.num))
    {
        return Some((r.num, r.den));
    }
    let g = gcd(num, den);
    Some((u32::try_from(num / g).ok()?, u32::try_from(den / g).ok()?))
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The human name of a QuickTime video four-cc, when we know it.
pub fn codec_name(fourcc: &[u8; 4]) -> Option<&'static str> {
    Some(match fourcc {
        b"apco" => "Apple ProRes 422 Proxy",
        b"apcs" => "Apple ProRes 422 LT",
        b"apcn" => "Apple ProRes 422",
        b"apch" => "Apple ProRes 422 HQ",
        b"ap4h" => "Apple ProRes 4444",
        b"ap4x" => "Apple ProRes 4444 XQ",
        b"AVdn" => "Avid DNxHD",
        b"AVdh" => "Avid DNxHR",
        _ => return None,
    })
}

/// Turns the raw movie facts into the shared [`VideoInfo`] (pure).
pub fn describe(movie: &Movie) -> Result<VideoInfo, ProbeError> {
    let videos: Vec<&Track> = movie
        .tracks
        .iter()
        .filter(|t| t.handler == "vide")
        .collect();
    let Some(v) = videos.first().copied() else {
        return Err(ProbeError::Malformed(
            "no video track (no `trak` with a `vide` handler)".into(),
        ));
    };
    let mut notes = Vec::new();
    if videos.len() > 1 {
        notes.push(format!(
            "{} video tracks; the first is described",
            videos.len()
        ));
    }
    let (codec_fourcc, codec_name) = match v.format {
        Some(f) => {
            let text = fourcc_text(&f);
            // Unknown four-ccs keep their text, with the compressor name if any.
            let name = codec_name(&f).map_or_else(
                || {
                    if v.compressor.is_empty() {
                        text.clone()
                    } else {
                        format!("{text} ({})", v.compressor)
                    }
                },
                str::to_string,
            );
            (Some(text), Some(name))
        }
        None => (None, None),
    };
    let (width, height) = v
        .entry_size
        .filter(|&(w, h)| w > 0 && h > 0)
        .or(v.tkhd_size.filter(|&(w, h)| w > 0 && h > 0))
        .unzip();
    let rate = video_rate(v, &mut notes);
    let duration_seconds =
        seconds(movie.duration, movie.timescale).or_else(|| seconds(v.duration, v.timescale));
    edit_note(v, movie.timescale, &mut notes);
    let tc = movie
        .tracks
        .iter()
        .find(|t| t.tmcd.is_some())
        .and_then(|t| start_timecode(t, &mut notes));
    Ok(VideoInfo {
        container: Container::QuickTime,
        details_read: true,
        codec_fourcc,
        codec_name,
        width,
        height,
        frame_rate_num: rate.map(|r| r.0),
        frame_rate_den: rate.map(|r| r.1),
        duration_frames: Some(v.samples),
        duration_seconds,
        start_timecode: tc.map(|t| t.to_string()),
        start_frames: tc.map(|t| t.frames),
        drop_frame: tc.is_some_and(|t| t.rate.drop_frame),
        audio_tracks: movie.tracks.iter().filter(|t| t.handler == "soun").count() as u32,
        sound: None,
        notes,
    })
}

fn seconds(duration: u64, timescale: u32) -> Option<f64> {
    // All-ones durations mean "unknown" in QuickTime.
    (timescale > 0 && duration != u64::from(u32::MAX) && duration != u64::MAX)
        .then(|| duration as f64 / f64::from(timescale))
}

/// The video frame rate: mdhd time scale over the (most common) stts delta.
fn video_rate(v: &Track, notes: &mut Vec<String>) -> Option<(u32, u32)> {
    if !v.stts_complete {
        notes.push("the `stts` table is larger than was read; frame count is partial".into());
    }
    let mut deltas: Vec<(u32, u64)> = Vec::new();
    for &(count, delta) in &v.stts {
        match deltas.iter_mut().find(|(d, _)| *d == delta) {
            Some((_, n)) => *n += u64::from(count),
            None => deltas.push((delta, u64::from(count))),
        }
    }
    if deltas.len() > 1 {
        notes.push("variable frame rate (several sample durations in `stts`)".into());
    }
    let &(delta, _) = deltas.iter().max_by_key(|&&(_, n)| n)?;
    let rate = normalise_rate(u64::from(v.timescale), u64::from(delta));
    if rate.is_none() {
        notes.push("no frame rate: zero time scale or sample duration".into());
    }
    rate
}

fn edit_note(v: &Track, movie_scale: u32, notes: &mut Vec<String>) {
    match v.first_edit {
        Some((dur, -1)) => notes.push(format!(
            "edit list delays the video start by {dur} movie units ({:.3} s)",
            seconds(dur, movie_scale).unwrap_or(0.0)
        )),
        Some((_, t)) if t > 0 => notes.push(format!(
            "edit list starts the video {t} media units in ({:.3} s)",
            seconds(t as u64, v.timescale).unwrap_or(0.0)
        )),
        _ => {}
    }
}

/// The start timecode of a `tmcd` track, or a note saying why there is none.
fn start_timecode(t: &Track, notes: &mut Vec<String>) -> Option<Timecode> {
    let e = t.tmcd?;
    let frame = match t.tmcd_sample.clone()? {
        Ok(f) => f,
        Err(why) => {
            notes.push(format!("no start timecode: {why}"));
            return None;
        }
    };
    if e.flags & 0x8 != 0 {
        notes.push("the `tmcd` track is a counter, not a timecode".into());
        return None;
    }
    let Some((num, den)) = normalise_rate(u64::from(e.timescale), u64::from(e.frame_duration))
    else {
        notes.push("no start timecode: the `tmcd` entry has a zero rate".into());
        return None;
    };
    let mut rate = FrameRate::new(num, den);
    if e.flags & 0x1 != 0 {
        if den == 1001 && num % 30000 == 0 {
            rate.drop_frame = true;
        } else {
            notes.push(format!(
                "`tmcd` drop-frame flag ignored at {}",
                rate.label()
            ));
        }
    }
    if e.frames != 0 && u64::from(e.frames) != rate.nominal() {
        notes.push(format!(
            "`tmcd` counts {} frames per second but its rate is {}",
            e.frames,
            rate.label()
        ));
    }
    Some(Timecode {
        frames: u64::from(frame),
        rate,
    })
}

//! A movie's PCM sound, located: which `soun` track holds it (the first
//! enabled one with PCM), its layout (`entry.rs`: `sowt`, `twos`, `raw `,
//! `in24`, `in32`, `fl32`, `fl64`, `lpcm`, `ipcm`, `fpcm`), and the byte
//! ranges of its samples in play order (`chunks.rs`, from `stsc`,
//! `stco`/`co64` and `stsz`), so a stream can pull just those bytes out of
//! the movie (`stream::extract`), as a `probe::sound::MovieAudio`. Only the
//! movie header is read; tables are capped (`probe::sound::MAX_CHUNKS`),
//! and a movie whose sound cannot be pulled out gives a `NoAudio` that
//! says why in plain words.

mod chunks;
mod entry;
#[cfg(test)]
mod tests;

use std::io::{Read, Seek};

use self::chunks::{Run, Tables};
use self::entry::Format;
use super::atom::{Atom, Source};
use super::{find, inside, moov_children, tables};
use crate::probe::ProbeError;
use crate::probe::sound::{MAX_CHUNKS, MovieAudio, NoAudio, Range};

/// Bytes of a table read at once.
const PIECE: usize = 1 << 20;

/// Edits of `elst` read at most.
const MAX_EDITS: usize = 64;

/// Locates the PCM sound of a QuickTime movie of `len` bytes: the first
/// enabled `soun` track with PCM samples (the first PCM one if none is
/// enabled).
pub fn movie_audio<R: Read + Seek>(r: &mut R, len: u64) -> Result<MovieAudio, NoAudio> {
    let mut src = Source::new(r, len);
    let (movie_scale, traks) = sound_traks(&mut src)?;
    let (t, f) = choose(&traks)?;
    let tables = read_tables(&mut src, &t.stbl)?;
    let (ranges, frames) = chunks::ranges(&tables, f.frame_bytes(), len)?;
    Ok(MovieAudio {
        fourcc: f.fourcc,
        channels: f.channels,
        sample_rate: f.rate,
        bits: f.bits,
        float: f.float,
        big_endian: f.big_endian,
        signed: f.signed || f.float,
        frames,
        ranges,
        media_start: media_start(&t.edits, movie_scale, t.timescale, f.rate),
    })
}

/// One `soun` track as found, before any large table is read.
#[derive(Debug)]
struct SoundTrak {
    /// `tkhd` flag 1.
    enabled: bool,
    /// `mdhd` time scale.
    timescale: u32,
    /// The PCM layout of its first sample description, or why there is none.
    format: Result<Format, NoAudio>,
    /// The atoms inside its `stbl`.
    stbl: Vec<Atom>,
    /// `elst` entries: (duration in movie units, media time; -1 empty).
    edits: Vec<(u64, i64)>,
}

/// The movie time scale and every `soun` track of the movie.
fn sound_traks<R: Read + Seek>(
    src: &mut Source<'_, R>,
) -> Result<(u32, Vec<SoundTrak>), ProbeError> {
    let kids = moov_children(src)?;
    let movie_scale = match find(&kids, *b"mvhd") {
        Some(a) => tables::time_header(&src.body(&a, 64)?).map_or(0, |(s, _)| s),
        None => 0,
    };
    let mut out = Vec::new();
    for trak in kids.iter().filter(|a| a.kind == *b"trak") {
        if let Some(t) = sound_trak(src, trak)? {
            out.push(t);
        }
    }
    Ok((movie_scale, out))
}

/// The facts of one `trak` when its handler is `soun`.
fn sound_trak<R: Read + Seek>(
    src: &mut Source<'_, R>,
    trak: &Atom,
) -> Result<Option<SoundTrak>, ProbeError> {
    let kids = src.children(trak.body, trak.end, Some(trak))?;
    let mdia = inside(src, &kids, *b"mdia")?;
    let handler = match find(&mdia, *b"hdlr") {
        Some(a) => tables::handler(&src.body(&a, 64)?),
        None => None,
    };
    if handler != Some(*b"soun") {
        return Ok(None);
    }
    let enabled = match find(&kids, *b"tkhd") {
        Some(a) => src.body(&a, 4)?.get(3).is_none_or(|f| f & 1 != 0),
        None => true,
    };
    let timescale = match find(&mdia, *b"mdhd") {
        Some(a) => tables::time_header(&src.body(&a, 64)?).map_or(0, |(s, _)| s),
        None => 0,
    };
    let edts = inside(src, &kids, *b"edts")?;
    let edits = match find(&edts, *b"elst") {
        Some(a) => tables::edits(&src.body(&a, 8 + MAX_EDITS * 20)?),
        None => Vec::new(),
    };
    let minf = inside(src, &mdia, *b"minf")?;
    let stbl = inside(src, &minf, *b"stbl")?;
    let format = match find(&stbl, *b"stsd") {
        Some(a) => match tables::first_entry(&src.body(&a, 4096)?) {
            Some((_, e)) => entry::sound_format(e, timescale),
            None => Err(NoAudio::Damaged("`stsd` holds no sound description".into())),
        },
        None => Err(NoAudio::Damaged("no sample description (`stsd`)".into())),
    };
    Ok(Some(SoundTrak {
        enabled,
        timescale,
        format,
        stbl,
        edits,
    }))
}

/// The track to read: the first enabled PCM one, else the first PCM one;
/// several mono PCM tracks and no PCM at all are reasons.
fn choose(traks: &[SoundTrak]) -> Result<(&SoundTrak, Format), NoAudio> {
    let pcm: Vec<(&SoundTrak, Format)> = traks
        .iter()
        .filter_map(|t| t.format.as_ref().ok().map(|f| (t, *f)))
        .collect();
    if pcm.len() > 1 && pcm.iter().all(|(_, f)| f.channels == 1) {
        return Err(NoAudio::MonoTracks(pcm.len()));
    }
    if let Some(&found) = pcm.iter().find(|(t, _)| t.enabled).or(pcm.first()) {
        return Ok(found);
    }
    let first = traks
        .iter()
        .find(|t| t.enabled)
        .or(traks.first())
        .ok_or(NoAudio::NoSoundTrack)?;
    match &first.format {
        Err(why) => Err(why.clone()),
        Ok(_) => Err(NoAudio::NoSoundTrack),
    }
}

/// `stsc`, `stco`/`co64` and `stsz` of the chosen track.
fn read_tables<R: Read + Seek>(src: &mut Source<'_, R>, stbl: &[Atom]) -> Result<Tables, NoAudio> {
    let need = |kind: [u8; 4], what: &str| {
        find(stbl, kind).ok_or_else(|| NoAudio::Damaged(format!("no {what}")))
    };
    let stsc = need(*b"stsc", "samples-per-chunk table (`stsc`)")?;
    let runs = table(src, &stsc, 4, 12, |e| Run {
        first_chunk: word(e, 0),
        samples: word(e, 4),
        description: word(e, 8),
    })?;
    let offsets = match (find(stbl, *b"stco"), find(stbl, *b"co64")) {
        (Some(a), _) => table(src, &a, 4, 4, |e| u64::from(word(e, 0)))?,
        (None, Some(a)) => table(src, &a, 4, 8, |e| {
            (u64::from(word(e, 0)) << 32) | u64::from(word(e, 4))
        })?,
        (None, None) => return Err(NoAudio::Damaged("no chunk offsets (`stco`)".into())),
    };
    let stsz = need(*b"stsz", "sample size table (`stsz`)")?;
    let head = src.body(&stsz, 12)?;
    let (Some(size), Some(count)) = (tables::be32(&head, 4), tables::be32(&head, 8)) else {
        return Err(NoAudio::Damaged("`stsz` is too short".into()));
    };
    let sample_size = if size == 0 {
        uniform_size(&table(src, &stsz, 8, 4, |e| word(e, 0))?)?
    } else {
        size
    };
    Ok(Tables {
        runs,
        offsets,
        sample_size,
        sample_count: count,
    })
}

/// The one size of a table of sample sizes (PCM samples are all alike).
fn uniform_size(sizes: &[u32]) -> Result<u32, NoAudio> {
    match sizes {
        [] => Ok(1),
        [first, rest @ ..] => match rest.iter().find(|&s| s != first) {
            None => Ok(*first),
            Some(other) => Err(NoAudio::Damaged(format!(
                "`stsz` gives PCM samples of different sizes ({first} and {other} bytes)"
            ))),
        },
    }
}

/// The entries of a table atom whose 32-bit entry count sits at `count_at`
/// in its body, `stride` bytes each, read in pieces of at most [`PIECE`]
/// bytes. The count must fit the atom and [`MAX_CHUNKS`].
fn table<R: Read + Seek, T>(
    src: &mut Source<'_, R>,
    atom: &Atom,
    count_at: u64,
    stride: usize,
    parse: impl Fn(&[u8]) -> T,
) -> Result<Vec<T>, NoAudio> {
    let name = atom.name();
    let first = count_at + 4;
    if atom.body_len() < first {
        return Err(NoAudio::Damaged(format!("`{name}` is too short")));
    }
    let head = src.read_at(atom.body, first as usize, &format!("`{name}`"));
    let count = head
        .map_err(NoAudio::from)
        .map(|h| tables::be32(&h, count_at as usize).unwrap_or(0))? as usize;
    let room = (atom.body_len() - first) / stride as u64;
    if count > MAX_CHUNKS {
        return Err(NoAudio::TooLarge(format!(
            "`{name}` claims {count} entries; at most {MAX_CHUNKS} are read"
        )));
    }
    if count as u64 > room {
        return Err(NoAudio::Damaged(format!(
            "`{name}` claims {count} entries but its atom holds only {room}"
        )));
    }
    let mut out = Vec::with_capacity(count.min(PIECE / stride));
    let mut pos = atom.body + first;
    let mut left = count;
    while left > 0 {
        let n = left.min(PIECE / stride);
        let bytes = src.read_at(pos, n * stride, &format!("`{name}`"))?;
        out.extend(bytes.chunks_exact(stride).map(&parse));
        pos += (n * stride) as u64;
        left -= n;
    }
    Ok(out)
}

/// The big-endian word at `at` of a table entry (entries are whole).
fn word(e: &[u8], at: usize) -> u32 {
    tables::be32(e, at).unwrap_or(0)
}

/// Frames the edit list skips (positive) or delays (negative) the sound by.
fn media_start(edits: &[(u64, i64)], movie_scale: u32, media_scale: u32, rate: u32) -> i64 {
    let mut delay: u64 = 0;
    let mut skip: i64 = 0;
    for &(duration, time) in edits {
        if time == -1 {
            delay = delay.saturating_add(duration);
        } else {
            skip = time;
            break;
        }
    }
    let media_scale = if media_scale == 0 { rate } else { media_scale };
    let skipped = rescale(i128::from(skip), rate, media_scale);
    let delayed = rescale(i128::from(delay), rate, movie_scale);
    skipped.saturating_sub(delayed)
}

/// `v` units of `1/scale` s in frames at `rate`, rounded to nearest (0 when `scale` is 0).
fn rescale(v: i128, rate: u32, scale: u32) -> i64 {
    if scale == 0 {
        return 0;
    }
    let (num, den) = (v * i128::from(rate), i128::from(scale));
    let q = (2 * num + num.signum() * den) / (2 * den);
    i64::try_from(q).unwrap_or(if q < 0 { i64::MIN } else { i64::MAX })
}

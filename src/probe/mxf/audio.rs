//! An MXF movie's PCM sound, located (SMPTE ST 377-1 OP1a, the ST 379-1
//! generic container, the ST 382 BWF and AES3 mappings): which sound track
//! of the material package plays (the first with a PCM descriptor), the
//! file package track and descriptor its source clip leads to (channel
//! count, quantization bits, audio sampling rate, block align), and the
//! byte ranges of its samples in play order: the values of the sound
//! essence elements whose key ends in that track's number, frame-wrapped
//! (one element per edit unit) or clip-wrapped (one element per
//! partition), found by walking every KLV of the file from its start to
//! the footer partition with one small read per key and length, seeking
//! past every value (no picture byte is read). The result is a
//! `probe::sound::MovieAudio`; a movie whose sound cannot be pulled out
//! gives a `NoAudio` that says why.
//!
//! Read: little-endian signed PCM of 1 to 4 bytes a sample (8-bit stored
//! unsigned, as in a WAV) in BWF or AES3 elements (types 01 to 04, 0b and
//! 0c of generic container sound item 16h). Refused with a reason: D-10
//! (ST 386) AES3 elements, whose 4-byte header and 32-bit subframes are
//! not plain PCM; big-endian (AIFF) coding; compressed coding (A-law,
//! AC-3, MPEG audio, Dolby E); encrypted essence; several mono tracks; a
//! sound track cut from several source clips or held in another file.
//!
//! Where the sound starts (`media_start`): the material package's sound
//! track plays its sequence from the track's origin; leading filler delays
//! the source clip, whose start position (plus the file package track's
//! origin) skips into the essence. Each is turned into sample frames at the
//! rate of the track that holds it; 0 when all are 0, as ffmpeg writes.
//!
//! Bounded: header sets are read as `mod.rs` reads them (capped values),
//! every key must be an SMPTE label (a lying length shows as no key where
//! the next should be), at most [`MAX_WALK`] triplets are walked and
//! [`MAX_CHUNKS`] ranges kept.

#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::io::{Read, Seek};

use super::header_sets;
use super::klv::{PARTITION_PREFIX, Source, Ul, ul_hex};
use super::sets::{self, Essence, Item, Kind, Set};
use crate::probe::ProbeError;
use crate::probe::sound::{MAX_CHUNKS, MovieAudio, NoAudio, Range};

/// Most KLV triplets walked: 16 for each of [`MAX_CHUNKS`] edit units.
pub const MAX_WALK: u64 = 16 * MAX_CHUNKS as u64;

/// The four bytes every SMPTE label starts with.
const SMPTE: [u8; 4] = [0x06, 0x0E, 0x2B, 0x34];

/// Locates the PCM sound of an MXF file of `len` bytes.
pub fn movie_audio<R: Read + Seek>(r: &mut R, len: u64) -> Result<MovieAudio, NoAudio> {
    let mut src = Source::new(r, len);
    let sets = header_sets(&mut src, &mut Vec::new())?;
    let header = Header::new(&sets);
    let tracks = header.sound_tracks()?;
    let (track, f) = choose(&tracks)?;
    let ranges = walk(&mut src, f.number)?;
    let bytes: u64 = ranges.iter().map(|r| r.len).sum();
    let block = u64::from(f.channels) * u64::from(f.bytes);
    if bytes % block != 0 {
        return Err(NoAudio::Damaged(format!(
            "its sound elements hold {bytes} bytes, not a whole number of {block}-byte frames"
        )));
    }
    Ok(MovieAudio {
        fourcc: f.wrapping,
        channels: f.channels,
        sample_rate: f.rate,
        bits: f.bytes * 8,
        float: false,
        big_endian: false,
        signed: f.bytes > 1,
        frames: bytes / block,
        ranges,
        media_start: track.start.at(f.rate),
    })
}

/// The header sets by instance UID.
struct Header<'a> {
    all: &'a [Set],
    by_uid: HashMap<Ul, &'a Set>,
}

/// One sound track of the material package, followed to its essence.
#[derive(Debug)]
struct SoundTrack {
    /// Where it starts its essence.
    start: Start,
    /// Its PCM layout and element key, or why there is none.
    format: Result<Format, NoAudio>,
}

/// The layout of a sound track's essence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Format {
    /// `bwf ` or `aes3`.
    wrapping: [u8; 4],
    channels: u16,
    /// Frames per second.
    rate: u32,
    /// Bytes per sample of one channel (1 to 4).
    bytes: u16,
    /// The file package track's number: the last four bytes of its
    /// essence elements' key.
    number: [u8; 4],
}

/// Where a sound track starts its essence, as read: edit units at a rate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Start {
    /// Material track units skipped (origin + start position - filler).
    material: i64,
    /// The material track's edit rate.
    material_rate: (i64, i64),
    /// File package track units skipped (its origin).
    file: i64,
    /// The file package track's edit rate.
    file_rate: (i64, i64),
}

impl Start {
    /// Sample frames at `rate` the sound starts at (negative: delayed).
    fn at(&self, rate: u32) -> i64 {
        let frames = |units: i64, (n, d): (i64, i64)| -> i128 {
            if units == 0 || n <= 0 || d <= 0 {
                return 0;
            }
            let num = i128::from(units)
                .saturating_mul(i128::from(rate))
                .saturating_mul(i128::from(d));
            let den = i128::from(n);
            num.saturating_mul(2).saturating_add(num.signum() * den) / (2 * den)
        };
        let total = frames(self.material, self.material_rate)
            .saturating_add(frames(self.file, self.file_rate));
        i64::try_from(total).unwrap_or(if total < 0 { i64::MIN } else { i64::MAX })
    }
}

impl<'a> Header<'a> {
    fn new(all: &'a [Set]) -> Self {
        let by_uid = all
            .iter()
            .filter_map(|s| Some((s.ul(Item::InstanceUid)?, s)))
            .collect();
        Header { all, by_uid }
    }

    fn get(&self, uid: Ul) -> Option<&'a Set> {
        self.by_uid.get(&uid).copied()
    }

    /// The components of a track: its sequence's, or the one component it
    /// references directly.
    fn components(&self, track: &Set) -> Vec<&'a Set> {
        let Some(seg) = track.ul(Item::Sequence).and_then(|u| self.get(u)) else {
            return Vec::new();
        };
        if seg.kind == Kind::Sequence {
            seg.refs(Item::Components)
                .into_iter()
                .filter_map(|u| self.get(u))
                .collect()
        } else {
            vec![seg]
        }
    }

    /// What a track carries, by its sequence's data definition.
    fn essence(&self, track: &Set) -> Essence {
        track
            .ul(Item::Sequence)
            .and_then(|u| self.get(u))
            .and_then(|s| s.ul(Item::DataDefinition))
            .map_or(Essence::Other, |d| sets::essence_of(&d))
    }

    /// Every sound track of the material package, in order.
    fn sound_tracks(&self) -> Result<Vec<SoundTrack>, NoAudio> {
        let material = self
            .all
            .iter()
            .find(|s| s.kind == Kind::MaterialPackage)
            .ok_or_else(|| NoAudio::Damaged("the header has no material package".into()))?;
        let tracks: Vec<&Set> = material
            .refs(Item::Tracks)
            .into_iter()
            .filter_map(|u| self.get(u))
            .filter(|t| t.kind == Kind::Track && self.essence(t) == Essence::Sound)
            .collect();
        if tracks.is_empty() {
            return Err(NoAudio::NoSoundTrack);
        }
        Ok(tracks.into_iter().map(|t| self.follow(t)).collect())
    }

    /// A material sound track followed through its source clip to the
    /// file package track, its descriptor and its format.
    fn follow(&self, track: &Set) -> SoundTrack {
        let mut start = Start {
            material: track.int64(Item::Origin).unwrap_or(0),
            material_rate: rate_of(track),
            ..Start::default()
        };
        let format = self
            .clip(track, &mut start)
            .and_then(|(package, file_track)| {
                start.file = file_track.int64(Item::Origin).unwrap_or(0);
                start.file_rate = rate_of(file_track);
                let id = file_track.uint(Item::TrackId).unwrap_or(0);
                let number = file_track
                    .uint(Item::TrackNumber)
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or(0);
                let d = self.descriptor(package, id)?;
                format_of(d, number.to_be_bytes())
            });
        SoundTrack { start, format }
    }

    /// The one source clip of a material track (after any filler, which
    /// `start` counts), and the file package and track it points to.
    fn clip(&self, track: &Set, start: &mut Start) -> Result<(&'a Set, &'a Set), NoAudio> {
        let components = self.components(track);
        let clips = components
            .iter()
            .filter(|c| c.kind == Kind::SourceClip)
            .count();
        if clips > 1 {
            return Err(NoAudio::Unsupported(format!(
                "cut from {clips} source clips (an edited sound track)"
            )));
        }
        let mut clip = None;
        for c in components {
            match c.kind {
                Kind::Filler if clip.is_none() => {
                    let d = c.int64(Item::Duration).unwrap_or(0);
                    start.material = start.material.saturating_sub(d);
                }
                Kind::SourceClip => clip = Some(c),
                _ => {}
            }
        }
        let clip = clip.ok_or_else(|| {
            NoAudio::Damaged("the material package's sound track holds no source clip".into())
        })?;
        start.material = start
            .material
            .saturating_add(clip.int64(Item::StartPosition).unwrap_or(0));
        let umid = clip.bytes(Item::SourcePackageId).unwrap_or(&[]);
        let package = self
            .all
            .iter()
            .filter(|s| s.kind == Kind::SourcePackage)
            .find(|p| !umid.is_empty() && p.bytes(Item::PackageUid) == Some(umid))
            .ok_or_else(|| {
                NoAudio::Unsupported(
                    "in another file (its source clip refers to a package this file does not hold)"
                        .into(),
                )
            })?;
        let id = clip.uint(Item::SourceTrackId);
        let file_track = package
            .refs(Item::Tracks)
            .into_iter()
            .filter_map(|u| self.get(u))
            .find(|t| t.kind == Kind::Track && t.uint(Item::TrackId) == id)
            .ok_or_else(|| {
                NoAudio::Damaged(format!(
                    "the file package has no track {} for the sound's source clip",
                    id.unwrap_or(0)
                ))
            })?;
        Ok((package, file_track))
    }

    /// The sound descriptor of track `id` of a file package: the one linked
    /// to it, or the package's only sound descriptor.
    fn descriptor(&self, package: &Set, id: u64) -> Result<&'a Set, NoAudio> {
        let top = package.ul(Item::Descriptor).and_then(|u| self.get(u));
        let all: Vec<&Set> = match top {
            Some(d) if d.kind == Kind::Multiple => d
                .refs(Item::SubDescriptors)
                .into_iter()
                .filter_map(|u| self.get(u))
                .collect(),
            Some(d) => vec![d],
            None => Vec::new(),
        };
        let sound: Vec<&Set> = all.into_iter().filter(|d| d.kind == Kind::Sound).collect();
        let linked = sound
            .iter()
            .find(|d| d.uint(Item::LinkedTrackId) == Some(id));
        let only = match sound.as_slice() {
            [d] if d.uint(Item::LinkedTrackId).is_none() => Some(d),
            _ => None,
        };
        linked.or(only).copied().ok_or_else(|| {
            NoAudio::Unsupported(
                "described by no generic sound, Wave or AES3 descriptor linked to its track".into(),
            )
        })
    }
}

/// A track's edit rate as integers (0/0 when absent).
fn rate_of(track: &Set) -> (i64, i64) {
    track
        .rational(Item::EditRate)
        .map_or((0, 0), |(n, d)| (i64::from(n), i64::from(d)))
}

/// The track to read: the first with PCM; several mono PCM tracks and no
/// PCM at all are reasons.
fn choose(tracks: &[SoundTrack]) -> Result<(&SoundTrack, Format), NoAudio> {
    let pcm: Vec<(&SoundTrack, Format)> = tracks
        .iter()
        .filter_map(|t| t.format.as_ref().ok().map(|f| (t, *f)))
        .collect();
    if pcm.len() > 1 && pcm.iter().all(|(_, f)| f.channels == 1) {
        return Err(NoAudio::MonoTracks(pcm.len()));
    }
    if let Some(&found) = pcm.first() {
        return Ok(found);
    }
    match tracks.first().map(|t| &t.format) {
        Some(Err(why)) => Err(why.clone()),
        _ => Err(NoAudio::NoSoundTrack),
    }
}

/// The D-10 refusal (SMPTE ST 386 sound).
fn d10() -> NoAudio {
    NoAudio::Unsupported(
        "AES3 in the D-10 layout (SMPTE ST 386: a 4-byte header, then 32-bit AES3 subframes \
         of 8 channels per sample), not plain PCM"
            .into(),
    )
}

/// The layout a sound descriptor and its track's number give, or why the
/// samples are not little-endian PCM this reader pulls out.
fn format_of(d: &Set, number: [u8; 4]) -> Result<Format, NoAudio> {
    if d.ul(Item::EssenceContainer)
        .is_some_and(|c| c[..4] == SMPTE && c[8..14] == [0x0D, 1, 3, 1, 2, 1])
    {
        return Err(d10());
    }
    coding(d.ul(Item::SoundCompression))?;
    let wrapping = match number {
        [0x16, _, 0x01 | 0x02 | 0x0B, _] => *b"bwf ",
        [0x16, _, 0x03 | 0x04 | 0x0C, _] => *b"aes3",
        [0x06, ..] => return Err(d10()),
        [0, 0, 0, 0] => {
            return Err(NoAudio::Unsupported(
                "on a track without a track number (its essence cannot be found)".into(),
            ));
        }
        [0x16, _, t, _] => {
            return Err(NoAudio::Unsupported(format!(
                "in sound elements of type 0x{t:02x} (BWF and AES3 PCM are types 01 to 04, 0b and 0c)"
            )));
        }
        [item, ..] => {
            return Err(NoAudio::Unsupported(format!(
                "in essence of item type 0x{item:02x}, not generic container sound (16h)"
            )));
        }
    };
    let damaged = |what: &str| NoAudio::Damaged(format!("the sound descriptor {what}"));
    let channels = match d.uint(Item::ChannelCount) {
        None | Some(0) => return Err(damaged("gives no channel count")),
        Some(c) => {
            u16::try_from(c).map_err(|_| NoAudio::Unsupported(format!("sound of {c} channels")))?
        }
    };
    let rate = match d.rational(Item::AudioSamplingRate) {
        Some((n, d)) if n > 0 && d > 0 && n % d == 0 => (n / d) as u32,
        Some((n, d)) if n > 0 && d > 0 => {
            return Err(NoAudio::Unsupported(format!("a sample rate of {n}/{d} Hz")));
        }
        _ => return Err(damaged("gives no audio sampling rate")),
    };
    let bits = match d.uint(Item::QuantizationBits) {
        None | Some(0) => return Err(damaged("gives no quantization bits")),
        Some(b) => b,
    };
    let block = match d.uint(Item::BlockAlign).filter(|&b| b > 0) {
        Some(b) => b,
        None => u64::from(channels) * bits.div_ceil(8),
    };
    if block % u64::from(channels) != 0 {
        return Err(damaged(&format!(
            "gives a block align of {block} bytes for {channels} channels"
        )));
    }
    let bytes = block / u64::from(channels);
    if !(1..=4).contains(&bytes) {
        return Err(NoAudio::Unsupported(format!("samples of {bytes} bytes")));
    }
    if bits > bytes * 8 {
        return Err(damaged(&format!(
            "gives {bits}-bit samples in {bytes}-byte words"
        )));
    }
    Ok(Format {
        wrapping,
        channels,
        rate,
        bytes: bytes as u16,
        number,
    })
}

/// Accepts a sound coding label that means uncompressed little-endian PCM
/// (none, all zero, `04.02.02.01.00` or `04.02.02.01.7f`).
fn coding(label: Option<Ul>) -> Result<(), NoAudio> {
    let Some(ul) = label.filter(|u| u.iter().any(|&b| b != 0)) else {
        return Ok(());
    };
    if ul[..4] != SMPTE {
        return Err(NoAudio::Unsupported(format!("coded as {}", ul_hex(&ul))));
    }
    match ul[8..15] {
        [4, 2, 2, 1, 0x00 | 0x7F, 0, 0] => Ok(()),
        [4, 2, 2, 1, 0x7E, _, _] => Err(NoAudio::Unsupported(
            "big-endian PCM (AIFF sound coding)".into(),
        )),
        [4, 2, 2, 2, 3, 1, _] => Err(NoAudio::Compressed("A-law".into())),
        [4, 2, 2, 2, 3, 2, 1] => Err(NoAudio::Compressed("AC-3".into())),
        [4, 2, 2, 2, 3, 2, 5] => Err(NoAudio::Compressed("MPEG audio".into())),
        [4, 2, 2, 2, 3, 2, 0x1C] => Err(NoAudio::Compressed("Dolby E".into())),
        [4, 2, 2, 2, ..] => Err(NoAudio::Compressed(format!("coded as {}", ul_hex(&ul)))),
        _ => Err(NoAudio::Unsupported(format!("coded as {}", ul_hex(&ul)))),
    }
}

/// True for a generic container essence element key (any item).
fn is_element(key: &Ul) -> bool {
    key[..4] == SMPTE && key[4..7] == [1, 2, 1] && key[8..12] == [0x0D, 1, 3, 1]
}

/// True for an encrypted triplet (SMPTE ST 429-6).
fn is_encrypted(key: &Ul) -> bool {
    key[..4] == SMPTE && key[4..7] == [2, 4, 1] && key[8..15] == [0x0D, 1, 3, 1, 2, 0x7E, 1]
}

/// The values of the essence elements whose key ends in `number`, in file
/// order: every KLV from the start of the file up to the footer
/// partition, its value skipped.
fn walk<R: Read + Seek>(src: &mut Source<'_, R>, number: [u8; 4]) -> Result<Vec<Range>, NoAudio> {
    walk_within(src, number, MAX_CHUNKS, MAX_WALK)
}

/// [`walk`] keeping at most `max_ranges` ranges and walking at most
/// `max_klvs` triplets.
fn walk_within<R: Read + Seek>(
    src: &mut Source<'_, R>,
    number: [u8; 4],
    max_ranges: usize,
    max_klvs: u64,
) -> Result<Vec<Range>, NoAudio> {
    let mut ranges: Vec<Range> = Vec::new();
    let mut encrypted = false;
    let mut pos = 0u64;
    let mut walked = 0u64;
    while pos < src.len {
        walked += 1;
        if walked > max_klvs {
            return Err(NoAudio::TooLarge(format!(
                "more than {max_klvs} KLV triplets"
            )));
        }
        let k = src.klv(pos).map_err(broken)?;
        if k.key[..4] != SMPTE {
            return Err(NoAudio::Damaged(format!(
                "no KLV key at offset {pos}: a length before it is wrong, or the file is cut"
            )));
        }
        if k.key[..13] == PARTITION_PREFIX && k.key[13] == 0x04 {
            break; // the footer: no essence after it
        }
        encrypted |= is_encrypted(&k.key);
        // Two elements' values are never adjacent (a key and a length lie
        // between): each is a range of its own.
        if is_element(&k.key) && k.key[12..16] == number && k.len > 0 {
            if ranges.len() == max_ranges {
                return Err(NoAudio::TooLarge(format!(
                    "more than {max_ranges} sound elements"
                )));
            }
            ranges.push(Range {
                offset: k.value_at,
                len: k.len,
            });
        }
        pos = k.end();
    }
    match (ranges.is_empty(), encrypted) {
        (false, _) => Ok(ranges),
        (true, true) => Err(NoAudio::Unsupported("encrypted".into())),
        (true, false) => Err(NoAudio::Empty),
    }
}

/// Why the walk stopped at a KLV (the error names its offset).
fn broken(e: ProbeError) -> NoAudio {
    match e {
        ProbeError::Io(why) => NoAudio::Unreadable(why),
        other => NoAudio::Damaged(other.to_string()),
    }
}

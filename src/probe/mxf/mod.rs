//! MXF (SMPTE ST 377-1) reference video reader: our own KLV walk of the
//! header partition only: the partition pack, the primer pack (local tag ->
//! UL), then the header metadata sets up to the first essence, index or
//! partition key. From the sets: the material package's picture track (edit
//! rate, duration), its timecode component (start, rounded base, drop frame),
//! its sound tracks, and the picture descriptor (stored size, essence coding
//! label -> ProRes / DNxHD / DNxHR name, else the label as hex). [`audio`]
//! locates the sample bytes of the movie's PCM sound.

pub mod audio;
mod klv;
mod sets;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::io::{Read, Seek};

use self::klv::{PARTITION_PREFIX, PRIMER_KEY, Source, Ul, ul_hex};
use self::sets::{Essence, Item, Kind, Set};
use super::mov::normalise_rate;
use super::{Container, ProbeError, VideoInfo};
use crate::timecode::{FrameRate, Timecode};

/// Most KLV triplets walked in the header partition.
const MAX_KLVS: u32 = 20_000;
/// Largest set or pack value read (bytes).
const VALUE_CAP: u64 = 1 << 20;

/// True when the first bytes are an MXF partition pack key (header, body or
/// footer partition: byte 13 is 02, 03 or 04; byte 14, when present, is the
/// status 01 to 04).
pub fn looks_like_mxf(magic: &[u8]) -> bool {
    magic.len() >= 14
        && magic[..13] == PARTITION_PREFIX
        && (0x02..=0x04).contains(&magic[13])
        && magic.get(14).is_none_or(|s| (0x01..=0x04).contains(s))
}

/// Reads the header facts of an MXF file of `len` bytes, with its sound
/// as the comparison reads it (`probe::movie_sound`).
pub fn read<R: Read + Seek>(r: &mut R, len: u64) -> Result<VideoInfo, ProbeError> {
    let mut src = Source::new(r, len);
    let mut notes = Vec::new();
    let sets = header_sets(&mut src, &mut notes)?;
    let mut info = describe(&sets, notes)?;
    info.sound = Some(super::movie_sound(r, len));
    Ok(info)
}

/// True for a KLV fill item key (any version).
fn is_fill(key: &Ul) -> bool {
    key[..4] == [0x06, 0x0E, 0x2B, 0x34] && key[8..16] == [3, 1, 2, 0x10, 1, 0, 0, 0]
}

/// The header metadata sets with an instance UID, in file order.
fn header_sets<R: Read + Seek>(
    src: &mut Source<'_, R>,
    notes: &mut Vec<String>,
) -> Result<Vec<Set>, ProbeError> {
    let pp = src.klv(0)?;
    if pp.key[..13] != PARTITION_PREFIX || pp.key[13] != 0x02 {
        return Err(ProbeError::Malformed(
            "the file does not start with an MXF header partition pack".into(),
        ));
    }
    let part = klv::partition(&pp.key, &src.value(&pp, VALUE_CAP, "partition pack")?)?;
    if matches!(part.status, 0x01 | 0x02) {
        notes.push("the header partition is marked incomplete".into());
    }
    if part.op[..4] != [0x06, 0x0E, 0x2B, 0x34] || part.op[8..14] != [0x0D, 1, 2, 1, 1, 1] {
        notes.push(format!(
            "operational pattern is not OP1a ({})",
            ul_hex(&part.op)
        ));
    }
    let mut primer: Option<HashMap<u16, Ul>> = None;
    let mut sets = Vec::new();
    let mut pos = pp.end();
    for _ in 0..MAX_KLVS {
        if pos >= src.len {
            break;
        }
        let k = src.klv(pos)?;
        if k.key == PRIMER_KEY {
            primer = Some(klv::primer(&src.value(&k, VALUE_CAP, "primer pack")?)?);
        } else if sets::is_set_key(&k.key) {
            let Some(p) = primer.as_ref() else {
                return Err(ProbeError::Malformed(format!(
                    "header metadata set at offset {pos} comes before the primer pack"
                )));
            };
            let v = src.value(&k, VALUE_CAP, "header metadata set")?;
            let set = sets::parse_set(&k.key, &v, pos, p)?;
            if set.items.contains_key(&Item::InstanceUid) {
                sets.push(set);
            }
        } else if !is_fill(&k.key) {
            break; // essence, index table or the next partition
        }
        pos = k.end();
    }
    if primer.is_none() {
        return Err(ProbeError::Malformed(
            "no primer pack after the header partition pack (no header metadata)".into(),
        ));
    }
    Ok(sets)
}

/// Facts of one timeline track.
struct TrackFacts<'a> {
    essence: Essence,
    edit_rate: Option<(u32, u32)>,
    duration: Option<u64>,
    timecode: Option<&'a Set>,
}

fn track_facts<'a>(track: &'a Set, by_uid: &HashMap<Ul, &'a Set>) -> TrackFacts<'a> {
    let seq = track
        .ul(Item::Sequence)
        .and_then(|u| by_uid.get(&u).copied());
    let essence = seq
        .and_then(|s| s.ul(Item::DataDefinition))
        .map_or(Essence::Other, |d| sets::essence_of(&d));
    let timecode = seq.and_then(|s| {
        if s.kind == Kind::Timecode {
            Some(s)
        } else {
            s.refs(Item::Components)
                .iter()
                .filter_map(|u| by_uid.get(u).copied())
                .find(|c| c.kind == Kind::Timecode)
        }
    });
    TrackFacts {
        essence,
        edit_rate: track
            .rational(Item::EditRate)
            .and_then(|(n, d)| normalise_rate(u64::try_from(n).ok()?, u64::try_from(d).ok()?)),
        duration: seq
            .and_then(|s| s.int64(Item::Duration))
            .and_then(|d| u64::try_from(d).ok()),
        timecode,
    }
}

/// Turns the header sets into the shared [`VideoInfo`] (pure).
fn describe(all: &[Set], mut notes: Vec<String>) -> Result<VideoInfo, ProbeError> {
    let by_uid: HashMap<Ul, &Set> = all
        .iter()
        .filter_map(|s| Some((s.ul(Item::InstanceUid)?, s)))
        .collect();
    // Material package first, then the source packages.
    let packages = all
        .iter()
        .filter(|s| s.kind == Kind::MaterialPackage)
        .chain(all.iter().filter(|s| s.kind == Kind::SourcePackage));
    let mut tracks: Vec<(Kind, TrackFacts<'_>)> = Vec::new();
    for p in packages {
        for u in p.refs(Item::Tracks) {
            if let Some(t) = by_uid.get(&u).filter(|t| t.kind == Kind::Track) {
                tracks.push((p.kind, track_facts(t, &by_uid)));
            }
        }
    }
    let picture = tracks.iter().find(|(_, t)| t.essence == Essence::Picture);
    let descriptor = all.iter().find(|s| s.kind == Kind::Picture);
    if picture.is_none() && descriptor.is_none() {
        return Err(ProbeError::Malformed(
            "no picture track or picture descriptor in the MXF header".into(),
        ));
    }
    let rate = picture.and_then(|(_, t)| t.edit_rate).or_else(|| {
        let (n, d) = descriptor?.rational(Item::SampleRate)?;
        normalise_rate(u64::try_from(n).ok()?, u64::try_from(d).ok()?)
    });
    let frames = picture.and_then(|(_, t)| t.duration).or_else(|| {
        descriptor?
            .int64(Item::ContainerDuration)
            .and_then(|d| u64::try_from(d).ok())
    });
    let coding = descriptor.and_then(|d| d.ul(Item::PictureCoding));
    let (width, height) = descriptor.map(picture_size).unwrap_or_default();
    let has_material = tracks.iter().any(|(k, _)| *k == Kind::MaterialPackage);
    let audio_tracks = tracks
        .iter()
        .filter(|(k, t)| {
            t.essence == Essence::Sound && (*k == Kind::MaterialPackage || !has_material)
        })
        .count() as u32;
    let tc = tracks
        .iter()
        .find_map(|(_, t)| t.timecode)
        .and_then(|s| start_timecode(s, rate, &mut notes));
    Ok(VideoInfo {
        container: Container::Mxf,
        details_read: true,
        codec_fourcc: coding.map(|u| ul_hex(&u)),
        codec_name: coding.map(|u| sets::coding_name(&u).unwrap_or_else(|| ul_hex(&u))),
        width,
        height,
        frame_rate_num: rate.map(|r| r.0),
        frame_rate_den: rate.map(|r| r.1),
        duration_frames: frames,
        duration_seconds: frames
            .zip(rate)
            .map(|(f, (n, d))| f as f64 * f64::from(d) / f64::from(n)),
        start_timecode: tc.map(|t| t.to_string()),
        start_frames: tc.map(|t| t.frames),
        drop_frame: tc.is_some_and(|t| t.rate.drop_frame),
        audio_tracks,
        sound: None,
        notes,
    })
}

/// The picture size: the display size when given (the stored size is
/// rounded up to whole macroblocks, 1088 for 1080), else the stored size;
/// heights of separately stored fields are doubled to frame heights.
fn picture_size(d: &Set) -> (Option<u32>, Option<u32>) {
    let get = |i| {
        d.uint(i)
            .and_then(|v| u32::try_from(v).ok())
            .filter(|&v| v > 0)
    };
    let width = get(Item::DisplayWidth).or_else(|| get(Item::StoredWidth));
    let height = get(Item::DisplayHeight).or_else(|| get(Item::StoredHeight));
    let fields = d.uint(Item::FrameLayout) == Some(1);
    (
        width,
        height.map(|h| if fields { h.saturating_mul(2) } else { h }),
    )
}

/// The start of a timecode component, at the picture rate when it matches
/// the rounded base, else at the base itself (x1000/1001 when drop-frame).
fn start_timecode(s: &Set, rate: Option<(u32, u32)>, notes: &mut Vec<String>) -> Option<Timecode> {
    let base = s.uint(Item::RoundedBase).filter(|&b| b > 0 && b <= 1000)?;
    let drop = s.uint(Item::DropFrame).is_some_and(|d| d != 0);
    let Some(start) = s.int64(Item::StartTimecode) else {
        notes.push("timecode component has no start".into());
        return None;
    };
    let Ok(frames) = u64::try_from(start) else {
        notes.push(format!("negative start timecode ({start} frames) ignored"));
        return None;
    };
    let mut tc_rate = match rate.map(|(n, d)| FrameRate::new(n, d)) {
        Some(r) if r.nominal() == base => r,
        _ if drop && base % 30 == 0 => FrameRate::new(base as u32 * 1000, 1001),
        _ => FrameRate::new(base as u32, 1),
    };
    if drop {
        if tc_rate.den == 1001 && tc_rate.num % 30000 == 0 {
            tc_rate.drop_frame = true;
        } else {
            notes.push(format!("drop-frame flag ignored at {}", tc_rate.label()));
        }
    }
    Some(Timecode {
        frames,
        rate: tc_rate,
    })
}

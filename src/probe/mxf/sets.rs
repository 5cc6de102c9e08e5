//! MXF header metadata sets (SMPTE ST 377-1): local set parsing (2-byte tag,
//! 2-byte length), resolving each local tag to the item it means through the
//! primer pack (falling back to the static tag when the primer lacks it),
//! and the typed accessors the readers need (strong references, rationals,
//! integers, UMIDs). Set kinds come from the set key: packages, tracks and
//! their components, picture and sound descriptors (ST 377-1, ST 382).

use std::collections::HashMap;

use super::klv::Ul;
use crate::probe::ProbeError;

/// The kinds of set the reader follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Material package.
    MaterialPackage,
    /// Source (file) package.
    SourcePackage,
    /// Timeline track.
    Track,
    /// Sequence of components.
    Sequence,
    /// Source clip.
    SourceClip,
    /// Timecode component.
    Timecode,
    /// Filler component.
    Filler,
    /// A picture descriptor (CDCI, RGBA, MPEG, generic).
    Picture,
    /// A sound descriptor (generic sound, Wave audio, AES3 audio).
    Sound,
    /// A multiple descriptor.
    Multiple,
    /// Anything else.
    Other,
}

/// The header metadata set key prefix (local sets, 2-byte tags and lengths).
const SET_PREFIX: [u8; 13] = [
    0x06, 0x0E, 0x2B, 0x34, 0x02, 0x53, 0x01, 0x01, 0x0D, 0x01, 0x01, 0x01, 0x01,
];

/// True for a header metadata set key (any set, known or not).
pub(crate) fn is_set_key(key: &Ul) -> bool {
    key[..13] == SET_PREFIX
}

/// The kind of a set from its key.
pub(crate) fn kind_of(key: &Ul) -> Kind {
    match (key[13], key[14]) {
        (0x01, 0x36) => Kind::MaterialPackage,
        (0x01, 0x37) => Kind::SourcePackage,
        (0x01, 0x3B) => Kind::Track,
        (0x01, 0x0F) => Kind::Sequence,
        (0x01, 0x11) => Kind::SourceClip,
        (0x01, 0x14) => Kind::Timecode,
        (0x01, 0x09) => Kind::Filler,
        (0x01, 0x27 | 0x28 | 0x29 | 0x51) => Kind::Picture,
        (0x01, 0x42 | 0x47 | 0x48) => Kind::Sound,
        (0x01, 0x44) => Kind::Multiple,
        _ => Kind::Other,
    }
}

/// The items the reader uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Item {
    /// Instance UID of the set.
    InstanceUid,
    /// Package tracks (strong reference batch).
    Tracks,
    /// Source package descriptor (strong reference).
    Descriptor,
    /// Track sequence (strong reference).
    Sequence,
    /// Track edit rate (rational).
    EditRate,
    /// Component data definition (UL).
    DataDefinition,
    /// Component duration (edit units).
    Duration,
    /// Sequence components (strong reference array).
    Components,
    /// Timecode start (frames).
    StartTimecode,
    /// Timecode rounded base (frames per second).
    RoundedBase,
    /// Timecode drop frame flag.
    DropFrame,
    /// Descriptor sample rate (rational).
    SampleRate,
    /// Descriptor container duration.
    ContainerDuration,
    /// Picture essence coding (UL).
    PictureCoding,
    /// Stored height.
    StoredHeight,
    /// Stored width.
    StoredWidth,
    /// Multiple descriptor sub-descriptors (strong reference array).
    SubDescriptors,
    /// Display height.
    DisplayHeight,
    /// Display width.
    DisplayWidth,
    /// Frame layout (0 full frame, 1 separate fields...).
    FrameLayout,
    /// Package UID (a 32-byte UMID).
    PackageUid,
    /// Track ID (within its package).
    TrackId,
    /// Track number (the essence element key's last four bytes).
    TrackNumber,
    /// Track origin (edit units).
    Origin,
    /// Source clip start position (edit units).
    StartPosition,
    /// Source clip's package (a 32-byte UMID).
    SourcePackageId,
    /// Source clip's track ID in that package.
    SourceTrackId,
    /// File descriptor's linked track ID.
    LinkedTrackId,
    /// File descriptor's essence container label.
    EssenceContainer,
    /// Sound descriptor audio sampling rate (rational).
    AudioSamplingRate,
    /// Sound descriptor channel count.
    ChannelCount,
    /// Sound descriptor quantization bits.
    QuantizationBits,
    /// Sound descriptor essence compression label.
    SoundCompression,
    /// Wave / AES3 descriptor block align (bytes per frame).
    BlockAlign,
}

/// Static tag, item designator (UL bytes 8..16) and item.
const ITEMS: [(u16, [u8; 8], Item); 34] = [
    (0x3C0A, [1, 1, 0x15, 2, 0, 0, 0, 0], Item::InstanceUid),
    (0x4403, [6, 1, 1, 4, 6, 5, 0, 0], Item::Tracks),
    (0x4701, [6, 1, 1, 4, 2, 3, 0, 0], Item::Descriptor),
    (0x4803, [6, 1, 1, 4, 2, 4, 0, 0], Item::Sequence),
    (0x4B01, [5, 0x30, 4, 5, 0, 0, 0, 0], Item::EditRate),
    (0x0201, [4, 7, 1, 0, 0, 0, 0, 0], Item::DataDefinition),
    (0x0202, [7, 2, 2, 1, 1, 3, 0, 0], Item::Duration),
    (0x1001, [6, 1, 1, 4, 6, 9, 0, 0], Item::Components),
    (0x1501, [7, 2, 1, 3, 1, 5, 0, 0], Item::StartTimecode),
    (0x1502, [4, 4, 1, 1, 2, 6, 0, 0], Item::RoundedBase),
    (0x1503, [4, 4, 1, 1, 5, 0, 0, 0], Item::DropFrame),
    (0x3001, [4, 6, 1, 1, 0, 0, 0, 0], Item::SampleRate),
    (0x3002, [4, 6, 1, 2, 0, 0, 0, 0], Item::ContainerDuration),
    (0x3201, [4, 1, 6, 1, 0, 0, 0, 0], Item::PictureCoding),
    (0x3202, [4, 1, 5, 2, 1, 0, 0, 0], Item::StoredHeight),
    (0x3203, [4, 1, 5, 2, 2, 0, 0, 0], Item::StoredWidth),
    (0x3F01, [6, 1, 1, 4, 6, 0x0B, 0, 0], Item::SubDescriptors),
    (0x3208, [4, 1, 5, 1, 0x0B, 0, 0, 0], Item::DisplayHeight),
    (0x3209, [4, 1, 5, 1, 0x0C, 0, 0, 0], Item::DisplayWidth),
    (0x320C, [4, 1, 3, 1, 4, 0, 0, 0], Item::FrameLayout),
    (0x4401, [1, 1, 0x15, 0x10, 0, 0, 0, 0], Item::PackageUid),
    (0x4801, [1, 7, 1, 1, 0, 0, 0, 0], Item::TrackId),
    (0x4804, [1, 4, 1, 3, 0, 0, 0, 0], Item::TrackNumber),
    (0x4B02, [7, 2, 1, 3, 1, 3, 0, 0], Item::Origin),
    (0x1201, [7, 2, 1, 3, 1, 4, 0, 0], Item::StartPosition),
    (0x1101, [6, 1, 1, 3, 1, 0, 0, 0], Item::SourcePackageId),
    (0x1102, [6, 1, 1, 3, 2, 0, 0, 0], Item::SourceTrackId),
    (0x3006, [6, 1, 1, 3, 5, 0, 0, 0], Item::LinkedTrackId),
    (0x3004, [6, 1, 1, 4, 1, 2, 0, 0], Item::EssenceContainer),
    (0x3D03, [4, 2, 3, 1, 1, 1, 0, 0], Item::AudioSamplingRate),
    (0x3D07, [4, 2, 1, 1, 4, 0, 0, 0], Item::ChannelCount),
    (0x3D01, [4, 2, 3, 3, 4, 0, 0, 0], Item::QuantizationBits),
    (0x3D06, [4, 2, 4, 2, 0, 0, 0, 0], Item::SoundCompression),
    (0x3D0A, [4, 2, 3, 2, 1, 0, 0, 0], Item::BlockAlign),
];

/// What a local tag means: by the primer's UL when the primer has the tag,
/// else by the static tag of ST 377-1.
fn resolve(tag: u16, primer: &HashMap<u16, Ul>) -> Option<Item> {
    match primer.get(&tag) {
        Some(ul) => ITEMS
            .iter()
            .find(|(_, d, _)| ul[..4] == [0x06, 0x0E, 0x2B, 0x34] && ul[8..] == *d)
            .map(|&(_, _, i)| i),
        None => ITEMS.iter().find(|(t, _, _)| *t == tag).map(|&(_, _, i)| i),
    }
}

/// One parsed set: its kind and the items the reader knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Set {
    /// What the set is.
    pub kind: Kind,
    /// Known items and their raw values.
    pub items: HashMap<Item, Vec<u8>>,
}

/// Parses a local set value; items running past the set are an error.
pub(crate) fn parse_set(
    key: &Ul,
    v: &[u8],
    offset: u64,
    primer: &HashMap<u16, Ul>,
) -> Result<Set, ProbeError> {
    let mut items = HashMap::new();
    let mut at = 0usize;
    while at + 4 <= v.len() {
        let tag = u16::from_be_bytes([v[at], v[at + 1]]);
        let len = usize::from(u16::from_be_bytes([v[at + 2], v[at + 3]]));
        let Some(data) = v.get(at + 4..at + 4 + len) else {
            return Err(ProbeError::Malformed(format!(
                "local item 0x{tag:04X} of the set at offset {offset} claims {len} bytes but the set has {} left",
                v.len() - at - 4
            )));
        };
        if let Some(item) = resolve(tag, primer) {
            items.insert(item, data.to_vec());
        }
        at += 4 + len;
    }
    Ok(Set {
        kind: kind_of(key),
        items,
    })
}

impl Set {
    /// The raw value of an item (a 32-byte UMID, for one).
    pub fn bytes(&self, item: Item) -> Option<&[u8]> {
        self.items.get(&item).map(Vec::as_slice)
    }

    /// A 16-byte value (a UL or a reference).
    pub fn ul(&self, item: Item) -> Option<Ul> {
        self.items.get(&item)?.get(..16)?.try_into().ok()
    }

    /// A big-endian unsigned value of 1 to 8 bytes.
    pub fn uint(&self, item: Item) -> Option<u64> {
        let b = self.items.get(&item)?;
        (1..=8)
            .contains(&b.len())
            .then(|| b.iter().fold(0u64, |a, &x| (a << 8) | u64::from(x)))
    }

    /// A signed 64-bit value (durations, positions).
    pub fn int64(&self, item: Item) -> Option<i64> {
        let b = self.items.get(&item)?;
        Some(i64::from_be_bytes(b.get(..8)?.try_into().ok()?))
    }

    /// A rational (two signed 32-bit values), as `(num, den)`.
    pub fn rational(&self, item: Item) -> Option<(i32, i32)> {
        let b = self.items.get(&item)?;
        let n = i32::from_be_bytes(b.get(..4)?.try_into().ok()?);
        let d = i32::from_be_bytes(b.get(4..8)?.try_into().ok()?);
        Some((n, d))
    }

    /// A batch or array of 16-byte references (count, item size, items).
    pub fn refs(&self, item: Item) -> Vec<Ul> {
        let Some(b) = self.items.get(&item) else {
            return Vec::new();
        };
        let (Some(n), Some(size)) = (b.get(..4), b.get(4..8)) else {
            return Vec::new();
        };
        let n = u32::from_be_bytes([n[0], n[1], n[2], n[3]]) as usize;
        if u32::from_be_bytes([size[0], size[1], size[2], size[3]]) != 16 {
            return Vec::new();
        }
        b[8..]
            .chunks_exact(16)
            .take(n)
            .filter_map(|c| c.try_into().ok())
            .collect()
    }
}

/// What a data definition label says a track carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Essence {
    /// Picture.
    Picture,
    /// Sound.
    Sound,
    /// Timecode.
    Timecode,
    /// Data or unknown.
    Other,
}

/// Classifies a data definition UL (ignoring its version byte).
pub(crate) fn essence_of(dd: &Ul) -> Essence {
    match dd[8..13] {
        [0x01, 0x03, 0x02, 0x02, 0x01] => Essence::Picture,
        [0x01, 0x03, 0x02, 0x02, 0x02] => Essence::Sound,
        [0x01, 0x03, 0x02, 0x01, _] => Essence::Timecode,
        _ => Essence::Other,
    }
}

/// The human name of a picture essence coding label, when recognised.
pub(crate) fn coding_name(ul: &Ul) -> Option<String> {
    if ul[..4] != [0x06, 0x0E, 0x2B, 0x34] {
        return None;
    }
    match ul[8..15] {
        // SMPTE RDD 44: Apple ProRes.
        [0x04, 0x01, 0x02, 0x02, 0x03, 0x06, p] => Some(
            match p {
                1 => "Apple ProRes 422 Proxy",
                2 => "Apple ProRes 422 LT",
                3 => "Apple ProRes 422",
                4 => "Apple ProRes 422 HQ",
                5 => "Apple ProRes 4444",
                6 => "Apple ProRes 4444 XQ",
                _ => "Apple ProRes",
            }
            .to_string(),
        ),
        // SMPTE ST 2019-4: VC-3 (byte 13 is the compression ID - 1234).
        [0x04, 0x01, 0x02, 0x02, 0x71, c, _] => Some(
            match c {
                0x24 => "Avid DNxHR 444",
                0x25 => "Avid DNxHR HQX",
                0x26 => "Avid DNxHR HQ",
                0x27 => "Avid DNxHR SQ",
                0x28 => "Avid DNxHR LB",
                _ => "Avid DNxHD",
            }
            .to_string(),
        ),
        _ => None,
    }
}

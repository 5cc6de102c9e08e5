//! Speaker labels for WAV channels: from `dwChannelMask` (EXTENSIBLE) or, with
//! no mask, the usual order for the channel count.
//!
//! Labels name the speaker the mask assigns to each channel, in file order
//! (WAVE requires channels in mask bit order). Decisions:
//! - mono without a mask is `M`; a mask of just front-centre (0x4) is `C`;
//! - a surround pair is `Ls Rs` whether it is the back pair (0x30, 5.1 = 0x3F)
//!   or the side pair (0x600, 5.1 = 0x60F), so both 5.1 masks read
//!   `L R C LFE Ls Rs`;
//! - when both pairs are present (7.1, 0x63F) the back pair is `Lsr Rsr` and
//!   the side pair `Lss Rss`; bit order then gives `L R C LFE Lsr Rsr Lss Rss`;
//! - heights: `Tc` (top centre), `Ltf Ctf Rtf` (top front), `Ltr Ctr Rtr` (top rear);
//!   front-of-centre `Lc Rc`; back centre `Cs`;
//! - a channel the mask leaves unassigned (fewer mask bits than channels, or
//!   a reserved bit) is `Ch<n>` with its 1-based index.
//!
//! A mask of 0 or with only the "all speakers" bit counts as no mask.

/// Mask bits of the back pair (`SPEAKER_BACK_LEFT | SPEAKER_BACK_RIGHT`).
const BACK_PAIR: u32 = 0x30;
/// Mask bits of the side pair (`SPEAKER_SIDE_LEFT | SPEAKER_SIDE_RIGHT`).
const SIDE_PAIR: u32 = 0x600;
/// `SPEAKER_ALL`: "any speaker configuration", not a position.
const SPEAKER_ALL: u32 = 0x8000_0000;

/// Speaker labels, in file order, for `channels` channels and an optional mask.
pub fn channel_labels(channels: u16, mask: Option<u32>) -> Vec<String> {
    match mask {
        Some(m) if m != 0 && m != SPEAKER_ALL => from_mask(channels, m),
        _ => default_labels(channels),
    }
}

/// The label of one mask bit (0 = front left), given the whole mask.
fn bit_label(bit: u32, mask: u32) -> Option<&'static str> {
    let seven_one = mask & BACK_PAIR != 0 && mask & SIDE_PAIR != 0;
    Some(match bit {
        0 => "L",
        1 => "R",
        2 => "C",
        3 => "LFE",
        4 if seven_one => "Lsr",
        5 if seven_one => "Rsr",
        9 if seven_one => "Lss",
        10 if seven_one => "Rss",
        4 | 9 => "Ls",
        5 | 10 => "Rs",
        6 => "Lc",
        7 => "Rc",
        8 => "Cs",
        11 => "Tc",
        12 => "Ltf",
        13 => "Ctf",
        14 => "Rtf",
        15 => "Ltr",
        16 => "Ctr",
        17 => "Rtr",
        _ => return None,
    })
}

fn from_mask(channels: u16, mask: u32) -> Vec<String> {
    let mut labels: Vec<String> = (0..32u32)
        .filter(|b| mask & (1 << b) != 0)
        .map(|b| bit_label(b, mask).map(str::to_string))
        .take(usize::from(channels))
        .enumerate()
        .map(|(i, l)| l.unwrap_or_else(|| format!("Ch{}", i + 1)))
        .collect();
    while labels.len() < usize::from(channels) {
        labels.push(format!("Ch{}", labels.len() + 1));
    }
    labels
}

/// The usual order for a channel count when the file has no mask.
fn default_labels(channels: u16) -> Vec<String> {
    let known: &[&str] = match channels {
        1 => &["M"],
        2 => &["L", "R"],
        3 => &["L", "R", "C"],
        4 => &["L", "R", "Ls", "Rs"],
        5 => &["L", "R", "C", "Ls", "Rs"],
        6 => &["L", "R", "C", "LFE", "Ls", "Rs"],
        7 => &["L", "R", "C", "LFE", "Cs", "Ls", "Rs"],
        8 => &["L", "R", "C", "LFE", "Lsr", "Rsr", "Lss", "Rss"],
        10 => &[
            "L", "R", "C", "LFE", "Lsr", "Rsr", "Lss", "Rss", "Ltf", "Rtf",
        ],
        _ => &[],
    };
    if known.is_empty() {
        (1..=channels).map(|i| format!("Ch{i}")).collect()
    } else {
        known.iter().map(|s| (*s).to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(channels: u16, mask: Option<u32>) -> String {
        channel_labels(channels, mask).join(" ")
    }

    #[test]
    fn both_five_one_masks_read_the_same() {
        assert_eq!(joined(6, Some(0x3F)), "L R C LFE Ls Rs");
        assert_eq!(joined(6, Some(0x60F)), "L R C LFE Ls Rs");
        assert_eq!(joined(6, None), "L R C LFE Ls Rs");
    }

    #[test]
    fn seven_one_splits_side_and_rear() {
        assert_eq!(joined(8, Some(0x63F)), "L R C LFE Lsr Rsr Lss Rss");
        assert_eq!(joined(8, None), joined(8, Some(0x63F)));
    }

    #[test]
    fn mono_stereo_and_no_mask() {
        assert_eq!(joined(1, None), "M");
        assert_eq!(joined(1, Some(0x4)), "C");
        assert_eq!(joined(1, Some(0)), "M");
        assert_eq!(joined(2, Some(0x3)), "L R");
        assert_eq!(joined(2, Some(SPEAKER_ALL)), "L R");
        assert_eq!(joined(12, None).split(' ').count(), 12);
        assert_eq!(joined(0, None), "");
    }

    #[test]
    fn short_mask_and_reserved_bits_fill_with_indices() {
        assert_eq!(joined(4, Some(0x3)), "L R Ch3 Ch4");
        assert_eq!(joined(3, Some(0x3 | 0x4_0000)), "L R Ch3");
        // More bits than channels: the first ones in bit order win.
        assert_eq!(joined(2, Some(0x3F)), "L R");
        assert_eq!(joined(5, Some(0x607)), "L R C Ls Rs");
        assert_eq!(
            joined(10, Some(0x563F)),
            "L R C LFE Lsr Rsr Lss Rss Ltf Rtf"
        );
    }
}

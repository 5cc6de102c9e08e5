//! Metadata chunks of a WAV, decoded from bytes already read (and capped) by
//! the walker: `bext` (EBU Tech 3285), `LIST`/`INFO` entries and text fields.

use super::super::{Bext, ProbeError, fourcc_text};

/// Bytes of `bext` up to and including the version field.
pub const BEXT_MIN: usize = 348;

/// Text of a fixed-size field: up to the first NUL, lossy UTF-8.
pub fn field_text(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// Text of a free-form chunk (iXML): lossy UTF-8 with trailing NULs removed.
pub fn chunk_text(b: &[u8]) -> String {
    let end = b.iter().rposition(|&c| c != 0).map_or(0, |i| i + 1);
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// Decodes the fixed part of a `bext` chunk (`b` holds at least [`BEXT_MIN`] bytes).
pub fn parse_bext(b: &[u8]) -> Result<Bext, ProbeError> {
    if b.len() < BEXT_MIN {
        return Err(ProbeError::Malformed(format!(
            "`bext` chunk is {} bytes; at least {BEXT_MIN} are needed",
            b.len()
        )));
    }
    let low = u32::from_le_bytes([b[338], b[339], b[340], b[341]]);
    let high = u32::from_le_bytes([b[342], b[343], b[344], b[345]]);
    Ok(Bext {
        description: field_text(&b[0..256]),
        originator: field_text(&b[256..288]),
        originator_reference: field_text(&b[288..320]),
        origination_date: field_text(&b[320..330]),
        origination_time: field_text(&b[330..338]),
        time_reference: (u64::from(high) << 32) | u64::from(low),
        version: u16::from_le_bytes([b[346], b[347]]),
    })
}

/// The entries of a `LIST` chunk payload of type `INFO` (`b` starts after the
/// list type). A damaged entry ends the list quietly: the audio facts do not
/// depend on it.
pub fn parse_info(b: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while pos + 8 <= b.len() {
        let id = fourcc_text(&b[pos..pos + 4]);
        let size = u32::from_le_bytes([b[pos + 4], b[pos + 5], b[pos + 6], b[pos + 7]]) as usize;
        let start = pos + 8;
        let Some(end) = start.checked_add(size).filter(|&e| e <= b.len()) else {
            break;
        };
        out.push((id, chunk_text(&b[start..end]).trim_end().to_string()));
        pos = end + (size & 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bext_fields_and_64_bit_time_reference() {
        let mut b = vec![0u8; 602];
        b[..5].copy_from_slice(b"hello");
        b[256..259].copy_from_slice(b"Pro");
        b[288..291].copy_from_slice(b"ref");
        b[320..330].copy_from_slice(b"2026-11-25");
        b[330..338].copy_from_slice(b"10:11:12");
        let tr: u64 = 0x1_2345_6789;
        b[338..346].copy_from_slice(&tr.to_le_bytes());
        b[346..348].copy_from_slice(&2u16.to_le_bytes());
        let x = parse_bext(&b).unwrap();
        assert_eq!(x.description, "hello");
        assert_eq!(x.originator, "Pro");
        assert_eq!(x.originator_reference, "ref");
        assert_eq!(x.origination_date, "2026-11-25");
        assert_eq!(x.origination_time, "10:11:12");
        assert_eq!(x.time_reference, tr);
        assert_eq!(x.version, 2);
        assert!(parse_bext(&b[..347]).is_err());
    }

    #[test]
    fn info_entries_with_pad_and_damage() {
        let mut b = Vec::new();
        b.extend_from_slice(b"INAM");
        b.extend_from_slice(&5u32.to_le_bytes());
        b.extend_from_slice(b"Title\0");
        b.extend_from_slice(b"ICMT");
        b.extend_from_slice(&2u32.to_le_bytes());
        b.extend_from_slice(b"ok");
        b.extend_from_slice(b"IBAD");
        b.extend_from_slice(&999u32.to_le_bytes());
        let e = parse_info(&b);
        assert_eq!(
            e,
            vec![
                ("INAM".into(), "Title".into()),
                ("ICMT".into(), "ok".into())
            ]
        );
    }

    #[test]
    fn text_helpers() {
        assert_eq!(field_text(b"ab\0cd"), "ab");
        assert_eq!(chunk_text(b"<x/>\0\0"), "<x/>");
        assert_eq!(chunk_text(b"\xFF"), "\u{FFFD}");
    }
}

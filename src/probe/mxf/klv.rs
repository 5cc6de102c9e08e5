//! The KLV layer of MXF (SMPTE ST 336/377-1): keys, BER lengths with
//! bounds checks, the partition pack and the primer pack. Lengths are
//! checked against the file before anything is read, and values are only
//! read up to a cap, so a bad length can never drive an allocation.

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Seek, SeekFrom};

use crate::probe::ProbeError;

/// A 16-byte SMPTE universal label.
pub(crate) type Ul = [u8; 16];

/// The first 13 bytes of every partition pack key.
pub(crate) const PARTITION_PREFIX: [u8; 13] = [
    0x06, 0x0E, 0x2B, 0x34, 0x02, 0x05, 0x01, 0x01, 0x0D, 0x01, 0x02, 0x01, 0x01,
];

/// The primer pack key.
pub(crate) const PRIMER_KEY: Ul = [
    0x06, 0x0E, 0x2B, 0x34, 0x02, 0x05, 0x01, 0x01, 0x0D, 0x01, 0x02, 0x01, 0x01, 0x05, 0x01, 0x00,
];

/// A UL as dotted hex (`06.0e.2b.34...`).
pub(crate) fn ul_hex(ul: &[u8]) -> String {
    ul.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(".")
}

/// One KLV triplet's key and where its value lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Klv {
    /// The key.
    pub key: Ul,
    /// Offset of the key.
    pub start: u64,
    /// Offset of the first value byte.
    pub value_at: u64,
    /// Value length.
    pub len: u64,
}

impl Klv {
    /// Offset one past the value.
    pub fn end(&self) -> u64 {
        self.value_at + self.len
    }
}

/// A seekable source of known length.
pub(crate) struct Source<'a, R> {
    r: &'a mut R,
    /// File length in bytes.
    pub len: u64,
}

impl<'a, R: Read + Seek> Source<'a, R> {
    /// Wraps a reader whose total length is `len`.
    pub fn new(r: &'a mut R, len: u64) -> Self {
        Self { r, len }
    }

    /// Reads exactly `n` bytes at `pos`; past the end is `Truncated`.
    pub fn read_at(&mut self, pos: u64, n: usize, what: &str) -> Result<Vec<u8>, ProbeError> {
        let end = pos.saturating_add(n as u64);
        if end > self.len {
            return Err(truncated(what, end, self.len));
        }
        self.r.seek(SeekFrom::Start(pos))?;
        let mut buf = vec![0u8; n];
        self.r.read_exact(&mut buf).map_err(|e| {
            if e.kind() == ErrorKind::UnexpectedEof {
                truncated(what, end, self.len)
            } else {
                e.into()
            }
        })?;
        Ok(buf)
    }

    /// Reads the key and BER length at `pos` (one read of at most 25
    /// bytes) and checks the value fits the file.
    pub fn klv(&mut self, pos: u64) -> Result<Klv, ProbeError> {
        let room = self.len.saturating_sub(pos).min(25);
        let head = self.read_at(pos, room.max(17) as usize, "KLV key and length")?;
        let mut key = [0u8; 16];
        key.copy_from_slice(&head[..16]);
        let first = head[16];
        let (len, len_bytes) = if first < 0x80 {
            (u64::from(first), 0)
        } else {
            let n = usize::from(first & 0x7F);
            if n == 0 || n > 8 {
                return Err(ProbeError::Malformed(format!(
                    "KLV at offset {pos} has an invalid BER length byte 0x{first:02X}"
                )));
            }
            let Some(b) = head.get(17..17 + n) else {
                return Err(truncated("KLV length", pos + 17 + n as u64, self.len));
            };
            (b.iter().fold(0u64, |a, &x| (a << 8) | u64::from(x)), n)
        };
        let value_at = pos + 17 + len_bytes as u64;
        let end = value_at.checked_add(len).ok_or_else(|| {
            ProbeError::Malformed(format!(
                "KLV at offset {pos} has an impossible length {len}"
            ))
        })?;
        if end > self.len {
            return Err(truncated(
                &format!("KLV {} at offset {pos}", ul_hex(&key[..14])),
                end,
                self.len,
            ));
        }
        Ok(Klv {
            key,
            start: pos,
            value_at,
            len,
        })
    }

    /// Reads a value of at most `cap` bytes; a longer one is an error naming `what`.
    pub fn value(&mut self, k: &Klv, cap: u64, what: &str) -> Result<Vec<u8>, ProbeError> {
        if k.len > cap {
            return Err(ProbeError::Unsupported(format!(
                "{what} of {} bytes at offset {} (more than {cap})",
                k.len, k.start
            )));
        }
        self.read_at(k.value_at, k.len as usize, what)
    }
}

fn truncated(what: &str, end: u64, len: u64) -> ProbeError {
    ProbeError::Truncated {
        what: what.to_string(),
        expected: end,
        missing: end.saturating_sub(len),
    }
}

/// The partition pack fields the reader uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Partition {
    /// 02 header, 03 body, 04 footer.
    pub kind: u8,
    /// 01 open incomplete, 02 closed incomplete, 03 open complete, 04 closed complete.
    pub status: u8,
    /// Bytes of header metadata after this pack.
    pub header_byte_count: u64,
    /// The operational pattern label.
    pub op: Ul,
}

/// Parses a partition pack value (key bytes 13 and 14 give kind and status).
pub(crate) fn partition(key: &Ul, v: &[u8]) -> Result<Partition, ProbeError> {
    if v.len() < 88 {
        return Err(ProbeError::Malformed(format!(
            "partition pack is {} bytes, fewer than the 88 it needs",
            v.len()
        )));
    }
    let mut hb = [0u8; 8];
    hb.copy_from_slice(&v[32..40]);
    let mut op = [0u8; 16];
    op.copy_from_slice(&v[64..80]);
    Ok(Partition {
        kind: key[13],
        status: key[14],
        header_byte_count: u64::from_be_bytes(hb),
        op,
    })
}

/// Parses a primer pack value: local tag -> UL.
pub(crate) fn primer(v: &[u8]) -> Result<HashMap<u16, Ul>, ProbeError> {
    let bad = |why: &str| ProbeError::Malformed(format!("primer pack: {why}"));
    if v.len() < 8 {
        return Err(bad("too short"));
    }
    let count = u32::from_be_bytes([v[0], v[1], v[2], v[3]]) as usize;
    let size = u32::from_be_bytes([v[4], v[5], v[6], v[7]]) as usize;
    if size != 18 {
        return Err(bad(&format!("entries of {size} bytes, expected 18")));
    }
    if count > (v.len() - 8) / 18 {
        return Err(bad(&format!(
            "{count} entries do not fit in {} bytes",
            v.len()
        )));
    }
    let mut map = HashMap::with_capacity(count);
    for e in v[8..8 + count * 18].chunks_exact(18) {
        let mut ul = [0u8; 16];
        ul.copy_from_slice(&e[2..]);
        map.insert(u16::from_be_bytes([e[0], e[1]]), ul);
    }
    Ok(map)
}

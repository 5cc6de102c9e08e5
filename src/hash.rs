//! What a file's digests are: which are selected (SHA-256 and xxHash64
//! always, MD5 on request), their lowercase hex form (xxHash64 in its
//! canonical big-endian form, 16 hex digits, as `xxhsum` and ASC MHL print
//! it). They are computed in one
//! place, the one-read engine's digest sinks (`stream::digest`).

use serde::{Deserialize, Serialize};

/// The read block of a file hashed on its own (`stream::digest::hash_file`
/// uses half of it per stream).
pub const READ_BUFFER: usize = 4 * 1024 * 1024;

/// Which optional digests to compute. SHA-256 and xxHash64 are always computed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HashSelection {
    /// Also compute MD5 (slow: about a third of the speed of SHA-256 with SHA-NI).
    pub md5: bool,
}

impl HashSelection {
    /// SHA-256 and xxHash64 only.
    pub const BASE: Self = Self { md5: false };
    /// SHA-256, xxHash64 and MD5.
    pub const WITH_MD5: Self = Self { md5: true };
}

/// The digests of one byte stream, lowercase hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Digests {
    /// SHA-256, 64 hex digits.
    pub sha256: String,
    /// xxHash64 (seed 0), canonical big-endian, 16 hex digits.
    pub xxh64: String,
    /// MD5, 32 hex digits, when selected.
    pub md5: Option<String>,
}

impl Digests {
    /// True when `again` (a re-read computed with [`HashSelection::BASE`])
    /// proves the same bytes: SHA-256 and xxHash64 both match. A
    /// cryptographic match makes recomputing MD5 pointless, so a read-back
    /// skips it (MD5 is the slowest digest).
    pub fn same_bytes(&self, again: &Digests) -> bool {
        self.sha256 == again.sha256 && self.xxh64 == again.xxh64
    }
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase() {
        assert_eq!(hex(&[0x00, 0xab, 0xff, 0x10]), "00abff10");
    }
}

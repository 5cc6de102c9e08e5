//! Hashing: one `update` feeds SHA-256, xxHash64 and (optionally) MD5, so a
//! file is read once whatever the manifest, the `.sha256` list and the ASC
//! MHL need. Digests are lowercase hex; xxHash64 is printed in its canonical
//! big-endian form (16 hex digits), as `xxhsum` and ASC MHL print it.
//! [`hash_file`] and [`hash_reader`] read with one large buffer, report
//! progress and stop at the next buffer when cancelled.

use std::io::{self, Read};
use std::path::Path;

use md5::Md5;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use xxhash_rust::xxh64::Xxh64;

use crate::progress::{Cancel, Event, Observer};

/// The read buffer of [`hash_file`]: large enough that syscalls cost nothing.
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

/// Feeds every selected hash from the same bytes.
#[derive(Clone)]
pub struct MultiHasher {
    sha256: Sha256,
    xxh64: Xxh64,
    md5: Option<Md5>,
}

impl std::fmt::Debug for MultiHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MultiHasher")
            .field("md5", &self.md5.is_some())
            .finish_non_exhaustive()
    }
}

impl MultiHasher {
    /// A fresh hasher for the selection.
    pub fn new(sel: HashSelection) -> Self {
        Self {
            sha256: Sha256::new(),
            xxh64: Xxh64::new(0),
            md5: sel.md5.then(Md5::new),
        }
    }

    /// Adds bytes to every digest.
    pub fn update(&mut self, bytes: &[u8]) {
        self.sha256.update(bytes);
        self.xxh64.update(bytes);
        if let Some(m) = self.md5.as_mut() {
            m.update(bytes);
        }
    }

    /// The digests of everything fed so far.
    pub fn finish(self) -> Digests {
        Digests {
            sha256: hex(&self.sha256.finalize()),
            xxh64: format!("{:016x}", self.xxh64.digest()),
            md5: self.md5.map(|m| hex(&m.finalize())),
        }
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

/// The error [`hash_reader`] and [`hash_file`] return when `cancel` fires:
/// kind [`io::ErrorKind::Interrupted`], text "cancelled".
pub fn cancelled_error() -> io::Error {
    io::Error::new(io::ErrorKind::Interrupted, "cancelled")
}

/// True when `e` is the error of a cancelled hash (not an OS `EINTR`, which
/// the read loop retries itself).
pub fn is_cancelled(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Interrupted && e.to_string() == "cancelled"
}

/// Hashes everything `reader` yields, using `buf` as the read buffer.
/// Emits one [`Event::Advance`] per filled buffer and checks `cancel` before
/// each read; returns [`cancelled_error`] when cancelled.
pub fn hash_reader<R: Read>(
    reader: &mut R,
    sel: HashSelection,
    buf: &mut [u8],
    observer: &mut impl Observer,
    cancel: &Cancel,
) -> io::Result<Digests> {
    if buf.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "empty read buffer",
        ));
    }
    let mut hasher = MultiHasher::new(sel);
    loop {
        if cancel.is_cancelled() {
            return Err(cancelled_error());
        }
        let n = match reader.read(buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&buf[..n]);
        observer.event(Event::Advance { bytes: n as u64 });
    }
    Ok(hasher.finish())
}

/// Opens `path` read-only and hashes its whole content in one read, one
/// thread per digest. Progress as in [`hash_reader`] (one `Advance` per
/// block); the caller emits `FileStart`/`FileDone` if it wants them. A file
/// that changes size while it is read is an error.
pub fn hash_file(
    path: &Path,
    sel: HashSelection,
    observer: &mut impl Observer,
    cancel: &Cancel,
) -> io::Result<Digests> {
    use crate::pack::pipeline::{StreamError, stream_with_block};
    use crate::pack::sinks::DigestSinks;
    let file = crate::input::open_regular(path).map_err(std::io::Error::from)?;
    let len = file.metadata()?.len();
    crate::pack::fsops::advise_sequential(&file);
    // One read fanned out to a thread per digest (the pack engine), so
    // SHA-256, xxHash64 and MD5 run side by side on the cores.
    let mut digests = DigestSinks::new(sel);
    let result = {
        let mut sinks = digests.sinks();
        // Half-size blocks: verify runs two of these streams at once, and
        // memory stays as low as one stream with full blocks.
        stream_with_block(
            &mut &file,
            len,
            &mut sinks,
            cancel,
            &mut |n| {
                observer.event(Event::Advance { bytes: n });
            },
            READ_BUFFER / 2,
        )
    };
    match result {
        Ok(_) => Ok(digests.finish()),
        Err(StreamError::Cancelled) => Err(cancelled_error()),
        Err(StreamError::Read { source, .. }) => Err(source),
        Err(e) => Err(io::Error::other(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    fn digests(bytes: &[u8]) -> Digests {
        let mut h = MultiHasher::new(HashSelection::WITH_MD5);
        h.update(bytes);
        h.finish()
    }

    // Published test vectors (FIPS 180-2, RFC 1321, xxHash reference).
    #[test]
    fn known_vectors() {
        let e = digests(b"");
        assert_eq!(
            e.sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(e.md5.as_deref(), Some("d41d8cd98f00b204e9800998ecf8427e"));
        assert_eq!(e.xxh64, "ef46db3751d8e999");
        let abc = digests(b"abc");
        assert_eq!(
            abc.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(abc.md5.as_deref(), Some("900150983cd24fb0d6963f7d28e17f72"));
        assert_eq!(abc.xxh64, "44bc2cf5ad770999");
    }

    #[test]
    fn split_updates_equal_one_update() {
        let data: Vec<u8> = (0..10_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let whole = digests(&data);
        let mut h = MultiHasher::new(HashSelection::WITH_MD5);
        for chunk in data.chunks(333) {
            h.update(chunk);
        }
        assert_eq!(h.finish(), whole);
    }

    #[test]
    fn md5_only_when_selected() {
        let mut h = MultiHasher::new(HashSelection::BASE);
        h.update(b"abc");
        let d = h.finish();
        assert!(d.md5.is_none());
        assert_eq!(d.sha256, digests(b"abc").sha256);
    }

    #[test]
    fn reader_small_buffer_and_progress() {
        let data = vec![0x5au8; 1000];
        let mut buf = [0u8; 64];
        let mut total = 0u64;
        let mut obs = |e: Event| {
            if let Event::Advance { bytes } = e {
                total += bytes;
            }
        };
        let d = hash_reader(
            &mut &data[..],
            HashSelection::WITH_MD5,
            &mut buf,
            &mut obs,
            &Cancel::new(),
        )
        .unwrap();
        assert_eq!(d, digests(&data));
        assert_eq!(total, 1000);
    }

    #[test]
    fn cancel_stops_reading() {
        let cancel = Cancel::new();
        cancel.cancel();
        let mut buf = [0u8; 8];
        let err = hash_reader(
            &mut &b"abcdef"[..],
            HashSelection::BASE,
            &mut buf,
            &mut Silent,
            &cancel,
        )
        .unwrap_err();
        assert!(is_cancelled(&err));
    }

    #[test]
    fn hex_is_lowercase() {
        assert_eq!(hex(&[0x00, 0xab, 0xff, 0x10]), "00abff10");
    }
}

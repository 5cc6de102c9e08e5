//! The digest sinks of the one-read engine, the one place digests are
//! computed: SHA-256, xxHash64 and (when selected) MD5, each on its own
//! thread when streamed, or one after another over bytes in memory. Also
//! the two whole-file reads that only hash: [`hash_file`] (verify) and
//! [`reread`] (pack's read-back from the disk).

use std::io;
use std::path::Path;

use md5::Md5;
use sha2::{Digest, Sha256};
use xxhash_rust::xxh64::Xxh64;

use super::{Sink, StreamError, stream, stream_with_block};
use crate::hash::{Digests, HashSelection, READ_BUFFER, hex};
use crate::pack::fsops;
use crate::progress::{Cancel, Event, Observer};

/// SHA-256 of the stream.
#[derive(Default)]
pub struct ShaSink(Sha256);

/// xxHash64 (seed 0) of the stream.
pub struct XxhSink(Xxh64);

/// MD5 of the stream.
#[derive(Default)]
pub struct Md5Sink(Md5);

impl Sink for ShaSink {
    fn consume(&mut self, block: &[u8]) -> io::Result<()> {
        self.0.update(block);
        Ok(())
    }
}

impl Sink for XxhSink {
    fn consume(&mut self, block: &[u8]) -> io::Result<()> {
        self.0.update(block);
        Ok(())
    }
}

impl Sink for Md5Sink {
    fn consume(&mut self, block: &[u8]) -> io::Result<()> {
        self.0.update(block);
        Ok(())
    }
}

/// The digest sinks of one stream, each on its own thread.
pub struct DigestSinks {
    sha: ShaSink,
    xxh: XxhSink,
    md5: Option<Md5Sink>,
}

impl DigestSinks {
    /// Fresh sinks for the selection.
    pub fn new(sel: HashSelection) -> Self {
        Self {
            sha: ShaSink::default(),
            xxh: XxhSink(Xxh64::new(0)),
            md5: sel.md5.then(Md5Sink::default),
        }
    }

    /// Adds bytes to every digest, one after another on this thread.
    pub fn update(&mut self, bytes: &[u8]) {
        self.sha.0.update(bytes);
        self.xxh.0.update(bytes);
        if let Some(m) = self.md5.as_mut() {
            m.0.update(bytes);
        }
    }

    /// The sinks, for [`super::stream`].
    pub fn sinks(&mut self) -> Vec<&mut dyn Sink> {
        let mut v: Vec<&mut dyn Sink> = vec![&mut self.sha, &mut self.xxh];
        if let Some(m) = self.md5.as_mut() {
            v.push(m);
        }
        v
    }

    /// The digests, lowercase hex (xxHash64 canonical big-endian).
    pub fn finish(self) -> Digests {
        Digests {
            sha256: hex(&self.sha.0.finalize()),
            xxh64: format!("{:016x}", self.xxh.0.digest()),
            md5: self.md5.map(|m| hex(&m.0.finalize())),
        }
    }
}

/// The digests of bytes in memory.
pub fn digests_of(bytes: &[u8], sel: HashSelection) -> Digests {
    let mut d = DigestSinks::new(sel);
    d.update(bytes);
    d.finish()
}

/// Opens `path` read-only and hashes its whole content in one read, one
/// thread per digest. Progress: one `Advance` per block; the caller emits
/// `FileStart`/`FileDone` if it wants them. A file that cannot be opened
/// is a `Read` error at byte 0, a file that changes size while it is read
/// `Short` or `Long`, and a cancel [`StreamError::Cancelled`].
pub fn hash_file(
    path: &Path,
    sel: HashSelection,
    observer: &mut impl Observer,
    cancel: &Cancel,
) -> Result<Digests, StreamError> {
    let unreadable = |source: io::Error| StreamError::Read { at: 0, source };
    let file = crate::input::open_regular(path)
        .map_err(io::Error::from)
        .map_err(unreadable)?;
    let len = file.metadata().map_err(unreadable)?.len();
    fsops::advise_sequential(&file);
    // One read fanned out to a thread per digest (the pack engine), so
    // SHA-256, xxHash64 and MD5 run side by side on the cores.
    let mut digests = DigestSinks::new(sel);
    {
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
        )?;
    }
    Ok(digests.finish())
}

/// Reads a written file back from the disk (its cached pages dropped first,
/// so the read proves the disk) and returns its SHA-256 and xxHash64, which
/// prove the bytes (MD5 is not recomputed). An open failure is a `Read`
/// error at byte 0.
pub fn reread(
    path: &Path,
    size: u64,
    cancel: &Cancel,
    on_bytes: &mut dyn FnMut(u64),
) -> Result<Digests, StreamError> {
    let file = crate::input::open_regular(path)
        .map_err(std::io::Error::from)
        .map_err(|source| StreamError::Read { at: 0, source })?;
    fsops::drop_cache(&file);
    fsops::advise_sequential(&file);
    let mut digests = DigestSinks::new(HashSelection::BASE);
    stream(&mut &file, size, &mut digests.sinks(), cancel, on_bytes)?;
    Ok(digests.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Silent;

    fn digests(bytes: &[u8]) -> Digests {
        digests_of(bytes, HashSelection::WITH_MD5)
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
        let mut h = DigestSinks::new(HashSelection::WITH_MD5);
        for chunk in data.chunks(333) {
            h.update(chunk);
        }
        assert_eq!(h.finish(), whole);
    }

    #[test]
    fn md5_only_when_selected() {
        let d = digests_of(b"abc", HashSelection::BASE);
        assert!(d.md5.is_none());
        assert_eq!(d.sha256, digests(b"abc").sha256);
    }

    #[test]
    fn a_file_streamed_on_threads_equals_the_bytes_hashed_here() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let data: Vec<u8> = (0..3_000_000u32).map(|i| (i * 13 % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let mut total = 0u64;
        let mut obs = |e: Event| {
            if let Event::Advance { bytes } = e {
                total += bytes;
            }
        };
        let d = hash_file(&path, HashSelection::WITH_MD5, &mut obs, &Cancel::new()).unwrap();
        assert_eq!(d, digests(&data));
        assert_eq!(total, data.len() as u64);
    }

    #[test]
    fn cancel_stops_reading() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"abcdef").unwrap();
        let cancel = Cancel::new();
        cancel.cancel();
        let err = hash_file(&path, HashSelection::BASE, &mut Silent, &cancel).unwrap_err();
        assert!(matches!(err, StreamError::Cancelled), "{err}");
    }
}

//! The sinks of the one-read pipeline besides the writer: one per digest
//! (so SHA-256, xxHash64 and MD5 run on separate threads) and the analysis.

use std::io;
use std::path::Path;

use md5::Md5;
use sha2::{Digest, Sha256};
use xxhash_rust::xxh64::Xxh64;

use super::fsops;
use super::pipeline::{self, Sink, StreamError};
use crate::analysis::{Analyzer, Measurements};
use crate::hash::{Digests, HashSelection, hex};
use crate::progress::Cancel;

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

    /// The sinks, for [`super::pipeline::stream`].
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

/// Feeds the analysis (wrap it in a `RangeSink` so it sees only `data`).
pub struct AnalysisSink(pub Analyzer);

impl Sink for AnalysisSink {
    fn consume(&mut self, block: &[u8]) -> io::Result<()> {
        self.0.feed(block);
        Ok(())
    }
}

impl AnalysisSink {
    /// The measurements of everything fed.
    pub fn finish(self) -> Measurements {
        self.0.finish()
    }
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
    pipeline::stream(&mut &file, size, &mut digests.sinks(), cancel, on_bytes)?;
    Ok(digests.finish())
}

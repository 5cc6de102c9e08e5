//! Staging of one source: copy, hardlink or reflink it into the staging
//! folder while the same single read feeds the other sinks (hashes,
//! analysis); then prove the source did not change while it was read.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::fsops;
use crate::progress::Cancel;
use crate::stream::{self, Sink, StreamError};

/// How a deliverable gets its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkMode {
    /// Always copy the bytes.
    Copy,
    /// A hard link to the source (same filesystem only).
    Hardlink,
    /// A copy-on-write clone (Btrfs, XFS).
    Reflink,
    /// Reflink, else hardlink on the same filesystem when allowed, else copy.
    Auto,
}

/// How one file actually got its bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Bytes copied.
    Copied,
    /// Hard link to the source.
    Hardlinked,
    /// Copy-on-write clone of the source.
    Reflinked,
}

/// Why staging one file failed.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    /// An I/O step failed; `what` says which.
    #[error("{what}: {source}")]
    Io {
        /// The step ("cannot open the source", "cannot hardlink"...).
        what: String,
        /// The OS error.
        source: io::Error,
    },
    /// The one-read stream failed.
    #[error("{0}")]
    Stream(#[from] StreamError),
    /// The source's size or modification time differs after the read.
    #[error("the source changed while it was being packed ({0})")]
    SourceChanged(String),
}

fn io_err(what: impl Into<String>) -> impl FnOnce(io::Error) -> StageError {
    let what = what.into();
    move |source| StageError::Io { what, source }
}

/// Writes the stream into a file and fsyncs it at the end. On a local
/// disk's filesystem ([`fsops::direct_suits`]), whole aligned blocks go to the disk directly
/// (`O_DIRECT`): a copy then costs no page-cache copy of its bytes, which
/// on a busy server costs more CPU than the disk's own pace; the first
/// piece that is not aligned (the end of the file), or a direct write the
/// filesystem refuses, turns the rest of the file to ordinary writes.
pub struct WriterSink {
    file: File,
    direct: bool,
    /// Bytes written so far.
    at: u64,
}

impl WriterSink {
    /// A sink writing into `file` (new and empty).
    pub fn new(file: File) -> Self {
        let direct = fsops::direct_suits(&file) && fsops::set_direct(&file, true).is_ok();
        WriterSink {
            file,
            direct,
            at: 0,
        }
    }

    /// From now on, ordinary writes.
    fn buffered(&mut self) -> io::Result<()> {
        if self.direct {
            fsops::set_direct(&self.file, false)?;
            self.direct = false;
        }
        Ok(())
    }
}

/// How many bytes at the start of `rest`, written at file offset `at`, a
/// direct write may take: whole [`stream::ALIGN`] units from an aligned
/// address to an aligned offset (0 when it may take none).
fn direct_part(rest: &[u8], at: u64) -> usize {
    let align = stream::ALIGN;
    if rest.as_ptr().addr() % align != 0 || at % align as u64 != 0 {
        return 0;
    }
    rest.len() / align * align
}

impl Sink for WriterSink {
    fn consume(&mut self, block: &[u8]) -> io::Result<()> {
        let mut rest = block;
        while !rest.is_empty() {
            let direct = if self.direct {
                direct_part(rest, self.at)
            } else {
                0
            };
            if self.direct && direct == 0 {
                self.buffered()?;
            }
            let piece = if direct > 0 { &rest[..direct] } else { rest };
            match self.file.write(piece) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => {
                    rest = &rest[n..];
                    self.at += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // "Invalid argument": a direct write the filesystem cannot do.
                Err(e)
                    if self.direct
                        && e.raw_os_error() == Some(rustix::io::Errno::INVAL.raw_os_error()) =>
                {
                    self.buffered()?;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
    fn finish(&mut self) -> io::Result<()> {
        self.file.sync_all()
    }
}

/// What to stage, where, and how.
#[derive(Debug, Clone, Copy)]
pub struct StageRequest<'a> {
    /// The source file (opened read-only).
    pub source: &'a Path,
    /// Its size when planned.
    pub size: u64,
    /// The new file in the staging folder.
    pub staged: &'a Path,
    /// Copy, hardlink, reflink or auto.
    pub mode: LinkMode,
    /// Whether `auto` may hardlink (the profile's policy).
    pub allow_hardlink: bool,
    /// The read's block size: [`stream::BLOCK`] for a file read alone,
    /// [`stream::SIDE_BY_SIDE_BLOCK`] when several are read at once (memory
    /// stays flat however many are).
    pub block: usize,
}

/// Picks the method for `mode` (auto tries reflink, then hardlink when
/// `allow_hardlink` and on one filesystem, then copy) and stages `source`
/// into `staged` (a new file), streaming the source once into `sinks`.
/// `size` is the size the plan saw; a different size now is an error.
pub fn stage_one(
    req: &StageRequest<'_>,
    sinks: &mut [&mut dyn Sink],
    cancel: &Cancel,
    on_bytes: &mut dyn FnMut(u64),
) -> Result<Method, StageError> {
    let StageRequest {
        source,
        size,
        staged,
        mode,
        allow_hardlink,
        block,
    } = *req;
    let src = crate::input::open_regular(source)
        .map_err(std::io::Error::from)
        .map_err(io_err("cannot open the source"))?;
    let before = src.metadata().map_err(io_err("cannot stat the source"))?;
    if before.len() != size {
        return Err(StageError::SourceChanged(format!(
            "{} bytes when planned, {} now",
            size,
            before.len()
        )));
    }
    fsops::advise_sequential(&src);
    // `hard_link` does not follow a symlink: it would link the link itself,
    // which dangles once moved when relative. Link what it points to.
    let target = || fs::canonicalize(source).map_err(io_err("cannot resolve the source"));
    let method = match mode {
        LinkMode::Copy => Method::Copied,
        LinkMode::Hardlink => {
            fs::hard_link(target()?, staged).map_err(io_err(
                "cannot hardlink (is the output on the same filesystem?)",
            ))?;
            Method::Hardlinked
        }
        LinkMode::Reflink => {
            fsops::reflink(source, staged)
                .map_err(io_err("cannot reflink (does the filesystem support it?)"))?;
            Method::Reflinked
        }
        LinkMode::Auto => {
            if fsops::reflink(source, staged).is_ok() {
                Method::Reflinked
            } else if allow_hardlink
                && fsops::same_filesystem(source, staged)
                && fs::hard_link(target()?, staged).is_ok()
            {
                Method::Hardlinked
            } else {
                Method::Copied
            }
        }
    };
    let mut reader = &src;
    if method == Method::Copied {
        let out = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(staged)
            .map_err(io_err(format!("cannot create {}", staged.display())))?;
        let mut writer = WriterSink::new(out);
        let mut all: Vec<&mut dyn Sink> = Vec::with_capacity(sinks.len() + 1);
        all.push(&mut writer);
        for s in sinks.iter_mut() {
            all.push(&mut **s);
        }
        stream::stream_with_block(&mut reader, size, &mut all, cancel, on_bytes, block)?;
    } else {
        stream::stream_with_block(&mut reader, size, sinks, cancel, on_bytes, block)?;
    }
    let after = fs::metadata(source).map_err(io_err("cannot stat the source after reading"))?;
    if after.len() != before.len()
        || after.mtime() != before.mtime()
        || after.mtime_nsec() != before.mtime_nsec()
    {
        return Err(StageError::SourceChanged(
            "its size or modification time differs after reading".into(),
        ));
    }
    Ok(method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Count(u64);
    impl Sink for Count {
        fn consume(&mut self, block: &[u8]) -> io::Result<()> {
            self.0 += block.len() as u64;
            Ok(())
        }
    }

    #[test]
    fn copy_and_hardlink_stage_identical_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src.bin");
        let bytes: Vec<u8> = (0..300_000u32).map(|i| (i % 253) as u8).collect();
        fs::write(&src, &bytes).unwrap();
        for (mode, name, want) in [
            (LinkMode::Copy, "a", Method::Copied),
            (LinkMode::Hardlink, "b", Method::Hardlinked),
        ] {
            let dst = dir.path().join(name);
            let mut c = Count::default();
            let req = StageRequest {
                source: &src,
                size: bytes.len() as u64,
                staged: &dst,
                mode,
                allow_hardlink: true,
                block: stream::BLOCK,
            };
            let m = stage_one(&req, &mut [&mut c], &Cancel::new(), &mut |_| {}).unwrap();
            assert_eq!(m, want);
            assert_eq!(c.0, bytes.len() as u64, "every byte hashed once");
            assert_eq!(fs::read(&dst).unwrap(), bytes);
        }
        assert_eq!(
            fs::metadata(dir.path().join("b")).unwrap().ino(),
            fs::metadata(&src).unwrap().ino()
        );
    }

    #[test]
    fn a_direct_write_takes_only_whole_aligned_units() {
        let block = vec![0u8; 3 * stream::ALIGN + 100];
        let at = block.as_ptr().addr() % stream::ALIGN;
        let aligned = &block[(stream::ALIGN - at) % stream::ALIGN..];
        assert_eq!(
            direct_part(&aligned[..2 * stream::ALIGN + 7], 0),
            2 * stream::ALIGN
        );
        assert_eq!(direct_part(&aligned[..100], 0), 0, "less than a unit");
        assert_eq!(
            direct_part(&aligned[..stream::ALIGN], 512),
            0,
            "an unaligned offset"
        );
        assert_eq!(direct_part(&aligned[1..], 0), 0, "an unaligned address");
    }

    #[test]
    fn copies_are_exact_whatever_the_block_size_and_the_tail() {
        // Blocks of a whole number of units, of none (direct writes never
        // apply), and a tail of every kind: the bytes on disk are the source's.
        let dir = tempfile::tempdir().unwrap();
        for (len, block) in [
            (5 * stream::ALIGN, stream::ALIGN),
            (5 * stream::ALIGN + 1, 2 * stream::ALIGN),
            (1_000_003, stream::SIDE_BY_SIDE_BLOCK),
            (70_001, 1000),
            (3, stream::BLOCK),
            (0, stream::BLOCK),
        ] {
            let src = dir.path().join(format!("src-{len}-{block}"));
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 % 251) as u8).collect();
            fs::write(&src, &bytes).unwrap();
            let dst = dir.path().join(format!("dst-{len}-{block}"));
            let req = StageRequest {
                source: &src,
                size: len as u64,
                staged: &dst,
                mode: LinkMode::Copy,
                allow_hardlink: false,
                block,
            };
            stage_one(&req, &mut [], &Cancel::new(), &mut |_| {}).unwrap();
            assert!(
                fs::read(&dst).unwrap() == bytes,
                "{len} bytes in blocks of {block}"
            );
        }
    }

    #[test]
    fn a_size_that_differs_from_the_plan_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src.bin");
        fs::write(&src, b"12345").unwrap();
        let staged = dir.path().join("x");
        let req = StageRequest {
            source: &src,
            size: 4,
            staged: &staged,
            mode: LinkMode::Copy,
            allow_hardlink: false,
            block: stream::BLOCK,
        };
        let err = stage_one(&req, &mut [], &Cancel::new(), &mut |_| {}).unwrap_err();
        assert!(matches!(err, StageError::SourceChanged(_)), "{err}");
        assert!(!dir.path().join("x").exists());
    }
}

//! Opening the files a user names, for reading: job files, profiles, key
//! maps, manifests and their `.sha256` lists, the lock and journal of a
//! root, and the sources themselves. Anything that is not a regular file is
//! refused before a byte is read (a named pipe would block forever,
//! `/dev/zero` never ends, a directory fails late and obscurely), and text
//! is read up to a limit. The open itself cannot block: it is non-blocking,
//! and the kind of file is taken from the open handle, not from an earlier
//! look at the path.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

use rustix::fs::{Mode, OFlags};

/// Why a file could not be read as input.
#[derive(Debug)]
pub enum InputError {
    /// The open failed (missing, no permission...).
    Open(io::Error),
    /// Not a regular file; the words say what it is ("a named pipe").
    NotRegular(&'static str),
    /// Larger than the limit (the size seen, or `limit + 1` when it grew).
    TooLarge {
        /// Bytes seen.
        bytes: u64,
        /// The most accepted.
        limit: u64,
    },
    /// Not UTF-8 text; the byte offset of the first bad byte.
    NotUtf8(usize),
    /// A read failed part way.
    Read(io::Error),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Open(e) => write!(f, "cannot open: {e}"),
            Self::NotRegular(what) => write!(f, "is {what}, not a regular file"),
            Self::TooLarge { bytes, limit } => write!(
                f,
                "the file is {bytes} bytes or more; at most {limit} are accepted"
            ),
            Self::NotUtf8(at) => write!(f, "not UTF-8 text (byte {at})"),
            Self::Read(e) => write!(f, "cannot read: {e}"),
        }
    }
}

impl std::error::Error for InputError {}

impl From<InputError> for io::Error {
    fn from(e: InputError) -> Self {
        match e {
            InputError::Open(e) | InputError::Read(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidInput, other.to_string()),
        }
    }
}

/// What a file that is not regular is, in words.
fn kind(t: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    if t.is_dir() {
        "a directory"
    } else if t.is_fifo() {
        "a named pipe"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a file"
    }
}

/// Opens `path` for reading if, and only if, it is a regular file (a
/// symbolic link is followed). The open does not block on a named pipe and
/// does not make a terminal the controlling one.
pub fn open_regular(path: &Path) -> Result<File, InputError> {
    let flags = OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    let fd = rustix::fs::open(path, flags, Mode::empty())
        .map_err(|e| InputError::Open(io::Error::from(e)))?;
    regular(File::from(fd))
}

/// [`open_regular`] with the caller's options (to write, append or create
/// the tool's own files, such as a root's lock and journal): the same
/// refusal of anything that is not a regular file, and an open that cannot
/// block.
pub fn open_regular_with(options: &mut OpenOptions, path: &Path) -> Result<File, InputError> {
    use std::os::unix::fs::OpenOptionsExt as _;
    // The flag bits are small positive values; the cast keeps them as they are.
    let extra = OFlags::NONBLOCK | OFlags::NOCTTY;
    let file = options
        .custom_flags(extra.bits() as i32)
        .open(path)
        .map_err(InputError::Open)?;
    regular(file)
}

fn regular(file: File) -> Result<File, InputError> {
    let meta = file.metadata().map_err(InputError::Open)?;
    if !meta.is_file() {
        return Err(InputError::NotRegular(kind(meta.file_type())));
    }
    // Non-blocking has no effect on a regular file; clear it anyway so the
    // handle behaves as any other (keeping append mode when it was asked).
    if let Ok(flags) = rustix::fs::fcntl_getfl(&file) {
        let _ = rustix::fs::fcntl_setfl(&file, flags - OFlags::NONBLOCK);
    }
    Ok(file)
}

/// Reads at most `limit` bytes of the regular file at `path` (the size is
/// checked before reading and again while reading, in case it grows).
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let file = open_regular(path)?;
    let len = file.metadata().map_err(InputError::Read)?.len();
    if len > limit {
        return Err(InputError::TooLarge { bytes: len, limit });
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(InputError::Read)?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge {
            bytes: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

/// [`read_bytes`], as UTF-8 text.
pub fn read_text(path: &Path, limit: u64) -> Result<String, InputError> {
    let bytes = read_bytes(path, limit)?;
    String::from_utf8(bytes).map_err(|e| InputError::NotUtf8(e.utf8_error().valid_up_to()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_regular_file_is_read_up_to_its_limit() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.yaml");
        std::fs::write(&p, "abc").unwrap();
        assert_eq!(read_text(&p, 3).unwrap(), "abc");
        assert!(matches!(
            read_text(&p, 2),
            Err(InputError::TooLarge { bytes: 3, limit: 2 })
        ));
    }

    #[test]
    fn a_named_pipe_a_directory_and_a_device_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        rustix::fs::mkfifoat(rustix::fs::CWD, &fifo, Mode::RUSR | Mode::WUSR).unwrap();
        for (path, what) in [
            (fifo.as_path(), "a named pipe"),
            (dir.path(), "a directory"),
            (Path::new("/dev/zero"), "a character device"),
        ] {
            match read_text(path, 10) {
                Err(InputError::NotRegular(w)) => assert_eq!(w, what, "{}", path.display()),
                other => panic!("{}: {other:?}", path.display()),
            }
        }
    }

    #[test]
    fn bad_utf8_names_the_byte() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b");
        std::fs::write(&p, b"ok\xff").unwrap();
        assert!(matches!(read_text(&p, 10), Err(InputError::NotUtf8(2))));
    }
}

//! The library's error type: only for "cannot go on" (an unreadable job
//! file, a destination that cannot be written). A problem with one media
//! file is data (a finding or a failure), not an `Error`.

use std::path::PathBuf;

/// Everything that stops a command. Each variant names the path or field involved.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An I/O operation on a named path failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done ("cannot create", "cannot read"...).
        action: &'static str,
        /// The path involved.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The job file is unreadable or invalid.
    #[error("job file {path}: {message}")]
    Job {
        /// The job file.
        path: PathBuf,
        /// What is wrong, naming the key and line where known.
        message: String,
    },
    /// The profile is invalid.
    #[error("profile {name}: {message}")]
    Profile {
        /// The profile's name or path.
        name: String,
        /// What is wrong.
        message: String,
    },
    /// A manifest is unreadable, invalid or fails its own checksum.
    #[error("manifest {path}: {message}")]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The package cannot be built as planned (names, layout, refusals).
    #[error("{0}")]
    Refused(String),
    /// The user or a signal interrupted the work.
    #[error("interrupted")]
    Interrupted,
}

impl Error {
    /// An I/O error on `path` while doing `action`.
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

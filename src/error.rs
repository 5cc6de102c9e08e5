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
    /// The package cannot be built, written or checked as asked: which
    /// refusal, with what it is about.
    #[error("{0}")]
    Refused(#[from] Refusal),
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

/// Why a command refuses to go on, before or while it writes: each names
/// the file, folder or delivery it is about (the words are the message).
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    /// A source is not a regular file (a folder, a FIFO, a device).
    #[error("source {} is not a regular file", .0.display())]
    SourceNotAFile(PathBuf),
    /// Some sources cannot be read or probed; one line each.
    #[error("cannot read every source:\n  {}", .0.join("\n  "))]
    Sources(Vec<String>),
    /// The delivery root would be written inside a source folder.
    #[error(
        "the delivery root {} would land inside the source folder {}; choose another output folder",
        root.display(),
        folder.display()
    )]
    RootInsideSource {
        /// The delivery root.
        root: PathBuf,
        /// The source folder that would hold it.
        folder: PathBuf,
    },
    /// The output file system lacks room for the delivery.
    #[error(
        "not enough free space in {}: the delivery needs {need} bytes, {free} are free",
        output.display()
    )]
    NoSpace {
        /// The output folder.
        output: PathBuf,
        /// Bytes the delivery needs.
        need: u64,
        /// Bytes free.
        free: u64,
    },
    /// The delivery root exists: delivered, being written, or left by a
    /// killed run (the message says which, and what to do).
    #[error("{0}")]
    RootExists(String),
    /// An unfinished root left by another job, or by this job with other
    /// options.
    #[error(
        "the delivery root {} was left unfinished by a pack of another job, or with other options ({who}); run that same command again to resume it, or remove it",
        root.display()
    )]
    OtherJob {
        /// The delivery root.
        root: PathBuf,
        /// The run that left it (pid, host, start).
        who: String,
    },
    /// The delivery number would repeat or skip one (the message says
    /// which, and what to do).
    #[error("{0}")]
    DeliveryNumber(String),
    /// The profile's root template cannot name this job's deliveries.
    #[error("delivery root: {0}")]
    RootTemplate(String),
    /// The delivery cannot be planned; one line per problem, after a
    /// heading (`cannot plan the delivery:`).
    #[error("{heading}\n  {}", problems.join("\n  "))]
    Plan {
        /// What could not be planned.
        heading: String,
        /// Each problem.
        problems: Vec<String>,
    },
    /// Names that clash or break the rules once versions are settled.
    #[error("{}", .0.join("\n"))]
    Names(Vec<String>),
    /// A source could not be read through (it changed, shrank, a disk
    /// error): the source, and the staged copy when there was one.
    #[error("{}{}: {why}", file.display(), staging.as_ref().map(|s| format!(" (staging {})", s.display())).unwrap_or_default())]
    Read {
        /// The source.
        file: PathBuf,
        /// Its staged copy, when it was being written.
        staging: Option<PathBuf>,
        /// What went wrong.
        why: String,
    },
    /// The read-back of a written file failed or found other bytes.
    #[error("read-back of {what}")]
    ReadBack {
        /// The file and what the read-back found.
        what: String,
    },
    /// A path given as a delivery root is not one.
    #[error("{0}")]
    NotADelivery(String),
    /// Anything else, in words.
    #[error("{0}")]
    Other(String),
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

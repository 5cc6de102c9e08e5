//! The resume journal of a delivery root being written:
//! `.mnepack-staging/journal`, one JSON record per line, appended and
//! fsynced as work completes. It names the job it belongs to (a
//! fingerprint of the plan and the options), the time that stamps the
//! manifest, each file that is fully staged (with its digests,
//! measurements and the source's size and mtime when read), and the final
//! names once QC passed. A run killed at any point leaves a journal whose
//! every complete line is true; a torn last line or a line this version
//! cannot read is ignored, which only means that file is staged again.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::request::PackOptions;
use super::stage::Method;
use crate::analysis::Measurements;
use crate::hash::Digests;
use crate::plan::Plan;

/// The journal's name inside the staging folder.
pub const JOURNAL: &str = "journal";
/// A journal larger than this is not ours (a record is well under 64 KiB).
const MAX_BYTES: u64 = 64 << 20;
/// The record format; a different number is not read.
const FORMAT: u32 = 1;

/// The source's identity when it was read: a file whose size or
/// modification time differs since is read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceStamp {
    /// Size in bytes.
    pub size: u64,
    /// Modification time, seconds.
    pub mtime: i64,
    /// Modification time, nanoseconds part.
    pub mtime_nsec: i64,
}

impl SourceStamp {
    /// The stamp of a file's metadata.
    pub fn of(meta: &std::fs::Metadata) -> Self {
        Self {
            size: meta.len(),
            mtime: meta.mtime(),
            mtime_nsec: meta.mtime_nsec(),
        }
    }
}

/// One file, fully staged (written, fsynced, hashed, measured).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Staged {
    /// Index in the plan.
    pub index: usize,
    /// Its name in the staging folder.
    pub name: String,
    /// Bytes staged.
    pub size: u64,
    /// How the bytes got there.
    pub method: Method,
    /// Digests of the one read.
    pub digests: Digests,
    /// Measurements (audio only).
    pub measurements: Option<Measurements>,
    /// The source when it was read.
    pub source: SourceStamp,
}

/// A journal line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "record", rename_all = "snake_case")]
pub enum Record {
    /// The first line: which job, and the manifest's timestamp.
    Begin {
        /// Record format.
        format: u32,
        /// [`fingerprint`] of the plan and options.
        fingerprint: String,
        /// RFC 3339 time that stamps the manifest.
        created: String,
    },
    /// A file is staged.
    Staged(Box<Staged>),
    /// QC passed: the path of each file under the root, in plan order.
    Final {
        /// Paths relative to the root, index-aligned with the plan.
        paths: Vec<String>,
    },
}

/// What a journal says, read back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loaded {
    /// The job's fingerprint.
    pub fingerprint: String,
    /// The manifest's timestamp.
    pub created: String,
    /// Staged files by plan index (the last record of an index wins).
    pub staged: BTreeMap<usize, Staged>,
    /// The final paths, once QC passed.
    pub finals: Option<Vec<String>>,
}

impl Loaded {
    /// Bytes already staged (for the free-space check of a resume).
    pub fn staged_bytes(&self) -> u64 {
        self.staged.values().map(|s| s.size).sum()
    }
}

/// Identifies a job's delivery: the root, every item's source, size and
/// names, and every option that changes what is written. Two runs resume
/// each other only when this matches.
pub fn fingerprint(plan: &Plan, opts: &PackOptions) -> String {
    #[derive(Serialize)]
    struct Identity<'a> {
        tool: &'static str,
        root: &'a str,
        items: Vec<(&'a Path, u64, &'a str, &'a str)>,
        link: super::stage::LinkMode,
        allow_hardlink: bool,
        verify: bool,
        hashes: crate::hash::HashSelection,
        qc: &'a crate::profile::Qc,
        force: bool,
    }
    let id = Identity {
        tool: env!("CARGO_PKG_VERSION"),
        root: &plan.root_name,
        items: plan
            .items
            .iter()
            .map(|i| {
                (
                    i.source.as_path(),
                    i.size,
                    i.folder.as_str(),
                    i.name.as_str(),
                )
            })
            .collect(),
        link: opts.link,
        allow_hardlink: opts.allow_hardlink,
        verify: opts.verify,
        hashes: opts.hashes,
        qc: &opts.qc,
        force: opts.force,
    };
    let bytes = serde_json::to_vec(&id).unwrap_or_default();
    crate::hash::hex(&Sha256::digest(&bytes))
}

/// An open journal, appended to as work completes.
#[derive(Debug)]
pub struct Journal {
    file: File,
}

impl Journal {
    /// Starts a new journal in `staging` with its `Begin` line.
    pub fn create(staging: &Path, fingerprint: &str, created: &str) -> io::Result<Self> {
        let file = crate::input::open_regular_with(
            OpenOptions::new().append(true).create_new(true),
            &staging.join(JOURNAL),
        )?;
        let mut j = Self { file };
        j.append(&Record::Begin {
            format: FORMAT,
            fingerprint: fingerprint.to_string(),
            created: created.to_string(),
        })?;
        super::fsops::sync_dir(staging)?;
        Ok(j)
    }

    /// Opens an existing journal to append to it (a resume). A torn last
    /// line is ended first, so the next record starts on its own line.
    pub fn reopen(staging: &Path) -> io::Result<Self> {
        let path = staging.join(JOURNAL);
        let mut last = [0u8; 1];
        let len = std::fs::metadata(&path)?.len();
        let mut file =
            crate::input::open_regular_with(OpenOptions::new().read(true).append(true), &path)?;
        if len > 0 {
            use std::io::{Seek, SeekFrom};
            file.seek(SeekFrom::Start(len - 1))?;
            file.read_exact(&mut last)?;
            if last[0] != b'\n' {
                file.write_all(b"\n")?;
            }
        }
        Ok(Self { file })
    }

    /// Appends one record and makes it durable.
    pub fn append(&mut self, record: &Record) -> io::Result<()> {
        let mut line = serde_json::to_vec(record).map_err(io::Error::other)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()
    }
}

/// Reads the journal in `staging`: `Ok(None)` when there is none, or when
/// its first line is not a `Begin` this version writes.
pub fn read(staging: &Path) -> io::Result<Option<Loaded>> {
    let file = match crate::input::open_regular(&staging.join(JOURNAL)) {
        Ok(f) => f,
        Err(crate::input::InputError::Open(e)) if e.kind() == io::ErrorKind::NotFound => {
            return Ok(None);
        }
        Err(e) => return Err(e.into()),
    };
    Ok(parse(BufReader::new(file.take(MAX_BYTES))))
}

/// Parses journal lines (see [`read`]).
pub fn parse(reader: impl BufRead) -> Option<Loaded> {
    let mut lines = reader.split(b'\n');
    let first = lines.next()?.ok()?;
    let Ok(Record::Begin {
        format: FORMAT,
        fingerprint,
        created,
    }) = serde_json::from_slice(&first)
    else {
        return None;
    };
    let mut loaded = Loaded {
        fingerprint,
        created,
        ..Loaded::default()
    };
    for line in lines {
        let Ok(line) = line else { break };
        match serde_json::from_slice::<Record>(&line) {
            Ok(Record::Staged(s)) => {
                loaded.staged.insert(s.index, *s);
            }
            Ok(Record::Final { paths }) => loaded.finals = Some(paths),
            // A torn or unknown line: what it described is redone.
            Ok(Record::Begin { .. }) | Err(_) => {}
        }
    }
    Some(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staged(index: usize) -> Staged {
        Staged {
            index,
            name: format!("f{index}.wav"),
            size: 10,
            method: Method::Copied,
            digests: Digests {
                sha256: "ab".repeat(32),
                xxh64: "cd".repeat(8),
                md5: None,
            },
            measurements: Some(Measurements {
                true_peak_dbtp: vec![Some(-1.25), None],
                integrated_lufs: Some(-23.000_000_000_000_004),
                ..Measurements::default()
            }),
            source: SourceStamp {
                size: 10,
                mtime: 1,
                mtime_nsec: 2,
            },
        }
    }

    #[test]
    fn records_survive_a_round_trip_and_a_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let mut j = Journal::create(dir.path(), "fp", "2026-11-25T10:00:00Z").unwrap();
        j.append(&Record::Staged(Box::new(staged(0)))).unwrap();
        j.append(&Record::Staged(Box::new(staged(2)))).unwrap();
        drop(j);
        // A kill in the middle of a write leaves half a line.
        let mut f = OpenOptions::new()
            .append(true)
            .open(dir.path().join(JOURNAL))
            .unwrap();
        f.write_all(br#"{"record":"staged","index":1,"na"#).unwrap();
        drop(f);
        let mut j = Journal::reopen(dir.path()).unwrap();
        j.append(&Record::Final {
            paths: vec!["a".into()],
        })
        .unwrap();
        let loaded = read(dir.path()).unwrap().unwrap();
        assert_eq!(loaded.fingerprint, "fp");
        assert_eq!(loaded.created, "2026-11-25T10:00:00Z");
        assert_eq!(loaded.staged.keys().copied().collect::<Vec<_>>(), [0, 2]);
        assert_eq!(loaded.staged[&2], staged(2), "floats and None survive");
        assert_eq!(loaded.finals, Some(vec!["a".to_string()]));
        assert_eq!(loaded.staged_bytes(), 20);
    }

    proptest::proptest! {
        /// A journal cut anywhere (a kill mid-write) reads as the records
        /// whose lines are whole, never more, never a panic.
        #[test]
        fn a_journal_cut_anywhere_reads_its_whole_lines(cut in 0usize..2000, junk in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let mut bytes = Vec::new();
            for r in [
                Record::Begin { format: FORMAT, fingerprint: "fp".into(), created: "t".into() },
                Record::Staged(Box::new(staged(0))),
                Record::Staged(Box::new(staged(1))),
                Record::Final { paths: vec!["MnE/a.wav".into()] },
            ] {
                bytes.extend(serde_json::to_vec(&r).unwrap());
                bytes.push(b'\n');
            }
            let cut = cut.min(bytes.len());
            // Lines ended by their newline within the cut, and lines whose
            // content is all there (a cut just before a newline leaves a
            // whole record, which may be read: its file was staged).
            let terminated = bytes[..cut].split(|&b| b == b'\n').count() - 1;
            let complete = bytes
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\n' && i <= cut)
                .count();
            let mut torn = bytes[..cut].to_vec();
            torn.extend(&junk);
            match parse(&torn[..]) {
                None => proptest::prop_assert!(terminated == 0),
                Some(l) => {
                    proptest::prop_assert!(l.staged.len() <= complete.saturating_sub(1));
                    if terminated >= 3 && !junk.contains(&b'\n') {
                        proptest::prop_assert_eq!(l.staged.len(), 2);
                    }
                    if let Some(s) = l.staged.get(&1) {
                        proptest::prop_assert_eq!(s, &staged(1));
                    }
                }
            }
        }
    }

    #[test]
    fn a_foreign_or_missing_journal_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read(dir.path()).unwrap(), None);
        std::fs::write(
            dir.path().join(JOURNAL),
            b"{\"record\":\"final\",\"paths\":[]}\n",
        )
        .unwrap();
        assert_eq!(read(dir.path()).unwrap(), None, "no Begin line");
        let other = br#"{"record":"begin","format":99,"fingerprint":"x","created":"y"}"#;
        assert_eq!(parse(&other[..]), None, "another format");
    }
}

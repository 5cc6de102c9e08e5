//! The previous delivery of a redelivery (issue 5): its manifest, loaded
//! and checked ([`load_previous`]: readable, this schema, not edited since
//! it was written, same title and unit as the job), and its files read back
//! into typed records ([`PreviousFile`]) keyed by track (role, and an
//! optional's letter and description) and channel.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::hash::hex;
use crate::job::{Job, Role, Track};
use crate::manifest::{DigestCheck, Manifest, from_yaml, manifest_digest_check, read_limited};
use crate::{Error, Result};

/// One file of the previous delivery, read back from its manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviousFile {
    /// Its role.
    pub role: Role,
    /// Optional-track letter.
    pub letter: Option<char>,
    /// Optional-track description, as the job gave it.
    pub desc: Option<String>,
    /// Channel label of a mono-set file.
    pub channel: Option<String>,
    /// Its path relative to the previous delivery root (`MnE/name.wav`).
    pub path: String,
    /// Its file name (the part after the upload folder).
    pub name: String,
    /// Its version.
    pub version: u32,
    /// The date of that version.
    pub date: NaiveDate,
    /// SHA-256 of its bytes (lowercase hex).
    pub sha256: String,
    /// The size of the source it was copied from.
    pub source_size: u64,
    /// The modification time of that source (RFC 3339), when recorded.
    pub source_modified: Option<String>,
}

impl PreviousFile {
    /// The track it was a file of.
    pub fn track(&self) -> Track {
        Track::new(self.role, self.letter, self.desc.as_deref())
    }

    /// The matching key: track and channel.
    pub fn key(&self) -> (Track, Option<&str>) {
        (self.track(), self.channel.as_deref())
    }
}

/// A previous delivery: its manifest, where it is, and the manifest's own
/// SHA-256 (recorded in the new manifest's `delivery.previous`).
#[derive(Debug, Clone, PartialEq)]
pub struct Previous {
    /// The manifest's path (`.../<root>/<root>.yaml`).
    pub path: PathBuf,
    /// SHA-256 of the manifest's bytes.
    pub sha256: String,
    /// The manifest.
    pub manifest: Manifest,
    /// Its files, typed, in the manifest's order.
    pub files: Vec<PreviousFile>,
}

impl Previous {
    /// Reads the files of `manifest` (loaded from `path`, whose bytes hash
    /// to `sha256`) into typed records. Refuses an unknown role, a letter or
    /// date that cannot be read, version 0, or two files with one key
    /// (track and channel).
    pub fn from_manifest(
        manifest: Manifest,
        path: PathBuf,
        sha256: String,
    ) -> std::result::Result<Previous, String> {
        let mut files: Vec<PreviousFile> = Vec::with_capacity(manifest.files.len());
        for (i, f) in manifest.files.iter().enumerate() {
            let at = format!("files[{i}] ({})", f.path);
            let role = Role::ALL
                .into_iter()
                .find(|r| r.as_str() == f.role)
                .ok_or_else(|| format!("{at}: unknown role `{}`", f.role))?;
            let letter = match f.letter.as_deref() {
                None => None,
                Some(l) => {
                    let mut chars = l.chars();
                    match (chars.next(), chars.next()) {
                        (Some(c), None) if c.is_ascii_uppercase() => Some(c),
                        _ => return Err(format!("{at}: letter `{l}` is not one capital letter")),
                    }
                }
            };
            if (role == Role::Optional) != letter.is_some() {
                return Err(format!(
                    "{at}: an optional track has a letter, other roles none"
                ));
            }
            let date = NaiveDate::parse_from_str(&f.date, "%Y-%m-%d")
                .map_err(|_| format!("{at}: date `{}` is not YYYY-MM-DD", f.date))?;
            if f.version == 0 {
                return Err(format!("{at}: version 0 (versions start at 1)"));
            }
            let name = f.path.split_once('/').map_or(f.path.as_str(), |(_, b)| b);
            let file = PreviousFile {
                role,
                letter,
                desc: f.desc.clone().filter(|_| role == Role::Optional),
                channel: f.channel.clone(),
                path: f.path.clone(),
                name: name.to_string(),
                version: f.version,
                date,
                sha256: f.sha256.clone(),
                source_size: f.source.size,
                source_modified: f.source.modified.clone(),
            };
            if let Some(other) = files.iter().find(|o| o.key() == file.key()) {
                return Err(format!(
                    "{at}: same role, letter, description and channel as {}",
                    other.path
                ));
            }
            files.push(file);
        }
        Ok(Previous {
            path,
            sha256,
            manifest,
            files,
        })
    }

    /// The previous delivery's number.
    pub fn number(&self) -> u32 {
        self.manifest.delivery.number
    }

    /// The previous delivery root's folder name.
    pub fn root_name(&self) -> &str {
        &self.manifest.delivery.root
    }

    /// The previous delivery root on disk (the manifest's folder).
    pub fn root_dir(&self) -> PathBuf {
        self.path
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }

    /// The file delivered as `channel` of `track`, if any.
    pub fn find(&self, track: &Track, channel: Option<&str>) -> Option<&PreviousFile> {
        self.files
            .iter()
            .find(|f| f.channel.as_deref() == channel && &f.track() == track)
    }

    /// Every track of the previous delivery, each once, in manifest order.
    pub fn tracks(&self) -> Vec<Track> {
        let mut out: Vec<Track> = Vec::new();
        for t in self.files.iter().map(PreviousFile::track) {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }

    /// Refuses a previous delivery of another title or unit than `job`'s.
    pub fn check_job(&self, job: &Job) -> Result<()> {
        let (title, unit) = (job.title_token(), job.unit.as_str());
        let m = &self.manifest.job;
        if m.title == title && m.unit == unit {
            Ok(())
        } else {
            Err(Error::Manifest {
                path: self.path.clone(),
                message: format!(
                    "this is a delivery of {} {}, not of {title} {unit}; name the manifest of this title's last delivery as `previous`",
                    m.title, m.unit
                ),
            })
        }
    }
}

/// Loads the manifest of the previous delivery of `job` from `path` and
/// checks it: within the size limit, this schema (a newer one is refused by
/// name), valid, not edited since it was written (its SHA-256 must match the
/// last line of the `.sha256` beside it; a missing `.sha256` is refused
/// too), and a delivery of the job's title and unit.
pub fn load_previous(path: &Path, job: &Job) -> Result<Previous> {
    let refuse = |message: String| Error::Manifest {
        path: path.to_path_buf(),
        message: format!("cannot redeliver against it: {message}"),
    };
    let text = read_limited(path)?;
    let sha256 = hex(&Sha256::digest(text.as_bytes()));
    let manifest = from_yaml(&text).map_err(|e| refuse(e.to_string()))?;
    match manifest_digest_check(path)? {
        DigestCheck::Verified { sha256: on_disk } if on_disk == sha256 => {}
        DigestCheck::Verified { .. } => {
            return Err(refuse("it changed while it was being read".to_string()));
        }
        DigestCheck::Edited { expected, actual } => {
            return Err(refuse(format!(
                "it was edited after it was written (its SHA-256 is {actual}, the .sha256 beside it records {expected}); restore the original manifest"
            )));
        }
        DigestCheck::NotRecorded { reason } => {
            return Err(refuse(format!(
                "its own checksum cannot be checked ({reason}); name the manifest inside a delivery root, beside its .sha256"
            )));
        }
    }
    let previous = Previous::from_manifest(manifest, path.to_path_buf(), sha256)
        .map_err(|m| refuse(format!("invalid manifest: {m}")))?;
    previous.check_job(job)?;
    Ok(previous)
}

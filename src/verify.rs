//! Verify: re-hash a delivery root against its manifest. Every listed file is
//! read once (SHA-256 + xxHash64, + MD5 when recorded) and compared by size
//! and digest; the root and its upload folders are scanned for anything the
//! manifest does not list (AppleDouble `._*`, `.DS_Store`, sub-folders,
//! leftovers of an interrupted pack); the manifest's own digest in
//! `<root>.sha256` catches a manifest edited after writing. Outcomes are
//! data ([`VerifyReport`]); only "cannot go on" is an `Err`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use std::sync::atomic::AtomicUsize;

use crate::hash::Digests;
use crate::hash::HashSelection;
use crate::manifest::{
    DigestCheck, Manifest, ManifestFile, STAGING_DIR, manifest_digest_check, manifest_file_names,
    parse_sha256_list, read_limited, read_manifest,
};
use crate::progress::{Cancel, Event, Observer};
use crate::stream::StreamError;
use crate::{Error, Refusal, Result};

mod ahead;

/// A listed file as found on disk, before hashing.
enum Found {
    /// Absent or unreadable metadata (the detail says which).
    Missing(String),
    /// Not a regular file.
    NotAFile,
    /// A regular file of another size than recorded.
    OtherSize(u64),
    /// A regular file of the recorded size: to hash.
    ToHash(u64),
}

impl Found {
    fn of(path: &Path, size: u64) -> Self {
        match fs::symlink_metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Found::Missing("not found".into())
            }
            Err(e) => Found::Missing(e.to_string()),
            Ok(meta) if !meta.is_file() => Found::NotAFile,
            Ok(meta) if meta.len() != size => Found::OtherSize(meta.len()),
            Ok(meta) => Found::ToHash(meta.len()),
        }
    }
}

/// What kind of difference verify found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// A listed file (or a manifest sidecar) is absent.
    Missing,
    /// A listed file's content differs from its recorded digests.
    Changed,
    /// A listed file's size differs from the recorded size.
    SizeMismatch,
    /// A file or folder the manifest does not list.
    Unexpected,
    /// A folder inside an upload folder (uploads must be flat).
    SubFolder,
    /// The manifest differs from what was written (or cannot be checked).
    ManifestEdited,
}

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyProblem {
    /// Its kind.
    pub kind: ProblemKind,
    /// Path relative to the delivery root.
    pub path: String,
    /// What exactly differs.
    pub detail: String,
}

/// The outcome for one listed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileCheck {
    /// Path relative to the delivery root.
    pub path: String,
    /// True when size and every recorded digest match.
    pub ok: bool,
    /// Size found on disk (None when missing).
    pub size: Option<u64>,
    /// SHA-256 found (None when not hashed: missing, wrong size, unreadable).
    pub sha256: Option<String>,
}

/// Everything verify found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// The delivery root.
    pub root: PathBuf,
    /// The manifest used.
    pub manifest: PathBuf,
    /// One entry per listed file, in manifest order.
    pub checked: Vec<FileCheck>,
    /// Every difference found.
    pub problems: Vec<VerifyProblem>,
    /// Bytes read and hashed.
    pub bytes: u64,
    /// The digests recomputed and compared: `sha256`, `xxh64`, and `md5`
    /// when asked for ([`VerifyOptions::md5`]) and recorded.
    pub digests: Vec<&'static str>,
}

/// What `verify` recomputes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VerifyOptions {
    /// Also recompute MD5 where the manifest records it. SHA-256 already
    /// proves the bytes; MD5 is the slowest digest, so it is off by default.
    pub md5: bool,
}

impl VerifyReport {
    /// True when nothing differs.
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Verifies `target`: a delivery root (its manifest is `<root>/<rootname>.yaml`)
/// or the path of a manifest (its folder is the root), recomputing SHA-256
/// and xxHash64 of every file.
pub fn verify(
    target: &Path,
    observer: &mut impl Observer,
    cancel: &Cancel,
) -> Result<VerifyReport> {
    verify_with(target, VerifyOptions::default(), observer, cancel)
}

/// [`verify`], with MD5 recomputed too when `opts.md5`.
pub fn verify_with(
    target: &Path,
    opts: VerifyOptions,
    observer: &mut impl Observer,
    cancel: &Cancel,
) -> Result<VerifyReport> {
    let (root, manifest_path) = locate(target)?;
    let manifest = read_manifest(&manifest_path)?;
    let base = manifest_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut problems = Vec::new();
    check_manifest_digest(&manifest_path, &base, &manifest, &mut problems)?;

    let total: u64 = manifest.files.iter().map(|f| f.size).sum();
    observer.event(Event::Start {
        phase: "verify",
        files: manifest.files.len(),
        total_bytes: total,
    });
    // What each listed file is on disk; the regular files of the right size
    // are hashed, two at a time (see `ahead.rs`), while this loop reports
    // them in manifest order.
    let found: Vec<Found> = manifest
        .files
        .iter()
        .map(|f| Found::of(&root.join(&f.path), f.size))
        .collect();
    let jobs: Vec<ahead::HashJob> = manifest
        .files
        .iter()
        .zip(&found)
        .filter(|(_, found)| matches!(found, Found::ToHash(_)))
        .map(|(f, _)| ahead::HashJob {
            path: root.join(&f.path),
            sel: HashSelection {
                md5: opts.md5 && f.md5.is_some(),
            },
        })
        .collect();
    let next = AtomicUsize::new(0);
    let (checked, bytes) = std::thread::scope(|scope| -> Result<(Vec<FileCheck>, u64)> {
        let mut hashed = ahead::start(scope, &jobs, ahead::workers(jobs.len()), cancel, &next);
        let mut job = 0;
        let mut checked = Vec::with_capacity(manifest.files.len());
        let mut bytes = 0u64;
        for (f, found) in manifest.files.iter().zip(found) {
            observer.event(Event::FileStart {
                name: f.path.clone(),
                size: f.size,
            });
            let hashed = matches!(found, Found::ToHash(_)).then(|| {
                job += 1;
                hashed.wait(job - 1, observer)
            });
            let (check, read) = check_file(f, found, hashed, opts.md5, &mut problems)
                .inspect_err(|_| cancel.cancel())?;
            bytes += read;
            checked.push(check);
            observer.event(Event::FileDone {
                name: f.path.clone(),
            });
        }
        Ok((checked, bytes))
    })?;
    scan_for_unexpected(&root, &base, &manifest, &mut problems)?;
    observer.event(Event::Finish);
    let mut digests = vec!["sha256", "xxh64"];
    if opts.md5 && manifest.files.iter().any(|f| f.md5.is_some()) {
        digests.push("md5");
    }
    Ok(VerifyReport {
        root,
        manifest: manifest_path,
        checked,
        problems,
        bytes,
        digests,
    })
}

/// What verify found of one listed file (`hashed`: its digests when it was
/// hashed), its problems noted; and the bytes hashed. A cancelled hash is
/// [`Error::Interrupted`].
fn check_file(
    f: &ManifestFile,
    found: Found,
    hashed: Option<std::result::Result<Digests, StreamError>>,
    md5: bool,
    problems: &mut Vec<VerifyProblem>,
) -> Result<(FileCheck, u64)> {
    let mut check = FileCheck {
        path: f.path.clone(),
        ok: false,
        size: None,
        sha256: None,
    };
    let mut bytes = 0;
    match (found, hashed) {
        (Found::Missing(detail), _) => problem(problems, ProblemKind::Missing, &f.path, &detail),
        (Found::NotAFile, _) => problem(
            problems,
            ProblemKind::Changed,
            &f.path,
            "not a regular file",
        ),
        (Found::OtherSize(len), _) => {
            check.size = Some(len);
            let detail = format!("{len} bytes, manifest says {}", f.size);
            problem(problems, ProblemKind::SizeMismatch, &f.path, &detail);
        }
        (Found::ToHash(len), hashed) => {
            check.size = Some(len);
            match hashed {
                Some(Err(StreamError::Cancelled)) => return Err(Error::Interrupted),
                Some(Err(StreamError::Read { source: e, .. })) => {
                    let detail = format!("cannot read: {e}");
                    problem(problems, ProblemKind::Changed, &f.path, &detail);
                }
                Some(Err(e)) => {
                    let detail = format!("cannot read: {e}");
                    problem(problems, ProblemKind::Changed, &f.path, &detail);
                }
                None => problem(problems, ProblemKind::Changed, &f.path, "not hashed"),
                Some(Ok(d)) => {
                    bytes = len;
                    let mut differs = Vec::new();
                    if d.sha256 != f.sha256 {
                        differs.push("sha256");
                    }
                    if d.xxh64 != f.xxh64 {
                        differs.push("xxh64");
                    }
                    if md5 && f.md5.is_some() && d.md5 != f.md5 {
                        differs.push("md5");
                    }
                    check.ok = differs.is_empty();
                    if !check.ok {
                        let detail = format!("{} differ(s) from the manifest", differs.join(", "));
                        problem(problems, ProblemKind::Changed, &f.path, &detail);
                    }
                    check.sha256 = Some(d.sha256);
                }
            }
        }
    }
    Ok((check, bytes))
}

/// (root, manifest path) of a target: a delivery root folder or its
/// manifest.
pub fn locate(target: &Path) -> Result<(PathBuf, PathBuf)> {
    let meta = fs::metadata(target).map_err(|e| Error::io("cannot open", target, e))?;
    if meta.is_dir() {
        let name = target
            .canonicalize()
            .map_err(|e| Error::io("cannot open", target, e))?
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .ok_or_else(|| {
                Error::from(Refusal::NotADelivery(format!(
                    "{} is not a delivery root",
                    target.display()
                )))
            })?;
        let manifest = target.join(format!("{name}.yaml"));
        if !manifest.is_file() {
            return Err(Refusal::NotADelivery(format!(
                "{} has no manifest {name}.yaml; give the manifest path instead",
                target.display()
            ))
            .into());
        }
        Ok((target.to_path_buf(), manifest))
    } else {
        let root = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Ok((root, target.to_path_buf()))
    }
}

fn problem(problems: &mut Vec<VerifyProblem>, kind: ProblemKind, path: &str, detail: &str) {
    problems.push(VerifyProblem {
        kind,
        path: path.to_string(),
        detail: detail.to_string(),
    });
}

/// The manifest's own digest, and agreement of the `.sha256` list with it.
fn check_manifest_digest(
    manifest_path: &Path,
    base: &str,
    m: &Manifest,
    problems: &mut Vec<VerifyProblem>,
) -> Result<()> {
    let yaml_name = format!("{base}.yaml");
    match manifest_digest_check(manifest_path)? {
        DigestCheck::Verified { .. } => {}
        DigestCheck::Edited { expected, actual } => {
            let detail = format!(
                "edited after writing: SHA-256 {actual}, the .sha256 list records {expected}"
            );
            problem(problems, ProblemKind::ManifestEdited, &yaml_name, &detail);
        }
        DigestCheck::NotRecorded { reason } => {
            let detail = format!("cannot tell whether it was edited: {reason}");
            problem(problems, ProblemKind::ManifestEdited, &yaml_name, &detail);
            return Ok(());
        }
    }
    let list_path = manifest_path.with_extension("sha256");
    let text = read_limited(&list_path)?;
    let listed: BTreeMap<String, String> = parse_sha256_list(&text)
        .map_err(|message| Error::Manifest {
            path: list_path.clone(),
            message,
        })?
        .into_iter()
        .map(|(d, p)| (p, d))
        .collect();
    for f in &m.files {
        if listed.get(&f.path) != Some(&f.sha256) {
            let detail = format!("{base}.sha256 disagrees with the manifest about this file");
            problem(problems, ProblemKind::ManifestEdited, &f.path, &detail);
        }
    }
    Ok(())
}

/// Anything in the root or an upload folder that the manifest does not list.
fn scan_for_unexpected(
    root: &Path,
    base: &str,
    m: &Manifest,
    problems: &mut Vec<VerifyProblem>,
) -> Result<()> {
    let listed: BTreeSet<&str> = m.files.iter().map(|f| f.path.as_str()).collect();
    let folders: BTreeSet<&str> = m
        .files
        .iter()
        .filter_map(|f| f.path.split('/').next())
        .collect();
    let sidecars = manifest_file_names(base);
    let mut seen_sidecars = BTreeSet::new();
    for (name, kind) in list_dir(root)? {
        if folders.contains(name.as_str()) && kind == EntryKind::Dir {
            continue;
        }
        if sidecars.contains(&name) && kind == EntryKind::File {
            seen_sidecars.insert(name);
            continue;
        }
        // The report is for people, drawn from the manifest: not a
        // deliverable, and optional (`mnepack report` writes it again).
        if name == crate::report::file_name(base) && kind == EntryKind::File {
            continue;
        }
        if name == STAGING_DIR && kind == EntryKind::Dir {
            let staging = root.join(STAGING_DIR);
            if fs::read_dir(&staging)
                .map_err(|e| Error::io("cannot list", &staging, e))?
                .next()
                .is_some()
            {
                problem(
                    problems,
                    ProblemKind::Unexpected,
                    &name,
                    "staging folder holds files left by an interrupted pack",
                );
            }
            continue;
        }
        problem(problems, ProblemKind::Unexpected, &name, kind.detail());
    }
    for name in &sidecars[1..] {
        if !seen_sidecars.contains(name) {
            problem(
                problems,
                ProblemKind::Missing,
                name,
                "manifest file not found",
            );
        }
    }
    for folder in folders {
        let dir = root.join(folder);
        if !dir.is_dir() {
            continue; // its files are already reported missing
        }
        for (name, kind) in list_dir(&dir)? {
            let rel = format!("{folder}/{name}");
            match kind {
                EntryKind::File if listed.contains(rel.as_str()) => {}
                EntryKind::Dir => {
                    problem(
                        problems,
                        ProblemKind::SubFolder,
                        &rel,
                        "upload folders must be flat",
                    );
                }
                _ => problem(problems, ProblemKind::Unexpected, &rel, kind.detail()),
            }
        }
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum EntryKind {
    File,
    Dir,
    Other,
}

impl EntryKind {
    fn detail(self) -> &'static str {
        match self {
            EntryKind::File => "file not in the manifest",
            EntryKind::Dir => "folder not in the manifest",
            EntryKind::Other => "link or special file not in the manifest",
        }
    }
}

/// Entries of `dir` (names, sorted), not following links.
fn list_dir(dir: &Path) -> Result<Vec<(String, EntryKind)>> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| Error::io("cannot list", dir, e))? {
        let entry = entry.map_err(|e| Error::io("cannot list", dir, e))?;
        let ft = entry
            .file_type()
            .map_err(|e| Error::io("cannot read", entry.path(), e))?;
        let kind = if ft.is_file() {
            EntryKind::File
        } else if ft.is_dir() {
            EntryKind::Dir
        } else {
            EntryKind::Other
        };
        out.push((entry.file_name().to_string_lossy().into_owned(), kind));
    }
    out.sort();
    Ok(out)
}

//! Stages for the wizard's journeys, and a record of every source file
//! (SHA-256 and mtime) to prove a journey left the sources untouched.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use mnepack::probe::Bext;
use mnepack::testmedia::{FmtKind, WavContainer, WavSpec, write_sparse};
use sha2::{Digest, Sha256};

/// Bytes of sample data in the sparse M&E: 1 GiB, read and hashed at a
/// few hundred MB/s at most, so a pack of it lasts seconds on any machine
/// while costing no disk (the data is a hole).
pub const SPARSE_BYTES: u64 = 1 << 30;

/// `dir/stage/BIG_ME_51.wav`: a 5.1 48 kHz/24-bit RF64 M&E whose data is
/// a sparse hole of [`SPARSE_BYTES`] (digital silence). Returns `dir`.
pub fn sparse_stage(dir: &Path) -> PathBuf {
    let stage = dir.join("stage");
    std::fs::create_dir_all(&stage).unwrap();
    write_sparse(&stage.join("BIG_ME_51.wav"), &big_spec()).unwrap();
    std::fs::canonicalize(dir).unwrap()
}

/// The sparse M&E's format: 5.1 48 kHz/24-bit RF64 of [`SPARSE_BYTES`].
fn big_spec() -> WavSpec {
    let block = 6 * 3;
    let mut spec = WavSpec::new(48_000, 24, 6, SPARSE_BYTES / block);
    spec.container = WavContainer::Rf64;
    spec.format = FmtKind::Extensible {
        cb_size: 22,
        valid_bits: 24,
        channel_mask: 0x60F,
        float: false,
    };
    spec.bext = Some(Bext {
        description: "Big M&E 5.1".into(),
        originator: "mnepack test".into(),
        originator_reference: String::new(),
        origination_date: "2026-11-24".into(),
        origination_time: "18:00:00".into(),
        time_reference: 172_800_000,
        version: 1,
    });
    spec
}

/// SHA-256 and modification time of every file under `dir`.
pub type Sources = BTreeMap<PathBuf, (String, SystemTime)>;

/// Records every file under `dir` (SHA-256 of its bytes, mtime).
pub fn record(dir: &Path) -> Sources {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if !e.file_type().is_file() {
            continue;
        }
        out.insert(e.path().to_path_buf(), record_one(e.path()));
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Asserts the files recorded in `before` are still there with the same
/// bytes and mtime (new files, such as a saved job, are not sources).
pub fn assert_untouched(before: &Sources) {
    assert!(!before.is_empty(), "no sources recorded");
    for (path, (sha, mtime)) in before {
        let now = record_one(path);
        assert_eq!(&now.0, sha, "{} changed", path.display());
        assert_eq!(&now.1, mtime, "{} was touched", path.display());
    }
}

fn record_one(path: &Path) -> (String, SystemTime) {
    let mut f = File::open(path).unwrap();
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    let mtime = std::fs::metadata(path).unwrap().modified().unwrap();
    (hex(&h.finalize()), mtime)
}

/// [`sparse_stage`] plus a print master of the same length
/// (`BIG_PM_51.wav`), each with two seconds of a -20 dBFS tone on every
/// channel at its head (written into the hole), so QC passes them and a
/// pack delivers, while each read still lasts seconds.
pub fn sparse_stage_with_sound(dir: &Path) -> PathBuf {
    let root = sparse_stage(dir);
    let pm = root.join("stage/BIG_PM_51.wav");
    write_sparse(&pm, &big_spec()).unwrap();
    for wav in [root.join("stage/BIG_ME_51.wav"), pm] {
        tone_at_head(&wav);
    }
    // The reference movie: staged alone before the audio files, which are
    // read side by side for the conform analysis.
    std::fs::write(
        root.join("stage/BIG_REF_2398.mov"),
        mnepack::testmedia::demo::DEMO_REF_MOV,
    )
    .unwrap();
    root
}

/// Writes two seconds of a -20 dBFS tone over the first samples of `wav`.
fn tone_at_head(wav: &Path) {
    use std::io::{Seek, SeekFrom, Write};
    let offset = mnepack::testmedia::layout(&big_spec()).unwrap().data_offset;
    let mut bytes = Vec::with_capacity(2 * 48_000 * 18);
    for n in 0..2 * 48_000 {
        let v = 0.1 * (2.0 * std::f64::consts::PI * 997.0 * f64::from(n) / 48_000.0).sin();
        let q = (v * 8_388_607.0).round() as i32;
        for _ in 0..6 {
            bytes.extend_from_slice(&q.to_le_bytes()[..3]);
        }
    }
    let mut f = std::fs::OpenOptions::new().write(true).open(wav).unwrap();
    f.seek(SeekFrom::Start(offset)).unwrap();
    f.write_all(&bytes).unwrap();
}

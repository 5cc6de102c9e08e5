//! Manifest, `.sha256`, ASC MHL and verify, end to end: a small delivery
//! root is built by hand in a temp folder (files hashed by `mnepack::hash`,
//! manifest files written by `mnepack::manifest`), then checked with the
//! reference tools (`sha256sum`, `ascmhl-debug`, the ASC MHL XSD, PyYAML)
//! and with `mnepack::verify`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers

mod external;
mod reading;
mod verifying;

use std::fs;
use std::path::{Path, PathBuf};

use mnepack::analysis::Measurements;
use mnepack::hash::HashSelection;
use mnepack::manifest::{
    CreatorInfo, Delivery, JobSummary, Manifest, ManifestFile, MediaSummary, SCHEMA, SourceRef,
    Tool, write_manifest_files,
};
use mnepack::progress::{Cancel, Silent};
use mnepack::stream::digest::hash_file;

/// The delivery root's folder name used by every fixture.
pub const ROOT: &str = "night_train_lp_delivery01";

/// A delivery root in a temp folder and the manifest written into it.
pub struct Fixture {
    _tmp: tempfile::TempDir,
    /// The delivery root.
    pub root: PathBuf,
    /// The manifest as written.
    pub manifest: Manifest,
    /// The creator info the MHL was written with.
    pub creator: CreatorInfo,
}

impl Fixture {
    /// `<root>/<rel>`.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }
}

/// Files of the fixture: (path relative to the root, size).
pub const FILES: [(&str, usize); 4] = [
    ("MnE/night_train_lp_v01_20261125_REF_StageMix_24.mov", 5_000),
    (
        "MnE/night_train_lp_v01_20261125_ME_Nearfield_6ch_48k_24b_24.wav",
        300_000,
    ),
    ("MnE/a-b.c_d.wav", 1_000),
    (
        "Printmaster/night_train_lp_v01_20261125_PM_Nearfield_6ch_48k_24b_24.wav",
        20_000,
    ),
];

fn pattern(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 24) as u8
        })
        .collect()
}

/// Builds the delivery root with `title` in the job block and `hostname` in the MHL.
pub fn build(title: &str, hostname: &str, md5: bool) -> Fixture {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join(ROOT);
    let mut files = Vec::new();
    for (i, (rel, size)) in FILES.iter().enumerate() {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, pattern(*size, i as u32)).unwrap();
        let d = hash_file(&path, HashSelection { md5 }, &mut Silent, &Cancel::new()).unwrap();
        let audio = Path::new(rel).extension().is_some_and(|e| e == "wav");
        files.push(ManifestFile {
            path: (*rel).to_string(),
            role: if audio { "mne" } else { "reference_video" }.to_string(),
            letter: None,
            channel: None,
            desc: (!audio).then(|| "StageMix".to_string()),
            version: 1,
            date: "2026-11-25".into(),
            status: "new".into(),
            previous_name: None,
            source: SourceRef {
                path: format!("/stage/{i}.src"),
                size: *size as u64,
                modified: Some("2026-11-24T18:03:11Z".into()),
            },
            size: *size as u64,
            sha256: d.sha256,
            xxh64: d.xxh64,
            md5: d.md5,
            media: Some(MediaSummary {
                container: if audio { "RF64" } else { "QuickTime" }.into(),
                codec: Some(if audio { "pcm_s24le" } else { "prores" }.into()),
                sample_rate: audio.then_some(48_000),
                bits: audio.then_some(24),
                channels: audio.then_some(6),
                channel_mask: audio.then(|| "0x60F".into()),
                frames: Some(287_999_992),
                duration: Some("01:39:59:23".into()),
                start_timecode: Some("10:00:00:00".into()),
                codec_fourcc: (!audio).then(|| "apcn".into()),
                width: (!audio).then_some(96),
                height: (!audio).then_some(54),
                frame_rate: (!audio).then(|| "23.976".into()),
            }),
            analysis: audio.then(|| Measurements {
                true_peak_dbtp: vec![Some(-2.4), None, Some(-0.5)],
                sample_peak_dbfs: vec![Some(-3.0), None, Some(-1.0)],
                integrated_lufs: Some(-24.1),
                lra_lu: None,
                silent_channels: vec![1],
                ..Measurements::default()
            }),
        });
    }
    let manifest = Manifest {
        schema: SCHEMA.into(),
        tool: Tool {
            name: "mnepack".into(),
            version: "0.1.0".into(),
        },
        created: "2026-11-25T10:00:00Z".into(),
        delivery: Delivery {
            number: 1,
            root: ROOT.into(),
            previous: None,
        },
        job: JobSummary {
            title: title.into(),
            unit: "lp".into(),
            frame_rate: "23.976".into(),
            language: Some("NO".into()),
            profile: "netflix".into(),
        },
        files,
        removed: vec![],
        findings: vec![],
        conform: Vec::new(),
        forced: false,
    };
    let creator = CreatorInfo {
        hostname: hostname.into(),
        tool_name: "mnepack".into(),
        tool_version: "0.1.0".into(),
        creation_date: "2026-11-25T10:00:00Z".into(),
    };
    write_manifest_files(&root, &manifest, &creator).unwrap();
    Fixture {
        _tmp: tmp,
        root,
        manifest,
        creator,
    }
}

/// Flips one bit of the byte in the middle of `path`, keeping its size.
pub fn flip_byte(path: &Path) {
    let mut bytes = fs::read(path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    fs::write(path, bytes).unwrap();
}

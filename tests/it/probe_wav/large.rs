//! Files past 4 GiB, made sparse so they cost no disk: an exact RF64, and a
//! plain RIFF whose sizes wrapped.

use std::io::{Read, Seek, SeekFrom};

use mnepack::probe::{ProbeError, probe_path, wav};
use mnepack::testmedia::{WavContainer, WavSpec, layout, write_sparse};

use super::ext;
use crate::common;

/// Counts the bytes read through it.
struct Counting<R> {
    inner: R,
    read: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

impl<R: Seek> Seek for Counting<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(pos)
    }
}

#[test]
fn sparse_rf64_past_4_gib_is_exact_and_reads_only_headers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.wav");
    let frames = 300_000_000u64; // 6 ch x 24 bit = 5.4 GB of data
    let spec = WavSpec {
        container: WavContainer::Rf64,
        format: ext(24, 0x60F, 22, false),
        chunks_after_data: vec![(*b"iXML", b"<after/>".to_vec())],
        ..WavSpec::new(48_000, 24, 6, frames)
    };
    let l = write_sparse(&path, &spec).unwrap();
    assert!(l.total_len > 1 << 32);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), l.total_len);
    let mut r = Counting {
        inner: std::fs::File::open(&path).unwrap(),
        read: 0,
    };
    let a = wav::read(&mut r, l.total_len).unwrap();
    assert_eq!(a.data_len, frames * 18);
    assert_eq!(a.frames, frames);
    assert_eq!(a.data_offset, l.data_offset);
    assert_eq!(a.ixml.as_deref(), Some("<after/>"));
    assert!(
        r.read < 4096,
        "read {} bytes: the sample data was touched",
        r.read
    );
    let p = probe_path(&path).unwrap();
    assert_eq!(p.size, l.total_len);
    if common::have_tool("ffprobe", "sparse_rf64_past_4_gib (ffprobe part)") {
        let out = std::process::Command::new("ffprobe")
            .args(["-v", "error", "-show_streams", "-of", "json"])
            .arg(&path)
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(json["streams"][0]["duration_ts"], frames);
        assert_eq!(json["streams"][0]["codec_name"], "pcm_s24le");
    }
}

#[test]
fn wrapped_riff_past_4_gib_is_detected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("wrapped.wav");
    let spec = WavSpec {
        wrap_oversize: true,
        ..WavSpec::new(48_000, 24, 6, 250_000_000)
    };
    let l = write_sparse(&path, &spec).unwrap();
    assert!(l.total_len > 1 << 32);
    let e = probe_path(&path).unwrap_err();
    assert!(
        matches!(&e, ProbeError::Malformed(m) if m.contains("wrapped")),
        "{e}"
    );
    // Without the opt-in the generator refuses to write such sizes.
    let spec = WavSpec {
        wrap_oversize: false,
        ..spec
    };
    assert!(layout(&spec).is_err());
}

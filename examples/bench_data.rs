//! Writes the benchmark's data set: a 5.1 48 kHz/24-bit M&E and print
//! master, two mono optionals (all `MINUTES` long, music-like: tones and
//! noise) and a stand-in reference movie of about `REF_MB` MiB (the demo's
//! ProRes movie followed by a `free` atom), plus a `job.yaml` that packs them.
//!
//! ```text
//! cargo run --release --example bench_data -- DIR [MINUTES] [REF_MB]
//! ```

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::Path;

use mnepack::testmedia::demo::DEMO_REF_MOV;
use mnepack::testmedia::{FmtKind, Signal, WavContainer, WavSpec, write_wav};

fn programme(seed: u64, level: f64) -> Signal {
    Signal::Sum(vec![
        Signal::Sine {
            hz: 110.0 + 55.0 * seed as f64,
            dbfs: level - 6.0,
            phase: 0.0,
        },
        Signal::Noise { seed, dbfs: level },
    ])
}

fn wav(path: &Path, channels: u16, frames: u64, seed: u64) -> std::io::Result<()> {
    let mut spec = WavSpec::new(48_000, 24, channels, frames);
    if frames * u64::from(channels) * 3 > u64::from(u32::MAX) - 1024 {
        spec.container = WavContainer::Rf64;
    }
    if channels == 6 {
        spec.format = FmtKind::Extensible {
            cb_size: 22,
            valid_bits: 24,
            channel_mask: 0x60F,
            float: false,
        };
    }
    spec.signal = (0..u64::from(channels))
        .map(|c| programme(seed + c, -24.0))
        .collect();
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    write_wav(&spec, &mut out)?;
    out.flush()
}

fn reference(path: &Path, mib: u64) -> std::io::Result<()> {
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    out.write_all(DEMO_REF_MOV)?;
    let pad = (mib << 20)
        .saturating_sub(DEMO_REF_MOV.len() as u64)
        .max(16);
    // A 64-bit `free` atom: size 1, type, 64-bit size; then filler bytes.
    out.write_all(&1u32.to_be_bytes())?;
    out.write_all(b"free")?;
    out.write_all(&pad.to_be_bytes())?;
    let block = vec![0x5Au8; 1 << 20];
    let mut left = pad - 16;
    while left > 0 {
        let n = left.min(block.len() as u64) as usize;
        out.write_all(&block[..n])?;
        left -= n as u64;
    }
    out.flush()
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: bench_data DIR [MINUTES] [REF_MB]");
        std::process::exit(2);
    };
    let minutes: u64 = args.get(1).and_then(|m| m.parse().ok()).unwrap_or(20);
    let ref_mb: u64 = args.get(2).and_then(|m| m.parse().ok()).unwrap_or(1024);
    let stage = Path::new(dir).join("stage");
    fs::create_dir_all(&stage)?;
    let frames = minutes * 60 * 48_000;
    wav(&stage.join("me_51.wav"), 6, frames, 1)?;
    wav(&stage.join("opt_a_mono.wav"), 1, frames, 10)?;
    wav(&stage.join("opt_b_mono.wav"), 1, frames, 20)?;
    wav(&stage.join("pm_51.wav"), 6, frames, 30)?;
    reference(&stage.join("ref.mov"), ref_mb)?;
    fs::write(
        Path::new(dir).join("job.yaml"),
        "title: Bench\nunit: lp\nframe_rate: 23.976\ndate: 2026-11-25\noutput: out\nsources:\n  reference_video: stage/ref.mov\n  mne: stage/me_51.wav\n  optionals:\n    - {letter: A, desc: Efforts, file: stage/opt_a_mono.wav}\n    - {letter: B, desc: Walla, file: stage/opt_b_mono.wav}\n  print_master: stage/pm_51.wav\n",
    )?;
    println!("bench data written to {dir}: {minutes} min of audio, {ref_mb} MiB reference");
    Ok(())
}

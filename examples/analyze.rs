//! Analyses a WAV file with `mnepack::analysis` and prints the measurements
//! and the speed (x real time). It reads a plain RIFF header itself (the
//! `fmt ` and `data` chunks only), so it needs nothing else from the crate.
//!
//! ```text
//! cargo run --release --example analyze -- FILE.wav
//! cargo run --release --example analyze -- --generate OUT.wav SECONDS [CHANNELS]
//! ```
//! `--generate` writes a music-like 48 kHz 24-bit test file (tones and
//! noise at varying levels; LFE low tones when there are 6 channels).

use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::time::Instant;

use mnepack::analysis::{AnalysisParams, Analyzer, AudioFormat};
use mnepack::probe::SampleFormat;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag, out, secs, rest @ ..] if flag == "--generate" => {
            let channels = rest.first().and_then(|c| c.parse().ok()).unwrap_or(6);
            secs.parse()
                .map_err(|e| format!("seconds: {e}"))
                .and_then(|s| generate(out, s, channels))
        }
        [file] => analyze(file),
        _ => Err("usage: analyze FILE.wav | --generate OUT.wav SECONDS [CHANNELS]".into()),
    };
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
}

fn u16_at(b: &[u8], i: usize) -> u16 {
    u16::from_le_bytes([b[i], b[i + 1]])
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

/// Walks a plain RIFF/WAVE file to its format and `data` chunk (offset, length).
fn read_header(f: &mut File) -> Result<(AudioFormat, u64, u64), String> {
    let mut head = [0u8; 12];
    f.read_exact(&mut head).map_err(|e| e.to_string())?;
    if &head[..4] != b"RIFF" || &head[8..] != b"WAVE" {
        return Err("not a plain RIFF/WAVE file".into());
    }
    let mut format = None;
    loop {
        let mut ch = [0u8; 8];
        f.read_exact(&mut ch).map_err(|_| "no data chunk")?;
        let size = u64::from(u32_at(&ch, 4));
        let pos = f.stream_position().map_err(|e| e.to_string())?;
        if &ch[..4] == b"fmt " {
            let mut b = vec![0u8; size.min(64) as usize];
            f.read_exact(&mut b).map_err(|e| e.to_string())?;
            if b.len() < 16 {
                return Err("short fmt chunk".into());
            }
            let mut tag = u16_at(&b, 0);
            if tag == 0xFFFE && b.len() >= 26 {
                tag = u16_at(&b, 24);
            }
            format = Some(AudioFormat {
                channels: u16_at(&b, 2),
                sample_rate: u32_at(&b, 4),
                sample_format: match tag {
                    1 => SampleFormat::Pcm,
                    3 => SampleFormat::Float,
                    _ => SampleFormat::Other,
                },
                bits: u16_at(&b, 14),
                block_align: u16_at(&b, 12),
            });
        } else if &ch[..4] == b"data" {
            let format = format.ok_or("data before fmt")?;
            return Ok((format, pos, size));
        }
        f.seek(SeekFrom::Start(pos + size + (size & 1)))
            .map_err(|e| e.to_string())?;
    }
}

fn analyze(path: &str) -> Result<(), String> {
    let mut f = File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let (format, offset, len) = read_header(&mut f)?;
    let params = AnalysisParams::for_channels(format.channels, format.sample_rate);
    let mut a = Analyzer::new(format, &params).map_err(|e| e.to_string())?;
    f.seek(SeekFrom::Start(offset)).map_err(|e| e.to_string())?;
    let mut buf = vec![0u8; 4 << 20];
    let mut left = len;
    let t0 = Instant::now();
    while left > 0 {
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = f.read(&mut buf[..want]).map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        a.feed(&buf[..n]);
        left -= n as u64;
    }
    let m = a.finish();
    let secs = t0.elapsed().as_secs_f64();
    let duration = m.frames as f64 / f64::from(format.sample_rate);
    let json = serde_json::to_string_pretty(&m).map_err(|e| e.to_string())?;
    println!("{json}");
    println!("max true peak: {:?} dBTP", m.max_true_peak_dbtp());
    println!(
        "audio {duration:.1} s analysed in {secs:.3} s: {:.0}x real time ({:.0} MB/s)",
        duration / secs,
        len as f64 / secs / 1e6
    );
    Ok(())
}

/// Writes a music-like 48 kHz 24-bit WAV of `seconds` seconds.
fn generate(path: &str, seconds: u32, channels: u16) -> Result<(), String> {
    let rate = 48_000u32;
    let frames = u64::from(rate) * u64::from(seconds);
    let block = u32::from(channels) * 3;
    let data_len = u32::try_from(frames * u64::from(block)).map_err(|_| "too long for RIFF")?;
    let mut out = BufWriter::new(File::create(path).map_err(|e| e.to_string())?);
    let mut head = Vec::with_capacity(44);
    head.extend_from_slice(b"RIFF");
    head.extend_from_slice(&(36 + data_len).to_le_bytes());
    head.extend_from_slice(b"WAVEfmt ");
    head.extend_from_slice(&16u32.to_le_bytes());
    head.extend_from_slice(&1u16.to_le_bytes());
    head.extend_from_slice(&channels.to_le_bytes());
    head.extend_from_slice(&rate.to_le_bytes());
    head.extend_from_slice(&(rate * block).to_le_bytes());
    head.extend_from_slice(&(block as u16).to_le_bytes());
    head.extend_from_slice(&24u16.to_le_bytes());
    head.extend_from_slice(b"data");
    head.extend_from_slice(&data_len.to_le_bytes());
    out.write_all(&head).map_err(|e| e.to_string())?;
    let mut seed = 0x2545_F491_u32;
    let tau = std::f64::consts::TAU;
    for n in 0..frames {
        let t = n as f64 / f64::from(rate);
        // A level that moves between about -30 and -6 dB every few seconds.
        let env =
            0.05 + 0.2 * (0.5 + 0.5 * (tau * 0.13 * t).sin()) * (0.6 + 0.4 * (tau * 1.7 * t).sin());
        for c in 0..channels {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            let noise = f64::from(seed >> 8) / f64::from(1u32 << 24) - 0.5;
            let cf = f64::from(c);
            let v = if channels == 6 && c == 3 {
                0.3 * (tau * 45.0 * t).sin() * env * 2.0
            } else {
                env * (0.8 * (tau * (220.0 + 110.0 * cf) * t).sin()
                    + 0.5 * (tau * (1375.0 + 300.0 * cf) * t).sin()
                    + 0.6 * noise)
            };
            let q = (v.clamp(-1.0, 1.0) * 8_388_607.0).round() as i32;
            out.write_all(&q.to_le_bytes()[..3])
                .map_err(|e| e.to_string())?;
        }
    }
    out.flush().map_err(|e| e.to_string())?;
    println!("wrote {path}: {seconds} s, {channels} channels, 48 kHz 24-bit");
    Ok(())
}

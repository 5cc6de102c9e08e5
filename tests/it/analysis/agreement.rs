//! Agreement with other implementations: the `ebur128` crate and, when
//! installed, `ffmpeg -af ebur128=peak=true`.

use super::{Lcg, RATE, Signal, assert_near, lufs, measure, pcm24, programme};
use crate::common;

// ---- Agreement with other implementations ----

#[test]
fn agrees_with_the_ebur128_crate() {
    use ebur128::{Channel, EbuR128, Mode};
    let sig = programme(6, 12.0, 7);
    let m = measure(&sig);
    let mut r = EbuR128::new(6, RATE, Mode::I | Mode::LRA | Mode::TRUE_PEAK).unwrap();
    r.set_channel_map(&[
        Channel::Left,
        Channel::Right,
        Channel::Center,
        Channel::Unused,
        Channel::LeftSurround,
        Channel::RightSurround,
    ])
    .unwrap();
    // Feed it the same quantised samples.
    let pcm = pcm24(&sig);
    let floats: Vec<f32> = pcm
        .chunks_exact(3)
        .map(|b| i32::from_le_bytes([0, b[0], b[1], b[2]]) as f32 / 2_147_483_648.0)
        .collect();
    r.add_frames_f32(&floats).unwrap();
    assert_near(lufs(&m), r.loudness_global().unwrap(), 0.02, "integrated");
    // Its LRA differs by about 0.1 LU on this short file (FFmpeg agrees with ours);
    // Tech 3342 allows +/-1 LU.
    assert_near(m.lra_lu.unwrap(), r.loudness_range().unwrap(), 0.2, "LRA");
    for c in 0..6 {
        let theirs = 20.0 * r.true_peak(c).unwrap().log10();
        // Different interpolators: libebur128's is shorter and cuts the top
        // octave of this full-band noise (about 0.35 dB lower here); the
        // FFmpeg tests hold true peak to 0.05 dB.
        assert_near(
            m.true_peak_dbtp[c as usize].unwrap(),
            theirs,
            0.5,
            "true peak",
        );
    }
}

/// A plain RIFF/WAVE file of 24-bit PCM.
fn write_wav(path: &std::path::Path, sig: &Signal) {
    let data = pcm24(sig);
    let ch = sig.len() as u16;
    let mut h = Vec::new();
    h.extend_from_slice(b"RIFF");
    h.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&16u32.to_le_bytes());
    h.extend_from_slice(&1u16.to_le_bytes());
    h.extend_from_slice(&ch.to_le_bytes());
    h.extend_from_slice(&RATE.to_le_bytes());
    h.extend_from_slice(&(RATE * u32::from(ch) * 3).to_le_bytes());
    h.extend_from_slice(&(ch * 3).to_le_bytes());
    h.extend_from_slice(&24u16.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&(data.len() as u32).to_le_bytes());
    h.extend_from_slice(&data);
    std::fs::write(path, h).unwrap();
}

/// What `ffmpeg -af ebur128=peak=true` reports: summary I, LRA and Peak
/// (dB, one decimal), and from its metadata the last integrated value
/// (three decimals) and each channel's linear true peak (three decimals).
pub(super) struct FfmpegR128 {
    pub i: f64,
    pub lra: f64,
    pub peak: f64,
    pub i_fine: f64,
    pub channel_peaks: Vec<f64>,
}

pub(super) fn ffmpeg_r128(wav: &std::path::Path, channels: usize) -> FfmpegR128 {
    let meta = wav.with_extension("txt");
    let out = std::process::Command::new("ffmpeg")
        .args(["-hide_banner", "-nostats", "-i"])
        .arg(wav)
        .arg("-af")
        .arg(format!(
            "ebur128=peak=true:metadata=1,ametadata=mode=print:file={}",
            meta.display()
        ))
        .args(["-f", "null", "-"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary = stderr.split("Summary:").nth(1).expect("ffmpeg summary");
    let value = |key: &str| -> f64 {
        let line = summary
            .lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    let meta = std::fs::read_to_string(&meta).unwrap();
    let last = |key: &str| -> f64 {
        let prefix = format!("{key}=");
        let line = meta.lines().rfind(|l| l.starts_with(&prefix)).unwrap();
        line[prefix.len()..].parse().unwrap()
    };
    FfmpegR128 {
        i: value("I:"),
        lra: value("LRA:"),
        peak: value("Peak:"),
        i_fine: last("lavfi.r128.I"),
        channel_peaks: (0..channels)
            .map(|c| last(&format!("lavfi.r128.true_peaks_ch{c}")))
            .collect(),
    }
}

fn compare_with_ffmpeg(sig: &Signal, test: &str) {
    if !common::have_tool("ffmpeg", test) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let wav = dir.path().join("x.wav");
    write_wav(&wav, sig);
    let ff = ffmpeg_r128(&wav, sig.len());
    let m = measure(sig);
    let i = lufs(&m);
    assert_near(i, ff.i, 0.05 + 0.05, "integrated vs summary");
    assert_near(i, ff.i_fine, 0.1, "integrated vs metadata");
    assert_near(m.lra_lu.unwrap(), ff.lra, 0.2, "LRA");
    assert_near(
        m.max_true_peak_dbtp().unwrap(),
        ff.peak,
        0.05 + 0.05,
        "peak",
    );
    for (c, &lin) in ff.channel_peaks.iter().enumerate() {
        // Three decimals of a linear value: allow that rounding on top of 0.05 dB.
        let tol = 0.05 + 20.0 * (1.0 + 0.0005 / lin).log10();
        assert_near(
            m.true_peak_dbtp[c].unwrap(),
            20.0 * lin.log10(),
            tol,
            "channel true peak",
        );
    }
}

#[test]
fn agrees_with_ffmpeg_on_stereo_noise() {
    let mut rng = Lcg(99);
    let n = 15 * RATE as usize;
    let sig: Signal = (0..2)
        .map(|_| {
            (0..n)
                .map(|i| rng.next() * if (i / 48_000) % 4 == 0 { 0.3 } else { 1.2 })
                .collect()
        })
        .collect();
    compare_with_ffmpeg(&sig, "agrees_with_ffmpeg_on_stereo_noise");
}

#[test]
fn agrees_with_ffmpeg_on_surround_programme() {
    let sig = programme(6, 12.0, 3);
    compare_with_ffmpeg(&sig, "agrees_with_ffmpeg_on_surround_programme");
}

#[test]
fn agrees_with_ffmpeg_on_stereo_programme() {
    let sig = programme(2, 15.0, 11);
    compare_with_ffmpeg(&sig, "agrees_with_ffmpeg_on_stereo_programme");
}

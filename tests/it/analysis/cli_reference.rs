//! The `check` command's own numbers against tools nobody here wrote, on
//! files nobody here wrote: a 5.1 M&E made by ffmpeg (noise beds, tones and
//! a short loud tone, each channel with its own entrances and silences), a
//! 5.1 print master made by sox (pink and brown noise, tones, a slow
//! tremolo and a fade) and a mono dialogue guide spoken by espeak-ng and
//! resampled by sox. Each file's integrated loudness, loudness range, true
//! peak and sample peak per channel, as `mnepack check --json` reports
//! them, are held to ffmpeg's `ebur128=peak=true` (per-channel metadata),
//! pyloudnorm (reading through libsndfile) and `sox stats`.

use std::path::Path;
use std::process::Command;

use super::agreement::ffmpeg_r128;
use crate::common;

/// Runs a tool; panics with its stderr when it fails.
fn tool(cmd: &mut Command) {
    let o = cmd.output().unwrap();
    assert!(
        o.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The three files, written into `dir` by ffmpeg, sox and espeak-ng.
fn write_media(dir: &Path) {
    let seconds = "40";
    // L, R: noise beds that enter, drop and return; C: a tone; LFE: 50 Hz;
    // Ls: a late bed; Rs: half a second of loud tone.
    let exprs = "0.10*(2*random(0)-1)*(between(t,1,14)+0.3*between(t,20,38))\
                 |0.08*(2*random(1)-1)*(0.2+0.8*between(t,4,30))\
                 |0.12*sin(2*PI*220*t)*between(t,2,26)\
                 |0.15*sin(2*PI*50*t)*between(t,3,35)\
                 |0.06*(2*random(2)-1)*between(t,5,39)\
                 |0.3*sin(2*PI*997*t)*between(t,17,17.5)";
    tool(Command::new("ffmpeg").current_dir(dir).args([
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        &format!("aevalsrc=exprs='{exprs}':s=48000:d={seconds}:c=5.1"),
        "-c:a",
        "pcm_s24le",
        "me_ffmpeg.wav",
    ]));
    tool(Command::new("sox").current_dir(dir).args([
        "-n",
        "-r",
        "48000",
        "-b",
        "24",
        "-c",
        "6",
        "pm_sox.wav",
        "synth",
        seconds,
        "pinknoise",
        "pinknoise",
        "sine",
        "300",
        "sine",
        "45",
        "brownnoise",
        "pinknoise",
        "tremolo",
        "0.1",
        "90",
        "gain",
        "-20",
        "fade",
        "0.5",
        seconds,
        "3",
    ]));
    tool(Command::new("espeak-ng").current_dir(dir).args([
        "-w",
        "speech.wav",
        "The night train leaves at midnight. Nobody on board knows the driver. \
         She counts the stations under her breath, one, two, three, and the \
         lights go out. When they come back, the seat across from her is empty.",
    ]));
    tool(Command::new("sox").current_dir(dir).args([
        "speech.wav",
        "-r",
        "48000",
        "-b",
        "24",
        "guide.wav",
        "pad",
        "3",
        "2",
        "gain",
        "-8",
    ]));
}

/// pyloudnorm's integrated loudness of `wav`, read by libsndfile (5.1
/// without its LFE, which BS.1770 leaves out: pyloudnorm weighs five).
fn pyloudnorm(wav: &Path) -> f64 {
    let script = "import sys, soundfile, pyloudnorm\n\
                  d, rate = soundfile.read(sys.argv[1], always_2d=True)\n\
                  d = d[:, [0, 1, 2, 4, 5]] if d.shape[1] == 6 else d\n\
                  print(pyloudnorm.Meter(rate).integrated_loudness(d))\n";
    let o = Command::new("python3")
        .args(["-c", script])
        .arg(wav)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).trim().parse().unwrap()
}

/// `sox stats`' sample peak of channel `c` (1-based), in dBFS.
fn sox_peak(wav: &Path, c: usize) -> f64 {
    let o = Command::new("sox")
        .arg(wav)
        .args(["-n", "remix", &c.to_string(), "stats"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&o.stderr);
    let line = text
        .lines()
        .find(|l| l.starts_with("Pk lev dB"))
        .unwrap_or_else(|| panic!("{text}"));
    line.split_whitespace().last().unwrap().parse().unwrap()
}

fn near(what: &str, ours: f64, theirs: f64, tol: f64) {
    assert!(
        (ours - theirs).abs() <= tol,
        "{what}: mnepack {ours:.4}, reference {theirs:.4} (tolerance {tol})"
    );
}

#[test]
fn check_agrees_with_ffmpeg_pyloudnorm_and_sox_on_files_they_wrote() {
    let test = "check_agrees_with_ffmpeg_pyloudnorm_and_sox_on_files_they_wrote";
    let tools = ["ffmpeg", "sox", "espeak-ng"];
    let have = tools.iter().all(|t| common::have_tool(t, test))
        && common::have_python("pyloudnorm", test)
        && common::have_python("soundfile", test);
    if !have {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    write_media(dir);
    std::fs::write(
        dir.join("job.yaml"),
        "title: Reference\nunit: lp\nframe_rate: 24\nsources:\n  mne: me_ffmpeg.wav\n  \
         print_master: pm_sox.wav\n  dialogue_guide: guide.wav\n",
    )
    .unwrap();
    // No reference movie: QC errors (exit 1), measurements all the same.
    let o = common::mnepack()
        .current_dir(dir)
        .args(["check", "job.yaml", "--json"])
        .output()
        .unwrap();
    assert!(
        matches!(o.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let items = report["plan"]["items"].as_array().unwrap();
    let measured = report["qc"]["measurements"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    // The spoken guide is digital silence between its sentences: the
    // analysis finds those gaps, and the dropout rule (M&E and print
    // master only, spec B4) leaves them alone.
    let guide = items
        .iter()
        .position(|i| i["source"].as_str().unwrap().ends_with("guide.wav"))
        .unwrap();
    let gaps = measured[guide]["dropouts"]["count"].as_u64().unwrap();
    assert!(gaps > 0, "{}", measured[guide]["dropouts"]);
    let findings = report["qc"]["findings"].as_array().unwrap();
    assert!(
        !findings.iter().any(|f| f["rule"] == "dropout"),
        "{findings:#?}"
    );
    for (item, m) in items.iter().zip(measured) {
        let wav = Path::new(item["source"].as_str().unwrap());
        let name = wav.file_name().unwrap().to_string_lossy().into_owned();
        let channel_peaks: Vec<f64> = m["true_peak_dbtp"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect();
        let lufs = m["integrated_lufs"].as_f64().unwrap();
        let lra = m["lra_lu"].as_f64().unwrap();
        let ff = ffmpeg_r128(wav, channel_peaks.len());
        // Seen on 2026-12-05: within 0.007 LU of ffmpeg's three decimals,
        // 0.04 LU above pyloudnorm (whose K filter is designed from analogue
        // prototypes, not the BS.1770 table), within 0.2 LU of ffmpeg's LRA.
        near(&format!("{name} integrated"), lufs, ff.i_fine, 0.02);
        near(&format!("{name} integrated"), lufs, pyloudnorm(wav), 0.1);
        near(&format!("{name} LRA"), lra, ff.lra, 0.05 + 0.2);
        for (c, (&ours, &lin)) in channel_peaks.iter().zip(&ff.channel_peaks).enumerate() {
            // Three decimals of a linear value: that rounding on top of 0.05 dB.
            let tol = 0.05 + 20.0 * (1.0 + 0.0005 / lin).log10();
            near(
                &format!("{name} ch{c} true peak"),
                ours,
                20.0 * lin.log10(),
                tol,
            );
        }
        let sample_peaks = m["sample_peak_dbfs"].as_array().unwrap();
        for (c, ours) in sample_peaks.iter().enumerate() {
            let theirs = sox_peak(wav, c + 1);
            // sox prints two decimals.
            near(
                &format!("{name} ch{c} sample peak"),
                ours.as_f64().unwrap(),
                theirs,
                0.006,
            );
        }
    }
}

//! Streaming behaviour, bad input and serialisation.

use mnepack::analysis::{AnalysisParams, Analyzer, AudioFormat, Measurements, analyze_bytes};
use mnepack::probe::SampleFormat;

use super::{RATE, assert_near, format, lufs, measure, pcm24, programme, sine};

// ---- Streaming ----

#[test]
fn any_slice_size_gives_the_same_result() {
    let mut sig = programme(6, 4.0, 5);
    sig[1][40_000..41_000].fill(1.0);
    let bytes = pcm24(&sig);
    let params = AnalysisParams::for_channels(6, RATE);
    let whole = analyze_bytes(format(6), &params, &bytes).unwrap();
    for size in [1, 7, 1000, 65_536] {
        let mut a = Analyzer::new(format(6), &params).unwrap();
        for piece in bytes.chunks(size) {
            a.feed(piece);
        }
        let mut m = a.finish();
        // Energy sums may differ in the last bits with the summation order.
        assert_near(lufs(&m), lufs(&whole), 1e-9, "integrated");
        assert_near(m.lra_lu.unwrap(), whole.lra_lu.unwrap(), 1e-9, "LRA");
        m.integrated_lufs = whole.integrated_lufs;
        m.lra_lu = whole.lra_lu;
        assert_eq!(m, whole, "slices of {size}");
    }
    // A partial frame at the end is reported, not analysed.
    let mut a = Analyzer::new(format(6), &params).unwrap();
    a.feed(&bytes[..bytes.len() - 5]);
    let m = a.finish();
    assert_eq!(m.trailing_bytes, 13);
    assert_eq!(m.frames, whole.frames - 1);
}

#[test]
fn bad_formats_are_errors() {
    let params = AnalysisParams::default();
    let mut f = format(2);
    f.bits = 20;
    assert!(Analyzer::new(f, &params).is_err());
    let mut f = format(2);
    f.block_align = 7;
    assert!(Analyzer::new(f, &params).is_err());
    let mut f = format(2);
    f.sample_format = SampleFormat::Other;
    assert!(Analyzer::new(f, &params).is_err());
    assert!(Analyzer::new(format(0), &params).is_err());
    // The 5.1 parameters name channels a stereo file lacks.
    let p51 = AnalysisParams::for_channels(6, RATE);
    assert!(Analyzer::new(format(2), &p51).is_err());
}

#[test]
fn damaged_float_samples_do_not_poison_the_file() {
    // A NaN and an infinity early on; loudness of the rest is still measured.
    let fmt = AudioFormat {
        channels: 1,
        sample_rate: RATE,
        sample_format: SampleFormat::Float,
        bits: 32,
        block_align: 4,
    };
    let mut x: Vec<f32> = sine(1000.0, -20.0, 10.0, 0.0)
        .iter()
        .map(|&v| v as f32)
        .collect();
    x[100] = f32::NAN;
    x[200] = f32::INFINITY;
    let bytes: Vec<u8> = x.iter().flat_map(|v| v.to_le_bytes()).collect();
    let m = analyze_bytes(fmt, &AnalysisParams::for_channels(1, RATE), &bytes).unwrap();
    // Mono sine at -20 dBFS: -23.01 LUFS.
    assert_near(lufs(&m), -20.0 - 10.0 * 2f64.log10(), 0.1, "integrated");
}

#[test]
fn measurements_round_trip_through_json() {
    let m = measure(&vec![sine(1000.0, -20.0, 1.0, 0.0), vec![0.0; 48_000]]);
    let json = serde_json::to_string(&m).unwrap();
    assert!(json.contains("\"true_peak_dbtp\":[") && json.contains("null"));
    let back: Measurements = serde_json::from_str(&json).unwrap();
    assert_eq!(back, m);
}

//! Tests of the report's words, plots and page on a hand-made manifest; the
//! demo delivery through the binary and a real browser are in
//! `tests/it/report.rs`.

use super::*;
use crate::analysis::Measurements;
use crate::manifest::{
    Delivery, FindingRecord, JobSummary, ManifestFile, MediaSummary, SCHEMA, SourceRef, Tool,
};

fn file(path: &str, role: &str, series: Vec<Option<f64>>) -> ManifestFile {
    ManifestFile {
        path: path.into(),
        role: role.into(),
        letter: None,
        channel: None,
        desc: None,
        version: 1,
        date: "2026-12-05".into(),
        status: "new".into(),
        previous_name: None,
        source: SourceRef {
            path: format!("/stage/{path}"),
            size: 10,
            modified: None,
        },
        size: 10,
        sha256: "a".repeat(64),
        xxh64: "0123456789abcdef".into(),
        md5: None,
        media: Some(MediaSummary {
            container: "RIFF".into(),
            channels: Some(6),
            start_timecode: Some("00:59:58:00".into()),
            ..MediaSummary::default()
        }),
        analysis: Some(Measurements {
            true_peak_dbtp: vec![
                Some(-3.0),
                Some(-1.5),
                Some(-0.5),
                None,
                Some(-20.0),
                Some(-2.0),
            ],
            integrated_lufs: Some(-24.0),
            short_term_lufs: series,
            ..Measurements::default()
        }),
    }
}

fn manifest(title: &str) -> Manifest {
    let series: Vec<Option<f64>> = (0..120)
        .map(|i| (i >= 2 && !(60..70).contains(&i)).then_some(-24.0 + f64::from(i % 7)))
        .collect();
    Manifest {
        schema: SCHEMA.into(),
        tool: Tool {
            name: "mnepack".into(),
            version: "0.1.0".into(),
        },
        created: "2026-12-05T10:00:00Z".into(),
        delivery: Delivery {
            number: 1,
            root: "t_lp_delivery01".into(),
            previous: None,
        },
        job: JobSummary {
            title: title.into(),
            unit: "lp".into(),
            frame_rate: "24".into(),
            language: None,
            profile: "netflix".into(),
        },
        files: vec![
            file("MnE/t_ME.wav", "mne", series.clone()),
            file("Printmaster/t_PM.wav", "print_master", series),
        ],
        removed: Vec::new(),
        findings: vec![
            FindingRecord {
                severity: "info".into(),
                rule: "loudness".into(),
                file: "MnE/t_ME.wav".into(),
                message: "ME: integrated loudness -24.0 LUFS".into(),
                value: None,
                at: None,
            },
            FindingRecord {
                severity: "warning".into(),
                rule: "true_peak_warn".into(),
                file: "Printmaster/t_PM.wav".into(),
                message: "PM: true peak -0.5 dBTP at 01:00:10:00".into(),
                value: None,
                at: None,
            },
        ],
        conform: Vec::new(),
        forced: false,
    }
}

fn limits() -> Limits {
    Limits {
        true_peak_warn: -2.0,
        true_peak_error: -1.0,
        pm_target: -24.0,
        pm_tolerance: 3.0,
    }
}

#[test]
fn timecodes_and_clocks() {
    assert_eq!(timecode_seconds("00:59:58:00"), Some(3598));
    assert_eq!(timecode_seconds("01:00:00;02"), Some(3600));
    assert_eq!(timecode_seconds("junk"), None);
    assert_eq!(clock(3598), "00:59:58");
}

#[test]
fn the_verdict_follows_the_worst_finding() {
    let mut m = manifest("T");
    assert_eq!(Verdict::of(&m, false), Verdict::WithWarnings);
    assert_eq!(Verdict::of(&m, true), Verdict::ReadyWithWarnings);
    m.findings.retain(|f| f.severity == "info");
    assert_eq!(Verdict::of(&m, false), Verdict::Delivered);
    assert_eq!(Verdict::of(&m, true), Verdict::Ready);
    m.forced = true;
    assert_eq!(Verdict::of(&m, false), Verdict::Forced);
    m.forced = false;
    m.findings[0].severity = "error".into();
    assert_eq!(Verdict::of(&m, true), Verdict::Refused);
}

#[test]
fn the_loudness_plot_draws_every_measured_second_in_runs() {
    let m = manifest("T");
    let series = &m.files[0].analysis.as_ref().unwrap().short_term_lufs;
    let svg = svg::loudness(series, 3598, None).into_string();
    let measured = series.iter().filter(|v| v.is_some()).count();
    assert!(
        svg.contains(&format!("data-points=\"{measured}\"")),
        "{svg}"
    );
    // Two runs: seconds 3..60 and 71..120 (the gap is not bridged).
    assert_eq!(svg.matches("<polyline").count(), 2);
    let drawn: usize = svg
        .split(" points=\"")
        .skip(1)
        .map(|p| p.split('"').next().unwrap().split(' ').count())
        .sum();
    assert_eq!(drawn, measured);
    assert!(
        svg.contains(">00:59:58<"),
        "the axis starts at the file's timecode"
    );
}

#[test]
fn the_peak_plot_has_a_bar_per_sounding_channel_and_both_limits() {
    let names = svg::channel_names(6, None);
    assert_eq!(names, ["L", "R", "C", "LFE", "Ls", "Rs"]);
    let v = [
        Some(-3.0),
        Some(-1.5),
        Some(-0.5),
        None,
        Some(-20.0),
        Some(-2.0),
    ];
    let svg = svg::peaks(&names, &v, -2.0, -1.0).into_string();
    assert!(svg.contains("data-bars=\"5\""), "{svg}");
    assert_eq!(svg.matches("class=\"bar error\"").count(), 1);
    assert_eq!(svg.matches("class=\"bar warn\"").count(), 1);
    assert!(svg.contains("limit warn") && svg.contains("limit error"));
}

#[test]
fn the_page_escapes_what_it_is_given_and_fetches_nothing() {
    let m = manifest("<script>alert(1)</script> & \"Co\"");
    let page = html(&m, &Context::default(), &limits());
    assert!(!page.contains("<script"), "a title is text, never markup");
    assert!(page.contains("&lt;script&gt;"));
    assert!(page.contains("Content-Security-Policy") && page.contains("default-src 'none'"));
    // The only URL is the SVG namespace, which is never fetched.
    let urls = page.matches("://").count();
    assert_eq!(
        urls,
        page.matches("xmlns=\"http://www.w3.org/2000/svg\"").count()
    );
    assert!(!page.contains("src=") && !page.contains("href=") && !page.contains("url("));
    // Warnings before notes.
    let warn = page.find("true_peak_warn").unwrap();
    let note = page.find(">loudness<").unwrap();
    assert!(warn < note);
}

#[test]
fn a_manifest_without_the_series_still_lists_everything_else() {
    let mut m = manifest("T");
    for f in &mut m.files {
        f.analysis.as_mut().unwrap().short_term_lufs.clear();
    }
    let page = html(&m, &Context::default(), &limits());
    assert_eq!(page.matches(strings::NO_SERIES).count(), 2);
    assert!(page.contains("t_PM.wav") && page.contains("data-bars"));
}

#[test]
fn the_email_says_what_went_where_and_how_to_verify() {
    let m = manifest("Night Train");
    let ctx = Context {
        verified: Some(true),
        ..Context::default()
    };
    let mail = text(&m, &ctx);
    assert!(mail.starts_with("Subject: Night Train lp M&E delivery 01: delivered with warnings\n"));
    assert!(mail.contains("Upload request MnE (1 file):\n  new      t_ME.wav\n"));
    assert!(mail.contains("Upload request Printmaster (1 file):"));
    assert!(mail.contains("warning [true_peak_warn]"));
    assert!(!mail.contains("[loudness]"), "notes stay in the report");
    assert!(mail.contains(strings::VERIFIED));
    assert!(mail.contains("sha256sum -c t_lp_delivery01.sha256"));
    // The page's top says the same words.
    let page = html(&m, &ctx, &limits());
    for line in summary(&m, &ctx) {
        assert!(
            page.contains(&maud::html! { (line) }.into_string()),
            "{line}"
        );
    }
}

#[test]
fn a_two_hour_delivery_makes_a_page_under_two_megabytes() {
    let mut m = manifest("T");
    let series: Vec<Option<f64>> = (0..7200)
        .map(|i| Some(-40.0 + f64::from(i % 300) / 10.0))
        .collect();
    m.files = (0..6)
        .map(|k| {
            let role = if k == 0 { "print_master" } else { "mne" };
            file(&format!("MnE/f{k}.wav"), role, series.clone())
        })
        .collect();
    let t = std::time::Instant::now();
    let page = html(&m, &Context::default(), &limits());
    let took = t.elapsed();
    assert!(page.len() < 2 << 20, "{} bytes", page.len());
    assert_eq!(page.matches("data-points=\"7200\"").count(), 6);
    assert!(took < std::time::Duration::from_secs(1), "{took:?}");
}

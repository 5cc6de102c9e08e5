//! The plots (loudness over time, true peak per channel) from Done and
//! from Review, their keys, Done's chart, and the report key: snapshots
//! of the real demo's states (see `states`), and a real pack whose report
//! the key writes again.

use super::snapshots::render;
use super::states::{CLEAN, SPOILT, planned, planned_at};
use super::*;
use crate::tui::app::{Level, Screen};
use crate::tui::keymap::Action;
use crate::tui::strings as s;

fn done() -> App {
    let app = CLEAN.after.clone();
    assert_eq!(app.screen, Screen::Done);
    app
}

#[test]
fn done_opens_the_print_master_first_steps_through_every_file_and_esc_closes() {
    let mut app = done();
    let plots = &app.done.as_ref().unwrap().plots;
    let labels: Vec<&str> = plots.iter().map(|p| p.label.as_str()).collect();
    assert_eq!(labels, ["ME", "OPTA Efforts", "OPTB Walla", "GUIDE", "PM"]);
    // Every measured file has a loudness series (the demo is 16 s long).
    assert!(plots.iter().all(|p| p.has_series() && p.series.len() == 16));
    keys(&mut app, &[Key::Char('p')]);
    let d = app.detail.as_ref().unwrap();
    assert_eq!(d.current().unwrap().label, "PM");
    keys(&mut app, &[Key::Char('j')]);
    assert_eq!(app.detail.as_ref().unwrap().current().unwrap().label, "ME");
    keys(&mut app, &[Key::Up, Key::Up]);
    assert_eq!(
        app.detail.as_ref().unwrap().current().unwrap().label,
        "GUIDE"
    );
    // The step keys do not reach the screen beneath; help still opens.
    let fx = keys(&mut app, &[Key::Tab, Key::BackTab, Key::Char('s')]);
    assert!(fx.is_empty(), "{fx:?}");
    assert!(app.detail.is_some() && app.scroll == 0);
    keys(&mut app, &[Key::Char('?')]);
    let help = render(&app, 80, 24);
    assert!(help.contains("close the plots"), "{help}");
    keys(&mut app, &[Key::Char('x'), Key::Esc]);
    assert!(app.detail.is_none());
    // Enter opens them too.
    keys(&mut app, &[Key::Enter]);
    assert!(app.detail.is_some());
}

#[test]
fn review_has_plots_only_once_a_pack_measured_the_file() {
    let mut app = planned();
    keys(&mut app, &[Key::Char('p')]);
    assert!(app.detail.is_none());
    assert_eq!(app.status, Some((Level::Error, s::NO_PLOT.to_string())));
    // The spoiled demo: QC stopped the pack after reading every file.
    let mut app = SPOILT.0.after.clone();
    keys(&mut app, &[Key::BackTab]);
    assert_eq!(app.screen, Screen::Review);
    let items = &app.review.prepared.as_ref().unwrap().plan.items;
    let optb = items
        .iter()
        .position(|i| i.name.contains("_OPTB_"))
        .unwrap();
    let video = items
        .iter()
        .position(|i| matches!(i.probed.media, crate::probe::Media::Video(_)))
        .unwrap();
    app.review.cursor = video;
    keys(&mut app, &[Key::Char('p')]);
    assert!(app.detail.is_none(), "the reference video has no plots");
    app.review.cursor = optb;
    keys(&mut app, &[Key::Char('p')]);
    let plot = app.detail.as_ref().unwrap().current().unwrap().clone();
    assert_eq!(plot.label, "OPTB Walla");
    assert!(plot.true_peak[0].unwrap() > 0.0, "{:?}", plot.true_peak);
    let screen = render(&app, 80, 24);
    assert!(screen.contains("0.9 ERROR"), "{screen}");
    insta::assert_snapshot!("plots_review_blocked", screen);
    // Enter (pack) is not a plots key: it stays here.
    assert!(keys(&mut app, &[Key::Enter]).is_empty());
    keys(&mut app, &[Key::Esc]);
    assert!(app.detail.is_none() && app.screen == Screen::Review);
}

/// The plots at 80x24 and wider, and the chart on Done: beside the text
/// where there is room, one `j` away below the re-verify commands at
/// 80x24 (which it never pushes off).
#[test]
fn plots_and_the_done_chart_snapshots() {
    let mut app = done();
    keys(&mut app, &[Key::Char('p')]);
    let narrow = render(&app, 80, 24);
    for text in [
        "PM  ",
        "5/5",
        "short-term loudness, LUFS",
        "target -24.0 ±3.0 LU",
        "00:59:56",
        "01:00:12",
        "LFE",
        "Rs",
        "dBTP",
        "WARN above -2.0, ERROR above -1.0",
        "esc close",
    ] {
        assert!(narrow.contains(text), "{text}:\n{narrow}");
    }
    let braille = |c: &char| ('\u{2801}'..='\u{28ff}').contains(c);
    assert!(narrow.chars().any(|c| braille(&c)), "no series:\n{narrow}");
    insta::assert_snapshot!("plots_pm_narrow", narrow);
    insta::assert_snapshot!("plots_pm", render(&app, 110, 30));
    keys(&mut app, &[Key::Char('k')]);
    insta::assert_snapshot!("plots_guide_mono_narrow", render(&app, 80, 24));

    let mut app = done();
    let narrow = render(&app, 80, 24);
    assert!(
        narrow.contains("/demo/deliveries/night_train_lp_delivery01\n"),
        "{narrow}"
    );
    assert!(!narrow.contains("loudness of PM"), "{narrow}");
    assert!(narrow.contains("j/k scroll"), "{narrow}");
    keys(&mut app, &[Key::Char('j'); 11]);
    let scrolled = render(&app, 80, 24);
    assert!(scrolled.contains("loudness of PM"), "{scrolled}");
    insta::assert_snapshot!("done_chart_scrolled", scrolled);
    let tall = render(&done(), 80, 40);
    assert!(
        tall.contains("loudness of PM") && tall.contains("mnepack verify"),
        "{tall}"
    );
    insta::assert_snapshot!("done_chart_tall", tall);
}

/// The report key asks the worker to draw the page again from the
/// manifest; the worker writes the very page `pack` wrote, and the status
/// line says where.
#[test]
fn the_report_key_writes_the_report_again_and_says_where() {
    let (_tmp, root) = demo();
    let mut app = planned_at(&root);
    let fx = keys(&mut app, &[Key::Enter]);
    settle(&mut app, fx);
    assert_eq!(app.screen, Screen::Done, "{:?}", app.pack.error);
    let report = app.done.as_ref().unwrap().report.manifest.report.clone();
    let written = std::fs::read_to_string(&report).unwrap();
    std::fs::remove_file(&report).unwrap();
    assert_eq!(
        app.keymap
            .action(crate::tui::keymap::Scope::Done, Key::Char('o')),
        Some(Action::Report)
    );
    let fx = keys(&mut app, &[Key::Char('o')]);
    assert!(
        matches!(&fx[..], [Effect::Report { out, limits: Some(_), verified: true, .. }] if *out == report),
        "{fx:?}"
    );
    assert_eq!(app.status, Some((Level::Info, s::REPORT_WRITING.into())));
    settle(&mut app, fx);
    assert_eq!(std::fs::read_to_string(&report).unwrap(), written);
    let status = format!("{}{}", s::REPORT_WRITTEN, report.display());
    assert_eq!(app.status, Some((Level::Info, status.clone())));
    // A status longer than the screen wraps, the path whole when joined.
    let screen = render(&app, 80, 24);
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with(s::REPORT_WRITTEN))
        .unwrap();
    let joined: String = lines[at..lines.len() - 1].concat();
    assert!(joined.starts_with(&status), "{screen}");
    // A manifest that is gone is an error on the status line.
    std::fs::remove_file(&app.done.as_ref().unwrap().report.manifest.yaml).unwrap();
    let fx = keys(&mut app, &[Key::Char('o')]);
    settle(&mut app, fx);
    let (level, text) = app.status.clone().unwrap();
    assert!(
        level == Level::Error && text.starts_with(s::REPORT_FAILED),
        "{text}"
    );
}

/// Under NO_COLOR the plots use no colour at all (the marks are text:
/// `WARN`, `ERROR`, the target's dots); with colour, they do.
#[test]
fn the_plots_honour_no_color() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::style::Color;
    let mut app = SPOILT.1.clone();
    keys(&mut app, &[Key::Char('p')]);
    while !app
        .detail
        .as_ref()
        .unwrap()
        .current()
        .unwrap()
        .label
        .starts_with("OPTB")
    {
        keys(&mut app, &[Key::Char('j')]);
    }
    let colours = |app: &App| {
        let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
        t.draw(|f| crate::tui::view::draw(f, app)).unwrap();
        t.backend()
            .buffer()
            .content()
            .iter()
            .filter(|c| c.fg != Color::Reset || c.bg != Color::Reset)
            .count()
    };
    assert_eq!(colours(&app), 0);
    assert!(render(&app, 80, 24).contains("0.9 ERROR"));
    app.color = true;
    assert!(colours(&app) > 0);
}

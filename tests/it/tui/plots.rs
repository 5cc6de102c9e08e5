//! The plots in the real binary under tmux (80x24, NO_COLOR): a pack of
//! the demo, then on Done the plots of the print master (its loudness
//! over timecode, its true peak per channel), the next file's, and the
//! report key, whose printed path must be the page on disk.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use super::tmux::{Tmux, demo_in_tmux_test, shell};

/// How the demo delivery's report page is named.
const PAGE: &str = "night_train_lp_delivery01.html";

/// The path the status line prints after `report written: `, joined
/// across the rows a long path wraps onto.
fn printed_report(screen: &str) -> Option<String> {
    let lines: Vec<&str> = screen.lines().collect();
    let at = lines.iter().position(|l| l.contains("report written: "))?;
    let mut path = lines[at].split("report written: ").nth(1)?.to_string();
    for next in lines.iter().skip(at + 1).take(2) {
        if path.ends_with(PAGE) {
            break;
        }
        path.push_str(next.trim_end());
    }
    path.ends_with(PAGE).then_some(path)
}

#[test]
fn tmux_done_shows_the_plots_at_80x24_and_o_writes_the_report() {
    let Some((tmp, stage)) =
        demo_in_tmux_test("tmux_done_shows_the_plots_at_80x24_and_o_writes_the_report")
    else {
        return;
    };
    let t = Tmux::start(&shell(tmp.path(), "tui demo"));
    let done = t.demo_to_done();
    assert!(
        done.contains("j/k scroll") && done.contains("o report"),
        "{done}"
    );

    // The print master first: its loudness over the demo's timecode
    // (00:59:56 for 16 s), against its target, and a bar per channel.
    t.keys(&["p"]);
    let plots = t.wait_for("short-term loudness, LUFS");
    for text in [
        "PM  ",
        "PM_Nearfield",
        "5/5",
        "target -24.0",
        "00:59:56",
        "01:00:12",
        "-20",
        "true peak, dBTP",
        "WARN above -2.0, ERROR above -1.0",
        "LFE -19.8",
        "Rs  -19.8",
        "esc close",
    ] {
        assert!(plots.contains(text), "{text}:\n{plots}");
    }
    let braille = |c: char| ('\u{2801}'..='\u{28ff}').contains(&c);
    assert!(plots.chars().any(braille), "no loudness drawn:\n{plots}");
    assert!(plots.lines().all(|l| l.chars().count() <= 80), "{plots}");
    // The next file wraps round to the M&E; Esc goes back to Done.
    t.keys(&["j"]);
    t.wait_for("1/5");
    t.keys(&["Escape"]);
    t.wait_for("re-verify any time with:");

    // The report key writes the page again and prints where it is.
    let root = std::fs::canonicalize(&stage)
        .unwrap()
        .join("deliveries/night_train_lp_delivery01");
    let page = root.join("night_train_lp_delivery01.html");
    let before = std::fs::read_to_string(&page).unwrap();
    std::fs::remove_file(&page).unwrap();
    t.keys(&["o"]);
    let screen = t.wait_until("the report's path", |s| printed_report(s).is_some());
    let printed = printed_report(&screen).unwrap();
    assert_eq!(std::path::Path::new(&printed), page, "{screen}");
    assert!(page.is_file(), "{} is not on disk", page.display());
    assert_eq!(std::fs::read_to_string(&page).unwrap(), before);
    t.keys(&["q"]);
    let after = t.wait_for("MNEPACK_EXIT=");
    assert!(after.contains("MNEPACK_EXIT=0"), "{after}");
}

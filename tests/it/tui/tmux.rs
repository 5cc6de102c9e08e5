//! The real binary in a real terminal (tmux, 80x24, NO_COLOR): wait for
//! screen text by polling `capture-pane` with a deadline (never fixed
//! sleeps), then check the delivery on disk with `mnepack verify` and
//! `sha256sum -c`, and that the terminal was restored.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use super::stage::{assert_untouched, record};
use crate::common::{bin, have_tool, mnepack};

/// A tmux server of our own (its own socket), killed on drop.
pub(super) struct Tmux {
    socket: String,
}

impl Tmux {
    pub(super) fn start(cmd: &str) -> Tmux {
        let socket = format!("mnepack-test-{}-{}", std::process::id(), rand_suffix());
        let t = Tmux { socket };
        let out = t.run(&["new-session", "-d", "-x", "80", "-y", "24", "-s", "w", cmd]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        t.run(&["set-option", "-s", "escape-time", "0"]);
        t
    }

    pub(super) fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap()
    }

    /// The screen with its escape sequences (colours, bold, dim).
    pub(super) fn screen_styled(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-e", "-t", "w"]).stdout)
            .into_owned()
    }

    pub(super) fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "w"]).stdout).into_owned()
    }

    pub(super) fn wait_for(&self, text: &str) -> String {
        self.wait_until(text, |s| s.contains(text))
    }

    /// Polls the screen until `ok` holds (`what` names it on timeout).
    pub(super) fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(90);
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Resizes the window (and so the program's terminal).
    pub(super) fn resize(&self, w: u16, h: u16) {
        let out = self.run(&[
            "resize-window",
            "-t",
            "w",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    pub(super) fn keys(&self, keys: &[&str]) {
        for k in keys {
            self.run(&["send-keys", "-t", "w", k]);
        }
    }

    pub(super) fn type_text(&self, text: &str) {
        self.run(&["send-keys", "-t", "w", "-l", text]);
    }

    /// Types the title "Night Train" on the Job step and moves on to
    /// Sources.
    pub(super) fn title_then_sources(&self) {
        self.wait_for("Title");
        self.keys(&["Enter"]);
        self.type_text("Night Train");
        self.keys(&["Enter", "Tab"]);
    }

    /// On the demo stage: the title, the guessed roles, a clean Review,
    /// the pack; returns the Done screen once all six files verified.
    pub(super) fn demo_to_done(&self) -> String {
        self.title_then_sources();
        self.wait_for("Opt B");
        self.keys(&["Tab"]);
        self.wait_for("OK no findings");
        self.keys(&["Enter"]);
        self.wait_for("verified: all 6 files")
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// For a tmux test: `None` (a skip, said) without tmux; else a temp
/// folder holding the demo stage, and the stage's folder.
pub(super) fn demo_in_tmux_test(test: &str) -> Option<(tempfile::TempDir, PathBuf)> {
    if !have_tool("tmux", test) {
        return None;
    }
    let tmp = tempfile::tempdir().unwrap();
    let stage = demo(tmp.path());
    Some((tmp, stage))
}

pub(super) fn demo(dir: &Path) -> PathBuf {
    crate::common::demo_at(&dir.join("demo"))
}

pub(super) fn shell(dir: &Path, args: &str) -> String {
    shell_with(dir, "NO_COLOR=1", args)
}

/// The wizard under `env` settings (`NO_COLOR=1`, or `-u NO_COLOR`).
pub(super) fn shell_with(dir: &Path, env: &str, args: &str) -> String {
    format!(
        "cd {} && env {env} TERM=xterm-256color {} {args}; echo MNEPACK_EXIT=$?; stty -a | tr ' ' '\\n' | grep -x -e icanon -e -icanon; sleep 120",
        dir.display(),
        bin().display()
    )
}

/// True when the escape sequences of a `capture-pane -e` hold a colour
/// (SGR 30-37, 40-47, 90-97, 100-107, or 38/48 extended).
fn has_colour(captured: &str) -> bool {
    captured.split("\x1b[").skip(1).any(|seq| {
        let Some(end) = seq.find('m') else {
            return false;
        };
        seq[..end].split(';').any(|p| {
            matches!(
                p.parse::<u16>(),
                Ok(30..=37 | 40..=47 | 90..=97 | 100..=107 | 38 | 48)
            )
        })
    })
}

#[test]
fn tmux_new_user_goes_from_demo_stage_to_a_verified_delivery() {
    let Some((tmp, stage)) =
        demo_in_tmux_test("tmux_new_user_goes_from_demo_stage_to_a_verified_delivery")
    else {
        return;
    };
    let before = record(&stage.join("stage"));
    let t = Tmux::start(&shell(tmp.path(), "tui demo"));
    let done = t.demo_to_done();
    assert!(done.contains("mnepack verify"), "{done}");
    // At 80x24 each measured row names its file by what tells it apart.
    let rows: Vec<&str> = done.lines().filter(|l| l.contains(" LUFS ")).collect();
    for token in [
        "ME_Nearfield",
        "OPTA_Efforts",
        "OPTB_Walla",
        "GUIDE_mono",
        "PM_Nearfield",
    ] {
        let n = rows.iter().filter(|l| l.contains(token)).count();
        assert_eq!(n, 1, "one row names {token}:\n{done}");
    }
    t.keys(&["s"]);
    t.wait_for("job saved");
    t.keys(&["q"]);
    t.wait_for("MNEPACK_EXIT=");
    let after = t.wait_for("icanon");
    assert!(after.contains("MNEPACK_EXIT=0"), "{after}");
    assert!(
        after.lines().any(|l| l.trim() == "icanon"),
        "terminal left in raw mode:\n{after}"
    );

    let root = std::fs::canonicalize(&stage)
        .unwrap()
        .join("deliveries/night_train_lp_delivery01");
    let v = mnepack().arg("verify").arg(&root).output().unwrap();
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));
    if have_tool("sha256sum", "tmux journey (sha256sum)") {
        let s = Command::new("sha256sum")
            .args(["-c", "--strict", "night_train_lp_delivery01.sha256"])
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(s.status.success(), "{}", String::from_utf8_lossy(&s.stdout));
    }
    assert!(
        stage.join("job-2.yaml").is_file(),
        "saved next to the demo's own job.yaml"
    );
    assert_untouched(&before);
}

#[test]
fn tmux_two_files_share_letter_b_and_pack_under_two_names() {
    let Some((tmp, stage)) =
        demo_in_tmux_test("tmux_two_files_share_letter_b_and_pack_under_two_names")
    else {
        return;
    };
    // A third optional whose name tells no kind: it is guessed onto C.
    std::fs::copy(
        stage.join("stage/NT_OPT_walla_51.wav"),
        stage.join("stage/NT_OPT_extra_51.wav"),
    )
    .unwrap();
    let before = record(&stage.join("stage"));
    let t = Tmux::start(&shell(tmp.path(), "tui demo"));
    t.title_then_sources();
    t.wait_for("Opt C");
    // Find the file, then move its track from C to B, beside the walla.
    t.keys(&["/"]);
    t.type_text("extra");
    t.keys(&["Enter"]);
    t.wait_for("filter: extra");
    t.keys(&["["]);
    t.wait_for("optional B Extra");
    let sources = t.screen();
    assert!(!sources.contains("Opt C"), "{sources}");
    // Review: ref, M&E, opt A, opt B walla, opt B extra (row 5), guide, PM.
    t.keys(&["Tab"]);
    t.wait_for("OPTB_Extra_6ch");
    t.wait_for("OK no findings");
    t.keys(&["Down", "Down", "Down", "Down", "e"]);
    t.keys(&["BSpace", "BSpace", "BSpace", "BSpace", "BSpace"]);
    t.type_text("Walla Spanish");
    t.keys(&["Enter"]);
    let review = t.wait_for("OPTB_WallaSpanish_6ch");
    assert!(review.contains("OPTB_Walla_6ch"), "{review}");
    t.wait_for("OK no findings");
    t.keys(&["Enter"]);
    t.wait_for("verified: all 7 files");
    t.keys(&["q"]);
    let after = t.wait_for("MNEPACK_EXIT=");
    assert!(after.contains("MNEPACK_EXIT=0"), "{after}");

    let root = std::fs::canonicalize(&stage)
        .unwrap()
        .join("deliveries/night_train_lp_delivery01");
    let optb: Vec<String> = std::fs::read_dir(root.join("MnE"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("_OPTB_"))
        .collect();
    assert_eq!(optb.len(), 2, "{optb:?}");
    for tail in [
        "_OPTB_Walla_6ch_48k_24b_23976.wav",
        "_OPTB_WallaSpanish_6ch_48k_24b_23976.wav",
    ] {
        assert!(optb.iter().any(|n| n.ends_with(tail)), "{tail}: {optb:?}");
    }
    let v = mnepack().arg("verify").arg(&root).output().unwrap();
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));
    assert_untouched(&before);
}

#[test]
fn tmux_resizing_mid_wizard_re_lays_the_screen_out() {
    let Some((tmp, stage)) = demo_in_tmux_test("tmux_resizing_mid_wizard_re_lays_the_screen_out")
    else {
        return;
    };
    let before = record(&stage.join("stage"));
    let t = Tmux::start(&shell(tmp.path(), "tui demo"));
    t.title_then_sources();
    t.wait_for("Opt B");
    t.wait_for("START TC");
    // Very narrow: the fact columns give way to the file names.
    t.resize(40, 10);
    let narrow = t.wait_until("the 40x10 layout", |s| {
        s.contains("FILE") && !s.contains("START TC") && s.lines().all(|l| l.chars().count() <= 40)
    });
    assert!(narrow.contains("NT_"), "{narrow}");
    // Very wide, then back to 80x24: the columns come back.
    t.resize(250, 50);
    t.wait_until("the 250x50 layout", |s| {
        s.contains("START TC") && s.lines().any(|l| l.chars().count() > 120)
    });
    t.resize(80, 24);
    t.wait_until("the 80x24 layout", |s| {
        s.contains("START TC") && s.lines().all(|l| l.chars().count() <= 80)
    });
    // The wizard goes on to a verified delivery after the resizes.
    t.keys(&["Tab"]);
    t.wait_for("OK no findings");
    t.resize(40, 10);
    t.wait_until("the narrow review", |s| {
        s.contains("DELIVERED AS") && !s.contains("SOURCE")
    });
    t.resize(80, 24);
    t.wait_for("SOURCE");
    t.keys(&["Enter"]);
    t.wait_for("verified: all 6 files");
    t.keys(&["q"]);
    let after = t.wait_for("MNEPACK_EXIT=");
    assert!(after.contains("MNEPACK_EXIT=0"), "{after}");
    let root = std::fs::canonicalize(&stage)
        .unwrap()
        .join("deliveries/night_train_lp_delivery01");
    let v = mnepack().arg("verify").arg(&root).output().unwrap();
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));
    assert_untouched(&before);
}

#[test]
fn tmux_help_quit_confirmation_and_escape() {
    let Some((tmp, _stage)) = demo_in_tmux_test("tmux_help_quit_confirmation_and_escape") else {
        return;
    };
    let t = Tmux::start(&shell(tmp.path(), "tui demo"));
    t.wait_for("Title");
    t.keys(&["?"]);
    t.wait_for("Keys (any key closes)");
    t.keys(&["Escape"]);
    t.wait_for("free text");
    // Edit the title, cancel the edit with Esc, then change it for real.
    t.keys(&["Enter"]);
    t.type_text("abc");
    t.wait_for("abc");
    t.keys(&["Escape"]);
    // Esc and the next key apart, as a person types them (sent together
    // they arrive as one Alt-key sequence).
    t.wait_until("the edit cancelled", |s| !s.contains("abc"));
    t.keys(&["Enter"]);
    t.type_text("Sea");
    t.keys(&["Enter"]);
    t.wait_for("Title           Sea");
    t.keys(&["q"]);
    t.wait_for("Quit? Unsaved changes");
    t.keys(&["n"]);
    t.keys(&["q"]);
    t.wait_for("Quit? Unsaved changes");
    t.keys(&["y"]);
    let after = t.wait_for("MNEPACK_EXIT=");
    assert!(after.contains("MNEPACK_EXIT=0"), "{after}");
}

#[test]
fn tmux_no_color_turns_colour_off_and_its_absence_on() {
    let Some((tmp, _stage)) =
        demo_in_tmux_test("tmux_no_color_turns_colour_off_and_its_absence_on")
    else {
        return;
    };
    for (env, coloured) in [("NO_COLOR=1", false), ("-u NO_COLOR", true)] {
        let t = Tmux::start(&shell_with(tmp.path(), env, "tui demo"));
        t.wait_for("free text");
        let styled = t.screen_styled();
        assert!(styled.contains("\x1b["), "no styles at all:\n{styled}");
        assert_eq!(has_colour(&styled), coloured, "{env}:\n{styled:?}");
        t.keys(&["q"]);
        t.wait_for("MNEPACK_EXIT=0");
    }
}

#[test]
fn without_a_terminal_the_wizard_refuses_and_points_at_pack() {
    let out = mnepack().arg("tui").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("mnepack pack JOB") && err.contains("mnepack check JOB"),
        "{err}"
    );
    let out = mnepack().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no command given"));
}

/// Rewrites `stage/name` as a 5.1 demo-length WAV (same start as the demo)
/// holding a 100 Hz sine at `dbfs` on every channel: its true peak is its
/// sample peak, so it lands where the test wants it against the limits.
fn loud_wav(stage: &Path, name: &str, dbfs: f64) {
    use mnepack::probe::Bext;
    use mnepack::testmedia::{FmtKind, Signal, WavSpec, write_wav};
    let frames = mnepack::testmedia::demo::DEMO_REF_FRAMES * 2002;
    let mut spec = WavSpec::new(48_000, 24, 6, frames);
    spec.format = FmtKind::Extensible {
        cb_size: 22,
        valid_bits: 24,
        channel_mask: 0x60F,
        float: false,
    };
    spec.bext = Some(Bext {
        time_reference: 172_780_608,
        version: 1,
        ..Default::default()
    });
    spec.signal = vec![
        Signal::Sine {
            hz: 100.0,
            dbfs,
            phase: 0.0,
        };
        6
    ];
    let mut f = std::fs::File::create(stage.join(name)).unwrap();
    write_wav(&spec, &mut f).unwrap();
}

/// At 80x24 the Pack screen's rows name the file that broke a limit by
/// what tells it apart (`OPTA_Efforts`, `PM_Nearfield`), not by the prefix
/// and tail every delivered name shares.
#[test]
fn tmux_pack_rows_at_80x24_name_the_file_that_broke_a_limit() {
    let Some((tmp, stage)) =
        demo_in_tmux_test("tmux_pack_rows_at_80x24_name_the_file_that_broke_a_limit")
    else {
        return;
    };
    // Optional A over the true-peak target (a warning), the print master
    // over the limit (an error: QC stops the package after the read).
    loud_wav(&stage.join("stage"), "NT_OPT_efforts_51.wav", -1.5);
    loud_wav(&stage.join("stage"), "NT_PM_51.wav", -0.5);
    let t = Tmux::start(&shell(tmp.path(), "tui demo --job demo/job.yaml"));
    t.wait_for("Title");
    t.keys(&["Tab"]);
    t.wait_for("Opt B");
    t.keys(&["Tab"]);
    t.wait_for("DELIVERED AS");
    t.keys(&["Enter"]);
    let screen = t.wait_for("QC errors stopped the package");
    let row = |mark: &str, token: &str| {
        screen
            .lines()
            .any(|l| l.starts_with(mark) && l.contains("written") && l.contains(token))
    };
    assert!(row("WARN ", "OPTA_Efforts"), "{screen}");
    assert!(row("ERROR ", "PM_Nearfield"), "{screen}");
    assert!(screen.lines().all(|l| l.chars().count() <= 80), "{screen}");
    t.keys(&["q"]);
    t.wait_for("MNEPACK_EXIT=");
}

//! A new user's first hour with the wizard, in the real binary under tmux
//! (80x24): a stage folder as a mix room leaves it, a job file named by a
//! relative path, a folder of several sessions (a season), a redelivery,
//! and a terminal that goes away mid-pack.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use std::path::Path;
use std::time::{Duration, Instant};

use super::stage::sparse_stage_with_sound;
use super::tmux::{Tmux, demo, demo_in_tmux_test, shell};
use crate::common::{have_tool, mix_room_stage, mnepack};

/// `mnepack verify ROOT` succeeds.
fn assert_verifies(root: &Path) {
    let v = mnepack().arg("verify").arg(root).output().unwrap();
    assert!(
        v.status.success(),
        "verify {}:\n{}{}",
        root.display(),
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
}

#[test]
fn tmux_a_mix_room_stage_folder_packs_beside_itself_and_review_shows_a_refusal_first() {
    if !have_tool("tmux", "tmux_a_mix_room_stage_folder_packs_beside_itself") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let stage = mix_room_stage(tmp.path(), "NT 101");
    let t = Tmux::start(&shell(tmp.path(), "tui 'NT 101 Stage'"));
    t.wait_for("Title");
    t.keys(&["Enter"]);
    t.type_text("Night Train");
    t.keys(&["Enter"]);
    // The output a user edits into the stage folder itself...
    for _ in 0..5 {
        t.keys(&["Down"]);
    }
    t.keys(&["Enter"]);
    for _ in 0..300 {
        t.keys(&["BSpace"]);
    }
    t.type_text(&format!("{}/out", stage.display()));
    t.keys(&["Enter", "Tab"]);
    t.wait_for("Opt B");
    t.keys(&["Tab"]);
    // ...is refused on Review, before Enter, and Enter stays there.
    let review = t.wait_for("pack would refuse");
    assert!(review.contains("would land inside"), "{review}");
    t.keys(&["Enter"]);
    let still = t.wait_for("go back and change it");
    assert!(still.contains("DELIVERED AS"), "{still}");
    assert!(!stage.join("out").exists(), "the refused root was made");
    t.keys(&["q"]);
    t.wait_for("Quit?");
    t.keys(&["y"]);
    t.wait_for("MNEPACK_EXIT=0");

    // The default output, untouched, packs beside the stage folder.
    let t = Tmux::start(&shell(tmp.path(), "tui 'NT 101 Stage'"));
    t.title_then_sources();
    t.wait_for("Opt B");
    t.keys(&["Tab"]);
    let review = t.wait_for("OK no findings");
    assert!(!review.contains("refuse"), "{review}");
    t.keys(&["Enter"]);
    t.wait_for("verified: all 6 files");
    t.keys(&["q"]);
    t.wait_for("MNEPACK_EXIT=0");
    let root = std::fs::canonicalize(tmp.path())
        .unwrap()
        .join("deliveries/night_train_lp_delivery01");
    assert_verifies(&root);
    assert!(!stage.join("deliveries").exists());
}

#[test]
fn tmux_tui_job_by_relative_path_reads_the_job_as_pack_does() {
    if !have_tool(
        "tmux",
        "tmux_tui_job_by_relative_path_reads_the_job_as_pack_does",
    ) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = demo(tmp.path());
    // From the demo's parent, naming the job by a relative path.
    let t = Tmux::start(&shell(tmp.path(), "tui --job demo/job.yaml"));
    t.wait_for("Title");
    t.keys(&["Tab"]);
    t.wait_for("Opt B");
    t.keys(&["Tab"]);
    let review = t.wait_for("OK no findings");
    assert!(!review.contains("cannot read"), "{review}");
    t.keys(&["Enter"]);
    t.wait_for("verified: all 6 files");
    t.keys(&["q"]);
    t.wait_for("MNEPACK_EXIT=0");
    assert_verifies(&d.join("deliveries/night_train_lp_delivery01"));
}

#[test]
fn tmux_a_folder_of_three_sessions_opens_as_a_season_and_one_episode_packs_from_its_own_files() {
    if !have_tool("tmux", "tmux_a_folder_of_three_sessions_opens_as_a_season") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let season = tmp.path().join("Season 1");
    for ep in ["NT 101", "NT 102", "NT 103"] {
        mix_room_stage(&season, ep);
    }
    let t = Tmux::start(&shell(tmp.path(), "tui 'Season 1'"));
    let screen = t.wait_for("3 episodes");
    assert!(screen.contains("guessed from the folders"), "{screen}");
    for unit in ["s01e01", "s01e02", "s01e03"] {
        t.wait_until(unit, |s| {
            s.lines()
                .any(|l| l.contains(unit) && l.contains("ready: not delivered yet"))
        });
    }
    t.keys(&["Down", "Enter"]);
    t.wait_for("opened s01e02");
    t.keys(&["Tab"]);
    t.wait_for("Opt B");
    t.keys(&["Tab"]);
    let review = t.wait_for("OK no findings");
    assert!(review.contains("opt B"), "{review}");
    t.keys(&["Enter"]);
    t.wait_for("verified: all 6 files");
    // Back to the season: episode 2 is delivered, the others still ready.
    t.keys(&["BTab"]);
    t.wait_until("s01e02 delivered", |s| {
        s.lines()
            .any(|l| l.contains("s01e02") && l.contains("delivered"))
    });
    t.keys(&["q"]);
    t.wait_for("MNEPACK_EXIT=0");
    let root = std::fs::canonicalize(&season)
        .unwrap()
        .join("deliveries/season_1_s01e02_delivery01");
    let manifest = std::fs::read_to_string(root.join("season_1_s01e02_delivery01.yaml")).unwrap();
    let sources: Vec<&str> = manifest
        .lines()
        .filter(|l| l.contains("Season 1/"))
        .collect();
    assert_eq!(sources.len(), 6, "{manifest}");
    assert!(
        sources.iter().all(|l| l.contains("NT 102 Stage/")),
        "another session's file delivered: {sources:#?}"
    );
    assert_verifies(&root);
}

#[test]
fn tmux_a_season_packs_every_ready_episode_from_its_screen() {
    if !have_tool("tmux", "tmux_a_season_packs_every_ready_episode") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let season = tmp.path().join("Season 1");
    for ep in ["NT 101", "NT 102", "NT 103"] {
        mix_room_stage(&season, ep);
    }
    let init = mnepack().arg("init").arg(&season).output().unwrap();
    assert!(init.status.success(), "{init:?}");
    let t = Tmux::start(&shell(tmp.path(), "tui --job 'Season 1/season.yaml'"));
    t.wait_for("ready: not delivered yet");
    t.keys(&["p"]);
    let done = t.wait_until("three episodes delivered", |s| {
        s.matches("delivered now").count() == 3 && s.contains("episodes packed now: 3")
    });
    assert!(!done.contains("guessed"), "{done}");
    t.keys(&["q"]);
    t.wait_for("MNEPACK_EXIT=0");
    let out = std::fs::canonicalize(&season).unwrap().join("deliveries");
    for unit in ["s01e01", "s01e02", "s01e03"] {
        assert_verifies(&out.join(format!("season_1_{unit}_delivery01")));
    }
}

#[test]
fn tmux_a_redelivery_reviews_changed_and_unchanged_files_and_ends_with_the_note() {
    if !have_tool(
        "tmux",
        "tmux_a_redelivery_reviews_changed_and_unchanged_files",
    ) {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = demo(tmp.path());
    let first = mnepack()
        .args(["pack", "-q"])
        .arg(d.join("job.yaml"))
        .output()
        .unwrap();
    assert!(first.status.success(), "{first:?}");
    // The mixer fixes the M&E: other bytes, same size.
    let me = d.join("stage/NT_ME_51.wav");
    let mut bytes = std::fs::read(&me).unwrap();
    let n = bytes.len();
    bytes[n - 100] ^= 0x01;
    std::fs::write(&me, bytes).unwrap();
    let t = Tmux::start(&shell(tmp.path(), "tui --job demo/job.yaml"));
    t.wait_for("Title");
    t.keys(&["Tab"]);
    t.wait_for("Opt B");
    t.keys(&["Tab"]);
    let review = t.wait_for("redelivery of night_train_lp_delivery01 as delivery 02");
    assert!(!review.contains("not wired"), "{review}");
    let me_row = review.lines().find(|l| l.contains("M&E")).unwrap();
    assert!(me_row.contains("changed?"), "{review}");
    let pm_row = review.lines().find(|l| l.contains("PM ")).unwrap();
    assert!(pm_row.contains("same?"), "{review}");
    t.keys(&["Down"]);
    t.wait_for("the read decides by SHA-256");
    t.keys(&["Enter"]);
    let done = t.wait_for("verified: all 6 files");
    assert!(done.contains("Changed (1)"), "{done}");
    assert!(!done.contains("QC rules land"), "{done}");
    t.keys(&["q"]);
    t.wait_for("MNEPACK_EXIT=0");
    let root = d.join("deliveries/night_train_lp_delivery02");
    assert_verifies(&root);
    let names: Vec<String> = std::fs::read_dir(root.join("MnE"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.contains("_v02_") && n.contains("_ME_")),
        "{names:?}"
    );
    assert_eq!(
        names.iter().filter(|n| n.contains("_v01_")).count(),
        4,
        "{names:?}"
    );
}

/// The pid of the mnepack process under the tmux pane's shell.
fn mnepack_pid(t: &Tmux) -> u32 {
    let out = t.run(&["list-panes", "-t", "w", "-F", "#{pane_pid}"]);
    let shell: u32 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    let children = std::fs::read_to_string(format!("/proc/{shell}/task/{shell}/children")).unwrap();
    children
        .split_whitespace()
        .map(|p| p.parse::<u32>().unwrap())
        .find(|p| {
            std::fs::read_to_string(format!("/proc/{p}/comm")).is_ok_and(|c| c.trim() == "mnepack")
        })
        .unwrap_or_else(|| panic!("no mnepack child of {shell}: {children}"))
}

/// User + system CPU time of `pid` in clock ticks, or None once it is gone
/// (a zombie counts as gone: it runs no more).
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    if f.first() == Some(&"Z") {
        return None;
    }
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

/// Answers the wizard on the big sparse stage (title "Big Job", the
/// guessed roles) and starts the pack from Review.
fn start_pack(t: &Tmux) {
    t.wait_for("Title");
    t.keys(&["Enter"]);
    t.type_text("Big Job");
    t.keys(&["Enter", "Tab"]);
    t.wait_until("the print master guessed", |s| {
        s.lines()
            .any(|l| l.trim_start().starts_with("PM ") && l.contains("BIG_PM"))
    });
    t.keys(&["Tab"]);
    t.wait_for("DELIVERED AS");
    t.keys(&["Enter"]);
}

/// The reference movie is staged and the audio files are being read,
/// side by side.
fn wait_for_the_print_master(t: &Tmux) {
    t.wait_until("the audio being read side by side", |s| {
        s.contains("pack: 3 files") && s.contains("file  ") && s.contains("side by side")
    });
}

/// Stopped with the cancel key mid-pack, then packed again from Review in
/// the same wizard: the pack resumes (the staged reference movie is
/// re-used, and the Done screen says so) and the delivery verifies.
#[test]
fn tmux_a_pack_stopped_in_the_wizard_resumes_when_packed_again() {
    if !have_tool("tmux", "tmux_a_pack_stopped_in_the_wizard_resumes") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let big = sparse_stage_with_sound(&tmp.path().join("big"));
    let t = Tmux::start(&shell(tmp.path(), "tui big"));
    start_pack(&t);
    wait_for_the_print_master(&t);
    t.keys(&["c"]);
    t.wait_for("Stop the pack?");
    t.keys(&["y"]);
    t.wait_for("the pack was stopped");
    let root = big.join("deliveries/big_job_lp_delivery01");
    assert!(
        root.join(".mnepack-staging/journal").is_file(),
        "nothing kept"
    );
    assert!(!root.join("MnE").exists(), "an upload folder after a stop");
    // Back to Review, and pack again.
    t.keys(&["BTab"]);
    t.wait_for("DELIVERED AS");
    t.keys(&["Enter"]);
    let done = t.wait_for("verified: all 3 files");
    assert!(
        done.contains("re-used 1 of the 1 files kept by the interrupted run"),
        "{done}"
    );
    t.keys(&["q"]);
    t.wait_for("MNEPACK_EXIT=0");
    assert!(!root.join(".mnepack-staging").exists());
    assert_verifies(&root);
}

#[test]
fn tmux_killing_the_session_mid_pack_ends_mnepack_and_the_same_command_resumes() {
    if !have_tool("tmux", "tmux_killing_the_session_mid_pack_ends_mnepack") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let big = sparse_stage_with_sound(&tmp.path().join("big"));
    let t = Tmux::start(&shell(tmp.path(), "tui big"));
    start_pack(&t);
    wait_for_the_print_master(&t);
    let pid = mnepack_pid(&t);
    let before = cpu_ticks(pid).unwrap();
    // The SSH session drops: the terminal goes away under the wizard.
    t.run(&["kill-session", "-t", "w"]);
    let killed = Instant::now();
    let mut last = before;
    while let Some(ticks) = cpu_ticks(pid) {
        last = ticks;
        assert!(
            killed.elapsed() < Duration::from_secs(2),
            "mnepack {pid} still running 2 s after its terminal went away \
             (CPU ticks {before} -> {ticks})"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Stopping takes a block or two of work, never a spin.
    assert!(
        last - before < 100,
        "CPU ticks {before} -> {last} after the kill"
    );
    let staging = big.join("deliveries/big_job_lp_delivery01/.mnepack-staging");
    assert!(staging.is_dir(), "nothing kept to resume from");
    assert!(!big.join("deliveries/big_job_lp_delivery01/MnE").exists());
    drop(t);

    // The same command, the same answers: the pack resumes and verifies.
    let t = Tmux::start(&shell(tmp.path(), "tui big"));
    start_pack(&t);
    t.wait_for("verified: all 3 files");
    t.keys(&["q"]);
    t.wait_for("MNEPACK_EXIT=0");
    assert_verifies(&big.join("deliveries/big_job_lp_delivery01"));
}

/// Sends `sig` (`-STOP`, `-CONT`) to `pid`.
fn signal(pid: u32, sig: &str) {
    let st = std::process::Command::new("kill")
        .args([sig, &pid.to_string()])
        .status()
        .unwrap();
    assert!(st.success(), "kill {sig} {pid}");
}

/// The file named on a row of the Sources list (`job.yaml`, `stage/...`).
fn file_of(row: &str) -> Option<String> {
    row.split_whitespace()
        .find(|w| w.contains('/') || *w == "job.yaml")
        .map(str::to_owned)
}

/// The file name on the selected row of the Sources list.
fn selected_file(screen: &str) -> Option<String> {
    file_of(screen.lines().find(|l| l.starts_with('>'))?)
}

#[test]
fn tmux_keys_that_come_with_a_resize_while_the_wizard_is_busy_all_take_effect() {
    // A key and a resize that reach a wizard not waiting on its terminal
    // (busy, or stopped here with SIGSTOP) are both handled: the key is
    // never held back until the next key, and an idle wizard does not spin.
    let Some((tmp, _stage)) =
        demo_in_tmux_test("tmux_keys_that_come_with_a_resize_while_the_wizard_is_busy")
    else {
        return;
    };
    let t = Tmux::start(&shell(tmp.path(), "tui demo"));
    t.title_then_sources();
    let s = t.wait_for("Opt B");
    let files: Vec<String> = s
        .lines()
        .skip_while(|l| !l.contains("ROLE"))
        .skip(1)
        .filter_map(file_of)
        .collect();
    assert!(files.len() >= 8, "{files:?}");
    assert_eq!(selected_file(&s).as_ref(), files.first(), "{s}");
    let pid = mnepack_pid(&t);
    // Eight rounds down the list and eight back up, the terminal resized
    // each time: resize then key, key then resize, to a stopped wizard or
    // in one tmux command.
    let sizes = [(100, 30), (80, 24), (120, 40), (60, 20)];
    let mut at = 0;
    for round in 0..16 {
        let (key, next) = if round < 8 {
            ("Down", at + 1)
        } else {
            ("Up", at - 1)
        };
        let (w, h) = sizes[round % sizes.len()];
        let (w, h) = (w.to_string(), h.to_string());
        let resize = ["resize-window", "-t", "w", "-x", &w, "-y", &h];
        let press = ["send-keys", "-t", "w", key];
        let (first, then) = if round % 2 == 0 {
            (&resize[..], &press[..])
        } else {
            (&press[..], &resize[..])
        };
        if round % 4 < 2 {
            // Both reach a stopped wizard.
            signal(pid, "-STOP");
            assert!(t.run(first).status.success());
            assert!(t.run(then).status.success());
            signal(pid, "-CONT");
        } else {
            // Both in one tmux command, while the wizard runs.
            let both: Vec<&str> = first.iter().chain([&";"]).chain(then).copied().collect();
            assert!(t.run(&both).status.success());
        }
        let want = &files[next];
        t.wait_until(&format!("{want} selected after round {round}"), |s| {
            selected_file(s).as_ref() == Some(want)
        });
        at = next;
    }
    // Idle at the Sources step: a few ticks a second at most, not a spin.
    let before = cpu_ticks(pid).unwrap();
    std::thread::sleep(Duration::from_secs(2));
    let used = cpu_ticks(pid).unwrap() - before;
    assert!(used < 40, "{used} clock ticks of CPU in 2 s idle");
    t.keys(&["q"]);
    t.wait_for("Quit?");
    t.keys(&["y"]);
    let after = t.wait_for("MNEPACK_EXIT=");
    assert!(after.contains("MNEPACK_EXIT=0"), "{after}");
}

#[test]
fn tmux_sigterm_and_sighup_stop_the_wizard_with_130_and_restore_the_terminal() {
    let Some((tmp, _stage)) = demo_in_tmux_test("tmux_sigterm_and_sighup_stop_the_wizard") else {
        return;
    };
    for sig in ["TERM", "HUP"] {
        let t = Tmux::start(&shell(tmp.path(), "tui demo"));
        t.wait_for("Title");
        let pid = mnepack_pid(&t);
        let sent = Instant::now();
        let kill = std::process::Command::new("kill")
            .args([&format!("-{sig}"), &pid.to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let after = t.wait_for("icanon");
        assert!(
            sent.elapsed() < Duration::from_secs(2),
            "SIG{sig}: {:?}",
            sent.elapsed()
        );
        assert!(after.contains("MNEPACK_EXIT=130"), "SIG{sig}:\n{after}");
        assert!(
            after.lines().any(|l| l.trim() == "icanon"),
            "SIG{sig}: terminal left in raw mode:\n{after}"
        );
        assert!(after.contains("the wizard stopped"), "SIG{sig}:\n{after}");
    }
}

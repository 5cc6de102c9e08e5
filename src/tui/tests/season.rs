//! The season screen on real demo stages: where each episode stands, "pack
//! all" packing the ready ones (one refused for a missing file) with the
//! rows updating, an episode opened in the steps and back, at 80x24.

use std::fmt::Write as _;

use super::snapshots::render;
use super::*;
use crate::job::season::from_yaml;
use crate::tui::app::Screen;
use crate::tui::app::{EpisodeStatus, SeasonView};

/// Three demo stages and a season over them; episode 3's guide is gone.
fn season() -> (tempfile::TempDir, App) {
    let tmp = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(tmp.path()).unwrap();
    let mut text = String::from("title: Night Train\nframe_rate: 23.976\noutput: out\nepisodes:\n");
    for n in 1..=3 {
        write_demo(&root.join(format!("ep{n}"))).unwrap();
        let _ = write!(
            text,
            "  - unit: s01e0{n}\n    sources:\n      reference_video: ep{n}/stage/NT_stage_ref_2398.mov\n      mne: ep{n}/stage/NT_ME_51.wav\n      dialogue_guide: ep{n}/stage/NT_DX_guide_mono.wav\n      print_master: ep{n}/stage/NT_PM_51.wav\n"
        );
    }
    std::fs::remove_file(root.join("ep3/stage/NT_DX_guide_mono.wav")).unwrap();
    let jobs = from_yaml(&text, &root, today())
        .unwrap()
        .into_iter()
        .map(|e| e.job)
        .collect();
    let view = SeasonView::new(root.join("season.yaml"), false, jobs);
    let mut app = App::for_season(&root, view, today(), KeyMap::default());
    app.color = false;
    (tmp, app)
}

fn statuses(app: &App) -> Vec<EpisodeStatus> {
    app.season
        .as_ref()
        .unwrap()
        .episodes
        .iter()
        .map(|e| e.status.clone())
        .collect()
}

#[test]
fn pack_all_packs_the_ready_episodes_and_an_episode_opens_in_the_steps() {
    let (_tmp, mut app) = season();
    assert_eq!(app.screen, Screen::Season);
    let start = app.start();
    settle(&mut app, start);
    assert_eq!(statuses(&app), vec![EpisodeStatus::New; 3]);
    let screen = render(&app, 80, 24);
    assert_eq!(
        screen.matches("ready: not delivered yet").count(),
        3,
        "{screen}"
    );

    let effects = keys(&mut app, &[Key::Char('p')]);
    assert!(app.pack.running);
    let seen = settle_seen(&mut app, effects);
    assert!(
        seen.iter()
            .any(|m| matches!(m, WorkerMsg::Episode(0, EpisodeStatus::Packing(_, p)) if *p > 0)),
        "no progress reported"
    );
    assert!(!app.pack.running);
    let st = statuses(&app);
    assert_eq!(
        st[..2],
        [
            EpisodeStatus::PackedNow("night_train_s01e01_delivery01".into(), 0),
            EpisodeStatus::PackedNow("night_train_s01e02_delivery01".into(), 0)
        ]
    );
    assert!(
        matches!(&st[2], EpisodeStatus::Failed(why) if why.contains("NT_DX_guide_mono.wav")),
        "{st:?}"
    );
    for n in 1..=2 {
        let root = app
            .root
            .join(format!("out/night_train_s01e0{n}_delivery01"));
        assert!(
            root.join(format!("night_train_s01e0{n}_delivery01.yaml"))
                .is_file()
        );
    }
    let screen = render(&app, 80, 24);
    assert_eq!(screen.matches("delivered now").count(), 2, "{screen}");
    assert!(screen.contains("episodes packed now: 2"), "{screen}");

    // Episode 2 in the steps, then back: it reads as delivered.
    keys(&mut app, &[Key::Down, Key::Enter]);
    assert_eq!(app.screen, Screen::Job);
    assert_eq!(
        app.form
            .to_job(&app.sources, &app.root, today())
            .unwrap()
            .unit
            .to_string(),
        "s01e02"
    );
    let back = keys(&mut app, &[Key::BackTab]);
    assert_eq!(app.screen, Screen::Season);
    settle(&mut app, back);
    assert_eq!(
        statuses(&app)[1],
        EpisodeStatus::Delivered("night_train_s01e02_delivery01".into())
    );
    // Save and Tab do nothing here: there is no job on this screen.
    assert!(keys(&mut app, &[Key::Char('s'), Key::Tab]).is_empty());
    assert_eq!(app.screen, Screen::Season);
}

#[test]
fn c_stops_the_seasons_packing_and_p_packs_the_rest() {
    let (_tmp, mut app) = season();
    let start = app.start();
    settle(&mut app, start);
    let mut runner = Runner::default();
    runner.run(keys(&mut app, &[Key::Char('p')]));
    // Stop at once, as a person would: c, then y to the question.
    runner.run(keys(&mut app, &[Key::Char('c'), Key::Char('y')]));
    let deadline = Instant::now() + Duration::from_secs(60);
    while app.pack.running {
        if let Ok(m) = runner.rx.recv_timeout(Duration::from_millis(20)) {
            let more = app.update(Msg::Worker(m));
            runner.run(more);
        }
        assert!(
            Instant::now() < deadline,
            "the season's packing did not stop"
        );
    }
    let st = statuses(&app);
    // The stop lands before the second episode starts: it and the third
    // are stopped, ready to pack again.
    assert_eq!(
        st[1..],
        [EpisodeStatus::Stopped, EpisodeStatus::Stopped],
        "{st:?}"
    );
    assert!(
        matches!(st[0], EpisodeStatus::Stopped | EpisodeStatus::PackedNow(..)),
        "{st:?}"
    );
    assert!(render(&app, 80, 24).contains("stopped: p resumes"));
    // p again: the first two are delivered, the third fails for its file.
    let again = keys(&mut app, &[Key::Char('p')]);
    settle(&mut app, again);
    let st = statuses(&app);
    assert!(matches!(st[1], EpisodeStatus::PackedNow(..)), "{st:?}");
    assert!(matches!(st[2], EpisodeStatus::Failed(_)), "{st:?}");
    assert!(
        app.root
            .join("out/night_train_s01e01_delivery01/night_train_s01e01_delivery01.yaml")
            .is_file()
    );
}

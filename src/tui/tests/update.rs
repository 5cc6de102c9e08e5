//! `App::update`: keys and worker results change the model as the screens
//! promise; effects are asked for, never performed.

use super::*;
use crate::job::{Role, Source};
use crate::tui::app::{EditTarget, Level, Overlay, ProbeState, Screen};
use crate::tui::strings as s;

#[test]
fn the_scan_probes_media_dims_debris_and_suggests_roles() {
    let (_tmp, root) = demo();
    let app = scanned(&root);
    assert!(!app.scanning);
    let debris: Vec<&str> = app
        .files
        .iter()
        .filter(|r| r.debris)
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(debris, ["stage/.DS_Store", "stage/._NT_ME_51.wav"]);
    let probed = app
        .files
        .iter()
        .filter(|r| matches!(r.state, ProbeState::Ok(_)))
        .count();
    assert_eq!(probed, 6);
    assert_eq!(
        app.sources.mne,
        Some(Source::File(root.join("stage/NT_ME_51.wav")))
    );
    assert_eq!(app.sources.optionals.len(), 2);
    assert!(app.sources.reference_video.is_some());
}

#[test]
fn the_job_form_validates_before_moving_on() {
    let (_tmp, root) = demo();
    let mut app = App::new(&root, None, today(), KeyMap::default());
    // Title empty: Tab stays on the form with an error.
    let fx = keys(&mut app, &[Key::Tab]);
    assert!(fx.is_empty());
    assert_eq!(app.screen, Screen::Job);
    assert!(matches!(
        app.status,
        Some((crate::tui::app::Level::Error, _))
    ));
    // Edit the title; typed keys do not trigger actions ('q' would quit).
    keys(&mut app, &[Key::Enter]);
    assert!(matches!(
        app.edit.as_ref().map(|e| e.target),
        Some(EditTarget::Field(_))
    ));
    text(&mut app, "quiet sea");
    keys(&mut app, &[Key::Enter]);
    assert!(!app.quit);
    assert_eq!(app.form.title, "quiet sea");
    assert!(app.dirty);
    // A bad unit is refused with the loader's message.
    keys(&mut app, &[Key::Down, Key::Enter]);
    app.edit.as_mut().unwrap().buffer.clear();
    text(&mut app, "e5");
    keys(&mut app, &[Key::Enter, Key::Tab]);
    assert_eq!(app.screen, Screen::Job);
    let msg = app.status.clone().unwrap().1;
    assert!(msg.contains("e5"), "{msg}");
    // Fix it: moving on asks for a look at previous deliveries.
    keys(&mut app, &[Key::Enter]);
    app.edit.as_mut().unwrap().buffer.clear();
    text(&mut app, "S01E03");
    keys(&mut app, &[Key::Enter]);
    let fx = keys(&mut app, &[Key::Tab]);
    assert_eq!(app.screen, Screen::Sources);
    assert!(
        matches!(&fx[..], [Effect::FindPrevious { job, .. }]
            if job.title == "quiet sea" && job.unit.to_string() == "s01e03"),
        "{fx:?}"
    );
}

#[test]
fn the_previous_delivery_is_found_by_the_profile_s_root_template_as_pack_finds_it() {
    // The wizard names no root itself: a profile that names them its own
    // way is followed, by the same library call pack's number rule uses.
    let (_tmp, root) = demo();
    let builtin = crate::profile::BUILTIN[0].1;
    let text = builtin.replace(
        "root_template: \"{title}_{unit}_delivery{delivery}\"",
        "root_template: \"{unit}_{title}_del{delivery}\"",
    );
    assert_ne!(
        text, builtin,
        "the template line moved in config/netflix.yaml"
    );
    std::fs::write(root.join("studio.yaml"), text).unwrap();
    let delivered = root.join("deliveries/lp_night_train_del01");
    std::fs::create_dir_all(&delivered).unwrap();
    let manifest = delivered.join("lp_night_train_del01.yaml");
    std::fs::write(&manifest, "manifest_version: 1\n").unwrap();
    // The default template's name for the same delivery is not it.
    std::fs::create_dir_all(root.join("deliveries/night_train_lp_delivery02")).unwrap();
    let mut app = App::new(&root, None, today(), KeyMap::default());
    app.form.title = "Night Train".into();
    app.form.unit = "lp".into();
    app.form.profile = "studio.yaml".into();
    let fx = app.update(Msg::Key(Key::Tab));
    assert_eq!(app.screen, Screen::Sources, "{:?}", app.status);
    let [Effect::FindPrevious { output, job }] = &fx[..] else {
        panic!("{fx:?}");
    };
    assert_eq!(output, &root.join("deliveries"));
    let found = crate::tui::worker::find_previous(output, job);
    assert_eq!(found, Some(manifest));
    let profile = crate::profile::Profile::resolve(&job.profile_ref()).unwrap();
    assert_eq!(
        found,
        crate::plan::latest_manifest(output, job, &profile).unwrap()
    );
}

#[test]
fn frame_rate_is_a_choice_that_wraps() {
    let (_tmp, root) = demo();
    let mut app = App::new(&root, None, today(), KeyMap::default());
    keys(&mut app, &[Key::Down, Key::Down]);
    assert_eq!(app.form.value(crate::tui::form::Field::Rate), "23.976");
    keys(&mut app, &[Key::Right]);
    assert_eq!(app.form.value(crate::tui::form::Field::Rate), "24");
    keys(&mut app, &[Key::Left, Key::Left]);
    assert_eq!(app.form.value(crate::tui::form::Field::Rate), "59.94df");
}

#[test]
fn roles_are_assigned_by_key_and_debris_is_refused() {
    let (_tmp, root) = demo();
    let mut app = scanned(&root);
    app.sources = crate::job::Sources::default();
    app.screen = Screen::Sources;
    let row = |app: &App, name: &str| {
        app.visible()
            .iter()
            .position(|(_, r)| r.name == name)
            .unwrap()
    };
    app.cursor = row(&app, "stage/._NT_ME_51.wav");
    keys(&mut app, &[Key::Char('m')]);
    assert!(app.sources.mne.is_none());
    assert!(app.status.is_some());
    app.cursor = row(&app, "stage/NT_PM_51.wav");
    keys(&mut app, &[Key::Char('m')]);
    assert_eq!(
        app.sources.mne,
        Some(Source::File(root.join("stage/NT_PM_51.wav")))
    );
    // Re-assigning moves the file: one role per file.
    keys(&mut app, &[Key::Char('p')]);
    assert!(app.sources.mne.is_none());
    assert!(app.sources.print_master.is_some());
    // A video cannot be audio; an optional gets its kind's letter and a description.
    app.cursor = row(&app, "stage/NT_stage_ref_2398.mov");
    keys(&mut app, &[Key::Char('g')]);
    assert!(app.sources.dialogue_guide.is_none());
    keys(&mut app, &[Key::Char('v')]);
    assert!(app.sources.reference_video.is_some());
    app.cursor = row(&app, "stage/NT_OPT_walla_51.wav");
    keys(&mut app, &[Key::Char('o')]);
    assert_eq!(app.sources.optionals[0].letter, 'B');
    assert_eq!(app.sources.optionals[0].desc, "Walla");
    keys(&mut app, &[Key::Char('u')]);
    assert!(app.sources.optionals.is_empty());
    assert_eq!(
        crate::tui::update::role_label(&app.sources, &root.join("stage/NT_PM_51.wav")).as_deref(),
        Some("PM")
    );
    let _ = Role::Mne;
}

fn optionals(app: &App) -> Vec<(char, &str)> {
    app.sources
        .optionals
        .iter()
        .map(|o| (o.letter, o.desc.as_str()))
        .collect()
}

fn row_of(app: &App, name: &str) -> usize {
    app.visible()
        .iter()
        .position(|(_, r)| r.name == name)
        .unwrap()
}

#[test]
fn two_files_share_a_letter_and_their_descriptions_keep_them_apart() {
    let (_tmp, root) = demo();
    let mut app = scanned(&root);
    app.form.title = "Night Train".into();
    app.screen = Screen::Sources;
    assert_eq!(optionals(&app), [('A', "Efforts"), ('B', "Walla")]);
    // `]` moves the efforts onto B, beside the walla.
    app.cursor = row_of(&app, "stage/NT_OPT_efforts_51.wav");
    app.dirty = false;
    keys(&mut app, &[Key::Char(']')]);
    assert_eq!(optionals(&app), [('B', "Efforts"), ('B', "Walla")]);
    assert!(app.dirty);
    let efforts = root.join("stage/NT_OPT_efforts_51.wav");
    assert_eq!(
        crate::tui::update::role_label(&app.sources, &efforts).as_deref(),
        Some("Opt B")
    );
    // A file that is not an optional track has no letter to move.
    app.cursor = row_of(&app, "stage/NT_ME_51.wav");
    keys(&mut app, &[Key::Char('[')]);
    assert!(matches!(&app.status, Some((Level::Error, m)) if m == s::NOT_OPTIONAL));
    assert_eq!(optionals(&app), [('B', "Efforts"), ('B', "Walla")]);
    // Review shows two OPTB names.
    let fx = keys(&mut app, &[Key::Tab]);
    settle(&mut app, fx);
    let plan = &app.review.prepared.as_ref().unwrap().plan;
    let b: Vec<&str> = plan
        .items
        .iter()
        .filter(|i| i.letter == Some('B'))
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(b.len(), 2, "{b:?}");
    assert!(b[0].contains("_OPTB_Efforts_6ch_"), "{b:?}");
    assert!(b[1].contains("_OPTB_Walla_6ch_"), "{b:?}");
    // Describing one track of B like the other is refused.
    app.review.cursor = plan
        .items
        .iter()
        .position(|i| i.name.contains("_OPTB_Efforts_"))
        .unwrap();
    keys(&mut app, &[Key::Char('e')]);
    app.edit.as_mut().unwrap().buffer.clear();
    text(&mut app, "WALLA");
    let fx = keys(&mut app, &[Key::Enter]);
    assert!(fx.is_empty(), "{fx:?}");
    assert!(
        matches!(&app.status, Some((Level::Error, m)) if m.contains("already has a track described WALLA")),
        "{:?}",
        app.status
    );
    assert_eq!(optionals(&app), [('B', "Efforts"), ('B', "Walla")]);
    // Another description is taken, and the plan follows.
    keys(&mut app, &[Key::Char('e')]);
    app.edit.as_mut().unwrap().buffer.clear();
    text(&mut app, "Walla Spanish");
    let fx = keys(&mut app, &[Key::Enter]);
    settle(&mut app, fx);
    assert_eq!(optionals(&app), [('B', "Walla Spanish"), ('B', "Walla")]);
    let plan = &app.review.prepared.as_ref().unwrap().plan;
    assert!(
        plan.items
            .iter()
            .any(|i| i.name.contains("_OPTB_WallaSpanish_6ch_")),
        "{:?}",
        plan.items
    );
}

#[test]
fn assigning_joins_a_letter_of_the_same_kind_and_a_taken_description_is_numbered() {
    let (_tmp, root) = demo();
    let mut app = scanned(&root);
    app.screen = Screen::Sources;
    app.sources.optionals[0].letter = 'B';
    app.sources.optionals[0].desc = "Walla Spanish".into();
    // Unassigned, then `o` again: the walla joins the other walla on B.
    app.cursor = row_of(&app, "stage/NT_OPT_walla_51.wav");
    keys(&mut app, &[Key::Char('u')]);
    assert_eq!(optionals(&app), [('B', "Walla Spanish")]);
    keys(&mut app, &[Key::Char('o')]);
    assert_eq!(optionals(&app), [('B', "Walla Spanish"), ('B', "Walla")]);
    // Moved to A and back: the letter ends are A and Z.
    keys(&mut app, &[Key::Char('[')]);
    assert_eq!(optionals(&app), [('A', "Walla"), ('B', "Walla Spanish")]);
    keys(&mut app, &[Key::Char('[')]);
    assert_eq!(optionals(&app), [('A', "Walla"), ('B', "Walla Spanish")]);
    // Onto a letter that has its description: numbered, and said so.
    app.sources.optionals[1].desc = "walla".into();
    keys(&mut app, &[Key::Char(']')]);
    assert_eq!(optionals(&app), [('B', "Walla2"), ('B', "walla")]);
    assert!(
        matches!(&app.status, Some((Level::Info, m)) if m.contains("this one is Walla2")),
        "{:?}",
        app.status
    );
}

#[test]
fn the_filter_narrows_the_list_and_esc_clears_it() {
    let (_tmp, root) = demo();
    let mut app = scanned(&root);
    app.screen = Screen::Sources;
    let all = app.visible().len();
    keys(&mut app, &[Key::Char('/')]);
    text(&mut app, "opt");
    assert_eq!(app.visible().len(), 2);
    keys(&mut app, &[Key::Enter]);
    assert_eq!(app.filter, "opt");
    assert_eq!(app.visible().len(), 2);
    keys(&mut app, &[Key::Char('/'), Key::Esc]);
    assert_eq!(app.visible().len(), all);
}

#[test]
fn sources_to_review_plans_and_a_plan_error_is_shown() {
    let (_tmp, root) = demo();
    let mut app = scanned(&root);
    app.form.title = "Night Train".into();
    app.screen = Screen::Sources;
    let fx = keys(&mut app, &[Key::Tab]);
    assert_eq!(app.screen, Screen::Review);
    assert!(app.review.busy);
    assert!(matches!(&fx[..], [Effect::Prepare(_)]));
    settle(&mut app, fx);
    let plan = &app.review.prepared.as_ref().unwrap().plan;
    assert_eq!(plan.root_name, "night_train_lp_delivery01");
    assert_eq!(plan.items.len(), 6);
    // Break the plan: a movie as the M&E is an error finding, and Enter
    // does not pack.
    app.sources.mne = Some(Source::File(root.join("stage/NT_stage_ref_2398.mov")));
    app.screen = Screen::Sources;
    let fx = keys(&mut app, &[Key::Tab]);
    settle(&mut app, fx);
    assert!(app.review.prepared.is_none());
    let found = crate::tui::view::review::findings(&app);
    assert!(
        found
            .iter()
            .any(|(sev, t)| *sev == crate::tui::view::review::Severity::Error && t.contains("mne")),
        "{found:?}"
    );
    assert!(keys(&mut app, &[Key::Enter]).is_empty());
    assert_eq!(app.screen, Screen::Review);
}

#[test]
fn editing_an_optional_description_replans() {
    let (_tmp, root) = demo();
    let mut app = scanned(&root);
    app.form.title = "Night Train".into();
    app.screen = Screen::Sources;
    let fx = keys(&mut app, &[Key::Tab]);
    settle(&mut app, fx);
    let plan = &app.review.prepared.as_ref().unwrap().plan;
    let row = plan
        .items
        .iter()
        .position(|i| i.letter == Some('B'))
        .unwrap();
    app.review.cursor = row;
    keys(&mut app, &[Key::Char('e')]);
    app.edit.as_mut().unwrap().buffer.clear();
    text(&mut app, "crowd voices");
    let fx = keys(&mut app, &[Key::Enter]);
    settle(&mut app, fx);
    let item = &app.review.prepared.as_ref().unwrap().plan.items[row];
    assert!(item.name.contains("CrowdVoices"), "{}", item.name);
}

#[test]
fn quit_asks_only_when_work_would_be_lost() {
    let (_tmp, root) = demo();
    let mut app = App::new(&root, None, today(), KeyMap::default());
    keys(&mut app, &[Key::Char('q')]);
    assert!(app.quit, "nothing to lose: quits at once");
    let mut app = App::new(&root, None, today(), KeyMap::default());
    app.dirty = true;
    keys(&mut app, &[Key::Char('q')]);
    assert_eq!(app.overlay, Some(Overlay::ConfirmQuit));
    keys(&mut app, &[Key::Char('n')]);
    assert!(!app.quit && app.overlay.is_none());
    keys(&mut app, &[Key::Ctrl('c'), Key::Char('y')]);
    assert!(app.quit);
}

#[test]
fn help_lists_this_screens_keys_and_any_key_closes_it() {
    let (_tmp, root) = demo();
    let mut app = App::new(&root, None, today(), KeyMap::default());
    keys(&mut app, &[Key::Char('?')]);
    assert_eq!(app.overlay, Some(Overlay::Help));
    keys(&mut app, &[Key::Char('q')]);
    assert_eq!(app.overlay, None);
    assert!(!app.quit, "the key that closes help does nothing else");
}

#[test]
fn cancel_asks_first_then_asks_the_worker() {
    let (_tmp, root) = demo();
    let mut app = App::new(&root, None, today(), KeyMap::default());
    app.screen = Screen::Pack;
    app.pack.running = true;
    assert!(keys(&mut app, &[Key::Esc]).is_empty());
    assert_eq!(app.overlay, Some(Overlay::ConfirmCancel));
    let fx = keys(&mut app, &[Key::Char('y')]);
    assert!(matches!(&fx[..], [Effect::Cancel]));
    worker(&mut app, WorkerMsg::Packed(Err("interrupted".into())));
    assert!(!app.pack.running);
    assert_eq!(
        app.pack.error.as_deref(),
        Some(crate::tui::strings::CANCELLED)
    );
    keys(&mut app, &[Key::BackTab]);
    assert_eq!(app.screen, Screen::Review);
}

#[test]
fn progress_events_accumulate() {
    use crate::progress::Event;
    let (_tmp, root) = demo();
    let mut app = App::new(&root, None, today(), KeyMap::default());
    let d = Duration::from_secs(1);
    worker(
        &mut app,
        WorkerMsg::Progress(
            Event::Start {
                phase: "pack",
                files: 2,
                total_bytes: 100,
            },
            d,
        ),
    );
    worker(
        &mut app,
        WorkerMsg::Progress(
            Event::FileStart {
                name: "a.wav".into(),
                size: 60,
            },
            d,
        ),
    );
    worker(
        &mut app,
        WorkerMsg::Progress(Event::Advance { bytes: 60 }, d),
    );
    worker(
        &mut app,
        WorkerMsg::Progress(
            Event::FileDone {
                name: "a.wav".into(),
            },
            d,
        ),
    );
    assert_eq!(app.pack.done, 60);
    assert_eq!(
        app.pack.finished,
        [("pack".to_string(), "a.wav".to_string())]
    );
    assert!(app.pack.current.is_none());
}

#[test]
fn save_needs_a_valid_job_and_then_clears_dirty() {
    let (_tmp, root) = demo();
    let mut app = scanned(&root);
    assert!(keys(&mut app, &[Key::Char('s')]).is_empty(), "no title yet");
    app.form.title = "Night Train".into();
    app.dirty = true;
    let fx = keys(&mut app, &[Key::Char('s')]);
    let [
        Effect::Save {
            path: None, text, ..
        },
    ] = &fx[..]
    else {
        panic!("{fx:?}")
    };
    assert!(text.contains("title: Night Train"));
    assert!(
        text.contains("stage/NT_ME_51.wav"),
        "paths relative to the root: {text}"
    );
    settle(&mut app, fx);
    assert_eq!(
        app.job_path,
        Some(root.join("job-2.yaml")),
        "the demo's job.yaml is kept"
    );
    assert!(!app.dirty);
}

#[test]
fn a_job_file_prefills_the_form_and_the_roles() {
    let (_tmp, root) = demo();
    let job = crate::job::Job::load(&root.join("job.yaml"), today()).unwrap();
    let mut app = App::new(
        &root,
        Some((root.join("job.yaml"), job.clone())),
        today(),
        KeyMap::default(),
    );
    assert_eq!(app.form.title, "Night Train");
    assert_eq!(app.form.value(crate::tui::form::Field::Language), "en");
    assert_eq!(app.sources, job.sources);
    // The job round-trips through the form unchanged (paths, roles, date rule).
    let again = app.job().unwrap();
    assert_eq!(again.sources, job.sources);
    assert_eq!(again.output_dir(), job.output_dir());
    assert_eq!((again.date, again.date_given), (job.date, job.date_given));
    // The scan does not replace roles the job gave.
    app.sources.optionals.pop();
    let before = app.sources.clone();
    let start = app.start();
    settle(&mut app, start);
    assert_eq!(app.sources, before);
}

#[test]
fn a_previous_delivery_found_makes_the_job_a_redelivery() {
    let (_tmp, root) = demo();
    let job = crate::job::Job::load(&root.join("job.yaml"), today()).unwrap();
    let mut app = App::new(
        &root,
        Some((root.join("job.yaml"), job)),
        today(),
        KeyMap::default(),
    );
    assert_eq!(app.job().unwrap().previous, None);
    let manifest = root.join("deliveries/night_train_lp_delivery01/night_train_lp_delivery01.yaml");
    app.update(Msg::Worker(WorkerMsg::Previous(Some(manifest.clone()))));
    assert_eq!(app.job().unwrap().previous, Some(manifest.clone()));
    // A job file that names its previous delivery keeps it.
    let mut named = crate::job::Job::load(&root.join("job.yaml"), today()).unwrap();
    named.previous = Some(manifest.clone());
    let app = App::new(
        &root,
        Some((root.join("job.yaml"), named)),
        today(),
        KeyMap::default(),
    );
    assert_eq!(app.job().unwrap().previous, Some(manifest));
}

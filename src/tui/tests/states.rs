//! The states the snapshots draw, from the real demo: scanned and planned
//! in the wizard, then packed by the wizard's own worker (Enter on
//! Review), clean or spoiled with a clip and a dropout (QC stops that
//! one; `pack --force` delivers it). Every path is moved from the temp
//! folder to the fixed root `/demo`, and the recorded progress is
//! replayed on a fixed clock, so the snapshots hold nothing that varies.

use std::fs::OpenOptions;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::LazyLock;

use chrono::{TimeZone, Utc};

use super::*;
use crate::pack::PackOptions;
use crate::pack::flow::{self, PackOutcome};
use crate::probe::{Media, probe_path};
use crate::progress::{Cancel, Event};
use crate::tui::app::Screen;
use crate::tui::worker::done_info;

/// Where the snapshots say the demo is.
pub(super) const ROOT: &str = "/demo";

/// The demo file the spoiled demo breaks.
pub(super) const SPOILED: &str = "stage/NT_OPT_walla_51.wav";

fn moved(p: &Path, from: &Path) -> PathBuf {
    p.strip_prefix(from)
        .map_or_else(|_| p.to_path_buf(), |r| Path::new(ROOT).join(r))
}

/// Moves every path of the app from the temp root to `/demo`.
fn relocate(app: &mut App, from: &Path) {
    let m = |p: &Path| moved(p, from);
    app.root = m(&app.root);
    app.form.output = format!("{ROOT}/deliveries");
    for r in &mut app.files {
        r.path = m(&r.path);
    }
    let fix = |s: &mut crate::job::Sources| {
        if let Some(p) = &mut s.reference_video {
            *p = m(p);
        }
        for src in [&mut s.mne, &mut s.dialogue_guide, &mut s.print_master]
            .into_iter()
            .flatten()
        {
            src.map_paths(&m);
        }
        for o in &mut s.optionals {
            o.source.map_paths(&m);
        }
    };
    fix(&mut app.sources);
    if let Some(job) = &mut app.review.job {
        fix(&mut job.sources);
        job.base_dir = m(&job.base_dir);
        job.output = job.output.as_deref().map(m);
    }
    if let Some(p) = &mut app.review.prepared {
        for i in &mut p.plan.items {
            i.source = m(&i.source);
        }
    }
    if let Some(d) = &mut app.done {
        let r = &mut d.report;
        r.root = m(&r.root);
        for p in [
            &mut r.manifest.yaml,
            &mut r.manifest.sha256,
            &mut r.manifest.mhl,
            &mut r.manifest.report,
        ] {
            *p = m(p);
        }
        for f in &mut r.files {
            f.source = m(&f.source);
        }
    }
}

/// The demo at `root` scanned (`Sources`) and planned (`Review`).
pub(super) fn planned_at(root: &Path) -> App {
    let mut app = scanned(root);
    app.form.title = "Night Train".into();
    app.screen = Screen::Sources;
    let fx = keys(&mut app, &[Key::Tab]);
    settle(&mut app, fx);
    assert!(app.review.prepared.is_some(), "{:?}", app.review.error);
    app.status = None;
    app
}

/// The demo stage scanned and planned, at `/demo`.
pub(super) fn planned() -> App {
    let (_tmp, root) = demo();
    let mut app = planned_at(&root);
    relocate(&mut app, &root);
    app
}

/// Writes full scale on the first channel of `SPOILED` for five samples
/// at 01:00:02:12, and digital silence on every channel of the M&E for
/// 30 ms at 01:00:06:00 (the demo's programme starts at 01:00:00:00, 192192
/// samples in; a timecode second at 23.976 is 48048 samples).
fn spoil(root: &Path) {
    let path = root.join(SPOILED);
    let Media::Audio(a) = probe_path(&path).unwrap().media else {
        panic!("{SPOILED} is audio")
    };
    assert_eq!((a.bits, a.channels), (24, 6));
    let frame = u64::from(a.block_align);
    let mut f = OpenOptions::new().write(true).open(&path).unwrap();
    let clip = 192_192 + 2 * 48_048 + 12 * 2002;
    for n in clip..clip + 5 {
        f.seek(SeekFrom::Start(a.data_offset + n * frame)).unwrap();
        f.write_all(&[0xFF, 0xFF, 0x7F]).unwrap();
    }
    // A dropout counts in the M&E (a dialogue guide or an optional is
    // silent between lines by nature), so the gap goes there.
    let me = root.join("stage/NT_ME_51.wav");
    let Media::Audio(m) = probe_path(&me).unwrap().media else {
        panic!("the M&E is audio")
    };
    let mut f = OpenOptions::new().write(true).open(&me).unwrap();
    let gap = 192_192 + 6 * 48_048;
    f.seek(SeekFrom::Start(
        m.data_offset + gap * u64::from(m.block_align),
    ))
    .unwrap();
    f.write_all(&vec![0; 1440 * usize::from(m.block_align)])
        .unwrap();
}

/// A pack of the demo, as the snapshots draw it.
#[derive(Clone)]
pub(super) struct Packed {
    /// The app on the Pack screen, as Enter on Review left it.
    pub started: App,
    /// Every message the wizard's worker sent, in order.
    pub sent: Vec<WorkerMsg>,
    /// The app once they were all handled.
    pub after: App,
}

/// Packs the demo (spoiled first when `spoiled`) in the wizard: Enter on
/// Review runs the real worker. For a spoiled demo, also what
/// `pack --force` delivers of the same job, on the Done screen.
fn pack_demo(spoiled: bool) -> (Packed, Option<App>) {
    let (_tmp, root) = demo();
    if spoiled {
        spoil(&root);
    }
    let mut app = planned_at(&root);
    let fx = keys(&mut app, &[Key::Enter]);
    assert!(matches!(&fx[..], [Effect::Pack(_)]), "{fx:?}");
    let mut started = app.clone();
    let sent = settle_seen(&mut app, fx);
    let forced = spoiled.then(|| {
        let mut forced = app.clone();
        let job = forced.review.job.clone().unwrap();
        let prepared = forced.review.prepared.clone().unwrap();
        let profile = forced.review.profile.clone().unwrap();
        let mut opts = PackOptions::new(&job, &profile, None);
        opts.force = true;
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 18, 0, 0).unwrap();
        let outcome = flow::pack(
            &job,
            &profile,
            &prepared,
            &opts,
            now,
            &mut crate::progress::Silent,
            &Cancel::new(),
        )
        .unwrap();
        let PackOutcome::Delivered(report) = outcome else {
            panic!("--force delivers: {outcome:?}")
        };
        worker(&mut forced, WorkerMsg::Packed(Ok(done_info(*report))));
        relocate(&mut forced, &root);
        forced
    });
    relocate(&mut started, &root);
    relocate(&mut app, &root);
    let packed = Packed {
        started,
        sent,
        after: app,
    };
    (packed, forced)
}

/// The clean demo packed in the wizard (once for every test).
pub(super) static CLEAN: LazyLock<Packed> = LazyLock::new(|| pack_demo(false).0);

/// The spoiled demo: packed in the wizard (QC stops it), and forced.
pub(super) static SPOILT: LazyLock<(Packed, App)> = LazyLock::new(|| {
    let (p, forced) = pack_demo(true);
    (p, forced.unwrap())
});

/// The progress a pack screen shows, replayed on a clock of 4 MiB read
/// a second (the real times vary). `cut`: stop halfway through the
/// `cut`-th file of the pack phase (counting from 1).
pub(super) fn replay(p: &Packed, cut: Option<usize>) -> App {
    const RATE: f64 = 4.0 * 1024.0 * 1024.0;
    let mut app = p.started.clone();
    let mut read = 0u64;
    let mut started = 0;
    for m in &p.sent {
        let WorkerMsg::Progress(e, _) = m else {
            worker(&mut app, m.clone());
            continue;
        };
        let mut events = vec![e.clone()];
        if let Event::FileStart { size, .. } = e {
            started += 1;
            if cut == Some(started) {
                events.push(Event::Advance { bytes: size / 2 });
            }
        }
        for e in events {
            if let Event::Advance { bytes } = &e {
                read += bytes;
            }
            let at = Duration::from_secs_f64(read as f64 / RATE);
            worker(&mut app, WorkerMsg::Progress(e, at));
        }
        if cut == Some(started) {
            break;
        }
    }
    app
}

//! `mnepack::verify` on a hand-built delivery root: clean, then one defect
//! at a time (flipped byte, missing file, wrong size, AppleDouble file,
//! `.DS_Store`, sub-folder, stray root entry, staging leftovers, edited
//! manifest), progress events and cancellation.

use std::fs;

use mnepack::Error;
use mnepack::progress::{Cancel, Event, Silent};
use mnepack::verify::{ProblemKind, VerifyReport, verify};

use super::{FILES, Fixture, ROOT, build, flip_byte};

fn run(fx: &Fixture) -> VerifyReport {
    verify(&fx.root, &mut Silent, &Cancel::new()).unwrap()
}

/// The (kind, path) pairs of a report.
fn kinds(r: &VerifyReport) -> Vec<(ProblemKind, String)> {
    r.problems
        .iter()
        .map(|p| (p.kind, p.path.clone()))
        .collect()
}

#[test]
fn clean_delivery_verifies_from_root_and_from_manifest() {
    for md5 in [false, true] {
        let fx = build("night_train", "host", md5);
        let r = run(&fx);
        assert!(r.is_clean(), "{:?}", r.problems);
        assert_eq!(r.checked.len(), FILES.len());
        assert!(r.checked.iter().all(|c| c.ok));
        let total: usize = FILES.iter().map(|(_, s)| s).sum();
        assert_eq!(r.bytes, total as u64);
        let via_manifest = verify(
            &fx.path(&format!("{ROOT}.yaml")),
            &mut Silent,
            &Cancel::new(),
        )
        .unwrap();
        assert!(via_manifest.is_clean());
        assert_eq!(via_manifest.checked, r.checked);
    }
}

#[test]
fn flipped_byte_is_changed() {
    let fx = build("night_train", "host", true);
    flip_byte(&fx.path(FILES[3].0));
    let r = run(&fx);
    assert_eq!(
        kinds(&r),
        vec![(ProblemKind::Changed, FILES[3].0.to_string())]
    );
    assert!(r.problems[0].detail.contains("sha256"));
    assert!(!r.checked[3].ok);
    assert!(r.checked[..3].iter().all(|c| c.ok));
}

#[test]
fn missing_and_resized_files() {
    let fx = build("night_train", "host", false);
    fs::remove_file(fx.path(FILES[0].0)).unwrap();
    let mut bytes = fs::read(fx.path(FILES[2].0)).unwrap();
    bytes.push(0);
    fs::write(fx.path(FILES[2].0), bytes).unwrap();
    let r = run(&fx);
    assert_eq!(
        kinds(&r),
        vec![
            (ProblemKind::Missing, FILES[0].0.to_string()),
            (ProblemKind::SizeMismatch, FILES[2].0.to_string()),
        ]
    );
    assert_eq!(r.checked[2].size, Some(FILES[2].1 as u64 + 1));
}

#[test]
fn unexpected_entries_in_upload_folders_and_root() {
    let fx = build("night_train", "host", false);
    fs::write(fx.path("MnE/._a-b.c_d.wav"), b"\0\x05\x16\x07").unwrap();
    fs::write(fx.path("Printmaster/.DS_Store"), b"bud1").unwrap();
    fs::create_dir(fx.path("MnE/extras")).unwrap();
    fs::write(fx.path("notes.txt"), b"hi").unwrap();
    fs::create_dir(fx.path("Stems")).unwrap();
    let r = run(&fx);
    let mut got = kinds(&r);
    got.sort_by(|a, b| a.1.cmp(&b.1));
    assert_eq!(
        got,
        vec![
            (ProblemKind::Unexpected, "MnE/._a-b.c_d.wav".to_string()),
            (ProblemKind::SubFolder, "MnE/extras".to_string()),
            (ProblemKind::Unexpected, "Printmaster/.DS_Store".to_string()),
            (ProblemKind::Unexpected, "Stems".to_string()),
            (ProblemKind::Unexpected, "notes.txt".to_string()),
        ]
    );
    assert!(r.checked.iter().all(|c| c.ok), "listed files still verify");
}

#[test]
fn staging_folder_is_ignored_only_when_empty() {
    let fx = build("night_train", "host", false);
    let staging = fx.path(mnepack::manifest::STAGING_DIR);
    fs::create_dir(&staging).unwrap();
    assert!(run(&fx).is_clean());
    fs::write(staging.join("partial.wav"), b"half").unwrap();
    let r = run(&fx);
    assert_eq!(
        kinds(&r),
        vec![(
            ProblemKind::Unexpected,
            mnepack::manifest::STAGING_DIR.to_string()
        )]
    );
}

#[test]
fn edited_manifest_is_reported() {
    let fx = build("night_train", "host", false);
    let yaml = fx.path(&format!("{ROOT}.yaml"));
    let text = fs::read_to_string(&yaml).unwrap();
    fs::write(&yaml, text.replace("forced: false", "forced: true")).unwrap();
    let r = run(&fx);
    assert_eq!(
        kinds(&r),
        vec![(ProblemKind::ManifestEdited, format!("{ROOT}.yaml"))]
    );
    assert!(r.problems[0].detail.contains("edited"));
}

#[test]
fn manifest_and_file_edited_together_are_both_caught() {
    // Someone "fixes" a changed file by pasting its new digest into the manifest.
    let fx = build("night_train", "host", false);
    flip_byte(&fx.path(FILES[1].0));
    let fresh = mnepack::stream::digest::hash_file(
        &fx.path(FILES[1].0),
        mnepack::hash::HashSelection::BASE,
        &mut Silent,
        &Cancel::new(),
    )
    .unwrap();
    let yaml = fx.path(&format!("{ROOT}.yaml"));
    let text = fs::read_to_string(&yaml).unwrap();
    let text = text
        .replace(&fx.manifest.files[1].sha256, &fresh.sha256)
        .replace(&fx.manifest.files[1].xxh64, &fresh.xxh64);
    fs::write(&yaml, text).unwrap();
    let r = run(&fx);
    let got = kinds(&r);
    assert!(
        got.contains(&(ProblemKind::ManifestEdited, format!("{ROOT}.yaml"))),
        "{got:?}"
    );
    assert!(
        got.contains(&(ProblemKind::ManifestEdited, FILES[1].0.to_string())),
        "{got:?}"
    );
}

#[test]
fn missing_sidecars_are_reported() {
    let fx = build("night_train", "host", false);
    fs::remove_file(fx.path(&format!("{ROOT}.sha256"))).unwrap();
    fs::remove_file(fx.path(&format!("{ROOT}.mhl"))).unwrap();
    let got = kinds(&run(&fx));
    assert!(
        got.contains(&(ProblemKind::Missing, format!("{ROOT}.sha256"))),
        "{got:?}"
    );
    assert!(
        got.contains(&(ProblemKind::Missing, format!("{ROOT}.mhl"))),
        "{got:?}"
    );
    assert!(
        got.contains(&(ProblemKind::ManifestEdited, format!("{ROOT}.yaml"))),
        "{got:?}"
    );
}

#[test]
fn progress_events_add_up() {
    let fx = build("night_train", "host", false);
    let mut events = Vec::new();
    let r = verify(&fx.root, &mut |e: Event| events.push(e), &Cancel::new()).unwrap();
    let total: u64 = FILES.iter().map(|(_, s)| *s as u64).sum();
    assert_eq!(
        events.first(),
        Some(&Event::Start {
            phase: "verify",
            files: FILES.len(),
            total_bytes: total
        })
    );
    assert_eq!(events.last(), Some(&Event::Finish));
    let advanced: u64 = events
        .iter()
        .map(|e| {
            if let Event::Advance { bytes } = e {
                *bytes
            } else {
                0
            }
        })
        .sum();
    assert_eq!(advanced, r.bytes);
    let started = events
        .iter()
        .filter(|e| matches!(e, Event::FileStart { .. }))
        .count();
    let done = events
        .iter()
        .filter(|e| matches!(e, Event::FileDone { .. }))
        .count();
    assert_eq!((started, done), (FILES.len(), FILES.len()));
}

#[test]
fn cancel_interrupts() {
    let fx = build("night_train", "host", false);
    let cancel = Cancel::new();
    cancel.cancel();
    assert!(matches!(
        verify(&fx.root, &mut Silent, &cancel),
        Err(Error::Interrupted)
    ));
}

#[test]
fn a_folder_without_manifest_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let err = verify(dir.path(), &mut Silent, &Cancel::new()).unwrap_err();
    assert!(err.to_string().contains("has no manifest"), "{err}");
    let err = verify(&dir.path().join("nope.yaml"), &mut Silent, &Cancel::new()).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
}

/// MD5 is recomputed only when asked for (`verify --md5`): a manifest
/// whose recorded MD5 of one file was edited is reported as edited either
/// way, and that file's MD5 as differing only with the option.
#[test]
fn md5_is_recomputed_only_when_asked_for() {
    use mnepack::verify::{VerifyOptions, verify_with};
    let fx = build("night_train", "host", true);
    let clean = verify_with(
        &fx.root,
        VerifyOptions { md5: true },
        &mut Silent,
        &Cancel::new(),
    )
    .unwrap();
    assert!(clean.is_clean(), "{:?}", clean.problems);
    assert_eq!(clean.digests, ["sha256", "xxh64", "md5"]);
    assert_eq!(run(&fx).digests, ["sha256", "xxh64"]);

    let yaml = fx.path(&format!("{ROOT}.yaml"));
    let text = fs::read_to_string(&yaml).unwrap();
    let m = mnepack::manifest::read_manifest(&yaml);
    let md5 = match m {
        Ok(m) => m.files[0].md5.clone().unwrap(),
        Err(e) => panic!("{e}"),
    };
    let edited = text.replacen(&md5, &"0".repeat(32), 1);
    assert_ne!(edited, text);
    fs::write(&yaml, edited).unwrap();
    let file0 = (ProblemKind::Changed, FILES[0].0.to_string());
    let fast = run(&fx);
    assert!(
        kinds(&fast)
            .iter()
            .any(|k| k.0 == ProblemKind::ManifestEdited)
    );
    assert!(!kinds(&fast).contains(&file0), "{:?}", fast.problems);
    let full = verify_with(
        &fx.root,
        VerifyOptions { md5: true },
        &mut Silent,
        &Cancel::new(),
    )
    .unwrap();
    assert!(kinds(&full).contains(&file0), "{:?}", full.problems);
}

//! Tests of loading a previous manifest from disk (and its refusals) and of
//! the deliveries already under the output folder.

use std::path::{Path, PathBuf};

use super::tests_redeliver::{CT, day, first_delivery, job, manifest_of, netflix};
use super::*;
use crate::manifest::{CreatorInfo, Manifest, write_manifest_files};

fn creator() -> CreatorInfo {
    CreatorInfo {
        hostname: "test".into(),
        tool_name: "mnepack".into(),
        tool_version: "0.1.0".into(),
        creation_date: "2026-11-25T10:00:00Z".into(),
    }
}

/// Writes the manifest files of `m` into `<dir>/<root>/` and returns the YAML path.
fn write_previous(dir: &Path, m: &Manifest) -> PathBuf {
    let root = dir.join(&m.delivery.root);
    std::fs::create_dir_all(&root).unwrap();
    write_manifest_files(&root, m, &creator()).unwrap().yaml
}

#[test]
fn load_previous_accepts_an_intact_manifest_and_refuses_the_rest() {
    let (first, _) = first_delivery();
    let j = job(CT, day(12, 3));
    let tmp = tempfile::tempdir().unwrap();
    let m = manifest_of(&first, "chefs_table", "s02e02");
    let yaml = write_previous(tmp.path(), &m);
    let prev = load_previous(&yaml, &j).unwrap();
    let bytes = std::fs::read(&yaml).unwrap();
    assert_eq!(
        prev.sha256,
        crate::hash::hex(&<sha2::Sha256 as sha2::Digest>::digest(&bytes))
    );
    assert_eq!(prev.number(), 1);
    assert_eq!(prev.files.len(), 3);
    assert_eq!(prev.files[2].letter, Some('B'));
    assert_eq!(prev.root_dir(), yaml.parent().unwrap());

    // Edited after writing: one digit of a version changed.
    let text = String::from_utf8(bytes.clone()).unwrap();
    std::fs::write(&yaml, text.replacen("version: 1", "version: 2", 1)).unwrap();
    let e = load_previous(&yaml, &j).unwrap_err().to_string();
    assert!(e.contains("edited after it was written"), "{e}");
    // No .sha256 beside it.
    std::fs::write(&yaml, &bytes).unwrap();
    std::fs::remove_file(yaml.with_extension("sha256")).unwrap();
    let e = load_previous(&yaml, &j).unwrap_err().to_string();
    assert!(e.contains("cannot be checked"), "{e}");

    // A newer schema, intact.
    let tmp2 = tempfile::tempdir().unwrap();
    let mut newer = m.clone();
    newer.schema = "mnepack-manifest/2".into();
    let e = load_previous(&write_previous(tmp2.path(), &newer), &j)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("newer mnepack") && e.contains("mnepack-manifest/2"),
        "{e}"
    );

    // Another title.
    let tmp3 = tempfile::tempdir().unwrap();
    let other = manifest_of(&first, "night_train", "s02e02");
    let e = load_previous(&write_previous(tmp3.path(), &other), &j)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("delivery of night_train s02e02, not of chefs_table s02e02"),
        "{e}"
    );

    // An unknown role inside an intact manifest.
    let tmp4 = tempfile::tempdir().unwrap();
    let mut odd = m.clone();
    odd.files[1].role = "stems".into();
    let e = load_previous(&write_previous(tmp4.path(), &odd), &j)
        .unwrap_err()
        .to_string();
    assert!(e.contains("unknown role `stems`"), "{e}");
}

#[test]
fn existing_deliveries_are_found_and_the_sequence_is_kept() {
    let (first, _) = first_delivery();
    let j = job(CT, day(12, 3));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    assert!(
        find_existing_deliveries(&out.join("missing"), &j, &netflix())
            .unwrap()
            .is_empty()
    );
    let yaml1 = write_previous(out, &manifest_of(&first, "chefs_table", "s02e02"));
    std::fs::create_dir(out.join("chefs_table_s02e02_delivery03")).unwrap();
    std::fs::create_dir(out.join("chefs_table_s02e02_delivery3x")).unwrap();
    std::fs::create_dir(out.join("chefs_table_s02e03_delivery02")).unwrap();
    std::fs::write(out.join("chefs_table_s02e02_delivery05"), b"a file").unwrap();
    let found = find_existing_deliveries(out, &j, &netflix()).unwrap();
    let numbers: Vec<_> = found.iter().map(|e| e.number).collect();
    assert_eq!(numbers, [1, 3]);
    assert_eq!(found[0].manifest.as_deref(), Some(yaml1.as_path()));
    assert!(found[1].manifest.is_none());
    // No previous named: refused, naming the newest.
    let e = check_delivery_sequence(None, &found[..1])
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("delivery 01 already exists")
            && e.contains(&format!("pack --previous {}", yaml1.display())),
        "{e}"
    );
    // Previous named but a newer delivery exists.
    let prev = load_previous(&yaml1, &j).unwrap();
    let e = check_delivery_sequence(Some(&prev), &found)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("delivery 03") && e.contains("no manifest"),
        "{e}"
    );
    assert!(check_delivery_sequence(Some(&prev), &found[..1]).is_ok());
    assert!(check_delivery_sequence(None, &[]).is_ok());
}

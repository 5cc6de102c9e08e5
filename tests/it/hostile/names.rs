//! Hostile titles, descriptions and source file names through a real job
//! (tiny WAVs on disk), `prepare` (probe + plan): the plan either refuses
//! with a clear message or yields names that are each one legal path
//! component, so nothing can land outside the delivery root.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::fs;
use std::path::{Component, Path};

use mnepack::job::Job;
use mnepack::naming::NameRules;
use mnepack::pack::flow::prepare;
use mnepack::plan::Plan;
use mnepack::profile::Profile;
use mnepack::testmedia::{WavSpec, wav_bytes};
use mnepack::{Error, Refusal};
use proptest::prelude::*;

use super::today;

/// A name is one normal path component and passes the strictest rules.
fn single_legal_component(name: &str) -> bool {
    let mut parts = Path::new(name).components();
    matches!(parts.next(), Some(Component::Normal(n)) if n == name)
        && parts.next().is_none()
        && NameRules::default().check(name).is_ok()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
        && !name.contains("..")
}

fn assert_contained(p: &Plan) {
    assert!(single_legal_component(&p.root_name), "{:?}", p.root_name);
    for f in &p.folders {
        assert!(single_legal_component(f), "{f:?}");
    }
    for i in &p.items {
        assert!(single_legal_component(&i.folder), "{:?}", i.folder);
        assert!(single_legal_component(&i.name), "{:?}", i.name);
        let rel = Path::new(&p.root_name).join(i.rel_path());
        assert_eq!(rel.components().count(), 3, "{}", rel.display());
    }
}

/// A stage with a stereo optional and a 2-file mono print master, whose
/// files have awkward names; returns the job text for `title`/`desc`.
fn stage(dir: &Path) -> (String, String, String) {
    let stereo = wav_bytes(&WavSpec::new(48_000, 24, 2, 48)).unwrap();
    let mono = wav_bytes(&WavSpec::new(48_000, 24, 1, 48)).unwrap();
    let names = ("odd name é\n;.wav", "-L ../.wav", "..R.wav");
    fs::create_dir_all(dir.join("s/sub")).unwrap();
    fs::write(dir.join("s").join(names.0), &stereo).unwrap();
    fs::write(dir.join("s/sub").join(names.1.replace('/', "_")), &mono).unwrap();
    fs::write(dir.join("s").join(names.2), &mono).unwrap();
    (
        serde_json::to_string(&format!("s/{}", names.0)).unwrap(),
        serde_json::to_string(&format!("s/sub/{}", names.1.replace('/', "_"))).unwrap(),
        serde_json::to_string(&format!("s/sub/../{}", names.2)).unwrap(),
    )
}

fn job_text(title: &str, desc: &str, files: &(String, String, String)) -> String {
    format!(
        "title: {}\nunit: s01e01\nframe_rate: 24\nsources:\n  optionals:\n    - {{letter: A, desc: {}, file: {}}}\n  print_master: [{}, {}]\n",
        serde_json::to_string(title).unwrap(),
        serde_json::to_string(desc).unwrap(),
        files.0,
        files.1,
        files.2,
    )
}

/// Loads and prepares; `Ok(None)` when the job or plan refused clearly.
fn outcome(dir: &Path, text: &str) -> Result<Option<Plan>, String> {
    let job = match Job::from_yaml(text, dir, today()) {
        Ok(j) => j,
        Err(Error::Job { message, .. }) if !message.is_empty() => return Ok(None),
        Err(e) => return Err(format!("job: {e:?}")),
    };
    match prepare(&job, &Profile::builtin("netflix").unwrap()) {
        Ok(p) => Ok(Some(p.plan)),
        Err(Error::Refused(Refusal::Plan { .. })) => Ok(None),
        Err(e) => Err(format!("prepare: {e:?}")),
    }
}

#[test]
fn hostile_titles_plan_legal_names_or_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let files = stage(dir.path());
    let long = "A".repeat(1000);
    let long_unicode = "東".repeat(1000);
    let mut planned = 0;
    for title in [
        "../../etc/passwd",
        "/",
        "a/b\\c",
        "x\0y",
        "line\nbreak\r\n",
        "\u{202e}gnp.exe",
        "Ελληνικά Amélie",
        "..",
        ".",
        "-rf --no-preserve-root",
        "%2e%2e%2f",
        "CON",
        long.as_str(),
        long_unicode.as_str(),
    ] {
        let text = job_text(title, title, &files);
        match outcome(dir.path(), &text) {
            Ok(Some(plan)) => {
                assert_contained(&plan);
                assert_eq!(plan.items.len(), 3, "{title:?}");
                planned += 1;
            }
            Ok(None) => {}
            Err(e) => panic!("{title:?}: {e}"),
        }
    }
    // Refused: `/`, `.`, `..` and the 1,000 CJK letters leave no title
    // once sanitised (the loader says so); the 1,000-letter ASCII title is
    // too long (the plan says so). The other nine plan.
    assert_eq!(planned, 9);
    let text = job_text(&long, "x", &files);
    let job = Job::from_yaml(&text, dir.path(), today()).unwrap();
    let e = prepare(&job, &Profile::builtin("netflix").unwrap())
        .unwrap_err()
        .to_string();
    assert!(e.contains("bytes long") && e.contains("255"), "{e}");
    // A title with nothing usable is refused by the loader, naming the key.
    let text = job_text(&long_unicode, "x", &files);
    let e = Job::from_yaml(&text, dir.path(), today())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("title") && e.contains("no letter or digit"),
        "{e}"
    );
}

#[test]
fn hostile_descriptions_and_file_names_stay_inside() {
    let dir = tempfile::tempdir().unwrap();
    let files = stage(dir.path());
    let plan = outcome(dir.path(), &job_text("Night Train", "../../x/ y\0", &files))
        .unwrap()
        .unwrap();
    assert_contained(&plan);
    assert!(
        plan.items.iter().any(|i| i.name.contains("_XY_")),
        "{:?}",
        plan.items.iter().map(|i| &i.name).collect::<Vec<_>>()
    );
    // The source paths are kept exactly (they are read, never written).
    assert!(
        plan.items
            .iter()
            .any(|i| i.source.ends_with("odd name é\n;.wav"))
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_title_and_description_plan_legal_names_or_refuse(title in any::<String>(), desc in any::<String>()) {
        let dir = tempfile::tempdir().unwrap();
        let files = stage(dir.path());
        match outcome(dir.path(), &job_text(&title, &desc, &files)) {
            Ok(Some(plan)) => assert_contained(&plan),
            Ok(None) => {}
            Err(e) => prop_assert!(false, "{}", e),
        }
    }
}

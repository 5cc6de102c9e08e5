//! Job, profile and manifest YAML: random and mutated text never panics and
//! fails as `Error::Job`; wrong types name the key; text over the size cap
//! is refused before parsing (from text, from a file, from `/dev/zero`);
//! 10,000 levels of nesting are an error, not a stack overflow; an alias
//! bomb is refused.

#![allow(clippy::unwrap_used)] // test helpers: a failed unwrap is a failed test

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use mnepack::job::{Job, MAX_JOB_BYTES};
use mnepack::manifest::from_yaml as manifest_from_yaml;
use mnepack::profile::Profile;
use mnepack::testmedia::demo::DEMO_JOB;
use proptest::prelude::*;

use super::{job, job_message, today};

const MONO_JOB: &str = "\
title: \"Chef's Table: Part II\"
unit: s02e02
frame_rate: 23.976
date: 2026-11-01
sources:
  print_master: [L.wav, R.wav, C.wav, LFE.wav, Ls.wav, Rs.wav]
  dialogue_guide:
    - {channel: L, file: gl.wav}
    - {channel: R, file: gr.wav}
  optionals:
    - {letter: c, desc: group walla, files: [a.wav, b.wav]}
";

/// Either loads, or fails as `Error::Job` with a non-empty message.
fn loads_or_job_error(text: &str) -> Result<(), TestCaseError> {
    let r = job(text);
    if r.is_err() {
        let m = job_message(&r);
        prop_assert!(!m.starts_with("NOT A JOB ERROR") && !m.is_empty(), "{}", m);
    }
    Ok(())
}

#[test]
fn seeds_load() {
    // The mutation tests below start from valid jobs.
    assert!(job(DEMO_JOB).is_ok());
    assert_eq!(job(MONO_JOB).unwrap().sources_flat().len(), 10);
}

#[test]
fn wrong_types_name_the_key() {
    for (text, key) in [
        (
            "title: [a, b]\nunit: lp\nframe_rate: 24\nsources: {mne: a.wav}\n",
            "title",
        ),
        (
            "title: x\nunit: {a: 1}\nframe_rate: 24\nsources: {mne: a.wav}\n",
            "unit",
        ),
        (
            "title: x\nunit: lp\nframe_rate: [24]\nsources: {mne: a.wav}\n",
            "frame_rate",
        ),
        (
            "title: x\nunit: lp\nframe_rate: 24\nsources: [a.wav]\n",
            "sources",
        ),
        (
            "title: x\nunit: lp\nframe_rate: 24\nsources: {mne: 7}\n",
            "mne",
        ),
        (
            "title: x\nunit: lp\nframe_rate: 24\ndate: tomorrow\nsources: {mne: a.wav}\n",
            "date",
        ),
        (
            "title: x\nunit: lp\nframe_rate: 24\noutput: {x: 1}\nsources: {mne: a.wav}\n",
            "output",
        ),
        (
            "title: x\nunit: lp\nframe_rate: 24\nsources: {mne: a.wav, optionals: {A: x}}\n",
            "optionals",
        ),
        (
            "title: x\nunit: lp\nframe_rate: 24\nsources: {mne: \"a\\0b.wav\"}\n",
            "NUL",
        ),
        ("- just\n- a list\n", "sequence"),
        ("", "title"),
        (
            "title: x\nunit: lp\nframe_rate: 24\nsources: {mne: a.wav}\nextra: 1\n",
            "extra",
        ),
    ] {
        let m = job_message(&job(text));
        assert!(
            !m.starts_with("NOT A JOB") && m != "LOADED" && m.contains(key),
            "{text:?} -> {m}"
        );
    }
}

#[test]
fn oversized_text_is_refused_before_parsing() {
    // 3 MiB: a valid job followed by a comment. Parsing it would succeed,
    // so a refusal proves the cap, and it must be quick.
    let big = format!("{DEMO_JOB}# {}\n", "x".repeat(3 << 20));
    let t = Instant::now();
    let m = job_message(&job(&big));
    assert!(m.contains(&MAX_JOB_BYTES.to_string()), "{m}");
    assert!(
        t.elapsed() < Duration::from_millis(200),
        "{:?}",
        t.elapsed()
    );
    // Just under the cap still loads.
    let pad = usize::try_from(MAX_JOB_BYTES).unwrap() - DEMO_JOB.len() - 4;
    let fits = format!("{DEMO_JOB}# {}\n", "x".repeat(pad));
    assert!(fits.len() as u64 <= MAX_JOB_BYTES);
    assert!(job(&fits).is_ok());
}

#[test]
fn oversized_files_are_refused_without_reading_them() {
    let dir = tempfile::tempdir().unwrap();
    // A sparse 8 GiB job file: refused on its size, not read.
    let sparse = dir.path().join("sparse.yaml");
    let f = std::fs::File::create(&sparse).unwrap();
    f.set_len(8 << 30).unwrap();
    let t = Instant::now();
    let e = Job::load(&sparse, today()).unwrap_err().to_string();
    assert!(e.contains("sparse.yaml") && e.contains("at most"), "{e}");
    assert!(t.elapsed() < Duration::from_secs(1));
    // A device that never ends: refused as a device, before any read.
    let zero = std::path::Path::new("/dev/zero");
    if zero.exists() {
        let t = Instant::now();
        let e = Job::load(zero, today()).unwrap_err().to_string();
        assert!(
            e.contains("/dev/zero") && e.contains("character device"),
            "{e}"
        );
        assert!(t.elapsed() < Duration::from_secs(1));
        let e = Profile::load(zero).unwrap_err().to_string();
        assert!(e.contains("character device"), "{e}");
    }
    // A folder and a non-UTF-8 file are clear errors.
    let e = Job::load(dir.path(), today()).unwrap_err().to_string();
    assert!(e.contains("directory"), "{e}");
    let latin1 = dir.path().join("latin1.yaml");
    std::fs::write(&latin1, b"title: Am\xe9lie\n").unwrap();
    let e = Job::load(&latin1, today()).unwrap_err().to_string();
    assert!(e.contains("UTF-8") && e.contains("byte 9"), "{e}");
}

fn nested(open: &str, close: &str, depth: usize) -> String {
    format!("{}x{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    // Runs on a 256 KiB stack, far less than the test harness's default,
    // so deep recursion would overflow rather than pass by luck.
    let worker = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(|| {
            for depth in [200, 10_000] {
                for (open, close) in [("[", "]"), ("{a: ", "}")] {
                    let deep = nested(open, close, depth);
                    for text in [
                        deep.clone(),
                        format!("title: {deep}\nunit: lp\nframe_rate: 24\nsources: {{mne: a.wav}}\n"),
                        format!("title: x\nunit: lp\nframe_rate: 24\nsources:\n  mne: a.wav\n  optionals: {deep}\n"),
                        format!("title: x\nunit: lp\nframe_rate: 24\nsources:\n  mne: {deep}\n"),
                    ] {
                        let m = job_message(&job(&text));
                        assert!(!m.starts_with("NOT A JOB") && m != "LOADED", "{m}");
                        assert!(Profile::from_yaml(&text, "deep").is_err());
                        assert!(manifest_from_yaml(&text).is_err());
                    }
                }
            }
        })
        .unwrap();
    worker.join().unwrap();
}

/// A job whose `sources.optionals`, a field the reader walks, hides nine
/// levels of nine aliases (9^9 file names if expanded).
pub fn alias_bomb_job() -> String {
    let mut text = String::from(
        "title: Bomb\nunit: lp\nframe_rate: 24\nsources:\n  mne: me.wav\n  optionals:\n    \
         - {letter: A, desc: a0, files: &a0 [a.wav, a.wav, a.wav, a.wav, a.wav, a.wav, a.wav, a.wav, a.wav]}\n",
    );
    for i in 1..=9u8 {
        let p = i - 1;
        let letter = char::from(b'A' + i);
        let refs = vec![format!("*a{p}"); 9].join(", ");
        writeln!(
            text,
            "    - {{letter: {letter}, desc: a{i}, files: &a{i} [{refs}]}}"
        )
        .unwrap();
    }
    text
}

#[test]
fn alias_bomb_under_a_walked_field_is_refused_naming_the_limit() {
    let text = alias_bomb_job();
    let limit = mnepack::yaml_walk::limit_for(text.len()).to_string();
    let t = Instant::now();
    let m = job_message(&job(&text));
    assert!(m.contains("alias") && m.contains(&limit), "{m}");
    let p = Profile::from_yaml(&text, "bomb").unwrap_err().to_string();
    assert!(p.contains(&limit), "{p}");
    let mf = manifest_from_yaml(&text).unwrap_err().to_string();
    assert!(mf.contains(&limit), "{mf}");
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
}

/// One edit of a valid job: cut a range, or put one character somewhere.
fn mutate(base: &str, cut: (usize, usize), at: usize, ch: char, mode: u8) -> String {
    let chars: Vec<char> = base.chars().collect();
    let n = chars.len();
    let (a, b) = (cut.0 % n, cut.1 % n);
    let (lo, hi) = (a.min(b), a.max(b));
    let at = at % n;
    let out: Vec<char> = match mode % 3 {
        0 => chars[..lo].iter().chain(&chars[hi..]).copied().collect(),
        1 => {
            let mut v = chars.clone();
            v.insert(at, ch);
            v
        }
        _ => {
            let mut v = chars.clone();
            v[at] = ch;
            v
        }
    };
    out.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_text_never_panics(s in "\\PC{0,300}") {
        loads_or_job_error(&s)?;
    }

    #[test]
    fn random_yamlish_text_never_panics(s in "[a-z_:{}\\[\\], \\n\\-'\"&*!|>#0-9.]{0,200}") {
        loads_or_job_error(&s)?;
        let _ = Profile::from_yaml(&s, "fuzz");
    }

    #[test]
    fn mutated_valid_jobs_never_panic(
        which in 0usize..2,
        edits in proptest::collection::vec(((0usize..2000, 0usize..2000), 0usize..2000, any::<char>(), any::<u8>()), 1..5),
    ) {
        let mut text = [DEMO_JOB, MONO_JOB][which].to_string();
        for (cut, at, ch, mode) in edits {
            if text.is_empty() {
                break;
            }
            text = mutate(&text, cut, at, ch, mode);
        }
        loads_or_job_error(&text)?;
        // A job that loads saves and loads back to itself.
        if let Ok(j) = job(&text) {
            prop_assert_eq!(job(&j.to_yaml()).unwrap(), j);
        }
    }

    #[test]
    fn mutated_profiles_never_panic(
        edits in proptest::collection::vec(((0usize..8000, 0usize..8000), 0usize..8000, any::<char>(), any::<u8>()), 1..4),
    ) {
        let mut text = mnepack::profile::BUILTIN[0].1.to_string();
        for (cut, at, ch, mode) in edits {
            if text.is_empty() {
                break;
            }
            text = mutate(&text, cut, at, ch, mode);
        }
        if let Ok(p) = Profile::from_yaml(&text, "mutated") {
            let rules = p.name_rules();
            for f in &p.folders {
                prop_assert!(rules.check(&f.name).is_ok(), "{}", f.name);
            }
        }
    }
}

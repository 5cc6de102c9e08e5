//! Unit tests of job loading: shapes, errors with key paths and lines,
//! relative paths, and the YAML round trip.

use super::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn base() -> PathBuf {
    PathBuf::from("/jobs/ct")
}

const FULL: &str = "\
profile: netflix
title: Chef's Table
unit: s02e02
frame_rate: 23.976
language: en
date: 2026-11-20
output: ../out
previous: /deliveries/prev.yaml
sources:
  reference_video: stage/ref.mov
  mne: stage/me.wav
  optionals:
    - {letter: A, desc: Vocalizations, file: stage/vox.wav}
    - letter: B
      desc: group walla
      files: [w.L.wav, w.R.wav]
  dialogue_guide: /abs/guide.wav
  print_master:
    - {channel: L, file: pm/L.wav}
    - {channel: R, file: pm/R.wav}
    - pm/C.wav
    - pm/LFE.wav
    - pm/Ls.wav
    - pm/Rs.wav
";

fn parse(text: &str) -> Result<Job> {
    Job::from_yaml(text, &base(), today())
}

fn err(text: &str) -> String {
    let e = parse(text).unwrap_err().to_string();
    eprintln!("{e}");
    e
}

#[test]
fn full_job_loads_and_resolves() {
    let j = parse(FULL).unwrap();
    assert_eq!(j.title_token(), "chefs_table");
    assert_eq!(j.unit.as_str(), "s02e02");
    assert_eq!(j.frame_rate.token(), "23976");
    assert_eq!(j.date, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
    assert!(j.date_given);
    assert_eq!(j.output.as_deref(), Some(Path::new("/jobs/out")));
    assert_eq!(j.output_dir(), PathBuf::from("/jobs/out"));
    assert_eq!(
        j.sources.reference_video.as_deref(),
        Some(Path::new("/jobs/ct/stage/ref.mov"))
    );
    assert_eq!(j.profile_ref(), ProfileRef::Builtin("netflix".into()));
    let flat = j.sources_flat();
    assert_eq!(flat.len(), 1 + 1 + 1 + 2 + 1 + 6);
    assert_eq!(flat[0].role, Role::ReferenceVideo);
    assert_eq!(flat[3].letter, Some('B'));
    assert_eq!(flat[3].channel.as_deref(), Some("L"));
    assert_eq!(flat[4].path, PathBuf::from("/jobs/ct/w.R.wav"));
    assert_eq!(flat[5].path, PathBuf::from("/abs/guide.wav"));
    let pm: Vec<_> = flat[6..]
        .iter()
        .map(|e| e.channel.clone().unwrap())
        .collect();
    assert_eq!(pm, ["L", "R", "C", "LFE", "Ls", "Rs"]);
    assert!(flat[6..].iter().all(|e| e.role == Role::PrintMaster));
}

#[test]
fn round_trip() {
    let j = parse(FULL).unwrap();
    let text = j.to_yaml();
    let back = parse(&text).unwrap();
    assert_eq!(back, j, "{text}");
    // A job without a date keeps it absent.
    let no_date = FULL.replace("date: 2026-11-20\n", "");
    let j = parse(&no_date).unwrap();
    assert_eq!(j.date, today());
    assert!(!j.to_yaml().contains("date:"));
    assert_eq!(parse(&j.to_yaml()).unwrap(), j);
}

#[test]
fn minimal_job_defaults() {
    let j = parse("title: x\nunit: LP\nframe_rate: 24\nsources: {mne: me.wav}\n").unwrap();
    assert_eq!(j.profile, "netflix");
    assert_eq!(j.unit.as_str(), "lp");
    assert_eq!(j.date, today());
    assert_eq!(j.output_dir(), base());
    assert_eq!(j.sources_flat().len(), 1);
}

#[test]
fn profile_file_reference() {
    let j = parse(
        "profile: ../p/mine.yaml\ntitle: x\nunit: lp\nframe_rate: 24\nsources: {mne: a.wav}\n",
    )
    .unwrap();
    assert_eq!(
        j.profile_ref(),
        ProfileRef::File(PathBuf::from("/jobs/p/mine.yaml"))
    );
}

#[test]
fn unknown_keys_name_key_and_line() {
    let e = err("title: x\nunit: lp\nframe_rate: 24\ncolour: red\nsources: {mne: a.wav}\n");
    assert!(
        e.contains("unknown field `colour`") && e.contains("line 4"),
        "{e}"
    );
    let e = err("title: x\nunit: lp\nframe_rate: 24\nsources:\n  mne: a.wav\n  stems: b.wav\n");
    assert!(
        e.contains("sources") && e.contains("`stems`") && e.contains("line 6"),
        "{e}"
    );
    let e = err(&FULL.replace("desc: Vocalizations,", "desc: Vocalizations, lang: en,"));
    assert!(
        e.contains("sources.optionals[0]") && e.contains("`lang`"),
        "{e}"
    );
}

#[test]
fn bad_letters_and_duplicates() {
    let e = err(&FULL.replace("letter: B", "letter: 7"));
    assert!(
        e.contains("sources.optionals[1].letter")
            && e.contains("`7` is not a letter A-Z")
            && e.contains("line 14"),
        "{e}"
    );
    // Same letter, same description as named (case and spaces ignored).
    let e = err(&FULL.replace(
        "letter: B\n      desc: group walla",
        "letter: a\n      desc: VOCALIZATIONS",
    ));
    assert!(
        e.contains("entries 0 and 1 are both optional A `VOCALIZATIONS`"),
        "{e}"
    );
}

#[test]
fn any_letter_and_several_tracks_per_letter() {
    let text = FULL.replace(
        "    - {letter: A, desc: Vocalizations, file: stage/vox.wav}\n",
        "    - {letter: A, desc: Vocalizations, file: stage/vox.wav}\n    \
         - {letter: b, desc: Walla English, file: stage/walla_en.wav}\n    \
         - {letter: B, desc: Walla Spanish, file: stage/walla_es.wav}\n    \
         - {letter: F, desc: Chants, file: stage/chants.wav}\n",
    );
    let j = parse(&text).unwrap();
    let keys: Vec<(char, String)> = j
        .sources
        .optionals
        .iter()
        .map(OptionalSource::key)
        .collect();
    assert_eq!(
        keys,
        [
            ('A', "vocalizations".to_string()),
            ('B', "wallaenglish".to_string()),
            ('B', "wallaspanish".to_string()),
            ('F', "chants".to_string()),
            ('B', "groupwalla".to_string()),
        ]
    );
    assert_eq!(parse(&j.to_yaml()).unwrap(), j);
}

#[test]
fn bad_units() {
    for bad in ["s2e2", "e01", "s02", "r1", "reel1", "s02e1234", "lp1"] {
        let e = err(&format!(
            "title: x\nunit: {bad}\nframe_rate: 24\nsources: {{mne: a.wav}}\n"
        ));
        assert!(
            e.contains("unit") && e.contains("is not a unit") && e.contains("line 2"),
            "{bad}: {e}"
        );
    }
    for good in ["s02e02", "S01E100", "r07", "lp"] {
        assert!(
            parse(&format!(
                "title: x\nunit: {good}\nframe_rate: 24\nsources: {{mne: a.wav}}\n"
            ))
            .is_ok()
        );
    }
}

#[test]
fn wrong_types_and_missing_things() {
    let e = err("title: x\nunit: lp\nframe_rate: 23\nsources: {mne: a.wav}\n");
    assert!(
        e.contains("frame_rate") && e.contains("unknown frame rate") && e.contains("line 3"),
        "{e}"
    );
    let e = err("title: [a]\nunit: lp\nframe_rate: 24\nsources: {mne: a.wav}\n");
    assert!(e.contains("title"), "{e}");
    let e = err("unit: lp\nframe_rate: 24\nsources: {mne: a.wav}\n");
    assert!(e.contains("missing field `title`"), "{e}");
    let e = err("title: x\nunit: lp\nframe_rate: 24\nsources: {}\n");
    assert!(e.contains("no source"), "{e}");
    let e = err("title: x\nunit: lp\nframe_rate: 24\nsources: {mne: {file: a.wav}}\n");
    assert!(e.contains("sources.mne"), "{e}");
    let e = err("title: x\nunit: lp\nframe_rate: 24\ndate: 2026-13-01\nsources: {mne: a.wav}\n");
    assert!(e.contains("date"), "{e}");
    let e = err("title: x\nunit: lp\nframe_rate: 24\nlanguage: english!\nsources: {mne: a.wav}\n");
    assert!(e.contains("language") && e.contains("BCP-47"), "{e}");
}

#[test]
fn titles_must_survive_sanitising() {
    let e = err("title: '::'\nunit: lp\nframe_rate: 24\nsources: {mne: a.wav}\n");
    assert!(
        e.contains("title") && e.contains("no letter or digit"),
        "{e}"
    );
}

#[test]
fn optional_file_or_files() {
    let e = err(&FULL.replace(", file: stage/vox.wav", ""));
    assert!(
        e.contains("sources.optionals[0]") && e.contains("missing `file`"),
        "{e}"
    );
    let e = err(&FULL.replace("file: stage/vox.wav", "file: a.wav, files: [b.wav, c.wav]"));
    assert!(e.contains("not both"), "{e}");
    let e = err(&FULL.replace("files: [w.L.wav, w.R.wav]", "files: w.wav"));
    assert!(e.contains("`files` is a list"), "{e}");
    let e = err(&FULL.replace("desc: Vocalizations", "desc: '!!'"));
    assert!(e.contains("sources.optionals[0].desc"), "{e}");
    let e = err(&FULL.replace("desc: Vocalizations, ", ""));
    assert!(e.contains("missing field `desc`"), "{e}");
}

#[test]
fn mono_lists() {
    let e = err("title: x\nunit: lp\nframe_rate: 24\nsources:\n  mne: [a.wav, b.wav, c.wav]\n");
    assert!(
        e.contains("sources.mne") && e.contains("no standard channel order"),
        "{e}"
    );
    let e = err("title: x\nunit: lp\nframe_rate: 24\nsources:\n  mne: [a.wav]\n");
    assert!(e.contains("at least 2"), "{e}");
    let e = err(
        "title: x\nunit: lp\nframe_rate: 24\nsources:\n  mne: [{channel: Q, file: a.wav}, b.wav]\n",
    );
    assert!(
        e.contains("sources.mne[0].channel") && e.contains("`Q` is not a channel label"),
        "{e}"
    );
    let e = err("title: x\nunit: lp\nframe_rate: 24\nsources:\n  mne: [{channel: L}, b.wav]\n");
    assert!(e.contains("missing field `file`"), "{e}");
    let e = err("title: x\nunit: lp\nframe_rate: 24\nsources:\n  mne: ''\n");
    assert!(e.contains("empty"), "{e}");
}

#[test]
fn roles_spell_like_the_spec() {
    let names: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
    assert_eq!(
        names,
        [
            "reference_video",
            "mne",
            "optional",
            "dialogue_guide",
            "print_master"
        ]
    );
    for r in Role::ALL {
        let y = serde_yaml::to_string(&r).unwrap();
        assert_eq!(y.trim(), r.as_str());
        assert_eq!(r.to_string(), r.as_str());
    }
    assert!(!Role::ReferenceVideo.is_audio());
}

#[test]
fn lexical_resolution() {
    assert_eq!(
        resolve(Path::new("/a/b"), Path::new("../c/./d")),
        PathBuf::from("/a/c/d")
    );
    assert_eq!(
        resolve(Path::new("/a"), Path::new("/x")),
        PathBuf::from("/x")
    );
    assert_eq!(
        resolve(Path::new("rel"), Path::new("f.wav")),
        PathBuf::from("rel/f.wav")
    );
}

#[test]
fn dropped_roles_load_validate_and_round_trip() {
    let text = FULL.replace(
        "sources:\n",
        "dropped: [optional C, print_master]\nsources:\n",
    );
    let e = err(&text);
    assert!(
        e.contains("dropped") && e.contains("`print_master` is also in sources"),
        "{e}"
    );
    let text = text.replace("print_master]", "optional D]");
    let j = parse(&text).unwrap();
    assert_eq!(
        j.dropped,
        [
            DroppedRole {
                role: Role::Optional,
                letter: Some('C'),
                desc: None,
            },
            DroppedRole {
                role: Role::Optional,
                letter: Some('D'),
                desc: None,
            }
        ]
    );
    let yaml = j.to_yaml();
    assert!(yaml.contains("optional C"), "{yaml}");
    assert_eq!(parse(&yaml).unwrap(), j);
    // A job without the key keeps it absent.
    assert!(!parse(FULL).unwrap().to_yaml().contains("dropped"));
}

#[test]
fn dropped_errors_name_key_and_line() {
    let with = |list: &str| FULL.replace("sources:\n", &format!("dropped: {list}\nsources:\n"));
    let e = err(&with("[optional 9]"));
    assert!(
        e.contains("dropped[0]") && e.contains("not a letter A-Z") && e.contains("line 9"),
        "{e}"
    );
    let e = err(&with("[dialogue_guide, reference_video]"));
    assert!(
        e.contains("dropped[1]") && e.contains("cannot be dropped"),
        "{e}"
    );
    let e = err(&with("[optional c, optional C]"));
    assert!(e.contains("listed twice"), "{e}");
    let e = err(&with("[walla]"));
    assert!(e.contains("not a role"), "{e}");
    let e = err(&with("optional C"));
    assert!(e.contains("dropped"), "{e}");
    let e = err(&with("[optional A]"));
    assert!(e.contains("`optional A` is also in sources"), "{e}");
    // One track of a letter by its description; the others stay.
    let e = err(&with("[optional B Group Walla]"));
    assert!(
        e.contains("`optional B Group Walla` is also in sources"),
        "{e}"
    );
    let j = parse(&with("[optional B Walla Spanish]")).unwrap();
    assert_eq!(j.dropped[0].desc.as_deref(), Some("Walla Spanish"));
    let e = err(&with("[optional B walla, optional B WALLA]"));
    assert!(e.contains("listed twice"), "{e}");
}

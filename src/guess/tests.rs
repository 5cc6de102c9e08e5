//! Tests of the role guesser on names alone and on real probed headers.

use std::io::Cursor;

use super::*;
use crate::probe::probe_reader;
use crate::testmedia::{WavSpec, write_wav};

fn audio(channels: u16) -> Media {
    let spec = WavSpec::new(48_000, 24, channels, 480);
    let mut bytes = Vec::new();
    write_wav(&spec, &mut bytes).unwrap();
    probe_reader(&mut Cursor::new(bytes)).unwrap()
}

fn cand(name: &str, media: Option<Media>) -> Candidate {
    Candidate {
        path: PathBuf::from("/stage").join(name),
        media,
    }
}

fn role(name: &str, channels: u16) -> Option<Role> {
    guess_role(name, Some(&audio(channels))).map(|g| g.role)
}

#[test]
fn names_give_roles() {
    assert_eq!(role("NT_ME_51.wav", 6), Some(Role::Mne));
    assert_eq!(role("Show M&E 5.1.wav", 6), Some(Role::Mne));
    assert_eq!(role("show_MnE.wav", 2), Some(Role::Mne));
    assert_eq!(role("NT_PM_51.wav", 6), Some(Role::PrintMaster));
    assert_eq!(role("Show PrintMaster.wav", 6), Some(Role::PrintMaster));
    assert_eq!(role("NT_DX_guide_mono.wav", 1), Some(Role::DialogueGuide));
    assert_eq!(role("dialog stem.wav", 2), Some(Role::DialogueGuide));
    assert_eq!(role("NT_OPT_walla_51.wav", 6), Some(Role::Optional));
    assert_eq!(role("crowd_vox.wav", 2), Some(Role::Optional));
    assert_eq!(
        guess_role("ref.MOV", None).map(|g| g.role),
        Some(Role::ReferenceVideo)
    );
    assert_eq!(
        guess_role("ref.mxf", None).map(|g| g.role),
        Some(Role::ReferenceVideo)
    );
}

#[test]
fn words_inside_other_words_do_not_match() {
    // "home" holds "me", "optimal" holds "opt": whole words only.
    assert_eq!(role("home_movie.wav", 2), None);
    assert_eq!(role("optimal_mix.wav", 2), None);
}

#[test]
fn channel_count_decides_when_the_name_says_nothing() {
    assert_eq!(role("final_mix.wav", 6), Some(Role::Mne));
    assert_eq!(role("final_mix.wav", 2), None);
}

#[test]
fn optional_descriptions_come_from_telling_words() {
    let desc = |n: &str| guess_role(n, Some(&audio(2))).and_then(|g| g.desc);
    assert_eq!(desc("NT_OPT_efforts_mono.wav").as_deref(), Some("Efforts"));
    assert_eq!(desc("NT_OPT_walla_51.wav").as_deref(), Some("Walla"));
    assert_eq!(desc("NT_OPT_stereo_Chants.wav").as_deref(), Some("Chants"));
    assert_eq!(desc("x_optional_51.wav").as_deref(), Some("Optional"));
}

#[test]
fn channel_suffixes() {
    assert_eq!(mono_channel("ME.L.wav"), Some(("ME|wav".to_string(), "L")));
    assert_eq!(
        mono_channel("ME_ls.wav"),
        Some(("ME|wav".to_string(), "Ls"))
    );
    assert_eq!(
        mono_channel("ME-LFE.wav"),
        Some(("ME|wav".to_string(), "LFE"))
    );
    assert_eq!(mono_channel("ME_51.wav"), None);
    assert_eq!(mono_channel("MEL.wav"), None);
}

#[test]
fn mono_files_group_into_a_set_in_standard_order() {
    let names = [
        "PM_Rs.wav",
        "PM_L.wav",
        "PM_C.wav",
        "PM_LFE.wav",
        "PM_R.wav",
        "PM_Ls.wav",
    ];
    let files: Vec<Candidate> = names.iter().map(|n| cand(n, Some(audio(1)))).collect();
    let s = guess_sources(&files);
    let Some(Source::Mono(set)) = &s.print_master else {
        panic!("expected a mono print master, got {:?}", s.print_master);
    };
    let chans: Vec<&str> = set.iter().map(|m| m.channel.as_str()).collect();
    assert_eq!(chans, ["L", "R", "C", "LFE", "Ls", "Rs"]);
    assert_eq!(set[0].path, PathBuf::from("/stage/PM_L.wav"));
}

#[test]
fn a_stage_becomes_sources_and_debris_is_ignored() {
    let files = vec![
        cand("._NT_ME_51.wav", None),
        cand(".DS_Store", None),
        cand("NT_ME_51.wav", Some(audio(6))),
        cand("NT_ME_51_alt.wav", Some(audio(6))),
        cand("NT_OPT_walla_51.wav", Some(audio(6))),
        cand("NT_OPT_efforts_mono.wav", Some(audio(1))),
        cand("NT_DX_guide_mono.wav", Some(audio(1))),
        cand("notes.wav", Some(audio(2))),
        cand("ref.mov", None),
    ];
    let s = guess_sources(&files);
    assert_eq!(s.reference_video, Some(PathBuf::from("/stage/ref.mov")));
    assert_eq!(
        s.mne,
        Some(Source::File("/stage/NT_ME_51.wav".into())),
        "first M&E wins"
    );
    let opts: Vec<(char, &str)> = s
        .optionals
        .iter()
        .map(|o| (o.letter, o.desc.as_str()))
        .collect();
    assert_eq!(opts, [('A', "Efforts"), ('B', "Walla")]);
    assert!(s.dialogue_guide.is_some());
    assert!(s.print_master.is_none());
    assert!(is_debris("._x.wav") && is_debris(".DS_Store") && !is_debris("x.wav"));
    assert!(is_media_name("a.WAV") && is_media_name("b.mxf") && !is_media_name("c.txt"));
}

#[test]
fn a_stage_of_optionals_gets_letters_from_names_and_kinds() {
    let files = vec![
        cand("NT_OPT_walla_es.wav", Some(audio(6))),
        cand("NT_OPT_walla_en.wav", Some(audio(6))),
        cand("NT_OPT_vox.L.wav", Some(audio(1))),
        cand("NT_OPT_vox.R.wav", Some(audio(1))),
        cand("A_OPTC_foreign.wav", Some(audio(2))),
        cand("NT_OPT_chants.wav", Some(audio(2))),
    ];
    let s = guess_sources(&files);
    let opts: Vec<(char, &str, bool)> = s
        .optionals
        .iter()
        .map(|o| {
            (
                o.letter,
                o.desc.as_str(),
                matches!(o.source, Source::Mono(_)),
            )
        })
        .collect();
    assert_eq!(
        opts,
        [
            ('A', "Vox", true),
            ('B', "WallaEnglish", false),
            ('B', "WallaSpanish", false),
            ('C', "Foreign", false),
            ('D', "Chants", false),
        ]
    );
}

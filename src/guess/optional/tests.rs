//! Tests of optional letters and descriptions read from names and placed
//! beside each other.

use std::path::PathBuf;

use super::*;

fn name(n: &str) -> OptionalName {
    read_name(n, false)
}

fn letters(found: &[&str], existing: &[OptionalSource]) -> Vec<(char, String)> {
    let found = found
        .iter()
        .map(|n| (name(n), Source::File(PathBuf::from(n))))
        .collect();
    place(found, existing)
        .into_iter()
        .map(|o| (o.letter, o.desc))
        .collect()
}

fn pairs(list: &[(char, &str)]) -> Vec<(char, String)> {
    list.iter().map(|(l, d)| (*l, (*d).to_string())).collect()
}

#[test]
fn a_letter_written_in_a_name_is_read_in_every_spelling() {
    let letter = |n: &str| name(n).letter;
    assert_eq!(letter("X_OPT_A_vox_51.wav"), Some('A'));
    assert_eq!(letter("X_OPTB_walla.wav"), Some('B'));
    assert_eq!(letter("Night Train 101 OPT_B walla EN.wav"), Some('B'));
    assert_eq!(letter("x opt-c Foreign.wav"), Some('C'));
    assert_eq!(letter("x_Optional_F_chants.wav"), Some('F'));
    assert_eq!(letter("x_optionalg.wav"), Some('G'));
    assert_eq!(letter("X_OPT_walla_51.wav"), None);
    assert_eq!(
        letter("X_walla_b.wav"),
        None,
        "a letter away from the marker"
    );
    assert_eq!(letter("optimal_b.wav"), None);
    // One file of a per-channel set: its channel suffix is not a letter.
    assert_eq!(read_name("NT_OPT_C.wav", true).letter, None);
    assert_eq!(read_name("NT_OPT_B_walla.L.wav", true).letter, Some('B'));
}

#[test]
fn descriptions_are_readable_words_of_the_name() {
    let desc = |n: &str| name(n).desc;
    assert_eq!(desc("NT_OPT_walla_en.wav"), "WallaEnglish");
    assert_eq!(desc("NT_OPT_walla_es.wav"), "WallaSpanish");
    assert_eq!(desc("Night Train 101 OPT_B walla EN.wav"), "WallaEnglish");
    assert_eq!(desc("NT_OPT_efforts_mono.wav"), "Efforts");
    assert_eq!(desc("NT_OPT_walla_51.wav"), "Walla");
    assert_eq!(desc("NT_OPT_stereo_Chants.wav"), "Chants");
    assert_eq!(desc("X_OPT_A_vox_51_v2.wav"), "Vox");
    assert_eq!(desc("x_optional_51.wav"), DEFAULT_DESC);
    assert_eq!(desc("crowd_vox.wav"), "CrowdVox");
    assert_eq!(desc("show_walla_OPT.wav"), "Walla");
    assert_eq!(desc("NT_OPT_group_ADR_fr_ca_51.wav"), "GroupAdrFrench");
    assert_eq!(
        read_name("NT_OPT_walla_es.Ls.wav", true).desc,
        "WallaSpanish"
    );
}

#[test]
fn kinds_come_from_telling_words() {
    let kind = |n: &str| name(n).kind;
    assert_eq!(kind("x_OPT_vox.wav"), Some(Kind::Vocalizations));
    assert_eq!(kind("x_OPT_efforts.wav"), Some(Kind::Vocalizations));
    assert_eq!(kind("x_OPT_group.wav"), Some(Kind::Walla));
    assert_eq!(kind("x_OPT_ADR.wav"), Some(Kind::Walla));
    assert_eq!(kind("x_OPT_foreign_dx.wav"), Some(Kind::Foreign));
    assert_eq!(kind("x_OPT_archival.wav"), Some(Kind::Archival));
    assert_eq!(kind("x_OPT_song.wav"), Some(Kind::Song));
    assert_eq!(kind("x_OPT_chants.wav"), None);
    let optional = |n: &str| is_optional(&crate::guess::words(n));
    assert!(optional("x_OPTD_old_reel.wav") && optional("x_archival.wav"));
    assert!(!optional("x_group_mix.wav") && !optional("optimal.wav"));
}

#[test]
fn written_letters_win_whatever_the_order_then_kinds_then_the_first_free_letter() {
    // Found in this order; the written letters are the letters.
    let got = letters(
        &[
            "X_OPTC_foreign.wav",
            "X_OPTB_walla.wav",
            "X_OPT_chants.wav",
            "X_OPT_A_vox_51.wav",
            "X_OPT_song.wav",
        ],
        &[],
    );
    assert_eq!(
        got,
        pairs(&[
            ('C', "Foreign"),
            ('B', "Walla"),
            ('D', "Chants"),
            ('A', "Vox"),
            ('E', "Song"),
        ])
    );
}

#[test]
fn walla_in_two_languages_shares_b() {
    let got = letters(&["NT_OPT_walla_en.wav", "NT_OPT_walla_es.wav"], &[]);
    assert_eq!(got, pairs(&[('B', "WallaEnglish"), ('B', "WallaSpanish")]));
    // Beside a written B of the same kind, too.
    let got = letters(&["NT_OPT_walla_es.wav", "NT_OPTB_walla_en.wav"], &[]);
    assert_eq!(got, pairs(&[('B', "WallaSpanish"), ('B', "WallaEnglish")]));
}

#[test]
fn a_kind_whose_letter_another_kind_holds_takes_the_first_free_letter() {
    // B is written on foreign material: walla cannot join it.
    let got = letters(&["X_OPTB_foreign.wav", "X_OPT_walla.wav"], &[]);
    assert_eq!(got, pairs(&[('B', "Foreign"), ('A', "Walla")]));
    // Same letter and description twice: the second moves on.
    let got = letters(&["X_OPT_walla_51.wav", "X_OPT_walla_mono.wav"], &[]);
    assert_eq!(got, pairs(&[('B', "Walla"), ('A', "Walla")]));
    // A written letter stays; its description is numbered.
    let got = letters(&["X_OPTB_walla.wav", "Y_OPTB_walla.wav"], &[]);
    assert_eq!(got, pairs(&[('B', "Walla"), ('B', "Walla2")]));
}

#[test]
fn existing_tracks_are_respected() {
    let have = |l: char, d: &str| OptionalSource {
        letter: l,
        desc: d.to_string(),
        source: Source::File(PathBuf::from(format!("{d}.wav"))),
    };
    // Walla English is on B: Spanish joins it.
    let got = letters(&["NT_OPT_walla_es.wav"], &[have('B', "Walla English")]);
    assert_eq!(got, pairs(&[('B', "WallaSpanish")]));
    // Walla is on B already: the same description goes to a free letter.
    let got = letters(
        &["NT_OPT_walla.wav"],
        &[have('A', "Efforts"), have('B', "Walla")],
    );
    assert_eq!(got, pairs(&[('C', "Walla")]));
    // Every letter held: the kind's letter, numbered.
    let all: Vec<OptionalSource> = ('A'..='Z').map(|l| have(l, "Walla")).collect();
    let got = letters(&["NT_OPT_walla.wav"], &all);
    assert_eq!(got, pairs(&[('B', "Walla2")]));
}

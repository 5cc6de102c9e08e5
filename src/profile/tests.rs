//! Unit tests of profile loading and validation.

use super::*;

fn netflix_text() -> &'static str {
    BUILTIN[0].1
}

fn err_of(text: &str) -> String {
    let e = Profile::from_yaml(text, "test").unwrap_err().to_string();
    eprintln!("{e}");
    e
}

#[test]
fn netflix_loads_with_the_spec_values() {
    let p = Profile::builtin("netflix").unwrap();
    assert_eq!(p.name, "netflix");
    assert_eq!(p.qc.sample_rate, 48_000);
    assert_eq!(p.qc.bits, 24);
    assert_eq!(p.qc.masks_5_1, vec![0x3F, 0x60F]);
    assert_eq!(p.qc.channels[&Role::DialogueGuide], vec![1, 5, 6]);
    assert!((p.qc.true_peak_warn_dbtp + 2.0).abs() < 1e-9);
    assert!((p.qc.true_peak_error_dbtp + 1.0).abs() < 1e-9);
    assert_eq!(p.qc.clip_run, 3);
    assert_eq!(p.qc.severity.names, Severity::Error);
    assert_eq!(p.qc.severity.true_peak_warn, Severity::Warning);
    assert_eq!(p.qc.severity.pop, Severity::Info);
    assert!(p.hashes.xxh64 && !p.hashes.md5, "MD5 is opt-in (spec B3)");
    assert!(p.links.allow_hardlink);
    assert_eq!(p.folder_for(Role::Mne), Some("MnE"));
    assert_eq!(p.folder_for(Role::PrintMaster), Some("Printmaster"));
    assert_eq!(p.layout_token(6), "6ch");
    assert_eq!(p.layout_token(1), "mono");
    assert_eq!(p.layout_token(3), "3ch");
    assert_eq!(p.asset_code(Role::Optional, Some('C')), "OPTC");
    assert_eq!(p.asset_code(Role::ReferenceVideo, None), "REF");
    assert_eq!(p.soundfield(Role::PrintMaster), Some("Nearfield"));
    assert_eq!(p.soundfield(Role::Optional), None);
    assert_eq!(p.name_rules().max_bytes, 255);
    let r = crate::timecode::FrameRate::parse("29.97df").unwrap();
    assert!(p.qc.accepts_rate(r));
    assert!(p.qc.accepts_channels(Role::Optional, 10));
    assert!(!p.qc.accepts_channels(Role::Mne, 2));
    assert!(p.qc.accepts_video_codec(Some("apcn"), None));
    assert!(p.qc.accepts_video_codec(None, Some("Avid DNxHD")));
    assert!(!p.qc.accepts_video_codec(Some("avc1"), Some("H.264")));
}

#[test]
fn every_key_is_commented() {
    // Each key of the first two levels has a comment on its line, or above
    // the run of sibling keys it belongs to.
    let lines: Vec<&str> = netflix_text().lines().collect();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        if t.starts_with('#') || t.is_empty() || t.starts_with('-') || !t.contains(':') {
            continue;
        }
        let indent = l.len() - t.len();
        let mut j = i;
        let mut commented = l.contains(" # ");
        while !commented && j > 0 {
            j -= 1;
            let u = lines[j].trim_start();
            if u.starts_with('#') {
                commented = true;
            } else if lines[j].len() - u.len() < indent || u.is_empty() {
                break;
            }
        }
        // Entries deeper than the second level (role lists, layout counts)
        // are explained by their parent's comment.
        assert!(
            commented || indent > 2,
            "line {}: `{t}` has no comment",
            i + 1
        );
    }
}

#[test]
fn unknown_keys_are_errors_with_lines() {
    let text = netflix_text().replace("  clip_run: 3\n", "  clip_run: 3\n  clip_len: 4\n");
    let e = err_of(&text);
    assert!(
        e.contains("qc: unknown field `clip_len`") && e.contains("line"),
        "{e}"
    );
    let text = netflix_text().replace("  xxh64: true", "  xxh3: true");
    let e = err_of(&text);
    assert!(e.contains("hashes: unknown field `xxh3`"), "{e}");
}

#[test]
fn bad_templates_are_errors() {
    let text = netflix_text().replace("{asset}[_{soundfield}]", "{assett}[_{soundfield}]");
    let e = err_of(&text);
    assert!(
        e.contains("naming.template") && e.contains("unknown field `{assett}`"),
        "{e}"
    );
    let text = netflix_text().replace(
        "_{version}_{date}_{asset}[_{soundfield}]",
        "_{date}_{asset}[_{soundfield}]",
    );
    assert!(err_of(&text).contains("must use {version}"));
    let text = netflix_text().replace("delivery{delivery}", "delivery{delivery}_{asset}");
    assert!(err_of(&text).contains("naming.root_template"));
}

#[test]
fn folders_must_be_plain_and_cover_every_role() {
    let e = err_of(&netflix_text().replace("- name: MnE", "- name: ../MnE"));
    assert!(e.contains("not a plain folder name"), "{e}");
    let e = err_of(&netflix_text().replace("- name: Printmaster", "- name: Mn/E"));
    assert!(e.contains("`Mn/E`"), "{e}");
    let e = err_of(&netflix_text().replace("roles: [print_master]", "roles: []"));
    assert!(
        e.contains("role print_master must be in exactly one folder (it is in 0)"),
        "{e}"
    );
    let e = err_of(&netflix_text().replace("roles: [print_master]", "roles: [print_master, mne]"));
    assert!(
        e.contains("role mne must be in exactly one folder (it is in 2)"),
        "{e}"
    );
    let e = err_of(&netflix_text().replace("roles: [print_master]", "roles: [stems]"));
    assert!(
        e.contains("folders[1].roles[0]") && e.contains("unknown variant `stems`"),
        "{e}"
    );
}

#[test]
fn thresholds_are_validated() {
    let e =
        err_of(&netflix_text().replace("true_peak_warn_dbtp: -2.0", "true_peak_warn_dbtp: 0.5"));
    assert!(e.contains("qc.true_peak_warn_dbtp"), "{e}");
    let e = err_of(&netflix_text().replace("legal_characters: \"", "legal_characters: \" /"));
    assert!(e.contains("naming.legal_characters"), "{e}");
    let e = err_of(&netflix_text().replace("max_name_bytes: 255", "max_name_bytes: 1000"));
    assert!(e.contains("naming.max_name_bytes"), "{e}");
    let e = err_of(&netflix_text().replace("\"29.97df\", ", "\"29.98\", "));
    assert!(e.contains("qc.frame_rates") && e.contains("`29.98`"), "{e}");
    let e = err_of(&netflix_text().replace("    dialogue_guide: [1, 5, 6]\n", ""));
    assert!(e.contains("qc.channels.dialogue_guide"), "{e}");
    let e = err_of(&netflix_text().replace("clipping: warning", "clipping: fatal"));
    assert!(e.contains("qc.severity.clipping"), "{e}");
    let e = err_of(&netflix_text().replace("    print_master: PM", "    print_master: P M"));
    assert!(e.contains("naming.assets.print_master"), "{e}");
}

#[test]
fn unknown_builtin_is_an_error() {
    let e = Profile::builtin("amazon").unwrap_err().to_string();
    assert!(e.contains("amazon") && e.contains("netflix"), "{e}");
}

#[test]
fn round_trips_through_yaml() {
    let p = Profile::builtin("netflix").unwrap();
    let text = serde_yaml::to_string(&p).unwrap();
    assert_eq!(Profile::from_yaml(&text, "again").unwrap(), p);
}

//! The manifest reader: round trip, and refusals with clear messages (newer
//! schema, malformed YAML, wrong types, unknown fields with their line,
//! unsafe paths, oversized input), never a panic.

use std::fmt::Write as _;
use std::fs;

use mnepack::manifest::{
    DigestCheck, MAX_MANIFEST_BYTES, ManifestError, from_yaml, manifest_digest_check,
    read_manifest, sha256_list, to_yaml,
};
use proptest::prelude::*;

use super::{ROOT, build};

fn written_yaml() -> String {
    let fx = build("night_train", "host", true);
    fs::read_to_string(fx.path(&format!("{ROOT}.yaml"))).unwrap()
}

#[test]
fn yaml_round_trip() {
    for md5 in [false, true] {
        let fx = build("Tom & \"Jerry\": 10:00", "host", md5);
        let text = to_yaml(&fx.manifest).unwrap();
        assert_eq!(from_yaml(&text).unwrap(), fx.manifest);
        let on_disk = read_manifest(&fx.path(&format!("{ROOT}.yaml"))).unwrap();
        assert_eq!(on_disk, fx.manifest);
    }
}

#[test]
fn timecodes_dates_and_masks_are_quoted() {
    let text = written_yaml();
    for needle in [
        "\"10:00:00:00\"",
        "\"2026-11-25\"",
        "\"0x60F\"",
        "\"NO\"",
        "\"23.976\"",
    ] {
        assert!(text.contains(needle), "{needle} not quoted in:\n{text}");
    }
}

#[test]
fn digest_check_sees_edits() {
    let fx = build("night_train", "host", false);
    let yaml = fx.path(&format!("{ROOT}.yaml"));
    assert!(matches!(
        manifest_digest_check(&yaml).unwrap(),
        DigestCheck::Verified { .. }
    ));
    let text = fs::read_to_string(&yaml).unwrap();
    fs::write(&yaml, format!("{text}# a comment\n")).unwrap();
    assert!(matches!(
        manifest_digest_check(&yaml).unwrap(),
        DigestCheck::Edited { .. }
    ));
    fs::write(
        fx.path(&format!("{ROOT}.sha256")),
        sha256_list(&fx.manifest, &text),
    )
    .unwrap();
    fs::write(&yaml, &text).unwrap();
    assert!(matches!(
        manifest_digest_check(&yaml).unwrap(),
        DigestCheck::Verified { .. }
    ));
    fs::remove_file(fx.path(&format!("{ROOT}.sha256"))).unwrap();
    assert!(matches!(
        manifest_digest_check(&yaml).unwrap(),
        DigestCheck::NotRecorded { .. }
    ));
}

#[test]
fn newer_schema_is_refused_by_name() {
    let text = written_yaml().replace("mnepack-manifest/1", "mnepack-manifest/2");
    let err = from_yaml(&text).unwrap_err();
    assert!(matches!(err, ManifestError::NewerSchema { .. }));
    assert!(
        err.to_string().contains("written by a newer mnepack"),
        "{err}"
    );
}

#[test]
fn other_documents_are_not_manifests() {
    for text in [
        "",
        "- a\n- b\n",
        "schema: 7\n",
        "schema: other/1\n",
        "title: x\n",
    ] {
        let err = from_yaml(text).unwrap_err();
        assert!(
            matches!(err, ManifestError::NotAManifest(_)),
            "{text:?}: {err}"
        );
    }
}

#[test]
fn malformed_yaml_names_its_line() {
    let text = written_yaml();
    let line = text.lines().position(|l| l.contains("forced:")).unwrap() + 1;
    let broken = text.replace("forced: false", "forced: [false");
    let err = from_yaml(&broken).unwrap_err();
    assert!(matches!(err, ManifestError::Syntax(_)), "{err}");
    assert!(err.to_string().contains(&format!("line {line}")), "{err}");
}

#[test]
fn wrong_type_and_unknown_field_name_the_field_and_line() {
    let text = written_yaml();
    let wrong = text.replacen("size: 5000", "size: \"big\"", 1);
    assert_ne!(wrong, text);
    let err = from_yaml(&wrong).unwrap_err().to_string();
    assert!(err.contains("line") && err.contains("size"), "{err}");

    let line = text.lines().position(|l| l.contains("forced:")).unwrap() + 1;
    let unknown = text.replace("forced: false", "forced: false\nsurprise: 1");
    let err = from_yaml(&unknown).unwrap_err().to_string();
    assert!(
        err.contains("surprise") && err.contains(&format!("line {}", line + 1)),
        "{err}"
    );

    let missing = text.replace("forced: false\n", "");
    let err = from_yaml(&missing).unwrap_err().to_string();
    assert!(err.contains("forced"), "{err}");
}

#[test]
fn unsafe_paths_and_bad_digests_are_refused() {
    let text = written_yaml();
    let first = "MnE/night_train_lp_v01_20261125_REF_StageMix_24.mov";
    for (bad, what) in [
        ("../../etc/passwd", "path"),
        ("/abs/x.wav", "path"),
        ("MnE/sub/x.wav", "path"),
        ("MnE/a-b.c_d.wav", "twice"),
        ("MnE/A-B.C_D.WAV", "twice"),
    ] {
        let edited = text.replacen(first, bad, 1);
        let err = from_yaml(&edited).unwrap_err().to_string();
        assert!(err.contains(what), "{bad}: {err}");
    }
    let fx_sha = from_yaml(&text).unwrap().files[0].sha256.clone();
    let err = from_yaml(&text.replacen(&fx_sha, &fx_sha.to_uppercase(), 1)).unwrap_err();
    assert!(err.to_string().contains("sha256"), "{err}");
}

#[test]
fn huge_input_is_refused_before_parsing() {
    let limit = usize::try_from(MAX_MANIFEST_BYTES).unwrap();
    let text = " ".repeat(limit + 1);
    assert!(matches!(
        from_yaml(&text),
        Err(ManifestError::TooLarge { .. })
    ));
    // A sparse file on disk is refused from its size, without reading it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.yaml");
    fs::File::create(&path)
        .unwrap()
        .set_len(MAX_MANIFEST_BYTES * 4)
        .unwrap();
    let err = read_manifest(&path).unwrap_err().to_string();
    assert!(err.contains("limit"), "{err}");
}

#[test]
fn alias_bomb_is_refused() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        let items = vec![format!("*a{p}"); 10].join(", ");
        writeln!(text, "a{i}: &a{i} [{items}]").unwrap();
    }
    text.push_str("schema: mnepack-manifest/1\n");
    let err = from_yaml(&text).unwrap_err();
    assert!(matches!(err, ManifestError::Syntax(_)), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn random_text_never_panics(s in "\\PC{0,400}") {
        let _ = from_yaml(&s);
    }

    #[test]
    fn any_text_in_string_fields_round_trips(title in any::<String>(), desc in any::<String>(), peak in any::<f64>()) {
        let mut m = from_yaml(&CACHED.with(Clone::clone)).unwrap();
        m.job.title = title;
        m.files[0].desc = Some(desc);
        m.files[1].analysis.as_mut().unwrap().integrated_lufs = Some(peak);
        let text = to_yaml(&m).unwrap();
        let back = from_yaml(&text).unwrap();
        let back_peak = back.files[1].analysis.as_ref().unwrap().integrated_lufs.unwrap();
        prop_assert!(back_peak.to_bits() == peak.to_bits() || (peak.is_nan() && back_peak.is_nan()));
        if !peak.is_nan() {
            prop_assert_eq!(back, m);
        }
    }

    #[test]
    fn mutated_manifest_never_panics(cut in 0usize..4000, pos in 0usize..4000, byte in 0u8..128) {
        let text = CACHED.with(Clone::clone);
        let mut bytes = text.into_bytes();
        if !bytes.is_empty() {
            let p = pos % bytes.len();
            bytes[p] = byte;
            bytes.truncate(bytes.len() - cut % bytes.len());
        }
        if let Ok(s) = String::from_utf8(bytes) {
            let _ = from_yaml(&s);
        }
    }
}

thread_local! {
    static CACHED: String = written_yaml();
}

//! The written files against the reference tools: `sha256sum -c`,
//! `md5sum`/`xxhsum` for the hasher, `ascmhl-debug verify -pl`, the ASC MHL
//! XSD (lxml) and a YAML 1.1 reader (PyYAML).

use std::path::Path;
use std::process::{Command, Output};

use mnepack::hash::HashSelection;
use mnepack::stream::digest::digests_of;

use super::{FILES, ROOT, build, flip_byte};
use crate::common::have_tool;

fn python_has(module: &str, test: &str) -> bool {
    crate::common::have_python(module, test)
}

fn python(script: &str, args: &[&str]) -> Output {
    Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .unwrap()
}

/// First whitespace-separated word of a tool's stdout.
fn first_word(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn hasher_agrees_with_coreutils_and_xxhsum() {
    let dir = tempfile::tempdir().unwrap();
    for (i, content) in [&b""[..], b"abc", &super::pattern(100_000, 9)]
        .iter()
        .enumerate()
    {
        let path = dir.path().join(format!("f{i}"));
        std::fs::write(&path, content).unwrap();
        let d = digests_of(content, HashSelection::WITH_MD5);
        for (tool, args, ours) in [
            ("sha256sum", vec![], Some(d.sha256.clone())),
            ("md5sum", vec![], d.md5.clone()),
            ("xxhsum", vec!["-H1"], Some(d.xxh64.clone())),
        ] {
            if !have_tool(tool, "hasher_agrees_with_coreutils_and_xxhsum") {
                continue;
            }
            let out = Command::new(tool).args(&args).arg(&path).output().unwrap();
            assert!(out.status.success(), "{tool} failed");
            assert_eq!(
                Some(first_word(&out)),
                ours,
                "{tool} on {} bytes",
                content.len()
            );
        }
    }
}

#[test]
fn sha256sum_checks_files_and_manifest() {
    if !have_tool("sha256sum", "sha256sum_checks_files_and_manifest") {
        return;
    }
    let fx = build("night_train", "host", false);
    let check = |root: &Path| {
        Command::new("sha256sum")
            .args(["-c", "--strict", &format!("{ROOT}.sha256")])
            .current_dir(root)
            .output()
            .unwrap()
    };
    let ok = check(&fx.root);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
    let listed = String::from_utf8_lossy(&ok.stdout).lines().count();
    assert_eq!(
        listed,
        FILES.len() + 1,
        "every file and the manifest are checked"
    );

    flip_byte(&fx.path(FILES[1].0));
    let bad = check(&fx.root);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stdout).contains(&format!("{}: FAILED", FILES[1].0)));
}

#[test]
fn sha256sum_catches_an_edited_manifest() {
    if !have_tool("sha256sum", "sha256sum_catches_an_edited_manifest") {
        return;
    }
    let fx = build("night_train", "host", false);
    let yaml = fx.path(&format!("{ROOT}.yaml"));
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, text.replace("forced: false", "forced: true")).unwrap();
    let out = Command::new("sha256sum")
        .args(["-c", &format!("{ROOT}.sha256")])
        .current_dir(&fx.root)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("{ROOT}.yaml: FAILED")));
}

fn ascmhl_verify(root: &Path) -> Output {
    let pl = root.join(format!("{ROOT}.mhl"));
    Command::new("ascmhl-debug")
        .arg("verify")
        .arg("-pl")
        .arg(&pl)
        .args([
            "-i", "*.mhl", "-i", "*.yaml", "-i", "*.sha256", "-i", "*.html",
        ])
        .arg(root)
        .output()
        .unwrap()
}

#[test]
fn ascmhl_verifies_the_packing_list() {
    if !have_tool("ascmhl-debug", "ascmhl_verifies_the_packing_list") {
        return;
    }
    for md5 in [false, true] {
        let fx = build("Tom & Jerry <\"Pilot\">", "edit-bay<&>'\"", md5);
        let ok = ascmhl_verify(&fx.root);
        assert!(
            ok.status.success(),
            "md5={md5}: {}{}",
            String::from_utf8_lossy(&ok.stdout),
            String::from_utf8_lossy(&ok.stderr)
        );
        flip_byte(&fx.path(FILES[2].0));
        let bad = ascmhl_verify(&fx.root);
        assert!(!bad.status.success(), "md5={md5}: a flipped byte must fail");
    }
}

#[test]
fn ascmhl_reports_an_extra_file() {
    if !have_tool("ascmhl-debug", "ascmhl_reports_an_extra_file") {
        return;
    }
    let fx = build("night_train", "host", false);
    std::fs::write(fx.path("MnE/._a-b.c_d.wav"), b"apple double").unwrap();
    assert!(!ascmhl_verify(&fx.root).status.success());
}

const XSD_CHECK: &str = r#"
import sys, os, mhl_suite
from lxml import etree
xsd = os.path.join(os.path.dirname(mhl_suite.__file__), "xsd", "ASCMHL.xsd")
schema = etree.XMLSchema(etree.parse(xsd))
doc = etree.parse(sys.argv[1])
if not schema.validate(doc):
    print(schema.error_log)
    sys.exit(3)
ns = {"m": "urn:ASC:MHL:v2.0"}
print(doc.findtext("m:creatorinfo/m:hostname", namespaces=ns))
"#;

#[test]
fn mhl_is_valid_against_the_asc_xsd_and_escapes_text() {
    let test = "mhl_is_valid_against_the_asc_xsd_and_escapes_text";
    if !python_has("mhl_suite", test) || !python_has("lxml", test) {
        return;
    }
    let hostname = "bay 3 <&> \"quoted\" 'single'\ttab";
    for md5 in [false, true] {
        let fx = build("Tom & Jerry", hostname, md5);
        let mhl = fx.path(&format!("{ROOT}.mhl"));
        let out = python(XSD_CHECK, &[mhl.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "md5={md5}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let read_back = String::from_utf8_lossy(&out.stdout);
        assert_eq!(read_back.trim_end_matches('\n'), fx.creator.hostname);
    }
}

const YAML11_READ: &str = r#"
import sys, json, yaml
doc = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
f = doc["files"][1]
print(json.dumps({
    "tc": f["media"]["start_timecode"], "duration": f["media"]["duration"],
    "mask": f["media"]["channel_mask"], "date": f["date"],
    "language": doc["job"]["language"], "rate": doc["job"]["frame_rate"],
    "title": doc["job"]["title"], "size": f["size"], "peak": f["analysis"]["true_peak_dbtp"],
}))
"#;

#[test]
fn yaml_1_1_reader_keeps_timecodes_dates_and_codes_as_strings() {
    if !python_has(
        "yaml",
        "yaml_1_1_reader_keeps_timecodes_dates_and_codes_as_strings",
    ) {
        return;
    }
    let title = "Night: Train # 2 \"yes\"";
    let fx = build(title, "host", false);
    let yaml = fx.path(&format!("{ROOT}.yaml"));
    let out = python(YAML11_READ, &[yaml.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let f = &fx.manifest.files[1];
    let media = f.media.as_ref().unwrap();
    assert_eq!(v["tc"], media.start_timecode.clone().unwrap().as_str());
    assert_eq!(v["duration"], media.duration.clone().unwrap().as_str());
    assert_eq!(v["mask"], media.channel_mask.clone().unwrap().as_str());
    assert_eq!(v["date"], f.date.as_str());
    assert_eq!(v["language"], "NO");
    assert_eq!(v["rate"], "23.976");
    assert_eq!(v["title"], title);
    assert_eq!(v["size"], f.size);
    assert_eq!(v["peak"], serde_json::json!([-2.4, null, -0.5]));
}

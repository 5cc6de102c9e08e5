//! The delivery report through the binary: `pack` writes `<root>.html` at
//! the root and `verify` accepts it; a real headless Chromium opens it
//! (every delivered file, every finding, each plot with the right number
//! of points; a network log that shows nothing fetched; a screenshot kept
//! under `target/` and a PDF print of a sane page count); `report --text`
//! is the email (snapshots for a delivery and a redelivery); bad input
//! gets clear messages.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a failed unwrap is a failed test

use crate::common::text;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mnepack::manifest::{Manifest, read_manifest};
use mnepack::testmedia::demo::DEMO_JOB;

use crate::common::{have_tool, mnepack};

const ROOT: &str = "night_train_lp_delivery01";

/// Writes `job` as the demo's job file and packs it (must succeed).
fn pack(dir: &Path, job: &str) {
    fs::write(dir.join("job.yaml"), job).unwrap();
    let o = mnepack()
        .args(["pack", "--quiet"])
        .arg(dir.join("job.yaml"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
}

/// A demo stage packed on a fixed date: (temp dir, demo dir, root).
fn delivered() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = crate::common::demo_at(&tmp.path().join("demo"));
    pack(&dir, &format!("{DEMO_JOB}date: 2026-11-25\n"));
    let root = dir.join("deliveries").join(ROOT);
    (tmp, dir, root)
}

/// The print master fixed (one sample changed), then `job` (the demo's
/// job less what the caller removed, plus `extra` lines) packed as
/// delivery 02: its root.
fn redelivered(dir: &Path, job: &str, extra: &str) -> PathBuf {
    let pm = dir.join("stage/NT_PM_51.wav");
    let mut b = fs::read(&pm).unwrap();
    let n = b.len() - 100;
    b[n] ^= 0x10;
    fs::write(&pm, b).unwrap();
    pack(
        dir,
        &format!("{job}date: 2026-12-03\nprevious: deliveries/{ROOT}/{ROOT}.yaml\n{extra}"),
    );
    dir.join("deliveries/night_train_lp_delivery02")
}

fn manifest(root: &Path) -> Manifest {
    let name = root.file_name().unwrap().to_string_lossy().into_owned();
    read_manifest(&root.join(format!("{name}.yaml"))).unwrap()
}

/// Debian's Chromium, headless, as the machine's probe starts it.
pub(crate) fn chromium(args: &[&str], page: &Path, profile: &Path) -> Output {
    Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap()
}

/// The URLs a `file://` page itself asked for, from a Chromium net log.
fn page_fetches(netlog: &Path) -> Vec<String> {
    let log: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(netlog).unwrap()).unwrap();
    let mut urls: Vec<String> = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["params"])
        .filter(|p| {
            p["network_isolation_key"]
                .as_str()
                .is_some_and(|k| k.starts_with("file://"))
        })
        .filter_map(|p| p["url"].as_str())
        .filter(|u| !u.starts_with("file://"))
        .map(str::to_string)
        .collect();
    urls.dedup();
    urls
}

#[test]
fn pack_writes_the_report_beside_the_manifest_and_verify_accepts_it() {
    let (_tmp, _dir, root) = delivered();
    let page = root.join(format!("{ROOT}.html"));
    assert!(page.is_file(), "no report at the root");
    for folder in ["MnE", "Printmaster"] {
        let inside: Vec<_> = fs::read_dir(root.join(folder))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            inside.iter().all(|n| !n.to_lowercase().ends_with(".html")),
            "{inside:?}"
        );
    }
    let o = mnepack().arg("verify").arg(&root).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    assert!(!text(&o).contains("UNEXPECTED"), "{}", text(&o));
    // `report ROOT` draws the same page again from the manifest, but for
    // what only the pack knew (that it read every file back).
    let again = root.join("again.html");
    let o = mnepack()
        .arg("report")
        .arg(&root)
        .arg("--out")
        .arg(&again)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let (a, b) = (
        fs::read_to_string(&page).unwrap(),
        fs::read_to_string(&again).unwrap(),
    );
    let strip = |s: &str| {
        s.replace(mnepack::report::strings::VERIFIED, "")
            .replace(mnepack::report::strings::VERIFY_UNKNOWN, "")
    };
    assert_eq!(strip(&a), strip(&b));
}

#[test]
fn chromium_shows_every_file_finding_and_plot_and_fetches_nothing() {
    let test = "chromium_shows_every_file_finding_and_plot_and_fetches_nothing";
    if !have_tool("chromium", test) {
        return;
    }
    let (tmp, _dir, root) = delivered();
    let m = manifest(&root);
    let page = root.join(format!("{ROOT}.html"));
    let netlog = tmp.path().join("netlog.json");
    let o = chromium(
        &["--dump-dom", &format!("--log-net-log={}", netlog.display())],
        &page,
        &tmp.path().join("chrome"),
    );
    assert!(o.status.success(), "{}", text(&o));
    let dom = String::from_utf8_lossy(&o.stdout).into_owned();
    for f in &m.files {
        let name = f.path.rsplit('/').next().unwrap();
        assert!(dom.contains(name), "{name} not on the page");
    }
    for f in &m.findings {
        let message = f
            .message
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(
            dom.contains(&message),
            "finding not on the page: {}",
            f.message
        );
    }
    // One loudness plot each for the print master and the M&E, with one
    // point per measured second; one true-peak plot per audio file.
    for role in ["mne", "print_master"] {
        let f = m.files.iter().find(|f| f.role == role).unwrap();
        let series = &f.analysis.as_ref().unwrap().short_term_lufs;
        assert!(series.len() >= 10, "{role}: {} seconds", series.len());
        let points = series.iter().filter(|v| v.is_some()).count();
        assert!(
            dom.contains(&format!("data-points=\"{points}\"")),
            "{role}: {points} points"
        );
    }
    assert_eq!(dom.matches("class=\"plot loudness\"").count(), 2);
    let audio = m.files.iter().filter(|f| f.analysis.is_some()).count();
    assert_eq!(dom.matches("class=\"plot peaks\"").count(), audio);
    // The network log: nothing the page asked for (the browser's own
    // background requests carry another isolation key). A control page
    // with one remote image shows the check sees a page's fetch.
    assert_eq!(page_fetches(&netlog), Vec::<String>::new());
    let control = tmp.path().join("control.html");
    fs::write(
        &control,
        "<!DOCTYPE html><img src=\"http://127.0.0.1:9/x.png\">",
    )
    .unwrap();
    let control_log = tmp.path().join("control.json");
    let o = chromium(
        &[
            "--dump-dom",
            &format!("--log-net-log={}", control_log.display()),
        ],
        &control,
        &tmp.path().join("chrome-control"),
    );
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(page_fetches(&control_log), ["http://127.0.0.1:9/x.png"]);
    // A screenshot for people to look at, kept under target/.
    let shot = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-demo.png");
    let o = chromium(
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1100,3200",
            "--hide-scrollbars",
        ],
        &page,
        &tmp.path().join("chrome2"),
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        fs::metadata(&shot).unwrap().len() > 10_000,
        "an empty screenshot"
    );
}

#[test]
fn the_report_prints_to_a_pdf_of_a_few_pages() {
    let test = "the_report_prints_to_a_pdf_of_a_few_pages";
    if !have_tool("chromium", test) || !have_tool("pdfinfo", test) {
        return;
    }
    let (tmp, _dir, root) = delivered();
    let pdf = tmp.path().join("report.pdf");
    let o = chromium(
        &[
            &format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer",
        ],
        &root.join(format!("{ROOT}.html")),
        &tmp.path().join("chrome"),
    );
    assert!(o.status.success(), "{}", text(&o));
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!((2..=6).contains(&pages), "{pages} pages:\n{info}");
}

/// The email with the manifest's time stamp masked.
fn email(root: &Path) -> String {
    let m = manifest(root);
    let o = mnepack()
        .arg("report")
        .arg(root)
        .arg("--text")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    String::from_utf8_lossy(&o.stdout).replace(&m.created, "[created]")
}

/// The page's skeleton: its sections, headings, table heads and rows,
/// plots and their counts, without the values that change run to run.
fn outline(page: &str) -> String {
    let mut out = String::new();
    for tag in page.split('<').skip(1) {
        let (head, rest) = tag.split_once('>').unwrap_or((tag, ""));
        let name = head.split_whitespace().next().unwrap_or("");
        let attr = |key: &str| {
            head.split(&format!("{key}=\""))
                .nth(1)
                .and_then(|v| v.split('"').next())
                .unwrap_or("")
                .to_string()
        };
        let line = match name {
            "section" => format!("section #{}", attr("id")),
            "h1" | "h2" | "h3" | "th" | "figcaption" => format!("  {name} {}", rest.trim()),
            "tr" if !attr("class").is_empty() => format!("    tr .{}", attr("class")),
            "svg" => format!(
                "  svg .{} points={} bars={}",
                attr("class"),
                attr("data-points"),
                attr("data-bars")
            ),
            _ => continue,
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[test]
fn the_page_of_a_delivery_and_of_a_redelivery_keep_their_structure() {
    let (_tmp, dir, root) = delivered();
    let page = fs::read_to_string(root.join(format!("{ROOT}.html"))).unwrap();
    insta::assert_snapshot!("page_delivery", outline(&page));
    let job = DEMO_JOB.replace(
        "    - {letter: B, desc: Walla, file: stage/NT_OPT_walla_51.wav}\n",
        "",
    );
    let root2 = redelivered(&dir, &job, "dropped: [optional B]\n");
    let page = fs::read_to_string(root2.join("night_train_lp_delivery02.html")).unwrap();
    assert!(
        page.contains("id=\"changes\""),
        "a redelivery lists its changes"
    );
    insta::assert_snapshot!("page_redelivery", outline(&page));
}

#[test]
fn the_email_of_a_delivery_and_of_a_redelivery() {
    let (_tmp, dir, root) = delivered();
    insta::assert_snapshot!("email_delivery", email(&root));
    let root2 = redelivered(&dir, DEMO_JOB, "");
    let mail = email(&root2);
    assert!(
        mail.contains("changed  night_train_lp_v02_20261203_PM_"),
        "{mail}"
    );
    insta::assert_snapshot!("email_redelivery", mail);
}

#[test]
fn bad_input_gets_a_clear_message() {
    let (tmp, _dir, root) = delivered();
    // A folder without a manifest.
    let o = mnepack().arg("report").arg(tmp.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("has no manifest"), "{}", text(&o));
    // A manifest from before the per-second series: plots unavailable,
    // everything else listed.
    let yaml = root.join(format!("{ROOT}.yaml"));
    let original = fs::read_to_string(&yaml).unwrap();
    let old: String = original
        .lines()
        .filter(|l| !l.trim_start().starts_with("short_term_lufs:"))
        .flat_map(|l| [l, "\n"])
        .collect();
    assert_ne!(old, original);
    fs::write(&yaml, &old).unwrap();
    let out = tmp.path().join("old.html");
    let o = mnepack()
        .arg("report")
        .arg(&root)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", text(&o));
    let page = fs::read_to_string(&out).unwrap();
    assert_eq!(page.matches(mnepack::report::strings::NO_SERIES).count(), 2);
    assert!(page.contains("_PM_Nearfield_") && page.contains("data-bars"));
    // That manifest no longer matches its .sha256 line: the report says so.
    assert!(page.contains(mnepack::report::strings::EDITED), "edited");
    assert!(text(&o).contains("edited"), "{}", text(&o));
}

/// `check JOB --report FILE`: the QC report of a run that delivers nothing
/// (a 16-bit optional: refused), with the findings and the plots, no
/// digests and no verify commands; nothing is written but the page.
#[test]
fn check_writes_a_qc_report_of_a_refused_job() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("demo");
    let o = mnepack().arg("demo").arg(&dir).output().unwrap();
    assert!(o.status.success(), "{}", text(&o));
    crate::common::sixteen_bit_optional(&dir, 0);
    let page = tmp.path().join("qc.html");
    let o = mnepack()
        .arg("check")
        .arg(dir.join("job.yaml"))
        .arg("--report")
        .arg(&page)
        .arg("--quiet")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    let html = fs::read_to_string(&page).unwrap();
    assert!(html.contains(mnepack::report::strings::REFUSED), "verdict");
    assert!(html.contains(mnepack::report::strings::QC_ONLY));
    assert_eq!(
        html.matches(mnepack::report::strings::NOT_HASHED).count(),
        6
    );
    assert!(html.contains("tr class=\"error\""), "the error is listed");
    assert!(html.contains("bit"), "it names the bit depth");
    assert_eq!(html.matches("class=\"plot loudness\"").count(), 2);
    assert!(!html.contains("id=\"verify\""), "nothing to verify");
    assert!(!dir.join("deliveries").exists(), "check writes no delivery");
}

//! End to end through the binary: `demo` then `pack`, names per spec B2,
//! flat upload folders, manifest hashes, `sha256sum -c`, the ASC MHL
//! reference verifier, `verify` catching damage, sources untouched, link
//! modes and every refusal with exit code 2.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use crate::common::{sha256_hex, text};
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use mnepack::testmedia::{Signal, WavContainer, WavSpec, write_sparse, write_wav};

use crate::common::{have_tool, mnepack};

fn run(args: &[&str]) -> Output {
    mnepack().args(args).output().expect("run mnepack")
}

/// Every file under `dir` with its sha256 and mtime.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (String, i64, i64)> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let m = e.metadata().unwrap();
            out.insert(
                e.path().to_path_buf(),
                (sha256_hex(e.path()), m.mtime(), m.mtime_nsec()),
            );
        }
    }
    out
}

fn today() -> String {
    chrono::Local::now()
        .date_naive()
        .format("%Y%m%d")
        .to_string()
}

/// `demo` into a temp dir; returns (tempdir, demo dir, job path).
fn demo() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = crate::common::demo_at(&tmp.path().join("demo"));
    let job = dir.join("job.yaml");
    (tmp, dir, job)
}

fn root_of(dir: &Path) -> PathBuf {
    dir.join("deliveries/night_train_lp_delivery01")
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn demo_packs_into_flat_folders_with_spec_names() {
    let (_tmp, dir, job) = demo();
    let before = snapshot(&dir.join("stage"));
    let o = run(&["pack", job.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", text(&o));
    let root = root_of(&dir);
    let d = today();
    let mut want_mne = vec![
        format!("night_train_lp_v01_{d}_REF_StageMix_23976.mov"),
        format!("night_train_lp_v01_{d}_ME_Nearfield_6ch_48k_24b_23976.wav"),
        format!("night_train_lp_v01_{d}_OPTA_Efforts_6ch_48k_24b_23976.wav"),
        format!("night_train_lp_v01_{d}_OPTB_Walla_6ch_48k_24b_23976.wav"),
        format!("night_train_lp_v01_{d}_GUIDE_mono_48k_24b_23976.wav"),
    ];
    want_mne.sort();
    assert_eq!(
        names_in(&root.join("MnE")),
        want_mne,
        "MnE holds exactly the planned files"
    );
    assert_eq!(
        names_in(&root.join("Printmaster")),
        vec![format!(
            "night_train_lp_v01_{d}_PM_Nearfield_6ch_48k_24b_23976.wav"
        )]
    );
    assert_eq!(
        names_in(&root),
        vec![
            "MnE".to_string(),
            "Printmaster".to_string(),
            "night_train_lp_delivery01.html".to_string(),
            "night_train_lp_delivery01.mhl".to_string(),
            "night_train_lp_delivery01.sha256".to_string(),
            "night_train_lp_delivery01.yaml".to_string(),
        ],
        "no staging folder or stray file left in the root"
    );
    // Every delivered file is byte-identical to its source, and the manifest
    // records the hash we compute here ourselves.
    let manifest =
        mnepack::manifest::read_manifest(&root.join("night_train_lp_delivery01.yaml")).unwrap();
    assert_eq!(manifest.files.len(), 6);
    for f in &manifest.files {
        let delivered = root.join(&f.path);
        assert_eq!(sha256_hex(&delivered), f.sha256, "{}", f.path);
        assert_eq!(
            fs::read(&delivered).unwrap(),
            fs::read(&f.source.path).unwrap(),
            "{}",
            f.path
        );
        assert_eq!(f.size, fs::metadata(&delivered).unwrap().len());
    }
    // Sources untouched: same bytes, same mtimes.
    assert_eq!(snapshot(&dir.join("stage")), before);
    // Verify is clean.
    let v = run(&["verify", root.to_str().unwrap(), "--quiet"]);
    assert!(v.status.success(), "{}", text(&v));
}

#[test]
fn sha256sum_and_ascmhl_accept_the_delivery() {
    let (_tmp, dir, job) = demo();
    let o = run(&["pack", job.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", text(&o));
    let root = root_of(&dir);
    if have_tool("sha256sum", "sha256sum_and_ascmhl_accept_the_delivery") {
        let s = Command::new("sha256sum")
            .args(["-c", "--strict", "night_train_lp_delivery01.sha256"])
            .current_dir(&root)
            .output()
            .unwrap();
        assert!(s.status.success(), "{}", text(&s));
    }
    if have_tool(
        "ascmhl-debug",
        "sha256sum_and_ascmhl_accept_the_delivery (ascmhl)",
    ) {
        let mhl = root.join("night_train_lp_delivery01.mhl");
        let s = Command::new("ascmhl-debug")
            .args([
                "verify",
                "-pl",
                mhl.to_str().unwrap(),
                "-i",
                "*.mhl",
                "-i",
                "*.yaml",
                "-i",
                "*.sha256",
                "-i",
                "*.html",
            ])
            .arg(&root)
            .output()
            .unwrap();
        assert!(s.status.success(), "{}", text(&s));
    }
}

#[test]
fn verify_catches_damage_missing_extra_and_subfolders() {
    let (_tmp, dir, job) = demo();
    assert!(
        run(&["pack", job.to_str().unwrap(), "--quiet"])
            .status
            .success()
    );
    let root = root_of(&dir);
    let verify = || run(&["verify", root.to_str().unwrap(), "--quiet"]);
    let me = fs::read_dir(root.join("MnE"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("_ME_"))
        .unwrap();
    // A flipped byte.
    let original = fs::read(&me).unwrap();
    let mut flipped = original.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x01;
    fs::write(&me, &flipped).unwrap();
    let o = verify();
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("CHANGED"), "{}", text(&o));
    fs::write(&me, &original).unwrap();
    assert!(verify().status.success());
    // A missing file.
    fs::rename(&me, dir.join("away.wav")).unwrap();
    let o = verify();
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("MISSING"), "{}", text(&o));
    fs::rename(dir.join("away.wav"), &me).unwrap();
    // An AppleDouble file.
    let junk = root.join("MnE/._x.wav");
    fs::write(&junk, b"junk").unwrap();
    let o = verify();
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("._x.wav"), "{}", text(&o));
    fs::remove_file(&junk).unwrap();
    // A sub-folder.
    fs::create_dir(root.join("MnE/extras")).unwrap();
    let o = verify();
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("extras"), "{}", text(&o));
}

#[test]
fn dry_run_prints_the_plan_and_writes_nothing() {
    let (_tmp, dir, job) = demo();
    let o = run(&["pack", job.to_str().unwrap(), "--dry-run"]);
    assert!(o.status.success(), "{}", text(&o));
    let out = text(&o);
    assert!(
        out.contains(&format!(
            "MnE/night_train_lp_v01_{}_ME_Nearfield_6ch_48k_24b_23976.wav",
            today()
        )),
        "{out}"
    );
    assert!(out.contains("Printmaster/"), "{out}");
    assert!(!dir.join("deliveries").exists(), "dry run wrote nothing");
}

#[test]
fn hardlink_mode_links_on_the_same_filesystem() {
    let (_tmp, dir, job) = demo();
    let o = run(&[
        "pack",
        job.to_str().unwrap(),
        "--quiet",
        "--link",
        "hardlink",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let root = root_of(&dir);
    let manifest =
        mnepack::manifest::read_manifest(&root.join("night_train_lp_delivery01.yaml")).unwrap();
    for f in &manifest.files {
        let a = fs::metadata(root.join(&f.path)).unwrap();
        let b = fs::metadata(&f.source.path).unwrap();
        assert_eq!(a.ino(), b.ino(), "{} is a hard link to its source", f.path);
    }
    assert!(
        run(&["verify", root.to_str().unwrap(), "--quiet"])
            .status
            .success()
    );
}

#[test]
fn refusals_exit_2_and_write_nothing() {
    let (_tmp, dir, job) = demo();
    // The root exists already.
    assert!(
        run(&["pack", job.to_str().unwrap(), "--quiet"])
            .status
            .success()
    );
    let snap = snapshot(&dir.join("deliveries"));
    let o = run(&["pack", job.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("already exists"), "{}", text(&o));
    assert_eq!(
        snapshot(&dir.join("deliveries")),
        snap,
        "the existing delivery is untouched"
    );
    fs::remove_dir_all(dir.join("deliveries")).unwrap();
    // Output inside a source folder.
    let o = run(&[
        "pack",
        job.to_str().unwrap(),
        "--quiet",
        "--out",
        dir.join("stage/out").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("inside the source folder"),
        "{}",
        text(&o)
    );
    assert!(!dir.join("stage/out").exists());
    // A missing source.
    let moved = dir.join("PM.wav");
    fs::rename(dir.join("stage/NT_PM_51.wav"), &moved).unwrap();
    let o = run(&["pack", job.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("NT_PM_51.wav"), "{}", text(&o));
    assert!(!dir.join("deliveries").exists());
    // Not enough free space: a sparse 8 TiB print master costs no disk but
    // can never be copied.
    let mut spec = WavSpec::new(48_000, 24, 6, (8u64 << 40) / 18);
    spec.container = WavContainer::Rf64;
    write_sparse(&dir.join("stage/NT_PM_51.wav"), &spec).unwrap();
    let o = run(&["pack", job.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("not enough free space"), "{}", text(&o));
    assert!(
        !dir.join("deliveries")
            .join("night_train_lp_delivery01")
            .exists()
    );
}

/// A per-channel mono M&E in an episodic job: each file gets its channel suffix.
#[test]
fn episodic_mono_set_gets_channel_suffixes() {
    let tmp = tempfile::tempdir().unwrap();
    let stage = tmp.path().join("stage");
    fs::create_dir(&stage).unwrap();
    let labels = ["L", "R", "C", "LFE", "Ls", "Rs"];
    let mut files = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        let mut spec = WavSpec::new(48_000, 24, 1, 48_000);
        spec.signal = vec![Signal::Noise {
            seed: i as u64,
            dbfs: -30.0,
        }];
        let p = stage.join(format!("ME_{l}.wav"));
        write_wav(&spec, &mut fs::File::create(&p).unwrap()).unwrap();
        files.push(format!("stage/ME_{l}.wav"));
    }
    let job = tmp.path().join("job.yaml");
    fs::write(
        &job,
        format!(
            "profile: netflix\ntitle: \"Chef's Table\"\nunit: s02e02\nframe_rate: 23.976\ndate: 2026-11-25\noutput: out\nsources:\n  mne: [{}]\n",
            files.join(", ")
        ),
    )
    .unwrap();
    let o = run(&["pack", job.to_str().unwrap(), "--quiet"]);
    assert!(o.status.success(), "{}", text(&o));
    let mne = tmp.path().join("out/chefs_table_s02e02_delivery01/MnE");
    let mut want: Vec<String> = labels
        .iter()
        .map(|l| format!("chefs_table_s02e02_v01_20261125_ME_Nearfield_6ch_48k_24b_23976.{l}.wav"))
        .collect();
    want.sort();
    assert_eq!(names_in(&mne), want);
}

/// SIGINT, SIGTERM and SIGHUP (a closed SSH session) during the copy stop
/// the pack within a second (the README's promise) with exit 130 and leave
/// no delivery root behind.
#[test]
fn a_signal_stops_the_pack_cleanly() {
    for sig in ["-INT", "-TERM", "-HUP"] {
        let tmp = tempfile::tempdir().unwrap();
        let stage = tmp.path().join("stage");
        fs::create_dir(&stage).unwrap();
        // A 2 GiB sparse RF64 M&E: long enough to be caught mid-copy.
        let mut spec = WavSpec::new(48_000, 24, 6, (2u64 << 30) / 18);
        spec.container = WavContainer::Rf64;
        write_sparse(&stage.join("me.wav"), &spec).unwrap();
        let job = tmp.path().join("job.yaml");
        fs::write(
            &job,
            "title: Sig\nunit: lp\nframe_rate: 24\noutput: out\nsources:\n  mne: stage/me.wav\n",
        )
        .unwrap();
        let child = mnepack()
            .args(["pack", job.to_str().unwrap(), "--quiet"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let staging = tmp.path().join("out/sig_lp_delivery01/.mnepack-staging");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !staging.exists() {
            assert!(std::time::Instant::now() < deadline, "pack never started");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let sent = std::time::Instant::now();
        let kill = Command::new("kill")
            .args([sig, &child.id().to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
        let out = child.wait_with_output().unwrap();
        assert!(
            sent.elapsed() < std::time::Duration::from_secs(1),
            "{sig}: stopped in {:?}",
            sent.elapsed()
        );
        assert_eq!(out.status.code(), Some(130), "{sig}: {}", text(&out));
        assert!(text(&out).contains("interrupted"), "{}", text(&out));
        assert!(
            !tmp.path().join("out/sig_lp_delivery01").exists(),
            "{sig}: no partial root left"
        );
    }
}

/// A second pack into a root that is being written fails at once and names
/// the holder; a root left by a killed run is named as such.
#[test]
fn a_second_pack_into_the_same_root_names_the_holder() {
    let tmp = tempfile::tempdir().unwrap();
    let stage = tmp.path().join("stage");
    fs::create_dir(&stage).unwrap();
    let mut spec = WavSpec::new(48_000, 24, 6, (4u64 << 30) / 18);
    spec.container = WavContainer::Rf64;
    write_sparse(&stage.join("me.wav"), &spec).unwrap();
    let job = tmp.path().join("job.yaml");
    fs::write(
        &job,
        "title: Lock\nunit: lp\nframe_rate: 24\noutput: out\nsources:\n  mne: stage/me.wav\n",
    )
    .unwrap();
    let mut first = mnepack()
        .args(["pack", job.to_str().unwrap(), "--quiet", "--force"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let lock = tmp
        .path()
        .join("out/lock_lp_delivery01/.mnepack-staging/lock");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    // Locked, and resumable once killed (the journal follows the lock).
    let journal = lock.with_file_name("journal");
    while fs::read_to_string(&lock).map_or(true, |t| !t.contains("pid")) || !journal.is_file() {
        assert!(
            std::time::Instant::now() < deadline,
            "first pack never locked"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let o = run(&["pack", job.to_str().unwrap(), "--quiet", "--force"]);
    let pid = first.id();
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("being written right now"), "{}", text(&o));
    // The holder is named by pid and host (read here apart from the tool).
    let host = fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    let holder = format!("pid {pid} on host {}", host.trim());
    assert!(text(&o).contains(&holder), "{holder}: {}", text(&o));
    // SIGKILL leaves the root behind: a pack with other options may not
    // take it (and names the killed run); the same command resumes it.
    first.kill().unwrap();
    first.wait().unwrap();
    let o = run(&["pack", job.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(
        text(&o).contains("left unfinished by a pack of another job, or with other options"),
        "{}",
        text(&o)
    );
    assert!(text(&o).contains(&holder), "{holder}: {}", text(&o));
    let o = run(&["pack", job.to_str().unwrap(), "--quiet", "--force"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("resuming the unfinished delivery"),
        "{}",
        text(&o)
    );
    assert!(
        !tmp.path()
            .join("out/lock_lp_delivery01/.mnepack-staging")
            .exists()
    );
}

/// QC errors block the package (exit 1, no delivery root, upload folders
/// never filled): a 16-bit optional from the headers, before any write; a
/// silent centre channel from the signal, after the read. `--force`
/// delivers and the manifest records it with the findings.
#[test]
fn qc_errors_block_the_package_unless_forced() {
    let (_tmp, dir, job) = demo();
    // A 16-bit optional A.
    crate::common::sixteen_bit_optional(&dir, 0);
    let o = run(&["pack", job.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("bit_depth"), "{}", text(&o));
    assert!(!root_of(&dir).exists(), "nothing written");
    // `check` says the same without writing.
    let c = run(&["check", job.to_str().unwrap(), "--quiet"]);
    assert_eq!(c.status.code(), Some(1), "{}", text(&c));
    assert!(text(&c).contains("bit_depth"));
    // Forced: delivered, and the manifest says so.
    let o = run(&["pack", job.to_str().unwrap(), "--quiet", "--force"]);
    assert!(o.status.success(), "{}", text(&o));
    let m = mnepack::manifest::read_manifest(&root_of(&dir).join("night_train_lp_delivery01.yaml"))
        .unwrap();
    assert!(m.forced);
    assert!(
        m.findings
            .iter()
            .any(|f| f.rule == "bit_depth" && f.severity == "error"),
        "{:?}",
        m.findings
    );
    fs::remove_dir_all(dir.join("deliveries")).unwrap();

    // A clean optional again, but an M&E whose centre is silent: found by
    // the analysis during the single read, before the upload folders.
    let (_tmp2, dir2, job2) = demo();
    let frames = mnepack::testmedia::demo::DEMO_REF_FRAMES * 2002;
    let mut spec = WavSpec::new(48_000, 24, 6, frames);
    spec.format = mnepack::testmedia::FmtKind::Extensible {
        cb_size: 22,
        valid_bits: 24,
        channel_mask: 0x60F,
        float: false,
    };
    spec.bext = Some(mnepack::probe::Bext {
        time_reference: 172_780_608,
        ..Default::default()
    });
    spec.signal = (0..6)
        .map(|c| {
            if c == 2 {
                Signal::Silence
            } else {
                Signal::Noise {
                    seed: c,
                    dbfs: -30.0,
                }
            }
        })
        .collect();
    write_wav(
        &spec,
        &mut fs::File::create(dir2.join("stage/NT_ME_51.wav")).unwrap(),
    )
    .unwrap();
    let o = run(&["pack", job2.to_str().unwrap(), "--quiet"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("silent_channel"), "{}", text(&o));
    assert!(!root_of(&dir2).exists(), "no partial delivery left");
}

/// MD5 is opt-in (spec B3): a plain pack records SHA-256 and xxHash64 and
/// its MHL lists xxh64 alone; `pack --md5` records MD5 too, equal to what
/// `md5sum` computes, listed in the MHL, which `ascmhl-debug` verifies, and
/// `verify --md5` recomputes it.
#[test]
fn md5_is_opt_in_and_pack_md5_records_it_in_the_manifest_and_the_mhl() {
    let test = "md5_is_opt_in_and_pack_md5_records_it_in_the_manifest_and_the_mhl";
    let (tmp, _dir, job) = demo();
    let job = job.to_str().unwrap();
    let root_name = "night_train_lp_delivery01";
    for md5 in [false, true] {
        let out = tmp.path().join(format!("out-md5-{md5}"));
        let mut args = vec!["pack", job, "--quiet", "--out", out.to_str().unwrap()];
        if md5 {
            args.push("--md5");
        }
        let o = run(&args);
        assert!(o.status.success(), "{}", text(&o));
        let root = out.join(root_name);
        let m = mnepack::manifest::read_manifest(&root.join(format!("{root_name}.yaml"))).unwrap();
        let mhl = fs::read_to_string(root.join(format!("{root_name}.mhl"))).unwrap();
        assert_eq!(m.files.len(), 6);
        assert_eq!(mhl.matches("<xxh64 ").count(), 6, "{mhl}");
        assert_eq!(
            mhl.matches("<md5 ").count(),
            if md5 { 6 } else { 0 },
            "{mhl}"
        );
        for f in &m.files {
            assert_eq!(f.md5.is_some(), md5, "{}", f.path);
            if md5 && have_tool("md5sum", test) {
                let s = Command::new("md5sum")
                    .arg(root.join(&f.path))
                    .output()
                    .unwrap();
                let theirs = String::from_utf8_lossy(&s.stdout);
                assert_eq!(theirs.split_whitespace().next(), f.md5.as_deref());
            }
        }
        let v = run(&["verify", root.to_str().unwrap(), "--md5", "--json"]);
        assert!(v.status.success(), "{}", text(&v));
        let report: serde_json::Value = serde_json::from_slice(&v.stdout).unwrap();
        let digests = report["digests"].to_string();
        assert_eq!(digests.contains("md5"), md5, "{digests}");
        if md5 && have_tool("ascmhl-debug", test) {
            let s = Command::new("ascmhl-debug")
                .args(["verify", "-pl"])
                .arg(root.join(format!("{root_name}.mhl")))
                .args([
                    "-i", "*.mhl", "-i", "*.yaml", "-i", "*.sha256", "-i", "*.html",
                ])
                .arg(&root)
                .output()
                .unwrap();
            assert!(s.status.success(), "{}", text(&s));
        }
    }
}

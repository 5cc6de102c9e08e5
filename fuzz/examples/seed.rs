//! Writes the seed corpora under `fuzz/corpus/<target>/`: the committed
//! fixtures (QuickTime, MXF), generated WAV/RF64/BW64 headers, the netflix
//! profile, the demo job and variants, and the manifest of a tiny pack.
//! Run from `fuzz/`: `cargo run --example seed`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use mnepack::hash::HashSelection;
use mnepack::job::Job;
use mnepack::pack::flow::{pack, prepare};
use mnepack::pack::run::PackOptions;
use mnepack::pack::stage::LinkMode;
use mnepack::probe::Bext;
use mnepack::profile::Profile;
use mnepack::progress::{Cancel, Silent};
use mnepack::testmedia::demo::DEMO_JOB;
use mnepack::testmedia::{FmtKind, WavContainer, WavSpec, wav_bytes};

fn put(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    fs::write(dir.join(name), bytes)
}

fn wavs() -> io::Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for (cname, container) in [
        ("riff", WavContainer::Riff),
        ("rf64", WavContainer::Rf64),
        ("bw64", WavContainer::Bw64),
    ] {
        for (fname, format, channels) in [
            ("pcm", FmtKind::Pcm, 2),
            ("float", FmtKind::Float, 1),
            (
                "ext",
                FmtKind::Extensible {
                    cb_size: 22,
                    valid_bits: 24,
                    channel_mask: 0x60F,
                    float: false,
                },
                6,
            ),
        ] {
            let bits = if matches!(format, FmtKind::Float) {
                32
            } else {
                24
            };
            let mut spec = WavSpec::new(48_000, bits, channels, 4);
            spec.container = container;
            spec.format = format;
            spec.bext = Some(Bext {
                description: "seed".into(),
                originator: "mnepack fuzz".into(),
                time_reference: 172_800_000,
                version: 1,
                ..Bext::default()
            });
            spec.ixml = Some("<BWFXML><PROJECT>x</PROJECT></BWFXML>".into());
            spec.info = vec![(*b"INAM", "seed".into())];
            spec.fact = true;
            spec.junk = Some(8);
            if container != WavContainer::Riff {
                spec.ds64_table = vec![(*b"axml", 5)];
            }
            spec.chunks_after_data = vec![(*b"zzzz", vec![1, 2, 3])];
            out.push((format!("{cname}_{fname}.wav"), wav_bytes(&spec)?));
        }
    }
    Ok(out)
}

/// Packs a two-file job of tiny WAVs and returns the manifest YAML.
fn tiny_manifest(tmp: &Path) -> Result<String, Box<dyn std::error::Error>> {
    let stage = tmp.join("stage");
    fs::create_dir_all(&stage)?;
    fs::write(
        stage.join("me.wav"),
        wav_bytes(&WavSpec::new(48_000, 24, 6, 48))?,
    )?;
    fs::write(
        stage.join("pm.wav"),
        wav_bytes(&WavSpec::new(48_000, 24, 2, 48))?,
    )?;
    let job_text = "title: Seed Title\nunit: s01e02\nframe_rate: 24\noutput: out\n\
                    sources:\n  mne: stage/me.wav\n  print_master: stage/pm.wav\n";
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap_or_default();
    let job = Job::from_yaml(job_text, tmp, today)?;
    let profile = Profile::builtin("netflix")?;
    let prepared = prepare(&job, &profile)?;
    let opts = PackOptions {
        output: tmp.join("out"),
        link: LinkMode::Copy,
        allow_hardlink: false,
        verify: false,
        hashes: HashSelection { md5: true },
        qc: profile.qc.clone(),
    };
    let report = pack(
        &job,
        &profile,
        &prepared,
        &opts,
        chrono::Utc::now(),
        &mut Silent,
        &Cancel::new(),
    )?;
    Ok(fs::read_to_string(&report.manifest.yaml)?)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let fuzz = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = fuzz.parent().ok_or("no parent")?;
    let corpus = fuzz.join("corpus");

    let probe = corpus.join("probe");
    for e in fs::read_dir(root.join("tests/fixtures"))? {
        let p = e?.path();
        if matches!(p.extension().and_then(|x| x.to_str()), Some("mov" | "mxf")) {
            let name = p.file_name().and_then(|n| n.to_str()).ok_or("name")?;
            put(&probe, name, &fs::read(&p)?)?;
        }
    }
    for (name, bytes) in wavs()? {
        put(&probe, &name, &bytes)?;
    }

    let profile = fs::read(root.join("config/netflix.yaml"))?;
    put(&corpus.join("profile_yaml"), "netflix.yaml", &profile)?;

    let jobs = corpus.join("job_yaml");
    put(&jobs, "demo.yaml", DEMO_JOB.as_bytes())?;
    put(
        &jobs,
        "mono.yaml",
        b"title: \"Chef's Table: Part II\"\nunit: s02e02\nframe_rate: 23.976\ndate: 2026-11-01\n\
          previous: old/x.yaml\nprofile: ./custom.yaml\n\
          sources:\n  print_master: [L.wav, R.wav, C.wav, LFE.wav, Ls.wav, Rs.wav]\n  \
          dialogue_guide:\n    - {channel: L, file: gl.wav}\n    - {channel: R, file: gr.wav}\n  \
          optionals:\n    - {letter: c, desc: group walla, files: [a.wav, b.wav]}\n",
    )?;

    let tmp = tempfile::tempdir()?;
    let manifest = tiny_manifest(tmp.path())?;
    put(
        &corpus.join("manifest_yaml"),
        "tiny.yaml",
        manifest.as_bytes(),
    )?;

    let naming = corpus.join("naming");
    for (i, t) in [
        "Chef's Table: Part II",
        "../../etc/passwd",
        "Amélie -- à Paris!",
        "{title}_{unit}[_{desc}].{ext}",
        "東京 Story",
    ]
    .iter()
    .enumerate()
    {
        put(&naming, &format!("t{i}"), t.as_bytes())?;
    }
    println!("seed corpora written under {}", corpus.display());
    Ok(())
}

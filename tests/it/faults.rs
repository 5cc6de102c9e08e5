//! Faults while packing (issue 8, "Nothing lost"): injected failing readers
//! and writers in the streaming engine, sources that change while read, and
//! a real filesystem that fills up. Owns the one contract check every
//! failure test ends with, [`assert_nothing_delivered`], and the demo job
//! the library-level tests pack.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

mod disk;
mod source;
mod stream;

use std::fs;
use std::path::{Path, PathBuf};

use mnepack::error::Result;
use mnepack::hash::HashSelection;
use mnepack::job::Job;
use mnepack::pack::PackOptions;
use mnepack::pack::flow::{PackOutcome, Prepared, pack, prepare};
use mnepack::pack::stage::LinkMode;
use mnepack::profile::Profile;
use mnepack::progress::{Cancel, Event};

/// The staging folder's name inside a delivery root (the only thing a
/// failed pack may leave there).
const STAGING: &str = ".mnepack-staging";

/// The contract after a failed or interrupted `pack`: no `<root>.yaml`,
/// `.sha256` or `.mhl` beside or inside the root, no other entry beside the
/// root whose name starts with the root's (a temp manifest), and the root
/// is absent or holds nothing but the staging folder (a partial file may
/// only be in there).
pub fn assert_nothing_delivered(output_dir: &Path, root_name: &str) {
    let root = output_dir.join(root_name);
    for ext in ["yaml", "sha256", "mhl"] {
        let beside = output_dir.join(format!("{root_name}.{ext}"));
        let inside = root.join(format!("{root_name}.{ext}"));
        assert!(
            !beside.exists(),
            "a manifest was left: {}",
            beside.display()
        );
        assert!(
            !inside.exists(),
            "a manifest was left: {}",
            inside.display()
        );
    }
    if let Ok(entries) = fs::read_dir(output_dir) {
        for e in entries {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(
                name == root_name || !name.starts_with(root_name),
                "{name} was left beside the delivery root in {}",
                output_dir.display()
            );
        }
    }
    if !root.exists() {
        return;
    }
    let mut left = Vec::new();
    for e in fs::read_dir(&root).unwrap() {
        let e = e.unwrap();
        let is_staging = e.file_name() == STAGING && e.file_type().unwrap().is_dir();
        if !is_staging {
            left.push(e.path());
        }
    }
    assert!(
        left.is_empty(),
        "the delivery root {} holds more than {STAGING}: {left:?} (regular files in it: {:?})",
        root.display(),
        regular_files(&root)
            .into_iter()
            .filter(|p| !p.starts_with(root.join(STAGING)))
            .collect::<Vec<_>>()
    );
}

/// Every regular file under `dir`.
fn regular_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(std::result::Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .collect()
}

/// The demo stage written by the library, loaded and planned.
pub struct Demo {
    /// Keeps the folders alive.
    pub tmp: tempfile::TempDir,
    /// The demo folder (`stage/`, `job.yaml`).
    pub dir: PathBuf,
    /// The loaded job.
    pub job: Job,
    /// The job's profile.
    pub profile: Profile,
    /// Probed and planned.
    pub prepared: Prepared,
    /// The pack's threads: one for the faults of the one-by-one read.
    pub threads: usize,
}

impl Demo {
    /// A fresh demo stage in its own temp folder, packed one file after
    /// another (the conform analysis off: these faults are about the
    /// one-by-one stage; [`Demo::side_by_side`] packs as `pack` does).
    pub fn new() -> Demo {
        let mut demo = Demo::side_by_side();
        demo.profile.qc.conform = false;
        demo.threads = 1;
        demo
    }

    /// A fresh demo stage whose audio files are staged side by side for
    /// the conform analysis, as the built-in profile packs them.
    pub fn side_by_side() -> Demo {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("demo");
        let stage = mnepack::testmedia::demo::write_demo(&dir).unwrap();
        let job = Job::load(&stage.job, chrono::Local::now().date_naive()).unwrap();
        let profile = Profile::resolve(&job.profile_ref()).unwrap();
        let prepared = prepare(&job, &profile).unwrap();
        Demo {
            tmp,
            dir,
            job,
            profile,
            prepared,
            threads: mnepack::threads::available(),
        }
    }

    /// The delivery root's folder name.
    pub fn root_name(&self) -> &str {
        &self.prepared.plan.root_name
    }

    /// The source a plan item with delivered name `name` reads (None for
    /// the line that names the files read side by side).
    pub fn source_of(&self, name: &str) -> Option<PathBuf> {
        self.prepared
            .plan
            .items
            .iter()
            .find(|i| i.name == name)
            .map(|i| i.source.clone())
    }

    /// Packs (copy mode, read-back on) into `output`, calling `on_event`
    /// with every progress event and the source being read when it is one.
    pub fn pack_into(
        &self,
        output: &Path,
        on_event: &mut dyn FnMut(&Event, Option<&Path>),
    ) -> Result<PackOutcome> {
        let opts = PackOptions {
            output: output.to_path_buf(),
            link: LinkMode::Copy,
            allow_hardlink: false,
            verify: true,
            hashes: HashSelection::BASE,
            qc: self.profile.qc.clone(),
            force: false,
            threads: self.threads,
        };
        let mut current: Option<PathBuf> = None;
        let mut observer = |e: Event| {
            if let Event::FileStart { name, .. } = &e {
                current = self.source_of(name);
            }
            on_event(&e, current.as_deref());
        };
        pack(
            &self.job,
            &self.profile,
            &self.prepared,
            &opts,
            chrono::Utc::now(),
            &mut observer,
            &Cancel::new(),
        )
    }
}

/// The error of a pack that had to fail (a panic names what happened instead).
pub fn expect_failure(outcome: Result<PackOutcome>) -> String {
    match outcome {
        Ok(PackOutcome::Delivered(r)) => panic!("the pack succeeded into {}", r.root.display()),
        Ok(PackOutcome::Blocked(q)) => panic!("QC blocked instead of an error: {:?}", q.findings),
        Err(e) => e.to_string(),
    }
}

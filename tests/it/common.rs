//! Shared helpers of the integration tests: the binary's path, temp folders,
//! a check for external reference tools, and skips that fail under
//! `MNEPACK_REQUIRE_TOOLS=1` (and are counted otherwise).

#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use std::path::PathBuf;
use std::process::Command;

/// What a finished command printed: standard output, then standard error.
pub fn text(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The SHA-256 of a file, lowercase hex (computed here with `sha2`, not
/// by the code under test).
pub fn sha256_hex(path: &std::path::Path) -> String {
    use sha2::Digest as _;
    let bytes = std::fs::read(path).unwrap();
    mnepack::hash::hex(&sha2::Sha256::digest(&bytes))
}

/// Writes the demo stage into `dir` with the binary (`mnepack demo DIR`),
/// as a user starts; returns `dir`. Its output is in the failure message.
pub fn demo_at(dir: &std::path::Path) -> PathBuf {
    let o = mnepack().arg("demo").arg(dir).output().unwrap();
    assert!(
        o.status.success(),
        "mnepack demo {}:\n{}",
        dir.display(),
        text(&o)
    );
    dir.to_path_buf()
}

/// The path of the built `mnepack` binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_mnepack"))
}

/// A `Command` for the binary with a clean environment for colours.
pub fn mnepack() -> Command {
    let mut c = Command::new(bin());
    c.env("NO_COLOR", "1");
    c
}

/// Rewrites the demo's optional A (`stage/NT_OPT_efforts_51.wav` under
/// `demo`) as a 16-bit 5.1 noise bed, `short` samples shorter than the
/// demo's stems: an error from the headers (and, when short by less than a
/// frame, a length warning).
pub fn sixteen_bit_optional(demo: &std::path::Path, short: u64) {
    use mnepack::testmedia::{Signal, WavSpec, write_wav};
    let frames = mnepack::testmedia::demo::DEMO_REF_FRAMES * 2002 - short;
    let mut spec = WavSpec::new(48_000, 16, 6, frames);
    spec.signal = (0..6)
        .map(|c| Signal::Noise {
            seed: c,
            dbfs: -30.0,
        })
        .collect();
    let path = demo.join("stage/NT_OPT_efforts_51.wav");
    write_wav(&spec, &mut std::fs::File::create(path).unwrap()).unwrap();
}

/// The variable under which a skip is a failure (`.ci/run` sets it).
pub const REQUIRE_TOOLS: &str = "MNEPACK_REQUIRE_TOOLS";

/// Where skips and runs against a reference are counted, one line each
/// (`.ci/run` empties them before the tests and prints the counts after).
pub fn tally_file(kind: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("mnepack-{kind}.txt"))
}

fn tally(kind: &str, line: &str) {
    use std::io::Write as _;
    let path = tally_file(kind);
    let _ = std::fs::create_dir_all(path.parent().unwrap());
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
    {
        let _ = writeln!(f, "{line}");
    }
}

/// The calling test cannot run its check (`why`): under
/// `MNEPACK_REQUIRE_TOOLS=1` that fails the test; otherwise it prints
/// "SKIPPED" and counts the skip in [`tally_file`]`("skipped")`.
pub fn skip(test: &str, why: &str) {
    let required = std::env::var_os(REQUIRE_TOOLS).is_some_and(|v| !v.is_empty() && v != "0");
    assert!(
        !required,
        "{test} would skip: {why}; {REQUIRE_TOOLS} is set, so a skip is a failure \
         (.ci/run installs every tool the tests use)"
    );
    eprintln!("SKIPPED {test}: {why}");
    tally("skipped", &format!("{test}: {why}"));
}

/// The calling test checks against `tool`, a reference nobody here wrote:
/// counts it in [`tally_file`]`("references")`.
pub fn against_reference(tool: &str, test: &str) {
    tally("references", &format!("{test}: {tool}"));
}

/// True when `tool` runs (and counts the test as checked against it);
/// otherwise the test skips (see [`skip`]).
pub fn have_tool(tool: &str, test: &str) -> bool {
    let ok = Command::new(tool)
        .arg("--help")
        .output()
        .or_else(|_| Command::new(tool).arg("-version").output())
        .is_ok();
    if ok {
        against_reference(tool, test);
    } else {
        skip(
            test,
            &format!("`{tool}` is not installed (.ci/run installs it)"),
        );
    }
    ok
}

/// True when python3 can import `module` (counted as a reference);
/// otherwise the test skips (see [`skip`]).
pub fn have_python(module: &str, test: &str) -> bool {
    let ok = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        against_reference(&format!("python3 {module}"), test);
    } else {
        skip(
            test,
            &format!("python3 module `{module}` is missing (.ci/run installs it)"),
        );
    }
    ok
}

/// Runs the binary with `args` (in `dir` when given) and returns its
/// output; the command line is part of every assertion message.
pub fn run_in(dir: Option<&std::path::Path>, args: &[&std::ffi::OsStr]) -> Ran {
    let mut c = mnepack();
    c.args(args);
    if let Some(d) = dir {
        c.current_dir(d);
    }
    let out = c.output().unwrap();
    Ran {
        line: format!(
            "mnepack {}",
            args.iter()
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" ")
        ),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// What a run of the binary printed.
#[derive(Debug)]
pub struct Ran {
    /// The command, for messages.
    pub line: String,
    /// Its exit code.
    pub code: Option<i32>,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
}

impl Ran {
    /// Asserts the exit code, printing the command and its output if not.
    pub fn expect(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "{}\n--- stdout\n{}\n--- stderr\n{}",
            self.line,
            self.stdout,
            self.stderr
        );
        self
    }
}

/// The demo's media under the names a mix room gives them (spaces, mixed
/// case, the optional's letter written in the name), as `(demo name,
/// stage name)`; `{ep}` stands for the session's name.
pub const MIX_ROOM_NAMES: [(&str, &str); 6] = [
    ("NT_stage_ref_2398.mov", "{ep} Stage Ref 2398.mov"),
    ("NT_ME_51.wav", "{ep} ME 5.1.wav"),
    ("NT_OPT_efforts_51.wav", "{ep} OPT_A Efforts 5.1.wav"),
    ("NT_OPT_walla_51.wav", "{ep} OPT_B Walla 5.1.wav"),
    ("NT_DX_guide_mono.wav", "{ep} DX Guide mono.wav"),
    ("NT_PM_51.wav", "{ep} PM Nearfield 5.1.wav"),
];

/// A stage folder as a mix room leaves it: `dir/<ep> Stage/` holding the
/// demo's media under [`MIX_ROOM_NAMES`], plus what a Mac leaves behind
/// (`._` files, `.DS_Store`). Returns the folder.
pub fn mix_room_stage(dir: &std::path::Path, ep: &str) -> PathBuf {
    let demo = tempfile::tempdir().unwrap();
    let d = demo.path().join("d");
    run_in(None, &[std::ffi::OsStr::new("demo"), d.as_os_str()]).expect(0);
    let stage = dir.join(format!("{ep} Stage"));
    std::fs::create_dir_all(&stage).unwrap();
    for (from, to) in MIX_ROOM_NAMES {
        let to = to.replace("{ep}", ep);
        std::fs::copy(d.join("stage").join(from), stage.join(&to)).unwrap();
    }
    std::fs::write(
        stage.join(format!("._{ep} ME 5.1.wav")),
        b"\x00\x05\x16\x07AppleDouble",
    )
    .unwrap();
    std::fs::write(stage.join(".DS_Store"), b"\x00\x00\x00\x01Bud1").unwrap();
    stage
}

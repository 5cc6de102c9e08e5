//! Shared helpers of the integration tests: the binary's path, temp folders,
//! and a check for external reference tools (skipped tests say why).

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

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

/// True when `tool` runs; otherwise prints why the calling test skips.
pub fn have_tool(tool: &str, test: &str) -> bool {
    let ok = Command::new(tool)
        .arg("--help")
        .output()
        .or_else(|_| Command::new(tool).arg("-version").output())
        .is_ok();
    if !ok {
        eprintln!("SKIPPED {test}: `{tool}` is not installed (.ci/run installs it)");
    }
    ok
}

//! The front ends (`src/cli`, `src/tui`) decide nothing the library
//! decides: whether a delivery number may be used, whether a root may be
//! written, which version a file gets, how a stage folder is listed, what
//! a pack is asked to do, what a delivery holds. They call the library's
//! one function for each. This test reads their sources and fails on a
//! call to a lower-level rule, so a second, drifting copy of a decision
//! cannot creep back into one front end.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

/// A decision, the code that would make it again, and the library call
/// that makes it (the failure message names it).
const DECISIONS: &[(&str, &str, &str)] = &[
    (
        "the delivery-number rule",
        "check_delivery_sequence",
        "pack::flow::refusals",
    ),
    (
        "the deliveries already made",
        "find_existing_deliveries",
        "pack::flow::refusals / season::state",
    ),
    (
        "whether a root may be written",
        "lock::holder",
        "pack::flow::refusals",
    ),
    (
        "whether a root may be written",
        "Holder::",
        "pack::flow::refusals",
    ),
    (
        "versions settled by content",
        "resolve_statuses",
        "pack::flow::pack",
    ),
    (
        "the redelivery plan",
        "plan_redelivery",
        "pack::flow::prepare",
    ),
    ("the root's name", "root_template", "plan::latest_manifest"),
    ("listing a stage folder", "walkdir", "scan::list"),
    ("listing a stage folder", "read_dir(", "scan::list"),
    (
        "what a delivery holds",
        "read_manifest",
        "PackReport::record",
    ),
    (
        "the QC findings after reading",
        "conform_findings(",
        "pack::gate::after_reading",
    ),
];

/// The one place a front end may spell out a pack's options: the command
/// line's choices over `PackOptions::new`.
const OPTIONS_AT: &str = "src/cli/pack_cmd.rs";

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            // Unit tests may build whatever they need.
            if path.file_name().is_some_and(|n| n != "tests") {
                sources(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without its comments.
fn code(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every front-end decision found in `files` (relative to `crate_dir`).
fn drift(crate_dir: &Path, files: &[PathBuf]) -> Vec<String> {
    let mut found = Vec::new();
    for file in files {
        let rel = file.strip_prefix(crate_dir).unwrap_or(file);
        let text = code(file);
        for (what, call, instead) in DECISIONS {
            if text.contains(call) {
                found.push(format!(
                    "{}: decides {what} itself (`{call}`); call `{instead}`",
                    rel.display()
                ));
            }
        }
        let options = text.matches("PackOptions {").count();
        if options > 0 && rel != Path::new(OPTIONS_AT) {
            found.push(format!(
                "{}: builds a pack's options itself; use `PackOptions::new` (and {OPTIONS_AT} for the command line)",
                rel.display()
            ));
        }
    }
    found
}

#[test]
fn front_ends_call_the_library_for_every_decision() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&crate_dir.join("src/cli"), &mut files);
    sources(&crate_dir.join("src/tui"), &mut files);
    assert!(files.len() > 20, "the front ends' sources: {files:?}");
    let found = drift(crate_dir, &files);
    assert!(found.is_empty(), "{}", found.join("\n"));
}

/// The check catches a front end that decides for itself: a copy of the
/// TUI's worker with the delivery-number rule and a hand-built root
/// listing, as the wizard had before the library owned them.
#[test]
fn a_front_end_deciding_for_itself_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let crate_dir = tmp.path();
    let tui = crate_dir.join("src/tui");
    std::fs::create_dir_all(&tui).unwrap();
    let real = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/tui/worker.rs");
    let mut worker = std::fs::read_to_string(real).unwrap();
    worker.push_str(
        "\nfn again(o: &Path) { let _ = crate::plan::check_delivery_sequence(None, &[]); \
         let _ = std::fs::read_dir(o); let _ = PackOptions { force: true, ..todo!() }; }\n",
    );
    std::fs::write(tui.join("worker.rs"), worker).unwrap();
    let found = drift(crate_dir, &[tui.join("worker.rs")]);
    assert_eq!(found.len(), 3, "{found:#?}");
    assert!(found[0].contains("delivery-number rule"), "{found:#?}");
    assert!(found[1].contains("listing a stage folder"), "{found:#?}");
    assert!(found[2].contains("builds a pack's options"), "{found:#?}");
}

//! `mnepack completions SHELL` and `mnepack man` through the binary: the
//! bash script, sourced in a real bash, completes subcommands and flags;
//! the zsh and fish scripts name every subcommand; the man page renders
//! with groff and lists every command and the exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers: a failed unwrap is a failed test

use std::io::Write;
use std::process::{Command, Stdio};

use clap::CommandFactory;

use crate::common::{bin, have_tool, mnepack};

/// Every subcommand of the grammar (clap's own `help` aside).
fn subcommands() -> Vec<String> {
    let names: Vec<String> = mnepack::cli::Cli::command()
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for want in [
        "probe",
        "check",
        "pack",
        "verify",
        "demo",
        "init",
        "tui",
        "completions",
        "man",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} in {names:?}");
    }
    names
}

fn stdout_of(args: &[&str]) -> String {
    let out = mnepack().args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Sources the bash script, prints `complete -p mnepack`, then the
/// candidates the completion function offers for `words` (the last one
/// being completed), one a line.
fn bash_complete(words: &[&str]) -> (String, Vec<String>) {
    let list = words
        .iter()
        .map(|w| format!("'{w}'"))
        .collect::<Vec<_>>()
        .join(" ");
    let cur = words.last().unwrap();
    let prev = words[words.len() - 2];
    let script = format!(
        "source <('{}' completions bash) || exit 9\n\
         complete -p mnepack || exit 8\n\
         COMP_WORDS=({list}); COMP_CWORD={}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}\n\
         _mnepack mnepack '{cur}' '{prev}'\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        bin().display(),
        words.len() - 1,
        words.join(" "),
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &script])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let spec = lines.next().unwrap_or_default().to_string();
    (spec, lines.map(str::to_string).collect())
}

#[test]
fn bash_completion_completes_subcommands_and_flags() {
    if !have_tool("bash", "bash_completion_completes_subcommands_and_flags") {
        return;
    }
    let (spec, got) = bash_complete(&["mnepack", "pa"]);
    assert!(
        spec.starts_with("complete ")
            && spec.contains(" -F _mnepack ")
            && spec.ends_with(" mnepack"),
        "{spec}"
    );
    assert_eq!(got, vec!["pack".to_string()]);
    let (_, got) = bash_complete(&["mnepack", "p"]);
    assert_eq!(got, vec!["probe".to_string(), "pack".to_string()]);
    let (_, got) = bash_complete(&["mnepack", ""]);
    for sub in subcommands() {
        assert!(got.contains(&sub), "{sub} in {got:?}");
    }
    let (_, got) = bash_complete(&["mnepack", "pack", "--q"]);
    assert_eq!(got, vec!["--quiet".to_string()]);
    let (_, got) = bash_complete(&["mnepack", "completions", ""]);
    for shell in ["bash", "zsh", "fish"] {
        assert!(got.iter().any(|g| g == shell), "{shell} in {got:?}");
    }
}

#[test]
fn zsh_and_fish_scripts_name_every_subcommand() {
    for shell in ["zsh", "fish"] {
        let script = stdout_of(&["completions", shell]);
        assert!(script.contains("mnepack"), "{shell}:\n{script}");
        for sub in subcommands() {
            assert!(
                script.contains(&format!("'{sub}:")) || script.contains(&format!(" -a \"{sub}\"")),
                "{shell} script lacks {sub}:\n{script}"
            );
        }
    }
}

#[test]
fn the_man_page_renders_with_every_command_and_the_exit_codes() {
    if !have_tool(
        "groff",
        "the_man_page_renders_with_every_command_and_the_exit_codes",
    ) {
        return;
    }
    let roff = stdout_of(&["man"]);
    assert!(roff.starts_with(".ie") || roff.starts_with(".TH"), "{roff}");
    // Plain text, wide lines, no hyphenation: each entry on one line.
    let mut groff = Command::new("groff")
        .args([
            "-man",
            "-ww",
            "-Tutf8",
            "-rLL=200n",
            "-rHY=0",
            "-P",
            "-cbou",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    groff
        .stdin
        .take()
        .unwrap()
        .write_all(roff.as_bytes())
        .unwrap();
    let out = groff.wait_with_output().unwrap();
    assert!(out.status.success());
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(warnings.is_empty(), "groff warned:\n{warnings}");
    let page = String::from_utf8(out.stdout).unwrap();
    // Justification may widen spaces: compare words.
    let lines: Vec<String> = page
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let has = |want: &str| lines.iter().any(|l| l == want);
    for heading in ["NAME", "SYNOPSIS", "COMMANDS", "EXIT STATUS"] {
        assert!(has(heading), "{heading}:\n{page}");
    }
    for sub in subcommands().iter().filter(|s| *s != "help") {
        assert!(has(&format!("mnepack {sub}")), "mnepack {sub}:\n{page}");
    }
    assert!(
        lines.iter().any(|l| l.starts_with("-q, --quiet")),
        "each command's options: {page}"
    );
    for code in [
        "0 done",
        "1 QC errors blocked the package, verify found a difference, or a probed file was unreadable",
        "2 usage, job or I/O error (nothing in an upload folder)",
        "130 interrupted (nothing half-done in an upload folder)",
    ] {
        assert!(has(code), "exit code {code:?}:\n{page}");
    }
}

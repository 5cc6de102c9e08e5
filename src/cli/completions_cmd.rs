//! `mnepack completions SHELL` and `mnepack man`: the shell completion
//! scripts (clap_complete) and the manual page (clap_mangen), both made
//! from the same clap grammar as the parser, printed on stdout.

use std::io::Write;

use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use super::args::{CompletionsArgs, command};
use super::{Exit, render};

/// Prints the completion script of `args.shell`.
pub fn completions(args: &CompletionsArgs) -> Exit {
    let mut cmd = command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "mnepack", &mut out);
    print_bytes(&out)
}

/// Prints the manual page.
pub fn man() -> Exit {
    match man_page() {
        Ok(page) => print_bytes(&page),
        Err(e) => {
            eprintln!("mnepack: cannot write the man page: {e}");
            Exit::Error
        }
    }
}

fn print_bytes(bytes: &[u8]) -> Exit {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => Exit::Ok,
        // A closed pipe (`| head`) is the reader's choice, not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Exit::Ok,
        Err(e) => {
            eprintln!("mnepack: cannot write to stdout: {e}");
            Exit::Error
        }
    }
}

/// The roff text of `mnepack(1)`: name, synopsis, description, options,
/// then every command with its synopsis and options, the exit codes and
/// the version.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let mut cmd = command();
    cmd.build();
    let man = Man::new(cmd.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    let mut roff = Roff::new();
    roff.control("SH", [render::MAN_COMMANDS]);
    roff.to_writer(&mut out)?;
    // clap's own `help` command is left out, as clap_mangen does.
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        let name = sub.get_bin_name().unwrap_or_else(|| sub.get_name());
        let mut roff = Roff::new();
        roff.control("SS", [name]);
        if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
            roff.text([roman(about.to_string())]);
        }
        roff.control("PP", []);
        roff.to_writer(&mut out)?;
        let page = Man::new(sub.clone());
        let mut part = Vec::new();
        page.render_synopsis_section(&mut part)?;
        page.render_options_section(&mut part)?;
        out.extend(without_headings(&part));
    }
    let mut roff = Roff::new();
    roff.control("SH", [render::MAN_EXIT_STATUS]);
    for (code, meaning) in render::EXIT_CODES {
        roff.control("TP", []);
        roff.text([bold((code as u8).to_string())]);
        roff.text([roman(meaning)]);
    }
    roff.to_writer(&mut out)?;
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// `roff` without its `.SH` lines: a command's synopsis and options go
/// under its own `.SS` heading. (roff escapes a text line that starts with
/// a dot, so only control lines start with `.SH`.)
fn without_headings(roff: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(roff);
    let mut out = String::with_capacity(text.len());
    for line in text.lines().filter(|l| !l.starts_with(".SH")) {
        out.push_str(line);
        out.push('\n');
    }
    out.into_bytes()
}

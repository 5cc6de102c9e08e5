//! The command line: argument parsing (clap), the exit-code table, and the
//! dispatch to one library call per subcommand. Rendering lives in
//! `render.rs`; every user-facing string of the CLI sits in those two files.

mod args;
mod completions_cmd;
mod demo_cmd;
pub mod init_cmd;
mod pack_cmd;
mod probe_cmd;
pub mod progress_ui;
pub mod render;
mod report_cmd;
mod season_cmd;
mod season_render;
mod signals;
#[cfg(feature = "tui")]
mod tui_cmd;
mod verify_cmd;

use std::process::ExitCode;

use clap::FromArgMatches;
use serde::Serialize;

use crate::progress::Cancel;

pub use args::{Cli, Command};

/// The exit codes of every command, in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Exit {
    /// Done, nothing wrong.
    Ok = 0,
    /// QC errors blocked the package, verify found a difference, or a file could not be read.
    Problems = 1,
    /// Usage, job or I/O error: nothing was done.
    Error = 2,
    /// Interrupted by Ctrl-C or SIGTERM.
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// Parses the process arguments and runs the command.
pub fn main() -> ExitCode {
    let parsed = args::command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m).map_err(|e| e.format(&mut args::command())));
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                Exit::Error
            } else {
                Exit::Ok
            };
            let _ = e.print();
            return code.into();
        }
    };
    run(cli).into()
}

/// Runs a parsed command line and returns its exit code.
pub fn run(cli: Cli) -> Exit {
    let cancel = Cancel::new();
    let wizard = matches!(cli.command, Some(Command::Tui(_)) | None);
    signals::watch(&cancel, wizard);
    match cli.command {
        Some(Command::Probe(args)) => probe_cmd::run(&args),
        Some(Command::Verify(args)) => verify_cmd::run(&args, &cancel),
        Some(Command::Report(args)) => report_cmd::run(&args),
        Some(Command::Pack(args)) if crate::season::is_single_job(&args.job.jobs) => {
            pack_cmd::run(&args, &cancel)
        }
        Some(Command::Pack(args)) => season_cmd::run_pack(&args, &cancel),
        Some(Command::Check(args)) if crate::season::is_single_job(&args.job.jobs) => {
            pack_cmd::run_check(&args, &cancel)
        }
        Some(Command::Check(args)) => season_cmd::run_check(&args, &cancel),
        Some(Command::Demo(args)) => demo_cmd::run(&args),
        Some(Command::Init(args)) => init_cmd::run(&args),
        Some(Command::Tui(args)) => tui(&args, &cancel),
        Some(Command::Completions(args)) => completions_cmd::completions(&args),
        Some(Command::Man) => completions_cmd::man(),
        None => {
            if std::io::IsTerminal::is_terminal(&std::io::stdout())
                && std::io::IsTerminal::is_terminal(&std::io::stdin())
                && cfg!(feature = "tui")
            {
                tui(
                    &args::TuiArgs {
                        dir: None,
                        job: None,
                        keys: None,
                    },
                    &cancel,
                )
            } else {
                eprintln!("{}", render::NO_COMMAND);
                Exit::Error
            }
        }
    }
}

#[cfg(feature = "tui")]
fn tui(args: &args::TuiArgs, cancel: &Cancel) -> Exit {
    tui_cmd::run(args, cancel)
}

#[cfg(not(feature = "tui"))]
fn tui(_args: &args::TuiArgs, _cancel: &Cancel) -> Exit {
    eprintln!("mnepack: this build has no TUI (built without the `tui` feature); use check/pack");
    Exit::Error
}

/// Prints a "cannot go on" error and returns its exit code.
pub(crate) fn fail(e: &crate::Error) -> Exit {
    if let crate::Error::Interrupted = e {
        eprintln!("mnepack: {}", render::INTERRUPTED);
        Exit::Interrupted
    } else {
        eprintln!("mnepack: {e}");
        Exit::Error
    }
}

/// Prints one JSON document on stdout.
pub(crate) fn print_json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("mnepack: cannot write JSON: {e}"),
    }
}

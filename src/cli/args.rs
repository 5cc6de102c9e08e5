//! The command-line grammar (clap derive): subcommands and their flags.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Pack, check and verify Netflix Music & Effects deliveries.
#[derive(Debug, Parser)]
#[command(name = "mnepack", version, about, long_about = None)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Header facts of media files (WAV/RF64/BW64, QuickTime, MXF).
    Probe(ProbeArgs),
}

/// `mnepack probe FILE...`
#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// Files to probe.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Frame rate for start timecodes (23.976, 24, 25, 29.97, 29.97df...).
    #[arg(long, default_value = "24")]
    pub fps: String,
    /// Print one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

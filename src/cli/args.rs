//! The command-line grammar (clap derive): subcommands and their flags.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

/// Pack, check and verify Netflix Music & Effects deliveries.
#[derive(Debug, Parser)]
#[command(
    name = "mnepack",
    version,
    about,
    long_about = None,
    subcommand_value_name = "COMMAND"
)]
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
    /// QC only: probe, measure and check a job's sources; writes nothing.
    Check(CheckArgs),
    /// Build a delivery from a job file.
    Pack(PackArgs),
    /// Re-hash a delivery against its manifest.
    Verify(VerifyArgs),
    /// Write a delivery's HTML report again from its manifest, or print its email.
    Report(ReportArgs),
    /// Write a small demo stage folder and its job file.
    Demo(DemoArgs),
    /// Guess the roles of a stage folder's media and write a job file.
    Init(InitArgs),
    /// The interactive wizard (also what `mnepack` alone opens on a terminal).
    Tui(TuiArgs),
    /// Print a shell completion script on stdout.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) on stdout.
    Man,
}

/// The whole grammar as a clap `Command`, with the exit codes after
/// `--help`: what parsing, the completion scripts and the man page share.
pub fn command() -> clap::Command {
    Cli::command().after_long_help(super::render::exit_codes_help())
}

/// `mnepack completions SHELL`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `mnepack probe FILE...`
#[derive(Debug, Args)]
pub struct ProbeArgs {
    /// Files to probe.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Frame rate assumed for audio start timecodes (23.976, 24, 25, 29.97,
    /// 29.97df...); a movie's timecode keeps the movie's own rate.
    #[arg(long, default_value = "24")]
    pub fps: String,
    /// Print one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
}

/// How delivered files get their bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LinkArg {
    /// Reflink, else hardlink on the same filesystem when the profile allows, else copy.
    Auto,
    /// Always copy.
    Copy,
    /// Hard links to the sources (same filesystem only).
    Hardlink,
    /// Copy-on-write clones (Btrfs, XFS).
    Reflink,
}

/// Options shared by commands that read a job.
#[derive(Debug, Args)]
pub struct JobArgs {
    /// The job file (YAML); or a season file, or several job files: each
    /// episode in turn, and a table at the end.
    #[arg(required = true, value_name = "JOB")]
    pub jobs: Vec<PathBuf>,
    /// A profile YAML that replaces the job's profile.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Print one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
    /// Print only each QC error, a count of warnings and the last line; no
    /// progress (a note about a resume or kept files still goes to stderr).
    #[arg(long, short)]
    pub quiet: bool,
    /// With several episodes: stop after the first that fails (by default
    /// every episode runs and the worst result is the exit code).
    #[arg(long)]
    pub fail_fast: bool,
}

/// `mnepack check JOB`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Job, profile and output options.
    #[command(flatten)]
    pub job: JobArgs,
    /// Also write the QC report (the delivery report's page, for a run
    /// that delivers nothing) to FILE.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

/// `mnepack pack JOB`
#[derive(Debug, Args)]
#[allow(clippy::struct_excessive_bools)] // each bool is a switch the user types
pub struct PackArgs {
    /// Job, profile and output options.
    #[command(flatten)]
    pub job: JobArgs,
    /// Folder that receives the delivery root (overrides the job's `output`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the plan and exit without writing anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Skip the read-back verification of every delivered file.
    #[arg(long)]
    pub no_verify: bool,
    /// Deliver even when QC finds errors (recorded in the manifest).
    #[arg(long)]
    pub force: bool,
    /// The manifest of the last delivery: pack a redelivery (overrides the job's `previous`).
    #[arg(long, value_name = "MANIFEST")]
    pub previous: Option<PathBuf>,
    /// Copy, hardlink, reflink, or auto.
    #[arg(long, value_enum, default_value = "copy")]
    pub link: LinkArg,
    /// Also compute MD5 and list it in the manifest and the MHL (slower;
    /// the profile's `hashes.md5` turns it on for every pack).
    #[arg(long)]
    pub md5: bool,
    /// With several episodes: pack N at once (default 1, one after
    /// another: one disk is fastest read in turn; more helps when the
    /// episodes sit on different disks).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub parallel: usize,
}

/// `mnepack verify ROOT|MANIFEST`
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A delivery root folder or its `.yaml` manifest; or season or job
    /// files: the latest delivery of each of their episodes.
    #[arg(required = true, value_name = "TARGET")]
    pub targets: Vec<PathBuf>,
    /// Also recompute MD5 where the manifest records it (slower; SHA-256
    /// and xxHash64 already prove the bytes).
    #[arg(long)]
    pub md5: bool,
    /// Print one JSON document on stdout.
    #[arg(long)]
    pub json: bool,
    /// No progress on stderr.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `mnepack report ROOT|MANIFEST`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// A delivery root folder or its `.yaml` manifest.
    pub target: PathBuf,
    /// Print the plain-text email for the studio instead of writing the page.
    #[arg(long)]
    pub text: bool,
    /// Where to write the page (default: `<root>/<root>.html`).
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The profile whose limits the plots draw, when the manifest's is not built in.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
}

/// `mnepack demo [DIR]`
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Folder to create (must not exist or be empty).
    #[arg(default_value = "demo-stage")]
    pub dir: PathBuf,
}

/// `mnepack init DIR [-o FILE]`
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The stage folder to scan.
    pub dir: PathBuf,
    /// The job file to write (default DIR/job.yaml; never overwritten).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `mnepack tui [DIR] [--job FILE] [--keys FILE]`
#[derive(Debug, Args)]
pub struct TuiArgs {
    /// The folder to browse for sources (default: the current folder).
    pub dir: Option<PathBuf>,
    /// A job file to pre-fill the wizard from.
    #[arg(long, value_name = "FILE")]
    pub job: Option<PathBuf>,
    /// A YAML key map that overrides the default bindings (`action: [keys]`).
    #[arg(long, value_name = "FILE")]
    pub keys: Option<PathBuf>,
}

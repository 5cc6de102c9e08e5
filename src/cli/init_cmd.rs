//! `mnepack init DIR [-o FILE]`: scan a stage folder ([`crate::scan`]),
//! guess every role ([`crate::guess`]) and write a first job file (never
//! over an existing file). A folder of several sessions, each with its own
//! set, gets a list of them instead of a job that would mix episodes.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::Local;

use super::args::InitArgs;
use super::{Exit, render};
use crate::guess::{Session, draft_job, sessions};
use crate::job::Unit;

/// What a scan of DIR gives `init`: one job's text, or the sessions found
/// (so nothing is guessed across them).
pub enum Drafted {
    /// The job file's text.
    Job(String),
    /// Several stage folders, each with its own set.
    Sessions(Vec<Session>),
}

/// The job file's text for a stage folder (or the sessions it holds);
/// `base_dir` is the job file's folder.
pub fn job_text(dir: &Path, base_dir: &Path) -> crate::Result<Drafted> {
    let title = fs::canonicalize(dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .unwrap_or_else(|| "untitled".to_string());
    let unit = Unit::parse("lp").map_err(crate::Refusal::Other)?;
    let found = sessions(&crate::scan::candidates(dir));
    if found.len() > 1 {
        return Ok(Drafted::Sessions(found));
    }
    let files = found
        .into_iter()
        .next()
        .map(|s| s.files)
        .unwrap_or_default();
    let output = crate::scan::default_output(dir);
    let job = draft_job(
        &title,
        unit,
        &files,
        base_dir,
        &output,
        Local::now().date_naive(),
    );
    Ok(Drafted::Job(format!(
        "# mnepack job written by `mnepack init` from {}.\n\
         # Check the title, unit (s##e##, r## or lp), frame rate and every role,\n\
         # then: mnepack pack <this file>\n{}",
        dir.display(),
        job.to_yaml()
    )))
}

/// Runs `init`.
pub fn run(args: &InitArgs) -> Exit {
    if !args.dir.is_dir() {
        eprintln!("mnepack: {}: not a folder", args.dir.display());
        return Exit::Error;
    }
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| args.dir.join("job.yaml"));
    let base = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let base = fs::canonicalize(&base).unwrap_or(base);
    let text = match job_text(&args.dir, &base) {
        Ok(Drafted::Job(t)) => t,
        Ok(Drafted::Sessions(found)) => {
            eprint!("{}", render::init_sessions(&args.dir, &found));
            return Exit::Error;
        }
        Err(e) => return super::fail(&e),
    };
    // create_new: refuses an existing file, even one created meanwhile.
    let file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&out);
    match file.and_then(|mut f| f.write_all(text.as_bytes())) {
        Ok(()) => {
            println!("job file written: {}", out.display());
            println!("check it, then: mnepack pack {}", out.display());
            Exit::Ok
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "mnepack: {} already exists; init never overwrites a job file (use -o FILE)",
                out.display()
            );
            Exit::Error
        }
        Err(e) => super::fail(&crate::Error::io("cannot write", &out, e)),
    }
}

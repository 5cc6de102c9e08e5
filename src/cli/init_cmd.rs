//! `mnepack init DIR [-o FILE]`: scan a stage folder, probe its media,
//! guess every role ([`crate::guess`]) and write a first job file (never
//! over an existing file).

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::Local;

use super::Exit;
use super::args::InitArgs;
use crate::guess::{Candidate, draft_job, is_debris, is_media_name};
use crate::job::Unit;
use crate::probe::probe_path;

/// Every media file under `dir` (hidden files, AppleDouble and `.DS_Store`
/// skipped, hidden folders not entered), probed; unreadable ones carry no facts.
pub fn scan(dir: &Path) -> Vec<Candidate> {
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_debris(&e.file_name().to_string_lossy()));
    walker
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && is_media_name(&e.file_name().to_string_lossy()))
        .map(|e| Candidate {
            media: probe_path(e.path()).ok().map(|p| p.media),
            path: e.path().to_path_buf(),
        })
        .collect()
}

/// The job file's text for a stage folder.
pub fn job_text(dir: &Path, base_dir: &Path) -> crate::Result<String> {
    let title = fs::canonicalize(dir)
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|t| t.chars().any(char::is_alphanumeric))
        .unwrap_or_else(|| "untitled".to_string());
    let unit = Unit::parse("lp").map_err(crate::Error::Refused)?;
    let files = scan(dir);
    let job = draft_job(&title, unit, &files, base_dir, Local::now().date_naive());
    Ok(format!(
        "# mnepack job written by `mnepack init` from {}.\n\
         # Check the title, unit (s##e##, r## or lp), frame rate and every role,\n\
         # then: mnepack pack <this file>\n{}",
        dir.display(),
        job.to_yaml()
    ))
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
        Ok(t) => t,
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

//! `mnepack init DIR [-o FILE]`: scan a stage folder ([`crate::scan`]),
//! guess every role ([`crate::guess`]) and write a first job file (never
//! over an existing file). A season folder (one stage folder per episode,
//! or one folder whose file names carry the episode) gets a season file,
//! each episode's roles guessed on its own files, and the list of what
//! could not be placed. A folder of several sessions whose episodes cannot
//! be told gets a list of them instead of a job that would mix episodes.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use chrono::Local;

use super::args::InitArgs;
use super::{Exit, render};
use crate::guess::{SeasonFiles, Session, draft_job, season_files, sessions};
use crate::job::Unit;

/// What a scan of DIR gives `init`: one job's text, or the sessions found
/// (so nothing is guessed across them).
pub enum Drafted {
    /// The job file's text.
    Job(String),
    /// Several stage folders, each with its own set.
    Sessions(Vec<Session>),
    /// A season file's text, its episodes and what no episode took.
    Season {
        /// The season file's text.
        text: String,
        /// The units found, in order.
        units: Vec<String>,
        /// Folders or files no episode took.
        unplaced: Vec<PathBuf>,
    },
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
    let root = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let candidates = crate::scan::candidates(&root);
    if let Some(season) = season_files(&root, &candidates) {
        return Ok(season_text(&title, &root, base_dir, season));
    }
    let found = sessions(&candidates);
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

/// The season file of `season`'s episodes, each drafted as a job is.
fn season_text(title: &str, dir: &Path, base_dir: &Path, season: SeasonFiles) -> Drafted {
    let output = crate::scan::default_output(dir);
    let today = Local::now().date_naive();
    let jobs: Vec<crate::job::Job> = season
        .episodes
        .iter()
        .map(|e| draft_job(title, e.unit.clone(), &e.files, base_dir, &output, today))
        .collect();
    let units = jobs.iter().map(|j| j.unit.to_string()).collect();
    Drafted::Season {
        text: format!(
            "# mnepack season written by `mnepack init` from {}.\n\
             # Check the title, frame rate, every episode's unit and roles,\n\
             # then: mnepack check <this file>, and mnepack pack <this file>\n{}",
            dir.display(),
            crate::job::season::to_yaml(&jobs, base_dir)
        ),
        units,
        unplaced: season.unplaced,
    }
}

/// Runs `init`.
pub fn run(args: &InitArgs) -> Exit {
    if !args.dir.is_dir() {
        eprintln!("mnepack: {}: not a folder", args.dir.display());
        return Exit::Error;
    }
    let base = args.output.as_deref().map_or_else(
        || args.dir.clone(),
        |o| {
            o.parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
        },
    );
    let base = fs::canonicalize(&base).unwrap_or(base);
    let named = |default: &str| {
        args.output
            .clone()
            .unwrap_or_else(|| args.dir.join(default))
    };
    let (out, text, season) = match job_text(&args.dir, &base) {
        Ok(Drafted::Job(t)) => (named("job.yaml"), t, None),
        Ok(Drafted::Season {
            text,
            units,
            unplaced,
        }) => (named("season.yaml"), text, Some((units, unplaced))),
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
            if let Some((units, unplaced)) = season {
                print!("{}", render::init_season(&out, &units, &unplaced));
            } else {
                println!("job file written: {}", out.display());
                println!("check it, then: mnepack pack {}", out.display());
            }
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

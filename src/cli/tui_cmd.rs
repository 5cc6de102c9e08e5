//! `mnepack tui [DIR] [--job FILE] [--keys FILE]`: refuse without a
//! terminal, load the job and key map, then run the wizard.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use chrono::Local;

use super::Exit;
use super::args::TuiArgs;
use crate::tui::app::App;
use crate::tui::app::SeasonView;
use crate::tui::keymap::KeyMap;
use crate::tui::strings;

/// The largest key-map file read (a full one is about 2 KiB).
const MAX_KEYMAP_BYTES: u64 = 1 << 20;

/// The key map: `--keys FILE`, else the user's config file when present.
fn keymap(explicit: Option<&Path>) -> Result<KeyMap, String> {
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .map(|c| c.join("mnepack").join("keys.yaml"));
    let file = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => config.filter(|p| p.is_file()),
    };
    match file {
        Some(p) => {
            let text = crate::input::read_text(&p, MAX_KEYMAP_BYTES)
                .map_err(|e| format!("{}: {e}", p.display()))?;
            KeyMap::default()
                .with_overrides(&text)
                .map_err(|e| format!("{}: {e}", p.display()))
        }
        None => Ok(KeyMap::default()),
    }
}

/// The season the wizard opens on, when there is one: `--job` naming a
/// season file, a folder holding `season.yaml`, or a folder laid out as a
/// season (a stage folder per episode, or episode numbers in the names),
/// guessed as `mnepack init` would; with the folder to browse.
fn season_of(
    args: &TuiArgs,
    today: chrono::NaiveDate,
) -> crate::Result<Option<(SeasonView, PathBuf)>> {
    use crate::job::season;
    let is_season = |p: &Path| {
        crate::input::read_text(p, crate::job::MAX_JOB_BYTES)
            .is_ok_and(|t| season::is_season_text(&t))
    };
    let load = |file: PathBuf| -> crate::Result<Option<(SeasonView, PathBuf)>> {
        let jobs = season::load(&file, today)?
            .into_iter()
            .map(|e| e.job)
            .collect();
        let root = file
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        Ok(Some((SeasonView::new(file, false, jobs), root)))
    };
    if let Some(p) = &args.job {
        let file =
            crate::pack::fsops::absolute(p).map_err(|e| crate::Error::io("cannot read", p, e))?;
        return if is_season(&file) {
            load(file)
        } else {
            Ok(None)
        };
    }
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    let root = std::fs::canonicalize(&dir).unwrap_or(dir);
    let file = root.join("season.yaml");
    if file.is_file() && is_season(&file) {
        return load(file);
    }
    match super::init_cmd::job_text(&root, &root)? {
        super::init_cmd::Drafted::Season { text, .. } => {
            let jobs = season::from_yaml(&text, &root, today)?
                .into_iter()
                .map(|e| e.job)
                .collect();
            Ok(Some((SeasonView::new(file, true, jobs), root)))
        }
        _ => Ok(None),
    }
}

/// Runs `tui`.
pub fn run(args: &TuiArgs, cancel: &crate::progress::Cancel) -> Exit {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        eprintln!("{}", strings::NO_TTY);
        return Exit::Error;
    }
    let today = Local::now().date_naive();
    let keys = match keymap(args.keys.as_deref()) {
        Ok(k) => k,
        Err(e) => {
            eprintln!("mnepack: {e}");
            return Exit::Error;
        }
    };
    // Absolute, as `pack` loads it: the job's sources then match the
    // scanned (canonical) files, so their roles show.
    let season = match season_of(args, today) {
        Ok(s) => s,
        Err(e) => return super::fail(&e),
    };
    let job = match &args.job {
        Some(_) if season.is_some() => None,
        // Read exactly as `pack` reads it: the same library call.
        Some(p) => match crate::pack::flow::load(p, None, today) {
            // Saving goes back to the same file, named absolutely.
            Ok((j, _)) => Some((
                crate::pack::fsops::absolute(p).unwrap_or_else(|_| p.clone()),
                j,
            )),
            Err(e) => return super::fail(&e),
        },
        None => None,
    };
    let dir = args
        .dir
        .clone()
        .or_else(|| job.as_ref().map(|(_, j)| j.base_dir.clone()))
        .unwrap_or_else(|| PathBuf::from("."));
    let root = std::fs::canonicalize(&dir).unwrap_or(dir);
    let loaded = job.is_some();
    let mut app = match season {
        Some((view, season_root)) => App::for_season(&season_root, view, today, keys),
        None => App::new(&root, job, today, keys),
    };
    if !loaded {
        // Where `pack` accepts it: beside a stage folder that holds media.
        app.form.output = crate::scan::default_output(&root).display().to_string();
    }
    app.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    match crate::tui::run_terminal(&mut app, cancel) {
        // A signal or a closed terminal: say what a stopped pack kept.
        Ok(()) if app.hung_up => {
            eprintln!("{}", strings::HUNG_UP);
            if let Some(e) = &app.pack.error {
                eprintln!("{e}");
            }
            Exit::Interrupted
        }
        Ok(()) => Exit::Ok,
        Err(e) => {
            eprintln!("mnepack: the terminal failed: {e}");
            Exit::Error
        }
    }
}

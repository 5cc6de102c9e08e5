//! `mnepack probe`: header facts of each file, as text blocks or JSON.
//!
//! Text: one block per file on stdout. `--json`: one JSON array on stdout,
//! one item per file: `{path, ok: true, facts, start_timecode,
//! start_timecode_fps, start_timecode_fps_source}` or `{path, ok: false,
//! error}`. A movie's start timecode is counted at its own rate (source
//! `movie`); an audio file's bext time reference is a sample count, turned
//! into a timecode at the rate `--fps` assumes (source `--fps`). Unreadable files are also named on stderr.
//! Exit 0 when every file was read, 1 when some could not be, 2 for a bad `--fps`.

use serde_json::{Value, json};

use super::Exit;
use super::args::ProbeArgs;
use super::render;
use crate::probe::probe_path;
use crate::timecode::FrameRate;

/// Runs `probe`.
pub fn run(args: &ProbeArgs) -> Exit {
    let Some(rate) = FrameRate::parse(&args.fps) else {
        eprintln!("{}", render::bad_fps(&args.fps));
        return Exit::Error;
    };
    let mut failed = false;
    let mut items: Vec<Value> = Vec::new();
    for path in &args.files {
        match probe_path(path) {
            Ok(p) => {
                if args.json {
                    let tc = render::start_timecode(&p, rate);
                    items.push(json!({
                        "path": path.display().to_string(),
                        "ok": true,
                        "facts": p,
                        "start_timecode": tc.timecode,
                        "start_timecode_fps": tc.fps,
                        "start_timecode_fps_source": tc.fps_source,
                    }));
                } else {
                    println!("{}", render::probe_block(&p, rate));
                }
            }
            Err(e) => {
                failed = true;
                eprintln!("{}", render::probe_error(path, &e));
                if args.json {
                    items.push(json!({
                        "path": path.display().to_string(),
                        "ok": false,
                        "error": e.to_string(),
                    }));
                }
            }
        }
    }
    if args.json {
        match serde_json::to_string_pretty(&items) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("mnepack: cannot write JSON: {e}");
                return Exit::Error;
            }
        }
    }
    if failed { Exit::Problems } else { Exit::Ok }
}

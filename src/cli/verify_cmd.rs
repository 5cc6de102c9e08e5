//! `mnepack verify ROOT|MANIFEST`: re-hash a delivery against its manifest.

use super::Exit;
use super::args::VerifyArgs;
use super::progress_ui::Progress;
use super::render;
use crate::progress::Cancel;
use crate::verify::{VerifyOptions, verify_with};

/// Runs `verify`: exit 0 clean, 1 differences, 2 cannot verify, 130 interrupted.
pub fn run(args: &VerifyArgs, cancel: &Cancel) -> Exit {
    let today = chrono::Local::now().date_naive();
    let target = match args.targets.as_slice() {
        [one] if !crate::season::names_episodes(one, today) => one,
        _ => return super::season_cmd::run_verify(args, cancel),
    };
    let mut progress = Progress::for_stderr(args.quiet);
    let opts = VerifyOptions { md5: args.md5 };
    let report = match verify_with(target, opts, &mut progress, cancel) {
        Ok(r) => r,
        Err(e) => return super::fail(&e),
    };
    if args.json {
        super::print_json(&report);
    } else {
        print!("{}", render::verify_report(&report));
    }
    if report.is_clean() {
        Exit::Ok
    } else {
        Exit::Problems
    }
}

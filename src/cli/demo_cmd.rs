//! `mnepack demo [DIR]`: write a demo stage folder and its job file.

use super::args::DemoArgs;
use super::{Exit, render};
use crate::testmedia::demo::write_demo;

/// Runs `demo`.
pub fn run(args: &DemoArgs) -> Exit {
    match write_demo(&args.dir) {
        Ok(stage) => {
            print!("{}", render::demo_done(&stage));
            Exit::Ok
        }
        Err(e) => {
            eprintln!("mnepack: {}: {e}", args.dir.display());
            Exit::Error
        }
    }
}

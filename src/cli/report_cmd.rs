//! `mnepack report ROOT|MANIFEST`: the delivery's HTML report drawn again
//! from its manifest (written at the root, or `--out`), or its email
//! (`--text`). A manifest edited after it was written is still drawn, and
//! the report says verify would fail.

use super::Exit;
use super::args::ReportArgs;
use crate::error::{Error, Result};
use crate::profile::Profile;
use crate::report::{self, Limits};

/// Runs `report`: exit 0 written or printed, 2 cannot read the delivery.
pub fn run(args: &ReportArgs) -> Exit {
    match report(args) {
        Ok(()) => Exit::Ok,
        Err(e) => super::fail(&e),
    }
}

fn report(args: &ReportArgs) -> Result<()> {
    let (root, yaml) = crate::verify::locate(&args.target)?;
    let (m, ctx) = report::load(&yaml)?;
    if let Some(why) = &ctx.edited {
        eprintln!("mnepack: {}: {why}", report::strings::EDITED);
    }
    if args.text {
        print!("{}", report::text(&m, &ctx));
        return Ok(());
    }
    let profile = match &args.profile {
        Some(p) => Profile::load(p)?,
        None => Profile::builtin(&m.job.profile).map_err(|_| {
            Error::from(crate::Refusal::Other(format!(
                "the manifest's profile {:?} is not built in; name its file with --profile",
                m.job.profile
            )))
        })?,
    };
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| root.join(report::file_name(&m.delivery.root)));
    report::write_page(&m, &ctx, &Limits::from(&profile.qc), &out)?;
    println!("report  {}", out.display());
    Ok(())
}

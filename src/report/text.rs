//! The plain-text email for the studio's post contact: what was delivered
//! to which upload request, which files are new or changed, the QC verdict
//! and how to verify, in the words the report's top uses.

use std::fmt::Write as _;

use super::{Context, base_name, folders, summary};
use crate::manifest::Manifest;

/// The email of a delivery's manifest.
pub fn text(m: &Manifest, ctx: &Context) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Subject: {} {} M&E delivery {:02}: {}",
        m.job.title,
        m.job.unit,
        m.delivery.number,
        super::Verdict::of(m, ctx.qc_only).words().to_lowercase()
    );
    out.push('\n');
    for line in summary(m, ctx) {
        let _ = writeln!(out, "{line}");
    }
    for (folder, files) in folders(m) {
        let _ = writeln!(
            out,
            "\nUpload request {folder} ({} file{}):",
            files.len(),
            if files.len() == 1 { "" } else { "s" }
        );
        for f in files {
            let status = match f.status.as_str() {
                "unchanged" => "same",
                other => other,
            };
            let _ = write!(out, "  {status:<8} {}", base_name(&f.path));
            if let Some(p) = super::renamed_from(f) {
                let _ = write!(out, "  (was {p})");
            }
            out.push('\n');
        }
    }
    if !m.removed.is_empty() {
        let _ = writeln!(
            out,
            "\nNo longer delivered (please delete from the request):"
        );
        for r in &m.removed {
            let _ = writeln!(out, "  {}  ({})", base_name(&r.path), r.reason);
        }
    }
    let serious: Vec<_> = m.findings.iter().filter(|f| f.severity != "info").collect();
    if !serious.is_empty() {
        let _ = writeln!(out, "\nQC errors and warnings:");
        for f in serious {
            let _ = writeln!(out, "  {} [{}] {}", f.severity, f.rule, f.message);
        }
    }
    let _ = writeln!(
        out,
        "\nTo verify the files after download, from the folder that holds {}:",
        m.delivery.root
    );
    for c in crate::manifest::verify_commands(&m.delivery.root, &m.delivery.root) {
        let _ = writeln!(out, "  {c}");
    }
    out
}

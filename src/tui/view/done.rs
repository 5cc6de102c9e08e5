//! Step 5: where the delivery is, each upload folder's file count and size,
//! the verification, what the pack noted (a resume's re-used files), the loudness of every file (named without the prefix
//! all delivered names share), the manifests and the commands to re-verify
//! it.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Theme;
use crate::profile::Severity;
use crate::tui::app::App;
use crate::tui::strings as s;
use crate::tui::text::{bytes, distinct_name, shared_prefix, truncate_middle};

/// The commands that re-verify the delivery at `report.root`.
pub fn commands(r: &crate::pack::flow::PackReport) -> Vec<String> {
    let name = r
        .root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    crate::manifest::verify_commands(&r.root.display().to_string(), &name).to_vec()
}

/// Draws the summary.
pub fn draw(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    let Some(done) = &app.done else { return };
    let r = &done.report;
    let width = area.width as usize;
    let mut lines = vec![Line::from(Span::styled(
        truncate_middle(&format!("delivered  {}", r.root.display()), width),
        t.heading(),
    ))];
    let mut folders: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
    for file in &r.files {
        let folder = file.path.split('/').next().unwrap_or("");
        let entry = folders.entry(folder).or_default();
        entry.0 += 1;
        entry.1 += file.size;
    }
    let list: Vec<String> = folders
        .iter()
        .map(|(name, (n, size))| {
            format!(
                "{name}/ {n} file{} {}",
                if *n == 1 { "" } else { "s" },
                bytes(*size)
            )
        })
        .collect();
    lines.push(Line::raw(truncate_middle(&list.join(" | "), width)));
    if r.verified {
        lines.push(Line::from(Span::styled(
            format!(
                "{} verified: all {} files re-read and matched",
                s::MARK_OK,
                r.files.len()
            ),
            t.ok(),
        )));
    } else {
        lines.push(Line::from(Span::styled(
            format!("{} not verified: files were not re-read", s::MARK_WARN),
            t.warn(),
        )));
    }
    for note in &app.pack.notes {
        lines.push(Line::from(Span::styled(note.clone(), t.dim())));
    }
    let file_name = |path: &str| path.rsplit('/').next().unwrap_or(path).to_string();
    let names: Vec<String> = r.files.iter().map(|f| file_name(&f.path)).collect();
    let common = shared_prefix(names.iter().map(String::as_str));
    for m in &done.measured {
        let (Some(lufs), Some(tp)) = (m.lufs, m.true_peak) else {
            continue;
        };
        lines.push(Line::raw(format!(
            "  {:>6.1} LUFS {:>5.1} dBTP  {}",
            lufs,
            tp,
            distinct_name(&file_name(&m.path), common, width.saturating_sub(27))
        )));
    }
    if let Some(note) = &r.redelivery {
        lines.extend(note.render().lines().map(|l| Line::raw(l.to_string())));
    }
    let notes =
        r.qc.findings
            .iter()
            .filter(|f| f.severity == Severity::Info)
            .count();
    let serious: Vec<_> =
        r.qc.findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .collect();
    if serious.is_empty() {
        lines.push(Line::from(Span::styled(
            format!("{} {}", s::MARK_OK, s::NO_FINDINGS),
            t.ok(),
        )));
    }
    // Errors and warnings in full; the notes (loudness, 2-pops) are counted:
    // they are in the manifest, and listing them would push the
    // re-verify commands off an 80x24 screen.
    for fd in serious {
        let (mark, style) = match fd.severity {
            Severity::Error => (s::MARK_ERROR, t.error()),
            _ => (s::MARK_WARN, t.warn()),
        };
        lines.push(Line::from(Span::styled(
            format!(
                "{mark} [{}] {}  ({})",
                fd.rule,
                fd.message,
                fd.file.rsplit('/').next().unwrap_or(&fd.file)
            ),
            style,
        )));
    }
    if notes > 0 {
        lines.push(Line::from(Span::styled(s::notes_recorded(notes), t.dim())));
    }
    for p in [&r.manifest.yaml, &r.manifest.sha256, &r.manifest.mhl] {
        lines.push(Line::raw(truncate_middle(
            &format!("manifest {}", p.display()),
            width,
        )));
    }
    lines.push(Line::from(Span::styled(
        "re-verify any time with:",
        t.heading(),
    )));
    for c in commands(r) {
        lines.push(Line::raw(format!("  {c}")));
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((app.scroll, 0)),
        area,
    );
}

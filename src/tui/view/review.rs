//! Step 3: the plan as a table (role, source, delivered name, version and
//! status, size), the full name of the selected row, the findings and the
//! target folders.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::Theme;
use crate::pack::flow::Prepared;
use crate::tui::app::{App, EditTarget};
use crate::tui::strings as s;
use crate::tui::text::{bytes, distinct_name, fit, shared_prefix, truncate_middle};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Blocks the package.
    Error,
    /// Worth a look.
    Warning,
}

/// The findings known before packing: the plan's own errors, the QC rules
/// over the headers (`crate::check::header_findings`: errors and warnings;
/// notes are left to `check`), and a previous delivery found.
pub fn findings(app: &App) -> Vec<(Severity, String)> {
    let mut out: Vec<(Severity, String)> = app
        .review
        .error
        .iter()
        .flat_map(|e| {
            e.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
        })
        .map(|l| (Severity::Error, l))
        .collect();
    for f in &app.review.findings {
        let sev = match f.severity {
            crate::profile::Severity::Error => Severity::Error,
            crate::profile::Severity::Warning => Severity::Warning,
            crate::profile::Severity::Info => continue,
        };
        out.push((sev, format!("{} [{}]", f.message, f.rule)));
    }
    if let Some(r) = &app.review.refusal {
        out.extend(
            r.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .enumerate()
                .map(|(i, l)| {
                    let text = if i == 0 {
                        format!("{}{l}", s::REFUSED)
                    } else {
                        l.to_string()
                    };
                    (Severity::Error, text)
                }),
        );
    }
    out
}

/// The redelivery line: which delivery this replaces and how many files
/// are new, changed, unchanged and removed (guesses until the read).
fn redelivery_line(plan: &crate::plan::Plan) -> Option<String> {
    let note = crate::plan::redelivery_note(plan)?;
    let mut line = format!(
        "{}{} as delivery {:02}: {} changed, {} new, {} unchanged, {} removed",
        s::REDELIVERY,
        note.previous_root,
        note.number,
        note.changed.len(),
        note.new.len(),
        note.unchanged.len(),
        note.removed.len()
    );
    if note.provisional {
        line.push_str(s::PROVISIONAL);
    }
    Some(line)
}

/// Draws the review.
pub fn draw(f: &mut Frame, area: Rect, app: &App, t: Theme) {
    let w = area.width as usize;
    let mut lines = Vec::new();
    if app.review.busy {
        lines.push(Line::from(Span::styled(s::PLANNING, t.dim())));
    }
    if let Some(p) = &app.review.prepared {
        lines.extend(plan_lines(app, p, w, t));
    }
    let found = findings(app);
    if found.is_empty() && app.review.prepared.is_some() {
        lines.push(Line::from(Span::styled(
            format!(
                "{} no findings from the headers; the signal is measured while packing",
                s::MARK_OK
            ),
            t.ok(),
        )));
    }
    for (sev, text) in found {
        let (mark, style) = match sev {
            Severity::Error => (s::MARK_ERROR, t.error()),
            Severity::Warning => (s::MARK_WARN, t.warn()),
        };
        lines.push(Line::from(Span::styled(format!("{mark} {text}"), style)));
    }
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

/// The plan: the delivery root, a row per file, the selected file's
/// details, the folders and the redelivery summary.
fn plan_lines(app: &App, p: &Prepared, w: usize, t: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let output = app
        .review
        .job
        .as_ref()
        .map(crate::job::Job::output_dir)
        .unwrap_or_default();
    let root = output.join(&p.plan.root_name);
    lines.push(Line::from(Span::styled(
        truncate_middle(&format!("delivery root  {}", root.display()), w),
        t.heading(),
    )));
    let cols = Columns::fit(w);
    let common = shared_prefix(p.plan.items.iter().map(|i| i.name.as_str()));
    lines.push(Line::from(Span::styled(
        fit(
            &cols.row(
                "  ",
                "ROLE",
                "SOURCE",
                "DELIVERED AS",
                "VER",
                "STATUS",
                "SIZE",
            ),
            w,
        ),
        t.dim(),
    )));
    for (i, item) in p.plan.items.iter().enumerate() {
        let role = match (item.letter, &item.channel) {
            (Some(l), _) => format!("opt {l}"),
            (None, Some(ch)) => format!("{} {ch}", short_role(item.role)),
            (None, None) => short_role(item.role).to_string(),
        };
        let source = item
            .source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let selected = i == app.review.cursor;
        let text = cols.row(
            if selected { "> " } else { "  " },
            &role,
            &source,
            &distinct_name(&item.name, common, cols.name.saturating_sub(1)),
            &format!("v{:02}", item.version),
            status_word(item.status),
            &bytes(item.size),
        );
        lines.push(Line::from(Span::styled(
            fit(&text, w),
            if selected { t.selected() } else { Style::new() },
        )));
    }
    lines.extend(selected_lines(app, p, w, t));
    let folders: Vec<String> = p
        .plan
        .folders
        .iter()
        .map(|fo| {
            format!(
                "{fo}/ ({})",
                p.plan.items.iter().filter(|i| &i.folder == fo).count()
            )
        })
        .collect();
    lines.push(Line::raw(truncate_middle(
        &format!("folders  {}", folders.join("  ")),
        w,
    )));
    if let Some(line) = redelivery_line(&p.plan) {
        lines.push(Line::from(Span::styled(line, t.heading())));
    }
    lines
}

/// The selected file's delivered path, why its status (a redelivery),
/// and its description (being edited, or as it is).
fn selected_lines(app: &App, p: &Prepared, w: usize, t: Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let Some(item) = p.plan.items.get(app.review.cursor) else {
        return lines;
    };
    lines.push(Line::from(Span::styled(
        format!("  {}", item.rel_path()),
        t.dim(),
    )));
    if p.plan.previous.is_some() {
        lines.push(Line::raw(truncate_middle(
            &format!("  {}: {}", item.status.label(), item.status_reason()),
            w,
        )));
    }
    let desc = app
        .edit
        .as_ref()
        .filter(|e| matches!(e.target, EditTarget::Desc(_)));
    if let (Some(d), Some(e)) = (&item.desc, desc) {
        lines.push(Line::raw(format!(
            "  description: {}_  (was {d})",
            e.buffer
        )));
    } else if let Some(d) = &item.desc {
        lines.push(Line::raw(format!("  description: {d}")));
    }
    lines
}

/// The plan table's columns at a width: the delivered name keeps at least
/// [`NAME_MIN`] characters; the source, then the size, then the status
/// give way on a narrow terminal.
#[derive(Debug, Clone, Copy)]
struct Columns {
    source: bool,
    status: bool,
    size: bool,
    name: usize,
}

/// The room a delivered name keeps before other columns give way.
const NAME_MIN: usize = 24;

impl Columns {
    fn fit(w: usize) -> Columns {
        let choices = [
            (true, true, true),
            (false, true, true),
            (false, true, false),
            (false, false, false),
        ];
        let width = |(source, status, size): (bool, bool, bool)| {
            2 + 8 + 4 + usize::from(source) * 18 + usize::from(status) * 9 + usize::from(size) * 10
        };
        let pick = choices
            .into_iter()
            .find(|c| w.saturating_sub(width(*c)) >= NAME_MIN)
            .unwrap_or((false, false, false));
        Columns {
            source: pick.0,
            status: pick.1,
            size: pick.2,
            name: w.saturating_sub(width(pick)).max(8),
        }
    }

    #[allow(clippy::too_many_arguments)] // one argument per column
    fn row(
        self,
        mark: &str,
        role: &str,
        source: &str,
        name: &str,
        ver: &str,
        status: &str,
        size: &str,
    ) -> String {
        let mut out = format!("{mark}{}", fit(role, 8));
        if self.source {
            out.push_str(&fit(source, 17));
            out.push(' ');
        }
        out.push_str(&fit(name, self.name.saturating_sub(1)));
        out.push(' ');
        out.push_str(&fit(ver, 4));
        if self.status {
            out.push_str(&fit(status, 9));
        }
        if self.size {
            out.push_str(&fit(size, 10));
        }
        out
    }
}

/// The status column's word (`same?` and `changed?` are guesses the read
/// settles by SHA-256).
fn status_word(st: crate::plan::ItemStatus) -> &'static str {
    use crate::plan::ItemStatus;
    match st {
        ItemStatus::New => s::STATUS_NEW,
        ItemStatus::Changed => s::STATUS_CHANGED,
        ItemStatus::Unchanged => s::STATUS_SAME,
        ItemStatus::ProbablyUnchanged => s::STATUS_SAME_GUESS,
        ItemStatus::ProbablyChanged => s::STATUS_CHANGED_GUESS,
    }
}

fn short_role(r: crate::job::Role) -> &'static str {
    match r {
        crate::job::Role::ReferenceVideo => s::ROLE_REF,
        crate::job::Role::Mne => s::ROLE_MNE,
        crate::job::Role::Optional => s::ROLE_OPT,
        crate::job::Role::DialogueGuide => s::ROLE_GUIDE,
        crate::job::Role::PrintMaster => s::ROLE_PM,
    }
}

//! Measurements on the pack screen: each audio file's loudness and true
//! peak as soon as it is read, flagged by the profile's QC rules. The rules
//! are the library's own ([`check::signal_findings`]), run over every
//! measurement known so far, so a flag may appear on an earlier file when
//! a later one completes the picture (2-pop alignment). Each measured file's
//! plots are kept too, for Review after a pack that stopped.

use super::app::{App, FileMeasure, Flag};
use super::plot::Plot;
use crate::analysis::Measurements;
use crate::check::{self, Finding};
use crate::profile::Severity;

/// The warnings and errors among `findings` about the file delivered at
/// `rel_path`, worst first, one per rule.
pub fn flags_for(findings: &[Finding], rel_path: &str) -> Vec<Flag> {
    let mut flags: Vec<Flag> = findings
        .iter()
        .filter(|f| f.file == rel_path && f.severity >= Severity::Warning)
        .map(|f| Flag {
            severity: f.severity,
            rule: f.rule,
        })
        .collect();
    flags.sort_by_key(|f| std::cmp::Reverse(f.severity));
    flags.dedup();
    flags
}

impl App {
    /// Records the measurements of the file delivered as `name` and
    /// re-flags every measured file against the profile.
    pub(super) fn measured(&mut self, name: &str, m: Measurements) {
        let row = FileMeasure {
            name: name.to_string(),
            lufs: m.integrated_lufs,
            true_peak: m.max_true_peak_dbtp(),
            flags: Vec::new(),
        };
        match self.pack.measured.iter_mut().find(|r| r.name == name) {
            Some(r) => *r = row,
            None => self.pack.measured.push(row),
        }
        let (Some(job), Some(prepared), Some(profile)) = (
            &self.review.job,
            &self.review.prepared,
            &self.review.profile,
        ) else {
            return;
        };
        let plan = &prepared.plan;
        let Some(index) = plan.items.iter().position(|i| i.name == name) else {
            return;
        };
        let known = &mut self.pack.measurements;
        if known.len() < plan.items.len() {
            known.resize(plan.items.len(), None);
        }
        let plot = Plot::of_item(&plan.items[index], job.frame_rate, &m);
        match self.pack.plots.iter_mut().find(|p| p.name == plot.name) {
            Some(p) => *p = plot,
            None => self.pack.plots.push(plot),
        }
        if let Some(slot) = known.get_mut(index) {
            *slot = Some(m);
        }
        let findings = check::signal_findings(job, profile, plan, known);
        for r in &mut self.pack.measured {
            if let Some(item) = plan.items.iter().find(|i| i.name == r.name) {
                r.flags = flags_for(&findings, &item.rel_path());
            }
        }
    }
}

//! The plots' keys and Done's report key. The plots open from Done (every
//! audio file the manifest measured, the print master first on screen)
//! or from Review on the selected row, when a pack has measured it (a
//! pack QC stopped, or one the user cancelled: Review has no
//! measurements before that); the up and down keys step through the
//! files, Esc closes. The report key writes `<root>.html` again from the
//! manifest on a worker thread; the status line then says where it is.

use super::app::{App, Effect, Screen};
use super::keymap::Action;
use super::plot::{Detail, featured};
use super::strings as s;

impl App {
    /// Opens, steps through or closes the plots.
    pub(super) fn plots_action(&mut self, a: Action) {
        match (a, self.detail.as_mut()) {
            (Action::Close, Some(_)) => self.detail = None,
            (Action::NextFile, Some(d)) => d.step(true),
            (Action::PrevFile, Some(d)) => d.step(false),
            (Action::Plot, None) => self.open_plots(),
            _ => {}
        }
    }

    fn open_plots(&mut self) {
        let detail = match self.screen {
            Screen::Done => self.done.as_ref().and_then(|d| {
                let index = featured(&d.plots).unwrap_or(0);
                (!d.plots.is_empty()).then(|| Detail {
                    plots: d.plots.clone(),
                    index,
                })
            }),
            Screen::Review => self.review_plots(),
            _ => return,
        };
        match detail {
            Some(d) => {
                self.detail = Some(d);
                self.status = None;
            }
            None if self.screen == Screen::Done => self.error(s::NO_PLOTS),
            None => self.error(s::NO_PLOT),
        }
    }

    /// The plots a pack sent of the planned files, in plan order, on the
    /// selected row's file; None when that file has none.
    fn review_plots(&self) -> Option<Detail> {
        let items = &self.review.prepared.as_ref()?.plan.items;
        let selected = items.get(self.review.cursor)?;
        let plots: Vec<_> = items
            .iter()
            .filter_map(|i| self.pack.plots.iter().find(|p| p.name == i.name))
            .cloned()
            .collect();
        let index = plots.iter().position(|p| p.name == selected.name)?;
        Some(Detail { plots, index })
    }

    /// Done's report key: writes the report again from the manifest.
    pub(super) fn report(&mut self) -> Vec<Effect> {
        if self.screen != Screen::Done {
            return Vec::new();
        }
        let Some(done) = &self.done else {
            return Vec::new();
        };
        let r = &done.report;
        let effect = Effect::Report {
            manifest: r.manifest.yaml.clone(),
            out: r.manifest.report.clone(),
            verified: r.verified,
            limits: self
                .review
                .profile
                .as_ref()
                .map(|p| crate::report::Limits::from(&p.qc)),
        };
        self.info(s::REPORT_WRITING);
        vec![effect]
    }
}

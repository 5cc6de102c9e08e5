//! What the wizard plots of one audio file: its short-term loudness over
//! the programme and its true peak per channel, labelled as the report
//! labels them. Built from the manifest on Done (every file `pack`
//! measured) or from the measurements a pack sent while reading (Review,
//! after a pack QC stopped or the user cancelled), so both views draw the
//! same thing the HTML report draws.

use crate::analysis::Measurements;
use crate::manifest::{ConformRecord, ManifestFile};
use crate::plan::PlanItem;
use crate::report::{channel_names, label_of, timecode_seconds};
use crate::timecode::FrameRate;

/// One audio file's plots.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    /// The report's short label (`PM`, `ME`, `OPTB Walla`, `GUIDE L`).
    pub label: String,
    /// The delivered file name (no folder).
    pub name: String,
    /// The print master: its loudness has the profile's target.
    pub print_master: bool,
    /// Start timecode in whole seconds (`series[i]` ends at `start + i + 1`).
    pub start: u64,
    /// Short-term loudness at the end of each second, LUFS (None: the
    /// first 2 s, or below -70).
    pub series: Vec<Option<f64>>,
    /// Channel names (`L R C LFE Ls Rs`), one per true peak.
    pub channels: Vec<String>,
    /// True peak per channel, dBTP (None: a silent channel).
    pub true_peak: Vec<Option<f64>>,
    /// Integrated loudness, LUFS.
    pub integrated: Option<f64>,
    /// Loudness range, LU.
    pub range: Option<f64>,
    /// What the conform comparison found about the file, a line each
    /// (from the manifest; empty before a pack wrote one).
    pub conform: Vec<String>,
}

impl Plot {
    fn new(
        label: String,
        name: &str,
        print_master: bool,
        start: Option<&str>,
        channel: Option<&str>,
        m: &Measurements,
    ) -> Plot {
        Plot {
            label,
            name: name.rsplit('/').next().unwrap_or(name).to_string(),
            print_master,
            start: start.and_then(timecode_seconds).unwrap_or(0),
            series: m.short_term_lufs.clone(),
            channels: channel_names(m.true_peak_dbtp.len(), channel),
            true_peak: m.true_peak_dbtp.clone(),
            integrated: m.integrated_lufs,
            range: m.lra_lu,
            conform: Vec::new(),
        }
    }

    /// The plot of a delivered file, when the manifest has its analysis,
    /// with what the manifest's `conform` records say of it.
    /// The print master's plot also says how it stands against the
    /// movie's sound (`movie`: the delivered movie's path).
    pub fn of_delivered(
        f: &ManifestFile,
        conform: &[ConformRecord],
        movie: Option<&str>,
    ) -> Option<Plot> {
        let mut plot = Plot::of_manifest(f)?;
        plot.conform = conform
            .iter()
            .filter(|r| r.file == f.path)
            .flat_map(crate::tui::strings::plot_conform)
            .collect();
        if plot.print_master {
            plot.conform.extend(
                conform
                    .iter()
                    .filter(|r| Some(r.file.as_str()) == movie)
                    .filter_map(crate::tui::strings::plot_conform_movie),
            );
        }
        Some(plot)
    }

    /// The plot of a delivered file, when the manifest has its analysis.
    pub fn of_manifest(f: &ManifestFile) -> Option<Plot> {
        let m = f.analysis.as_ref()?;
        let label = label_of(
            &f.role,
            f.letter.as_deref(),
            f.desc.as_deref(),
            f.channel.as_deref(),
        );
        let start = f.media.as_ref().and_then(|m| m.start_timecode.as_deref());
        Some(Plot::new(
            label,
            &f.path,
            f.role == "print_master",
            start,
            f.channel.as_deref(),
            m,
        ))
    }

    /// The plot of a planned file as a pack measured it (its start
    /// timecode at the job's frame rate, as the manifest records it).
    pub fn of_item(item: &PlanItem, rate: FrameRate, m: &Measurements) -> Plot {
        let letter = item.letter.map(|c| c.to_string());
        let label = label_of(
            item.role.as_str(),
            letter.as_deref(),
            item.desc.as_deref(),
            item.channel.as_deref(),
        );
        let media = crate::pack::record::media_summary(&item.probed, rate);
        Plot::new(
            label,
            &item.name,
            item.role == crate::job::Role::PrintMaster,
            media.start_timecode.as_deref(),
            item.channel.as_deref(),
            m,
        )
    }

    /// True when there is loudness over time to draw.
    pub fn has_series(&self) -> bool {
        self.series.iter().any(Option::is_some)
    }

    /// The highest true peak of any channel.
    pub fn max_true_peak(&self) -> Option<f64> {
        self.true_peak.iter().flatten().copied().reduce(f64::max)
    }
}

/// The detail view: the plots of the files it can show, and which one.
#[derive(Debug, Clone, PartialEq)]
pub struct Detail {
    /// Every audio file with measurements, in plan order.
    pub plots: Vec<Plot>,
    /// The one on screen.
    pub index: usize,
}

impl Detail {
    /// The plot on screen.
    pub fn current(&self) -> Option<&Plot> {
        self.plots.get(self.index)
    }

    /// Moves to the previous (`forward` false) or next file, wrapping.
    pub fn step(&mut self, forward: bool) {
        let n = self.plots.len();
        if n > 0 {
            self.index = if forward {
                (self.index + 1) % n
            } else {
                (self.index + n - 1) % n
            };
        }
    }
}

/// The file the Done screen plots: the print master, else the first file
/// with loudness over time.
pub fn featured(plots: &[Plot]) -> Option<usize> {
    plots
        .iter()
        .position(|p| p.print_master && p.has_series())
        .or_else(|| plots.iter().position(Plot::has_series))
}

#[cfg(test)]
mod tests {
    use crate::manifest::{At, ConformRecord, StretchRecord};

    fn record(status: &str) -> ConformRecord {
        ConformRecord {
            file: "MnE/x.wav".into(),
            status: status.into(),
            offset_samples: None,
            drift_ppm: None,
            tail_offset_samples: None,
            channels: Vec::new(),
            stretches: Vec::new(),
            dialogue_loudness_lkfs: None,
        }
    }

    #[test]
    fn conform_lines_say_what_was_found_and_only_the_moved_channels() {
        let mut r = record("compared");
        r.offset_samples = Some(4004);
        r.drift_ppm = Some(1000.0);
        r.tail_offset_samples = Some(2880);
        r.channels = vec!["L=R".into(), "R=L".into(), "C=-C".into(), "Ls=Ls".into()];
        r.stretches = vec![StretchRecord {
            rule: "conform.levels".into(),
            at: At {
                start: "01:00:20:00".into(),
                end: "01:00:34:00".into(),
            },
            value: "-3.0 dB".into(),
        }];
        let lines = crate::tui::strings::plot_conform(&r);
        assert_eq!(
            lines,
            vec![
                "conform: +4004 samples against the print master, drift +1000 ppm \
                 (+2880 at the tail), channels L=R R=L C=-C"
                    .to_string(),
                "conform.levels 01:00:20:00 to 01:00:34:00: -3.0 dB".to_string(),
            ]
        );
        r.offset_samples = Some(0);
        r.drift_ppm = None;
        r.channels = vec!["L=L".into()];
        r.stretches.clear();
        assert_eq!(
            crate::tui::strings::plot_conform(&r),
            vec!["conform: in sync with the print master".to_string()]
        );
        let mut movie = record("compared");
        movie.offset_samples = Some(2002);
        assert_eq!(
            crate::tui::strings::plot_conform_movie(&movie).as_deref(),
            Some("conform: -2002 samples against the movie's sound")
        );
        movie.offset_samples = Some(0);
        assert_eq!(
            crate::tui::strings::plot_conform_movie(&movie).as_deref(),
            Some("conform: in sync with the movie's sound")
        );
        let unread = record("not compared: the movie has no sound track");
        assert_eq!(crate::tui::strings::plot_conform_movie(&unread), None);
        let left = record("not compared: its sample rate (44100 Hz) differs");
        assert_eq!(
            crate::tui::strings::plot_conform(&left),
            vec!["conform: not compared: its sample rate (44100 Hz) differs".to_string()]
        );
    }
}

//! The analysis sink of the one-read engine: the audio measurements of
//! the bytes it is fed (wrap it in a `RangeSink` so it sees only `data`),
//! handing the samples it decoded to a [`Tap`] when given one (the conform
//! pass), so they are decoded once.

use std::io;

use super::Sink;
use crate::analysis::{Analyzer, Measurements, Tap};

/// Feeds the analysis (wrap it in a `RangeSink` so it sees only `data`).
pub struct AnalysisSink {
    analyzer: Analyzer,
    tap: Option<Box<dyn Tap + Send>>,
}

impl AnalysisSink {
    /// The analysis alone.
    pub fn new(analyzer: Analyzer) -> Self {
        AnalysisSink {
            analyzer,
            tap: None,
        }
    }

    /// The analysis handing its decoded samples to `tap` too; the tap is
    /// dropped when the stream ends.
    pub fn with_tap(analyzer: Analyzer, tap: Box<dyn Tap + Send>) -> Self {
        AnalysisSink {
            analyzer,
            tap: Some(tap),
        }
    }

    /// The analysis handing its decoded samples to `tap`; the tap alone
    /// (a sink that decodes for itself) when there is no analysis.
    pub fn tapped<T: Tap + Sink + 'static>(
        analyzer: Option<Analyzer>,
        tap: Option<T>,
    ) -> (Option<AnalysisSink>, Option<T>) {
        match (analyzer, tap) {
            (Some(a), Some(t)) => (Some(AnalysisSink::with_tap(a, Box::new(t))), None),
            (a, t) => (a.map(AnalysisSink::new), t),
        }
    }

    /// The measurements of everything fed.
    pub fn measurements(self) -> Measurements {
        self.analyzer.finish()
    }
}

impl Sink for AnalysisSink {
    fn consume(&mut self, block: &[u8]) -> io::Result<()> {
        match self.tap.as_mut() {
            Some(t) => self.analyzer.feed_with(block, Some(&mut **t)),
            None => self.analyzer.feed(block),
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        // Whoever the tap feeds sees the end now, not when the sink goes.
        self.tap = None;
        Ok(())
    }
}

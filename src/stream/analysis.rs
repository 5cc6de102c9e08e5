//! The analysis sink of the one-read engine: the audio measurements of
//! the bytes it is fed (wrap it in a `RangeSink` so it sees only `data`).

use std::io;

use super::Sink;
use crate::analysis::{Analyzer, Measurements};

/// Feeds the analysis (wrap it in a `RangeSink` so it sees only `data`).
pub struct AnalysisSink(pub Analyzer);

impl Sink for AnalysisSink {
    fn consume(&mut self, block: &[u8]) -> io::Result<()> {
        self.0.feed(block);
        Ok(())
    }
}

impl AnalysisSink {
    /// The measurements of everything fed.
    pub fn finish(self) -> Measurements {
        self.0.finish()
    }
}

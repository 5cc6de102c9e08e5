//! Pack: one read of each source feeds hashes, analysis and the write; staging, atomic rename, read-back verify.

pub mod flow;
pub mod fsops;
pub mod lock;
pub mod measure;
pub mod pipeline;
pub mod record;
pub mod run;
pub mod sinks;
pub mod stage;

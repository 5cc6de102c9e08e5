//! Pack: one read of each source feeds hashes, analysis and the write; staging, atomic rename, read-back verify.

pub mod fsops;
pub mod pipeline;
pub mod stage;

//! QC rules (spec B4) through the public API, on plans and measurements
//! built in code (no media files): each rule fired and not fired, the
//! issue's "known defects" package, and a clean package.

mod defects;
mod fixtures;
mod header;
mod signal;

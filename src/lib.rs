//! mnepack: pack, check and verify Netflix Music & Effects deliveries.
//!
//! The pipeline, in order (see `ARCHITECTURE.md`):
//! [`profile`] + [`job`] -> [`probe`] -> [`plan`] (with [`naming`]) -> check ->
//! [`pack`] (one read feeding [`hash`] and [`analysis`]) -> [`manifest`]; and
//! [`verify`] of a delivery root. Only `probe`, `pack`, `verify` and the
//! manifest writer touch the filesystem; the rest are pure functions over
//! plain data.

pub mod analysis;
pub mod check;
pub mod cli;
pub mod conform;
pub mod error;
pub mod guess;
pub mod hash;
pub mod input;
pub mod job;
pub mod manifest;
pub mod naming;
pub mod pack;
pub mod plan;
pub mod probe;
pub mod profile;
pub mod progress;
pub mod report;
pub mod scan;
pub mod season;
pub mod stream;
pub mod testmedia;
pub mod threads;
pub mod timecode;
#[cfg(feature = "tui")]
pub mod tui;
pub mod verify;
pub mod yaml_walk;

pub use error::{Error, Refusal, Result};

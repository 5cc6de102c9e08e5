//! The one integration-test crate: end-to-end checks through the library and
//! the real binary, one module per area.

// The library's functions stay under 80 lines (clippy.toml); a test may be
// one scenario read top to bottom, or a corpus written in one place.
#![allow(clippy::too_many_lines)]

mod analysis;
mod check;
mod common;
mod completions;
mod conform;
mod faults;
mod front_ends;
mod hostile;
mod init;
mod manifest;
mod mount;
mod pack;
mod plan;
mod probe_fps;
mod probe_movie_audio;
mod probe_video;
mod probe_wav;
mod protect;
mod quiet;
mod redeliver;
mod report;
mod resume;
mod season;
mod stops;
mod tui;

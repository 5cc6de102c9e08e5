//! Pack: one read of each source feeds hashes, analysis and the write; staging, atomic rename, read-back verify.

mod at_once;
pub mod flow;
pub mod fsops;
pub mod journal;
pub mod lock;
pub mod measure;
mod movie_sound;
pub mod record;
pub mod request;
pub mod resume;
pub mod run;
pub mod seal;
pub mod stage;
mod steps;
pub mod stop_point;
mod together;

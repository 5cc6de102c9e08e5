//! Pack: one read of each source feeds hashes, analysis and the write;
//! staging, atomic rename, read-back verify. `flow::pack` runs the stages
//! in a straight line: `prepare` -> header rules -> `root` -> `read` ->
//! `gate` -> `seal`.

mod at_once;
pub mod flow;
pub mod fsops;
pub mod gate;
pub mod journal;
pub mod lock;
pub mod measure;
mod movie_sound;
pub mod prepare;
pub mod read;
pub mod record;
pub mod request;
pub mod resume;
pub mod root;
pub mod seal;
pub mod stage;
pub mod stop_point;

pub use request::{PackOptions, Packed, PackedFile, analysis_params};

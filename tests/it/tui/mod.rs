//! The wizard end to end: scripted key journeys through the real event
//! loop (TestBackend) that end with a real delivery on disk, and runs of
//! the real binary under tmux that wait for screen text.

mod first_hour;
mod journey;
mod plots;
mod resize;
mod screen;
mod stage;
mod tmux;

//! `mnepack probe`: header facts of each file, as text blocks or JSON.

use super::Exit;
use super::args::ProbeArgs;

/// Runs `probe`.
pub fn run(_args: &ProbeArgs) -> Exit {
    Exit::Error
}

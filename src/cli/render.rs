//! Text rendering of results for the terminal, and the CLI's fixed strings.

/// Printed when `mnepack` runs with no subcommand and no terminal UI.
pub const NO_COMMAND: &str = "mnepack: no command given; try `mnepack --help`";

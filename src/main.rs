//! The `mnepack` binary: everything lives in the library.

fn main() -> std::process::ExitCode {
    mnepack::cli::main()
}

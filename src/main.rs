//! The `nexo` binary; see the `nexo-cli` crate.

fn main() -> std::process::ExitCode {
    nexo_cli::main()
}

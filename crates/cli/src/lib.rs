//! # nexo-cli
//!
//! The `nexo` command line: parses arguments, sets up the thread pool and
//! wires the readers of `nexo-io` to the network of `nexo-graph`. The binary
//! of the `nexo` package calls [`main`].

mod analyze;
mod args;
mod communities;
mod disrupt;
mod evaluate;
mod explain;
mod generate;
mod keynodes;
mod keyplayers;
mod manifest;
mod measures;
mod outputs;
mod progress;
mod reidentify;
mod report;
mod staging;
mod top;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

/// Runs the command line; the process exit code: 0 done, 2 bad input or
/// usage, 1 internal error.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    if let Some(threads) = cli.threads {
        if threads == 0 {
            eprintln!("error: --threads must be at least 1");
            return ExitCode::from(2);
        }
        if let Err(error) = rayon::ThreadPoolBuilder::new().num_threads(threads).build_global() {
            eprintln!("error: cannot start {threads} threads: {error}");
            return ExitCode::from(1);
        }
    }
    let result = match &cli.command {
        Command::Analyze(args) => analyze::run(args, analyze::Mode::Measure, cli.quiet),
        Command::Disrupt(args) => analyze::run(&args.input, analyze::Mode::Disrupt(&args.removal), cli.quiet),
        Command::Keyplayers(args) => analyze::run(&args.input, analyze::Mode::KeyPlayers(args.k, args.kind), cli.quiet),
        Command::Generate(args) => generate::run(args, cli.quiet),
        Command::Evaluate(args) => evaluate::run(args),
        Command::Top(args) => top::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Reidentify(args) => reidentify::run(args, cli.quiet),
        Command::Schema => {
            print!("{}", nexo_io::schema_markdown());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(exit_code(&error))
        }
    }
}

/// 2 when the input or the options are at fault, 1 otherwise.
fn exit_code(error: &anyhow::Error) -> u8 {
    let bad_input = error.chain().any(|cause| {
        cause.downcast_ref::<nexo_io::Error>().is_some()
            || cause.downcast_ref::<nexo_graph::Error>().is_some()
            || cause.downcast_ref::<nexo_synth::Error>().is_some()
    });
    if bad_input { 2 } else { 1 }
}

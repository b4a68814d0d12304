//! The top of the program: parse the command line, set up the printer, run one command, print
//! any error with its causes, and turn the result into an exit code.

use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;
use crate::commands;
use crate::error::Exit;
use crate::printer::{Level, Printer};

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            let exit = if err.use_stderr() {
                Exit::BadInput
            } else {
                Exit::Success
            };
            return ExitCode::from(exit.code());
        }
    };
    let level = if cli.quiet {
        Level::Quiet
    } else if cli.verbose {
        Level::Verbose
    } else {
        Level::Normal
    };
    let printer = Printer::new(level);
    let exit = match commands::run(cli.command, &printer) {
        Ok(outcome) => outcome.exit(),
        Err(err) => {
            printer.error(&err);
            err.exit()
        }
    };
    ExitCode::from(exit.code())
}

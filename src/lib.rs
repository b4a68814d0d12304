//! dayone: scaffold a machine-learning project that works on day one, then keep it on track.
//!
//! The binary is a thin shell over [`main`]: parse the command line, run one command,
//! print any error with its causes, and turn the result into an exit code.

pub mod answers;
pub mod check;
pub mod cli;
pub mod commands;
pub mod error;
pub mod git;
pub mod printer;
pub mod prompt;
pub mod questions;
pub mod report;
pub mod template;
pub mod write;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;
use crate::printer::{Level, Printer};

/// What a command found, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything is fine: exit 0.
    Clean,
    /// The command ran and found open items or violations: exit 1.
    Findings,
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                error::EXIT_BAD_INPUT
            } else {
                0
            });
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
    match commands::run(cli.command, &printer) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(err) => {
            printer.error(&err);
            ExitCode::from(err.exit_code())
        }
    }
}

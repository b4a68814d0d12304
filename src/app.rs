//! The top of the program: parse the command line, set up the printer, run one command, print
//! any error with its causes, and turn the result into an exit code.

use std::process::ExitCode;

use clap::Parser;

use crate::cli::Cli;
use crate::commands;
use crate::error::{Error, Exit};
use crate::printer::{ColorChoice, Level, Printer};
use crate::write;

pub fn main() -> ExitCode {
    commands::completions::answer_if_asked();
    write::interrupt::install();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(mut err) => {
            crate::cli::suggest_subcommand(&mut err);
            let printed = err.print();
            let exit = match printed {
                // --help or --version that could not be written is a failure, not success.
                Err(source) if source.kind() != std::io::ErrorKind::BrokenPipe => {
                    Printer::new(Level::Normal, ColorChoice::Auto).error(&Error::Stdout { source });
                    Exit::Environment
                }
                _ if err.use_stderr() => Exit::BadInput,
                _ => Exit::Success,
            };
            return ExitCode::from(exit.code());
        }
    };
    let verbosity = cli.verbosity;
    let level = if verbosity.quiet {
        Level::Quiet
    } else if verbosity.verbose {
        Level::Verbose
    } else {
        Level::Normal
    };
    let printer = Printer::new(level, cli.color);
    let mut exit = match commands::run(cli.command, &printer) {
        Ok(outcome) => outcome.exit(),
        Err(err) => {
            printer.error(&err);
            err.exit()
        }
    };
    if let Some(source) = printer.stdout_failure() {
        let err = Error::Stdout { source };
        printer.error(&err);
        exit = err.exit();
    }
    if write::interrupt::came_late() {
        printer.warn("Ctrl-C came after the files were in place, so the run finished");
    }
    ExitCode::from(exit.code())
}

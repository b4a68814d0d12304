//! One file per subcommand; this module only dispatches.

mod check;
mod completions;
mod new;
mod report;
mod templates;

use crate::Outcome;
use crate::cli::Command;
use crate::error::Result;
use crate::printer::Printer;

pub fn run(command: Command, printer: &Printer) -> Result<Outcome> {
    match command {
        Command::New(args) => new::run(args, printer),
        Command::Templates(args) => templates::run(args, printer),
        Command::Check(args) => check::run(args, printer),
        Command::Report(args) => report::run(args, printer),
        Command::Completions(args) => completions::run(args, printer),
    }
}

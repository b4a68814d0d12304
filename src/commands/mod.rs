//! One file per subcommand; this module dispatches and says how a command that did not fail
//! ended. Below here nothing sees the command line's structs.

mod add;
mod check;
pub mod completions;
#[cfg(all(test, unix))]
mod faults;
mod man;
mod new;
mod report;
mod templates;
mod update;

use std::path::Path;

use crate::cli::Command;
use crate::error::{Exit, Result};
use crate::printer::Printer;
use crate::write;

/// What a command found, when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything is fine.
    Clean,
    /// The command ran and found open items or violations.
    Findings,
}

impl Outcome {
    pub fn exit(self) -> Exit {
        match self {
            Outcome::Clean => Exit::Success,
            Outcome::Findings => Exit::Findings,
        }
    }
}

pub fn run(command: Command, printer: &Printer) -> Result<Outcome> {
    match command {
        Command::New(args) => new::run(args, printer),
        Command::Update(args) => update::run(args, printer),
        Command::Add(args) => add::run(args, printer),
        Command::Templates(args) => templates::run(args, printer),
        Command::Check(args) => check::run(args, printer),
        Command::Report(args) => report::run(args, printer),
        Command::Completions(args) => completions::run(args, printer),
        Command::Man => man::run(printer),
    }
}

/// Before a command that writes looks at `dest`: take the lock that keeps other runs out (held
/// until the returned value is dropped), then finish or take back what killed runs left there.
/// A dry run writes nothing, not even that: it says what a real run would recover.
fn claim(dest: &Path, dry_run: bool, printer: &Printer) -> Result<write::Lock> {
    let lock = if dry_run {
        write::Lock::none()
    } else {
        write::Lock::take(dest)?
    };
    for note in write::recover(dest, !dry_run) {
        printer.warn(note);
    }
    Ok(lock)
}

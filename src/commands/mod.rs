//! One file per subcommand; this module dispatches and says how a command that did not fail
//! ended. Below here nothing sees the command line's structs.

mod abort;
mod add;
mod check;
pub mod completions;
mod link;
mod man;
mod new;
mod report;
mod templates;
mod update;

use crate::cli::Command;
use crate::error::{Exit, Result};
use crate::printer::Printer;

/// The version of every `--json` document's shape (its `schema` key), raised when a field
/// changes meaning or goes away; `docs/json.md` describes each shape.
pub const JSON_SCHEMA: u32 = 1;

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
        Command::Link(args) => link::run(args, printer),
        Command::Templates(args) => templates::run(args, printer),
        Command::Check(args) => check::run(args, printer),
        Command::Report(args) => report::run(args, printer),
        Command::Completions(args) => completions::run(args, printer),
        Command::Man => man::run(printer),
    }
}

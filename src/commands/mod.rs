//! One file per subcommand; this module dispatches and says how a command that did not fail
//! ended. Below here nothing sees the command line's structs.

mod abort;
mod add;
mod check;
pub mod completions;
#[cfg(all(test, unix))]
mod faults;
mod link;
mod man;
mod new;
mod report;
mod report_fetch;
mod templates;
mod update;

use std::path::Path;

use crate::cli::{Command, FetchArgs, NetworkArgs};
use crate::error::{Exit, Result};
use crate::printer::Printer;
use crate::project::origin::Wanted;
use crate::template::Template;
use crate::template::fetch::{Fetched, Note, Policy};
use crate::template::reference::Extras;
use crate::write;

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

/// `--refresh` and `--offline` as the fetch's policy.
fn policy(network: &NetworkArgs) -> Policy {
    Policy {
        refresh: network.refresh,
        offline: network.offline,
    }
}

/// `--template` with `--ref`, `--directory`, `--refresh` and `--offline`.
fn wanted<'a>(template: Option<&'a str>, fetch: &'a FetchArgs) -> Wanted<'a> {
    Wanted {
        template,
        extras: Extras {
            reference: fetch.reference.as_deref(),
            directory: fetch.directory.as_deref(),
        },
        policy: policy(&fetch.network),
    }
}

/// Where a template from git came from this time: fetched, or the cache (how old, offline).
fn say_fetched(printer: &Printer, template: &Template) {
    if let Some(fetched) = &template.fetched {
        say_fetch(printer, fetched);
    }
}

fn say_fetch(printer: &Printer, fetched: &Fetched) {
    match fetched.note() {
        Note::Info(line) => printer.info(line),
        Note::Detail(line) => printer.detail(line),
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

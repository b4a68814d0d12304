//! `dayone completions SHELL`: print a completion script generated from the clap definition.

use clap::CommandFactory;
use clap_complete::Shell as Target;

use super::Outcome;
use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::error::Result;
use crate::printer::Printer;

pub fn run(args: CompletionsArgs, printer: &Printer) -> Result<Outcome> {
    let target = match args.shell {
        Shell::Bash => Target::Bash,
        Shell::Zsh => Target::Zsh,
        Shell::Fish => Target::Fish,
        Shell::Powershell => Target::PowerShell,
        Shell::Elvish => Target::Elvish,
    };
    let mut buffer = Vec::new();
    clap_complete::generate(target, &mut Cli::command(), "dayone", &mut buffer);
    printer.data(String::from_utf8_lossy(&buffer));
    Ok(Outcome::Clean)
}

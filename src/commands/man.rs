//! `dayone man`: the manual page, made from the same definition as `--help`. One page holds
//! every command (with its examples and exit codes), so it points to no other page.

use clap::CommandFactory;

use super::Outcome;
use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::printer::Printer;

pub fn run(printer: &Printer) -> Result<Outcome> {
    let command = Cli::command();
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    let write = |err| Error::Stdout { source: err };
    man.render_title(&mut page).map_err(write)?;
    man.render_name_section(&mut page).map_err(write)?;
    man.render_synopsis_section(&mut page).map_err(write)?;
    man.render_description_section(&mut page).map_err(write)?;
    man.render_options_section(&mut page).map_err(write)?;
    let mut text = String::from_utf8_lossy(&page).into_owned();
    text += ".SH COMMANDS\n";
    let mut commands = command;
    commands.build();
    for sub in commands.get_subcommands_mut() {
        section(&mut text, "dayone", sub);
    }
    text += ".SH EXIT STATUS\n.nf\n";
    for exit in crate::error::Exit::ALL {
        text += &roff(&format!("{:>3}  {}\n", exit.code(), exit.meaning()));
    }
    text += ".fi\n";
    let mut version = Vec::new();
    man.render_version_section(&mut version).map_err(write)?;
    text += &String::from_utf8_lossy(&version);
    printer.data(text);
    Ok(Outcome::Clean)
}

/// One command's `--help` as a subsection, then its own subcommands'.
fn section(text: &mut String, parent: &str, command: &mut clap::Command) {
    let name = format!("{parent} {}", command.get_name());
    if name.ends_with(" help") {
        return;
    }
    let help = command
        .clone()
        .bin_name(&name)
        .term_width(78)
        .render_long_help()
        .to_string();
    // The page has one EXIT STATUS section; each command's help repeats the table.
    let help = help.split("\nExit codes:").next().unwrap_or_default();
    *text += &format!(".SS \"{name}\"\n.nf\n{}.fi\n", roff(help));
    for sub in command.get_subcommands_mut() {
        section(text, &name, sub);
    }
}

/// Plain text safe inside roff's no-fill mode: backslashes escaped, and no line read as a
/// request (a leading `.` or `'`).
fn roff(text: &str) -> String {
    text.lines()
        .map(|line| {
            let line = line.replace('\\', "\\e");
            if line.starts_with('.') || line.starts_with('\'') {
                format!("\\&{line}\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect()
}

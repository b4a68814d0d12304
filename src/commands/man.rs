//! `dayone man`: the manual page, made from the same definition as `--help`.

use clap::CommandFactory;

use super::Outcome;
use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::printer::Printer;

pub fn run(printer: &Printer) -> Result<Outcome> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut page)
        .map_err(|source| Error::Stdout { source })?;
    printer.data(String::from_utf8_lossy(&page));
    Ok(Outcome::Clean)
}

//! `dayone report check|html`. (Being built: issue 4.)

use crate::Outcome;
use crate::cli::ReportCommand;
use crate::error::{Error, Result};
use crate::printer::Printer;

pub fn run(_command: ReportCommand, _printer: &Printer) -> Result<Outcome> {
    Err(Error::Usage("`dayone report` is not built yet".into()))
}

//! `dayone check`: the course checklist with evidence. (Being built: issue 5.)

use crate::Outcome;
use crate::cli::CheckArgs;
use crate::error::{Error, Result};
use crate::printer::Printer;

pub fn run(_args: CheckArgs, _printer: &Printer) -> Result<Outcome> {
    Err(Error::Usage("`dayone check` is not built yet".into()))
}

//! `dayone new`.

use crate::Outcome;
use crate::cli::NewArgs;
use crate::error::{Error, Result};
use crate::printer::Printer;

pub fn run(_args: NewArgs, _printer: &Printer) -> Result<Outcome> {
    Err(Error::Usage("`dayone new` is not built yet".into()))
}

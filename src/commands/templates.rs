//! `dayone templates`.

use crate::Outcome;
use crate::cli::TemplatesArgs;
use crate::error::{Error, Result};
use crate::printer::Printer;

pub fn run(_args: TemplatesArgs, _printer: &Printer) -> Result<Outcome> {
    Err(Error::Usage("`dayone templates` is not built yet".into()))
}

//! Asking questions. [`Prompter`] is the seam: the terminal wizard (dialoguer) in real use,
//! [`NoTerminal`] when stdin or stdout is not a terminal or `--yes` is given.

use std::io::IsTerminal;

use dialoguer::{Confirm, Input, MultiSelect, Select};

use crate::error::{Error, Result};
use crate::template::manifest::Variable;
use crate::value::{Value, VarType};

pub trait Prompter {
    /// Can questions be asked at all? When false, `ask` is never called.
    fn is_interactive(&self) -> bool;
    /// Ask one question; the answer returned must pass `var.check`.
    fn ask(&mut self, var: &Variable, default: Option<&Value>) -> Result<Value>;
}

/// Never asks: defaults are taken and missing answers become an error naming `--set`.
pub struct NoTerminal;

impl Prompter for NoTerminal {
    fn is_interactive(&self) -> bool {
        false
    }
    fn ask(&mut self, var: &Variable, _default: Option<&Value>) -> Result<Value> {
        Err(Error::MissingAnswers {
            missing: vec![var.name.clone()],
        })
    }
}

/// The interactive wizard on the user's terminal.
pub struct Terminal {
    theme: dialoguer::theme::ColorfulTheme,
}

impl Terminal {
    /// A terminal prompter when both stdin and stdout are terminals.
    pub fn detect() -> Option<Self> {
        (std::io::stdin().is_terminal() && std::io::stdout().is_terminal()).then(|| Terminal {
            theme: dialoguer::theme::ColorfulTheme::default(),
        })
    }
}

impl Prompter for Terminal {
    fn is_interactive(&self) -> bool {
        true
    }

    fn ask(&mut self, var: &Variable, default: Option<&Value>) -> Result<Value> {
        if let Some(help) = &var.help {
            eprintln!("  {help}");
        }
        let value = match var.var_type {
            VarType::String => {
                let mut input = Input::<String>::with_theme(&self.theme).with_prompt(&var.prompt);
                if let Some(default) = default {
                    input = input.default(default.to_string());
                }
                let rule = var.clone();
                input =
                    input.validate_with(move |text: &String| rule.check(&Value::Str(text.clone())));
                Value::Str(input.interact_text().map_err(prompt_error)?)
            }
            VarType::Bool => {
                let default = matches!(default, Some(Value::Bool(true)));
                let answer = Confirm::with_theme(&self.theme)
                    .with_prompt(&var.prompt)
                    .default(default)
                    .wait_for_newline(true);
                Value::Bool(answer.interact().map_err(prompt_error)?)
            }
            VarType::Choice => {
                let start = default
                    .and_then(|d| var.choices.iter().position(|c| *c == d.to_string()))
                    .unwrap_or(0);
                let select = Select::with_theme(&self.theme)
                    .with_prompt(&var.prompt)
                    .items(&var.choices)
                    .default(start);
                Value::Str(var.choices[select.interact().map_err(prompt_error)?].clone())
            }
            VarType::MultiChoice => {
                let chosen: Vec<bool> = match default {
                    Some(Value::List(items)) => {
                        var.choices.iter().map(|c| items.contains(c)).collect()
                    }
                    _ => vec![false; var.choices.len()],
                };
                let select = MultiSelect::with_theme(&self.theme)
                    .with_prompt(&var.prompt)
                    .items(&var.choices)
                    .defaults(&chosen);
                let picked = select.interact().map_err(prompt_error)?;
                Value::List(picked.into_iter().map(|i| var.choices[i].clone()).collect())
            }
        };
        Ok(value)
    }
}

fn prompt_error(err: dialoguer::Error) -> Error {
    match err {
        dialoguer::Error::IO(io) if io.kind() == std::io::ErrorKind::Interrupted => {
            Error::Interrupted
        }
        dialoguer::Error::IO(io) => Error::Io(io),
    }
}

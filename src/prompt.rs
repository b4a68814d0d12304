//! Asking questions. [`Prompter`] is the seam: the terminal wizard (dialoguer, drawn on stderr)
//! when stdin and stderr are terminals, [`Defaults`] with `--yes`, and [`NoTerminal`] otherwise,
//! which answers nothing, so that the run stops and names what it would have asked.

use std::io::IsTerminal;

use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input, MultiSelect, Select};

use crate::error::{Error, Result};
use crate::template::manifest::Variable;
use crate::value::{Value, VarType};

/// One question as the wizard shows it.
pub struct Question<'a> {
    pub var: &'a Variable,
    pub default: Option<&'a Value>,
    /// For a choice: the choices that fit the answers so far.
    pub choices: &'a [String],
    /// Where the default comes from when it is not the template's own, e.g. `git config user.name`.
    pub default_from: Option<&'a str>,
    /// This question's place among the questions asked, from 1, and how many there are.
    pub number: usize,
    pub total: usize,
}

/// What a prompter made of a question.
pub enum Reply {
    Given(Value),
    /// Take the default (`--yes`).
    TakeDefault,
    /// There is nobody to ask.
    Unanswered,
}

pub trait Prompter {
    /// Whether it shows where a question stands (`[3/17]`); counting what is left costs a pass
    /// over the remaining variables per question, so only the wizard asks for it.
    fn counts(&self) -> bool {
        false
    }

    /// Before the first question: which template asks, and how many questions there are.
    fn intro(&mut self, _template: &str, _version: &str, _total: usize) {}

    /// Answer one question; a given answer must pass `var.check`.
    fn ask(&mut self, question: &Question) -> Result<Reply>;

    /// Show the answers and ask whether to go on; only the wizard asks.
    fn confirm(&mut self, _answers: &[(String, String)]) -> Result<bool> {
        Ok(true)
    }
}

/// `--yes`: every question takes its default.
pub struct Defaults;

impl Prompter for Defaults {
    fn ask(&mut self, _question: &Question) -> Result<Reply> {
        Ok(Reply::TakeDefault)
    }
}

/// No terminal and no `--yes`: nothing is answered, so the caller can name every question.
pub struct NoTerminal;

impl Prompter for NoTerminal {
    fn ask(&mut self, _question: &Question) -> Result<Reply> {
        Ok(Reply::Unanswered)
    }
}

/// The prompter for a run: `--yes` takes defaults; otherwise the wizard when stdin and stderr
/// (where it draws) are terminals, else nobody to ask.
pub fn for_run(yes: bool, color: bool) -> Box<dyn Prompter> {
    if yes {
        return Box::new(Defaults);
    }
    if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        let theme: Box<dyn Theme> = if color {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        };
        return Box::new(Terminal { theme });
    }
    Box::new(NoTerminal)
}

/// The interactive wizard on the user's terminal.
struct Terminal {
    theme: Box<dyn Theme>,
}

impl Prompter for Terminal {
    fn counts(&self) -> bool {
        true
    }

    fn intro(&mut self, template: &str, version: &str, total: usize) {
        eprintln!(
            "Template {template} {version}: {total} question(s). Enter takes the default shown; Ctrl-C cancels."
        );
    }

    fn ask(&mut self, q: &Question) -> Result<Reply> {
        let width = console::Term::stderr().size().1.max(40) as usize;
        let mut notes: Vec<String> = q.var.help.iter().cloned().collect();
        if let Some(from) = q.default_from {
            notes.push(format!("The default comes from {from}."));
        }
        for note in notes {
            for line in textwrap::wrap(&note, width.saturating_sub(4)) {
                eprintln!("  {line}");
            }
        }
        let prompt = format!("[{}/{}] {}", q.number, q.total, q.var.prompt);
        let theme = self.theme.as_ref();
        let value = match q.var.var_type {
            VarType::String => ask_text(theme, prompt, q)?,
            VarType::Bool => {
                let answer = Confirm::with_theme(theme)
                    .with_prompt(format!("{prompt} (y/n)"))
                    .default(matches!(q.default, Some(Value::Bool(true))))
                    .wait_for_newline(true)
                    .interact()
                    .map_err(prompt_error)?;
                Value::Bool(answer)
            }
            VarType::Choice => {
                let start = q
                    .default
                    .and_then(|d| q.choices.iter().position(|c| *c == d.to_string()))
                    .unwrap_or(0);
                let picked = Select::with_theme(theme)
                    .with_prompt(format!("{prompt} (↑/↓ to move, Enter to pick)"))
                    .items(labelled(q.var, q.choices))
                    .default(start)
                    .interact()
                    .map_err(prompt_error)?;
                Value::Str(q.choices[picked].clone())
            }
            VarType::MultiChoice => {
                let chosen: Vec<bool> = match q.default {
                    Some(Value::List(items)) => {
                        q.choices.iter().map(|c| items.contains(c)).collect()
                    }
                    _ => vec![false; q.choices.len()],
                };
                let picked = MultiSelect::with_theme(theme)
                    .with_prompt(format!("{prompt} (Space to toggle, Enter to accept)"))
                    .items(labelled(q.var, q.choices))
                    .defaults(&chosen)
                    .interact()
                    .map_err(prompt_error)?;
                Value::List(picked.into_iter().map(|i| q.choices[i].clone()).collect())
            }
        };
        Ok(Reply::Given(value))
    }

    fn confirm(&mut self, answers: &[(String, String)]) -> Result<bool> {
        eprintln!("\nYour answers:");
        let wide = answers.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        for (name, value) in answers {
            eprintln!("  {name:<wide$}  {value}");
        }
        Confirm::with_theme(self.theme.as_ref())
            .with_prompt("Write the project with these answers? (y/n)")
            .default(true)
            .wait_for_newline(true)
            .interact()
            .map_err(prompt_error)
    }
}

/// A text answer, asked again with the rule's message until it is valid; the input line is
/// redrawn once accepted, so a long wrapped answer leaves only the accepted line behind.
fn ask_text(theme: &dyn Theme, prompt: String, q: &Question) -> Result<Value> {
    let mut input = Input::<String>::with_theme(theme)
        .with_prompt(prompt)
        .report(true);
    if let Some(default) = q.default {
        input = input.default(default.to_string());
    }
    let rule = q.var.clone();
    input = input.validate_with(move |text: &String| rule.check(&Value::Str(text.clone())));
    Ok(Value::Str(input.interact_text().map_err(prompt_error)?))
}

/// Each choice with its label, when the manifest gives one.
fn labelled(var: &Variable, choices: &[String]) -> Vec<String> {
    choices
        .iter()
        .map(|c| match var.labels.get(c) {
            Some(label) => format!("{c}  ({label})"),
            None => c.clone(),
        })
        .collect()
}

/// Ctrl-C at a prompt arrives as an interrupted read (the terminal is in raw mode, so no
/// signal): give the cursor back, and cancel.
fn prompt_error(err: dialoguer::Error) -> Error {
    match err {
        dialoguer::Error::IO(io) if io.kind() == std::io::ErrorKind::Interrupted => {
            let _ = console::Term::stderr().show_cursor();
            Error::Cancelled
        }
        dialoguer::Error::IO(io) => Error::Io(io),
    }
}

//! Asking questions. [`Prompter`] is the seam: the terminal wizard (`terminal.rs`, dialoguer,
//! drawn on stderr) when stdin and stderr are terminals, [`Defaults`] with `--yes`, and
//! [`NoTerminal`] otherwise, which answers nothing, so that the run stops and names what it
//! would have asked.

mod fit;
mod terminal;

use std::io::IsTerminal;

use crate::error::Result;
use crate::template::manifest::Variable;
use crate::value::Value;

/// One question as the wizard shows it.
pub struct Question<'a> {
    pub var: &'a Variable,
    pub default: Option<&'a Value>,
    /// For a choice: the choices that fit the answers so far.
    pub choices: &'a [String],
    /// Where the default comes from when it is not the template's own, e.g. `git config user.name`.
    pub default_from: Option<&'a str>,
    /// Why the default the template would give is not offered: it fails the question's own rule.
    pub default_refused: Option<String>,
    /// This question's place among the questions asked, from 1, and how many there are.
    pub number: usize,
    pub total: usize,
}

/// Yes/no questions the wizard asks together: first whether to add any, then which. The
/// template's starters (`starter = true`) for later checklist items are one such group.
pub struct Group<'a> {
    /// The questions, each with the value it would take if not picked.
    pub vars: Vec<(&'a Variable, bool)>,
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

/// One line of the review before writing: a question (or a group of them) and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// The variables behind the line: one, or every question of a group.
    pub names: Vec<String>,
    pub prompt: String,
    pub value: String,
}

/// What the user decided at the review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    Write,
    /// Ask these variables again; keep the other answers.
    Revisit(Vec<String>),
    /// Write nothing, keep the answers for later.
    Cancel,
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

    /// Ask a group of yes/no questions at once: `Some(names)` of those answered yes, or
    /// `None` to have each asked on its own (`--yes` and no terminal do).
    fn pick(&mut self, _group: &Group) -> Result<Option<Vec<String>>> {
        Ok(None)
    }

    /// Show the answers and ask what to do with them; only the wizard asks.
    fn review(&mut self, _answers: &[Shown]) -> Result<Review> {
        Ok(Review::Write)
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
        return Box::new(terminal::Terminal::new(color));
    }
    Box::new(NoTerminal)
}

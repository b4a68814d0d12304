//! The interactive wizard on the user's terminal (stderr). dialoguer draws each prompt and reads
//! the keys; this file decides what it draws so that nothing is left half-drawn at any width:
//! a question whose live line would not fit in one row is printed above it, wrapped, and the
//! live line keeps only the counter. Once answered, the question's lines are replaced by one
//! `✔ [n/N] question · answer` line.

use console::{Term, measure_text_width, truncate_str};
use dialoguer::theme::{ColorfulTheme, SimpleTheme, Theme};
use dialoguer::{Confirm, Input, MultiSelect, Select};

use super::fit::{self, fits, rows, wrap};
use super::{Group, Prompter, Question, Reply, Review, Shown};
use crate::error::{Error, Result};
use crate::template::manifest::Variable;
use crate::value::{Value, VarType};

/// Columns a text answer gets on its line before the question moves above it.
const TYPING_ROOM: usize = 12;

pub(super) struct Terminal {
    theme: Box<dyn Theme>,
    term: Term,
}

/// Where a question's live line is drawn: its prompt, and how many rows were printed above
/// it (the question, when it did not fit on the live line).
struct Placed {
    prompt: String,
    above: usize,
}

impl Terminal {
    pub(super) fn new(color: bool) -> Self {
        let theme: Box<dyn Theme> = if color {
            Box::new(ColorfulTheme::default())
        } else {
            Box::new(SimpleTheme)
        };
        Self {
            theme,
            term: Term::stderr(),
        }
    }

    fn cols(&self) -> usize {
        usize::from(self.term.size().1).max(20)
    }

    /// Print `text` wrapped to the terminal after `indent`; returns the rows printed.
    fn say(&self, text: &str, indent: &str) -> Result<usize> {
        let lines = wrap(text, indent, self.cols());
        for line in &lines {
            self.term.write_line(line)?;
        }
        Ok(lines.len())
    }

    /// How wide the theme draws a line.
    fn width(&self, draw: impl FnOnce(&dyn Theme, &mut String) -> std::fmt::Result) -> usize {
        let mut line = String::new();
        let _ = draw(self.theme.as_ref(), &mut line);
        measure_text_width(&line)
    }

    /// `[n/N] question` on the live line if it fits with `room` to spare, else the question
    /// above it and only `[n/N]` on the live line.
    fn place(
        &self,
        counter: &str,
        question: &str,
        room: usize,
        live: impl Fn(&dyn Theme, &mut String, &str) -> std::fmt::Result,
    ) -> Result<Placed> {
        let full = title(counter, question);
        if fits(self.width(|t, s| live(t, s, &full)), room, self.cols()) {
            return Ok(Placed {
                prompt: full,
                above: 0,
            });
        }
        Ok(Placed {
            prompt: counter.to_string(),
            above: self.say(question, "")?,
        })
    }

    /// Take away `rows` rows above the cursor (the question, messages, a wrapped answer) and
    /// print the answered question in their place.
    fn settle(
        &self,
        rows: usize,
        done: impl FnOnce(&dyn Theme, &mut String) -> std::fmt::Result,
    ) -> Result<()> {
        self.term.clear_last_lines(rows)?;
        let mut line = String::new();
        let _ = done(self.theme.as_ref(), &mut line);
        // Broken between words, under the question, rather than wherever the terminal would.
        let options = textwrap::Options::new(self.cols() - 1).subsequent_indent("    ");
        for part in textwrap::wrap(&line, options) {
            self.term.write_line(&part)?;
        }
        Ok(())
    }

    fn yes_no(&self, counter: &str, question: &str, default: bool) -> Result<bool> {
        let placed = self.place(counter, question, 4, |t, s, p| {
            t.format_confirm_prompt(s, p, Some(default))
        })?;
        let answer = Confirm::with_theme(self.theme.as_ref())
            .with_prompt(&placed.prompt)
            .default(default)
            .wait_for_newline(true)
            .report(false)
            .interact_on(&self.term)
            .map_err(|e| self.cancel(e))?;
        let full = title(counter, question);
        self.settle(placed.above, |t, s| {
            t.format_confirm_prompt_selection(s, &full, Some(answer))
        })?;
        Ok(answer)
    }

    /// One of `items` (each drawn in one row, cut with `…` if need be); returns its index.
    fn one_of(
        &self,
        counter: &str,
        question: &str,
        items: &[String],
        start: usize,
    ) -> Result<usize> {
        let placed = self.place(counter, question, 0, |t, s, p| t.format_select_prompt(s, p))?;
        let shown = self.fitted(items);
        let picked = Select::with_theme(self.theme.as_ref())
            .with_prompt(&placed.prompt)
            .items(&shown)
            .default(start)
            .report(false)
            .interact_on(&self.term)
            .map_err(|e| self.cancel(e))?;
        let full = title(counter, question);
        self.settle(placed.above, |t, s| {
            t.format_select_prompt_selection(s, &full, &items[picked])
        })?;
        Ok(picked)
    }

    /// Any of `items`, starting from `chosen`; returns the indexes picked, which the answered
    /// line lists by `names`.
    fn any_of(
        &self,
        counter: &str,
        question: &str,
        items: &[String],
        names: &[String],
        chosen: &[bool],
    ) -> Result<Vec<usize>> {
        let hint = "Space ticks or unticks, Enter accepts.";
        let above = self.say(hint, "  ")?;
        let placed = self.place(counter, question, 0, |t, s, p| {
            t.format_multi_select_prompt(s, p)
        })?;
        let shown = self.fitted(items);
        let picked = MultiSelect::with_theme(self.theme.as_ref())
            .with_prompt(&placed.prompt)
            .items(&shown)
            .defaults(chosen)
            .report(false)
            .interact_on(&self.term)
            .map_err(|e| self.cancel(e))?;
        let listed: Vec<&str> = picked.iter().map(|&i| names[i].as_str()).collect();
        let full = title(counter, question);
        self.settle(above + placed.above, |t, s| {
            t.format_multi_select_prompt_selection(s, &full, &listed)
        })?;
        Ok(picked)
    }

    /// A text answer: the default on Enter, asked again under the rule's message until valid.
    fn text(
        &self,
        counter: &str,
        question: &str,
        default: Option<&str>,
        var: &Variable,
    ) -> Result<Value> {
        let question = match default {
            Some(default) => format!("{question} ({default})"),
            None => question.to_string(),
        };
        let placed = self.place(counter, &question, TYPING_ROOM, |t, s, p| {
            t.format_input_prompt(s, p, None)
        })?;
        let live = self.width(|t, s| t.format_input_prompt(s, &placed.prompt, None));
        let mut messages = 0;
        loop {
            let typed: String = Input::with_theme(self.theme.as_ref())
                .with_prompt(&placed.prompt)
                .allow_empty(true)
                .report(false)
                .interact_text_on(&self.term)
                .map_err(|e| self.cancel(e))?;
            // dialoguer cleared the row the cursor was on; a long answer wrapped above it.
            let wrapped = rows(live + measure_text_width(&typed), self.cols()) - 1;
            self.term.clear_last_lines(wrapped)?;
            let answer = match (typed.is_empty(), default) {
                (true, Some(default)) => default.to_string(),
                (true, None) => {
                    messages += self.error("type an answer: this question has no default")?;
                    continue;
                }
                (false, _) => typed,
            };
            let value = var
                .var_type
                .parse(&answer, &var.choices)
                .and_then(|value| var.check(&value).map(|()| value));
            match value {
                Ok(value) => {
                    let full = title(counter, &var.prompt);
                    self.settle(placed.above + messages, |t, s| {
                        t.format_input_prompt_selection(s, &full, &answer)
                    })?;
                    return Ok(value);
                }
                Err(problem) => messages += self.error(&problem.to_string())?,
            }
        }
    }

    /// A message under a question, in the theme's error style; returns its rows.
    fn error(&self, message: &str) -> Result<usize> {
        let mut line = String::new();
        let _ = self.theme.format_error(&mut line, message);
        let lines = wrap(&console::strip_ansi_codes(&line), "", self.cols());
        let styled = lines.len() == 1;
        for text in &lines {
            // One row keeps the theme's colours; a message that wraps is printed plain.
            self.term.write_line(if styled { &line } else { text })?;
        }
        Ok(lines.len())
    }

    fn fitted(&self, items: &[String]) -> Vec<String> {
        let room = self.cols().saturating_sub(3);
        items
            .iter()
            .map(|item| truncate_str(item, room, "…").into_owned())
            .collect()
    }

    /// Ctrl-C at a prompt arrives as an interrupted read (the terminal is in raw mode, so no
    /// signal): give the cursor back, end the prompt's line so the message starts on its own,
    /// and cancel.
    fn cancel(&self, err: dialoguer::Error) -> Error {
        match err {
            dialoguer::Error::IO(io) if io.kind() == std::io::ErrorKind::Interrupted => {
                let _ = self.term.show_cursor();
                let _ = self.term.write_line("");
                Error::Cancelled
            }
            dialoguer::Error::IO(io) => Error::Io(io),
        }
    }
}

impl Prompter for Terminal {
    fn counts(&self) -> bool {
        true
    }

    fn intro(&mut self, template: &str, version: &str, total: usize) {
        let questions = if total == 1 { "question" } else { "questions" };
        let _ = self.say(
            &format!(
                "Template {template} {version}: {total} {questions}. Enter takes the default \
                 shown, ↑/↓ move in a list; Ctrl-C cancels."
            ),
            "",
        );
    }

    fn ask(&mut self, q: &Question) -> Result<Reply> {
        let mut notes: Vec<String> = q.var.help.iter().cloned().collect();
        if let Some(from) = q.default_from {
            notes.push(format!("The default comes from {from}."));
        }
        notes.extend(q.default_refused.iter().cloned());
        for note in notes {
            self.say(&note, "  ")?;
        }
        let counter = format!("[{}/{}]", q.number, q.total);
        let question = q.var.prompt.as_str();
        let value = match q.var.var_type {
            // A dict is typed as JSON.
            VarType::String | VarType::Dict => {
                let default = q.default.map(ToString::to_string);
                self.text(&counter, question, default.as_deref(), q.var)?
            }
            VarType::Bool => {
                let default = matches!(q.default, Some(Value::Bool(true)));
                Value::Bool(self.yes_no(&counter, question, default)?)
            }
            VarType::Choice => {
                let start = q
                    .default
                    .and_then(|d| q.choices.iter().position(|c| *c == d.to_string()))
                    .unwrap_or(0);
                let picked = self.one_of(&counter, question, &labelled(q.var, q.choices), start)?;
                Value::Str(q.choices[picked].clone())
            }
            VarType::MultiChoice => {
                let chosen: Vec<bool> = match q.default {
                    Some(Value::List(items)) => {
                        q.choices.iter().map(|c| items.contains(c)).collect()
                    }
                    _ => vec![false; q.choices.len()],
                };
                let items = labelled(q.var, q.choices);
                let picked = self.any_of(&counter, question, &items, q.choices, &chosen)?;
                Value::List(picked.into_iter().map(|i| q.choices[i].clone()).collect())
            }
        };
        Ok(Reply::Given(value))
    }

    fn pick(&mut self, group: &Group) -> Result<Option<Vec<String>>> {
        let names: Vec<String> = group.vars.iter().map(|(v, _)| v.name.clone()).collect();
        self.say(
            &format!(
                "{} starters for later checklist items ({}). Each can also be added later \
                 with `dayone add NAME`.",
                group.vars.len(),
                names.join(", ")
            ),
            "  ",
        )?;
        let counter = format!("[{}/{}]", group.number, group.total);
        let any_default = group.vars.iter().any(|(_, on)| *on);
        if !self.yes_no(&counter, "Add any of them now?", any_default)? {
            return Ok(Some(Vec::new()));
        }
        let items: Vec<String> = group
            .vars
            .iter()
            .map(|(v, _)| format!("{}  {}", v.name, v.prompt))
            .collect();
        let chosen: Vec<bool> = group.vars.iter().map(|(_, on)| *on).collect();
        let picked = self.any_of(&counter, "Which starters?", &items, &names, &chosen)?;
        Ok(Some(picked.into_iter().map(|i| names[i].clone()).collect()))
    }

    fn review(&mut self, answers: &[Shown]) -> Result<Review> {
        loop {
            self.term.write_line("\nYour answers:")?;
            for line in fit::review_lines(answers, self.cols()) {
                self.term.write_line(&line)?;
            }
            let actions = [
                "Write the project".to_string(),
                "Change some answers".to_string(),
                "Cancel: write nothing, keep the answers in a file".to_string(),
            ];
            match self.one_of("", "What now?", &actions, 0)? {
                0 => return Ok(Review::Write),
                2 => return Ok(Review::Cancel),
                _ => {}
            }
            let items: Vec<String> = answers.iter().map(|a| a.prompt.clone()).collect();
            let picked = self.any_of(
                "",
                "Which answers?",
                &items,
                &items,
                &vec![false; items.len()],
            )?;
            if !picked.is_empty() {
                let names = picked
                    .into_iter()
                    .flat_map(|i| answers[i].names.iter().cloned())
                    .collect();
                return Ok(Review::Revisit(names));
            }
        }
    }
}

/// `[n/N] question`, or the question alone where there is no counter.
fn title(counter: &str, question: &str) -> String {
    if counter.is_empty() {
        question.to_string()
    } else {
        format!("{counter} {question}")
    }
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

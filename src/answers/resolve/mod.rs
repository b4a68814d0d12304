//! Which question comes next, what its default is, whether it is asked at all, and whether an
//! answer is acceptable. No I/O: the terminal is behind [`Prompter`], answers arrive as data.
//!
//! Precedence for every variable: `--set` > answers file > the wizard's earlier pass (kept
//! answers) > (asked, or) user config / git config / template default. A question whose `when`
//! is false is not asked and takes its default.
//!
//! A prompter may ask the template's bool starters (`starter = true`) as one group (`group.rs`);
//! each still gets its own answer, so `--set`, answers files and `.dayone.toml` see no group.

mod group;

use std::collections::{BTreeMap, BTreeSet};

use crate::answers::sources::RawAnswers;
use crate::error::{Error, Origin, Result};
use crate::prompt::{Prompter, Question, Reply, Shown};
use crate::render::{DayoneVars, RenderInput, eval_bool};
use crate::template::manifest::{Manifest, Variable};
use crate::value::{Answers, Problem, Value, VarType};

/// Everything the user gave before any question is asked.
#[derive(Debug, Default)]
pub struct Given {
    /// `--set KEY=VALUE`, as text.
    pub set: BTreeMap<String, String>,
    /// An answers file: its display name and its `[answers]` table.
    pub file: Option<(String, RawAnswers)>,
    /// The user config: its display name and its `[defaults]` table.
    pub config: Option<(String, RawAnswers)>,
    /// Values read from git config, keyed by git key (e.g. `user.name`).
    pub git: BTreeMap<String, String>,
    /// A default for the template's directory variable, from the DIR argument.
    pub directory_hint: Option<String>,
    /// The answers of the wizard's earlier pass, when the user chose to change some at the review.
    pub earlier: Option<Earlier>,
}

/// The answers a review sends back, of the questions asked then: those in `keep` stand; the
/// others are asked again, their earlier answer as the default.
#[derive(Debug, Default)]
pub struct Earlier {
    pub answers: Answers,
    pub keep: BTreeSet<String>,
}

/// The answers, the questions that took their default without being asked (`--yes`), and the
/// questions the prompter asked (a group's every question when the group was asked).
#[derive(Debug)]
pub struct Resolution {
    pub answers: Answers,
    pub defaults_taken: Vec<String>,
    pub asked: Vec<String>,
}

/// What the loop gathers besides the answers.
#[derive(Default)]
struct Tally {
    asked: usize,
    asked_names: Vec<String>,
    /// The starters picked, once the group was asked.
    picked: Option<BTreeSet<String>>,
    taken: Vec<String>,
    /// Asked, but the default has no value.
    missing: Vec<String>,
    /// Asked, but nobody could answer (no terminal, no `--yes`).
    unanswered: Vec<String>,
}

/// Every variable's answer, in manifest order. Missing answers are one error naming them all.
pub fn resolve(
    manifest: &Manifest,
    given: &Given,
    prompter: &mut dyn Prompter,
) -> Result<Resolution> {
    reject_unknown_keys(manifest, given)?;
    let mut answers = Answers::new();
    let mut tally = Tally::default();
    if prompter.counts() {
        let total = questions_left(manifest, given, 0, &answers, false);
        if total > 0 {
            let meta = &manifest.template;
            prompter.intro(&meta.name, &meta.version, total);
        }
    }
    for (index, var) in manifest.variables.iter().enumerate() {
        if tally.picked.is_none() && group::member(var) {
            group::ask(manifest, given, index, &answers, &mut tally, prompter)?;
        }
        let value = answer(manifest, given, index, &answers, &mut tally, prompter)?;
        answers.insert(&var.name, value);
    }
    if !tally.unanswered.is_empty() {
        return Err(Error::NobodyToAsk {
            questions: tally.unanswered,
        });
    }
    if !tally.missing.is_empty() {
        return Err(Error::MissingAnswers {
            missing: tally.missing,
        });
    }
    Ok(Resolution {
        answers,
        defaults_taken: tally.taken,
        asked: tally.asked_names,
    })
}

/// The review's lines: every question that applies to these answers (asked now or answered by
/// a flag or file), by its prompt; a group's questions as one line of those answered yes.
/// Computed values and questions whose condition is false have no effect and are left out.
pub fn review(manifest: &Manifest, answers: &Answers) -> Vec<Shown> {
    let dayone = DayoneVars::for_questions();
    let input = manifest.input(answers, &dayone);
    let mut shown: Vec<Shown> = Vec::new();
    let mut starters = Shown {
        names: Vec::new(),
        prompt: group::PROMPT.to_string(),
        value: String::new(),
    };
    for var in &manifest.variables {
        if !is_asked(var, &input).unwrap_or(true) {
            continue;
        }
        let value = match answers.get(&var.name) {
            Some(Value::Bool(on)) => if *on { "yes" } else { "no" }.to_string(),
            Some(value) => value.to_string(),
            None => String::new(),
        };
        if group::member(var) {
            if starters.names.is_empty() {
                shown.push(starters.clone());
            }
            starters.names.push(var.name.clone());
            if value == "yes" {
                starters.value += &format!(
                    "{}{}",
                    if starters.value.is_empty() { "" } else { ", " },
                    var.name
                );
            }
            continue;
        }
        shown.push(Shown {
            names: vec![var.name.clone()],
            prompt: var.prompt.clone(),
            value,
        });
    }
    if let Some(slot) = shown
        .iter_mut()
        .find(|s| s.names.is_empty() && s.prompt == group::PROMPT)
    {
        if starters.value.is_empty() {
            starters.value = "none".into();
        }
        *slot = starters;
    }
    shown
}

/// The answer for variable `index`: given outright, else asked (or its default).
fn answer(
    manifest: &Manifest,
    given: &Given,
    index: usize,
    answers: &Answers,
    tally: &mut Tally,
    prompter: &mut dyn Prompter,
) -> Result<Value> {
    let var = &manifest.variables[index];
    let dayone = DayoneVars::for_questions();
    let input = manifest.input(answers, &dayone);
    let offered = var
        .offered(&input)
        .map_err(|m| manifest_error(manifest, var, m))?;
    let applies = applies(var, &input).map_err(|m| manifest_error(manifest, var, m))?;
    if let Some(value) = provided(var, given, &offered)? {
        if !applies {
            refuse_inapplicable_set(var, manifest, &input, given, &value)?;
        }
        return Ok(value);
    }
    let default = default_for(var, manifest, &input, given)?;
    if !var.ask || !applies {
        return Ok(default.map_or_else(|| var.var_type.empty(), |(value, _)| value));
    }
    if let Some(picked) = tally.picked.as_ref().filter(|_| group::member(var)) {
        return Ok(Value::Bool(picked.contains(&var.name)));
    }
    // A default that fails the question's own rule (a long project name makes a bucket name
    // too long) is never offered: Enter would only be refused.
    let refused = default.as_ref().and_then(|(value, _)| {
        let problem = var
            .check(value)
            .and_then(|()| var.check_offered(value, &offered));
        problem
            .err()
            .map(|problem| format!("No default offered: {problem}."))
    });
    let offer = default.as_ref().filter(|_| refused.is_none());
    let question = Question {
        var,
        default: offer.map(|(value, _)| value),
        choices: &offered,
        default_from: offer.and_then(|(_, from)| from.as_deref()),
        default_refused: refused,
        number: tally.asked + 1,
        total: if prompter.counts() {
            tally.asked + questions_left(manifest, given, index, answers, tally.picked.is_some())
        } else {
            0
        },
    };
    tally.asked += 1;
    tally.asked_names.push(var.name.clone());
    match (prompter.ask(&question)?, default) {
        (Reply::Given(value), _) => Ok(value),
        (Reply::Unanswered, default) => {
            tally.unanswered.push(var.name.clone());
            Ok(default.map_or_else(|| var.var_type.empty(), |(value, _)| value))
        }
        (Reply::TakeDefault, Some((value, _))) => {
            var.check(&value)
                .and_then(|()| var.check_offered(&value, &offered))
                .map_err(|problem| Error::InvalidDefault {
                    variable: var.name.clone(),
                    problem,
                })?;
            tally.taken.push(var.name.clone());
            Ok(value)
        }
        (Reply::TakeDefault, None) => {
            tally.missing.push(var.name.clone());
            Ok(var.var_type.empty())
        }
    }
}

fn is_asked(var: &Variable, input: &RenderInput) -> Result<bool, String> {
    Ok(var.ask && applies(var, input)?)
}

/// Whether the variable's `when` holds for the answers so far (no `when`: always).
fn applies(var: &Variable, input: &RenderInput) -> Result<bool, String> {
    var.when
        .as_ref()
        .map_or(Ok(true), |when| eval_bool(when, input))
}

/// A `--set` for a variable whose `when` is false is a mistake unless it only repeats the value
/// the variable takes anyway: `--set cloud_run=true` with `api=false` would be recorded and do
/// nothing. (An answers file may hold such values: `.dayone.toml` records every variable.)
fn refuse_inapplicable_set(
    var: &Variable,
    manifest: &Manifest,
    input: &RenderInput,
    given: &Given,
    value: &Value,
) -> Result<()> {
    let (Some(text), Some(when)) = (given.set.get(&var.name), &var.when) else {
        return Ok(());
    };
    let taken = default_for(var, manifest, input, given)?
        .map_or_else(|| var.var_type.empty(), |(taken, _)| taken);
    if &taken == value {
        return Ok(());
    }
    Err(Error::SetNotApplicable {
        key: var.name.clone(),
        value: text.clone(),
        when: when.clone(),
    })
}

/// How many questions are still to come from variable `from` on, if every one of them took
/// its default: the wizard's `[n/N]`, which can change as answers change conditions. The
/// group's questions count as one until it is asked (`grouped`), and as none after.
fn questions_left(
    manifest: &Manifest,
    given: &Given,
    from: usize,
    so_far: &Answers,
    grouped: bool,
) -> usize {
    let dayone = DayoneVars::for_questions();
    let mut answers = so_far.clone();
    let mut count = 0;
    let mut group_seen = grouped;
    for var in &manifest.variables[from..] {
        let input = manifest.input(&answers, &dayone);
        let offered = var.offered(&input).unwrap_or_default();
        let value = match provided(var, given, &offered) {
            Ok(Some(value)) => value,
            _ => {
                let asked = is_asked(var, &input).unwrap_or(true);
                if asked && group::member(var) {
                    count += usize::from(!group_seen);
                    group_seen = true;
                } else {
                    count += usize::from(asked);
                }
                default_for(var, manifest, &input, given)
                    .ok()
                    .flatten()
                    .map_or_else(|| var.var_type.empty(), |(value, _)| value)
            }
        };
        answers.insert(&var.name, value);
    }
    count
}

/// `--set` keys must name variables (a typo must not be silently ignored), and so must an
/// answers file's keys. The user config is shared by all templates, so its extra keys are fine.
fn reject_unknown_keys(manifest: &Manifest, given: &Given) -> Result<()> {
    let known = || {
        manifest
            .variables
            .iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(key) = given.set.keys().find(|k| manifest.variable(k).is_none()) {
        return Err(Error::UnknownSetKey {
            key: key.clone(),
            template: manifest.template.name.clone(),
            known: known(),
        });
    }
    if let Some((name, table)) = &given.file
        && let Some(key) = table.keys().find(|k| manifest.variable(k).is_none())
    {
        return Err(Error::UnknownAnswersKey {
            file: name.clone(),
            key: key.clone(),
            template: manifest.template.name.clone(),
            known: known(),
        });
    }
    Ok(())
}

/// An answer given outright, by `--set` or the answers file, already checked, also against the
/// choices `offered` for the answers before it.
fn provided(var: &Variable, given: &Given, offered: &[String]) -> Result<Option<Value>> {
    if let Some(text) = given.set.get(&var.name) {
        let value = var
            .var_type
            .parse(text, &var.choices)
            .and_then(|v| var.check(&v).map(|()| v))
            .and_then(|v| var.check_offered(&v, offered).map(|()| v));
        return value.map(Some).map_err(|problem| Error::InvalidAnswer {
            origin: Origin::Set {
                variable: var.name.clone(),
            },
            problem,
        });
    }
    if let Some((name, table)) = &given.file
        && let Some(raw) = table.get(&var.name)
    {
        return typed(var, raw)
            .map(Some)
            .map_err(|problem| Error::InvalidAnswer {
                origin: Origin::AnswersFile {
                    file: name.clone(),
                    variable: var.name.clone(),
                },
                problem,
            });
    }
    // An earlier answer stands unless it no longer fits (a changed answer before it changed
    // the choices); then the question is asked again.
    if let Some(earlier) = given
        .earlier
        .as_ref()
        .filter(|e| e.keep.contains(&var.name))
        && let Some(value) = earlier.answers.get(&var.name)
        && var.check(value).is_ok()
        && var.check_offered(value, offered).is_ok()
    {
        return Ok(Some(value.clone()));
    }
    Ok(None)
}

fn typed(var: &Variable, raw: &toml::Value) -> Result<Value, Problem> {
    let value = Value::from_toml(raw, var.var_type)?;
    var.check(&value)?;
    Ok(value)
}

/// The default shown or taken: DIR hint, user config, git config, then the template's own;
/// with where it came from when it is not the template's.
fn default_for(
    var: &Variable,
    manifest: &Manifest,
    input: &RenderInput,
    given: &Given,
) -> Result<Option<(Value, Option<String>)>> {
    if let Some(value) = given
        .earlier
        .as_ref()
        .and_then(|e| e.answers.get(&var.name))
    {
        return Ok(Some((
            value.clone(),
            Some("your earlier answer".to_string()),
        )));
    }
    if manifest.template.directory_variable.as_deref() == Some(var.name.as_str())
        && let Some(hint) = &given.directory_hint
    {
        let from = Some("the folder name you gave".to_string());
        return Ok(Some((Value::Str(hint.clone()), from)));
    }
    if let Some((name, table)) = &given.config
        && let Some(raw) = table.get(&var.name)
    {
        return typed(var, raw)
            .map(|value| Some((value, Some(format!("your user config ({name})")))))
            .map_err(|problem| Error::InvalidAnswer {
                origin: Origin::Config {
                    file: name.clone(),
                    variable: var.name.clone(),
                },
                problem,
            });
    }
    if let Some(key) = &var.git_config
        && let Some(value) = given.git.get(key)
        && var.var_type == VarType::String
        && var.check(&Value::Str(value.clone())).is_ok()
    {
        return Ok(Some((
            Value::Str(value.clone()),
            Some(format!("git config {key}")),
        )));
    }
    let value = var
        .default_value(input)
        .map_err(|m| manifest_error(manifest, var, m))?;
    Ok(value.map(|value| (value, None)))
}

fn manifest_error(manifest: &Manifest, var: &Variable, message: String) -> Error {
    Error::Manifest {
        file: format!("template `{}`", manifest.template.name),
        problems: vec![format!("variable `{}`: {message}", var.name)],
    }
}

#[cfg(test)]
mod tests;

//! The template's bool starters (`starter = true`: files for later checklist items) asked as
//! one group when the prompter can: whether to add any now, then which. Each starter keeps its
//! own answer, so flags, answers files and `.dayone.toml` are as if each had been asked.

use std::collections::BTreeSet;

use super::{Given, Tally, default_for, is_asked, provided, questions_left};
use crate::error::Result;
use crate::prompt::{Group, Prompter};
use crate::render::DayoneVars;
use crate::template::manifest::{Manifest, Variable};
use crate::value::{Answers, Value, VarType};

/// How the review names the group.
pub const PROMPT: &str = "Starters for later checklist items";

/// Whether a variable is asked with the group.
pub fn member(var: &Variable) -> bool {
    var.starter && var.var_type == VarType::Bool
}

/// At the group's first question (variable `from`): offer every starter from here on that
/// would be asked, if the questions between took their defaults. A prompter that answers
/// for the group settles them all; one that does not leaves each to be asked on its own.
pub(super) fn ask(
    manifest: &Manifest,
    given: &Given,
    from: usize,
    so_far: &Answers,
    tally: &mut Tally,
    prompter: &mut dyn Prompter,
) -> Result<()> {
    let dayone = DayoneVars::for_questions();
    let mut answers = so_far.clone();
    let mut vars = Vec::new();
    for var in &manifest.variables[from..] {
        let input = manifest.input(&answers, &dayone);
        let offered = var.offered(&input).unwrap_or_default();
        let value = match provided(var, given, &offered)? {
            Some(value) => value,
            None => {
                let value = default_for(var, manifest, &input, given)?
                    .map_or_else(|| var.var_type.empty(), |(value, _)| value);
                if member(var) && is_asked(var, &input).unwrap_or(false) {
                    vars.push((var, value == Value::Bool(true)));
                }
                value
            }
        };
        answers.insert(&var.name, value);
    }
    if vars.is_empty() {
        return Ok(());
    }
    let group = Group {
        number: tally.asked + 1,
        total: if prompter.counts() {
            tally.asked + questions_left(manifest, given, from, so_far, false)
        } else {
            0
        },
        vars,
    };
    if let Some(picked) = prompter.pick(&group)? {
        tally.asked += 1;
        tally
            .asked_names
            .extend(group.vars.iter().map(|(v, _)| v.name.clone()));
        tally.picked = Some(picked.into_iter().collect::<BTreeSet<_>>());
    }
    Ok(())
}

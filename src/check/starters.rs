//! The starters a project's template offers for checklist items: features whose manifest says
//! which items they serve (`serves`). While one is off, the hint of an open item it serves names
//! the `dayone add` that puts a working starting point in place. Once a `starter = true` feature
//! is on, its files are dayone's work, not the group's: the items it serves count as done only
//! on evidence the group wrote or changed.

use std::collections::BTreeMap;

use crate::check::detectors::{Context, Detection, Evidence};
use crate::check::project::Project;
use crate::template::Template;
use crate::value::{Value, VarType};

/// Item id → the features that would start it (off in this project), and → the starters
/// already in place (on).
#[derive(Debug, Default)]
pub struct Starters {
    by_item: BTreeMap<String, Vec<String>>,
    in_place: BTreeMap<String, Vec<String>>,
}

impl Starters {
    /// For a project made from a built-in template (`.dayone.toml` says which); none otherwise.
    pub fn of(project: &Project) -> Self {
        let Some(recorded) = project.dayone_record() else {
            return Self::default();
        };
        let Some(template) = recorded
            .dayone
            .as_ref()
            .and_then(|d| d.builtin_name())
            .and_then(|n| Template::builtin(n).ok())
        else {
            return Self::default();
        };
        let mut starters = Self::default();
        for var in template.manifest.variables.iter().filter(|v| v.feature) {
            let answer = recorded
                .answers
                .get(&var.name)
                .and_then(|raw| Value::from_toml(raw, var.var_type).ok());
            let list = match is_on(var.var_type, answer.as_ref(), var.default.as_ref()) {
                false => &mut starters.by_item,
                true if var.starter => &mut starters.in_place,
                true => continue,
            };
            for item in &var.serves {
                list.entry(item.clone()).or_default().push(var.name.clone());
            }
        }
        starters
    }

    /// `detection` of `item`, without the evidence a starter in place wrote: done only on the
    /// group's own lines, open (showing the starter's) when there are none. An item still open
    /// says that its starter is there to build on.
    pub fn discount(&self, item: &str, detection: Detection, cx: &Context) -> Detection {
        let Some(features) = self.in_place.get(item) else {
            return detection;
        };
        let names: Vec<String> = features.iter().map(|f| format!("`{f}`")).collect();
        let names = names.join(" / ");
        match detection {
            Detection::Done(evidence) => {
                let (starter, own): (Vec<Evidence>, Vec<Evidence>) =
                    evidence.into_iter().partition(|e| cx.template_wrote(e));
                if !own.is_empty() {
                    return Detection::Done(own);
                }
                Detection::Open {
                    hint: format!(
                        "the {names} starter is in place but still as dayone wrote it: run it \
                         and make it the group's (change its settings, inputs or steps), then \
                         this counts"
                    ),
                    partial: starter,
                }
            }
            Detection::Open { hint, partial } => Detection::Open {
                hint: format!("the {names} starter is in place to build on; {hint}"),
                partial,
            },
            Detection::Manual { hint, partial } => Detection::Manual {
                hint: format!("the {names} starter is in place to build on; {hint}"),
                partial,
            },
        }
    }

    /// `dayone add NAME` for an open item that a starter serves.
    pub fn hint(&self, item: &str) -> Option<String> {
        let features = self.by_item.get(item)?;
        let commands: Vec<String> = features
            .iter()
            .map(|f| format!("`dayone add {f}`"))
            .collect();
        Some(format!(
            "{} puts a working starter in place",
            commands.join(" or ")
        ))
    }
}

/// A bool feature is on when true; a choice when it is not its default (the off value).
fn is_on(var_type: VarType, answer: Option<&Value>, default: Option<&toml::Value>) -> bool {
    match (var_type, answer) {
        (VarType::Bool, Some(Value::Bool(on))) => *on,
        (VarType::Choice, Some(Value::Str(choice))) => {
            default.and_then(toml::Value::as_str) != Some(choice.as_str())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::check::checklist::Checklist;
    use crate::template::Template;
    use crate::template::source::Source;

    /// A feature's `serves` names items of the checklist this dayone carries.
    #[test]
    fn every_built_in_feature_serves_items_that_exist() {
        let checklist = Checklist::embedded().unwrap();
        for name in Source::builtin_names() {
            let template = Template::find(name).unwrap();
            for var in &template.manifest.variables {
                for id in &var.serves {
                    assert!(
                        checklist.items.iter().any(|item| item.id == *id),
                        "{name}: `{}` serves `{id}`, which is not a checklist item",
                        var.name
                    );
                }
            }
        }
    }
}

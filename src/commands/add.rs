//! `dayone add FEATURE...`: an update whose answers turn features on.

use std::path::PathBuf;

use super::Outcome;
use super::update;
use crate::cli::AddArgs;
use crate::error::{Error, Result};
use crate::printer::Printer;
use crate::project::Project;
use crate::template::Template;
use crate::template::variable::Variable;
use crate::value::{Value, VarType};

pub fn run(args: AddArgs, printer: &Printer) -> Result<Outcome> {
    let root = args.project.unwrap_or_else(|| PathBuf::from("."));
    // The lock and recovery come before "already on" is decided: a killed run may have left
    // the answers half-changed.
    let (_lock, project, template) = update::prepare(&root, &args.merge, printer)?;
    let set = args
        .features
        .iter()
        .map(|feature| feature_answer(&template, &project, feature))
        .collect::<Result<Vec<_>>>()?;
    update::update(
        &project,
        &template,
        &set,
        &args.merge,
        printer,
        &args.features,
    )
}

/// `NAME` or `NAME=VALUE` as the `--set` it stands for, refusing what is not a feature, a
/// choice that needs a value, and what is already on.
fn feature_answer(template: &Template, project: &Project, feature: &str) -> Result<String> {
    let (name, value) = match feature.split_once('=') {
        Some((name, value)) => (name.trim(), Some(value.trim())),
        None => (feature.trim(), None),
    };
    let features: Vec<&Variable> = template
        .manifest
        .variables
        .iter()
        .filter(|v| v.feature)
        .collect();
    let Some(var) = features.iter().find(|v| v.name == name) else {
        return Err(Error::UnknownFeature {
            name: name.to_string(),
            template: template.name().to_string(),
            known: features
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        });
    };
    let value = match (value, var.var_type) {
        (Some(value), _) => value.to_string(),
        (None, VarType::Bool) => "true".to_string(),
        (None, _) => only_choice_that_is_on(var)?,
    };
    let current = project
        .answers
        .get(name)
        .and_then(|raw| Value::from_toml(raw, var.var_type).ok());
    if current.is_some_and(|c| c.to_string() == value) {
        return Err(Error::FeatureAlreadyOn {
            name: name.to_string(),
            value,
        });
    }
    Ok(format!("{name}={value}"))
}

/// For a choice without a value: the one choice other than the off one (the default), if there
/// is exactly one.
fn only_choice_that_is_on(var: &Variable) -> Result<String> {
    let off = var.default.as_ref().and_then(toml::Value::as_str);
    let on: Vec<&String> = var
        .choices
        .iter()
        .filter(|c| Some(c.as_str()) != off)
        .collect();
    match on.as_slice() {
        [only] => Ok((*only).clone()),
        _ => Err(Error::FeatureNeedsValue {
            name: var.name.clone(),
            choices: on.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "),
        }),
    }
}

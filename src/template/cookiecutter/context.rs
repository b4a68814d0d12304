//! `cookiecutter.json` read the way cookiecutter reads it: each public entry a question (a
//! string, a bool, a list of choices whose first is the default, a dict typed as JSON),
//! `__`-entries computed from the answers before them, `_`-entries private constants the
//! templates see, `__prompts__` the questions' wording. Dicts are asked last, as cookiecutter
//! asks them in a second pass.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use crate::render::{Jinja, JinjaSettings};
use crate::template::manifest::Variable;
use crate::value::VarType;

/// What `cookiecutter.json` gives, besides problems.
#[derive(Debug, Default)]
pub struct Context {
    pub variables: Vec<Variable>,
    pub jinja: Jinja,
    /// `_copy_without_render`: fnmatch patterns over paths in the project folder.
    pub copy_without_render: Vec<String>,
    /// `_new_lines`: the line ending every rendered file gets, instead of its own.
    pub new_lines: Option<String>,
    /// `_extensions`, as listed.
    pub extensions: Vec<String>,
}

/// Read the entries of `cookiecutter.json`; every problem is collected.
pub fn read(entries: &Map<String, Json>, problems: &mut Vec<String>) -> Context {
    let mut context = Context::default();
    let prompts = entries.get("__prompts__").cloned().unwrap_or_default();
    let mut dicts = Vec::new();
    for (key, raw) in entries {
        let here = format!("`{key}`");
        if key == "__prompts__" {
            if !raw.is_object() {
                problems.push(format!("{here} must be an object of prompts by variable"));
            }
            continue;
        }
        if key == "template" || key == "templates" {
            problems.push(format!(
                "{here}: a template that chooses among nested templates is not supported; pass the nested template's folder instead"
            ));
            continue;
        }
        if key.starts_with('_') && !key.starts_with("__") {
            private(key, raw, &mut context, problems);
            context.jinja.constants.insert(key.clone(), raw.clone());
            continue;
        }
        context.jinja.original.insert(key.clone(), raw.clone());
        let computed = key.starts_with("__");
        match variable(key, raw, computed, prompts.get(key)) {
            Ok(var) if var.var_type == VarType::Dict && !computed => dicts.push(var),
            Ok(var) => context.variables.push(var),
            Err(problem) => problems.push(format!("{here}: {problem}")),
        }
    }
    context.variables.extend(dicts);
    for name in prompts.as_object().into_iter().flat_map(|p| p.keys()) {
        if !context.variables.iter().any(|v| v.name == *name) {
            problems.push(format!(
                "`__prompts__` words `{name}`, which is not a variable of cookiecutter.json"
            ));
        }
    }
    context
}

/// One private entry: the ones cookiecutter itself reads are checked; all are constants.
fn private(key: &str, raw: &Json, context: &mut Context, problems: &mut Vec<String>) {
    let strings = |problems: &mut Vec<String>| -> Vec<String> {
        match raw.as_array() {
            Some(items) if items.iter().all(Json::is_string) => items
                .iter()
                .filter_map(|i| i.as_str().map(String::from))
                .collect(),
            _ => {
                problems.push(format!("`{key}` must be a list of strings"));
                Vec::new()
            }
        }
    };
    match key {
        "_copy_without_render" => context.copy_without_render = strings(problems),
        "_extensions" => context.extensions = strings(problems),
        "_new_lines" => match raw.as_str() {
            Some(ending @ ("\n" | "\r\n" | "\r")) => context.new_lines = Some(ending.into()),
            _ => problems.push(format!("`{key}` must be \"\\n\", \"\\r\\n\" or \"\\r\"")),
        },
        "_jinja2_env_vars" => match raw.as_object() {
            Some(vars) => context.jinja.settings = settings(vars, problems),
            None => problems.push(format!("`{key}` must be an object")),
        },
        _ => {}
    }
}

/// `_jinja2_env_vars`: the whitespace and delimiter settings; anything else is refused, since
/// ignoring it would render differently.
fn settings(vars: &Map<String, Json>, problems: &mut Vec<String>) -> JinjaSettings {
    let mut settings = JinjaSettings::default();
    let mut pairs: BTreeMap<&str, String> = BTreeMap::new();
    for (name, value) in vars {
        let here = format!("`_jinja2_env_vars.{name}`");
        match (name.as_str(), value) {
            ("trim_blocks", Json::Bool(on)) => settings.trim_blocks = *on,
            ("lstrip_blocks", Json::Bool(on)) => settings.lstrip_blocks = *on,
            (
                "block_start_string"
                | "block_end_string"
                | "variable_start_string"
                | "variable_end_string"
                | "comment_start_string"
                | "comment_end_string",
                Json::String(text),
            ) => {
                pairs.insert(name, text.clone());
            }
            ("line_statement_prefix", Json::String(text)) => {
                settings.line_statement_prefix = Some(text.clone());
            }
            ("line_comment_prefix", Json::String(text)) => {
                settings.line_comment_prefix = Some(text.clone());
            }
            (
                "trim_blocks" | "lstrip_blocks" | "line_statement_prefix" | "line_comment_prefix",
                _,
            )
            | (
                "block_start_string"
                | "block_end_string"
                | "variable_start_string"
                | "variable_end_string"
                | "comment_start_string"
                | "comment_end_string",
                _,
            ) => problems.push(format!("{here} has the wrong type")),
            _ => problems.push(format!(
                "{here} is a Jinja setting dayone does not have (it has trim_blocks, lstrip_blocks, the *_start_string and *_end_string delimiters and the line prefixes)"
            )),
        }
    }
    let pair = |kind: &str| {
        let open = pairs.get(format!("{kind}_start_string").as_str());
        let close = pairs.get(format!("{kind}_end_string").as_str());
        let default = match kind {
            "block" => ("{%", "%}"),
            "variable" => ("{{", "}}"),
            _ => ("{#", "#}"),
        };
        (open.is_some() || close.is_some()).then(|| {
            (
                open.cloned().unwrap_or(default.0.into()),
                close.cloned().unwrap_or(default.1.into()),
            )
        })
    };
    settings.block = pair("block");
    settings.variable = pair("variable");
    settings.comment = pair("comment");
    settings
}

/// A public or computed entry as a dayone variable.
fn variable(
    name: &str,
    raw: &Json,
    computed: bool,
    prompt: Option<&Json>,
) -> Result<Variable, String> {
    let (var_type, default, choices) = match raw {
        Json::String(text) if text.is_empty() && !computed => (VarType::String, None, Vec::new()),
        Json::Null if !computed => (VarType::String, None, Vec::new()),
        Json::Null => return Err("a computed value cannot be null".into()),
        Json::String(_) | Json::Number(_) => {
            (VarType::String, Some(text_of(raw).into()), Vec::new())
        }
        Json::Bool(on) => (VarType::Bool, Some(toml::Value::Boolean(*on)), Vec::new()),
        Json::Array(_) if computed => {
            return Err("a computed list is not supported; compute a string or a dict".into());
        }
        Json::Array(items) if items.is_empty() => {
            return Err("an empty list of choices has nothing to choose".into());
        }
        // `[true, false]`: a yes/no question whose default is the first.
        Json::Array(items) if items.iter().all(Json::is_boolean) => (
            VarType::Bool,
            Some(toml::Value::Boolean(items[0] == Json::Bool(true))),
            Vec::new(),
        ),
        Json::Array(items) => {
            let choices: Vec<String> = items.iter().map(text_of).collect();
            if let Some(templated) = choices
                .iter()
                .find(|c| c.contains("{{") || c.contains("{%"))
            {
                return Err(format!(
                    "the choice `{templated}` is a template; dayone offers fixed choices only"
                ));
            }
            (VarType::Choice, Some(choices[0].clone().into()), choices)
        }
        Json::Object(map) => (VarType::Dict, Some(table(map)?), Vec::new()),
    };
    let (prompt, labels) = wording(name, prompt)?;
    Ok(Variable {
        name: name.to_string(),
        prompt,
        help: None,
        var_type,
        default,
        choices,
        labels,
        choice_when: BTreeMap::new(),
        validate: None,
        when: None,
        ask: !computed,
        git_config: None,
        feature: false,
        serves: Vec::new(),
        starter: false,
    })
}

/// A scalar as cookiecutter turns it into text before rendering: Python's `str()`.
fn text_of(raw: &Json) -> String {
    match raw {
        Json::String(text) => text.clone(),
        Json::Bool(true) => "True".into(),
        Json::Bool(false) => "False".into(),
        Json::Null => "None".into(),
        Json::Number(n) if n.is_f64() => {
            let float = n.as_f64().unwrap_or_default();
            if float.fract() == 0.0 && float.abs() < 1e16 {
                format!("{float:.1}")
            } else {
                float.to_string()
            }
        }
        other => other.to_string(),
    }
}

/// A dict's default as a TOML table: numbers become text (cookiecutter renders them as
/// strings); null has no TOML form.
fn table(map: &Map<String, Json>) -> Result<toml::Value, String> {
    fn convert(value: &Json) -> Result<toml::Value, String> {
        Ok(match value {
            Json::Null => {
                return Err(
                    "a dict holding null cannot be recorded in .dayone.toml; use \"\" instead"
                        .into(),
                );
            }
            Json::Bool(on) => toml::Value::Boolean(*on),
            Json::Number(_) | Json::String(_) => toml::Value::String(text_of(value)),
            Json::Array(items) => {
                toml::Value::Array(items.iter().map(convert).collect::<Result<_, _>>()?)
            }
            Json::Object(map) => toml::Value::Table(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), convert(v)?)))
                    .collect::<Result<_, String>>()?,
            ),
        })
    }
    convert(&Json::Object(map.clone()))
}

/// A question's wording from `__prompts__`: its text (the name when there is none), and the
/// choices' labels.
fn wording(
    name: &str,
    prompt: Option<&Json>,
) -> Result<(String, BTreeMap<String, String>), String> {
    match prompt {
        None => Ok((name.to_string(), BTreeMap::new())),
        Some(Json::String(text)) => Ok((text.clone(), BTreeMap::new())),
        Some(Json::Object(map)) => {
            let mut labels = BTreeMap::new();
            let mut text = name.to_string();
            for (key, value) in map {
                let value = value
                    .as_str()
                    .ok_or_else(|| format!("`__prompts__.{name}.{key}` must be a string"))?;
                if key == "__prompt__" {
                    text = value.to_string();
                } else {
                    labels.insert(key.clone(), value.to_string());
                }
            }
            Ok((text, labels))
        }
        Some(_) => Err(format!(
            "`__prompts__.{name}` must be a string, or an object with `__prompt__` and labels by choice"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> (Context, Vec<String>) {
        let entries: Map<String, Json> = serde_json::from_str(text).unwrap();
        let mut problems = Vec::new();
        let context = read(&entries, &mut problems);
        (context, problems)
    }

    #[test]
    fn entries_become_questions_computed_values_and_constants() {
        let (context, problems) = read_text(
            r#"{
              "project_name": "My Project",
              "settings": {"debug": true, "port": 8000},
              "slug": "{{ cookiecutter.project_name.lower() }}",
              "license": ["MIT", "BSD-3"],
              "agent": [true, false],
              "author": "",
              "version": 0.1,
              "__pkg": "{{ cookiecutter.slug }}",
              "_copy_without_render": ["*.png"],
              "_jinja2_env_vars": {"trim_blocks": true},
              "__prompts__": {"license": {"__prompt__": "Which licence?", "MIT": "permissive"}}
            }"#,
        );
        assert_eq!(problems, Vec::<String>::new());
        let shape: Vec<(&str, VarType, bool)> = context
            .variables
            .iter()
            .map(|v| (v.name.as_str(), v.var_type, v.ask))
            .collect();
        assert_eq!(
            shape,
            [
                ("project_name", VarType::String, true),
                ("slug", VarType::String, true),
                ("license", VarType::Choice, true),
                ("agent", VarType::Bool, true),
                ("author", VarType::String, true),
                ("version", VarType::String, true),
                ("__pkg", VarType::String, false),
                ("settings", VarType::Dict, true),
            ]
        );
        let license = &context.variables[2];
        assert_eq!(license.prompt, "Which licence?");
        assert_eq!(license.labels["MIT"], "permissive");
        assert_eq!(license.default, Some("MIT".into()));
        assert_eq!(
            context.variables[3].default,
            Some(toml::Value::Boolean(true))
        );
        assert_eq!(context.variables[4].default, None);
        assert_eq!(context.variables[5].default, Some("0.1".into()));
        let settings = context.variables[7].default.as_ref().unwrap();
        assert_eq!(settings["port"].as_str(), Some("8000"));
        assert_eq!(context.copy_without_render, ["*.png"]);
        assert!(context.jinja.settings.trim_blocks);
        assert!(context.jinja.constants.contains_key("_copy_without_render"));
        assert!(context.jinja.original.contains_key("settings"));
    }

    #[test]
    fn what_dayone_cannot_do_is_named() {
        let (_, problems) = read_text(
            r#"{"a": [], "b": ["{{ cookiecutter.x }}"], "__c": [1], "_jinja2_env_vars": {"autoescape": true},
                "_new_lines": "x", "d": {"e": null}, "__prompts__": {"zz": "Z"}}"#,
        );
        let expected = [
            "`a`: an empty list",
            "`b`: the choice `{{ cookiecutter.x }}` is a template",
            "`__c`: a computed list",
            "`_jinja2_env_vars.autoescape` is a Jinja setting dayone does not have",
            "`_new_lines` must be",
            "`d`: a dict holding null",
            "`__prompts__` words `zz`",
        ];
        assert_eq!(problems.len(), expected.len(), "{problems:#?}");
        for (problem, start) in problems.iter().zip(expected) {
            assert!(
                problem.starts_with(start),
                "{problem} should start with {start}"
            );
        }
    }
}

//! Which question comes next, what its default is, whether it is asked at all, and whether an
//! answer is acceptable. No I/O: the terminal is behind [`Prompter`], answers arrive as data.
//!
//! Precedence for every variable: `--set` > answers file > (asked, or) user config / git config /
//! template default. A question whose `when` is false is not asked and takes its default.

use std::collections::BTreeMap;

use crate::answers::sources::RawAnswers;
use crate::error::{Error, Origin, Result};
use crate::prompt::Prompter;
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
}

/// Every variable's answer, in manifest order; missing answers are one error naming them all.
pub fn resolve(manifest: &Manifest, given: &Given, prompter: &mut dyn Prompter) -> Result<Answers> {
    reject_unknown_keys(manifest, given)?;
    let dayone = DayoneVars::for_questions();
    let mut answers = Answers::new();
    let mut missing = Vec::new();
    for var in &manifest.variables {
        let input = RenderInput {
            answers: &answers,
            dayone: &dayone,
        };
        let value = match provided(var, given)? {
            Some(value) => value,
            None => {
                let default = default_for(var, manifest, &input, given)?;
                let asked = var.ask
                    && match &var.when {
                        Some(when) => {
                            eval_bool(when, &input).map_err(|m| manifest_error(manifest, var, m))?
                        }
                        None => true,
                    };
                match (asked, default) {
                    (true, default) if prompter.is_interactive() => {
                        prompter.ask(var, default.as_ref())?
                    }
                    (true, Some(value)) => {
                        var.check(&value).map_err(|problem| Error::InvalidDefault {
                            variable: var.name.clone(),
                            problem,
                        })?;
                        value
                    }
                    (false, Some(value)) => value,
                    (true, None) => {
                        missing.push(var.name.clone());
                        var.var_type.empty()
                    }
                    (false, None) => var.var_type.empty(),
                }
            }
        };
        answers.insert(&var.name, value);
    }
    if !missing.is_empty() {
        return Err(Error::MissingAnswers { missing });
    }
    Ok(answers)
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
    if let Some((name, table)) = &given.file {
        if let Some(key) = table.keys().find(|k| manifest.variable(k).is_none()) {
            return Err(Error::UnknownAnswersKey {
                file: name.clone(),
                key: key.clone(),
                template: manifest.template.name.clone(),
                known: known(),
            });
        }
    }
    Ok(())
}

/// An answer given outright, by `--set` or the answers file, already checked.
fn provided(var: &Variable, given: &Given) -> Result<Option<Value>> {
    if let Some(text) = given.set.get(&var.name) {
        let value = var
            .var_type
            .parse(text, &var.choices)
            .and_then(|v| var.check(&v).map(|()| v));
        return value.map(Some).map_err(|problem| Error::InvalidAnswer {
            origin: Origin::Set {
                variable: var.name.clone(),
            },
            problem,
        });
    }
    if let Some((name, table)) = &given.file {
        if let Some(raw) = table.get(&var.name) {
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
    }
    Ok(None)
}

fn typed(var: &Variable, raw: &toml::Value) -> Result<Value, Problem> {
    let value = Value::from_toml(raw, var.var_type)?;
    var.check(&value)?;
    Ok(value)
}

/// The default shown or taken: DIR hint, user config, git config, then the template's own.
fn default_for(
    var: &Variable,
    manifest: &Manifest,
    input: &RenderInput,
    given: &Given,
) -> Result<Option<Value>> {
    if manifest.template.directory_variable.as_deref() == Some(var.name.as_str()) {
        if let Some(hint) = &given.directory_hint {
            return Ok(Some(Value::Str(hint.clone())));
        }
    }
    if let Some((name, table)) = &given.config {
        if let Some(raw) = table.get(&var.name) {
            return typed(var, raw)
                .map(Some)
                .map_err(|problem| Error::InvalidAnswer {
                    origin: Origin::Config {
                        file: name.clone(),
                        variable: var.name.clone(),
                    },
                    problem,
                });
        }
    }
    if let Some(value) = var.git_config.as_ref().and_then(|key| given.git.get(key)) {
        if var.var_type == VarType::String && var.check(&Value::Str(value.clone())).is_ok() {
            return Ok(Some(Value::Str(value.clone())));
        }
    }
    var.default_value(input)
        .map_err(|m| manifest_error(manifest, var, m))
}

fn manifest_error(manifest: &Manifest, var: &Variable, message: String) -> Error {
    Error::Manifest {
        file: format!("template `{}`", manifest.template.name),
        problems: vec![format!("variable `{}`: {message}", var.name)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prompt::NoTerminal;

    const MANIFEST: &str = r#"
[template]
name = "t"
version = "1.0.0"
directory_variable = "project"

[[variables]]
name = "project"
prompt = "Project"
type = "string"
default = "demo"
validate = { regex = "^[a-z-]+$", message = "lowercase and '-' only" }

[[variables]]
name = "package"
prompt = "Package"
type = "string"
default = "{{ project | snake_case }}"

[[variables]]
name = "api"
prompt = "API?"
type = "bool"
default = true

[[variables]]
name = "port"
prompt = "Port"
type = "string"
when = "api"

[[variables]]
name = "author"
prompt = "Author"
type = "string"
git_config = "user.name"
default = "Someone"
"#;

    /// Answers questions from a script and records what was asked, with which default.
    struct Scripted {
        replies: Vec<&'static str>,
        asked: Vec<(String, Option<String>)>,
    }

    impl Prompter for Scripted {
        fn is_interactive(&self) -> bool {
            true
        }
        fn ask(&mut self, var: &Variable, default: Option<&Value>) -> Result<Value> {
            self.asked
                .push((var.name.clone(), default.map(ToString::to_string)));
            let reply = self.replies.remove(0);
            let text = if reply.is_empty() {
                default.map(ToString::to_string).unwrap_or_default()
            } else {
                reply.to_string()
            };
            Ok(var.var_type.parse(&text, &var.choices).unwrap())
        }
    }

    fn run(given: &Given, prompter: &mut dyn Prompter) -> Result<BTreeMap<String, String>> {
        let manifest = Manifest::load("t", MANIFEST).unwrap();
        let answers = resolve(&manifest, given, prompter)?;
        Ok(answers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect())
    }

    fn given_set(pairs: &[(&str, &str)]) -> Given {
        Given {
            set: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Given::default()
        }
    }

    #[test]
    fn without_terminal_a_question_without_default_names_the_flag() {
        let err = run(&Given::default(), &mut NoTerminal).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no answer for port; there is no terminal to ask, so pass --set port=…"
        );
    }

    #[test]
    fn false_condition_skips_the_question() {
        let answers = run(&given_set(&[("api", "false")]), &mut NoTerminal).unwrap();
        assert_eq!(answers["port"], "");
        assert_eq!(answers["package"], "demo");
    }

    #[test]
    fn precedence_set_over_file_over_config_over_git_over_default() {
        let table = |pairs: &[(&str, &str)]| -> RawAnswers {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), toml::Value::String(v.to_string())))
                .collect()
        };
        let mut given = given_set(&[("port", "1"), ("project", "from-set")]);
        given.file = Some((
            "answers.toml".into(),
            table(&[("project", "from-file"), ("package", "pkg")]),
        ));
        given.config = Some((
            "config.toml".into(),
            table(&[("package", "nope"), ("author", "Config Person")]),
        ));
        given.git.insert("user.name".into(), "Git Person".into());
        let answers = run(&given, &mut NoTerminal).unwrap();
        assert_eq!(answers["project"], "from-set");
        assert_eq!(answers["package"], "pkg");
        assert_eq!(answers["author"], "Config Person");
        given.config = None;
        assert_eq!(
            run(&given, &mut NoTerminal).unwrap()["author"],
            "Git Person"
        );
    }

    #[test]
    fn derived_default_and_directory_hint() {
        let mut given = given_set(&[("port", "8000")]);
        given.directory_hint = Some("my-thing".into());
        let answers = run(&given, &mut NoTerminal).unwrap();
        assert_eq!(
            (answers["project"].as_str(), answers["package"].as_str()),
            ("my-thing", "my_thing")
        );
    }

    #[test]
    fn invalid_default_from_directory_names_the_variable() {
        let mut given = given_set(&[("port", "8000")]);
        given.directory_hint = Some("My Thing".into());
        let err = run(&given, &mut NoTerminal).unwrap_err().to_string();
        assert!(
            err.contains("variable `project`") && err.contains("--set project="),
            "{err}"
        );
    }

    #[test]
    fn bad_set_values_and_keys() {
        let err = run(&given_set(&[("api", "maybe")]), &mut NoTerminal)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("--set api: the value `maybe` is not a bool"),
            "{err}"
        );
        let err = run(&given_set(&[("colour", "red")]), &mut NoTerminal)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no variable `colour`")
                && err.contains("known variables: project, package"),
            "{err}"
        );
    }

    #[test]
    fn interactive_asks_in_order_with_computed_defaults_and_skips_answered() {
        let mut prompter = Scripted {
            replies: vec!["my-app", "", "false", ""],
            asked: vec![],
        };
        let answers = run(&given_set(&[]), &mut prompter).unwrap();
        let asked: Vec<_> = prompter
            .asked
            .iter()
            .map(|(n, d)| format!("{n}={}", d.clone().unwrap_or_default()))
            .collect();
        assert_eq!(
            asked,
            [
                "project=demo",
                "package=my_app",
                "api=true",
                "author=Someone"
            ]
        );
        assert_eq!(answers["api"], "false");
        let mut prompter = Scripted {
            replies: vec!["", "", ""],
            asked: vec![],
        };
        run(
            &given_set(&[("package", "x"), ("port", "1")]),
            &mut prompter,
        )
        .unwrap();
        assert_eq!(prompter.asked.len(), 3);
    }
}

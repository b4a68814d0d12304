//! Which question comes next, what its default is, whether it is asked at all, and whether an
//! answer is acceptable. No I/O: the terminal is behind [`Prompter`], answers arrive as data.
//!
//! Precedence for every variable: `--set` > answers file > (asked, or) user config / git config /
//! template default. A question whose `when` is false is not asked and takes its default.

use std::collections::BTreeMap;

use crate::answers::sources::RawAnswers;
use crate::error::{Error, Origin, Result};
use crate::prompt::{Prompter, Question, Reply};
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

/// The answers, and the questions that took their default without being asked (`--yes`).
#[derive(Debug)]
pub struct Resolution {
    pub answers: Answers,
    pub defaults_taken: Vec<String>,
}

/// What the loop gathers besides the answers.
#[derive(Default)]
struct Tally {
    asked: usize,
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
    let total = questions_left(manifest, given, 0, &answers);
    if total > 0 {
        let meta = &manifest.template;
        prompter.intro(&meta.name, &meta.version, total);
    }
    for (index, var) in manifest.variables.iter().enumerate() {
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
    })
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
    let input = RenderInput {
        answers,
        dayone: &dayone,
    };
    let offered = var
        .offered(&input)
        .map_err(|m| manifest_error(manifest, var, m))?;
    if let Some(value) = provided(var, given, &offered)? {
        return Ok(value);
    }
    let default = default_for(var, manifest, &input, given)?;
    if !is_asked(var, &input).map_err(|m| manifest_error(manifest, var, m))? {
        return Ok(default.map_or_else(|| var.var_type.empty(), |(value, _)| value));
    }
    let question = Question {
        var,
        default: default.as_ref().map(|(value, _)| value),
        choices: &offered,
        default_from: default.as_ref().and_then(|(_, from)| from.as_deref()),
        number: tally.asked + 1,
        total: tally.asked + questions_left(manifest, given, index, answers),
    };
    tally.asked += 1;
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
    if !var.ask {
        return Ok(false);
    }
    var.when
        .as_ref()
        .map_or(Ok(true), |when| eval_bool(when, input))
}

/// How many questions are still to come from variable `from` on, if every one of them took
/// its default: the wizard's `[n/N]`, which can change as answers change conditions.
fn questions_left(manifest: &Manifest, given: &Given, from: usize, so_far: &Answers) -> usize {
    let dayone = DayoneVars::for_questions();
    let mut answers = so_far.clone();
    let mut count = 0;
    for var in &manifest.variables[from..] {
        let input = RenderInput {
            answers: &answers,
            dayone: &dayone,
        };
        let offered = var.offered(&input).unwrap_or_default();
        let value = match provided(var, given, &offered) {
            Ok(Some(value)) => value,
            _ => {
                count += usize::from(is_asked(var, &input).unwrap_or(true));
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
mod tests {
    use super::*;
    use crate::prompt::{Defaults, NoTerminal};

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

    /// Answers questions from a script and records what was asked, with which default, where
    /// it came from, the counter, and which choices were offered.
    #[derive(Default)]
    struct Scripted {
        replies: Vec<&'static str>,
        asked: Vec<(String, Option<String>)>,
        offered: Vec<Vec<String>>,
        counters: Vec<(usize, usize)>,
        sources: Vec<Option<String>>,
    }

    impl Prompter for Scripted {
        fn ask(&mut self, q: &Question) -> Result<Reply> {
            if !q.choices.is_empty() {
                self.offered.push(q.choices.to_vec());
            }
            self.asked
                .push((q.var.name.clone(), q.default.map(ToString::to_string)));
            self.counters.push((q.number, q.total));
            self.sources.push(q.default_from.map(String::from));
            let reply = self.replies.remove(0);
            let text = if reply.is_empty() {
                q.default.map(ToString::to_string).unwrap_or_default()
            } else {
                reply.to_string()
            };
            Ok(Reply::Given(
                q.var.var_type.parse(&text, &q.var.choices).unwrap(),
            ))
        }
    }

    fn run(given: &Given, prompter: &mut dyn Prompter) -> Result<BTreeMap<String, String>> {
        let manifest = Manifest::load("t", MANIFEST).unwrap();
        let resolution = resolve(&manifest, given, prompter)?;
        Ok(resolution
            .answers
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
        let err = run(&Given::default(), &mut Defaults).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no answer for port; there is no terminal to ask, so pass --set port=…"
        );
    }

    #[test]
    fn false_condition_skips_the_question() {
        let answers = run(&given_set(&[("api", "false")]), &mut Defaults).unwrap();
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
        let answers = run(&given, &mut Defaults).unwrap();
        assert_eq!(answers["project"], "from-set");
        assert_eq!(answers["package"], "pkg");
        assert_eq!(answers["author"], "Config Person");
        given.config = None;
        assert_eq!(run(&given, &mut Defaults).unwrap()["author"], "Git Person");
    }

    #[test]
    fn derived_default_and_directory_hint() {
        let mut given = given_set(&[("port", "8000")]);
        given.directory_hint = Some("my-thing".into());
        let answers = run(&given, &mut Defaults).unwrap();
        assert_eq!(
            (answers["project"].as_str(), answers["package"].as_str()),
            ("my-thing", "my_thing")
        );
    }

    #[test]
    fn invalid_default_from_directory_names_the_variable() {
        let mut given = given_set(&[("port", "8000")]);
        given.directory_hint = Some("My Thing".into());
        let err = run(&given, &mut Defaults).unwrap_err().to_string();
        assert!(
            err.contains("variable `project`") && err.contains("--set project="),
            "{err}"
        );
    }

    #[test]
    fn bad_set_values_and_keys() {
        let err = run(&given_set(&[("api", "maybe")]), &mut Defaults)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("--set api: the value `maybe` is not a bool"),
            "{err}"
        );
        let err = run(&given_set(&[("colour", "red")]), &mut Defaults)
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
            ..Scripted::default()
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
            ..Scripted::default()
        };
        run(
            &given_set(&[("package", "x"), ("port", "1")]),
            &mut prompter,
        )
        .unwrap();
        assert_eq!(prompter.asked.len(), 3);
    }

    #[test]
    fn choices_fit_the_answers_before_them() {
        let manifest = Manifest::load(
            "t",
            r#"
[template]
name = "t"
version = "1.0.0"

[[variables]]
name = "kind"
prompt = "Kind"
type = "choice"
choices = ["image", "text", "graph"]
default = "image"

[[variables]]
name = "framework"
prompt = "Framework"
type = "choice"
choices = ["none", "timm", "transformers", "pyg"]
labels = { timm = "PyTorch Image Models" }
choice_when = { none = "kind != 'graph'", timm = "kind == 'image'", transformers = "kind == 'text'", pyg = "kind == 'graph'" }
default = "{% if kind == 'graph' %}pyg{% else %}none{% endif %}"
"#,
        )
        .unwrap();
        let answers = |set: &[(&str, &str)]| resolve(&manifest, &given_set(set), &mut Defaults);
        let graph = answers(&[("kind", "graph")]).unwrap();
        assert_eq!(graph.answers.get("framework").unwrap().to_string(), "pyg");
        let err = answers(&[("kind", "text"), ("framework", "timm")])
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "--set framework: the value `timm` is not one of: none, transformers"
        );
        let mut prompter = Scripted {
            replies: vec!["text", ""],
            ..Scripted::default()
        };
        resolve(&manifest, &Given::default(), &mut prompter).unwrap();
        assert_eq!(
            prompter.offered,
            [vec!["image", "text", "graph"], vec!["none", "transformers"]]
        );
    }

    #[test]
    fn without_a_terminal_and_without_yes_every_question_is_named() {
        let err = run(&given_set(&[("port", "1")]), &mut NoTerminal)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "there is no terminal to ask project, package, api, author; pass --yes to take their \
             defaults, or --set NAME=VALUE for each (`dayone templates` shows them)"
        );
    }

    #[test]
    fn the_wizard_counts_the_questions_and_says_where_defaults_come_from() {
        let mut given = Given::default();
        given.git.insert("user.name".into(), "Git Person".into());
        let mut prompter = Scripted {
            replies: vec!["", "", "false", ""],
            ..Scripted::default()
        };
        run(&given, &mut prompter).unwrap();
        // `port` would have been asked had `api` stayed true: the total drops once it is false.
        assert_eq!(prompter.counters, [(1, 5), (2, 5), (3, 5), (4, 4)]);
        assert_eq!(
            prompter.sources.last().unwrap().as_deref(),
            Some("git config user.name")
        );
        let taken = resolve(
            &Manifest::load("t", MANIFEST).unwrap(),
            &given_set(&[("port", "1")]),
            &mut Defaults,
        )
        .unwrap()
        .defaults_taken;
        assert_eq!(taken, ["project", "package", "api", "author"]);
    }
}

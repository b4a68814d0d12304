//! `template.toml`: the manifest a template author writes. Parsing is strict (unknown keys are
//! errors, with file:line:column); [`Manifest::validate`] then reports every semantic problem at once.

use std::collections::HashSet;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::render::{DayoneVars, Language, RenderInput, eval_bool, render_text};
pub use crate::template::variable::Variable;
use crate::template::version::Version;
use crate::value::{Answers, VarType};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub template: Meta,
    #[serde(default)]
    pub variables: Vec<Variable>,
    #[serde(default)]
    pub files: Files,
    /// The language its texts are written in: Tera for `template.toml`, Jinja for a
    /// cookiecutter template.
    #[serde(skip)]
    pub language: Language,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub version: String,
    #[serde(default)]
    pub min_dayone_version: Option<String>,
    /// The variable whose answer names the project folder when `dayone new` gets no DIR.
    #[serde(default)]
    pub directory_variable: Option<String>,
    /// Shown after a successful `dayone new`; rendered with the answers.
    #[serde(default)]
    pub next_steps: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Files {
    /// Globs (over template-relative source paths) copied byte for byte, never rendered.
    #[serde(default)]
    pub verbatim: Vec<String>,
    /// Globs never copied at all.
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// Folders beside `project/` laid over it when their condition holds, in order: a layer's
    /// file replaces the tree's file (or an earlier layer's) at the same path, or adds one.
    #[serde(default)]
    pub layers: Vec<Layer>,
    /// Files that come in one version per value of a choice (`README_uv.md`, `README_pip.md`):
    /// the answer's version is written under the plain name, the others are left out.
    #[serde(default)]
    pub variants: Vec<Variants>,
}

/// `[[files.variants]]`: a choice variable whose values name versions of files.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variants {
    pub variable: String,
    /// What stands between a file's name and the value, before the extension.
    #[serde(default = "underscore")]
    pub separator: String,
}

fn underscore() -> String {
    "_".to_string()
}

/// A folder of files laid over the tree for some answers, e.g. one per kind of data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Layer {
    pub when: String,
    pub folder: String,
}

/// Paths included only when an expression over the answers holds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub when: String,
    pub paths: Vec<String>,
}

/// Appended to expression problems of variables, where order matters.
pub(super) const ABOVE: &str =
    "; a variable's expressions may only use variables declared above it";

/// Names no variable may take: the engine puts its own values there.
const RESERVED: &[&str] = &["dayone", "__dayone_text"];

impl Manifest {
    /// Parse manifest text; `file` is only used to name the file in errors.
    pub fn parse(file: &str, text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|err| Error::toml(file, text, &err))
    }

    /// What the template's expressions and files read, in the template's language.
    pub fn input<'a>(&'a self, answers: &'a Answers, dayone: &'a DayoneVars) -> RenderInput<'a> {
        RenderInput {
            answers,
            dayone,
            language: &self.language,
        }
    }

    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name == name)
    }

    /// Every semantic problem, in manifest order. Expressions are checked by evaluating them
    /// over the defaults of the variables before them, so a reference to a later or unknown
    /// variable is caught here rather than halfway through a user's answers.
    pub fn validate(&self) -> Vec<String> {
        let mut problems = self.meta_problems();
        let defaults = self.variable_problems(&mut problems);
        self.file_problems(&defaults, &mut problems);
        problems
    }

    fn meta_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let meta = &self.template;
        let texts = [
            ("name", Some(&meta.name)),
            ("description", Some(&meta.description)),
            ("next_steps", meta.next_steps.as_ref()),
        ];
        for (key, text) in texts {
            if text.is_some_and(|t| has_control(t)) {
                problems.push(format!("[template] {key}: {CONTROL}"));
            }
        }
        if meta.name.trim().is_empty() {
            problems.push("[template] name is empty".to_string());
        }
        if Version::parse(&meta.version).is_none() {
            problems.push(format!(
                "[template] version `{}` is not of the form X.Y.Z",
                meta.version
            ));
        }
        if let Some(min) = &meta.min_dayone_version
            && Version::parse(min).is_none()
        {
            problems.push(format!(
                "[template] min_dayone_version `{min}` is not of the form X.Y.Z"
            ));
        }
        if let Some(dir_var) = &meta.directory_variable {
            match self.variable(dir_var) {
                Some(v) if v.var_type == VarType::String => {}
                Some(_) => problems.push(format!(
                    "[template] directory_variable `{dir_var}` must be a string variable"
                )),
                None => problems.push(format!(
                    "[template] directory_variable `{dir_var}` is not a declared variable"
                )),
            }
        }
        problems
    }

    /// Problems of each variable, in order; returns the answers that taking every default gives.
    fn variable_problems(&self, problems: &mut Vec<String>) -> Answers {
        let mut seen = HashSet::new();
        let dayone = DayoneVars::for_questions();
        let mut answers = Answers::new();
        for var in &self.variables {
            let here = format!("variable `{}`", var.name);
            // Tera reads answers as names; Jinja reads them as `cookiecutter[…]` too.
            let named = match self.language {
                Language::Tera => is_identifier(&var.name),
                Language::Jinja(_) => !var.name.is_empty(),
            };
            if !named {
                problems.push(format!(
                    "{here}: a name must be letters, digits and '_', not starting with a digit"
                ));
            }
            if RESERVED.contains(&var.name.as_str()) {
                problems.push(format!(
                    "{here}: the name is reserved for dayone's own values"
                ));
            }
            if !seen.insert(var.name.as_str()) {
                problems.push(format!("{here}: declared twice"));
            }
            problems.extend(
                var.shape_problems()
                    .into_iter()
                    .map(|p| format!("{here}: {p}")),
            );
            let input = self.input(&answers, &dayone);
            if let Some(when) = &var.when
                && let Err(msg) = eval_bool(when, &input)
            {
                problems.push(format!("{here}: `when = \"{when}\"`: {msg}{ABOVE}"));
            }
            let offered = var.offered(&input).unwrap_or_else(|msg| {
                problems.push(format!("{here}: {msg}"));
                var.choices.clone()
            });
            let value = match var.default_value(&input) {
                Ok(Some(value)) => {
                    let fits = var
                        .check(&value)
                        .and_then(|()| var.check_offered(&value, &offered));
                    if let Err(problem) = fits {
                        problems.push(format!("{here}: the default {problem}"));
                    }
                    value
                }
                Ok(None) => var.var_type.empty(),
                Err(msg) => {
                    problems.push(format!("{here}: {msg}"));
                    var.var_type.empty()
                }
            };
            answers.insert(&var.name, value);
        }
        answers
    }

    /// Problems of the file rules, globs and next steps, evaluated over the defaults.
    fn file_problems(&self, defaults: &Answers, problems: &mut Vec<String>) {
        let dayone = DayoneVars::for_project(".", false);
        let input = self.input(defaults, &dayone);
        for (i, rule) in self.files.rules.iter().enumerate() {
            if let Err(msg) = eval_bool(&rule.when, &input) {
                problems.push(format!(
                    "[[files.rules]] #{}: `when = \"{}\"`: {msg}",
                    i + 1,
                    rule.when
                ));
            }
            if rule.paths.is_empty() {
                problems.push(format!("[[files.rules]] #{}: `paths` is empty", i + 1));
            }
        }
        for (i, layer) in self.files.layers.iter().enumerate() {
            let here = format!("[[files.layers]] #{}", i + 1);
            if let Err(msg) = eval_bool(&layer.when, &input) {
                problems.push(format!("{here}: `when = \"{}\"`: {msg}", layer.when));
            }
            let plain = layer
                .folder
                .split('/')
                .all(|part| !part.is_empty() && part != "." && part != "..");
            if !plain || layer.folder == crate::template::TREE_DIR {
                problems.push(format!(
                    "{here}: `folder = \"{}\"` must name a folder beside `{}/`, inside the template",
                    layer.folder,
                    crate::template::TREE_DIR
                ));
            }
        }
        for (i, rule) in self.files.variants.iter().enumerate() {
            let here = format!("[[files.variants]] #{}", i + 1);
            match self.variable(&rule.variable) {
                Some(var) if var.var_type == VarType::Choice => {}
                Some(var) => problems.push(format!(
                    "{here}: `{}` is a {} variable; variants need a choice variable",
                    rule.variable, var.var_type
                )),
                None => problems.push(format!(
                    "{here}: `{}` is not a declared variable",
                    rule.variable
                )),
            }
            if rule.separator.is_empty() || rule.separator.contains('/') {
                problems.push(format!(
                    "{here}: `separator = \"{}\"` must be some text without `/`",
                    rule.separator
                ));
            }
        }
        let all_globs = self
            .files
            .rules
            .iter()
            .flat_map(|r| r.paths.iter().map(move |p| ("files.rules", p)))
            .chain(self.files.verbatim.iter().map(|p| ("files.verbatim", p)))
            .chain(self.files.exclude.iter().map(|p| ("files.exclude", p)));
        for (key, glob) in all_globs {
            if let Err(err) = globset::Glob::new(glob) {
                problems.push(format!(
                    "[{key}] `{glob}` is not a valid glob: {}",
                    err.kind()
                ));
            }
        }
        if let Some(text) = &self.template.next_steps
            && let Err(msg) = render_text("next_steps", text, &input)
        {
            problems.push(format!("[template] next_steps: {msg}"));
        }
    }

    /// Parse and validate in one go, turning problems into one error.
    pub fn load(file: &str, text: &str) -> Result<Self> {
        let manifest = Self::read(file, text)?;
        let problems = manifest.validate();
        if !problems.is_empty() {
            return Err(Error::Manifest {
                file: file.to_string(),
                problems,
            });
        }
        Ok(manifest)
    }

    /// Parse without the semantic checks: for a template whose manifest the test suite has
    /// already validated (the built-in ones). A template that needs a newer dayone says so
    /// first, even when this dayone cannot parse it (perhaps for keys it does not know).
    pub fn read(file: &str, text: &str) -> Result<Self> {
        let parsed = Self::parse(file, text);
        let (name, min) = match &parsed {
            Ok(manifest) => (
                Some(manifest.template.name.clone()),
                manifest.template.min_dayone_version.clone(),
            ),
            Err(_) => {
                let loose: Option<toml::Table> = toml::from_str(text).ok();
                let meta = loose
                    .as_ref()
                    .and_then(|t| t.get("template"))
                    .and_then(toml::Value::as_table);
                let field = |key: &str| {
                    meta.and_then(|t| t.get(key))
                        .and_then(toml::Value::as_str)
                        .map(String::from)
                };
                (field("name"), field("min_dayone_version"))
            }
        };
        if let Some(min) = min.as_deref().and_then(Version::parse) {
            let current = Version::current();
            if current < min {
                return Err(Error::TooOld {
                    template: name.unwrap_or_else(|| file.to_string()),
                    required: min.to_string(),
                    current: current.to_string(),
                });
            }
        }
        parsed
    }
}

/// What a manifest's texts may not hold: they are printed on the user's terminal.
pub(super) const CONTROL: &str =
    "holds a control character (an escape sequence could rewrite the terminal); write plain text";

/// Any control character but a newline or a tab.
pub(super) fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        Manifest::parse("t.toml", text).unwrap().validate()
    }

    const HEAD: &str = "[template]\nname = \"t\"\nversion = \"1.0.0\"\n";

    #[test]
    fn unknown_key_is_reported_with_line_and_column() {
        let err = Manifest::parse("t.toml", &format!("{HEAD}colour = 1\n")).unwrap_err();
        let Error::Toml {
            line,
            column,
            message,
            ..
        } = err
        else {
            panic!("{err:?}")
        };
        assert_eq!((line, column), (4, 1));
        assert!(message.contains("colour"), "{message}");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let text = format!(
            "{HEAD}[[variables]]\nname = \"a\"\nprompt = \"A\"\ntype = \"choice\"\nchoices = [\"x\"]\ndefault = \"y\"\n\
             [[variables]]\nname = \"b\"\nprompt = \"B\"\ntype = \"bool\"\nwhen = \"c\"\n\
             [[variables]]\nname = \"c\"\nprompt = \"C\"\ntype = \"string\"\ndefault = \"{{{{ nope }}}}\"\n"
        );
        let found = problems(&text);
        assert_eq!(found.len(), 3, "{found:#?}");
        assert!(
            found[0].contains("`a`") && found[0].contains("`y`"),
            "{found:#?}"
        );
        assert!(
            found[1].contains("`b`") && found[1].contains("`c`"),
            "{found:#?}"
        );
        assert!(
            found[2].contains("`c`") && found[2].contains("nope"),
            "{found:#?}"
        );
    }

    #[test]
    fn bad_globs_versions_and_rules_are_problems() {
        let text = "[template]\nname = \"\"\nversion = \"one\"\n[files]\nverbatim = [\"a/[\"]\n\
                    [[files.rules]]\nwhen = \"missing\"\npaths = []\n";
        let found = problems(text);
        let expected = [
            "[template] name is empty",
            "[template] version `one` is not of the form X.Y.Z",
            "[[files.rules]] #1: `when = \"missing\"`: `missing` is not defined",
            "[[files.rules]] #1: `paths` is empty",
            "[files.verbatim] `a/[` is not a valid glob",
        ];
        assert_eq!(found.len(), expected.len(), "{found:#?}");
        for (problem, start) in found.iter().zip(expected) {
            assert!(
                problem.starts_with(start),
                "{problem:?} should start with {start:?}"
            );
        }
    }
}

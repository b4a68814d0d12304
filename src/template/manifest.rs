//! `template.toml`: the manifest a template author writes. Parsing is strict (unknown keys are
//! errors, with file:line:column); [`Manifest::validate`] then reports every semantic problem at once.

use std::collections::HashSet;

use serde::Deserialize;

use crate::answers::{Value, VarType};
use crate::error::{Error, Result};
use crate::template::engine::Engine;
use crate::template::version::Version;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub template: Meta,
    #[serde(default)]
    pub variables: Vec<Variable>,
    #[serde(default)]
    pub files: Files,
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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    pub name: String,
    pub prompt: String,
    #[serde(default)]
    pub help: Option<String>,
    #[serde(rename = "type")]
    pub var_type: VarType,
    /// A value of the variable's type, or a string holding a Tera template over earlier answers.
    #[serde(default)]
    pub default: Option<toml::Value>,
    #[serde(default)]
    pub choices: Vec<String>,
    #[serde(default)]
    pub validate: Option<Validation>,
    /// A Tera expression over earlier answers; when false the question is not asked and the
    /// variable takes its default.
    #[serde(default)]
    pub when: Option<String>,
    /// `false` for computed variables that are never asked but are recorded.
    #[serde(default = "yes")]
    pub ask: bool,
    /// A git configuration key (e.g. `user.name`) whose value is preferred over `default`.
    #[serde(default)]
    pub git_config: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    pub regex: String,
    /// `regex`, compiled once on first use (every answer and default is checked).
    #[serde(skip)]
    compiled: std::sync::OnceLock<Result<regex::Regex, String>>,
    pub message: String,
    /// Values that match the regex but are still refused (e.g. Python keywords).
    #[serde(default)]
    pub deny: Vec<String>,
    #[serde(default)]
    pub deny_message: Option<String>,
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
}

/// Paths included only when an expression over the answers holds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub when: String,
    pub paths: Vec<String>,
}

/// Appended to expression problems of variables, where order matters.
const ABOVE: &str = "; a variable's expressions may only use variables declared above it";

/// Names no variable may take: the engine puts its own values there.
const RESERVED: &[&str] = &["dayone", "__dayone_text"];

impl Manifest {
    /// Parse manifest text; `file` is only used to name the file in errors.
    pub fn parse(file: &str, text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|err| Error::toml(file, text, &err))
    }

    pub fn variable(&self, name: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.name == name)
    }

    /// Every semantic problem, in manifest order. Expressions are checked by evaluating them
    /// over the defaults of the variables before them, so a reference to a later or unknown
    /// variable is caught here rather than halfway through a user's answers.
    pub fn validate(&self, engine: &mut Engine) -> Vec<String> {
        let mut problems = Vec::new();
        let meta = &self.template;
        if meta.name.trim().is_empty() {
            problems.push("[template] name is empty".to_string());
        }
        if Version::parse(&meta.version).is_none() {
            problems.push(format!(
                "[template] version `{}` is not of the form X.Y.Z",
                meta.version
            ));
        }
        if let Some(min) = &meta.min_dayone_version {
            if Version::parse(min).is_none() {
                problems.push(format!(
                    "[template] min_dayone_version `{min}` is not of the form X.Y.Z"
                ));
            }
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

        let mut seen = HashSet::new();
        let mut context = engine.base_context();
        for var in &self.variables {
            let here = format!("variable `{}`", var.name);
            if !is_identifier(&var.name) {
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
            if let Some(when) = &var.when {
                if let Err(msg) = engine.eval_bool(when, &context) {
                    problems.push(format!("{here}: `when = \"{when}\"`: {msg}{ABOVE}"));
                }
            }
            match var.default_value(engine, &context) {
                Ok(Some(value)) => {
                    if let Err(msg) = var.check(&value) {
                        problems.push(format!("{here}: the default {msg}"));
                    }
                    context.insert(&var.name, &value);
                }
                Ok(None) => context.insert(&var.name, &var.var_type.empty()),
                Err(msg) => {
                    problems.push(format!("{here}: {msg}"));
                    context.insert(&var.name, &var.var_type.empty());
                }
            }
        }

        for (i, rule) in self.files.rules.iter().enumerate() {
            if let Err(msg) = engine.eval_bool(&rule.when, &context) {
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
        if let Some(text) = &meta.next_steps {
            if let Err(msg) = engine.render_text("next_steps", text, &context) {
                problems.push(format!("[template] next_steps: {msg}"));
            }
        }
        problems
    }

    /// Parse and validate in one go, turning problems into one error.
    ///
    /// The minimum dayone version is read first, leniently, so a template that needs a newer
    /// dayone (perhaps for keys this one does not know) says so instead of failing on them.
    pub fn load(file: &str, text: &str, engine: &mut Engine) -> Result<Self> {
        let loose: Option<toml::Table> = toml::from_str(text).ok();
        let meta = loose
            .as_ref()
            .and_then(|t| t.get("template"))
            .and_then(toml::Value::as_table);
        let field = |key: &str| meta.and_then(|t| t.get(key)).and_then(toml::Value::as_str);
        if let Some(min) = field("min_dayone_version").and_then(Version::parse) {
            let current = Version::current();
            if current < min {
                return Err(Error::TooOld {
                    template: field("name").unwrap_or(file).to_string(),
                    required: min.to_string(),
                    current: current.to_string(),
                });
            }
        }
        let manifest = Self::parse(file, text)?;
        let problems = manifest.validate(engine);
        if !problems.is_empty() {
            return Err(Error::Manifest {
                file: file.to_string(),
                problems,
            });
        }
        Ok(manifest)
    }
}

impl Variable {
    /// Problems with the declaration itself, independent of other variables.
    fn shape_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let has_choices = matches!(self.var_type, VarType::Choice | VarType::MultiChoice);
        if has_choices && self.choices.is_empty() {
            problems.push(format!(
                "type `{}` needs a non-empty `choices` list",
                self.var_type
            ));
        }
        if !has_choices && !self.choices.is_empty() {
            problems.push(format!(
                "`choices` only applies to choice and multi-choice, not `{}`",
                self.var_type
            ));
        }
        let mut unique = HashSet::new();
        for choice in &self.choices {
            if !unique.insert(choice) {
                problems.push(format!("choice `{choice}` is listed twice"));
            }
        }
        if let Some(rule) = &self.validate {
            if self.var_type != VarType::String {
                problems.push("`validate` only applies to string variables".to_string());
            }
            if let Err(err) = rule.compiled() {
                problems.push(format!("`validate.regex` does not compile: {err}"));
            }
        }
        if !self.ask && self.default.is_none() {
            problems.push("`ask = false` needs a `default`".to_string());
        }
        problems
    }

    /// The default, evaluated over the answers so far. A string default for a variable of any
    /// type is a Tera template whose output is then read as that type.
    pub fn default_value(
        &self,
        engine: &mut Engine,
        context: &tera::Context,
    ) -> Result<Option<Value>, String> {
        let Some(raw) = &self.default else {
            return Ok(None);
        };
        let value = match raw {
            toml::Value::String(text) => {
                let rendered = engine
                    .render_text(&format!("default of {}", self.name), text, context)
                    .map_err(|e| format!("default: {e}{ABOVE}"))?;
                self.var_type
                    .parse(&rendered, &self.choices)
                    .map_err(|e| format!("the default {e}"))?
            }
            other => Value::from_toml(other, self.var_type)
                .ok_or_else(|| format!("`{other}` is not a {} value", self.var_type))?,
        };
        Ok(Some(value))
    }

    /// Is `value` acceptable for this variable? The error completes "the value …".
    pub fn check(&self, value: &Value) -> Result<(), String> {
        value.check_type(self.var_type, &self.choices)?;
        if let (Some(rule), Value::Str(text)) = (&self.validate, value) {
            let regex = rule
                .compiled()
                .map_err(|e| format!("cannot be checked: {e}"))?;
            if !regex.is_match(text) {
                return Err(format!("`{text}` is invalid: {}", rule.message));
            }
            if rule.deny.iter().any(|d| d.eq_ignore_ascii_case(text)) {
                let why = rule.deny_message.as_deref().unwrap_or("is not allowed");
                return Err(format!("`{text}` {why}"));
            }
        }
        Ok(())
    }
}

impl Validation {
    fn compiled(&self) -> Result<&regex::Regex, &String> {
        self.compiled
            .get_or_init(|| regex::Regex::new(&self.regex).map_err(|e| e.to_string()))
            .as_ref()
    }
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
        let mut engine = Engine::new();
        Manifest::parse("t.toml", text)
            .unwrap()
            .validate(&mut engine)
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
    fn derived_default_sees_earlier_answers() {
        let text = format!(
            "{HEAD}[[variables]]\nname = \"a\"\nprompt = \"A\"\ntype = \"string\"\ndefault = \"My Thing\"\n\
             [[variables]]\nname = \"b\"\nprompt = \"B\"\ntype = \"string\"\ndefault = \"{{{{ a | snake_case }}}}\"\n"
        );
        let manifest = Manifest::parse("t.toml", &text).unwrap();
        let mut engine = Engine::new();
        assert!(manifest.validate(&mut engine).is_empty());
        let mut ctx = engine.base_context();
        ctx.insert("a", &"My Thing");
        let b = manifest
            .variable("b")
            .unwrap()
            .default_value(&mut engine, &ctx)
            .unwrap();
        assert_eq!(b, Some(Value::Str("my_thing".into())));
    }

    #[test]
    fn validation_regex_and_deny_list() {
        let text = format!(
            "{HEAD}[[variables]]\nname = \"p\"\nprompt = \"P\"\ntype = \"string\"\n\
             validate = {{ regex = \"^[a-z]+$\", message = \"lowercase only\", deny = [\"class\"], deny_message = \"is a keyword\" }}\n"
        );
        let manifest = Manifest::parse("t.toml", &text).unwrap();
        let var = manifest.variable("p").unwrap();
        assert!(var.check(&Value::Str("ok".into())).is_ok());
        assert!(
            var.check(&Value::Str("Bad".into()))
                .unwrap_err()
                .contains("lowercase only")
        );
        assert!(
            var.check(&Value::Str("class".into()))
                .unwrap_err()
                .contains("keyword")
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

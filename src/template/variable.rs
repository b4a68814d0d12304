//! One `[[variables]]` entry of a manifest: its declaration, its default (possibly an expression
//! over earlier answers) and the rule an answer must pass.

use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;

use crate::render::{RenderInput, eval_bool, render_text};
use crate::template::manifest::{ABOVE, CONTROL, has_control};
use crate::value::{Problem, Value, VarType};

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
    /// Words shown beside choices in the wizard and `dayone templates`, by choice.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Choices offered only when an expression over earlier answers holds, by choice; the
    /// others are always offered.
    #[serde(default)]
    pub choice_when: BTreeMap<String, String>,
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
    /// A part of the project that can be turned on later with `dayone add NAME` (bool and
    /// choice variables only).
    #[serde(default)]
    pub feature: bool,
    /// The course checklist items (by id) a feature gives a working starting point for:
    /// `dayone check` names `dayone add NAME` in their hints while the feature is off.
    #[serde(default)]
    pub serves: Vec<String>,
    /// The feature's files are a starting point, not the work: `dayone check` counts them as
    /// evidence for the items it serves only on lines the group wrote or changed.
    #[serde(default)]
    pub starter: bool,
}

/// The git configuration a template may read: who the author is, nothing else (other keys can
/// hold tokens, URLs with credentials, signing keys).
const GIT_KEYS: &[&str] = &["user.name", "user.email"];

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    pub regex: String,
    /// `regex`, compiled once on first use (every answer and default is checked).
    #[serde(skip)]
    compiled: std::sync::OnceLock<Result<regex_lite::Regex, String>>,
    pub message: String,
    /// Values that match the regex but are still refused (e.g. Python keywords).
    #[serde(default)]
    pub deny: Vec<String>,
    #[serde(default)]
    pub deny_message: Option<String>,
}

impl Variable {
    /// Problems with the declaration itself, independent of other variables.
    pub(super) fn shape_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let texts = std::iter::once(&self.prompt)
            .chain(&self.help)
            .chain(&self.choices)
            .chain(self.labels.values());
        if texts.into_iter().any(|t| has_control(t)) {
            problems.push(format!("prompt, help, a choice or a label {CONTROL}"));
        }
        if let Some(key) = self.git_config.as_deref().filter(|k| !GIT_KEYS.contains(k)) {
            problems.push(format!(
                "`git_config = \"{key}\"`: a template may read only {} from git config",
                GIT_KEYS.join(" and ")
            ));
        }
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
        for (key, keyed) in [("labels", &self.labels), ("choice_when", &self.choice_when)] {
            for choice in keyed.keys().filter(|c| !self.choices.contains(c)) {
                problems.push(format!(
                    "`{key}` names `{choice}`, which is not one of the choices"
                ));
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
        if !self.serves.is_empty() && !self.feature {
            problems.push("`serves` only applies to a `feature`".to_string());
        }
        if self.starter && self.serves.is_empty() {
            problems.push("`starter = true` needs the items it starts in `serves`".to_string());
        }
        if self.feature && !matches!(self.var_type, VarType::Bool | VarType::Choice) {
            problems.push(format!(
                "`feature = true` only applies to bool and choice variables, not `{}`",
                self.var_type
            ));
        }
        if !self.ask && self.default.is_none() {
            problems.push("`ask = false` needs a `default`".to_string());
        }
        problems
    }

    /// The default, evaluated over the answers so far. A string default for a variable of any
    /// type is a Tera template whose output is then read as that type.
    pub fn default_value(&self, input: &RenderInput) -> Result<Option<Value>, String> {
        let Some(raw) = &self.default else {
            return Ok(None);
        };
        let value = match raw {
            toml::Value::String(text) => {
                let rendered = render_text(&format!("default of {}", self.name), text, input)
                    .map_err(|e| format!("default: {e}{ABOVE}"))?;
                self.var_type
                    .parse(&rendered, &self.choices)
                    .map_err(|e| format!("the default {e}"))?
            }
            toml::Value::Table(table) if self.var_type == VarType::Dict => {
                let what = format!("default of {}", self.name);
                let rendered = render_leaves(&toml::Value::Table(table.clone()), &what, input)
                    .map_err(|e| format!("default: {e}{ABOVE}"))?;
                let value = match rendered {
                    serde_json::Value::Object(map) => Value::Dict(map),
                    _ => unreachable!("a table renders to an object"),
                };
                value
                    .check_type(VarType::Dict, &[])
                    .map_err(|e| format!("the default {e}"))?;
                value
            }
            other => Value::from_toml(other, self.var_type).map_err(|e| e.to_string())?,
        };
        Ok(Some(value))
    }

    /// The choices offered for the answers so far: those without a `choice_when`, and those
    /// whose expression holds.
    pub fn offered(&self, input: &RenderInput) -> Result<Vec<String>, String> {
        let mut offered = Vec::with_capacity(self.choices.len());
        for choice in &self.choices {
            let holds = match self.choice_when.get(choice) {
                Some(when) => eval_bool(when, input)
                    .map_err(|e| format!("`choice_when` of `{choice}`: {e}{ABOVE}"))?,
                None => true,
            };
            if holds {
                offered.push(choice.clone());
            }
        }
        Ok(offered)
    }

    /// Is `value`, acceptable in itself, among the `offered` choices?
    pub fn check_offered(&self, value: &Value, offered: &[String]) -> Result<(), Problem> {
        if self.choice_when.is_empty() {
            return Ok(());
        }
        value.check_type(self.var_type, offered)
    }

    /// Is `value` acceptable for this variable?
    pub fn check(&self, value: &Value) -> Result<(), Problem> {
        value.check_type(self.var_type, &self.choices)?;
        if let (Some(rule), Value::Str(text)) = (&self.validate, value) {
            let regex = rule.compiled().map_err(|e| Problem::BadRule {
                regex_error: e.clone(),
            })?;
            if !regex.is_match(text) {
                return Err(Problem::Invalid {
                    value: text.clone(),
                    rule: rule.message.clone(),
                });
            }
            if rule.deny.iter().any(|d| d.eq_ignore_ascii_case(text)) {
                let why = rule.deny_message.as_deref().unwrap_or("is not allowed");
                return Err(Problem::Denied {
                    value: text.clone(),
                    why: why.to_string(),
                });
            }
        }
        Ok(())
    }
}

/// A dict default with every string in it (keys too) rendered as a template; other values as
/// they are.
fn render_leaves(
    value: &toml::Value,
    what: &str,
    input: &RenderInput,
) -> Result<serde_json::Value, String> {
    Ok(match value {
        toml::Value::String(text) => render_text(what, text, input)?.into(),
        toml::Value::Array(items) => items
            .iter()
            .map(|item| render_leaves(item, what, input))
            .collect::<Result<Vec<_>, _>>()?
            .into(),
        toml::Value::Table(table) => {
            let mut map = serde_json::Map::with_capacity(table.len());
            for (key, item) in table {
                map.insert(
                    render_text(what, key, input)?,
                    render_leaves(item, what, input)?,
                );
            }
            map.into()
        }
        other => serde_json::to_value(other).map_err(|e| e.to_string())?,
    })
}

impl Validation {
    fn compiled(&self) -> Result<&regex_lite::Regex, &String> {
        self.compiled
            .get_or_init(|| regex_lite::Regex::new(&self.regex).map_err(|e| e.to_string()))
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::DayoneVars;
    use crate::template::manifest::Manifest;
    use crate::value::Answers;

    const HEAD: &str = "[template]\nname = \"t\"\nversion = \"1.0.0\"\n";

    #[test]
    fn derived_default_sees_earlier_answers() {
        let text = format!(
            "{HEAD}[[variables]]\nname = \"a\"\nprompt = \"A\"\ntype = \"string\"\ndefault = \"My Thing\"\n\
             [[variables]]\nname = \"b\"\nprompt = \"B\"\ntype = \"string\"\ndefault = \"{{{{ a | snake_case }}}}\"\n"
        );
        let manifest = Manifest::parse("t.toml", &text).unwrap();
        assert!(manifest.validate().is_empty());
        let mut answers = Answers::new();
        answers.insert("a", Value::Str("My Thing".into()));
        let dayone = DayoneVars::for_questions();
        let input = manifest.input(&answers, &dayone);
        let b = manifest
            .variable("b")
            .unwrap()
            .default_value(&input)
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
                .to_string()
                .contains("lowercase only")
        );
        assert!(
            var.check(&Value::Str("class".into()))
                .unwrap_err()
                .to_string()
                .contains("keyword")
        );
    }
}

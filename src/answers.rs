//! Answer values and where they come from: `--set`, an answers file, the user's config, git
//! config. Precedence is applied in `questions`; this module only reads and writes them.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::template::manifest::Manifest;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VarType {
    String,
    Bool,
    Choice,
    MultiChoice,
}

impl fmt::Display for VarType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            VarType::String => "string",
            VarType::Bool => "bool",
            VarType::Choice => "choice",
            VarType::MultiChoice => "multi-choice",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Value {
    Str(String),
    Bool(bool),
    List(Vec<String>),
}

impl VarType {
    /// Read a value typed on the command line or returned by a template expression.
    pub fn parse(self, text: &str, choices: &[String]) -> Result<Value, String> {
        let value = match self {
            VarType::String | VarType::Choice => Value::Str(text.to_string()),
            VarType::Bool => match text.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "y" | "1" | "on" => Value::Bool(true),
                "false" | "no" | "n" | "0" | "off" => Value::Bool(false),
                _ => return Err(format!("`{text}` is not a bool; use true or false")),
            },
            VarType::MultiChoice => Value::List(
                text.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
            ),
        };
        value.check_type(self, choices)?;
        Ok(value)
    }

    /// The value a variable without any default holds while later expressions are checked.
    pub fn empty(self) -> Value {
        match self {
            VarType::String | VarType::Choice => Value::Str(String::new()),
            VarType::Bool => Value::Bool(false),
            VarType::MultiChoice => Value::List(Vec::new()),
        }
    }
}

impl Value {
    /// A TOML value of the right shape, or `None`.
    pub fn from_toml(value: &toml::Value, var_type: VarType) -> Option<Self> {
        match (var_type, value) {
            (VarType::String | VarType::Choice, toml::Value::String(s)) => {
                Some(Value::Str(s.clone()))
            }
            (VarType::Bool, toml::Value::Boolean(b)) => Some(Value::Bool(*b)),
            (VarType::MultiChoice, toml::Value::Array(items)) => items
                .iter()
                .map(|i| i.as_str().map(String::from))
                .collect::<Option<Vec<_>>>()
                .map(Value::List),
            _ => None,
        }
    }

    pub fn to_toml(&self) -> toml::Value {
        match self {
            Value::Str(s) => toml::Value::String(s.clone()),
            Value::Bool(b) => toml::Value::Boolean(*b),
            Value::List(items) => {
                toml::Value::Array(items.iter().cloned().map(toml::Value::String).collect())
            }
        }
    }

    /// Does the value fit the type and, for choices, the list? The error completes "the value …".
    pub fn check_type(&self, var_type: VarType, choices: &[String]) -> Result<(), String> {
        let listed = |c: &String| choices.contains(c);
        let options = || choices.join(", ");
        match (var_type, self) {
            (VarType::String, Value::Str(_)) | (VarType::Bool, Value::Bool(_)) => Ok(()),
            (VarType::Choice, Value::Str(s)) if listed(s) => Ok(()),
            (VarType::Choice, Value::Str(s)) => Err(format!("`{s}` is not one of: {}", options())),
            (VarType::MultiChoice, Value::List(items)) => match items.iter().find(|i| !listed(i)) {
                None => Ok(()),
                Some(bad) => Err(format!("`{bad}` is not one of: {}", options())),
            },
            (_, other) => Err(format!("`{other}` is not a {var_type} value")),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.write_str(s),
            Value::Bool(b) => write!(f, "{b}"),
            Value::List(items) => f.write_str(&items.join(",")),
        }
    }
}

/// Raw answers from one source, not yet checked against a template.
pub type RawAnswers = BTreeMap<String, toml::Value>;

/// Parse `--set KEY=VALUE` arguments. Values stay text; the variable's type reads them later.
pub fn parse_set_flags(flags: &[String]) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for flag in flags {
        let Some((key, value)) = flag.split_once('=') else {
            return Err(Error::Usage(format!(
                "--set `{flag}` has no `=`; write --set KEY=VALUE, e.g. --set api=false"
            )));
        };
        let key = key.trim();
        if key.is_empty() {
            return Err(Error::Usage(format!(
                "--set `{flag}` has an empty KEY; write --set KEY=VALUE"
            )));
        }
        out.insert(key.to_string(), value.to_string());
    }
    Ok(out)
}

/// `.dayone.toml`: which template made a project, and every answer it was given.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswersFile {
    #[serde(default)]
    pub dayone: Option<Provenance>,
    #[serde(default)]
    pub answers: RawAnswers,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    pub version: Option<String>,
    pub template: Option<String>,
    pub template_version: Option<String>,
}

/// The file name every generated project gets.
pub const ANSWERS_FILE: &str = ".dayone.toml";

impl AnswersFile {
    pub fn read(path: &Path) -> Result<Self> {
        let text = read_text(path)?;
        toml::from_str(&text).map_err(|err| Error::toml(&path.display().to_string(), &text, &err))
    }

    /// The text of a project's answers file, answers in manifest order.
    pub fn render(manifest: &Manifest, answers: &[(String, Value)]) -> String {
        let mut out = String::from(
            "# Written by dayone when this project was created. Replay it with:\n\
             #   dayone new --answers .dayone.toml OTHER-DIR\n\n[dayone]\n",
        );
        let pair = |key: &str, value: &str| {
            format!("{key} = {}\n", toml::Value::String(value.to_string()))
        };
        out += &pair("version", env!("CARGO_PKG_VERSION"));
        out += &pair("template", &manifest.template.name);
        out += &pair("template_version", &manifest.template.version);
        out += "\n[answers]\n";
        for (name, value) in answers {
            out += &format!("{name} = {}\n", value.to_toml());
        }
        out
    }
}

/// User-wide defaults: `[defaults]` in `config.toml` of the platform config dir, or the file
/// named by `DAYONE_CONFIG`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserConfig {
    #[serde(default)]
    pub defaults: RawAnswers,
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

impl UserConfig {
    pub fn location() -> Option<PathBuf> {
        if let Some(path) = std::env::var_os("DAYONE_CONFIG").filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(path));
        }
        use etcetera::BaseStrategy;
        etcetera::choose_base_strategy()
            .ok()
            .map(|s| s.config_dir().join("dayone").join("config.toml"))
    }

    /// A missing file is no config; an unreadable or malformed one is an error.
    pub fn load() -> Result<Self> {
        let Some(path) = Self::location() else {
            return Ok(Self::default());
        };
        if !path.exists() {
            return Ok(Self::default());
        }
        let text = read_text(&path)?;
        let mut config: UserConfig = toml::from_str(&text)
            .map_err(|err| Error::toml(&path.display().to_string(), &text, &err))?;
        config.path = Some(path);
        Ok(config)
    }
}

fn read_text(path: &Path) -> Result<String> {
    let bytes = fs_err::read(path).map_err(|err| {
        if err.kind() == std::io::ErrorKind::NotFound {
            Error::Usage(format!("{} does not exist; check the path", path.display()))
        } else {
            Error::Io(err)
        }
    })?;
    String::from_utf8(bytes).map_err(|err| Error::Answer {
        source_name: path.display().to_string(),
        message: format!(
            "not UTF-8 text (invalid byte at offset {})",
            err.utf8_error().valid_up_to()
        ),
    })
}

/// `git config` values for the variables that ask for them, read with libgit2 (no git
/// executable needed). Missing config is simply no value.
pub fn git_config_value(key: &str) -> Option<String> {
    let config = git2::Config::open_default().ok()?;
    config.get_string(key).ok().filter(|v| !v.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_by_type() {
        let choices = vec!["a".to_string(), "b".to_string()];
        assert_eq!(VarType::Bool.parse("Yes", &[]), Ok(Value::Bool(true)));
        assert!(
            VarType::Bool
                .parse("maybe", &[])
                .unwrap_err()
                .contains("not a bool")
        );
        assert_eq!(
            VarType::Choice.parse("b", &choices),
            Ok(Value::Str("b".into()))
        );
        assert!(
            VarType::Choice
                .parse("c", &choices)
                .unwrap_err()
                .contains("one of: a, b")
        );
        assert_eq!(
            VarType::MultiChoice.parse("a, b", &choices),
            Ok(Value::List(vec!["a".into(), "b".into()]))
        );
        assert!(VarType::MultiChoice.parse("a,z", &choices).is_err());
    }

    #[test]
    fn set_flags_need_equals() {
        assert!(
            parse_set_flags(&["api".into()])
                .unwrap_err()
                .to_string()
                .contains("--set KEY=VALUE")
        );
        let parsed = parse_set_flags(&["a=b=c".into()]).unwrap();
        assert_eq!(parsed["a"], "b=c");
    }
}

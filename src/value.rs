//! The value model every other module shares: a variable's type, an answer's value, what can be
//! wrong with a value, and the answers of one project in manifest order.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VarType {
    String,
    Bool,
    Choice,
    MultiChoice,
    /// A JSON object (a cookiecutter dict variable): typed as JSON, kept as a TOML table.
    Dict,
}

impl fmt::Display for VarType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            VarType::String => "string",
            VarType::Bool => "bool",
            VarType::Choice => "choice",
            VarType::MultiChoice => "multi-choice",
            VarType::Dict => "dict",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Str(String),
    Bool(bool),
    List(Vec<String>),
    Dict(serde_json::Map<String, serde_json::Value>),
}

/// Why a value is not acceptable. Each message completes "the value …" or "the default …".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("`{text}` is not a bool; use true or false")]
    NotABool { text: String },
    #[error("`{value}` is not one of: {}", choices.join(", "))]
    NotAChoice { value: String, choices: Vec<String> },
    #[error("`{shown}` is not a {expected} value")]
    WrongType { shown: String, expected: VarType },
    #[error("`{value}` is invalid: {rule}")]
    Invalid { value: String, rule: String },
    #[error("`{value}` {why}")]
    Denied { value: String, why: String },
    #[error("cannot be checked: {regex_error}")]
    BadRule { regex_error: String },
    #[error("`{text}` is not a JSON object ({reason}); write it as {{\"key\": \"value\", …}}")]
    NotADict { text: String, reason: String },
    #[error("`{shown}` holds {what}, which .dayone.toml cannot record")]
    NotToml { shown: String, what: &'static str },
}

impl VarType {
    /// Read a value typed on the command line or returned by a template expression.
    pub fn parse(self, text: &str, choices: &[String]) -> Result<Value, Problem> {
        let value = match self {
            VarType::String | VarType::Choice => Value::Str(text.to_string()),
            VarType::Bool => match text.trim().to_ascii_lowercase().as_str() {
                "true" | "t" | "yes" | "y" | "1" | "on" => Value::Bool(true),
                "false" | "f" | "no" | "n" | "0" | "off" => Value::Bool(false),
                _ => {
                    return Err(Problem::NotABool {
                        text: text.to_string(),
                    });
                }
            },
            VarType::MultiChoice => Value::List(
                text.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
            ),
            VarType::Dict => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(serde_json::Value::Object(map)) => Value::Dict(map),
                Ok(_) => {
                    return Err(Problem::NotADict {
                        text: text.to_string(),
                        reason: "it is JSON, but not an object".into(),
                    });
                }
                Err(err) => {
                    return Err(Problem::NotADict {
                        text: text.to_string(),
                        reason: err.to_string(),
                    });
                }
            },
        };
        value.check_type(self, choices)?;
        Ok(value)
    }

    /// The value a variable without any answer holds while later expressions are evaluated.
    pub fn empty(self) -> Value {
        match self {
            VarType::String | VarType::Choice => Value::Str(String::new()),
            VarType::Bool => Value::Bool(false),
            VarType::MultiChoice => Value::List(Vec::new()),
            VarType::Dict => Value::Dict(serde_json::Map::new()),
        }
    }
}

impl Value {
    /// A TOML value of the type's shape, typed; anything else is [`Problem::WrongType`].
    pub fn from_toml(value: &toml::Value, var_type: VarType) -> Result<Self, Problem> {
        let typed = match (var_type, value) {
            (VarType::String | VarType::Choice, toml::Value::String(s)) => {
                Some(Value::Str(s.clone()))
            }
            (VarType::Bool, toml::Value::Boolean(b)) => Some(Value::Bool(*b)),
            (VarType::MultiChoice, toml::Value::Array(items)) => items
                .iter()
                .map(|i| i.as_str().map(String::from))
                .collect::<Option<Vec<_>>>()
                .map(Value::List),
            (VarType::Dict, toml::Value::Table(_)) => match serde_json::to_value(value) {
                Ok(serde_json::Value::Object(map)) => Some(Value::Dict(map)),
                _ => None,
            },
            _ => None,
        };
        typed.ok_or_else(|| Problem::WrongType {
            shown: value.to_string(),
            expected: var_type,
        })
    }

    pub fn to_toml(&self) -> toml::Value {
        match self {
            Value::Str(s) => toml::Value::String(s.clone()),
            Value::Bool(b) => toml::Value::Boolean(*b),
            Value::List(items) => {
                toml::Value::Array(items.iter().cloned().map(toml::Value::String).collect())
            }
            Value::Dict(map) => toml::Value::try_from(map).expect("checked: no nulls"),
        }
    }

    /// Does the value fit the type and, for choices, the list?
    pub fn check_type(&self, var_type: VarType, choices: &[String]) -> Result<(), Problem> {
        let not_listed = |value: &String| Problem::NotAChoice {
            value: value.clone(),
            choices: choices.to_vec(),
        };
        match (var_type, self) {
            (VarType::String, Value::Str(_)) | (VarType::Bool, Value::Bool(_)) => Ok(()),
            (VarType::Dict, Value::Dict(map)) => match not_toml(map) {
                None => Ok(()),
                Some(what) => Err(Problem::NotToml {
                    shown: self.to_string(),
                    what,
                }),
            },
            (VarType::Choice, Value::Str(s)) if choices.contains(s) => Ok(()),
            (VarType::Choice, Value::Str(s)) => Err(not_listed(s)),
            (VarType::MultiChoice, Value::List(items)) => {
                match items.iter().find(|i| !choices.contains(i)) {
                    None => Ok(()),
                    Some(bad) => Err(not_listed(bad)),
                }
            }
            (_, other) => Err(Problem::WrongType {
                shown: other.to_string(),
                expected: var_type,
            }),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => f.write_str(s),
            Value::Bool(b) => write!(f, "{b}"),
            Value::List(items) => f.write_str(&items.join(",")),
            Value::Dict(map) => f.write_str(&serde_json::to_string(map).expect("JSON")),
        }
    }
}

/// What in a JSON object TOML cannot hold, if anything: a null, or a number beyond TOML's
/// 64-bit integers.
fn not_toml(map: &serde_json::Map<String, serde_json::Value>) -> Option<&'static str> {
    fn within(value: &serde_json::Value) -> Option<&'static str> {
        match value {
            serde_json::Value::Null => Some("an empty value (null)"),
            serde_json::Value::Number(n) if n.is_u64() && n.as_i64().is_none() => {
                Some("a number too large")
            }
            serde_json::Value::Array(items) => items.iter().find_map(within),
            serde_json::Value::Object(map) => map.values().find_map(within),
            _ => None,
        }
    }
    map.values().find_map(within)
}

/// The answers of one project: variable name → value, in the order the variables are declared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers(Vec<(String, Value)>);

impl Answers {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Set `name`, keeping its place if it is already there, else adding it at the end.
    pub fn insert(&mut self, name: &str, value: Value) {
        match self.0.iter_mut().find(|(k, _)| k == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name.to_string(), value)),
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// Serialised as a map in declaration order (the answers file and the template context).
impl Serialize for Answers {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
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
                .to_string()
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
                .to_string()
                .contains("one of: a, b")
        );
        assert_eq!(
            VarType::MultiChoice.parse("a, b", &choices),
            Ok(Value::List(vec!["a".into(), "b".into()]))
        );
        assert!(VarType::MultiChoice.parse("a,z", &choices).is_err());
        let dict = VarType::Dict
            .parse(r#"{"b": 1, "a": [true]}"#, &[])
            .unwrap();
        assert_eq!(dict.to_string(), r#"{"b":1,"a":[true]}"#);
        let back = Value::from_toml(&dict.to_toml(), VarType::Dict).unwrap();
        assert_eq!(back, dict);
        let err = VarType::Dict.parse("[1]", &[]).unwrap_err().to_string();
        assert!(err.contains("not an object"), "{err}");
        let err = VarType::Dict.parse(r#"{"a": null}"#, &[]).unwrap_err();
        assert!(err.to_string().contains("null"), "{err}");
        let err = VarType::Dict
            .parse(r#"{"a": [18446744073709551615]}"#, &[])
            .unwrap_err();
        assert!(err.to_string().contains("a number too large"), "{err}");
    }

    #[test]
    fn answers_keep_declaration_order_and_replace_in_place() {
        let mut answers = Answers::new();
        answers.insert("b", Value::Bool(true));
        answers.insert("a", Value::Str("x".into()));
        answers.insert("b", Value::Bool(false));
        let names: Vec<&str> = answers.iter().map(|(k, _)| k).collect();
        assert_eq!(names, ["b", "a"]);
        assert_eq!(answers.get("b"), Some(&Value::Bool(false)));
        let json = serde_json::to_string(&answers).unwrap();
        assert_eq!(json, r#"{"b":false,"a":"x"}"#);
    }
}

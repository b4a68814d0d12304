//! `.dayone.toml`, the file every generated project keeps: which dayone and which template (and
//! version) made it, and every answer. Read and written with serde, in both directions.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::answers::sources::{RawAnswers, read_text};
use crate::error::{Error, Result};
use crate::value::Answers;

/// The file name every generated project gets.
pub const ANSWERS_FILE: &str = ".dayone.toml";

const HEADER: &str = "# Written by dayone when this project was created. Replay it with:\n\
                      #   dayone new --answers .dayone.toml OTHER-DIR\n\n";

/// What made a project. Every field is optional when read: a hand-written answers file may
/// hold only `[answers]`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The dayone version that wrote the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_version: Option<String>,
}

impl Provenance {
    /// The provenance this dayone records for a template name and version.
    pub fn current(template: &str, template_version: &str) -> Self {
        Self {
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
            template: Some(template.to_string()),
            template_version: Some(template_version.to_string()),
        }
    }
}

/// An answers file as read: its provenance, and answers not yet typed by a manifest.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswersFile {
    #[serde(default)]
    pub dayone: Option<Provenance>,
    #[serde(default)]
    pub answers: RawAnswers,
}

#[derive(Serialize)]
struct Written<'a> {
    dayone: &'a Provenance,
    answers: &'a Answers,
}

impl AnswersFile {
    pub fn read(path: &Path) -> Result<Self> {
        let text = read_text(path)?;
        toml::from_str(&text).map_err(|err| Error::toml(&path.display().to_string(), &text, &err))
    }

    /// The text of a project's answers file, answers in manifest order.
    pub fn render(provenance: &Provenance, answers: &Answers) -> String {
        let body = toml::to_string(&Written {
            dayone: provenance,
            answers,
        })
        .expect("strings, bools and lists of strings are TOML");
        format!("{HEADER}{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    #[test]
    fn written_text_reads_back_to_the_same_answers() {
        let mut answers = Answers::new();
        answers.insert("name", Value::Str("say \"hi\"".into()));
        answers.insert("api", Value::Bool(true));
        answers.insert("extras", Value::List(vec!["a".into(), "b".into()]));
        let provenance = Provenance::current("t", "1.0.0");
        let text = AnswersFile::render(&provenance, &answers);
        assert!(text.starts_with(HEADER), "{text}");
        assert!(
            text.contains("[dayone]\nversion = ") && text.contains("\n\n[answers]\nname = "),
            "{text}"
        );
        let back: AnswersFile = toml::from_str(&text).unwrap();
        assert_eq!(back.dayone, Some(provenance));
        assert_eq!(back.answers["name"].as_str(), Some("say \"hi\""));
        assert_eq!(back.answers["api"].as_bool(), Some(true));
        assert_eq!(back.answers["extras"].as_array().map(Vec::len), Some(2));
    }
}

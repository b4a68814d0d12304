//! What cookiecutter and cruft record about a project, read as answers: a replay file
//! (`~/.cookiecutter_replay/NAME.json`, `{"cookiecutter": {…}}`) or a `.cruft.json`
//! (`{"template": URL, "commit": …, "context": {"cookiecutter": {…}}}`). The public and
//! computed entries are the answers; the private (`_`) ones are the template's own.

use serde_json::{Map, Value as Json};

use crate::answers::sources::RawAnswers;
use crate::error::{Error, Result};

/// A replay file's or `.cruft.json`'s answers, and the template it names.
#[derive(Debug, Default, PartialEq)]
pub struct Replay {
    pub answers: RawAnswers,
    /// The template as cookiecutter or cruft was given it (with cruft's `directory` as
    /// `#SUBDIR`), when the file names one.
    pub template: Option<String>,
}

/// Whether `text` is JSON rather than TOML: answers files of either kind are accepted.
pub fn is_json(text: &str) -> bool {
    text.trim_start().starts_with('{')
}

/// Read the JSON text of a replay file or `.cruft.json`; `file` names it in errors.
pub fn parse(file: &str, text: &str) -> Result<Replay> {
    let json: Json = serde_json::from_str(text).map_err(|err| Error::json(file, &err))?;
    let not_one = || Error::NotAReplay {
        file: file.to_string(),
    };
    let top = json.as_object().ok_or_else(not_one)?;
    let (context, template) = match top.get("context") {
        // cruft: the template and its folder inside the repository beside the context.
        Some(context) => {
            let url = top.get("template").and_then(Json::as_str);
            let directory = top.get("directory").and_then(Json::as_str);
            let template = url.map(|url| match directory {
                Some(dir) if !dir.is_empty() => format!("{url}#{dir}"),
                _ => url.to_string(),
            });
            (context.get("cookiecutter"), template)
        }
        None => {
            let context = top.get("cookiecutter");
            let template = context
                .and_then(|c| c.get("_template"))
                .and_then(Json::as_str)
                .map(String::from);
            (context, template)
        }
    };
    let context = context.and_then(Json::as_object).ok_or_else(not_one)?;
    Ok(Replay {
        answers: answers(context),
        template,
    })
}

/// The answers of a cookiecutter context: public and computed entries, as TOML; a null (no
/// TOML form) is left out, so the question is asked again or takes its default.
fn answers(context: &Map<String, Json>) -> RawAnswers {
    context
        .iter()
        .filter(|(key, _)| !key.starts_with('_') || key.starts_with("__"))
        .filter_map(|(key, value)| Some((key.clone(), to_toml(value)?)))
        .collect()
}

/// JSON as TOML; numbers become text, as cookiecutter renders them.
fn to_toml(value: &Json) -> Option<toml::Value> {
    Some(match value {
        Json::Null => return None,
        Json::Bool(on) => toml::Value::Boolean(*on),
        Json::Number(n) => toml::Value::String(n.to_string()),
        Json::String(text) => toml::Value::String(text.clone()),
        Json::Array(items) => toml::Value::Array(items.iter().filter_map(to_toml).collect()),
        Json::Object(map) => toml::Value::Table(
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), to_toml(v)?)))
                .collect(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replay_files_and_cruft_files_give_answers_and_their_template() {
        let replay = parse(
            "replay.json",
            r#"{"cookiecutter": {"name": "x", "agents": true, "port": 8000, "team": {"lead": "Ada"},
                "__slug": "x", "_template": "gh:org/tpl", "_copy_without_render": ["*"], "gone": null},
                "_cookiecutter": {"name": "y"}}"#,
        )
        .unwrap();
        let keys: Vec<&String> = replay.answers.keys().collect();
        assert_eq!(keys, ["__slug", "agents", "name", "port", "team"]);
        assert_eq!(replay.answers["port"].as_str(), Some("8000"));
        assert_eq!(replay.template.as_deref(), Some("gh:org/tpl"));
        let cruft = parse(
            ".cruft.json",
            r#"{"template": "https://github.com/org/tpl", "commit": "abc", "checkout": null,
                "context": {"cookiecutter": {"name": "x", "_template": "elsewhere"}},
                "directory": "python", "skip": []}"#,
        )
        .unwrap();
        assert_eq!(
            cruft.template.as_deref(),
            Some("https://github.com/org/tpl#python")
        );
        assert_eq!(cruft.answers.len(), 1);
        let err = parse("x.json", r#"{"name": "x"}"#).unwrap_err().to_string();
        assert!(
            err.contains("x.json is not a cookiecutter replay file"),
            "{err}"
        );
        assert!(is_json("  {\"a\": 1}") && !is_json("[answers]\n"));
    }
}

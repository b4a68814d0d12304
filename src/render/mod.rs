//! The template languages: rendering text and evaluating expressions over a [`RenderInput`].
//! Nothing here knows about manifests, files on disk or git; the engines keep no state between
//! calls, so the same input renders the same way (but for the clock and the random values a
//! cookiecutter template may ask for).
//!
//! Two engines sit behind one interface, and the template's [`Language`] picks one: Tera for
//! dayone's own format (`tera.rs`), Jinja2 as cookiecutter runs it for cookiecutter templates
//! (`jinja/`).

mod clock;
mod jinja;
mod tera;

pub use self::jinja::{Jinja, KNOWN_EXTENSIONS, Settings as JinjaSettings, extension_known};

use std::sync::Arc;

use serde::Serialize;

use crate::value::Answers;

/// Which language a template is written in; the template's format decides.
#[derive(Debug, Clone, Default)]
pub enum Language {
    /// dayone's own format: Tera, with answers as top-level names and `dayone.*`.
    #[default]
    Tera,
    /// A cookiecutter template: Jinja2 with cookiecutter's settings and extensions, answers
    /// under `cookiecutter.*`.
    Jinja(Arc<Jinja>),
}

/// Does this text need the engine at all? Plain files skip parsing entirely.
pub fn needs_rendering(text: &str, language: &Language) -> bool {
    match language {
        Language::Tera => tera::needs_rendering(text),
        Language::Jinja(setup) => setup.needs_rendering(text),
    }
}

/// Render a piece of template text; `what` names it in errors.
pub fn render_text(what: &str, text: &str, input: &RenderInput) -> Result<String, String> {
    match input.language {
        Language::Tera => tera::render_text(what, text, input),
        Language::Jinja(setup) => jinja::render_text(setup, what, text, input),
    }
}

/// Evaluate an expression to a bool; anything but a bool is an error.
pub fn eval_bool(expr: &str, input: &RenderInput) -> Result<bool, String> {
    match input.language {
        Language::Tera => tera::eval_bool(expr, input),
        Language::Jinja(setup) => jinja::eval_bool(setup, expr, input),
    }
}

/// Render many named texts with one engine of their own. The error names the failing one.
pub fn render_files(
    files: &[(&str, &str)],
    input: &RenderInput,
) -> Result<Vec<String>, (String, String)> {
    match input.language {
        Language::Tera => tera::render_files(files, input),
        Language::Jinja(setup) => jinja::render_files(setup, files, input),
    }
}

/// dayone's own values, seen by templates as `dayone.*`.
#[derive(Debug, Clone, Serialize)]
pub struct DayoneVars {
    pub version: &'static str,
    pub year: String,
    /// Whether `dayone new` creates a repository; not known while questions are asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub git: Option<bool>,
    /// The destination as the user typed it; not known while questions are asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub directory: Option<String>,
}

impl DayoneVars {
    /// What question defaults and conditions see: the folder and git are decided by the answers,
    /// so using them there is an error that names them.
    pub fn for_questions() -> Self {
        Self {
            version: env!("CARGO_PKG_VERSION"),
            year: current_year().to_string(),
            git: None,
            directory: None,
        }
    }

    /// What a project's files and next steps see.
    pub fn for_project(directory: &str, git: bool) -> Self {
        Self {
            git: Some(git),
            directory: Some(directory.to_string()),
            ..Self::for_questions()
        }
    }
}

/// Everything a template can read: the answers so far and dayone's own values, in the
/// template's language.
#[derive(Debug, Clone, Copy)]
pub struct RenderInput<'a> {
    pub answers: &'a Answers,
    pub dayone: &'a DayoneVars,
    pub language: &'a Language,
}

/// The current UTC year.
fn current_year() -> i64 {
    clock::Moment::from_seconds(clock::now_seconds()).year
}

#[cfg(test)]
mod tests {
    #[test]
    fn year_is_plausible() {
        assert!((2024..2200).contains(&super::current_year()));
    }
}

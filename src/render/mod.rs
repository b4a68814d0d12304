//! The template language: rendering text and evaluating expressions over a [`RenderInput`].
//! Nothing here knows about manifests, files on disk or git; the engine keeps no state between
//! calls, so the same input always renders the same way.

mod tera;

pub use self::tera::{eval_bool, needs_rendering, render_files, render_text};

use serde::Serialize;

use crate::value::Answers;

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

/// Everything a template can read: the answers so far and dayone's own values.
#[derive(Debug, Clone, Copy)]
pub struct RenderInput<'a> {
    pub answers: &'a Answers,
    pub dayone: &'a DayoneVars,
}

/// The current UTC year, from the system clock (no date crate needed for one number).
fn current_year() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    // Civil-from-days (Howard Hinnant's algorithm), year only.
    let days = secs.div_euclid(86_400) + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(month <= 2)
}

#[cfg(test)]
mod tests {
    #[test]
    fn year_is_plausible() {
        assert!((2024..2200).contains(&super::current_year()));
    }
}

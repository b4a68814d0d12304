//! The detectors: one function per checklist concern, looked up by the name the checklist
//! data gives ([`registry`]). Each reads the shared [`Context`] (files parsed once,
//! [`context`]; which files count as code, tests or workflows is [`paths`]) and answers with
//! [`Detection`]: done with evidence, open with a hint (and any partial evidence), or manual.
//! This file holds those answer types and the small helpers that word evidence.

mod ci;
mod cloud;
mod context;
mod docker;
mod docs;
mod dvc;
mod environment;
#[cfg(test)]
pub(crate) mod fixture;
mod instrumentation;
mod interfaces;
mod monitoring;
mod paths;
mod pipeline;
mod registry;
mod repo;
mod scale;
mod serving;
mod style;
mod tasks;
mod testing;
mod tracking;

use serde::Serialize;

use super::python::PyFile;

pub use self::context::{CommandLine, Context};
pub use self::paths::{Scope, is_test_path, is_workflow_path};
pub use self::registry::{detect, is_known};

/// The detector name of items no file can show.
pub const MANUAL: &str = "manual";

/// One piece of evidence: a file, optionally a line in it, and what it shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub detail: String,
}

impl Evidence {
    pub fn new(path: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            line: None,
            detail: detail.into(),
        }
    }

    pub fn at(path: impl Into<String>, line: usize, detail: impl Into<String>) -> Self {
        Self {
            line: Some(line),
            ..Self::new(path, detail)
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detection {
    Done(Vec<Evidence>),
    /// Not shown by the repository. `partial` is what was found on the way, if anything.
    Open {
        hint: String,
        partial: Vec<Evidence>,
    },
    /// No file can show it; the group decides. `partial` is what files do show on the way
    /// (e.g. the task that would do it), `hint` what the group should do before ticking.
    Manual {
        hint: String,
        partial: Vec<Evidence>,
    },
}

/// What a manual item says when its detector has nothing more specific.
pub const MANUAL_HINT: &str = "no file can show this; the group decides";

impl Detection {
    /// Done when there is evidence, open with `hint` otherwise.
    pub fn from_evidence(evidence: Vec<Evidence>, hint: &str) -> Self {
        if evidence.is_empty() {
            Self::open(hint)
        } else {
            Self::Done(evidence)
        }
    }

    /// A manual item with the general hint and nothing found.
    pub fn manual() -> Self {
        Self::Manual {
            hint: MANUAL_HINT.to_string(),
            partial: Vec::new(),
        }
    }

    pub fn open(hint: &str) -> Self {
        Self::Open {
            hint: hint.to_string(),
            partial: Vec::new(),
        }
    }

    /// Done when every part has evidence; otherwise open with the hint of the first missing
    /// part and the evidence of the parts that were found.
    pub fn all_of(parts: Vec<(Vec<Evidence>, &str)>) -> Self {
        let mut evidence = Vec::new();
        let mut missing = None;
        for (found, hint) in parts {
            if found.is_empty() {
                missing.get_or_insert(hint);
            }
            evidence.extend(found);
        }
        match missing {
            None => Self::Done(evidence),
            Some(hint) => Self::Open {
                hint: hint.to_string(),
                partial: evidence,
            },
        }
    }
}

/// Evidence for every class in `py` with a base class whose name ends with one of `suffixes`.
pub fn classes_deriving<'a>(
    path: &'a str,
    py: &'a PyFile,
    suffixes: &'a [&str],
) -> impl Iterator<Item = Evidence> + 'a {
    py.classes
        .iter()
        .filter(|c| {
            c.bases
                .iter()
                .any(|b| suffixes.iter().any(|s| b.ends_with(s)))
        })
        .map(move |c| {
            Evidence::at(
                path,
                c.line,
                format!("class {}({})", c.name, c.bases.join(", ")),
            )
        })
}

pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max - 1).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_of_reports_the_first_missing_part_and_keeps_partial_evidence() {
        let found = vec![Evidence::new("a", "x")];
        let detection = Detection::all_of(vec![
            (found.clone(), "one"),
            (vec![], "two"),
            (vec![], "three"),
        ]);
        assert_eq!(
            detection,
            Detection::Open {
                hint: "two".into(),
                partial: found
            }
        );
    }
}

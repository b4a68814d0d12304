//! The course checklist as data: `checklist.toml` is embedded in the binary and parsed here,
//! so a new course year changes that file and nothing else.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

const EMBEDDED: &str = include_str!("checklist.toml");
const EMBEDDED_NAME: &str = "src/check/checklist.toml (embedded)";

/// The course weeks the checklist is grouped by, in course order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
pub enum Week {
    #[serde(rename = "1")]
    One,
    #[serde(rename = "2")]
    Two,
    #[serde(rename = "3")]
    Three,
    #[serde(rename = "extra")]
    Extra,
}

impl Week {
    pub const ALL: [Week; 4] = [Week::One, Week::Two, Week::Three, Week::Extra];

    /// The words that introduce this week in a report ("Week 1" … "Extra").
    pub fn title(self) -> &'static str {
        match self {
            Week::One => "Week 1",
            Week::Two => "Week 2",
            Week::Three => "Week 3",
            Week::Extra => "Extra",
        }
    }
}

impl fmt::Display for Week {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub week: Week,
    /// The course's module tag, e.g. `M8` or `M2+M6`; `None` for the untagged extra items.
    pub module: Option<String>,
    pub label: String,
    pub detector: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    item: Vec<Item>,
}

/// The key a report box and a checklist item share: week, tag and the tag's occurrence in
/// that week (0-based). Labels never take part, so any wording of the items matches.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BoxKey {
    pub week: Week,
    pub module: Option<String>,
    pub occurrence: usize,
}

/// Normalise a module tag as written in a report (`M2 + M6`, `m8`) to the checklist's form.
pub fn normalize_module(tag: &str) -> String {
    tag.split('+')
        .map(|part| part.trim().to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join("+")
}

/// Give each entry its `BoxKey`, counting occurrences of `(week, module)` in order.
pub fn keys<'a>(entries: impl IntoIterator<Item = (Week, Option<&'a str>)>) -> Vec<BoxKey> {
    let mut seen: BTreeMap<(Week, Option<String>), usize> = BTreeMap::new();
    entries
        .into_iter()
        .map(|(week, module)| {
            let module = module.map(normalize_module);
            let count = seen.entry((week, module.clone())).or_default();
            let key = BoxKey {
                week,
                module,
                occurrence: *count,
            };
            *count += 1;
            key
        })
        .collect()
}

#[derive(Debug)]
pub struct Checklist {
    pub items: Vec<Item>,
}

impl Checklist {
    /// The checklist compiled into this binary.
    pub fn embedded() -> Result<Self> {
        Self::parse(EMBEDDED, EMBEDDED_NAME, super::detectors::is_known)
    }

    /// Parse and validate a checklist file; `known` says whether a detector name exists.
    /// Every problem is reported at once.
    pub fn parse(text: &str, name: &str, known: impl Fn(&str) -> bool) -> Result<Self> {
        let file: File = toml::from_str(text).map_err(|err| {
            let (line, column) = err
                .span()
                .map(|span| line_column(text, span.start))
                .unwrap_or((0, 0));
            Error::Toml {
                file: name.to_string(),
                line,
                column,
                message: err.message().to_string(),
            }
        })?;
        let mut problems = Vec::new();
        let mut ids = BTreeSet::new();
        for item in &file.item {
            if !ids.insert(item.id.as_str()) {
                problems.push(format!("item id `{}` appears more than once", item.id));
            }
            if !known(&item.detector) {
                problems.push(format!(
                    "item `{}` names the detector `{}`, which does not exist",
                    item.id, item.detector
                ));
            }
            if let Some(module) = &item.module {
                let valid = module.split('+').all(|part| {
                    part.strip_prefix('M')
                        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
                });
                if !valid {
                    problems.push(format!(
                        "item `{}` has the module tag `{module}`; write it like `M8` or `M2+M6`",
                        item.id
                    ));
                }
            }
            if item.label.trim().is_empty() {
                problems.push(format!("item `{}` has an empty label", item.id));
            }
        }
        if problems.is_empty() {
            Ok(Self { items: file.item })
        } else {
            Err(Error::Manifest {
                file: name.to_string(),
                count: problems.len(),
                problems,
            })
        }
    }

    /// The report key of every item, in checklist order.
    pub fn keys(&self) -> Vec<BoxKey> {
        keys(
            self.items
                .iter()
                .map(|item| (item.week, item.module.as_deref())),
        )
    }
}

fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_checklist_has_the_course_shape() {
        let list = Checklist::embedded().expect("embedded checklist is valid");
        let count = |week| list.items.iter().filter(|i| i.week == week).count();
        assert_eq!(list.items.len(), 52);
        assert_eq!(
            [
                count(Week::One),
                count(Week::Two),
                count(Week::Three),
                count(Week::Extra)
            ],
            [20, 18, 8, 6]
        );
        assert_eq!(list.items.iter().filter(|i| i.module.is_none()).count(), 4);
        assert_eq!(list.items[6].module.as_deref(), Some("M2+M6"));
    }

    #[test]
    fn keys_count_occurrences_per_week_and_tag() {
        let keys = keys([
            (Week::One, Some("M5")),
            (Week::One, Some("m5")),
            (Week::Two, Some("M5")),
            (Week::Extra, None),
            (Week::Extra, None),
        ]);
        let occurrences: Vec<_> = keys.iter().map(|k| k.occurrence).collect();
        assert_eq!(occurrences, [0, 1, 0, 0, 1]);
        assert_eq!(keys[1].module.as_deref(), Some("M5"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let text = r#"
[[item]]
id = "a"
week = "1"
module = "X1"
label = ""
detector = "nope"

[[item]]
id = "a"
week = "2"
label = "fine"
detector = "manual"
"#;
        let err = Checklist::parse(text, "t.toml", |d| d == "manual").unwrap_err();
        let message = err.to_string();
        assert!(message.contains("4 problem(s)"), "{message}");
        assert!(message.contains("`nope`"), "{message}");
        assert!(message.contains("`X1`"), "{message}");
        assert!(message.contains("more than once"), "{message}");
    }

    #[test]
    fn unknown_fields_are_rejected_with_a_position() {
        let text = "[[item]]\nid = \"a\"\nweek = \"1\"\nlabel = \"x\"\ndetector = \"manual\"\nhint = \"no\"\n";
        let err = Checklist::parse(text, "t.toml", |_| true).unwrap_err();
        assert!(matches!(err, Error::Toml { line: 6, .. }), "{err}");
    }

    #[test]
    fn week_values_outside_the_course_are_rejected() {
        let text = "[[item]]\nid = \"a\"\nweek = \"4\"\nlabel = \"x\"\ndetector = \"manual\"\n";
        assert!(Checklist::parse(text, "t.toml", |_| true).is_err());
    }
}

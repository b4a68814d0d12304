//! The course checklist as data: `checklist.toml` is embedded in the binary and parsed here,
//! so a new course year changes that file and nothing else.

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::report::boxes::{Week, normalize_module};

const EMBEDDED: &str = include_str!("checklist.toml");
const EMBEDDED_NAME: &str = "src/check/checklist.toml (embedded)";

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub week: Week,
    /// The course's module tag, e.g. `M8` or `M2+M6`; `None` for the untagged extra items.
    pub module: Option<String>,
    pub label: String,
    pub detector: String,
    /// The course added this item in a later year, so older report files have no box for it.
    #[serde(default)]
    pub optional_box: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    item: Vec<Item>,
}

/// A group of items or boxes: one week, one module tag (or none).
type Group = (Week, Option<String>);

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
        let file: File = toml::from_str(text).map_err(|err| Error::toml(name, text, &err))?;
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
            Err(Error::Checklist {
                file: name.to_string(),
                problems,
            })
        }
    }

    /// The item each report box stands for, given each box's week and module tag in file
    /// order. Within a (week, tag) group the k-th box is the k-th item, never matched by
    /// wording. An item marked `optional_box` (one the course added in a later year) takes
    /// part only when the report has a box for every item of its group, so report files from
    /// before and after the addition both line up. `None`: the box matches no item.
    pub fn match_boxes<'a>(
        &self,
        boxes: impl IntoIterator<Item = (Week, Option<&'a str>)> + Clone,
    ) -> Vec<Option<usize>> {
        let group_of =
            |week: Week, module: Option<&str>| -> Group { (week, module.map(normalize_module)) };
        let mut box_counts: BTreeMap<Group, usize> = BTreeMap::new();
        for (week, module) in boxes.clone() {
            *box_counts.entry(group_of(week, module)).or_default() += 1;
        }
        let mut members: BTreeMap<Group, Vec<usize>> = BTreeMap::new();
        for (index, item) in self.items.iter().enumerate() {
            members
                .entry(group_of(item.week, item.module.as_deref()))
                .or_default()
                .push(index);
        }
        for (group, indices) in &mut members {
            let boxes = box_counts.get(group).copied().unwrap_or(0);
            if boxes < indices.len() {
                indices.retain(|&i| !self.items[i].optional_box);
            }
        }
        let mut seen: BTreeMap<Group, usize> = BTreeMap::new();
        boxes
            .into_iter()
            .map(|(week, module)| {
                let group = group_of(week, module);
                let k = seen.entry(group.clone()).or_default();
                let index = members.get(&group).and_then(|m| m.get(*k)).copied();
                *k += 1;
                index
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_checklist_has_the_course_shape() {
        let list = Checklist::embedded().expect("embedded checklist is valid");
        let count = |week| list.items.iter().filter(|i| i.week == week).count();
        assert_eq!(list.items.len(), 53);
        assert_eq!(
            [
                count(Week::One),
                count(Week::Two),
                count(Week::Three),
                count(Week::Extra)
            ],
            [20, 18, 9, 6]
        );
        let optional: Vec<_> = list
            .items
            .iter()
            .filter(|i| i.optional_box)
            .map(|i| i.id.as_str())
            .collect();
        assert_eq!(optional, ["collect-io-data"]);
        assert_eq!(list.items.iter().filter(|i| i.module.is_none()).count(), 4);
        assert_eq!(list.items[6].module.as_deref(), Some("M2+M6"));
    }

    fn item(id: &str, week: Week, module: Option<&str>, optional_box: bool) -> Item {
        Item {
            id: id.into(),
            week,
            module: module.map(str::to_string),
            label: id.into(),
            detector: "manual".into(),
            optional_box,
        }
    }

    #[test]
    fn boxes_match_by_week_tag_and_occurrence() {
        let list = Checklist {
            items: vec![
                item("a", Week::One, Some("M5"), false),
                item("b", Week::One, Some("M5"), false),
                item("c", Week::Two, Some("M2+M6"), false),
                item("d", Week::Extra, None, false),
            ],
        };
        let matched = list.match_boxes([
            (Week::One, Some("m5")),
            (Week::Two, Some("M2 + M6")),
            (Week::One, Some("M5")),
            (Week::One, Some("M5")),
            (Week::Extra, None),
            (Week::Three, Some("M5")),
        ]);
        assert_eq!(matched, [Some(0), Some(2), Some(1), None, Some(3), None]);
    }

    #[test]
    fn optional_items_take_part_only_when_the_report_has_their_box() {
        let list = Checklist {
            items: vec![
                item("robust", Week::Three, Some("M27"), false),
                item("collect", Week::Three, Some("M27"), true),
                item("deploy", Week::Three, Some("M27"), false),
            ],
        };
        let old = list.match_boxes([(Week::Three, Some("M27")), (Week::Three, Some("M27"))]);
        assert_eq!(old, [Some(0), Some(2)]);
        let new = list.match_boxes([(Week::Three, Some("M27")); 3]);
        assert_eq!(new, [Some(0), Some(1), Some(2)]);
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
        assert!(message.contains("4 problems"), "{message}");
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

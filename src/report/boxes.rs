//! The checklist boxes of `reports/README.md`: read them, and tick some of them.
//!
//! The contract (shared with `dayone report`): boxes are Markdown task lines `* [ ] … (M8)`
//! under a heading or bold line that names "Week 1", "Week 2", "Week 3" or "Extra"; a box's
//! module tag is the last `(M…)` group of its text (which may wrap onto indented lines); any
//! other heading ends the checklist section; code blocks (read as CommonMark reads them) hold
//! no boxes and no headings. `dayone check` matches boxes to its checklist items by week, tag
//! and position, never by wording. The weeks and the tags are the report's words, so they
//! live here; the checklist above builds on them.

use std::fmt;
use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::report::structure::CodeBlocks;

static BOX: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[*+-]\s+\[([ xX])\]").expect("valid regex"));
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\(\s*([Mm]\d+(?:\s*\+\s*[Mm]\d+)*)\s*\)").expect("valid regex"));
static WEEK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bweek\s*([123])\b|\bextra\b").expect("valid regex"));

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

/// Normalise a module tag as written in a report (`M2 + M6`, `m8`) to the checklist's form.
pub fn normalize_module(tag: &str) -> String {
    tag.split('+')
        .map(|part| part.trim().to_ascii_uppercase())
        .collect::<Vec<_>>()
        .join("+")
}

/// One checklist box of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportBox {
    /// 1-based line of the box.
    pub line: usize,
    pub week: Week,
    /// The module tag, normalised (`M2+M6`); `None` for an untagged box.
    pub module: Option<String>,
    pub ticked: bool,
    /// The box's text after the brackets, continuation lines joined.
    pub text: String,
    /// Byte offset of the character between the brackets.
    mark: usize,
}

/// Every box that sits in a week section, in file order.
pub fn parse(text: &str) -> Vec<ReportBox> {
    let mut boxes: Vec<ReportBox> = Vec::new();
    let mut week: Option<Week> = None;
    let code = CodeBlocks::new(text);
    // The box whose text may continue on the next indented lines.
    let mut open: Option<usize> = None;
    let mut offset = 0usize;
    for (index, raw) in text.split_inclusive('\n').enumerate() {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        if code.holds_line(text, start) {
            open = None;
            continue;
        }
        let is_heading = trimmed.starts_with('#');
        let is_bold = (trimmed.starts_with("**") || trimmed.starts_with("__")) && trimmed.len() > 4;
        if is_heading || is_bold {
            open = None;
            match week_of(trimmed) {
                Some(found) => week = Some(found),
                None if is_heading => week = None,
                None => {}
            }
            continue;
        }
        if let (Some(week), Some(caps)) = (week, BOX.captures(line)) {
            let mark = caps.get(1).expect("group 1 always matches");
            boxes.push(ReportBox {
                line: index + 1,
                week,
                module: None,
                ticked: mark.as_str() != " ",
                text: line[caps.get(0).expect("whole match").end()..]
                    .trim()
                    .to_string(),
                mark: start + mark.start(),
            });
            open = Some(boxes.len() - 1);
            continue;
        }
        match open {
            Some(last) if !trimmed.is_empty() && line.starts_with([' ', '\t']) => {
                let text = &mut boxes[last].text;
                text.push(' ');
                text.push_str(trimmed);
            }
            _ => open = None,
        }
    }
    for found in &mut boxes {
        found.module = TAG
            .captures_iter(&found.text)
            .last()
            .map(|caps| normalize_module(&caps[1]));
    }
    boxes
}

fn week_of(line: &str) -> Option<Week> {
    let caps = WEEK.captures(line)?;
    Some(match caps.get(1).map(|m| m.as_str()) {
        Some("1") => Week::One,
        Some("2") => Week::Two,
        Some("3") => Week::Three,
        _ => Week::Extra,
    })
}

/// `text` with the given boxes ticked: only their ` ` between the brackets becomes `x`;
/// every other byte is kept.
pub fn tick<'a>(text: &str, boxes: impl IntoIterator<Item = &'a ReportBox>) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for found in boxes {
        if bytes.get(found.mark) == Some(&b' ') {
            bytes[found.mark] = b'x';
        }
    }
    String::from_utf8(bytes).expect("replacing an ASCII space with an ASCII letter keeps UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "# Report\r\n\r\n## Checklist\r\n\r\n### Week 1\r\n\r\n* [x] Create a git repository (M5)\r\n* [ ] Give everyone access (M5) ALICE\r\n* [ ] Remember the requirements files with whatever dependencies that you\r\n    are using (M2+M6)\r\n\r\n**Extra**\r\n\r\n- [X] Diagram\r\n- [ ] Upload to GitHub\r\n\r\n## Group information\r\n\r\n* [ ] not a checklist box (M5)\r\n";

    #[test]
    fn boxes_are_read_by_week_with_wrapped_tags() {
        let boxes = parse(REPORT);
        let summary: Vec<_> = boxes
            .iter()
            .map(|b| (b.line, b.week, b.module.as_deref(), b.ticked))
            .collect();
        assert_eq!(
            summary,
            [
                (7, Week::One, Some("M5"), true),
                (8, Week::One, Some("M5"), false),
                (9, Week::One, Some("M2+M6"), false),
                (14, Week::Extra, None, true),
                (15, Week::Extra, None, false),
            ]
        );
    }

    #[test]
    fn ticking_changes_only_the_marks() {
        let boxes = parse(REPORT);
        let ticked = tick(REPORT, [&boxes[1], &boxes[0], &boxes[4]]);
        assert_eq!(ticked.len(), REPORT.len());
        let changed: Vec<usize> = REPORT
            .bytes()
            .zip(ticked.bytes())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(changed.len(), 2);
        assert!(ticked.contains("* [x] Give everyone access (M5) ALICE\r\n"));
        assert!(ticked.contains("- [x] Upload to GitHub\r\n"));
        assert!(parse(&ticked).iter().filter(|b| b.ticked).count() == 4);
    }

    proptest::proptest! {
        /// Ticking changes exactly the marks of the chosen unticked boxes, whatever the lines
        /// around them, and the file reads back with those boxes ticked.
        #[test]
        fn ticking_touches_only_chosen_marks(
            lines in proptest::collection::vec(
                proptest::sample::select(vec![
                    "### Week 1", "### Week 2", "**Extra**", "## Other", "```", "",
                    "* [ ] a (M5)", "* [x] b (M5)", "- [ ] c (M2+M6)", "  wrapped (M8)",
                    "* [ ] untagged", "text with [ ] brackets", "* [X] d (M16) NAME",
                ]),
                0..40,
            ),
            crlf in proptest::bool::ANY,
            pick in proptest::collection::vec(proptest::bool::ANY, 40),
        ) {
            let newline = if crlf { "\r\n" } else { "\n" };
            let text: String = lines.iter().map(|l| format!("{l}{newline}")).collect();
            let boxes = parse(&text);
            let chosen: Vec<&ReportBox> = boxes
                .iter()
                .zip(pick.iter().cycle())
                .filter(|(b, p)| **p && !b.ticked)
                .map(|(b, _)| b)
                .collect();
            let ticked = tick(&text, chosen.iter().copied());
            let changed = text.bytes().zip(ticked.bytes()).filter(|(a, b)| a != b).count();
            proptest::prop_assert_eq!(ticked.len(), text.len());
            proptest::prop_assert_eq!(changed, chosen.len());
            let again = parse(&ticked);
            proptest::prop_assert_eq!(again.len(), boxes.len());
            for (before, after) in boxes.iter().zip(&again) {
                let was_chosen = chosen.iter().any(|c| c.line == before.line);
                proptest::prop_assert_eq!(after.ticked, before.ticked || was_chosen);
                proptest::prop_assert_eq!(&after.module, &before.module);
            }
        }
    }

    #[test]
    fn inline_code_with_three_backticks_opens_no_fence() {
        // A sentence holding ```…``` is inline code, not the start of a code block.
        let text = "# Report\n\n* Write each answer in place of its placeholder,\n  ```--- question 1 fill here ---```, and delete that line.\n\n### Week 1\n\n* [x] Create a git repository (M5)\n* [ ] Second (M5)\n";
        let boxes = parse(text);
        assert_eq!(boxes.len(), 2, "{boxes:?}");
        assert_eq!(boxes[0].line, 8);
    }

    #[test]
    fn fences_close_only_on_a_matching_fence() {
        // A shorter fence or another character does not close; an info string opens.
        let text = "### Week 1\n````python\n```\n* [ ] still code (M5)\n~~~\n````\n* [ ] real (M5)\n  ```\n  * [ ] indented fence (M5)\n  ```\n* [x] after (M5)\n";
        let lines: Vec<usize> = parse(text).iter().map(|b| b.line).collect();
        assert_eq!(lines, [7, 11]);
    }

    #[test]
    fn fenced_code_and_other_sections_are_ignored() {
        let text = "### Week 2\n```\n* [ ] inside a fence (M16)\n```\n* [ ] real (M16)\n### Question 1\n* [ ] answer box (M16)\n";
        let boxes = parse(text);
        assert_eq!(boxes.len(), 1);
        assert_eq!(boxes[0].line, 5);
    }
}

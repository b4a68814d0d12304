//! The exam report's shape as data: its sections and, per question, the answer limits the
//! graders' tool enforces. A new course year that moves a limit is an edit to this table only.

use std::ops::RangeInclusive;

/// How many questions the report has; the graders' tool refuses any other number of answers.
pub const QUESTION_COUNT: usize = 31;

/// One section (`## …`) of the report and the questions it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub title: &'static str,
    pub questions: RangeInclusive<usize>,
}

/// The seven sections, in order. Titles are ours; the question ranges are the course's.
pub const SECTIONS: [Section; 7] = [
    section("Group information", 1, 3),
    section("Coding environment", 4, 6),
    section("Version control", 7, 11),
    section("Running code and tracking experiments", 12, 16),
    section("Working in the cloud", 17, 22),
    section("Deployment", 23, 26),
    section("Overall discussion of the project", 27, 31),
];

const fn section(title: &'static str, first: usize, last: usize) -> Section {
    Section {
        title,
        questions: first..=last,
    }
}

/// The limits of one answer; `None` means the graders do not check that count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub words: Option<(usize, usize)>,
    pub images: Option<(usize, usize)>,
}

const fn limits(words: Option<(usize, usize)>, images: Option<(usize, usize)>) -> Limits {
    Limits { words, images }
}

const FREE: Limits = limits(None, None);
const fn words(min: usize, max: usize) -> Limits {
    limits(Some((min, max)), None)
}
const fn images(min: usize, max: usize) -> Limits {
    limits(None, Some((min, max)))
}
const fn both(words: (usize, usize), images: (usize, usize)) -> Limits {
    limits(Some(words), Some(images))
}

/// Limits of questions 1 to 31, index 0 is question 1.
const TABLE: [Limits; QUESTION_COUNT] = [
    FREE,
    FREE,
    words(0, 200),
    words(100, 200),
    words(100, 200),
    words(100, 200),
    words(50, 100),
    words(100, 200),
    words(100, 200),
    words(100, 200),
    words(200, 300),
    words(50, 100),
    words(100, 200),
    both((200, 300), (1, 3)),
    words(100, 200),
    words(100, 200),
    words(50, 200),
    words(100, 200),
    images(1, 2),
    images(1, 2),
    images(1, 2),
    words(100, 200),
    words(100, 200),
    words(100, 200),
    words(100, 200),
    words(100, 200),
    words(100, 200),
    words(0, 200),
    both((200, 400), (1, 1)),
    words(200, 400),
    words(50, 300),
];

/// The limits of question `number` (1-based), or `None` outside 1..=31.
pub fn of(number: usize) -> Option<Limits> {
    number.checked_sub(1).and_then(|i| TABLE.get(i)).copied()
}

/// Why an answer fails its limits; empty when it passes.
pub fn violations(limits: Limits, words: usize, images: usize) -> Vec<&'static str> {
    let mut out = Vec::new();
    if let Some((min, max)) = limits.words {
        if words < min {
            out.push("too short");
        } else if words > max {
            out.push("too long");
        }
    }
    if let Some((min, max)) = limits.images {
        if images < min {
            out.push("too few images");
        } else if images > max {
            out.push("too many images");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_cover_every_question_once_in_order() {
        let covered: Vec<usize> = SECTIONS.iter().flat_map(|s| s.questions.clone()).collect();
        assert_eq!(covered, (1..=QUESTION_COUNT).collect::<Vec<_>>());
    }

    #[test]
    fn table_matches_the_course_limits_at_its_edges() {
        assert_eq!(of(1), Some(FREE));
        assert_eq!(of(14), Some(both((200, 300), (1, 3))));
        assert_eq!(of(19).unwrap().words, None);
        assert_eq!(of(29), Some(both((200, 400), (1, 1))));
        assert_eq!(of(31), Some(words(50, 300)));
        assert_eq!(of(0), None);
        assert_eq!(of(32), None);
    }

    #[test]
    fn violations_name_each_broken_limit_and_bounds_are_inclusive() {
        let q14 = of(14).unwrap();
        assert!(violations(q14, 200, 1).is_empty());
        assert!(violations(q14, 300, 3).is_empty());
        assert_eq!(violations(q14, 199, 0), ["too short", "too few images"]);
        assert_eq!(violations(q14, 301, 4), ["too long", "too many images"]);
        assert!(violations(FREE, 100_000, 50).is_empty());
    }

    #[test]
    fn the_skeleton_puts_each_question_under_its_section() {
        let skeleton = include_str!("../../template/mlops/project/reports/README.md");
        let mut section = None;
        let mut seen = Vec::new();
        for line in skeleton.lines() {
            if let Some(title) = line.strip_prefix("## ") {
                section = SECTIONS.iter().find(|s| s.title == title);
            }
            if let Some(number) = line.strip_prefix("### Question ") {
                let number: usize = number.parse().unwrap();
                let section = section
                    .unwrap_or_else(|| panic!("question {number} is under no known section"));
                assert!(
                    section.questions.contains(&number),
                    "question {number} under {}",
                    section.title
                );
                seen.push(number);
            }
        }
        assert_eq!(seen, (1..=QUESTION_COUNT).collect::<Vec<_>>());
    }
}

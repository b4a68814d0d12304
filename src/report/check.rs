//! `report check` as a pure function: the graders' counts per question, our verdict against
//! the limits table, and the findings that explain where the graders' reading is surprising.

use serde::Serialize;

use crate::report::findings::{self, Context, Finding};
use crate::report::images::Lookup;
use crate::report::limits::{self, QUESTION_COUNT};
use crate::report::parse::{self, ANSWER_TOKEN, Source};
use crate::report::structure;

/// Whether the group has written an answer at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerState {
    Written,
    /// Nothing but the skeleton's `--- question N fill here ---` line(s).
    Placeholder,
    /// Nothing below `Answer:`.
    Empty,
}

#[derive(Debug, Clone, Serialize)]
pub struct Question {
    pub number: usize,
    pub words: usize,
    pub images: usize,
    pub min_words: Option<usize>,
    pub max_words: Option<usize>,
    pub min_images: Option<usize>,
    pub max_images: Option<usize>,
    pub answer: AnswerState,
    /// The limits the counts break ("too short", …), as the graders' tool judges them;
    /// empty when the counts are within the limits.
    pub problems: Vec<&'static str>,
    /// The counts are within the limits: all the course's checker looks at.
    pub within_limits: bool,
    /// Written, within the limits, and nothing found to fix. Stricter than the course's
    /// checker: a placeholder is never ok, even where its six words happen to fit.
    pub ok: bool,
    pub findings: Vec<Finding>,
}

impl Question {
    /// The question's state in a few words: `ok`, `placeholder`, `empty`, the limits the
    /// counts break and by how much (`too short by 12 words, 1 image too few`), or how many
    /// findings stand in the way of an answer within its limits.
    pub fn status(&self) -> String {
        use crate::plural::count;
        match self.answer {
            AnswerState::Placeholder => "placeholder".to_string(),
            AnswerState::Empty => "empty".to_string(),
            AnswerState::Written if self.ok => "ok".to_string(),
            AnswerState::Written if self.within_limits => {
                format!(
                    "{} to fix",
                    count(self.findings.len(), "finding", "findings")
                )
            }
            AnswerState::Written => {
                let by = |n: usize, more: Option<usize>, less: Option<usize>| match (more, less) {
                    (Some(min), _) if n < min => min - n,
                    (_, Some(max)) if n > max => n - max,
                    _ => 0,
                };
                let words = by(self.words, self.min_words, self.max_words);
                let images = by(self.images, self.min_images, self.max_images);
                self.problems
                    .iter()
                    .map(|problem| match *problem {
                        "too short" | "too long" => {
                            format!("{problem} by {}", count(words, "word", "words"))
                        }
                        "too few images" => format!("{} too few", count(images, "image", "images")),
                        "too many images" => {
                            format!("{} too many", count(images, "image", "images"))
                        }
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        }
    }

    /// The word limit as text (`100–200`), if the graders check one.
    pub fn word_limit(&self) -> Option<String> {
        limit_text(self.min_words, self.max_words)
    }

    /// The image limit as text (`1–3`, `exactly 1`), if the graders check one.
    pub fn image_limit(&self) -> Option<String> {
        limit_text(self.min_images, self.max_images)
    }
}

fn limit_text(min: Option<usize>, max: Option<usize>) -> Option<String> {
    match (min?, max?) {
        (min, max) if min == max => Some(format!("exactly {min}")),
        (min, max) => Some(format!("{min}–{max}")),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    pub questions: Vec<Question>,
    /// Questions with an answer written (not empty, not the placeholder).
    pub answered: usize,
    /// Questions that are [`Question::ok`].
    pub passed: usize,
    /// Questions whose counts are within the limits: what the course's checker passes.
    pub within_limits: usize,
    pub total: usize,
}

impl Checked {
    /// Every answer passes and nothing needs a second look.
    pub fn clean(&self) -> bool {
        self.passed == self.total && self.questions.iter().all(|q| q.findings.is_empty())
    }

    pub fn finding_count(&self) -> usize {
        self.questions.iter().map(|q| q.findings.len()).sum()
    }

    /// The numbers of the questions whose answer is in `state`.
    pub fn numbers_in(&self, state: AnswerState) -> Vec<usize> {
        self.questions
            .iter()
            .filter(|q| q.answer == state)
            .map(|q| q.number)
            .collect()
    }
}

/// Check a report's text. `find` looks up a path relative to `reports/`.
/// When the graders' tool could not read the report at all, the error says why and where.
pub fn check(raw: &str, find: &dyn Fn(&str) -> Lookup) -> Result<Checked, String> {
    let source = Source::new(raw);
    let answers = parse::answers(&source);
    if answers.is_empty() {
        return Err(format!(
            "it has no `{ANSWER_TOKEN}` line; a report has {QUESTION_COUNT} questions, each ending in a line `{ANSWER_TOKEN}` with the answer below it"
        ));
    }
    if answers.len() != QUESTION_COUNT {
        let details = structure::explain_count(&source, &answers);
        return Err(format!(
            "it finds {} answers and needs exactly {QUESTION_COUNT}:\n{}",
            answers.len(),
            details
                .iter()
                .map(|d| format!("  - {d}"))
                .collect::<Vec<_>>()
                .join("\n")
        ));
    }
    let headings = structure::question_headings(&source);
    let cx = Context {
        source: &source,
        headings: &headings,
        answers: &answers,
        find,
    };
    let questions: Vec<Question> = answers
        .iter()
        .enumerate()
        .map(|(index, answer)| {
            let number = index + 1;
            let limits = limits::of(number).expect("31 answers, 31 rows of limits");
            let problems = limits::violations(limits, answer.words, answer.images);
            let answer_state = answer_state(&source.text()[answer.span.clone()]);
            let findings = findings::collect(&cx, index);
            Question {
                number,
                words: answer.words,
                images: answer.images,
                min_words: limits.words.map(|w| w.0),
                max_words: limits.words.map(|w| w.1),
                min_images: limits.images.map(|i| i.0),
                max_images: limits.images.map(|i| i.1),
                answer: answer_state,
                ok: answer_state == AnswerState::Written
                    && problems.is_empty()
                    && findings.is_empty(),
                within_limits: problems.is_empty(),
                problems,
                findings,
            }
        })
        .collect();
    Ok(Checked {
        answered: questions
            .iter()
            .filter(|q| q.answer == AnswerState::Written)
            .count(),
        passed: questions.iter().filter(|q| q.ok).count(),
        within_limits: questions.iter().filter(|q| q.within_limits).count(),
        total: questions.len(),
        questions,
    })
}

fn answer_state(counted: &str) -> AnswerState {
    if counted.trim().is_empty() {
        AnswerState::Empty
    } else if findings::only_placeholders(counted) {
        AnswerState::Placeholder
    } else {
        AnswerState::Written
    }
}

#[cfg(test)]
mod fuzz;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::findings::Kind;
    use crate::report::fixture::{blank, existing, fitting, report, words};

    fn all_exist(path: &str) -> Lookup {
        Lookup::File(path.into())
    }

    fn run(raw: &str) -> Result<Checked, String> {
        check(raw, &all_exist)
    }

    fn kinds(q: &Question) -> Vec<Kind> {
        q.findings.iter().map(|f| f.kind).collect()
    }

    #[test]
    fn a_blank_skeleton_is_unanswered_and_no_placeholder_is_ok() {
        let checked = run(&report(blank)).unwrap();
        assert_eq!(
            (checked.total, checked.answered, checked.passed),
            (31, 0, 0)
        );
        for q in &checked.questions {
            assert_eq!(q.words, 6, "question {}", q.number);
            assert_eq!(q.answer, AnswerState::Placeholder, "question {}", q.number);
            assert!(!q.ok, "question {}", q.number);
            // One unanswered state, not a finding per question.
            assert!(q.findings.is_empty(), "question {}", q.number);
        }
        // The graders' tool still passes six words where there is no lower bound.
        let within: Vec<usize> = checked
            .questions
            .iter()
            .filter(|q| q.problems.is_empty())
            .map(|q| q.number)
            .collect();
        assert_eq!(within, [1, 2, 3, 28]);
        assert_eq!(checked.numbers_in(AnswerState::Placeholder).len(), 31);
        assert!(!checked.clean());
    }

    #[test]
    fn empty_placeholder_only_and_written_answers_are_told_apart() {
        let raw = report(|n| match n {
            1 => String::new(),
            2 => format!("{}\n\n{}", blank(2), blank(2)),
            3 => format!("{} group 7", blank(3)),
            n => fitting(n),
        });
        let checked = run(&raw).unwrap();
        let states: Vec<AnswerState> = checked.questions[..4].iter().map(|q| q.answer).collect();
        assert_eq!(
            states,
            [
                AnswerState::Empty,
                AnswerState::Placeholder,
                AnswerState::Written,
                AnswerState::Written
            ]
        );
        // A placeholder left in a written answer is a finding: within the limits (the course's
        // checker passes it) but not ok here.
        assert_eq!(
            (checked.answered, checked.passed, checked.within_limits),
            (29, 28, 31)
        );
        assert_eq!(kinds(&checked.questions[2]), [Kind::Placeholder]);
        assert!(!checked.questions[2].ok && checked.questions[2].within_limits);
        assert_eq!(checked.questions[2].status(), "1 finding to fix");
        assert!(!checked.questions[0].ok && checked.questions[0].problems.is_empty());
    }

    #[test]
    fn answers_within_limits_are_clean() {
        let checked = run(&report(fitting)).unwrap();
        assert_eq!(
            checked.passed,
            31,
            "{:#?}",
            checked
                .questions
                .iter()
                .filter(|q| !q.ok)
                .collect::<Vec<_>>()
        );
        assert!(checked.clean());
        assert_eq!(checked.questions[13].images, 1);
        assert_eq!(checked.questions[13].words, 200);
    }

    #[test]
    fn too_long_and_too_short_are_named() {
        let raw = report(|n| match n {
            4 => words(201),
            5 => words(99),
            n => fitting(n),
        });
        let checked = run(&raw).unwrap();
        assert_eq!(checked.passed, 29);
        assert_eq!(checked.questions[3].problems, ["too long"]);
        assert_eq!(checked.questions[3].words, 201);
        assert_eq!(checked.questions[4].problems, ["too short"]);
        assert_eq!(checked.questions[3].status(), "too long by 1 word");
        assert!(checked.questions[4].status().starts_with("too short by "));
    }

    #[test]
    fn missing_and_wrong_type_images_are_findings_not_count_changes() {
        let raw = report(|n| match n {
            19 => "![a](figures/gone.png) ![b](figures/anim.gif)".to_string(),
            20 => "<img src=\"figures/plot.png\">".to_string(),
            n => fitting(n),
        });
        let checked = check(&raw, &existing(&["figures/plot.png", "figures/anim.gif"])).unwrap();
        let q19 = &checked.questions[18];
        assert_eq!((q19.images, q19.ok, q19.within_limits), (2, false, true));
        assert_eq!(kinds(q19), [Kind::MissingImage, Kind::ImageType]);
        assert!(q19.findings[0].message.contains("figures/gone.png"));
        let q20 = &checked.questions[19];
        assert_eq!((q20.images, q20.ok), (0, false));
        assert_eq!(kinds(q20), [Kind::HtmlImage]);
    }

    #[test]
    fn a_heading_inside_an_answer_is_where_the_graders_stop() {
        let raw = report(|n| match n {
            11 => format!("{}\n\n### Details\n\n{}", words(150), words(100)),
            n => fitting(n),
        });
        let checked = run(&raw).unwrap();
        let q11 = &checked.questions[10];
        assert_eq!(q11.words, 150);
        assert_eq!(q11.problems, ["too short"]);
        assert_eq!(kinds(q11), [Kind::CutAtHeading]);
        let line = raw.lines().position(|l| l == "### Details").unwrap() + 1;
        assert_eq!(q11.findings[0].line, line);
        assert!(q11.findings[0].message.contains("`### Details`"));
        assert!(q11.findings[0].message.contains("102 words"));
        assert_eq!(checked.finding_count(), 1);
    }

    #[test]
    fn an_extra_answer_token_drops_the_text_before_it() {
        let raw = report(|n| match n {
            7 => format!("{} Answer: {}", words(60), words(20)),
            n => fitting(n),
        });
        let checked = run(&raw).unwrap();
        let q7 = &checked.questions[6];
        assert_eq!(q7.words, 20);
        assert!(!q7.ok);
        assert_eq!(kinds(q7), [Kind::DroppedText]);
        assert!(
            q7.findings[0].message.contains("drop 60 words before it"),
            "{}",
            q7.findings[0].message
        );
    }

    #[test]
    fn crlf_and_trailing_whitespace_do_not_change_counts() {
        let plain = run(&report(fitting)).unwrap();
        let crlf = run(&report(fitting).replace('\n', "\r\n")).unwrap();
        let trailing =
            run(&report(|n| format!("{}   \t", fitting(n))).replace('\n', "  \n")).unwrap();
        for (a, b) in plain.questions.iter().zip(&crlf.questions) {
            assert_eq!((a.words, a.images, a.ok), (b.words, b.images, b.ok));
        }
        for (a, b) in plain.questions.iter().zip(&trailing.questions) {
            assert_eq!((a.words, a.images, a.ok), (b.words, b.images, b.ok));
        }
        assert!(crlf.clean() && trailing.clean());
    }

    #[test]
    fn thirty_or_thirty_two_answers_are_not_a_report() {
        let thirty = report(fitting).replacen("> Answer:", "> (no answer line)", 1);
        let err = run(&thirty).unwrap_err();
        assert!(err.starts_with("it finds 30 answers"), "{err}");
        assert!(err.contains("Question 1 has no `Answer:` line"), "{err}");

        let thirty_two = format!("{}### Appendix\n\nmore\n", report(fitting));
        let err = run(&thirty_two).unwrap_err();
        assert!(err.starts_with("it finds 32 answers"), "{err}");
        assert!(
            err.contains("`### Appendix` comes after the last `Answer:`"),
            "{err}"
        );
    }

    #[test]
    fn empty_or_answerless_text_is_not_a_report() {
        for raw in ["", "# A README\n\nNo answers here.\n"] {
            let err = run(raw).unwrap_err();
            assert!(err.starts_with("it has no `Answer:` line"), "{err}");
        }
    }

    #[test]
    fn a_missing_answer_line_made_up_by_a_stray_one_shifts_the_answers_between() {
        let mut raw = report(|n| match n {
            10 => format!("{}\n\n### Sub\n\nAnswer: {}", words(120), words(3)),
            n => fitting(n),
        });
        let q5 = raw.find("### Question 5").unwrap();
        let token = q5 + raw[q5..].find("> Answer:").unwrap();
        raw.replace_range(token..token + "> Answer:".len(), "> (no answer line)");
        let checked = run(&raw).unwrap();
        let shifted: Vec<usize> = checked
            .questions
            .iter()
            .filter(|q| kinds(q).contains(&Kind::UnderOtherQuestion))
            .map(|q| q.number)
            .collect();
        assert_eq!(shifted, [5, 6, 7, 8, 9]);
        let q5 = &checked.questions[4];
        assert!(
            q5.findings[0].message.contains("sits under Question 6"),
            "{:?}",
            q5.findings
        );
        // Answer 9 is Question 10's own text, cut at its heading; answer 10 is the stray one.
        assert_eq!(checked.questions[8].words, 120);
        assert_eq!(checked.questions[9].words, 3);
        assert_eq!(kinds(&checked.questions[9]), [Kind::SecondAnswerToken]);
    }

    #[test]
    fn a_section_after_the_last_question_is_flagged_on_question_31() {
        let raw = format!("{}## Appendix\n\nextra words\n", report(fitting));
        let checked = run(&raw).unwrap();
        let q31 = &checked.questions[30];
        assert_eq!(q31.words, 50 + 4);
        assert_eq!(kinds(q31), [Kind::HeadingAfterLastQuestion]);
    }
}

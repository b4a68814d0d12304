//! What the group's own report answers say, for `dayone check`.
//!
//! Some work leaves no file behind (a deployment, a training job in the cloud, a monitoring
//! dashboard), but the group's answer to the question about it describes it. That is a weaker
//! kind of evidence than a file: `check` shows it beside the item ("the report says …", with
//! the question and line) without counting it as done, so students and graders see both. The
//! report's figures also show work, such as the architecture diagram of question 29.

use std::sync::LazyLock;

use regex::Regex;

use crate::check::detectors::{Evidence, shorten};
use crate::report::parse::{Source, image_links};
use crate::report::structure::answer_blocks;

/// Which answers speak of which item, and the words that say the work was done. Question
/// numbers are the course's (the report keeps them).
const SAYS: &[(&str, &[usize], &str)] = &[
    (
        "docker-build",
        &[15],
        r"(?i)\bdocker\s+(build|run|compose)\b|\bbuilt\s+(the|our|an?)\s+(docker\s+)?(images?|containers?)",
    ),
    (
        "profiling",
        &[16],
        r"(?i)\b(profil(ed|ing|er)|cprofile|snakeviz|py-spy)\b",
    ),
    (
        "wandb",
        &[14],
        r"(?i)\b(w&b|wandb|weights\s*(&|and)\s*biases)\b",
    ),
    (
        "hyperparameter-sweep",
        &[13, 14],
        r"(?i)\b(sweeps?|optuna|hyperparameter\s+(search|optimi[sz]ation|tuning))\b",
    ),
    (
        "gcs-data-remote",
        &[10, 17, 19],
        r"(?i)\b(buckets?|cloud\s+storage)\b",
    ),
    ("image-build-trigger", &[17, 21], r"(?i)\btrigger(s|ed)?\b"),
    (
        "cloud-training",
        &[18, 22],
        r"(?i)\b(vertex\s*ai|compute\s+engine|custom\s+jobs?|trained\b.*\b(cloud|gcp|vm|virtual\s+machine))",
    ),
    (
        "cloud-deploy",
        &[24],
        r"(?i)\b(cloud\s+run|cloud\s+functions?|gcloud\s+run|deployed\b.*\b(cloud|gcp))",
    ),
    (
        "load-test",
        &[25],
        r"(?i)\b(locust|load[-\s]test(s|ed|ing)?|k6)\b",
    ),
    ("specialized-serving", &[23, 25], r"(?i)\b(onnx|bentoml)\b"),
    (
        "frontend",
        &[28],
        r"(?i)\b(front-?end|streamlit|gradio|web\s+(page|app|interface|ui))\b",
    ),
    ("drift-check", &[26, 28], r"(?i)\bdrift\b"),
    (
        "collect-io-data",
        &[26],
        r"(?i)\b(stor|sav|log|record|collect)(e|ed|es|ing|s)?\b.*\b(requests?|inputs?|predictions?)\b",
    ),
    (
        "api-metrics",
        &[26],
        r"(?i)\b(prometheus|/metrics|metrics\s+endpoint)\b",
    ),
    (
        "cloud-monitoring",
        &[26],
        r"(?i)\b(cloud\s+monitoring|dashboards?|monitor(ed|ing)\s+(the|our)\s+(api|service|application|model))\b",
    ),
    (
        "cloud-alerts",
        &[26],
        r"(?i)\balert(s|ing|\s+polic(y|ies))?\b",
    ),
];

static SAYS_PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    SAYS.iter()
        .map(|(_, _, pattern)| Regex::new(pattern).expect("valid regex"))
        .collect()
});

/// The placeholder the skeleton holds before the group answers.
static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^-{3}\s*question\s+\d+\s+fill\s+here\s*-{3}$").expect("valid regex")
});

/// One answer: its question number and its lines of text with their line numbers, the
/// placeholder and quoted lines left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub number: usize,
    pub lines: Vec<(usize, String)>,
}

/// The report's answers, read once.
#[derive(Debug, Clone, Default)]
pub struct ReportAnswers {
    answers: Vec<Answer>,
}

impl ReportAnswers {
    pub fn read(raw: &str) -> Self {
        let source = Source::new(raw);
        let text = source.text();
        let answers = answer_blocks(&source)
            .into_iter()
            .map(|block| {
                let first = source.line_of(block.answer.start);
                let lines = text[block.answer]
                    .lines()
                    .enumerate()
                    .map(|(i, line)| (first + i, line.trim()))
                    .filter(|(_, l)| !l.is_empty() && !l.starts_with('>'))
                    .filter(|(_, l)| !PLACEHOLDER.is_match(l))
                    .map(|(n, l)| (n, l.to_string()))
                    .collect();
                Answer {
                    number: block.number,
                    lines,
                }
            })
            .collect();
        Self { answers }
    }

    /// The answer to question `number`, if the report has it.
    pub fn answer(&self, number: usize) -> Option<&Answer> {
        self.answers.iter().find(|a| a.number == number)
    }

    /// The images an answer shows: `(line, link target)`.
    pub fn images(&self, number: usize) -> Vec<(usize, String)> {
        self.answer(number)
            .into_iter()
            .flat_map(|a| &a.lines)
            .flat_map(|(n, line)| image_links(line).map(|(_, target)| (*n, target.to_string())))
            .collect()
    }

    /// What the report says about the item `id`: the first line of each mapped answer that
    /// says it was done, as evidence naming the question.
    pub fn says(&self, id: &str) -> Vec<Evidence> {
        let Some(index) = SAYS.iter().position(|(item, _, _)| *item == id) else {
            return Vec::new();
        };
        let pattern = &SAYS_PATTERNS[index];
        SAYS[index]
            .1
            .iter()
            .filter_map(|&number| {
                let answer = self.answer(number)?;
                let (line, text) = answer.lines.iter().find(|(_, l)| pattern.is_match(l))?;
                Some(Evidence::at(
                    crate::report::PATH,
                    *line,
                    format!(
                        "the report says (question {number}): “{}”",
                        shorten(text, 100)
                    ),
                ))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every item the report can speak for.
    fn items() -> impl Iterator<Item = &'static str> {
        SAYS.iter().map(|(id, _, _)| *id)
    }

    fn report(answers: &[(usize, &str)]) -> String {
        let mut text = String::from("# Report\n\n## Checklist\n\n");
        for n in 1..=31 {
            let answer = answers
                .iter()
                .find(|(q, _)| *q == n)
                .map_or(format!("--- question {n} fill here ---"), |(_, a)| {
                    a.to_string()
                });
            text.push_str(&format!(
                "### Question {n}\n\n> **Question?**\n>\n> Answer:\n\n{answer}\n\n"
            ));
        }
        text
    }

    #[test]
    fn an_answer_describing_the_work_is_weaker_evidence_with_question_and_line() {
        let text = report(&[(
            24,
            "We run the API on our laptops.\nThe same image is deployed to Cloud Run with `gcloud run deploy`.",
        )]);
        let answers = ReportAnswers::read(&text);
        let says = answers.says("cloud-deploy");
        assert_eq!(says.len(), 1);
        assert_eq!(says[0].path, "reports/README.md");
        let line = text
            .lines()
            .position(|l| l.starts_with("The same image"))
            .unwrap()
            + 1;
        assert_eq!(says[0].line, Some(line));
        assert_eq!(
            says[0].detail,
            "the report says (question 24): “The same image is deployed to Cloud Run with `gcloud run deploy`.”"
        );
    }

    #[test]
    fn placeholders_and_unrelated_answers_say_nothing() {
        let answers = ReportAnswers::read(&report(&[(26, "We did not set up monitoring yet.")]));
        for id in items() {
            assert!(answers.says(id).is_empty(), "{id}");
        }
        assert!(answers.says("no-such-item").is_empty());
    }

    #[test]
    fn the_images_of_an_answer_are_listed_with_their_lines() {
        let answers = ReportAnswers::read(&report(&[(
            29,
            "Our system:\n\n![the whole system](figures/system.png)\n\nIt starts on a laptop.",
        )]));
        let images = answers.images(29);
        assert_eq!(images.len(), 1);
        assert_eq!(images[0].1, "figures/system.png");
        assert!(answers.images(28).is_empty());
    }
}

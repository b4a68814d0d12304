//! What the group's own report answers say, for `dayone check`.
//!
//! Some work leaves no file behind (a deployment, a training job in the cloud, a monitoring
//! dashboard), but the group's answer to the question about it describes it. That is a weaker
//! kind of evidence than a file: `check` shows it beside the item ("the report says …", with
//! the question and line) without counting it as done, so students and graders see both. The
//! report's figures also show work, such as the architecture diagram of question 29.
//!
//! The report weighs the other way too: an answer that says the work failed or was not done
//! ([`sentences`]) is evidence against the item, whatever files the repository holds.

mod sentences;

use std::sync::LazyLock;

// The report is a few hundred lines: regex-lite compiles its patterns in a fraction of the
// time, which is most of what reading them costs.
use regex_lite::Regex;

use self::sentences::{Sentence, says_it_failed};
use crate::check::detectors::{Detection, Evidence, shorten};
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
        r"(?i)\b(vertex\s*ai|compute\s+engine|custom\s+jobs?|train(ed|ing)?\b.*\b(cloud|gcp|vm|virtual\s+machine))",
    ),
    (
        "cloud-deploy",
        &[24],
        r"(?i)\b(cloud\s+run|cloud\s+functions?|gcloud\s+run|deploy(ed|ing|ment)?\b.*\b(cloud|gcp))",
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
/// placeholder and quoted lines left out, and the same text as sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub number: usize,
    pub lines: Vec<(usize, String)>,
    sentences: Vec<Sentence>,
}

/// An image an answer shows, with the words around it: its alt text and its paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub line: usize,
    pub target: String,
    /// Its line, its paragraph and the paragraph before, for telling what it shows.
    pub context: String,
}

/// An HTML image in an answer: `<img src="figures/x.png" …>`.
static HTML_IMAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<img\s[^>]*?src\s*=\s*["']([^"']+)["']"#).expect("valid regex")
});

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
                let lines: Vec<(usize, String)> = text[block.answer]
                    .lines()
                    .enumerate()
                    .map(|(i, line)| (first + i, line.trim()))
                    .filter(|(_, l)| !l.is_empty() && !l.starts_with('>'))
                    .filter(|(_, l)| !PLACEHOLDER.is_match(l))
                    .map(|(n, l)| (n, l.to_string()))
                    .collect();
                Answer {
                    number: block.number,
                    sentences: sentences::sentences(&lines),
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
        self.figures(number)
            .into_iter()
            .map(|f| (f.line, f.target))
            .collect()
    }

    /// The images an answer shows (Markdown or HTML), each with the words of its paragraph.
    pub fn figures(&self, number: usize) -> Vec<Figure> {
        let Some(answer) = self.answer(number) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for (index, (line, text)) in answer.lines.iter().enumerate() {
            let targets = image_links(text)
                .map(|(_, target)| target.to_string())
                .chain(HTML_IMAGE.captures_iter(text).map(|c| c[1].to_string()));
            for target in targets {
                // Its paragraph, and the paragraph before it, which often says what it shows.
                let paragraph = |end: usize| {
                    let mut start = end;
                    while start > 0 && answer.lines[start - 1].0 + 1 == answer.lines[start].0 {
                        start -= 1;
                    }
                    start
                };
                let mut end = index;
                while answer
                    .lines
                    .get(end + 1)
                    .is_some_and(|(n, _)| *n == answer.lines[end].0 + 1)
                {
                    end += 1;
                }
                let mut start = paragraph(index);
                if start > 0 {
                    start = paragraph(start - 1);
                }
                let context = answer.lines[start..=end]
                    .iter()
                    .map(|(_, l)| l.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                found.push(Figure {
                    line: *line,
                    target,
                    context,
                });
            }
        }
        found
    }

    /// The sentences of the answers that speak of `id`, with the question number and whether
    /// the sentence names the item itself: `(number, sentence, named)`. A sentence that names
    /// no item continues the topic of the sentence before ("However, the job never ran").
    fn about(&self, id: &str) -> Vec<(usize, &Sentence, bool)> {
        let Some(index) = SAYS.iter().position(|(item, _, _)| *item == id) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for &number in SAYS[index].1 {
            let Some(answer) = self.answer(number) else {
                continue;
            };
            // The other items the same answer speaks of.
            let others: Vec<&Regex> = SAYS
                .iter()
                .zip(SAYS_PATTERNS.iter())
                .filter(|((item, numbers, _), _)| *item != id && numbers.contains(&number))
                .map(|(_, pattern)| pattern)
                .collect();
            let mut on_topic = false;
            for sentence in &answer.sentences {
                let named = SAYS_PATTERNS[index].is_match(&sentence.text);
                if named {
                    on_topic = true;
                } else if others.iter().any(|p| p.is_match(&sentence.text)) {
                    on_topic = false;
                }
                if on_topic {
                    found.push((number, sentence, named));
                }
            }
        }
        found
    }

    /// The sentences about `id` that say it failed or was not done, when none says it worked
    /// (a sentence saying so with a verb such as "trained", "deployed", "runs", not negated).
    /// "We wrote a Vertex config. It never ran." is a failure; "Vertex never worked, so we
    /// trained on a Compute Engine VM" is not.
    fn failures(&self, id: &str) -> Vec<(usize, &Sentence)> {
        let about = self.about(id);
        let failed: Vec<(usize, &Sentence)> = about
            .iter()
            .filter(|(_, s, _)| says_it_failed(&s.text))
            .map(|(n, s, _)| (*n, *s))
            .collect();
        let worked = about
            .iter()
            .any(|(_, s, _)| !says_it_failed(&s.text) && sentences::says_it_worked(&s.text));
        if worked { Vec::new() } else { failed }
    }

    /// What the report says about the item `id`: the line of the first sentence of each
    /// mapped answer that names the work, as evidence naming the question. Nothing when the
    /// answers say it failed ([`denies`](Self::denies)).
    pub fn says(&self, id: &str) -> Vec<Evidence> {
        if !self.failures(id).is_empty() {
            return Vec::new();
        }
        let mut found: Vec<Evidence> = Vec::new();
        for (number, sentence, named) in self.about(id) {
            if !named || says_it_failed(&sentence.text) {
                continue;
            }
            let said = format!("(question {number})");
            if found.iter().any(|e| e.detail.contains(&said)) {
                continue;
            }
            let line = self
                .answer(number)
                .and_then(|a| a.lines.iter().find(|(n, _)| *n == sentence.line))
                .map_or(sentence.text.as_str(), |(_, l)| l.as_str());
            found.push(Evidence::at(
                crate::report::PATH,
                sentence.line,
                format!("the report says {said}: “{}”", shorten(line, 100)),
            ));
        }
        found
    }

    /// The sentences of the answers about `id` that say the work failed or was not done,
    /// when no sentence says it worked.
    pub fn denies(&self, id: &str) -> Vec<Evidence> {
        self.failures(id)
            .into_iter()
            .map(|(number, sentence)| {
                Evidence::at(
                    crate::report::PATH,
                    sentence.line,
                    format!(
                        "the report says it did not work (question {number}): “{}”",
                        shorten(&sentence.text, 100)
                    ),
                )
            })
            .collect()
    }

    /// `detection` of the item `id`, weighed against the report: when the answers about it
    /// say it failed and nowhere that it worked, the files do not make it done.
    pub fn weigh(&self, id: &str, detection: Detection) -> Detection {
        let Detection::Done(evidence) = detection else {
            return detection;
        };
        let denied = self.denies(id);
        if denied.is_empty() {
            return Detection::Done(evidence);
        }
        Detection::Open {
            hint: "the report says this did not work: make it work (and say so in the report), or leave the box unticked".into(),
            partial: evidence.into_iter().chain(denied).collect(),
        }
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

    /// A report that says the work failed weighs against the files: the item is open, with
    /// the file and the report's sentence shown. A sentence saying it worked keeps it done.
    #[test]
    fn an_answer_saying_it_failed_is_evidence_against_the_item() {
        let text = report(&[(
            22,
            "We wrote a Vertex AI config for a custom job.\nHowever the job never worked because we had no GPU quota, so all training ran on our laptops.",
        )]);
        let answers = ReportAnswers::read(&text);
        let config = Evidence::new(
            "configs/vertex.yaml",
            "a Vertex AI custom-job config (workerPoolSpecs)",
        );
        let denied = answers.denies("cloud-training");
        assert_eq!(denied.len(), 1);
        assert!(
            denied[0].detail.starts_with(
                "the report says it did not work (question 22): “However the job never worked"
            ),
            "{denied:?}"
        );
        // "We wrote a Vertex AI config" names the work without saying it ran.
        let weighed = answers.weigh("cloud-training", Detection::Done(vec![config.clone()]));
        match weighed {
            Detection::Open { hint, partial } => {
                assert!(hint.contains("the report says this did not work"), "{hint}");
                assert_eq!(partial[0], config);
                assert_eq!(partial[1], denied[0]);
            }
            other => panic!("{other:?}"),
        }
        assert!(answers.says("cloud-training").is_empty());
        let worked = ReportAnswers::read(&report(&[(
            22,
            "Vertex AI never worked for us. We trained the final model on a Compute Engine VM instead.",
        )]));
        assert!(matches!(
            worked.weigh("cloud-training", Detection::Done(vec![config.clone()])),
            Detection::Done(_)
        ));
        // Items the report does not speak of, and open items, are left as they are.
        assert!(matches!(
            answers.weigh("docs", Detection::Done(vec![config])),
            Detection::Done(_)
        ));
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

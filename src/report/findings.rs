//! Places where the graders' count and a human reading of an answer part ways. They never
//! change the counts; they tell the group what to fix so the counts mean what they think.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::report::images::{self, Target};
use crate::report::parse::{ANSWER_TOKEN, Answer, Source, count_words, image_links};
use crate::report::structure::{Heading, heading_before, human_end};

static PLACEHOLDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)---[ \t]*question[ \t]+\d+[ \t]+fill[ \t]+here[ \t]*---")
        .expect("valid placeholder regex")
});
static HTML_IMAGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)<img\b").expect("valid img regex"));
static HEADING_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^#{1,6}[ \t]").expect("valid heading regex"));

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Placeholder,
    CutAtHeading,
    HeadingAfterLastQuestion,
    HtmlImage,
    MissingImage,
    ImageOutsideReports,
    RemoteImage,
    ImageType,
    DroppedText,
    UnderOtherQuestion,
    SecondAnswerToken,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub kind: Kind,
    pub line: usize,
    pub message: String,
}

/// What the report's reader needs to judge one answer.
pub struct Context<'a> {
    pub source: &'a Source<'a>,
    pub headings: &'a [Heading],
    pub answers: &'a [Answer],
    /// Whether a path relative to `reports/` is an existing file.
    pub exists: &'a dyn Fn(&Path) -> bool,
}

/// Findings for the answer at `index` (question `index + 1`), in line order.
pub fn collect(cx: &Context, index: usize) -> Vec<Finding> {
    let answer = &cx.answers[index];
    let source = cx.source;
    let counted = &source.text()[answer.span.clone()];
    let at = |offset: usize| source.line_of(answer.span.start + offset);
    let mut out = Vec::new();
    let mut push = |kind, line, message| {
        out.push(Finding {
            kind,
            line,
            message,
        })
    };

    if let Some(heading) = heading_before(cx.headings, answer.token_at) {
        let earlier_token = source.text()[heading.at..answer.token_at].contains(ANSWER_TOKEN);
        if earlier_token && answer.dropped.is_empty() {
            push(
                Kind::SecondAnswerToken,
                source.line_of(answer.token_at),
                format!(
                    "a second `{ANSWER_TOKEN}` under Question {}: the graders' tool counts the text after it as an answer of its own; reword it, e.g. `answer:`",
                    heading.number
                ),
            );
        }
        if heading.number != index + 1 {
            push(
                Kind::UnderOtherQuestion,
                source.line_of(answer.token_at),
                format!(
                    "this `{ANSWER_TOKEN}` sits under Question {} (line {}), but the graders' tool counts it as the answer to question {}",
                    heading.number,
                    source.line_of(heading.at),
                    index + 1
                ),
            );
        }
    }
    for dropped in &answer.dropped {
        let lost = count_words(&source.text()[dropped.start + ANSWER_TOKEN.len()..dropped.end]);
        push(
            Kind::DroppedText,
            source.line_of(dropped.end),
            format!(
                "a second `{ANSWER_TOKEN}` here makes the graders' tool drop the {lost} word(s) before it (from line {}); reword it, e.g. `answer:`",
                source.line_of(dropped.start)
            ),
        );
    }
    for m in PLACEHOLDER.find_iter(counted) {
        let message = if m.as_str().len() == counted.trim().len() {
            format!(
                "still the placeholder `{}`; write the answer in its place (the graders count it as {} words)",
                m.as_str(),
                count_words(m.as_str())
            )
        } else {
            format!(
                "the placeholder `{}` is still here; delete it (the graders count its {} words)",
                m.as_str(),
                count_words(m.as_str())
            )
        };
        push(Kind::Placeholder, at(m.start()), message);
    }
    if let Some(cut) = answer.cut_at {
        let end = human_end(source, cx.headings, answer.token_at);
        if cut < end && !source.text()[cut..end].trim().is_empty() {
            let lost = count_words(&source.text()[cut..end]);
            let line = source.line_at(cut).trim();
            let what = if line.starts_with("##") {
                format!("the heading `{line}`")
            } else {
                "the `##` in this line".to_string()
            };
            push(
                Kind::CutAtHeading,
                source.line_of(cut),
                format!(
                    "the graders' tool ends the answer at {what}, so the {lost} word(s) from here to the next question are not counted; use bold text instead of a heading"
                ),
            );
        }
    } else if index + 1 == cx.answers.len() {
        for m in HEADING_LINE.find_iter(counted) {
            push(
                Kind::HeadingAfterLastQuestion,
                at(m.start()),
                format!(
                    "`{}` is inside the last answer: the graders' tool counts everything to the end of the file as this answer",
                    source.line_at(answer.span.start + m.start()).trim()
                ),
            );
        }
    }
    for m in HTML_IMAGE.find_iter(counted) {
        push(
            Kind::HtmlImage,
            at(m.start()),
            "an HTML <img> is not counted as an image by the graders' tool; write it as ![what it shows](figures/name.png)".to_string(),
        );
    }
    for (offset, destination) in image_links(counted) {
        let line = at(offset);
        match images::resolve(destination) {
            Target::Local(path) => {
                if !(cx.exists)(&path) {
                    push(
                        Kind::MissingImage,
                        line,
                        format!("`{}` does not exist under reports/", path.display()),
                    );
                }
                if !images::accepted_type(&path) {
                    push(
                        Kind::ImageType,
                        line,
                        format!(
                            "`{}` is not a {} file, the only types the course accepts",
                            path.display(),
                            images::ACCEPTED_TYPES.join("/")
                        ),
                    );
                }
            }
            Target::Remote => push(
                Kind::RemoteImage,
                line,
                format!(
                    "`{destination}` is not a file: put the image under reports/figures/ and link it from there"
                ),
            ),
            Target::Outside => push(
                Kind::ImageOutsideReports,
                line,
                format!(
                    "`{destination}` is outside reports/, and the graders collect only that folder"
                ),
            ),
            Target::Empty => push(
                Kind::MissingImage,
                line,
                "this image link names no file".to_string(),
            ),
        }
    }
    out.sort_by_key(|f| f.line);
    out
}

//! Places where the graders' count and a human reading of an answer part ways. They never
//! change the counts; they tell the group what to fix so the counts mean what they think.

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use crate::report::images::{self, Lookup, Near, Target};
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
    ImageOutsideProject,
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
    /// What a path relative to `reports/` finds there.
    pub find: &'a dyn Fn(&str) -> Lookup,
}

/// Findings for the answer at `index` (question `index + 1`), in line order.
pub fn collect(cx: &Context, index: usize) -> Vec<Finding> {
    let mut out = Vec::new();
    placement(cx, index, &mut out);
    dropped_text(cx, index, &mut out);
    placeholders(cx, index, &mut out);
    headings(cx, index, &mut out);
    images(cx, index, &mut out);
    out.sort_by_key(|f| f.line);
    out
}

fn finding(kind: Kind, line: usize, message: String) -> Finding {
    Finding {
        kind,
        line,
        message,
    }
}

/// The counted text of an answer, and a way to turn an offset in it into a line number.
fn counted<'a>(cx: &'a Context, index: usize) -> (&'a str, impl Fn(usize) -> usize + 'a) {
    let span = cx.answers[index].span.clone();
    let start = span.start;
    (&cx.source.text()[span], move |offset| {
        cx.source.line_of(start + offset)
    })
}

/// An `Answer:` under another question's heading, or a second one under the same heading.
fn placement(cx: &Context, index: usize, out: &mut Vec<Finding>) {
    let answer = &cx.answers[index];
    let source = cx.source;
    let Some(heading) = heading_before(cx.headings, answer.token_at) else {
        return;
    };
    let line = source.line_of(answer.token_at);
    let earlier_token = source.text()[heading.at..answer.token_at].contains(ANSWER_TOKEN);
    if earlier_token && answer.dropped.is_empty() {
        out.push(finding(
            Kind::SecondAnswerToken,
            line,
            format!(
                "a second `{ANSWER_TOKEN}` under Question {}: the graders' tool counts the text after it as an answer of its own; reword it, e.g. `answer:`",
                heading.number
            ),
        ));
    }
    if heading.number != index + 1 {
        out.push(finding(
            Kind::UnderOtherQuestion,
            line,
            format!(
                "this `{ANSWER_TOKEN}` sits under Question {} (line {}), but the graders' tool counts it as the answer to question {}",
                heading.number,
                source.line_of(heading.at),
                index + 1
            ),
        ));
    }
}

/// Text the graders' tool threw away because a second `Answer:` followed it.
fn dropped_text(cx: &Context, index: usize, out: &mut Vec<Finding>) {
    let source = cx.source;
    for dropped in &cx.answers[index].dropped {
        let words = count_words(&source.text()[dropped.start + ANSWER_TOKEN.len()..dropped.end]);
        let lost = crate::plural::count(words, "word", "words");
        if words == 0 {
            // Nothing is lost: the answer simply repeats the token, as in `Answer: 42`.
            continue;
        }
        out.push(finding(
            Kind::DroppedText,
            source.line_of(dropped.end),
            format!(
                "a second `{ANSWER_TOKEN}` here makes the graders' tool drop {lost} before it (from line {}); reword it, e.g. `answer:`",
                source.line_of(dropped.start)
            ),
        ));
    }
}

/// Whether an answer holds nothing but placeholder lines, i.e. nothing has been written yet.
pub fn only_placeholders(text: &str) -> bool {
    PLACEHOLDER.is_match(text) && PLACEHOLDER.replace_all(text, "").trim().is_empty()
}

/// Where the placeholder lines are in `text`, as byte ranges.
pub fn placeholder_spans(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    PLACEHOLDER.find_iter(text).map(|m| m.range())
}

/// A placeholder left beside a written answer. An answer that is only its placeholder is not
/// a finding: it is unanswered, and `report check` counts those in one summary line.
fn placeholders(cx: &Context, index: usize, out: &mut Vec<Finding>) {
    let (text, line_of) = counted(cx, index);
    if only_placeholders(text) {
        return;
    }
    for m in PLACEHOLDER.find_iter(text) {
        let (placeholder, words) = (m.as_str(), count_words(m.as_str()));
        out.push(finding(
            Kind::Placeholder,
            line_of(m.start()),
            format!(
                "the placeholder `{placeholder}` is still here; delete it (the graders count its {words} words)"
            ),
        ));
    }
}

/// Where the graders' tool ends an answer earlier, or later, than a reader would.
fn headings(cx: &Context, index: usize, out: &mut Vec<Finding>) {
    let answer = &cx.answers[index];
    let source = cx.source;
    if let Some(cut) = answer.cut_at {
        let end = human_end(source, cx.headings, answer.token_at);
        if cut < end && !source.text()[cut..end].trim().is_empty() {
            let words = count_words(&source.text()[cut..end]);
            let lost = crate::plural::count(words, "word", "words");
            let are = crate::plural::word(words, "is", "are");
            let line = source.line_at(cut).trim();
            let what = if line.starts_with("##") {
                format!("the heading `{line}`")
            } else {
                "the `##` in this line".to_string()
            };
            out.push(finding(
                Kind::CutAtHeading,
                source.line_of(cut),
                format!(
                    "the graders' tool ends the answer at {what}, so {lost} from here to the next question {are} not counted; use bold text instead of a heading"
                ),
            ));
        }
    } else if index + 1 == cx.answers.len() {
        let (text, line_of) = counted(cx, index);
        for m in HEADING_LINE.find_iter(text) {
            let line = line_of(m.start());
            out.push(finding(
                Kind::HeadingAfterLastQuestion,
                line,
                format!(
                    "`{}` is inside the last answer: the graders' tool counts everything to the end of the file as this answer",
                    source.line_at(answer.span.start + m.start()).trim()
                ),
            ));
        }
    }
}

/// HTML images the tool does not count, and counted images a reader will not see.
fn images(cx: &Context, index: usize, out: &mut Vec<Finding>) {
    let (text, line_of) = counted(cx, index);
    for m in HTML_IMAGE.find_iter(text) {
        out.push(finding(
            Kind::HtmlImage,
            line_of(m.start()),
            "an HTML <img> is not counted as an image by the graders' tool; write it as ![what it shows](figures/name.png)".to_string(),
        ));
    }
    for (offset, destination) in image_links(text) {
        let line = line_of(offset);
        match images::resolve(destination) {
            Target::Local(path) => {
                if let Some(found) = lookup_finding(&path, (cx.find)(&path)) {
                    out.push(finding(found.0, line, found.1));
                }
                if !images::accepted_type(&path) {
                    out.push(finding(
                        Kind::ImageType,
                        line,
                        format!(
                            "`{path}` is not a {} file, the only types the course accepts",
                            images::ACCEPTED_TYPES.join("/")
                        ),
                    ));
                }
            }
            Target::Remote => out.push(finding(
                Kind::RemoteImage,
                line,
                format!("`{destination}` is not a file: put the image under reports/figures/ and link it from there"),
            )),
            Target::Outside => out.push(finding(
                Kind::ImageOutsideReports,
                line,
                format!("`{destination}` is outside reports/, and the graders collect only that folder"),
            )),
            Target::Empty => out.push(finding(
                Kind::MissingImage,
                line,
                "this image link names no file".to_string(),
            )),
        }
    }
}

/// What is wrong with an image file as the graders will find it, if anything.
pub fn lookup_finding(path: &str, lookup: Lookup) -> Option<(Kind, String)> {
    let missing = format!("`{path}` does not exist under reports/");
    Some(match lookup {
        Lookup::File(_) => return None,
        Lookup::Missing { near: None } => (Kind::MissingImage, missing),
        Lookup::Missing {
            near: Some(Near::Case(actual)),
        } => (
            Kind::MissingImage,
            format!(
                "{missing} as written: the file is `{actual}`, and the graders' Linux tool tells upper and lower case apart; write `{actual}`"
            ),
        ),
        Lookup::Missing {
            near: Some(Near::Slashes(actual)),
        } => (
            Kind::MissingImage,
            format!(
                "{missing}: Linux reads `\\` as part of a file name, not as a folder separator; write `{actual}`"
            ),
        ),
        Lookup::OutsideProject(real) => (
            Kind::ImageOutsideProject,
            format!(
                "`{path}` is a symbolic link to {}, outside the project: the graders' copy of the repository does not have that file; copy the image into reports/figures/",
                real.display()
            ),
        ),
        Lookup::Unreadable(why) => (
            Kind::MissingImage,
            format!("`{path}` cannot be read: {why}"),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::check::check;
    use crate::report::fixture::{self, fitting, report, words};

    /// The findings of one question in a report where every other answer fits its limits.
    fn findings_of(number: usize, answer: &str, existing: &[&str]) -> Vec<(Kind, String)> {
        let raw = report(|n| {
            if n == number {
                answer.to_string()
            } else {
                fitting(n)
            }
        });
        let files: Vec<&str> = existing
            .iter()
            .copied()
            .chain(["figures/plot.png"])
            .collect();
        let checked = check(&raw, &fixture::existing(&files)).unwrap();
        checked.questions[number - 1]
            .findings
            .iter()
            .map(|f| (f.kind, f.message.clone()))
            .collect()
    }

    #[test]
    fn a_placeholder_left_beside_an_answer_is_named() {
        let found = findings_of(
            4,
            &format!("{}\n\n--- question 4 fill here ---", words(120)),
            &[],
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Kind::Placeholder);
        assert!(
            found[0]
                .1
                .starts_with("the placeholder `--- question 4 fill here ---` is still here")
        );
    }

    #[test]
    fn repeating_the_token_before_the_answer_loses_nothing_and_is_not_flagged() {
        assert!(findings_of(1, "Answer: group 7", &[]).is_empty());
        let found = findings_of(1, "group Answer: 7", &[]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Kind::DroppedText);
        assert!(
            found[0].1.contains("drop 1 word before it"),
            "{}",
            found[0].1
        );
    }

    #[test]
    fn a_double_hash_inside_a_line_is_named_as_such() {
        let found = findings_of(
            4,
            &format!("{} ## not a heading {}", words(60), words(60)),
            &[],
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, Kind::CutAtHeading);
        assert!(
            found[0].1.contains("at the `##` in this line, so 64 words"),
            "{}",
            found[0].1
        );
    }

    #[test]
    fn web_outside_and_empty_image_links_are_told_apart() {
        let answer = "![a](https://example.org/a.png) ![b](../b.png) ![c]() ![d](figures/d.JPEG)";
        let kinds: Vec<Kind> = findings_of(20, answer, &["figures/d.JPEG"])
            .into_iter()
            .map(|f| f.0)
            .collect();
        assert_eq!(
            kinds,
            [
                Kind::RemoteImage,
                Kind::ImageOutsideReports,
                Kind::MissingImage
            ]
        );
    }
}

//! What the page tells a grader beyond the report itself: the totals at the top, a table of
//! contents with each question's counts against its limits, and a verdict under each
//! question's heading. The counts are `report check`'s, so the page and the terminal agree.

use crate::report::check::{AnswerState, Checked, Question};
use crate::report::html::{escape, message_html};

/// A heading of the report, as the contents table links to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub text: String,
    pub id: String,
    /// The question whose verdict sits under this heading.
    pub question: Option<usize>,
}

/// The checklist boxes on the page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Boxes {
    pub ticked: usize,
    pub total: usize,
}

/// What the graders' tool made of the report: the checked questions, or why it cannot read it.
pub type Reading<'a> = Result<&'a Checked, &'a str>;

/// How a question's verdict is drawn: `ok`, `warn` (within its limits, with findings), `todo`
/// (not yet answered) or `bad` (outside its limits).
fn class(q: &Question) -> &'static str {
    match q.answer {
        AnswerState::Placeholder | AnswerState::Empty => "todo",
        AnswerState::Written if !q.within_limits => "bad",
        AnswerState::Written if !q.findings.is_empty() => "warn",
        AnswerState::Written => "ok",
    }
}

/// The state, and how many findings there are beside it: `within limits · 1 finding`.
fn status(q: &Question) -> String {
    let findings = crate::plural::count(q.findings.len(), "finding", "findings");
    match q.answer {
        _ if q.findings.is_empty() => q.status(),
        AnswerState::Written if q.within_limits => format!("within limits · {findings}"),
        _ => format!("{} · {findings}", q.status()),
    }
}

/// `6 words (100–200) · 0 images`: the counts, each with its limit where there is one.
fn counts(q: &Question) -> String {
    let count = |n: usize, noun: &str, limit: Option<String>| {
        let noun = if n == 1 {
            noun.to_string()
        } else {
            format!("{noun}s")
        };
        let limit = limit.map_or(String::new(), |l| {
            format!(" <span class=\"limit\">({l})</span>")
        });
        format!("{n} {noun}{limit}")
    };
    format!(
        "{} · {}",
        count(q.words, "word", q.word_limit()),
        count(q.images, "image", q.image_limit())
    )
}

/// The box under a question's heading: counts, state and every finding with its line.
pub fn verdict(q: &Question) -> String {
    let mut out = format!(
        "<div class=\"verdict {}\" role=\"note\" aria-label=\"Question {} as the graders count it\">\n<p><span class=\"counts\">{}</span> <strong class=\"status\">{}</strong></p>\n",
        class(q),
        q.number,
        counts(q),
        escape(&status(q))
    );
    if !q.findings.is_empty() {
        out.push_str("<ul class=\"findings\">\n");
        for f in &q.findings {
            out.push_str(&format!(
                "<li><span class=\"line\">line {}</span> {}</li>\n",
                f.line,
                message_html(&f.message)
            ));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</div>\n");
    out
}

/// The panel at the top of the page: totals, then the contents table.
pub fn summary(reading: Reading, headings: &[Heading], boxes: Boxes, images: usize) -> String {
    let mut out = String::from(
        "<header class=\"grading\">\n<p class=\"made-by\">Made by <code>dayone report html</code>: the word and image counts are the ones the graders' tool makes, and problems are marked where they stand in the report.</p>\n",
    );
    let mut totals = Vec::new();
    match reading {
        Ok(checked) => {
            totals.push(format!(
                "{}/{} questions answered",
                checked.answered, checked.total
            ));
            totals.push(format!("{}/{} pass", checked.passed, checked.total));
            if checked.within_limits > checked.passed {
                totals.push(format!(
                    "{}/{} within the limits (all the course's checker looks at)",
                    checked.within_limits, checked.total
                ));
            }
            totals.push(crate::plural::count(
                checked.finding_count(),
                "finding",
                "findings",
            ));
        }
        Err(problem) => out.push_str(&format!(
            "<p class=\"problem unreadable\">The graders' tool cannot read this report: {}</p>\n",
            message_html(problem)
        )),
    }
    if images > 0 {
        totals.push(format!(
            "{} not shown",
            crate::plural::count(images, "image", "images")
        ));
    }
    if boxes.total > 0 {
        totals.push(format!(
            "{} of {} checklist boxes ticked",
            boxes.ticked, boxes.total
        ));
    }
    if !totals.is_empty() {
        out.push_str(&format!("<p class=\"totals\">{}</p>\n", totals.join(" · ")));
    }
    out.push_str(&contents(reading.ok(), headings));
    out.push_str("</header>\n");
    out
}

fn contents(checked: Option<&Checked>, headings: &[Heading]) -> String {
    let mut out = String::from(
        "<nav class=\"contents\" aria-label=\"Contents\">\n<h2>Contents</h2>\n<table>\n<thead><tr><th scope=\"col\">Heading</th><th scope=\"col\">Words</th><th scope=\"col\">Images</th><th scope=\"col\">Status</th></tr></thead>\n<tbody>\n",
    );
    for heading in headings.iter().filter(|h| (2..=3).contains(&h.level)) {
        let link = format!(
            "<a href=\"#{}\">{}</a>",
            escape(&heading.id),
            escape(&heading.text)
        );
        let question = heading
            .question
            .and_then(|n| checked.and_then(|c| c.questions.get(n - 1)));
        out.push_str(&match question {
            Some(q) => {
                let cell = |n: usize, limit: Option<String>| {
                    let limit = limit.map_or(String::new(), |l| {
                        format!(" <span class=\"limit\">/ {l}</span>")
                    });
                    format!("<td class=\"number\">{n}{limit}</td>")
                };
                format!(
                    "<tr class=\"question {}\"><td>{link}</td>{}{}<td class=\"status\">{}</td></tr>\n",
                    class(q),
                    cell(q.words, q.word_limit()),
                    cell(q.images, q.image_limit()),
                    escape(&status(q))
                )
            }
            None if heading.level == 2 => {
                format!("<tr class=\"section\"><th colspan=\"4\" scope=\"rowgroup\">{link}</th></tr>\n")
            }
            None => format!("<tr class=\"other\"><td colspan=\"4\">{link}</td></tr>\n"),
        });
    }
    out.push_str("</tbody>\n</table>\n</nav>\n");
    out
}

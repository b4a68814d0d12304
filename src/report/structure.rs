//! The report as a person reads it: code blocks, `### Question N` headings, and where each
//! question's block really ends. The graders' tool ignores this; we use it to say where its
//! reading and a human's part ways, to explain a report it cannot read, and (through
//! [`CodeBlocks`]) to keep the checklist reader out of code.

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Parser, Tag};
use regex::Regex;

use crate::plural;
use crate::report::parse::{ANSWER_TOKEN, Answer, Source, answer_tokens};

static QUESTION_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?im)^#{1,6}[ \t]*question[ \t]+(\d+)\b").expect("valid heading regex")
});

/// Where the code blocks of a Markdown text are, fenced or indented, read the way CommonMark
/// reads them: a fence opens only on a line holding nothing but the fence and an info string
/// (so ```` ```x``` ```` inside a sentence is inline code), closes with a fence of the same
/// character at least as long, and an unclosed fence runs to the end of its container.
#[derive(Debug, Clone, Default)]
pub struct CodeBlocks {
    ranges: Vec<Range<usize>>,
}

impl CodeBlocks {
    pub fn new(text: &str) -> Self {
        let ranges = Parser::new(text)
            .into_offset_iter()
            .filter_map(|(event, range)| match event {
                Event::Start(Tag::CodeBlock(_)) => Some(range),
                _ => None,
            })
            .collect();
        Self { ranges }
    }

    /// True when the line starting at `line_start` is part of a code block: its first
    /// character that is not a space or tab lies inside one (fence lines included).
    pub fn holds_line(&self, text: &str, line_start: usize) -> bool {
        let indent = text[line_start..]
            .bytes()
            .take_while(|b| *b == b' ' || *b == b'\t')
            .count();
        let at = line_start + indent;
        // Ranges are in text order and never overlap.
        let index = self.ranges.partition_point(|r| r.end <= at);
        self.ranges.get(index).is_some_and(|r| r.start <= at)
    }
}

/// A `### Question N` heading: its number and where its line starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heading {
    pub number: usize,
    pub at: usize,
}

/// Every `### Question N` heading outside code blocks, in file order.
pub fn question_headings(source: &Source) -> Vec<Heading> {
    let code = CodeBlocks::new(source.text());
    QUESTION_HEADING
        .captures_iter(source.text())
        .filter(|c| !code.holds_line(source.text(), c.get(0).map_or(0, |m| m.start())))
        .filter_map(|c| {
            let number = c[1].parse().ok()?;
            Some(Heading {
                number,
                at: c.get(0)?.start(),
            })
        })
        .collect()
}

/// The question heading an offset sits under, if any.
pub fn heading_before(headings: &[Heading], offset: usize) -> Option<Heading> {
    headings.iter().rev().find(|h| h.at <= offset).copied()
}

/// Where a human would say the answer starting at `from` ends: just before the next
/// question's block. That block starts at the next `### Question N` heading, or earlier at
/// a section heading (`## …`) followed only by the section's quoted introduction, as in the
/// course's file. Blank lines before the block belong to neither. Without a next question,
/// the end of the file.
pub fn human_end(source: &Source, headings: &[Heading], from: usize) -> usize {
    let text = source.text();
    let Some(next) = headings.iter().find(|h| h.at > from) else {
        return text.len();
    };
    let mut end = next.at;
    let region = &text[from..next.at];
    let last_section = region
        .rmatch_indices('\n')
        .map(|(i, _)| from + i + 1)
        .find(|&start| text[start..].starts_with("##") && !text[start..].starts_with("###"));
    if let Some(section) = last_section {
        let intro_only = text[section..next.at]
            .lines()
            .skip(1)
            .all(|line| line.trim().is_empty() || line.trim_start().starts_with('>'));
        if intro_only {
            end = section;
        }
    }
    while end > from {
        let line_start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        if text[line_start..end - 1].trim().is_empty() {
            end = line_start;
        } else {
            break;
        }
    }
    end.max(from)
}

/// One question of the report as a person reads it: its number, where its heading starts,
/// and its answer, from the line after its `Answer:` to where [`human_end`] puts the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub number: usize,
    pub heading_at: usize,
    pub answer: Range<usize>,
}

/// Every question with an `Answer:` line under its heading, in file order.
pub fn answer_blocks(source: &Source) -> Vec<Block> {
    let text = source.text();
    let headings = question_headings(source);
    let tokens = answer_tokens(text);
    headings
        .iter()
        .enumerate()
        .filter_map(|(i, heading)| {
            let next = headings.get(i + 1).map_or(text.len(), |h| h.at);
            let token = *tokens.iter().find(|&&t| t > heading.at && t < next)?;
            let start = text[token..]
                .find('\n')
                .map_or(text.len(), |n| token + n + 1);
            let end = human_end(source, &headings, token).max(start);
            Some(Block {
                number: heading.number,
                heading_at: heading.at,
                answer: start..end,
            })
        })
        .collect()
}

/// Why the graders' tool finds the wrong number of answers, as lines naming places.
pub fn explain_count(source: &Source, answers: &[Answer]) -> Vec<String> {
    let text = source.text();
    let headings = question_headings(source);
    let tokens = answer_tokens(text);
    let mut lines = vec![format!(
        "found {} under {}",
        plural::count(
            tokens.len(),
            &format!("`{ANSWER_TOKEN}` token"),
            &format!("`{ANSWER_TOKEN}` tokens")
        ),
        plural::count(
            headings.len(),
            "`### Question N` heading",
            "`### Question N` headings"
        ),
    )];
    let first_heading = headings.first().map_or(0, |h| h.at);
    for &token in tokens.iter().take_while(|&&t| t < first_heading) {
        lines.push(format!(
            "line {}: `{ANSWER_TOKEN}` before the first question heading",
            source.line_of(token)
        ));
    }
    for (i, heading) in headings.iter().enumerate() {
        let end = headings.get(i + 1).map_or(text.len(), |h| h.at);
        let inside = tokens
            .iter()
            .filter(|&&t| t > heading.at && t < end)
            .count();
        let line = source.line_of(heading.at);
        match inside {
            1 => {}
            0 => lines.push(format!(
                "line {line}: Question {} has no `{ANSWER_TOKEN}` line",
                heading.number
            )),
            n => lines.push(format!(
                "line {line}: Question {} holds `{ANSWER_TOKEN}` {n} times",
                heading.number
            )),
        }
    }
    let mut seen = Vec::new();
    for h in &headings {
        if seen.contains(&h.number) {
            lines.push(format!(
                "line {}: a second heading for Question {}",
                source.line_of(h.at),
                h.number
            ));
        }
        seen.push(h.number);
    }
    let missing: Vec<String> = (1..=crate::report::limits::QUESTION_COUNT)
        .filter(|n| !seen.contains(n))
        .map(|n| n.to_string())
        .collect();
    if !missing.is_empty() && !headings.is_empty() {
        lines.push(format!(
            "no heading for {} {}",
            plural::word(missing.len(), "question", "questions"),
            missing.join(", ")
        ));
    }
    if let [.., before_last, last] = answers
        && before_last.token_at == last.token_at
    {
        let triple = text[last.span.clone()]
            .find("###")
            .map(|i| last.span.start + i);
        if let Some(at) = triple {
            lines.push(format!(
                    "line {}: `{}` comes after the last `{ANSWER_TOKEN}`; the graders' tool counts the last answer twice because of it",
                    source.line_of(at),
                    source.line_at(at).trim()
                ));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::parse::answers;

    const TWO: &str = "# R\n\n## Section A\n\n### Question 1\n\n> q\n>\n> Answer:\n\nfirst\n\n## Section B\n\n### Question 2\n\n> Answer:\n\nsecond\n";

    #[test]
    fn headings_are_found_with_numbers_and_lines() {
        let source = Source::new(TWO);
        let found = question_headings(&source);
        assert_eq!(found.iter().map(|h| h.number).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(source.line_of(found[1].at), 15);
        assert_eq!(heading_before(&found, found[1].at + 3), Some(found[1]));
        assert_eq!(heading_before(&found, 0), None);
    }

    #[test]
    fn headings_inside_code_blocks_are_not_questions() {
        let raw = "Inline ```### Question 9``` stays text.\n\n```markdown\n### Question 7\n```\n\n    ### Question 8\n\n### Question 1\n";
        let source = Source::new(raw);
        let numbers: Vec<usize> = question_headings(&source)
            .iter()
            .map(|h| h.number)
            .collect();
        assert_eq!(numbers, [1]);
    }

    #[test]
    fn answer_blocks_run_from_the_answer_line_to_the_next_question() {
        let source = Source::new(TWO);
        let blocks = answer_blocks(&source);
        let answers: Vec<(usize, &str)> = blocks
            .iter()
            .map(|b| (b.number, source.text()[b.answer.clone()].trim()))
            .collect();
        assert_eq!(answers, [(1, "first"), (2, "second")]);
        assert_eq!(source.line_of(blocks[1].heading_at), 15);
    }

    #[test]
    fn human_end_skips_the_section_heading_and_blank_lines() {
        let source = Source::new(TWO);
        let headings = question_headings(&source);
        let first = &answers(&source)[0];
        let end = human_end(&source, &headings, first.token_at);
        assert!(TWO[..end].ends_with("first\n"), "{:?}", &TWO[..end]);
        assert!(end <= first.cut_at.unwrap());
        assert_eq!(human_end(&source, &headings, headings[1].at), TWO.len());
    }

    #[test]
    fn a_section_with_a_quoted_introduction_belongs_to_the_next_question() {
        let raw = TWO.replace(
            "## Section B\n",
            "## Section B\n\n> What this section is about.\n> Second line.\n",
        );
        let source = Source::new(&raw);
        let headings = question_headings(&source);
        let first = &answers(&source)[0];
        let end = human_end(&source, &headings, first.token_at);
        assert!(raw[..end].ends_with("first\n"), "{:?}", &raw[..end]);
    }

    #[test]
    fn a_section_heading_followed_by_text_is_part_of_the_answer() {
        let raw = TWO.replace("first\n", "first\n\n## Results\n\nmore text\n");
        let source = Source::new(&raw);
        let headings = question_headings(&source);
        let first = &answers(&source)[0];
        let end = human_end(&source, &headings, first.token_at);
        assert!(raw[..end].ends_with("more text\n"), "{:?}", &raw[..end]);
        assert!(first.cut_at.unwrap() < end);
    }

    #[test]
    fn explain_count_names_the_question_without_answer_line() {
        let raw = TWO.replace("> Answer:\n\nsecond", "> \n\nsecond");
        let source = Source::new(&raw);
        let lines = explain_count(&source, &answers(&source));
        assert_eq!(
            lines[0],
            "found 1 `Answer:` token under 2 `### Question N` headings"
        );
        assert!(lines.contains(&"line 15: Question 2 has no `Answer:` line".to_string()));
    }

    #[test]
    fn explain_count_points_at_a_token_before_the_first_question() {
        let raw = format!("Answer: in the intro\n\n{TWO}");
        let source = Source::new(&raw);
        let lines = explain_count(&source, &answers(&source));
        assert!(
            lines.contains(&"line 1: `Answer:` before the first question heading".to_string()),
            "{lines:?}"
        );
    }

    #[test]
    fn explain_count_points_at_a_triple_hash_after_the_last_answer() {
        let raw = format!("{TWO}\n### Appendix\nmore\n");
        let source = Source::new(&raw);
        let found = answers(&source);
        assert_eq!(found.len(), 3);
        let lines = explain_count(&source, &found);
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("line 21: `### Appendix` comes after the last")),
            "{lines:?}"
        );
    }
}

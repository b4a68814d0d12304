//! The graders' reading of a report, reproduced exactly, so a group sees the numbers the
//! graders will see. Pure: it takes the report's text and touches nothing else.
//!
//! The course's tool reads the file with universal newlines, splits the text on every
//! `Answer:` token and drops what comes before the first one. Each piece that holds a `###`
//! is cut at its first `##` and becomes the next answer; a piece without `###` is dropped,
//! unless it is the last one. The last piece is then added once more, uncut, so the last
//! answer runs to the end of the file (and a `###` after the last `Answer:` makes one answer
//! too many). Each answer loses its surrounding newlines; words are whitespace-separated
//! tokens of that raw Markdown and images are `![..](..)` links on one line.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// The token that opens every answer, matched case-sensitively anywhere in the text.
pub const ANSWER_TOKEN: &str = "Answer:";

/// What the graders' tool counts as an image: a Markdown image link on a single line.
static IMAGE_LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"!\[.*?\]\((.*?)\)").expect("valid image regex"));

/// The report's text with line breaks as the graders' tool sees them (`\r\n` and `\r`
/// become `\n`), and where each line starts, for pointing at places.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    text: Cow<'a, str>,
    line_starts: Vec<usize>,
}

impl<'a> Source<'a> {
    pub fn new(raw: &'a str) -> Self {
        let text = if raw.contains('\r') {
            Cow::Owned(raw.replace("\r\n", "\n").replace('\r', "\n"))
        } else {
            Cow::Borrowed(raw)
        };
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { text, line_starts }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The 1-based line number of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }

    /// The whole line holding `offset`, without its line break.
    pub fn line_at(&self, offset: usize) -> &str {
        let start = self.line_starts[self.line_of(offset) - 1];
        let end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        &self.text[start..end]
    }
}

/// One answer as the graders' tool reads it. Offsets are into [`Source::text`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Where the `Answer:` token opening this answer starts.
    pub token_at: usize,
    /// The counted text, newlines at both ends removed.
    pub span: Range<usize>,
    /// Where the tool cut the answer at a `##`, if it did.
    pub cut_at: Option<usize>,
    /// Earlier `Answer:` tokens whose text the tool dropped just before this answer.
    pub dropped: Vec<Range<usize>>,
    pub words: usize,
    pub images: usize,
}

/// Every answer the graders' tool finds, in its order; empty when there is no `Answer:`.
pub fn answers(source: &Source) -> Vec<Answer> {
    let text = source.text();
    let tokens = answer_tokens(text);
    let Some(&last_token) = tokens.last() else {
        return Vec::new();
    };
    let mut answers = Vec::with_capacity(tokens.len());
    let mut dropped = Vec::new();
    for (i, &token) in tokens.iter().enumerate() {
        let start = token + ANSWER_TOKEN.len();
        let end = tokens.get(i + 1).copied().unwrap_or(text.len());
        let piece = &text[start..end];
        match piece.find("###") {
            Some(triple) => {
                let cut = start + piece[..triple].find("##").unwrap_or(triple);
                let taken = std::mem::take(&mut dropped);
                answers.push(answer(text, token, start..cut, Some(cut), taken));
            }
            None if token != last_token => dropped.push(token..end),
            None => {}
        }
    }
    let start = last_token + ANSWER_TOKEN.len();
    answers.push(answer(text, last_token, start..text.len(), None, dropped));
    answers
}

/// Where every `Answer:` token starts, as the graders' tool splits on them.
pub fn answer_tokens(text: &str) -> Vec<usize> {
    text.match_indices(ANSWER_TOKEN).map(|(i, _)| i).collect()
}

fn answer(
    text: &str,
    token_at: usize,
    piece: Range<usize>,
    cut_at: Option<usize>,
    dropped: Vec<Range<usize>>,
) -> Answer {
    let raw = &text[piece.clone()];
    let trimmed = raw.trim_start_matches('\n');
    let start = piece.start + (raw.len() - trimmed.len());
    let end = start + trimmed.trim_end_matches('\n').len();
    let counted = &text[start..end];
    Answer {
        token_at,
        span: start..end,
        cut_at,
        dropped,
        words: count_words(counted),
        images: image_links(counted).count(),
    }
}

/// Whitespace as Python's `str.split()` sees it: Unicode white space plus the four
/// information separators U+001C..U+001F, which Rust does not count as white space.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Whitespace-separated tokens, exactly as the graders' tool counts words.
pub fn count_words(text: &str) -> usize {
    text.split(is_python_space)
        .filter(|w| !w.is_empty())
        .count()
}

/// The image links the graders' tool counts, each as (offset in `text`, what is inside the
/// parentheses).
pub fn image_links(text: &str) -> impl Iterator<Item = (usize, &str)> {
    IMAGE_LINK.captures_iter(text).map(|c| {
        let whole = c.get(0).expect("group 0 always matches");
        let target = c.get(1).map_or("", |m| m.as_str());
        (whole.start(), target)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(raw: &str) -> Vec<String> {
        let source = Source::new(raw);
        answers(&source)
            .iter()
            .map(|a| source.text()[a.span.clone()].to_string())
            .collect()
    }

    #[test]
    fn no_token_means_no_answers() {
        assert!(answers(&Source::new("")).is_empty());
        assert!(answers(&Source::new("# Just a README\n\nanswer: lower case")).is_empty());
    }

    #[test]
    fn answers_run_to_the_next_double_hash_and_the_last_to_the_end() {
        let raw = "intro ###\n### Question 1\n> q?\n> Answer:\n\none two\n\n## Next section\n\n### Question 2\n> Answer:\nthree\n\n";
        assert_eq!(texts(raw), ["one two", "three"]);
        let source = Source::new(raw);
        let found = answers(&source);
        assert_eq!(found[0].words, 2);
        assert_eq!(source.line_of(found[0].cut_at.unwrap()), 8);
        assert_eq!(found[1].cut_at, None);
    }

    #[test]
    fn double_hash_inside_a_line_cuts_too() {
        assert_eq!(texts("Answer: a b ## c\n### Q\nAnswer: d"), [" a b ", " d"]);
    }

    #[test]
    fn a_piece_without_triple_hash_is_dropped_and_remembered() {
        let raw = "Answer: lost words Answer: kept\n### Question 2\nAnswer: last";
        let source = Source::new(raw);
        let found = answers(&source);
        assert_eq!(found.len(), 2);
        assert_eq!(&source.text()[found[0].span.clone()], " kept");
        assert_eq!(found[0].dropped.len(), 1);
        assert_eq!(found[0].dropped[0], 0..19);
        assert!(found[1].dropped.is_empty());
    }

    #[test]
    fn triple_hash_after_the_last_token_makes_one_answer_too_many() {
        let found = texts("Answer: a\n### Question 2\nAnswer: b\n### Appendix\nc");
        assert_eq!(found, [" a", " b", " b\n### Appendix\nc"]);
    }

    #[test]
    fn only_newlines_are_trimmed_and_crlf_reads_like_lf() {
        assert_eq!(texts("Answer:\n\n  x  \n\n"), ["  x  "]);
        assert_eq!(
            texts("Answer:\r\n\r\nx y\r\n### Q\r\nAnswer:\r\nz\r\n"),
            ["x y", "z"]
        );
    }

    #[test]
    fn words_are_raw_whitespace_tokens() {
        assert_eq!(count_words("--- question 4 fill here ---"), 6);
        assert_eq!(
            count_words("see ![fig](figures/a.png) and https://x.y/z"),
            4
        );
        assert_eq!(count_words(" a\u{a0}b\u{3000}c\u{1f}d\u{200b}e "), 4);
        assert_eq!(count_words(""), 0);
    }

    #[test]
    fn images_are_single_line_markdown_links() {
        let text = "![a](figures/a.png) ![](b.jpg) ![c](\nd.png) <img src=\"e.png\"> ![x](y)(z)";
        let targets: Vec<&str> = image_links(text).map(|(_, t)| t).collect();
        assert_eq!(targets, ["figures/a.png", "b.jpg", "y"]);
    }

    #[test]
    fn lines_are_numbered_from_one_with_any_line_break() {
        let source = Source::new("a\r\nb\rc\nd");
        assert_eq!(source.text(), "a\nb\nc\nd");
        assert_eq!(source.line_of(0), 1);
        assert_eq!(source.line_of(2), 2);
        assert_eq!(source.line_of(6), 4);
        assert_eq!(source.line_at(4), "c");
    }
}

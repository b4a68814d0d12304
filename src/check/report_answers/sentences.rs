//! An answer's text as sentences, and which of them say that the work failed or was not done.
//!
//! A report weighs against an item when the answer about it says so: "we never got the Vertex
//! job to work", "we did not manage to deploy", "we ran out of credits". A sentence that goes
//! on to say it worked in the end ("it failed at first, but after raising the quota it ran")
//! is not such a statement.

use std::sync::LazyLock;

use regex_lite::Regex;

/// One sentence of an answer and the report line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub line: usize,
    pub text: String,
}

/// Words that say something failed or was not done.
static FAILED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)\b(unable|failed|fails|failing|unsuccessful(ly)?|gave\s+up|giving\s+up|",
        r"without\s+success|could\s*n[o']t|couldn't)\b",
        r"|\bran\s+out\s+of\s+(time|credits?|money)\b",
        r"|\b(did\s*n[o']t|didn't|does\s*n[o']t|doesn't|do\s+not|don't|never|not|",
        r"wasn't|weren't|isn't|aren't)\s+(manage[ds]?|succeed(ed)?|work(ed|s|ing)?|",
        r"get\s+to|get(\s+\w+){1,3}\s+(to\s+)?work(ing)?|got(\s+\w+){1,3}\s+(to\s+)?work(ing)?|",
        r"finish(ed)?|complete[ds]?|implement(ed)?|deploy(ed)?|train(ed)?|set\s+up|",
        r"have\s+(the\s+|enough\s+)?time|successful(ly)?|able)\b",
        r"|\bnever\s+(ran|run|started)\b",
    ))
    .expect("valid regex")
});

/// A turn after a failure: "but", "eventually" …
static TURN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(but|however|eventually|finally|in\s+the\s+end|later|after|until|instead)\b")
        .expect("valid regex")
});

/// A verb saying that something worked.
static WORKED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(work(ed|s)|succeed(ed|s)|managed|deployed|trained|ran|runs|running|fixed|solved|resolved|used|hosted|serves|served|live)\b",
    )
    .expect("valid regex")
});

/// A negation just before a word: "never worked", "did not run".
static NEGATED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)(\bnot|n't|\bnever)(\s+\w+)?\s*$").expect("valid regex"));

/// The sentences of an answer's lines (`(line number, text)`): split after `.`, `!` or `?`
/// followed by a space, and at the end of a line that ends one or comes before a list item.
pub fn sentences(lines: &[(usize, String)]) -> Vec<Sentence> {
    let mut found = Vec::new();
    let mut current: Option<Sentence> = None;
    for (index, (number, line)) in lines.iter().enumerate() {
        let mut rest = line.trim();
        while !rest.is_empty() {
            let end = sentence_end(rest);
            let sentence = current.get_or_insert_with(|| Sentence {
                line: *number,
                text: String::new(),
            });
            if !sentence.text.is_empty() {
                sentence.text.push(' ');
            }
            sentence.text.push_str(rest[..end].trim());
            if end < rest.len() {
                found.extend(current.take());
            }
            rest = rest[end..].trim_start();
        }
        let next_is_item = lines.get(index + 1).is_some_and(|(_, next)| {
            next.starts_with(['-', '*', '#', '|', '!', '<'])
                || next.starts_with(|c: char| c.is_ascii_digit())
        });
        if line.trim_end().ends_with(['.', '!', '?', ':']) || next_is_item {
            found.extend(current.take());
        }
    }
    found.extend(current);
    found.retain(|s| !s.text.is_empty());
    found
}

/// Where the first sentence of `text` ends: after a `.`, `!` or `?` followed by whitespace,
/// or at the end.
fn sentence_end(text: &str) -> usize {
    let bytes = text.as_bytes();
    for (at, &b) in bytes.iter().enumerate() {
        if matches!(b, b'.' | b'!' | b'?') && bytes.get(at + 1).is_some_and(u8::is_ascii_whitespace)
        {
            return at + 1;
        }
    }
    text.len()
}

/// True when `sentence` says that something failed or was not done, and does not go on to
/// say that it worked after all.
pub fn says_it_failed(sentence: &str) -> bool {
    let Some(failure) = FAILED.find(sentence) else {
        return false;
    };
    let after = &sentence[failure.end()..];
    let Some(turn) = TURN.find(after) else {
        return true;
    };
    !says_it_worked(&after[turn.end()..])
}

/// True when `sentence` says something worked: a verb such as "trained", "deployed", "runs"
/// or "used", not negated.
pub fn says_it_worked(sentence: &str) -> bool {
    WORKED
        .find_iter(sentence)
        .any(|verb| !NEGATED.is_match(&sentence[..verb.start()]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(usize, String)> {
        text.lines()
            .enumerate()
            .map(|(i, l)| (i + 10, l.to_string()))
            .collect()
    }

    #[test]
    fn sentences_split_on_stops_and_list_items_and_keep_their_first_line() {
        let found = sentences(&lines(
            "We trained on a VM. It took\ntwo hours, and the model was saved.\n- Vertex AI: tried\n- Cloud Run",
        ));
        let texts: Vec<(usize, &str)> = found.iter().map(|s| (s.line, s.text.as_str())).collect();
        assert_eq!(
            texts,
            [
                (10, "We trained on a VM."),
                (10, "It took two hours, and the model was saved."),
                (12, "- Vertex AI: tried"),
                (13, "- Cloud Run"),
            ]
        );
    }

    #[test]
    fn failures_and_things_not_done_are_told_from_work_that_succeeded() {
        for failed in [
            "We wrote a Vertex AI config, but the job never worked.",
            "We did not manage to train in the cloud.",
            "Training on Vertex AI failed because of the GPU quota.",
            "We could not get the Cloud Run service to start.",
            "We ran out of credits before the deployment.",
            "The deployment was not successful.",
            "We never got the trigger to work.",
            "We didn't get Cloud Run working in time.",
        ] {
            assert!(says_it_failed(failed), "{failed}");
        }
        for worked in [
            "We trained the final model on Vertex AI.",
            "The first job failed, but after raising the quota it worked.",
            "Deploying failed at first; eventually we managed with a smaller image.",
            "We did not use Cloud Functions; the API runs on Cloud Run.",
        ] {
            assert!(!says_it_failed(worked), "{worked}");
        }
    }
}

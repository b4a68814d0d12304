//! Tera's parser walks plain text one character at a time, which makes parsing the bulk of a
//! template's cost. Before parsing, long runs of text between tags are moved out into a list
//! and replaced by a short `{{ __dayone_text.N }}`; rendering puts them back unchanged.
//!
//! Whitespace control is applied here to the moved text (a `-` on the neighbouring tag trims
//! it), because Tera only trims text it can see. `{% raw %}` blocks are left in place.

/// The context key holding the moved text.
pub const KEY: &str = "__dayone_text";

/// Runs shorter than this are left in place: a placeholder would not pay for itself.
const MIN_RUN: usize = 48;

/// `text` with its long plain runs replaced by placeholders indexing into `store`. Returns
/// `None` when the text is not well-formed enough to split safely (an unclosed tag); Tera then
/// parses the original and reports the problem itself.
pub fn hoist(text: &str, store: &mut Vec<String>) -> Option<String> {
    let mut out = String::with_capacity(text.len() / 4);
    let mut pos = 0;
    let mut trim_next_start = false;
    while pos < text.len() {
        let Some(open) = next_tag(text, pos) else {
            emit(&mut out, store, &text[pos..], trim_next_start, false);
            break;
        };
        let end = tag_end(text, open)?;
        let tag = &text[open..end];
        emit(
            &mut out,
            store,
            &text[pos..open],
            trim_next_start,
            tag.as_bytes().get(2) == Some(&b'-'),
        );
        out.push_str(tag);
        trim_next_start = tag.len() >= 4 && tag.as_bytes()[tag.len() - 3] == b'-';
        pos = end;
    }
    Some(out)
}

/// Add a run of text to `out`, directly when short, else as a placeholder.
fn emit(out: &mut String, store: &mut Vec<String>, run: &str, trim_start: bool, trim_end: bool) {
    let mut run = run;
    if trim_start {
        run = run.trim_start();
    }
    if trim_end {
        run = run.trim_end();
    }
    if run.len() < MIN_RUN {
        // Tera still sees the `-` on the tags around it, and would trim it the same way.
        out.push_str(run);
        return;
    }
    out.push_str(&format!("{{{{ {KEY}.{} }}}}", store.len()));
    store.push(run.to_string());
}

/// Where the next `{{`, `{%` or `{#` starts, at or after `from`.
fn next_tag(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    (from..bytes.len().saturating_sub(1))
        .find(|&i| bytes[i] == b'{' && matches!(bytes[i + 1], b'{' | b'%' | b'#'))
}

/// The end (exclusive) of the tag opening at `open`; a `{% raw %}` tag extends to the end of
/// its `{% endraw %}`.
fn tag_end(text: &str, open: usize) -> Option<usize> {
    let close = match text.as_bytes()[open + 1] {
        b'{' => "}}",
        b'%' => "%}",
        _ => "#}",
    };
    let end = open + 2 + text[open + 2..].find(close)? + 2;
    let inner = text[open + 2..end - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
    if close == "%}" && inner == "raw" {
        let mut search = end;
        loop {
            let start = search + text[search..].find("{%")?;
            let stop = start + 2 + text[start + 2..].find("%}")? + 2;
            let word =
                text[start + 2..stop - 2].trim_matches(|c: char| c == '-' || c.is_whitespace());
            if word == "endraw" {
                return Some(stop);
            }
            search = stop;
        }
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::render::{DayoneVars, RenderInput};
    use crate::render::{render_files, render_text};
    use crate::value::{Answers, Value};

    /// Render `text` as one piece (never hoisted) and as a file (hoisted); both must agree.
    fn both(text: &str) -> (String, String) {
        let mut answers = Answers::new();
        answers.insert("name", Value::Str("demo".into()));
        answers.insert("on", Value::Bool(true));
        let dayone = DayoneVars::for_questions();
        let input = RenderInput {
            answers: &answers,
            dayone: &dayone,
        };
        let direct = render_text("t", text, &input).unwrap();
        let hoisted = render_files(&[("t", text)], &input).unwrap().remove(0);
        (direct, hoisted)
    }

    #[test]
    fn output_is_unchanged_with_whitespace_control_raw_and_comments() {
        let long = "plain text that is long enough to be moved out of the template, ".repeat(2);
        let cases = [
            format!("{long}\n  {{{{ name }}}}  \n{long}"),
            format!("{long}\n   {{%- if on %}}\n{long}\n{{% endif -%}}\n\n   {long}"),
            format!("{long}{{{{- name -}}}}\n\n{long}{{# a comment #}}{long}"),
            format!("{{% raw %}}{long}{{{{ not a tag }}}}{{% endraw %}}{long}"),
            format!("{{%- if not on %}}{long}{{%- else -%}}   {long}   {{%- endif %}}"),
            "short {{ name }} text".to_string(),
            long.clone(),
        ];
        for case in cases {
            let (direct, hoisted) = both(&case);
            assert_eq!(direct, hoisted, "for template {case:?}");
        }
    }

    #[test]
    fn long_runs_move_out_and_short_ones_stay() {
        let long = "x".repeat(100);
        let mut store = Vec::new();
        let out = hoist(&format!("ab{{{{ name }}}}{long}"), &mut store).unwrap();
        assert_eq!(out, format!("ab{{{{ name }}}}{{{{ {KEY}.0 }}}}"));
        assert_eq!(store, [long]);
    }

    #[test]
    fn an_unclosed_tag_is_left_to_tera() {
        assert_eq!(hoist("text {{ name", &mut Vec::new()), None);
    }
}

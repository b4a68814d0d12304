//! The report's Markdown as the page's body. Everything the report says is shown, but nothing
//! it holds can act in the reader's browser: raw HTML is shown as text, links go only to web,
//! mail or in-page addresses, and images are embedded files or https addresses. On the way,
//! headings get ids for the contents table, each question's heading gets its verdict,
//! checklist boxes are drawn so that ticked and open ones are told apart at a glance, and
//! placeholders and images that cannot be shown are marked where they stand.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{
    CowStr, Event, Options, Parser, Tag, TagEnd, TextMergeWithOffset, html as cmark_html,
};

use crate::error::Result;
use crate::report::check::Checked;
use crate::report::findings;
use crate::report::html::embed::{Embedded, embed};
use crate::report::html::grading::{self, Boxes, Heading};
use crate::report::html::message_html;
use crate::report::images::Figures;
use crate::report::parse::Source;
use crate::report::structure;

/// The rendered body and what the page's header says about it.
#[derive(Debug, Default)]
pub struct Body {
    pub html: String,
    pub headings: Vec<Heading>,
    pub boxes: Boxes,
    /// Images not shown, each as `line N: why`.
    pub problems: Vec<String>,
}

pub fn render(source: &Source, figures: &Figures, checked: Option<&Checked>) -> Result<Body> {
    let text = source.text();
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let questions = structure::question_headings(source)
        .into_iter()
        .map(|h| (h.at, h.number))
        .collect();
    let mut writer = Writer {
        source,
        figures,
        checked,
        questions,
        out: Vec::new(),
        body: Body::default(),
        ids: HashSet::new(),
        verdicts_given: HashSet::new(),
        heading: None,
        skipped_image: 0,
        unsafe_link: false,
    };
    let parser = Parser::new_ext(text, options).into_offset_iter();
    for (event, range) in TextMergeWithOffset::new(parser) {
        writer.event(event, range)?;
    }
    let mut body = writer.body;
    cmark_html::push_html(&mut body.html, writer.out.into_iter());
    Ok(body)
}

struct Writer<'a, 's> {
    source: &'a Source<'s>,
    figures: &'a Figures,
    checked: Option<&'a Checked>,
    /// Where each `### Question N` heading starts, and its number.
    questions: HashMap<usize, usize>,
    out: Vec<Event<'a>>,
    body: Body,
    ids: HashSet<String>,
    verdicts_given: HashSet<usize>,
    /// The heading being read: its index in `out`, its level, text and question number.
    heading: Option<(usize, u8, String, Option<usize>)>,
    /// How deep inside an image that is not shown (its alt text is dropped with it).
    skipped_image: usize,
    /// Inside a link whose address is not allowed; its text is kept, the link is not.
    unsafe_link: bool,
}

impl<'a> Writer<'a, '_> {
    fn event(&mut self, event: Event<'a>, range: Range<usize>) -> Result<()> {
        if self.skipped_image > 0 {
            match event {
                Event::Start(Tag::Image { .. }) => self.skipped_image += 1,
                Event::End(TagEnd::Image) => self.skipped_image -= 1,
                _ => {}
            }
            return Ok(());
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let question = self.questions.get(&range.start).copied();
                self.heading = Some((self.out.len(), level as u8, String::new(), question));
                self.out.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                self.out.push(event);
                self.end_heading();
            }
            Event::Start(Tag::Image { dest_url, .. }) => self.image(&dest_url, range)?,
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if safe_link(&dest_url) {
                    self.out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                } else {
                    self.unsafe_link = true;
                    self.html("<span class=\"unsafe-link\" title=\"link not followed\">");
                }
            }
            Event::End(TagEnd::Link) if self.unsafe_link => {
                self.unsafe_link = false;
                self.html("</span>");
            }
            Event::Start(Tag::HtmlBlock) => self.html("<pre class=\"raw-html\">"),
            Event::End(TagEnd::HtmlBlock) => self.html("</pre>\n"),
            Event::Html(raw) => self.out.push(Event::Text(raw)),
            Event::InlineHtml(raw) => self.out.push(Event::Code(raw)),
            Event::TaskListMarker(ticked) => self.task_box(ticked),
            Event::Text(text) => self.text(text),
            Event::Code(code) => {
                self.heading_text(&code);
                self.out.push(Event::Code(code));
            }
            other => self.out.push(other),
        }
        Ok(())
    }

    fn html(&mut self, html: &'static str) {
        self.out.push(Event::Html(CowStr::Borrowed(html)));
    }

    fn heading_text(&mut self, text: &str) {
        if let Some((_, _, heading, _)) = self.heading.as_mut() {
            heading.push_str(text);
        }
    }

    /// Give the heading just read its id, list it, and put the verdict under a question's.
    fn end_heading(&mut self) {
        let Some((at, level, text, question)) = self.heading.take() else {
            return;
        };
        let question = question.filter(|n| self.verdicts_given.insert(*n));
        let base = match question {
            Some(n) => format!("question-{n}"),
            None => slug(&text),
        };
        let id = unique(&mut self.ids, base);
        if let Event::Start(Tag::Heading { id: slot, .. }) = &mut self.out[at] {
            *slot = Some(CowStr::from(id.clone()));
        }
        let verdict = question.and_then(|n| self.checked?.questions.get(n - 1));
        if let Some(q) = verdict {
            self.out.push(Event::Html(grading::verdict(q).into()));
        }
        self.body.headings.push(Heading {
            level,
            text: text.trim().to_string(),
            id,
            question: verdict.map(|q| q.number),
        });
    }

    fn image(&mut self, dest: &str, range: Range<usize>) -> Result<()> {
        match embed(dest, self.figures)? {
            Embedded::Src(src) => self.out.push(Event::Start(Tag::Image {
                link_type: pulldown_cmark::LinkType::Inline,
                dest_url: src.into(),
                title: CowStr::Borrowed(""),
                id: CowStr::Borrowed(""),
            })),
            Embedded::Problem(why) => {
                let line = self.source.line_of(range.start);
                self.out.push(Event::Html(
                    format!(
                        "<span class=\"problem image\" role=\"img\" aria-label=\"image not shown\">image not shown: {}</span>",
                        message_html(&why)
                    )
                    .into(),
                ));
                self.body.problems.push(format!("line {line}: {why}"));
                self.skipped_image = 1;
            }
        }
        Ok(())
    }

    /// Draw a checklist box, and mark its list item so the whole line shows its state.
    fn task_box(&mut self, ticked: bool) {
        self.body.boxes.total += 1;
        self.body.boxes.ticked += usize::from(ticked);
        let item = self
            .out
            .iter()
            .rposition(|e| matches!(e, Event::Start(Tag::Item)));
        let (class, mark) = if ticked {
            (
                "ticked",
                "<span class=\"box ticked\" role=\"img\" aria-label=\"ticked\">✓</span> ",
            )
        } else {
            (
                "open",
                "<span class=\"box open\" role=\"img\" aria-label=\"not ticked\"></span> ",
            )
        };
        if let Some(at) = item {
            self.out[at] = Event::Html(format!("<li class=\"task {class}\">").into());
        }
        self.out.push(Event::Html(CowStr::Borrowed(mark)));
    }

    /// Text, with every placeholder still in it marked.
    fn text(&mut self, text: CowStr<'a>) {
        self.heading_text(&text);
        let spans: Vec<Range<usize>> = findings::placeholder_spans(&text).collect();
        if spans.is_empty() {
            self.out.push(Event::Text(text));
            return;
        }
        let mut last = 0;
        for span in spans {
            self.out
                .push(Event::Text(text[last..span.start].to_string().into()));
            self.html("<mark class=\"placeholder\" title=\"still the placeholder\">");
            self.out
                .push(Event::Text(text[span.clone()].to_string().into()));
            self.html("</mark>");
            last = span.end;
        }
        self.out.push(Event::Text(text[last..].to_string().into()));
    }
}

/// Web, mail and in-page addresses, and relative paths; no `javascript:` or other schemes.
fn safe_link(dest: &str) -> bool {
    // Browsers drop tabs and line breaks inside an address, so `java\tscript:` is a scheme.
    let dest: String = dest
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    match dest.find(':') {
        None => true,
        Some(colon) => {
            let scheme = &dest[..colon];
            let is_scheme = scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
            // A colon after a `/`, `?` or `#` is part of a path, not a scheme.
            !is_scheme || ["http", "https", "mailto"].contains(&scheme)
        }
    }
}

/// `Coding environment` → `coding-environment`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "section".to_string()
    } else {
        out
    }
}

/// `base`, or `base-2`, `base-3`… when an earlier heading took it.
fn unique(taken: &mut HashSet<String>, base: String) -> String {
    let mut id = base.clone();
    let mut n = 1;
    while !taken.insert(id.clone()) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_mail_page_and_relative_links_are_kept() {
        for safe in [
            "https://x.org",
            "http://x.org",
            "mailto:a@b.c",
            "#question-1",
            "../src/a.py",
            "docs/a:b.md",
        ] {
            assert!(safe_link(safe), "{safe}");
        }
        for unsafe_ in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(!safe_link(unsafe_), "{unsafe_}");
        }
    }

    #[test]
    fn slugs_are_unique_and_readable() {
        let mut taken = HashSet::new();
        assert_eq!(
            unique(&mut taken, slug("Coding environment")),
            "coding-environment"
        );
        assert_eq!(
            unique(&mut taken, slug("Coding  environment!")),
            "coding-environment-2"
        );
        assert_eq!(
            unique(&mut taken, slug("Überblick & Ziele")),
            "überblick-ziele"
        );
        assert_eq!(unique(&mut taken, slug("***")), "section");
    }
}

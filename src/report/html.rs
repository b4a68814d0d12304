//! The report as one standalone HTML page for whoever grades it: the report itself, with each
//! question's counts against its limits and every problem marked where it stands, a table of
//! contents with the same counts, and images under `reports/` embedded as data URIs, so the
//! page shows the same thing wherever it is opened or sent. Nothing from the report can run in
//! the reader's browser: raw HTML is shown as text, and the page's own security policy allows
//! no script and no fetch but https images.

mod body;
mod embed;
mod grading;

use crate::error::Result;
use crate::report::check;
use crate::report::images::Figures;
use crate::report::parse::Source;

const STYLESHEET: &str = include_str!("html/page.css");

/// The page forbids scripts, frames, forms and fetches; it may show embedded and https images.
const SECURITY_POLICY: &str = "default-src 'none'; img-src data: https:; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'";

/// A rendered page and the image links it could not show, each as `line N: why`.
#[derive(Debug, Clone)]
pub struct Page {
    pub html: String,
    pub problems: Vec<String>,
}

/// Render the whole report; `figures` finds the files its image links name.
pub fn render(raw: &str, figures: &Figures) -> Result<Page> {
    let source = Source::new(raw);
    let reading = check::check(raw, &|relative| figures.find(relative));
    let body = body::render(&source, figures, reading.as_ref().ok())?;
    let summary = grading::summary(
        reading.as_ref().map_err(String::as_str),
        &body.headings,
        body.boxes,
        body.problems.len(),
    );
    let title = body
        .headings
        .first()
        .map(|h| h.text.as_str())
        .filter(|t| !t.is_empty())
        .unwrap_or("Exam report");
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{SECURITY_POLICY}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLESHEET}</style>\n</head>\n<body>\n{summary}<main>\n{}</main>\n</body>\n</html>\n",
        escape(title),
        body.html
    );
    Ok(Page {
        html: page,
        problems: body.problems,
    })
}

/// Text as HTML: the five characters that could start markup or end an attribute, escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A message as HTML, its `code` spans as `<code>`.
fn message_html(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", escape(part))
            } else {
                escape(part)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &str) -> Page {
        let dir = tempfile::tempdir().unwrap();
        render(text, &Figures::new(dir.path())).unwrap()
    }

    #[test]
    fn the_page_keeps_markdown_and_takes_its_title_from_the_first_heading() {
        let text = "# Report: 7 < 8 & `co`\n\nFirst paragraph.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1 < 2\n```\n\n* [x] done (M5)\n* [ ] open ~~no~~\n";
        let page = page(text);
        assert!(
            page.html
                .contains("<title>Report: 7 &lt; 8 &amp; co</title>"),
            "{}",
            page.html
        );
        assert!(
            page.html
                .contains("<h1 id=\"report-7-8-co\">Report: 7 &lt; 8 &amp; <code>co</code></h1>")
        );
        assert!(page.html.contains("<p>First paragraph.</p>"));
        assert!(page.html.contains("<table>") && page.html.contains("<td>2</td>"));
        assert!(
            page.html
                .contains("<code class=\"language-python\">x = 1 &lt; 2\n</code>")
        );
        assert!(
            page.html
                .contains("<li class=\"task ticked\"><span class=\"box ticked\"")
        );
        assert!(page.html.contains("<del>no</del>"));
        assert!(page.problems.is_empty());
    }

    #[test]
    fn a_report_the_graders_cannot_read_is_still_shown_and_says_why() {
        let page = page("# Notes\n\nAnswer: one\n\n### Question 2\n\nmore");
        assert!(page.html.contains(
            "<p class=\"problem unreadable\">The graders' tool cannot read this report: it finds 2 answers and needs exactly 31:"
        ), "{}", page.html);
        assert!(page.html.contains("<p>more</p>"));
        assert!(!page.html.contains("class=\"verdict"));
    }

    #[test]
    fn raw_html_is_text_and_only_safe_links_stay_links() {
        let page = page(
            "<script>alert(1)</script>\n\nText <b onclick=\"x()\">b</b> [a](javascript:x()) [b](#q)\n",
        );
        assert!(!page.html.contains("<script>alert"));
        assert!(
            page.html
                .contains("<pre class=\"raw-html\">&lt;script&gt;alert(1)&lt;/script&gt;\n</pre>"),
            "{}",
            page.html
        );
        assert!(page.html.contains("<code>&lt;b onclick=\"x()\"&gt;</code>"));
        assert!(
            page.html
                .contains("<span class=\"unsafe-link\" title=\"link not followed\">a</span>")
        );
        assert!(page.html.contains("<a href=\"#q\">b</a>"));
    }

    #[test]
    fn images_are_embedded_and_missing_ones_reported_with_their_line() {
        let dir = tempfile::tempdir().unwrap();
        fs_err::create_dir_all(dir.path().join("figures")).unwrap();
        fs_err::write(dir.path().join("figures/a.png"), b"foo").unwrap();
        let text =
            "# R\n\n![a](figures/a.png)\n\n![b](figures/gone.png)\n\n![c](https://x.org/c.png)\n";
        let page = render(text, &Figures::new(dir.path())).unwrap();
        assert!(
            page.html.contains("src=\"data:image/png;base64,Zm9v\""),
            "{}",
            page.html
        );
        assert!(
            page.html
                .contains("image not shown: <code>figures/gone.png</code> does not exist")
        );
        assert!(page.html.contains("src=\"https://x.org/c.png\""));
        assert_eq!(
            page.problems,
            ["line 5: `figures/gone.png` does not exist under reports/"]
        );
    }

    #[test]
    fn without_a_heading_the_title_is_generic() {
        assert!(
            page("just text")
                .html
                .contains("<title>Exam report</title>")
        );
    }
}

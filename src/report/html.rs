//! The report as one standalone HTML page. Images under `reports/` are embedded as data URIs,
//! so the page is a single file that shows the same thing wherever it is opened or sent;
//! a link the page cannot embed is reported, never silently broken.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::error::Result;
use crate::report::findings;
use crate::report::images::{self, Figures, Lookup, Target};

const STYLESHEET: &str = "
body { margin: 0; background: #fbfbf8; color: #1d1d1b; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 4rem;
  font: 1.02rem/1.6 system-ui, -apple-system, 'Segoe UI', sans-serif; }
h1, h2, h3 { line-height: 1.25; margin-top: 2em; }
h1 { font-size: 1.9rem; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; }
blockquote { margin: 1em 0; padding: .2em 1em; border-left: 4px solid #9ab; background: #f0f3f5; }
code { font: .92em ui-monospace, 'SF Mono', Menlo, Consolas, monospace; background: #eef0f2;
  padding: .1em .3em; border-radius: 3px; }
pre { background: #f3f4f6; padding: .9em 1em; overflow-x: auto; border-radius: 6px; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: .35em .7em; text-align: left; }
th { background: #f0f0ec; }
img { max-width: 100%; height: auto; }
li:has(> input[type=checkbox]) { list-style: none; }
a { color: #1a5fb4; }
";

/// A rendered page and the image links it could not embed, each as `line N: why`.
#[derive(Debug, Clone)]
pub struct Page {
    pub html: String,
    pub problems: Vec<String>,
}

/// Render the whole report; `dir` is the folder image links are relative to.
pub fn render(text: &str, figures: &Figures) -> Result<Page> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut problems = Vec::new();
    let mut title: Option<String> = None;
    let mut in_first_heading = false;
    let mut events = Vec::new();
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match &event {
            Event::Start(Tag::Heading { .. }) if title.is_none() => {
                in_first_heading = true;
                title = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => in_first_heading = false,
            Event::Text(t) | Event::Code(t) if in_first_heading => {
                if let Some(title) = title.as_mut() {
                    title.push_str(t);
                }
            }
            _ => {}
        }
        let event = match event {
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let line = text[..range.start].matches('\n').count() + 1;
                let dest_url = match embed(&dest_url, figures)? {
                    Embedded::Uri(uri) => CowStr::from(uri),
                    Embedded::Web => dest_url,
                    Embedded::Problem(why) => {
                        problems.push(format!("line {line}: {why}"));
                        dest_url
                    }
                };
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        };
        events.push(event);
    }
    let mut body = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut body, events.into_iter());
    let mut title_html = String::new();
    let title = title.filter(|t| !t.trim().is_empty());
    let title = title.as_deref().unwrap_or("Exam report").trim();
    html::push_html(&mut title_html, std::iter::once(Event::Text(title.into())));
    let title_html = title_html.trim_end();
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title_html}</title>\n<style>{STYLESHEET}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    );
    Ok(Page {
        html: page,
        problems,
    })
}

/// What became of one image link.
enum Embedded {
    /// The file, as a data URI.
    Uri(String),
    /// A web address or data URI, kept as it is.
    Web,
    /// Why the link could not be embedded.
    Problem(String),
}

fn embed(dest: &str, figures: &Figures) -> Result<Embedded> {
    let relative = match images::resolve(dest) {
        Target::Local(path) => path,
        Target::Remote => return Ok(Embedded::Web),
        Target::Outside => {
            return Ok(Embedded::Problem(format!(
                "`{dest}` is outside reports/, so it is not embedded"
            )));
        }
        Target::Empty => {
            return Ok(Embedded::Problem(
                "this image link names no file".to_string(),
            ));
        }
    };
    let lookup = figures.find(&relative);
    let Lookup::File(path) = lookup else {
        let (_, why) =
            findings::lookup_finding(&relative, lookup).expect("only a found file has no finding");
        return Ok(Embedded::Problem(why));
    };
    let bytes = fs_err::read(&path)?;
    Ok(Embedded::Uri(format!(
        "data:{};base64,{}",
        mime(&relative),
        base64(&bytes)
    )))
}

fn mime(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map_or("", |(_, ext)| ext);
    match ext.to_ascii_lowercase().as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        _ => "application/octet-stream",
    }
}

/// Standard base64 with padding (RFC 4648), for data URIs.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> shift & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in cases {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn the_page_keeps_the_start_of_the_file_and_takes_its_title_from_the_first_heading() {
        let dir = tempfile::tempdir().unwrap();
        let text = "# Report: 7 < 8 & `co`\n\nFirst paragraph.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1 < 2\n```\n\n* [x] done (M5)\n* [ ] open ~~no~~\n";
        let page = render(text, &Figures::new(dir.path())).unwrap();
        assert!(
            page.html
                .contains("<title>Report: 7 &lt; 8 &amp; co</title>"),
            "{}",
            page.html
        );
        assert!(
            page.html
                .contains("<h1>Report: 7 &lt; 8 &amp; <code>co</code></h1>")
        );
        assert!(page.html.contains("<p>First paragraph.</p>"));
        assert!(page.html.contains("<table>") && page.html.contains("<td>2</td>"));
        assert!(
            page.html
                .contains("<code class=\"language-python\">x = 1 &lt; 2\n</code>")
        );
        assert!(
            page.html
                .contains("<input disabled=\"\" type=\"checkbox\" checked=\"\"/>")
        );
        assert!(page.html.contains("<del>no</del>"));
        assert!(page.problems.is_empty());
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
        assert!(page.html.contains("src=\"figures/gone.png\""));
        assert!(page.html.contains("src=\"https://x.org/c.png\""));
        assert_eq!(
            page.problems,
            ["line 5: `figures/gone.png` does not exist under reports/"]
        );
    }

    #[test]
    fn without_a_heading_the_title_is_generic() {
        let dir = tempfile::tempdir().unwrap();
        let page = render("just text", &Figures::new(dir.path())).unwrap();
        assert!(page.html.contains("<title>Exam report</title>"));
    }
}

//! Render a cookiecutter template's project folder into a [`Plan`] as cookiecutter would write
//! it: each file's whole path rendered as one template (a file whose name renders empty is
//! left out), `_copy_without_render` matched as Python's `fnmatch` matches (a folder that
//! matches is copied whole, only its own path rendered), files that are not UTF-8 text copied,
//! and each rendered file written with the line ending its first lines use (or `_new_lines`).

use std::borrow::Cow;

use regex::Regex;

use super::Layout;
use crate::error::{Error, Result};
use crate::plan::{Contents, Plan, PlannedFile, RelPath};
use crate::render::{RenderInput, needs_rendering, render_files};
use crate::template::Template;

/// How much of a file's path is rendered and whether its contents are.
struct Entry {
    source: String,
    /// The part of the path rendered as a template.
    rendered: String,
    /// The rest, below a folder copied without rendering.
    kept: String,
    copied: bool,
}

pub fn build(template: &Template, layout: &Layout, input: &RenderInput) -> Result<Plan> {
    let render_error = |file: &str, message: String| Error::Render {
        template: template.name().to_string(),
        file: file.to_string(),
        message,
    };
    let copy_only = Patterns::new(&layout.copy_without_render)
        .map_err(|m| render_error("cookiecutter.json", m))?;
    let files = template.source.files_of(&layout.tree)?;
    let entries: Vec<Entry> = files
        .iter()
        .map(|file| copy_only.entry(&file.path))
        .collect();
    // Named by their path in the project folder, as `{% include %}` names them.
    let shown = |file: &str| format!("{}/{file}", layout.tree);
    let batch: Vec<(&str, &str)> = entries
        .iter()
        .map(|entry| (entry.source.as_str(), entry.rendered.as_str()))
        .collect();
    let paths = render_files(&batch, input)
        .map_err(|(file, m)| render_error(&shown(&file), format!("its path: {m}")))?;

    let mut plan = Plan::default();
    let mut to_render: Vec<(String, String, RelPath, Option<&'static str>)> = Vec::new();
    for ((file, entry), rendered) in files.into_iter().zip(&entries).zip(paths) {
        let full = format!("{rendered}{}", entry.kept);
        // cookiecutter writes nothing for a file whose name renders empty.
        if full.is_empty() || full.ends_with('/') {
            plan.skipped.push(entry.source.clone());
            continue;
        }
        let parts: Vec<String> = full.split('/').map(String::from).collect();
        let path = RelPath::from_components(&parts).map_err(|reason| {
            render_error(
                &shown(&entry.source),
                format!(
                    "renders to the path `{full}` which {reason}; it must stay inside the project"
                ),
            )
        })?;
        if plan.files.contains_key(&path) {
            return Err(render_error(
                &shown(&entry.source),
                format!("renders to `{path}`, which another template file also renders to"),
            ));
        }
        let mut contents = file.contents;
        if !entry.copied {
            let bytes = contents.read()?;
            if let Some(text) = text_of(&bytes) {
                let ending = layout
                    .new_lines
                    .as_deref()
                    .map_or_else(|| line_ending(text), ending_of);
                if needs_rendering(text, input.language) {
                    let text = normalized(text).into_owned();
                    to_render.push((entry.source.clone(), text, path.clone(), ending));
                    contents = Contents::Bytes(Cow::Borrowed(&[][..]));
                } else if let Some(ending) = ending
                    && with_ending(&normalized(text), ending) != text
                {
                    contents = with_ending(&normalized(text), ending).into_bytes().into();
                }
            }
        }
        plan.files.insert(
            path,
            PlannedFile {
                contents,
                executable: file.executable,
            },
        );
    }
    let batch: Vec<(&str, &str)> = to_render
        .iter()
        .map(|(name, text, _, _)| (name.as_str(), text.as_str()))
        .collect();
    let rendered =
        render_files(&batch, input).map_err(|(file, m)| render_error(&shown(&file), m))?;
    for ((_, _, path, ending), text) in to_render.iter().zip(rendered) {
        let text = match ending {
            Some(ending) => with_ending(&text, ending),
            None => text,
        };
        plan.files.get_mut(path).expect("planned above").contents = text.into_bytes().into();
    }
    Ok(plan)
}

/// The file's text, when it is text: UTF-8 without NUL bytes. Anything else is copied.
fn text_of(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes)
        .ok()
        .filter(|t| !t.contains('\0'))
}

/// The line ending Python's universal newlines report first for the file's first chunk:
/// `\r` if seen, else `\n`, else `\r\n`; none when the chunk has no line break.
fn line_ending(text: &str) -> Option<&'static str> {
    let bytes = text.as_bytes();
    let chunk = &bytes[..bytes.len().min(8192)];
    let (mut cr, mut lf, mut crlf) = (false, false, false);
    let mut i = 0;
    while i < chunk.len() {
        match chunk[i] {
            b'\r' if chunk.get(i + 1) == Some(&b'\n') => {
                crlf = true;
                i += 1;
            }
            b'\r' => cr = true,
            b'\n' => lf = true,
            _ => {}
        }
        i += 1;
    }
    match (cr, lf, crlf) {
        (true, _, _) => Some("\r"),
        (false, true, _) => Some("\n"),
        (false, false, true) => Some("\r\n"),
        _ => None,
    }
}

fn ending_of(new_lines: &str) -> Option<&'static str> {
    match new_lines {
        "\r\n" => Some("\r\n"),
        "\r" => Some("\r"),
        _ => Some("\n"),
    }
}

/// Jinja reads every line break of a template as `\n`.
fn normalized(text: &str) -> Cow<'_, str> {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n").into()
    } else {
        text.into()
    }
}

/// Text written with `ending` for every `\n`, as Python's `open(newline=…)` writes it.
fn with_ending(text: &str, ending: &str) -> String {
    if ending == "\n" {
        text.to_string()
    } else {
        text.replace('\n', ending)
    }
}

/// `_copy_without_render`, as Python's `fnmatch` reads each pattern: `*` matches anything,
/// `/` included.
struct Patterns(Vec<Regex>);

impl Patterns {
    fn new(patterns: &[String]) -> Result<Self, String> {
        patterns
            .iter()
            .map(|p| {
                Regex::new(&fnmatch_regex(p))
                    .map_err(|e| format!("`_copy_without_render` pattern `{p}`: {e}"))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    fn matches(&self, path: &str) -> bool {
        self.0.iter().any(|r| r.is_match(path))
    }

    /// A file below a folder that matches is copied with its path below that folder kept;
    /// a file that matches itself is copied with its whole path rendered.
    fn entry(&self, source: &str) -> Entry {
        let mut end = 0;
        for (i, _) in source.match_indices('/') {
            if self.matches(&source[..i]) {
                end = i;
                break;
            }
        }
        if end > 0 {
            return Entry {
                source: source.to_string(),
                rendered: source[..end].to_string(),
                kept: source[end..].to_string(),
                copied: true,
            };
        }
        Entry {
            source: source.to_string(),
            rendered: source.to_string(),
            kept: String::new(),
            copied: self.matches(source),
        }
    }
}

/// Python's `fnmatch.translate`, anchored at both ends.
fn fnmatch_regex(pattern: &str) -> String {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::from("(?s)^");
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '*' => {
                out += ".*";
                while chars.get(i + 1) == Some(&'*') {
                    i += 1;
                }
            }
            '?' => out.push('.'),
            '[' => {
                let mut j = i + 1;
                if chars.get(j) == Some(&'!') {
                    j += 1;
                }
                if chars.get(j) == Some(&']') {
                    j += 1;
                }
                while j < chars.len() && chars[j] != ']' {
                    j += 1;
                }
                if j >= chars.len() {
                    out += "\\[";
                } else {
                    let inner: String = chars[i + 1..j].iter().collect();
                    let inner = inner.replace('\\', "\\\\");
                    let inner = match inner.strip_prefix('!') {
                        Some(rest) => format!("^{rest}"),
                        None if inner.starts_with('^') => format!("\\{inner}"),
                        None => inner,
                    };
                    out += &format!("[{inner}]");
                    i = j;
                }
            }
            c => out += &regex::escape(&c.to_string()),
        }
        i += 1;
    }
    out.push('$');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnmatch_stars_cross_folders_and_classes_negate() {
        let patterns = Patterns::new(&[
            "**/workflows/*".into(),
            "*.png".into(),
            "data/[!a]?.csv".into(),
        ])
        .unwrap();
        assert!(patterns.matches(".github/workflows/tests.yaml"));
        assert!(!patterns.matches("workflows/tests.yaml"));
        assert!(patterns.matches("docs/img/logo.png"));
        assert!(patterns.matches("data/b1.csv"));
        assert!(!patterns.matches("data/a1.csv"));
        let entry = patterns.entry(".github/workflows/ci/{{x}}.yml");
        assert_eq!(
            (entry.rendered.as_str(), entry.kept.as_str()),
            (".github/workflows/ci", "/{{x}}.yml")
        );
        assert!(entry.copied);
    }

    #[test]
    fn line_endings_follow_pythons_universal_newlines() {
        assert_eq!(line_ending("a\r\nb\r\n"), Some("\r\n"));
        assert_eq!(line_ending("a\nb\r\n"), Some("\n"));
        assert_eq!(line_ending("a\r\nb\r"), Some("\r"));
        assert_eq!(line_ending("one line"), None);
        assert_eq!(with_ending(&normalized("a\r\nb\n"), "\r\n"), "a\r\nb\r\n");
    }
}

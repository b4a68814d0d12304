//! Which of a project's files are still the text dayone's built-in template wrote.
//!
//! A project made by `dayone new` records its template in `.dayone.toml`. For a built-in
//! template, the template's own source is in this binary, so a project file can be compared
//! with the file the template renders at the same place: the lines the group wrote are the
//! lines of the project file that no line of the template source produces. Template tags
//! (`{{ … }}`, `{% … %}`) match any text, so answers such as the package name never count as
//! the group's lines. Detectors use this for items whose template file is a starting point,
//! not the group's work (the data module draws synthetic data; the docs describe the template).

use std::collections::HashSet;

use crate::check::project::Project;
use crate::template::{TREE_DIR, Template};

/// Fewer lines of its own than this and a file is still the template's: changing a constant
/// or two is not writing the code.
pub const MIN_OWN_LINES: usize = 3;

/// The built-in template a project was made from, as lines to compare files with.
pub struct TemplateText {
    files: Vec<TemplateFile>,
}

struct TemplateFile {
    /// The template path's `/`-separated parts; a part holding a tag matches any name.
    parts: Vec<String>,
    /// Lines without tags, trimmed at the end.
    exact: HashSet<String>,
    /// Lines with tags, as the literal pieces between them.
    patterns: Vec<Vec<String>>,
}

impl TemplateText {
    /// The template recorded in the project's `.dayone.toml`, when it is built in: its tree
    /// and every layer, since a layer's file at a path may stand in for the tree's.
    pub fn of(project: &Project) -> Option<Self> {
        let recorded = project.dayone_record()?.dayone?;
        let template = Template::builtin(recorded.builtin_name()?).ok()?;
        let folders = std::iter::once(TREE_DIR).chain(
            template
                .manifest
                .files
                .layers
                .iter()
                .map(|layer| layer.folder.as_str()),
        );
        let mut files = Vec::new();
        for folder in folders {
            for file in template.source.files_of(folder).ok()? {
                let Ok(bytes) = file.contents.read() else {
                    continue;
                };
                if let Ok(text) = std::str::from_utf8(&bytes) {
                    files.push(TemplateFile::new(&file.path, text));
                }
            }
        }
        Some(Self { files })
    }

    /// How many non-blank lines of `text` (the project's file at `path`) the template did not
    /// write; `None` when the template has no file at that place. A line counts as the
    /// template's when the tree or any layer writes it there.
    pub fn own_lines(&self, path: &str, text: &str) -> Option<usize> {
        let files: Vec<&TemplateFile> =
            self.files.iter().filter(|f| f.matches_path(path)).collect();
        if files.is_empty() {
            return None;
        }
        Some(
            text.lines()
                .map(str::trim_end)
                .filter(|line| !line.trim().is_empty() && !files.iter().any(|f| f.produces(line)))
                .count(),
        )
    }

    /// True when some template file at `path` writes `line` (trimmed at the end).
    pub fn writes(&self, path: &str, line: &str) -> bool {
        let line = line.trim_end();
        self.files
            .iter()
            .any(|f| f.matches_path(path) && f.produces(line))
    }

    /// True when the project's file at `path` is the template's, give or take a few lines.
    pub fn is_untouched(&self, path: &str, text: &str) -> bool {
        self.own_lines(path, text)
            .is_some_and(|own| own < MIN_OWN_LINES)
    }
}

impl TemplateFile {
    fn new(path: &str, text: &str) -> Self {
        let mut exact = HashSet::new();
        let mut patterns = Vec::new();
        for line in text.lines().map(str::trim_end) {
            let pieces = literal_pieces(line);
            if pieces.len() == 1 {
                exact.insert(line.to_string());
            } else if pieces.iter().any(|p| !p.trim().is_empty()) {
                patterns.push(pieces);
            }
        }
        Self {
            parts: path.split('/').map(str::to_string).collect(),
            exact,
            patterns,
        }
    }

    fn matches_path(&self, path: &str) -> bool {
        let parts: Vec<&str> = path.split('/').collect();
        parts.len() == self.parts.len()
            && self
                .parts
                .iter()
                .zip(&parts)
                .all(|(template, actual)| has_tag(template) || template == actual)
    }

    fn produces(&self, line: &str) -> bool {
        self.exact.contains(line) || self.patterns.iter().any(|p| matches_pieces(p, line))
    }
}

fn has_tag(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// The text of a template line between its tags; one piece when it has none.
fn literal_pieces(line: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut rest = line;
    loop {
        let open = ["{{", "{%", "{#"]
            .iter()
            .filter_map(|tag| rest.find(tag))
            .min();
        let Some(open) = open else {
            pieces.push(rest.to_string());
            return pieces;
        };
        let close = match &rest[open..open + 2] {
            "{{" => "}}",
            "{%" => "%}",
            _ => "#}",
        };
        pieces.push(rest[..open].to_string());
        match rest[open..].find(close) {
            Some(end) => rest = &rest[open + end + 2..],
            None => {
                pieces.push(String::new());
                return pieces;
            }
        }
    }
}

/// True when `line` is the pieces in order with anything between them. Whitespace control
/// (`{%-`) may eat the spaces around a tag, so the pieces are compared trimmed.
fn matches_pieces(pieces: &[String], line: &str) -> bool {
    let (first, rest) = pieces.split_first().expect("at least one piece");
    let Some(mut remaining) = line.strip_prefix(first.trim_end()) else {
        return false;
    };
    let (last, middle) = rest.split_last().expect("a tag makes two pieces");
    for piece in middle {
        let piece = piece.trim();
        match remaining.find(piece) {
            Some(at) => remaining = &remaining[at + piece.len()..],
            None => return false,
        }
    }
    remaining.ends_with(last.trim_start())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::source::Source;

    fn file(text: &str) -> TemplateFile {
        TemplateFile::new("src/{{ package_name }}/data.py", text)
    }

    #[test]
    fn tags_match_any_text_and_lines_without_tags_match_exactly() {
        let template = file(
            "from {{ package_name }} import configure_logging\n{%- if api %}\nAPI = True\n{%- endif %}\nSIZE = {{ size }}  # pixels\n",
        );
        assert!(template.produces("from leaf_doctor import configure_logging"));
        assert!(template.produces("API = True"));
        assert!(template.produces("SIZE = 28  # pixels"));
        assert!(!template.produces("SIZE = 28"));
        assert!(!template.produces("def download(url: str) -> None:"));
        // A line that is only a tag produces nothing, so it matches nothing.
        assert!(!template.produces("anything at all"));
    }

    #[test]
    fn paths_match_with_tags_as_any_folder() {
        let template = file("");
        assert!(template.matches_path("src/leaf_doctor/data.py"));
        assert!(!template.matches_path("src/leaf_doctor/model.py"));
        assert!(!template.matches_path("src/a/b/data.py"));
    }

    #[test]
    fn a_generated_project_is_untouched_until_the_group_writes_lines() {
        let project = Project::from_entries(
            "/p".into(),
            [(
                ".dayone.toml".to_string(),
                Some("[dayone]\ntemplate = \"mlops\"\n".to_string()),
            )],
            None,
        );
        let text = TemplateText::of(&project).expect("the built-in template");
        let source = Source::builtin("mlops").unwrap().files().unwrap();
        let data = source
            .iter()
            .find(|f| f.path.ends_with("/data.py") && f.path.starts_with("src/"))
            .unwrap();
        let bytes = data.contents.read().unwrap();
        let rendered = std::str::from_utf8(&bytes)
            .unwrap()
            .replace("{{ package_name }}", "leaf_doctor");
        assert!(text.is_untouched("src/leaf_doctor/data.py", &rendered));
        let edited = format!(
            "{rendered}\n\ndef download(url: str) -> None:\n    \"\"\"Fetch the archive.\"\"\"\n    urllib.request.urlretrieve(url, RAW_DIR / \"images.zip\")\n"
        );
        assert_eq!(text.own_lines("src/leaf_doctor/data.py", &edited), Some(3));
        assert!(!text.is_untouched("src/leaf_doctor/data.py", &edited));
        assert_eq!(text.own_lines("src/leaf_doctor/other.py", &edited), None);
    }
}

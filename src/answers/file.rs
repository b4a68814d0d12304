//! `.dayone.toml`, the file every generated project keeps: which dayone and which template (and
//! version) made it, where that template came from, a digest of what it rendered, and every
//! answer. Read and written with serde, in both directions; the one place that knows its format.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::answers::replay;
use crate::answers::sources::{RawAnswers, read_text};
use crate::error::{Error, Result};
use crate::template::reference::GitLocation;
use crate::template::version::Version;
use crate::value::Answers;

/// The file name every generated project gets.
pub const ANSWERS_FILE: &str = ".dayone.toml";

const HEADER: &str = "# Written by dayone when this project was created. Replay it with:\n\
                      #   dayone new --answers .dayone.toml OTHER-DIR\n\n";

/// What made a project. Every field is optional when read: a hand-written answers file may
/// hold only `[answers]`, and files written before a field existed lack it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The dayone version that wrote the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub template_version: Option<String>,
    /// The git tree id of the render without `.dayone.toml` itself: what a clone without the
    /// stored base checks a render of the recorded source and answers against.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub render_tree: Option<String>,
    /// Where the template came from; a file without it means a built-in template.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<TemplateSource>,
    /// The course's exam report, when `dayone report fetch` put it in place of the template's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report: Option<CourseReport>,
}

/// The course's own exam report as `[dayone.report]` records it: the repository (as typed),
/// the ref asked for, the full commit it was taken at, and the file's path in it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CourseReport {
    pub url: String,
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    pub commit: String,
    pub path: String,
}

/// Where a project's template came from, as `[dayone.source]` records it. Its name and version
/// are `template` and `template_version` beside it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum TemplateSource {
    /// Embedded in dayone, found by the template's name.
    Builtin,
    /// A template folder: relative to the project's folder (`/`-separated), or absolute when
    /// there is no relative way (another drive).
    Folder { path: String },
    /// A git repository: the URL and the ref as typed, the full commit the ref resolved to,
    /// and the template's folder inside the repository.
    Git {
        url: String,
        #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
        reference: Option<String>,
        commit: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subdir: Option<String>,
    },
}

impl std::fmt::Display for TemplateSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateSource::Builtin => write!(f, "built in"),
            TemplateSource::Folder { path } => write!(f, "the folder {path}"),
            TemplateSource::Git { commit, .. } => {
                let location = self.location().expect("a git source has a location");
                write!(
                    f,
                    "git {} (commit {})",
                    location.display(),
                    crate::error::short(commit)
                )
            }
        }
    }
}

impl TemplateSource {
    /// A git source's repository, ref as typed and subfolder; `None` for other sources.
    pub fn location(&self) -> Option<GitLocation> {
        match self {
            TemplateSource::Git {
                url,
                reference,
                subdir,
                ..
            } => Some(GitLocation {
                url: url.clone(),
                reference: reference.clone(),
                subdir: subdir.clone(),
            }),
            _ => None,
        }
    }
}

impl CourseReport {
    /// Where the report is: its repository and ref, with the file as the path inside it.
    pub fn location(&self) -> GitLocation {
        GitLocation {
            url: self.url.clone(),
            reference: self.reference.clone(),
            subdir: Some(self.path.clone()),
        }
    }
}

impl Provenance {
    /// What this dayone records for a render of a template: its name and version, where it
    /// came from, and the tree id of the render without `.dayone.toml`.
    pub fn current(
        template: &str,
        template_version: &str,
        source: TemplateSource,
        render_tree: String,
    ) -> Self {
        Self {
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
            template: Some(template.to_string()),
            template_version: Some(template_version.to_string()),
            render_tree: Some(render_tree),
            source: Some(source),
            report: None,
        }
    }

    /// The recorded source; files written before dayone recorded it mean a built-in template.
    pub fn source(&self) -> TemplateSource {
        self.source.clone().unwrap_or(TemplateSource::Builtin)
    }

    /// The template's name when it is built in, for code that reads only built-in templates.
    pub fn builtin_name(&self) -> Option<&str> {
        match self.source() {
            TemplateSource::Builtin => self.template.as_deref(),
            _ => None,
        }
    }
}

/// An answers file as read: its provenance, and answers not yet typed by a manifest.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswersFile {
    #[serde(default)]
    pub dayone: Option<Provenance>,
    #[serde(default)]
    pub answers: RawAnswers,
    /// For a cookiecutter replay file or `.cruft.json`: the template it names, as given to
    /// cookiecutter or cruft (it records no dayone provenance).
    #[serde(skip)]
    pub cookiecutter_template: Option<String>,
}

#[derive(Serialize)]
struct Written<'a> {
    dayone: &'a Provenance,
    answers: &'a Answers,
}

impl AnswersFile {
    /// Read an answers file, refusing one written by a newer dayone (its answers may mean
    /// what this dayone does not know); a cookiecutter replay file or `.cruft.json` (JSON) is
    /// read for its answers.
    pub fn read(path: &Path) -> Result<Self> {
        let text = read_text(path)?;
        if replay::is_json(&text) {
            let replay = replay::parse(&path.display().to_string(), &text)?;
            return Ok(Self {
                dayone: None,
                answers: replay.answers,
                cookiecutter_template: replay.template,
            });
        }
        let file = Self::parse(&path.display().to_string(), &text)?;
        let written_by = file
            .dayone
            .as_ref()
            .and_then(|d| d.version.as_deref())
            .and_then(Version::parse);
        if let Some(version) = written_by.filter(|v| *v > Version::current()) {
            return Err(Error::AnswersFromNewerDayone {
                file: path.to_path_buf(),
                version: version.to_string(),
                current: Version::current().to_string(),
            });
        }
        Ok(file)
    }

    /// An answers file's text, named `file` in errors.
    pub fn parse(file: &str, text: &str) -> Result<Self> {
        toml::from_str(text).map_err(|err| Error::toml(file, text, &err))
    }

    /// Whether two answers files record the same render: the same tree when both record one,
    /// else the same template, version, source and answers.
    pub fn same_render(&self, other: &AnswersFile) -> bool {
        let (a, b) = (
            self.dayone.clone().unwrap_or_default(),
            other.dayone.clone().unwrap_or_default(),
        );
        if let (Some(x), Some(y)) = (&a.render_tree, &b.render_tree) {
            return x == y;
        }
        a.template == b.template
            && a.template_version == b.template_version
            && a.source() == b.source()
            && self.answers == other.answers
    }

    /// `text` (an answers file's) with `[dayone.report]` set to `report`, everything else
    /// kept as written: the table goes where [`AnswersFile::render`] puts it (before
    /// `[answers]`), replacing one already there. `None` when the file is laid out so that the
    /// result would not read back as the same record with that one change.
    pub fn with_course_report(text: &str, report: &CourseReport) -> Option<String> {
        let table = |line: &str| line.trim_start().starts_with('[');
        let mut lines: Vec<&str> = Vec::new();
        let mut skipping = false;
        for line in text.lines() {
            if line.trim() == "[dayone.report]" {
                skipping = true;
                continue;
            }
            if skipping && !table(line) {
                continue;
            }
            skipping = false;
            lines.push(line);
        }
        let body = toml::to_string(report).expect("plain values are TOML");
        let block = format!("[dayone.report]\n{body}");
        let at = lines.iter().position(|l| l.trim() == "[answers]");
        let mut out = String::new();
        for (i, line) in lines.iter().enumerate() {
            if Some(i) == at {
                out += &block;
                out += "\n";
            }
            out += line;
            out += "\n";
        }
        if at.is_none() {
            if !out.is_empty() && !out.ends_with("\n\n") {
                out += "\n";
            }
            out += &block;
        }
        let before = Self::parse("", text).ok()?;
        let after = Self::parse("", &out).ok()?;
        let mut expected = before.dayone.unwrap_or_default();
        expected.report = Some(report.clone());
        (after.dayone.as_ref() == Some(&expected) && after.answers == before.answers).then_some(out)
    }

    /// The text of a project's answers file, answers in manifest order.
    pub fn render(provenance: &Provenance, answers: &Answers) -> String {
        let body = toml::to_string(&Written {
            dayone: provenance,
            answers,
        })
        .expect("strings, bools and lists of strings are TOML");
        format!("{HEADER}{body}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    #[test]
    fn written_text_reads_back_to_the_same_answers() {
        let mut answers = Answers::new();
        answers.insert("name", Value::Str("say \"hi\"".into()));
        answers.insert("api", Value::Bool(true));
        answers.insert("extras", Value::List(vec!["a".into(), "b".into()]));
        let provenance = Provenance::current(
            "t",
            "1.0.0",
            TemplateSource::Folder {
                path: "../templates/t".into(),
            },
            "4b825dc642cb6eb9a060e54bf8d69288fbee4904".into(),
        );
        let text = AnswersFile::render(&provenance, &answers);
        assert!(text.starts_with(HEADER), "{text}");
        assert!(
            text.contains("[dayone]\nversion = ")
                && text.contains("\nrender_tree = \"4b825dc642cb6eb9a060e54bf8d69288fbee4904\"\n")
                && text
                    .contains("\n[dayone.source]\nkind = \"folder\"\npath = \"../templates/t\"\n")
                && text.contains("\n\n[answers]\nname = "),
            "{text}"
        );
        let back: AnswersFile = toml::from_str(&text).unwrap();
        assert_eq!(back.dayone, Some(provenance));
        assert_eq!(back.answers["name"].as_str(), Some("say \"hi\""));
        assert_eq!(back.answers["api"].as_bool(), Some(true));
        assert_eq!(back.answers["extras"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn a_file_without_a_source_is_built_in_and_a_git_source_reads_back() {
        let old = AnswersFile::parse(
            "old",
            "[dayone]\nversion = \"0.1.0\"\ntemplate = \"mlops\"\ntemplate_version = \"0.2.0\"\n",
        )
        .unwrap();
        let provenance = old.dayone.unwrap();
        assert_eq!(provenance.source(), TemplateSource::Builtin);
        assert_eq!(provenance.builtin_name(), Some("mlops"));
        let git = "[dayone]\ntemplate = \"t\"\n[dayone.source]\nkind = \"git\"\nurl = \"gh:o/r\"\nref = \"v1\"\ncommit = \"0123456789abcdef0123456789abcdef01234567\"\nsubdir = \"t\"\n";
        let read = AnswersFile::parse("git", git).unwrap().dayone.unwrap();
        assert_eq!(read.builtin_name(), None);
        assert_eq!(
            read.source().to_string(),
            "git gh:o/r@v1#t (commit 0123456789ab)"
        );
        let text = AnswersFile::render(&read, &Answers::new());
        let again = AnswersFile::parse("again", &text).unwrap().dayone.unwrap();
        assert_eq!(again, read);
        let unknown = "[dayone.source]\nkind = \"folder\"\npath = \"x\"\nbranch = \"main\"\n";
        assert!(AnswersFile::parse("unknown", unknown).is_err());
    }

    #[test]
    fn the_course_report_goes_where_render_puts_it_and_replaces_an_old_one() {
        let mut answers = Answers::new();
        answers.insert("name", Value::Str("x".into()));
        let mut provenance =
            Provenance::current("t", "1.0.0", TemplateSource::Builtin, "0".repeat(40));
        let text = AnswersFile::render(&provenance, &answers)
            .replace("[answers]", "# the group's note\n[answers]");
        let report = CourseReport {
            url: "gh:o/course".into(),
            reference: None,
            commit: "a".repeat(40),
            path: "reports/README.md".into(),
        };
        let with = AnswersFile::with_course_report(&text, &report).unwrap();
        assert!(with.contains("# the group's note\n"), "{with}");
        // Where a fresh render puts it, so an update's answers file adds nothing of its own.
        provenance.report = Some(report.clone());
        let rendered = AnswersFile::render(&provenance, &answers);
        assert_eq!(with.replace("# the group's note\n", ""), rendered);
        let newer = CourseReport {
            commit: "b".repeat(40),
            reference: Some("main".into()),
            ..report
        };
        let again = AnswersFile::with_course_report(&with, &newer).unwrap();
        provenance.report = Some(newer.clone());
        assert_eq!(
            again.replace("# the group's note\n", ""),
            AnswersFile::render(&provenance, &answers)
        );
        let read = AnswersFile::parse("again", &again).unwrap();
        assert_eq!(read.dayone.unwrap().report, Some(newer.clone()));
        // A file with no [answers] gets the table at its end; one that is not TOML, none.
        let bare = AnswersFile::with_course_report("[dayone]\ntemplate = \"t\"\n", &newer).unwrap();
        assert!(bare.ends_with("path = \"reports/README.md\"\n"), "{bare}");
        assert!(AnswersFile::with_course_report("[dayone\n", &newer).is_none());
    }

    #[test]
    fn the_same_render_is_the_same_tree_else_the_same_record() {
        let file = |tree: Option<&str>, api: bool| {
            let tree = tree
                .map(|t| format!("render_tree = \"{t}\"\n"))
                .unwrap_or_default();
            AnswersFile::parse(
                "f",
                &format!("[dayone]\ntemplate = \"t\"\n{tree}[answers]\napi = {api}\n"),
            )
            .unwrap()
        };
        // The tree decides when both have one: an answer edited by hand changes no render.
        assert!(file(Some("a"), true).same_render(&file(Some("a"), false)));
        assert!(!file(Some("a"), true).same_render(&file(Some("b"), true)));
        assert!(file(None, true).same_render(&file(Some("a"), true)));
        assert!(!file(None, true).same_render(&file(None, false)));
    }
}

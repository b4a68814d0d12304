//! The day-1 hand-in: the project description in the README (at least 300 words on the
//! goal, the third-party framework, the data and the models).
//!
//! What is accepted, in this order:
//! 1. A heading naming a description (`## Project description`, `# Description`, `## Project
//!    overview`, `## Project proposal`): its section is the description, and its sub-headings
//!    name the parts.
//! 2. Otherwise, the first run of headings that each name a part (`### Overall goal of the
//!    project`, `### What data are you going to run on`, `# Frameworks` …), up to the first
//!    heading at that level or above that names none, and naming at least two different
//!    parts; when no heading there names the goal and the run follows the README's title
//!    directly, the introduction (the text under the title) stands for it.
//!
//! A part is named by a heading or by a paragraph that starts in bold (`**Data:** …`, or a bold
//! line on its own, naming the paragraphs after it up to the next heading), with the
//! words goal/objective/aim/purpose/motivation/idea, framework/library/package/tool,
//! data/dataset, or model. A part is a placeholder while its text is empty or starts with
//! `TODO`. Words are the whitespace-separated words of the prose in the section, outside
//! headings, code, HTML and placeholder paragraphs (link targets are not words).

use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use self::outline::Outline;
use crate::check::plural;
use crate::check::project::Project;

mod outline;
#[cfg(test)]
mod tests;

/// The course asks for at least this many words.
pub const MIN_WORDS: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PartName {
    Goal,
    Framework,
    Data,
    Models,
}

impl PartName {
    const ALL: [PartName; 4] = [Self::Goal, Self::Framework, Self::Data, Self::Models];

    fn word(self) -> &'static str {
        match self {
            Self::Goal => "goal",
            Self::Framework => "framework",
            Self::Data => "data",
            Self::Models => "models",
        }
    }

    fn pattern(self) -> &'static Regex {
        static PATTERNS: LazyLock<[Regex; 4]> = LazyLock::new(|| {
            [
                r"(?i)\b(goals?|objectives?|aims?|purpose|motivation|idea)\b",
                r"(?i)\b(frameworks?|librar(y|ies)|packages?|tools?)\b",
                r"(?i)\b(data|datasets?)\b",
                r"(?i)\bmodels?\b",
            ]
            .map(|p| Regex::new(p).expect("valid regex"))
        });
        &PATTERNS[self as usize]
    }

    /// The parts a heading or bold lead-in names.
    pub(super) fn named_in(text: &str) -> Vec<PartName> {
        Self::ALL
            .into_iter()
            .filter(|part| part.pattern().is_match(text))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PartStatus {
    Written,
    Placeholder,
    Missing,
}

#[derive(Debug, Clone, Serialize)]
pub struct Part {
    pub part: PartName,
    pub status: PartStatus,
    /// The heading (or bold lead-in) that names the part, and its line.
    pub heading: Option<String>,
    pub line: Option<usize>,
    pub words: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Description {
    /// The README read, relative to the project; `None` when there is none.
    pub path: Option<String>,
    /// Whether a description section was found.
    pub found: bool,
    /// The heading the description was found under, and its line.
    pub heading: Option<String>,
    pub line: Option<usize>,
    pub words: usize,
    pub min_words: usize,
    pub parts: Vec<Part>,
    /// At least `min_words` words and every part written.
    pub complete: bool,
}

impl Description {
    /// Read the project's README.
    pub fn of(project: &Project) -> Self {
        let readme = project
            .paths()
            .find(|p| !p.contains('/') && p.eq_ignore_ascii_case("README.md"));
        match readme.and_then(|path| Some((path, project.text(path)?))) {
            Some((path, text)) => Self::read(path, text),
            None => Self::absent(None),
        }
    }

    fn absent(path: Option<&str>) -> Self {
        Self {
            path: path.map(str::to_string),
            found: false,
            heading: None,
            line: None,
            words: 0,
            min_words: MIN_WORDS,
            parts: PartName::ALL.map(missing).to_vec(),
            complete: false,
        }
    }

    /// Find and measure the description in a README's text.
    pub fn read(path: &str, text: &str) -> Self {
        let doc = Outline::parse(text);
        let Some(region) = doc.description() else {
            return Self::absent(Some(path));
        };
        let mut parts: Vec<Part> = PartName::ALL.map(missing).to_vec();
        let mut words = 0;
        for index in region.intro.clone().chain(region.chunks.clone()) {
            let chunk = &doc.chunks[index];
            let placeholder = is_placeholder(chunk.body());
            if !placeholder {
                words += chunk.words;
            }
            for name in doc.parts_of(index, &region) {
                let part = &mut parts[name as usize];
                if part.status == PartStatus::Missing {
                    let (heading, line) = doc.namer(index, &region, name);
                    *part = Part {
                        part: name,
                        status: PartStatus::Placeholder,
                        heading: Some(heading),
                        line: Some(line),
                        words: 0,
                    };
                }
                if !placeholder && chunk.words > 0 {
                    part.status = PartStatus::Written;
                    part.words += chunk.words;
                }
            }
        }
        // A part heading with no text under it at all is a placeholder too.
        for heading in &doc.headings[region.headings.clone()] {
            for name in PartName::named_in(&heading.text) {
                let part = &mut parts[name as usize];
                if part.status == PartStatus::Missing {
                    *part = Part {
                        part: name,
                        status: PartStatus::Placeholder,
                        heading: Some(heading.text.clone()),
                        line: Some(heading.line),
                        words: 0,
                    };
                }
            }
        }
        let complete = words >= MIN_WORDS && parts.iter().all(|p| p.status == PartStatus::Written);
        Self {
            path: Some(path.to_string()),
            found: true,
            heading: region.heading.as_ref().map(|h| h.text.clone()),
            line: region.heading.as_ref().map(|h| h.line),
            words,
            min_words: MIN_WORDS,
            parts,
            complete,
        }
    }

    /// The one line `dayone check` prints about the hand-in.
    pub fn summary(&self) -> String {
        let Some(path) = &self.path else {
            return format!(
                "Day-1 hand-in: no README.md; write one with a \"## Project description\" section (goal, framework, data, models; at least {MIN_WORDS} words)"
            );
        };
        if !self.found {
            return format!(
                "Day-1 hand-in: {path} has no project description; add a \"## Project description\" section (goal, framework, data, models; at least {MIN_WORDS} words)"
            );
        }
        let place = match (&self.heading, self.line) {
            (Some(heading), Some(line)) => format!("{path}:{line} \"{heading}\""),
            _ => path.clone(),
        };
        let mut line = format!(
            "Day-1 hand-in ({place}): {} of at least {MIN_WORDS}",
            plural::count(self.words, "word", "words")
        );
        for (status, what) in [
            (PartStatus::Placeholder, "still a placeholder"),
            (PartStatus::Missing, "missing"),
        ] {
            let names: Vec<&str> = self
                .parts
                .iter()
                .filter(|p| p.status == status)
                .map(|p| p.part.word())
                .collect();
            if !names.is_empty() {
                line.push_str(&format!("; {what}: {}", names.join(", ")));
            }
        }
        if self.parts.iter().all(|p| p.status == PartStatus::Written) {
            line.push_str("; goal, framework, data and models written");
        }
        line
    }
}

fn missing(part: PartName) -> Part {
    Part {
        part,
        status: PartStatus::Missing,
        heading: None,
        line: None,
        words: 0,
    }
}

/// Placeholder text: empty, or starting with `TODO` (as the template's placeholders do).
pub(super) fn is_placeholder(text: &str) -> bool {
    let text = text.trim_start();
    text.is_empty()
        || text
            .get(..4)
            .is_some_and(|head| head.eq_ignore_ascii_case("todo"))
            && !text[4..].starts_with(|c: char| c.is_alphanumeric())
}

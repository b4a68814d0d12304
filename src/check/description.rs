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

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use regex::Regex;
use serde::Serialize;

use crate::check::plural;
use crate::check::project::Project;

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
    fn named_in(text: &str) -> Vec<PartName> {
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
fn is_placeholder(text: &str) -> bool {
    let text = text.trim_start();
    text.is_empty()
        || text
            .get(..4)
            .is_some_and(|head| head.eq_ignore_ascii_case("todo"))
            && !text[4..].starts_with(|c: char| c.is_alphanumeric())
}

#[derive(Debug, Clone)]
struct Heading {
    level: usize,
    text: String,
    line: usize,
}

/// A paragraph, list item or table cell of prose.
#[derive(Debug, Clone, Default)]
struct Chunk {
    text: String,
    /// Bold text the chunk starts with, if any.
    lead: Option<String>,
    line: usize,
    words: usize,
    /// How many headings come before it.
    after_headings: usize,
}

impl Chunk {
    /// The text after its bold lead-in and the punctuation that ends it.
    fn body(&self) -> &str {
        let lead = self.lead.as_deref().unwrap_or("");
        self.text
            .strip_prefix(lead)
            .unwrap_or(&self.text)
            .trim_start_matches([':', '.', ' ', '-', '–'])
    }
}

/// The description's extent: its heading, and the headings and chunks (indices) inside it.
struct Region {
    heading: Option<Heading>,
    headings: std::ops::Range<usize>,
    chunks: std::ops::Range<usize>,
    /// The README's introduction, when it stands for the goal (no heading names the goal).
    intro: std::ops::Range<usize>,
}

/// The README's headings and prose chunks, in order; code and HTML left out.
struct Outline {
    headings: Vec<Heading>,
    chunks: Vec<Chunk>,
}

impl Outline {
    fn parse(text: &str) -> Self {
        let line_of = |offset: usize| text[..offset].matches('\n').count() + 1;
        let mut headings = Vec::new();
        let mut chunks: Vec<Chunk> = Vec::new();
        let mut heading: Option<(usize, String, usize)> = None;
        let mut current: Option<Chunk> = None;
        let mut in_code = false;
        let mut lead_open = false;
        for (event, range) in Parser::new(text).into_offset_iter() {
            match event {
                Event::Start(Tag::CodeBlock(_)) => in_code = true,
                Event::End(TagEnd::CodeBlock) => in_code = false,
                Event::Start(Tag::Heading { level, .. }) => {
                    heading = Some((level as usize, String::new(), line_of(range.start)));
                }
                Event::End(TagEnd::Heading(_)) => {
                    if let Some((level, text, line)) = heading.take() {
                        let text = text.trim().to_string();
                        headings.push(Heading { level, text, line });
                    }
                }
                Event::Start(Tag::Strong)
                    if current.as_ref().is_none_or(|c| c.text.trim().is_empty()) =>
                {
                    lead_open = heading.is_none();
                }
                Event::End(TagEnd::Strong) => lead_open = false,
                Event::Text(t) | Event::Code(t) if !in_code => match &mut heading {
                    Some((_, text, _)) => text.push_str(&t),
                    None => {
                        let chunk = current.get_or_insert_with(|| Chunk {
                            line: line_of(range.start),
                            after_headings: headings.len(),
                            ..Chunk::default()
                        });
                        if lead_open {
                            chunk.lead.get_or_insert_with(String::new).push_str(&t);
                        }
                        chunk.text.push_str(&t);
                    }
                },
                Event::SoftBreak | Event::HardBreak => match &mut heading {
                    Some((_, text, _)) => text.push(' '),
                    None => {
                        if let Some(chunk) = &mut current {
                            chunk.text.push(' ');
                        }
                    }
                },
                Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell) => {
                    if let Some(mut chunk) = current.take() {
                        chunk.words = crate::report::parse::count_words(&chunk.text);
                        chunks.push(chunk);
                    }
                }
                _ => {}
            }
        }
        Self { headings, chunks }
    }

    /// The chunks under headings `from..to` (indices into `chunks`).
    fn chunks_under(&self, headings: std::ops::Range<usize>) -> std::ops::Range<usize> {
        // A chunk under heading `i` has `after_headings == i + 1`.
        let start = self
            .chunks
            .partition_point(|c| c.after_headings <= headings.start);
        let end = self
            .chunks
            .partition_point(|c| c.after_headings <= headings.end);
        start..end
    }

    /// The index of the first heading after `index` at its level or above.
    fn section_end(&self, index: usize) -> usize {
        let level = self.headings[index].level;
        (index + 1..self.headings.len())
            .find(|&i| self.headings[i].level <= level)
            .unwrap_or(self.headings.len())
    }

    fn description(&self) -> Option<Region> {
        static NAMED: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(r"(?i)\bdescription\b|\bproject\s+(overview|proposal)\b")
                .expect("valid regex")
        });
        if let Some(index) = self.headings.iter().position(|h| NAMED.is_match(&h.text)) {
            let end = self.section_end(index);
            return Some(Region {
                heading: Some(self.headings[index].clone()),
                headings: index + 1..end,
                chunks: self.chunks_under(index..end),
                intro: 0..0,
            });
        }
        self.run_of_parts()
    }

    /// Headings that each name a part, one after another (with their sub-headings): the
    /// first such run that names at least two different parts, so a lone "Using your own
    /// data" section of a how-to README is not taken for a description.
    fn run_of_parts(&self) -> Option<Region> {
        let named = |i: usize| PartName::named_in(&self.headings[i].text);
        let mut first = 0;
        while first < self.headings.len() {
            if named(first).is_empty() {
                first += 1;
                continue;
            }
            let level = self.headings[first].level;
            let end = (first + 1..self.headings.len())
                .find(|&i| self.headings[i].level <= level && named(i).is_empty())
                .unwrap_or(self.headings.len());
            let mut parts: Vec<PartName> = (first..end).flat_map(named).collect();
            parts.sort_by_key(|p| *p as usize);
            parts.dedup();
            if parts.len() >= 2 {
                return Some(self.run_region(first..end, parts.contains(&PartName::Goal)));
            }
            first = end;
        }
        None
    }

    fn run_region(&self, headings: std::ops::Range<usize>, goal_named: bool) -> Region {
        // The introduction stands for the goal when the run follows it directly: the text
        // before any heading, and under a title just before the run.
        let titled = headings.start == 1 && self.headings[0].level == 1;
        let intro = if goal_named || headings.start > usize::from(titled) {
            0..0
        } else {
            0..self
                .chunks
                .partition_point(|c| c.after_headings <= usize::from(titled))
        };
        Region {
            heading: None,
            chunks: self.chunks_under(headings.clone()),
            headings,
            intro,
        }
    }

    /// The parts a chunk belongs to: named by its bold lead-in, else by the nearest heading
    /// above it inside the region (or that heading's parents), else the goal for the
    /// introduction.
    fn parts_of(&self, index: usize, region: &Region) -> Vec<PartName> {
        let chunk = &self.chunks[index];
        if let Some(lead) = self.lead_over(index) {
            return PartName::named_in(self.chunks[lead].lead.as_deref().unwrap_or(""));
        }
        if region.intro.contains(&index) {
            return vec![PartName::Goal];
        }
        let mut level = usize::MAX;
        for i in (region.headings.start..chunk.after_headings).rev() {
            let heading = &self.headings[i];
            if heading.level < level {
                let named = PartName::named_in(&heading.text);
                if !named.is_empty() {
                    return named;
                }
                level = heading.level;
            }
        }
        Vec::new()
    }

    /// The chunk whose bold lead-in names the part this chunk belongs to: itself, or the
    /// nearest one before it under the same heading.
    fn lead_over(&self, index: usize) -> Option<usize> {
        let under = self.chunks[index].after_headings;
        (0..=index)
            .rev()
            .take_while(|&j| self.chunks[j].after_headings == under)
            .find(|&j| {
                self.chunks[j]
                    .lead
                    .as_deref()
                    .is_some_and(|lead| !PartName::named_in(lead).is_empty())
            })
    }

    /// What names the part `name` of a chunk, for the output: its lead-in, the nearest part
    /// heading above it, or the introduction.
    fn namer(&self, index: usize, region: &Region, name: PartName) -> (String, usize) {
        let chunk = &self.chunks[index];
        if let Some(lead) = self.lead_over(index) {
            let lead = &self.chunks[lead];
            return (
                lead.lead.as_deref().unwrap_or("").trim().to_string(),
                lead.line,
            );
        }
        (region.headings.start..chunk.after_headings)
            .rev()
            .map(|i| &self.headings[i])
            .find(|h| PartName::named_in(&h.text).contains(&name))
            .map_or_else(
                || ("the introduction".to_string(), chunk.line),
                |h| (h.text.clone(), h.line),
            )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(d: &Description) -> Vec<(PartName, PartStatus)> {
        d.parts.iter().map(|p| (p.part, p.status)).collect()
    }

    fn prose(words: usize) -> String {
        vec!["word"; words].join(" ")
    }

    const SKELETON: &str = "# leaf-doctor\n\nTells healthy leaves from sick ones.\n\n## Project description\n\nTells healthy leaves from sick ones.\n\n### Goal\n\nTODO: what should the project achieve, and for whom?\n\n### Framework\n\nTODO: which third-party framework, and how will you use it?\n\n### Data\n\nTODO: which data, how big, where from?\n\n### Models\n\nTODO: which models do you expect to try?\n\n## How this project is laid out\n\n### Data\n\nThe data module writes a small synthetic set.\n";

    #[test]
    fn the_skeleton_counts_only_the_one_line_and_lists_four_placeholders() {
        let d = Description::read("README.md", SKELETON);
        assert!(d.found);
        assert_eq!(d.heading.as_deref(), Some("Project description"));
        assert_eq!(d.line, Some(5));
        assert_eq!(d.words, 6);
        assert!(!d.complete);
        use PartStatus::Placeholder;
        assert_eq!(
            status(&d),
            [
                (PartName::Goal, Placeholder),
                (PartName::Framework, Placeholder),
                (PartName::Data, Placeholder),
                (PartName::Models, Placeholder)
            ]
        );
        assert_eq!(d.parts[2].line, Some(17));
        assert_eq!(
            d.summary(),
            "Day-1 hand-in (README.md:5 \"Project description\"): 6 words of at least 300; still a placeholder: goal, framework, data, models"
        );
    }

    #[test]
    fn a_filled_description_is_complete() {
        let filled = SKELETON
            .replace(
                "TODO: what should the project achieve, and for whom?",
                &prose(90),
            )
            .replace(
                "TODO: which third-party framework, and how will you use it?",
                &prose(70),
            )
            .replace("TODO: which data, how big, where from?", &prose(70))
            .replace("TODO: which models do you expect to try?", &prose(70));
        let d = Description::read("README.md", &filled);
        assert_eq!(d.words, 306);
        assert!(d.complete);
        assert!(
            d.summary()
                .ends_with("306 words of at least 300; goal, framework, data and models written"),
            "{}",
            d.summary()
        );
        // The template's own section further down is not the description.
        assert_eq!(d.parts[2].words, 70);
    }

    #[test]
    fn question_headings_under_a_description_heading_name_the_parts() {
        let text = format!(
            "# proj\n## Project description\n### Overall goal of the project\n{}\n### What framework are you going to use\nWe use timm.\n### How do you intend to include the framework into your project\n\n### What data are you going to run on (initially, may change)\nA leaf image set.\n### What deep learning models do you expect to use\n<!-- fill in -->\n# Checklist\n## Week 1\n* [ ] git (M5)\n",
            prose(20)
        );
        let d = Description::read("README.md", &text);
        use PartStatus::{Placeholder, Written};
        assert_eq!(
            status(&d),
            [
                (PartName::Goal, Written),
                (PartName::Framework, Written),
                (PartName::Data, Written),
                (PartName::Models, Placeholder)
            ]
        );
        assert_eq!(d.words, 20 + 3 + 4);
        assert_eq!(
            d.parts[3].heading.as_deref(),
            Some("What deep learning models do you expect to use")
        );
    }

    #[test]
    fn part_headings_without_a_description_heading_are_found_as_a_run() {
        let text = "Leaf project\n============\n\n### Members\n\nAda, Grace\n\n### Overall goal of the project\nSort leaves.\n### Which framework\nKornia for augmentation.\n### What data\nPlant photos.\n## Project checklist\n### Week 1\n* [ ] Create a git repository about data and models\n";
        let d = Description::read("README.md", text);
        assert!(d.found);
        assert_eq!(d.heading, None);
        assert!(d.parts[..3].iter().all(|p| p.status == PartStatus::Written));
        assert_eq!(d.parts[3].status, PartStatus::Missing);
        assert_eq!(d.words, 2 + 3 + 2);
        assert!(
            d.summary()
                .contains("README.md): 7 words of at least 300; missing: models"),
            "{}",
            d.summary()
        );
    }

    #[test]
    fn the_introduction_stands_for_an_unnamed_goal() {
        let text = "# Group 7\n\nWe classify bank support messages by intent.\n\n# Frameworks\n\nHugging Face transformers.\n\n# Dataset\n\nBanking77.\n\n# Model\n\nA small BERT.\n\n# Project structure\n\n```\nsrc/ data model\n```\n";
        let d = Description::read("README.md", text);
        assert!(
            d.parts.iter().all(|p| p.status == PartStatus::Written),
            "{:?}",
            d.parts
        );
        assert_eq!(d.parts[0].heading.as_deref(), Some("the introduction"));
        assert_eq!(d.words, 7 + 3 + 1 + 3);
    }

    #[test]
    fn bold_lead_ins_name_parts_and_code_does_not_count() {
        let text = "## Description\n\n**Goal:** find sick leaves early.\n\n**Framework and tools.** timm.\n\n**Data**: photos.\n\n```python\nmodel = timm.create_model('resnet18')\n```\n\n**Models:** TODO\n";
        let d = Description::read("README.md", text);
        use PartStatus::{Placeholder, Written};
        assert_eq!(
            status(&d),
            [
                (PartName::Goal, Written),
                (PartName::Framework, Written),
                (PartName::Data, Written),
                (PartName::Models, Placeholder)
            ]
        );
        assert_eq!(d.parts[1].heading.as_deref(), Some("Framework and tools."));
        // A bold line on its own names the part of the paragraphs after it.
        let text = "## Description\n\n**Models**\n\nA ResNet, then a ViT.\n";
        let d = Description::read("README.md", text);
        assert_eq!(d.parts[3].status, PartStatus::Written);
        assert_eq!(d.parts[3].words, 5);
    }

    #[test]
    fn placeholders_start_with_todo_as_a_word() {
        assert!(is_placeholder("TODO: write it"));
        assert!(is_placeholder("  todo"));
        assert!(is_placeholder(""));
        assert!(!is_placeholder("Todoist is not a placeholder"));
        assert!(!is_placeholder("We will do it"));
    }

    #[test]
    fn a_lone_how_to_section_about_data_is_not_a_description() {
        let text = "# proj\n\nA template project.\n\n## Install\n\nuv sync\n\n## Using your own data\n\nCopy it into data/raw.\n\n## Tests\n\nRun pytest.\n";
        assert!(!Description::read("README.md", text).found);
    }

    #[test]
    fn no_description_and_no_readme_say_what_to_add() {
        let d = Description::read(
            "README.md",
            "# proj\n\nInstall it with pip.\n\n## Usage\n\nRun it.\n",
        );
        assert!(!d.found);
        assert!(d.summary().contains("README.md has no project description"));
        let project = Project::from_entries("/p".into(), [], None);
        assert!(Description::of(&project).summary().contains("no README.md"));
    }
}

//! A README as the description reader needs it: its headings and its prose chunks
//! (paragraphs, list items, table cells) in order, with code and HTML left out, and where the
//! description and each of its parts are.

use std::sync::LazyLock;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use regex::Regex;

use super::PartName;

#[derive(Debug, Clone)]
pub(super) struct Heading {
    pub(super) level: usize,
    pub(super) text: String,
    pub(super) line: usize,
}

/// A paragraph, list item or table cell of prose.
#[derive(Debug, Clone, Default)]
pub(super) struct Chunk {
    pub(super) text: String,
    /// Bold text the chunk starts with, if any.
    pub(super) lead: Option<String>,
    pub(super) line: usize,
    pub(super) words: usize,
    /// How many headings come before it.
    pub(super) after_headings: usize,
}

impl Chunk {
    /// The text after its bold lead-in and the punctuation that ends it.
    pub(super) fn body(&self) -> &str {
        let lead = self.lead.as_deref().unwrap_or("");
        self.text
            .strip_prefix(lead)
            .unwrap_or(&self.text)
            .trim_start_matches([':', '.', ' ', '-', '–'])
    }
}

/// The description's extent: its heading, and the headings and chunks (indices) inside it.
pub(super) struct Region {
    pub(super) heading: Option<Heading>,
    pub(super) headings: std::ops::Range<usize>,
    pub(super) chunks: std::ops::Range<usize>,
    /// The README's introduction, when it stands for the goal (no heading names the goal).
    pub(super) intro: std::ops::Range<usize>,
}

/// The README's headings and prose chunks, in order; code and HTML left out.
pub(super) struct Outline {
    pub(super) headings: Vec<Heading>,
    pub(super) chunks: Vec<Chunk>,
}

impl Outline {
    pub(super) fn parse(text: &str) -> Self {
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

    pub(super) fn description(&self) -> Option<Region> {
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
    pub(super) fn parts_of(&self, index: usize, region: &Region) -> Vec<PartName> {
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
    pub(super) fn namer(&self, index: usize, region: &Region, name: PartName) -> (String, usize) {
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

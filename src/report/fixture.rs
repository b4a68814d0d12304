//! Reports built for tests, in the shape of the course's file.

use crate::report::images::Lookup;
use crate::report::limits::{self, SECTIONS};

/// A report in the course's shape: intro and checklist, sections, quoted questions.
pub fn report(answer: impl Fn(usize) -> String) -> String {
    let mut out = String::from(
        "# Exam report\n\nIntro text.\n\n## Checklist\n\n### Week 1\n\n* [ ] Make a repo (M5)\n\n",
    );
    for section in SECTIONS {
        out.push_str(&format!(
            "## {}\n\n> What this section asks about.\n\n",
            section.title
        ));
        for n in section.questions.clone() {
            out.push_str(&format!(
                "### Question {n}\n\n> **What about {n}?**\n>\n> Recommended answer length: some words.\n>\n> Answer:\n\n{}\n\n",
                answer(n)
            ));
        }
    }
    out
}

pub fn blank(n: usize) -> String {
    format!("--- question {n} fill here ---")
}

pub fn words(count: usize) -> String {
    vec!["word"; count].join(" ")
}

/// An answer that meets question `n`'s limits: the minimum words (or one word) and the
/// minimum number of images (which count as words too, as the graders count them).
pub fn fitting(n: usize) -> String {
    let limits = limits::of(n).unwrap();
    let images = limits.images.map_or(0, |i| i.0);
    let min_words = limits.words.map_or(1, |w| w.0.max(1));
    let links = vec!["![plot](figures/plot.png)"; images].join(" ");
    format!("{} {links}", words(min_words.saturating_sub(images).max(1)))
}

/// A lookup in which exactly `files` exist under `reports/`.
pub fn existing(files: &[&str]) -> impl Fn(&str) -> Lookup {
    let files: Vec<String> = files.iter().map(|f| f.to_string()).collect();
    move |path| {
        if files.iter().any(|f| f == path) {
            Lookup::File(path.into())
        } else {
            Lookup::Missing { near: None }
        }
    }
}

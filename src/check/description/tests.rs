//! The description reader on README shapes groups write.

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

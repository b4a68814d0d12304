//! The render a merge starts from (the base): the one the project's `.dayone.toml` records.
//!
//! It is looked for on the base ref first, newest render first, so that an update the group
//! never committed (undone with `git reset --hard`) is passed over. A clone has no base ref
//! (git does not push it), so next the recorded source is rendered again with the recorded
//! answers, and used only if its tree is the tree `.dayone.toml` records. Without either,
//! there is no base, and every file that differs from the new render is a conflict.

use serde::Serialize;

use super::{Project, answers_path};
use crate::answers::file::{ANSWERS_FILE, AnswersFile};
use crate::answers::resolve::{self, Given};
use crate::error::{Result, short};
use crate::git::{self, Render, Repo};
use crate::plan::{Plan, PlannedFile};
use crate::prompt::Defaults;
use crate::render::DayoneVars;
use crate::template::Template;

/// The base of a merge, how it was found, and what to tell the user about it.
pub struct Base {
    pub plan: Plan,
    pub found: Found,
    /// The commit of the base ref this base is (stored or earlier).
    pub commit: Option<String>,
    /// The base ref's newest commit, when it has one: the parent of a render rebuilt here.
    pub tip: Option<String>,
    /// What to say about it: how it was found, or why there is none.
    pub notes: Vec<Note>,
}

/// A line about the base: worth a warning (the base ref was off, or there is no base), or
/// only information.
pub enum Note {
    Info(String),
    Warning(String),
}

/// How the base was found; `--json` reports it in lowercase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Found {
    /// The base ref's newest render.
    Stored,
    /// An older render of the base ref: the newer ones were never committed.
    Earlier,
    /// Rendered again from the recorded source and answers; its tree is the recorded one.
    Rebuilt,
    /// Rendered again, but `.dayone.toml` (written before dayone recorded trees) has no tree
    /// to check it against.
    Unverified,
    /// None: every file that differs from the new render is a conflict.
    Missing,
}

impl Base {
    /// The commit the new render follows on the base ref: this base's, or, for a base made
    /// again here, that render committed after the base ref's newest (the objects only).
    pub fn parent_commit(&self, repo: &Repo, fallback: &git::Fallback) -> Result<Option<String>> {
        Ok(match (&self.commit, self.found) {
            (Some(commit), _) => Some(commit.clone()),
            (None, Found::Rebuilt | Found::Unverified) => {
                let message = "dayone: the render .dayone.toml records, made again";
                let tip = self.tip.as_deref();
                Some(repo.commit_render(&self.plan, tip, message, fallback)?)
            }
            (None, _) => self.tip.clone(),
        })
    }
}

/// The base for merging into `project`. `template` is the template in use; `recorded` loads
/// the recorded source when the template in use is another version (or another source).
pub fn find(
    project: &Project,
    template: &Template,
    recorded: impl FnOnce() -> Result<Template>,
    repo: Option<&Repo>,
    dayone: &DayoneVars,
) -> Result<Base> {
    let record = project.record();
    let renders = match repo {
        Some(repo) => repo.base_renders(&answers_path())?,
        None => Vec::new(),
    };
    let tip = renders.first().map(|r| r.commit.clone());
    let matching = newest_recording(&renders, &record);
    let root = project.root.display();
    let mut notes = Vec::new();
    if let (Some(repo), Some(index)) = (repo, matching) {
        let commit = &renders[index].commit;
        if index > 0 {
            notes.push(Note::Warning(format!(
                "{} is {index} render(s) ahead of what {root}/.dayone.toml records: an update that \
                 was never committed (undone with `git reset --hard`?); merging from the render it \
                 records ({}) instead",
                git::BASE_REF,
                short(commit)
            )));
        }
        return Ok(Base {
            plan: repo.render(commit)?,
            found: if index == 0 {
                Found::Stored
            } else {
                Found::Earlier
            },
            commit: Some(commit.clone()),
            tip,
            notes,
        });
    }
    if tip.is_some() {
        notes.push(Note::Info(format!(
            "{} does not hold the render {root}/.dayone.toml records (it came with a pull or a \
             checkout?); rendering the recorded template again instead",
            git::BASE_REF
        )));
    } else if repo.is_some() {
        notes.push(Note::Info(format!(
            "{root} has no {} (a clone does not fetch it); rendering the recorded template again",
            git::BASE_REF
        )));
    } else {
        notes.push(Note::Info(format!(
            "{root} has no git repository of its own, so no stored base render; rendering the recorded template again"
        )));
    }
    let (plan, found) = rebuild(project, template, recorded, dayone, &mut notes)?;
    Ok(Base {
        plan,
        found,
        commit: None,
        tip,
        notes,
    })
}

/// The newest of the base ref's renders that is the render `record` records.
pub fn newest_recording(renders: &[Render], record: &AnswersFile) -> Option<usize> {
    renders.iter().position(|render| {
        render
            .file
            .as_deref()
            .and_then(read_record)
            .is_some_and(|file| file.same_render(record))
    })
}

/// An answers file's bytes as a record, if they are one.
pub fn read_record(bytes: &[u8]) -> Option<AnswersFile> {
    let text = std::str::from_utf8(bytes).ok()?;
    AnswersFile::parse(ANSWERS_FILE, text).ok()
}

/// The recorded render made again: the recorded template version with the recorded answers,
/// and the project's own `.dayone.toml`. Checked against the recorded tree when there is one.
fn rebuild(
    project: &Project,
    template: &Template,
    recorded: impl FnOnce() -> Result<Template>,
    dayone: &DayoneVars,
    notes: &mut Vec<Note>,
) -> Result<(Plan, Found)> {
    let provenance = &project.provenance;
    let Some(version) = provenance.template_version.as_deref() else {
        notes.push(missing("it records no template version".to_string()));
        return Ok((Plan::default(), Found::Missing));
    };
    let other;
    let template = if super::origin::renders_recorded(template, provenance, &project.root) {
        template
    } else {
        match recorded() {
            Ok(found) if found.manifest.template.version == version => {
                other = found;
                &other
            }
            _ => {
                notes.push(missing(format!(
                    "template {} {version} (recorded, {}) is not at hand",
                    provenance.template.as_deref().unwrap_or("?"),
                    provenance.source()
                )));
                return Ok((Plan::default(), Found::Missing));
            }
        }
    };
    let answers = resolve::resolve(
        &template.manifest,
        &Given {
            file: Some((
                project.answers_file().display().to_string(),
                project.answers.clone(),
            )),
            ..Given::default()
        },
        &mut Defaults,
    )?
    .answers;
    let input = template.manifest.input(&answers, dayone);
    let (mut plan, tree) = super::render(template, &input)?;
    let found = match provenance.render_tree.as_deref() {
        Some(recorded) if recorded == tree => Found::Rebuilt,
        Some(recorded) => {
            notes.push(missing(format!(
                "rendering template {} {version} again gives tree {}, not the recorded {} (the \
                 template changed without a new version?)",
                template.name(),
                short(&tree),
                short(recorded)
            )));
            return Ok((Plan::default(), Found::Missing));
        }
        None => {
            notes.push(Note::Info(format!(
                "using template {} {version} with the recorded answers as the base; .dayone.toml \
                 was written before dayone recorded render trees, so it is not checked",
                template.name()
            )));
            Found::Unverified
        }
    };
    let own = fs_err::read(project.answers_file())?;
    plan.files.insert(
        answers_path(),
        PlannedFile {
            contents: own.into(),
            executable: false,
        },
    );
    Ok((plan, found))
}

fn missing(why: String) -> Note {
    Note::Warning(format!(
        "no base render: {why}; every file that differs from the new render is a conflict"
    ))
}

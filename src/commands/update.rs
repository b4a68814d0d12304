//! `dayone update`: render the project's template again with its recorded answers (and any
//! changed by `--set` or asked anew), and merge that into the project from its stored base render.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Outcome;
use crate::answers::file::ANSWERS_FILE;
use crate::answers::resolve::{self, Given};
use crate::answers::sources::{UserConfig, parse_set_flags};
use crate::cli::{ConflictStyle, MergeArgs, UpdateArgs};
use crate::error::{Error, Result};
use crate::git::{self, Repo, Staged};
use crate::plan::Plan;
use crate::printer::Printer;
use crate::project::merge::{self, MergePlan, Outcome as Change, Text};
use crate::project::{self, Project};
use crate::prompt::{self, Defaults};
use crate::render::{DayoneVars, RenderInput};
use crate::template::Template;
use crate::write;

pub fn run(args: UpdateArgs, printer: &Printer) -> Result<Outcome> {
    let root = args.path.unwrap_or_else(|| PathBuf::from("."));
    let _lock = super::claim(&root, args.merge.dry_run, printer)?;
    update(&root, &args.set, &args.merge, printer)
}

/// The update itself, for `update` and `add` once they hold the project's lock: `set` are
/// `--set KEY=VALUE` answers.
pub(super) fn update(
    root: &Path,
    set: &[String],
    options: &MergeArgs,
    printer: &Printer,
) -> Result<Outcome> {
    let project = Project::open(root)?;
    let template = find_template(&project, options.template.as_deref())?;
    let repo = Repo::at(root)?;
    if let (Some(repo), false) = (&repo, options.allow_dirty) {
        let (changed, _) = repo.changes()?;
        if !changed.is_empty() {
            return Err(Error::DirtyWorkTree {
                path: root.to_path_buf(),
                files: changed,
            });
        }
    }
    let resolution = new_answers(&project, &template, set, options.yes, printer)?;
    let answers = resolution.answers;
    let dayone = DayoneVars::for_project(&root.display().to_string(), repo.is_some());
    let input = RenderInput {
        answers: &answers,
        dayone: &dayone,
    };
    let theirs = project::plan(&template, &input)?;
    let base = base_plan(&project, &template, repo.as_ref(), &dayone, printer)?;
    if same_plan(&base, &theirs)? {
        printer.info(format!(
            "{} is up to date with template {} {}; nothing to do.",
            root.display(),
            template.name(),
            template.manifest.template.version
        ));
        return Ok(Outcome::Clean);
    }
    // The group's other tracked files too: one of them may be a template file it moved.
    let tracked = repo
        .as_ref()
        .map(Repo::tracked)
        .transpose()?
        .unwrap_or_default();
    let wanted: std::collections::BTreeSet<_> =
        base.paths().chain(theirs.paths()).chain(&tracked).collect();
    let ours = project::read_files(root, wanted.into_iter())?;
    let labels = labels(&project, &template);
    let diff3 = options.conflict == ConflictStyle::Diff3;
    let text = |b: &[u8], o: &[u8], t: &[u8]| {
        git::merge_text(b, o, t, labels.each_ref().map(String::as_str), diff3).map(|m| Text {
            clean: m.clean,
            bytes: m.bytes,
        })
    };
    let merged = merge::merge(&base, &ours, &theirs, &text)?;
    if let (Some(repo), false) = (&repo, options.allow_dirty) {
        refuse_untracked(repo, &merged, &ours)?;
    }
    let report = Report::new(&project, &template, &merged);
    if !options.dry_run {
        let fallback = project::author_fallback(&template, &answers);
        apply(
            root,
            repo.as_ref(),
            &merged,
            &ours,
            &theirs,
            &template,
            &fallback,
        )?;
    }
    super::new::say_defaults_taken(printer, &resolution.defaults_taken);
    report.print(printer, options.json, options.dry_run, repo.is_some());
    Ok(if report.conflicts.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// `--template`, else the recorded template, which must be built in.
fn find_template(project: &Project, given: Option<&str>) -> Result<Template> {
    let recorded = project.template_name()?;
    let file = project.root.join(ANSWERS_FILE);
    let template = match given {
        Some(name) => Template::find(name)?,
        None => Template::find(recorded).map_err(|err| match err {
            Error::UnknownTemplate { name, .. } => Error::RecordedTemplateNotBuiltin {
                file: file.clone(),
                name,
            },
            other => other,
        })?,
    };
    if template.name() != recorded {
        return Err(Error::AnswersForOtherTemplate {
            file: file.display().to_string(),
            found: recorded.to_string(),
            expected: template.name().to_string(),
        });
    }
    Ok(template)
}

/// The recorded answers, with `--set` over them and the template's new questions answered.
/// Recorded answers for variables the template no longer has are dropped, with a note.
fn new_answers(
    project: &Project,
    template: &Template,
    set: &[String],
    yes: bool,
    printer: &Printer,
) -> Result<resolve::Resolution> {
    let mut recorded = project.answers.clone();
    recorded.retain(|name, _| {
        let kept = template.manifest.variable(name).is_some();
        if !kept {
            printer.warn(format!(
                "{ANSWERS_FILE}: the template no longer has `{name}`; its answer is dropped"
            ));
        }
        kept
    });
    let config = UserConfig::load()?;
    let given = Given {
        set: parse_set_flags(set)?,
        file: Some((
            project.root.join(ANSWERS_FILE).display().to_string(),
            recorded,
        )),
        config: config
            .path
            .clone()
            .map(|p| (p.display().to_string(), config.defaults)),
        git: template
            .manifest
            .variables
            .iter()
            .filter_map(|v| v.git_config.clone())
            .filter_map(|key| git::config_value(&key).map(|value| (key, value)))
            .collect(),
        directory_hint: None,
    };
    let mut prompter = prompt::for_run(yes, printer.stderr_color());
    let resolution = resolve::resolve(&template.manifest, &given, prompter.as_mut())?;
    Ok(resolution)
}

/// The render the project was last given: the stored base, else (without one) the recorded
/// answers rendered again when this is the recorded template version, else nothing, so that
/// every file that differs is a conflict rather than a silent overwrite.
fn base_plan(
    project: &Project,
    template: &Template,
    repo: Option<&Repo>,
    dayone: &DayoneVars,
    printer: &Printer,
) -> Result<Plan> {
    if let Some(base) = repo.map(Repo::base).transpose()?.flatten() {
        return Ok(base);
    }
    let current = &template.manifest.template.version;
    if project.provenance.template_version.as_ref() == Some(current) {
        printer.warn(format!(
            "{} has no stored base render ({}); using template {current} with the recorded answers as the base",
            project.root.display(),
            git::BASE_REF
        ));
        let recorded = resolve::resolve(
            &template.manifest,
            &Given {
                file: Some((ANSWERS_FILE.to_string(), project.answers.clone())),
                ..Given::default()
            },
            &mut Defaults,
        )?;
        let input = RenderInput {
            answers: &recorded.answers,
            dayone,
        };
        return project::plan(template, &input);
    }
    printer.warn(format!(
        "{} has no stored base render ({}) and was made with another template version; every file that differs from the new render is a conflict",
        project.root.display(),
        git::BASE_REF
    ));
    Ok(Plan::default())
}

fn same_plan(a: &Plan, b: &Plan) -> Result<bool> {
    if a.files.len() != b.files.len() {
        return Ok(false);
    }
    for ((pa, fa), (pb, fb)) in a.files.iter().zip(&b.files) {
        if pa != pb || !merge::same(Some(fa), Some(fb))? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Conflict-marker labels: base, ours, theirs.
fn labels(project: &Project, template: &Template) -> [String; 3] {
    let recorded = project
        .provenance
        .template_version
        .as_deref()
        .unwrap_or("?");
    [
        format!("base ({} {recorded} as dayone wrote it)", template.name()),
        "yours".to_string(),
        format!(
            "template {} {}",
            template.name(),
            template.manifest.template.version
        ),
    ]
}

/// Untracked files the update would write over are the group's work that git cannot restore.
fn refuse_untracked(repo: &Repo, merged: &MergePlan, ours: &Plan) -> Result<()> {
    let (_, untracked) = repo.changes()?;
    let in_the_way: Vec<String> = merged
        .iter()
        .filter(|(path, file)| {
            file.outcome != Change::Unchanged
                && ours.files.contains_key(*path)
                && untracked.iter().any(|u| u == path.as_str())
        })
        .map(|(path, _)| path.to_string())
        .collect();
    if in_the_way.is_empty() {
        Ok(())
    } else {
        Err(Error::UntrackedInTheWay { files: in_the_way })
    }
}

/// Write the merge, record it in the index, and move the base to the new render: all or nothing.
fn apply(
    root: &Path,
    repo: Option<&Repo>,
    merged: &MergePlan,
    ours: &Plan,
    theirs: &Plan,
    template: &Template,
    fallback: &git::Fallback,
) -> Result<()> {
    let mut changes = Vec::new();
    for (path, file) in merged
        .iter()
        .filter(|(_, f)| f.outcome != Change::Unchanged)
    {
        // A conflict that keeps the group's file leaves it untouched on disk.
        if !merge::same(file.write.as_ref(), ours.files.get(path))? {
            changes.push(write::Change {
                path,
                file: file.write.as_ref(),
            });
        }
    }
    let staged: Vec<Staged> = merged
        .iter()
        .filter_map(|(path, file)| match (&file.outcome, &file.stages) {
            (Change::Unchanged, _) => None,
            (Change::Removed, _) => Some(Staged::Removed(path)),
            (_, Some(stages)) => Some(Staged::Conflict {
                path,
                stages: stages.each_ref().map(Option::as_ref),
            }),
            _ => Some(Staged::File(path)),
        })
        .collect();
    let meta = &template.manifest.template;
    let message = format!(
        "dayone: the untouched render of template {} {} (dayone {})",
        meta.name,
        meta.version,
        env!("CARGO_PKG_VERSION")
    );
    // The answers file last: until it changes, the project still reads as before the update.
    changes.sort_by_key(|c| c.path.as_str() == ANSWERS_FILE);
    write::apply_changes(root, &changes, git::GUARDED, |_| match repo {
        Some(repo) => repo.record_update(&staged, theirs, &message, fallback),
        None => Ok(()),
    })
}

/// What the update did (or would do), for text and `--json`.
#[derive(Serialize)]
struct Report {
    template: String,
    from_version: Option<String>,
    to_version: String,
    files: Vec<FileReport>,
    conflicts: Vec<String>,
}

#[derive(Serialize)]
struct FileReport {
    path: String,
    change: Change,
    /// Where the file was in the base, when one side moved it.
    #[serde(skip_serializing_if = "Option::is_none")]
    from: Option<String>,
}

impl Report {
    fn new(project: &Project, template: &Template, merged: &MergePlan) -> Self {
        let files: Vec<FileReport> = merged
            .iter()
            .map(|(path, file)| FileReport {
                path: path.to_string(),
                change: file.outcome,
                from: file.from.as_ref().map(ToString::to_string),
            })
            .collect();
        Self {
            template: template.name().to_string(),
            from_version: project.provenance.template_version.clone(),
            to_version: template.manifest.template.version.clone(),
            conflicts: files
                .iter()
                .filter(|f| f.change == Change::Conflict)
                .map(|f| f.path.clone())
                .collect(),
            files,
        }
    }

    fn print(&self, printer: &Printer, json: bool, dry_run: bool, git: bool) {
        if json {
            let text = serde_json::to_string_pretty(self).expect("plain values serialise");
            printer.data(format!("{text}\n"));
            return;
        }
        let changed: Vec<&FileReport> = self
            .files
            .iter()
            .filter(|f| f.change != Change::Unchanged)
            .collect();
        let from = self.from_version.as_deref().unwrap_or("?");
        printer.info(format!(
            "{} template {} {from} → {}: {} of {} files change.",
            if dry_run {
                "Dry run, nothing written:"
            } else {
                "Updated to"
            },
            self.template,
            self.to_version,
            changed.len(),
            self.files.len()
        ));
        // The file list is the result (stdout); the lines around it are messages.
        for file in &changed {
            let word = serde_json::to_value(file.change).expect("a unit variant");
            let moved = file
                .from
                .as_ref()
                .map(|from| format!(" (moved from {from})"))
                .unwrap_or_default();
            printer.line(format!(
                "  {:<9} {}{moved}",
                word.as_str().unwrap_or("?"),
                file.path
            ));
        }
        if !self.conflicts.is_empty() {
            let how = if git {
                "fix the marked sections (or run `git mergetool`), then `git add` each file"
            } else {
                "fix the marked sections in each file"
            };
            printer.info(format!("{} conflict(s): {how}.", self.conflicts.len()));
        }
        if !dry_run && git {
            printer.info("Nothing is committed: review with `git status` and `git diff --cached`.");
        }
    }
}

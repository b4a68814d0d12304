//! `dayone update`: render the project's template again with its recorded answers (and any
//! changed by `--set` or asked anew), and merge that into the project from its stored base render.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::Outcome;
use crate::answers::file::{ANSWERS_FILE, TemplateSource};
use crate::answers::resolve::{self, Given};
use crate::answers::sources::{UserConfig, parse_set_flags};
use crate::cli::{ConflictStyle, MergeArgs, UpdateArgs};
use crate::error::{Error, Result, short};
use crate::git::{self, Repo, Staged};
use crate::plan::{Plan, RelPath};
use crate::printer::Printer;
use crate::project::base::{self, Base, Found, Note};
use crate::project::merge::{self, MergePlan, Outcome as Change, Text};
use crate::project::uv_lock::{self, LockReport, Pyproject};
use crate::project::{self, Project, course_report, origin};
use crate::prompt;
use crate::render::DayoneVars;
use crate::template::Template;
use crate::write;

/// The shape of `update --json`'s document; raised when a key changes meaning or goes.
pub(super) const JSON_SCHEMA: u32 = 1;

pub fn run(args: UpdateArgs, printer: &Printer) -> Result<Outcome> {
    let root = args.path.unwrap_or_else(|| PathBuf::from("."));
    if args.abort {
        return super::abort::run(&root, args.merge.json, printer);
    }
    let (_lock, project, template) = prepare(&root, &args.merge, printer)?;
    update(&project, &template, &args.set, &args.merge, printer, &[])
}

/// Take the project's lock (held until the returned value is dropped), finish or undo a write
/// a killed run left, then open the project at `root` and the template it is updated to, with
/// a line when that is not the recorded source.
pub(super) fn prepare(
    root: &Path,
    options: &MergeArgs,
    printer: &Printer,
) -> Result<(write::Lock, Project, Template)> {
    let lock = super::claim(root, options.dry_run, printer)?;
    let project = Project::open(root)?;
    let wanted = super::wanted(options.template.as_deref(), &options.fetch);
    let (template, switched) = origin::for_project(&project, &wanted)?;
    super::say_fetched(printer, &template);
    if let Some(note) = switched {
        printer.warn(note);
    }
    Ok((lock, project, template))
}

/// The update itself, for `update` and `add` once they hold the project's lock: `set` are
/// `--set KEY=VALUE` answers; `added` the features `add` turns on, which its report names.
pub(super) fn update(
    project: &Project,
    template: &Template,
    set: &[String],
    options: &MergeArgs,
    printer: &Printer,
    added: &[String],
) -> Result<Outcome> {
    let root = project.root.as_path();
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
    let resolution = new_answers(project, template, set, options.yes, printer)?;
    let answers = resolution.answers;
    let dayone = DayoneVars::for_project(&root.display().to_string(), repo.is_some());
    let input = template.manifest.input(&answers, &dayone);
    let mut theirs = project::plan(template, &input, root, project.provenance.report.as_ref())?;
    let policy = super::policy(&options.fetch.network);
    let recorded = || origin::recorded(&project.provenance, root, &project.answers_file(), policy);
    let mut base = base::find(project, template, recorded, repo.as_ref(), &dayone)?;
    course_report::set_aside(project, &mut base.plan, &mut theirs)?;
    for note in &base.notes {
        match note {
            Note::Info(line) => printer.info(line),
            Note::Warning(line) => printer.warn(line),
        }
    }
    if same_plan(&base.plan, &theirs)? {
        let report = Report::new(project, template, root, None, &base, options);
        report.print(printer, repo.is_some(), added);
        return Ok(Outcome::Clean);
    }
    // The group's other tracked files too: one of them may be a template file it moved.
    let tracked = repo
        .as_ref()
        .map(Repo::tracked)
        .transpose()?
        .unwrap_or_default();
    let wanted: std::collections::BTreeSet<_> = base
        .plan
        .paths()
        .chain(theirs.paths())
        .chain(&tracked)
        .collect();
    let ours = project::read_files(root, wanted.into_iter())?;
    let labels = labels(project, template);
    let diff3 = options.conflict == ConflictStyle::Diff3;
    let text = |b: &[u8], o: &[u8], t: &[u8]| {
        git::merge_text(b, o, t, labels.each_ref().map(String::as_str), diff3).map(|m| Text {
            clean: m.clean,
            bytes: m.bytes,
        })
    };
    let merged = merge::merge(&base.plan, &ours, &theirs, &text)?;
    if let (Some(repo), false) = (&repo, options.allow_dirty) {
        refuse_untracked(repo, &merged, &ours)?;
    }
    let mut report = Report::new(project, template, root, Some(&merged), &base, options);
    if !options.dry_run {
        let fallback = project::author_fallback(template, &answers);
        let meta = &template.manifest.template;
        let message = format!(
            "dayone: the untouched render of template {} {} (dayone {})",
            meta.name,
            meta.version,
            env!("CARGO_PKG_VERSION")
        );
        let record = |repo: &Repo, staged: &[Staged]| {
            let parent = base.parent_commit(repo, &fallback)?;
            let render = repo.commit_render(&theirs, parent.as_deref(), &message, &fallback)?;
            repo.record_update(staged, &render, &message)
        };
        apply(root, repo.as_ref(), &merged, &ours, record)?;
    }
    report.lock = lock_in_step(root, repo.as_ref(), &merged, options.dry_run)?;
    super::new::say_defaults_taken(printer, &resolution.defaults_taken);
    report.print(printer, repo.is_some(), added);
    Ok(if report.conflicts.is_empty() {
        Outcome::Clean
    } else {
        Outcome::Findings
    })
}

/// After `pyproject.toml` changed: `uv lock` when uv is there, staged in the repository.
fn lock_in_step(
    root: &Path,
    repo: Option<&Repo>,
    merged: &MergePlan,
    dry_run: bool,
) -> Result<Option<LockReport>> {
    let pyproject = match merged
        .iter()
        .find(|(path, _)| path.as_str() == "pyproject.toml")
        .map(|(_, file)| file.outcome)
    {
        None | Some(Change::Unchanged) => Pyproject::Unchanged,
        Some(Change::Conflict) => Pyproject::Conflict,
        Some(_) => Pyproject::Changed,
    };
    let report = uv_lock::after_update(root, pyproject, dry_run, repo.is_some());
    if let (Some(repo), Some(LockReport { state, .. })) = (repo, &report)
        && *state == uv_lock::LockState::Updated
    {
        let lock = RelPath::from_components(&[uv_lock::LOCK_FILE.to_string()]).expect("a name");
        repo.stage(&[Staged::File(&lock)])?;
    }
    Ok(report)
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
        earlier: None,
    };
    let mut prompter = prompt::for_run(yes, printer.stderr_color());
    let resolution = resolve::resolve(&template.manifest, &given, prompter.as_mut())?;
    Ok(resolution)
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
        match &template.fetched {
            Some(fetched) => format!(
                "template {} {} (commit {})",
                template.name(),
                template.manifest.template.version,
                short(&fetched.commit)
            ),
            None => format!(
                "template {} {}",
                template.name(),
                template.manifest.template.version
            ),
        },
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

/// Write the merge, and in a repository `record` it (the index, the base ref): all or nothing.
fn apply(
    root: &Path,
    repo: Option<&Repo>,
    merged: &MergePlan,
    ours: &Plan,
    record: impl FnOnce(&Repo, &[Staged]) -> Result<()>,
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
    // The answers file last: until it changes, the project still reads as before the update.
    changes.sort_by_key(|c| c.path.as_str() == ANSWERS_FILE);
    write::apply_changes(root, &changes, git::GUARDED, |_| match repo {
        Some(repo) => record(repo, &staged),
        None => Ok(()),
    })
}

/// What the update did (or would do), for text and `--json` (one document, always).
#[derive(Serialize)]
struct Report {
    /// [`JSON_SCHEMA`].
    schema: u32,
    template: String,
    /// Where the template came from, as `.dayone.toml` records it after the update.
    source: TemplateSource,
    from_version: Option<String>,
    to_version: String,
    /// For a template from git: the full commits before and after (`null` otherwise).
    from_commit: Option<String>,
    to_commit: Option<String>,
    /// The project already has this render: nothing was (or would be) written, and `files`
    /// is empty.
    up_to_date: bool,
    dry_run: bool,
    /// How the base render was found.
    base: Found,
    files: Vec<FileReport>,
    conflicts: Vec<String>,
    /// `uv.lock` after `pyproject.toml` changed; `null` when there was nothing to do.
    lock: Option<LockReport>,
    #[serde(skip)]
    root: String,
    #[serde(skip)]
    json: bool,
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
    fn new(
        project: &Project,
        template: &Template,
        root: &Path,
        merged: Option<&MergePlan>,
        base: &Base,
        options: &MergeArgs,
    ) -> Self {
        let files: Vec<FileReport> = merged
            .into_iter()
            .flatten()
            .map(|(path, file)| FileReport {
                path: path.to_string(),
                change: file.outcome,
                from: file.from.as_ref().map(ToString::to_string),
            })
            .collect();
        Self {
            schema: JSON_SCHEMA,
            template: template.name().to_string(),
            source: origin::source_of(template, root),
            from_version: project.provenance.template_version.clone(),
            to_version: template.manifest.template.version.clone(),
            from_commit: match project.provenance.source() {
                TemplateSource::Git { commit, .. } => Some(commit),
                _ => None,
            },
            to_commit: template.fetched.as_ref().map(|f| f.commit.clone()),
            up_to_date: merged.is_none(),
            dry_run: options.dry_run,
            base: base.found,
            conflicts: files
                .iter()
                .filter(|f| f.change == Change::Conflict)
                .map(|f| f.path.clone())
                .collect(),
            files,
            lock: None,
            root: root.display().to_string(),
            json: options.json,
        }
    }

    fn print(&self, printer: &Printer, git: bool, added: &[String]) {
        if self.json {
            let text = serde_json::to_string_pretty(self).expect("plain values serialise");
            printer.data(format!("{text}\n"));
            return;
        }
        // A version, and for a template from git its commit: one version has many commits.
        let at = |version: &str, commit: &Option<String>| match commit {
            Some(commit) => format!("{version} (commit {})", short(commit)),
            None => version.to_string(),
        };
        let to = at(&self.to_version, &self.to_commit);
        if self.up_to_date {
            printer.info(format!(
                "{} is up to date with template {} {to}; nothing to do.",
                self.root, self.template
            ));
            return;
        }
        let changed: Vec<&FileReport> = self
            .files
            .iter()
            .filter(|f| f.change != Change::Unchanged)
            .collect();
        let from = at(
            self.from_version.as_deref().unwrap_or("?"),
            &self.from_commit,
        );
        let template = &self.template;
        let what = match (added.is_empty(), self.dry_run) {
            (true, false) => format!("Updated to template {template} {from} → {to}"),
            (true, true) => format!("template {template} {from} → {to}"),
            (false, false) => format!("Turned on {} (template {template} {to})", added.join(", ")),
            (false, true) => format!("turning on {} (template {template} {to})", added.join(", ")),
        };
        let files = format!("{} of {} files", changed.len(), self.files.len());
        if self.dry_run {
            // As `new --dry-run`: a preview is the result, on stdout with its file list.
            printer.line(format!(
                "Dry run, nothing written: {what}: {files} would change."
            ));
        } else {
            printer.info(format!("{what}: {files} change."));
        }
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
        if let Some(lock) = &self.lock {
            match lock.state {
                uv_lock::LockState::Updated | uv_lock::LockState::WouldUpdate => {
                    printer.info(lock.message());
                }
                _ => printer.warn(lock.message()),
            }
        }
        if self.dry_run {
            return;
        }
        let abort = if self.root == "." {
            "dayone update --abort".to_string()
        } else {
            format!("dayone update {} --abort", self.root)
        };
        if !self.conflicts.is_empty() {
            let how = if git {
                "fix the marked sections (or run `git mergetool`), then `git add` each file"
            } else {
                "fix the marked sections in each file"
            };
            printer.info(format!(
                "{}: {how}.",
                crate::plural::count(self.conflicts.len(), "conflict", "conflicts")
            ));
            if git {
                printer.info(format!(
                    "To drop the whole update instead: `{abort}` puts the files, the index and {} back as they were.",
                    git::BASE_REF
                ));
            }
        }
        if git {
            printer.info(format!(
                "Nothing is committed: review with `git status` and `git diff --cached`, then commit; `{abort}` undoes it."
            ));
        }
    }
}

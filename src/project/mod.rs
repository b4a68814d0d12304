//! A project that dayone made: its folder, what its `.dayone.toml` records, and its plan (the
//! template's render plus the answers file), which `new` writes and `update` merges; where its
//! template comes from (`origin`) and which render a merge starts from (`base`).

pub mod base;
pub mod course_report;
pub mod merge;
pub mod origin;
pub mod rename;
pub mod uv_lock;

use std::path::{Path, PathBuf};

use crate::answers::file::{ANSWERS_FILE, AnswersFile, CourseReport, Provenance};
use crate::answers::sources::RawAnswers;
use crate::error::{Error, Result};
use crate::git;
use crate::plan::{Plan, PlannedFile, RelPath};
use crate::render::RenderInput;
use crate::template::{Template, plan as template_plan};
use crate::value::Answers;

/// A project folder and what its answers file says.
pub struct Project {
    pub root: PathBuf,
    pub provenance: Provenance,
    pub answers: RawAnswers,
}

impl Project {
    /// The project at `dir`, which must hold a `.dayone.toml` written by this dayone or an
    /// older one.
    pub fn open(dir: &Path) -> Result<Self> {
        let file = dir.join(ANSWERS_FILE);
        if !dir.is_dir() {
            return Err(Error::PathMissing {
                path: dir.to_path_buf(),
                expected: "pass the folder of a project made by dayone",
            });
        }
        if !file.is_file() {
            return Err(Error::NotADayoneProject {
                path: dir.to_path_buf(),
            });
        }
        let read = AnswersFile::read(&file)?;
        let provenance = read.dayone.unwrap_or_default();
        Ok(Self {
            root: dir.to_path_buf(),
            provenance,
            answers: read.answers,
        })
    }

    /// What `.dayone.toml` says, as read.
    pub fn record(&self) -> AnswersFile {
        AnswersFile {
            dayone: Some(self.provenance.clone()),
            answers: self.answers.clone(),
            cookiecutter_template: None,
        }
    }

    /// The answers file's path.
    pub fn answers_file(&self) -> PathBuf {
        self.root.join(ANSWERS_FILE)
    }

    /// The recorded template name, or an error saying the file does not name one.
    pub fn template_name(&self) -> Result<&str> {
        self.provenance
            .template
            .as_deref()
            .ok_or_else(|| Error::NotADayoneProject {
                path: self.root.clone(),
            })
    }
}

/// The project's current files at `paths` (those that exist), as a plan to merge.
pub fn read_files<'a>(root: &Path, paths: impl Iterator<Item = &'a RelPath>) -> Result<Plan> {
    let mut plan = Plan::default();
    for path in paths {
        let full = root.join(path);
        let Ok(meta) = full.symlink_metadata() else {
            continue;
        };
        if meta.file_type().is_symlink() {
            return Err(Error::ForceThroughLink {
                link: full,
                file: path.to_string(),
            });
        }
        if meta.is_dir() {
            return Err(Error::ForceFolderInTheWay { path: full });
        }
        let file = PlannedFile {
            contents: fs_err::read(&full)?.into(),
            executable: is_executable(&meta),
        };
        plan.files.insert(path.clone(), file);
    }
    Ok(plan)
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_meta: &std::fs::Metadata) -> bool {
    false
}

/// Everything dayone writes for the project at `root`: the template's files and `.dayone.toml`,
/// which records where the template came from, the render's tree, and the course's report
/// when the project has it (`report`, kept from its record).
pub fn plan(
    template: &Template,
    input: &RenderInput,
    root: &Path,
    report: Option<&CourseReport>,
) -> Result<Plan> {
    let (mut plan, tree) = render(template, input)?;
    let meta = &template.manifest.template;
    let source = origin::source_of(template, root);
    let mut provenance = Provenance::current(&meta.name, &meta.version, source, tree);
    provenance.report = report.cloned();
    let text = AnswersFile::render(&provenance, input.answers);
    plan.files.insert(
        answers_path(),
        PlannedFile {
            contents: text.into_bytes().into(),
            executable: false,
        },
    );
    Ok(plan)
}

/// The template's files alone (`.dayone.toml` records the render, it is not part of the
/// template), and the id of the tree git would store for them.
pub fn render(template: &Template, input: &RenderInput) -> Result<(Plan, String)> {
    let plan = template_plan::build(template, input)?;
    if plan.files.contains_key(&answers_path()) {
        return Err(Error::Render {
            template: template.name().to_string(),
            file: ANSWERS_FILE.to_string(),
            message: format!("{ANSWERS_FILE} is written by dayone; remove it from the template"),
        });
    }
    let tree = git::tree_id(&plan)?;
    Ok((plan, tree))
}

/// The author for dayone's commits when git config has none: the answers of the variables the
/// manifest fills from `user.name` and `user.email`.
pub fn author_fallback(template: &Template, answers: &Answers) -> git::Fallback {
    let answer_for = |key: &str| {
        template
            .manifest
            .variables
            .iter()
            .find(|v| v.git_config.as_deref() == Some(key))
            .and_then(|v| answers.get(&v.name))
            .map(ToString::to_string)
            .filter(|v| !v.is_empty())
    };
    git::Fallback {
        name: answer_for("user.name").unwrap_or_else(|| "dayone".into()),
        email: answer_for("user.email").unwrap_or_else(|| "dayone@localhost".into()),
    }
}

pub fn answers_path() -> RelPath {
    RelPath::from_components(&[ANSWERS_FILE.to_string()]).expect("a plain name")
}

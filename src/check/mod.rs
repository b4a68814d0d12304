//! `dayone check`: walk the course checklist over a project and compare it with the report.
//!
//! One pass: snapshot the project ([`project`]), parse what detectors need once
//! ([`detectors::Context`]), run each item's detector, set aside what a starter in place wrote
//! ([`starters`]) and weigh the result against what the report says ([`report_answers`]), then
//! read the checklist boxes of `reports/README.md` ([`crate::report::boxes`]) and line them up
//! with the items.

pub mod checklist;
pub mod course_figures;
pub mod description;
pub mod detectors;
pub mod filename;
pub mod ini;
pub mod leftovers;
/// Counted nouns live below every module; `check::plural` is where the detectors look.
pub use crate::plural;
pub mod project;
pub mod python;
pub mod report_answers;
pub mod starters;
pub mod template_text;
pub mod uv_lock;
pub mod vendored;
pub mod walk;
pub mod workflow;

use std::path::{Path, PathBuf};

use serde::Serialize;

use self::checklist::Checklist;
use self::description::Description;
use self::detectors::{Context, Detection, Evidence};
use self::project::Project;
use crate::error::{Error, Result};
use crate::report::{self, boxes, boxes::ReportBox, boxes::Week};

/// What a project's top folder has, looked for upward from the folder given, as git and
/// cargo look for theirs.
const ROOT_MARKERS: &[&str] = &[
    ".git",
    ".dayone.toml",
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    report::PATH,
];
/// Weaker signs (a `docs/` folder may hold its own requirements.txt): they make the folder
/// given a project when no folder above it has a root marker.
const FOLDER_MARKERS: &[&str] = &["requirements.txt", "environment.yml", "src"];

/// The project folder `dayone check` (or `dayone report`) works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub root: PathBuf,
    /// Set when the project was found above the folder given: that folder, and the marker
    /// that decided.
    pub found_above: Option<(PathBuf, &'static str)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Done,
    Open,
    Manual,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemResult {
    pub id: String,
    pub week: Week,
    pub module: Option<String>,
    pub label: String,
    pub status: Status,
    pub evidence: Vec<Evidence>,
    pub hint: Option<String>,
    /// The report's box for this item: ticked or not; `None` when there is no box.
    pub ticked: Option<bool>,
    /// What the group's report answers say about the item, for items files do not show: a
    /// weaker kind of evidence, never counted as done.
    pub report_says: Vec<Evidence>,
    /// 1-based line of the box in the report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub report_line: Option<usize>,
}

impl ItemResult {
    pub fn ticked_without_evidence(&self) -> bool {
        self.ticked == Some(true) && self.status == Status::Open
    }

    pub fn evidence_not_ticked(&self) -> bool {
        self.ticked == Some(false) && self.status == Status::Done
    }
}

/// A report box that matches no checklist item.
#[derive(Debug, Clone, Serialize)]
pub struct UnknownBox {
    pub line: usize,
    pub week: Week,
    pub module: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportSummary {
    pub path: String,
    pub boxes: usize,
    pub unknown: Vec<UnknownBox>,
    /// What keeps the report's boxes from being compared (e.g. none could be read);
    /// `--strict` fails on any.
    pub findings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckResult {
    pub project: PathBuf,
    pub items: Vec<ItemResult>,
    /// `None` when the project has no report.
    pub report: Option<ReportSummary>,
    /// The day-1 hand-in in the README, reported apart from the checklist items.
    pub description: Description,
    /// Files that could not be read as expected.
    pub notes: Vec<String>,
}

impl CheckResult {
    pub fn count(&self, week: Option<Week>, status: Status) -> usize {
        self.items
            .iter()
            .filter(|i| week.is_none_or(|w| i.week == w) && i.status == status)
            .count()
    }
}

/// The project `path` is in: the nearest folder from `path` upward with a root marker
/// (`.git`, `.dayone.toml`, `pyproject.toml` …), else `path` itself when it has a weaker one.
/// An error when there is none, so a typo does not print a checklist of nothing.
pub fn project_root(path: &Path) -> Result<Located> {
    let meta = match fs_err::metadata(path) {
        Ok(meta) => meta,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::PathMissing {
                path: path.to_path_buf(),
                expected: "pass the folder of a project, or run `dayone check` inside one",
            });
        }
        Err(err) => return Err(Error::Io(err)),
    };
    if !meta.is_dir() {
        return Err(Error::NotAProject {
            path: path.to_path_buf(),
            reason: "it is a file, not a folder".into(),
        });
    }
    // An unreadable folder is a permission problem, not a folder without a project in it.
    fs_err::read_dir(path)?;
    let has = |dir: &Path, markers: &[&'static str]| {
        markers.iter().copied().find(|m| dir.join(m).exists())
    };
    if has(path, ROOT_MARKERS).is_some() {
        return Ok(Located {
            root: path.to_path_buf(),
            found_above: None,
        });
    }
    let found = ancestors(path)?
        .into_iter()
        .find_map(|dir| has(&dir, ROOT_MARKERS).map(|marker| (dir, marker)));
    match found {
        Some((root, marker)) => Ok(Located {
            root,
            found_above: Some((path.to_path_buf(), marker)),
        }),
        None if has(path, FOLDER_MARKERS).is_some() => Ok(Located {
            root: path.to_path_buf(),
            found_above: None,
        }),
        None => Err(Error::NotAProject {
            path: path.to_path_buf(),
            reason: "neither it nor a folder above it has the files a project has".into(),
        }),
    }
}

/// The folders above `path`, nearest first, written the way `path` is: relative to the
/// current folder (`..`, `../..`) when `path` is relative, absolute otherwise.
fn ancestors(path: &Path) -> Result<Vec<PathBuf>> {
    let canonical = fs_err::canonicalize(path)?;
    let cwd = std::env::current_dir().map_err(Error::Io)?;
    let cwd = fs_err::canonicalize(&cwd).unwrap_or(cwd);
    Ok(canonical
        .ancestors()
        .skip(1)
        .map(|dir| {
            if path.is_absolute() {
                return dir.to_path_buf();
            }
            if let Ok(below) = dir.strip_prefix(&cwd) {
                return if below.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    below.to_path_buf()
                };
            }
            match cwd.strip_prefix(dir) {
                Ok(up) => up.components().map(|_| "..").collect(),
                Err(_) => dir.to_path_buf(),
            }
        })
        .collect())
}

/// Run every item's detector over the project at `root` and compare with its report.
pub fn run(root: &Path) -> Result<CheckResult> {
    let checklist = Checklist::embedded()?;
    let project = Project::scan(root)?;
    let context = Context::new(&project);
    let starters = starters::Starters::of(&project);
    let mut items: Vec<ItemResult> = checklist
        .items
        .iter()
        .map(|item| {
            let detection = detectors::detect(&item.detector, &context).ok_or_else(|| {
                Error::UnknownDetector {
                    name: item.detector.clone(),
                }
            })?;
            let detection = starters.discount(&item.id, detection, &context);
            let detection = context.report.weigh(&item.id, detection);
            let (status, evidence, hint) = match detection {
                Detection::Done(evidence) => (Status::Done, evidence, None),
                Detection::Open { hint, partial } => (Status::Open, partial, Some(hint)),
                Detection::Manual { hint, partial } => (Status::Manual, partial, Some(hint)),
            };
            let hint = hint.map(|hint| match starters.hint(&item.id) {
                Some(starter) => format!("{hint}; {starter}"),
                None => hint,
            });
            let report_says = if status == Status::Done {
                Vec::new()
            } else {
                context.report.says(&item.id)
            };
            Ok(ItemResult {
                report_says,
                id: item.id.clone(),
                week: item.week,
                module: item.module.clone(),
                label: item.label.clone(),
                status,
                evidence,
                hint,
                ticked: None,
                report_line: None,
            })
        })
        .collect::<Result<_>>()?;
    let mut notes = context.notes;
    notes.extend(project.skipped.notes());
    notes.extend(project.vendored.iter().map(vendored::Vendored::note));
    let report_path = root.join(report::PATH);
    let report = if report_path.is_file() {
        let text = report::read(&report_path)?.text;
        Some(compare(&checklist, &mut items, &boxes::parse(&text)))
    } else {
        None
    };
    Ok(CheckResult {
        project: root.to_path_buf(),
        items,
        report,
        description: Description::of(&project),
        notes,
    })
}

/// Record each item's box; collect the boxes no item claims.
fn compare(checklist: &Checklist, items: &mut [ItemResult], boxes: &[ReportBox]) -> ReportSummary {
    let matched = checklist.match_boxes(boxes.iter().map(|b| (b.week, b.module.as_deref())));
    let mut unknown = Vec::new();
    for (found, index) in boxes.iter().zip(matched) {
        match index {
            Some(index) => {
                items[index].ticked = Some(found.ticked);
                items[index].report_line = Some(found.line);
            }
            None => unknown.push(UnknownBox {
                line: found.line,
                week: found.week,
                module: found.module.clone(),
                text: found.text.clone(),
            }),
        }
    }
    let mut findings = Vec::new();
    if boxes.is_empty() {
        findings.push(format!(
            "{} has no checklist boxes under a \"Week 1\", \"Week 2\", \"Week 3\" or \"Extra\" heading, so no tick can be checked",
            report::PATH
        ));
    }
    ReportSummary {
        path: report::PATH.to_string(),
        boxes: boxes.len(),
        unknown,
        findings,
    }
}

/// Tick the report boxes of items that have evidence, never unticking anything. Returns the
/// ids of the items whose box was ticked; the file is replaced atomically, keeping its mode.
/// A report that is a symbolic link is written through, so the link stays a link.
pub fn fix_report(result: &mut CheckResult) -> Result<Vec<String>> {
    if result.report.is_none() {
        return Ok(Vec::new());
    }
    let path = result.project.join(report::PATH);
    let text = report::read(&path)?.text;
    let boxes = boxes::parse(&text);
    let lines: Vec<usize> = result
        .items
        .iter()
        .filter(|i| i.evidence_not_ticked())
        .filter_map(|i| i.report_line)
        .collect();
    let to_tick: Vec<&ReportBox> = boxes
        .iter()
        .filter(|b| !b.ticked && lines.contains(&b.line))
        .collect();
    if to_tick.is_empty() {
        return Ok(Vec::new());
    }
    let fixed = boxes::tick(&text, to_tick);
    let target = inside_project(&result.project, &path)?;
    if fs_err::metadata(&target)?.permissions().readonly() {
        return Err(Error::ReadOnly { path });
    }
    crate::write::replace_file(&target, fixed.as_bytes())?;
    let mut ticked = Vec::new();
    for item in result.items.iter_mut().filter(|i| i.evidence_not_ticked()) {
        item.ticked = Some(true);
        ticked.push(item.id.clone());
    }
    Ok(ticked)
}

/// The file `path` names, its links followed, when it is inside the project; a link out of
/// the project is refused, since `--fix-report` writes only the project's own files.
fn inside_project(project: &Path, path: &Path) -> Result<PathBuf> {
    let target = fs_err::canonicalize(path)?;
    if target.starts_with(fs_err::canonicalize(project)?) {
        Ok(target)
    } else {
        Err(Error::ReportLinkOutside {
            link: path.to_path_buf(),
            target,
        })
    }
}

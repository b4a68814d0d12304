//! `dayone report fetch`: the course's own exam report in place of the template's skeleton,
//! fetched like a template from git (cached, pinned by commit in `.dayone.toml`), and written
//! only over a report the group has not written in.

use std::path::{Path, PathBuf};

use super::Outcome;
use crate::answers::file::{AnswersFile, CourseReport};
use crate::cli::ReportFetchArgs;
use crate::error::{Error, Result, short};
use crate::git::Repo;
use crate::plan::PlannedFile;
use crate::printer::Printer;
use crate::project::course_report::report_path;
use crate::project::origin::{self, Wanted};
use crate::project::{Project, answers_path, base};
use crate::render::DayoneVars;
use crate::report::{self, COURSE_REPORT};
use crate::template::fetch::{self, Fetched, Policy};
use crate::template::reference::{Extras, GitLocation, TemplateRef};
use crate::write;

pub fn run(args: &ReportFetchArgs, printer: &Printer) -> Result<Outcome> {
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let _lock = super::claim(&root, false, printer)?;
    let project = Project::open(&root)?;
    let policy = super::policy(&args.network);
    let pinned = project.provenance.report.as_ref();
    let (location, at) = wanted(args.from.as_deref(), pinned, policy)?;
    let target = root.join(report::PATH);
    let fetched =
        fetch::fetch(&location, at.as_deref(), policy).map_err(|err| Error::ReportNotFetched {
            path: target.clone(),
            kept: if pinned.is_some() {
                ""
            } else {
                ": dayone's own skeleton, which says at its top that it is not the course's file"
            },
            source: Box::new(err),
        })?;
    super::say_fetch(printer, &fetched);
    let text = read_report(&fetched)?;
    let record = CourseReport {
        url: location.url.clone(),
        reference: location.reference.clone(),
        commit: fetched.commit.clone(),
        path: location.subdir.clone().unwrap_or_default(),
    };
    let current = match target.is_file() {
        true => Some(fs_err::read(&target)?),
        false => None,
    };
    let same_text = current.as_deref() == Some(text.as_bytes());
    if same_text && pinned == Some(&record) {
        printer.info(format!(
            "{} is already the course's report at commit {}; nothing to do.",
            target.display(),
            short(&record.commit)
        ));
        return Ok(Outcome::Clean);
    }
    if let Some(current) = current.as_deref().filter(|_| !same_text && !args.force)
        && let Some(why) = written_by_the_group(&project, current, policy)?
    {
        return Err(Error::ReportWritten { path: target, why });
    }
    let answers = fs_err::read_to_string(project.answers_file())?;
    let recorded = AnswersFile::with_course_report(&answers, &record).ok_or_else(|| {
        Error::CannotRecordReport {
            file: project.answers_file(),
            table: format!(
                "[dayone.report]\n{}",
                toml::to_string(&record).expect("plain values are TOML")
            ),
        }
    })?;
    let report_file = PlannedFile {
        contents: text.into_bytes().into(),
        executable: false,
    };
    let answers_file = PlannedFile {
        contents: recorded.into_bytes().into(),
        executable: false,
    };
    let (report_at, answers_at) = (report_path(), answers_path());
    let changes = [
        write::Change {
            path: &report_at,
            file: Some(&report_file),
        },
        write::Change {
            path: &answers_at,
            file: Some(&answers_file),
        },
    ];
    write::apply_changes(&root, &changes, &[], |_| Ok(()))?;
    printer.info(format!(
        "{} is now the course's report ({} at commit {}), and .dayone.toml pins that commit. \
         Commit both: git add {} .dayone.toml && git commit -m \"The course's exam report\"",
        target.display(),
        location.display(),
        short(&record.commit),
        report::PATH
    ));
    Ok(Outcome::Clean)
}

/// Which report, and at which commit: `--from` (its ref's commit now), else the one
/// `.dayone.toml` records (at the recorded commit, or its ref's newest with `--refresh`), else
/// the course's.
fn wanted(
    from: Option<&str>,
    pinned: Option<&CourseReport>,
    policy: Policy,
) -> Result<(GitLocation, Option<String>)> {
    if let (None, Some(pinned)) = (from, pinned) {
        let at = (!policy.refresh).then(|| pinned.commit.clone());
        return Ok((pinned.location(), at));
    }
    let given = from.unwrap_or(COURSE_REPORT);
    match TemplateRef::classify(given, Extras::default())? {
        TemplateRef::Git(location) if location.subdir.is_some() => Ok((location, None)),
        _ => Err(Error::TemplateAddress {
            given: given.to_string(),
            problem: "--from takes a git address with the report's path as #PATH, e.g. gh:OWNER/REPO#reports/README.md".into(),
        }),
    }
}

/// The fetched report's text: a UTF-8 file the graders' tool can read.
fn read_report(fetched: &Fetched) -> Result<String> {
    let path = fetched.path();
    let name = || {
        format!(
            "{} (commit {})",
            fetched.location.display(),
            short(&fetched.commit)
        )
    };
    if !path.is_file() {
        return Err(Error::NotAReport {
            path: PathBuf::from(name()),
            problem: "it is a folder, not a file; name the report file after #".into(),
        });
    }
    let bytes = fs_err::read(&path)?;
    let text = String::from_utf8(bytes).map_err(|e| Error::ReportNotUtf8 {
        path: PathBuf::from(name()),
        offset: e.utf8_error().valid_up_to(),
    })?;
    report::check::check(&text, &|_| report::images::Lookup::Missing { near: None }).map_err(
        |problem| Error::NotAReport {
            path: PathBuf::from(name()),
            problem,
        },
    )?;
    Ok(text)
}

/// Why the project's report (`current`) counts as the group's writing, or `None` when it is
/// still a text dayone put there: the course's report at the recorded commit, or the report
/// of the render `.dayone.toml` records.
fn written_by_the_group(
    project: &Project,
    current: &[u8],
    policy: Policy,
) -> Result<Option<String>> {
    if let Some(pinned) = &project.provenance.report {
        if let Ok(fetched) = fetch::fetch(&pinned.location(), Some(&pinned.commit), policy)
            && fs_err::read(fetched.path()).is_ok_and(|bytes| bytes == current)
        {
            return Ok(None);
        }
        return Ok(Some(format!(
            "it differs from the course's report at the recorded commit {}",
            short(&pinned.commit)
        )));
    }
    let Some(rendered) = template_report(project, policy)? else {
        return Ok(Some(
            "dayone cannot tell: the render .dayone.toml records is not at hand to compare with"
                .into(),
        ));
    };
    Ok((rendered != current).then(|| "it differs from the skeleton dayone wrote".to_string()))
}

/// The report of the render `.dayone.toml` records (the base an update merges from).
fn template_report(project: &Project, policy: Policy) -> Result<Option<Vec<u8>>> {
    let root: &Path = &project.root;
    let wanted = Wanted {
        policy,
        ..Wanted::default()
    };
    let Ok((template, _)) = origin::for_project(project, &wanted) else {
        return Ok(None);
    };
    let repo = Repo::at(root)?;
    let dayone = DayoneVars::for_project(&root.display().to_string(), repo.is_some());
    let recorded = || origin::recorded(&project.provenance, root, &project.answers_file(), policy);
    let found = base::find(project, &template, recorded, repo.as_ref(), &dayone)?;
    match found.plan.files.get(&report_path()) {
        Some(file) => Ok(Some(file.contents.read()?.into_owned())),
        None => Ok(None),
    }
}

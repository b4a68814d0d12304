//! The course's own exam report in a project. Once `dayone report fetch` put it in place and
//! `.dayone.toml` records it (`[dayone.report]`), `reports/README.md` is the course's file, not
//! the template's: an update leaves it out of both renders it merges, so the template's
//! skeleton is never merged into it, and the record alone is not taken for an edit of the
//! group's to `.dayone.toml`.

use super::{Project, answers_path, base::read_record};
use crate::error::Result;
use crate::plan::{Plan, PlannedFile, RelPath};
use crate::report;

/// `reports/README.md` as a path of a plan.
pub fn report_path() -> RelPath {
    let parts: Vec<String> = report::PATH.split('/').map(String::from).collect();
    RelPath::from_components(&parts).expect("a plain path")
}

/// For a project that records the course's report: the report out of `base` and `theirs`, and
/// the base's `.dayone.toml` taken as the project's when the two differ by that record only.
pub fn set_aside(project: &Project, base: &mut Plan, theirs: &mut Plan) -> Result<()> {
    let Some(recorded) = &project.provenance.report else {
        return Ok(());
    };
    base.files.remove(&report_path());
    theirs.files.remove(&report_path());
    let answers = answers_path();
    let Some(file) = base.files.get(&answers) else {
        return Ok(());
    };
    let Some(mut record) = read_record(&file.contents.read()?) else {
        return Ok(());
    };
    if let Some(dayone) = record.dayone.as_mut() {
        dayone.report = Some(recorded.clone());
    }
    if record == project.record() {
        let own = fs_err::read(project.answers_file())?;
        base.files.insert(
            answers,
            PlannedFile {
                contents: own.into(),
                executable: false,
            },
        );
    }
    Ok(())
}

//! The exam report, `reports/README.md`: find it, read it, check its answers the way the
//! graders' tool does, and render it as one HTML page.

pub mod boxes;
pub mod check;
pub mod findings;
#[cfg(test)]
mod fixture;
pub mod html;
pub mod images;
pub mod limits;
pub mod parse;
pub mod structure;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Where a project keeps its report: the one name for that path, relative to the project
/// folder and `/`-separated (the hand-in folder, then the report's file name).
pub const PATH: &str = "reports/README.md";
/// The hand-in folder, the first part of [`PATH`], where the report's figures resolve from.
pub const REPORTS_DIR: &str = "reports";

/// Where the course keeps its own exam report: `reports/README.md` of the DTU 02476 course
/// repository, on its default branch, written as `--template` takes a git address (the file
/// is the `#PATH`). `dayone report fetch` takes it from there; dayone never ships its text.
/// If the course moves its report, this is the one line to change.
pub const COURSE_REPORT: &str = "gh:SkafteNicki/dtu_mlops#reports/README.md";

/// A report read from disk.
#[derive(Debug, Clone)]
pub struct Report {
    pub path: PathBuf,
    pub text: String,
}

impl Report {
    /// The folder image links are relative to.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }
}

/// Find the report from what the user passed: a project folder, its `reports/` folder or
/// the file itself; nothing means the current folder.
pub fn locate(path: Option<&Path>) -> Result<PathBuf> {
    let given = path.unwrap_or(Path::new("."));
    if !given.exists() {
        return Err(Error::PathMissing {
            path: given.to_path_buf(),
            expected: "pass a project folder, its reports/ folder or the report file",
        });
    }
    if given.is_file() {
        return Ok(given.to_path_buf());
    }
    // Paths below the current folder are shown without a leading `./`.
    let below = |relative: &Path| match path {
        Some(dir) => dir.join(relative),
        None => relative.to_path_buf(),
    };
    let file = &PATH[REPORTS_DIR.len() + 1..];
    let in_project = below(Path::new(PATH));
    if in_project.is_file() {
        return Ok(in_project);
    }
    let in_reports = below(Path::new(file));
    let is_reports_dir = given
        .canonicalize()
        .ok()
        .and_then(|p| p.file_name().map(|n| n == REPORTS_DIR))
        .unwrap_or(false);
    if is_reports_dir && in_reports.is_file() {
        return Ok(in_reports);
    }
    Err(Error::NoReport {
        path: given.to_path_buf(),
        expected: if is_reports_dir {
            in_reports
        } else {
            in_project
        },
    })
}

/// Read the report, insisting on UTF-8 so every count is over the text the graders see.
pub fn read(path: &Path) -> Result<Report> {
    let bytes = fs_err::read(path)?;
    let text = String::from_utf8(bytes).map_err(|err| Error::ReportNotUtf8 {
        path: path.to_path_buf(),
        offset: err.utf8_error().valid_up_to(),
    })?;
    Ok(Report {
        path: path.to_path_buf(),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_path_is_in_the_hand_in_folder() {
        assert_eq!(Path::new(PATH).parent(), Some(Path::new(REPORTS_DIR)));
    }

    #[test]
    fn locates_from_project_reports_folder_or_file() {
        let root = tempfile::tempdir().unwrap();
        let reports = root.path().join("reports");
        fs_err::create_dir_all(&reports).unwrap();
        let file = reports.join("README.md");
        fs_err::write(&file, "Answer:").unwrap();
        assert_eq!(locate(Some(root.path())).unwrap(), file);
        assert_eq!(locate(Some(&reports)).unwrap(), file);
        assert_eq!(locate(Some(&file)).unwrap(), file);
    }

    #[test]
    fn a_folder_without_a_report_names_what_was_expected() {
        let root = tempfile::tempdir().unwrap();
        fs_err::write(root.path().join("README.md"), "not the report").unwrap();
        match locate(Some(root.path())) {
            Err(Error::NoReport { expected, .. }) => {
                assert_eq!(expected, root.path().join("reports").join("README.md"));
            }
            other => panic!("expected NoReport, got {other:?}"),
        }
        let missing = root.path().join("nope");
        assert!(matches!(
            locate(Some(&missing)),
            Err(Error::PathMissing { .. })
        ));
    }

    #[test]
    fn non_utf8_names_the_byte_offset() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("README.md");
        fs_err::write(&file, b"Answer: ok \xff\xfe rest").unwrap();
        match read(&file) {
            Err(err @ Error::ReportNotUtf8 { offset: 11, .. }) => {
                assert_eq!(err.exit(), crate::error::Exit::BadInput);
                assert!(err.to_string().contains("README.md"));
            }
            other => panic!("expected ReportNotUtf8 at 11, got {other:?}"),
        }
    }
}

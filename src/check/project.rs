//! A read-once snapshot of the files `dayone check` looks at: every path the bounded walk
//! lists ([`walk`](super::walk)), the text of the files it read, and the git repository the
//! project is in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::course_figures::{self, COURSE_FIGURES, CourseFigure};
use super::vendored::{self, Vendored};
use super::walk::{self, Limits, Skipped};
use crate::answers::file::{ANSWERS_FILE, AnswersFile};
use crate::error::{Error, Result};

/// The snapshot: every listed path (relative, `/`-separated) and the text of the readable ones.
#[derive(Debug, Default)]
pub struct Project {
    pub root: PathBuf,
    files: BTreeMap<String, Option<String>>,
    pub git: Option<GitInfo>,
    /// What the walk left out of a large project.
    pub skipped: Skipped,
    /// Folders of copied third-party code, left out of the snapshot: never evidence.
    pub vendored: Vec<Vendored>,
    /// The course's example figures to recognise ([`course_figures`]).
    pub course_figures: Vec<CourseFigure>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitInfo {
    /// Where the repository's `.git` is, relative to the project when inside it.
    pub location: String,
    /// `(name, url)` of each remote in the repository's config.
    pub remotes: Vec<(String, String)>,
}

impl Project {
    /// Build a snapshot from already-known entries: `(relative path, text if read)`. Copied
    /// third-party code among them is set aside (see [`vendored`](super::vendored)).
    pub fn from_entries(
        root: PathBuf,
        entries: impl IntoIterator<Item = (String, Option<String>)>,
        git: Option<GitInfo>,
    ) -> Self {
        let mut files: BTreeMap<String, Option<String>> = entries.into_iter().collect();
        let vendored = vendored::find(&files);
        files.retain(|path, _| !vendored.iter().any(|v| v.holds(path)));
        Self {
            root,
            files,
            git,
            skipped: Skipped::default(),
            vendored,
            course_figures: COURSE_FIGURES.to_vec(),
        }
    }

    /// Walk `root` once and read the files detectors need.
    pub fn scan(root: &Path) -> Result<Self> {
        Self::scan_within(root, Limits::DEFAULT)
    }

    /// [`scan`](Self::scan) with other limits on how much is listed and read.
    pub fn scan_within(root: &Path, limits: Limits) -> Result<Self> {
        let (entries, skipped) = walk::walk(root, limits);
        let mut project = Self::from_entries(root.to_path_buf(), entries, git_info(root)?);
        project.skipped = skipped;
        Ok(project)
    }

    /// Every listed path, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    pub fn exists(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// True when some listed file lives below `dir/`.
    pub fn has_dir(&self, dir: &str) -> bool {
        let prefix = format!("{}/", dir.trim_end_matches('/'));
        self.files
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(path, _)| path.starts_with(&prefix))
    }

    /// The text of a file that was read.
    pub fn text(&self, path: &str) -> Option<&str> {
        self.files.get(path).and_then(|t| t.as_deref())
    }

    /// Every read file whose path satisfies `pred`, with its text.
    pub fn texts(&self, pred: impl Fn(&str) -> bool) -> impl Iterator<Item = (&str, &str)> {
        self.files
            .iter()
            .filter(move |(path, _)| pred(path))
            .filter_map(|(path, text)| Some((path.as_str(), text.as_deref()?)))
    }

    /// What the project's `.dayone.toml` records, when it has one that dayone can read.
    pub fn dayone_record(&self) -> Option<AnswersFile> {
        AnswersFile::parse(ANSWERS_FILE, self.text(ANSWERS_FILE)?).ok()
    }

    /// The course's example figure the file at `path` is, if it is one: read from disk, and
    /// only when its size is one of theirs.
    pub fn course_figure(&self, path: &str) -> Option<&CourseFigure> {
        course_figures::identify(&self.root.join(path), &self.course_figures)
    }

    /// Python files, with their text.
    pub fn python_files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.texts(|p| p.ends_with(".py"))
    }
}

/// Find the git repository the project is in: `.git` in the project or one of its parents.
/// A worktree's `.git` file is followed to the shared config so its remotes are seen.
fn git_info(root: &Path) -> Result<Option<GitInfo>> {
    let root = fs_err::canonicalize(root).map_err(Error::Io)?;
    for dir in root.ancestors() {
        let dot_git = dir.join(".git");
        let Ok(meta) = fs_err::metadata(&dot_git) else {
            continue;
        };
        let git_dir = if meta.is_dir() {
            dot_git.clone()
        } else {
            let pointer = fs_err::read_to_string(&dot_git).unwrap_or_default();
            match pointer.trim().strip_prefix("gitdir:") {
                Some(target) => dir.join(target.trim()),
                None => continue,
            }
        };
        let common = fs_err::read_to_string(git_dir.join("commondir"))
            .map(|c| git_dir.join(c.trim()))
            .unwrap_or(git_dir);
        let config = fs_err::read_to_string(common.join("config")).unwrap_or_default();
        let location = match dot_git.strip_prefix(&root) {
            Ok(relative) => relative.display().to_string(),
            Err(_) => dot_git.display().to_string(),
        };
        return Ok(Some(GitInfo {
            location,
            remotes: super::ini::remotes(&config),
        }));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_skips_data_venv_and_ignored_files_but_reads_hidden_config() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, text) in [
            ("src/pkg/__init__.py", ""),
            ("data/raw/huge.csv", "a,b\n"),
            ("data/raw/deep/more.dvc", "outs: []\n"),
            ("data/raw.dvc", "outs:\n- path: raw\n"),
            ("data/processed/images.dvc", "outs:\n- path: images\n"),
            // `dvc init` inside data/: its config is read, its cache never.
            ("data/.dvc/config", "[core]\n"),
            ("data/.dvc/cache/ab/cdef", "blob"),
            (".venv/lib/site.py", "import os\n"),
            ("ignored/secret.py", "x = 1\n"),
            (".gitignore", "ignored/\n"),
            (".github/workflows/tests.yaml", "on: push\n"),
            (".dvc/config", "[core]\n"),
            (".dvc/cache/ab/cdef", "blob"),
            ("models/model.pt", "\0\0"),
        ] {
            let path = root.join(path);
            fs_err::create_dir_all(path.parent().unwrap()).unwrap();
            fs_err::write(path, text).unwrap();
        }
        let project = Project::scan(root).unwrap();
        let paths: Vec<_> = project.paths().collect();
        assert_eq!(
            paths,
            [
                ".dvc/config",
                ".github/workflows/tests.yaml",
                ".gitignore",
                "data/.dvc/config",
                "data/processed/images.dvc",
                "data/raw.dvc",
                "models/model.pt",
                "src/pkg/__init__.py"
            ]
        );
        assert_eq!(
            project.text(".github/workflows/tests.yaml"),
            Some("on: push\n")
        );
        assert_eq!(project.text("models/model.pt"), None);
        assert!(project.has_dir("src/pkg"));
        assert!(!project.has_dir("src/pk"));
    }
}

//! A read-once snapshot of the files `dayone check` looks at.
//!
//! One bounded walk lists the project's paths, honouring `.gitignore` (also outside a git
//! repository) and never entering `.git/`, virtual environments, `node_modules/`, caches or
//! DVC's cache; below `data/` it looks only for DVC pointer files, two levels deep. Only files a detector can use (Python, TOML, YAML, Dockerfiles, DVC
//! pointers, build scripts…) of at most 1 MiB are read, once; everything else is only listed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ignore::WalkBuilder;

use crate::error::{Error, Result};

/// Folders never entered, at any depth: tool state, environments, caches.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".venv",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".tox",
    ".nox",
    "site-packages",
    ".ipynb_checkpoints",
];
/// The data folder at the project root: only its DVC pointer files are listed.
const DATA_DIR: &str = "data";
/// Folders never entered at the project root: environments and run outputs. Deeper down
/// these names can be the group's own packages (`src/pkg/env/`).
const SKIPPED_ROOT_DIRS: &[&str] = &[
    "venv",
    "env",
    "wandb",
    "outputs",
    "multirun",
    "lightning_logs",
];
/// Below `.dvc/` only the config is of interest.
const SKIPPED_DVC_DIRS: &[&str] = &["cache", "tmp"];
const MAX_READ_BYTES: u64 = 1024 * 1024;
const MAX_DEPTH: usize = 12;
/// A walk stops listing after this many files, so a huge tree cannot stall the command.
const MAX_FILES: usize = 20_000;

/// The snapshot: every listed path (relative, `/`-separated) and the text of the readable ones.
#[derive(Debug, Default)]
pub struct Project {
    pub root: PathBuf,
    files: BTreeMap<String, Option<String>>,
    pub git: Option<GitInfo>,
    /// True when the walk stopped at `MAX_FILES`.
    pub truncated: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitInfo {
    /// Where the repository's `.git` is, relative to the project when inside it.
    pub location: String,
    /// `(name, url)` of each remote in the repository's config.
    pub remotes: Vec<(String, String)>,
}

impl Project {
    /// Build a snapshot from already-known entries: `(relative path, text if read)`.
    pub fn from_entries(
        root: PathBuf,
        entries: impl IntoIterator<Item = (String, Option<String>)>,
        git: Option<GitInfo>,
    ) -> Self {
        Self {
            root,
            files: entries.into_iter().collect(),
            git,
            truncated: false,
        }
    }

    /// Walk `root` once and read the files detectors need.
    pub fn scan(root: &Path) -> Result<Self> {
        let mut entries = Vec::new();
        let mut truncated = false;
        let walk_root = root.to_path_buf();
        let walker = WalkBuilder::new(root)
            .hidden(false)
            .require_git(false)
            .git_global(false)
            .max_depth(Some(MAX_DEPTH))
            .follow_links(false)
            .filter_entry(move |entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                if entry.depth() == 0 {
                    return true;
                }
                let relative = entry
                    .path()
                    .strip_prefix(&walk_root)
                    .unwrap_or(entry.path());
                let mut parts = relative.components().map(|c| c.as_os_str());
                let top = parts.next().unwrap_or_default();
                if top == DATA_DIR {
                    // Only DVC pointer files, which sit next to what they track
                    // (`data/raw.dvc`, `data/raw/images.dvc`); the data itself is never read.
                    return if is_dir {
                        entry.depth() <= 2
                    } else {
                        entry.file_name().to_string_lossy().ends_with(".dvc")
                    };
                }
                if !is_dir {
                    return true;
                }
                let name = entry.file_name().to_string_lossy();
                let name = name.as_ref();
                let in_dvc = top == ".dvc" && entry.depth() == 2;
                !(SKIPPED_DIRS.contains(&name)
                    || entry.depth() == 1 && SKIPPED_ROOT_DIRS.contains(&name)
                    || in_dvc && SKIPPED_DVC_DIRS.contains(&name))
            })
            .build();
        for entry in walker {
            // An unreadable entry is left out: the checklist reports what it can see.
            let Ok(entry) = entry else { continue };
            if !entry.file_type().is_some_and(|t| t.is_file()) {
                continue;
            }
            if entries.len() >= MAX_FILES {
                truncated = true;
                break;
            }
            let Ok(relative) = entry.path().strip_prefix(root) else {
                continue;
            };
            let relative = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            let small = entry.metadata().is_ok_and(|m| m.len() <= MAX_READ_BYTES);
            let text = if small && is_readable_kind(&relative) {
                // Binary or non-UTF-8 files are listed without text.
                fs_err::read(entry.path())
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
            } else {
                None
            };
            entries.push((relative, text));
        }
        let mut project = Self::from_entries(root.to_path_buf(), entries, git_info(root)?);
        project.truncated = truncated;
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

    /// Python files, with their text.
    pub fn python_files(&self) -> impl Iterator<Item = (&str, &str)> {
        self.texts(|p| p.ends_with(".py"))
    }
}

/// The last path component.
pub fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn is_readable_kind(path: &str) -> bool {
    let name = file_name(path).to_ascii_lowercase();
    const EXTENSIONS: &[&str] = &[
        ".py",
        ".toml",
        ".yaml",
        ".yml",
        ".cfg",
        ".ini",
        ".txt",
        ".dvc",
        ".lock",
        ".sh",
        ".json",
        ".tf",
        ".dockerfile",
        ".md",
    ];
    const NAMES: &[&str] = &[
        "dockerfile",
        "makefile",
        "justfile",
        "config",
        ".python-version",
        ".flake8",
        ".coveragerc",
        ".pylintrc",
        "procfile",
    ];
    // `uv.lock` and friends are only looked at by name; their text is not needed.
    !name.ends_with(".lock")
        && (EXTENSIONS.iter().any(|ext| name.ends_with(ext))
            || NAMES.contains(&name.as_str())
            || name.starts_with("dockerfile."))
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

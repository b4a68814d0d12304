//! The bounded walk behind a project snapshot: which paths are listed, in what order, and
//! which files are read when a repository is too large to read whole.
//!
//! The walk honours `.gitignore` (also outside a git repository) and never enters `.git/`,
//! virtual environments, `node_modules/`, caches or DVC's cache; below `data/` it lists only
//! DVC pointer files, two levels deep, and the config of a DVC set up in `data/`. It runs top-down: the project's top-level entries are
//! walked files first, then the usual folders (`.github/`, `configs/`, `src/` …), then the
//! rest by name, so a stop at [`Limits::listed`] loses the least telling part. Every listed
//! file that a detector can use (Python, TOML, YAML, Dockerfiles, DVC pointers, build
//! scripts…, at most 1 MiB) is a candidate for reading; when there are more than
//! [`Limits::read`], the ones read are the top-level files, then the usual folders', then the
//! shallowest. What was left out is recorded in [`Skipped`], so the output can say so.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ignore::{DirEntry, WalkBuilder};

use crate::check::filename::file_name;
use crate::check::plural;

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
/// Top-level folders where the evidence usually is, walked and read before any other.
const USUAL_DIRS: &[&str] = &[
    ".github",
    ".dvc",
    ".devcontainer",
    "configs",
    "config",
    "conf",
    "dockerfiles",
    "docker",
    "reports",
    "docs",
    "tests",
    "src",
];
const MAX_READ_BYTES: u64 = 1024 * 1024;
const MAX_DEPTH: usize = 12;

/// How much of a project one check looks at, so a huge tree cannot stall the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Files listed before the walk stops.
    pub listed: usize,
    /// Files read (and parsed) at most.
    pub read: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl Limits {
    /// Measured on a 50,000-file repository (`scripts/bench.py`): well under a second.
    pub const DEFAULT: Limits = Limits {
        listed: 200_000,
        read: 20_000,
    };
}

/// What a bounded walk left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Skipped {
    /// The limits the walk ran within.
    pub limits: Limits,
    /// Files listed.
    pub listed: usize,
    /// Set when the walk stopped at [`Limits::listed`]: the top-level entry it was in, and
    /// the top-level entries after it, never entered.
    pub stopped_in: Option<String>,
    pub not_entered: Vec<String>,
    /// Files that could hold evidence but were not read, per top-level folder.
    pub unread: Vec<(String, usize)>,
    /// Folders and files the walk could not open, with why (permissions, most often).
    pub unreadable: Vec<String>,
}

impl Skipped {
    /// One line per kind of cut, for the notes; none when nothing was left out.
    pub fn notes(&self) -> Vec<String> {
        let limits = self.limits;
        let mut notes = Vec::new();
        if let Some(stopped) = &self.stopped_in {
            let mut note = format!(
                "the project has more than {} files: the walk stopped inside {stopped}",
                thousands(limits.listed)
            );
            if !self.not_entered.is_empty() {
                note.push_str(&format!(
                    ", and never entered {}",
                    self.not_entered.join(", ")
                ));
            }
            notes.push(note);
        }
        if !self.unread.is_empty() {
            let total: usize = self.unread.iter().map(|(_, n)| n).sum();
            let places: Vec<String> = self
                .unread
                .iter()
                .map(|(folder, n)| format!("{} in {folder}", thousands(*n)))
                .collect();
            notes.push(format!(
                "only {} of the project's files were read (top-level files and the usual folders first, then the shallowest); not read: {} {} ({})",
                thousands(limits.read),
                thousands(total),
                plural::word(total, "file", "files"),
                places.join(", ")
            ));
        }
        if !self.unreadable.is_empty() {
            notes.push(format!(
                "could not read {}; what is in there counts for nothing, so fix its permissions and check again",
                self.unreadable.join(", ")
            ));
        }
        notes
    }
}

/// `20000` as `20,000`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A listed file: its relative `/` path, where it is, and whether it may be read.
struct Listed {
    relative: String,
    path: PathBuf,
    readable: bool,
}

/// Walk `root` within `limits`: every listed path with its text when it was read.
pub fn walk(root: &Path, limits: Limits) -> (Vec<(String, Option<String>)>, Skipped) {
    let (listed, mut skipped) = list(root, limits.listed);
    skipped.limits = limits;
    let mut order: Vec<usize> = (0..listed.len()).filter(|&i| listed[i].readable).collect();
    order.sort_by_cached_key(|&i| read_rank(&listed[i].relative));
    let mut read = vec![false; listed.len()];
    let mut unread: BTreeMap<String, usize> = BTreeMap::new();
    for (n, &i) in order.iter().enumerate() {
        if n < limits.read {
            read[i] = true;
        } else {
            *unread.entry(top_folder(&listed[i].relative)).or_default() += 1;
        }
    }
    skipped.unread = unread.into_iter().collect();
    skipped
        .unread
        .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let texts = read_all(&listed, &read);
    let files = listed
        .into_iter()
        .zip(texts)
        .map(|(file, text)| (file.relative, text))
        .collect();
    (files, skipped)
}

/// The text of each listed file marked in `read`, read on a few threads: on a large tree
/// reading is most of the work, and each file is independent.
fn read_all(listed: &[Listed], read: &[bool]) -> Vec<Option<String>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let chunk = listed.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = listed
            .chunks(chunk)
            .zip(read.chunks(chunk))
            .map(|(files, read)| {
                scope.spawn(move || {
                    files
                        .iter()
                        .zip(read)
                        .map(|(file, &read)| read.then(|| read_small(&file.path)).flatten())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a reading thread does not panic"))
            .collect()
    })
}

/// The text of a file of at most [`MAX_READ_BYTES`]; `None` when it is larger, binary or not
/// UTF-8 (such files are listed without text), or cannot be read. Reading up to the limit
/// spares a `stat` per file, which on a large tree costs as much as the walk.
fn read_small(path: &Path) -> Option<String> {
    use std::io::Read;
    let file = fs_err::File::open(path).ok()?;
    let mut bytes = Vec::new();
    file.take(MAX_READ_BYTES + 1).read_to_end(&mut bytes).ok()?;
    if bytes.len() as u64 > MAX_READ_BYTES {
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// Which readable files come first: top-level files, the usual folders, then by depth.
fn read_rank(relative: &str) -> (u8, usize, String) {
    let depth = relative.matches('/').count();
    let class = match relative.split_once('/') {
        None => 0,
        Some((top, _)) if USUAL_DIRS.contains(&top) => 1,
        Some(_) => 2,
    };
    (class, depth, relative.to_string())
}

fn top_folder(relative: &str) -> String {
    relative
        .split_once('/')
        .map_or_else(|| ".".to_string(), |(top, _)| format!("{top}/"))
}

/// List the files below `root`, top-down, stopping after `max` files.
fn list(root: &Path, max: usize) -> (Vec<Listed>, Skipped) {
    let mut listed = Vec::new();
    let mut skipped = Skipped::default();
    for entry in walker(root, None) {
        // An unreadable entry is left out, and said: the checklist reports what it can see.
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                skipped.unreadable.push(unreadable(root, &err));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(root) else {
            continue;
        };
        let relative = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        if listed.len() >= max {
            let top = relative.split('/').next().unwrap_or_default().to_string();
            skipped.not_entered = top_level_after(root, &top);
            skipped.stopped_in = Some(top_folder(&relative));
            break;
        }
        listed.push(Listed {
            readable: is_readable_kind(&relative),
            path: entry.into_path(),
            relative,
        });
    }
    skipped.listed = listed.len();
    (listed, skipped)
}

/// What the walk could not open, relative to the project, with the reason.
fn unreadable(root: &Path, err: &ignore::Error) -> String {
    let mut path = None;
    let mut current = err;
    loop {
        match current {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(p.clone());
                current = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                current = err;
            }
            _ => break,
        }
    }
    let shown = path
        .as_deref()
        .map(|p| p.strip_prefix(root).unwrap_or(p).display().to_string())
        .unwrap_or_else(|| "a folder".to_string());
    let why = current
        .io_error()
        .map_or_else(|| current.to_string(), |io| io.kind().to_string());
    format!("{shown} ({why})")
}

/// The top-level entries the walk reaches after `top`, in walk order.
fn top_level_after(root: &Path, top: &str) -> Vec<String> {
    let names: Vec<String> = walker(root, Some(1))
        .filter_map(Result::ok)
        .filter(|e| e.depth() == 1)
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if e.file_type().is_some_and(|t| t.is_dir()) {
                format!("{name}/")
            } else {
                name
            }
        })
        .collect();
    let after = names
        .iter()
        .position(|n| n.trim_end_matches('/') == top)
        .map_or(0, |i| i + 1);
    names[after..].to_vec()
}

/// The walk over `root`: ignore files honoured, skipped folders never entered, entries in
/// [`walk_order`].
fn walker(root: &Path, max_depth: Option<usize>) -> ignore::Walk {
    let walk_root = root.to_path_buf();
    let sort_root = root.to_path_buf();
    WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .git_global(false)
        .max_depth(max_depth.or(Some(MAX_DEPTH)))
        .follow_links(false)
        .sort_by_file_path(move |a, b| walk_order(&sort_root, a, b))
        .filter_entry(move |entry| keep(&walk_root, entry))
        .build()
}

/// Top-level files first, then the usual folders in their order, then the rest by name;
/// deeper down, by name.
fn walk_order(root: &Path, a: &Path, b: &Path) -> Ordering {
    let at_top = |p: &Path| p.parent() == Some(root);
    if !(at_top(a) && at_top(b)) {
        return a.cmp(b);
    }
    let rank = |p: &Path| {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let usual = USUAL_DIRS.iter().position(|d| *d == name);
        (p.is_dir(), usual.unwrap_or(USUAL_DIRS.len()))
    };
    rank(a).cmp(&rank(b)).then_with(|| a.cmp(b))
}

/// Whether the walk goes into (or lists) an entry.
fn keep(root: &Path, entry: &DirEntry) -> bool {
    let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
    if entry.depth() == 0 {
        return true;
    }
    let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
    let top = relative
        .components()
        .next()
        .map(|c| c.as_os_str())
        .unwrap_or_default();
    if top == DATA_DIR {
        // Only DVC's files: pointer files, which sit next to what they track (`data/raw.dvc`,
        // `data/raw/images.dvc`), and the config of a DVC set up inside `data/`
        // (`data/.dvc/config`); the data itself is never read.
        return if is_dir {
            entry.depth() <= 2
        } else {
            entry.file_name().to_string_lossy().ends_with(".dvc")
                || relative == Path::new(DATA_DIR).join(".dvc").join("config")
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
        ".rst",
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
    // Lock files are only looked at by name, but for `uv.lock`, whose root project's
    // requirements are compared with pyproject.toml.
    (!name.ends_with(".lock") || name == "uv.lock")
        && (EXTENSIONS.iter().any(|ext| name.ends_with(ext))
            || NAMES.contains(&name.as_str())
            || name.starts_with("dockerfile."))
}

#[cfg(test)]
mod tests;

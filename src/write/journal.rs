//! What a write in progress records so that a killed run can be taken back by the next one.
//!
//! Before a run stages anything it writes `.dayone-staging-XXXX.journal` beside its staging
//! folder and keeps the file locked while it runs. The journal says where the project goes, how
//! (a new folder renamed into place, an empty folder filled, or files changed in place), which
//! folders the run may create, and for changes in place which files it replaces. Two empty
//! marker files beside it say how far it got: `.moving` (an empty folder is being filled) and
//! `.done` (the project is in place; only cleaning up is left). The next run for the same
//! destination finds an unlocked journal and either finishes (filling an empty folder, or
//! cleaning up after `.done`) or undoes what the journal describes, and says so in one line.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Result;

pub(super) const PREFIX: &str = ".dayone-staging-";
const SUFFIX: &str = ".journal";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Kind {
    /// A new folder: the staging folder is renamed to the destination.
    New,
    /// An empty folder: the staged entries are moved in.
    Fill,
    /// A folder with files: staged files are swapped in, replaced ones kept in `backup`.
    InPlace,
}

/// One path changed in place.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Entry {
    pub path: String,
    /// Whether a file was at `path` before (it is moved into the backup folder first).
    pub had_file: bool,
    /// Whether a new file is put at `path` (else the path is only removed).
    pub writes: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Record {
    pub destination: PathBuf,
    pub kind: Kind,
    pub stage: PathBuf,
    /// Folders missing when the run started that it may create, outermost first.
    #[serde(default)]
    pub creates: Vec<PathBuf>,
    #[serde(default)]
    pub changes: Vec<Entry>,
    /// Paths (relative to the destination) that `finish` may change beyond the files: copies
    /// are kept in `backup/.dayone-guarded/N`, or none when nothing was there.
    #[serde(default)]
    pub guarded: Vec<String>,
}

/// The journal of the running write, locked for as long as it lives.
pub(super) struct Journal {
    path: PathBuf,
    pub record: Record,
    _lock: std::fs::File,
}

impl Journal {
    /// Create a journal with a fresh name in `parent`, lock it, and write the record that
    /// `record` makes for the staging folder that name gives (which does not exist yet).
    /// Returns the journal and that staging folder's path.
    pub fn begin(parent: &Path, record: impl FnOnce(&Path) -> Record) -> Result<(Self, PathBuf)> {
        let cannot = |source| crate::error::Error::CannotWrite {
            dir: parent.to_path_buf(),
            source,
        };
        let (mut file, path) = tempfile::Builder::new()
            .prefix(PREFIX)
            .suffix(SUFFIX)
            .tempfile_in(parent)
            .map_err(cannot)?
            .keep()
            .map_err(|e| cannot(e.error))?;
        file.lock()?;
        let stage = stage_of(&path);
        let record = record(&stage);
        let text = toml::to_string(&record).expect("paths and flags are TOML");
        std::io::Write::write_all(&mut file, text.as_bytes())?;
        file.sync_all()?;
        let journal = Self {
            path,
            record,
            _lock: file,
        };
        Ok((journal, stage))
    }

    /// Mark how far the run got (`moving`, `done`).
    pub fn mark(&self, step: &str) -> Result<()> {
        fs_err::File::create(marker(&self.path, step))?;
        Ok(())
    }

    /// The run is over: remove the journal and its markers.
    pub fn end(self) {
        for step in ["moving", "done"] {
            let _ = fs_err::remove_file(marker(&self.path, step));
        }
        let _ = fs_err::remove_file(&self.path);
    }
}

/// The staging folder a journal belongs to: its path without the suffix.
pub(super) fn stage_of(journal: &Path) -> PathBuf {
    let name = journal.file_name().unwrap_or_default().to_string_lossy();
    journal.with_file_name(name.strip_suffix(SUFFIX).unwrap_or(&name))
}

/// The backup folder of a staging folder, beside it.
pub(super) fn backup_of(stage: &Path) -> PathBuf {
    let mut name = stage.file_name().unwrap_or_default().to_os_string();
    name.push(".backup");
    stage.with_file_name(name)
}

/// Where the copy of the `n`th guarded path goes, and the marker that says nothing was there.
pub(super) fn guarded_copy(backup: &Path, n: usize) -> (PathBuf, PathBuf) {
    let folder = backup.join(".dayone-guarded");
    (
        folder.join(n.to_string()),
        folder.join(format!("{n}.absent")),
    )
}

/// Copy each guarded path (file or folder) into the backup folder, or mark it absent.
pub(super) fn save_guarded(dest: &Path, backup: &Path, guarded: &[&str]) -> Result<()> {
    for (n, relative) in guarded.iter().enumerate() {
        let (copy, absent) = guarded_copy(backup, n);
        fs_err::create_dir_all(copy.parent().expect("below the backup folder"))?;
        let original = dest.join(relative);
        if original.is_dir() {
            copy_folder(&original, &copy)?;
        } else if original.symlink_metadata().is_ok() {
            fs_err::copy(&original, &copy)?;
        } else {
            fs_err::File::create(&absent)?;
        }
    }
    Ok(())
}

fn copy_folder(from: &Path, to: &Path) -> Result<()> {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(|e| crate::error::Error::Io(e.into()))?;
        let target = to.join(entry.path().strip_prefix(from).expect("below the root"));
        if entry.file_type().is_dir() {
            fs_err::create_dir_all(&target)?;
        } else {
            fs_err::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

fn marker(journal: &Path, step: &str) -> PathBuf {
    let mut name = journal.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{step}"));
    journal.with_file_name(name)
}

/// What a killed run left for `destination`, in the folders where a run stages (`places`):
/// each unlocked journal naming it, parsed. Locked ones belong to a run still going.
pub(super) fn left_behind(
    destination: &Path,
    places: &[PathBuf],
) -> Vec<(PathBuf, Option<Record>)> {
    let mut found = Vec::new();
    for place in places {
        let Ok(entries) = fs_err::read_dir(place) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !(name.starts_with(PREFIX) && name.ends_with(SUFFIX)) {
                continue;
            }
            let path = entry.path();
            let Ok(file) = fs_err::File::open(&path) else {
                continue;
            };
            if file.file().try_lock().is_err() {
                continue;
            }
            let record = fs_err::read_to_string(&path)
                .ok()
                .and_then(|text| toml::from_str::<Record>(&text).ok());
            match &record {
                Some(r) if r.destination != destination => continue,
                _ => found.push((path, record)),
            }
        }
    }
    found
}

/// Staging and backup folders in `places` that no journal owns: what a dayone before journals
/// left behind when it was killed.
pub(super) fn orphans(places: &[PathBuf]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for place in places {
        for entry in fs_err::read_dir(place).into_iter().flatten().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let base = name.strip_suffix(".backup").unwrap_or(&name);
            let ours = name.starts_with(PREFIX) || name.starts_with(".dayone-backup-");
            let journal_kind = [SUFFIX, ".moving", ".done"]
                .iter()
                .any(|s| name.ends_with(s));
            if ours && !journal_kind && !place.join(format!("{base}{SUFFIX}")).exists() {
                found.push(entry.path());
            }
        }
    }
    found
}

/// Whether the run of this journal got as far as `step`.
pub(super) fn reached(journal: &Path, step: &str) -> bool {
    marker(journal, step).exists()
}

/// Remove a journal and its markers after its run was recovered.
pub(super) fn discard(journal: &Path) {
    for step in ["moving", "done"] {
        let _ = fs_err::remove_file(marker(journal, step));
    }
    let _ = fs_err::remove_file(journal);
}

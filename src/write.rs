//! Put a [`Plan`] on disk without ever leaving a half-made project: everything is written to a
//! staging folder on the destination's own filesystem first, then moved into place.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};
use crate::plan::{Plan, PlannedFile, RelPath};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// From here on Ctrl-C only raises a flag; the writer checks it and cleans up after itself.
pub fn catch_interrupts() {
    // A second call fails harmlessly (the handler is already installed).
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
}

fn check_interrupt() -> Result<()> {
    if INTERRUPTED.load(Ordering::SeqCst) {
        Err(Error::Interrupted)
    } else {
        Ok(())
    }
}

/// What is at the destination before anything is written.
#[derive(Debug, PartialEq, Eq)]
pub enum Destination {
    /// Nothing there: the staged folder is renamed into place in one step.
    New,
    /// An empty folder: its (staged) contents are moved in.
    Empty,
    /// A non-empty folder and `--force`: template files replace these existing files.
    Existing { overwritten: Vec<String> },
}

/// Decide whether `plan` may be written to `dest`, and how. Refusals are bad input (exit 2).
pub fn inspect(dest: &Path, plan: &Plan, force: bool) -> Result<Destination> {
    if let Some(file) = dest
        .ancestors()
        .skip(1)
        .find(|a| !a.as_os_str().is_empty() && a.is_file())
    {
        return Err(Error::DestinationIsFile {
            path: file.to_path_buf(),
        });
    }
    if !dest.exists() {
        if dest.symlink_metadata().is_ok() {
            return Err(Error::DestinationIsFile {
                path: dest.to_path_buf(),
            });
        }
        return Ok(Destination::New);
    }
    if !dest.is_dir() {
        return Err(Error::DestinationIsFile {
            path: dest.to_path_buf(),
        });
    }
    if fs_err::read_dir(dest)?.next().is_none() {
        return Ok(Destination::Empty);
    }
    if !force {
        return Err(Error::DestinationNotEmpty {
            path: dest.to_path_buf(),
        });
    }
    let mut overwritten = Vec::new();
    for path in plan.paths() {
        let target = dest.join(path);
        // A parent that is a file, or a folder where a file must go, cannot be resolved by
        // overwriting, and --force never deletes.
        for ancestor in Path::new(path.as_str())
            .ancestors()
            .skip(1)
            .filter(|a| !a.as_os_str().is_empty())
        {
            let here = dest.join(ancestor);
            if here
                .symlink_metadata()
                .is_ok_and(|m| m.file_type().is_symlink())
            {
                return Err(Error::ForceThroughLink {
                    link: here,
                    file: path.to_string(),
                });
            }
            if here.is_file() {
                return Err(Error::ForceFileInTheWay {
                    path: here,
                    file: path.to_string(),
                });
            }
        }
        if target.is_dir() {
            return Err(Error::ForceFolderInTheWay { path: target });
        }
        if target.exists() {
            overwritten.push(path.to_string());
        }
    }
    Ok(Destination::Existing { overwritten })
}

/// Stage every file under a temporary folder, let `prepare` finish the project (e.g. `git
/// init`), and put it in place. A new or empty destination gets the staged tree moved in after
/// `prepare` ran on it; over an existing folder (`--force`) the files are swapped in first and
/// `prepare` runs on the destination. On any error or interrupt before the end, the staging
/// folder is removed and `dest` is as it was.
pub fn apply(
    dest: &Path,
    plan: &Plan,
    how: &Destination,
    prepare: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    if let Destination::Existing { .. } = how {
        let changes: Vec<Change> = plan
            .files
            .iter()
            .map(|(path, file)| Change {
                path,
                file: Some(file),
            })
            .collect();
        return apply_changes(dest, &changes, || prepare(dest));
    }
    let anchor = nearest_existing(dest)?;
    let stage_parent = match how {
        Destination::New => anchor.clone(),
        _ => dest.to_path_buf(),
    };
    let stage = staging_folder(&stage_parent)?;
    stage_files(stage.path(), plan.files.iter())?;
    prepare(stage.path())?;
    check_interrupt()?;
    if let Destination::Empty = how {
        return move_children(stage.path(), dest);
    }
    let created = create_parents(dest, &anchor)?;
    let staged = stage.keep();
    if let Err(err) = fs_err::rename(&staged, dest) {
        let _ = fs_err::remove_dir_all(&staged);
        for dir in created.iter().rev() {
            let _ = fs_err::remove_dir(dir);
        }
        return Err(err.into());
    }
    Ok(())
}

/// One path of an existing folder to change: written with `file`, or removed when `None`.
pub struct Change<'a> {
    pub path: &'a RelPath,
    pub file: Option<&'a PlannedFile>,
}

/// Change files of an existing folder in place. New contents are staged first; every file
/// replaced or removed is moved aside into a backup folder before; `finish` runs once all are
/// in place. If anything fails, or Ctrl-C comes, before `finish` returns, every file is put back
/// as it was, so the folder never holds a mix of old and new files.
pub fn apply_changes(
    dest: &Path,
    changes: &[Change],
    finish: impl FnOnce() -> Result<()>,
) -> Result<()> {
    let stage = staging_folder(dest)?;
    stage_files(
        stage.path(),
        changes
            .iter()
            .filter_map(|c| c.file.map(|file| (c.path, file))),
    )?;
    let backup = tempfile::Builder::new()
        .prefix(".dayone-backup-")
        .tempdir_in(dest)?;
    let mut undo = Undo::default();
    let result = swap_in(stage.path(), dest, backup.path(), changes, &mut undo)
        .and_then(|()| check_interrupt())
        .and_then(|()| finish());
    if result.is_err() {
        undo.run();
        return result;
    }
    for change in changes.iter().filter(|c| c.file.is_none()) {
        remove_empty_parents(&dest.join(change.path), dest);
    }
    Ok(())
}

/// Remove the folders above a removed file that it leaves empty, up to (not including) `top`.
fn remove_empty_parents(removed: &Path, top: &Path) {
    for dir in removed.ancestors().skip(1).take_while(|d| *d != top) {
        if fs_err::remove_dir(dir).is_err() {
            break;
        }
    }
}

fn staging_folder(parent: &Path) -> Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix(".dayone-staging-")
        .tempdir_in(parent)
        .map_err(|source| Error::CannotWrite {
            dir: parent.to_path_buf(),
            source,
        })
}

/// Write `files` below `stage`, making each folder once.
fn stage_files<'a>(
    stage: &Path,
    files: impl Iterator<Item = (&'a RelPath, &'a PlannedFile)>,
) -> Result<()> {
    let mut folders = std::collections::HashSet::new();
    for (path, file) in files {
        check_interrupt()?;
        let target = stage.join(path);
        if let Some(parent) = target.parent().filter(|p| !folders.contains(*p)) {
            fs_err::create_dir_all(parent)?;
            folders.insert(parent.to_path_buf());
        }
        fs_err::write(&target, &file.contents)?;
        if file.executable {
            make_executable(&target)?;
        }
    }
    Ok(())
}

/// What [`swap_in`] did, in order, so that it can be taken back.
#[derive(Default)]
struct Undo {
    /// (target, where the original was moved, whether a new file was put at target)
    moves: Vec<(PathBuf, Option<PathBuf>, bool)>,
    created: Vec<PathBuf>,
}

impl Undo {
    fn run(self) {
        for (target, saved, placed) in self.moves.iter().rev() {
            if *placed {
                let _ = fs_err::remove_file(target);
            }
            if let Some(saved) = saved {
                let _ = fs_err::rename(saved, target);
            }
        }
        for dir in self.created.iter().rev() {
            let _ = fs_err::remove_dir(dir);
        }
    }
}

/// Move each existing target aside into `backup`, then the staged file (if any) into place.
fn swap_in(
    stage: &Path,
    dest: &Path,
    backup: &Path,
    changes: &[Change],
    undo: &mut Undo,
) -> Result<()> {
    for change in changes {
        check_interrupt()?;
        let target = dest.join(change.path);
        if change.file.is_some() {
            undo.created.extend(create_parents(&target, dest)?);
        }
        let saved = if target.symlink_metadata().is_ok() {
            let saved = backup.join(change.path);
            fs_err::create_dir_all(saved.parent().expect("below the backup folder"))?;
            fs_err::rename(&target, &saved)?;
            Some(saved)
        } else {
            None
        };
        undo.moves.push((target.clone(), saved, false));
        if change.file.is_some() {
            fs_err::rename(stage.join(change.path), &target)?;
            undo.moves.last_mut().expect("just pushed").2 = true;
        }
    }
    Ok(())
}

/// Replace (or create) one file atomically: write a temporary file beside it, then rename it
/// over the target. An existing file keeps its permissions, a new one gets the usual
/// read-write for all less the umask (0644 under umask 022), not the temporary file's 0600;
/// a failure leaves the target untouched.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let in_dir = |source| Error::CannotWrite {
        dir: dir.to_path_buf(),
        source,
    };
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(dir).map_err(in_dir)?;
    temp.write_all(bytes).map_err(in_dir)?;
    if let Ok(meta) = std::fs::metadata(path) {
        fs_err::set_permissions(temp.path(), meta.permissions())?;
    }
    temp.persist(path).map_err(|e| Error::CannotReplace {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

/// Move the top-level entries of the staged tree into an empty destination; if one move fails,
/// the ones already made are moved back so the folder is empty again.
fn move_children(stage: &Path, dest: &Path) -> Result<()> {
    let mut moved = Vec::new();
    for entry in fs_err::read_dir(stage)? {
        let name = entry?.file_name();
        if let Err(err) = fs_err::rename(stage.join(&name), dest.join(&name)) {
            for back in moved {
                let _ = fs_err::rename(dest.join(&back), stage.join(&back));
            }
            return Err(err.into());
        }
        moved.push(name);
    }
    Ok(())
}

/// The closest ancestor of `path` (or `path` itself) that exists; staging happens there so the
/// final rename stays on one filesystem.
fn nearest_existing(path: &Path) -> Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    Ok(absolute
        .ancestors()
        .find(|a| a.exists())
        .map(Path::to_path_buf)
        .unwrap_or(absolute))
}

/// Create the missing parents of `dest`, returning them so a failure can remove them again.
fn create_parents(dest: &Path, anchor: &Path) -> Result<Vec<PathBuf>> {
    let absolute = std::path::absolute(dest)?;
    let mut missing: Vec<PathBuf> = absolute
        .ancestors()
        .skip(1)
        .take_while(|a| *a != anchor && !a.exists())
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    for dir in &missing {
        fs_err::create_dir(dir)?;
    }
    Ok(missing)
}

#[cfg(unix)]
fn make_executable(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut perms = fs_err::metadata(path)?.permissions();
    perms.set_mode(perms.mode() | 0o111);
    fs_err::set_permissions(path, perms)?;
    Ok(())
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> Result<()> {
    Ok(())
}

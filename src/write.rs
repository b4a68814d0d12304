//! Put a [`Plan`] on disk without ever leaving a half-made project: everything is written to a
//! staging folder on the destination's own filesystem first, then moved into place.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};
use crate::plan::Plan;

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

/// Stage every file under a temporary folder next to `dest`, let `prepare` finish the staged
/// tree (e.g. `git init`), then move it into place. On any error or interrupt before the move,
/// the staging folder is removed and `dest` is as it was.
pub fn apply(
    dest: &Path,
    plan: &Plan,
    how: &Destination,
    prepare: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    let anchor = nearest_existing(dest)?;
    let stage_parent = match how {
        Destination::New => anchor.clone(),
        Destination::Empty | Destination::Existing { .. } => dest.to_path_buf(),
    };
    let stage = tempfile::Builder::new()
        .prefix(".dayone-staging-")
        .tempdir_in(&stage_parent)
        .map_err(|source| Error::CannotWrite {
            dir: stage_parent.clone(),
            source,
        })?;
    let mut folders = std::collections::HashSet::new();
    for (path, file) in &plan.files {
        check_interrupt()?;
        let target = stage.path().join(path);
        if let Some(parent) = target.parent().filter(|p| !folders.contains(*p)) {
            fs_err::create_dir_all(parent)?;
            folders.insert(parent.to_path_buf());
        }
        fs_err::write(&target, &file.contents)?;
        if file.executable {
            make_executable(&target)?;
        }
    }
    prepare(stage.path())?;
    check_interrupt()?;

    match how {
        Destination::New => {
            let created = create_parents(dest, &anchor)?;
            let staged = stage.keep();
            if let Err(err) = fs_err::rename(&staged, dest) {
                let _ = fs_err::remove_dir_all(&staged);
                for dir in created.iter().rev() {
                    let _ = fs_err::remove_dir(dir);
                }
                return Err(err.into());
            }
        }
        Destination::Empty => move_children(stage.path(), dest)?,
        Destination::Existing { .. } => replace_files(stage.path(), dest, plan)?,
    }
    Ok(())
}

/// Move staged files over an existing folder. Each file it replaces is first moved aside into
/// a backup folder; if any move fails, everything done so far is undone and the originals come
/// back, so `--force` never leaves a mix of old and new files.
fn replace_files(stage: &Path, dest: &Path, plan: &Plan) -> Result<()> {
    let backup = tempfile::Builder::new()
        .prefix(".dayone-backup-")
        .tempdir_in(dest)?;
    let mut done: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
    let mut created: Vec<PathBuf> = Vec::new();
    let result = (|| -> Result<()> {
        for path in plan.paths() {
            let target = dest.join(path);
            created.extend(create_parents(&target, dest)?);
            let saved = if target.symlink_metadata().is_ok() {
                let saved = backup.path().join(path);
                fs_err::create_dir_all(saved.parent().expect("below the backup folder"))?;
                fs_err::rename(&target, &saved)?;
                Some(saved)
            } else {
                None
            };
            done.push((target.clone(), saved));
            fs_err::rename(stage.join(path), &target)?;
        }
        Ok(())
    })();
    if result.is_err() {
        for (target, saved) in done.iter().rev() {
            if let Some(saved) = saved {
                let _ = fs_err::rename(saved, target);
            } else {
                let _ = fs_err::remove_file(target);
            }
        }
        for dir in created.iter().rev() {
            let _ = fs_err::remove_dir(dir);
        }
    }
    result
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

//! Put a [`Plan`] on disk without ever leaving a half-made project: everything is written to a
//! staging folder on the destination's own filesystem first, then moved into place, under a
//! journal (see [`journal`]) that lets the next run take back what a killed one left.

pub mod interrupt;
mod journal;
mod recover;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::plan::{Contents, Plan, PlannedFile, RelPath};
use journal::{Entry, Journal, Kind, Record};

pub use recover::recover;

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
/// `prepare` runs on the destination. On any error or interrupt before the end, everything this
/// run made is removed and `dest` is as it was.
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
        // The repository `prepare` makes is this run's too: taken back with the files.
        return apply_changes(dest, &changes, &[".git"], || prepare(dest));
    }
    let dest = std::path::absolute(dest)?;
    let anchor = nearest_existing(&dest);
    let (kind, stage_parent) = match how {
        Destination::New => (Kind::New, anchor.clone()),
        _ => (Kind::Fill, dest.clone()),
    };
    let creates = match kind {
        Kind::New => missing_folders(&dest, &anchor),
        _ => Vec::new(),
    };
    interrupt::writing();
    let (journal, stage) = Journal::begin(&stage_parent, |stage| Record {
        destination: dest.clone(),
        kind,
        stage: stage.to_path_buf(),
        creates: creates.clone(),
        changes: Vec::new(),
        guarded: Vec::new(),
    })?;
    let result = stage_and_move(&dest, &stage, plan, kind, &creates, &journal, prepare);
    if result.is_err() {
        let _ = fs_err::remove_dir_all(&stage);
        remove_folders(&creates);
    } else {
        interrupt::kept();
    }
    journal.end();
    result
}

fn stage_and_move(
    dest: &Path,
    stage: &Path,
    plan: &Plan,
    kind: Kind,
    creates: &[PathBuf],
    journal: &Journal,
    prepare: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    fs_err::create_dir(stage).map_err(|err| cannot_write(dest, err))?;
    stage_files(dest, stage, plan.files.iter())?;
    prepare(stage)?;
    interrupt::check()?;
    if kind == Kind::Fill {
        journal.mark("moving")?;
        move_children(stage, dest)?;
        fs_err::remove_dir(stage)?;
        return Ok(());
    }
    for dir in creates {
        fs_err::create_dir(dir).map_err(|err| cannot_write(dest, err))?;
    }
    fs_err::rename(stage, dest).map_err(|err| cannot_write(dest, err))?;
    Ok(())
}

/// An I/O failure while writing the project, named by the destination rather than by the
/// staging folder it happened in; the operating system's reason stays as the cause.
fn cannot_write(dest: &Path, err: std::io::Error) -> Error {
    let source = match err.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code),
        None => std::io::Error::new(err.kind(), err.kind().to_string()),
    };
    Error::CannotWrite {
        dir: dest.to_path_buf(),
        source,
    }
}

/// One path of an existing folder to change: written with `file`, or removed when `None`.
pub struct Change<'a> {
    pub path: &'a RelPath,
    pub file: Option<&'a PlannedFile>,
}

/// Change files of an existing folder in place. New contents are staged first; every file
/// replaced or removed is moved aside into a backup folder before, and so are the `guarded`
/// paths (relative to `dest`; files or folders) that `finish` may change; `finish` runs once
/// all files are in place. If anything fails, or Ctrl-C comes, before `finish` returns, every
/// file and every guarded path is put back as it was.
pub fn apply_changes(
    dest: &Path,
    changes: &[Change],
    guarded: &[&str],
    finish: impl FnOnce() -> Result<()>,
) -> Result<()> {
    let dest = std::path::absolute(dest)?;
    let entries: Vec<Entry> = changes
        .iter()
        .map(|c| Entry {
            path: c.path.to_string(),
            had_file: dest.join(c.path).symlink_metadata().is_ok(),
            writes: c.file.is_some(),
        })
        .collect();
    let mut creates = Vec::new();
    for change in changes.iter().filter(|c| c.file.is_some()) {
        let parent = dest.join(change.path);
        let parent = parent.parent().expect("below the destination");
        for dir in missing_folders(&parent.join("x"), &dest) {
            if !creates.contains(&dir) {
                creates.push(dir);
            }
        }
    }
    interrupt::writing();
    let (journal, stage) = Journal::begin(&dest, |stage| Record {
        destination: dest.clone(),
        kind: Kind::InPlace,
        stage: stage.to_path_buf(),
        creates: creates.clone(),
        changes: entries,
        guarded: guarded.iter().map(|g| g.to_string()).collect(),
    })?;
    let backup = journal::backup_of(&stage);
    let result = swap(&dest, &stage, &backup, changes, guarded, &journal, finish);
    match &result {
        Ok(()) => {
            interrupt::kept();
            for change in changes.iter().filter(|c| c.file.is_none()) {
                remove_empty_parents(&dest.join(change.path), &dest);
            }
        }
        Err(_) => recover::undo(&dest, &journal.record),
    }
    let _ = fs_err::remove_dir_all(&stage);
    let _ = fs_err::remove_dir_all(&backup);
    journal.end();
    result
}

/// Stage, save the guarded paths, move every file, finish; the journal is marked done after.
fn swap(
    dest: &Path,
    stage: &Path,
    backup: &Path,
    changes: &[Change],
    guarded: &[&str],
    journal: &Journal,
    finish: impl FnOnce() -> Result<()>,
) -> Result<()> {
    fs_err::create_dir(stage).map_err(|err| cannot_write(dest, err))?;
    stage_files(
        dest,
        stage,
        changes
            .iter()
            .filter_map(|c| c.file.map(|file| (c.path, file))),
    )?;
    fs_err::create_dir(backup).map_err(|err| cannot_write(dest, err))?;
    journal::save_guarded(dest, backup, guarded)?;
    for dir in &journal.record.creates {
        if !dir.exists() {
            fs_err::create_dir(dir)?;
        }
    }
    for change in changes {
        interrupt::check()?;
        let target = dest.join(change.path);
        if target.symlink_metadata().is_ok() {
            let saved = backup.join(change.path);
            fs_err::create_dir_all(saved.parent().expect("below the backup folder"))?;
            fs_err::rename(&target, &saved)?;
        }
        if change.file.is_some() {
            fs_err::rename(stage.join(change.path), &target)?;
        }
    }
    interrupt::check()?;
    finish()?;
    interrupt::check()?;
    journal.mark("done")
}

/// Write `contents` to `target`: bytes at once, a file streamed (so it is never all in memory),
/// with the usual permissions either way (not the source file's).
fn write_contents(contents: &Contents, target: &Path) -> std::io::Result<()> {
    match contents {
        Contents::Bytes(bytes) => std::fs::write(target, bytes),
        Contents::File { path, .. } => {
            let mut from = std::fs::File::open(path)?;
            let mut to = std::fs::File::create(target)?;
            std::io::copy(&mut from, &mut to).map(|_| ())
        }
    }
}

/// Remove the folders above a removed file that it leaves empty, up to (not including) `top`.
fn remove_empty_parents(removed: &Path, top: &Path) {
    for dir in removed.ancestors().skip(1).take_while(|d| *d != top) {
        if fs_err::remove_dir(dir).is_err() {
            break;
        }
    }
}

/// Write `files` below `stage`, making each folder once; failures are named by `dest`.
fn stage_files<'a>(
    dest: &Path,
    stage: &Path,
    files: impl Iterator<Item = (&'a RelPath, &'a PlannedFile)>,
) -> Result<()> {
    let mut folders = std::collections::HashSet::new();
    for (path, file) in files {
        interrupt::check()?;
        let target = stage.join(path);
        let written = (|| -> std::io::Result<()> {
            if let Some(parent) = target.parent().filter(|p| !folders.contains(*p)) {
                std::fs::create_dir_all(parent)?;
                folders.insert(parent.to_path_buf());
            }
            write_contents(&file.contents, &target)?;
            if file.executable {
                make_executable(&target)?;
            }
            Ok(())
        })();
        written.map_err(|err| cannot_write(dest, err))?;
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
/// the ones already made are moved back so the folder is empty again. (A kill in between is
/// finished by the next run instead: see `recover`.)
fn move_children(stage: &Path, dest: &Path) -> Result<()> {
    let mut moved = Vec::new();
    for entry in fs_err::read_dir(stage)? {
        let name = entry?.file_name();
        let result = interrupt::check()
            .and_then(|()| Ok(fs_err::rename(stage.join(&name), dest.join(&name))?));
        if let Err(err) = result {
            for back in moved {
                let _ = fs_err::rename(dest.join(&back), stage.join(&back));
            }
            return Err(err);
        }
        moved.push(name);
    }
    Ok(())
}

/// The closest ancestor of `path` (or `path` itself) that exists; staging happens there so the
/// final rename stays on one filesystem.
fn nearest_existing(path: &Path) -> PathBuf {
    path.ancestors()
        .find(|a| a.exists())
        .map_or_else(|| path.to_path_buf(), Path::to_path_buf)
}

/// The folders above `path`, below `anchor`, that do not exist yet, outermost first.
fn missing_folders(path: &Path, anchor: &Path) -> Vec<PathBuf> {
    let mut missing: Vec<PathBuf> = path
        .ancestors()
        .skip(1)
        .take_while(|a| *a != anchor && !a.exists())
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    missing
}

/// Remove folders this run made, innermost first, where they are empty.
fn remove_folders(made: &[PathBuf]) {
    for dir in made.iter().rev() {
        let _ = fs_err::remove_dir(dir);
    }
}

#[cfg(unix)]
fn make_executable(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut perms = std::fs::metadata(path)?.permissions();
    perms.set_mode(perms.mode() | 0o111);
    std::fs::set_permissions(path, perms)
}

#[cfg(not(unix))]
fn make_executable(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

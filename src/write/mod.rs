//! Put a [`Plan`] on disk without ever leaving a half-made project: everything is written to a
//! staging folder on the destination's own filesystem first, then moved into place, under a
//! journal (see [`journal`]) that lets the next run take back what a killed one left, and under
//! a [`Lock`] that keeps a second run for the same destination out. Every step on the disk goes
//! through [`crate::disk`].

pub mod interrupt;
mod journal;
mod lock;
mod recover;

use std::path::Path;

use crate::disk;
use crate::error::{Error, Result};
use crate::plan::{Contents, Plan, PlannedFile, RelPath};
use journal::{Entry, Journal, Kind, Record};

pub use lock::Lock;
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
    let mut entries = fs_err::read_dir(dest)?.flatten();
    // A lock file is dayone's own, there only while a run lasts.
    if !entries.any(|e| !lock::is_lock_file(&e.file_name())) {
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
        // The repository `prepare` makes is this run's too: made in the staging folder, moved
        // in whole once complete (a kill never leaves half a repository), taken back with the
        // files.
        let git = std::path::absolute(dest)?.join(".git");
        return apply_changes(dest, &changes, &[".git"], |stage| {
            prepare(stage)?;
            let made = stage.join(".git");
            if made.exists() {
                disk::rename(&made, &git)?;
            }
            Ok(())
        });
    }
    let dest = std::path::absolute(dest)?;
    let (kind, place) = match how {
        Destination::New => (Kind::New, disk::nearest_existing(&dest)),
        _ => (Kind::Fill, dest.clone()),
    };
    let below = dest
        .strip_prefix(&place)
        .unwrap_or(Path::new(""))
        .to_path_buf();
    interrupt::writing();
    let record = Record {
        kind,
        target: journal::encode(&below),
        creates: Vec::new(),
        changes: Vec::new(),
        guarded: Vec::new(),
    };
    let journal = Journal::begin(&place, record).map_err(|err| cannot_write(&dest, err))?;
    let stage = journal.stage();
    let result = stage_and_move(&dest, &place, &below, &stage, plan, kind, &journal, prepare)
        .map_err(|err| about_destination(err, &dest, &stage));
    match &result {
        Ok(()) => interrupt::kept(),
        Err(_) if kind == Kind::New => recover::remove_made_on_the_way(&place, &below),
        Err(_) => {}
    }
    // After a failure all of it; after filling a folder, the empty folder the entries came from.
    let _ = disk::remove_all(&stage);
    journal.end();
    result
}

#[allow(clippy::too_many_arguments)]
fn stage_and_move(
    dest: &Path,
    place: &Path,
    below: &Path,
    stage: &Path,
    plan: &Plan,
    kind: Kind,
    journal: &Journal,
    prepare: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    disk::create_dir(stage)?;
    stage_files(stage, plan.files.iter())?;
    prepare(stage)?;
    interrupt::check()?;
    if kind == Kind::Fill {
        journal.mark("moving")?;
        return move_children(stage, dest);
    }
    let mut on_the_way: Vec<&Path> = below
        .ancestors()
        .skip(1)
        .filter(|a| !a.as_os_str().is_empty())
        .collect();
    on_the_way.reverse();
    for dir in on_the_way {
        disk::create_dir(&place.join(dir))?;
    }
    disk::rename(stage, dest)?;
    Ok(())
}

/// An I/O failure while writing the project, named by the destination rather than by the
/// staging folder it happened in; the operating system's reason stays as the cause.
fn cannot_write(dest: &Path, err: std::io::Error) -> Error {
    Error::CannotWrite {
        dir: dest.to_path_buf(),
        source: without_path(&err),
    }
}

/// The operating system's reason alone, without the path `fs_err` put in the message.
fn without_path(err: &std::io::Error) -> std::io::Error {
    match err.raw_os_error() {
        Some(code) => std::io::Error::from_raw_os_error(code),
        None => std::io::Error::new(err.kind(), err.kind().to_string()),
    }
}

/// An error from writing, told by the destination: no message names the staging folder.
fn about_destination(err: Error, dest: &Path, stage: &Path) -> Error {
    match err {
        Error::Io(source) => cannot_write(dest, source),
        Error::Git { action, source, .. } => {
            let said = source
                .to_string()
                .replace(&*stage.to_string_lossy(), &dest.to_string_lossy());
            Error::Git {
                action,
                path: dest.to_path_buf(),
                source: Box::new(std::io::Error::other(said)),
            }
        }
        other => other,
    }
}

/// One path of an existing folder to change: written with `file`, or removed when `None`.
pub struct Change<'a> {
    pub path: &'a RelPath,
    pub file: Option<&'a PlannedFile>,
}

/// Change files of an existing folder in place, in the order given. New contents are staged
/// first; the `guarded` paths (relative to `dest`; files or folders) that `finish` may change
/// get complete copies in a backup folder; then each file is given a second name in the backup
/// folder and the new one renamed over it, so at every moment the project holds the old file
/// or the new one, never neither. `finish` runs once all files are in place, given the staging
/// folder (emptied of files) to prepare things in. If anything fails, or Ctrl-C comes, before
/// `finish` returns, every file and every guarded path is put back.
pub fn apply_changes(
    dest: &Path,
    changes: &[Change],
    guarded: &[&str],
    finish: impl FnOnce(&Path) -> Result<()>,
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
        let mut missing: Vec<&Path> = Path::new(change.path.as_str())
            .ancestors()
            .skip(1)
            .filter(|a| !a.as_os_str().is_empty() && !dest.join(a).exists())
            .collect();
        missing.reverse();
        for dir in missing {
            let dir = dir.to_string_lossy().replace('\\', "/");
            if !creates.contains(&dir) {
                creates.push(dir);
            }
        }
    }
    interrupt::writing();
    let record = Record {
        kind: Kind::InPlace,
        target: String::new(),
        creates,
        changes: entries,
        guarded: guarded.iter().map(|g| g.to_string()).collect(),
    };
    let journal = Journal::begin(&dest, record).map_err(|err| cannot_write(&dest, err))?;
    let stage = journal.stage();
    let backup = journal::backup_of(&stage);
    let result = swap(&dest, &stage, &backup, changes, &journal, finish)
        .map_err(|err| about_destination(err, &dest, &stage));
    match &result {
        Ok(()) => interrupt::kept(),
        Err(_) if journal.reached("moving") => recover::undo(&dest, &stage, &journal.record),
        Err(_) => {}
    }
    let _ = disk::remove_all(&stage);
    let _ = disk::remove_all(&backup);
    journal.end();
    result
}

/// Stage, save the guarded paths, move every file, finish; the journal is marked `moving`
/// before the first change to the project and `done` after the last.
fn swap(
    dest: &Path,
    stage: &Path,
    backup: &Path,
    changes: &[Change],
    journal: &Journal,
    finish: impl FnOnce(&Path) -> Result<()>,
) -> Result<()> {
    disk::create_dir(stage)?;
    stage_files(
        stage,
        changes
            .iter()
            .filter_map(|c| c.file.map(|file| (c.path, file))),
    )?;
    disk::create_dir(backup)?;
    journal::save_guarded(dest, backup, &journal.record.guarded)?;
    interrupt::check()?;
    journal.mark("moving")?;
    for dir in &journal.record.creates {
        let dir = dest.join(dir);
        if !dir.exists() {
            disk::create_dir(&dir)?;
        }
    }
    for change in changes {
        interrupt::check()?;
        let target = dest.join(change.path);
        if target.symlink_metadata().is_ok() {
            let saved = backup.join(change.path);
            disk::create_dir_all(saved.parent().expect("below the backup folder"))?;
            disk::link_or_copy(&target, &saved)?;
            if change.file.is_none() {
                disk::remove_file(&target)?;
            }
        }
        if change.file.is_some() {
            disk::rename(&stage.join(change.path), &target)?;
        }
    }
    recover::remove_emptied_folders(dest, &journal.record)?;
    interrupt::check()?;
    finish(stage)?;
    interrupt::check()?;
    Ok(journal.mark("done")?)
}

/// Write `contents` to `out`: bytes at once, a file streamed (so it is never all in memory).
fn write_contents(contents: &Contents, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    match contents {
        Contents::Bytes(bytes) => out.write_all(bytes),
        Contents::File { path, .. } => {
            let mut from = fs_err::File::open(path)?;
            std::io::copy(&mut from, out).map(|_| ())
        }
    }
}

/// Write `files` below `stage`, making each folder once, with the usual permissions (not the
/// source file's), executable where the plan says so.
fn stage_files<'a>(
    stage: &Path,
    files: impl Iterator<Item = (&'a RelPath, &'a PlannedFile)>,
) -> Result<()> {
    let mut folders = std::collections::HashSet::new();
    for (path, file) in files {
        interrupt::check()?;
        let target = stage.join(path);
        if let Some(parent) = target.parent().filter(|p| !folders.contains(*p)) {
            disk::create_dir_all(parent)?;
            folders.insert(parent.to_path_buf());
        }
        disk::write_new(&target, |out| write_contents(&file.contents, out))?;
        if file.executable {
            make_executable(&target)?;
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
/// the ones already made are moved back so the folder is empty again. (A kill in between is
/// finished by the next run instead: see `recover`.)
fn move_children(stage: &Path, dest: &Path) -> Result<()> {
    let mut moved = Vec::new();
    for entry in fs_err::read_dir(stage)? {
        let name = entry?.file_name();
        let result = interrupt::check()
            .and_then(|()| Ok(disk::rename(&stage.join(&name), &dest.join(&name))?));
        if let Err(err) = result {
            for back in moved {
                let _ = disk::rename(&dest.join(&back), &stage.join(&back));
            }
            return Err(err);
        }
        moved.push(name);
    }
    Ok(())
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

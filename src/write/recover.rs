//! Taking back a write, from its journal and what is on disk: after a failure in the same run,
//! or at the start of the next run for the same destination after a kill. Every path comes from
//! the journal's own name and place or passes [`journal::inside`]; nothing outside the project
//! (and, for a new one, the folders the run made on the way to it) is touched.

use std::path::{Path, PathBuf};

use super::journal::{self, Found, Kind, Record};
use crate::disk;

/// What the next run does about what killed runs left for `dest`, one line each: done when
/// `act`, else (a dry run) only said. Runs still going (their journal is locked) are left alone.
pub fn recover(dest: &Path, act: bool) -> Vec<String> {
    let Ok(dest) = std::path::absolute(dest) else {
        return Vec::new();
    };
    let mut notes = Vec::new();
    for place in places(&dest) {
        for found in journal::left_behind(&dest, &place, &mut notes) {
            let state = State::of(&dest, &found);
            notes.push(state.said(&dest, act));
            if act {
                state.settle(&dest, &found);
                found.discard();
            }
        }
        let orphans = journal::orphans(&place);
        if !orphans.is_empty() {
            notes.push(format!(
                "{} folder(s) an interrupted dayone run left beside {} {}",
                orphans.len(),
                dest.display(),
                if act {
                    "were removed"
                } else {
                    "would be removed by a real run"
                }
            ));
        }
        if act {
            for orphan in orphans {
                let _ = disk::remove_all(&orphan);
            }
        }
    }
    notes
}

/// Where runs for `dest` stage: the destination itself, and the folder above it that existed
/// when a new project's run began. That may be further up than the nearest one that exists now
/// (the run makes the missing folders just before it moves the project in), so the search goes
/// up through folders that hold nothing but the way to `dest`.
fn places(dest: &Path) -> Vec<PathBuf> {
    let mut places = Vec::new();
    if dest.is_dir() {
        places.push(dest.to_path_buf());
    }
    let mut above = disk::nearest_existing(dest.parent().unwrap_or(dest));
    loop {
        places.push(above.clone());
        match above.parent() {
            Some(parent) if holds_only_the_way(&above, dest) => above = parent.to_path_buf(),
            _ => break,
        }
    }
    places
}

/// Whether `folder` is empty or holds only the next folder on the way down to `dest`.
fn holds_only_the_way(folder: &Path, dest: &Path) -> bool {
    let Some(next) = dest
        .strip_prefix(folder)
        .ok()
        .and_then(|rest| rest.components().next())
    else {
        return false;
    };
    let Ok(entries) = fs_err::read_dir(folder) else {
        return false;
    };
    // This run's own lock may be there too.
    let mut entries = entries.filter(|e| {
        e.as_ref()
            .is_ok_and(|e| !super::lock::is_lock_file(&e.file_name()))
    });
    match (entries.next(), entries.next()) {
        (None, _) => true,
        (Some(Ok(only)), None) => only.file_name() == next.as_os_str(),
        _ => false,
    }
}

/// How far a killed run got, as its journal and the disk say.
enum State {
    /// The journal could not be read: the run had only begun to write it.
    OnlyBegun,
    /// A new folder, still in its staging folder.
    NewStaged,
    /// A new folder already renamed into place.
    NewInPlace,
    /// An empty folder, partly filled.
    FillMoving,
    /// An empty folder, not touched yet.
    FillStaged,
    /// Files changed in place, all of them and the repository; only cleaning up was left.
    ChangesDone,
    /// Files changed in place, some of them.
    ChangesMoving(usize),
    /// Files to change in place, none changed yet.
    ChangesStaged,
}

impl State {
    fn of(dest: &Path, found: &Found) -> Self {
        let Some(record) = &found.record else {
            return State::OnlyBegun;
        };
        match record.kind {
            Kind::New if !found.stage().exists() && dest.exists() => State::NewInPlace,
            Kind::New => State::NewStaged,
            Kind::Fill if found.reached("moving") => State::FillMoving,
            Kind::Fill => State::FillStaged,
            Kind::InPlace if found.reached("done") => State::ChangesDone,
            Kind::InPlace if found.reached("moving") => State::ChangesMoving(record.changes.len()),
            Kind::InPlace => State::ChangesStaged,
        }
    }

    /// One line for the user: what the killed run left in `dest`, and what is (or would be)
    /// done about it.
    fn said(&self, dest: &Path, act: bool) -> String {
        let dest = dest.display();
        let (left, done, would) = match self {
            State::OnlyBegun => (
                format!("an interrupted dayone run for {dest} had only begun"),
                "removed what it left".to_string(),
                "remove what it left".to_string(),
            ),
            State::NewStaged | State::FillStaged => (
                format!("an interrupted `dayone new` had not yet put {dest} in place"),
                "took it back".to_string(),
                "take it back".to_string(),
            ),
            State::NewInPlace => (
                format!("an interrupted `dayone new` had already put {dest} in place"),
                "removed its journal".to_string(),
                "remove its journal".to_string(),
            ),
            State::FillMoving => (
                format!("an interrupted `dayone new` had moved part of the project into {dest}"),
                "moved the rest in".to_string(),
                "move the rest in".to_string(),
            ),
            State::ChangesDone => (
                format!("an interrupted dayone run had finished its changes to {dest}"),
                "removed what it kept aside".to_string(),
                "remove what it kept aside".to_string(),
            ),
            State::ChangesMoving(n) => (
                format!("an interrupted dayone run had begun to change {dest}"),
                format!("put its {n} file(s), the index and the base back as they were"),
                format!("put its {n} file(s), the index and the base back as they were"),
            ),
            State::ChangesStaged => (
                format!("an interrupted dayone run had not yet changed {dest}"),
                "removed what it had prepared".to_string(),
                "remove what it had prepared".to_string(),
            ),
        };
        if act {
            format!("{left}; {done}")
        } else {
            format!("{left}; a real run would first {would}")
        }
    }

    /// Finish or take back the killed run.
    fn settle(&self, dest: &Path, found: &Found) {
        let stage = found.stage();
        let backup = journal::backup_of(&stage);
        match (self, &found.record) {
            (State::NewStaged, Some(record)) => {
                let _ = disk::remove_all(&stage);
                if let Some(target) = journal::decode(&record.target) {
                    let place = found.path.parent().expect("a journal is in a folder");
                    remove_made_on_the_way(place, &target);
                }
            }
            (State::FillMoving, _) => {
                for entry in fs_err::read_dir(&stage).into_iter().flatten().flatten() {
                    let target = dest.join(entry.file_name());
                    if target.symlink_metadata().is_err() {
                        let _ = disk::rename(&entry.path(), &target);
                    }
                }
                let _ = disk::remove_all(&stage);
            }
            (State::ChangesMoving(_), Some(record)) => {
                undo(dest, &stage, record);
                let _ = disk::remove_all(&stage);
                let _ = disk::remove_all(&backup);
            }
            _ => {
                let _ = disk::remove_all(&stage);
                let _ = disk::remove_all(&backup);
            }
        }
    }
}

/// Remove the folders between `place` and the new project `target` (relative to it) that are
/// empty: the run made them.
pub(super) fn remove_made_on_the_way(place: &Path, target: &Path) {
    let made: Vec<&Path> = target
        .ancestors()
        .skip(1)
        .filter(|a| !a.as_os_str().is_empty())
        .collect();
    for dir in made {
        let dir = place.join(dir);
        if dir.symlink_metadata().is_ok_and(|m| m.is_dir()) {
            let _ = disk::remove_dir(&dir);
        }
    }
}

/// Remove the folders that the files a change in place removed leave empty, up to the
/// destination; a folder that still holds something stays.
pub(super) fn remove_emptied_folders(dest: &Path, record: &Record) -> std::io::Result<()> {
    for entry in record.changes.iter().filter(|e| !e.writes) {
        let Some(removed) = journal::inside(dest, &entry.path) else {
            continue;
        };
        for dir in removed.ancestors().skip(1).take_while(|d| *d != dest) {
            match disk::remove_dir(dir) {
                Ok(()) => {}
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                Err(err) if err.kind() == std::io::ErrorKind::DirectoryNotEmpty => break,
                Err(err) => return Err(err),
            }
        }
    }
    Ok(())
}

/// Put every path a change in place touched back as it was: the guarded paths from their
/// copies, each replaced or removed file from its second name in the backup folder; remove the
/// files it added and the folders it made. Safe to run again on what it left half done.
pub(super) fn undo(dest: &Path, stage: &Path, record: &Record) {
    let backup = journal::backup_of(stage);
    for (n, relative) in record.guarded.iter().enumerate() {
        let Some(target) = journal::inside(dest, relative) else {
            continue;
        };
        let (copy, absent) = journal::guarded_copy(&backup, n);
        if copy.symlink_metadata().is_ok() {
            if copy.is_dir() {
                let _ = disk::remove_all(&target);
            }
            let _ = disk::rename(&copy, &target);
        } else if absent.exists() {
            let _ = disk::remove_all(&target);
        }
    }
    for entry in record.changes.iter().rev() {
        let (Some(target), Some(saved), Some(staged)) = (
            journal::inside(dest, &entry.path),
            journal::inside(&backup, &entry.path),
            journal::inside(stage, &entry.path),
        ) else {
            continue;
        };
        if saved.symlink_metadata().is_ok() {
            // Its folder may have been removed with the file, when the file was its last.
            let _ = disk::create_dir_all(target.parent().expect("below the destination"));
            let _ = disk::rename(&saved, &target);
        } else if !entry.had_file
            && entry.writes
            && stage.is_dir()
            && staged.symlink_metadata().is_err()
        {
            let _ = disk::remove_all(&target);
        }
    }
    for relative in record.creates.iter().rev() {
        if let Some(dir) = journal::inside(dest, relative) {
            let _ = disk::remove_dir(&dir);
        }
    }
}

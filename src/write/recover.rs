//! Taking back a write, from its journal and what is on disk: after a failure in the same run,
//! or at the start of the next run for the same destination after a kill.

use std::path::{Path, PathBuf};

use super::journal::{self, Kind, Record};
use super::{nearest_existing, remove_folders};

/// Finish or undo what killed runs left for `dest`, and say what was done, one line each.
/// Runs still going (their journal is locked) are left alone.
pub fn recover(dest: &Path) -> Vec<String> {
    let Ok(dest) = std::path::absolute(dest) else {
        return Vec::new();
    };
    // A new project stages in the nearest folder above it that exists; the others in it.
    let mut places = vec![nearest_existing(dest.parent().unwrap_or(&dest))];
    if dest.is_dir() {
        places.push(dest.clone());
    }
    let mut notes = Vec::new();
    for (journal_file, record) in journal::left_behind(&dest, &places) {
        let stage = journal::stage_of(&journal_file);
        let note = match record {
            None => {
                remove_any(&stage);
                remove_any(&journal::backup_of(&stage));
                "an interrupted dayone run had only begun; removed its journal".to_string()
            }
            Some(record) => recover_one(&dest, &journal_file, &record),
        };
        journal::discard(&journal_file);
        notes.push(format!("{note} ({})", dest.display()));
    }
    for orphan in journal::orphans(&places) {
        remove_any(&orphan);
        notes.push(format!(
            "removed {}, which an older dayone left behind",
            orphan.display()
        ));
    }
    notes
}

fn recover_one(dest: &Path, journal_file: &Path, record: &Record) -> String {
    let stage = &record.stage;
    match record.kind {
        Kind::New if !stage.exists() && dest.exists() => {
            "an interrupted `dayone new` had already put the project in place".to_string()
        }
        Kind::New => {
            remove_any(stage);
            remove_folders(&record.creates);
            "took back an interrupted `dayone new`: removed its staging folder".to_string()
        }
        Kind::Fill if journal::reached(journal_file, "moving") => {
            for entry in fs_err::read_dir(stage).into_iter().flatten().flatten() {
                let target = dest.join(entry.file_name());
                if target.symlink_metadata().is_err() {
                    let _ = fs_err::rename(entry.path(), target);
                }
            }
            remove_any(stage);
            "finished an interrupted `dayone new`: moved the rest of the project in".to_string()
        }
        Kind::Fill => {
            remove_any(stage);
            "took back an interrupted `dayone new`: removed its staging folder".to_string()
        }
        Kind::InPlace if journal::reached(journal_file, "done") => {
            remove_any(stage);
            remove_any(&journal::backup_of(stage));
            "an interrupted dayone run had finished its changes; removed what it kept aside"
                .to_string()
        }
        Kind::InPlace => {
            undo(dest, record);
            remove_any(stage);
            remove_any(&journal::backup_of(stage));
            format!(
                "took back an interrupted dayone run: put {} file(s) back as they were",
                record.changes.len()
            )
        }
    }
}

/// Put every file a change in place touched back from the backup folder, remove the files it
/// added, restore the guarded paths, and remove the folders it made.
pub(super) fn undo(dest: &Path, record: &Record) {
    let stage = &record.stage;
    let backup = journal::backup_of(stage);
    for (n, relative) in record.guarded.iter().enumerate() {
        let (copy, absent) = journal::guarded_copy(&backup, n);
        let target = dest.join(relative);
        if copy.symlink_metadata().is_ok() {
            remove_any(&target);
            let _ = fs_err::rename(&copy, &target);
        } else if absent.exists() {
            remove_any(&target);
        }
    }
    for entry in record.changes.iter().rev() {
        let target = dest.join(&entry.path);
        let saved = backup.join(&entry.path);
        if saved.symlink_metadata().is_ok() {
            remove_any(&target);
            let _ = fs_err::rename(&saved, &target);
        } else if !entry.had_file && entry.writes && !stage.join(&entry.path).exists() {
            remove_any(&target);
        }
    }
    let mut made: Vec<PathBuf> = record.creates.clone();
    made.sort_by_key(|p| p.components().count());
    remove_folders(&made);
}

/// Remove a file or a folder with everything in it; missing is fine.
fn remove_any(path: &Path) {
    match path.symlink_metadata() {
        Ok(meta) if meta.is_dir() => {
            let _ = fs_err::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = fs_err::remove_file(path);
        }
        Err(_) => {}
    }
}

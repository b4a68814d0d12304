//! What a write in progress records so that a killed run can be taken back by the next one, and
//! how the next run finds such records without trusting them.
//!
//! Before a run stages anything it writes `.dayone-staging-XXXX.journal` in the folder where it
//! stages (the destination, or for a new folder the nearest folder above it that exists) and
//! keeps the file locked while it runs. Its staging folder and its backup folder are named after
//! the journal (`.dayone-staging-XXXX`, `.dayone-staging-XXXX.backup`), so nothing in the file
//! says where they are. The file says how the project is written (a new folder renamed into
//! place, an empty folder filled, or files changed in place), where the new folder goes relative
//! to the journal, and for changes in place which paths of the project change, all relative.
//! Empty marker files beside it say how far the run got: `.moving` (it began to change the
//! project) and `.done` (the project is as it should be; only cleaning up is left).
//!
//! A journal is only read if this user wrote it, in a folder that not everyone may write to;
//! every path in it must be a plain relative path that stays inside the project, through no
//! symbolic link (see [`inside`]).

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::disk;

pub(super) const PREFIX: &str = ".dayone-staging-";
const SUFFIX: &str = ".journal";
const MARKERS: [&str; 2] = ["moving", "done"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub(super) enum Kind {
    /// A new folder: the staging folder is renamed to the destination.
    New,
    /// An empty folder: the staged entries are moved in.
    Fill,
    /// A folder with files: staged files are swapped in, the replaced ones kept in the backup.
    InPlace,
}

/// One path changed in place.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Entry {
    /// Relative to the destination, `/`-separated.
    pub path: String,
    /// Whether something was at `path` before (a second name for it is kept in the backup).
    pub had_file: bool,
    /// Whether a new file is put at `path` (else the path is only removed).
    pub writes: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Record {
    pub kind: Kind,
    /// For a new folder: the destination relative to the journal's folder (see [`encode`]).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub target: String,
    /// For changes in place: folders missing when the run started that it may create,
    /// relative to the destination, outermost first.
    #[serde(default)]
    pub creates: Vec<String>,
    #[serde(default)]
    pub changes: Vec<Entry>,
    /// Paths (relative to the destination) that the run's last step may change beyond the
    /// files: complete copies are kept in `backup/.dayone-guarded/N`, or `N.absent` when
    /// nothing was there.
    #[serde(default)]
    pub guarded: Vec<String>,
}

/// The journal of the running write, locked for as long as it lives.
pub(super) struct Journal {
    path: PathBuf,
    pub record: Record,
    _lock: File,
}

impl Journal {
    /// Write `record` to a journal with a fresh name in `place` and lock it. The record is
    /// made into text first, so a journal is never left empty by a record that cannot be.
    pub fn begin(place: &Path, record: Record) -> io::Result<Self> {
        let text = toml::to_string(&record).map_err(io::Error::other)?;
        loop {
            let (mut file, path) = disk::create_unique(place, PREFIX, SUFFIX)?;
            let written = file.lock().and_then(|()| {
                // Another run's recovery may have taken this file for a dead run's in the
                // moment before the lock: then the name is gone and a new one is needed.
                if !disk::still_at(&file, &path) {
                    return Err(io::ErrorKind::NotFound.into());
                }
                io::Write::write_all(&mut file, text.as_bytes())?;
                file.sync_all()
            });
            match written {
                Ok(()) => {
                    return Ok(Self {
                        path,
                        record,
                        _lock: file,
                    });
                }
                Err(err) if err.kind() == io::ErrorKind::NotFound => continue,
                Err(err) => {
                    let _ = fs_err::remove_file(&path);
                    return Err(err);
                }
            }
        }
    }

    pub fn stage(&self) -> PathBuf {
        stage_of(&self.path)
    }

    /// Mark how far the run got (`moving`, `done`).
    pub fn mark(&self, step: &str) -> io::Result<()> {
        disk::mark(&marker(&self.path, step))
    }

    /// Whether this run marked `step`.
    pub fn reached(&self, step: &str) -> bool {
        marker(&self.path, step).exists()
    }

    /// The run is over and its staging and backup folders are gone: remove the journal, then
    /// its markers (a marker without a journal means nothing).
    pub fn end(self) {
        discard(&self.path);
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

/// Keep a complete copy of each guarded path (file or folder), or mark it absent. A copy is
/// renamed to its name only once complete, so a failed copy is never restored.
pub(super) fn save_guarded(dest: &Path, backup: &Path, guarded: &[String]) -> io::Result<()> {
    for (n, relative) in guarded.iter().enumerate() {
        let (copy, absent) = guarded_copy(backup, n);
        disk::create_dir_all(copy.parent().expect("below the backup folder"))?;
        let original = dest.join(relative);
        match original.symlink_metadata() {
            Ok(meta) if meta.is_dir() => disk::copy_folder_whole(&original, &copy)?,
            Ok(_) => disk::copy_whole(&original, &copy)?,
            Err(_) => disk::mark(&absent)?,
        }
    }
    Ok(())
}

fn marker(journal: &Path, step: &str) -> PathBuf {
    let mut name = journal.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{step}"));
    journal.with_file_name(name)
}

/// Remove a journal, then its markers.
pub(super) fn discard(journal: &Path) {
    let _ = disk::remove_file(journal);
    for step in MARKERS {
        let _ = disk::remove_file(&marker(journal, step));
    }
}

/// `relative` below `dest`, if it is a plain relative path (`/`-separated names, none empty,
/// `.` or `..`) and no folder on the way to it is a symbolic link: a journal cannot lead
/// anywhere else.
pub(super) fn inside(dest: &Path, relative: &str) -> Option<PathBuf> {
    let parts: Vec<&str> = relative.split('/').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || *p == "." || *p == ".." || p.contains(['\\', '\0']))
    {
        return None;
    }
    let mut path = dest.to_path_buf();
    for (i, part) in parts.iter().enumerate() {
        path.push(part);
        if i + 1 < parts.len() && path.symlink_metadata().is_ok_and(|m| !m.is_dir()) {
            return None;
        }
    }
    Some(path)
}

/// A path below a folder as journal text: its names joined by `/`, each byte that is not part
/// of UTF-8 text (and `%` itself) written `%XX`, so any name the system allows fits in TOML.
pub(super) fn encode(relative: &Path) -> String {
    let mut out = String::new();
    for (i, part) in relative.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        let bytes = part.as_os_str().as_encoded_bytes();
        for chunk in bytes.utf8_chunks() {
            for c in chunk.valid().chars() {
                match c {
                    '%' => out.push_str("%25"),
                    c => out.push(c),
                }
            }
            for byte in chunk.invalid() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// [`encode`] read back: the names of a path below the journal's folder, or `None` when the
/// text is not one (empty, `.`, `..`, a bad escape).
pub(super) fn decode(text: &str) -> Option<PathBuf> {
    let mut path = PathBuf::new();
    for part in text.split('/') {
        let mut bytes = Vec::with_capacity(part.len());
        let mut rest = part.as_bytes();
        while let Some((&b, tail)) = rest.split_first() {
            if b == b'%' {
                let hex = std::str::from_utf8(tail.get(..2)?).ok()?;
                bytes.push(u8::from_str_radix(hex, 16).ok()?);
                rest = &tail[2..];
            } else {
                bytes.push(b);
                rest = tail;
            }
        }
        let name = os_string(bytes)?;
        if !matches!(Path::new(&name).components().next(), Some(Component::Normal(n)) if n == name.as_os_str())
        {
            return None;
        }
        path.push(name);
    }
    Some(path)
}

#[cfg(unix)]
fn os_string(bytes: Vec<u8>) -> Option<OsString> {
    use std::os::unix::ffi::OsStringExt;
    Some(OsString::from_vec(bytes))
}

#[cfg(not(unix))]
fn os_string(bytes: Vec<u8>) -> Option<OsString> {
    String::from_utf8(bytes).ok().map(OsString::from)
}

/// A journal a killed run left, found for a destination: held locked while it is dealt with.
pub(super) struct Found {
    pub path: PathBuf,
    /// `None` when it cannot be read: the run had only begun to write it.
    pub record: Option<Record>,
    _lock: File,
}

impl Found {
    pub fn stage(&self) -> PathBuf {
        stage_of(&self.path)
    }

    pub fn reached(&self, step: &str) -> bool {
        marker(&self.path, step).exists()
    }

    /// Remove the journal and its markers, still holding its lock.
    pub fn discard(self) {
        discard(&self.path);
    }
}

/// The journals in `place` that killed runs left for `dest` (unlocked, readable as one of
/// ours, aimed at `dest`), each locked now. Journals this user did not write, or that lie in a
/// folder everyone may write to, are not read: a warning for each goes to `ignored`.
pub(super) fn left_behind(dest: &Path, place: &Path, ignored: &mut Vec<String>) -> Vec<Found> {
    let mut found = Vec::new();
    let Ok(entries) = fs_err::read_dir(place) else {
        return found;
    };
    let journals: Vec<PathBuf> = entries
        .flatten()
        .filter(|e| is_journal(&e.file_name()))
        .map(|e| e.path())
        .collect();
    if journals.is_empty() {
        return found;
    }
    if let Some(why) = untrusted_folder(place) {
        ignored.push(format!(
            "left {} journal(s) of interrupted dayone runs in {} alone: {why}; remove them if they are yours",
            journals.len(),
            place.display()
        ));
        return found;
    }
    for path in journals {
        if let Some(why) = disk::not_own_file(&path) {
            ignored.push(format!("left {} alone: {why}", path.display()));
            continue;
        }
        if read(&path).is_some_and(|record| !aimed_at(&record, place, dest)) {
            continue;
        }
        let Some(file) = lock_dead(&path) else {
            continue;
        };
        // Read again under the lock: a run may have finished writing it in between.
        let record = read(&path);
        if record
            .as_ref()
            .is_none_or(|record| aimed_at(record, place, dest))
        {
            found.push(Found {
                path,
                record,
                _lock: file,
            });
        }
    }
    found
}

fn read(path: &Path) -> Option<Record> {
    let text = fs_err::read_to_string(path).ok()?;
    toml::from_str(&text).ok()
}

/// Whether a journal found in `place` is about `dest`.
fn aimed_at(record: &Record, place: &Path, dest: &Path) -> bool {
    match record.kind {
        Kind::New => decode(&record.target).is_some_and(|t| place.join(t) == dest),
        Kind::Fill | Kind::InPlace => place == dest,
    }
}

/// Lock the journal of a run that is no longer going, or `None` while its run holds it. A
/// lock may also be held for a moment by a process that this one's run started (it inherits
/// the open file until it starts its program), so a held lock is tried a few times.
fn lock_dead(path: &Path) -> Option<File> {
    let file = File::open(path).ok()?;
    for _ in 0..10 {
        if file.try_lock().is_ok() {
            // The name may have been dealt with (and removed) by another run meanwhile.
            return disk::still_at(&file, path).then_some(file);
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    None
}

fn is_journal(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with(PREFIX) && name.ends_with(SUFFIX)
}

/// Why files in `folder` are not to be trusted: anyone may write there.
pub(super) fn untrusted_folder(folder: &Path) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = fs_err::metadata(folder).ok()?;
        (meta.permissions().mode() & 0o002 != 0).then_some("anyone may write in that folder")
    }
    #[cfg(not(unix))]
    {
        let _ = folder;
        None
    }
}

/// Staging and backup folders and markers in `place` that no journal owns: what a killed run
/// left after its journal was gone, or a dayone before journals left. Not looked for in a
/// folder everyone may write to.
pub(super) fn orphans(place: &Path) -> Vec<PathBuf> {
    if untrusted_folder(place).is_some() {
        return Vec::new();
    }
    let mut found = Vec::new();
    for entry in fs_err::read_dir(place).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with(PREFIX) || name.starts_with(".dayone-backup-"))
            || name.ends_with(SUFFIX)
        {
            continue;
        }
        let base = MARKERS
            .iter()
            .map(|m| format!("{SUFFIX}.{m}"))
            .chain([".backup".to_string()])
            .find_map(|end| name.strip_suffix(&end))
            .unwrap_or(&name);
        if !place.join(format!("{base}{SUFFIX}")).exists() {
            found.push(entry.path());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_not_utf8_go_through_the_journal_unchanged() {
        #[cfg(unix)]
        {
            use std::os::unix::ffi::OsStrExt;
            let name = OsStr::from_bytes(b"caf\xe9 100%");
            let path = Path::new(name).join("proj");
            let text = encode(&path);
            assert_eq!(text, "caf%E9 100%25/proj");
            assert_eq!(decode(&text).unwrap(), path);
        }
        assert_eq!(decode("a/b").unwrap(), Path::new("a/b"));
    }

    #[test]
    fn only_plain_relative_paths_are_read_back() {
        for bad in [
            "", "/etc", "a//b", "..", "a/../b", "./a", "%2E%2E", "%2Fetc", "%zz", "%4",
        ] {
            assert_eq!(decode(bad), None, "{bad}");
        }
        let dest = tempfile::tempdir().unwrap();
        for bad in ["/etc/passwd", "../x", "a/./b", "a/../../x", "", "a/"] {
            assert_eq!(inside(dest.path(), bad), None, "{bad}");
        }
        assert_eq!(inside(dest.path(), "a/b"), Some(dest.path().join("a/b")));
    }

    #[cfg(unix)]
    #[test]
    fn a_path_through_a_symbolic_link_is_not_followed() {
        let dest = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dest.path().join("link")).unwrap();
        assert_eq!(inside(dest.path(), "link/file"), None);
        // The link itself may be named: removing or replacing it does not follow it.
        assert_eq!(inside(dest.path(), "link"), Some(dest.path().join("link")));
    }
}

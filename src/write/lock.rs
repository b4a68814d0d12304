//! One dayone run at a time per destination. A run that writes (`new`, `update`, `add`) takes
//! the lock before it looks at the destination and holds it until it ends; a second run waits
//! up to [`WAIT`] and then stops with an error that names the first (its pid and command).
//!
//! The lock is a file locked with the operating system's advisory lock, so a killed run's lock
//! goes with its process. Inside the destination when that is a folder (`.dayone-lock`),
//! else beside the first missing folder on the way to it (`.dayone-lock-NAME`). A run that
//! makes a new folder holds the second kind, so a run that arrives once the folder is there
//! also looks for it in each folder above the destination. The file holds the holder's pid and
//! command, and is removed when the run ends.

use std::ffi::OsString;
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::disk;
use crate::error::{Error, Result};

/// How long a second run waits for the first before it gives up.
pub const WAIT: Duration = Duration::from_secs(2);
const NAME: &str = ".dayone-lock";

/// Lock files this process holds, for a Ctrl-C that ends it at once to remove.
static HELD: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The lock on a destination for this run; released when dropped. A dry run holds none.
pub struct Lock {
    held: Option<(File, PathBuf)>,
    /// The run this one waited for, if it had to.
    waited_for: Option<String>,
}

impl Lock {
    /// Take the lock on `dest`, waiting up to [`WAIT`] for a run that holds it.
    pub fn take(dest: &Path) -> Result<Self> {
        let dest = std::path::absolute(dest)?;
        let deadline = Instant::now() + WAIT;
        let mut waited_for = None;
        loop {
            let path = place(&dest);
            match try_take(&path)? {
                Some(file) if place(&dest) != path => release(file, &path),
                Some(file) => match held_above(&dest, &path) {
                    Some(holder) => {
                        release(file, &path);
                        waited_for = Some(holder);
                    }
                    None => {
                        let mut file = file;
                        file.set_len(0)?;
                        file.write_all(holder_line().as_bytes())?;
                        HELD.lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push(path.clone());
                        return Ok(Self {
                            held: Some((file, path)),
                            waited_for,
                        });
                    }
                },
                None => waited_for = Some(holder_of(&path)),
            }
            if Instant::now() >= deadline {
                return Err(Error::Busy {
                    path: dest,
                    holder: waited_for.unwrap_or_default(),
                });
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// No lock, for a dry run, which writes nothing.
    pub fn none() -> Self {
        Self {
            held: None,
            waited_for: None,
        }
    }

    /// `err` from looking at the destination, told better when this run waited for another:
    /// a folder that run just made is not "some folder that is not empty".
    pub fn explain(&self, err: Error) -> Error {
        match (err, &self.waited_for) {
            (Error::DestinationNotEmpty { path }, Some(holder)) => Error::MadeByOtherRun {
                path,
                holder: holder.clone(),
            },
            (err, _) => err,
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        if let Some((file, path)) = self.held.take() {
            HELD.lock()
                .unwrap_or_else(|e| e.into_inner())
                .retain(|p| *p != path);
            release(file, &path);
        }
    }
}

/// Remove the lock files this process holds; for a Ctrl-C that ends the process at once.
pub fn remove_held() {
    for path in HELD.lock().unwrap_or_else(|e| e.into_inner()).drain(..) {
        let _ = std::fs::remove_file(path);
    }
}

/// Whether `name` is one of the lock files, which do not count as a folder's contents.
pub fn is_lock_file(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with(NAME)
}

/// The lock file for `dest`: inside it when it is a folder, else in the nearest folder above
/// it, named after the next name on the way to it (a file in the way is for the command to
/// refuse, not for the lock).
fn place(dest: &Path) -> PathBuf {
    if dest.is_dir() {
        return dest.join(NAME);
    }
    let anchor = dest
        .ancestors()
        .skip(1)
        .find(|a| a.is_dir())
        .unwrap_or(Path::new("."));
    let first = dest
        .strip_prefix(anchor)
        .ok()
        .and_then(|rest| rest.components().next())
        .map_or_else(OsString::new, |c| c.as_os_str().to_os_string());
    anchor.join(named(&first))
}

fn named(child: &std::ffi::OsStr) -> OsString {
    let mut name = OsString::from(format!("{NAME}-"));
    name.push(child);
    name
}

/// Lock `path`, or `None` when another process holds it.
fn try_take(path: &Path) -> Result<Option<File>> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Nobody else may open it, so nobody else can hold it.
        options.mode(0o600);
    }
    let cannot = |source| Error::CannotLock {
        path: path.parent().unwrap_or(path).to_path_buf(),
        source,
    };
    if let Some(why) = disk::not_own_file(path) {
        let said = format!(
            "{}: {why}; remove it if no dayone run of theirs is going",
            path.display()
        );
        return Err(cannot(std::io::Error::other(said)));
    }
    let file = options.open(path).map_err(cannot)?;
    match file.try_lock() {
        Ok(()) if disk::still_at(&file, path) => Ok(Some(file)),
        // Its holder removed it as it ended: take the new one.
        Ok(()) => try_take(path),
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(source)) => Err(cannot(source)),
    }
}

/// A run that makes the destination, or a folder above it, holds a lock in a folder above it.
/// Such a lock that nobody holds any more was left by a killed run: it is removed.
fn held_above(dest: &Path, own: &Path) -> Option<String> {
    dest.ancestors().skip(1).find_map(|folder| {
        let child = dest.strip_prefix(folder).ok()?.components().next()?;
        let path = folder.join(named(child.as_os_str()));
        if path == own || disk::not_own_file(&path).is_some() {
            return None;
        }
        let file = File::open(&path).ok()?;
        if file.try_lock().is_err() {
            return Some(holder_of(&path));
        }
        release(file, &path);
        None
    })
}

/// Remove the lock file, then unlock it by closing it.
fn release(file: File, path: &Path) {
    if disk::still_at(&file, path) {
        let _ = std::fs::remove_file(path);
    }
    drop(file);
}

/// What a lock file says about its holder, e.g. `pid 4242: dayone update proj`.
fn holder_of(path: &Path) -> String {
    let mut text = String::new();
    if let Ok(mut file) = File::open(path) {
        let _ = file.rewind();
        let _ = file.take(512).read_to_string(&mut text);
    }
    text.trim().to_string()
}

fn holder_line() -> String {
    let command: Vec<String> = std::env::args_os()
        .enumerate()
        .map(|(i, arg)| {
            let arg = arg.to_string_lossy().into_owned();
            match i {
                0 => Path::new(&arg)
                    .file_name()
                    .map_or(arg.clone(), |n| n.to_string_lossy().into_owned()),
                _ => arg,
            }
        })
        .collect();
    let command: String = command.join(" ").chars().take(300).collect();
    format!("pid {}: {command}\n", std::process::id())
}

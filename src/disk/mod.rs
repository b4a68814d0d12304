//! Every change dayone makes to the file system while it writes a project or its repository,
//! one step each: a folder made, a file written, a file written whole (a temporary file in the
//! same folder renamed over the target once complete, so the target holds all the old bytes or
//! all the new ones, never a part), a copy counted only once complete, a rename, a hard link, a
//! removal. The writer (`write/`) and git's object store (`git/objects.rs`) take their steps
//! here, so a test can make any one of them fail or end the run there as a kill would
//! ([`fault`], built into tests only).
//!
//! Errors name the path they concern; the writer names the destination instead when it reports
//! them, so no message shows a staging folder. Beside the steps, the few questions about the disk
//! they depend on: the nearest folder that exists, whether an open file is still the one at its
//! path, whether a file is this user's own.

#[cfg(test)]
pub mod fault;

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Before every step that changes the disk. Tests inject their faults here; a release build
/// does nothing.
fn step(what: &'static str, path: &Path) -> io::Result<()> {
    #[cfg(test)]
    fault::step(what, path)?;
    #[cfg(not(test))]
    let _ = (what, path);
    Ok(())
}

/// A step that code dayone does not see inside takes next (libgit2 writing the index or a
/// ref): named so that a test can fail or kill the run just before it.
pub fn checkpoint(what: &'static str, path: &Path) -> io::Result<()> {
    step(what, path)
}

pub fn create_dir(path: &Path) -> io::Result<()> {
    step("make a folder", path)?;
    fs_err::create_dir(path)
}

/// Make a folder and the missing ones above it; one step whether or not any was missing, so a
/// run takes the same steps whatever the ids of its objects (a commit's depends on the clock).
pub fn create_dir_all(path: &Path) -> io::Result<()> {
    step("make folders", path)?;
    fs_err::create_dir_all(path)
}

/// Create a file with a fresh name `PREFIX…SUFFIX` in `dir` (never one that exists).
pub fn create_unique(dir: &Path, prefix: &str, suffix: &str) -> io::Result<(File, PathBuf)> {
    step("make a file", dir)?;
    tempfile::Builder::new()
        .prefix(prefix)
        .suffix(suffix)
        .tempfile_in(dir)?
        .keep()
        .map_err(|err| err.error)
}

/// An empty file that marks a state by being there.
pub fn mark(path: &Path) -> io::Result<()> {
    step("mark", path)?;
    fs_err::File::create(path).map(drop)
}

/// Write a new file in a folder only this run reads (a staging folder): `fill` writes it in place.
pub fn write_new(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    step("write", path)?;
    let mut out = io::BufWriter::new(fs_err::File::create(path)?);
    fill(&mut out)?;
    out.flush()
}

/// Write `path` whole: `fill` writes a temporary file `PREFIX…` in the same folder, which is
/// renamed over `path` only once it is complete. On Unix the file is made with `unix_mode` less
/// the umask (0666 when `None`, as for any new file); elsewhere with the default.
pub fn write_whole(
    path: &Path,
    prefix: &str,
    unix_mode: Option<u32>,
    fill: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    step("write a temporary file", path)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(unix_mode.unwrap_or(0o666)));
    }
    #[cfg(not(unix))]
    let _ = unix_mode;
    let mut temp = builder.tempfile_in(parent(path))?;
    {
        let mut out = io::BufWriter::new(temp.as_file_mut());
        fill(&mut out)?;
        out.flush()?;
    }
    step("rename into place", path)?;
    temp.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// Copy the file `from` to `to` whole: into a temporary name beside `to`, renamed only once
/// the copy succeeded, so `to` is either missing or a complete copy.
pub fn copy_whole(from: &Path, to: &Path) -> io::Result<()> {
    step("copy to a temporary file", to)?;
    let temp = tempfile::Builder::new()
        .prefix(".dayone-copy-")
        .tempfile_in(parent(to))?;
    fs_err::copy(from, temp.path())?;
    step("rename into place", to)?;
    temp.persist(to).map_err(|err| err.error)?;
    Ok(())
}

/// Copy the folder `from` to `to` whole, as [`copy_whole`] does a file.
pub fn copy_folder_whole(from: &Path, to: &Path) -> io::Result<()> {
    step("copy a folder to a temporary one", to)?;
    let temp = tempfile::Builder::new()
        .prefix(".dayone-copy-")
        .tempdir_in(parent(to))?;
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.map_err(io::Error::from)?;
        let target = temp
            .path()
            .join(entry.path().strip_prefix(from).expect("below the root"));
        if entry.file_type().is_dir() {
            fs_err::create_dir_all(&target)?;
        } else {
            fs_err::copy(entry.path(), &target)?;
        }
    }
    step("rename into place", to)?;
    fs_err::rename(temp.keep(), to)
}

/// A second name for the file `from`, or a complete copy where the file system has no hard
/// links: either way `from` stays as it is.
pub fn link_or_copy(from: &Path, to: &Path) -> io::Result<()> {
    step("link", to)?;
    match std::fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(_) if from.symlink_metadata().is_ok_and(|m| m.is_file()) => copy_whole(from, to),
        Err(err) => Err(err),
    }
}

/// Rename `from` to `to`, replacing a file at `to` in one step.
pub fn rename(from: &Path, to: &Path) -> io::Result<()> {
    step("rename", to)?;
    fs_err::rename(from, to)
}

pub fn remove_file(path: &Path) -> io::Result<()> {
    step("remove", path)?;
    fs_err::remove_file(path)
}

/// Remove an empty folder.
pub fn remove_dir(path: &Path) -> io::Result<()> {
    step("remove a folder", path)?;
    fs_err::remove_dir(path)
}

/// Remove a file, a link (never what it points to) or a folder with everything in it; a path
/// that is not there is no error.
pub fn remove_all(path: &Path) -> io::Result<()> {
    let Ok(meta) = path.symlink_metadata() else {
        return Ok(());
    };
    step("remove", path)?;
    if meta.is_dir() {
        fs_err::remove_dir_all(path)
    } else {
        fs_err::remove_file(path)
    }
}

/// Whether `file`, opened earlier, is still the file at `path`: not removed, nor replaced by
/// another since (so a lock on it still means something).
pub fn still_at(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), path.symlink_metadata()) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = file;
        path.is_file()
    }
}

/// Why a file dayone finds where it keeps its own (a journal, a lock) is not to be used: it is
/// not a plain file, or another user made it.
pub fn not_own_file(path: &Path) -> Option<&'static str> {
    let meta = path.symlink_metadata().ok()?;
    if !meta.is_file() {
        return Some("it is not a plain file");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.uid() != rustix::process::geteuid().as_raw() {
            return Some("another user made it");
        }
    }
    None
}

/// The closest ancestor of `path` (or `path` itself) that exists.
pub fn nearest_existing(path: &Path) -> PathBuf {
    path.ancestors()
        .find(|a| a.exists())
        .map_or_else(|| path.to_path_buf(), Path::to_path_buf)
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

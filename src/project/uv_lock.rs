//! `uv.lock` after `update` or `add` changed `pyproject.toml`. The generated CI runs
//! `uv sync --locked`, which fails on a lock that no longer matches, so when uv is on PATH
//! `uv lock` brings the lock up to date (the caller stages it with the update); when uv is
//! not there, or fails (offline), the report carries the exact command to run.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde::Serialize;

pub const LOCK_FILE: &str = "uv.lock";

/// What became of `uv.lock`, for text and `--json`.
#[derive(Debug, Serialize)]
pub struct LockReport {
    pub file: &'static str,
    pub state: LockState,
    /// The command that brings the lock up to date, run here or to run.
    pub command: String,
    /// The command that stages the lock, in a git repository.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// Why it was not run, or how it failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LockState {
    /// `uv lock` ran and the lock is up to date.
    Updated,
    /// A dry run: `uv lock` would run.
    WouldUpdate,
    /// `pyproject.toml` has conflict markers: lock after resolving it.
    AfterConflict,
    /// uv is not on PATH, or `uv lock` failed: the command is for the user.
    Stale,
}

/// What `pyproject.toml` went through in the update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pyproject {
    Unchanged,
    Changed,
    Conflict,
}

/// Bring the project's `uv.lock` in step after `pyproject.toml` changed; `None` when there is
/// nothing to do (no lock file, or `pyproject.toml` as it was). `git`: whether the project is
/// a repository, where the lock is to be staged.
pub fn after_update(
    root: &Path,
    pyproject: Pyproject,
    dry_run: bool,
    git: bool,
) -> Option<LockReport> {
    if pyproject == Pyproject::Unchanged || !root.join(LOCK_FILE).is_file() {
        return None;
    }
    let (command, stage) = commands_for(root);
    let report = |state, detail: Option<String>| LockReport {
        file: LOCK_FILE,
        state,
        command: command.clone(),
        stage: git.then(|| stage.clone()),
        detail,
    };
    if pyproject == Pyproject::Conflict {
        return Some(report(LockState::AfterConflict, None));
    }
    let Some(uv) = on_path("uv") else {
        return Some(report(
            LockState::Stale,
            Some("uv is not on PATH".to_string()),
        ));
    };
    if dry_run {
        return Some(report(LockState::WouldUpdate, None));
    }
    let ran = Command::new(&uv)
        .arg("lock")
        .current_dir(root)
        .stdin(Stdio::null())
        .output();
    Some(match ran {
        Ok(out) if out.status.success() => report(LockState::Updated, None),
        Ok(out) => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let last = stderr.lines().rev().find(|l| !l.trim().is_empty());
            let why = last.map_or_else(|| out.status.to_string(), |l| l.trim().to_string());
            report(LockState::Stale, Some(format!("`uv lock` failed: {why}")))
        }
        Err(err) => report(
            LockState::Stale,
            Some(format!("cannot run {}: {err}", uv.display())),
        ),
    })
}

/// `uv lock` and `git add uv.lock`, naming the project folder when it is not the current one.
fn commands_for(root: &Path) -> (String, String) {
    if root == Path::new(".") || root.as_os_str().is_empty() {
        return ("uv lock".to_string(), format!("git add {LOCK_FILE}"));
    }
    let dir = root.display().to_string();
    let plain = dir
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:@".contains(c));
    let dir = if plain {
        dir
    } else {
        format!("'{}'", dir.replace('\'', r"'\''"))
    };
    (
        format!("uv lock --directory {dir}"),
        format!("git -C {dir} add {LOCK_FILE}"),
    )
}

/// The program `name` as the shell would find it on PATH.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    let names: Vec<OsString> = if cfg!(windows) {
        vec![format!("{name}.exe").into(), name.into()]
    } else {
        vec![name.into()]
    };
    std::env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|candidate| is_program(candidate))
}

#[cfg(unix)]
fn is_program(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_program(path: &Path) -> bool {
    path.is_file()
}

impl LockReport {
    /// What the text report says about the lock.
    pub fn message(&self) -> String {
        let todo = match &self.stage {
            Some(stage) => format!("`{}` and `{stage}`", self.command),
            None => format!("`{}`", self.command),
        };
        let then = "before you push: the CI runs `uv sync --locked`, which refuses a stale lock";
        match self.state {
            LockState::Updated => format!(
                "pyproject.toml changed, so `{}` brought {} up to date{}.",
                self.command,
                self.file,
                if self.stage.is_some() {
                    " (staged with the update)"
                } else {
                    ""
                }
            ),
            LockState::WouldUpdate => format!(
                "pyproject.toml would change, so `{}` would bring {} up to date.",
                self.command, self.file
            ),
            LockState::AfterConflict => format!(
                "pyproject.toml has conflicts, so {} is out of date: resolve them, then run {todo} {then}.",
                self.file
            ),
            LockState::Stale => format!(
                "pyproject.toml changed and {} is out of date ({}): run {todo} {then}.",
                self.file,
                self.detail.as_deref().unwrap_or("not locked"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_commands_name_the_project_folder_quoted_when_needed() {
        assert_eq!(
            commands_for(Path::new(".")),
            ("uv lock".into(), "git add uv.lock".into())
        );
        assert_eq!(
            commands_for(Path::new("proj/a-b")).0,
            "uv lock --directory proj/a-b"
        );
        assert_eq!(
            commands_for(Path::new("my proj's")).1,
            r"git -C 'my proj'\''s' add uv.lock"
        );
    }
}

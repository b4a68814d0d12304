//! A test environment: a temporary HOME and config dir, so no developer's git or dayone
//! configuration leaks in, and a builder for running the real binary inside it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub struct TestEnv {
    root: TempDir,
}

impl TestEnv {
    pub fn new() -> Self {
        let root = tempfile::tempdir().expect("create temp dir");
        for dir in ["home", "config", "work"] {
            std::fs::create_dir_all(root.path().join(dir)).expect("create test dirs");
        }
        Self { root }
    }

    /// The folder commands run in.
    pub fn work(&self) -> PathBuf {
        self.root.path().join("work")
    }

    pub fn home(&self) -> PathBuf {
        self.root.path().join("home")
    }

    /// `$XDG_CONFIG_HOME`; dayone's user config lives in `dayone/config.toml` below it.
    pub fn config_home(&self) -> PathBuf {
        self.root.path().join("config")
    }

    /// Write a file below the work folder, creating parents.
    pub fn write(&self, relative: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.work().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// `dayone ARGS…` in the work folder with an isolated environment and no terminal.
    pub fn dayone<I, S>(&self, args: I) -> Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        let mut cmd = Command::cargo_bin("dayone").unwrap();
        cmd.current_dir(self.work())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.config_home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.home().join(".gitconfig"))
            .env("NO_COLOR", "1")
            .args(args);
        cmd
    }
}

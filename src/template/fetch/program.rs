//! Running the `git` program for a fetch: never a prompt (a terminal, an askpass window, ssh's
//! passphrase), never the caller's repository, hooks or background jobs, messages in English so
//! they can be told apart, and git's own words kept for the error.
//!
//! The user's configuration is honoured otherwise: proxies, credential helpers, `insteadOf`
//! rewrites and ssh settings are why dayone runs `git` rather than a library.

use std::ffi::OsStr;
use std::path::Path;
use std::process::{Command, Stdio};

/// Environment variables that would point git at another repository than the one given.
const REPOSITORY_VARIABLES: [&str; 9] = [
    "GIT_DIR",
    "GIT_WORK_TREE",
    "GIT_INDEX_FILE",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR",
    "GIT_NAMESPACE",
    "GIT_CEILING_DIRECTORIES",
    "GIT_PREFIX",
];

/// Why a git command failed.
#[derive(Debug)]
pub enum Failure {
    /// No `git` on PATH.
    Missing(std::io::Error),
    /// It ran and failed; its stderr, trimmed to the lines that say why.
    Said(String),
}

/// `git` with the settings every fetch command shares; `hooks` is a folder that does not
/// exist, so no hook of the user's `core.hooksPath` runs in the cache.
pub fn git(hooks: &Path, ssh: bool) -> Command {
    let mut command = Command::new("git");
    for name in REPOSITORY_VARIABLES {
        command.env_remove(name);
    }
    command
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GCM_INTERACTIVE", "never")
        .env("SSH_ASKPASS_REQUIRE", "never")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .arg("-c")
        .arg(format!("core.hooksPath={}", hooks.display()))
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "gc.auto=0",
            "-c",
            "maintenance.auto=false",
            "-c",
            "fetch.recurseSubmodules=false",
            "-c",
            "submodule.recurse=false",
            "-c",
            "credential.interactive=never",
        ]);
    if ssh && !ssh_configured() {
        // ssh asks for passphrases and unknown host keys on the terminal itself.
        command.env("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    }
    command
}

/// Whether the user chose how git runs ssh; then that choice stands.
fn ssh_configured() -> bool {
    if std::env::var_os("GIT_SSH_COMMAND").is_some() || std::env::var_os("GIT_SSH").is_some() {
        return true;
    }
    Command::new("git")
        .args(["config", "--get", "core.sshCommand"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|out| out.status.success())
}

/// Run `command` with `args`; its stdout on success.
pub fn run<I, S>(mut command: Command, args: I) -> Result<String, Failure>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let output = command
        .args(args)
        .output()
        .map_err(|err| match err.kind() {
            std::io::ErrorKind::NotFound => Failure::Missing(err),
            _ => Failure::Said(format!("cannot run git: {err}")),
        })?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        Err(Failure::Said(reason(&String::from_utf8_lossy(
            &output.stderr,
        ))))
    }
}

/// The lines of git's stderr that say why it failed: its `fatal:`, `error:`, `remote:` and
/// `ssh:` lines, else everything but warnings, hints and progress.
pub fn reason(stderr: &str) -> String {
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let said = ["fatal:", "error:", "remote:", "ssh:"];
    let mut kept: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| said.iter().any(|s| l.starts_with(s)))
        .collect();
    if kept.is_empty() {
        kept = lines
            .into_iter()
            .filter(|l| {
                !l.starts_with("warning:") && !l.starts_with("hint:") && !l.starts_with("From ")
            })
            .collect();
    }
    kept.dedup();
    if kept.is_empty() {
        "(nothing)".to_string()
    } else {
        // dayone's sentence goes on after git's.
        kept.join(" / ").trim_end_matches('.').to_string()
    }
}

/// What a failed fetch means, from git's message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// The repository has no such ref, or will not give that commit.
    NoSuchRef,
    /// Nothing at that address is a repository.
    NoRepository,
    /// The network, a proxy, credentials: the environment.
    Unreachable,
}

pub fn meaning(message: &str) -> Meaning {
    let lower = message.to_ascii_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| lower.contains(n));
    if has(&[
        "couldn't find remote ref",
        "not our ref",
        "unadvertised object",
        "no such remote ref",
        "unknown revision",
        "bad revision",
    ]) {
        Meaning::NoSuchRef
    } else if has(&[
        "does not appear to be a git repository",
        "repository not found",
        "not found",
        "returned error: 404",
        "does not exist",
    ]) && !has(&[
        "could not resolve",
        "terminal prompts disabled",
        "permission denied",
    ]) {
        Meaning::NoRepository
    } else {
        Meaning::Unreachable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gits_own_messages_are_told_apart() {
        for (stderr, expected) in [
            ("fatal: couldn't find remote ref nope\n", Meaning::NoSuchRef),
            (
                "fatal: git upload-pack: not our ref 0123\nfatal: remote error: upload-pack: not our ref 0123\n",
                Meaning::NoSuchRef,
            ),
            (
                "fatal: '/tmp/x' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n",
                Meaning::NoRepository,
            ),
            (
                "remote: Repository not found.\nfatal: repository 'https://github.com/o/r.git/' not found\n",
                Meaning::NoRepository,
            ),
            (
                "fatal: unable to access 'https://nonexistent.invalid/o/r/': Could not resolve host: nonexistent.invalid\n",
                Meaning::Unreachable,
            ),
            (
                "ssh: connect to host 127.0.0.1 port 9: Connection refused\nfatal: Could not read from remote repository.\n",
                Meaning::Unreachable,
            ),
            (
                "fatal: could not read Username for 'https://github.com': terminal prompts disabled\n",
                Meaning::Unreachable,
            ),
        ] {
            assert_eq!(meaning(&reason(stderr)), expected, "{stderr}");
        }
    }

    #[test]
    fn the_reason_keeps_gits_verdict_and_drops_the_noise() {
        let stderr = "warning: filtering not recognized by server, ignoring\nFrom file:///r\nfatal: '/r' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\n";
        assert_eq!(
            reason(stderr),
            "fatal: '/r' does not appear to be a git repository / fatal: Could not read from remote repository"
        );
        assert_eq!(reason("something odd\n"), "something odd");
        assert_eq!(reason(""), "(nothing)");
    }
}

//! Failure injection through every step that `new`, `add` and `update` take on the disk: each
//! file written, folder made, rename, link and removal, each loose object, and each write that
//! libgit2 makes (see `disk::fault`). At each step in turn the run gets an I/O error, and in
//! another attempt is killed there. Then:
//!
//! - after an I/O error the run ended with exit 3, its message names no staging folder, and the
//!   project is exactly as before (unless the error came in the cleaning up after the project
//!   was complete, which the run shrugs off);
//! - after a kill `.dayone.toml` and every one of the group's files are in place;
//! - the next run, undisturbed, leaves the project exactly as one undisturbed run makes it: the
//!   same files (and no dayone leftovers), the same index with its conflict stages, the same HEAD
//!   and base trees;
//! - `git fsck` is clean after the fault and after the next run.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command as Process;

use clap::Parser;

use super::Outcome;
use crate::cli::Cli;
use crate::disk::fault::{self, Fault};
use crate::error::{Error, Exit, Result};
use crate::printer::Printer;

/// A group's edits, committed before `update` and `add`: the README (merged cleanly with the
/// template's change), `config.toml` (a conflict with version 2) and a file of their own.
const README_EDIT: &str = "line 5, as the group wrote it";
const NOTES: &str = "the group's own notes\n";

fn dayone(args: &[String]) -> Result<Outcome> {
    let cli =
        Cli::try_parse_from(std::iter::once("dayone".to_string()).chain(args.iter().cloned()))
            .expect("arguments dayone accepts");
    super::run(cli.command, &Printer::silent())
}

fn git(dir: &Path, args: &[&str]) -> std::process::Output {
    Process::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Group")
        .env("GIT_AUTHOR_EMAIL", "group@example.org")
        .env("GIT_COMMITTER_NAME", "Group")
        .env("GIT_COMMITTER_EMAIL", "group@example.org")
        .output()
        .expect("git on PATH")
}

fn git_text(dir: &Path, args: &[&str]) -> String {
    String::from_utf8_lossy(&git(dir, args).stdout).into_owned()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A folder template in two versions. Version 2 retitles the README, changes `config.toml` and
/// the module, removes `old.txt` and `docs/old/guide.md` (leaving its folders empty) and adds
/// `new.txt`; the feature `extra` adds a README line and two files in new folders.
fn write_template(dir: &Path, version: u8) {
    write(
        &dir.join("template.toml"),
        &format!(
            "[template]\nname = \"fixture\"\nversion = \"{version}.0.0\"\ndirectory_variable = \"name\"\n\n\
             [[variables]]\nname = \"name\"\nprompt = \"Name\"\ntype = \"string\"\ndefault = \"proj\"\n\n\
             [[variables]]\nname = \"extra\"\nprompt = \"Extra?\"\ntype = \"bool\"\ndefault = false\nfeature = true\n\n\
             [[files.rules]]\nwhen = \"extra\"\npaths = [\"extra/*\", \"extra/*/*\"]\n"
        ),
    );
    let title = if version == 2 { " (v2)" } else { "" };
    let lines: String = (1..=8).map(|i| format!("line {i}\n")).collect();
    write(
        &dir.join("project/README.md"),
        &format!("# {{{{ name }}}}{title}\n{lines}{{% if extra %}}With extra.\n{{% endif %}}"),
    );
    write(
        &dir.join("project/config.toml"),
        &format!("x = {version}\n"),
    );
    write(
        &dir.join("project/src/{{ name }}/main.py"),
        &format!("print('version {version}')\n"),
    );
    write(&dir.join("project/extra/one.txt"), "one\n");
    write(&dir.join("project/extra/deep/two.txt"), "two\n");
    if version == 1 {
        write(&dir.join("project/docs/old/guide.md"), "a guide\n");
    }
    let (gone, added) = if version == 2 {
        ("old.txt", "new.txt")
    } else {
        ("new.txt", "old.txt")
    };
    let _ = std::fs::remove_file(dir.join("project").join(gone));
    write(&dir.join("project").join(added), &format!("{added}\n"));
}

/// One command to break at every step.
struct Case {
    name: &'static str,
    /// The project, relative to the folder the case runs in.
    project: &'static str,
    /// Make the state before the run in `root`, from the templates in `templates`.
    before: fn(root: &Path, templates: &Path),
    /// The command, for the case in `root`.
    args: fn(root: &Path, templates: &Path) -> Vec<String>,
    /// Whether the project holds the group's files that a kill must never take away.
    group_files: bool,
}

fn path(p: &Path) -> String {
    p.to_str().expect("test paths are UTF-8").to_string()
}

fn new_args(dest: &Path, templates: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        "new".to_string(),
        path(dest),
        "--yes".into(),
        "--set".into(),
        "name=proj".into(),
        "--template".into(),
        path(&templates.join("v1")),
    ];
    args.extend(extra.iter().map(ToString::to_string));
    args
}

/// A project made from version 1 with the group's edits committed.
fn edited_project(root: &Path, templates: &Path) {
    let proj = root.join("proj");
    dayone(&new_args(&proj, templates, &[])).expect("the project is made");
    let readme = std::fs::read_to_string(proj.join("README.md")).unwrap();
    write(
        &proj.join("README.md"),
        &readme.replace("line 5", README_EDIT),
    );
    write(&proj.join("config.toml"), "x = 10\n");
    write(&proj.join("notes.md"), NOTES);
    git(&proj, &["add", "-A"]);
    assert!(
        git(&proj, &["commit", "-qm", "the group's work"])
            .status
            .success()
    );
}

fn cases() -> [Case; 5] {
    [
        Case {
            name: "new into a folder that does not exist, below two that do not either",
            project: "a/b/proj",
            before: |_, _| {},
            args: |root, t| new_args(&root.join("a/b/proj"), t, &[]),
            group_files: false,
        },
        Case {
            name: "new into an empty folder",
            project: "proj",
            before: |root, _| std::fs::create_dir(root.join("proj")).unwrap(),
            args: |root, t| new_args(&root.join("proj"), t, &[]),
            group_files: false,
        },
        Case {
            name: "new --force over the group's files",
            project: "proj",
            before: |root, _| {
                write(&root.join("proj/README.md"), "the group's readme\n");
                write(&root.join("proj/notes.md"), NOTES);
            },
            args: |root, t| new_args(&root.join("proj"), t, &["--force"]),
            group_files: true,
        },
        Case {
            name: "update to version 2",
            project: "proj",
            before: edited_project,
            args: |root, t| {
                ["update", &path(&root.join("proj")), "--yes", "--template"]
                    .map(String::from)
                    .into_iter()
                    .chain([path(&t.join("v2"))])
                    .collect()
            },
            group_files: true,
        },
        Case {
            name: "add extra",
            project: "proj",
            before: edited_project,
            args: |root, t| {
                [
                    "add",
                    "extra",
                    "--project",
                    &path(&root.join("proj")),
                    "--yes",
                    "--template",
                ]
                .map(String::from)
                .into_iter()
                .chain([path(&t.join("v1"))])
                .collect()
            },
            group_files: true,
        },
    ]
}

/// What two states are compared by: every file and folder below the case's folder outside
/// `.git` (dayone's leftovers included), and the repository's index with its stages, HEAD's
/// tree and the base's tree.
#[derive(Debug, PartialEq, Eq)]
struct State {
    /// Path → contents (the fixture's files are text); a folder as `path/` → "".
    files: BTreeMap<String, String>,
    index: String,
    head: String,
    base: String,
}

fn state(root: &Path, project: &Path) -> State {
    let mut files = BTreeMap::new();
    let walk = walkdir::WalkDir::new(root)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git");
    for entry in walk {
        let entry = entry.unwrap();
        let key = entry
            .path()
            .strip_prefix(root)
            .unwrap()
            .display()
            .to_string();
        if entry.file_type().is_dir() {
            files.insert(format!("{key}/"), String::new());
        } else {
            let bytes = std::fs::read(entry.path()).unwrap();
            files.insert(key, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    let repo = project.join(".git").is_dir();
    let ask = |args: &[&str]| {
        if repo {
            git_text(project, args)
        } else {
            String::new()
        }
    };
    State {
        files,
        index: ask(&["ls-files", "-s"]),
        head: ask(&["rev-parse", "-q", "--verify", "HEAD^{tree}"]),
        base: ask(&["rev-parse", "-q", "--verify", "refs/dayone/base^{tree}"]),
    }
}

fn fsck(project: &Path, at: &str) {
    if !project.join(".git").is_dir() {
        return;
    }
    let out = git(project, &["fsck", "--full", "--no-dangling"]);
    let said =
        String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && said.trim().is_empty(),
        "{at}: git fsck: {said}"
    );
}

fn copy(from: &Path, to: &Path) {
    let done = Process::new("cp")
        .arg("-a")
        .arg(from)
        .arg(to)
        .status()
        .unwrap();
    assert!(done.success());
}

fn message(err: &Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text += &format!("\ncaused by: {cause}");
        source = cause.source();
    }
    text
}

/// What a kill may never take from the group, checked right after it.
fn group_files_in_place(project: &Path, at: &str) {
    let read = |name: &str| std::fs::read_to_string(project.join(name));
    assert_eq!(
        read("notes.md").ok().as_deref(),
        Some(NOTES),
        "{at}: notes.md"
    );
    let readme = read("README.md").unwrap_or_else(|_| panic!("{at}: README.md is missing"));
    assert!(
        readme.contains(README_EDIT)
            || readme.contains("the group's readme")
            || readme.starts_with("# proj"),
        "{at}: README.md lost the group's text:\n{readme}"
    );
    if project.join(".git").exists() || readme.contains(README_EDIT) {
        let answers =
            read(".dayone.toml").unwrap_or_else(|_| panic!("{at}: .dayone.toml is missing"));
        assert!(
            answers.contains("[answers]"),
            "{at}: .dayone.toml:\n{answers}"
        );
    }
}

fn break_every_step(case: &Case) {
    let work = tempfile::tempdir().unwrap();
    let templates = work.path().join("templates");
    write_template(&templates.join("v1"), 1);
    write_template(&templates.join("v2"), 2);
    let pristine = work.path().join("pristine");
    std::fs::create_dir(&pristine).unwrap();
    (case.before)(&pristine, &templates);
    let before = state(&pristine, &pristine.join(case.project));

    let reference = work.path().join("reference");
    copy(&pristine, &reference);
    fault::count();
    let outcome = dayone(&(case.args)(&reference, &templates));
    let steps = fault::disarm().taken;
    assert!(outcome.is_ok(), "{}: {:?}", case.name, outcome.err());
    let after = state(&reference, &reference.join(case.project));
    assert_ne!(before, after, "{}: the run changes something", case.name);
    assert!(steps.len() > 10, "{}: {steps:?}", case.name);

    for (n, step) in steps.iter().enumerate() {
        for fault in [Fault::Error, Fault::Kill, Fault::Interrupt] {
            let root = work.path().join(format!("{n}-{fault:?}"));
            copy(&pristine, &root);
            let project = root.join(case.project);
            let at = format!(
                "{}: {fault:?} at step {n} of {} ({step})",
                case.name,
                steps.len()
            );
            fault::arm(n, fault);
            let ended = fault::run(|| dayone(&(case.args)(&root, &templates)));
            let taken = fault::disarm();
            assert!(
                taken.fired,
                "{at}: the step was not reached; the run took these:\n{}",
                taken.taken.join("\n")
            );
            match (fault, ended) {
                (Fault::Error | Fault::Interrupt, Some(Err(err))) => {
                    let said = message(&err);
                    let exit = match fault {
                        Fault::Error => Exit::Environment,
                        _ => Exit::Interrupted,
                    };
                    assert_eq!(err.exit(), exit, "{at}: {said}");
                    assert!(!said.contains(".dayone-staging"), "{at}: {said}");
                    assert_eq!(
                        state(&root, &project),
                        before,
                        "{at}: not as before; {said}"
                    );
                }
                // Past the point of no return: an error in the cleaning up is shrugged off,
                // and a Ctrl-C only ends the run once it is done.
                (Fault::Error | Fault::Interrupt, Some(Ok(_))) => {}
                (Fault::Kill, None) if case.group_files => {
                    group_files_in_place(&project, &at);
                    if !before.head.is_empty() {
                        after_git_clean(&root, case.project, &at);
                    }
                }
                (Fault::Kill, None) => {}
                (_, ended) => panic!(
                    "{at}: the run ended otherwise: {:?}",
                    ended.map(|r| r.map_err(|e| message(&e)))
                ),
            }
            fsck(&project, &at);
            if state(&root, &project) != before {
                // Exit 2 is fine: the run before may have finished (a folder not empty, a
                // feature already on, changes not committed).
                if let Err(err) = dayone(&(case.args)(&root, &templates)) {
                    assert_eq!(
                        err.exit(),
                        Exit::BadInput,
                        "{at}: the next run: {}",
                        message(&err)
                    );
                }
                assert_eq!(state(&root, &project), after, "{at}: after the next run");
                fsck(&project, &format!("{at}, after the next run"));
            }
            std::fs::remove_dir_all(&root).unwrap();
        }
    }
}

/// `git clean -fd` in the group's repository, the reflex after a run went wrong, deletes what
/// dayone keeps aside (it is not tracked): the group's files must never be there alone.
fn after_git_clean(root: &Path, project: &str, at: &str) {
    let cleaned = root.with_extension("cleaned");
    copy(root, &cleaned);
    let project = cleaned.join(project);
    assert!(git(&project, &["clean", "-fdq"]).status.success());
    group_files_in_place(&project, &format!("{at}, after git clean -fd"));
    std::fs::remove_dir_all(&cleaned).unwrap();
}

#[test]
fn new_into_missing_folders_survives_a_fault_at_every_step() {
    break_every_step(&cases()[0]);
}

#[test]
fn new_into_an_empty_folder_survives_a_fault_at_every_step() {
    break_every_step(&cases()[1]);
}

#[test]
fn new_force_survives_a_fault_at_every_step() {
    break_every_step(&cases()[2]);
}

#[test]
fn update_survives_a_fault_at_every_step() {
    break_every_step(&cases()[3]);
}

#[test]
fn add_survives_a_fault_at_every_step() {
    break_every_step(&cases()[4]);
}

/// A kill in the middle of taking back a killed update is taken back by the run after.
#[test]
fn a_kill_during_recovery_is_recovered_by_the_next_run() {
    let case = &cases()[3];
    let work = tempfile::tempdir().unwrap();
    let templates = work.path().join("templates");
    write_template(&templates.join("v1"), 1);
    write_template(&templates.join("v2"), 2);
    let pristine = work.path().join("pristine");
    std::fs::create_dir(&pristine).unwrap();
    (case.before)(&pristine, &templates);
    let reference = work.path().join("reference");
    copy(&pristine, &reference);
    fault::count();
    dayone(&(case.args)(&reference, &templates)).unwrap();
    let steps = fault::disarm().taken;
    let after = state(&reference, &reference.join(case.project));
    // Killed just after the first file of the project was renamed in: the journal says
    // `moving`, so the next run has files to put back.
    let first_move = steps
        .iter()
        .position(|s| s.starts_with("rename ") && !s.contains(".dayone-"))
        .expect("a rename into the project");
    let killed = |root: &Path| {
        copy(&pristine, root);
        fault::arm(first_move + 1, Fault::Kill);
        assert!(fault::run(|| dayone(&(case.args)(root, &templates))).is_none());
        fault::disarm();
    };
    let counted = work.path().join("counted");
    killed(&counted);
    fault::count();
    let notes = crate::write::recover(&counted.join(case.project), true);
    let recovery = fault::disarm().taken;
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(recovery.len() > 3, "{recovery:?}");
    for (m, step) in recovery.iter().enumerate() {
        let root = work.path().join(format!("recovery-{m}"));
        killed(&root);
        let args = (case.args)(&root, &templates);
        // Recovery comes first in a run, so its step m is the run's.
        fault::arm(m, Fault::Kill);
        assert!(fault::run(|| dayone(&args)).is_none());
        fault::disarm();
        let _ = dayone(&args);
        let at = format!("a kill at step {m} of the recovery ({step})");
        assert_eq!(state(&root, &root.join(case.project)), after, "{at}");
        fsck(&root.join(case.project), &at);
        std::fs::remove_dir_all(&root).unwrap();
    }
}

//! `dayone update` and `dayone add` on real repositories in temporary folders: a folder template
//! in two versions stands in for a template that moved on.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::support::{TestEnv, tree};

const LINES: usize = 30;

/// A folder template at version 1 or 2. Version 2 changes the README's first line and
/// `config.toml`, removes `old.txt`, adds `new.txt`, and asks a new question.
pub(crate) fn write_template(env: &TestEnv, dir: &str, version: u8) -> PathBuf {
    let new_question = if version == 2 {
        "\n[[variables]]\nname = \"licence\"\nprompt = \"Licence\"\ntype = \"string\"\ndefault = \"MIT\"\n"
    } else {
        ""
    };
    env.write(
        format!("{dir}/template.toml"),
        format!(
            "[template]\nname = \"fixture\"\nversion = \"{version}.0.0\"\ndirectory_variable = \"name\"\n\n\
             [[variables]]\nname = \"name\"\nprompt = \"Name\"\ntype = \"string\"\ndefault = \"demo\"\n\n\
             [[variables]]\nname = \"api\"\nprompt = \"API?\"\ntype = \"bool\"\ndefault = false\nfeature = true\n\n\
             [[variables]]\nname = \"tracking\"\nprompt = \"Tracking\"\ntype = \"choice\"\nchoices = [\"none\", \"wandb\", \"mlflow\"]\ndefault = \"none\"\nfeature = true\n\
             {new_question}\n\
             [[files.rules]]\nwhen = \"api\"\npaths = [\"src/*/api.py\"]\n"
        ),
    );
    let title = if version == 2 { " (v2)" } else { "" };
    let body: String = (1..=LINES).map(|i| format!("line {i}\n")).collect();
    env.write(
        format!("{dir}/project/README.md"),
        format!("# {{{{ name }}}}{title}\n{body}"),
    );
    env.write(format!("{dir}/project/keep.txt"), "stays\n");
    env.write(
        format!("{dir}/project/config.toml"),
        format!("x = {version}\n"),
    );
    env.write(
        format!("{dir}/project/src/{{{{ name }}}}/api.py"),
        "PORT = 8000\n",
    );
    let (gone, added) = if version == 2 {
        ("old.txt", "new.txt")
    } else {
        ("new.txt", "old.txt")
    };
    let _ = std::fs::remove_file(env.work().join(dir).join("project").join(gone));
    env.write(format!("{dir}/project/{added}"), format!("{added}\n"));
    env.work().join(dir)
}

pub(crate) fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "T")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "T")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .output()
        .expect("git on PATH");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A project made from version 1 of the template, as `proj/`.
pub(crate) fn project_v1(env: &TestEnv, extra: &[&str]) -> (PathBuf, PathBuf) {
    let v1 = write_template(env, "tpl", 1);
    env.dayone(["new", "proj", "--yes", "--quiet", "--template"])
        .arg(&v1)
        .args(extra)
        .assert()
        .success();
    (v1, env.work().join("proj"))
}

pub(crate) fn commit_all(dir: &Path, message: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", message]);
}

pub(crate) fn update(env: &TestEnv, template: &Path, args: &[&str]) -> std::process::Output {
    env.dayone(["update", "proj", "--yes", "--template"])
        .arg(template)
        .args(args)
        .output()
        .unwrap()
}

pub(crate) fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_untouched_project_updates_to_exactly_what_new_makes() {
    let env = TestEnv::new();
    let (v1, proj) = project_v1(&env, &[]);
    let v2 = write_template(&env, "tpl", 2);
    assert_eq!(v1, v2);
    let out = update(&env, &v2, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    env.dayone([
        "new",
        "fresh",
        "--yes",
        "--quiet",
        "--no-git",
        "--set",
        "name=proj",
        "--template",
    ])
    .arg(&v2)
    .assert()
    .success();
    assert_eq!(tree(&proj), tree(&env.work().join("fresh")));
    assert!(!proj.join("old.txt").exists());
    // The new base is the new render, after the old one; nothing is committed for the group.
    assert_eq!(
        git(&proj, &["rev-list", "--count", "refs/dayone/base"]),
        "2\n"
    );
    assert_eq!(git(&proj, &["rev-list", "--count", "HEAD"]), "1\n");
    assert_eq!(
        git(&proj, &["show", "refs/dayone/base:config.toml"]),
        "x = 2\n"
    );
    let staged = git(&proj, &["diff", "--cached", "--name-status"]);
    assert!(
        staged.contains("D\told.txt") && staged.contains("A\tnew.txt"),
        "{staged}"
    );
}

#[test]
fn up_to_date_says_so_and_writes_nothing() {
    let env = TestEnv::new();
    let (v1, proj) = project_v1(&env, &[]);
    let before = tree(&proj);
    let out = update(&env, &v1, &[]);
    assert!(out.status.success());
    assert!(stderr(&out).contains("is up to date"));
    assert_eq!(tree(&proj), before);
    assert_eq!(git(&proj, &["status", "--porcelain"]), "");
}

#[test]
fn a_conflicting_edit_gets_markers_unmerged_entries_and_exit_1() {
    let env = TestEnv::new();
    let (_, proj) = project_v1(&env, &[]);
    std::fs::write(proj.join("config.toml"), "x = 100\n").unwrap();
    commit_all(&proj, "mine");
    let v2 = write_template(&env, "tpl", 2);
    let out = update(&env, &v2, &["--conflict", "diff3"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = std::fs::read_to_string(proj.join("config.toml")).unwrap();
    assert!(
        text.starts_with("<<<<<<< yours\nx = 100\n||||||| base (fixture 1.0.0 as dayone wrote it)\nx = 1\n=======\nx = 2\n>>>>>>> template fixture 2.0.0\n"),
        "{text}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("conflict  config.toml"));
    let stages = git(&proj, &["ls-files", "-u", "config.toml"]);
    let numbers: Vec<&str> = stages
        .lines()
        .map(|l| l.split_whitespace().nth(2).unwrap())
        .collect();
    assert_eq!(numbers, ["1", "2", "3"]);
    assert!(git(&proj, &["status", "--porcelain"]).contains("UU config.toml"));
}

#[test]
fn a_removed_file_the_group_changed_is_a_conflict_and_stays() {
    let env = TestEnv::new();
    let (_, proj) = project_v1(&env, &[]);
    std::fs::write(proj.join("old.txt"), "my notes\n").unwrap();
    commit_all(&proj, "mine");
    let v2 = write_template(&env, "tpl", 2);
    let out = update(&env, &v2, &["--json"]);
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["conflicts"], serde_json::json!(["old.txt"]));
    assert_eq!(
        std::fs::read_to_string(proj.join("old.txt")).unwrap(),
        "my notes\n"
    );
    let stages = git(&proj, &["ls-files", "-u", "old.txt"]);
    assert_eq!(
        stages.lines().count(),
        2,
        "base and ours, no theirs: {stages}"
    );
}

#[test]
fn a_dirty_work_tree_is_refused_and_a_dry_run_writes_nothing() {
    let env = TestEnv::new();
    let (_, proj) = project_v1(&env, &[]);
    let v2 = write_template(&env, "tpl", 2);
    std::fs::write(proj.join("keep.txt"), "edited, not committed\n").unwrap();
    let before = tree(&proj);
    let out = update(&env, &v2, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("uncommitted changes: keep.txt"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&proj), before);
    commit_all(&proj, "mine");
    let base = git(&proj, &["rev-parse", "refs/dayone/base"]);
    let before = tree(&proj);
    let out = update(&env, &v2, &["--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listing = String::from_utf8_lossy(&out.stdout);
    for line in [
        "removed   old.txt",
        "added     new.txt",
        "updated   config.toml",
    ] {
        assert!(listing.contains(line), "{line} in {listing}");
    }
    assert_eq!(tree(&proj), before);
    assert_eq!(git(&proj, &["status", "--porcelain"]), "");
    assert_eq!(git(&proj, &["rev-parse", "refs/dayone/base"]), base);
}

#[test]
fn add_turns_a_feature_on_as_new_would_have() {
    let env = TestEnv::new();
    let (v1, proj) = project_v1(&env, &[]);
    let out = env
        .dayone([
            "add",
            "api",
            "tracking=mlflow",
            "--project",
            "proj",
            "--template",
        ])
        .arg(&v1)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    env.dayone([
        "new",
        "fresh",
        "--yes",
        "--quiet",
        "--set",
        "name=proj",
        "--set",
        "api=true",
    ])
    .args(["--set", "tracking=mlflow", "--template"])
    .arg(&v1)
    .assert()
    .success();
    assert_eq!(tree(&proj), tree(&env.work().join("fresh")));
    assert!(proj.join("src/proj/api.py").is_file());
    // Turning it off again removes the file, which nobody changed.
    commit_all(&proj, "with api");
    let out = update(&env, &v1, &["--set", "api=false"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !proj.join("src/proj").exists(),
        "the emptied folder goes too"
    );
}

#[test]
fn add_refuses_what_it_cannot_do() {
    let env = TestEnv::new();
    let (v1, proj) = project_v1(&env, &["--set", "api=true"]);
    let before = tree(&proj);
    for (features, message) in [
        (
            "colour",
            "`colour` is not a feature of template `fixture`; features that can be added: api, tracking",
        ),
        ("api", "`api` is already true in this project"),
        (
            "tracking",
            "`tracking` has several values (wandb, mlflow); say which: dayone add tracking=VALUE",
        ),
    ] {
        let out = env
            .dayone(["add", features, "--project", "proj", "--template"])
            .arg(&v1)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{features}");
        assert!(
            stderr(&out).contains(message),
            "{features}: {}",
            stderr(&out)
        );
        assert_eq!(tree(&proj), before);
    }
}

#[test]
fn folders_that_are_not_projects_or_from_newer_dayone_are_refused() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.work().join("plain")).unwrap();
    let out = env.dayone(["update", "plain"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("plain is not a project made by dayone: it has no .dayone.toml"));
    env.write(
        "future/.dayone.toml",
        "[dayone]\nversion = \"99.0.0\"\ntemplate = \"mlops\"\n",
    );
    let out = env.dayone(["update", "future"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("was written by dayone 99.0.0, newer than this dayone"),
        "{}",
        stderr(&out)
    );
    // A project whose .dayone.toml predates the recorded source means a built-in template.
    let (_, proj) = project_v1(&env, &[]);
    let answers = std::fs::read_to_string(proj.join(".dayone.toml")).unwrap();
    let old_format = answers
        .split("\n[dayone.source]")
        .next()
        .unwrap()
        .to_string()
        + &answers[answers.find("\n[answers]").unwrap()..];
    std::fs::write(proj.join(".dayone.toml"), old_format).unwrap();
    commit_all(&proj, "an older dayone's answers file");
    let before = tree(&proj);
    let out = env.dayone(["update", "proj", "--yes"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("was made with template `fixture`, which is not built in; pass its folder with --template PATH"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&proj), before);
}

#[test]
fn without_a_stored_base_the_recorded_version_is_rendered_again() {
    let env = TestEnv::new();
    let (v1, proj) = project_v1(&env, &["--no-git"]);
    std::fs::write(proj.join("keep.txt"), "mine\n").unwrap();
    let out = env
        .dayone(["add", "api", "--project", "proj", "--template"])
        .arg(&v1)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("proj has no git repository of its own, so no stored base render; rendering the recorded template again"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::read_to_string(proj.join("keep.txt")).unwrap(),
        "mine\n"
    );
    assert!(proj.join("src/proj/api.py").is_file());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Lines the group changes away from the template's own change survive the update.
    #[test]
    fn edits_away_from_the_templates_change_survive(
        edits in proptest::collection::btree_map(4..=LINES, "[a-z ]{1,20}", 1..6)
    ) {
        let env = TestEnv::new();
        let (_, proj) = project_v1(&env, &[]);
        let edit = |title: &str| {
            let mut lines = vec![format!("# proj{title}")];
            for i in 1..=LINES {
                lines.push(edits.get(&i).map_or(format!("line {i}"), |e| format!("mine: {e}")));
            }
            lines.join("\n") + "\n"
        };
        std::fs::write(proj.join("README.md"), edit("")).unwrap();
        commit_all(&proj, "mine");
        let v2 = write_template(&env, "tpl", 2);
        let out = update(&env, &v2, &[]);
        prop_assert!(out.status.success(), "{}", stderr(&out));
        prop_assert_eq!(std::fs::read_to_string(proj.join("README.md")).unwrap(), edit(" (v2)"));
    }
}

/// A one-file template whose module moves (and changes its first line) in version 2.
fn write_moving_template(env: &TestEnv, version: u8) -> PathBuf {
    let dir = env.work().join("moving");
    let _ = std::fs::remove_dir_all(&dir);
    env.write(
        "moving/template.toml",
        format!(
            "[template]\nname = \"moving\"\nversion = \"{version}.0.0\"\ndirectory_variable = \"name\"\n\n\
             [[variables]]\nname = \"name\"\nprompt = \"Name\"\ntype = \"string\"\ndefault = \"demo\"\n"
        ),
    );
    let (path, first) = if version == 2 {
        ("moving/project/src/renamed.py", "# version 2\n")
    } else {
        ("moving/project/src/module.py", "# version 1\n")
    };
    let body: String = (1..=20).map(|i| format!("value_{i} = {i}\n")).collect();
    env.write(path, format!("{first}{body}"));
    dir
}

#[test]
fn a_file_the_template_moves_takes_the_groups_edits_along() {
    let env = TestEnv::new();
    let v1 = write_moving_template(&env, 1);
    env.dayone(["new", "proj", "--yes", "--quiet", "--template"])
        .arg(&v1)
        .assert()
        .success();
    let proj = env.work().join("proj");
    let edited = std::fs::read_to_string(proj.join("src/module.py"))
        .unwrap()
        .replace("value_15 = 15", "value_15 = 1500  # mine");
    std::fs::write(proj.join("src/module.py"), &edited).unwrap();
    commit_all(&proj, "mine");
    let v2 = write_moving_template(&env, 2);
    let out = update(&env, &v2, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!proj.join("src/module.py").exists());
    let moved = std::fs::read_to_string(proj.join("src/renamed.py")).unwrap();
    assert!(
        moved.starts_with("# version 2\n") && moved.contains("value_15 = 1500  # mine"),
        "{moved}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("(moved from src/module.py)"));
}

#[test]
fn a_file_the_group_moved_gets_the_templates_change_where_it_is() {
    let env = TestEnv::new();
    let (_, proj) = project_v1(&env, &[]);
    git(&proj, &["mv", "README.md", "docs-README.md"]);
    git(&proj, &["commit", "-qm", "moved the readme"]);
    let v2 = write_template(&env, "tpl", 2);
    let out = update(&env, &v2, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        !proj.join("README.md").exists(),
        "not made again at its old path"
    );
    let moved = std::fs::read_to_string(proj.join("docs-README.md")).unwrap();
    assert!(moved.starts_with("# proj (v2)\n"), "{moved}");
}

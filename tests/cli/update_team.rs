//! `update` and `add` for a group: an update dropped with `--abort` or `git reset --hard`, the
//! template's recorded source, and the base render in a clone that never had it.

use std::path::{Path, PathBuf};

use crate::support::{TestEnv, tree};
use crate::update::{commit_all, git, project_v1, stderr, update, write_template};

fn run(env: &TestEnv, args: &[&str]) -> std::process::Output {
    env.dayone(args).output().unwrap()
}

fn base(dir: &Path) -> String {
    git(dir, &["rev-parse", "refs/dayone/base"])
}

#[test]
fn an_update_undone_with_reset_hard_does_not_make_the_next_one_a_no_op() {
    let env = TestEnv::new();
    let (_, proj) = project_v1(&env, &["--set", "api=true"]);
    let out = run(&env, &["update", "proj", "--yes", "--set", "api=false"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!proj.join("src/proj/api.py").exists());
    // The group's reflex: throw the uncommitted update away. The base ref stays moved.
    git(&proj, &["reset", "-q", "--hard"]);
    assert!(proj.join("src/proj/api.py").exists());
    let out = run(&env, &["update", "proj", "--yes", "--set", "api=false"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "refs/dayone/base is 1 render(s) ahead of what proj/.dayone.toml records: an update that was never committed"
        ),
        "{}",
        stderr(&out)
    );
    assert!(!proj.join("src/proj/api.py").exists());
    let answers = std::fs::read_to_string(proj.join(".dayone.toml")).unwrap();
    assert!(answers.contains("\napi = false\n"), "{answers}");
    // The new render follows the one HEAD records, not the abandoned one.
    assert_eq!(
        git(&proj, &["rev-list", "--count", "refs/dayone/base"]),
        "2\n"
    );
}

#[test]
fn abort_puts_the_files_the_index_and_the_base_back() {
    let env = TestEnv::new();
    let (_, proj) = project_v1(&env, &[]);
    std::fs::write(proj.join("config.toml"), "x = 100\n").unwrap();
    commit_all(&proj, "mine");
    let (before, base_before) = (tree(&proj), base(&proj));
    let v2 = write_template(&env, "tpl", 2);
    let out = update(&env, &v2, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "To drop the whole update instead: `dayone update proj --abort` puts the files, the index and refs/dayone/base back as they were."
        ),
        "{}",
        stderr(&out)
    );
    assert_ne!(base(&proj), base_before);

    let out = run(&env, &["update", "proj", "--abort"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let listing = String::from_utf8_lossy(&out.stdout);
    for path in ["config.toml", "new.txt", "old.txt", "README.md"] {
        assert!(
            listing.contains(&format!("restored  {path}\n")),
            "{listing}"
        );
    }
    assert_eq!(tree(&proj), before);
    assert_eq!(git(&proj, &["status", "--porcelain"]), "");
    assert_eq!(git(&proj, &["ls-files", "-u"]), "");
    assert_eq!(base(&proj), base_before);

    let out = run(&env, &["update", "proj", "--abort"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains(
            "proj has no update to abort: its index matches HEAD and refs/dayone/base holds the render HEAD's .dayone.toml records"
        ),
        "{}",
        stderr(&out)
    );
    // The update can be made again, and merges as the first time did.
    let out = update(&env, &v2, &[]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

#[test]
fn abort_keeps_the_changes_git_was_not_told_about() {
    let env = TestEnv::new();
    let (_, proj) = project_v1(&env, &[]);
    std::fs::write(proj.join("keep.txt"), "mine, not staged\n").unwrap();
    let v2 = write_template(&env, "tpl", 2);
    let out = update(&env, &v2, &["--allow-dirty"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(proj.join("config.toml")).unwrap(),
        "x = 2\n"
    );
    let out = run(&env, &["update", "proj", "--abort", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema"], 1);
    assert_eq!(json["aborted"], true);
    assert!(
        json["base"].as_str().is_some_and(|b| b.len() == 40),
        "{json}"
    );
    assert!(
        !json["restored"]
            .as_array()
            .unwrap()
            .contains(&"keep.txt".into()),
        "{json}"
    );
    assert_eq!(
        std::fs::read_to_string(proj.join("keep.txt")).unwrap(),
        "mine, not staged\n"
    );
    assert_eq!(
        std::fs::read_to_string(proj.join("config.toml")).unwrap(),
        "x = 1\n"
    );
    assert!(proj.join("old.txt").is_file() && !proj.join("new.txt").exists());
    assert_eq!(git(&proj, &["status", "--porcelain"]), " M keep.txt\n");
}

#[test]
fn abort_after_reset_hard_moves_only_the_base_and_without_git_is_refused() {
    let env = TestEnv::new();
    let (v1, proj) = project_v1(&env, &[]);
    let first = base(&proj);
    let out = update(&env, &v1, &["--set", "api=true"]);
    assert!(out.status.success(), "{}", stderr(&out));
    git(&proj, &["reset", "-q", "--hard"]);
    let before = tree(&proj);
    let out = run(&env, &["update", "proj", "--abort"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Aborted the update: 0 path(s) back as in HEAD."),
        "{}",
        stderr(&out)
    );
    assert_eq!(base(&proj), first);
    assert_eq!(tree(&proj), before);

    let (_, plain) = {
        let v1 = write_template(&env, "tpl", 1);
        env.dayone(["new", "plain", "--yes", "--quiet", "--no-git", "--template"])
            .arg(&v1)
            .assert()
            .success();
        (v1, env.work().join("plain"))
    };
    let out = run(&env, &["update", "plain", "--abort"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("plain has no git repository of its own, so there is no update to abort"),
        "{}",
        stderr(&out)
    );
    assert!(plain.join(".dayone.toml").is_file());
}

/// The group edits the README, updates to version 2 and commits; a teammate clones.
fn updated_and_cloned(env: &TestEnv) -> (PathBuf, PathBuf) {
    let (_, proj) = project_v1(env, &[]);
    let readme = std::fs::read_to_string(proj.join("README.md"))
        .unwrap()
        .replace("line 10\n", "line 10, as the group wrote it\n");
    std::fs::write(proj.join("README.md"), readme).unwrap();
    commit_all(&proj, "our readme");
    write_template(env, "tpl", 2);
    // No --template: the recorded folder, now at version 2.
    let out = run(env, &["update", "proj", "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    commit_all(&proj, "template 2.0.0");
    git(&env.work(), &["clone", "-q", "proj", "clone"]);
    let clone = env.work().join("clone");
    let refs = git(&clone, &["for-each-ref", "refs/dayone"]);
    assert_eq!(refs, "", "a clone does not get the base ref");
    (proj, clone)
}

#[test]
fn a_fresh_clone_gets_the_same_merge_as_the_clone_that_made_the_update() {
    let env = TestEnv::new();
    let (proj, clone) = updated_and_cloned(&env);
    let mine = run(&env, &["add", "api", "--project", "proj"]);
    assert!(mine.status.success(), "{}", stderr(&mine));
    let theirs = run(&env, &["add", "api", "--project", "clone"]);
    assert!(theirs.status.success(), "{}", stderr(&theirs));
    assert!(
        stderr(&theirs).contains(
            "clone has no refs/dayone/base (a clone does not fetch it); rendering the recorded template again"
        ),
        "{}",
        stderr(&theirs)
    );
    assert!(
        !stderr(&theirs).contains("no base render"),
        "{}",
        stderr(&theirs)
    );
    assert_eq!(mine.stdout, theirs.stdout);
    assert_eq!(tree(&proj), tree(&clone));
    let status = |dir: &Path| git(dir, &["status", "--porcelain"]);
    assert_eq!(status(&proj), status(&clone));
    assert!(!status(&clone).contains("UU"), "{}", status(&clone));
    // Both bases now hold the same render, and the clone keeps the one it made again.
    let render = |dir: &Path| git(dir, &["rev-parse", "refs/dayone/base^{tree}"]);
    assert_eq!(render(&proj), render(&clone));
    assert_eq!(
        git(&clone, &["rev-parse", "refs/dayone/base~1^{tree}"]),
        git(&proj, &["rev-parse", "refs/dayone/base~1^{tree}"])
    );
}

#[test]
fn a_render_made_again_that_is_not_the_recorded_tree_is_not_used() {
    let env = TestEnv::new();
    let (_, clone) = updated_and_cloned(&env);
    // The template changed after the update without a new version.
    env.write("tpl/project/keep.txt", "changed quietly\n");
    let out = run(&env, &["add", "api", "--project", "clone"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no base render: rendering template fixture 2.0.0 again gives tree"),
        "{}",
        stderr(&out)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("conflict  keep.txt"));
    assert!(
        std::fs::read_to_string(clone.join("README.md"))
            .unwrap()
            .contains("line 10, as the group wrote it\n")
    );
}

#[test]
fn a_folder_template_is_recorded_and_found_again_and_a_switch_is_said() {
    let env = TestEnv::new();
    let (_, proj) = project_v1(&env, &[]);
    let answers = std::fs::read_to_string(proj.join(".dayone.toml")).unwrap();
    assert!(
        answers.contains("\n[dayone.source]\nkind = \"folder\"\npath = \"../tpl\"\n"),
        "{answers}"
    );
    // `new --answers` finds the folder from where the answers file is.
    let out = run(
        &env,
        &[
            "new",
            "copy",
            "--yes",
            "--quiet",
            "--answers",
            "proj/.dayone.toml",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(tree(&env.work().join("copy")), tree(&proj));

    std::fs::rename(env.work().join("tpl"), env.work().join("moved")).unwrap();
    let before = tree(&proj);
    let out = run(&env, &["update", "proj", "--yes"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("records the template folder `../tpl`")
            && stderr(&out)
                .contains("which is not there; pass the template's folder with --template PATH"),
        "{}",
        stderr(&out)
    );
    assert_eq!(tree(&proj), before);
    let out = run(
        &env,
        &["add", "api", "--project", "proj", "--template", "moved"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "recorded template fixture as the folder ../tpl; this run uses the folder ../moved, and .dayone.toml records that from now on"
        ),
        "{}",
        stderr(&out)
    );
    commit_all(&proj, "api");
    let out = run(&env, &["update", "proj", "--yes", "--set", "api=false"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("--template"), "{}", stderr(&out));
}

/// A copy of the built-in template in a folder, as a newer version with one more file.
fn newer_builtin_copy(env: &TestEnv) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("template/mlops");
    let to = env.work().join("mlops-next");
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    let manifest = std::fs::read_to_string(to.join("template.toml")).unwrap();
    let version = crate::support::mlops_version();
    let bumped = manifest.replacen(
        &format!("version = \"{version}\""),
        "version = \"9.9.9\"",
        1,
    );
    assert_ne!(bumped, manifest);
    std::fs::write(to.join("template.toml"), bumped).unwrap();
    std::fs::write(to.join("project/EXTRA.md"), "new in 9.9.9\n").unwrap();
    to
}

#[test]
fn after_an_update_from_a_folder_add_keeps_that_template_not_the_built_in_one() {
    let env = TestEnv::new();
    env.dayone(["new", "proj", "--yes", "--quiet"])
        .assert()
        .success();
    let proj = env.work().join("proj");
    newer_builtin_copy(&env);
    let out = run(
        &env,
        &["update", "proj", "--yes", "--template", "mlops-next"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "recorded template mlops as built in; this run uses the folder ../mlops-next"
        ),
        "{}",
        stderr(&out)
    );
    commit_all(&proj, "template 9.9.9");
    let out = run(&env, &["add", "docs", "--project", "proj"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("--template"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(proj.join("EXTRA.md")).unwrap(),
        "new in 9.9.9\n"
    );
    let answers = std::fs::read_to_string(proj.join(".dayone.toml")).unwrap();
    assert!(
        answers.contains("template_version = \"9.9.9\"")
            && answers.contains("kind = \"folder\"\npath = \"../mlops-next\""),
        "{answers}"
    );
    assert!(proj.join("docs/mkdocs.yaml").is_file());
    let staged = git(&proj, &["diff", "--cached", "--name-status"]);
    assert!(!staged.contains("EXTRA.md"), "{staged}");
}

#[test]
fn a_project_from_before_the_source_was_recorded_is_built_in_and_gains_the_record() {
    let env = TestEnv::new();
    env.dayone(["new", "proj", "--yes", "--quiet"])
        .assert()
        .success();
    let proj = env.work().join("proj");
    // What an older dayone wrote: no source, no render tree, in the file and in the base.
    let answers = std::fs::read_to_string(proj.join(".dayone.toml")).unwrap();
    let old: String = answers
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("render_tree") && !l.starts_with("kind = "))
        .collect::<String>()
        .replace("[dayone.source]\n\n", "");
    assert!(
        !old.contains("source") && old.contains("\n[answers]\n"),
        "{old}"
    );
    std::fs::write(proj.join(".dayone.toml"), &old).unwrap();
    commit_all(&proj, "an older dayone's answers file");
    git(&proj, &["update-ref", "refs/dayone/base", "HEAD"]);
    git(&env.work(), &["clone", "-q", "proj", "clone"]);

    for dir in ["proj", "clone"] {
        let out = run(&env, &["add", "hydra", "--project", dir]);
        assert!(out.status.success(), "{dir}: {}", stderr(&out));
        let root = env.work().join(dir);
        assert!(root.join("configs/config.yaml").is_file(), "{dir}");
        let now = std::fs::read_to_string(root.join(".dayone.toml")).unwrap();
        assert!(
            now.contains("\n[dayone.source]\nkind = \"builtin\"\n")
                && now.contains("render_tree = "),
            "{dir}: {now}"
        );
        assert!(!git(&root, &["status", "--porcelain"]).contains("UU"));
    }
    let clone = run(&env, &["update", "clone", "--abort"]);
    assert!(clone.status.success(), "{}", stderr(&clone));
}

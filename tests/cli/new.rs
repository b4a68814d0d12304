//! `dayone new` end to end: the real binary, temp folders, an isolated HOME.

use predicates::prelude::*;

use crate::support::{TestEnv, entries, mlops_version, tree, write_fixture_template};

fn stdout(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn defaults_render_the_fixture_and_commit_it() {
    let env = TestEnv::new();
    let template = write_fixture_template(&env, "tpl");
    env.dayone(["new", "my-app", "--yes", "--template"])
        .arg(&template)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "Created my-app from template fixture 1.2.3",
        ))
        .stderr(predicate::str::contains("Now: cd my-app"));
    let root = env.work().join("my-app");
    let files: Vec<String> = tree(&root).into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        files,
        [
            ".dayone.toml",
            ".github/workflows/ci.yaml",
            "README.md",
            "assets/logo.bin",
            "run.sh",
            "src/my_app/__init__.py"
        ]
    );
    assert_eq!(
        std::fs::read_to_string(root.join("README.md")).unwrap(),
        "# my-app\nFlavour: plain\n"
    );
    let workflow = std::fs::read_to_string(root.join(".github/workflows/ci.yaml")).unwrap();
    assert!(
        workflow.contains("runs-on: ${{ matrix.os }}\n    name: my-app on ${{ matrix.os }}"),
        "{workflow}"
    );
    assert_eq!(
        std::fs::read(root.join("assets/logo.bin")).unwrap(),
        [0u8, 159, 146, 150, b'{', b'{', 0xff]
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(root.join("run.sh"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o111, 0o111, "executable bit kept");
    }
    // No staging folder left next to the project.
    assert_eq!(entries(&env.work()), ["my-app", "tpl"]);
}

#[test]
fn git_history_is_one_commit_on_main_with_the_configured_author() {
    let env = TestEnv::new();
    std::fs::write(
        env.home().join(".gitconfig"),
        "[user]\n\tname = Ada Lovelace\n\temail = ada@example.org\n",
    )
    .unwrap();
    let template = write_fixture_template(&env, "tpl");
    env.dayone(["new", "proj", "--yes", "--template"])
        .arg(&template)
        .assert()
        .success();
    let repo = git2::Repository::open(env.work().join("proj")).unwrap();
    assert_eq!(repo.head().unwrap().shorthand().ok(), Some("main"));
    let commit = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(commit.parent_count(), 0);
    assert_eq!(commit.author().name().ok(), Some("Ada Lovelace"));
    assert_eq!(commit.author().email().ok(), Some("ada@example.org"));
    assert_eq!(
        commit.message().ok(),
        Some("Create project from template fixture 1.2.3 (dayone 0.1.0)")
    );
    let mut committed = Vec::new();
    commit
        .tree()
        .unwrap()
        .walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() == Some(git2::ObjectType::Blob) {
                let blob = repo.find_blob(entry.id()).unwrap();
                let path = format!("{dir}{}", entry.name().unwrap());
                committed.push((path, blob.content().to_vec(), entry.filemode()));
            }
            git2::TreeWalkResult::Ok
        })
        .unwrap();
    committed.sort();
    let on_disk: Vec<(String, Vec<u8>, i32)> = tree(&env.work().join("proj"))
        .into_iter()
        .map(|(p, bytes)| {
            let mode = if p == "run.sh" { 0o100755 } else { 0o100644 };
            (p, bytes, mode)
        })
        .collect();
    assert_eq!(committed, on_disk, "the commit holds the files as written");
    let status = repo.statuses(None).unwrap();
    assert_eq!(
        status.len(),
        0,
        "the work tree is clean after the first commit"
    );
    // The user's global config is read, never written.
    assert_eq!(
        std::fs::read_to_string(env.home().join(".gitconfig")).unwrap(),
        "[user]\n\tname = Ada Lovelace\n\temail = ada@example.org\n"
    );
}

#[test]
fn the_git_program_reads_the_first_commit_as_its_own() {
    let env = TestEnv::new();
    let template = write_fixture_template(&env, "tpl");
    env.dayone(["new", "proj", "--yes", "--template"])
        .arg(&template)
        .assert()
        .success();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(env.work().join("proj"))
            .env("HOME", env.home())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("the git program is on PATH");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    git(&["fsck", "--strict", "--no-dangling"]);
    assert_eq!(git(&["status", "--porcelain", "--untracked-files=all"]), "");
    assert_eq!(
        git(&["cat-file", "-p", "HEAD:run.sh"]),
        "#!/bin/sh\necho proj\n"
    );
    assert_eq!(git(&["rev-list", "--count", "HEAD"]), "1\n");
    assert!(git(&["reflog"]).contains("commit (initial): Create project from template fixture"));
}

#[test]
fn without_git_config_the_commit_falls_back_to_the_author_answers() {
    let env = TestEnv::new();
    env.dayone([
        "new",
        "proj",
        "--yes",
        "--set",
        "author_name=Grace Hopper",
        "--set",
        "author_email=grace@example.org",
    ])
    .assert()
    .success()
    .stderr(predicate::str::contains(
        "first commit by Grace Hopper <grace@example.org>",
    ));
    let repo = git2::Repository::open(env.work().join("proj")).unwrap();
    let commit = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(commit.author().name().ok(), Some("Grace Hopper"));
}

#[test]
fn git_config_supplies_author_defaults() {
    let env = TestEnv::new();
    std::fs::write(
        env.home().join(".gitconfig"),
        "[user]\n\tname = Ada Lovelace\n\temail = ada@example.org\n",
    )
    .unwrap();
    env.dayone(["new", "proj", "--yes", "--no-git"])
        .assert()
        .success();
    let answers = std::fs::read_to_string(env.work().join("proj/.dayone.toml")).unwrap();
    assert!(
        answers.contains("author_name = \"Ada Lovelace\"\nauthor_email = \"ada@example.org\""),
        "{answers}"
    );
    assert!(!env.work().join("proj/.git").exists(), "--no-git");
}

#[test]
fn replaying_an_answers_file_of_another_template_version_warns() {
    let env = TestEnv::new();
    env.write(
        "old.toml",
        "[dayone]\ntemplate = \"mlops\"\ntemplate_version = \"0.0.1\"\n[answers]\n",
    );
    env.dayone(["new", "p", "--yes", "--no-git", "--answers", "old.toml"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "warning: old.toml was recorded with template version 0.0.1; this is {}, so the result may differ",
            mlops_version()
        )));
}

#[test]
fn replaying_the_answers_file_reproduces_the_tree_byte_for_byte() {
    let env = TestEnv::new();
    let sets = [
        "api=false",
        "dvc=gcs",
        "python_version=3.13",
        "license=Apache-2.0",
        "hydra=true",
        "training=lightning",
    ];
    let mut first = env.dayone(["new", "one", "--yes", "--no-git"]);
    for set in sets {
        first.args(["--set", set]);
    }
    first.assert().success();
    env.dayone(["new", "two", "--no-git", "--answers", "one/.dayone.toml"])
        .assert()
        .success();
    assert_eq!(tree(&env.work().join("one")), tree(&env.work().join("two")));
}

#[test]
fn precedence_set_over_answers_over_user_config_over_default() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.config_home().join("dayone")).unwrap();
    std::fs::write(
        env.config_home().join("dayone/config.toml"),
        "[defaults]\nlicense = \"BSD-3-Clause\"\nauthor_name = \"Config Person\"\ndocs = true\n",
    )
    .unwrap();
    env.write(
        "answers.toml",
        "[answers]\nlicense = \"Apache-2.0\"\ndocs = false\n",
    );
    env.dayone([
        "new",
        "p",
        "--yes",
        "--no-git",
        "--answers",
        "answers.toml",
        "--set",
        "docs=true",
    ])
    .assert()
    .success();
    let answers = std::fs::read_to_string(env.work().join("p/.dayone.toml")).unwrap();
    assert!(
        answers.contains("license = \"Apache-2.0\""),
        "answers file beats config: {answers}"
    );
    assert!(
        answers.contains("docs = true"),
        "--set beats answers file: {answers}"
    );
    assert!(
        answers.contains("author_name = \"Config Person\""),
        "config beats template default: {answers}"
    );
    assert!(
        answers.contains("python_version = \"3.12\""),
        "template default: {answers}"
    );

    // DAYONE_CONFIG points somewhere else entirely.
    let other = env.write("elsewhere.toml", "[defaults]\nlicense = \"none\"\n");
    env.dayone(["new", "q", "--yes", "--no-git"])
        .env("DAYONE_CONFIG", &other)
        .assert()
        .success();
    let answers = std::fs::read_to_string(env.work().join("q/.dayone.toml")).unwrap();
    assert!(answers.contains("license = \"none\""), "{answers}");
    assert!(
        !env.work().join("q/LICENSE").exists(),
        "no license file for license=none"
    );
}

#[test]
fn dir_defaults_to_the_project_name_and_the_name_to_dir() {
    let env = TestEnv::new();
    env.dayone([
        "new",
        "--yes",
        "--no-git",
        "--set",
        "project_name=from-answer",
    ])
    .assert()
    .success();
    assert!(env.work().join("from-answer/.dayone.toml").is_file());
    env.dayone(["new", "nested/deeper/from-dir", "--yes", "--no-git"])
        .assert()
        .success();
    let answers =
        std::fs::read_to_string(env.work().join("nested/deeper/from-dir/.dayone.toml")).unwrap();
    assert!(
        answers.contains("project_name = \"from-dir\"\npackage_name = \"from_dir\""),
        "{answers}"
    );
}

#[test]
fn dry_run_lists_the_plan_and_writes_nothing() {
    let env = TestEnv::new();
    let template = write_fixture_template(&env, "tpl");
    let output = env
        .dayone(["new", "p", "--dry-run", "--yes", "--template"])
        .arg(&template)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.contains("Dry run: nothing written. Would write 6 files to p:"),
        "{out}"
    );
    assert!(out.contains("  create    src/p/__init__.py\n"), "{out}");
    assert!(
        out.contains("  skip      src/{{ package }}/api.py (its condition is false)\n"),
        "{out}"
    );
    assert!(
        out.ends_with("Would create a git repository on branch main with one commit.\n"),
        "{out}"
    );
    assert_eq!(entries(&env.work()), ["tpl"]);
}

#[test]
fn force_overwrites_only_template_files_and_keeps_the_rest() {
    let env = TestEnv::new();
    let template = write_fixture_template(&env, "tpl");
    env.write("p/README.md", "mine\n");
    env.write("p/notes.txt", "keep me\n");
    env.dayone(["new", "p", "--yes", "--no-git", "--template"])
        .arg(&template)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: p is not empty; choose an empty or new folder, or pass --force",
        ));
    assert_eq!(
        std::fs::read_to_string(env.work().join("p/README.md")).unwrap(),
        "mine\n"
    );
    assert_eq!(entries(&env.work().join("p")), ["README.md", "notes.txt"]);

    let dry = env
        .dayone(["new", "p", "--yes", "--force", "--dry-run", "--template"])
        .arg(&template)
        .output()
        .unwrap();
    assert!(
        stdout(&dry).contains("  overwrite README.md\n"),
        "{}",
        stdout(&dry)
    );
    assert_eq!(
        std::fs::read_to_string(env.work().join("p/README.md")).unwrap(),
        "mine\n"
    );

    env.dayone(["new", "p", "--yes", "--no-git", "--force", "--template"])
        .arg(&template)
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "Replaced 1 existing files (--force):\n  README.md",
        ));
    assert_eq!(
        std::fs::read_to_string(env.work().join("p/README.md")).unwrap(),
        "# p\nFlavour: plain\n"
    );
    assert_eq!(
        std::fs::read_to_string(env.work().join("p/notes.txt")).unwrap(),
        "keep me\n"
    );
    assert!(
        !entries(&env.work().join("p"))
            .iter()
            .any(|e| e.starts_with(".dayone-"))
    );
}

#[test]
fn an_empty_existing_folder_is_used_and_git_initialised() {
    let env = TestEnv::new();
    std::fs::create_dir(env.work().join("empty")).unwrap();
    env.dayone(["new", "empty", "--yes"]).assert().success();
    assert!(env.work().join("empty/.git").is_dir());
    assert!(env.work().join("empty/.dayone.toml").is_file());
    assert!(
        !entries(&env.work().join("empty"))
            .iter()
            .any(|e| e.starts_with(".dayone-"))
    );
}

#[test]
fn inside_an_existing_repository_git_is_not_reinitialised() {
    let env = TestEnv::new();
    git2::Repository::init(env.work()).unwrap();
    env.dayone(["new", "sub", "--yes"])
        .assert()
        .success()
        .stderr(predicate::str::contains("is inside the git work tree"))
        .stderr(predicate::str::contains("not creating another repository"));
    assert!(!env.work().join("sub/.git").exists());
}

#[test]
fn quiet_prints_nothing_and_verbose_lists_files() {
    let env = TestEnv::new();
    env.dayone(["new", "a", "--yes", "--quiet"])
        .assert()
        .success()
        .stdout("")
        .stderr("");
    env.dayone(["new", "b", "--yes", "--verbose", "--no-git"])
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("  wrote .dayone.toml"));
}

#[test]
fn templates_lists_and_shows_variables() {
    let env = TestEnv::new();
    env.dayone(["templates"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "  mlops      {:<8} ",
            mlops_version()
        )));
    let output = env.dayone(["templates", "--json"]).output().unwrap();
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(list["schema"], 1);
    assert_eq!(list["templates"][0]["name"], "mlops");
    let output = env
        .dayone(["templates", "mlops", "--json"])
        .output()
        .unwrap();
    let shown: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let names: Vec<&str> = shown["variables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[..3], ["project_name", "package_name", "description"]);
    let dvc = shown["variables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "gcs_bucket")
        .unwrap();
    assert_eq!(dvc["when"], "dvc == 'gcs'");
    env.dayone(["templates", "mlops"]).assert().success().stdout(predicate::str::contains(
        "  license  (choice)\n    License\n    choices: MIT, BSD-3-Clause, Apache-2.0, none\n    default: MIT\n",
    ));
    let tpl = write_fixture_template(&env, "tpl");
    env.dayone(["templates"])
        .arg(&tpl)
        .assert()
        .success()
        .stdout(predicate::str::contains("    asked when: api"));
}

/// The shell asks dayone for candidates: after `--template`, built-in names and folders.
#[test]
fn template_completion_offers_names_and_folders() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.work().join("my-template")).unwrap();
    let ask = |typed: &str| {
        let out = env
            .dayone(["--", "dayone", "new", "--template", typed])
            .env("DAYONE_COMPLETE", "fish")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(ask("./").contains("./my-template/"), "{}", ask("./"));
    assert!(ask("ml").contains("mlops"), "{}", ask("ml"));
    assert!(ask("").contains("my-template/"), "{}", ask(""));
}

#[test]
fn completions_for_every_shell() {
    let env = TestEnv::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        env.dayone(["completions", shell])
            .assert()
            .success()
            .stdout(predicate::str::contains("dayone"));
    }
    env.dayone(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid value 'tcsh'"));
}

#[test]
fn help_lists_exit_codes() {
    let env = TestEnv::new();
    env.dayone(["--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("2  bad input"));
    env.dayone(["new", "--bogus"]).assert().code(2);
}

#[cfg(unix)]
#[test]
fn an_interrupt_while_writing_leaves_nothing_behind() {
    let env = TestEnv::new();
    let tpl = write_fixture_template(&env, "huge");
    // Enough files that writing takes a noticeable while, so the signal lands mid-write.
    for i in 0..3_000 {
        env.write(format!("huge/project/many/f{i}.txt"), "x");
    }
    let mut child = env
        .std_command(["new", "out", "--yes", "--template"])
        .arg(&tpl)
        .spawn()
        .unwrap();
    let staging = loop {
        let found = entries(&env.work())
            .into_iter()
            .find(|e| e.starts_with(".dayone-staging-"));
        if let Some(found) = found {
            break found;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("dayone finished ({status}) before it could be interrupted");
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(130),
        "interrupted runs exit 130, as after SIGINT"
    );
    assert!(
        !env.work().join(&staging).exists(),
        "staging folder {staging} removed"
    );
    assert_eq!(entries(&env.work()), ["huge"]);
}

#[test]
fn layers_replace_and_add_files_for_the_answers_that_turn_them_on() {
    let env = TestEnv::new();
    let tpl = write_fixture_template(&env, "tpl");
    let manifest = std::fs::read_to_string(tpl.join("template.toml")).unwrap();
    std::fs::write(
        tpl.join("template.toml"),
        format!(
            "{manifest}\n[[files.layers]]\nwhen = \"flavour == 'fancy'\"\nfolder = \"fancy\"\n\n\
             [[files.layers]]\nwhen = \"api\"\nfolder = \"with-api\"\n"
        ),
    )
    .unwrap();
    env.write("tpl/fancy/README.md", "# {{ name }}, the fancy one\n");
    env.write("tpl/fancy/extra.txt", "only when fancy\n");
    env.write(
        "tpl/fancy/src/{{ package }}/api.py",
        "FANCY_PORT = {{ port }}\n",
    );
    env.write("tpl/with-api/extra.txt", "api wins: later layers win\n");
    let make = |dir: &str, sets: &[&str]| {
        let mut cmd = env.dayone(["new", dir, "--yes", "--quiet", "--no-git", "--template"]);
        cmd.arg(&tpl);
        for set in sets {
            cmd.args(["--set", set]);
        }
        cmd.assert().success();
        env.work().join(dir)
    };
    let plain = make("plain", &[]);
    assert_eq!(
        std::fs::read_to_string(plain.join("README.md")).unwrap(),
        "# plain\nFlavour: plain\n"
    );
    assert!(!plain.join("extra.txt").exists());
    let fancy = make("fancy-one", &["flavour=fancy"]);
    assert_eq!(
        std::fs::read_to_string(fancy.join("README.md")).unwrap(),
        "# fancy-one, the fancy one\n"
    );
    assert_eq!(
        std::fs::read_to_string(fancy.join("extra.txt")).unwrap(),
        "only when fancy\n"
    );
    // The tree's rules apply to a layer's files too: api.py only with the API.
    assert!(!fancy.join("src/fancy_one/api.py").exists());
    let both = make("both", &["flavour=fancy", "api=true"]);
    assert_eq!(
        std::fs::read_to_string(both.join("src/both/api.py")).unwrap(),
        "FANCY_PORT = 8000\n"
    );
    assert_eq!(
        std::fs::read_to_string(both.join("extra.txt")).unwrap(),
        "api wins: later layers win\n"
    );
    std::fs::remove_dir_all(tpl.join("with-api")).unwrap();
    let out = env
        .dayone(["new", "x", "--yes", "--template"])
        .arg(&tpl)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("[[files.layers]] folder `with-api` does not exist"));
}

#[test]
fn a_large_copied_file_is_streamed_into_the_project_and_its_commit() {
    let env = TestEnv::new();
    let template = write_fixture_template(&env, "tpl");
    // More than one zlib block, and not UTF-8, so it is copied as it is.
    let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8 | 0x80).collect();
    env.write("tpl/project/assets/big.bin", &big);
    env.dayone(["new", "proj", "--yes", "--quiet", "--template"])
        .arg(&template)
        .assert()
        .success();
    let proj = env.work().join("proj");
    assert_eq!(std::fs::read(proj.join("assets/big.bin")).unwrap(), big);
    let out = std::process::Command::new("git")
        .args(["cat-file", "-p", "HEAD:assets/big.bin"])
        .current_dir(&proj)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.stdout, big);
    let fsck = std::process::Command::new("git")
        .args(["fsck", "--strict"])
        .current_dir(&proj)
        .output()
        .unwrap();
    assert!(
        fsck.status.success(),
        "{}",
        String::from_utf8_lossy(&fsck.stderr)
    );
}

#[test]
fn a_dry_run_over_an_existing_project_marks_what_differs_instead_of_refusing() {
    let env = TestEnv::new();
    let template = write_fixture_template(&env, "tpl");
    env.dayone(["new", "proj", "--yes", "--quiet", "--no-git", "--template"])
        .arg(&template)
        .assert()
        .success();
    let proj = env.work().join("proj");
    std::fs::write(proj.join("README.md"), "# mine\n").unwrap();
    let before = tree(&proj);
    let out = env
        .dayone([
            "new",
            ".",
            "--yes",
            "--dry-run",
            "--answers",
            ".dayone.toml",
            "--template",
        ])
        .arg(&template)
        .current_dir(&proj)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let listing = stdout(&out);
    assert!(listing.contains("  differs   README.md"), "{listing}");
    assert!(listing.contains("  same      run.sh"), "{listing}");
    assert!(listing.contains("a real run needs --force"), "{listing}");
    assert_eq!(tree(&proj), before);
}

/// A long project name makes the GCS bucket default too long: the run says which default
/// fails which rule and the flag that answers it, and writes nothing.
#[test]
fn a_derived_default_that_fails_its_rule_is_named_with_the_flag() {
    let env = TestEnv::new();
    let name = format!("a{}", "b".repeat(69));
    let out = env
        .dayone(["new", "--yes", "--no-git", "--set", "dvc=gcs", "--set"])
        .arg(format!("project_name={name}"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("variable `gcs_bucket`: the default")
            && err.contains("use 3-63 lowercase letters")
            && err.contains("pass --set gcs_bucket="),
        "{err}"
    );
    assert!(!env.work().join(&name).exists());
}

//! What `update` and `add` report: `uv.lock` brought in step after `pyproject.toml` changed
//! (a stand-in `uv` on PATH records how it was called; no network), and `--json`'s one document.

use std::path::{Path, PathBuf};

use crate::support::TestEnv;
use crate::update::{commit_all, git, stderr};

/// A template whose pyproject gains a dependency with `api`; `notes` changes the README only.
fn write_locked_template(env: &TestEnv) -> PathBuf {
    env.write(
        "tpl/template.toml",
        "[template]\nname = \"locked\"\nversion = \"1.0.0\"\ndirectory_variable = \"name\"\n\n\
         [[variables]]\nname = \"name\"\nprompt = \"Name\"\ntype = \"string\"\ndefault = \"demo\"\n\n\
         [[variables]]\nname = \"api\"\nprompt = \"API?\"\ntype = \"bool\"\ndefault = false\nfeature = true\n\n\
         [[variables]]\nname = \"notes\"\nprompt = \"Notes?\"\ntype = \"bool\"\ndefault = false\nfeature = true\n",
    );
    env.write(
        "tpl/project/pyproject.toml",
        "[project]\nname = \"{{ name }}\"\nversion = \"0.1.0\"\ndependencies = [\n    \"numpy\",\n{% if api %}    \"fastapi\",\n{% endif %}]\n",
    );
    env.write(
        "tpl/project/README.md",
        "# {{ name }}\n{% if notes %}Notes.\n{% endif %}",
    );
    env.work().join("tpl")
}

/// `proj/` from that template, with a committed `uv.lock` when `lock` is given.
fn project(env: &TestEnv, lock: bool) -> PathBuf {
    let tpl = write_locked_template(env);
    env.dayone(["new", "proj", "--yes", "--quiet", "--template"])
        .arg(&tpl)
        .assert()
        .success();
    let proj = env.work().join("proj");
    if lock {
        std::fs::write(proj.join("uv.lock"), "the lock before\n").unwrap();
        commit_all(&proj, "locked");
    }
    proj
}

/// A folder for PATH holding a `uv` that logs its folder and arguments to `log`, then runs
/// `body` (shell).
#[cfg(unix)]
fn stand_in_uv(env: &TestEnv, body: &str) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let bin = env.work().join("bin");
    let log = env.work().join("uv.log");
    let script = env.write(
        "bin/uv",
        format!(
            "#!/bin/sh\necho \"$PWD|$*\" >> '{}'\n{body}\n",
            log.display()
        ),
    );
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    (bin, log)
}

fn add(env: &TestEnv, path: &Path, args: &[&str]) -> std::process::Output {
    env.dayone(["add", "--project", "proj"])
        .args(args)
        .env("PATH", path)
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn with_uv_on_path_the_lock_is_brought_up_to_date_and_staged() {
    let env = TestEnv::new();
    let proj = project(&env, true);
    let (bin, log) = stand_in_uv(&env, "printf 'the lock after\\n' > uv.lock");
    let out = add(&env, &bin, &["api"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let real = std::fs::canonicalize(&proj).unwrap();
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        format!("{}|lock\n", real.display())
    );
    assert_eq!(
        std::fs::read_to_string(proj.join("uv.lock")).unwrap(),
        "the lock after\n"
    );
    let staged = git(&proj, &["diff", "--cached", "--name-only"]);
    assert_eq!(staged, ".dayone.toml\npyproject.toml\nuv.lock\n");
    assert!(
        stderr(&out).contains(
            "pyproject.toml changed, so `uv lock --directory proj` brought uv.lock up to date (staged with the update)."
        ),
        "{}",
        stderr(&out)
    );
    // `--abort` takes the lock back too: it was staged with the update.
    env.dayone(["update", "proj", "--abort"]).assert().success();
    assert_eq!(
        std::fs::read_to_string(proj.join("uv.lock")).unwrap(),
        "the lock before\n"
    );
}

#[cfg(unix)]
#[test]
fn without_uv_or_when_it_fails_the_summary_says_the_exact_command() {
    let env = TestEnv::new();
    let proj = project(&env, true);
    let empty = env.work().join("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    let out = add(&env, &empty, &["api", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["lock"],
        serde_json::json!({
            "file": "uv.lock",
            "state": "stale",
            "command": "uv lock --directory proj",
            "stage": "git -C proj add uv.lock",
            "detail": "uv is not on PATH",
        })
    );
    assert_eq!(
        std::fs::read_to_string(proj.join("uv.lock")).unwrap(),
        "the lock before\n"
    );
    env.dayone(["update", "proj", "--abort"]).assert().success();

    let (bin, _) = stand_in_uv(
        &env,
        "echo 'error: Failed to fetch: https://pypi.org/simple/fastapi/' >&2\necho '  Caused by: dns error' >&2\nexit 2",
    );
    let out = add(&env, &bin, &["api"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "warning: pyproject.toml changed and uv.lock is out of date (`uv lock` failed: Caused by: dns error): run `uv lock --directory proj` and `git -C proj add uv.lock` before you push"
        ),
        "{}",
        stderr(&out)
    );
    let staged = git(&proj, &["diff", "--cached", "--name-only"]);
    assert!(!staged.contains("uv.lock"), "{staged}");
}

#[cfg(unix)]
#[test]
fn uv_runs_only_for_a_changed_pyproject_in_a_project_with_a_lock_and_never_on_a_dry_run() {
    let env = TestEnv::new();
    let proj = project(&env, true);
    let (bin, log) = stand_in_uv(&env, "");
    let out = add(&env, &bin, &["notes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("uv.lock"), "{}", stderr(&out));
    commit_all(&proj, "notes");
    let out = add(&env, &bin, &["api", "--dry-run", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["lock"]["state"], "would_update");
    assert!(!log.exists(), "uv was run");
    // A project without a lock is left without one.
    std::fs::remove_file(proj.join("uv.lock")).unwrap();
    commit_all(&proj, "no lock");
    let out = add(&env, &bin, &["api"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!log.exists() && !proj.join("uv.lock").exists());
}

#[cfg(unix)]
#[test]
fn a_conflict_in_pyproject_asks_for_the_lock_after_it_is_resolved() {
    let env = TestEnv::new();
    let proj = project(&env, true);
    let edited = std::fs::read_to_string(proj.join("pyproject.toml"))
        .unwrap()
        .replace("    \"numpy\",\n", "    \"numpy\",\n    \"polars\",\n");
    std::fs::write(proj.join("pyproject.toml"), edited).unwrap();
    commit_all(&proj, "polars");
    let (bin, log) = stand_in_uv(&env, "");
    let out = add(&env, &bin, &["api"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "pyproject.toml has conflicts, so uv.lock is out of date: resolve them, then run `uv lock --directory proj` and `git -C proj add uv.lock`"
        ),
        "{}",
        stderr(&out)
    );
    assert!(!log.exists());
}

#[test]
fn update_json_is_one_document_with_a_schema_also_when_up_to_date() {
    let env = TestEnv::new();
    let proj = project(&env, false);
    let out = env
        .dayone(["update", "proj", "--yes", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "schema": 1,
            "template": "locked",
            "source": { "kind": "folder", "path": "../tpl" },
            "from_version": "1.0.0",
            "to_version": "1.0.0",
            "from_commit": null,
            "to_commit": null,
            "up_to_date": true,
            "dry_run": false,
            "base": "stored",
            "files": [],
            "conflicts": [],
            "lock": null,
        })
    );
    let out = env
        .dayone(["add", "api", "--project", "proj", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema"], 1);
    assert_eq!(json["up_to_date"], false);
    let changed: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["change"] != "unchanged")
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(changed, [".dayone.toml", "pyproject.toml"]);
    assert!(proj.join("pyproject.toml").is_file());
}

#[test]
fn check_flags_the_lock_an_add_without_uv_left_stale() {
    let env = TestEnv::new();
    let proj = project(&env, false);
    // What `uv lock` records for the project as made: numpy, nothing else.
    let lock = "version = 1\nrevision = 2\nrequires-python = \">=3.12\"\n\n\
                [[package]]\nname = \"numpy\"\nversion = \"2.2.1\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n\
                [[package]]\nname = \"proj\"\nversion = \"0.1.0\"\nsource = { editable = \".\" }\n\
                dependencies = [\n    { name = \"numpy\" },\n]\n\n\
                [package.metadata]\nrequires-dist = [{ name = \"numpy\" }]\n";
    std::fs::write(proj.join("uv.lock"), lock).unwrap();
    commit_all(&proj, "locked");
    let environment = |env: &TestEnv| {
        let out = env.dayone(["check", "proj", "--json"]).output().unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let items = report["items"].as_array().unwrap().clone();
        items
            .into_iter()
            .find(|i| i["id"] == "environment")
            .unwrap()
    };
    assert_eq!(environment(&env)["status"], "done");
    let empty = env.work().join("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    let out = add(&env, &empty, &["api"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let item = environment(&env);
    assert_eq!(item["status"], "open");
    assert_eq!(
        item["hint"],
        "uv.lock no longer locks what pyproject.toml asks for (fastapi is not locked): run `uv lock` and commit uv.lock; until then `uv sync --locked` (the CI) refuses it"
    );
}

//! What every starter of the built-in template promises, whichever it is: left as it came it
//! ticks nothing in `dayone check`, and `dayone add NAME` on a project the group has changed
//! gives what `dayone new` with it on gives, with the group's changes kept.

use std::path::Path;

use serde_json::Value;

use crate::generated::check_json;
use crate::support::{TestEnv, tree};

/// Answers every starter's condition holds under (some need the API, DVC or GCP).
const BASE: &[&str] = &[
    "author_name=Ada Lovelace",
    "author_email=ada@example.org",
    "year=2026",
    "api=true",
    "dvc=local",
    "gcp=true",
];

/// The starter features of the built-in template, with the items each serves.
fn starters(env: &TestEnv) -> Vec<(String, Vec<String>)> {
    starter_variables(env)
        .iter()
        .map(|v| {
            let serves = v["serves"].as_array().unwrap().iter();
            let serves = serves.map(|s| s.as_str().unwrap().to_string()).collect();
            (v["name"].as_str().unwrap().to_string(), serves)
        })
        .collect()
}

/// The variables of the built-in template's starters, as `dayone templates mlops --json` has them.
fn starter_variables(env: &TestEnv) -> Vec<Value> {
    let out = env
        .dayone(["templates", "mlops", "--json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let starters: Vec<Value> = json["variables"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["starter"] == true)
        .cloned()
        .collect();
    assert!(!starters.is_empty(), "the built-in template has starters");
    starters
}

fn new(env: &TestEnv, name: &str, sets: &[String]) {
    let mut cmd = env.dayone(["new", name, "--yes", "--quiet"]);
    for set in BASE
        .iter()
        .map(|s| s.to_string())
        .chain(sets.iter().cloned())
    {
        cmd.args(["--set", &set]);
    }
    cmd.assert().success();
}

fn item<'a>(json: &'a Value, id: &str) -> &'a Value {
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == id)
        .unwrap()
}

/// A fresh project with every starter on claims none of the items they serve, says in each
/// item's hint that its starter is there, and its report agrees (`--strict` passes).
#[test]
fn a_starter_left_as_it_came_ticks_nothing() {
    let env = TestEnv::new();
    let starters = starters(&env);
    let on: Vec<String> = starters
        .iter()
        .map(|(name, _)| format!("{name}=true"))
        .collect();
    new(&env, "all", &on);
    let json = check_json(&env, "all");
    for (name, serves) in &starters {
        for id in serves {
            let item = item(&json, id);
            assert_ne!(item["status"], "done", "{name} alone ticks {id}: {item}");
            let hint = item["hint"].as_str().unwrap_or_default();
            assert!(
                hint.contains(&format!("`{name}` starter is in place")),
                "{id}'s hint does not name the {name} starter: {item}"
            );
        }
    }
    env.dayone(["check", "all", "--strict"]).assert().success();
}

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

/// The group's edits: a line in the README and a function of their own in the data module.
fn edit(project: &Path) {
    let readme = project.join("README.md");
    let text = std::fs::read_to_string(&readme).unwrap();
    std::fs::write(&readme, format!("{text}\nOur own notes on the data.\n")).unwrap();
    let data = project.join("src/demo/data.py");
    let text = std::fs::read_to_string(&data).unwrap();
    let own = "\n\ndef our_own_helper() -> int:\n    \"\"\"Ours.\"\"\"\n    return 42\n";
    std::fs::write(&data, format!("{text}{own}")).unwrap();
}

/// `dayone add NAME` on a changed project equals `dayone new` with NAME on plus the same
/// changes, for every starter.
#[test]
fn every_starter_added_later_is_what_new_makes_and_keeps_the_edits() {
    let env = TestEnv::new();
    for (name, _) in starters(&env) {
        let later = env.work().join(format!("later-{name}"));
        let fresh = env.work().join(format!("fresh-{name}"));
        for dir in [&later, &fresh] {
            std::fs::create_dir_all(dir).unwrap();
        }
        let sets = ["project_name=demo".to_string()];
        new(&env, &format!("later-{name}/demo"), &sets);
        let project = later.join("demo");
        edit(&project);
        git(&project, &["commit", "-qam", "our edits"]);
        let out = env
            .dayone(["add", &name, "--project"])
            .arg(&project)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "add {name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let with = [sets[0].clone(), format!("{name}=true")];
        new(&env, &format!("fresh-{name}/demo"), &with);
        edit(&fresh.join("demo"));
        assert_eq!(tree(&project), tree(&fresh.join("demo")), "{name}");
        let readme = std::fs::read_to_string(project.join("README.md")).unwrap();
        assert!(readme.contains("Our own notes on the data."), "{name}");
    }
}

/// What the group writes or changes around a starter counts: their own profiling code ticks
/// `profiling` beside the untouched starter, and the starter's workflow once they changed it
/// ticks `ci-registry-trigger`.
#[test]
fn the_groups_own_work_on_a_starter_counts() {
    let env = TestEnv::new();
    let sets = [
        "project_name=demo".to_string(),
        "profiling=true".to_string(),
        "registry_workflow=true".to_string(),
    ];
    new(&env, "demo", &sets);
    let before = check_json(&env, "demo");
    for id in ["profiling", "ci-registry-trigger"] {
        assert_eq!(item(&before, id)["status"], "open", "{}", item(&before, id));
    }
    let project = env.work().join("demo");
    let own = "\"\"\"How long loading the data takes.\"\"\"\n\nimport cProfile\n\n\
               from demo.data import load_meta\n\n\ncProfile.run(\"load_meta('data/processed')\")\n";
    std::fs::write(project.join("src/demo/profile_data.py"), own).unwrap();
    let workflow = project.join(".github/workflows/registry.yaml");
    let text = std::fs::read_to_string(&workflow).unwrap();
    std::fs::write(&workflow, text.replace("model-staged", "model-promoted")).unwrap();
    let after = check_json(&env, "demo");
    let profiling = item(&after, "profiling");
    assert_eq!(profiling["status"], "done", "{profiling}");
    assert_eq!(
        profiling["evidence"][0]["path"], "src/demo/profile_data.py",
        "only the group's file is evidence: {profiling}"
    );
    let registry = item(&after, "ci-registry-trigger");
    assert_eq!(registry["status"], "done", "{registry}");
    assert!(
        registry.to_string().contains("model-promoted"),
        "{registry}"
    );
}

/// A starter that builds on the API (a deployment, records of what it serves, a load test…)
/// is refused without it, by `new` and by `add`, naming the condition; nothing is written.
#[test]
fn a_starter_that_needs_the_api_is_refused_without_it() {
    let env = TestEnv::new();
    let needs_api: Vec<String> = starter_variables(&env)
        .iter()
        .filter(|v| v["when"] == "api")
        .map(|v| v["name"].as_str().unwrap().to_string())
        .collect();
    assert!(needs_api.len() >= 2, "{needs_api:?}");
    let mut cmd = env.dayone(["new", "no-api", "--yes", "--quiet", "--set", "api=false"]);
    cmd.assert().success();
    let project = env.work().join("no-api");
    let before = tree(&project);
    for name in &needs_api {
        let set = format!("{name}=true");
        let out = env
            .dayone(["new", "other", "--yes", "--set", "api=false", "--set", &set])
            .output()
            .unwrap();
        let expected = format!("--set {set}: `{name}` is only used when `api`, which is false");
        assert_eq!(out.status.code(), Some(2), "new with {set}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(&expected));
        assert!(
            !env.work().join("other").exists(),
            "new with {set} wrote something"
        );
        let out = env
            .dayone(["add", name, "--project", "no-api"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "add {name}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(&expected));
        assert_eq!(tree(&project), before, "add {name} changed the project");
    }
}

/// `add` names what it turned on, and its dry run puts its headline with the file list on
/// stdout, as `new --dry-run` does.
#[test]
fn add_names_the_feature_and_its_dry_run_is_all_on_stdout() {
    let env = TestEnv::new();
    env.dayone(["new", "p", "--yes", "--quiet"])
        .assert()
        .success();
    let dry = env
        .dayone(["add", "docs", "--project", "p", "--dry-run", "--yes"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&dry.stdout);
    assert!(
        stdout.starts_with("Dry run, nothing written: turning on docs (template mlops "),
        "{stdout}"
    );
    let real = env
        .dayone(["add", "docs", "--project", "p", "--yes"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&real.stderr);
    assert!(
        stderr.contains("Turned on docs (template mlops "),
        "{stderr}"
    );
    assert!(!stderr.contains(" → "), "{stderr}");
}

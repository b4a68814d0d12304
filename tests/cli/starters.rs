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
    let out = env
        .dayone(["templates", "mlops", "--json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let starters: Vec<(String, Vec<String>)> = json["variables"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["starter"] == true)
        .map(|v| {
            let serves = v["serves"].as_array().unwrap().iter();
            let serves = serves.map(|s| s.as_str().unwrap().to_string()).collect();
            (v["name"].as_str().unwrap().to_string(), serves)
        })
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

/// A fresh project with every starter on claims none of the items they serve, says the
/// starter is there, and its report agrees (`--strict` passes).
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
    let mut discounted = 0;
    for (name, serves) in &starters {
        for id in serves {
            let item = item(&json, id);
            assert_ne!(item["status"], "done", "{name} alone ticks {id}: {item}");
            let hint = item["hint"].as_str().unwrap_or_default();
            discounted += usize::from(hint.contains("starter is in place"));
        }
    }
    // Starters whose files the detectors do find are named as such, not just left open.
    assert!(discounted >= 3, "{json}");
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

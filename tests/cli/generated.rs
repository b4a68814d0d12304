//! The built-in template's output, seen from dayone's side: the rendered plan as a snapshot,
//! and the report's ticks agreeing with `dayone check` right after `dayone new`. (Running the
//! generated projects themselves — install, lint, tests, pipeline, API — is
//! scripts/verify_template.py's job, called by scripts/test.)

use serde_json::Value;

use crate::support::{TestEnv, tree};

const ALL_ON: &[&str] = &[
    "training=lightning",
    "hydra=true",
    "tracking=wandb",
    "api=true",
    "docs=true",
    "dvc=gcs",
    "gcp=true",
    "devcontainer=true",
    "agents=true",
];

/// `dayone new NAME --yes` with fixed author and year, so the output does not depend on the
/// machine or the date.
fn generate(env: &TestEnv, name: &str, sets: &[&str], extra: &[&str]) {
    let mut cmd = env.dayone(["new", name, "--yes", "--quiet"]);
    for set in [
        "author_name=Ada Lovelace",
        "author_email=ada@example.org",
        "year=2026",
    ]
    .iter()
    .chain(sets)
    {
        cmd.args(["--set", set]);
    }
    cmd.args(extra).assert().success();
}

fn check_json(env: &TestEnv, name: &str) -> Value {
    let output = env.dayone(["check", name, "--json"]).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn done_ids(json: &Value) -> Vec<String> {
    json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["status"] == "done")
        .map(|item| item["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_default_project_renders_as_recorded() {
    let env = TestEnv::new();
    generate(&env, "demo", &[], &["--no-git"]);
    let mut listing = String::new();
    for (path, bytes) in tree(&env.work().join("demo")) {
        listing += &format!("===== {path}\n{}\n", String::from_utf8_lossy(&bytes));
    }
    insta::assert_snapshot!("default_project", listing);
}

#[test]
fn every_option_on_renders_these_paths() {
    let env = TestEnv::new();
    generate(&env, "full", ALL_ON, &["--no-git"]);
    let paths: Vec<String> = tree(&env.work().join("full"))
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    insta::assert_snapshot!("all_options_paths", paths.join("\n"));
}

#[test]
fn report_ticks_agree_with_check_right_after_new() {
    let env = TestEnv::new();
    let combos: [(&str, &[&str], &[&str]); 5] = [
        ("defaults", &[], &[]),
        ("all-on", ALL_ON, &[]),
        ("no-api-no-git", &["api=false"], &["--no-git"]),
        ("pip", &["dependency_manager=pip"], &[]),
        ("dvc-local", &["dvc=local", "training=lightning"], &[]),
    ];
    for (name, sets, extra) in combos {
        generate(&env, name, sets, extra);
        let json = check_json(&env, name);
        assert_eq!(
            json["ticked_without_evidence"],
            Value::Array(vec![]),
            "{name}"
        );
        assert_eq!(json["evidence_not_ticked"], Value::Array(vec![]), "{name}");
        let unknown = json["report"]["unknown"].as_array().map_or(0, Vec::len);
        assert_eq!(unknown, 0, "{name}: every box maps to an item");
        env.dayone(["check", name, "--strict"]).assert().success();
    }
    let defaults = done_ids(&check_json(&env, "defaults"));
    assert_eq!(
        defaults,
        [
            "environment",
            "project-layout",
            "model-and-training",
            "dependencies",
            "code-style",
            "typing-and-docs",
            "cli-and-tasks",
            "dockerfiles",
            "experiment-configs",
            "logging",
            "tests-data",
            "tests-model",
            "coverage",
            "ci",
            "ci-matrix-cache",
            "ci-lint",
            "pre-commit",
            "fastapi",
            "api-tests"
        ]
    );
    let all_on = done_ids(&check_json(&env, "all-on"));
    let added: Vec<&String> = all_on.iter().filter(|id| !defaults.contains(id)).collect();
    assert_eq!(added, ["hydra", "lightning"]);
}

fn status<'a>(json: &'a Value, id: &str) -> &'a Value {
    let item = json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == id)
        .unwrap();
    &item["status"]
}

/// Work nobody has done yet is neither ticked nor claimed: hosting, a local image build,
/// fetching real data, tracked runs, data in the bucket, a build trigger, docs, publishing.
#[test]
fn a_fresh_project_claims_no_work_nobody_did() {
    let env = TestEnv::new();
    generate(&env, "full", ALL_ON, &[]);
    let json = check_json(&env, "full");
    for (id, expected) in [
        ("git-repository", "open"),
        ("docker-build", "manual"),
        ("data-module", "open"),
        ("wandb", "open"),
        ("gcs-data-remote", "open"),
        ("image-build-trigger", "open"),
        ("docs", "open"),
        ("docs-published", "open"),
    ] {
        assert_eq!(status(&json, id), expected, "{id}");
    }
    let report = std::fs::read_to_string(env.work().join("full/reports/README.md")).unwrap();
    assert_eq!(report.matches("* [x]").count(), 21, "{report}");
}

/// Once the evidence is there, `--fix-report` proposes the boxes the fresh report left open.
#[test]
fn fix_report_ticks_what_the_group_adds_after_new() {
    let env = TestEnv::new();
    generate(&env, "demo", &[], &[]);
    let repo = git2::Repository::open(env.work().join("demo")).unwrap();
    repo.remote("origin", "git@github.com:team/demo.git")
        .unwrap();
    let json = check_json(&env, "demo");
    assert_eq!(
        json["evidence_not_ticked"],
        serde_json::json!(["git-repository", "code-on-github"])
    );
    let output = env
        .dayone(["check", "demo", "--fix-report", "--json"])
        .output()
        .unwrap();
    let fixed: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        fixed["fixed"],
        serde_json::json!(["git-repository", "code-on-github"])
    );
    let report = std::fs::read_to_string(env.work().join("demo/reports/README.md")).unwrap();
    assert!(
        report.contains("* [x] Put the project under git and host the repository on GitHub (M5)")
    );
    assert!(report.contains("* [x] Push all of the code to GitHub"));
    env.dayone(["check", "demo", "--strict"]).assert().success();
}

/// An open item that a feature of the template starts names the `dayone add` that does it,
/// while that feature is off.
#[test]
fn open_items_name_the_feature_that_starts_them() {
    let env = TestEnv::new();
    generate(&env, "no-api", &["api=false"], &["--no-git"]);
    let json = check_json(&env, "no-api");
    let hint = |id: &str| {
        json["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["id"] == id)
            .and_then(|item| item["hint"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        hint("fastapi").contains("`dayone add api` puts a working starter in place"),
        "{}",
        hint("fastapi")
    );
    assert!(
        hint("hydra").contains("`dayone add hydra`"),
        "{}",
        hint("hydra")
    );
    let listing = env.dayone(["templates", "mlops"]).output().unwrap();
    assert!(String::from_utf8_lossy(&listing.stdout).contains("serves fastapi: Serve predictions"));
}

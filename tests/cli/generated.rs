//! The built-in template's output, seen from dayone's side: the rendered plan as a snapshot (the
//! default image project, each other kind of data, the files each framework changes), the
//! frameworks offered for each kind, the README's day-1 section, the layout every project gets,
//! the next steps, and the report's ticks agreeing with `dayone check` right after `dayone new`.
//! (Running the generated projects themselves — install, lint, tests, pipeline, API — is
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
pub(crate) fn generate(env: &TestEnv, name: &str, sets: &[&str], extra: &[&str]) {
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

pub(crate) fn check_json(env: &TestEnv, name: &str) -> Value {
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

/// Every file of a generated project, path then content, as the snapshots hold them.
fn listing(env: &TestEnv, name: &str) -> String {
    let mut listing = String::new();
    for (path, bytes) in tree(&env.work().join(name)) {
        listing += &format!("===== {path}\n{}\n", String::from_utf8_lossy(&bytes));
    }
    listing
}

#[test]
fn the_default_project_renders_as_recorded() {
    let env = TestEnv::new();
    generate(&env, "demo", &[], &["--no-git"]);
    let listing = listing(&env, "demo");
    insta::assert_snapshot!("default_project", listing);
}

/// The image project (the default above) is the tree in `project/`; each other kind of data is a
/// layer over it, recorded here whole with the framework that is its default.
#[test]
fn each_kind_of_data_renders_as_recorded() {
    let env = TestEnv::new();
    for kind in ["text", "tabular", "graph"] {
        generate(&env, kind, &[&format!("data_kind={kind}")], &["--no-git"]);
        insta::assert_snapshot!(format!("{kind}_project"), listing(&env, kind));
    }
}

/// A framework changes a few files of its kind's project: those files, as they differ.
#[test]
fn each_framework_changes_these_files() {
    let env = TestEnv::new();
    for (kind, framework) in [
        ("image", "timm"),
        ("text", "transformers"),
        ("tabular", "torch_frame"),
    ] {
        let plain = format!("{kind}-none");
        let with = format!("{kind}-{framework}");
        let kind_set = format!("data_kind={kind}");
        generate(
            &env,
            &plain,
            &[&kind_set, "package_name=demo"],
            &["--no-git"],
        );
        let framework_set = format!("framework={framework}");
        let sets = [
            kind_set.as_str(),
            framework_set.as_str(),
            "package_name=demo",
        ];
        generate(&env, &with, &sets, &["--no-git"]);
        let changed = changed_files(&env, &plain, &with, &["README.md"]);
        insta::assert_snapshot!(format!("{framework}_files"), changed);
    }
}

#[test]
fn a_framework_that_does_not_fit_the_kind_of_data_is_refused() {
    let env = TestEnv::new();
    let output = env
        .dayone(["new", "x", "--yes"])
        .args(["--set", "data_kind=text", "--set", "framework=timm"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--set framework: the value `timm` is not one of: none, transformers"),
        "{stderr}"
    );
    assert!(!env.work().join("x").exists());
    // A graph has no plain-PyTorch model: PyTorch Geometric is its only framework and its default.
    let refused = env
        .dayone(["new", "y", "--yes", "--set", "data_kind=graph"])
        .args(["--set", "framework=none"])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    generate(&env, "graph", &["data_kind=graph"], &["--no-git"]);
    let answers = std::fs::read_to_string(env.work().join("graph/.dayone.toml")).unwrap();
    assert!(
        answers.contains("\ndata_kind = \"graph\"\nframework = \"torch_geometric\"\n"),
        "{answers}"
    );
}

#[test]
fn the_kind_of_data_is_asked_first_and_the_frameworks_show_what_they_need() {
    let env = TestEnv::new();
    let output = env.dayone(["templates", "mlops"]).output().unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    let kind = text
        .find("  data_kind  (choice)")
        .expect("data_kind is listed");
    let framework = text
        .find("  framework  (choice)")
        .expect("framework is listed");
    let training = text.find("  training  (choice)").unwrap();
    assert!(kind < framework && framework < training, "{text}");
    for line in [
        "timm: PyTorch Image Models (offered when data_kind == 'image')",
        "transformers: Hugging Face Transformers (offered when data_kind == 'text')",
        "torch_frame: PyTorch Frame (offered when data_kind == 'tabular')",
        "torch_geometric: PyTorch Geometric (offered when data_kind == 'graph')",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
}

#[test]
fn a_framework_is_added_later_to_a_project_of_its_kind_only() {
    let env = TestEnv::new();
    generate(&env, "shapes", &[], &[]);
    env.dayone(["add", "framework=timm", "--project", "shapes", "--yes"])
        .assert()
        .success();
    let root = env.work().join("shapes");
    let model = std::fs::read_to_string(root.join("src/shapes/model.py")).unwrap();
    assert!(model.contains("timm.create_model("), "{model}");
    let answers = std::fs::read_to_string(root.join(".dayone.toml")).unwrap();
    assert!(answers.contains("\nframework = \"timm\"\n"), "{answers}");
    generate(&env, "texts", &["data_kind=text"], &[]);
    let output = env
        .dayone(["add", "framework=timm", "--project", "texts", "--yes"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("not one of: none, transformers"));
    let model = std::fs::read_to_string(env.work().join("texts/src/texts/model.py")).unwrap();
    assert!(!model.contains("timm"));
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
    let combos: [(&str, &[&str], &[&str]); 8] = [
        ("defaults", &[], &[]),
        ("all-on", ALL_ON, &[]),
        ("no-api-no-git", &["api=false"], &["--no-git"]),
        ("pip", &["dependency_manager=pip"], &[]),
        ("dvc-local", &["dvc=local", "training=lightning"], &[]),
        ("text", &["data_kind=text", "framework=transformers"], &[]),
        (
            "tabular",
            &["data_kind=tabular", "framework=torch_frame"],
            &[],
        ),
        ("graph", &["data_kind=graph", "hydra=true"], &[]),
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
    // Every kind of data gives the checklist the same evidence.
    for kind in ["text", "tabular"] {
        assert_eq!(done_ids(&check_json(&env, kind)), defaults, "{kind}");
    }
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

/// The files of project `with` that differ from project `plain` (both in the work folder), as
/// snapshots hold them; `skip` names files left out (the recorded answers always are).
pub(crate) fn changed_files(env: &TestEnv, plain: &str, with: &str, skip: &[&str]) -> String {
    let before: std::collections::BTreeMap<String, Vec<u8>> =
        tree(&env.work().join(plain)).into_iter().collect();
    let mut changed = String::new();
    for (path, bytes) in tree(&env.work().join(with)) {
        let differs = before.get(&path) != Some(&bytes);
        if differs && path != ".dayone.toml" && !skip.contains(&path.as_str()) {
            changed += &format!("===== {path}\n{}\n", String::from_utf8_lossy(&bytes));
        }
    }
    changed
}

/// What turning on `features` changes in a project, for each kind of data: `(kind, files)` as
/// `changed_files` gives them. Both projects have one project and package name, so the names
/// of their folders do not show.
pub(crate) fn changes_per_kind(env: &TestEnv, features: &[&str]) -> Vec<(&'static str, String)> {
    let names = ["project_name=demo", "package_name=demo"];
    let label = features.join("+");
    ["image", "text", "tabular", "graph"]
        .into_iter()
        .map(|kind| {
            let kind_set = format!("data_kind={kind}");
            let plain = format!("{kind}-plain-{label}");
            let with = format!("{kind}-with-{label}");
            let base = [kind_set.as_str(), names[0], names[1]];
            generate(env, &plain, &base, &["--no-git"]);
            let all: Vec<&str> = base.iter().chain(features).copied().collect();
            generate(env, &with, &all, &["--no-git"]);
            (kind, changed_files(env, &plain, &with, &[]))
        })
        .collect()
}

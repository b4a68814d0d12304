//! The built-in template's output, seen from dayone's side: the rendered plan as a snapshot (the
//! default image project, each other kind of data, the files each framework changes), the
//! frameworks offered for each kind, the README's day-1 section, the layout every project gets, the
//! next steps, and the report's ticks agreeing with `dayone check` right after `dayone new`. (Running the generated projects
//! themselves — install, lint, tests, pipeline, API — is scripts/verify_template.py's job, called
//! by scripts/test.)

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
        let before: std::collections::BTreeMap<String, Vec<u8>> =
            tree(&env.work().join(&plain)).into_iter().collect();
        let mut changed = String::new();
        for (path, bytes) in tree(&env.work().join(&with)) {
            let differs = before.get(&path) != Some(&bytes);
            if differs && path != ".dayone.toml" && path != "README.md" {
                changed += &format!("===== {path}\n{}\n", String::from_utf8_lossy(&bytes));
            }
        }
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

/// The text of `dayone new NAME --yes ARGS…` on stdout and stderr, next steps included.
fn new_output(env: &TestEnv, name: &str, args: &[&str]) -> String {
    let mut cmd = env.dayone(["new", name, "--yes"]);
    cmd.args(args);
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr)
}

#[test]
fn readme_opens_with_the_project_description_to_fill_in() {
    let env = TestEnv::new();
    generate(
        &env,
        "leaves",
        &["description=Tell healthy leaves from sick ones."],
        &["--no-git"],
    );
    let readme = std::fs::read_to_string(env.work().join("leaves/README.md")).unwrap();
    let headings: Vec<&str> = readme
        .lines()
        .filter(|line| line.starts_with('#'))
        .take(7)
        .collect();
    assert_eq!(
        headings,
        [
            "# leaves",
            "## Project description",
            "### Goal",
            "### Framework",
            "### Data",
            "### Models",
            "## The generated code"
        ]
    );
    let start = readme.find("## Project description").unwrap();
    let end = readme.find("## The generated code").unwrap();
    let section = &readme[start..end];
    let intro = &section[..section.find("### Goal").unwrap()];
    assert!(
        intro.contains("\nTell healthy leaves from sick ones.\n"),
        "{intro}"
    );
    for part in section.split("\n### ").skip(1) {
        let (title, body) = part.split_once('\n').unwrap();
        let paragraphs: Vec<&str> = body
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        assert_eq!(paragraphs.len(), 1, "{title}: one placeholder paragraph");
        assert!(paragraphs[0].starts_with("TODO: "), "{title}: {body}");
    }
}

#[test]
fn every_project_has_configs_and_nothing_tracked_inside_data() {
    let env = TestEnv::new();
    for (name, sets, config) in [
        ("plain", &[][..], "configs/train.yaml"),
        ("hydra", &["hydra=true"][..], "configs/config.yaml"),
        ("dvc", &["dvc=local"][..], "configs/train.yaml"),
    ] {
        generate(&env, name, sets, &["--no-git"]);
        let paths: Vec<String> = tree(&env.work().join(name))
            .into_iter()
            .map(|(path, _)| path)
            .collect();
        assert!(paths.iter().any(|p| p == config), "{name}: {paths:?}");
        let in_data: Vec<&String> = paths.iter().filter(|p| p.starts_with("data/")).collect();
        assert!(
            in_data.is_empty(),
            "{name}: DVC cannot take over {in_data:?}"
        );
    }
    let plain = tree(&env.work().join("plain"));
    assert!(
        !plain
            .iter()
            .any(|(path, _)| path.starts_with("configs/model"))
    );
}

#[test]
fn next_steps_name_the_workflows_the_python_version_and_the_lock() {
    let env = TestEnv::new();
    let docs = new_output(&env, "with-docs", &["--no-git", "--set", "docs=true"]);
    assert!(
        docs.contains("the tests, linting and docs workflows should pass"),
        "{docs}"
    );
    assert!(!docs.contains("both"), "{docs}");
    assert!(
        docs.contains("# commit uv.lock with the project"),
        "without git the lock still has to be committed: {docs}"
    );
    let plain = new_output(&env, "plain", &[]);
    assert!(
        plain.contains("the tests and linting workflows should pass"),
        "{plain}"
    );
    assert!(
        plain.contains("\n  git add uv.lock && git commit"),
        "{plain}"
    );
    let pip = new_output(
        &env,
        "with-pip",
        &[
            "--no-git",
            "--set",
            "dependency_manager=pip",
            "--set",
            "python_version=3.11",
        ],
    );
    assert!(pip.contains("\n  python3.11 -m venv .venv"), "{pip}");
    assert!(pip.contains("py -3.11 -m venv .venv"), "{pip}");
    assert!(!pip.contains("uv.lock"), "{pip}");
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
        // Without Hydra, configs/train.yaml is evidence of experiment configs, but the report
        // pre-ticks that box only with Hydra; `check --fix-report` offers the tick.
        let not_ticked: &[&str] = if sets.contains(&"hydra=true") {
            &[]
        } else {
            &["experiment-configs"]
        };
        assert_eq!(
            json["evidence_not_ticked"],
            serde_json::json!(not_ticked),
            "{name}"
        );
        let unknown = json["report"]["unknown"].as_array().map_or(0, Vec::len);
        assert_eq!(unknown, 0, "{name}: every box maps to an item");
        env.dayone(["check", name, "--strict"]).assert().success();
    }
    let defaults = done_ids(&check_json(&env, "defaults"));
    assert_eq!(
        defaults,
        [
            "git-repository",
            "environment",
            "project-layout",
            "data-module",
            "model-and-training",
            "dependencies",
            "code-style",
            "typing-and-docs",
            "cli-and-tasks",
            "dockerfiles",
            "docker-build",
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
    assert_eq!(
        added,
        [
            "hydra",
            "wandb",
            "lightning",
            "gcs-data-remote",
            "image-build-trigger",
            "docs",
            "docs-published"
        ]
    );
}

//! `dayone check`: the checklist with evidence, --json and exit codes, on projects built in
//! the test; the report's boxes (`boxes`) and the day-1 hand-in (`readme`) have files of
//! their own.

use std::path::Path;

use serde_json::Value;

use crate::support::TestEnv;

mod boxes;
mod grader;
mod readme;

/// A project that shows one item of almost every concern, the way a group would write it.
pub const FULL_PROJECT: &[(&str, &str)] = &[
    (
        ".dayone.toml",
        "[dayone]\ntemplate = \"mlops\"\n\n[answers]\napi = true\n",
    ),
    (".python-version", "3.12\n"),
    ("uv.lock", "version = 1\n"),
    (
        "pyproject.toml",
        "[project]\nname = \"proj\"\nversion = \"0.1.0\"\ndependencies = [\"torch\", \"fastapi\"]\n\n[dependency-groups]\ndev = [\"pytest\", \"ruff\"]\n\n[tool.ruff]\nline-length = 120\n",
    ),
    ("src/proj/__init__.py", ""),
    (
        "src/proj/data.py",
        "\"\"\"Data.\"\"\"\nimport logging\n\nimport torch\n\nlog = logging.getLogger(__name__)\n\n\ndef preprocess(raw: str, out: str) -> None:\n    \"\"\"Normalise the raw tensors.\"\"\"\n    x = torch.load(raw)\n    x = (x - x.mean()) / x.std()\n    torch.save(x, out)\n    log.info(\"saved %s\", out)\n\n\ndef loader(ds: torch.utils.data.Dataset) -> torch.utils.data.DataLoader:\n    \"\"\"Batches.\"\"\"\n    return torch.utils.data.DataLoader(ds, batch_size=32, num_workers=2)\n",
    ),
    (
        "src/proj/model.py",
        "from torch import nn\n\n\nclass Net(nn.Module):\n    def forward(self, x: int) -> int:\n        \"\"\"Identity.\"\"\"\n        return x\n",
    ),
    (
        "src/proj/train.py",
        "import hydra\nimport typer\nimport wandb\n\n\n@hydra.main(config_path=\"../../configs\", config_name=\"config\", version_base=None)\ndef train(cfg) -> None:\n    \"\"\"Train.\"\"\"\n    wandb.init(project=\"proj\", mode=\"online\")\n    loss = model(x)\n    loss.backward()\n    optimizer.step()\n    wandb.log({\"loss\": loss.item()})\n",
    ),
    (
        "src/proj/api.py",
        "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get(\"/health\")\ndef health() -> dict:\n    \"\"\"Liveness.\"\"\"\n    return {\"ok\": True}\n\n\n@app.post(\"/predict\")\ndef predict() -> dict:\n    \"\"\"Predict.\"\"\"\n    return {}\n",
    ),
    (
        "configs/config.yaml",
        "lr: 0.001\nbatch_size: 32\nepochs: 2\n",
    ),
    (
        "tests/test_data.py",
        "from proj.data import preprocess\n\n\ndef test_preprocess():\n    assert preprocess\n",
    ),
    (
        "tests/test_model.py",
        "from proj.model import Net\n\n\ndef test_net():\n    assert Net()(1) == 1\n",
    ),
    (
        "tests/test_api.py",
        "from fastapi.testclient import TestClient\n\nfrom proj.api import app\n\n\ndef test_health():\n    assert TestClient(app).get(\"/health\").status_code == 200\n",
    ),
    (
        "tasks.py",
        "from invoke import task\n\n\n@task\ndef test(c):\n    c.run(\"uv run coverage run -m pytest tests/\")\n\n\n@task\ndef docker_build(c):\n    c.run(\"docker build -t train:latest . -f dockerfiles/train.dockerfile\")\n",
    ),
    (
        "dockerfiles/train.dockerfile",
        "FROM python:3.12-slim\nCOPY . /app\nENTRYPOINT [\"python\", \"-m\", \"proj.train\"]\n",
    ),
    (
        ".github/workflows/tests.yaml",
        "name: Tests\non:\n  push:\n    branches: [main]\n  pull_request:\njobs:\n  test:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      matrix:\n        os: [ubuntu-latest, windows-latest, macos-latest]\n        python-version: [\"3.12\"]\n    steps:\n      - uses: actions/checkout@v4\n      - uses: astral-sh/setup-uv@v6\n        with:\n          enable-cache: true\n      - run: uv run pytest\n",
    ),
    (
        ".github/workflows/linting.yaml",
        "on: [push, pull_request]\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: uv run ruff check .\n",
    ),
    (
        ".pre-commit-config.yaml",
        "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.6.0\n    hooks:\n      - id: ruff\n",
    ),
];

const FULL_DONE: &[&str] = &[
    "environment",
    "project-layout",
    "data-module",
    "model-and-training",
    "dependencies",
    "code-style",
    "typing-and-docs",
    "cli-and-tasks",
    "dockerfiles",
    "experiment-configs",
    "hydra",
    "logging",
    "wandb",
    "tests-data",
    "tests-model",
    "coverage",
    "ci",
    "ci-matrix-cache",
    "ci-lint",
    "pre-commit",
    "fastapi",
    "api-tests",
    "distributed-data-loading",
];

pub fn write_all(env: &TestEnv, dir: &str, files: &[(&str, &str)]) {
    for (path, text) in files {
        env.write(Path::new(dir).join(path), text);
    }
}

/// Copy the synthetic repository `tests/cli/fixtures/repos/NAME` into the work folder.
pub fn fixture(env: &TestEnv, name: &str) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cli/fixtures/repos")
        .join(name);
    for entry in walkdir::WalkDir::new(&source) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(&source).unwrap();
            env.write(
                Path::new(name).join(relative),
                std::fs::read(entry.path()).unwrap(),
            );
        }
    }
}

pub fn json(env: &TestEnv, args: &[&str]) -> Value {
    let output = env.dayone(args).output().unwrap();
    assert!(
        output.status.code() == Some(0) || output.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("check --json prints JSON")
}

pub fn ids_with(report: &Value, status: &str) -> Vec<String> {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == status)
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

pub fn item<'a>(report: &'a Value, id: &str) -> &'a Value {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

#[test]
fn an_empty_git_repository_is_a_project_with_almost_everything_open() {
    let env = TestEnv::new();
    git2::Repository::init(env.work().join("empty")).unwrap();
    let report = json(&env, &["check", "empty", "--json"]);
    // A repository nobody has put on GitHub yet: even the first item is open.
    assert_eq!(ids_with(&report, "done"), Vec::<String>::new());
    assert_eq!(
        item(&report, "git-repository")["evidence"][0]["detail"],
        "a git repository (no remote yet)"
    );
    assert_eq!(
        ids_with(&report, "manual"),
        [
            "team-write-access",
            "docker-build",
            "revisit-description",
            "shared-understanding"
        ]
    );
    assert_eq!(report["total"]["open"], 49);
    assert_eq!(report["total"]["items"], 53);
    assert_eq!(report["report"], Value::Null);
    let first = &report["items"][0];
    for key in [
        "id", "week", "module", "label", "status", "evidence", "hint", "ticked",
    ] {
        assert!(first.get(key).is_some(), "item has no `{key}`: {first}");
    }
    assert_eq!(first["week"], "1");
    assert_eq!(first["ticked"], Value::Null);
}

#[test]
fn a_full_project_shows_its_evidence() {
    let env = TestEnv::new();
    write_all(&env, "proj", FULL_PROJECT);
    let report = json(&env, &["check", "proj", "--json"]);
    let mut done = ids_with(&report, "done");
    done.sort();
    let mut expected: Vec<String> = FULL_DONE.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(done, expected);

    let matrix = &item(&report, "ci-matrix-cache")["evidence"][0];
    assert_eq!(matrix["path"], ".github/workflows/tests.yaml");
    assert_eq!(
        matrix["detail"],
        "job `test`: matrix os × python-version (3 × 1), cache: astral-sh/setup-uv with enable-cache"
    );
    let typing = &item(&report, "typing-and-docs")["evidence"][0];
    assert_eq!(typing["path"], "src/");
    assert_eq!(
        typing["detail"],
        "6 of 6 functions have type hints, 6 have docstrings"
    );
    let wandb = &item(&report, "wandb")["evidence"][0];
    assert_eq!(wandb["path"], "src/proj/train.py");
    assert_eq!(wandb["line"], 13);
    assert!(
        item(&report, "load-test")["hint"]
            .as_str()
            .unwrap()
            .contains("locustfile")
    );
}

#[test]
fn text_output_groups_by_week_with_evidence_hints_and_summaries() {
    let env = TestEnv::new();
    write_all(&env, "proj", FULL_PROJECT);
    let assert = env.dayone(["check", "proj"]).assert().success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for expected in [
        "Week 1  (13 done, 5 open, 2 manual)",
        "Week 2  (9 done, 9 open, 0 manual)",
        "Week 3  (1 done, 8 open, 0 manual)",
        "Extra  (0 done, 4 open, 2 manual)",
        "Overall: 23 done, 26 open, 4 manual (of 53 items)",
        "done   M17    Cache dependencies in CI",
        "src/proj/api.py: a FastAPI app with GET /health, POST /predict",
        "hint: write a locustfile.py",
        "no reports/README.md",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
}

#[test]
fn counts_of_one_read_in_the_singular() {
    let env = TestEnv::new();
    write_all(
        &env,
        "proj",
        &[
            (
                "pyproject.toml",
                "[project]\nname = \"p\"\ndependencies = [\"torch\"]\n",
            ),
            ("configs/config.yaml", "lr: 0.1\n"),
            (
                ".pre-commit-config.yaml",
                "repos:\n  - repo: local\n    hooks:\n      - id: ruff\n",
            ),
            (
                "reports/README.md",
                "### Week 1\n\n* [ ] git (M5)\n* [ ] access (M5)\n* [x] env (M2)\n",
            ),
        ],
    );
    let assert = env.dayone(["check", "proj"]).assert().success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for expected in [
        "configs/config.yaml: 1 setting (lr)",
        ".pre-commit-config.yaml: 1 hook: ruff",
        "pyproject.toml: [project] lists 1 dependency",
        "1 ticked box without evidence",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
    for wrong in ["1 settings", "(s)", "(es)"] {
        assert!(!out.contains(wrong), "{wrong:?} in:\n{out}");
    }
}

#[test]
fn ignored_files_and_data_are_not_evidence() {
    let env = TestEnv::new();
    write_all(
        &env,
        "proj",
        &[
            ("pyproject.toml", "[project]\nname = \"p\"\n"),
            (".gitignore", "scratch/\n"),
            ("scratch/train.py", "import wandb\nwandb.log({})\n"),
            ("data/raw/train.py", "import wandb\nwandb.log({})\n"),
            ("requirements.txt", "wandb\n"),
        ],
    );
    let report = json(&env, &["check", "proj", "--json"]);
    assert_eq!(item(&report, "wandb")["status"], "open");
    env.write("proj/src/proj/train.py", "import wandb\nwandb.log({})\n");
    let report = json(&env, &["check", "proj", "--json"]);
    assert_eq!(item(&report, "wandb")["status"], "done");
}

#[test]
fn a_broken_workflow_is_named_on_stderr_and_the_check_goes_on() {
    let env = TestEnv::new();
    env.write("proj/pyproject.toml", "[project]\nname = \"p\"\n");
    env.write("proj/.github/workflows/tests.yaml", "on: [push\n");
    env.dayone(["check", "proj"])
        .assert()
        .success()
        .stdout(predicates::str::contains("Overall:"))
        .stderr(predicates::str::contains(
            "warning: .github/workflows/tests.yaml: not a readable workflow",
        ));
}

#[test]
fn paths_that_are_not_projects_exit_2() {
    let env = TestEnv::new();
    env.dayone(["check", "missing"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("missing does not exist"));
    env.write("plain/notes.txt", "hello");
    env.dayone(["check", "plain"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("plain is not a project folder"));
    env.dayone(["check", "plain/notes.txt"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("it is a file"));
}

#[test]
fn the_current_folder_is_the_default() {
    let env = TestEnv::new();
    env.write("pyproject.toml", "[project]\nname = \"p\"\n");
    let report = json(&env, &["check", "--json"]);
    assert_eq!(report["project"], ".");
}

#[test]
fn a_subfolder_finds_the_project_above_it_and_says_which() {
    let env = TestEnv::new();
    env.write("proj/pyproject.toml", "[project]\nname = \"p\"\n");
    env.write("proj/src/pkg/train.py", "x = 1\n");
    // A docs folder's own requirements file does not make it the project.
    env.write("proj/docs/requirements.txt", "mkdocs\n");
    let inside = env.work().join("proj/src/pkg");
    let output = env
        .dayone(["check", "--json"])
        .current_dir(&inside)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["project"], "../..");
    let assert = env
        .dayone(["check"])
        .current_dir(&inside)
        .assert()
        .success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        out.starts_with(
            "Course checklist for ../.. (the nearest folder above . with pyproject.toml)\n"
        ),
        "{out}"
    );
    let report = json(&env, &["check", "proj/docs", "--json"]);
    assert_eq!(report["project"], "proj");
    // The project folder itself is used as given.
    let report = json(&env, &["check", "proj", "--json"]);
    assert_eq!(report["project"], "proj");
}

#[test]
fn report_commands_find_the_project_above_too() {
    let env = TestEnv::new();
    env.dayone(["new", "proj", "--yes", "--quiet", "--no-git"])
        .assert()
        .success();
    env.dayone(["report", "check", "proj/src/proj"])
        .assert()
        .stdout(predicates::str::starts_with("proj/reports/README.md\n"))
        .stderr(predicates::str::contains(
            "proj/src/proj has no report; using proj/reports/README.md, the report of the project above it",
        ));
    env.dayone(["report", "html"])
        .current_dir(env.work().join("proj/src"))
        .assert()
        .stdout(predicates::str::contains("<html"));
}

/// `--open` and `--week` narrow the text to what a group is working on; the counts stay whole.
#[test]
fn open_and_week_narrow_the_list() {
    let env = TestEnv::new();
    env.dayone(["new", "p", "--yes", "--quiet", "--no-git"])
        .assert()
        .success();
    let out = env
        .dayone(["check", "p", "--open", "--week", "2"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("\nWeek 2  ("), "{text}");
    assert!(
        !text.contains("\nWeek 1  (") && !text.contains("\nExtra  ("),
        "{text}"
    );
    let items: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  [") || l.starts_with("  done") || l.starts_with("  open"))
        .collect();
    assert!(!items.is_empty(), "{text}");
    assert!(items.iter().all(|l| l.contains(" open ")), "{items:#?}");
    assert!(text.contains("Overall: "), "{text}");
    env.dayone(["check", "p", "--week", "4"]).assert().code(2);
}

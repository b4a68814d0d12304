//! `dayone check`: the checklist with evidence, report comparison, --fix-report, --strict,
//! --json and exit codes, on projects built in the test.

use std::path::Path;

use serde_json::Value;

use crate::support::TestEnv;

/// A project that shows one item of almost every concern, the way a group would write it.
const FULL_PROJECT: &[(&str, &str)] = &[
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

fn write_all(env: &TestEnv, dir: &str, files: &[(&str, &str)]) {
    for (path, text) in files {
        env.write(Path::new(dir).join(path), text);
    }
}

fn json(env: &TestEnv, args: &[&str]) -> Value {
    let output = env.dayone(args).output().unwrap();
    assert!(
        output.status.code() == Some(0) || output.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("check --json prints JSON")
}

fn ids_with(report: &Value, status: &str) -> Vec<String> {
    report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == status)
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

fn item<'a>(report: &'a Value, id: &str) -> &'a Value {
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

const REPORT: &str = "# Exam report\n\n## Overall project checklist\n\n### Week 1\n\n* [x] Create a git repository (M5)\n* [x] Make sure that all team members have write access to the GitHub repository (M5)\n* [ ] Create a dedicated environment for you project to keep track of your packages (M2)\n* [x] Setup version control for your data or part of your data (M8)\n\n### Week 2\n\n* [ ] Write unit tests related to the data part of your code (M16)\n* [ ] Invent a module that does not exist (M99)\n\n## Group information\n\nText that stays as it is.\n";

#[test]
fn report_boxes_are_compared_and_fix_report_ticks_only_evidenced_boxes() {
    let env = TestEnv::new();
    write_all(&env, "proj", FULL_PROJECT);
    let report_path = env.write("proj/reports/README.md", REPORT);

    let before = json(&env, &["check", "proj", "--json"]);
    assert_eq!(
        before["ticked_without_evidence"],
        serde_json::json!(["git-repository", "data-version-control"])
    );
    assert_eq!(
        before["evidence_not_ticked"],
        serde_json::json!(["environment", "tests-data"])
    );
    assert_eq!(item(&before, "team-write-access")["ticked"], true);
    assert_eq!(item(&before, "docs")["ticked"], Value::Null);
    assert_eq!(before["report"]["boxes"], 6);
    assert_eq!(before["report"]["unknown"][0]["line"], 15);
    assert_eq!(before["report"]["unknown"][0]["module"], "M99");

    env.dayone(["check", "proj", "--strict"]).assert().code(1);

    let fixed = json(&env, &["check", "proj", "--fix-report", "--json"]);
    assert_eq!(
        fixed["fixed"],
        serde_json::json!(["environment", "tests-data"])
    );
    assert_eq!(fixed["evidence_not_ticked"], serde_json::json!([]));
    let after = std::fs::read_to_string(&report_path).unwrap();
    let expected = REPORT
        .replace("* [ ] Create a dedicated", "* [x] Create a dedicated")
        .replace(
            "* [ ] Write unit tests related to the data",
            "* [x] Write unit tests related to the data",
        );
    assert_eq!(after, expected);
    // Ticks without evidence stay: the group decides, check only reports them.
    assert!(after.contains("* [x] Setup version control for your data"));

    let again = json(&env, &["check", "proj", "--fix-report", "--json"]);
    assert_eq!(again["fixed"], serde_json::json!([]));
    assert_eq!(std::fs::read_to_string(&report_path).unwrap(), expected);
}

#[cfg(unix)]
#[test]
fn fix_report_keeps_the_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    write_all(&env, "proj", FULL_PROJECT);
    let path = env.write("proj/reports/README.md", REPORT);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).unwrap();
    env.dayone(["check", "proj", "--fix-report"])
        .assert()
        .success();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o664);
    assert_ne!(std::fs::read_to_string(&path).unwrap(), REPORT);
}

#[test]
fn fix_report_without_a_report_changes_nothing() {
    let env = TestEnv::new();
    write_all(&env, "proj", FULL_PROJECT);
    let report = json(&env, &["check", "proj", "--fix-report", "--json"]);
    assert_eq!(report["fixed"], serde_json::json!([]));
    assert!(!env.work().join("proj/reports").exists());
    env.dayone(["check", "proj", "--fix-report", "--quiet"])
        .assert()
        .success()
        .stdout("");
    env.dayone(["check", "proj", "--fix-report"])
        .assert()
        .success()
        .stderr(predicates::str::contains("no boxes to tick"));
}

/// Week 3 of a report: `boxes` lines with the M27 tag, the last one ticked.
fn week_three(boxes: usize) -> String {
    let mut text = String::from("## Checklist\n\n### Week 3\n\n");
    for k in 0..boxes {
        let mark = if k + 1 == boxes { 'x' } else { ' ' };
        text.push_str(&format!("* [{mark}] drift item {k} (M27)\n"));
    }
    text
}

#[test]
fn report_files_from_before_and_after_the_course_added_an_item_both_line_up() {
    let env = TestEnv::new();
    env.write("proj/pyproject.toml", "[project]\nname = \"p\"\n");
    for boxes in [2, 3] {
        env.write("proj/reports/README.md", week_three(boxes));
        let report = json(&env, &["check", "proj", "--json"]);
        assert_eq!(item(&report, "drift-check")["ticked"], false);
        assert_eq!(item(&report, "drift-api")["ticked"], true, "{boxes} boxes");
        let collect = &item(&report, "collect-io-data")["ticked"];
        assert_eq!(
            *collect,
            if boxes == 3 {
                Value::Bool(false)
            } else {
                Value::Null
            }
        );
        assert_eq!(report["report"]["unknown"], serde_json::json!([]));
    }
}

#[test]
fn strict_passes_when_every_tick_has_evidence() {
    let env = TestEnv::new();
    write_all(&env, "proj", FULL_PROJECT);
    env.write(
        "proj/reports/README.md",
        "## Checklist\n\n### Week 1\n\n* [ ] git (M5)\n* [x] access (M5)\n* [x] env (M2)\n",
    );
    env.dayone(["check", "proj", "--strict"]).assert().success();
}

#[test]
fn text_output_names_disagreements() {
    let env = TestEnv::new();
    write_all(&env, "proj", FULL_PROJECT);
    env.write("proj/reports/README.md", REPORT);
    let assert = env.dayone(["check", "proj"]).assert().success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for expected in [
        "reports/README.md: 6 checklist boxes, 3 ticked",
        "[x] open   M8     Version the data (or part of it) with data version control  ← ticked without evidence",
        "[ ] done   M16    Unit-test the data code  ← evidence but not ticked",
        "2 ticked boxes without evidence",
        "line 10: Version the data",
        "`dayone check --fix-report` ticks them",
        "line 15: this Week 2 box (M99) matches no checklist item",
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

/// The README section the built-in template writes for the day-1 hand-in, still unfilled.
const README_SKELETON: &str = "# leaf-doctor\n\n## Project description\n\nTells a healthy leaf from a sick one.\n\n### Goal\n\nTODO: what the project should achieve.\n\n### Framework\n\nTODO: the third-party framework and how the project uses it.\n\n### Data\n\nTODO: the data, its size and where it comes from.\n\n### Models\n\nTODO: the models to try.\n\n## Working on the project\n\nRun `invoke train`.\n";

#[test]
fn the_day_one_hand_in_is_reported_beside_the_checklist() {
    let env = TestEnv::new();
    write_all(&env, "proj", FULL_PROJECT);
    env.write("proj/README.md", README_SKELETON);
    let report = json(&env, &["check", "proj", "--json"]);
    let description = &report["description"];
    assert_eq!(description["heading"], "Project description");
    assert_eq!(description["words"], 8);
    assert_eq!(description["min_words"], 300);
    assert_eq!(description["complete"], false);
    let parts: Vec<(&str, &str)> = description["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["part"].as_str().unwrap(), p["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        parts,
        [
            ("goal", "placeholder"),
            ("framework", "placeholder"),
            ("data", "placeholder"),
            ("models", "placeholder")
        ]
    );
    // Not a checklist item: the 53 items keep their order and ids.
    let ids: Vec<&str> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 53);
    assert_eq!(ids[0], "git-repository");
    assert!(!ids.contains(&"description"));

    let goal =
        "Leaf doctor looks at a photo of a leaf and says whether the plant is sick. ".repeat(20);
    env.write(
        "proj/README.md",
        README_SKELETON
            .replace("TODO: what the project should achieve.", &goal)
            .replace(
                "TODO: the data, its size and where it comes from.",
                "PlantVillage photos.",
            ),
    );
    let assert = env.dayone(["check", "proj"]).assert().success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        out.contains("Day-1 hand-in (README.md:3 \"Project description\"): 330 words of at least 300; still a placeholder: framework, models\n"),
        "{out}"
    );
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

/// A report laid out like the course's official file: its introduction starts a wrapped line
/// with ```` ```…``` ```` inline code, and a real fenced block follows.
const COURSE_STYLE_REPORT: &str = include_str!("fixtures/course-style-report.md");

#[test]
fn inline_triple_backticks_in_the_introduction_do_not_hide_the_boxes() {
    let env = TestEnv::new();
    env.write("proj/pyproject.toml", "[project]\nname = \"p\"\n");
    let ticked = COURSE_STYLE_REPORT.replace(
        "* [ ] Load-test the API (M24)",
        "* [x] Load-test the API (M24)",
    );
    assert_ne!(ticked, COURSE_STYLE_REPORT);
    env.write("proj/reports/README.md", &ticked);
    let report = json(&env, &["check", "proj", "--json"]);
    assert_eq!(report["report"]["boxes"], 53);
    assert_eq!(report["report"]["unknown"], serde_json::json!([]));
    assert_eq!(report["report"]["findings"], serde_json::json!([]));
    assert_eq!(
        report["ticked_without_evidence"],
        serde_json::json!(["load-test"])
    );
    env.dayone(["check", "proj", "--strict"]).assert().code(1);
}

#[test]
fn a_report_whose_boxes_cannot_be_read_is_a_finding_and_fails_strict() {
    let env = TestEnv::new();
    env.write("proj/pyproject.toml", "[project]\nname = \"p\"\n");
    env.write(
        "proj/reports/README.md",
        "# Report\n\n* [x] something (M5)\n",
    );
    let report = json(&env, &["check", "proj", "--json"]);
    assert_eq!(report["report"]["boxes"], 0);
    let findings = report["report"]["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert!(
        findings[0].as_str().unwrap().contains("no checklist boxes"),
        "{findings:?}"
    );
    env.dayone(["check", "proj", "--strict"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "! reports/README.md has no checklist boxes",
        ));
    env.dayone(["check", "proj"]).assert().success();
}

#[test]
fn a_report_without_week_headings_says_so() {
    let env = TestEnv::new();
    env.write("proj/pyproject.toml", "[project]\nname = \"p\"\n");
    env.write(
        "proj/reports/README.md",
        "# Report\n\n* [x] something (M5)\n",
    );
    env.dayone(["check", "proj"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "reports/README.md has no checklist boxes under a \"Week 1\"",
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

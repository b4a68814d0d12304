//! Testing items: unit tests of the data and model code, coverage, API tests, load tests.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Detection, Evidence, Scope, ci, pipeline, serving};
use crate::check::filename::file_name;
use crate::check::plural;
use crate::check::python::{Function, Logical, PyFile};

/// The dotted module name of a project file: `src/pkg/data.py` → `pkg.data`.
pub fn module_name(path: &str) -> String {
    let path = path.strip_prefix("src/").unwrap_or(path);
    let path = path.strip_suffix("/__init__.py").unwrap_or(path);
    path.trim_end_matches(".py").replace('/', ".")
}

fn test_count(py: &PyFile) -> usize {
    py.functions
        .iter()
        .filter(|f| f.name.starts_with("test"))
        .count()
}

/// Test files that import one of `modules` and define at least one test.
fn tests_importing(cx: &Context, modules: &[String], what: &str) -> Vec<Evidence> {
    cx.files(Scope::Tests)
        .filter_map(|(path, py)| {
            // Some groups import through the src folder (`from src.pkg.data import …`).
            let module = modules
                .iter()
                .find(|m| py.imports(m) || py.imports(&format!("src.{m}")))?;
            let tests = test_count(py);
            (tests > 0).then(|| {
                Evidence::new(
                    path,
                    format!(
                        "imports `{module}` ({what}); {}",
                        plural::count(tests, "test", "tests")
                    ),
                )
            })
        })
        .collect()
}

/// The project's modules with one of `stems` as a part of their name: `pkg.data`, and also
/// `pkg.models.classifier` in a `models` package.
fn project_modules(cx: &Context, stems: &[&str]) -> Vec<String> {
    cx.files(Scope::Source)
        .map(|(path, _)| path)
        .filter(|path| {
            let module = path.strip_prefix("src/").unwrap_or(path);
            let module = module.strip_suffix("/__init__.py").unwrap_or(module);
            let module = module.trim_end_matches(".py");
            stems.contains(&module) || module.split('/').skip(1).any(|part| stems.contains(&part))
        })
        .map(module_name)
        .collect()
}

/// The test functions of a test file, each with the logical lines of its body.
fn test_bodies(py: &PyFile) -> Vec<(&Function, &[Logical])> {
    py.functions
        .iter()
        .filter(|f| f.name.starts_with("test"))
        .filter_map(|f| {
            let start = py.lines.iter().position(|l| l.line == f.line)?;
            let indent = py.lines[start].indent;
            let end = py.lines[start + 1..]
                .iter()
                .position(|l| l.indent <= indent)
                .map_or(py.lines.len(), |n| start + 1 + n);
            Some((f, &py.lines[start + 1..end]))
        })
        .collect()
}

/// Names of data in a test: datasets, loaders, splits, tokenized inputs. (Not `data` or
/// `labels` alone: a model test feeds those to the model too.)
static DATA_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?-u)\b(dataset|datasets|ds|train_set|test_set|val_set|trainset|testset|train_ds|",
        r"test_ds|val_ds|datamodule|data_module|dataloader|loader|train_loader|test_loader|",
        r"val_loader|load_dataset|tokenizer|tokenized|input_ids|attention_mask|pixel_values|",
        r"\w*Dataset|\w*DataModule|\w*_dataset)\b",
    ))
    .expect("valid regex")
});
/// What a data test asserts: sizes, shapes, types, the set of labels.
static DATA_CHECK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u)\blen\(|\.shape\b|\.size\(|\.dtype\b|\bunique\(|\bset\(|input_ids|\.num_\w+")
        .expect("valid regex")
});
/// A model run in a test: a model called, its forward pass, a prediction, a training step.
static MODEL_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?-u)\b(model|net|network|classifier|module|lit_model)\s*\(|\.forward\(|\.predict\(|",
        r"\.training_step\(|\.fit\(|\b\w*(Model|Net|Classifier)\((?u:[^)]*)\)\s*\(",
    ))
    .expect("valid regex")
});
/// What a model test asserts: output shapes, probabilities in range, a loss going down.
static MODEL_CHECK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?-u)\.shape\b|\.size\(|softmax|allclose|isclose|argmax|\bsum\(|>=?\s*0(\.0)?\b|",
        r"<=?\s*1(\.0)?\b|\bloss\b|logits|\.dtype\b",
    ))
    .expect("valid regex")
});

/// A test that calls an API through a client checks the API, not the data or the model.
fn calls_an_api(body: &[Logical]) -> bool {
    body.iter()
        .any(|l| l.code.contains("client.") || l.code.contains("TestClient("))
}

/// Test functions judged by what they check: one whose body names data and asserts its
/// sizes or shapes (`dataset`, `len(`, `.shape`), or one that runs a model and asserts its
/// output (`model(x)`, `.shape`, probabilities in range). A test that skips without data
/// still checks the same things.
fn tests_checking(cx: &Context, data: bool) -> Vec<Evidence> {
    cx.files(Scope::Tests)
        .filter_map(|(path, py)| {
            let (function, _) = test_bodies(py).into_iter().find(|(_, body)| {
                if calls_an_api(body) {
                    return false;
                }
                let asserts = body
                    .iter()
                    .filter(|l| l.code.trim_start().starts_with("assert"));
                // A test that runs a model is a model test, whatever data it feeds it.
                let runs_a_model = body.iter().any(|l| MODEL_RUN.is_match(&l.code));
                if data {
                    !runs_a_model
                        && body.iter().any(|l| DATA_WORDS.is_match(&l.code))
                        && asserts.into_iter().any(|l| DATA_CHECK.is_match(&l.code))
                } else {
                    runs_a_model && asserts.into_iter().any(|l| MODEL_CHECK.is_match(&l.code))
                }
            })?;
            let what = if data {
                "checks the data's sizes or shapes"
            } else {
                "checks the model's output"
            };
            Some(Evidence::at(
                path,
                function.line,
                format!("`{}` {what}", function.name),
            ))
        })
        .collect()
}

/// Tests importing the project's modules with these stems, or, failing that, tests judged by
/// what they check.
fn unit_tests(cx: &Context, stems: &[&str], what: &str, data: bool) -> Vec<Evidence> {
    let modules = project_modules(cx, stems);
    let mut found = tests_importing(cx, &modules, what);
    for evidence in tests_checking(cx, data) {
        if !found.iter().any(|e| e.path == evidence.path) {
            found.push(evidence);
        }
    }
    found
}

pub fn tests_data(cx: &Context) -> Detection {
    Detection::from_evidence(
        unit_tests(cx, pipeline::DATA_MODULES, "the data code", true),
        "add tests/test_data.py that imports the data module and checks shapes, types and splits",
    )
}

pub fn tests_model(cx: &Context) -> Detection {
    let stems: Vec<&str> = [pipeline::MODEL_MODULES, pipeline::TRAIN_MODULES].concat();
    Detection::from_evidence(
        unit_tests(cx, &stems, "the model or training code", false),
        "add tests/test_model.py that builds the model, checks output shapes and runs a training step",
    )
}

static COVERAGE_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bcoverage\s+(run|report|xml|html)\b|--cov\b").expect("valid regex")
});

pub fn coverage(cx: &Context) -> Detection {
    let mut evidence = cx.commands_matching(&COVERAGE_COMMAND);
    if let Some(py) = cx.toml("pyproject.toml") {
        let addopts = py
            .get("tool")
            .and_then(|t| t.get("pytest"))
            .and_then(|t| t.get("ini_options"))
            .and_then(|t| t.get("addopts"))
            .map(|a| a.to_string())
            .unwrap_or_default();
        if addopts.contains("--cov") {
            evidence.push(Evidence::new(
                "pyproject.toml",
                "pytest runs with --cov by default",
            ));
        }
    }
    Detection::from_evidence(
        evidence,
        "measure coverage: `coverage run -m pytest` then `coverage report` (or pytest --cov), in a task or in CI",
    )
}

/// A request to a deployed service in a test: `requests`/`httpx` calls with an `http(s)://`
/// URL or one taken from the environment. The line of the first such call.
fn deployed_url_calls(py: &PyFile) -> Option<usize> {
    let http = ["requests", "httpx"].iter().any(|m| py.imports(m));
    if !http {
        return None;
    }
    py.lines
        .iter()
        .find(|l| {
            let calls = ["requests.", "httpx.", "session.", "client."]
                .iter()
                .any(|module| {
                    [".get(", ".post(", ".put(", ".request("]
                        .iter()
                        .any(|verb| {
                            l.code
                                .contains(&format!("{}{}", module.trim_end_matches('.'), verb))
                        })
                });
            let text = l.text.to_ascii_lowercase();
            calls
                && (text.contains("http://")
                    || text.contains("https://")
                    || text.contains("environ")
                    || text.contains("getenv")
                    || text.contains("url"))
        })
        .map(|l| l.line)
}

pub fn api_tests(cx: &Context) -> Detection {
    let api_modules: Vec<String> = serving::fastapi_files(cx)
        .map(|(path, _)| module_name(path))
        .collect();
    let mut tests = tests_importing(cx, &api_modules, "the API");
    for (path, py) in cx.files(Scope::Tests) {
        if tests.iter().any(|e| e.path == path) {
            continue;
        }
        let client = py.first_reference(&[
            "fastapi.testclient.TestClient",
            "starlette.testclient.TestClient",
            "httpx.ASGITransport",
            "litestar.testing.TestClient",
        ]);
        if let Some((name, line)) = client {
            tests.push(Evidence::at(
                path,
                line,
                format!("calls the API through a test client (`{name}`)"),
            ));
        } else if let Some(line) = py.line_containing(".test_client(") {
            tests.push(Evidence::at(
                path,
                line,
                "calls the API through its framework's test client (`.test_client()`)",
            ));
        } else if let Some(line) = deployed_url_calls(py) {
            tests.push(Evidence::at(
                path,
                line,
                "calls the deployed API over HTTP (an integration test)",
            ));
        }
    }
    let ci = match ci::ci_tests(cx) {
        Detection::Done(evidence) => evidence,
        _ => Vec::new(),
    };
    Detection::all_of(vec![
        (
            tests,
            "add tests/test_api.py that calls the endpoints through fastapi.testclient.TestClient",
        ),
        (
            ci,
            "run the tests (including the API tests) in a CI workflow on push",
        ),
    ])
}

static LOAD_COMMAND: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\blocust\b|\bk6\s+run\b").expect("valid regex"));

pub fn load_test(cx: &Context) -> Detection {
    let mut evidence: Vec<Evidence> = cx
        .python
        .iter()
        .filter_map(|(path, py)| {
            let line = py.refers_to("locust")?;
            Some(Evidence::at(*path, line, "a Locust load test"))
        })
        .collect();
    evidence.extend(
        cx.project
            .paths()
            .filter(|p| p.ends_with(".js") && (file_name(p).contains("k6") || p.contains("load")))
            .map(|p| Evidence::new(p, "a k6 load-test script")),
    );
    evidence.extend(cx.commands_matching(&LOAD_COMMAND));
    Detection::from_evidence(
        evidence,
        "write a locustfile.py that calls the API's endpoints and run it against the service",
    )
}

#[cfg(test)]
mod tests {
    use super::super::Detection;
    use super::super::fixture::{is_done, run};
    use super::module_name;

    const DATA: (&str, &str) = ("src/pkg/data.py", "def load():\n    return 1\n");
    const MODEL: (&str, &str) = ("src/pkg/model.py", "class Net:\n    pass\n");

    #[test]
    fn module_names_follow_the_src_layout() {
        assert_eq!(module_name("src/pkg/data.py"), "pkg.data");
        assert_eq!(module_name("src/pkg/__init__.py"), "pkg");
        assert_eq!(module_name("pkg/sub/model.py"), "pkg.sub.model");
    }

    #[test]
    fn data_tests_must_import_the_data_module() {
        let good = (
            "tests/test_data.py",
            "from pkg.data import load\n\ndef test_load():\n    assert load() == 1\n",
        );
        assert!(is_done("tests_data", &[DATA, good]));
        let other = (
            "tests/test_data.py",
            "from torch.utils.data import DataLoader\n\ndef test_x():\n    pass\n",
        );
        assert!(!is_done("tests_data", &[DATA, other]));
        let no_tests = ("tests/test_data.py", "from pkg import data\n");
        assert!(!is_done("tests_data", &[DATA, no_tests]));
        let through_src = (
            "tests/test_data.py",
            "from src.pkg.data import load\n\ndef test_a():\n    load()\n",
        );
        assert!(is_done("tests_data", &[DATA, through_src]));
        let module_import = (
            "tests/test_data.py",
            "from pkg import data\n\ndef test_a():\n    data.load()\n",
        );
        assert!(is_done("tests_data", &[DATA, module_import]));
    }

    #[test]
    fn model_tests_must_import_model_or_training() {
        let good = (
            "tests/test_model.py",
            "import pkg.model\n\ndef test_shape():\n    pkg.model.Net()\n",
        );
        assert!(is_done("tests_model", &[MODEL, good]));
        assert!(!is_done(
            "tests_model",
            &[
                MODEL,
                ("tests/test_model.py", "def test_nothing():\n    pass\n")
            ]
        ));
    }

    /// Tests judged by what they check: sizes and shapes of the data, the model's output
    /// shapes and probabilities, whatever they import, and also when they skip without data.
    #[test]
    fn tests_are_judged_by_what_they_check() {
        let data = (
            "tests/test_dataset.py",
            "import os\nimport pytest\nimport torch\n\n@pytest.mark.skipif(not os.path.exists(\"data/processed\"), reason=\"no data\")\ndef test_sizes():\n    train_set = torch.load(\"data/processed/train.pt\")\n    assert len(train_set) == 30000\n    x, y = train_set[0]\n    assert x.shape == (1, 28, 28)\n",
        );
        match run("tests_data", &[data]) {
            Detection::Done(ev) => assert_eq!(
                (ev[0].line, ev[0].detail.as_str()),
                (Some(6), "`test_sizes` checks the data's sizes or shapes")
            ),
            other => panic!("{other:?}"),
        }
        let tokens = (
            "tests/test_tokens.py",
            "from transformers import AutoTokenizer\n\ndef test_tokenized_shape():\n    tokenizer = AutoTokenizer.from_pretrained(\"bert-base-uncased\")\n    batch = tokenizer([\"hi\"], padding=\"max_length\", max_length=32, return_tensors=\"pt\")\n    assert batch[\"input_ids\"].shape == (1, 32)\n",
        );
        assert!(is_done("tests_data", &[tokens]));
        let model = (
            "tests/test_outputs.py",
            "import torch\nfrom leafs.networks.classifier import LeafNet\n\ndef test_probabilities():\n    model = LeafNet()\n    probs = model(torch.randn(2, 3, 64, 64)).softmax(dim=1)\n    assert probs.shape == (2, 5)\n    assert torch.allclose(probs.sum(dim=1), torch.ones(2))\n",
        );
        match run("tests_model", &[model]) {
            Detection::Done(ev) => assert_eq!(
                ev[0].detail,
                "`test_probabilities` checks the model's output"
            ),
            other => panic!("{other:?}"),
        }
        assert!(!is_done("tests_data", &[model]));
        assert!(!is_done("tests_model", &[data]));
        // Neither an API test nor a test that checks nothing of the kind.
        let api = (
            "tests/test_api.py",
            "def test_predict(client):\n    response = client.post(\"/predict\", json={\"x\": [1]})\n    assert response.json()[\"probabilities\"][0] <= 1\n",
        );
        assert!(!is_done("tests_model", &[api]));
        // A training test that feeds data to the model is not a data test.
        let training = (
            "tests/test_training.py",
            "from pkg.train import train\n\ndef test_train(dummy_dataset):\n    losses = train(model=Net(), dataset=dummy_dataset, epochs=3)\n    model(dummy_dataset[0])\n    assert len(losses) == 3\n",
        );
        assert!(!is_done("tests_data", &[training]));
        let trivial = (
            "tests/test_misc.py",
            "def test_version():\n    assert __version__ == \"0.1\"\n",
        );
        assert!(!is_done("tests_data", &[trivial]));
        assert!(!is_done("tests_model", &[trivial]));
    }

    #[test]
    fn coverage_must_be_run_somewhere() {
        assert!(is_done(
            "coverage",
            &[(
                "tasks.py",
                "c.run('uv run coverage run -m pytest tests/')\n"
            )]
        ));
        assert!(is_done(
            "coverage",
            &[(
                "pyproject.toml",
                "[tool.pytest.ini_options]\naddopts = \"--cov=pkg\"\n"
            )]
        ));
        assert!(!is_done(
            "coverage",
            &[("pyproject.toml", "[tool.coverage.run]\nsource = ['pkg']\n")]
        ));
    }

    #[test]
    fn api_tests_need_a_client_or_import_and_ci() {
        let api = (
            "src/pkg/api.py",
            "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/health\")\ndef health():\n    return {}\n",
        );
        let test = (
            "tests/test_api.py",
            "from fastapi.testclient import TestClient\nfrom pkg.api import app\n\ndef test_health():\n    assert TestClient(app).get('/health').status_code == 200\n",
        );
        let ci = (
            ".github/workflows/tests.yaml",
            "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n",
        );
        assert!(is_done("api_tests", &[api, test, ci]));
        assert!(!is_done("api_tests", &[api, test]));
        let unrelated = ("tests/test_api.py", "def test_nothing():\n    pass\n");
        assert!(!is_done("api_tests", &[api, unrelated, ci]));
    }

    #[test]
    fn load_tests_use_locust() {
        let locust = (
            "tests/performance/locustfile.py",
            "from locust import HttpUser, task\n",
        );
        assert!(is_done("load_test", &[locust]));
        assert!(!is_done("load_test", &[("requirements.txt", "locust\n")]));
    }
}

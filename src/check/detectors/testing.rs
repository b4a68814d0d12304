//! Testing items: unit tests of the data and model code, coverage, API tests, load tests.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Detection, Evidence, Scope, ci, pipeline, serving};
use crate::check::filename::file_name;
use crate::check::plural;
use crate::check::python::PyFile;

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

fn project_modules(cx: &Context, stems: &[&str]) -> Vec<String> {
    cx.files(Scope::Source)
        .map(|(path, _)| module_name(path))
        .filter(|m| {
            m.rsplit('.')
                .next()
                .is_some_and(|last| stems.contains(&last))
        })
        .collect()
}

pub fn tests_data(cx: &Context) -> Detection {
    let modules = project_modules(cx, pipeline::DATA_MODULES);
    Detection::from_evidence(
        tests_importing(cx, &modules, "the data code"),
        "add tests/test_data.py that imports the data module and checks shapes, types and splits",
    )
}

pub fn tests_model(cx: &Context) -> Detection {
    let stems: Vec<&str> = [pipeline::MODEL_MODULES, pipeline::TRAIN_MODULES].concat();
    let modules = project_modules(cx, &stems);
    Detection::from_evidence(
        tests_importing(cx, &modules, "the model or training code"),
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
        } else if let Some(line) = py
            .lines
            .iter()
            .find(|l| l.code.contains(".test_client("))
            .map(|l| l.line)
        {
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
    use super::super::fixture::is_done;
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

//! Serving items: the FastAPI app, ONNX/BentoML, a frontend, drift detection and the drift
//! service, collected requests, and the API's metrics.

use std::sync::LazyLock;

use regex::Regex;

use super::{Context, Detection, Evidence, Scope, cloud};
use crate::check::python::PyFile;

static ROUTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^@\w+\.(get|post|put|delete|patch)\(\s*[rf]?["']([^"']*)["']"#)
        .expect("valid regex")
});

/// Project files that create a FastAPI app.
pub fn fastapi_files<'c>(cx: &'c Context) -> impl Iterator<Item = (&'c str, &'c PyFile)> {
    cx.files(Scope::Code).filter(|(_, py)| {
        py.refers_to("fastapi.FastAPI").is_some()
            && py
                .local_names("fastapi.FastAPI")
                .iter()
                .any(|name| py.calls(name).next().is_some())
    })
}

fn routes(py: &PyFile) -> Vec<String> {
    py.lines
        .iter()
        .filter_map(|l| {
            let caps = ROUTE.captures(l.text.trim())?;
            Some(format!("{} {}", caps[1].to_ascii_uppercase(), &caps[2]))
        })
        .collect()
}

pub fn fastapi_app(cx: &Context) -> Detection {
    let mut partial = Vec::new();
    let mut evidence = Vec::new();
    for (path, py) in fastapi_files(cx) {
        let routes = routes(py);
        if routes.is_empty() {
            partial.push(Evidence::new(
                path,
                "creates a FastAPI app with no routes yet",
            ));
        } else {
            evidence.push(Evidence::new(
                path,
                format!("a FastAPI app with {}", routes.join(", ")),
            ));
        }
    }
    if evidence.is_empty() {
        return Detection::Open {
            hint: "create a FastAPI app (src/<package>/api.py) with a POST /predict route that uses the trained model".into(),
            partial,
        };
    }
    Detection::Done(evidence)
}

/// ONNX and BentoML in code, also through a library's own export: Lightning's
/// `to_onnx`, Hugging Face Optimum's ONNX Runtime models. A mention in text, a comment or a
/// dependency list is not an export.
pub fn specialized_serving(cx: &Context) -> Detection {
    let mut evidence = cx.python_referring(
        Scope::Code,
        &[
            "torch.onnx.export",
            "torch.onnx.dynamo_export",
            "onnxruntime",
            "optimum.onnxruntime",
            "optimum.exporters.onnx",
            "bentoml",
        ],
        "exports or serves the model through ONNX/BentoML",
    );
    for (path, py) in cx.files(Scope::Code) {
        let lightning = py.imports("lightning") || py.imports("pytorch_lightning");
        if let Some(line) = py.line_containing(".to_onnx(").filter(|_| lightning) {
            evidence.push(Evidence::at(
                path,
                line,
                "exports the model to ONNX with Lightning (`to_onnx`)",
            ));
        }
    }
    for path in cx.project.paths() {
        if super::super::filename::file_name(path) == "bentofile.yaml" {
            evidence.push(Evidence::new(path, "a BentoML build file"));
        }
    }
    Detection::from_evidence(
        evidence,
        "export the model with torch.onnx.export and serve it with onnxruntime, or package it with BentoML",
    )
}

pub fn frontend(cx: &Context) -> Detection {
    let mut evidence = cx.python_referring(
        Scope::Code,
        &["streamlit", "gradio", "nicegui", "dash", "flet"],
        "a frontend",
    );
    for path in cx.project.paths() {
        if path.starts_with("frontend/")
            && (path.ends_with("package.json") || path.ends_with("index.html"))
        {
            evidence.push(Evidence::new(path, "a web frontend"));
        }
    }
    // An HTML page served by the API itself is a frontend too.
    for (path, py) in fastapi_files(cx) {
        let page = py.first_reference(&[
            "fastapi.responses.HTMLResponse",
            "fastapi.templating.Jinja2Templates",
            "fastapi.staticfiles.StaticFiles",
            "starlette.responses.HTMLResponse",
        ]);
        if let Some((name, line)) = page {
            evidence.push(Evidence::at(
                path,
                line,
                format!("the API serves a web page (`{name}`)"),
            ));
        }
    }
    Detection::from_evidence(
        evidence,
        "add a small frontend (e.g. Streamlit or Gradio) that calls the API",
    )
}

const DRIFT_LIBRARIES: &[&str] = &[
    "evidently",
    "nannyml",
    "alibi_detect",
    "deepchecks",
    "scipy.stats.ks_2samp",
];

fn drift_check_code(cx: &Context) -> Vec<Evidence> {
    cx.python_referring(
        Scope::Code,
        DRIFT_LIBRARIES,
        "compares data distributions for drift",
    )
}

pub fn drift_check(cx: &Context) -> Detection {
    Detection::from_evidence(
        drift_check_code(cx),
        "compare training data with new data (e.g. an Evidently data-drift report) and see how the model copes",
    )
}

pub fn collect_io_data(cx: &Context) -> Detection {
    let evidence = fastapi_files(cx)
        .filter_map(|(path, py)| {
            let store = [
                "fastapi.BackgroundTasks",
                "sqlite3",
                "sqlalchemy",
                "google.cloud.bigquery",
            ]
            .iter()
            .find_map(|name| py.refers_to(name).map(|line| (format!("`{name}`"), line)))
            .or_else(|| {
                [".upload_from_string(", ".upload_from_filename("]
                    .iter()
                    .find(|call| py.code_contains(call))
                    .map(|call| (format!("a bucket upload `{call}`"), 1))
            })?;
            Some(Evidence::at(
                path,
                store.1,
                format!("the API stores what it serves ({})", store.0),
            ))
        })
        .collect();
    Detection::from_evidence(
        evidence,
        "record each request's input and prediction from the API (a background task writing to a bucket or database)",
    )
}

/// A drift service: a FastAPI app that uses a drift library, or one with a drift route
/// (`/drift`, `/monitoring`) when the project's code checks drift (the main API calling the
/// group's drift module); and a deployment.
pub fn drift_api(cx: &Context) -> Detection {
    // Read the project's drift code only when an API has a drift route.
    let checks_drift = std::cell::OnceCell::new();
    let service: Vec<Evidence> = fastapi_files(cx)
        .filter_map(|(path, py)| {
            if let Some((name, line)) = py.first_reference(DRIFT_LIBRARIES) {
                return Some(Evidence::at(
                    path,
                    line,
                    format!("a FastAPI service that checks drift (`{name}`)"),
                ));
            }
            let route = routes(py)
                .into_iter()
                .find(|r| r.contains("drift") || r.contains("monitor"))?;
            (*checks_drift.get_or_init(|| !drift_check_code(cx).is_empty()))
                .then(|| Evidence::new(path, format!("the API serves a drift report ({route})")))
        })
        .collect();
    let deployed = match cloud::cloud_deploy(cx) {
        Detection::Done(evidence) => evidence,
        _ => Vec::new(),
    };
    Detection::all_of(vec![
        (
            service,
            "write a FastAPI service that runs a drift report on recent requests",
        ),
        (
            deployed,
            "deploy the drift service to Cloud Run (`gcloud run deploy`) from a workflow or cloudbuild.yaml",
        ),
    ])
}

pub fn api_metrics(cx: &Context) -> Detection {
    Detection::from_evidence(
        cx.python_referring(
            Scope::Code,
            &[
                "prometheus_client",
                "prometheus_fastapi_instrumentator",
                "opentelemetry.metrics",
            ],
            "exposes metrics",
        ),
        "instrument the API with prometheus_client counters/histograms and expose /metrics",
    )
}

#[cfg(test)]
mod tests {
    use super::super::Detection;
    use super::super::fixture::{is_done, run};

    const API: (&str, &str) = (
        "src/pkg/api.py",
        "from fastapi import FastAPI\n\napp = FastAPI(title=\"x\")\n\n@app.get(\"/health\")\ndef health():\n    return {}\n\n@app.post('/predict')\ndef predict():\n    return {}\n",
    );

    #[test]
    fn fastapi_needs_an_app_with_routes() {
        match run("fastapi_app", &[API]) {
            Detection::Done(ev) => assert_eq!(
                ev[0].detail,
                "a FastAPI app with GET /health, POST /predict"
            ),
            other => panic!("{other:?}"),
        }
        assert!(!is_done(
            "fastapi_app",
            &[(
                "src/pkg/api.py",
                "from fastapi import FastAPI\napp = FastAPI()\n"
            )]
        ));
        assert!(!is_done(
            "fastapi_app",
            &[(
                "src/pkg/api.py",
                "import flask\n@app.get('/x')\ndef x():\n    pass\n"
            )]
        ));
    }

    #[test]
    fn serving_frontend_drift_and_metrics() {
        assert!(is_done(
            "specialized_serving",
            &[(
                "src/pkg/export.py",
                "import torch\ntorch.onnx.export(m, x, 'm.onnx')\n"
            )]
        ));
        assert!(!is_done(
            "specialized_serving",
            &[("src/pkg/export.py", "import torch\ntorch.save(m, 'm.pt')\n")]
        ));
        assert!(is_done(
            "frontend",
            &[(
                "src/pkg/frontend.py",
                "import streamlit as st\nst.title('x')\n"
            )]
        ));
        assert!(!is_done("frontend", &[]));
        assert!(is_done(
            "drift_check",
            &[("src/pkg/drift.py", "from evidently.report import Report\n")]
        ));
        assert!(!is_done(
            "drift_check",
            &[(
                "src/pkg/drift.py",
                "# TODO: try evidently\nNAME = 'evidently'\n"
            )]
        ));
        assert!(is_done(
            "api_metrics",
            &[("src/pkg/api.py", "from prometheus_client import Counter\n")]
        ));
        assert!(!is_done("api_metrics", &[API]));
    }

    #[test]
    fn collecting_io_data_needs_an_api_that_stores_requests() {
        let storing = (
            "src/pkg/api.py",
            "from fastapi import BackgroundTasks, FastAPI\nfrom google.cloud import storage\napp = FastAPI()\n\n@app.post('/predict')\ndef predict(tasks: BackgroundTasks):\n    tasks.add_task(save)\n",
        );
        assert!(is_done("collect_io_data", &[storing]));
        assert!(!is_done("collect_io_data", &[API]));
        let not_an_api = ("src/pkg/log.py", "import sqlite3\n");
        assert!(!is_done("collect_io_data", &[not_an_api]));
    }

    /// The drift report as a route of the main API, computed by the group's drift module.
    #[test]
    fn a_drift_route_in_the_main_api_is_a_drift_service() {
        let api = (
            "src/pkg/api.py",
            "from fastapi import FastAPI\nfrom pkg.monitoring import drift_report\n\napp = FastAPI()\n\n@app.get(\"/drift\")\ndef drift():\n    return drift_report()\n",
        );
        let module = (
            "src/pkg/monitoring.py",
            "from evidently.report import Report\n\ndef drift_report():\n    return Report(metrics=[]).json()\n",
        );
        let deploy = (
            "tasks.py",
            "c.run(\"gcloud run deploy api --image europe-west1-docker.pkg.dev/p/r/api\")\n",
        );
        match run("drift_api", &[api, module, deploy]) {
            Detection::Done(ev) => assert_eq!(
                (ev[0].path.as_str(), ev[0].detail.as_str()),
                (
                    "src/pkg/api.py",
                    "the API serves a drift report (GET /drift)"
                )
            ),
            other => panic!("{other:?}"),
        }
        // A route of that name with no drift check behind it is not one.
        assert!(!is_done("drift_api", &[api, deploy]));
        assert!(!is_done("drift_api", &[api, module]));
    }

    /// ONNX through a library's own export counts; ONNX named in text, a comment or the
    /// requirements does not.
    #[test]
    fn onnx_exports_through_libraries_but_not_mentions() {
        let lightning = (
            "src/pkg/export.py",
            "import lightning as L\n\ndef export(model: L.LightningModule) -> None:\n    model.to_onnx(\"model.onnx\", export_params=True)\n",
        );
        assert!(is_done("specialized_serving", &[lightning]));
        let optimum = (
            "src/pkg/serve.py",
            "from optimum.onnxruntime import ORTModelForSequenceClassification\nmodel = ORTModelForSequenceClassification.from_pretrained(\"m\", export=True)\n",
        );
        assert!(is_done("specialized_serving", &[optimum]));
        for mention in [
            (
                "README.md",
                "We would like to serve the model with ONNX runtime later.\n",
            ),
            ("requirements.txt", "onnx\nonnxruntime\n"),
            (
                "src/pkg/api.py",
                "# TODO: onnxruntime.InferenceSession\nNOTE = \"export with torch.onnx.export\"\n",
            ),
            (
                "src/pkg/model.py",
                "def to_onnx(path):\n    \"\"\"Not Lightning's.\"\"\"\n    return path\n",
            ),
        ] {
            assert!(!is_done("specialized_serving", &[mention]), "{mention:?}");
        }
    }

    #[test]
    fn drift_api_needs_a_service_and_a_deployment() {
        let service = (
            "src/pkg/drift_api.py",
            "from fastapi import FastAPI\nfrom evidently.report import Report\napp = FastAPI()\n",
        );
        let deploy = (
            "cloudbuild.yaml",
            "steps:\n- name: gcr.io/cloud-builders/gcloud\n  args: ['run', 'deploy', 'drift']\n",
        );
        assert!(is_done("drift_api", &[service, deploy]));
        assert!(!is_done("drift_api", &[service]));
        assert!(!is_done("drift_api", &[API, deploy]));
    }
}

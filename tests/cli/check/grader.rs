//! `dayone check` reading repositories the way a grader does: each test runs it on a small
//! synthetic repository of one kind (tests/cli/fixtures/repos/, all written for these tests)
//! and asserts the status and evidence of the items that kind is about. The last six are the
//! six kinds of misjudgement of issue 28.

use serde_json::Value;

use super::{fixture, item, json};
use crate::support::TestEnv;

/// `(status, first evidence "path[:line]: detail")` of an item.
fn seen(report: &Value, id: &str) -> (String, String) {
    let item = item(report, id);
    let evidence = item["evidence"]
        .get(0)
        .map(|e| {
            let line = e["line"]
                .as_u64()
                .map(|n| format!(":{n}"))
                .unwrap_or_default();
            let (path, detail) = (e["path"].as_str().unwrap(), e["detail"].as_str().unwrap());
            format!("{path}{line}: {detail}")
        })
        .unwrap_or_default();
    (item["status"].as_str().unwrap().to_string(), evidence)
}

fn check(name: &str) -> Value {
    let env = TestEnv::new();
    fixture(&env, name);
    json(&env, &["check", name, "--json"])
}

#[test]
fn the_older_course_layout_counts_like_todays() {
    let report = check("older-layout");
    for (id, status, evidence) in [
        ("project-layout", "done", "src/: the Python package"),
        (
            "data-module",
            "done",
            "src/data/make_dataset.py: defines download, clips, make_dataset (24 statements)",
        ),
        (
            "model-and-training",
            "done",
            "src/models/model.py:6: class SongNet(nn.Module)",
        ),
        ("dependencies", "done", "requirements.txt: 4 requirements"),
        (
            "experiment-configs",
            "done",
            "src/config/config.yaml: 4 settings (data, weights, lr, epochs)",
        ),
        (
            "hydra",
            "done",
            "src/models/train_model.py:9: loads its configuration with Hydra (`hydra.main`)",
        ),
        (
            "tests-data",
            "done",
            "tests/test_data.py: imports `data` (the data code); 1 test",
        ),
        (
            "tests-model",
            "done",
            "tests/test_model.py: imports `models` (the model or training code); 1 test",
        ),
        (
            "docs",
            "done",
            "docs/conf.py: a Sphinx documentation project with 2 pages in docs/ (73 words)",
        ),
    ] {
        assert_eq!(
            seen(&report, id),
            (status.to_string(), evidence.to_string()),
            "{id}"
        );
    }
    let training = &item(&report, "model-and-training")["evidence"][1];
    assert_eq!(training["path"], "src/models/train_model.py");
    let dev = &item(&report, "dependencies")["evidence"][1];
    assert_eq!(dev["path"], "requirements_tests.txt");
}

#[test]
fn template_stubs_are_not_work() {
    let report = check("template-stubs");
    for (id, evidence) in [
        (
            "data-module",
            "src/data/make_dataset.py: still a stub: no function does much yet (the longest has 2 statements)",
        ),
        (
            "docs",
            "docs/conf.py: a Sphinx documentation project: still a stub, 0 words of prose in docs/",
        ),
    ] {
        assert_eq!(
            seen(&report, id),
            ("open".to_string(), evidence.to_string()),
            "{id}"
        );
    }
    assert_eq!(seen(&report, "model-and-training").0, "open");
    assert_eq!(seen(&report, "dependencies").0, "open");
}

#[test]
fn copied_third_party_code_is_not_evidence() {
    let env = TestEnv::new();
    fixture(&env, "vendored-library");
    let output = env
        .dayone(["check", "vendored-library", "--json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    // The copied library quantises, compiles and loads in parallel; the group's code does not.
    for id in ["model-optimization", "distributed-data-loading"] {
        assert_eq!(seen(&report, id).0, "open", "{id}");
    }
    assert_eq!(
        seen(&report, "tests-model"),
        (
            "done".to_string(),
            "tests/test_model.py: imports `leafscan.model` (the model or training code); 1 test"
                .to_string()
        )
    );
    let note = "src/leafscan/fastquant/ looks like copied third-party code (its own licence file, its own packaging, upstream copyright headers): its 5 files are not counted as the group's work";
    assert_eq!(report["notes"], serde_json::json!([note]));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(&format!("warning: {note}")),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn cloud_work_kept_as_terraform() {
    let report = check("cloud-terraform");
    for (id, evidence) in [
        (
            "cloud-deploy",
            "infra/main.tf: a Cloud Run service in Terraform (`google_cloud_run_v2_service`)",
        ),
        (
            "cloud-training",
            "infra/trainer.tf: a Compute Engine VM in Terraform (`google_compute_instance`)",
        ),
        (
            "cloud-alerts",
            "infra/main.tf: an alert policy (`google_monitoring_alert_policy`)",
        ),
    ] {
        assert_eq!(
            seen(&report, id),
            ("done".to_string(), evidence.to_string()),
            "{id}"
        );
    }
}

#[test]
fn cloud_work_kept_as_commands_in_the_readme_and_screenshots() {
    let report = check("cloud-commands");
    for (id, evidence) in [
        (
            "cloud-training",
            "README.md:10: documents running `gcloud ai custom-jobs create --region=europe-west1 --display-name=quake --config=vertex.y…`",
        ),
        (
            "cloud-deploy",
            "README.md:16: documents running `gcloud run deploy quake-api --image europe-west1-docker.pkg.dev/quake/images/api --region…`",
        ),
        (
            "cloud-alerts",
            "README.md:22: documents running `gcloud alpha monitoring policies create --policy-from-file=alert.json`",
        ),
        (
            "cloud-monitoring",
            "reports/figures/monitoring_dashboard.png: a screenshot of the monitoring in the cloud",
        ),
    ] {
        assert_eq!(
            seen(&report, id),
            ("done".to_string(), evidence.to_string()),
            "{id}"
        );
    }
    let alerts = &item(&report, "cloud-alerts")["evidence"][1];
    assert_eq!(alerts["path"], "reports/figures/alert_email.png");
}

#[test]
fn functions_port_images_served_pages_and_other_test_clients() {
    let report = check("cloud-functions");
    for (id, evidence) in [
        (
            "cloud-deploy",
            "functions/main.py:6: a Cloud Functions entry point (`functions_framework.http`)",
        ),
        (
            "frontend",
            "src/quake/api.py:4: the API serves a web page (`fastapi.responses.HTMLResponse`)",
        ),
        (
            "api-tests",
            "tests/test_deployed.py:9: calls the deployed API over HTTP (an integration test)",
        ),
    ] {
        assert_eq!(
            seen(&report, id),
            ("done".to_string(), evidence.to_string()),
            "{id}"
        );
    }
    let deploy = &item(&report, "cloud-deploy")["evidence"][1];
    assert_eq!(deploy["path"], "dockerfiles/api.dockerfile");
    assert_eq!(
        deploy["detail"],
        "serves on Cloud Run's $PORT (CMD [\"sh\", \"-c\", \"uvicorn quake.api:app --host 0.0.0.…), pushed by cloudbuild.yaml"
    );
    let legacy = &item(&report, "api-tests")["evidence"][1];
    assert_eq!(
        legacy["detail"],
        "calls the API through its framework's test client (`.test_client()`)"
    );
}

#[test]
fn the_report_is_weaker_evidence_beside_the_files() {
    let env = TestEnv::new();
    fixture(&env, "report-says");
    let report = json(&env, &["check", "report-says", "--json"]);
    for (id, line, says) in [
        (
            "cloud-training",
            321,
            "the report says (question 22): “We trained the final model on a Compute Engine VM with one T4 GPU: we copied the data from the buck…”",
        ),
        (
            "cloud-deploy",
            343,
            "the report says (question 24): “The API runs locally with `invoke serve-api`. For others, we deployed the same image to Cloud Run i…”",
        ),
        (
            "cloud-alerts",
            363,
            "the report says (question 26): “We built a dashboard in Cloud Monitoring for request counts and latency, and an alert policy that e…”",
        ),
    ] {
        let item = item(&report, id);
        // Not done: no file shows it, and the tick stays one without file evidence.
        assert_eq!(item["status"], "open", "{id}");
        assert_eq!(item["ticked"], true, "{id}");
        assert_eq!(item["report_says"][0]["path"], "reports/README.md");
        assert_eq!(item["report_says"][0]["line"], line, "{id}");
        assert_eq!(item["report_says"][0]["detail"], says, "{id}");
    }
    assert_eq!(
        seen(&report, "architecture-diagram"),
        (
            "done".to_string(),
            "reports/README.md:397: the architecture answer (question 29) shows reports/figures/how_it_works.png".to_string()
        )
    );
    assert_eq!(
        item(&report, "load-test")["report_says"],
        serde_json::json!([])
    );
    let assert = env.dayone(["check", "report-says"]).assert().success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        out.contains("reports/README.md:343: the report says (question 24): “The API runs locally"),
        "{out}"
    );
}

/// Every piece of evidence of an item, as "path[:line]: detail".
fn all_evidence(report: &Value, id: &str) -> Vec<String> {
    item(report, id)["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let line = e["line"]
                .as_u64()
                .map(|n| format!(":{n}"))
                .unwrap_or_default();
            format!(
                "{}{line}: {}",
                e["path"].as_str().unwrap(),
                e["detail"].as_str().unwrap()
            )
        })
        .collect()
}

/// Asserts the item is done and `evidence` ("path[:line]: detail") is among its evidence.
fn done_with(report: &Value, id: &str, evidence: &str) {
    assert_eq!(item(report, id)["status"], "done", "{id}");
    let found = all_evidence(report, id);
    assert!(found.iter().any(|e| e == evidence), "{id}: {found:#?}");
}

/// Issue 28, kind 1: cloud work in the forms groups leave it in, when only the file and the
/// report show the part that lives in GCP.
#[test]
fn cloud_work_kept_in_tasks_functions_addresses_and_the_report() {
    let report = check("cloud-in-gcp");
    for (id, evidence) in [
        (
            "image-build-trigger",
            "reports/README.md:181: the report says (question 21): “A Cloud Build trigger on the main branch runs cloudbuild.yaml on every push, which builds the API i…”",
        ),
        (
            "cloud-deploy",
            "tasks/cloud.py:12: runs `c.run(f\"gcloud run deploy leafs-api --image {IMAGE} --region {REGION} --allow-unauthentic…`",
        ),
        (
            "cloud-deploy",
            "cloud_function/main.py:9: a Cloud Functions HTTP entry point (`classify(request)`) serving a model from a bucket",
        ),
        (
            "cloud-deploy",
            "README.md:3: gives the address of the deployed service: https://leafs-frontend-170780472924.europe-west1.run.app",
        ),
        (
            "drift-api",
            "src/leafs/api.py: the API serves a drift report (GET /drift)",
        ),
        (
            "cloud-alerts",
            "reports/README.md:226: the monitoring answer (question 26) shows the alerts in the cloud: reports/figures/q26_a.png",
        ),
    ] {
        done_with(&report, id, evidence);
    }
}

/// Issue 28, kind 2: a build and run the group wrote down for its own machine shows the
/// images were built locally; the course template's build task beside it does not.
#[test]
fn local_docker_builds_the_group_wrote_down() {
    let report = check("local-docker");
    assert_eq!(
        all_evidence(&report, "docker-build"),
        [
            "Makefile:6: runs `docker build -f dockerfiles/train.dockerfile -t leafs-train:dev .`",
            "Makefile:9: runs `docker run --rm -v $(PWD)/data:/app/data leafs-train:dev --epochs 1`",
        ]
    );
    assert_eq!(item(&report, "docker-build")["status"], "done");
}

/// Issue 28, kind 3: work done through a library's own machinery.
#[test]
fn work_done_through_a_librarys_machinery() {
    let report = check("library-machinery");
    for (id, evidence) in [
        (
            "data-module",
            "src/banking/data.py:3: fetches the data with `datasets.load_dataset`",
        ),
        (
            "model-and-training",
            "src/banking/train.py:14: builds a pretrained model (`from_pretrained`)",
        ),
        (
            "model-and-training",
            "src/banking/train.py: trains with the library's trainer (`transformers.Trainer` and `.train()`)",
        ),
        (
            "profiling",
            "src/banking/baseline.py:8: profiles training with Lightning's profiler (`profiler=\"simple\"`)",
        ),
        (
            "hyperparameter-sweep",
            "README.md:8: documents running `python src/banking/train.py --multirun lr=0.00005,0.0001,0.0002`",
        ),
        (
            "dependencies",
            "environment.yml: lists the development tools too (pytest)",
        ),
        (
            "data-version-control",
            "data/.dvc/: DVC is set up, with the remote `storage` → gs://banking-data",
        ),
        (
            "gcs-data-remote",
            "data/.dvc/config: the DVC remote `storage` is the bucket gs://banking-data",
        ),
        (
            "cli-and-tasks",
            "tasks/training.py: 2 invoke tasks (train, sweep)",
        ),
    ] {
        done_with(&report, id, evidence);
    }
}

/// Issue 28, kind 4: tests judged by what they check, whatever they import, also when they
/// skip without the data.
#[test]
fn tests_judged_by_what_they_check() {
    let report = check("tests-by-content");
    assert_eq!(
        seen(&report, "tests-data"),
        (
            "done".to_string(),
            "tests/test_sizes.py:12: `test_the_training_split` checks the data's sizes or shapes"
                .to_string()
        )
    );
    assert_eq!(
        seen(&report, "tests-model"),
        (
            "done".to_string(),
            "tests/test_outputs.py:8: `test_probabilities_for_a_batch` checks the model's output"
                .to_string()
        )
    );
}

/// Issue 28, kind 5: what a template or a copied script left behind, and what the report says
/// never worked, is not the group's work. (The course's example figures are recognised by
/// their bytes, which are not in this repository: a unit test beside the detector covers them.)
#[test]
fn leftovers_and_what_the_report_says_failed_are_not_done() {
    let report = check("leftovers");
    for (id, evidence) in [
        (
            "code-style",
            "pyproject.toml: [tool.ruff] is configured (line length 120)",
        ),
        (
            "pre-commit",
            ".pre-commit-config.yaml: 4 hooks: trailing-whitespace, end-of-file-fixer, check-yaml, check-added-large-files",
        ),
        (
            "docs",
            "mkdocs.yml: mkdocs site \"plants\": still a stub, 0 words of prose in docs/",
        ),
        (
            "model-optimization",
            "src/plants/train_timm.py:19: compiles the model (`torch.compile`) only behind the option `torchcompile`, which is off by default and never turned on",
        ),
        (
            "cloud-training",
            "configs/vertex.yaml: a Vertex AI custom-job config (workerPoolSpecs)",
        ),
    ] {
        assert_eq!(
            seen(&report, id),
            ("open".to_string(), evidence.to_string()),
            "{id}"
        );
    }
    let training = &item(&report, "cloud-training");
    assert_eq!(
        training["evidence"][1]["detail"],
        "the report says it did not work (question 22): “However the job never worked: the GPU quota request was refused, so all our training ran on our own…”"
    );
    assert_eq!(training["report_says"], serde_json::json!([]));
    // print plus W&B is not event logging; ONNX in the README and requirements is no export.
    for id in ["logging", "specialized-serving"] {
        assert_eq!(
            seen(&report, id),
            ("open".to_string(), String::new()),
            "{id}"
        );
    }
}

/// Issue 28, kind 6: partly typed code with docstrings in the main modules.
#[test]
fn partly_typed_main_modules_with_docstrings() {
    let report = check("partly-typed");
    assert_eq!(
        seen(&report, "typing-and-docs"),
        (
            "done".to_string(),
            "src/: in the main modules, 2 of 6 functions have type hints, 6 have docstrings"
                .to_string()
        )
    );
}

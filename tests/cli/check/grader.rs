//! `dayone check` reading repositories the way a grader does: each test runs it on a small
//! synthetic repository of one kind (tests/cli/fixtures/repos/) and asserts the status and
//! evidence of the items that kind is about.

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

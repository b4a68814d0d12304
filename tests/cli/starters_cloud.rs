//! The cloud starters (data and model-registry workflows, Cloud Run, Vertex AI): the files they
//! add or change in a project that already has DVC on GCS, Cloud Build and the API, as they
//! differ; and Cloud Run's need of the API. (Their tests, linters and dry-run tasks run in
//! scripts/verify_template.py's `starters-cloud`.)

use crate::generated::generate;
use crate::support::{TestEnv, tree};

const BASE: &[&str] = &[
    "project_name=demo",
    "package_name=demo",
    "dvc=gcs",
    "gcp=true",
    "api=true",
];
const CLOUD: &[&str] = &[
    "data_workflow=true",
    "registry_workflow=true",
    "cloud_run=true",
    "vertex=true",
];

#[test]
fn the_cloud_starters_change_these_files() {
    let env = TestEnv::new();
    generate(&env, "plain", BASE, &["--no-git"]);
    let with: Vec<&str> = BASE.iter().chain(CLOUD).copied().collect();
    generate(&env, "cloud", &with, &["--no-git"]);
    let before: std::collections::BTreeMap<String, Vec<u8>> =
        tree(&env.work().join("plain")).into_iter().collect();
    let mut changed = String::new();
    for (path, bytes) in tree(&env.work().join("cloud")) {
        if before.get(&path) != Some(&bytes) && path != ".dayone.toml" {
            changed += &format!("===== {path}\n{}\n", String::from_utf8_lossy(&bytes));
        }
    }
    insta::assert_snapshot!("cloud_files", changed);
}

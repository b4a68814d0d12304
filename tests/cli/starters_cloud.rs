//! The cloud starters (data and model-registry workflows, Cloud Run, Vertex AI): the files they
//! add or change in a project that already has DVC on GCS, Cloud Build and the API, as they
//! differ. (Their tests, linters and dry-run tasks run in scripts/verify_template.py's
//! `everything`.)

use crate::generated::{changed_files, generate};
use crate::support::TestEnv;

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
    let changed = changed_files(&env, "plain", "cloud", &[]);
    insta::assert_snapshot!("cloud_files", changed);
}

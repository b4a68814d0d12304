//! The model starters (`onnx`, `quantize`) seen from dayone's side: the files each one adds to a
//! project, or changes in it, as snapshots, for every kind of data. (Running the exported and quantised models is the generated
//! project's own tests' job, run by scripts/verify_template.py.)

use std::collections::BTreeMap;

use crate::support::{TestEnv, tree};

/// `dayone new NAME --yes --no-git` with fixed author and year and the given answers.
fn generate(env: &TestEnv, name: &str, sets: &[&str]) {
    let mut cmd = env.dayone(["new", name, "--yes", "--quiet", "--no-git"]);
    let fixed = [
        "author_name=Ada Lovelace",
        "author_email=ada@example.org",
        "year=2026",
    ];
    for set in fixed.iter().chain(["package_name=demo"].iter()).chain(sets) {
        cmd.args(["--set", set]);
    }
    cmd.assert().success();
}

/// Every file of `with` that `plain` lacks or has with other bytes, apart from the answers file.
fn changed_files(env: &TestEnv, plain: &str, with: &str) -> String {
    let before: BTreeMap<String, Vec<u8>> = tree(&env.work().join(plain)).into_iter().collect();
    let mut changed = String::new();
    for (path, bytes) in tree(&env.work().join(with)) {
        if before.get(&path) != Some(&bytes) && path != ".dayone.toml" {
            changed += &format!("===== {path}\n{}\n", String::from_utf8_lossy(&bytes));
        }
    }
    changed
}

#[test]
fn each_model_starter_changes_these_files() {
    let env = TestEnv::new();
    for kind in ["image", "text", "tabular", "graph"] {
        let kind_set = format!("data_kind={kind}");
        generate(&env, kind, &[&kind_set]);
        for feature in ["onnx", "quantize"] {
            let with = format!("{kind}-{feature}");
            let feature_set = format!("{feature}=true");
            generate(&env, &with, &[&kind_set, &feature_set]);
            insta::assert_snapshot!(format!("{with}_files"), changed_files(&env, kind, &with));
        }
    }
}

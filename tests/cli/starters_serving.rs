//! The serving starters (`load_test`, `metrics`), seen from dayone's side: the files each kind of
//! data's project gains or changes when they are on, and that without the API they bring nothing.
//! (Running those projects — the locust test against uvicorn, /metrics after a /predict — is
//! scripts/verify_template.py's job.)

use crate::generated::changed_files;
use crate::generated::generate;
use crate::support::TestEnv;

#[test]
fn load_test_and_metrics_change_these_files() {
    let env = TestEnv::new();
    for kind in ["image", "text", "tabular", "graph"] {
        let kind_set = format!("data_kind={kind}");
        let plain = format!("{kind}-plain");
        let with = format!("{kind}-served");
        // One project name for both, so only what the starters change differs.
        let names = ["project_name=demo", "package_name=demo"];
        generate(
            &env,
            &plain,
            &[&kind_set, names[0], names[1]],
            &["--no-git"],
        );
        let sets = [
            kind_set.as_str(),
            "load_test=true",
            "metrics=true",
            names[0],
            names[1],
        ];
        generate(&env, &with, &sets, &["--no-git"]);
        let changed = changed_files(&env, &plain, &with, &[]);
        insta::assert_snapshot!(format!("{kind}_load_test_metrics_files"), changed);
    }
}

//! The model starters (`onnx`, `quantize`) seen from dayone's side: the files each one adds to a
//! project, or changes in it, as snapshots, for every kind of data. (Running the exported and
//! quantised models is the generated project's own tests' job, run by scripts/verify_template.py.)

use crate::generated::{changed_files, generate};
use crate::support::TestEnv;

#[test]
fn each_model_starter_changes_these_files() {
    let env = TestEnv::new();
    for kind in ["image", "text", "tabular", "graph"] {
        let kind_set = format!("data_kind={kind}");
        generate(&env, kind, &[&kind_set, "package_name=demo"], &["--no-git"]);
        for feature in ["onnx", "quantize"] {
            let with = format!("{kind}-{feature}");
            let feature_set = format!("{feature}=true");
            let sets = [kind_set.as_str(), feature_set.as_str(), "package_name=demo"];
            generate(&env, &with, &sets, &["--no-git"]);
            let changed = changed_files(&env, kind, &with, &[]);
            insta::assert_snapshot!(format!("{with}_files"), changed);
        }
    }
}

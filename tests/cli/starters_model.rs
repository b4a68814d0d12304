//! The model starters (`onnx`, `quantize`) seen from dayone's side: the files each one adds to a
//! project, or changes in it, as snapshots, for every kind of data. (Running the exported and
//! quantised models is the generated project's own tests' job, run by scripts/verify_template.py.)

use crate::generated::changes_per_kind;
use crate::support::TestEnv;

#[test]
fn each_model_starter_changes_these_files() {
    let env = TestEnv::new();
    for feature in ["onnx", "quantize"] {
        for (kind, changed) in changes_per_kind(&env, &[&format!("{feature}=true")]) {
            insta::assert_snapshot!(format!("{kind}-{feature}_files"), changed);
        }
    }
}

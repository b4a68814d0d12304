//! The serving starters (`load_test`, `metrics`), seen from dayone's side: the files each kind of
//! data's project gains or changes when they are on, and that without the API they bring nothing.
//! (Running those projects — the locust test against uvicorn, /metrics after a /predict — is
//! scripts/verify_template.py's job.)

use crate::generated::changes_per_kind;
use crate::support::TestEnv;

#[test]
fn load_test_and_metrics_change_these_files() {
    let env = TestEnv::new();
    for (kind, changed) in changes_per_kind(&env, &["load_test=true", "metrics=true"]) {
        insta::assert_snapshot!(format!("{kind}_load_test_metrics_files"), changed);
    }
}

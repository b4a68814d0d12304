//! The drift and monitoring starters, seen from dayone's side: the files each kind of data's project
//! gains or changes when they are on. (Running those projects — their tests, the drift report, the
//! API's records and /drift — is scripts/verify_template.py's job.)

use crate::generated::changes_per_kind;
use crate::support::TestEnv;

#[test]
fn drift_and_monitoring_change_these_files() {
    let env = TestEnv::new();
    for (kind, changed) in changes_per_kind(&env, &["drift=true", "monitoring=true"]) {
        insta::assert_snapshot!(format!("{kind}_drift_monitoring_files"), changed);
    }
}

//! The drift and monitoring starters, seen from dayone's side: the files each kind of data's project
//! gains or changes when they are on. (Running those projects — their tests, the drift report, the
//! API's records and /drift — is scripts/verify_template.py's job.)

use crate::generated::changed_files;
use crate::generated::generate;
use crate::support::TestEnv;

#[test]
fn drift_and_monitoring_change_these_files() {
    let env = TestEnv::new();
    for kind in ["image", "text", "tabular", "graph"] {
        let kind_set = format!("data_kind={kind}");
        let plain = format!("{kind}-plain");
        let with = format!("{kind}-monitored");
        generate(
            &env,
            &plain,
            &[&kind_set, "package_name=demo"],
            &["--no-git"],
        );
        let sets = [
            kind_set.as_str(),
            "drift=true",
            "monitoring=true",
            "package_name=demo",
        ];
        generate(&env, &with, &sets, &["--no-git"]);
        let changed = changed_files(&env, &plain, &with, &[]);
        insta::assert_snapshot!(format!("{kind}_drift_monitoring_files"), changed);
    }
}

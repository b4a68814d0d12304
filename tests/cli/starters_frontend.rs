//! The frontend starter, seen from dayone's side: the files each kind of data's project gains or
//! changes when it is on. (Running the page against the API — its AppTest tests and
//! `invoke frontend` — is scripts/verify_template.py's job.)

use crate::generated::{changes_per_kind, generate};
use crate::support::TestEnv;

#[test]
fn frontend_changes_these_files() {
    let env = TestEnv::new();
    for (kind, changed) in changes_per_kind(&env, &["frontend=true"]) {
        insta::assert_snapshot!(format!("{kind}_frontend_files"), changed);
    }
}

/// With pip the frontend's packages are a requirements file of their own, which the dev
/// requirements read and the frontend image installs alone.
#[test]
fn frontend_with_pip_has_its_own_requirements_file() {
    let env = TestEnv::new();
    let sets = [
        "dependency_manager=pip",
        "frontend=true",
        "package_name=demo",
    ];
    generate(&env, "x", &sets, &["--no-git"]);
    let project = env.work().join("x");
    let own = std::fs::read_to_string(project.join("requirements-frontend.txt")).unwrap();
    assert!(
        own.lines().any(|line| line.starts_with("streamlit>=")),
        "{own}"
    );
    let dev = std::fs::read_to_string(project.join("requirements-dev.txt")).unwrap();
    assert!(
        dev.lines()
            .any(|line| line == "-r requirements-frontend.txt"),
        "{dev}"
    );
    let runtime = std::fs::read_to_string(project.join("requirements.txt")).unwrap();
    assert!(!runtime.contains("streamlit"), "{runtime}");
    let image = std::fs::read_to_string(project.join("dockerfiles/frontend.dockerfile")).unwrap();
    assert!(
        image.contains("pip install -r requirements-frontend.txt"),
        "{image}"
    );
}

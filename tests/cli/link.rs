//! `dayone link`: a project cookiecutter made (a conformance case's expected output is exactly
//! that) adopted with its answers, then updated when the template moves on, keeping the
//! group's edits.

use std::path::Path;

use crate::support::{TestEnv, tree};
use crate::update::git;

/// Copy the folder `from` to `to`.
fn copy(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The `choices` case's template at work/tpl and what cookiecutter made of it (with the case's
/// answers) in the folder cookiecutter names it, work/my-repo, committed.
fn made_by_cookiecutter(env: &TestEnv) -> (std::path::PathBuf, std::path::PathBuf) {
    let case = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cookiecutter/choices");
    let (tpl, proj) = (env.work().join("tpl"), env.work().join("my-repo"));
    copy(&case.join("template"), &tpl);
    copy(&case.join("expected"), &proj);
    git(&proj, &["init", "-q", "-b", "main"]);
    git(&proj, &["add", "-A"]);
    git(&proj, &["commit", "-qm", "made by cookiecutter"]);
    (tpl, proj)
}

#[test]
fn link_adds_only_the_answers_file_and_update_then_merges_template_changes() {
    let env = TestEnv::new();
    let (tpl, proj) = made_by_cookiecutter(&env);
    let before = tree(&proj);
    // cruft's record of the project: the answers that are not the defaults.
    env.write(
        "my-repo/.cruft.json",
        r#"{"template": "../tpl", "commit": null, "checkout": null, "directory": null,
            "context": {"cookiecutter": {"repo": "my-repo", "license": "BSD-3-Clause",
            "manager": "pip", "_template": "../tpl"}}}"#,
    );
    git(&proj, &["add", ".cruft.json"]);
    git(&proj, &["commit", "-qm", "cruft"]);
    let output = env
        .dayone(["link", "../tpl", "--yes"])
        .current_dir(&proj)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{err}");
    assert!(err.contains("Answers from ./.cruft.json"), "{err}");
    assert!(
        err.contains(
            "Of the 3 files the template renders, 3 are in the project as rendered, 0 differ"
        ),
        "{err}"
    );
    assert_eq!(git(&proj, &["status", "--short"]), "A  .dayone.toml\n");
    let after: Vec<_> = tree(&proj)
        .into_iter()
        .filter(|(path, _)| path != ".dayone.toml" && path != ".cruft.json")
        .collect();
    assert_eq!(after, before, "link changed none of the group's files");
    let recorded = std::fs::read_to_string(proj.join(".dayone.toml")).unwrap();
    assert!(
        recorded.contains("kind = \"folder\"\npath = \"../tpl\"")
            && recorded.contains("license = \"BSD-3-Clause\"\nmanager = \"pip\""),
        "{recorded}"
    );
    let base = git(&proj, &["ls-tree", "-r", "--name-only", "refs/dayone/base"]);
    assert_eq!(base, ".dayone.toml\nAGENTS.md\nLICENSE\nREADME.md\n");
    git(&proj, &["commit", "-qm", "link to the template"]);

    // The group edits the README; the template changes another line of it.
    let readme = proj.join("README.md");
    let ours = std::fs::read_to_string(&readme)
        .unwrap()
        .replace("# my-repo", "# my-repo, by our group");
    std::fs::write(&readme, ours).unwrap();
    git(&proj, &["commit", "-qam", "our title"]);
    let source = tpl.join("{{cookiecutter.repo}}/README.md");
    let theirs = std::fs::read_to_string(&source)
        .unwrap()
        .replace("Install with", "Set it up with");
    std::fs::write(&source, theirs).unwrap();
    let output = env
        .dayone(["update", "--yes"])
        .current_dir(&proj)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{err}");
    let merged = std::fs::read_to_string(&readme).unwrap();
    assert!(
        merged.starts_with("# my-repo, by our group\n\nSet it up with `pip install -e .`."),
        "{merged}"
    );
}

#[test]
fn link_refuses_a_linked_project_and_changes_nothing_on_a_dry_run() {
    let env = TestEnv::new();
    let (_, proj) = made_by_cookiecutter(&env);
    let output = env
        .dayone([
            "link",
            "../tpl",
            "--yes",
            "--dry-run",
            "--set",
            "license=BSD-3-Clause",
        ])
        .current_dir(&proj)
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The README says `uv sync` with the default manager: it differs from the project's.
    assert!(
        out.contains("Dry run, nothing written: would link . to template tpl")
            && out.contains("2 are in the project as rendered, 1 differ"),
        "{out}"
    );
    assert!(!proj.join(".dayone.toml").exists());
    assert_eq!(git(&proj, &["status", "--short"]), "");
    std::fs::write(proj.join(".dayone.toml"), "[answers]\n").unwrap();
    let output = env
        .dayone(["link", "../tpl", "--yes"])
        .current_dir(&proj)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains(
        "error: . is already linked to a template: it has .dayone.toml; use `dayone update`"
    ));
}

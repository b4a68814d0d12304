//! `dayone check` and the report's boxes: comparison, --fix-report, --strict, and reading the
//! boxes of report files laid out like ours and like the course's.

use serde_json::Value;

use super::{FULL_PROJECT, item, json, write_all};
use crate::support::TestEnv;

const REPORT: &str = "# Exam report\n\n## Overall project checklist\n\n### Week 1\n\n* [x] Create a git repository (M5)\n* [x] Make sure that all team members have write access to the GitHub repository (M5)\n* [ ] Create a dedicated environment for you project to keep track of your packages (M2)\n* [x] Setup version control for your data or part of your data (M8)\n\n### Week 2\n\n* [ ] Write unit tests related to the data part of your code (M16)\n* [ ] Invent a module that does not exist (M99)\n\n## Group information\n\nText that stays as it is.\n";

#[test]
fn report_boxes_are_compared_and_fix_report_ticks_only_evidenced_boxes() {
    let env = TestEnv::new();
    write_all(&env, "proj", FULL_PROJECT);
    let report_path = env.write("proj/reports/README.md", REPORT);

    let before = json(&env, &["check", "proj", "--json"]);
    assert_eq!(
        before["ticked_without_evidence"],
        serde_json::json!(["git-repository", "data-version-control"])
    );
    assert_eq!(
        before["evidence_not_ticked"],
        serde_json::json!(["environment", "tests-data"])
    );
    assert_eq!(item(&before, "team-write-access")["ticked"], true);
    assert_eq!(item(&before, "docs")["ticked"], Value::Null);
    assert_eq!(before["report"]["boxes"], 6);
    assert_eq!(before["report"]["unknown"][0]["line"], 15);
    assert_eq!(before["report"]["unknown"][0]["module"], "M99");

    env.dayone(["check", "proj", "--strict"]).assert().code(1);

    let fixed = json(&env, &["check", "proj", "--fix-report", "--json"]);
    assert_eq!(
        fixed["fixed"],
        serde_json::json!(["environment", "tests-data"])
    );
    assert_eq!(fixed["evidence_not_ticked"], serde_json::json!([]));
    let after = std::fs::read_to_string(&report_path).unwrap();
    let expected = REPORT
        .replace("* [ ] Create a dedicated", "* [x] Create a dedicated")
        .replace(
            "* [ ] Write unit tests related to the data",
            "* [x] Write unit tests related to the data",
        );
    assert_eq!(after, expected);
    // Ticks without evidence stay: the group decides, check only reports them.
    assert!(after.contains("* [x] Setup version control for your data"));

    let again = json(&env, &["check", "proj", "--fix-report", "--json"]);
    assert_eq!(again["fixed"], serde_json::json!([]));
    assert_eq!(std::fs::read_to_string(&report_path).unwrap(), expected);
}

#[cfg(unix)]
#[test]
fn fix_report_keeps_the_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    write_all(&env, "proj", FULL_PROJECT);
    let path = env.write("proj/reports/README.md", REPORT);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o664)).unwrap();
    env.dayone(["check", "proj", "--fix-report"])
        .assert()
        .success();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o664);
    assert_ne!(std::fs::read_to_string(&path).unwrap(), REPORT);
}

#[cfg(unix)]
#[test]
fn fix_report_on_a_read_only_report_is_an_environment_error() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    write_all(&env, "proj", FULL_PROJECT);
    let path = env.write("proj/reports/README.md", REPORT);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = env
        .dayone(["check", "proj", "--fix-report"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("reports/README.md is read-only"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), REPORT);
}

#[cfg(unix)]
#[test]
fn fix_report_writes_through_a_link_inside_the_project_and_refuses_one_out_of_it() {
    let env = TestEnv::new();
    write_all(&env, "proj", FULL_PROJECT);
    let target = env.write("proj/docs/report.md", REPORT);
    let link = env.work().join("proj/reports/README.md");
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("../docs/report.md", &link).unwrap();
    let fixed = json(&env, &["check", "proj", "--fix-report", "--json"]);
    assert_eq!(
        fixed["fixed"],
        serde_json::json!(["environment", "tests-data"])
    );
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("* [x] Create a dedicated environment")
    );

    let outside = env.write("outside/report.md", REPORT);
    std::fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink(&outside, &link).unwrap();
    let out = env
        .dayone(["check", "proj", "--fix-report"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("reports/README.md leads through a symbolic link to")
            && stderr.contains("outside the project; --fix-report writes only inside the project"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), REPORT);
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
}

#[test]
fn fix_report_without_a_report_changes_nothing() {
    let env = TestEnv::new();
    write_all(&env, "proj", FULL_PROJECT);
    let report = json(&env, &["check", "proj", "--fix-report", "--json"]);
    assert_eq!(report["fixed"], serde_json::json!([]));
    assert!(!env.work().join("proj/reports").exists());
    env.dayone(["check", "proj", "--fix-report", "--quiet"])
        .assert()
        .success()
        .stdout("");
    env.dayone(["check", "proj", "--fix-report"])
        .assert()
        .success()
        .stderr(predicates::str::contains("no boxes to tick"));
}

/// Week 3 of a report: `boxes` lines with the M27 tag, the last one ticked.
fn week_three(boxes: usize) -> String {
    let mut text = String::from("## Checklist\n\n### Week 3\n\n");
    for k in 0..boxes {
        let mark = if k + 1 == boxes { 'x' } else { ' ' };
        text.push_str(&format!("* [{mark}] drift item {k} (M27)\n"));
    }
    text
}

#[test]
fn report_files_from_before_and_after_the_course_added_an_item_both_line_up() {
    let env = TestEnv::new();
    env.write("proj/pyproject.toml", "[project]\nname = \"p\"\n");
    for boxes in [2, 3] {
        env.write("proj/reports/README.md", week_three(boxes));
        let report = json(&env, &["check", "proj", "--json"]);
        assert_eq!(item(&report, "drift-check")["ticked"], false);
        assert_eq!(item(&report, "drift-api")["ticked"], true, "{boxes} boxes");
        let collect = &item(&report, "collect-io-data")["ticked"];
        assert_eq!(
            *collect,
            if boxes == 3 {
                Value::Bool(false)
            } else {
                Value::Null
            }
        );
        assert_eq!(report["report"]["unknown"], serde_json::json!([]));
    }
}

#[test]
fn strict_passes_when_every_tick_has_evidence() {
    let env = TestEnv::new();
    write_all(&env, "proj", FULL_PROJECT);
    env.write(
        "proj/reports/README.md",
        "## Checklist\n\n### Week 1\n\n* [ ] git (M5)\n* [x] access (M5)\n* [x] env (M2)\n",
    );
    env.dayone(["check", "proj", "--strict"]).assert().success();
}

#[test]
fn text_output_names_disagreements() {
    let env = TestEnv::new();
    write_all(&env, "proj", FULL_PROJECT);
    env.write("proj/reports/README.md", REPORT);
    let assert = env.dayone(["check", "proj"]).assert().success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for expected in [
        "reports/README.md: 6 checklist boxes, 3 ticked",
        "[x] open   M8     Version the data (or part of it) with data version control  ← ticked without evidence",
        "[ ] done   M16    Unit-test the data code  ← evidence but not ticked",
        "2 ticked boxes without evidence",
        "reports/README.md:10: Version the data",
        "`dayone check --fix-report` ticks them",
        "reports/README.md:15: this Week 2 box (M99) matches no checklist item",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in:\n{out}");
    }
}

/// A report laid out like the course's official file: its introduction starts a wrapped line
/// with ```` ```…``` ```` inline code, and a real fenced block follows.
const COURSE_STYLE_REPORT: &str = include_str!("../fixtures/course-style-report.md");

#[test]
fn inline_triple_backticks_in_the_introduction_do_not_hide_the_boxes() {
    let env = TestEnv::new();
    env.write("proj/pyproject.toml", "[project]\nname = \"p\"\n");
    let ticked = COURSE_STYLE_REPORT.replace(
        "* [ ] Load-test the API (M24)",
        "* [x] Load-test the API (M24)",
    );
    assert_ne!(ticked, COURSE_STYLE_REPORT);
    env.write("proj/reports/README.md", &ticked);
    let report = json(&env, &["check", "proj", "--json"]);
    assert_eq!(report["report"]["boxes"], 53);
    assert_eq!(report["report"]["unknown"], serde_json::json!([]));
    assert_eq!(report["report"]["findings"], serde_json::json!([]));
    assert_eq!(
        report["ticked_without_evidence"],
        serde_json::json!(["load-test"])
    );
    env.dayone(["check", "proj", "--strict"]).assert().code(1);
}

#[test]
fn a_report_whose_boxes_cannot_be_read_is_a_finding_and_fails_strict() {
    let env = TestEnv::new();
    env.write("proj/pyproject.toml", "[project]\nname = \"p\"\n");
    env.write(
        "proj/reports/README.md",
        "# Report\n\n* [x] something (M5)\n",
    );
    let report = json(&env, &["check", "proj", "--json"]);
    assert_eq!(report["report"]["boxes"], 0);
    let findings = report["report"]["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert!(
        findings[0].as_str().unwrap().contains("no checklist boxes"),
        "{findings:?}"
    );
    env.dayone(["check", "proj", "--strict"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "! reports/README.md has no checklist boxes",
        ));
    env.dayone(["check", "proj"]).assert().success();
}

#[test]
fn a_report_without_week_headings_says_so() {
    let env = TestEnv::new();
    env.write("proj/pyproject.toml", "[project]\nname = \"p\"\n");
    env.write(
        "proj/reports/README.md",
        "# Report\n\n* [x] something (M5)\n",
    );
    env.dayone(["check", "proj"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "reports/README.md has no checklist boxes under a \"Week 1\"",
        ));
}

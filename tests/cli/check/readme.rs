//! `dayone check` and the day-1 hand-in in the README.

use super::{FULL_PROJECT, json, write_all};
use crate::support::TestEnv;

/// The README section the built-in template writes for the day-1 hand-in, still unfilled.
const README_SKELETON: &str = "# leaf-doctor\n\n## Project description\n\nTells a healthy leaf from a sick one.\n\n### Goal\n\nTODO: what the project should achieve.\n\n### Framework\n\nTODO: the third-party framework and how the project uses it.\n\n### Data\n\nTODO: the data, its size and where it comes from.\n\n### Models\n\nTODO: the models to try.\n\n## Working on the project\n\nRun `invoke train`.\n";

#[test]
fn the_day_one_hand_in_is_reported_beside_the_checklist() {
    let env = TestEnv::new();
    write_all(&env, "proj", FULL_PROJECT);
    env.write("proj/README.md", README_SKELETON);
    let report = json(&env, &["check", "proj", "--json"]);
    let description = &report["description"];
    assert_eq!(description["heading"], "Project description");
    assert_eq!(description["words"], 8);
    assert_eq!(description["min_words"], 300);
    assert_eq!(description["complete"], false);
    let parts: Vec<(&str, &str)> = description["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["part"].as_str().unwrap(), p["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        parts,
        [
            ("goal", "placeholder"),
            ("framework", "placeholder"),
            ("data", "placeholder"),
            ("models", "placeholder")
        ]
    );
    // Not a checklist item: the 53 items keep their order and ids.
    let ids: Vec<&str> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 53);
    assert_eq!(ids[0], "git-repository");
    assert!(!ids.contains(&"description"));

    let goal =
        "Leaf doctor looks at a photo of a leaf and says whether the plant is sick. ".repeat(20);
    env.write(
        "proj/README.md",
        README_SKELETON
            .replace("TODO: what the project should achieve.", &goal)
            .replace(
                "TODO: the data, its size and where it comes from.",
                "PlantVillage photos.",
            ),
    );
    let assert = env.dayone(["check", "proj"]).assert().success();
    let out = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        out.contains("Day-1 hand-in (README.md:3 \"Project description\"): 330 words of at least 300; still a placeholder: framework, models\n"),
        "{out}"
    );
}

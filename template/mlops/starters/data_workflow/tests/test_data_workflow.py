"""The data workflow: it starts on changes to what DVC tracks, and its summary counts the data right."""

from pathlib import Path

import yaml

from {{ package_name }}.data import load_meta, load_split
from {{ package_name }}.data_summary import SPLITS, class_counts, summary

WORKFLOW = Path(__file__).parents[1] / ".github" / "workflows" / "data.yaml"


def load_workflow() -> dict:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    # YAML 1.1 reads the key `on` as True.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def test_counts_add_up_to_each_split(processed_dir: Path) -> None:
    counts = class_counts(processed_dir)
    classes = load_meta(processed_dir)["classes"]
    for split in SPLITS:
        assert sum(counts[split].values()) == len(load_split(split, processed_dir))
        assert set(counts[split]) <= set(classes)
    assert all(counts["train"][name] > 0 for name in classes)


def test_summary_is_a_table_with_every_class(processed_dir: Path) -> None:
    table = summary(processed_dir).splitlines()
    classes = load_meta(processed_dir)["classes"]
    rows = table[4:]  # after the heading, a blank line, the header row and the separator
    assert [row.split(" | ")[0].removeprefix("| ") for row in rows] == [*classes, "**total**"]
    total = rows[-1].strip("| ").split(" | ")
    assert total[1:] == [str(len(load_split(split, processed_dir))) for split in SPLITS]


def test_workflow_starts_on_changes_to_the_dvc_files() -> None:
    triggers = load_workflow()["on"]
    for event in ("push", "pull_request"):
        paths = triggers[event]["paths"]
        assert "**/*.dvc" in paths
        assert "dvc.lock" in paths
        assert ".dvc/config" in paths
    assert "workflow_dispatch" in triggers


def test_workflow_pulls_then_runs_the_data_tests() -> None:
    steps = load_workflow()["jobs"]["data"]["steps"]
    commands = [step.get("run", "") for step in steps]
    pull = next(i for i, command in enumerate(commands) if "dvc pull" in command)
    tests = next(i for i, command in enumerate(commands) if "pytest" in command)
    assert pull < tests
    words = commands[tests].split()
    for name in words[words.index("pytest") + 1 :]:
        assert (WORKFLOW.parents[2] / name).is_file(), f"the workflow runs {name}, which does not exist"
{%- if dvc == "gcs" %}
    auth = next(step for step in steps if step.get("uses", "").startswith("google-github-actions/auth"))
    # Without the secret the step is skipped instead of failing the run.
    assert auth["if"] == "env.HAS_GCP_KEY == 'true'"
    assert "secrets.GCP_SA_KEY" in auth["with"]["credentials_json"]
{%- endif %}

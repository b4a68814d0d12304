"""Static checks of the Cloud Monitoring files: no cloud account is needed, so nothing is sent anywhere."""

import re
from pathlib import Path

import pytest
import yaml
from invoke import Context, Exit
from tasks import monitoring, monitoring_commands

FOLDER = Path(__file__).resolve().parents[1] / "monitoring"
# Cloud Run's own metrics (https://cloud.google.com/monitoring/api/metrics_gcp, run.googleapis.com).
CLOUD_RUN_METRICS = {
    "run.googleapis.com/request_count",
    "run.googleapis.com/request_latencies",
    "run.googleapis.com/container/cpu/utilizations",
    "run.googleapis.com/container/memory/utilizations",
    "run.googleapis.com/container/instance_count",
    "run.googleapis.com/container/billable_instance_time",
}
COMPARISONS = {"COMPARISON_GT", "COMPARISON_GE", "COMPARISON_LT", "COMPARISON_LE", "COMPARISON_EQ", "COMPARISON_NE"}


def load(name: str) -> dict:
    return yaml.safe_load((FOLDER / name).read_text())


def test_the_alert_policy_has_the_fields_gcloud_needs() -> None:
    policy = load("alert-policy.yaml")
    assert policy["displayName"]
    assert policy["combiner"] in {"AND", "OR", "AND_WITH_MATCHING_RESOURCE"}
    assert policy["conditions"]
    for condition in policy["conditions"]:
        assert condition["displayName"]
        threshold = condition["conditionThreshold"]
        assert threshold["comparison"] in COMPARISONS
        assert isinstance(threshold["thresholdValue"], int | float)
        assert re.fullmatch(r"\d+s", threshold["duration"])
        for aggregation in threshold["aggregations"]:
            assert re.fullmatch(r"\d+s", aggregation["alignmentPeriod"])
            assert aggregation["perSeriesAligner"].startswith("ALIGN_")


def test_every_condition_watches_a_real_cloud_run_metric() -> None:
    for condition in load("alert-policy.yaml")["conditions"]:
        query = condition["conditionThreshold"]["filter"]
        assert 'resource.type = "cloud_run_revision"' in query
        metric = re.search(r'metric\.type = "([^"]+)"', query)
        assert metric, query
        assert metric.group(1) in CLOUD_RUN_METRICS


def test_the_notification_channel_is_an_email_channel() -> None:
    channel = load("notification-channel.yaml")
    assert channel["type"] == "email"
    assert channel["displayName"]
    assert "@" in channel["labels"]["email_address"]


def test_the_commands_name_the_project_and_the_files() -> None:
    create_channel, create_policy = monitoring_commands("my-project", "me@example.org", "projects/p/channels/1")
    assert "--project=my-project" in create_channel
    assert "email_address=me@example.org" in create_channel
    assert (FOLDER / "notification-channel.yaml").is_file()
    assert "--policy-from-file=monitoring/alert-policy.yaml" in create_policy
    assert "--notification-channels=projects/p/channels/1" in create_policy


def test_the_task_refuses_to_run_without_a_project() -> None:
    with pytest.raises(Exit) as error:
        monitoring(Context(), email="me@example.org")
    assert "--project" in str(error.value.message)

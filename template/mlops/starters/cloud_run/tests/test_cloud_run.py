"""The Cloud Run deployment: the command `invoke deploy` runs and the workflow that calls it.

Nothing here talks to Google Cloud: the task runs with --dry-run, which prints the command.
"""

import re
import shlex
from pathlib import Path

import pytest
import tasks
import yaml
from invoke import Config, Context, Exit

ROOT = Path(__file__).parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "deploy.yaml"


def dry_run_deploy(capsys: pytest.CaptureFixture[str], **options: str) -> list[str]:
    """The words of the command `invoke deploy` would run."""
    ctx = Context(Config(overrides={"run": {"echo_format": "{command}"}}))
    tasks.deploy(ctx, dry_run=True, **options)
    return shlex.split(capsys.readouterr().out)


def test_deploy_runs_gcloud_run_deploy_on_the_pushed_api_image(capsys: pytest.CaptureFixture[str]) -> None:
    command = dry_run_deploy(capsys, project="demo-project")
    assert command[:4] == ["gcloud", "run", "deploy", "{{ project_name | kebab_case }}-api"]
    assert "--image={{ gcp_region }}-docker.pkg.dev/demo-project/{{ project_name | kebab_case }}/api:latest" in command
    assert "--project=demo-project" in command
    assert "--region={{ gcp_region }}" in command
    assert "--memory=2Gi" in command


def test_deploy_options_reach_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    image = "us-central1-docker.pkg.dev/other/repo/api:v2"
    command = dry_run_deploy(capsys, project="other", region="us-central1", image=image, memory="4Gi")
    assert f"--image={image}" in command
    assert "--region=us-central1" in command
    assert "--memory=4Gi" in command


def test_cloud_run_port_is_the_api_image_port(capsys: pytest.CaptureFixture[str]) -> None:
    dockerfile = (ROOT / "dockerfiles" / "api.dockerfile").read_text()
    exposed = re.search(r"^EXPOSE (\d+)$", dockerfile, re.MULTILINE)
    assert exposed, "dockerfiles/api.dockerfile exposes no port"
    # The server listens on $PORT, which Cloud Run sets to the --port value, or on the exposed port.
    assert f"${{PORT:-{exposed.group(1)}}}" in dockerfile
    assert f"--port={exposed.group(1)}" in dry_run_deploy(capsys, project="demo-project")


def test_project_comes_from_the_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "from-env")
    assert "--project=from-env" in dry_run_deploy(capsys)


def test_no_project_anywhere_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("GOOGLE_CLOUD_PROJECT", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no gcloud to ask
    with pytest.raises(Exit) as raised:
        tasks.gcp_project("")
    assert raised.value.code == 2
    assert "--project" in str(raised.value.message)


def test_workflow_signs_in_without_a_stored_key() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert workflow["permissions"]["id-token"] == "write"
    steps = workflow["jobs"]["deploy"]["steps"]
    auth = next(step for step in steps if step.get("uses", "").startswith("google-github-actions/auth@"))
    assert auth["with"] == {
        "workload_identity_provider": "${{ vars.GCP_WORKLOAD_IDENTITY_PROVIDER }}",
        "service_account": "${{ vars.GCP_SERVICE_ACCOUNT }}",
    }
    scripts = [step.get("run", "") for step in steps]
    assert any("invoke deploy" in script for script in scripts)
    build = next(script for script in scripts if "docker build" in script)
    assert "dockerfiles/api.dockerfile" in build
    # The image is built after training, so it holds the model it serves.
    assert scripts.index(next(s for s in scripts if "invoke train" in s)) < scripts.index(build)


def test_key_files_are_ignored_by_git() -> None:
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "*-key.json" in ignored
    assert "service-account*.json" in ignored

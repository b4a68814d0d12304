"""The Vertex AI training job: its config and the command `invoke vertex-train` runs.

Nothing here talks to Google Cloud: the task runs with --dry-run, which prints the command.
"""

{% if not hydra %}import inspect
{% endif %}import shlex
from pathlib import Path

import pytest
import tasks
import yaml
from invoke import Config, Context
{%- if not hydra %}

from {{ package_name }}.train import main as train_main
{%- endif %}

ROOT = Path(__file__).parents[1]
JOB = ROOT / "configs" / "vertex_job.yaml"


def worker_pool(job: dict) -> dict:
    pools = job["workerPoolSpecs"]
    assert len(pools) == 1, "the job runs one pool of workers"
    return pools[0]


def dry_run_vertex(capsys: pytest.CaptureFixture[str], **options: str) -> list[str]:
    """The words of the command `invoke vertex-train` would run."""
    ctx = Context(Config(overrides={"run": {"echo_format": "{command}"}}))
    tasks.vertex_train(ctx, dry_run=True, **options)
    return shlex.split(capsys.readouterr().out)


def test_job_names_a_machine_and_the_training_image() -> None:
    pool = worker_pool(yaml.safe_load(JOB.read_text()))
    assert pool["machineSpec"]["machineType"]
    assert pool["replicaCount"] == 1
    image = pool["containerSpec"]["imageUri"].replace("PROJECT_ID", "demo-project")
    assert image == tasks.image_uri("demo-project", tasks.REGION, "train")
{%- if gcp %}


def test_job_image_is_the_one_cloud_build_pushes() -> None:
    build = yaml.safe_load((ROOT / "cloudbuild.yaml").read_text())
    names = {"$PROJECT_ID": "demo-project"} | {"${" + key + "}": value for key, value in build["substitutions"].items()}
    pushed = []
    for image in build["images"]:
        for name, value in names.items():
            image = image.replace(name, value)
        pushed.append(image)
    job_image = worker_pool(yaml.safe_load(JOB.read_text()))["containerSpec"]["imageUri"]
    assert job_image.replace("PROJECT_ID", "demo-project") in pushed
{%- endif %}


def test_job_arguments_are_ones_training_takes() -> None:
    args = worker_pool(yaml.safe_load(JOB.read_text()))["containerSpec"]["args"]
    assert args, "the job must tell training where the data and the model live"
{%- if hydra %}
    config = yaml.safe_load((ROOT / "configs" / "config.yaml").read_text())
    for arg in args:
        group, key = arg.split("=", 1)[0].split(".")
        assert key in config[group], f"{arg} overrides nothing in configs/config.yaml"
{%- else %}
    options = inspect.signature(train_main).parameters
    for arg in args:
        name = arg.split("=", 1)[0].removeprefix("--").replace("-", "_")
        assert name in options, f"{arg} is not an option of python -m {{ package_name }}.train"
{%- endif %}
    assert all(arg.split("=", 1)[1].startswith("/gcs/") for arg in args)


def test_vertex_train_submits_the_filled_in_job(capsys: pytest.CaptureFixture[str]) -> None:
    command = dry_run_vertex(capsys, project="demo-project", machine_type="n1-highmem-2")
    assert command[:4] == ["gcloud", "ai", "custom-jobs", "create"]
    assert "--project=demo-project" in command
    assert "--region={{ gcp_region }}" in command
    config = Path(next(word for word in command if word.startswith("--config=")).removeprefix("--config="))
    pool = worker_pool(yaml.safe_load(config.read_text()))
    assert pool["containerSpec"]["imageUri"] == tasks.image_uri("demo-project", "{{ gcp_region }}", "train")
    assert pool["machineSpec"]["machineType"] == "n1-highmem-2"
    # Everything else comes from the file in the repository unchanged.
    assert pool["containerSpec"]["args"] == worker_pool(yaml.safe_load(JOB.read_text()))["containerSpec"]["args"]


def test_vertex_train_takes_another_image(capsys: pytest.CaptureFixture[str]) -> None:
    image = "us-central1-docker.pkg.dev/other/repo/train:v3"
    command = dry_run_vertex(capsys, project="other", region="us-central1", image=image)
    assert "--region=us-central1" in command
    config = Path(next(word for word in command if word.startswith("--config=")).removeprefix("--config="))
    assert worker_pool(yaml.safe_load(config.read_text()))["containerSpec"]["imageUri"] == image

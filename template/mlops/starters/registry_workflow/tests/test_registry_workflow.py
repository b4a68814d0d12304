"""Checks a model from the registry must pass, and the workflow that runs them on one.

The registry workflow (.github/workflows/registry.yaml) fetches the candidate and points
CANDIDATE_MODEL at it and CANDIDATE_DATA at the preprocessed data; without them, the checks run on
an untrained checkpoint of the test fixtures, so they stay tested on every run.
"""

import os
from pathlib import Path

import pytest
import torch
import yaml

from {{ package_name }}.data import load_meta
from {{ package_name }}.evaluate import evaluate
from {{ package_name }}.model import load_checkpoint

WORKFLOW = Path(__file__).parents[1] / ".github" / "workflows" / "registry.yaml"
# The accuracy a registered model must reach on the test split; set MIN_ACCURACY to change it.
MIN_ACCURACY = float(os.environ.get("MIN_ACCURACY", "0.6"))


@pytest.fixture
def candidate(checkpoint_path: Path) -> Path:
    return Path(os.environ.get("CANDIDATE_MODEL") or checkpoint_path)


@pytest.fixture
def candidate_data(processed_dir: Path) -> Path:
    return Path(os.environ.get("CANDIDATE_DATA") or processed_dir)


def test_candidate_loads_with_the_data_classes(candidate: Path, candidate_data: Path) -> None:
    model, checkpoint = load_checkpoint(candidate)
    assert checkpoint["classes"] == load_meta(candidate_data)["classes"]
    assert not model.training, "a loaded model must be in evaluation mode"
    assert all(torch.isfinite(parameter).all() for parameter in model.parameters())


def test_candidate_accuracy(candidate: Path, candidate_data: Path) -> None:
    accuracy = evaluate(candidate, candidate_data)
    assert 0.0 <= accuracy <= 1.0
    if os.environ.get("CANDIDATE_MODEL"):
        assert accuracy >= MIN_ACCURACY, f"{candidate} reaches {accuracy:.3f}, below MIN_ACCURACY {MIN_ACCURACY}"


def test_workflow_starts_on_a_registry_event_or_by_hand() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    triggers = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as True
    assert triggers["repository_dispatch"]["types"] == ["model-staged"]
    assert triggers["workflow_dispatch"]["inputs"]["model"]["required"] is True
    job = workflow["jobs"]["test-model"]
    assert job["env"]["MODEL"] == "${{ github.event.client_payload.model || inputs.model }}"
    scripts = "\n".join(step.get("run", "") for step in job["steps"])
    # The model name comes from outside: scripts read it from the environment, never inline.
    assert "${{" not in scripts
{%- if tracking == "wandb" %}
    assert 'wandb artifact get "$MODEL"' in scripts
    assert job["env"]["WANDB_API_KEY"] == "${{ secrets.WANDB_API_KEY }}"
{%- else %}
    assert '--output "$CANDIDATE_MODEL" "$MODEL"' in scripts
{%- endif %}
    assert f"pytest tests/{Path(__file__).name}" in scripts

{%- set classic = data_kind == "image" and framework == "none" -%}
{%- if data_kind == "text" %}{% set examples = "texts" %}{% elif data_kind == "tabular" %}{% set examples = "rows" %}{% elif data_kind == "graph" %}{% set examples = "graphs" %}{% else %}{% set examples = "images" %}{% endif -%}
"""Shared fixtures: a tiny synthetic dataset and an untrained checkpoint, made once per test session."""

from pathlib import Path

import pytest

from {{ package_name }}.data import load_meta, preprocess, synthesize
from {{ package_name }}.model import {% if classic %}Classifier{% else %}build_model{% endif %}, save_checkpoint

{{ examples | upper }}_PER_CLASS = 12
{%- if tracking == "wandb" %}


@pytest.fixture(autouse=True)
def _no_wandb_account(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never talk to wandb: runs are disabled."""
    monkeypatch.setenv("WANDB_MODE", "disabled")
{%- endif %}


{%- if drift and api %}


@pytest.fixture(autouse=True)
def _records_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The API's records of served requests go to a temporary folder, not to data/monitoring/."""
    monkeypatch.setenv("MONITORING_DIR", str(tmp_path / "monitoring"))
{%- endif %}


@pytest.fixture(scope="session")
def raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A raw folder with a few synthetic {{ examples }} of every class."""
    path = tmp_path_factory.mktemp("raw")
    synthesize(path, per_class={{ examples | upper }}_PER_CLASS, seed=1)
    return path


@pytest.fixture(scope="session")
def processed_dir(raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The raw fixture data, preprocessed."""
    path = tmp_path_factory.mktemp("processed")
    preprocess(raw_dir, path, test_fraction=0.25, seed=1)
    return path


@pytest.fixture(scope="session")
def checkpoint_path(processed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An untrained model saved the way training saves one."""
    meta = load_meta(processed_dir)
    path = tmp_path_factory.mktemp("models") / "model.pt"
    save_checkpoint({% if classic %}Classifier(len(meta["classes"]), meta["image_size"]){% else %}build_model(meta){% endif %}, path, meta)
    return path

"""Shared fixtures: a tiny synthetic dataset and an untrained checkpoint, made once per test session."""

from pathlib import Path

import pytest

from {{ package_name }}.data import load_meta, preprocess, synthesize
from {{ package_name }}.model import Classifier, save_checkpoint

IMAGES_PER_CLASS = 12
{%- if tracking == "wandb" %}


@pytest.fixture(autouse=True)
def _no_wandb_account(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never talk to wandb: runs are disabled."""
    monkeypatch.setenv("WANDB_MODE", "disabled")
{%- endif %}


@pytest.fixture(scope="session")
def raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A raw folder with a few synthetic images of every class."""
    path = tmp_path_factory.mktemp("raw")
    synthesize(path, per_class=IMAGES_PER_CLASS, seed=1)
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
    save_checkpoint(Classifier(len(meta["classes"]), meta["image_size"]), path, meta)
    return path

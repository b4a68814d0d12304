"""Tests for the data-loading settings and for training in two processes on one CPU."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
{%- if not hydra %}
import yaml
{%- endif %}
{%- if hydra %}
from hydra import compose, initialize_config_dir
from omegaconf import OmegaConf
{%- endif %}

from {{ package_name }}.data import load_split
from {{ package_name }}.distributed import make_loader
from {{ package_name }}.model import load_checkpoint
{%- if not hydra %}
from {{ package_name }}.train import CONFIG_PATH, load_settings
{%- endif %}

DISTRIBUTED_VARIABLES = {"MASTER_ADDR", "MASTER_PORT", "RANK", "LOCAL_RANK", "WORLD_SIZE", "NODE_RANK"}
{%- if hydra %}
CONFIG_DIR = Path("configs").resolve()
{%- endif %}


def configured() -> dict[str, Any]:
    """The training settings `invoke train` uses, as the project's configuration gives them."""
{%- if hydra %}
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        cfg = compose(config_name="config")
    return OmegaConf.to_container(cfg.training, resolve=True)  # type: ignore[return-value]
{%- else %}
    return load_settings(CONFIG_PATH)
{%- endif %}


def test_the_loader_uses_the_configured_workers(processed_dir: Path) -> None:
    settings = configured()
    loader = make_loader(
        load_split("train", processed_dir),
        8,
        settings["num_workers"],
        settings["pin_memory"],
        settings["persistent_workers"],
    )
    assert loader.num_workers == settings["num_workers"] > 0
    assert loader.persistent_workers == settings["persistent_workers"]
    assert loader.pin_memory == settings["pin_memory"]
    # The workers really hand out batches: one epoch yields every example once.
    assert sum(len(labels) for _, labels in loader) == len(load_split("train", processed_dir))


def test_persistent_workers_need_workers(processed_dir: Path) -> None:
    with pytest.raises(ValueError, match="num_workers"):
        make_loader(load_split("train", processed_dir), 8, num_workers=0, persistent_workers=True)


def test_training_runs_in_two_processes_on_one_cpu(processed_dir: Path, tmp_path: Path) -> None:
    model_path = tmp_path / "model.pt"
{%- if training == "pytorch" %}
    # torchrun starts two processes; they join one gloo process group and train with DDP.
    launch = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node=2"]
{%- else %}
    # Lightning's ddp strategy with two devices starts the second process itself.
    launch = [sys.executable]
{%- endif %}
{%- if hydra %}
    settings = [
        "training=quick",
        "training.num_workers=1",
        "training.persistent_workers=true",
{%- if training == "lightning" %}
        "training.strategy=ddp",
        "training.devices=2",
{%- endif %}
        f"paths.processed_dir={processed_dir}",
        f"paths.model_path={model_path}",
        f"hydra.run.dir={tmp_path / 'run'}",
    ]
{%- else %}
    config = tmp_path / "train.yaml"
    overrides = {"epochs": 1, "num_workers": 1, "persistent_workers": True{% if training == "lightning" %}, "strategy": "ddp", "devices": 2{% endif %}}
    config.write_text(yaml.safe_dump({**yaml.safe_load(CONFIG_PATH.read_text()), **overrides}))
    settings = ["--config", str(config), "--processed-dir", str(processed_dir), "--model-path", str(model_path)]
{%- endif %}
    # Another run in this process may have left its process group's address behind; start afresh.
    env = {name: value for name, value in os.environ.items() if name not in DISTRIBUTED_VARIABLES}
    done = subprocess.run(
        [*launch, "-m", "{{ package_name }}.train", *settings],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )

    assert done.returncode == 0, done.stdout
{%- if training == "pytorch" %}
    for rank in (0, 1):
        assert f"Process {rank} of 2 loads batches" in done.stdout, done.stdout
    assert done.stdout.count("with 1 workers (pin_memory=False, persistent_workers=True)") == 2, done.stdout
{%- else %}
    assert done.stdout.count("with 1 workers (pin_memory=False, persistent_workers=True)") == 2, done.stdout
{%- endif %}
    model, meta = load_checkpoint(model_path)
    assert meta["classes"]
    assert sum(parameter.numel() for parameter in model.parameters()) > 0

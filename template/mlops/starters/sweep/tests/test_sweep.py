"""Tests for the hyperparameter sweep: its settings are ones training reads, and a tiny sweep records every trial."""

{%- if hydra %}

import inspect
import json
import subprocess
import sys
from pathlib import Path

{% if tracking == "wandb" -%}
import yaml
{% endif -%}
from hydra import compose, initialize_config_dir
from omegaconf import DictConfig, OmegaConf

from {{ package_name }}.train import main

CONFIG_DIR = Path("configs").resolve()


def sweep_config() -> DictConfig:
    """configs/sweep.yaml composed the way `--config-name sweep` composes it, Hydra's own settings included."""
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        return compose(config_name="sweep", return_hydra_config=True)


def assert_read_by_training(cfg: DictConfig, names: list[str]) -> None:
    """Each name is a key of the configuration and `main` in train.py passes it on to `train`."""
    assert names
    source = inspect.getsource(main)
    for name in names:
        assert OmegaConf.select(cfg, name) is not None, f"{name} is not a key of the configuration"
        assert f"cfg.{name}" in source, f"train.py does not read {name}"


def test_every_swept_setting_is_one_training_reads() -> None:
    cfg = sweep_config()
    assert_read_by_training(cfg, list(cfg.hydra.sweeper.params))
{%- if tracking == "wandb" %}


def test_the_wandb_sweep_sets_what_training_reads() -> None:
    wandb_sweep = yaml.safe_load((CONFIG_DIR / "wandb_sweep.yaml").read_text())
    assert {"program", "command", "method", "metric", "parameters"} <= set(wandb_sweep)
    assert "${args_no_hyphens}" in wandb_sweep["command"]
    assert_read_by_training(sweep_config(), list(wandb_sweep["parameters"]))
{%- endif %}


def test_a_tiny_sweep_records_every_trial(processed_dir: Path, tmp_path: Path) -> None:
    sweep_dir = tmp_path / "sweep"
    command = [sys.executable, "-m", "{{ package_name }}.train", "--config-name", "sweep", "--multirun"]
    # One quick epoch and one batch size: only the learning rate is swept, so two trials.
    overrides = ["training=quick", "training.batch_size=128", f"paths.processed_dir={processed_dir}"]
    subprocess.run([*command, *overrides, f"hydra.sweep.dir={sweep_dir}"], check=True, timeout=600)

    trials = sorted(sweep_dir.glob("*/metrics.json"))
    assert len(trials) == 2
    learning_rates = set()
    for metrics_path in trials:
        assert json.loads(metrics_path.read_text())["train_loss"] > 0
        assert (metrics_path.parent / "model.pt").is_file()
        learning_rates.add(OmegaConf.load(metrics_path.parent / ".hydra" / "config.yaml").training.lr)
    swept = sweep_config().hydra.sweeper.params["training.lr"]
    assert learning_rates == {float(value) for value in swept.split(",")}
{%- else %}

import inspect
import json
from pathlib import Path

import pytest
import typer

from {{ package_name }}.sweep import SWEEP_PATH, load_space, run_sweep
from {{ package_name }}.train import CONFIG_PATH, app, train


def test_every_swept_setting_is_one_training_reads() -> None:
    space = load_space(SWEEP_PATH)
    options = {option for parameter in typer.main.get_command(app).params for option in parameter.opts}
    assert space
    for name in space:
        assert name in inspect.signature(train).parameters
        # A wandb agent passes each value as `--NAME=VALUE` to the training command.
        assert f"--{name}" in options


def test_a_sweep_over_a_setting_training_does_not_take_is_refused(tmp_path: Path) -> None:
    sweep_config = tmp_path / "sweep.yaml"
    sweep_config.write_text("parameters:\n  learning_rate:\n    values: [0.1, 0.2]\n")
    with pytest.raises(ValueError, match="learning_rate"):
        load_space(sweep_config)


def test_a_tiny_sweep_records_every_trial(processed_dir: Path, tmp_path: Path) -> None:
    output_dir = tmp_path / "sweeps"
    results = run_sweep(SWEEP_PATH, CONFIG_PATH, output_dir, max_trials=2, processed_dir=processed_dir, epochs=1)

    recorded = [json.loads(line) for line in (output_dir / "results.jsonl").read_text().splitlines()]
    assert recorded == results
    assert len(recorded) == 2
    assert len({json.dumps(result["params"], sort_keys=True) for result in recorded}) == 2
    for result in recorded:
        assert result["metrics"]["train_loss"] > 0
        assert (output_dir / f"trial-{result['trial']}" / "model.pt").is_file()
{%- endif %}

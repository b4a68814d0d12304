"""Run a hyperparameter sweep locally: train once per combination of the values in ``configs/sweep.yaml``.

Each trial starts from the training settings in ``configs/train.yaml``, changes the swept ones and
saves its model to ``sweeps/trial-N/model.pt``; its settings and metrics are appended, one JSON
object per line, to ``sweeps/results.jsonl``.{% if tracking == "wandb" %} The same file is a wandb sweep, for runs on wandb's
servers: see the README.{% endif %}
"""

import inspect
import itertools
import json
import logging
import random
from pathlib import Path
from typing import Any

import typer
import yaml

from {{ package_name }} import configure_logging
from {{ package_name }}.train import CONFIG_PATH, load_settings, train

logger = logging.getLogger(__name__)

SWEEP_PATH = Path("configs/sweep.yaml")
OUTPUT_DIR = Path("sweeps")


def load_space(sweep_config: Path = SWEEP_PATH) -> dict[str, list[Any]]:
    """Read the swept parameters and their values from ``sweep_config``, in the file's order."""
    if not sweep_config.is_file():
        raise FileNotFoundError(f"{sweep_config} does not exist: write the sweep's parameters there")
    parameters = (yaml.safe_load(sweep_config.read_text()) or {}).get("parameters")
    if not isinstance(parameters, dict) or not parameters:
        raise ValueError(f"{sweep_config} needs a `parameters:` section naming the settings to sweep")
    known = set(inspect.signature(train).parameters)
    space = {}
    for name, spec in parameters.items():
        if name not in known:
            raise ValueError(f"{sweep_config} sweeps `{name}`, which `train` does not take; use one of {sorted(known)}")
        if isinstance(spec, dict) and "values" in spec:
            space[name] = list(spec["values"])
        elif isinstance(spec, dict) and "value" in spec:
            space[name] = [spec["value"]]
        else:
            raise ValueError(f"{sweep_config}: give `{name}` a list of `values` (the local sweep tries each of them)")
    return space


def trials(space: dict[str, list[Any]], max_trials: int | None = None, seed: int = 0) -> list[dict[str, Any]]:
    """Every combination of the values in ``space``; with ``max_trials``, that many of them picked at random."""
    combinations = [dict(zip(space, values, strict=True)) for values in itertools.product(*space.values())]
    if max_trials is not None and max_trials < len(combinations):
        combinations = random.Random(seed).sample(combinations, max_trials)
    return combinations


def run_sweep(
    sweep_config: Path = SWEEP_PATH,
    config: Path = CONFIG_PATH,
    output_dir: Path = OUTPUT_DIR,
    max_trials: int | None = None,
    **fixed: Any,
) -> list[dict[str, Any]]:
    """Train once per trial and return the recorded results.

    ``fixed`` settings (not None) apply to every trial; a swept setting given there is no longer swept.
    """
    fixed = {name: value for name, value in fixed.items() if value is not None}
    space = {name: values for name, values in load_space(sweep_config).items() if name not in fixed}
    output_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for number, params in enumerate(trials(space, max_trials)):
        settings = load_settings(config, **fixed, **params)
        settings["model_path"] = output_dir / f"trial-{number}" / "model.pt"
        logger.info("Trial %d: %s", number, params)
        metrics = train(**settings)
        result = {"trial": number, "params": params, "metrics": metrics}
        with (output_dir / "results.jsonl").open("a", encoding="utf-8") as file:
            file.write(json.dumps(result) + "\n")
        results.append(result)
    return results


def main(
    sweep_config: Path = SWEEP_PATH,
    config: Path = CONFIG_PATH,
    output_dir: Path = OUTPUT_DIR,
    max_trials: int | None = typer.Option(None, "--trials", help="Try only this many combinations, picked at random."),
    processed_dir: Path | None = None,
    epochs: int | None = typer.Option(None, help="Train every trial for this many epochs (stops sweeping epochs)."),
) -> None:
    """Run the sweep in SWEEP_CONFIG on top of the training settings in CONFIG."""
    configure_logging()
    try:
        results = run_sweep(sweep_config, config, output_dir, max_trials, processed_dir=processed_dir, epochs=epochs)
    except (OSError, ValueError, yaml.YAMLError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=2) from error
    best = min(results, key=lambda result: result["metrics"].get("train_loss", float("inf")))
    logger.info("Best of %d trials: %s (%s)", len(results), best["params"], best["metrics"])


if __name__ == "__main__":
    typer.run(main)

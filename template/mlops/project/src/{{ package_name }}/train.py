{#- The image kind without a framework names its two model settings (channels, dropout) as
    parameters of `train`. Every other kind and framework passes the model's settings as one
    mapping, `model_options`, to `build_model` in model.py, so this file need not know them. -#}
{%- set classic = data_kind == "image" and framework == "none" -%}
{%- if data_kind == "text" %}{% set examples = "texts" %}{% elif data_kind == "tabular" %}{% set examples = "rows" %}{% elif data_kind == "graph" %}{% set examples = "graphs" %}{% else %}{% set examples = "images" %}{% endif -%}
{%- if data_kind == "graph" %}{% set batch_type = "tuple[Batch, torch.Tensor]" %}{% else %}{% set batch_type = "tuple[torch.Tensor, torch.Tensor]" %}{% endif -%}
"""Train the classifier on the preprocessed data and save it to ``models/``."""
{% if not hydra %}
import inspect
{%- endif %}
{%- if hydra and sweep %}
import json
{%- endif %}
import logging
{%- if tracking == "wandb" %}
import os
{%- endif %}
from pathlib import Path
{%- if not hydra or not classic %}
from typing import Any
{%- endif %}
{% if hydra %}
import hydra
{%- endif %}
import torch
{%- if not hydra %}
import typer
{%- endif %}
{%- if tracking == "wandb" and training == "pytorch" %}
import wandb
{%- endif %}
{%- if not hydra %}
import yaml
{%- endif %}
{%- if hydra and sweep %}
from hydra.core.hydra_config import HydraConfig
{%- endif %}
{%- if training == "lightning" %}
from lightning import LightningModule, Trainer
{%- if tracking == "wandb" %}
from lightning.pytorch.loggers import WandbLogger
{%- endif %}
{%- endif %}
{%- if hydra %}
from omegaconf import DictConfig{% if not classic %}, OmegaConf{% endif %}
{%- endif %}
from torch import nn
{%- if data_kind == "graph" %}
from torch_geometric.data import Batch
{%- if not distributed %}
from torch_geometric.loader import DataLoader
{%- endif %}
{%- elif not distributed %}
from torch.utils.data import DataLoader
{%- endif %}
{% if not hydra %}
from {{ package_name }} import configure_logging
{%- endif %}
from {{ package_name }}.data import PROCESSED_DIR, load_meta, load_split
{%- if distributed %}
from {{ package_name }}.distributed import {% if training == "pytorch" %}finish, {% endif %}make_loader{% if training == "pytorch" %}, set_epoch, start, wrap{% endif %}
{%- endif %}
{%- if classic %}
from {{ package_name }}.model import Classifier, save_checkpoint
{%- elif training == "lightning" %}
from {{ package_name }}.model import Classifier, build_model, save_checkpoint
{%- else %}
from {{ package_name }}.model import build_model, save_checkpoint
{%- endif %}

logger = logging.getLogger(__name__)

MODEL_PATH = Path("models/model.pt")
{%- if not hydra %}
CONFIG_PATH = Path("configs/train.yaml")
{%- endif %}
{%- if tracking == "wandb" %}
WANDB_PROJECT = "{{ project_name }}"
# wandb writes each run into a `wandb/` folder below this one. Keeping it out of the project's top
# folder keeps it from looking like a Python package called `wandb` there.
RUNS_DIR = Path("logs")
{%- endif %}
{%- if not hydra %}

app = typer.Typer(help="Train the model.")
{%- endif %}
{%- if training == "lightning" %}


class LitClassifier(LightningModule):
    """Wraps ``Classifier`` with the loss, metrics and optimizer that Lightning's Trainer needs."""

    def __init__(self, model: Classifier, lr: float = 1e-3) -> None:
        super().__init__()
        self.model = model
        self.lr = lr
        self.loss_fn = nn.CrossEntropyLoss()

    def forward(self, {{ examples }}: {% if data_kind == "graph" %}Batch{% else %}torch.Tensor{% endif %}) -> torch.Tensor:
        """Score a batch of {{ examples }}."""
        return self.model({{ examples }})

    def compute_loss(self, batch: {{ batch_type }}) -> tuple[torch.Tensor, torch.Tensor]:
        """Return the loss and accuracy of one batch."""
        {{ examples }}, labels = batch
        logits = self.model({{ examples }})
        accuracy = (logits.argmax(dim=1) == labels).float().mean()
        return self.loss_fn(logits, labels), accuracy

    def training_step(self, batch: {{ batch_type }}, batch_idx: int) -> torch.Tensor:
        """Lightning hook: loss of one training batch."""
        loss, accuracy = self.compute_loss(batch)
        self.log("train_loss", loss, on_epoch=True, on_step=False{% if data_kind == "graph" %}, batch_size=len(batch[1]){% endif %})
        self.log("train_accuracy", accuracy, on_epoch=True, on_step=False{% if data_kind == "graph" %}, batch_size=len(batch[1]){% endif %})
        return loss

    def configure_optimizers(self) -> torch.optim.Optimizer:
        """Lightning hook: the optimizer."""
        return torch.optim.Adam(self.parameters(), lr=self.lr)
{%- else %}


def train_step(
    model: nn.Module,
    batch: {{ batch_type }},
    optimizer: torch.optim.Optimizer,
    loss_fn: nn.Module,
) -> float:
    """Run one optimization step on one batch and return the batch's loss before the step."""
    {{ examples }}, labels = batch
    model.train()
    optimizer.zero_grad()
    loss = loss_fn(model({{ examples }}), labels)
    loss.backward()
    optimizer.step()
    return loss.item()
{%- endif %}


def train(
    processed_dir: Path = PROCESSED_DIR,
    model_path: Path = MODEL_PATH,
    epochs: int = 3,
    batch_size: int = 64,
    lr: float = 1e-3,
{%- if classic %}
    channels: tuple[int, int] = (16, 32),
    dropout: float = 0.2,
{%- else %}
    model_options: dict[str, Any] | None = None,
{%- endif %}
    seed: int = 0,
{%- if distributed %}
    num_workers: int = 0,
    pin_memory: bool = False,
    persistent_workers: bool = False,
{%- if training == "lightning" %}
    strategy: str = "auto",
    devices: int = 1,
{%- endif %}
{%- endif %}
) -> dict[str, float]:
{%- if classic %}
    """Train on the ``train`` split, save the checkpoint to ``model_path`` and return the last epoch's metrics."""
{%- else %}
    """Train on the ``train`` split, save the checkpoint to ``model_path`` and return the last epoch's metrics.

    ``model_options`` are keyword arguments of ``build_model`` in model.py: the model's size, dropout and so on.
    """
{%- endif %}
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    torch.manual_seed(seed)
    meta = load_meta(processed_dir)
    dataset = load_split("train", processed_dir)
{%- if distributed %}
{%- if training == "pytorch" %}
    start()
{%- endif %}
    loader = make_loader(dataset, batch_size, num_workers, pin_memory, persistent_workers)
{%- else %}
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=True)
{%- endif %}
{%- if classic %}
    model = Classifier(len(meta["classes"]), meta["image_size"], channels, dropout)
    config = {"epochs": epochs, "batch_size": batch_size, "lr": lr, "channels": list(channels), "dropout": dropout}
{%- else %}
    model_options = dict(model_options or {})
    model = build_model(meta, **model_options)
    config = {"epochs": epochs, "batch_size": batch_size, "lr": lr, "model_options": model_options}
{%- endif %}
    logger.info("Training on %d {{ examples }} with %s", len(dataset), config)
{%- if training == "pytorch" %}
{%- if tracking == "wandb" %}
    run = wandb.init(project=WANDB_PROJECT, config=config, dir=RUNS_DIR, mode=os.environ.get("WANDB_MODE", "offline"))
{%- endif %}
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
{%- if distributed %}
    stepped = wrap(model)
{%- endif %}
    metrics: dict[str, float] = {}
    for epoch in range(1, epochs + 1):
{%- if distributed %}
        set_epoch(loader, epoch)
{%- endif %}
        losses = [train_step({% if distributed %}stepped{% else %}model{% endif %}, batch, optimizer, loss_fn) for batch in loader]
        metrics = {"epoch": epoch, "train_loss": sum(losses) / len(losses)}
        logger.info("Epoch %d/%d: mean training loss %.4f", epoch, epochs, metrics["train_loss"])
{%- if tracking == "wandb" %}
        run.log(metrics)
    run.finish()
{%- endif %}
{%- if distributed %}
    if not finish():
        return metrics
{%- endif %}
{%- else %}
{%- if tracking == "wandb" %}
    run_logger = WandbLogger(
        project=WANDB_PROJECT, config=config, save_dir=RUNS_DIR, mode=os.environ.get("WANDB_MODE", "offline")
    )
{%- endif %}
    trainer = Trainer(
        max_epochs=epochs,
        accelerator="cpu",
{%- if distributed %}
        strategy=strategy,
        devices=devices,
{%- endif %}
        logger={% if tracking == "wandb" %}run_logger{% else %}False{% endif %},
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        log_every_n_steps=10,
    )
    trainer.fit(LitClassifier(model, lr=lr), loader)
    metrics = {name: float(value) for name, value in trainer.callback_metrics.items()}
    logger.info("Finished %d epochs: %s", epochs, metrics)
{%- if distributed %}
    if not trainer.is_global_zero:
        return metrics
{%- endif %}
{%- if tracking == "wandb" %}
    run_logger.experiment.finish()
{%- endif %}
{%- endif %}
    save_checkpoint(model, model_path, meta)
    logger.info("Saved the model to %s", model_path)
    return metrics
{% if hydra %}

@hydra.main(version_base="1.3", config_path="../../configs", config_name="config")
def main(cfg: DictConfig) -> None:
    """Train with the composed configuration; override any value on the command line, e.g. training.epochs=5."""
    {% if sweep %}metrics = {% endif %}train(
        processed_dir=Path(cfg.paths.processed_dir),
        model_path=Path(cfg.paths.model_path),
        epochs=cfg.training.epochs,
        batch_size=cfg.training.batch_size,
        lr=cfg.training.lr,
{%- if classic %}
        channels=tuple(cfg.model.channels),
        dropout=cfg.model.dropout,
{%- else %}
        model_options=OmegaConf.to_container(cfg.model, resolve=True),
{%- endif %}
        seed=cfg.training.seed,
{%- if distributed %}
        num_workers=cfg.training.num_workers,
        pin_memory=cfg.training.pin_memory,
        persistent_workers=cfg.training.persistent_workers,
{%- if training == "lightning" %}
        strategy=cfg.training.strategy,
        devices=cfg.training.devices,
{%- endif %}
{%- endif %}
    )
{%- if sweep %}
    if HydraConfig.initialized():
        # Hydra gives every run, and every trial of a sweep, its own folder: the metrics go there too.
        output_dir = Path(HydraConfig.get().runtime.output_dir)
        (output_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n")
{%- endif %}


if __name__ == "__main__":
    main()
{%- else %}

def load_settings(config: Path, **overrides: Any) -> dict[str, Any]:
    """Read the training settings from the YAML file ``config``, then apply the ``overrides`` that are not None.

    The file may set any parameter of ``train``; anything it leaves out keeps ``train``'s default.
    """
    if not config.is_file():
        raise FileNotFoundError(f"{config} does not exist: pass --config with a YAML file of training settings")
    settings = yaml.safe_load(config.read_text()) or {}
    if not isinstance(settings, dict):
        raise ValueError(f"{config} must hold settings as `name: value` lines")
    known = list(inspect.signature(train).parameters)
    unknown = sorted(set(settings) - set(known))
    if unknown:
        raise ValueError(f"{config} has unknown settings {unknown}; use some of {known}")
    settings.update({name: value for name, value in overrides.items() if value is not None})
    for name in ("processed_dir", "model_path"):
        if name in settings:
            settings[name] = Path(settings[name])
{%- if classic %}
    if "channels" in settings:
        settings["channels"] = tuple(settings["channels"])
{%- else %}
    if not isinstance(settings.get("model_options") or {}, dict):
        raise ValueError(f"{config}: model_options must hold the model's settings as `name: value` lines")
{%- endif %}
    return settings


@app.command()
def main(
    config: Path = CONFIG_PATH,
    processed_dir: Path | None = None,
    model_path: Path | None = None,
    epochs: int | None = None,
    batch_size: int | None = None,
    lr: float | None = None,
    seed: int | None = None,
) -> None:
    """Train with the settings in CONFIG and save the model; each option given here overrides the file."""
    configure_logging()
    try:
        settings = load_settings(
            config,
            processed_dir=processed_dir,
            model_path=model_path,
            epochs=epochs,
            batch_size=batch_size,
            lr=lr,
            seed=seed,
        )
    except (OSError, ValueError, yaml.YAMLError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=2) from error
    train(**settings)


if __name__ == "__main__":
    app()
{%- endif %}

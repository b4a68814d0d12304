{%- set classic = data_kind == "image" and framework == "none" -%}
"""Tests for training."""

from pathlib import Path

import pytest
import torch
{%- if not hydra %}
import yaml
{%- endif %}
{%- if not classic and hydra %}
from omegaconf import OmegaConf
{%- endif %}
{%- if training == "pytorch" %}
from torch import nn
{%- endif %}
{%- if not classic %}
{%- if data_kind == "graph" %}
from torch_geometric.loader import DataLoader
{%- else %}
from torch.utils.data import DataLoader
{%- endif %}
{%- endif %}
{%- if not hydra %}
from typer.testing import CliRunner
{%- endif %}
{% if classic %}
from {{ package_name }}.data import load_split
from {{ package_name }}.model import Classifier, load_checkpoint
{%- else %}
from {{ package_name }}.data import load_meta, load_split
from {{ package_name }}.model import build_model, load_checkpoint
{%- endif %}
from {{ package_name }}.train import {% if training == "lightning" %}LitClassifier, {% endif %}{% if not hydra %}app, load_settings, {% endif %}train{% if training == "pytorch" %}, train_step{% endif %}
{%- if not classic %}


def first_batch(processed_dir: Path, split: str = "train", size: int = 16) -> list:
    """The first ``size`` examples of a split, batched the way training batches them."""
    return next(iter(DataLoader(load_split(split, processed_dir), batch_size=size)))


def parameter_count(model: torch.nn.Module) -> int:
    return sum(parameter.numel() for parameter in model.parameters())
{%- endif %}


def test_one_training_step_lowers_the_loss(processed_dir: Path) -> None:
    torch.manual_seed(0)
{%- if classic %}
    images, labels = load_split("train", processed_dir)[:16]
    model = Classifier(num_classes=4, dropout=0.0)
{%- else %}
    batch = first_batch(processed_dir)
    model = build_model(load_meta(processed_dir), dropout=0.0)
{%- endif %}
{%- if training == "pytorch" %}
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
{%- if classic %}
    before = train_step(model, (images, labels), optimizer, loss_fn)
    with torch.no_grad():
        after = loss_fn(model(images), labels).item()
{%- else %}
    before = train_step(model, batch, optimizer, loss_fn)
    inputs, labels = batch
    with torch.no_grad():
        after = loss_fn(model(inputs), labels).item()
{%- endif %}
{%- else %}
    module = LitClassifier(model, lr=1e-3)
    optimizer = module.configure_optimizers()
{%- if classic %}
    loss, _ = module.compute_loss((images, labels))
{%- else %}
    loss, _ = module.compute_loss(batch)
{%- endif %}
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    before = loss.item()
    with torch.no_grad():
{%- if classic %}
        after = module.compute_loss((images, labels))[0].item()
{%- else %}
        after = module.compute_loss(batch)[0].item()
{%- endif %}
{%- endif %}
    assert after < before


def test_train_saves_a_usable_checkpoint(processed_dir: Path, tmp_path: Path) -> None:
    model_path = tmp_path / "model.pt"
    metrics = train(processed_dir, model_path, epochs=1, batch_size=16)
    assert metrics["train_loss"] > 0
    model, checkpoint = load_checkpoint(model_path)
{%- if classic %}
    assert checkpoint["classes"] == ["circle", "cross", "square", "triangle"]
    assert model(torch.zeros(2, 1, 28, 28)).shape == (2, 4)
{%- else %}
    classes = load_meta(processed_dir)["classes"]
    assert checkpoint["classes"] == classes
    inputs, _ = first_batch(processed_dir, "test", size=2)
    assert model(inputs).shape == (2, len(classes))
{%- endif %}


def test_train_rejects_zero_epochs(processed_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        train(processed_dir, tmp_path / "model.pt", epochs=0)
{%- if hydra %}


def test_hydra_config_composes_with_overrides({% if not classic %}processed_dir: Path{% endif %}) -> None:
    from hydra import compose, initialize_config_dir

    config_dir = Path(__file__).resolve().parents[1] / "configs"
    with initialize_config_dir(config_dir=str(config_dir), version_base="1.3"):
        cfg = compose(config_name="config", overrides=["training.epochs=1", "model=wide"])
{%- if not classic %}
        default = compose(config_name="config")
{%- endif %}
    assert cfg.training.epochs == 1
{%- if classic %}
    assert list(cfg.model.channels) == [32, 64]
{%- else %}
    # Both model groups must be settings the model accepts, and `wide` a larger model.
    meta = load_meta(processed_dir)
    wide = build_model(meta, **OmegaConf.to_container(cfg.model))
    assert parameter_count(wide) > parameter_count(build_model(meta, **OmegaConf.to_container(default.model)))
{%- endif %}
{%- else %}


def test_settings_come_from_the_file_and_options_override_them(tmp_path: Path) -> None:
    config = tmp_path / "train.yaml"
{%- if classic %}
    config.write_text("epochs: 4\nlr: 0.01\nchannels: [8, 16]\nmodel_path: elsewhere/model.pt\n")
    settings = load_settings(config, epochs=1, lr=None)
    assert settings == {"epochs": 1, "lr": 0.01, "channels": (8, 16), "model_path": Path("elsewhere/model.pt")}
{%- else %}
    config.write_text("epochs: 4\nlr: 0.01\nmodel_options:\n  dropout: 0.5\nmodel_path: elsewhere/model.pt\n")
    settings = load_settings(config, epochs=1, lr=None)
    assert settings == {
        "epochs": 1,
        "lr": 0.01,
        "model_options": {"dropout": 0.5},
        "model_path": Path("elsewhere/model.pt"),
    }
{%- endif %}


def test_training_uses_the_settings_file(processed_dir: Path, tmp_path: Path) -> None:
    model_path = tmp_path / "from-config" / "model.pt"
    config = tmp_path / "train.yaml"
{%- if classic %}
    settings = {"processed_dir": str(processed_dir), "model_path": str(model_path), "epochs": 1, "channels": [4, 8]}
{%- else %}
    settings = {
        "processed_dir": str(processed_dir),
        "model_path": str(model_path),
        "epochs": 1,
        "model_options": {"dropout": 0.3},
    }
{%- endif %}
    config.write_text(yaml.safe_dump(settings))
    result = CliRunner().invoke(app, ["--config", str(config), "--batch-size", "16"])
    assert result.exit_code == 0, result.output
    _, checkpoint = load_checkpoint(model_path)
{%- if classic %}
    assert checkpoint["hparams"]["channels"] == [4, 8]
{%- else %}
    assert checkpoint["hparams"]["dropout"] == 0.3
{%- endif %}


def test_the_shipped_settings_file_is_valid({% if not classic %}processed_dir: Path{% endif %}) -> None:
    settings = load_settings(Path(__file__).resolve().parents[1] / "configs" / "train.yaml")
    assert settings["model_path"] == Path("models/model.pt")
    assert settings["epochs"] >= 1
{%- if not classic %}
    build_model(load_meta(processed_dir), **settings["model_options"])
{%- endif %}


def test_an_unknown_setting_is_named(tmp_path: Path) -> None:
    config = tmp_path / "train.yaml"
    config.write_text("epoch: 3\n")
    with pytest.raises(ValueError, match=r"unknown settings \['epoch'\]"):
        load_settings(config)
{%- if not classic %}


def test_model_options_must_be_a_mapping(tmp_path: Path) -> None:
    config = tmp_path / "train.yaml"
    config.write_text("model_options: [64, 0.2]\n")
    with pytest.raises(ValueError, match="model_options must hold"):
        load_settings(config)
{%- endif %}


def test_a_missing_settings_file_is_an_error_naming_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["--config", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2
    assert "missing.yaml does not exist" in result.output
{%- endif %}

"""Tests for training."""

from pathlib import Path

import pytest
import torch
{%- if training == "pytorch" %}
from torch import nn
{%- endif %}

from {{ package_name }}.data import load_split
from {{ package_name }}.model import Classifier, load_checkpoint
from {{ package_name }}.train import {% if training == "lightning" %}LitClassifier, train{% else %}train, train_step{% endif %}


def test_one_training_step_lowers_the_loss(processed_dir: Path) -> None:
    torch.manual_seed(0)
    images, labels = load_split("train", processed_dir)[:16]
    model = Classifier(num_classes=4, dropout=0.0)
{%- if training == "pytorch" %}
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    before = train_step(model, (images, labels), optimizer, loss_fn)
    with torch.no_grad():
        after = loss_fn(model(images), labels).item()
{%- else %}
    module = LitClassifier(model, lr=1e-3)
    optimizer = module.configure_optimizers()
    loss, _ = module.compute_loss((images, labels))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    before = loss.item()
    with torch.no_grad():
        after = module.compute_loss((images, labels))[0].item()
{%- endif %}
    assert after < before


def test_train_saves_a_usable_checkpoint(processed_dir: Path, tmp_path: Path) -> None:
    model_path = tmp_path / "model.pt"
    metrics = train(processed_dir, model_path, epochs=1, batch_size=16)
    assert metrics["train_loss"] > 0
    model, checkpoint = load_checkpoint(model_path)
    assert checkpoint["classes"] == ["circle", "cross", "square", "triangle"]
    assert model(torch.zeros(2, 1, 28, 28)).shape == (2, 4)


def test_train_rejects_zero_epochs(processed_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        train(processed_dir, tmp_path / "model.pt", epochs=0)
{%- if hydra %}


def test_hydra_config_composes_with_overrides() -> None:
    from hydra import compose, initialize_config_dir

    config_dir = Path(__file__).resolve().parents[1] / "configs"
    with initialize_config_dir(config_dir=str(config_dir), version_base="1.3"):
        cfg = compose(config_name="config", overrides=["training.epochs=1", "model=wide"])
    assert cfg.training.epochs == 1
    assert list(cfg.model.channels) == [32, 64]
{%- endif %}

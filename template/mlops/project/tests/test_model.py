"""Tests for the model and its checkpoints."""

from pathlib import Path

import pytest
import torch
{%- if framework == "timm" %}
from timm.models.resnet import ResNet
{%- endif %}

from {{ package_name }}.model import Classifier, load_checkpoint


def test_output_has_one_score_per_class() -> None:
    model = Classifier(num_classes=4)
    assert model(torch.randn(8, 1, 28, 28)).shape == (8, 4)


@pytest.mark.parametrize("shape", [(8, 3, 28, 28), (8, 1, 32, 32), (1, 28, 28)])
def test_wrong_input_shape_is_rejected(shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="expected a batch of shape"):
        Classifier(num_classes=4)(torch.randn(*shape))


def test_needs_two_classes() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        Classifier(num_classes=1)
{%- if framework == "timm" %}


def test_the_network_is_a_timm_model_with_fresh_weights() -> None:
    model = Classifier(num_classes=4)
    assert isinstance(model.network, ResNet)
    assert model.network.pretrained_cfg["architecture"] == "resnet10t"
    assert model.network.get_classifier().out_features == 4


def test_an_unknown_architecture_is_named() -> None:
    with pytest.raises(ValueError, match="no architecture 'resnet-9000'"):
        Classifier(num_classes=4, architecture="resnet-9000")
{%- endif %}


def test_checkpoint_round_trip_keeps_predictions(checkpoint_path: Path) -> None:
    first, checkpoint = load_checkpoint(checkpoint_path)
    second, _ = load_checkpoint(checkpoint_path)
    images = torch.randn(4, 1, 28, 28)
    assert torch.equal(first(images), second(images))
    assert len(checkpoint["classes"]) == 4


def test_missing_checkpoint_says_how_to_train(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="invoke train"):
        load_checkpoint(tmp_path / "missing.pt")

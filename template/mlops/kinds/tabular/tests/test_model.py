"""Tests for the model and its checkpoints."""

from pathlib import Path

import pytest
import torch
{%- if framework == "torch_frame" %}
from torch_frame.nn import ResNet
{%- endif %}

from {{ package_name }}.model import Classifier, load_checkpoint

NUMBERS = ["temperature", "pressure"]
CATEGORIES = {"site": 3}


def rows(count: int) -> torch.Tensor:
    """Encoded rows as data.encode_rows makes them: scaled numbers, then category indices."""
    return torch.cat([torch.randn(count, len(NUMBERS)), torch.randint(0, 3, (count, 1)).float()], dim=1)


def test_output_has_one_score_per_class() -> None:
    model = Classifier(num_classes=4, numbers=NUMBERS, categories=CATEGORIES)
    assert model(rows(8)).shape == (8, 4)


def test_numbers_alone_or_categories_alone_are_enough() -> None:
    assert Classifier(2, NUMBERS, {})(torch.randn(5, 2)).shape == (5, 2)
    assert Classifier(2, [], CATEGORIES)(torch.tensor([[0.0], [2.0]])).shape == (2, 2)


def test_the_category_changes_the_scores() -> None:
    torch.manual_seed(0)
    model = Classifier(num_classes=2, numbers=NUMBERS, categories=CATEGORIES).eval()
    first, second = rows(1), rows(1)
    second[:, :2] = first[:, :2]
    first[0, 2], second[0, 2] = 0.0, 2.0
    assert not torch.allclose(model(first), model(second))


@pytest.mark.parametrize("shape", [(8, 2), (8, 4), (3,)])
def test_wrong_input_shape_is_rejected(shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="expected a batch of shape"):
        Classifier(num_classes=4, numbers=NUMBERS, categories=CATEGORIES)(torch.zeros(*shape))


def test_needs_two_classes_and_a_feature() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        Classifier(num_classes=1, numbers=NUMBERS, categories=CATEGORIES)
    with pytest.raises(ValueError, match="at least one feature"):
        Classifier(num_classes=2, numbers=[], categories={})
{%- if framework == "torch_frame" %}


def test_the_network_is_pytorch_frames_resnet() -> None:
    model = Classifier(num_classes=4, numbers=NUMBERS, categories=CATEGORIES, channels=16, layers=1)
    assert isinstance(model.network, ResNet)
    assert len(model.network.backbone) == 1
{%- endif %}


def test_checkpoint_round_trip_keeps_predictions(checkpoint_path: Path) -> None:
    first, checkpoint = load_checkpoint(checkpoint_path)
    second, _ = load_checkpoint(checkpoint_path)
    width = len(first.numbers) + len(first.categories)
    batch = torch.zeros(4, width)
    assert torch.equal(first(batch), second(batch))
    assert len(checkpoint["classes"]) == 4
    assert checkpoint["features"]["categories"][0]["name"] == "site"


def test_missing_checkpoint_says_how_to_train(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="invoke train"):
        load_checkpoint(tmp_path / "missing.pt")

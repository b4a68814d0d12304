"""Tests for evaluation and the feature plot."""

from pathlib import Path

import torch
from PIL import Image

from {{ package_name }}.evaluate import evaluate
from {{ package_name }}.visualize import plot_predictions, separation


def test_evaluate_reports_an_accuracy(checkpoint_path: Path, processed_dir: Path) -> None:
    accuracy = evaluate(checkpoint_path, processed_dir)
    assert 0.0 <= accuracy <= 1.0


def test_separation_ranks_the_column_that_splits_the_classes_first() -> None:
    labels = torch.tensor([0, 0, 1, 1])
    values = torch.tensor([[0.0, 5.0], [0.1, 1.0], [1.0, 4.0], [1.1, 2.0]])
    assert separation(values, labels).argmax() == 0


def test_plot_predictions_writes_a_png(checkpoint_path: Path, processed_dir: Path, tmp_path: Path) -> None:
    output = plot_predictions(checkpoint_path, processed_dir, tmp_path / "figures" / "predictions.png")
    with Image.open(output) as image:
        assert image.format == "PNG"
        assert image.width > 100

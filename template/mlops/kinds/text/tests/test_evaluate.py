"""Tests for evaluation and the confusion matrix."""

from pathlib import Path

import torch
from PIL import Image

from {{ package_name }}.evaluate import evaluate
from {{ package_name }}.visualize import confusion_matrix, plot_predictions


def test_evaluate_reports_an_accuracy(checkpoint_path: Path, processed_dir: Path) -> None:
    accuracy = evaluate(checkpoint_path, processed_dir)
    assert 0.0 <= accuracy <= 1.0


def test_confusion_matrix_counts_each_true_and_predicted_pair() -> None:
    counts = confusion_matrix(torch.tensor([0, 1, 1, 2]), torch.tensor([0, 1, 2, 2]), num_classes=3)
    assert counts.tolist() == [[1, 0, 0], [0, 1, 0], [0, 1, 1]]


def test_plot_predictions_writes_a_png(checkpoint_path: Path, processed_dir: Path, tmp_path: Path) -> None:
    output = plot_predictions(checkpoint_path, processed_dir, tmp_path / "figures" / "predictions.png")
    with Image.open(output) as image:
        assert image.format == "PNG"
        assert image.width > 100

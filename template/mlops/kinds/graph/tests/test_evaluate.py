"""Tests for evaluation and the prediction figure."""

from pathlib import Path

from PIL import Image

from {{ package_name }}.evaluate import evaluate
from {{ package_name }}.visualize import plot_predictions


def test_evaluate_reports_an_accuracy(checkpoint_path: Path, processed_dir: Path) -> None:
    accuracy = evaluate(checkpoint_path, processed_dir)
    assert 0.0 <= accuracy <= 1.0


def test_plot_predictions_writes_a_png(checkpoint_path: Path, processed_dir: Path, tmp_path: Path) -> None:
    output = plot_predictions(checkpoint_path, processed_dir, tmp_path / "figures" / "predictions.png", count=4)
    with Image.open(output) as image:
        assert image.format == "PNG"
        assert image.width > 100

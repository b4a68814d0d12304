{%- if data_kind == "text" %}{% set examples = "texts" %}{% elif data_kind == "tabular" %}{% set examples = "rows" %}{% elif data_kind == "graph" %}{% set examples = "graphs" %}{% else %}{% set examples = "images" %}{% endif -%}
"""Measure a trained model's accuracy on the test split."""

import logging
from pathlib import Path

import torch
import typer
{%- if data_kind == "graph" %}
from torch_geometric.loader import DataLoader
{%- else %}
from torch.utils.data import DataLoader
{%- endif %}

from {{ package_name }} import configure_logging
from {{ package_name }}.data import PROCESSED_DIR, load_meta, load_split
from {{ package_name }}.model import load_checkpoint

logger = logging.getLogger(__name__)

MODEL_PATH = Path("models/model.pt")

app = typer.Typer(help="Evaluate a trained model.")


def evaluate(model_path: Path = MODEL_PATH, processed_dir: Path = PROCESSED_DIR, batch_size: int = 256) -> float:
    """Return the fraction of test {{ examples }} the model at ``model_path`` classifies correctly."""
    model, checkpoint = load_checkpoint(model_path)
    classes = load_meta(processed_dir)["classes"]
    if classes != checkpoint["classes"]:
        raise ValueError(
            f"{model_path} was trained on classes {checkpoint['classes']} but {processed_dir} holds {classes}: "
            "retrain the model or preprocess the matching data"
        )
    dataset = load_split("test", processed_dir)
    correct = 0
    with torch.inference_mode():
        for {{ examples }}, labels in DataLoader(dataset, batch_size=batch_size):
            correct += int((model({{ examples }}).argmax(dim=1) == labels).sum())
    accuracy = correct / len(dataset)
    logger.info("Test accuracy of %s: %.3f (%d of %d {{ examples }})", model_path, accuracy, correct, len(dataset))
    return accuracy


@app.command()
def main(model_path: Path = MODEL_PATH, processed_dir: Path = PROCESSED_DIR) -> None:
    """Print the test accuracy of the model at MODEL_PATH."""
    configure_logging()
    evaluate(model_path, processed_dir)


if __name__ == "__main__":
    app()

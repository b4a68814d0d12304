"""Draw the confusion matrix of the test texts into ``reports/figures/``: which labels the model mixes up."""

import logging
from pathlib import Path

import torch
import typer
from matplotlib.figure import Figure
from torch.utils.data import DataLoader

from {{ package_name }} import configure_logging
from {{ package_name }}.data import PROCESSED_DIR, load_split
from {{ package_name }}.model import load_checkpoint

logger = logging.getLogger(__name__)

MODEL_PATH = Path("models/model.pt")
FIGURE_PATH = Path("reports/figures/predictions.png")

app = typer.Typer(help="Plot the model's predictions.")


def confusion_matrix(predictions: torch.Tensor, labels: torch.Tensor, num_classes: int) -> torch.Tensor:
    """Count, for every true class (row), how often each class (column) was predicted."""
    counts = torch.zeros(num_classes, num_classes, dtype=torch.long)
    counts.index_put_((labels, predictions), torch.ones_like(labels), accumulate=True)
    return counts


def plot_predictions(
    model_path: Path = MODEL_PATH,
    processed_dir: Path = PROCESSED_DIR,
    output: Path = FIGURE_PATH,
) -> Path:
    """Save the test split's confusion matrix, each cell labelled with its count; return the file."""
    model, checkpoint = load_checkpoint(model_path)
    classes = checkpoint["classes"]
    predictions, labels = [], []
    with torch.inference_mode():
        for tokens, batch_labels in DataLoader(load_split("test", processed_dir), batch_size=256):
            predictions.append(model(tokens).argmax(dim=1))
            labels.append(batch_labels)
    counts = confusion_matrix(torch.cat(predictions), torch.cat(labels), len(classes))
    accuracy = float(counts.diagonal().sum()) / max(int(counts.sum()), 1)
    figure = Figure(figsize=(1.2 * len(classes) + 3, 1.2 * len(classes) + 2))
    axes = figure.add_subplot()
    axes.imshow(counts.numpy(), cmap="Blues")
    for row in range(len(classes)):
        for column in range(len(classes)):
            count = int(counts[row, column])
            color = "white" if count > int(counts.max()) / 2 else "black"
            axes.text(column, row, str(count), ha="center", va="center", color=color)
    axes.set_xticks(range(len(classes)), classes, rotation=45, ha="right")
    axes.set_yticks(range(len(classes)), classes)
    axes.set_xlabel("predicted label")
    axes.set_ylabel("true label")
    axes.set_title(f"Test texts: accuracy {accuracy:.2f}")
    figure.tight_layout()
    output.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(output)
    logger.info("Saved the confusion matrix to %s", output)
    return output


@app.command()
def main(model_path: Path = MODEL_PATH, processed_dir: Path = PROCESSED_DIR, output: Path = FIGURE_PATH) -> None:
    """Write the confusion matrix to OUTPUT."""
    configure_logging()
    plot_predictions(model_path, processed_dir, output)


if __name__ == "__main__":
    app()

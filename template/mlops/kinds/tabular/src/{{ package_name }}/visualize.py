"""Plot the test rows over the two features that tell the classes apart best, coloured by prediction."""

import logging
from pathlib import Path

import torch
import typer
from matplotlib.figure import Figure

from {{ package_name }} import configure_logging
from {{ package_name }}.data import PROCESSED_DIR, load_split
from {{ package_name }}.model import load_checkpoint

logger = logging.getLogger(__name__)

MODEL_PATH = Path("models/model.pt")
FIGURE_PATH = Path("reports/figures/predictions.png")

app = typer.Typer(help="Plot the model's predictions.")


def separation(values: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """For each column, how far apart the classes' means are compared with the spread inside each class.

    This is the F statistic of a one-way analysis of variance: large when a column alone separates
    the classes well.
    """
    overall = values.mean(dim=0)
    between = torch.zeros(values.shape[1])
    within = torch.zeros(values.shape[1])
    for label in labels.unique():
        group = values[labels == label]
        between += len(group) * (group.mean(dim=0) - overall) ** 2
        within += ((group - group.mean(dim=0)) ** 2).sum(dim=0)
    return between / within.clamp(min=1e-12)


def plot_predictions(
    model_path: Path = MODEL_PATH,
    processed_dir: Path = PROCESSED_DIR,
    output: Path = FIGURE_PATH,
) -> Path:
    """Save a scatter plot of the test rows on their two most telling features; wrong ones are crossed out."""
    model, checkpoint = load_checkpoint(model_path)
    rows, labels = load_split("test", processed_dir).tensors
    with torch.inference_mode():
        predictions = model(rows).argmax(dim=1)
    features = checkpoint["features"]
    names = [feature["name"] for feature in features["numbers"] + features["categories"]]
    # Number features back in their own units, category features as their value's index.
    values = rows.clone()
    for index, feature in enumerate(features["numbers"]):
        values[:, index] = rows[:, index] * feature["std"] + feature["mean"]
    best = separation(values, labels).argsort(descending=True)[:2].tolist()
    x = values[:, best[0]]
    y = values[:, best[1]] if len(best) > 1 else torch.zeros_like(x)
    classes = checkpoint["classes"]
    figure = Figure(figsize=(8, 6))
    axes = figure.add_subplot()
    for index, name in enumerate(classes):
        chosen = predictions == index
        axes.scatter(x[chosen], y[chosen], s=14, alpha=0.7, label=f"predicted {name}")
    wrong = predictions != labels
    axes.scatter(x[wrong], y[wrong], s=40, marker="x", color="black", label="wrong")
    axes.set_xlabel(names[best[0]])
    axes.set_ylabel(names[best[1]] if len(best) > 1 else "")
    accuracy = 1.0 - float(wrong.float().mean())
    axes.set_title(f"Test rows on the two features that separate the classes best (accuracy {accuracy:.2f})")
    axes.legend(fontsize="small")
    figure.tight_layout()
    output.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(output)
    logger.info("Saved the feature plot to %s", output)
    return output


@app.command()
def main(model_path: Path = MODEL_PATH, processed_dir: Path = PROCESSED_DIR, output: Path = FIGURE_PATH) -> None:
    """Write the feature plot to OUTPUT."""
    configure_logging()
    plot_predictions(model_path, processed_dir, output)


if __name__ == "__main__":
    app()

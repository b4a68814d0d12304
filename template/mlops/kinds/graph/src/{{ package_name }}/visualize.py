"""Draw a grid of test graphs with the model's predictions into ``reports/figures/``."""

import logging
import math
from pathlib import Path

import networkx as nx
import torch
import typer
from matplotlib.figure import Figure
from torch_geometric.data import Batch
from torch_geometric.utils import to_networkx

from {{ package_name }} import configure_logging
from {{ package_name }}.data import PROCESSED_DIR, load_split
from {{ package_name }}.model import load_checkpoint

logger = logging.getLogger(__name__)

MODEL_PATH = Path("models/model.pt")
FIGURE_PATH = Path("reports/figures/predictions.png")

app = typer.Typer(help="Plot the model's predictions.")


def plot_predictions(
    model_path: Path = MODEL_PATH,
    processed_dir: Path = PROCESSED_DIR,
    output: Path = FIGURE_PATH,
    count: int = 16,
) -> Path:
    """Save a grid of ``count`` test graphs titled "prediction (truth)", wrong ones in red; return the file."""
    model, checkpoint = load_checkpoint(model_path)
    examples = load_split("test", processed_dir)[:count]
    graphs = [graph for graph, _ in examples]
    with torch.inference_mode():
        predictions = model(Batch.from_data_list(graphs)).argmax(dim=1)
    classes = checkpoint["classes"]
    columns = math.ceil(math.sqrt(len(examples)))
    rows = math.ceil(len(examples) / columns)
    figure = Figure(figsize=(2.5 * columns, 2.5 * rows))
    for index, ((graph, label), prediction) in enumerate(zip(examples, predictions, strict=True)):
        axes = figure.add_subplot(rows, columns, index + 1)
        network = to_networkx(graph, to_undirected=True)
        nx.draw_networkx(network, pos=nx.spring_layout(network, seed=0), ax=axes, node_size=30, with_labels=False)
        color = "green" if prediction == label else "red"
        axes.set_title(f"{classes[prediction]} ({classes[label]})", color=color)
        axes.axis("off")
    figure.tight_layout()
    output.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(output)
    logger.info("Saved the prediction grid to %s", output)
    return output


@app.command()
def main(model_path: Path = MODEL_PATH, processed_dir: Path = PROCESSED_DIR, output: Path = FIGURE_PATH) -> None:
    """Write the prediction grid to OUTPUT."""
    configure_logging()
    plot_predictions(model_path, processed_dir, output)


if __name__ == "__main__":
    app()

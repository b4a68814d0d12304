{%- set graph = data_kind == "graph" -%}
"""Export the trained model to ONNX, and run the exported file with onnxruntime.

``invoke export-onnx`` writes ``models/model.onnx`` and checks, on a batch of the test split, that
onnxruntime's class scores match PyTorch's. ``OnnxClassifier`` takes the same input as the PyTorch
model and returns the same logits, so code that calls the model can use either.
{%- if api %} The API serves the ONNX
model when ``ONNX_MODEL_PATH`` names the file.
{%- endif %}
"""

import logging
from pathlib import Path

import numpy as np
import onnxruntime
import torch
import typer
from torch import nn
{%- if graph %}
from torch_geometric.data import Batch
{%- endif %}

from {{ package_name }} import configure_logging
from {{ package_name }}.batches import load_batch
from {{ package_name }}.data import PROCESSED_DIR
from {{ package_name }}.model import Classifier, load_checkpoint

logger = logging.getLogger(__name__)

MODEL_PATH = Path("models/model.pt")
ONNX_PATH = Path("models/model.onnx")
# onnxruntime computes in float32 too but in another order, so scores differ by rounding only.
TOLERANCE = 1e-4
{%- if graph %}
INPUT_NAMES = ["x", "edge_index", "batch"]


class GraphInputs(nn.Module):
    """The classifier with plain tensors as input (ONNX has no ``Batch``): node features, edges, graph of each node."""

    def __init__(self, model: Classifier) -> None:
        super().__init__()
        self.model = model

    def forward(self, x: torch.Tensor, edge_index: torch.Tensor, batch: torch.Tensor) -> torch.Tensor:
        """Rebuild the batch of graphs and score it."""
        return self.model(Batch(x=x, edge_index=edge_index, batch=batch))


def as_inputs(graphs: Batch) -> tuple[torch.Tensor, ...]:
    """The tensors ``GraphInputs`` takes, in the order of ``INPUT_NAMES``."""
    return graphs.x, graphs.edge_index, graphs.batch
{%- else %}
INPUT_NAMES = ["inputs"]


def as_inputs(batch: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """The tensors the exported model takes, in the order of ``INPUT_NAMES``."""
    return (batch,)
{%- endif %}


def export(model: Classifier, example: {% if graph %}Batch{% else %}torch.Tensor{% endif %}, path: Path = ONNX_PATH) -> Path:
    """Write ``model`` to ``path`` as ONNX, traced on ``example``; the batch size stays free."""
    path.parent.mkdir(parents=True, exist_ok=True)
{%- if graph %}
    # Nodes and edges vary from graph to graph. The number of graphs is read from the data while
    # tracing, so the exported file scores one graph per call (see OnnxClassifier).
    axes = {"x": {0: "nodes"}, "edge_index": {1: "edges"}, "batch": {0: "nodes"}}
    network: nn.Module = GraphInputs(model)
    example = Batch.from_data_list([example.get_example(0)])
{%- else %}
    axes = {"inputs": {0: "batch"}, "logits": {0: "batch"}}
    network: nn.Module = model
{%- endif %}
    # The TorchScript-based exporter needs no package beyond onnx; torch's newer exporter
    # (dynamo=True) needs onnxscript as well.
    torch.onnx.export(
        network.eval(),
        as_inputs(example),
        str(path),
        input_names=INPUT_NAMES,
        output_names=["logits"],
        dynamic_axes=axes,
        opset_version=17,
        dynamo=False,
    )
    return path


class OnnxClassifier:
    """The exported model run by onnxruntime: called like the PyTorch model, it returns the logits."""

    def __init__(self, path: Path = ONNX_PATH, like: Classifier | None = None) -> None:
        if not path.is_file():
            raise FileNotFoundError(f"no ONNX model at {path}: export one first with `invoke export-onnx`")
        self.session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
{%- if data_kind == "image" %}
        # What the API reads from the model to prepare its input.
        self.image_size = like.image_size if like is not None else None
{%- elif data_kind == "text" %}
        # What the API reads from the model to prepare its input.
        self.max_length = like.max_length if like is not None else None
{%- elif graph %}
        # What the API reads from the model to check its input.
        self.num_node_features = like.num_node_features if like is not None else None
{%- endif %}

    def __call__(self, batch: {% if graph %}Batch{% else %}torch.Tensor{% endif %}) -> torch.Tensor:
        """Score ``batch`` (the PyTorch model's input) with onnxruntime."""
{%- if graph %}
        graphs = batch.to_data_list()
        return torch.cat([self._run(as_inputs(Batch.from_data_list([graph]))) for graph in graphs])
{%- else %}
        return self._run(as_inputs(batch))
{%- endif %}

    def _run(self, inputs: tuple[torch.Tensor, ...]) -> torch.Tensor:
        feeds = {name: tensor.numpy() for name, tensor in zip(INPUT_NAMES, inputs, strict=True)}
        (logits,) = self.session.run(["logits"], feeds)
        return torch.from_numpy(np.asarray(logits))


def largest_difference(model: Classifier, exported: OnnxClassifier, batch: {% if graph %}Batch{% else %}torch.Tensor{% endif %}) -> float:
    """The largest absolute difference between PyTorch's and onnxruntime's logits on ``batch``."""
    with torch.inference_mode():
        expected = model(batch)
    return float((exported(batch) - expected).abs().max())


app = typer.Typer(help="Export the trained model to ONNX.")


@app.command()
def main(model_path: Path = MODEL_PATH, output: Path = ONNX_PATH, processed_dir: Path = PROCESSED_DIR) -> None:
    """Export the model at MODEL_PATH to OUTPUT and check it against PyTorch on the test split."""
    configure_logging()
    model, _ = load_checkpoint(model_path)
    batch = load_batch("test", processed_dir)
    export(model, batch, output)
    difference = largest_difference(model, OnnxClassifier(output), batch)
    size = output.stat().st_size / 1e3
    logger.info("Wrote %s (%.1f kB); largest logit difference from PyTorch: %.2e", output, size, difference)
    if difference > TOLERANCE:
        raise SystemExit(f"onnxruntime's logits differ from PyTorch's by {difference:.2e} (over {TOLERANCE})")


if __name__ == "__main__":
    app()

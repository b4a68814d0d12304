{%- set graph = data_kind == "graph" -%}
"""Make the trained model smaller and faster on CPU with dynamic int8 quantisation.

``invoke quantize`` stores the weights of every ``nn.Linear`` layer as 8-bit integers (activations
are quantised on the fly, batch by batch), saves the result to ``models/model_quantized.pt`` and
prints size, latency and how often both models pick the same class, before and after. Layers other
than ``nn.Linear`` (convolutions, embeddings, ...) keep their float weights.
"""

import io
import logging
import statistics
import time
from pathlib import Path
from typing import Any

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
QUANTIZED_PATH = Path("models/model_quantized.pt")
{%- if graph %}
Inputs = Batch
{%- else %}
Inputs = torch.Tensor
{%- endif %}


def quantize(model: nn.Module) -> nn.Module:
    """A copy of ``model`` whose ``nn.Linear`` layers compute with int8 weights."""
    return torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)


def save_quantized(model: nn.Module, checkpoint: dict[str, Any], path: Path = QUANTIZED_PATH) -> None:
    """Save the quantised weights with the float checkpoint's architecture, classes and data settings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save({**checkpoint, "state_dict": model.state_dict(), "quantized": "dynamic-int8"}, path)


def load_quantized(path: Path = QUANTIZED_PATH) -> tuple[nn.Module, dict[str, Any]]:
    """Rebuild the model saved by ``save_quantized`` in evaluation mode; also return its checkpoint."""
    if not path.is_file():
        raise FileNotFoundError(f"no quantised model at {path}: make one first with `invoke quantize`")
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    hparams = dict(checkpoint["hparams"])
{%- if graph or (data_kind == "image" and framework == "none") %}
    hparams["channels"] = tuple(hparams["channels"])
{%- endif %}
    model = quantize(Classifier(**hparams).eval())
    model.load_state_dict(checkpoint["state_dict"])
    return model.eval(), checkpoint


def size_in_bytes(model: nn.Module) -> int:
    """How many bytes the model's weights take once saved."""
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getbuffer().nbytes


def latency_ms(model: nn.Module, batch: Inputs, repeats: int = 20) -> float:
    """The median time, in milliseconds, that one forward pass over ``batch`` takes."""
    times = []
    with torch.inference_mode():
        model(batch)  # the first call pays one-off costs (allocations, packing)
        for _ in range(repeats):
            begin = time.perf_counter()
            model(batch)
            times.append((time.perf_counter() - begin) * 1e3)
    return statistics.median(times)


def agreement(model: nn.Module, other: nn.Module, batch: Inputs) -> float:
    """The fraction of ``batch`` on which both models predict the same class."""
    with torch.inference_mode():
        same = model(batch).argmax(dim=1) == other(batch).argmax(dim=1)
    return float(same.float().mean())


app = typer.Typer(help="Quantise the trained model.")


@app.command()
def main(model_path: Path = MODEL_PATH, output: Path = QUANTIZED_PATH, processed_dir: Path = PROCESSED_DIR) -> None:
    """Quantise the model at MODEL_PATH into OUTPUT and compare the two on the test split."""
    configure_logging()
    model, checkpoint = load_checkpoint(model_path)
    smaller = quantize(model)
    save_quantized(smaller, checkpoint, output)
    batch = load_batch("test", processed_dir)
    before, after = size_in_bytes(model), size_in_bytes(smaller)
    logger.info("Size: %.1f kB -> %.1f kB (%.0f%% of the float model)", before / 1e3, after / 1e3, 100 * after / before)
    logger.info("Latency per batch: %.2f ms -> %.2f ms", latency_ms(model, batch), latency_ms(smaller, batch))
    same = agreement(model, smaller, batch)
    logger.info("Same class as the float model on %.1f%% of the test batch; saved %s", 100 * same, output)


if __name__ == "__main__":
    app()

{%- if data_kind == "text" %}{% set examples = "texts" %}{% elif data_kind == "tabular" %}{% set examples = "rows" %}{% elif data_kind == "graph" %}{% set examples = "graphs" %}{% else %}{% set examples = "images" %}{% endif -%}
"""The quantised model: smaller weights that still classify the {{ examples }} like the float model."""

from pathlib import Path

import pytest
import torch
from torch import nn

from {{ package_name }}.batches import load_batch
from {{ package_name }}.model import load_checkpoint
from {{ package_name }}.quantize import (
    agreement,
    load_quantized,
    quantize,
    save_quantized,
    size_in_bytes,
)

# int8 weights move each logit by about a hundredth of its range, so only {{ examples }} whose two best
# classes are about that close can change class. On these few synthetic {{ examples }} that is at most
# one in ten; a model that no longer works agrees on about one in as many classes as there are.
AGREEMENT = 0.9


@pytest.fixture(scope="module")
def quantized_path(checkpoint_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture checkpoint, quantised and saved the way ``invoke quantize`` does it."""
    model, checkpoint = load_checkpoint(checkpoint_path)
    path = tmp_path_factory.mktemp("quantized") / "model_quantized.pt"
    save_quantized(quantize(model), checkpoint, path)
    return path


def test_the_saved_quantized_model_predicts_like_the_float_model(
    checkpoint_path: Path, quantized_path: Path, processed_dir: Path
) -> None:
    model, _ = load_checkpoint(checkpoint_path)
    smaller, checkpoint = load_quantized(quantized_path)
    batch = load_batch("train", processed_dir)
    with torch.inference_mode():
        expected, scores = model(batch), smaller(batch)
    assert scores.shape == expected.shape == (expected.shape[0], len(checkpoint["classes"]))
    assert agreement(model, smaller, batch) >= AGREEMENT

{%- if data_kind == "graph" %}


def test_the_linear_head_is_quantized(quantized_path: Path) -> None:
    # GraphConv's own maps are PyTorch Geometric's Linear, which dynamic quantisation leaves as
    # they are, so in this small model only the head gets int8 weights and the file does not shrink.
    smaller, _ = load_quantized(quantized_path)
    assert not any(type(layer) is nn.Linear for layer in smaller.modules())
    assert size_in_bytes(smaller) > 0
{%- else %}


def test_linear_layers_are_quantized_and_the_weights_shrink(checkpoint_path: Path, quantized_path: Path) -> None:
    model, _ = load_checkpoint(checkpoint_path)
    smaller, _ = load_quantized(quantized_path)
    assert not any(type(layer) is nn.Linear for layer in smaller.modules())
    assert size_in_bytes(smaller) < size_in_bytes(model)
{%- endif %}


def test_a_missing_quantized_file_names_the_task(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="invoke quantize"):
        load_quantized(tmp_path / "model_quantized.pt")

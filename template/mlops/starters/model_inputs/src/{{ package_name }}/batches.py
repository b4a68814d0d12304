{%- if data_kind == "text" %}{% set examples = "texts" %}{% elif data_kind == "tabular" %}{% set examples = "rows" %}{% elif data_kind == "graph" %}{% set examples = "graphs" %}{% else %}{% set examples = "images" %}{% endif -%}
"""A batch of real, preprocessed {{ examples }} in the form the model takes, for exporting and optimising it."""

from pathlib import Path

{%- if data_kind == "graph" %}

from torch_geometric.data import Batch
{%- else %}

import torch
{%- endif %}

from {{ package_name }}.data import PROCESSED_DIR, load_split


def load_batch(split: str = "test", processed_dir: Path = PROCESSED_DIR, limit: int = 64) -> {% if data_kind == "graph" %}Batch{% else %}torch.Tensor{% endif %}:
    """Up to ``limit`` {{ examples }} of ``split``, batched the way training and evaluation feed the model."""
    dataset = load_split(split, processed_dir)
{%- if data_kind == "graph" %}
    return Batch.from_data_list([graph for graph, _ in dataset[:limit]])
{%- else %}
    return dataset.tensors[0][:limit]
{%- endif %}

{%- if data_kind == "text" %}{% set example = "text" %}{% elif data_kind == "tabular" %}{% set example = "row of features" %}{% elif data_kind == "graph" %}{% set example = "graph" %}{% else %}{% set example = "image" %}{% endif -%}
"""What data drift is measured on: a few numbers (or categories) that describe one {{ example }}.

{%- if data_kind == "image" %}
An image is summarised by its brightness (mean pixel value) and contrast (standard deviation of
its pixels), both on the 0-1 scale the model reads. A new camera, other lighting or another source
of images moves them away from the training images'.
{%- elif data_kind == "text" %}
A text is summarised by its length (characters and words) and the share of its words that the
training vocabulary does not hold. Texts on new subjects, in another language or of another length
move these away from the training texts'.
{%- elif data_kind == "tabular" %}
A row is summarised by its feature columns themselves: each number column is compared as numbers,
each category column by how often each value appears.
{%- else %}
A graph is summarised by its size (nodes and edges), its mean node degree and the mean of its node
features. Larger, denser or differently measured graphs move these away from the training graphs'.
{%- endif %}

``InputSummary`` turns what the API reads into such a summary, ``reference_examples`` reads the
training data in the same form, and ``sample`` makes new examples of the synthetic dataset: like it,
or deliberately shifted, to see what drift looks like.
"""
{%- if data_kind == "image" %}

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch

from {{ package_name }}.data import SHAPES, draw_shape, find_images, load_image

Summary = dict[str, float | str | None]


class InputSummary:
    """Summarises an image tensor of shape (1, size, size) with values in [0, 1]."""

    def __init__(self, meta: dict[str, Any]) -> None:
        """Images need nothing from the checkpoint: the summary is made of their pixels alone."""

    def __call__(self, image: torch.Tensor) -> Summary:
        return {"brightness": float(image.mean()), "contrast": float(image.std())}


def reference_examples(raw_dir: Path, meta: dict[str, Any]) -> Iterator[torch.Tensor]:
    """Every image of the raw training data, read the way the API reads an upload."""
    for files in find_images(raw_dir).values():
        for path in files:
            yield load_image(path, meta["image_size"])


def sample(count: int, seed: int, shifted: bool, meta: dict[str, Any]) -> list[torch.Tensor]:
    """``count`` new synthetic images; shifted ones look taken by a brighter camera with less contrast."""
    rng = np.random.default_rng(seed)
    images = []
    for index in range(count):
        buffer = io.BytesIO()
        draw_shape(SHAPES[index % len(SHAPES)], rng).save(buffer, format="PNG")
        buffer.seek(0)
        image = load_image(buffer, meta["image_size"])
        images.append(image * 0.6 + 0.35 if shifted else image)
    return images
{%- elif data_kind == "text" %}

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from {{ package_name }}.data import (
    TABLE_SUFFIXES,
    TOPICS,
    load_tokenizer,
    make_message,
    read_examples,
    visible_files,
)

Summary = dict[str, float | str | None]

# Words of a subject the synthetic dataset never talks about, for the shifted sample.
NEW_WORDS = ("quarterly", "invoice", "shareholders", "dividend", "merger", "audit", "ledger", "forecasted")


class InputSummary:
    """Summarises a text; the training vocabulary comes from the checkpoint or meta.json."""

    def __init__(self, meta: dict[str, Any]) -> None:
        tokenizer = load_tokenizer(meta["tokenizer"])
{%- if framework == "transformers" %}
        self.known = frozenset(tokenizer.get_vocab())
{%- else %}
        self.known = frozenset(tokenizer.vocabulary)
{%- endif %}

    def __call__(self, text: str) -> Summary:
        words = re.findall(r"[a-z0-9']+", text.lower())
        unknown = sum(word not in self.known for word in words)
        return {
            "characters": float(len(text)),
            "words": float(len(words)),
            "unknown_share": unknown / len(words) if words else 0.0,
        }


def reference_examples(raw_dir: Path, meta: dict[str, Any]) -> Iterator[str]:
    """Every text of the raw training data."""
    for path in visible_files(raw_dir):
        if path.suffix.lower() in TABLE_SUFFIXES:
            for text, _ in read_examples(path):
                yield text


def sample(count: int, seed: int, shifted: bool, meta: dict[str, Any]) -> list[str]:
    """``count`` new synthetic messages; shifted ones go on about a subject the training texts never mention."""
    rng = np.random.default_rng(seed)
    texts = []
    for index in range(count):
        text = make_message(list(TOPICS)[index % len(TOPICS)], rng)
        if shifted:
            text += " " + " ".join(str(word) for word in rng.choice(NEW_WORDS, size=6))
        texts.append(text)
    return texts
{%- elif data_kind == "tabular" %}

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from {{ package_name }}.data import (
    FAULTS,
    cell,
    is_number,
    make_reading,
    read_table,
    visible_files,
)

Summary = dict[str, float | str | None]


class InputSummary:
    """Summarises a row (column -> value) by its feature columns, as named in the checkpoint or meta.json."""

    def __init__(self, meta: dict[str, Any]) -> None:
        self.numbers = [feature["name"] for feature in meta["features"]["numbers"]]
        self.categories = [feature["name"] for feature in meta["features"]["categories"]]

    def __call__(self, row: dict[str, Any]) -> Summary:
        summary: Summary = {}
        for name in self.numbers:
            text = cell(row.get(name))
            # An empty cell says nothing about the column's distribution, so it is left out.
            summary[name] = float(text) if text and is_number(text) else None
        for name in self.categories:
            summary[name] = cell(row.get(name))
        return summary


def reference_examples(raw_dir: Path, meta: dict[str, Any]) -> Iterator[dict[str, str]]:
    """Every row of the raw training data."""
    for path in visible_files(raw_dir):
        if path.suffix.lower() == ".csv":
            yield from read_table(path)[1]


def sample(count: int, seed: int, shifted: bool, meta: dict[str, Any]) -> list[dict[str, str]]:
    """``count`` new synthetic rows; shifted ones come from pumps that run hotter, all on the south site."""
    rng = np.random.default_rng(seed)
    rows = []
    for index in range(count):
        row = make_reading(list(FAULTS)[index % len(FAULTS)], rng)
        if shifted:
            row = {**row, "temperature": f"{float(row['temperature']) + 15.0:.2f}", "site": "south"}
        rows.append(row)
    return rows
{%- else %}

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from torch_geometric.data import Data

from {{ package_name }}.data import SHAPES, make_graph, read_graphs, to_graph, visible_files

Summary = dict[str, float | str | None]


class InputSummary:
    """Summarises a PyTorch Geometric graph (each undirected edge is stored in both directions)."""

    def __init__(self, meta: dict[str, Any]) -> None:
        """Graphs need nothing from the checkpoint: the summary is made of their shape and features alone."""

    def __call__(self, graph: Data) -> Summary:
        return {
            "nodes": float(graph.num_nodes),
            "edges": graph.num_edges / 2,
            "mean_degree": graph.num_edges / graph.num_nodes,
            "feature_mean": float(graph.x.mean()),
        }


def reference_examples(raw_dir: Path, meta: dict[str, Any]) -> Iterator[Data]:
    """Every graph of the raw training data."""
    for path in visible_files(raw_dir):
        if path.suffix.lower() == ".jsonl":
            for graph, _ in read_graphs(path):
                yield graph


def sample(count: int, seed: int, shifted: bool, meta: dict[str, Any]) -> list[Data]:
    """``count`` new synthetic graphs; shifted ones have twice the nodes, so they are larger and denser."""
    rng = np.random.default_rng(seed)
    graphs = []
    for index in range(count):
        graph = make_graph(SHAPES[index % len(SHAPES)], rng)
        nodes, edges = graph["nodes"], graph["edges"]
        if shifted:
            # Two copies of the graph, each node linked to its twin: twice the nodes, one more link each.
            size = len(nodes)
            edges = edges + [[a + size, b + size] for a, b in edges] + [[node, node + size] for node in range(size)]
            nodes = nodes + nodes
        graphs.append(to_graph(nodes, edges))
    return graphs
{%- endif %}

"""Create, load and preprocess the graph dataset: one graph per example, classified as a whole.

Raw data lives in ``data/raw/`` as JSON Lines files (``.jsonl``), one graph per line:
``{"nodes": [[0.5, 1.0], [0.1, 0.0], ...], "edges": [[0, 1], [1, 2], ...], "label": "star"}``.
``nodes`` holds each node's features (the same number for every node of every graph), ``edges``
the pairs of node positions (counted from 0) that are linked; each edge is used in both directions.
Every such file there is read. Copy your own data into that layout (or change ``read_graphs``) and
the rest of the pipeline works unchanged. Only when ``data/raw`` is empty does the ``preprocess``
command first write a small synthetic dataset of graphs of four shapes, so everything runs offline;
files it cannot read stop it with an error instead. A dataset that PyTorch Geometric ships or
reads (``torch_geometric.datasets``) can be written out in this layout, or read in ``preprocess``.
"""

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch
import typer
from torch_geometric.data import Data
from torch_geometric.utils import to_undirected

from {{ package_name }} import configure_logging

logger = logging.getLogger(__name__)

RAW_DIR = Path("data/raw")
PROCESSED_DIR = Path("data/processed")
SHAPES = ("chain", "clique", "star", "wheel")
NODE_FEATURES = 3

# The end of every message about data the loader cannot read.
HOW_TO_CHANGE = (
    "Put your data in that layout, or rewrite `read_graphs` (how one file becomes graphs) in "
    "src/{{ package_name }}/data.py to read it; for data that is not one graph per example (the nodes of one "
    "large graph, say), rewrite `preprocess` itself, keeping the train.pt, test.pt and meta.json it writes."
)

app = typer.Typer(help="Create and preprocess the dataset.", no_args_is_help=True)


class RawDataError(ValueError):
    """The raw folder holds data, but not in the layout this loader reads."""


def shape_edges(shape: str, size: int) -> list[list[int]]:
    """The edges of a graph of ``size`` nodes in the given shape."""
    if shape == "chain":
        return [[node, node + 1] for node in range(size - 1)]
    if shape == "star":
        return [[0, node] for node in range(1, size)]
    if shape == "wheel":
        rim = range(1, size)
        return [[0, node] for node in rim] + [[node, node % (size - 1) + 1] for node in rim]
    if shape == "clique":
        return [[first, second] for first in range(size) for second in range(first + 1, size)]
    raise ValueError(f"unknown shape {shape!r}; choose one of: {', '.join(SHAPES)}")


def make_graph(shape: str, rng: np.random.Generator) -> dict[str, Any]:
    """One graph of 6 to 12 nodes in ``shape``, its nodes shuffled, as a line of the raw files holds it."""
    size = int(rng.integers(6, 13))
    order = rng.permutation(size)
    edges = [[int(order[first]), int(order[second])] for first, second in shape_edges(shape, size)]
    # The first feature is always 1, the others are noise: the shape is what tells the classes apart.
    nodes = np.concatenate([np.ones((size, 1)), rng.normal(0.0, 1.0, size=(size, NODE_FEATURES - 1))], axis=1)
    return {"nodes": np.round(nodes, 3).tolist(), "edges": edges, "label": shape}


def synthesize(raw_dir: Path, per_class: int = 600, seed: int = 0) -> int:
    """Write ``per_class`` graphs of each shape to ``raw_dir/graphs.jsonl``; return the count."""
    rng = np.random.default_rng(seed)
    raw_dir.mkdir(parents=True, exist_ok=True)
    with (raw_dir / "graphs.jsonl").open("w", encoding="utf-8") as file:
        for index in range(per_class * len(SHAPES)):
            file.write(json.dumps(make_graph(SHAPES[index % len(SHAPES)], rng)) + "\n")
    return per_class * len(SHAPES)


def visible_files(raw_dir: Path) -> Iterator[Path]:
    """Every file below ``raw_dir`` except hidden ones (``.gitkeep``, ``.DS_Store``, ...)."""
    if not raw_dir.is_dir():
        return
    for path in sorted(raw_dir.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(raw_dir).parts):
            yield path


def ensure_raw_data(raw_dir: Path = RAW_DIR, per_class: int = 600, seed: int = 0) -> bool:
    """Write the synthetic dataset into ``raw_dir`` only if it holds no files; return whether it did.

    A folder with any data in it is left alone, so your own data is never mixed with made-up graphs.
    """
    if next(visible_files(raw_dir), None) is not None:
        return False
    synthesize(raw_dir, per_class=per_class, seed=seed)
    return True


def to_graph(nodes: list[list[float]], edges: list[list[int]]) -> Data:
    """Build PyTorch Geometric's ``Data`` from node features and edges; raise ValueError saying what is wrong."""
    if not nodes:
        raise ValueError("a graph needs at least one node")
    widths = {len(features) for features in nodes}
    if len(widths) != 1 or 0 in widths:
        raise ValueError(f"every node needs the same number of features, got {sorted(widths)}")
    x = torch.tensor(nodes, dtype=torch.float32)
    if any(len(edge) != 2 for edge in edges):
        raise ValueError("each edge is a pair of node positions, like [0, 1]")
    edge_index = torch.tensor(edges, dtype=torch.long).reshape(-1, 2).t()
    if edge_index.numel() and (int(edge_index.min()) < 0 or int(edge_index.max()) >= len(nodes)):
        raise ValueError(f"an edge names a node that is not there: the graph has nodes 0 to {len(nodes) - 1}")
    return Data(x=x, edge_index=to_undirected(edge_index, num_nodes=len(nodes)))


def read_graphs(path: Path) -> list[tuple[Data, str]]:
    """Read the (graph, label) pairs of one JSON Lines file."""
    graphs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise RawDataError(f"{path}:{number} is not a JSON object: {error}. {HOW_TO_CHANGE}") from error
        if not isinstance(row, dict) or not {"nodes", "label"} <= set(row):
            raise RawDataError(f'{path}:{number} needs "nodes" and "label" keys (and "edges"). {HOW_TO_CHANGE}')
        try:
            graph = to_graph(row["nodes"], row.get("edges", []))
        except (TypeError, ValueError) as error:
            raise RawDataError(f"{path}:{number}: {error}. {HOW_TO_CHANGE}") from error
        graphs.append((graph, str(row["label"])))
    return graphs


def pack(graphs: list[Data], labels: torch.Tensor) -> dict[str, torch.Tensor]:
    """Put many graphs into a few plain tensors, which ``torch.load(weights_only=True)`` can read back."""
    return {
        "x": torch.cat([graph.x for graph in graphs]),
        "edge_index": torch.cat([graph.edge_index for graph in graphs], dim=1),
        "num_nodes": torch.tensor([graph.num_nodes for graph in graphs]),
        "num_edges": torch.tensor([graph.num_edges for graph in graphs]),
        "labels": labels,
    }


def unpack(tensors: dict[str, torch.Tensor]) -> list[tuple[Data, torch.Tensor]]:
    """The (graph, label) pairs that ``pack`` stored."""
    xs = torch.split(tensors["x"], tensors["num_nodes"].tolist())
    edges = torch.split(tensors["edge_index"], tensors["num_edges"].tolist(), dim=1)
    return [
        (Data(x=x, edge_index=edge_index), label)
        for x, edge_index, label in zip(xs, edges, tensors["labels"], strict=True)
    ]


def preprocess(
    raw_dir: Path = RAW_DIR,
    processed_dir: Path = PROCESSED_DIR,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> dict[str, Any]:
    """Turn the raw graphs into train/test files plus a ``meta.json``; return the metadata."""
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    files = [path for path in visible_files(raw_dir) if path.suffix.lower() == ".jsonl"]
    others = [path.relative_to(raw_dir).as_posix() for path in visible_files(raw_dir) if path not in files]
    examples = [example for path in files for example in read_graphs(path)]
    classes = sorted({label for _, label in examples})
    if len(classes) < 2:
        raise RawDataError(layout_problem(raw_dir, classes, others))
    widths = {graph.num_node_features for graph, _ in examples}
    if len(widths) != 1:
        raise RawDataError(f"the graphs in {raw_dir} have nodes with {sorted(widths)} features: use one number")
    if others:
        logger.warning("Ignored files in %s that are not JSON Lines: %s", raw_dir, some_of(others))
    labels = torch.tensor([classes.index(label) for _, label in examples])
    order = torch.randperm(len(examples), generator=torch.Generator().manual_seed(seed))
    test_count = max(1, int(len(examples) * test_fraction))
    splits = {"train": order[test_count:], "test": order[:test_count]}
    processed_dir.mkdir(parents=True, exist_ok=True)
    for split, indices in splits.items():
        chosen = [examples[index][0] for index in indices.tolist()]
        torch.save(pack(chosen, labels[indices]), processed_dir / f"{split}.pt")
    meta = {"classes": classes, "num_node_features": widths.pop()}
    (processed_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    logger.info(
        "Preprocessed %d graphs of %d classes into %s (%d train, %d test)",
        len(labels),
        len(classes),
        processed_dir,
        len(splits["train"]),
        len(splits["test"]),
    )
    return meta


def some_of(names: list[str], shown: int = 3) -> str:
    """The first few ``names`` and how many more there are."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def layout_problem(raw_dir: Path, classes: list[str], others: list[str]) -> str:
    """Explain what is in ``raw_dir``, which layout the loader expects and what to change for other data."""
    if classes:
        found = f"graphs of only one label ({classes[0]})"
    elif others:
        found = f"files this loader cannot read ({some_of(others)})"
    else:
        found = "no graphs"
    return (
        f"{raw_dir} holds {found}. The loader expects JSON Lines files (.jsonl) with one graph per line: an object "
        'with "nodes" (the features of each node), "edges" (pairs of node positions) and "label", and at least two '
        f"labels. {HOW_TO_CHANGE}"
    )


def _processed_file(processed_dir: Path, name: str) -> Path:
    path = processed_dir / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: run `invoke preprocess-data` first")
    return path


def load_meta(processed_dir: Path = PROCESSED_DIR) -> dict[str, Any]:
    """Read the class names and the number of node features written by ``preprocess``."""
    return json.loads(_processed_file(processed_dir, "meta.json").read_text())


def load_split(split: str, processed_dir: Path = PROCESSED_DIR) -> list[tuple[Data, torch.Tensor]]:
    """Load the preprocessed ``train`` or ``test`` split as (graph, label) pairs.

    PyTorch Geometric's ``DataLoader`` batches them into a ``Batch`` of graphs and a tensor of labels.
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    return unpack(torch.load(_processed_file(processed_dir, f"{split}.pt"), weights_only=True))


@app.command("synthesize")
def synthesize_command(raw_dir: Path = RAW_DIR, per_class: int = 600, seed: int = 0) -> None:
    """Write the synthetic graphs dataset into RAW_DIR."""
    configure_logging()
    count = synthesize(raw_dir, per_class=per_class, seed=seed)
    logger.info("Wrote %d synthetic graphs to %s", count, raw_dir)


@app.command("preprocess")
def preprocess_command(
    raw_dir: Path = RAW_DIR,
    processed_dir: Path = PROCESSED_DIR,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> None:
    """Preprocess RAW_DIR into PROCESSED_DIR, writing the synthetic dataset first if RAW_DIR is empty."""
    configure_logging()
    if ensure_raw_data(raw_dir, seed=seed):
        logger.info("%s was empty: wrote the synthetic dataset there first", raw_dir)
    try:
        preprocess(raw_dir, processed_dir, test_fraction=test_fraction, seed=seed)
    except RawDataError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=2) from error


if __name__ == "__main__":
    app()
